package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// responseError builds the error an SDK client returns for an HTTP failure.
func responseError(status int, header http.Header, apiErr error) error {
	if header == nil {
		header = http.Header{}
	}
	return &smithy.OperationError{ServiceID: "DynamoDB", OperationName: "PutItem", Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status, Header: header}},
			Err:      apiErr,
		},
		RequestID: "req-1",
	}}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestIsRetryableAndThrottle(t *testing.T) {
	throughput := &ddbtypes.ProvisionedThroughputExceededException{Message: aws("slow down")}
	tests := []struct {
		name                string
		err                 error
		retryable, throttle bool
	}{
		{"nil", nil, false, false},
		{"plain error", errors.New("boom"), false, false},
		{"context canceled", context.Canceled, false, false},
		{"deadline exceeded (a per-attempt timeout)", fmt.Errorf("op: %w", context.DeadlineExceeded), true, false},
		{"dynamodb throughput exceeded", throughput, true, true},
		{"dynamodb throughput exceeded in an HTTP 400", responseError(400, nil, throughput), true, true},
		{"generic ThrottlingException", &smithy.GenericAPIError{Code: "ThrottlingException"}, true, true},
		{"generic SlowDown", &smithy.GenericAPIError{Code: "SlowDown"}, true, true},
		{"RequestTimeout code", &smithy.GenericAPIError{Code: "RequestTimeout"}, true, false},
		{"validation error", &smithy.GenericAPIError{Code: "ValidationException"}, false, false},
		{"conditional check failed", responseError(400, nil, &ddbtypes.ConditionalCheckFailedException{}), false, false},
		{"HTTP 500", responseError(500, nil, &smithy.GenericAPIError{Code: "InternalError"}), true, false},
		{"HTTP 503", responseError(503, nil, &smithy.GenericAPIError{Code: "ServiceUnavailable"}), true, false},
		{"HTTP 507 (any 5xx)", responseError(507, nil, errors.New("x")), true, false},
		{"HTTP 501 not implemented", responseError(501, nil, errors.New("x")), false, false},
		{"HTTP 429 unmodeled", responseError(429, nil, &smithy.GenericAPIError{Code: "Whatever"}), true, true},
		{"HTTP 404", responseError(404, nil, &smithy.GenericAPIError{Code: "NotFound"}), false, false},
		{"net timeout", &net.OpError{Op: "read", Err: timeoutErr{}}, true, false},
		{"connection reset", errors.New("read tcp: connection reset by peer"), true, false},
		{"SDK canceled", &aws_canceled{}, false, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.retryable, backoff.IsRetryable(tc.err), "IsRetryable(%s)", tc.name)
		assert.Equal(t, tc.throttle, backoff.IsThrottle(tc.err), "IsThrottle(%s)", tc.name)
	}
}

func aws(s string) *string { return &s }

type aws_canceled struct{}

func (*aws_canceled) Error() string       { return "request canceled" }
func (*aws_canceled) CanceledError() bool { return true }

type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func policy(c *fakeClock) backoff.Policy {
	e := backoff.Exponential{Base: 10 * ms, Cap: time.Second}
	return backoff.Policy{Backoff: e, ThrottleBackoff: e, Sleep: c.Sleep, Now: c.Now}
}

var throttled = &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}

func TestRetrySucceeds(t *testing.T) {
	c := &fakeClock{now: time.Unix(0, 0)}
	calls := 0
	v, err := backoff.RetryValue(context.Background(), policy(c), func(context.Context) (string, error) {
		calls++
		if calls < 3 {
			return "", throttled
		}
		return "ok", nil
	})
	require.NoError(t, err)
	assert.Equal(t, "ok", v)
	assert.Equal(t, 3, calls)
	assert.Equal(t, []time.Duration{10 * ms, 20 * ms}, c.slept)
}

func TestRetryAttemptsExhausted(t *testing.T) {
	c := &fakeClock{}
	calls := 0
	err := backoff.Retry(context.Background(), policy(c), func(context.Context) error {
		calls++
		return responseError(400, nil, throttled)
	})
	require.Error(t, err)
	assert.Equal(t, backoff.DefaultMaxAttempts, calls)
	assert.ErrorIs(t, err, backoff.ErrAttemptsExhausted)
	var api smithy.APIError
	require.ErrorAs(t, err, &api, "the SDK error stays reachable")
	assert.Equal(t, "ThrottlingException", api.ErrorCode())
	var re *backoff.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Attempts)
	assert.Contains(t, err.Error(), "attempts exhausted after 3 attempts")
}

