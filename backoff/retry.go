package backoff

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Defaults of Policy, following aws-sdk-go-v2 v1.48.0's standard retryer
// ("Retry Behavior 2.1"): 3 attempts; full jitter from a 50 ms base (1 s
// after a throttling error: aws/retry/jitter_backoff.go) capped at 20 s; and
// a retry budget in which a retry costs 14 tokens (DefaultRetryCost), a retry
// after a throttling error retry.DefaultThrottlingRetryCost (5), and a
// success on the first attempt returns retry.DefaultNoRetryIncrement (1). The
// SDK's bucket holds retry.DefaultRetryRateTokens (500).
const (
	DefaultMaxAttempts  = retry.DefaultMaxAttempts
	DefaultBase         = 50 * time.Millisecond
	DefaultThrottleBase = time.Second
	DefaultCap          = retry.DefaultMaxBackoff
	// DefaultRetryCost is what the SDK's standard retryer takes per retry
	// not caused by throttling in v1.48.0: 14 tokens. The SDK keeps this
	// figure unexported (defaultRetryCost); its exported
	// retry.DefaultRetryCost (5) is the deprecated legacy cost.
	DefaultRetryCost uint = 14
)

// Why Retry stopped; the Err of an *Error wraps exactly one of these (or the
// Backoff's own error).
var (
	// ErrAttemptsExhausted: MaxAttempts attempts all failed with retryable errors.
	ErrAttemptsExhausted = errors.New("backoff: attempts exhausted")
	// ErrNotRetryable: the operation failed with an error Retryable rejects.
	ErrNotRetryable = errors.New("backoff: error not retryable")
	// ErrContextDone: the context ended; the Err also wraps the context's
	// cause (context.Cause) and its error (context.Canceled or
	// context.DeadlineExceeded).
	ErrContextDone = errors.New("backoff: context done")
	// ErrDeadline: the next attempt would start after the context's deadline,
	// so Retry stopped at once instead of sleeping into it.
	ErrDeadline = errors.New("backoff: next attempt would start after the context deadline")
	// ErrBudgetExhausted: the retry budget had no tokens for another retry.
	// The Err also wraps the budget's error (ratelimit.QuotaExceededError).
	ErrBudgetExhausted = errors.New("backoff: retry budget exhausted")
	// ErrLimiter: Policy.Limiter's Wait failed before an attempt; the Err
	// also wraps Wait's error (the context's error for an *Adaptive) and,
	// when the context is done, its cause (context.Cause).
	ErrLimiter = errors.New("backoff: limiter refused an attempt")
	// ErrInvalidPolicy: the Policy sets both Backoff and NewBackoff.
	ErrInvalidPolicy = errors.New("backoff: invalid policy")
)

// Policy says how Retry retries. The zero value is usable: 3 attempts, full
// jitter (50 ms base, 1 s after throttling, 20 s cap), IsRetryable, no budget,
// no limiter.
//
// A Policy is a value built once and read-only to Retry, like the SDK's
// retryer, so Retry takes it by value rather than as per-call options. It may
// be shared by concurrent calls: what it holds (Backoff, ThrottleBackoff,
// Budget, Limiter, callbacks) must then be safe for concurrent use. A
// strategy that keeps state per operation, or holds a *rand.Rand (not safe
// for concurrent use), belongs in NewBackoff, which gives each call its own.
type Policy struct {
	// MaxAttempts counts attempts including the first; 0 means
	// DefaultMaxAttempts, below 0 means 1 (no retry).
	MaxAttempts int
	// Backoff gives the delay after a failed attempt (attempt is 1-based)
	// whose error is not throttling; nil means FullJitter{Base: DefaultBase,
	// Cap: DefaultCap}. Any retry.BackoffDelayer works, the SDK's own
	// included. It serves every call sharing the Policy.
	Backoff retry.BackoffDelayer
	// NewBackoff, when set, is called once at the start of every Retry call
	// and its result plays the part of Backoff for that call alone, so it may
	// keep state between attempts (as Decorrelated does) or hold a
	// *rand.Rand. Setting both Backoff and NewBackoff is an error
	// (ErrInvalidPolicy), before any attempt.
	NewBackoff func() retry.BackoffDelayer
	// ThrottleBackoff gives the delay after an attempt that failed with a
	// throttling error (IsThrottle); nil means FullJitter{Base:
	// DefaultThrottleBase, Cap: DefaultCap}, whatever Backoff is: the SDK
	// backs off throttling from a 1 s base. It serves every call sharing the
	// Policy.
	ThrottleBackoff retry.BackoffDelayer
	// Retryable decides whether an error is worth another attempt; nil means
	// IsRetryable.
	Retryable func(error) bool

	// Budget, when set, is a token bucket shared by many calls, so that a
	// failing dependency does not multiply load: each retry takes RetryCost
	// tokens (ThrottlingRetryCost after a throttling error), and is refused
	// with ErrBudgetExhausted when the bucket is short; a retry that succeeds
	// gives its tokens back, and a first attempt that succeeds adds
	// NoRetryIncrement. Use the SDK's bucket:
	// ratelimit.NewTokenRateLimit(retry.DefaultRetryRateTokens). nil means no
	// budget.
	Budget retry.RateLimiter
	// RetryCost, ThrottlingRetryCost and NoRetryIncrement, named as in the
	// SDK's retry.StandardOptions: 0 means DefaultRetryCost,
	// retry.DefaultThrottlingRetryCost and retry.DefaultNoRetryIncrement.
	RetryCost, ThrottlingRetryCost, NoRetryIncrement uint

	// Limiter, when set, paces attempts: Retry calls its Wait before every
	// attempt, the first included, and its Observe after every attempt with
	// whether the attempt failed with a throttling error (IsThrottle). Use
	// one *Adaptive per destination, shared by every call to it. A failed
	// Wait stops Retry with ErrLimiter (and Wait's error, which for an
	// *Adaptive is the context's, and the context's cause when it is done).
	Limiter Limiter

	// OnRetry, when set, is called before each wait with the attempt that
	// failed (1-based), the delay about to be slept and the error.
	OnRetry func(attempt int, delay time.Duration, err error)
	// Sleep waits for d or until ctx is done, returning ctx.Err() then; nil
	// means a timer. Tests pass a fake to run in microseconds.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now returns the current time, for the deadline check and Retry-After
	// dates; nil means time.Now.
	Now func() time.Time
}

