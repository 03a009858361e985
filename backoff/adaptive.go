package backoff

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Limiter paces the attempts of Retry and NewTransport: Wait before every
// attempt, Observe after every answer. *Adaptive implements it.
// Implementations must be safe for concurrent use.
type Limiter interface {
	// Wait blocks until an attempt may be sent, or returns an error (the
	// context's, when it is done first).
	Wait(ctx context.Context) error
	// Observe reports the outcome of an attempt: whether it was throttled.
	Observe(throttled bool)
}

// The constants of the adaptive retry mode, as botocore's
// botocore/retries/{throttling,bucket,adaptive}.py define them and the SDKs'
// adaptive mode specifies them. Where botocore computes with one (1 - beta,
// 1 - smoothing), the result is spelled out as float64 computes it at run
// time: Go would fold the constant expression exactly (1 - 0.7 is 0.3 to Go,
// 0.30000000000000004 to botocore), and the rates would drift apart by ulps.
const (
	cubicBeta          = 0.7                 // multiplicative decrease on a throttle
	cubicOneMinusBeta  = 0.30000000000000004 // 1 - 0.7 in float64
	cubicScale         = 0.4                 // CUBIC scale constant C
	minFillRate        = 0.5                 // the bucket's minimum fill rate, requests/s
	maxRateAdjustScale = 2.0                 // the fill rate is at most twice the measured rate
	rateSmoothing      = 0.8                 // weight of the newest measured-rate bucket
	rateDecay          = 0.19999999999999996 // 1 - 0.8 in float64: weight of the history
	rateBucketScale    = 2.0                 // 1 / the measured rate's bucket width (0.5 s)
)

// AdaptiveOptions configures NewAdaptive. The zero value means the real clock.
type AdaptiveOptions struct {
	// Now returns the current time; nil means time.Now. The limiter's
	// timeline starts at the first reading, in NewAdaptive.
	Now func() time.Time
	// Sleep waits for d or until ctx is done, returning the context's error
	// then; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Adaptive is client-side rate limiting for throttled callers: the
// "adaptive" retry mode of the AWS SDKs, importable on its own. A CUBIC
// congestion controller (as in TCP) sets the fill rate of a token bucket from
// the throttling it observes: each throttle cuts the rate to 70% of the send
// rate measured when it came (of the current fill rate, if lower), and
// successes grow it back along a cubic curve, never above twice the measured
// send rate. Until the first throttle the
// bucket is not enabled and Wait never waits.
//
// The algorithm, its constants (beta 0.7, scale 0.4, minimum rate 0.5
// requests per second, measured rate smoothed 0.8 over half-second buckets)
// and its state transitions are those of botocore's adaptive mode
// (botocore/retries/adaptive.py, throttling.py, bucket.py): given the same
// sends, throttles and clock readings, Rate equals botocore's fill rate (a
// test checks it against botocore itself on thousands of random sequences).
// Time is measured in seconds from the clock reading in NewAdaptive; a step
// backwards of the clock counts as no time passing.
//
// Use one Adaptive per destination (a table, a bucket, an API), shared by
// every caller of it: it is safe for concurrent use. Wait and Observe do not
// allocate. The zero Adaptive is ready, with the real clock; its timeline
// starts at its first Wait or Observe. A nil *Adaptive limits nothing: Wait
// only checks the context, Observe does nothing and Rate is +Inf.
type Adaptive struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	start time.Time

	mu      sync.Mutex
	enabled bool
	lastT   float64 // the latest reading of seconds
	skew    float64 // the sum of the clock's backward steps, seconds

	// token bucket (bucket.py)
	fillRate, maxCapacity, capacity, lastRefill float64

	// CUBIC (throttling.py)
	wMax, k, lastFail float64

	// measured send rate (adaptive.py RateClocker)
	measured, lastBucket, count float64
}

// NewAdaptive returns an Adaptive whose timeline starts now (one clock
// reading), with the state botocore's register_retry_handler builds: fill
// rate 1, capacity 0, CUBIC maximum 0, not enabled.
func NewAdaptive(optFns ...func(*AdaptiveOptions)) *Adaptive {
	var o AdaptiveOptions
	for _, fn := range optFns {
		fn(&o)
	}
	a := &Adaptive{now: o.Now, sleep: o.Sleep}
	if a.now == nil {
		a.now = time.Now
	}
	if a.sleep == nil {
		a.sleep = timerSleep
	}
	a.start = a.now()
	// TokenBucket(max_rate=1): fill rate 1, max capacity 1, capacity 0.
	a.fillRate, a.maxCapacity = 1, 1
	// CubicCalculator(starting_max_rate=0, start_time=now): k = 0.
	a.k = a.zeroPoint()
	// RateClocker: last bucket = floor(now).
	a.lastBucket = 0
	return a
}

