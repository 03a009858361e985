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

// draw returns r(), math/rand/v2's Float64 when r is nil, forced into
// [0, 1] whatever r returns (NaN and negatives give 0).
func draw(r func() float64) float64 {
	if r == nil {
		r = rand.Float64
	}
	f := r()
	switch {
	case !(f > 0):
		return 0
	case f > 1:
		return 1
	}
	return f
}

// jitter returns draw(r)*d: never above d, never negative. A draw of 1 gives
// d itself: float64 cannot hold every Duration, and 1*float64(MaxInt64)
// would round to 2^63, which overflows.
func jitter(r func() float64, d time.Duration) time.Duration {
	f := draw(r)
	if f == 1 {
		return d
	}
	return min(d, time.Duration(f*float64(d)))
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
