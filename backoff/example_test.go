package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/awskit/awskit/backoff"
)

// The first six delays of each strategy, with a seeded source.
func Example() {
	r := rand.New(rand.NewPCG(1, 2))
	base, capDelay := 100*time.Millisecond, 2*time.Second
	strategies := []struct {
		name string
		next func(attempt int) time.Duration
	}{
		{"exponential", backoff.Exponential{Base: base, Cap: capDelay}.Delay},
		{"full", backoff.FullJitter{Base: base, Cap: capDelay, Rand: r.Float64}.Delay},
		{"equal", backoff.EqualJitter{Base: base, Cap: capDelay, Rand: r.Float64}.Delay},
	}
	for _, s := range strategies {
		fmt.Printf("%-12s", s.name)
		for attempt := 1; attempt <= 6; attempt++ {
			fmt.Printf(" %6v", s.next(attempt).Round(time.Millisecond))
		}
		fmt.Println()
	}
	d := &backoff.Decorrelated{Base: base, Cap: capDelay, Rand: r.Float64}
	fmt.Printf("%-12s", "decorrelated")
	for range 6 {
		fmt.Printf(" %6v", d.Next().Round(time.Millisecond))
	}
	fmt.Println()
	// Output:
	// exponential   100ms  200ms  400ms  800ms   1.6s     2s
	// full           68ms   92ms  203ms  344ms 1.276s  777ms
	// equal          91ms  134ms  395ms  513ms 1.284s 1.928s
	// decorrelated  133ms  317ms  693ms 1.612s     2s     2s
}

func ExampleExponential() {
	e := backoff.Exponential{Base: 5 * time.Millisecond, Cap: 2 * time.Second}
	fmt.Println(e.Delay(1), e.Delay(2), e.Delay(9), e.Delay(10), e.Delay(10_000))
	// Output: 5ms 10ms 1.28s 2s 2s
}

func ExampleFullJitter() {
	j := backoff.FullJitter{Base: 100 * time.Millisecond, Cap: time.Second, Rand: func() float64 { return 0.5 }}
	fmt.Println(j.Delay(1), j.Delay(3), j.Delay(100))
	// Output: 50ms 200ms 500ms
}

func ExampleEqualJitter() {
	j := backoff.EqualJitter{Base: 100 * time.Millisecond, Cap: time.Second, Rand: func() float64 { return 0 }}
	fmt.Println(j.Delay(1), j.Delay(3), j.Delay(100))
	// Output: 50ms 200ms 500ms
}

func ExampleDecorrelated() {
	d := &backoff.Decorrelated{Base: 10 * time.Millisecond, Cap: 100 * time.Millisecond, Rand: func() float64 { return 0.5 }}
	fmt.Println(d.Next(), d.Next(), d.Next(), d.Next(), d.Next())
	// Output: 20ms 35ms 57.5ms 91.25ms 100ms
}

func ExampleRetry() {
	throttled := &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}
	p := backoff.Policy{
		MaxAttempts:     4,
		Backoff:         backoff.Exponential{Base: 100 * time.Millisecond, Cap: time.Second},
		ThrottleBackoff: backoff.Exponential{Base: time.Second, Cap: 20 * time.Second},
		OnRetry: func(attempt int, d time.Duration, err error) {
			fmt.Printf("attempt %d failed (%v), waiting %v\n", attempt, err, d)
		},
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }, // no real waiting here
	}
	calls := 0
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		calls++
		if calls < 3 {
			return throttled
		}
		return nil
	})
	fmt.Println("err:", err, "calls:", calls)

	err = backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		return &smithy.GenericAPIError{Code: "ValidationException", Message: "bad key"}
	})
	var apiErr smithy.APIError
	fmt.Println(errors.Is(err, backoff.ErrNotRetryable), errors.As(err, &apiErr) && apiErr.ErrorCode() == "ValidationException")
	// Output:
	// attempt 1 failed (api error ThrottlingException: Rate exceeded), waiting 1s
	// attempt 2 failed (api error ThrottlingException: Rate exceeded), waiting 2s
	// err: <nil> calls: 3
	// true true
}

func ExampleRetryValue() {
	p := backoff.Policy{Sleep: func(ctx context.Context, d time.Duration) error { return nil }}
	n := 0
	v, err := backoff.RetryValue(context.Background(), p, func(ctx context.Context) (int, error) {
		n++
		if n == 1 {
			return 0, &smithy.GenericAPIError{Code: "RequestTimeout"}
		}
		return 42, nil
	})
	fmt.Println(v, err)
	// Output: 42 <nil>
}

// Plugging a strategy into the SDK's standard retryer, for every call of a
// client: config.WithRetryer(func() aws.Retryer { return r }).
func Example_sdkRetryer() {
	r := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 5
		o.Backoff = backoff.FullJitter{Base: 50 * time.Millisecond, Cap: 20 * time.Second}
	})
	d, _ := r.RetryDelay(1, nil)
	fmt.Println(r.MaxAttempts(), d < 50*time.Millisecond)
	// Output: 5 true
}

// A budget shared by every call, as the SDK's standard mode keeps one per
// client: when a dependency fails hard, retries stop before they multiply
// the load.
func Example_budget() {
	p := backoff.Policy{
		MaxAttempts: 10,
		Budget:      ratelimit.NewTokenRateLimit(retry.DefaultRetryRateTokens), // 500 tokens
		Sleep:       func(ctx context.Context, d time.Duration) error { return nil },
	}
	down := &smithy.GenericAPIError{Code: "RequestTimeout"}
	retries := 0
	p.OnRetry = func(int, time.Duration, error) { retries++ }
	var err error
	for range 10 { // ten calls against a dependency that is down
		err = backoff.Retry(context.Background(), p, func(ctx context.Context) error { return down })
	}
	fmt.Println(retries, errors.Is(err, backoff.ErrBudgetExhausted)) // 500/14 = 35 retries in all
	// Output: 35 true
}

func ExampleIsRetryable() {
	fmt.Println(backoff.IsRetryable(&smithy.GenericAPIError{Code: "ProvisionedThroughputExceededException"}))
	fmt.Println(backoff.IsRetryable(&smithy.GenericAPIError{Code: "ConditionalCheckFailedException"}))
	fmt.Println(backoff.IsRetryable(context.Canceled))
	// Output:
	// true
	// false
	// false
}