func TestRetryNotRetryable(t *testing.T) {
	c := &fakeClock{}
	calls := 0
	bad := &smithy.GenericAPIError{Code: "ValidationException"}
	err := backoff.Retry(context.Background(), policy(c), func(context.Context) error { calls++; return bad })
	assert.Equal(t, 1, calls)
	assert.ErrorIs(t, err, backoff.ErrNotRetryable)
	assert.ErrorIs(t, err, bad)
	assert.Empty(t, c.slept)
}

func TestRetryMaxAttempts(t *testing.T) {
	for _, tc := range []struct{ max, want int }{{0, 3}, {1, 1}, {-5, 1}, {7, 7}} {
		c := &fakeClock{}
		p := policy(c)
		p.MaxAttempts = tc.max
		calls := 0
		_ = backoff.Retry(context.Background(), p, func(context.Context) error { calls++; return throttled })
		assert.Equal(t, tc.want, calls, "MaxAttempts %d", tc.max)
		assert.Len(t, c.slept, tc.want-1)
	}
}

func TestRetryContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &fakeClock{}
	p := policy(c)
	p.MaxAttempts = 10
	calls := 0
	err := backoff.Retry(ctx, p, func(context.Context) error {
		calls++
		if calls == 2 {
			cancel()
		}
		return throttled
	})
	assert.Equal(t, 2, calls)
	assert.ErrorIs(t, err, backoff.ErrContextDone)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, throttled)
}

func TestRetryNeverSleepsPastDeadline(t *testing.T) {
	start := time.Now()
	c := &fakeClock{now: start}
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(25*time.Second))
	defer cancel()
	p := policy(c)
	p.Backoff = backoff.Exponential{Base: 10 * time.Second, Cap: time.Minute}
	p.ThrottleBackoff = p.Backoff
	p.MaxAttempts = 10
	calls := 0
	err := backoff.Retry(ctx, p, func(context.Context) error { calls++; return throttled })
	// Sleeps 10 s (fake), then 10 s + 20 s would pass the 25 s deadline: stops there.
	assert.Equal(t, []time.Duration{10 * time.Second}, c.slept)
	assert.Equal(t, 2, calls)
	assert.ErrorIs(t, err, backoff.ErrDeadline)
}

func TestRetryRealSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*ms)
	defer cancel()
	p := backoff.Policy{MaxAttempts: 5, Backoff: backoff.Exponential{Base: time.Hour, Cap: time.Hour}}
	start := time.Now()
	err := backoff.Retry(ctx, p, func(context.Context) error { return throttled })
	assert.ErrorIs(t, err, backoff.ErrDeadline, "an hour's sleep would pass the deadline")
	assert.Less(t, time.Since(start), 10*time.Second)

	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * ms); cancel2() }()
	p.Backoff = backoff.Exponential{Base: time.Hour, Cap: time.Hour}
	err = backoff.Retry(ctx2, p, func(context.Context) error { return throttled })
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRetryAfterHeader(t *testing.T) {
	tests := []struct {
		header http.Header
		want   time.Duration
	}{
		{http.Header{"X-Amz-Retry-After": {"1500"}}, 1500 * ms},
		{http.Header{"X-Amz-Retry-After": {"1"}}, 10 * ms},       // never shorter than the backoff
		{http.Header{"X-Amz-Retry-After": {"60000"}}, 5010 * ms}, // at most 5 s more
		{http.Header{"X-Amz-Retry-After": {"soon"}}, 10 * ms},    // invalid: ignored
		{http.Header{"Retry-After": {"2"}}, 2 * time.Second},     // seconds
		{http.Header{"Retry-After": {"Wed, 21 Oct 2015 07:28:00 GMT"}}, 10 * ms},
		{nil, 10 * ms},
	}
	for _, tc := range tests {
		c := &fakeClock{now: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)} // the date above is in the past
		p := policy(c)
		p.MaxAttempts = 2
		_ = backoff.Retry(context.Background(), p, func(context.Context) error { return responseError(503, tc.header, throttled) })
		assert.Equal(t, []time.Duration{tc.want}, c.slept, "header %v", tc.header)
	}
}

