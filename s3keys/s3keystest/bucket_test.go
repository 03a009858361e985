package s3keystest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/s3keys/s3keystest"
)

// Issue 19 item 7: MaxKeys=0 panicked, and could give truncated empty pages
// forever. S3 answers MaxKeys=0 with an empty page that is not truncated.
func TestBucketMaxKeysZero(t *testing.T) {
	b := &s3keystest.Bucket{}
	for _, k := range []string{"a", "b", "c"} {
		b.Put(k, 1)
	}
	ctx := context.Background()
	for _, in := range []*s3.ListObjectsV2Input{
		{Bucket: aws.String("bkt"), MaxKeys: aws.Int32(0)},
		{Bucket: aws.String("bkt"), MaxKeys: aws.Int32(0), StartAfter: aws.String("a")},
		{Bucket: aws.String("bkt"), MaxKeys: aws.Int32(0), Prefix: aws.String("b")},
		{Bucket: aws.String("bkt"), MaxKeys: aws.Int32(0), ContinuationToken: aws.String("after:a")},
	} {
		out, err := b.ListObjectsV2(ctx, in)
		require.NoError(t, err)
		assert.Empty(t, out.Contents)
		assert.False(t, aws.ToBool(out.IsTruncated), "MaxKeys=0 is not truncated")
		assert.Nil(t, out.NextContinuationToken)
		assert.Equal(t, int32(0), aws.ToInt32(out.KeyCount))
		assert.Equal(t, int32(0), aws.ToInt32(out.MaxKeys))
	}
	_, err := b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt"), MaxKeys: aws.Int32(-1)})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "InvalidArgument", api.ErrorCode())
}

// Paging with any MaxKeys lists every key once, in order, and ends: a
// truncated page always holds an object and a token.
func TestBucketPagingEnds(t *testing.T) {
	b := &s3keystest.Bucket{}
	var want []string
	for i := range 25 {
		k := fmt.Sprintf("p/%02d", i)
		b.Put(k, 1)
		want = append(want, k)
	}
	b.Put("q/other", 1)
	ctx := context.Background()
	for _, maxKeys := range []int32{1, 2, 7, 25, 26, 1000, 5000} {
		var got []string
		var token *string
		for calls := 0; ; calls++ {
			require.Less(t, calls, 100, "paging does not end")
			out, err := b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt"), Prefix: aws.String("p/"), MaxKeys: aws.Int32(maxKeys), ContinuationToken: token})
			require.NoError(t, err)
			assert.LessOrEqual(t, len(out.Contents), int(min(maxKeys, 1000)))
			for _, o := range out.Contents {
				got = append(got, *o.Key)
			}
			if !aws.ToBool(out.IsTruncated) {
				assert.Nil(t, out.NextContinuationToken)
				break
			}
			require.NotEmpty(t, out.Contents, "a truncated page holds at least one object")
			require.NotEmpty(t, aws.ToString(out.NextContinuationToken))
			token = out.NextContinuationToken
		}
		assert.Equal(t, want, got, "MaxKeys=%d", maxKeys)
	}
}

func TestBucketCountsCalls(t *testing.T) {
	b := &s3keystest.Bucket{}
	ctx := context.Background()
	for range 3 {
		_, err := b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
		require.NoError(t, err)
	}
	assert.Equal(t, int64(3), b.Calls())
	assert.Equal(t, int64(1), b.MaxInFlight(), "sequential calls")

	// Four calls held inside Fault at once: MaxInFlight sees all four.
	var arrived sync.WaitGroup
	arrived.Add(4)
	release := make(chan struct{})
	b.Fault = func(context.Context, *s3.ListObjectsV2Input) error {
		arrived.Done()
		<-release
		return nil
	}
	var done sync.WaitGroup
	for range 4 {
		done.Add(1)
		go func() {
			defer done.Done()
			_, _ = b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
		}()
	}
	arrived.Wait()
	close(release)
	done.Wait()
	assert.Equal(t, int64(4), b.MaxInFlight())
	b.Fault = nil
	_, err := b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
	require.NoError(t, err)
	assert.Equal(t, int64(4), b.MaxInFlight(), "the count went back down")
	assert.Equal(t, int64(8), b.Calls())
}

func TestBucketFaultsAndErrors(t *testing.T) {
	ctx := context.Background()
	b := &s3keystest.Bucket{Name: "bkt"}
	b.Put("a", 1)
	in := func() *s3.ListObjectsV2Input { return &s3.ListObjectsV2Input{Bucket: aws.String("bkt")} }

	// A Fault that returns nil lets the call through; an error replaces it.
	b.Fault = func(context.Context, *s3.ListObjectsV2Input) error { return nil }
	out, err := b.ListObjectsV2(ctx, in())
	require.NoError(t, err)
	require.Len(t, out.Contents, 1)
	boom := errors.New("boom")
	b.Fault = func(context.Context, *s3.ListObjectsV2Input) error { return boom }
	out, err = b.ListObjectsV2(ctx, in())
	assert.ErrorIs(t, err, boom)
	assert.Nil(t, out)
	b.Fault = nil

	_, err = b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt"), Delimiter: aws.String("/")})
	assert.ErrorIs(t, err, s3keystest.ErrUnsupported)
	_, err = b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt"), EncodingType: "url"})
	assert.ErrorIs(t, err, s3keystest.ErrUnsupported)
	var nsb *types.NoSuchBucket
	_, err = b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("other")})
	assert.ErrorAs(t, err, &nsb)
	for _, tok := range []string{"x", "afte", "before:a"} {
		_, err = b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt"), ContinuationToken: aws.String(tok)})
		assert.Error(t, err, "token %q", tok)
	}
	out, err = b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt"), ContinuationToken: aws.String("after:")})
	require.NoError(t, err)
	assert.Len(t, out.Contents, 1)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = b.ListObjectsV2(canceled, in())
	assert.ErrorIs(t, err, context.Canceled)
}
