package backoff_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// Issue 12.17's defect with this package's own retries: a helper that
// retries with Retry, called inside another Retry, gave attempts x attempts
// (3 x 3 = 9 calls), because the inner *Error unwraps to its last,
// retryable, error. An *Error after more than one attempt already retried;
// one from a single attempt (MaxAttempts below 0) is judged by its errors,
// as the SDK's MaxAttemptsError for one attempt is.
func TestAttackNestedRetryDoesNotMultiply(t *testing.T) {
	p := backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }}
	calls := 0
	down := func(context.Context) error {
		calls++
		return httpErr{&http.Response{StatusCode: 503, Status: "503", Header: http.Header{}}}
	}
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		return backoff.Retry(ctx, p, down)
	})
	require.ErrorIs(t, err, backoff.ErrNotRetryable)
	assert.Equal(t, 3, calls, "the inner Retry's 3 attempts, not 3 x 3")

	calls = 0
	once := p
	once.MaxAttempts = -1
	err = backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		return backoff.Retry(ctx, once, down)
	})
	require.ErrorIs(t, err, backoff.ErrAttemptsExhausted)
	assert.Equal(t, 3, calls, "the outer Retry's 3 attempts of one call each")
}
