package interop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"testing"

	"github.com/minio/minio-go/v7/pkg/signer"

	"github.com/awskit/awskit/sigv4temp"
)

// BenchmarkStreamingSigners: 64 MiB encoded with STREAMING-AWS4-HMAC-SHA256-PAYLOAD
// (64 KiB chunks) by sigv4temp.SignStreaming and by minio-go v7's
// StreamingSignV4 (the peer a Go user would otherwise pick), read to the end
// through the same 32 KiB buffer, in the same run.
func BenchmarkStreamingSigners(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 4<<20)
	out := make([]byte, 32<<10)
	drain := func(r io.Reader) {
		for {
			if _, err := r.Read(out); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				return
			}
		}
	}
	b.Run("64MiB/awskit", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r, _ := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/big", bytes.NewReader(data))
			if err := sigv4temp.SignStreaming(context.Background(), r, sigCreds, "s3", "us-east-1", sigTime); err != nil {
				b.Fatal(err)
			}
			drain(r.Body)
		}
	})
	b.Run("64MiB/minio-go", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r, _ := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/big", bytes.NewReader(data))
			r = signer.StreamingSignV4(r, sigCreds.AccessKeyID, sigCreds.SecretAccessKey, sigCreds.SessionToken, "us-east-1", int64(len(data)), sigTime, sha256Hasher{sha256.New()})
			drain(r.Body)
		}
	})
}
