package backoff_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/awskit/awskit/backoff"
)

var sinkDelay time.Duration

// BenchmarkDelay: each strategy at attempt 3 (below every cap, so that each
// draws a random number; the SDK returns its cap without one from attempt 5),
// beside the SDK's own jittered
// backoff in the same run. The cenkalti/backoff v5 peer is in the interop
// module (interop/backoff_bench_test.go), to keep its dependency out of go.mod.
func BenchmarkDelay(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	strategies := []struct {
		name string
		d    retry.BackoffDelayer
	}{
		{"Exponential", backoff.Exponential{Base: 50 * time.Millisecond, Cap: 20 * time.Second}},
		{"FullJitter", backoff.FullJitter{Base: 50 * time.Millisecond, Cap: 20 * time.Second, Rand: r}},
		{"FullJitter-globalrand", backoff.FullJitter{Base: 50 * time.Millisecond, Cap: 20 * time.Second}},
		{"EqualJitter", backoff.EqualJitter{Base: 50 * time.Millisecond, Cap: 20 * time.Second, Rand: r}},
		{"Decorrelated", &backoff.Decorrelated{Base: 50 * time.Millisecond, Cap: 20 * time.Second, Rand: r}},
		{"sdk-ExponentialJitterBackoff", retry.NewExponentialJitterBackoff(20 * time.Second)},
	}
	for _, s := range strategies {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, err := s.d.BackoffDelay(3, nil)
				if err != nil {
					b.Fatal(err)
				}
				sinkDelay = d
			}
		})
	}
}
