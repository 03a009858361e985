package backoff_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// http.RoundTripper: "RoundTrip must always close the body, including on
// errors". A limiter refusing the first attempt must not leak the body.
func TestAttackTransportClosesBodyWhenLimiterRefuses(t *testing.T) {
	sent := 0
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		_ = r.Body.Close()
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	tr, err := backoff.NewTransport(base, backoff.Policy{Limiter: backoff.NewAdaptive()})
	require.NoError(t, err)
	for _, replayable := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		body := &closeRecorder{Reader: strings.NewReader("payload")}
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, "http://example.invalid/k", body)
		require.NoError(t, err)
		if replayable {
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("payload")), nil }
		}
		resp, err := tr.RoundTrip(req)
		assert.Nil(t, resp)
		assert.ErrorIs(t, err, context.Canceled)
		assert.True(t, body.closed, "replayable=%v: request body not closed", replayable)
	}
	assert.Equal(t, 0, sent)
}
