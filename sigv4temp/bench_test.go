package sigv4temp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/awskit/awskit/sigv4temp"
)

// BenchmarkSign: a DynamoDB GET and a 1 MiB S3 PUT with temporary
// credentials, beside the SDK's SignHTTP (one reused signer, the hash
// computed by the caller as it must be, and for S3 the x-amz-content-sha256
// header and single path escaping a caller must set) in the same run.
func BenchmarkSign(b *testing.B) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	cases := []struct {
		name    string
		method  string
		service string
		body    []byte
	}{{"GET", "GET", "dynamodb", nil}, {"PUT-1MiB", "PUT", "s3", body}}
	for _, c := range cases {
		newReq := func() *http.Request {
			var r *http.Request
			if c.body != nil {
				r, _ = http.NewRequest(c.method, "https://bucket.s3.us-east-1.amazonaws.com/key", bytes.NewReader(c.body))
			} else {
				r, _ = http.NewRequest(c.method, "https://dynamodb.us-east-1.amazonaws.com/?Action=x", nil)
			}
			return r
		}
		b.Run(c.name+"/awskit", func(b *testing.B) {
			r := newReq()
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := sigv4temp.Sign(context.Background(), r, tempCreds, c.service, "us-east-1", signTime); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/sdk-SignHTTP", func(b *testing.B) {
			r := newReq()
			s := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = c.service == "s3" })
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				hash := sigv4temp.EmptyPayloadHash
				if c.body != nil {
					sum := sha256.Sum256(c.body)
					hash = hex.EncodeToString(sum[:])
				}
				if c.service == "s3" {
					r.Header.Set("X-Amz-Content-Sha256", hash)
				}
				if err := s.SignHTTP(context.Background(), tempCreds, r, hash, c.service, "us-east-1", signTime); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
