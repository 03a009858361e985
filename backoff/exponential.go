package backoff

import (
	"math"
	"math/rand/v2"
	"time"
)

// ceiling returns min(capDelay, base*2^(attempt-1)) without overflow. An
// attempt below 1 counts as 1; base <= 0 gives 0; capDelay <= 0 means no cap
// but the largest time.Duration.
func ceiling(base, capDelay time.Duration, attempt int) time.Duration {
	if base <= 0 {
		return 0
	}
	capDelay = capOrMax(capDelay)
	shift := max(attempt, 1) - 1
	if shift >= 63 || base > capDelay>>shift {
		return capDelay
	}
	return base << shift
}

// capOrMax returns c, or the largest Duration when c <= 0 (no cap).
func capOrMax(c time.Duration) time.Duration {
	if c <= 0 {
		return math.MaxInt64
	}
	return c
}

// draw returns r.Float64(), or math/rand/v2's top-level Float64 (safe for
// concurrent use) when r is nil: uniform in [0, 1).
func draw(r *rand.Rand) float64 {
	if r == nil {
		return rand.Float64()
	}
	return r.Float64()
}

// jitter returns f*d for f in [0, 1): never above d, never negative.
// float64 cannot hold every Duration: f*float64(d) can round up to d (or to
// 2^63, which overflows, for d near the largest Duration), hence the min.
func jitter(f float64, d time.Duration) time.Duration {
	v := f * float64(d)
	if v >= float64(d) {
		return d
	}
	return time.Duration(v)
}

// Exponential is exponential backoff without jitter, the baseline of the AWS
// Architecture Blog's comparison: the delay after attempt n (1-based: the
// attempt that just failed) is min(Cap, Base*2^(n-1)).
//
// Base <= 0 gives no delay; Cap <= 0 means no cap (delays saturate at the
// largest time.Duration, never overflow). The zero value never waits. It is
// a plain value, safe for concurrent use.
type Exponential struct {
	Base, Cap time.Duration
}

// Delay returns min(Cap, Base*2^(attempt-1)); an attempt below 1 counts as 1.
func (e Exponential) Delay(attempt int) time.Duration { return ceiling(e.Base, e.Cap, attempt) }

// BackoffDelay implements retry.BackoffDelayer; err is ignored.
func (e Exponential) BackoffDelay(attempt int, err error) (time.Duration, error) {
	return e.Delay(attempt), nil
}
