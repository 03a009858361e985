package backoff

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

var (
	sdkRetryables = retry.IsErrorRetryables(retry.DefaultRetryables)
	sdkThrottles  = retry.IsErrorThrottles(retry.DefaultThrottles)
)

// IsRetryable reports whether err is worth another attempt: what the SDK's
// standard retryer retries (retry.DefaultRetryables: throttling and transient
// error codes, HTTP 500, 502, 503 and 504, connection errors, errors marked
// retryable), plus any HTTP 429, any other 5xx but 501 Not Implemented, and
// errors whose Timeout() method reports true. It is never true for nil, for
// context.Canceled or context.DeadlineExceeded (the caller gave up), or for
// errors the SDK marks canceled.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	switch sdkRetryables.IsErrorRetryable(err) {
	case aws.TrueTernary:
		return true
	case aws.FalseTernary:
		return false
	}
	if code, ok := httpStatus(err); ok && (code == http.StatusTooManyRequests || code >= 500 && code <= 599 && code != http.StatusNotImplemented) {
		return true
	}
	var t interface{ Timeout() bool }
	if errors.As(err, &t) && t.Timeout() {
		return true
	}
	return IsThrottle(err)
}

// IsThrottle reports whether err says the caller is sending too fast: an API
// error code in retry.DefaultThrottleErrorCodes (ThrottlingException,
// ProvisionedThroughputExceededException, SlowDown, ...) or an HTTP 429.
func IsThrottle(err error) bool {
	if err == nil {
		return false
	}
	if sdkThrottles.IsErrorThrottle(err) == aws.TrueTernary {
		return true
	}
	code, ok := httpStatus(err)
	return ok && code == http.StatusTooManyRequests
}

func httpStatus(err error) (int, bool) {
	var v interface{ HTTPStatusCode() int }
	if !errors.As(err, &v) {
		return 0, false
	}
	return v.HTTPStatusCode(), true
}

// maxRetryAfterExtra is how much a retry-after header may lengthen a delay,
// as the SDK clamps x-amz-retry-after (aws/retry, v1.48.0): to [d, d+5s].
const maxRetryAfterExtra = 5 * time.Second

// retryAfter adjusts delay d by the response's x-amz-retry-after header
// (milliseconds), or else its Retry-After header (delta-seconds; the HTTP-date
// form is ignored), clamped to [d, d+5s] as the SDK does. Errors without a
// response, and invalid values, leave d unchanged.
func retryAfter(d time.Duration, err error) time.Duration {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil || re.Response.Response == nil {
		return d
	}
	h := re.Response.Header
	var after time.Duration
	if v := h.Get("X-Amz-Retry-After"); v != "" {
		ms, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || ms < 0 || ms > int64(time.Hour/time.Millisecond) {
			return d
		}
		after = time.Duration(ms) * time.Millisecond
	} else if v := h.Get("Retry-After"); v != "" {
		s, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || s < 0 || s > int64(time.Hour/time.Second) {
			return d
		}
		after = time.Duration(s) * time.Second
	} else {
		return d
	}
	return min(max(after, d), d+maxRetryAfterExtra)
}
