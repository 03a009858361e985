package backoff_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2): promises that
// held when attacked, kept as tests so that they keep holding.

// httpErr is an operation error carrying an HTTP answer, as Retry finds
// retry-after headers through HTTPResponse.
type httpErr struct{ resp *http.Response }

func (e httpErr) Error() string                { return "HTTP " + e.resp.Status }
func (e httpErr) HTTPStatusCode() int          { return e.resp.StatusCode }
func (e httpErr) HTTPResponse() *http.Response { return e.resp }

// Hostile retry-after headers: every delay stays in [d, d+5s] (the SDK's
// clamp), invalid values are ignored, nothing wraps or goes negative.
func TestAttackRetryAfterHostile(t *testing.T) {
	const d = 100 * time.Millisecond
	now := time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)
	tests := []struct {
		name, key, value string
		want             time.Duration
	}{
		{"negative ms", "X-Amz-Retry-After", "-1", d},
		{"ms overflows int64", "X-Amz-Retry-After", "99999999999999999999", d},
		{"ms at MaxInt64", "X-Amz-Retry-After", "9223372036854775807", d + 5*time.Second},
		{"ms not a number", "X-Amz-Retry-After", "1e3", d},
		{"ms below d", "X-Amz-Retry-After", "10", d},
		{"ms inside", "X-Amz-Retry-After", "2500", 2500 * time.Millisecond},
		{"seconds at MaxInt64", "Retry-After", "9223372036854775807", d + 5*time.Second},
		{"seconds negative", "Retry-After", "-5", d},
		{"seconds with space", "Retry-After", " 3", d},
		{"date in the past", "Retry-After", now.Add(-time.Hour).Format(http.TimeFormat), d},
		{"date far future", "Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT", d + 5*time.Second},
		{"date 2 s ahead", "Retry-After", now.Add(2 * time.Second).Format(http.TimeFormat), 2 * time.Second},
		{"garbage", "Retry-After", strings.Repeat("\xff", 1000), d},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 503, Status: "503", Header: http.Header{}}
			resp.Header.Set(tt.key, tt.value)
			var slept []time.Duration
			err := backoff.Retry(context.Background(), backoff.Policy{
				MaxAttempts: 2,
				Backoff:     backoff.Exponential{Base: d, Cap: d},
				Now:         func() time.Time { return now },
				Sleep:       func(_ context.Context, x time.Duration) error { slept = append(slept, x); return nil },
			}, func(context.Context) error { return httpErr{resp} })
			require.ErrorIs(t, err, backoff.ErrAttemptsExhausted)
			assert.Equal(t, []time.Duration{tt.want}, slept)
		})
	}
}

// "No delay is ever negative": a strategy returning a negative delay sleeps 0.
func TestAttackNegativeStrategyDelay(t *testing.T) {
	var slept, seen []time.Duration
	_ = backoff.Retry(context.Background(), backoff.Policy{
		MaxAttempts: 3,
		Backoff: retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
			return -time.Hour, nil
		}),
		OnRetry: func(_ int, d time.Duration, _ error) { seen = append(seen, d) },
		Sleep:   func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
	}, func(context.Context) error {
		return httpErr{&http.Response{StatusCode: 500, Status: "500", Header: http.Header{}}}
	})
	assert.Equal(t, []time.Duration{0, 0}, slept)
	assert.Equal(t, slept, seen)
}

// A POST the server may have processed (500, 502, 504, a reset connection)
// is never sent again; a 429 proves it was not processed and is retried.
func TestAttackTransportPOSTProcessedNotRetried(t *testing.T) {
	for _, status := range []int{500, 502, 504} {
		var hits atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.WriteHeader(status)
		}))
		tr, err := backoff.NewTransport(nil, backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }})
		require.NoError(t, err)
		resp, err := (&http.Client{Transport: tr}).Post(srv.URL, "text/plain", strings.NewReader("charge $10"))
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, status, resp.StatusCode)
		assert.Equal(t, int64(1), hits.Load(), "POST answered %d sent again", status)
		srv.Close()
	}
	sent := 0
	reset := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		_ = r.Body.Close()
		return nil, &mockNetErr{syscall.ECONNRESET}
	})
	tr, err := backoff.NewTransport(reset, backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, "http://example.invalid/", strings.NewReader("charge"))
	require.NoError(t, err)
	_, err = tr.RoundTrip(req)
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	assert.Equal(t, 1, sent)
}

type mockNetErr struct{ err error }

func (e *mockNetErr) Error() string { return "read: " + e.err.Error() }
func (e *mockNetErr) Unwrap() error { return e.err }