// Error is the error of a Retry that gave up. Both the reason it stopped
// (errors.Is with ErrAttemptsExhausted, ErrNotRetryable, ErrContextDone,
// context.Canceled, ...) and the last operation error (errors.Is/As with it,
// e.g. smithy.APIError) are reachable from it.
type Error struct {
	Attempts int   // attempts made, the first included
	Err      error // why Retry stopped: wraps one of the Err* sentinels
	Last     error // the error of the last attempt; nil if none was made
}

// Error returns "backoff: REASON after N attempts: LAST".
func (e *Error) Error() string {
	if e.Last == nil {
		return fmt.Sprintf("%v after %d attempts", e.Err, e.Attempts)
	}
	return fmt.Sprintf("%v after %d attempts: %v", e.Err, e.Attempts, e.Last)
}

// Unwrap returns the reason and the last operation error, leaving out a nil
// one (the errors package forbids nil in an Unwrap slice).
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	for _, err := range []error{e.Err, e.Last} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Retry calls op until it succeeds or Retry gives up, and returns nil or an
// *Error. It gives up when op's error is not retryable, after MaxAttempts
// attempts, when the context is done (it checks after every attempt and
// during every wait), when the next attempt would start after the context's
// deadline (it never sleeps past it), when the retry budget is exhausted, or
// when the Limiter's Wait fails.
//
// The delay after a failed attempt is Backoff's (ThrottleBackoff's after a
// throttling error), lengthened by a retry-after hint the error's HTTP
// response carries (x-amz-retry-after in milliseconds, else Retry-After in
// seconds or as an HTTP-date) to at most 5 s more, as the SDK clamps
// x-amz-retry-after. The HTTP response is found through the SDK's
// *awshttp.ResponseError, or any error in the chain with a method
// HTTPResponse() *http.Response. No delay is ever negative.
func Retry(ctx context.Context, p Policy, op func(context.Context) error) error {
	_, err := RetryValue(ctx, p, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, op(ctx)
	})
	return err
}

