package weighting_test

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/weighting"
)

func maxError(weights []int, targets []float64) float64 {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	e := 0.0
	for i, w := range weights {
		share := 1 / float64(len(weights))
		if sum > 0 {
			share = float64(w) / float64(sum)
		}
		e = max(e, math.Abs(share-targets[i]))
	}
	return e
}

func total(w []int) int {
	s := 0
	for _, x := range w {
		s += x
	}
	return s
}

func TestWeightsTable(t *testing.T) {
	tests := []struct {
		targets []float64
		want    []int
	}{
		{[]float64{1}, []int{1}},
		{[]float64{0.5, 0.5}, []int{1, 1}},
		{[]float64{0.9, 0.1}, []int{9, 1}},
		{[]float64{0.1, 0.9}, []int{1, 9}},
		{[]float64{1, 0}, []int{1, 0}},
		{[]float64{0, 1}, []int{0, 1}},
		{[]float64{0.25, 0.25, 0.5}, []int{1, 1, 2}},
		{[]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, []int{1, 1, 1}},
		{[]float64{0.99, 0.01}, []int{99, 1}},
		{[]float64{0.995, 0.005}, []int{199, 1}},
		{[]float64{0.999, 0.001}, []int{1, 0}}, // 1/256 is farther from 0.001 than 0 is
		{[]float64{1.0 / 256, 255.0 / 256}, []int{1, 255}},
	}
	for _, tc := range tests {
		got, err := weighting.Weights(tc.targets)
		require.NoError(t, err, "Weights(%v)", tc.targets)
		assert.Equal(t, tc.want, got, "Weights(%v)", tc.targets)
	}
}

// bruteForce2 searches every pair of weights (without allocating: the
// claim in BENCHMARKS.md is 1,000 targets, under the race detector too).
func bruteForce2(targets []float64) (best []int, bestErr float64) {
	bestErr = math.Inf(1)
	bestA, bestB := 0, 0
	t0, t1 := targets[0], targets[1] // locals: no memory reads for the race detector to check
	for a := 0; a <= 255; a++ {
		for b := 0; b <= 255; b++ {
			s := a + b
			if s == 0 {
				continue
			}
			fs := float64(s)
			e := max(math.Abs(float64(a)/fs-t0), math.Abs(float64(b)/fs-t1))
			if e < bestErr-1e-12 || (math.Abs(e-bestErr) <= 1e-12 && s < bestA+bestB) {
				bestA, bestB, bestErr = a, b, e
			}
		}
	}
	return []int{bestA, bestB}, bestErr
}

// BENCHMARKS.md's claim: exact against brute force for 1,000 random
// two-record targets (this test is what it counts).
func TestWeightsOptimalTwoRecords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 1000
	if quick() {
		n = 30
	}
	for range n {
		x := r.Float64()
		if r.IntN(4) == 0 {
			x = float64(r.IntN(1000)) / 1000 // round percentages too
		}
		targets := []float64{x, 1 - x}
		got, err := weighting.Weights(targets)
		require.NoError(t, err)
		want, wantErr := bruteForce2(targets)
		gotErr := maxError(got, targets)
		require.InDelta(t, wantErr, gotErr, 1e-9, "Weights(%v) = %v (err %g), brute force %v (err %g)", targets, got, gotErr, want, wantErr)
		require.Equal(t, total(want), total(got), "Weights(%v) = %v, brute force %v: total weight", targets, got, want)
	}
}

