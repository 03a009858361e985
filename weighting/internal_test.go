package weighting

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// kth against sorting, for every k, with duplicates and sorted/reversed
// inputs.
func TestKth(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 1; n <= 40; n++ {
		for _, shape := range []string{"random", "few values", "sorted", "reversed"} {
			a := make([]float64, n)
			for i := range a {
				switch shape {
				case "random":
					a[i] = r.Float64()
				case "few values":
					a[i] = float64(r.IntN(3))
				case "sorted":
					a[i] = float64(i)
				case "reversed":
					a[i] = float64(n - i)
				}
			}
			want := slices.Clone(a)
			slices.Sort(want)
			for k := range n {
				if got := kth(slices.Clone(a), k); got != want[k] {
					t.Fatalf("kth(%v, %d) = %v, want %v (%s)", a, k, got, want[k], shape)
				}
			}
		}
	}
}

// fill against brute force: for a fixed total, no weight vector summing to
// it has a smaller largest |w_i - t_i*total|.
func TestFillIsOptimalForItsTotal(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 300 {
		a, b := r.Float64(), r.Float64()
		lo, hi := min(a, b), max(a, b)
		targets := []float64{lo, hi - lo, 1 - hi}
		if r.IntN(3) == 0 {
			targets = []float64{lo, 1 - lo, 0}
		}
		total := 1 + r.IntN(40)
		w := fill(targets, total)
		if w[0]+w[1]+w[2] != total {
			t.Fatalf("fill(%v, %d) = %v: sum", targets, total, w)
		}
		dev := func(w []int) float64 {
			d := 0.0
			for i, x := range w {
				d = max(d, math.Abs(float64(x)-targets[i]*float64(total)))
			}
			return d
		}
		best := math.Inf(1)
		for x := 0; x <= total; x++ {
			for y := 0; x+y <= total; y++ {
				best = min(best, dev([]int{x, y, total - x - y}))
			}
		}
		if got := dev(w); got > best+1e-9 {
			t.Fatalf("fill(%v, %d) = %v: deviation %v, brute force %v", targets, total, w, got, best)
		}
	}
	// Totals beyond 255 per record: the cap holds and the sum is exact.
	w := fill([]float64{0.99, 0.01}, 300)
	if w[0] != MaxWeight || w[0]+w[1] != 300 {
		t.Fatalf("fill([0.99 0.01], 300) = %v", w)
	}
	w = fill([]float64{0.5, 0.5}, 3)
	if w[0]+w[1] != 3 || w[0] < 1 || w[1] < 1 {
		t.Fatalf("fill([0.5 0.5], 3) = %v", w)
	}
}

func TestMaxError(t *testing.T) {
	if got := maxError([]int{1, 3}, []float64{0.5, 0.5}); got != 0.25 {
		t.Fatalf("maxError = %v, want 0.25", got)
	}
	if got := maxError([]int{9, 1}, []float64{0.9, 0.1}); got > 1e-15 {
		t.Fatalf("maxError = %v, want 0", got)
	}
}
