package backoff

import (
	"math/rand/v2"
	"sync"
	"time"
)

// FullJitter is exponential backoff with full jitter, the strategy the AWS
// Architecture Blog recommends and the SDK's standard retryer uses: the
// delay after attempt n (1-based) is uniform in [0, min(Cap, Base*2^(n-1))).
//
// Rand is the source of randomness; nil means math/rand/v2's top-level
// functions (seeded by the runtime, never from the clock, safe for concurrent
// use). Base and Cap are as for Exponential. The zero value never waits.
// FullJitter is safe for concurrent use when Rand is nil; a *rand.Rand is not
// safe for concurrent use, so a FullJitter holding one serves one goroutine.
type FullJitter struct {
	Base, Cap time.Duration
	Rand      *rand.Rand
}

// Delay returns a uniform draw in [0, min(Cap, Base*2^(attempt-1))); an
// attempt below 1 counts as 1.
func (j FullJitter) Delay(attempt int) time.Duration {
	return jitter(draw(j.Rand), ceiling(j.Base, j.Cap, attempt))
}

// BackoffDelay implements retry.BackoffDelayer: Delay(attempt); err is
// ignored and the returned error is always nil.
func (j FullJitter) BackoffDelay(attempt int, err error) (time.Duration, error) {
	return j.Delay(attempt), nil
}

// EqualJitter keeps half of the exponential delay and jitters the other half:
// v/2 + uniform in [0, v/2) with v = min(Cap, Base*2^(n-1)), so it never
// waits less than half the ceiling. Fields, zero value and concurrency as for
// FullJitter.
type EqualJitter struct {
	Base, Cap time.Duration
	Rand      *rand.Rand
}

// Delay returns v/2 + uniform in [0, v/2), v = min(Cap, Base*2^(attempt-1)).
func (j EqualJitter) Delay(attempt int) time.Duration {
	v := ceiling(j.Base, j.Cap, attempt)
	half := v / 2
	return v - half + jitter(draw(j.Rand), half)
}

// BackoffDelay implements retry.BackoffDelayer: Delay(attempt); err is
// ignored and the returned error is always nil.
func (j EqualJitter) BackoffDelay(attempt int, err error) (time.Duration, error) {
	return j.Delay(attempt), nil
}

// Decorrelated is the blog's decorrelated jitter: each delay is drawn from
// the previous one, min(Cap, Base + uniform*(3*prev - Base)), with prev
// starting at Base. Base <= 0 gives no delay; Cap <= 0 means no cap. The zero
// value never waits, nor does a nil *Decorrelated.
//
// It is stateful, and meant to serve one operation: give Retry a fresh one
// per call through Policy.NewBackoff. It is nevertheless safe for concurrent
// use (a mutex guards its state and Rand), so sharing one, in Policy.Backoff
// or in the SDK's retry.NewStandard, is not a data race; the calls sharing it
// then share one random walk.
type Decorrelated struct {
	Base, Cap time.Duration
	Rand      *rand.Rand

	mu   sync.Mutex
	prev time.Duration
}

// Next returns the next delay and remembers it.
func (d *Decorrelated) Next() time.Duration {
	if d == nil || d.Base <= 0 {
		return 0
	}
	capDelay := capOrMax(d.Cap)
	if capDelay <= d.Base {
		return capDelay
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	prev := max(d.prev, d.Base)
	// In float64, so that 3*prev cannot overflow.
	v := float64(d.Base) + draw(d.Rand)*(3*float64(prev)-float64(d.Base))
	next := capDelay
	if v < float64(capDelay) {
		next = time.Duration(v)
	}
	d.prev = next
	return next
}

// BackoffDelay implements retry.BackoffDelayer: attempt 1 (or below) starts
// the walk over from Base, then it returns Next; err is ignored and the
// returned error is always nil.
func (d *Decorrelated) BackoffDelay(attempt int, err error) (time.Duration, error) {
	if d == nil {
		return 0, nil
	}
	if attempt <= 1 {
		d.mu.Lock()
		d.prev = 0
		d.mu.Unlock()
	}
	return d.Next(), nil
}
