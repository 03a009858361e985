package interop

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/awskit/awskit/backoff"
)

// BenchmarkLimiterWait compares one uncontended send through backoff.Adaptive
// (Wait before it, Observe after it) with golang.org/x/time/rate's
// Limiter.Wait, the limiter a Go user would otherwise pick, in the same run.
// rate.Limiter has nothing to observe, so its row is Wait alone; Adaptive's
// rows are also split into Wait and Observe.
func BenchmarkLimiterWait(b *testing.B) {
	ctx := context.Background()
	b.Run("awskit-Adaptive-Wait+Observe-disabled", func(b *testing.B) {
		// No throttle seen yet: the bucket is off, as for most traffic.
		a := backoff.NewAdaptive()
		b.ReportAllocs()
		for b.Loop() {
			if err := a.Wait(ctx); err != nil {
				b.Fatal(err)
			}
			a.Observe(false)
		}
	})
	// enabled returns an Adaptive whose bucket is on (one throttle) and whose
	// fake clock moves 2 s per reading, so the bucket always holds a token:
	// the cost of the enabled path without sleeping.
	enabled := func() *backoff.Adaptive {
		now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
		a := backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) {
			o.Now = func() time.Time { now = now.Add(2 * time.Second); return now }
			o.Sleep = func(ctx context.Context, d time.Duration) error { now = now.Add(d); return nil }
		})
		a.Observe(true)
		return a
	}
	b.Run("awskit-Adaptive-Wait+Observe-enabled", func(b *testing.B) {
		a := enabled()
		b.ReportAllocs()
		for b.Loop() {
			if err := a.Wait(ctx); err != nil {
				b.Fatal(err)
			}
			a.Observe(false)
		}
	})
	b.Run("awskit-Adaptive-Wait-enabled", func(b *testing.B) {
		a := enabled()
		b.ReportAllocs()
		for b.Loop() {
			if err := a.Wait(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("awskit-Adaptive-Observe", func(b *testing.B) {
		a := enabled()
		b.ReportAllocs()
		for b.Loop() {
			a.Observe(false)
		}
	})
	b.Run("x-time-rate-Limiter-Wait", func(b *testing.B) {
		// A rate high enough never to wait: the uncontended path.
		l := rate.NewLimiter(rate.Limit(1e12), 1e9)
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Wait(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
