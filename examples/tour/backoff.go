package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/awskit/awskit/backoff"
)

func tourBackoff(w io.Writer) error {
	r := rand.New(rand.NewPCG(2015, 3)) // seeded: the same delays every run
	base, capDelay := 100*time.Millisecond, 2*time.Second
	rows := []struct {
		name string
		next func(attempt int) time.Duration
	}{
		{"exponential", backoff.Exponential{Base: base, Cap: capDelay}.Delay},
		{"full jitter", backoff.FullJitter{Base: base, Cap: capDelay, Rand: r}.Delay},
		{"equal jitter", backoff.EqualJitter{Base: base, Cap: capDelay, Rand: r}.Delay},
	}
	d := &backoff.Decorrelated{Base: base, Cap: capDelay, Rand: r}
	rows = append(rows, struct {
		name string
		next func(attempt int) time.Duration
	}{"decorrelated", func(int) time.Duration { return d.Next() }})
	fmt.Fprintf(w, "first six delays, base %v, cap %v:\n", base, capDelay)
	for _, row := range rows {
		fmt.Fprintf(w, "  %-13s", row.name)
		for attempt := 1; attempt <= 6; attempt++ {
			fmt.Fprintf(w, " %7v", row.next(attempt).Round(time.Millisecond))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "attempt 10,000 of exponential: %v (no overflow)\n", backoff.Exponential{Base: base, Cap: capDelay}.Delay(10_000))
	return nil
}
