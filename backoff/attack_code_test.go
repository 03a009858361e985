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
