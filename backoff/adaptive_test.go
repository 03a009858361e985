package backoff_test

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// adaptiveClock is a fake clock for Adaptive: Sleep moves it.
type adaptiveClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *adaptiveClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *adaptiveClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
func (c *adaptiveClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

func newTestAdaptive(c *adaptiveClock) *backoff.Adaptive {
	return backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) { o.Now = c.Now; o.Sleep = c.Sleep })
}

func TestAdaptiveDisabledUntilThrottled(t *testing.T) {
	c := &adaptiveClock{now: time.Unix(1_800_000_000, 0)}
	a := newTestAdaptive(c)
	assert.True(t, math.IsInf(a.Rate(), 1), "Rate before the first throttle")
	for range 100 {
		require.NoError(t, a.Wait(context.Background()))
		a.Observe(false)
		c.Advance(10 * ms)
	}
	assert.True(t, math.IsInf(a.Rate(), 1), "successes alone never enable the bucket")
	assert.Empty(t, c.slept, "Wait never waits while disabled")
	a.Observe(true)
	assert.False(t, math.IsInf(a.Rate(), 1))
	// Measured about 100 requests/s; the throttle cuts to 70% of it.
	assert.InDelta(t, 70, a.Rate(), 15)
}

// Under sustained throttling the rate falls to the 0.5 requests/s floor, and
// Wait spaces sends by the fill rate.
func TestAdaptiveThrottlingSlowsSends(t *testing.T) {
	c := &adaptiveClock{now: time.Unix(1_800_000_000, 0)}
	a := newTestAdaptive(c)
	for range 200 {
		require.NoError(t, a.Wait(context.Background()))
		c.Advance(ms)
		a.Observe(true)
	}
	assert.Equal(t, 0.5, a.Rate(), "the minimum fill rate")
	c.slept = nil
	start := c.Now()
	for range 3 {
		require.NoError(t, a.Wait(context.Background()))
	}
	assert.GreaterOrEqual(t, c.Now().Sub(start), 4*time.Second, "3 tokens at 0.5/s from a near-empty bucket")
	// Successes grow the rate back along the cubic curve.
	for range 50 {
		c.Advance(200 * ms)
		a.Observe(false)
	}
	assert.Greater(t, a.Rate(), 0.5)
}

func TestAdaptiveWaitHonoursContext(t *testing.T) {
	c := &adaptiveClock{now: time.Unix(1_800_000_000, 0)}
	a := newTestAdaptive(c)
	a.Observe(true) // enabled, rate 0.5, bucket empty
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, a.Wait(ctx), context.Canceled, "a done context returns at once")
	assert.Empty(t, c.slept)

	// A wait that would end after the deadline returns at once.
	real := backoff.NewAdaptive()
	real.Observe(true) // rate 0.5/s, bucket empty
	require.Equal(t, 0.5, real.Rate())
	dctx, dcancel := context.WithTimeout(context.Background(), 50*ms)
	defer dcancel()
	start := time.Now()
	err := real.Wait(dctx) // needs up to 2 s at 0.5 tokens/s
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second, "returned before sleeping into the deadline")

	// Cancelled during the sleep: the timer sleep returns the context's error.
	cctx, ccancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * ms); ccancel() }()
	err = real.Wait(cctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestAdaptiveConcurrent(t *testing.T) {
	c := &adaptiveClock{now: time.Unix(1_800_000_000, 0)}
	a := newTestAdaptive(c)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if a.Wait(context.Background()) != nil {
					t.Error("Wait failed")
					return
				}
				c.Advance(ms)
				a.Observe((i+g)%7 == 0)
				_ = a.Rate()
			}
		}()
	}
	wg.Wait()
	r := a.Rate()
	assert.True(t, r >= 0.5 && !math.IsInf(r, 0) && !math.IsNaN(r), "%v", r)
}

func TestAdaptiveAllocationFree(t *testing.T) {
	c := &adaptiveClock{now: time.Unix(1_800_000_000, 0)}
	a := newTestAdaptive(c)
	ctx := context.Background()
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		i++
		_ = a.Wait(ctx)
		c.now = c.now.Add(ms)
		a.Observe(i%5 == 0)
	})
	assert.Zero(t, allocs)
}

// countingLimiter records what Retry tells a Limiter.
type countingLimiter struct {
	waits    int
	observed []bool
	failAt   int // the Wait number that fails, 0 = never
	err      error
}

func (l *countingLimiter) Wait(ctx context.Context) error {
	l.waits++
	if l.waits == l.failAt {
		return l.err
	}
	return nil
}
func (l *countingLimiter) Observe(throttled bool) { l.observed = append(l.observed, throttled) }

var _ backoff.Limiter = (*backoff.Adaptive)(nil)

// Issue 17.2: Retry waits before every attempt and reports every outcome,
// throttle or not; a failed Wait stops it with ErrLimiter and the context's
// error.
func TestRetryWithLimiter(t *testing.T) {
	c := &fakeClock{}
	l := &countingLimiter{}
	p := policy(c)
	p.Limiter = l
	p.MaxAttempts = 5
	transient := &smithy.GenericAPIError{Code: "RequestTimeout"}
	errs := []error{throttled, transient, throttled, nil}
	n := 0
	require.NoError(t, backoff.Retry(context.Background(), p, func(context.Context) error { n++; return errs[n-1] }))
	assert.Equal(t, 4, l.waits)
	assert.Equal(t, []bool{true, false, true, false}, l.observed)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l2 := &countingLimiter{failAt: 2, err: context.Canceled}
	p.Limiter = l2
	calls := 0
	err := backoff.Retry(context.Background(), p, func(context.Context) error { calls++; return throttled })
	assert.Equal(t, 1, calls)
	assert.ErrorIs(t, err, backoff.ErrLimiter)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, throttled, "the last attempt's error stays reachable")
	var e *backoff.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts)

	// With a real Adaptive and a done context, no attempt is made.
	a := backoff.NewAdaptive()
	a.Observe(true)
	p.Limiter = a
	calls = 0
	err = backoff.Retry(ctx, p, func(context.Context) error { calls++; return nil })
	assert.Zero(t, calls)
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, errors.Is(err, backoff.ErrLimiter))
}
