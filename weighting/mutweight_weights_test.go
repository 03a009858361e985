package weighting_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/weighting"
)

// feasibleAt reports whether some integer weights in 0..255 summing to total
// give every record a share within eps of its target. It is an exact test
// that shares nothing with Weights' search: record i can take exactly the
// integers w with |w/total - t_i| <= eps, an interval [lo_i, hi_i], and
// weights summing to total exist iff every interval is non-empty and
// sum(lo) <= total <= sum(hi). The interval ends come from ceil/floor and are
// then corrected with the same |w/total - t| test maxError uses, so float64
// rounding cannot move them.
func feasibleAt(targets []float64, total int, eps float64) bool {
	W := float64(total)
	ok := func(w int, t float64) bool { return math.Abs(float64(w)/W-t) <= eps }
	sumLo, sumHi := 0, 0
	for _, t := range targets {
		lo := min(weighting.MaxWeight, max(0, int(math.Ceil((t-eps)*W))))
		for lo > 0 && ok(lo-1, t) {
			lo--
		}
		for lo <= weighting.MaxWeight && !ok(lo, t) {
			lo++
		}
		hi := max(0, min(weighting.MaxWeight, int(math.Floor((t+eps)*W))))
		for hi < weighting.MaxWeight && ok(hi+1, t) {
			hi++
		}
		for hi >= 0 && !ok(hi, t) {
			hi--
		}
		if lo > hi {
			return false
		}
		sumLo += lo
		sumHi += hi
	}
	return sumLo <= total && total <= sumHi
}

// requireOptimal checks Weights' contract on got with the interval test above,
// over every total from 1 to 255n: no total does better than got's largest
// error by more than the 1e-12 tie tolerance (1.5e-12 here, for float64 noise
// in Weights' own arithmetic), and no smaller total is as good, within half
// the tolerance (an exact tie included).
func requireOptimal(t *testing.T, targets []float64, got []int) {
	t.Helper()
	require.Len(t, got, len(targets), "Weights(%v) = %v", targets, got)
	sum := 0
	for _, w := range got {
		require.True(t, w >= 0 && w <= weighting.MaxWeight, "Weights(%v) = %v: out of range", targets, got)
		sum += w
	}
	require.Positive(t, sum, "Weights(%v) = %v", targets, got)
	e := maxError(got, targets)
	for W := 1; W <= weighting.MaxWeight*len(targets); W++ {
		if W < sum { // feasible at a smaller eps implies feasible here
			require.False(t, feasibleAt(targets, W, e+0.5e-12),
				"Weights(%v) = %v (total %d, error %g): total %d is as good", targets, got, sum, e, W)
			continue
		}
		require.False(t, feasibleAt(targets, W, e-1.5e-12),
			"Weights(%v) = %v (total %d, error %g): total %d is better", targets, got, sum, e, W)
	}
}

// The interval test agrees with exhaustive search (bruteForce2) on two
// records: the brute-force answer passes it at its own error, and no total
// passes it clearly below that error.
func TestFeasibleAtAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 20 {
		x := r.Float64()
		targets := []float64{x, 1 - x}
		want, wantErr := bruteForce2(targets)
		require.True(t, feasibleAt(targets, total(want), wantErr), "%v: brute force %v", targets, want)
		for W := 1; W <= 510; W++ {
			require.False(t, feasibleAt(targets, W, wantErr-1e-12), "%v: total %d beats brute force %v", targets, W, want)
		}
		requireOptimal(t, targets, want)
	}
}

