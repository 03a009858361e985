package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
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
		{"full", backoff.FullJitter{Base: base, Cap: capDelay, Rand: r}.Delay},
		{"equal", backoff.EqualJitter{Base: base, Cap: capDelay, Rand: r}.Delay},
	}
	for _, s := range strategies {
		fmt.Printf("%-12s", s.name)
		for attempt := 1; attempt <= 6; attempt++ {
			fmt.Printf(" %6v", s.next(attempt).Round(time.Millisecond))
		}
		fmt.Println()
	}
	d := &backoff.Decorrelated{Base: base, Cap: capDelay, Rand: r}
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

// Delays are uniform in [0, min(Cap, Base*2^(attempt-1))): below 100 ms,
// 400 ms and 1 s here. A seeded source gives the same delays every run; nil
// uses math/rand/v2's runtime-seeded functions.
func ExampleFullJitter() {
	j := backoff.FullJitter{Base: 100 * time.Millisecond, Cap: time.Second, Rand: rand.New(rand.NewPCG(1, 2))}
	fmt.Println(j.Delay(1).Round(time.Millisecond), j.Delay(3).Round(time.Millisecond), j.Delay(100).Round(time.Millisecond))
	// Output: 68ms 185ms 509ms
}

// Delays are half the ceiling plus a uniform draw below the other half: in
// [50, 100) ms, [200, 400) ms and [500 ms, 1 s) here.
func ExampleEqualJitter() {
	j := backoff.EqualJitter{Base: 100 * time.Millisecond, Cap: time.Second, Rand: rand.New(rand.NewPCG(1, 2))}
	fmt.Println(j.Delay(1).Round(time.Millisecond), j.Delay(3).Round(time.Millisecond), j.Delay(100).Round(time.Millisecond))
	// Output: 84ms 292ms 754ms
}

// Each delay is drawn from [Base, 3*previous), capped.
func ExampleDecorrelated() {
	d := &backoff.Decorrelated{Base: 10 * time.Millisecond, Cap: 100 * time.Millisecond, Rand: rand.New(rand.NewPCG(1, 2))}
	for range 5 {
		fmt.Print(d.Next().Round(time.Millisecond), " ")
	}
	fmt.Println()
	// Output: 24ms 38ms 63ms 87ms 100ms
}

// A stateful strategy, or one holding a *rand.Rand, gets a fresh value for
// every Retry call through Policy.NewBackoff, so one Policy serves
// concurrent calls.
func ExamplePolicy_newBackoff() {
	p := backoff.Policy{
		NewBackoff: func() retry.BackoffDelayer {
			return &backoff.Decorrelated{Base: 100 * time.Millisecond, Cap: 5 * time.Second}
		},
		OnRetry: func(attempt int, d time.Duration, err error) {
			fmt.Println("attempt", attempt, "waits in [100ms, 300ms):", d >= 100*time.Millisecond && d < 300*time.Millisecond)
		},
		Sleep: func(ctx context.Context, d time.Duration) error { return nil },
	}
	calls := 0
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		if calls++; calls == 1 {
			return &smithy.GenericAPIError{Code: "RequestTimeout"}
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// attempt 1 waits in [100ms, 300ms): true
	// <nil>
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

// Adaptive slows a client down once it is throttled: the fill rate follows
// botocore's CUBIC controller. Time is a fake clock here.
func ExampleAdaptive() {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	a := backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) {
		o.Now = func() time.Time { return now }
		o.Sleep = func(ctx context.Context, d time.Duration) error { now = now.Add(d); return nil }
	})
	fmt.Println("before any throttle:", a.Rate())
	for i := range 40 { // 40 requests/s for a second; the last ten throttled
		_ = a.Wait(context.Background())
		now = now.Add(25 * time.Millisecond)
		a.Observe(i >= 30)
	}
	fmt.Printf("after throttling: %.2f requests/s\n", a.Rate())
	start := now
	for range 5 {
		_ = a.Wait(context.Background())
	}
	fmt.Println("five sends took", now.Sub(start).Round(time.Millisecond))
	// Output:
	// before any throttle: +Inf
	// after throttling: 0.90 requests/s
	// five sends took 5.496s
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A retrying transport for an http.Client: here in front of a fake server
// that throttles the first attempt with S3's 503 SlowDown.
func ExampleNewTransport() {
	attempts := 0
	server := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts++
		body, status := "ok", http.StatusOK
		if attempts == 1 {
			body, status = "<Error><Code>SlowDown</Code></Error>", http.StatusServiceUnavailable
		}
		return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
	rt, err := backoff.NewTransport(server, backoff.Policy{
		OnRetry: func(attempt int, d time.Duration, err error) { fmt.Println("retrying after", err) },
		Sleep:   func(ctx context.Context, d time.Duration) error { return nil }, // no real waiting here
		Limiter: backoff.NewAdaptive(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	client := &http.Client{Transport: rt}
	resp, err := client.Post("https://example-bucket.s3.amazonaws.com/key", "text/plain", strings.NewReader("data"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body), "after", attempts, "attempts")
	// Output:
	// retrying after backoff: HTTP Service Unavailable SlowDown
	// 200 ok after 2 attempts
}
