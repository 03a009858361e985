package backoff

import "time"

// FullJitter is exponential backoff with full jitter, the strategy the AWS
// Architecture Blog recommends: the delay after attempt n (1-based) is
// Rand() * min(Cap, Base*2^(n-1)), uniform in [0, that ceiling).
//
// Rand returns values in [0, 1); nil means math/rand/v2's Float64 (seeded by
// the runtime, never from the clock). Base and Cap are as for Exponential.
// The zero value never waits. FullJitter is safe for concurrent use when Rand
// is.
type FullJitter struct {
	Base, Cap time.Duration
	Rand      func() float64
}

// Delay returns Rand() * min(Cap, Base*2^(attempt-1)).
func (j FullJitter) Delay(attempt int) time.Duration {
	return jitter(j.Rand, ceiling(j.Base, j.Cap, attempt))
}

// BackoffDelay implements retry.BackoffDelayer; err is ignored.
func (j FullJitter) BackoffDelay(attempt int, err error) (time.Duration, error) {
	return j.Delay(attempt), nil
}

// EqualJitter keeps half of the exponential delay and jitters the other half:
// v/2 + Rand()*v/2 with v = min(Cap, Base*2^(n-1)), so it never waits less
// than half the ceiling. Fields, zero value and concurrency as for FullJitter.
type EqualJitter struct {
	Base, Cap time.Duration
	Rand      func() float64
}

// Delay returns v/2 + Rand()*v/2, v = min(Cap, Base*2^(attempt-1)).
func (j EqualJitter) Delay(attempt int) time.Duration {
	v := ceiling(j.Base, j.Cap, attempt)
	half := v / 2
	return v - half + jitter(j.Rand, half)
}

// BackoffDelay implements retry.BackoffDelayer; err is ignored.
func (j EqualJitter) BackoffDelay(attempt int, err error) (time.Duration, error) {
	return j.Delay(attempt), nil
}

// Decorrelated is the blog's decorrelated jitter: each delay is drawn from
// the previous one, min(Cap, Base + Rand()*(3*prev - Base)), with prev
// starting at Base. It is stateful: use one per operation. Retry copies it
// (state reset) for every call when Policy.Backoff is a *Decorrelated, so one
// Policy serves many operations; it must not be shared otherwise, and is not
// safe for concurrent use. Do not give it to retry.NewStandard, whose backoff
// serves every request of a client.
//
// Base <= 0 gives no delay; Cap <= 0 means no cap. The zero value never waits.
type Decorrelated struct {
	Base, Cap time.Duration
	Rand      func() float64

	prev time.Duration
}

// Next returns the next delay and remembers it.
func (d *Decorrelated) Next() time.Duration {
	if d.Base <= 0 {
		return 0
	}
	capDelay := capOrMax(d.Cap)
	if capDelay <= d.Base {
		d.prev = capDelay
		return capDelay
	}
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

// Reset forgets the previous delay, so the next one starts from Base.
func (d *Decorrelated) Reset() { d.prev = 0 }

// BackoffDelay implements retry.BackoffDelayer: attempt 1 resets the state,
// then it returns Next; err is ignored.
func (d *Decorrelated) BackoffDelay(attempt int, err error) (time.Duration, error) {
	if attempt <= 1 {
		d.Reset()
	}
	return d.Next(), nil
}