// RetryValue is Retry for an operation that returns a value: the value of the
// successful attempt, or the zero T and an *Error.
func RetryValue[T any](ctx context.Context, p Policy, op func(context.Context) (T, error)) (T, error) {
	var zero T
	maxAttempts := p.MaxAttempts
	switch {
	case maxAttempts == 0:
		maxAttempts = DefaultMaxAttempts
	case maxAttempts < 0:
		maxAttempts = 1
	}
	bo := p.Backoff
	if p.NewBackoff != nil {
		if bo != nil {
			return zero, &Error{Err: fmt.Errorf("%w: both Backoff and NewBackoff are set", ErrInvalidPolicy)}
		}
		bo = p.NewBackoff()
	}
	if bo == nil {
		bo = FullJitter{Base: DefaultBase, Cap: DefaultCap}
	}
	throttleBo := p.ThrottleBackoff
	if throttleBo == nil {
		throttleBo = FullJitter{Base: DefaultThrottleBase, Cap: DefaultCap}
	}
	retryable := p.Retryable
	if retryable == nil {
		retryable = IsRetryable
	}
	sleep := p.Sleep
	if sleep == nil {
		sleep = timerSleep
	}
	now := p.Now
	if now == nil {
		now = time.Now
	}
	var release func() error // refund of the token taken for the current retry
	var err error            // of the last attempt
	for attempt := 1; ; attempt++ {
		if p.Limiter != nil {
			if werr := p.Limiter.Wait(ctx); werr != nil {
				reason := fmt.Errorf("%w: %w", ErrLimiter, werr)
				if cause := context.Cause(ctx); cause != nil && !errors.Is(werr, cause) {
					reason = fmt.Errorf("%w: %w (%w)", ErrLimiter, werr, cause)
				}
				return zero, &Error{Attempts: attempt - 1, Err: reason, Last: err}
			}
		}
		var v T
		v, err = op(ctx)
		if p.Limiter != nil {
			p.Limiter.Observe(err != nil && IsThrottle(err))
		}
		if err == nil {
			if p.Budget != nil {
				if release != nil {
					_ = release() // the SDK's bucket never fails a refund
				} else {
					_ = p.Budget.AddTokens(orDefault(p.NoRetryIncrement, retry.DefaultNoRetryIncrement))
				}
			}
			return v, nil
		}
		release = nil
		fail := func(reason error) (T, error) { return zero, &Error{Attempts: attempt, Err: reason, Last: err} }
		if ctx.Err() != nil {
			return fail(contextDone(ctx))
		}
		if !retryable(err) {
			return fail(ErrNotRetryable)
		}
		if attempt >= maxAttempts {
			return fail(ErrAttemptsExhausted)
		}
		throttle := IsThrottle(err)
		strategy := bo
		if throttle {
			strategy = throttleBo
		}
		delay, derr := strategy.BackoffDelay(attempt, err)
		if derr != nil {
			return fail(fmt.Errorf("backoff: delay: %w", derr))
		}
		delay = retryAfter(max(delay, 0), err, now)
		if deadline, ok := ctx.Deadline(); ok && !now().Add(delay).Before(deadline) {
			return fail(ErrDeadline)
		}
		if p.Budget != nil {
			cost := orDefault(p.RetryCost, DefaultRetryCost)
			if throttle {
				cost = orDefault(p.ThrottlingRetryCost, retry.DefaultThrottlingRetryCost)
			}
			rel, berr := p.Budget.GetToken(ctx, cost)
			if berr != nil {
				return fail(fmt.Errorf("%w: %w", ErrBudgetExhausted, berr))
			}
			release = rel
		}
		if p.OnRetry != nil {
			p.OnRetry(attempt, delay, err)
		}
		if serr := sleep(ctx, delay); serr != nil {
			if ctx.Err() != nil {
				return fail(contextDone(ctx))
			}
			return fail(fmt.Errorf("%w: %w", ErrContextDone, serr))
		}
	}
}

// contextDone is the reason for a done context: ErrContextDone, the
// context's cause (context.Cause) and its error, when they differ.
func contextDone(ctx context.Context) error {
	cerr, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || cause == cerr {
		return fmt.Errorf("%w: %w", ErrContextDone, cerr)
	}
	return fmt.Errorf("%w: %w (%w)", ErrContextDone, cause, cerr)
}

// maxRetryAfterExtra is how much a retry-after header may lengthen a delay,
// as the SDK clamps x-amz-retry-after (aws/retry/middleware.go,
// adjustForRetryAfterHeader, v1.48.0): to [d, d+5s].
const maxRetryAfterExtra = 5 * time.Second

// retryAfter adjusts delay d by the response's x-amz-retry-after header
// (milliseconds), or else its Retry-After header (delta-seconds or an
// HTTP-date, counted from now()), clamped to [d, d+5s] as the SDK clamps
// x-amz-retry-after, whatever the value. The sum saturates at the largest
// Duration. Errors without an HTTP response, and invalid values (negative,
// not a number, not a date), leave d unchanged.
func retryAfter(d time.Duration, err error, now func() time.Time) time.Duration {
	var v interface{ HTTPResponse() *http.Response }
	var re *awshttp.ResponseError
	var h http.Header
	switch {
	case errors.As(err, &re) && re.Response != nil && re.Response.Response != nil:
		h = re.Response.Header
	case errors.As(err, &v) && v.HTTPResponse() != nil:
		h = v.HTTPResponse().Header
	default:
		return d
	}
	after, ok := parseRetryAfter(h, now)
	if !ok {
		return d
	}
	hi := time.Duration(math.MaxInt64)
	if d <= hi-maxRetryAfterExtra {
		hi = d + maxRetryAfterExtra
	}
	return min(max(after, d), hi)
}

// parseRetryAfter reads x-amz-retry-after, else Retry-After, saturating at
// the largest Duration.
func parseRetryAfter(h http.Header, now func() time.Time) (time.Duration, bool) {
	if v := h.Get("X-Amz-Retry-After"); v != "" {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms < 0 {
			return 0, false
		}
		if ms > math.MaxInt64/int64(time.Millisecond) {
			return math.MaxInt64, true
		}
		return time.Duration(ms) * time.Millisecond, true
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > math.MaxInt64/int64(time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(s) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now()), 0), true
}

func orDefault(v, d uint) uint {
	if v == 0 {
		return d
	}
	return v
}

func timerSleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