// bruteForce3 searches every triple with weights up to limit.
func TestWeightsOptimalThreeRecords(t *testing.T) {
	if quick() {
		t.Skip("brute force over 255^3 triples")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 3 {
		a, b := r.Float64(), r.Float64()
		lo, hi := min(a, b), max(a, b)
		targets := []float64{lo, hi - lo, 1 - hi}
		got, err := weighting.Weights(targets)
		require.NoError(t, err)
		bestErr, bestTotal := math.Inf(1), 0
		w := make([]int, 3)
		for w[0] = 0; w[0] <= 255; w[0]++ {
			for w[1] = 0; w[1] <= 255; w[1]++ {
				for w[2] = 0; w[2] <= 255; w[2]++ {
					s := w[0] + w[1] + w[2]
					if s == 0 {
						continue
					}
					fs := float64(s)
					e := max(math.Abs(float64(w[0])/fs-targets[0]), math.Abs(float64(w[1])/fs-targets[1]), math.Abs(float64(w[2])/fs-targets[2]))
					if e < bestErr-1e-12 || (math.Abs(e-bestErr) <= 1e-12 && s < bestTotal) {
						bestErr, bestTotal = e, s
					}
				}
			}
		}
		assert.InDelta(t, bestErr, maxError(got, targets), 1e-9, "Weights(%v) = %v", targets, got)
		assert.Equal(t, bestTotal, total(got), "Weights(%v) = %v", targets, got)
	}
}

func TestWeightsNeverWorseThanRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cases := 200
	if quick() {
		cases = 20
	}
	for range cases {
		n := 1 + r.IntN(100)
		targets := randomTargets(r, n)
		got, err := weighting.Weights(targets)
		require.NoError(t, err)
		for _, w := range got {
			require.True(t, w >= 0 && w <= 255)
		}
		require.Positive(t, total(got))
		rounded := make([]int, n)
		for i, x := range targets {
			rounded[i] = int(math.Round(x * 255))
		}
		if total(rounded) == 0 {
			continue
		}
		assert.LessOrEqual(t, maxError(got, targets), maxError(rounded, targets)+1e-15, "Weights(%v) = %v worse than rounding %v", targets, got, rounded)
	}
}

func randomTargets(r *rand.Rand, n int) []float64 {
	t := make([]float64, n)
	sum := 0.0
	for i := range t {
		t[i] = r.Float64()
		if r.IntN(5) == 0 {
			t[i] = 0
		}
		sum += t[i]
	}
	if sum == 0 {
		t[0], sum = 1, 1
	}
	for i := range t {
		t[i] /= sum
	}
	return t
}

func TestWeightsInvalid(t *testing.T) {
	tests := []struct {
		targets []float64
		want    error
	}{
		{nil, weighting.ErrNoRecords},
		{make([]float64, 101), weighting.ErrTooManyRecords},
		{[]float64{0.5, 0.4}, weighting.ErrInvalidTarget},
		{[]float64{1.5, -0.5}, weighting.ErrInvalidTarget},
		{[]float64{math.NaN(), 1}, weighting.ErrInvalidTarget},
		{[]float64{math.Inf(1)}, weighting.ErrInvalidTarget},
	}
	for _, tc := range tests {
		got, err := weighting.Weights(tc.targets)
		assert.ErrorIs(t, err, tc.want, "Weights(%v) = %v", tc.targets, got)
	}
}

func FuzzWeights(f *testing.F) {
	f.Add(uint64(1), uint8(2))
	f.Add(uint64(99), uint8(100))
	f.Add(uint64(7), uint8(1))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		k := 1 + int(n)%100
		targets := randomTargets(rand.New(rand.NewPCG(seed, 0)), k)
		got, err := weighting.Weights(targets)
		if err != nil {
			t.Fatalf("Weights(%v): %v", targets, err)
		}
		if len(got) != k || total(got) == 0 {
			t.Fatalf("Weights(%v) = %v", targets, got)
		}
		for _, w := range got {
			if w < 0 || w > 255 {
				t.Fatalf("Weights(%v) = %v: out of range", targets, got)
			}
		}
		if e := maxError(got, targets); math.IsNaN(e) || e > 0.5 {
			t.Fatalf("Weights(%v) = %v: error %g", targets, got, e)
		}
	})
}

func TestWeightsLargeAgainstScaledRounding(t *testing.T) {
	// Targets that are exact multiples of 1/255 come back exact.
	targets := make([]float64, 100)
	w := benchWeights(100)
	sum := total(w)
	for i, x := range w {
		targets[i] = float64(x) / float64(sum)
	}
	got, err := weighting.Weights(targets)
	require.NoError(t, err)
	assert.Less(t, maxError(got, targets), 1e-12, "Weights(shares of %v) = %v", w, got)
	assert.LessOrEqual(t, total(got), sum)
}

// quick reports whether the long brute-force tests run at a reduced size:
// under -short, and under mutation testing, which reruns the package's tests
// for every mutant (AWSKIT_QUICK=1; MUTATION.md says so beside the figures).
func quick() bool { return testing.Short() || os.Getenv("AWSKIT_QUICK") != "" }
