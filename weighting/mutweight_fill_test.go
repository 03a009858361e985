package weighting

import (
	"math"
	"math/rand/v2"
	"testing"
)

// fill above 255 per record, against brute force: weights within 0..255 that
// sum to the total, and no such triple with a smaller largest
// |w_i - t_i*total|. The first case must raise a record from 254 to exactly
// 255 (gremlins' weights.go 121:24, `next >= MaxWeight`, forbade that).
func TestFillAtTheCap(t *testing.T) {
	type tc struct {
		targets []float64
		total   int
	}
	cases := []tc{
		// 255.4, 254.4 and 57.2 of 567: rounding gives 255 (capped), 254, 57,
		// one short; the cheapest unit is 254 -> 255 (cost 0.6, not 0.8).
		{[]float64{255.4 / 567, 254.4 / 567, 1 - 255.4/567 - 254.4/567}, 567},
	}
	r := rand.New(rand.NewPCG(15, 16))
	for range 60 {
		a, b := r.Float64(), r.Float64()
		lo, hi := min(a, b), max(a, b)
		cases = append(cases, tc{[]float64{lo, hi - lo, 1 - hi}, 256 + r.IntN(510)})
	}
	for _, c := range cases {
		targets, total := c.targets, c.total
		dev := func(w []int) float64 {
			d := 0.0
			for i, x := range w {
				d = max(d, math.Abs(float64(x)-targets[i]*float64(total)))
			}
			return d
		}
		w := fill(targets, total)
		if w[0]+w[1]+w[2] != total {
			t.Fatalf("fill(%v, %d) = %v: sum", targets, total, w)
		}
		for _, x := range w {
			if x < 0 || x > MaxWeight {
				t.Fatalf("fill(%v, %d) = %v: out of range", targets, total, w)
			}
		}
		best := math.Inf(1) // totals are at most 765, so some triple sums to each
		for x := 0; x <= MaxWeight; x++ {
			for y := 0; y <= MaxWeight; y++ {
				if z := total - x - y; z >= 0 && z <= MaxWeight {
					best = min(best, dev([]int{x, y, z}))
				}
			}
		}
		if got := dev(w); got > best+1e-9 {
			t.Fatalf("fill(%v, %d) = %v: deviation %v, brute force %v", targets, total, w, got, best)
		}
	}
}
