package envelope_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"syscall"
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

// BenchmarkParallelStreamCPU: 0x0478 streams of 64 MiB at Concurrency 1, 2
// and 8, reporting beside the wall time the process's CPU time per
// operation (user+system, cpu-ns/op): on a loaded machine the wall time is
// noise, but the CPU time shows what the parallel path costs over the
// serial one (coordination, extra copies).
func BenchmarkParallelStreamCPU(b *testing.B) {
	const size = 64 << 20
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	chunk := make([]byte, 256<<10)
	for _, fl := range []int{4 << 10, 64 << 10} {
		serial, _ := envelope.New(k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, 1 })
		var sealed bytes.Buffer
		w, _ := serial.EncryptStream(context.Background(), &sealed, nil)
		for n := 0; n < size; n += len(chunk) {
			w.Write(chunk)
		}
		w.Close()
		msg := sealed.Bytes()
		for _, concurrency := range []int{1, 2, 8} {
			c, _ := envelope.New(k, keyARN, func(o *envelope.Options) {
				o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, concurrency
			})
			name := fmt.Sprintf("frame-%dKiB/concurrency-%d", fl>>10, concurrency)
			b.Run("EncryptStream/"+name, func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					w, err := c.EncryptStream(context.Background(), io.Discard, nil)
					if err != nil {
						b.Fatal(err)
					}
					for n := 0; n < size; n += len(chunk) {
						w.Write(chunk)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpu())/float64(b.N), "cpu-ns/op")
			})
			buf := make([]byte, 256<<10)
			b.Run("DecryptStream/"+name, func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.CopyBuffer(io.Discard, r, buf); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpu())/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// startCPU returns a function giving the process's CPU time (user and
// system) spent since startCPU was called, in nanoseconds.
func startCPU() func() int64 {
	t0 := cpuNanos()
	return func() int64 { return cpuNanos() - t0 }
}

func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
