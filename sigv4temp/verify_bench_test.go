package sigv4temp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awskit/awskit/sigv4temp"
)

var (
	benchTime  = time.Date(2026, 11, 25, 20, 49, 41, 0, time.UTC)
	benchCreds = aws.Credentials{AccessKeyID: "ASIAEXAMPLEKEY", SecretAccessKey: "secretSECRETsecret/+=", SessionToken: "TOKEN/with+chars=",
		CanExpire: true, Expires: benchTime.Add(time.Hour)}
)

// BenchmarkVerify: verifying a GET signed with temporary credentials, beside
// signing the same request (Sign, with its key cache warm) in the same run.
// Target: Verify within 1.5 times Sign.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	v, err := sigv4temp.NewVerifier(func(context.Context, string) (aws.Credentials, error) { return benchCreds, nil })
	if err != nil {
		b.Fatal(err)
	}
	const target = "https://dynamodb.us-east-1.amazonaws.com/?Action=x"
	b.Run("GET/Sign", func(b *testing.B) {
		r, _ := http.NewRequest("GET", target, nil)
		b.ReportAllocs()
		for b.Loop() {
			if err := sigv4temp.Sign(ctx, r, benchCreds, "dynamodb", "us-east-1", benchTime); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GET/Verify", func(b *testing.B) {
		r, _ := http.NewRequest("GET", target, nil)
		if err := sigv4temp.Sign(ctx, r, benchCreds, "dynamodb", "us-east-1", benchTime); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(ctx, r, benchTime); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("presigned-GET/Verify", func(b *testing.B) {
		g, _ := http.NewRequest("GET", "https://bucket.s3.us-east-1.amazonaws.com/photos/cat.jpg", nil)
		u, _, err := sigv4temp.Presign(ctx, g, benchCreds, "s3", "us-east-1", benchTime, 15*time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		r, _ := http.NewRequest("GET", u, nil)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(ctx, r, benchTime); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSignStreaming: the aws-chunked encoding of 64 MiB, read to the
// end, beside the raw SHA-256 of the same bytes read through the same
// 64 KiB buffer (one copy, one hash: what the encoder cannot do without).
// Target: at least 0.8 of the raw throughput. The verifier's decoding of the
// same upload is measured beside them.
func BenchmarkSignStreaming(b *testing.B) {
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), 4<<20) // 64 MiB
	out := make([]byte, 32<<10)                             // io.Copy's buffer size
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
	b.Run("64MiB/raw-sha256", func(b *testing.B) {
		buf := make([]byte, sigv4temp.DefaultChunkSize)
		h := sha256.New()
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			h.Reset()
			src := bytes.NewReader(data)
			for {
				n, err := io.ReadFull(src, buf)
				h.Write(buf[:n])
				if err != nil {
					break
				}
			}
			h.Sum(nil)
		}
	})
	for _, tc := range []struct {
		name string
		opt  sigv4temp.StreamingOptions
	}{
		{"signed", sigv4temp.StreamingOptions{}},
		{"signed-crc32c", sigv4temp.StreamingOptions{Trailer: sigv4temp.ChecksumCRC32C}},
		{"unsigned-crc32c", sigv4temp.StreamingOptions{Trailer: sigv4temp.ChecksumCRC32C, Unsigned: true}},
	} {
		b.Run("64MiB/SignStreaming-"+tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				r, _ := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/big", bytes.NewReader(data))
				if err := sigv4temp.SignStreaming(ctx, r, benchCreds, "s3", "us-east-1", benchTime, func(o *sigv4temp.StreamingOptions) { *o = tc.opt }); err != nil {
					b.Fatal(err)
				}
				drain(r.Body)
			}
		})
	}
	b.Run("64MiB/Verify-signed", func(b *testing.B) {
		v, err := sigv4temp.NewVerifier(func(context.Context, string) (aws.Credentials, error) { return benchCreds, nil })
		if err != nil {
			b.Fatal(err)
		}
		r, _ := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/big", bytes.NewReader(data))
		if err := sigv4temp.SignStreaming(ctx, r, benchCreds, "s3", "us-east-1", benchTime); err != nil {
			b.Fatal(err)
		}
		enc, err := io.ReadAll(r.Body)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r.Body = io.NopCloser(bytes.NewReader(enc))
			vr, err := v.Verify(ctx, r, benchTime)
			if err != nil {
				b.Fatal(err)
			}
			drain(vr.Body)
		}
	})
}

// BenchmarkRatios measures each target's two sides interleaved in one loop,
// so that the load of a shared machine falls on both alike, and reports the
// ratio as a metric: verify/sign (target <= 1.5) and
// streaming/sha256-throughput (target >= 0.8).
func BenchmarkRatios(b *testing.B) {
	ctx := context.Background()
	b.Run("Verify-over-Sign/GET", func(b *testing.B) {
		v, err := sigv4temp.NewVerifier(func(context.Context, string) (aws.Credentials, error) { return benchCreds, nil })
		if err != nil {
			b.Fatal(err)
		}
		const target = "https://dynamodb.us-east-1.amazonaws.com/?Action=x"
		sr, _ := http.NewRequest("GET", target, nil)
		vr, _ := http.NewRequest("GET", target, nil)
		if err := sigv4temp.Sign(ctx, vr, benchCreds, "dynamodb", "us-east-1", benchTime); err != nil {
			b.Fatal(err)
		}
		var tSign, tVerify time.Duration
		for b.Loop() {
			start := time.Now()
			for range 100 {
				if err := sigv4temp.Sign(ctx, sr, benchCreds, "dynamodb", "us-east-1", benchTime); err != nil {
					b.Fatal(err)
				}
			}
			mid := time.Now()
			for range 100 {
				if _, err := v.Verify(ctx, vr, benchTime); err != nil {
					b.Fatal(err)
				}
			}
			tSign, tVerify = tSign+mid.Sub(start), tVerify+time.Since(mid)
		}
		b.ReportMetric(float64(tVerify)/float64(tSign), "verify/sign")
	})
	b.Run("SignStreaming-over-SHA256/64MiB", func(b *testing.B) {
		data := bytes.Repeat([]byte("0123456789abcdef"), 4<<20)
		buf := make([]byte, sigv4temp.DefaultChunkSize)
		out := make([]byte, 32<<10)
		h := sha256.New()
		var tRaw, tStream time.Duration
		for b.Loop() {
			start := time.Now()
			h.Reset()
			src := bytes.NewReader(data)
			for {
				n, err := io.ReadFull(src, buf)
				h.Write(buf[:n])
				if err != nil {
					break
				}
			}
			h.Sum(nil)
			mid := time.Now()
			r, _ := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/big", bytes.NewReader(data))
			if err := sigv4temp.SignStreaming(ctx, r, benchCreds, "s3", "us-east-1", benchTime); err != nil {
				b.Fatal(err)
			}
			for {
				if _, err := r.Body.Read(out); err != nil {
					break
				}
			}
			tRaw, tStream = tRaw+mid.Sub(start), tStream+time.Since(mid)
		}
		b.ReportMetric(float64(tRaw)/float64(tStream), "streaming/sha256-throughput")
	})
}
