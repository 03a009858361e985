package main

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/awskit/awskit/weighting"
)

func tourWeighting(w io.Writer) error {
	// A 10% canary as target shares, then as integer Route 53 weights.
	weights, err := weighting.Weights([]float64{0.9, 0.1})
	if err != nil {
		return err
	}
	shares, err := weighting.Shares(weights)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "10%% canary: weights %v give shares %v\n", weights, shares)

	// What one failing health check does to weights 1, 1, 0.
	hs, err := weighting.HealthyShares([]int{1, 1, 0}, []bool{false, true, true})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "weights [1 1 0], first record unhealthy: shares %v\n", hs)

	// A million simulated queries, seeded.
	p, err := weighting.NewPicker(weights)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(2026, 11))
	counts := make([]int, len(weights))
	for range 1_000_000 {
		counts[p.Pick(r)]++
	}
	fmt.Fprintf(w, "1,000,000 simulated queries: %v\n", counts)

	steps, err := weighting.Predefined("LambdaCanary10Percent5Minutes")
	if err != nil {
		return err
	}
	for _, s := range steps {
		old, nw, err := s.Route53Weights()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "LambdaCanary10Percent5Minutes at %v: %g%% new, Route 53 weights %d/%d\n", s.At, s.NewPercent, old, nw)
	}
	return nil
}
