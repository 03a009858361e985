package backoff

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

var (
	sdkRetryables = retry.IsErrorRetryables(retry.DefaultRetryables)
	sdkThrottles  = retry.IsErrorThrottles(retry.DefaultThrottles)
)

// IsRetryable reports whether err is worth another attempt: what the SDK's
// standard retryer retries (retry.DefaultRetryables: throttling and transient
// error codes, HTTP 500, 502, 503 and 504, an HTTP 429 that did not decode to
// a modeled error, connection errors, timeouts, errors marked retryable), plus
// any other 5xx but 501 Not Implemented.
//
// Timeouts are retryable, context.DeadlineExceeded included: an
// http.Client.Timeout, a dial timeout or a per-attempt context deadline says
// nothing about the next attempt, and an SDK client's error for a per-attempt
// timeout (a *smithy.CanceledError wrapping context.DeadlineExceeded) is
// retryable too. Retry stops when the caller's own context is done, whatever
// the error.
//
// IsRetryable is false for nil, for context.Canceled, for other errors the
// SDK marks canceled, and for errors that already went through an SDK
// retryer: a *retry.MaxAttemptsError after more than one attempt (the SDK
// made its retries) or a ratelimit.QuotaExceededError (the SDK's retry budget
// is spent). Retrying those again would multiply the SDK's attempts and
// bypass its budget; see the package documentation for composing with SDK
// clients. The same holds for an *Error of Retry after more than one attempt
// (a Retry nested in another). A MaxAttemptsError for one attempt (a client
// with RetryMaxAttempts 1), or an *Error for one, is judged by the errors it
// wraps.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || sdkRetried(err) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// A timeout, possibly of a per-attempt context: the SDK marks it
		// canceled (*smithy.CanceledError), because inside the SDK that
		// context is the whole operation's; Retry checks its own.
		return true
	}
	switch sdkRetryables.IsErrorRetryable(err) {
	case aws.TrueTernary:
		return true
	case aws.FalseTernary:
		return false
	}
	if code, ok := httpStatus(err); ok && code >= 500 && code <= 599 && code != http.StatusNotImplemented {
		return true
	}
	return IsThrottle(err)
}

// sdkRetried reports whether err comes out of an SDK retryer, or out of
// Retry (an *Error), that retried and gave up. A *retry.MaxAttemptsError for
// attempt 1 comes from a client configured for one attempt (RetryMaxAttempts
// 1): it made no retry and took no retry quota, so its error is judged as if
// the SDK had not wrapped it; the same for an *Error after one attempt.
func sdkRetried(err error) bool {
	var maxErr *retry.MaxAttemptsError
	var quota ratelimit.QuotaExceededError
	var ours *Error
	return errors.As(err, &maxErr) && maxErr.Attempt > 1 || errors.As(err, &quota) ||
		errors.As(err, &ours) && ours.Attempts > 1
}

// IsThrottle reports whether err says the caller is sending too fast, as the
// SDK's retry.DefaultThrottles decide: an API error code in
// retry.DefaultThrottleErrorCodes (ThrottlingException,
// ProvisionedThroughputExceededException, SlowDown, ...), or an HTTP 429 whose
// error did not decode to a modeled API error (an error without an API error
// code, such as a plain HTTP answer, or a *smithy.GenericAPIError). A modeled
// error sent with status 429 is throttling only if its code says so.
func IsThrottle(err error) bool {
	return err != nil && sdkThrottles.IsErrorThrottle(err) == aws.TrueTernary
}

func httpStatus(err error) (int, bool) {
	var v interface{ HTTPStatusCode() int }
	if !errors.As(err, &v) {
		return 0, false
	}
	return v.HTTPStatusCode(), true
}
