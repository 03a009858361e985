package interop

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/awskit/awskit/s3keys"
)

// newS3 starts an in-process S3 protocol server (gofakes3) on 127.0.0.1 and
// returns a real *s3.Client pointed at it with path-style addressing.
func newS3(t *testing.T) *s3.Client {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
}

func TestS3KeysListAgainstS3Server(t *testing.T) {
	ctx := context.Background()
	client := newS3(t)
	_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("events")})
	if err != nil {
		t.Fatal(err)
	}
	sharder, err := s3keys.New(1)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 120 {
		logical := fmt.Sprintf("2026/11/25/%04d.json", i)
		if i%10 == 0 {
			logical = fmt.Sprintf("other/%04d.json", i)
		} else {
			want = append(want, logical)
		}
		_, err := client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String("events"), Key: aws.String(sharder.Key(logical)), Body: bytes.NewReader([]byte(logical)),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(want)
	var got []string
	for obj, err := range s3keys.List(ctx, client, "events", "2026/", sharder, func(o *s3keys.ListOptions) {
		o.PageSize = 4 // force continuation tokens
		o.Concurrency = 3
	}) {
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt64(obj.Size) != int64(len(obj.LogicalKey)) {
			t.Fatalf("%s: size %d", obj.LogicalKey, aws.ToInt64(obj.Size))
		}
		got = append(got, obj.LogicalKey)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List returned %d keys, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}

	// Stopping early ends cleanly.
	n := 0
	for _, err := range s3keys.List(ctx, client, "events", "", sharder) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}

	// A missing bucket is an SDK error, reachable as such.
	for _, err := range s3keys.List(ctx, client, "missing", "", sharder) {
		if err == nil {
			t.Fatal("listing a missing bucket succeeded")
		}
		break
	}
}
