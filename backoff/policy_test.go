package backoff_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// sequenceDelayer is a caller's own stateful strategy: it fails the test if
// it sees attempts out of order, which sharing between calls would cause.
type sequenceDelayer struct {
	next int
	r    *rand.Rand // not safe for concurrent use: -race sees sharing
	errs chan<- error
}

func (s *sequenceDelayer) BackoffDelay(attempt int, err error) (time.Duration, error) {
	s.next++
	if attempt != s.next {
		s.errs <- errors.New("attempts out of order: state shared between calls")
	}
	return time.Duration(s.r.IntN(10)), nil
}

// Issue 13.3: a caller's own stateful strategy, under concurrent Retry calls
// sharing one Policy, gets its own state per call (run with -race).
func TestRetryNewBackoffConcurrent(t *testing.T) {
	errs := make(chan error, 1000)
	var mu sync.Mutex
	made := 0
	p := backoff.Policy{
		MaxAttempts: 5,
		NewBackoff: func() retry.BackoffDelayer {
			mu.Lock()
			made++
			mu.Unlock()
			return &sequenceDelayer{r: rand.New(rand.NewPCG(1, 2)), errs: errs}
		},
		Sleep: func(ctx context.Context, d time.Duration) error { return nil },
	}
	transient := &smithy.GenericAPIError{Code: "RequestTimeout"}
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := backoff.Retry(context.Background(), p, func(context.Context) error { return transient })
			assert.ErrorIs(t, err, backoff.ErrAttemptsExhausted)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, 32, made, "one strategy per call")
}

// A *Decorrelated shared through Policy.Backoff is race-free (its mutex), as
// its doc promises, even though the calls then share one random walk.
func TestDecorrelatedSharedIsRaceFree(t *testing.T) {
	d := &backoff.Decorrelated{Base: ms, Cap: 50 * ms, Rand: rand.New(rand.NewPCG(3, 4))}
	p := backoff.Policy{MaxAttempts: 4, Backoff: d, Sleep: func(ctx context.Context, d time.Duration) error { return nil }}
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = backoff.Retry(context.Background(), p, func(context.Context) error {
				return &smithy.GenericAPIError{Code: "RequestTimeout"}
			})
		}()
	}
	wg.Wait()
	v := d.Next()
	assert.True(t, v >= ms && v <= 50*ms, "%v", v)
}

func TestRetryInvalidPolicy(t *testing.T) {
	p := backoff.Policy{
		Backoff:    backoff.Exponential{Base: ms},
		NewBackoff: func() retry.BackoffDelayer { return backoff.Exponential{Base: ms} },
	}
	calls := 0
	err := backoff.Retry(context.Background(), p, func(context.Context) error { calls++; return nil })
	assert.ErrorIs(t, err, backoff.ErrInvalidPolicy)
	assert.Zero(t, calls, "no attempt with an ambiguous policy")
	var e *backoff.Error
	require.ErrorAs(t, err, &e)
	assert.Zero(t, e.Attempts)
	assert.NoError(t, e.Last)
	assert.Equal(t, "backoff: invalid policy: both Backoff and NewBackoff are set after 0 attempts", err.Error())
	_, err = backoff.NewTransport(nil, p)
	assert.ErrorIs(t, err, backoff.ErrInvalidPolicy)
}

// Issue 13.6: the stop reason is the field Err; Unwrap reaches it and Last.
func TestErrorFields(t *testing.T) {
	c := &fakeClock{}
	err := backoff.Retry(context.Background(), policy(c), func(context.Context) error { return throttled })
	var e *backoff.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, backoff.ErrAttemptsExhausted, e.Err)
	assert.Equal(t, throttled, e.Last)
	assert.Equal(t, []error{e.Err, e.Last}, e.Unwrap())
	assert.Equal(t, "backoff: attempts exhausted after 3 attempts: api error ThrottlingException: Rate exceeded", err.Error())
}

// The budget uses the SDK's names and constants (issue 13.5).
func TestBudgetDefaultsAreTheSDKs(t *testing.T) {
	assert.Equal(t, retry.DefaultMaxAttempts, backoff.DefaultMaxAttempts)
	assert.Equal(t, retry.DefaultMaxBackoff, backoff.DefaultCap)
	assert.Equal(t, uint(14), backoff.DefaultRetryCost)
}
