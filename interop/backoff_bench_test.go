package interop

import (
	"math/rand/v2"
	"testing"
	"time"

	cenkalti "github.com/cenkalti/backoff/v5"

	"github.com/awskit/awskit/backoff"
)

var sinkDelay time.Duration

// BenchmarkBackoffDelay compares a jittered delay from awskit with
// cenkalti/backoff v5's NextBackOff, the general Go library a user would
// otherwise pick, in the same run.
func BenchmarkBackoffDelay(b *testing.B) {
	b.Run("awskit-FullJitter", func(b *testing.B) {
		r := rand.New(rand.NewPCG(1, 2))
		j := backoff.FullJitter{Base: 500 * time.Millisecond, Cap: time.Minute, Rand: r}
		b.ReportAllocs()
		attempt := 0
		for b.Loop() {
			attempt = attempt%6 + 1
			sinkDelay = j.Delay(attempt)
		}
	})
	b.Run("awskit-EqualJitter", func(b *testing.B) {
		r := rand.New(rand.NewPCG(1, 2))
		j := backoff.EqualJitter{Base: 500 * time.Millisecond, Cap: time.Minute, Rand: r}
		b.ReportAllocs()
		attempt := 0
		for b.Loop() {
			attempt = attempt%6 + 1
			sinkDelay = j.Delay(attempt)
		}
	})
	b.Run("cenkalti-v5-NextBackOff", func(b *testing.B) {
		e := cenkalti.NewExponentialBackOff()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if n++; n%6 == 0 {
				e.Reset()
			}
			sinkDelay = e.NextBackOff()
		}
	})
}

// TestCenkaltiComparable checks the peer runs the same kind of schedule
// (randomised, growing) so the benchmark compares like with like.
func TestCenkaltiComparable(t *testing.T) {
	e := cenkalti.NewExponentialBackOff()
	first := e.NextBackOff()
	for range 5 {
		e.NextBackOff()
	}
	if later := e.NextBackOff(); later <= first {
		t.Fatalf("cenkalti backoff did not grow: %v then %v", first, later)
	}
	j := backoff.FullJitter{Base: 500 * time.Millisecond, Cap: time.Minute, Rand: rand.New(rand.NewPCG(1, 2))}
	if d := j.Delay(6); d < 0 || d >= 16*time.Second {
		t.Fatalf("FullJitter.Delay(6) = %v, want [0, 16s)", d)
	}
}
