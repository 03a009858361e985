package backoff_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// The error code NewTransport reads from an answer's body is server text
// that reaches error strings (and logs): a hostile or broken server could
// put newlines or kilobytes in it. Only a code shaped like an AWS error code
// (letters, digits, '.', '_', '-', at most 128 bytes) is kept.
func TestAttackResponseErrorCodeSanitized(t *testing.T) {
	tests := map[string]string{
		"<Error><Code>SlowDown</Code></Error>":                          "SlowDown",
		`{"__type":"com.amazon#ThrottlingException"}`:                   "ThrottlingException",
		"<Error><Code>Slow\nDown\r\nX-Injected: 1</Code></Error>":       "",
		"<Error><Code>" + strings.Repeat("A", 3000) + "</Code></Error>": "",
		`{"code":"a\u0000b"}`:                                           "",
	}
	for body, want := range tests {
		var got *backoff.ResponseError
		base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 503, Status: "503 Service Unavailable", Header: http.Header{},
				Body: &closeRecorder{Reader: strings.NewReader(body)}, Request: r}, nil
		})
		tr, err := backoff.NewTransport(base, backoff.Policy{
			MaxAttempts: 2,
			Sleep:       func(context.Context, time.Duration) error { return nil },
			OnRetry: func(_ int, _ time.Duration, err error) {
				got, _ = err.(*backoff.ResponseError)
			},
		})
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodGet, "http://example.invalid/", nil)
		require.NoError(t, err)
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.NotNil(t, got, "%.40q", body)
		assert.Equal(t, want, got.Code, "%.40q", body)
		assert.NotContains(t, got.Error(), "\n")
	}
}

// A JSON API's x-amzn-ErrorType may carry the shape's namespace
// ("ns#Code"), which the SDK strips (restjson.SanitizeErrorCode): a 400
// throttle announced that way is still a throttle, so a POST is retried.
func TestAttackErrorTypeHeaderNamespace(t *testing.T) {
	calls := 0
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			h := http.Header{}
			h.Set("X-Amzn-Errortype", "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException:http://internal/")
			return &http.Response{StatusCode: 400, Status: "400 Bad Request", Header: h, Body: http.NoBody, Request: r}, nil
		}
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	tr, err := backoff.NewTransport(base, backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, "http://example.invalid/", strings.NewReader("{}"))
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 2, calls)
}

// The same in a JSON body's __type ("ns#Code:url"), as awsJson services may
// send it and the SDK sanitizes it.
func TestAttackErrorTypeBodyNamespace(t *testing.T) {
	calls := 0
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			body := `{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException:http://internal/","message":"slow down"}`
			return &http.Response{StatusCode: 400, Status: "400 Bad Request", Header: http.Header{},
				Body: &closeRecorder{Reader: strings.NewReader(body)}, Request: r}, nil
		}
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	tr, err := backoff.NewTransport(base, backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, "http://example.invalid/", strings.NewReader("{}"))
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 2, calls)
}