// The request's context cancelled mid-sleep: RoundTrip returns the context's
// error, and every answer it received has its body closed.
func TestAttackTransportCancelMidSleepClosesBodies(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("client gone")
	var bodies []*closeRecorder
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b := &closeRecorder{Reader: strings.NewReader("<Error><Code>SlowDown</Code></Error>")}
		bodies = append(bodies, b)
		return &http.Response{StatusCode: 503, Status: "503 Service Unavailable", Header: http.Header{}, Body: b, Request: r}, nil
	})
	tr, err := backoff.NewTransport(base, backoff.Policy{Sleep: func(ctx context.Context, d time.Duration) error {
		cancel(cause)
		<-ctx.Done()
		return ctx.Err()
	}})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.invalid/", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, cause)
	require.Len(t, bodies, 1)
	assert.True(t, bodies[0].closed)
}

// Wait on a done context takes no token: the next Wait gets it at once.
func TestAttackAdaptiveCancelledWaitKeepsToken(t *testing.T) {
	c := &backClock{now: time.Now()} // near the real clock: contexts' deadlines are real
	a := backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) { o.Now, o.Sleep = c.Now, c.Sleep })
	a.Observe(true)
	c.now = c.now.Add(2 * time.Second) // one token
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for range 3 {
		assert.ErrorIs(t, a.Wait(done), context.Canceled)
	}
	short, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	defer cancel2()
	require.NoError(t, a.Wait(short))
	assert.Empty(t, c.sleeps, "the token was still there")
	// The bucket is now empty: a wait that would end after the deadline
	// fails at once, without sleeping and without taking a token.
	tight, cancel3 := context.WithDeadline(context.Background(), c.now.Add(time.Second))
	defer cancel3()
	err := a.Wait(tight)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NoError(t, tight.Err(), "failed fast, before the deadline")
	assert.Empty(t, c.sleeps)
}

// A base RoundTripper that breaks the contract and answers 503 with a nil
// Body must not make the retrying transport panic.
func TestAttackTransportNilBodyAnswer(t *testing.T) {
	calls := 0
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return &http.Response{StatusCode: 503, Status: "503 Service Unavailable", Header: http.Header{}, Request: r}, nil
	})
	tr, err := backoff.NewTransport(base, backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, "http://example.invalid/", nil)
	require.NoError(t, err)
	var resp *http.Response
	require.NotPanics(t, func() { resp, err = tr.RoundTrip(req) })
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, 3, calls)
}

// "Each attempt sends a fresh clone of the request through base": the first
// attempt sent the caller's request itself, so a base that modifies it (a
// signer setting Authorization) changed the caller's request and every later
// clone started from the first attempt's headers.
func TestAttackTransportRetriesAreFreshClones(t *testing.T) {
	var seen []*http.Request
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		assert.Empty(t, r.Header.Get("Authorization"), "attempt %d sees an earlier attempt's signature", len(seen)+1)
		seen = append(seen, r)
		r.Header.Set("Authorization", "signed") // a misbehaving signer mutating what it gets
		body, _ := io.ReadAll(r.Body)
		assert.Equal(t, "payload", string(body))
		return &http.Response{StatusCode: 503, Status: "503", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	tr, err := backoff.NewTransport(base, backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPut, "http://example.invalid/k", strings.NewReader("payload"))
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	require.Len(t, seen, 3)
	assert.NotSame(t, seen[1], seen[2])
	assert.NotSame(t, req, seen[0])
	assert.Empty(t, req.Header.Get("Authorization"), "the caller's request was modified")
}

// Rate at its edges and a clock jumping forward by a century: Rate stays
// +Inf until the first throttle, then finite and at least the minimum 0.5,
// and a full bucket lets Wait through without sleeping.
func TestAttackAdaptiveRateEdgesAndForwardJump(t *testing.T) {
	c := &backClock{now: time.Unix(1_700_000_000, 0)}
	a := backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) { o.Now, o.Sleep = c.Now, c.Sleep })
	for range 100 {
		a.Observe(false)
		c.now = c.now.Add(10 * time.Millisecond)
	}
	assert.True(t, math.IsInf(a.Rate(), 1), "not enabled before a throttle")
	for range 50 {
		a.Observe(true)
	}
	assert.Equal(t, 0.5, a.Rate(), "throttles in a row floor at the minimum rate")
	c.now = c.now.AddDate(100, 0, 0)
	for i := range 20 {
		a.Observe(i%7 == 0)
		r := a.Rate()
		assert.False(t, math.IsInf(r, 0) || math.IsNaN(r), "Rate() = %v", r)
		assert.GreaterOrEqual(t, r, 0.5)
		c.now = c.now.Add(time.Second)
	}
	before := len(c.sleeps)
	require.NoError(t, a.Wait(context.Background()))
	assert.Len(t, c.sleeps, before, "the bucket filled during the jump")
}
