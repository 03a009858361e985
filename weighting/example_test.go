package weighting_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/awskit/awskit/weighting"
)

// A 10% canary: as target shares, as Route 53 weights, and back.
func Example() {
	w, err := weighting.Weights([]float64{0.9, 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	shares, _ := weighting.Shares(w)
	fmt.Println("weights:", w, "shares:", shares)
	// Output: weights: [9 1] shares: [0.9 0.1]
}

func ExampleShares() {
	s, _ := weighting.Shares([]int{1, 255})
	fmt.Printf("%.6f %.6f\n", s[0], s[1])
	s, _ = weighting.Shares([]int{0, 0})
	fmt.Println(s)
	// Output:
	// 0.003906 0.996094
	// [0.5 0.5]
}

func ExampleHealthyShares() {
	weights := []int{1, 1, 0} // two active records and a zero-weight standby
	for _, healthy := range [][]bool{{true, true, true}, {false, true, true}, {false, false, true}, {false, false, false}} {
		s, _ := weighting.HealthyShares(weights, healthy)
		fmt.Println(healthy, s)
	}
	// Output:
	// [true true true] [0.5 0.5 0]
	// [false true true] [0 1 0]
	// [false false true] [0 0 1]
	// [false false false] [0.5 0.5 0]
}

func ExampleWeights() {
	for _, t := range [][]float64{{0.5, 0.5}, {0.99, 0.01}, {0.2, 0.3, 0.5}, {0.999, 0.001}} {
		w, _ := weighting.Weights(t)
		fmt.Println(t, w)
	}
	// Output:
	// [0.5 0.5] [1 1]
	// [0.99 0.01] [99 1]
	// [0.2 0.3 0.5] [2 3 5]
	// [0.999 0.001] [1 0]
}

func ExamplePicker_Pick() {
	p, _ := weighting.NewPicker([]int{9, 1})
	r := rand.New(rand.NewPCG(1, 2)) // seeded: the same picks every run; nil draws from math/rand/v2's global generator
	counts := make([]int, 2)
	for range 100_000 {
		counts[p.Pick(r)]++
	}
	fmt.Println(counts[0] > 89_000 && counts[0] < 91_000, counts[0]+counts[1])
	// Output: true 100000
}

func ExampleLinear() {
	steps, err := weighting.Linear(25, 2*time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range steps {
		old, new, _ := s.Route53Weights()
		alias, _ := s.AliasWeight()
		fmt.Printf("%v %v%% route53=%d/%d alias=%.2f\n", s.At, s.NewPercent, old, new, alias)
	}
	// Output:
	// 0s 25% route53=3/1 alias=0.25
	// 2m0s 50% route53=1/1 alias=0.50
	// 4m0s 75% route53=1/3 alias=0.75
	// 6m0s 100% route53=0/1 alias=1.00
}

func ExampleCanary() {
	fmt.Println(weighting.Canary(10, 5*time.Minute))
	fmt.Println(weighting.Canary(100, 5*time.Minute))
	// Output:
	// [{0s 10} {5m0s 100}] <nil>
	// [] weighting: percent outside 0..100: canary percent 100, want (0, 100)
}

func ExamplePredefined() {
	steps, err := weighting.Predefined("CodeDeployDefault.LambdaLinear10PercentEvery1Minute")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(steps), steps[0], steps[len(steps)-1])
	_, err = weighting.Predefined("LambdaLinear10PercentEvery1Minutes")
	fmt.Println(err)
	// Output:
	// 10 {0s 10} {9m0s 100}
	// weighting: unknown deployment configuration: "LambdaLinear10PercentEvery1Minutes"
}
