package envelope_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// BenchmarkStreamParallelThreshold: 0x0478 streams of a few sizes at
// Concurrency 1 and the default, going parallel after 0 bytes or after the
// default threshold: the measurement that chose parallelStreamAfter.
func BenchmarkStreamParallelThreshold(b *testing.B) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	chunk := make([]byte, 256<<10)
	for _, fl := range []int{4 << 10, 64 << 10} {
		for _, size := range []int{16 << 10, 64 << 10, 256 << 10, 1 << 20, 16 << 20} {
			for _, mode := range []string{"serial", "after-0", "after-default"} {
				concurrency := 0
				if mode == "serial" {
					concurrency = 1
				}
				c, _ := envelope.New(k, keyARN, func(o *envelope.Options) {
					o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, concurrency
				})
				var sealed bytes.Buffer
				w, _ := c.EncryptStream(context.Background(), &sealed, nil)
				w.Write(make([]byte, size))
				w.Close()
				msg := sealed.Bytes()
				name := fmt.Sprintf("frame-%dKiB/%dKiB/%s", fl>>10, size>>10, mode)
				run := func(b *testing.B, f func()) {
					if mode == "after-0" {
						defer envelope.SetParallelStreamAfter(0)()
					}
					b.SetBytes(int64(size))
					b.ReportAllocs()
					for b.Loop() {
						f()
					}
				}
				b.Run("EncryptStream/"+name, func(b *testing.B) {
					run(b, func() {
						w, err := c.EncryptStream(context.Background(), io.Discard, nil)
						if err != nil {
							b.Fatal(err)
						}
						for n := 0; n < size; n += len(chunk) {
							w.Write(chunk[:min(len(chunk), size-n)])
						}
						if err := w.Close(); err != nil {
							b.Fatal(err)
						}
					})
				})
				buf := make([]byte, 256<<10)
				b.Run("DecryptStream/"+name, func(b *testing.B) {
					run(b, func() {
						r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := io.CopyBuffer(io.Discard, r, buf); err != nil {
							b.Fatal(err)
						}
					})
				})
			}
		}
	}
}
