// Package backoff provides exponential backoff with jitter exactly as the AWS
// Architecture Blog published it ("Exponential Backoff And Jitter", 2015), a
// retry loop that classifies AWS errors the way aws-sdk-go-v2 does, and a
// retry budget shared with the SDK's token bucket.
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
// No delay ever overflows or goes negative, for any attempt. Randomness is an
// input (Rand func() float64); nil uses math/rand/v2, which the runtime seeds
// (never from the clock).
//
// # Retry
//
// [Retry] and [RetryValue] call an operation until it succeeds or they give
// up, and say why in an [*Error] from which both the reason (errors.Is with
// [ErrAttemptsExhausted], [ErrNotRetryable], [ErrContextDone], [ErrDeadline],
// [ErrBudgetExhausted]) and the last operation error (errors.As with
// smithy.APIError, for example) are reachable. "Attempts" always count the
// first call: MaxAttempts 3 means at most 2 retries. Retry never sleeps past
// the context's deadline, honours x-amz-retry-after and Retry-After as the SDK
// clamps them, and takes time and sleep as hooks so tests run in
// microseconds.
//
// [IsRetryable] and [IsThrottle] classify errors with the SDK's own lists
// (retry.DefaultRetryables, retry.DefaultThrottleErrorCodes) plus HTTP 429,
// 5xx and timeouts; context cancellation is never retryable.
//
// # References
//
//   - https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
//   - Retry behavior: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
//   - aws-sdk-go-v2 aws/retry (v1.48.0): standard retryer, token costs and
//     retry-after handling this package follows.
package backoff
