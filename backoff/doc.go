// Package backoff provides exponential backoff with jitter exactly as the AWS
// Architecture Blog published it ("Exponential Backoff And Jitter", 2015), a
// retry loop that classifies AWS errors the way aws-sdk-go-v2 does, a retry
// budget shared with the SDK's token bucket, the SDKs' adaptive client-side
// rate limiting, and a retrying http.RoundTripper.
//
// # Strategies
//
// The attempt number is 1-based everywhere: it is the number of the attempt
// that just failed, as in the SDK's retry.BackoffDelayer. With v =
// min(Cap, Base*2^(attempt-1)):
//
//   - [Exponential]: v. No jitter: contending clients retry in lock-step.
//   - [FullJitter]: uniform in [0, v). The blog's recommendation.
//   - [EqualJitter]: v/2 + uniform in [0, v/2).
//   - [Decorrelated]: min(Cap, Base + uniform*(3*prev - Base)), stateful.
//
// Each is a retry.BackoffDelayer, so it plugs into the SDK's retryer:
//
//	retry.NewStandard(func(o *retry.StandardOptions) {
//		o.Backoff = backoff.FullJitter{Base: 50 * time.Millisecond, Cap: 20 * time.Second}
//	})
//
// The stateless ones also have Delay(attempt), the same delay without the
// unused error; Decorrelated has Next. No delay ever overflows or goes
// negative, for any attempt.
//
// Randomness is an input: a *rand.Rand from math/rand/v2 in the Rand field.
// nil means math/rand/v2's top-level functions, which the runtime seeds
// (never from the clock) and which are safe for concurrent use. A *rand.Rand
// is not safe for concurrent use: a strategy holding one serves one
// goroutine, or one Retry call through Policy.NewBackoff.
//
// # Retry
//
// [Retry] and [RetryValue] call an operation until it succeeds or they give
// up, and say why in an [*Error] whose Err (errors.Is with
// [ErrAttemptsExhausted], [ErrNotRetryable], [ErrContextDone], [ErrDeadline],
// [ErrBudgetExhausted], [ErrLimiter]) and Last, the last operation error
// (errors.As with smithy.APIError, for example), are both reachable.
// "Attempts" always count the first call: MaxAttempts 3 means at most 2
// retries. Retry never sleeps past the context's deadline, backs off
// throttling errors from a larger base (1 s, as the SDK), honours
// x-amz-retry-after and Retry-After as the SDK clamps them, and takes time and
// sleep as hooks so tests run in microseconds.
//
// A [Policy] holds what every call shares. A strategy with per-call state
// (Decorrelated, or the caller's own) goes in Policy.NewBackoff, called once
// per Retry call, so one Policy is safe for concurrent calls; no type is
// special-cased.
//
// [IsRetryable] and [IsThrottle] classify errors with the SDK's own lists
// (retry.DefaultRetryables, retry.DefaultThrottles) plus any 5xx but 501.
// Timeouts are retryable, a per-attempt context deadline included; the
// caller's own context being done stops Retry, and context.Canceled is never
// retryable.
//
// # With SDK clients
//
// An SDK client already retries with its own retryer and budget. Errors that
// went through it (a *retry.MaxAttemptsError after more than one attempt, or
// a spent retry quota) are not retryable here, so that wrapping an SDK call
// in Retry never multiplies its attempts. Choose one of:
//
//   - keep the SDK's retryer and plug a strategy into it (above), without
//     Retry around the call; or
//   - give the client aws.NopRetryer, so that it makes exactly one attempt
//     and returns its error as is, and retry with Retry:
//     config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }).
//     A client limited to one attempt (config.WithRetryMaxAttempts(1))
//     works too: its error, wrapped in a *retry.MaxAttemptsError for
//     attempt 1, is retried as the error it wraps.
//
// # Adaptive rate limiting
//
// Backoff spreads retries but does not slow a fleet that is being
// throttled. [Adaptive] is the SDKs' "adaptive" retry mode on its own: a
// CUBIC controller setting the fill rate of a token bucket from observed
// throttling, as botocore implements it. Policy.Limiter (any [Limiter])
// makes Retry wait on it before every attempt and report every outcome to
// it; [NewTransport] does the same for an http.Client.
//
// # Options
//
// The options rule of this module: constructors and I/O calls take required
// inputs positionally and then optFns ...func(*XOptions) over an exported
// XOptions struct whose zero value means the documented defaults
// ([NewAdaptive] with [AdaptiveOptions]); pure calculations take their
// inputs by value. A [Policy] is the one exception, by design: it is a value
// built once and shared by every call (as the SDK's retryer is), so Retry
// and NewTransport take it by value instead of per-call option functions.
//
// # References
//
//   - https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
//   - Retry behavior: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
//   - aws-sdk-go-v2 aws/retry (v1.48.0): standard retryer, token costs,
//     throttle base delay and retry-after handling this package follows.
//   - botocore/retries/adaptive.py, throttling.py, bucket.py: the adaptive
//     mode Adaptive follows.
package backoff
