package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Issue 12.14: a per-attempt timeout (http.Client.Timeout, a per-attempt
// context, a dial timeout) is retryable; only the caller's own context being
// done stops Retry.
func TestIsRetryableTimeouts(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	client := &http.Client{Timeout: 20 * ms}
	_, err := client.Get(srv.URL)
	require.Error(t, err)
	require.ErrorIs(t, err, context.DeadlineExceeded, "premise: http.Client.Timeout matches DeadlineExceeded")
	assert.True(t, backoff.IsRetryable(err), "http.Client.Timeout: %v", err)

	attemptCtx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-attemptCtx.Done()
	assert.True(t, backoff.IsRetryable(fmt.Errorf("GetItem: %w", attemptCtx.Err())), "per-attempt deadline")
	assert.True(t, backoff.IsRetryable(context.DeadlineExceeded))
	assert.False(t, backoff.IsRetryable(context.Canceled))

	// Retry retries a per-attempt timeout while the caller's context lives.
	c := &fakeClock{}
	calls := 0
	err = backoff.Retry(context.Background(), policy(c), func(ctx context.Context) error {
		calls++
		if calls < 3 {
			actx, cancel := context.WithTimeout(ctx, time.Nanosecond)
			defer cancel()
			<-actx.Done()
			return actx.Err()
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 3, calls)

	// The caller's own deadline stops it, whatever the error says.
	ctx, cancel2 := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel2()
	<-ctx.Done()
	calls = 0
	err = backoff.Retry(ctx, policy(c), func(ctx context.Context) error { calls++; return ctx.Err() })
	assert.Equal(t, 1, calls)
	assert.ErrorIs(t, err, backoff.ErrContextDone)
}

// Issue 12.15: throttling errors back off from a 1 s base by default, as
// aws-sdk-go-v2 v1.48.0's standard retryer does (aws/retry/jitter_backoff.go,
// backoffDelay2026: x = 1s for a throttle, else the 50 ms base).
func TestRetryThrottleBackoffDefault(t *testing.T) {
	var throttleMax, otherMax time.Duration
	for range 300 {
		for _, tc := range []struct {
			err error
			max *time.Duration
		}{{throttled, &throttleMax}, {&smithy.GenericAPIError{Code: "RequestTimeout"}, &otherMax}} {
			var slept time.Duration
			p := backoff.Policy{MaxAttempts: 2, Sleep: func(ctx context.Context, d time.Duration) error { slept = d; return nil }}
			_ = backoff.Retry(context.Background(), p, func(context.Context) error { return tc.err })
			*tc.max = max(*tc.max, slept)
		}
	}
	assert.Less(t, otherMax, 50*ms, "other errors: full jitter below the 50 ms base")
	assert.Less(t, throttleMax, time.Second, "throttles: full jitter below the 1 s throttle base")
	assert.Greater(t, throttleMax, 500*ms, "throttles back off from 1 s (300 draws)")
}

// Issue 16: a retry-after hint on a delay near the largest Duration saturates
// instead of wrapping to a negative sleep.
func TestRetryAfterSaturates(t *testing.T) {
	const d = math.MaxInt64 - time.Second
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"X-Amz-Retry-After": {"3000"}}, d},
		{http.Header{"X-Amz-Retry-After": {"9223372036854775807"}}, math.MaxInt64},
		{http.Header{"Retry-After": {"9223372036854775807"}}, math.MaxInt64},
		{http.Header{"Retry-After": {"2"}}, d},
	} {
		c := &fakeClock{}
		p := policy(c)
		p.MaxAttempts = 2
		p.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return d, nil })
		_ = backoff.Retry(context.Background(), p, func(context.Context) error { return responseError(503, tc.h, errors.New("x")) })
		require.Len(t, c.slept, 1)
		assert.Equal(t, tc.want, c.slept[0], "header %v", tc.h)
	}
}

// Issue 12.17: errors that already went through the SDK's retryer (its
// MaxAttemptsError, its retry quota error) are not retried again.
func TestIsRetryableSDKRetried(t *testing.T) {
	maxAttempts := &retry.MaxAttemptsError{Attempt: 3, Err: responseError(503, nil, throttled)}
	quota := errors.Join(responseError(500, nil, errors.New("x")),
		fmt.Errorf("failed to get rate limit token, %w", ratelimit.QuotaExceededError{Available: 2, Requested: 14}))
	for _, err := range []error{maxAttempts, quota, fmt.Errorf("op: %w", maxAttempts)} {
		assert.False(t, backoff.IsRetryable(err), "%v", err)
		calls := 0
		err = backoff.Retry(context.Background(), policy(&fakeClock{}), func(context.Context) error { calls++; return err })
		assert.Equal(t, 1, calls)
		assert.ErrorIs(t, err, backoff.ErrNotRetryable)
	}
}

// Issue 12.18: a modeled error sent with HTTP 429 is not throttling unless
// its code says so (the SDK's throttleUnmodeledTooManyRequests).
func TestIsThrottleModeled429(t *testing.T) {
	modeled := responseError(429, nil, &ddbtypes.ResourceNotFoundException{Message: aws("no table")})
	assert.False(t, backoff.IsThrottle(modeled))
	assert.False(t, backoff.IsRetryable(modeled))
	unmodeled := responseError(429, nil, &smithy.GenericAPIError{Code: "Whatever"})
	assert.True(t, backoff.IsThrottle(unmodeled))
	assert.True(t, backoff.IsRetryable(unmodeled))
	modeledThrottle := responseError(429, nil, &ddbtypes.ProvisionedThroughputExceededException{})
	assert.True(t, backoff.IsThrottle(modeledThrottle))
}

// Issue 12.18: x-amz-retry-after above an hour is clamped as the SDK clamps
// any value (aws/retry/middleware.go adjustForRetryAfterHeader), and
// Retry-After in HTTP-date form counts from the clock.
func TestRetryAfterClampAndDate(t *testing.T) {
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		header http.Header
		want   time.Duration
	}{
		{http.Header{"X-Amz-Retry-After": {"7200000"}}, 5010 * ms},
		{http.Header{"Retry-After": {now.Add(3 * time.Second).Format(http.TimeFormat)}}, 3 * time.Second},
		{http.Header{"Retry-After": {now.Add(time.Hour).Format(http.TimeFormat)}}, 5010 * ms},
		{http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 10 * ms},
		{http.Header{"Retry-After": {"7200"}}, 5010 * ms},
	}
	for _, tc := range tests {
		c := &fakeClock{now: now}
		p := policy(c)
		p.MaxAttempts = 2
		_ = backoff.Retry(context.Background(), p, func(context.Context) error { return responseError(503, tc.header, errors.New("x")) })
		assert.Equal(t, []time.Duration{tc.want}, c.slept, "header %v", tc.header)
	}
}

// Issue 12.18: Retry reports context.Cause, after an attempt and during a wait.
func TestRetryReportsCause(t *testing.T) {
	cause := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	c := &fakeClock{}
	err := backoff.Retry(ctx, policy(c), func(context.Context) error { cancel(cause); return throttled })
	assert.ErrorIs(t, err, cause)
	assert.ErrorIs(t, err, backoff.ErrContextDone)

	ctx2, cancel2 := context.WithCancelCause(context.Background())
	p := policy(c)
	p.Sleep = func(ctx context.Context, d time.Duration) error { cancel2(cause); return ctx.Err() }
	err = backoff.Retry(ctx2, p, func(context.Context) error { return throttled })
	assert.ErrorIs(t, err, cause)
	assert.ErrorIs(t, err, context.Canceled, "the context's error stays reachable")
}