// Targets at the edges the search's bounds and pruning depend on. Each case
// names the mutant of weights.go (gremlins, line:column at bbf2353) it was
// chosen to kill; MUTATION.md lists them.
func TestWeightsEdgeTargets(t *testing.T) {
	tests := []struct {
		name    string
		targets []float64
		want    []int // nil: only the optimality check
	}{
		// 95:63: [255 255 255] at total 765, past floor(255/tmax) = 764,
		// ties exactly with [1 1 1] (the same shares); the smaller total must
		// win.
		{"tie in the capped range", []float64{0.3333457005177214, 0.3333457005177214, 0.3333085989645572}, []int{1, 1, 1}},
		// 73:9: the targets sum to 1 - 2e-10 (allowed), so t*2 lies just
		// below 1 for both records and both must round up (k == n).
		{"sum just below 1", []float64{0.5 - 1e-10, 0.5 - 1e-10}, []int{1, 1}},
		{"five fifths one ulp low", []float64{0.19999999999999998, 0.19999999999999998, 0.19999999999999998, 0.19999999999999998, 0.19999999999999998}, []int{1, 1, 1, 1, 1}},
		// 79:9: the mirror case, every record rounds down (k == n).
		{"sum just above 1", []float64{0.5 + 1e-10, 0.5 + 1e-10}, []int{1, 1}},
		{"quarters just above", []float64{0.25 + 1e-10, 0.25 + 1e-10, 0.5 + 1e-10}, []int{1, 1, 2}},
		// 64:22: three records where one with a large fractional part must
		// round down (the cost counted through ceilSum).
		{"round down above one half", []float64{0.9907520287848882, 0.0024444451182681058, 0.006803526096843692}, nil},
		{"round down above one half 2", []float64{0.9911365572100532, 0.0065228153762461405, 0.002340627413700717}, nil},
		// 84:33: a later total ties within 1e-12 and must not replace the
		// best (three records, where the tie is not caught by pruning).
		{"tie not pruned", []float64{0.9979118688628843, 0.0002723147028679898, 0.0018158164342477585}, nil},
		{"tie not pruned 2", []float64{0.9951158732329026, 0.002405199972059411, 0.002478926795038073}, nil},
		// 94:92: the best total is beyond floor(255/tmax) + 1 (eight records:
		// the capped record's error grows with the total, the others' shrink).
		{"best total two past the cap", []float64{0.17557270331130942, 0.0004455075236257944, 0.1348166128240461, 0.010605441662543649, 0.215536665602967, 0.026856982036533108, 0.2166374248463489, 0.21952866219262587}, nil},
		// 255/tmax on an integer: the last uncapped total.
		{"255/tmax = 300", []float64{0.85, 0.15}, nil},
		{"255/tmax = 300, three", []float64{0.85, 0.1, 0.05}, nil},
		{"255/tmax = 500", []float64{0.51, 0.3, 0.19}, nil},
	}
	for _, tc := range tests {
		got, err := weighting.Weights(tc.targets)
		require.NoError(t, err, "%s: Weights(%v)", tc.name, tc.targets)
		if tc.want != nil {
			require.Equal(t, tc.want, got, "%s: Weights(%v)", tc.name, tc.targets)
		}
		requireOptimal(t, tc.targets, got)
	}
}

// Random targets of the shapes that stress the bounds: one dominant record,
// a largest share of exactly 255/W, equal targets, round percentages, and
// many records (where the best total often lies past floor(255/tmax)).
func TestWeightsOptimalByIntervals(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	cases := 80 // seconds under the race detector
	if quick() {
		cases = 40
	}
	for i := range cases {
		n := 3 + r.IntN(6)
		if i%4 == 3 {
			n = 8 + r.IntN(13)
		}
		targets := make([]float64, n)
		sum := 0.0
		for j := range targets {
			switch i % 4 {
			case 0: // equal pairs
				targets[j] = r.Float64()
				if j > 0 && r.IntN(2) == 0 {
					targets[j] = targets[j-1]
				}
			case 1: // percentages
				targets[j] = float64(r.IntN(100))
			default:
				targets[j] = r.Float64()
			}
			sum += targets[j]
		}
		if sum == 0 {
			targets[0], sum = 1, 1
		}
		for j := range targets {
			targets[j] /= sum
		}
		if i%4 == 2 { // one dominant record, often at exactly 255/W
			top := 0.9 + 0.1*r.Float64()
			if r.IntN(2) == 0 {
				top = 255 / float64(256+r.IntN(30))
			}
			rest := 1 - targets[0]
			targets[0] = top
			for j := 1; j < n; j++ {
				targets[j] *= (1 - top) / rest
			}
		}
		got, err := weighting.Weights(targets)
		require.NoError(t, err, "Weights(%v)", targets)
		requireOptimal(t, targets, got)
	}
}