// ready sets a zero Adaptive up on its first use as NewAdaptive() would.
// Called with mu held.
func (a *Adaptive) ready() {
	if a.now != nil {
		return
	}
	a.now, a.sleep = time.Now, timerSleep
	a.start = a.now()
	a.fillRate, a.maxCapacity = 1, 1
}

// seconds returns the time since NewAdaptive in seconds, never less than
// the last reading: a clock that steps backwards (a Now without a monotonic
// reading, corrected by NTP) counts the step as no time passing, and the
// time after it from there, instead of putting the bucket in debt for as long
// as the step. Called with mu held.
func (a *Adaptive) seconds() float64 {
	t := float64(a.now().Sub(a.start))/float64(time.Second) + a.skew
	if t < a.lastT {
		a.skew += a.lastT - t
		t = a.lastT
	}
	a.lastT = t
	return t
}

// Rate returns the current fill rate of the token bucket in requests per
// second, or +Inf while the bucket is not enabled (before the first
// throttle).
func (a *Adaptive) Rate() float64 {
	if a == nil {
		return math.Inf(1)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.enabled {
		return math.Inf(1)
	}
	return a.fillRate
}

// Wait takes one send token, sleeping until the bucket holds one; it returns
// at once while the bucket is not enabled. It returns early with an error
// matching the context's error when the context is done (before or during
// the wait: no token is then taken), or when the wait
// would end after the context's deadline (the token is then not taken).
func (a *Adaptive) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil || a == nil {
		return err
	}
	a.mu.Lock()
	a.ready()
	for {
		if !a.enabled {
			a.mu.Unlock()
			return nil
		}
		t := a.seconds()
		a.refill(t)
		if a.capacity >= 1 {
			a.capacity--
			a.mu.Unlock()
			return nil
		}
		secs := (1 - a.capacity) / a.fillRate
		a.mu.Unlock()
		d := time.Duration(math.Ceil(secs * float64(time.Second)))
		if err := ctx.Err(); err != nil {
			return err
		}
		if deadline, ok := ctx.Deadline(); ok && !a.now().Add(d).Before(deadline) {
			return fmt.Errorf("backoff: adaptive limiter would wait %v, past the context deadline: %w", d, context.DeadlineExceeded)
		}
		if err := a.sleep(ctx, d); err != nil {
			return err
		}
		a.mu.Lock()
	}
}

// Observe reports the answer to an attempt: throttled or not. It measures
// the send rate, moves the CUBIC rate, and enables the bucket on the first
// throttle.
func (a *Adaptive) Observe(throttled bool) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ready()
	t := a.seconds()
	measured := a.record(t)
	var newRate float64
	if !throttled {
		// The explicit conversions keep each product rounded, as botocore
		// computes it (the Go spec lets a compiler fuse a*b+c otherwise).
		// botocore's ** 3 is C's pow, correctly rounded; d*d*d rounds twice
		// and may differ in the last bit, far inside the 1e-9 agreement,
		// for a third of math.Pow's cost.
		d := t - a.lastFail - a.k
		newRate = float64(cubicScale*float64(float64(d*d)*d)) + a.wMax
	} else {
		rateToUse := measured
		if a.enabled {
			rateToUse = min(measured, a.fillRate)
		}
		a.wMax = rateToUse
		a.k = a.zeroPoint()
		a.lastFail = t
		newRate = rateToUse * cubicBeta
		a.enabled = true
	}
	a.setRate(min(newRate, maxRateAdjustScale*measured), t)
}

// zeroPoint is CUBIC's K: the time to grow back to wMax.
func (a *Adaptive) zeroPoint() float64 {
	return math.Pow(a.wMax*cubicOneMinusBeta/cubicScale, 1/3.0)
}

// record counts one answer and returns the smoothed measured rate
// (RateClocker.record).
func (a *Adaptive) record(t float64) float64 {
	bucket := math.Floor(t*rateBucketScale) / rateBucketScale
	a.count++
	if bucket > a.lastBucket {
		current := a.count / (bucket - a.lastBucket)
		a.measured = float64(current*rateSmoothing) + float64(a.measured*rateDecay)
		a.count = 0
		a.lastBucket = bucket
	}
	return a.measured
}

// refill adds the tokens earned since the last refill (TokenBucket._refill).
func (a *Adaptive) refill(t float64) {
	a.capacity = min(a.maxCapacity, a.capacity+float64((t-a.lastRefill)*a.fillRate))
	a.lastRefill = t
}

// setRate sets the fill rate (TokenBucket.max_rate's setter): refill at the
// old rate first, then at least minFillRate, capacity at most max(rate, 1).
func (a *Adaptive) setRate(rate, t float64) {
	a.refill(t)
	a.fillRate = max(rate, minFillRate)
	if rate >= 1 {
		a.maxCapacity = rate
	} else {
		a.maxCapacity = 1
	}
	a.capacity = min(a.capacity, a.maxCapacity)
}
