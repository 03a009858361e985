package backoff_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// Retry reports context.Cause (issue 12.18) also when the context ends while
// the limiter makes the attempt wait.
func TestAttackLimiterWaitReportsCause(t *testing.T) {
	cause := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	calls := 0
	err := backoff.Retry(ctx, backoff.Policy{Limiter: backoff.NewAdaptive()}, func(context.Context) error {
		calls++
		return nil
	})
	assert.Equal(t, 0, calls)
	assert.ErrorIs(t, err, backoff.ErrLimiter)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, cause, "the context's cause must be reachable, as for every other context stop")
}
