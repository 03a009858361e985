package backoff_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// The errors package: "It is invalid for an Unwrap method to return an
// []error containing a nil error value." An *Error without a last operation
// error (no attempt made: invalid policy, limiter refusal before the first
// attempt) must not put nil in its Unwrap; tools walking the tree (testify's
// ErrorIs message builder among them) dereference every entry.
func TestAttackErrorUnwrapHasNoNil(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs := map[string]error{
		"invalid policy": backoff.Retry(context.Background(), backoff.Policy{
			Backoff:    backoff.Exponential{},
			NewBackoff: func() retry.BackoffDelayer { return backoff.Exponential{} },
		}, func(context.Context) error { return nil }),
		"limiter refused": backoff.Retry(ctx, backoff.Policy{Limiter: backoff.NewAdaptive()},
			func(context.Context) error { return nil }),
	}
	for name, err := range errs {
		var e *backoff.Error
		require.ErrorAs(t, err, &e, name)
		assert.Nil(t, e.Last, name)
		for i, w := range e.Unwrap() {
			assert.NotNil(t, w, "%s: Unwrap()[%d]", name, i)
		}
	}
}
