package backoff_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// The zero Adaptive (var lim backoff.Adaptive; Policy{Limiter: &lim})
// panicked on its first Observe (nil clock); it is now ready.
func TestAttackZeroAdaptive(t *testing.T) {
	var lim backoff.Adaptive
	require.NotPanics(t, func() {
		err := backoff.Retry(context.Background(), backoff.Policy{Limiter: &lim}, func(context.Context) error { return nil })
		assert.NoError(t, err)
		lim.Observe(true)
	})
	assert.Equal(t, 0.5, lim.Rate(), "a throttle with no measured rate: the minimum rate")
}

// A nil *Adaptive in Policy.Limiter (var lim *backoff.Adaptive; set only on
// some path) is a non-nil Limiter interface: Retry called its methods and
// panicked. A nil *Adaptive now limits nothing, as no limiter would.
func TestAttackNilAdaptive(t *testing.T) {
	var lim *backoff.Adaptive
	calls := 0
	var err error
	require.NotPanics(t, func() {
		err = backoff.Retry(context.Background(), backoff.Policy{Limiter: lim}, func(context.Context) error {
			calls++
			return nil
		})
	})
	assert.NoError(t, err)
	assert.Equal(t, 1, calls)
	assert.True(t, math.IsInf(lim.Rate(), 1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, lim.Wait(ctx), context.Canceled)
}

// A nil *Decorrelated (a Policy.Backoff set only on some path) behaves as
// its zero value, which never waits, instead of panicking.
func TestAttackNilDecorrelated(t *testing.T) {
	var d *backoff.Decorrelated
	require.NotPanics(t, func() {
		assert.Zero(t, d.Next())
		got, err := d.BackoffDelay(1, nil)
		assert.NoError(t, err)
		assert.Zero(t, got)
	})
}
