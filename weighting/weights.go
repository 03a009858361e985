package weighting

import (
	"fmt"
	"math"
	"slices"
)

// targetTolerance is how far from 1 the targets may sum.
const targetTolerance = 1e-9

// tieTolerance: errors within this absolute distance count as equally good, so
// that float64 rounding (about 1e-15 here) never lets a larger total win a true
// tie: 0.14 is not exactly 7/50, and [7 43] must still beat [35 215].
const tieTolerance = 1e-12

// Weights returns integer weights in 0..255, one per target, whose Route 53
// shares (weight / sum) are closest to the targets: the largest absolute
// difference between a share and its target is as small as possible, and
// among equally good answers the total weight is the smallest. Weights never
// returns all zeros (which Route 53 reads as equal shares): an even split of
// two records is [1 1].
//
// Targets are fractions in [0, 1] summing to 1 within 1e-9
// (ErrInvalidTarget), one per record (ErrNoRecords, ErrTooManyRecords).
//
// The result is optimal, not a rounding heuristic. For every total W from 1 to
// floor(255 / largest target) (the totals at which no weight must be capped at
// 255 below its target), the smallest achievable error follows in closed form
// from the fractional parts of target*W: the records whose values round
// up or down are the cheapest ones to move, found by selection. Larger totals
// are examined directly while the cap's unavoidable error is still below the
// best found. The best W is then filled by a greedy that is optimal for a
// fixed total. Errors within 1e-12 of each other count as equal, so float64
// rounding never decides a tie. Complexity: O(W_max * n log n) with
// W_max <= 255n, so O(n^2 log n) in the worst case (see BENCHMARKS.md for
// measured times).
func Weights(targets []float64) ([]int, error) {
	if err := checkTargets(targets); err != nil {
		return nil, err
	}
	n := len(targets)
	tmax := slices.Max(targets)
	wmax := int(math.Floor(MaxWeight/tmax + 1e-9))
	wmax = min(wmax, MaxWeight*n)

	up := make([]float64, n)   // cost of raising each record one step above floor(t*W)
	down := make([]float64, n) // cost of lowering each record one step below ceil(t*W)
	bestW, bestErr := 0, math.Inf(1)
	for w := 1; w <= wmax; w++ {
		W := float64(w)
		floorSum, ceilSum := 0, 0
		dmax := 0.0 // the error no assignment can avoid: distance to the nearest integer
		for i, t := range targets {
			x := t * W
			f := math.Floor(x)
			frac := x - f
			floorSum += int(f)
			if frac == 0 {
				ceilSum += int(f)
				up[i], down[i] = 1, 1
				continue
			}
			ceilSum += int(f) + 1
			up[i], down[i] = 1-frac, frac
			dmax = max(dmax, min(frac, 1-frac))
		}
		if dmax/W >= bestErr-tieTolerance {
			continue // cannot beat the best so far
		}
		e := dmax
		if k := w - floorSum; k > 0 {
			if k > n {
				continue // only float64 drift in the targets' sum can get here
			}
			e = max(e, kth(up, k-1))
		}
		if k := ceilSum - w; k > 0 {
			if k > n {
				continue
			}
			e = max(e, kth(down, k-1))
		}
		if err := e / W; err < bestErr-tieTolerance {
			bestW, bestErr = w, err
			if err < tieTolerance {
				break // nothing can beat it by more than the tolerance
			}
		}
	}
	// Beyond wmax the largest target's weight is capped at 255 below t*W, an
	// error of at least tmax - 255/W that grows with W: only the few totals
	// where that bound is still below the best need a look, filled directly.
	for w := wmax + 1; w <= MaxWeight*n && tmax-MaxWeight/float64(w) < bestErr-tieTolerance; w++ {
		if err := maxError(fill(targets, w), targets); err < bestErr-tieTolerance {
			bestW, bestErr = w, err
		}
	}
	if bestW == 0 {
		return nil, fmt.Errorf("%w: no total weight fits", ErrInvalidTarget)
	}
	return fill(targets, bestW), nil
}

// fill returns the weights summing to total that minimise the largest
// |w_i - t_i*total|: start from the nearest integers, then move one unit at a
// time where it costs least. Each record's cost of another unit only grows, so
// picking the cheapest unit each time minimises the largest cost paid.
func fill(targets []float64, total int) []int {
	w := make([]int, len(targets))
	sum := 0
	for i, t := range targets {
		w[i] = min(MaxWeight, int(math.Round(t*float64(total))))
		sum += w[i]
	}
	for ; sum != total; sum += sign(total - sum) {
		step := sign(total - sum)
		best, bestCost := -1, math.Inf(1)
		for i, t := range targets {
			next := w[i] + step
			if next < 0 || next > MaxWeight {
				continue
			}
			if c := math.Abs(float64(next) - t*float64(total)); c < bestCost {
				best, bestCost = i, c
			}
		}
		w[best] += step
	}
	return w
}

func sign(x int) int {
	if x < 0 {
		return -1
	}
	return 1
}

func checkTargets(targets []float64) error {
	switch {
	case len(targets) == 0:
		return ErrNoRecords
	case len(targets) > MaxRecords:
		return fmt.Errorf("%w: %d targets", ErrTooManyRecords, len(targets))
	}
	sum := 0.0
	for i, t := range targets {
		if !(t >= 0 && t <= 1) {
			return fmt.Errorf("%w: target %d is %g, want a fraction in [0, 1]", ErrInvalidTarget, i, t)
		}
		sum += t
	}
	if math.Abs(sum-1) > targetTolerance {
		return fmt.Errorf("%w: targets sum to %.12g, want 1", ErrInvalidTarget, sum)
	}
	return nil
}

// maxError returns the largest |weight/sum - target|.
func maxError(weights []int, targets []float64) float64 {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	e := 0.0
	for i, w := range weights {
		e = max(e, math.Abs(float64(w)/float64(sum)-targets[i]))
	}
	return e
}

// kth returns the k-th smallest (0-based) of a, reordering a (quickselect,
// expected O(len(a))).
func kth(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	for lo < hi {
		// Median of three as the pivot.
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}