func TestRetryBudget(t *testing.T) {
	budget := ratelimit.NewTokenRateLimit(30)
	c := &fakeClock{}
	p := policy(c)
	p.Budget = budget
	p.MaxAttempts = 10
	transient := &smithy.GenericAPIError{Code: "RequestTimeout"}
	// Two retries at 14 tokens each, then the bucket (2 left) refuses the third.
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return transient })
	assert.ErrorIs(t, err, backoff.ErrBudgetExhausted)
	var q ratelimit.QuotaExceededError
	assert.ErrorAs(t, err, &q)
	assert.Equal(t, uint(2), budget.Remaining())
	// Throttling retries cost 5.
	budget2 := ratelimit.NewTokenRateLimit(12)
	p.Budget = budget2
	calls := 0
	err = backoff.Retry(context.Background(), p, func(context.Context) error { calls++; return throttled })
	assert.ErrorIs(t, err, backoff.ErrBudgetExhausted)
	assert.Equal(t, 3, calls)
	// A retry that succeeds refunds its cost; a first-try success adds 1.
	budget3 := ratelimit.NewTokenRateLimit(100)
	p.Budget = budget3
	budget3.GetToken(context.Background(), 50) //nolint:errcheck // make room to observe the +1
	n := 0
	require.NoError(t, backoff.Retry(context.Background(), p, func(context.Context) error {
		n++
		if n == 1 {
			return transient
		}
		return nil
	}))
	assert.Equal(t, uint(50), budget3.Remaining(), "the retry's 14 tokens came back")
	require.NoError(t, backoff.Retry(context.Background(), p, func(context.Context) error { return nil }))
	assert.Equal(t, uint(51), budget3.Remaining())
}

func TestRetryOnRetryAndCustomRetryable(t *testing.T) {
	c := &fakeClock{}
	p := policy(c)
	var seen []int
	p.OnRetry = func(attempt int, d time.Duration, err error) { seen = append(seen, attempt) }
	mine := errors.New("mine")
	p.Retryable = func(err error) bool { return errors.Is(err, mine) }
	_ = backoff.Retry(context.Background(), p, func(context.Context) error { return mine })
	assert.Equal(t, []int{1, 2}, seen)
}

type failingDelayer struct{}

func (failingDelayer) BackoffDelay(int, error) (time.Duration, error) {
	return 0, errors.New("no entropy")
}

func TestRetryBackoffError(t *testing.T) {
	p := backoff.Policy{Backoff: failingDelayer{}}
	transient := &smithy.GenericAPIError{Code: "RequestTimeout"}
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return transient })
	assert.ErrorContains(t, err, "no entropy")
	assert.ErrorIs(t, err, transient)
	p = backoff.Policy{ThrottleBackoff: failingDelayer{}}
	err = backoff.Retry(context.Background(), p, func(context.Context) error { return throttled })
	assert.ErrorContains(t, err, "no entropy", "throttles use ThrottleBackoff")
}

func TestRetryWithSDKBackoff(t *testing.T) {
	c := &fakeClock{}
	p := policy(c)
	p.Backoff = retry.NewExponentialJitterBackoff(time.Second)
	p.ThrottleBackoff = p.Backoff
	_ = backoff.Retry(context.Background(), p, func(context.Context) error { return throttled })
	assert.Len(t, c.slept, 2)
}

func TestRetryDecorrelatedPerCall(t *testing.T) {
	transient := &smithy.GenericAPIError{Code: "RequestTimeout"}
	for range 3 {
		c := &fakeClock{}
		p := policy(c)
		p.Backoff = nil
		p.NewBackoff = func() retry.BackoffDelayer {
			return &backoff.Decorrelated{Base: 10 * ms, Cap: time.Second, Rand: fixed(0.5)}
		}
		p.MaxAttempts = 4
		_ = backoff.Retry(context.Background(), p, func(context.Context) error { return transient })
		assert.Equal(t, []time.Duration{20 * ms, 35 * ms, 57500 * time.Microsecond}, c.slept, "each call starts from Base")
	}
}

func TestRetryConcurrent(t *testing.T) {
	budget := ratelimit.NewTokenRateLimit(retry.DefaultRetryRateTokens)
	p := backoff.Policy{MaxAttempts: 3, Budget: budget, Sleep: func(ctx context.Context, d time.Duration) error { return nil }}
	var calls atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = backoff.Retry(context.Background(), p, func(context.Context) error {
				if calls.Add(1)%2 == 0 {
					return nil
				}
				return throttled
			})
		}()
	}
	wg.Wait()
	assert.Positive(t, calls.Load())
}
