package backoff_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// script answers the requests of a test server in order, and records what
// arrived.
type script struct {
	mu      sync.Mutex
	answers []func(w http.ResponseWriter)
	bodies  []string
	methods []string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	i := len(s.bodies)
	s.bodies = append(s.bodies, string(body))
	s.methods = append(s.methods, r.Method)
	s.mu.Unlock()
	if i < len(s.answers) {
		s.answers[i](w)
		return
	}
	_, _ = io.WriteString(w, "ok")
}

func (s *script) count() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.bodies) }

func status(code int, header http.Header, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

const slowDownXML = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`

func fastPolicy(delays *[]time.Duration) backoff.Policy {
	e := backoff.Exponential{Base: 10 * ms, Cap: time.Second}
	return backoff.Policy{
		MaxAttempts: 4, Backoff: e, ThrottleBackoff: e,
		Sleep: func(ctx context.Context, d time.Duration) error {
			if delays != nil {
				*delays = append(*delays, d)
			}
			return ctx.Err()
		},
	}
}

func newClient(t *testing.T, p backoff.Policy) *http.Client {
	t.Helper()
	rt, err := backoff.NewTransport(nil, p)
	require.NoError(t, err)
	return &http.Client{Transport: rt}
}

func TestTransportRetriesIdempotent(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter){
		status(503, nil, "busy"), status(500, nil, "oops"),
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := newClient(t, fastPolicy(nil)).Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "ok", string(body))
	assert.Equal(t, 3, s.count())
}

func TestTransportPOSTOnlyWhenNotProcessed(t *testing.T) {
	tests := []struct {
		name   string
		answer func(http.ResponseWriter)
		calls  int
	}{
		{"500 may have been processed", status(500, nil, "oops"), 1},
		{"503 without SlowDown", status(503, nil, "busy"), 1},
		{"429", status(429, nil, "slow"), 2},
		{"503 SlowDown", status(503, nil, slowDownXML), 2},
		{"400 ThrottlingException (JSON)", status(400, http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
			`{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow"}`), 2},
		{"400 x-amzn-ErrorType throttle", status(400, http.Header{"X-Amzn-Errortype": {"ThrottlingException:http://internal"}}, ""), 2},
		{"400 validation", status(400, nil, `{"__type":"ValidationException"}`), 1},
	}
	for _, tc := range tests {
		s := &script{answers: []func(http.ResponseWriter){tc.answer}}
		srv := httptest.NewServer(s)
		resp, err := newClient(t, fastPolicy(nil)).Post(srv.URL, "text/plain", strings.NewReader("payload"))
		require.NoError(t, err, tc.name)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		assert.Equal(t, tc.calls, s.count(), tc.name)
		for _, b := range s.bodies {
			assert.Equal(t, "payload", b, "%s: the body is replayed whole", tc.name)
		}
		if tc.calls == 1 {
			assert.NotEqual(t, 200, resp.StatusCode, tc.name)
			assert.NotEmpty(t, body, "%s: the answer's body reaches the caller whole", tc.name)
		}
	}
}

func TestTransportGivesUpWithTheLastAnswer(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter){
		status(503, nil, slowDownXML), status(503, nil, slowDownXML), status(503, nil, slowDownXML), status(503, nil, slowDownXML),
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := newClient(t, fastPolicy(nil)).Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, slowDownXML, string(body), "the peeked body is given back whole")
	assert.Equal(t, 4, s.count())
}

func TestTransportUnreplayableBody(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter){status(429, nil, "slow")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPut, srv.URL, io.NopCloser(strings.NewReader("stream")))
	require.NoError(t, err)
	require.Nil(t, req.GetBody)
	resp, err := newClient(t, fastPolicy(nil)).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, 1, s.count(), "a body that cannot be replayed is sent once")
}

func TestTransportRetryAfter(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter){
		status(429, http.Header{"X-Amz-Retry-After": {"1500"}}, ""),
		status(503, http.Header{"Retry-After": {"2"}}, ""),
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var delays []time.Duration
	resp, err := newClient(t, fastPolicy(&delays)).Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []time.Duration{1500 * ms, 2 * time.Second}, delays)
}

func TestTransportConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens: connections are refused
	var delays []time.Duration
	p := fastPolicy(&delays)
	_, err = newClient(t, p).Post("http://"+addr, "text/plain", bytes.NewReader([]byte("x")))
	require.Error(t, err)
	assert.ErrorIs(t, err, backoff.ErrAttemptsExhausted, "a refused POST was not processed: retried")
	assert.Len(t, delays, 3)
}

func TestTransportLimiterAndContext(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter){status(429, nil, ""), status(500, nil, "")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	l := &countingLimiter{}
	p := fastPolicy(nil)
	p.Limiter = l
	resp, err := newClient(t, p).Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 3, l.waits)
	assert.Equal(t, []bool{true, false, false}, l.observed)

	ctx, cancel := context.WithCancel(context.Background())
	s2 := &script{answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { cancel(); w.WriteHeader(503) }}}
	srv2 := httptest.NewServer(s2)
	defer srv2.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv2.URL, nil)
	_, err = newClient(t, fastPolicy(nil)).Do(req)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}

// A POST with an Idempotency-Key header is idempotent (net/http's rule), so
// a 500 is retried; the same POST without it is not.
func TestTransportIdempotencyKey(t *testing.T) {
	for _, key := range []string{"Idempotency-Key", "X-Idempotency-Key", ""} {
		s := &script{answers: []func(http.ResponseWriter){status(500, nil, "oops")}}
		srv := httptest.NewServer(s)
		req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("payload"))
		require.NoError(t, err)
		if key != "" {
			req.Header[key] = []string{"k-1"}
		}
		resp, err := newClient(t, fastPolicy(nil)).Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		srv.Close()
		want := 2
		if key == "" {
			want = 1
		}
		assert.Equal(t, want, s.count(), "header %q", key)
	}
}

// closeRecorder is a response body that records whether it was closed.
type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// The bodies of answers retried past are closed; the last answer's is left
// to the caller.
func TestTransportClosesRetriedBodies(t *testing.T) {
	var bodies []*closeRecorder
	base := roundTripper(func(r *http.Request) (*http.Response, error) {
		b := &closeRecorder{Reader: strings.NewReader("busy")}
		bodies = append(bodies, b)
		return &http.Response{StatusCode: 503, Status: "503 Service Unavailable", Header: http.Header{}, Body: b, Request: r}, nil
	})
	rt, err := backoff.NewTransport(base, fastPolicy(nil))
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodGet, "http://example.invalid/", nil)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	require.Len(t, bodies, 4)
	for i, b := range bodies[:3] {
		assert.True(t, b.closed, "body %d retried past is closed", i)
	}
	assert.False(t, bodies[3].closed, "the answer returned is the caller's to close")
	got, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "busy", string(got))
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
