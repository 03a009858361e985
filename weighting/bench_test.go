package weighting_test

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/awskit/awskit/weighting"
)

var sinkIndex int

// linearScan is what a user writes without this package: draw in [0, sum)
// and walk the cumulative weights.
type linearScan struct {
	cum []int
}

func newLinearScan(w []int) linearScan {
	c := make([]int, len(w))
	s := 0
	for i, x := range w {
		s += x
		c[i] = s
	}
	return linearScan{c}
}

func (l linearScan) pick(r *rand.Rand) int {
	x := r.IntN(l.cum[len(l.cum)-1])
	for i, c := range l.cum {
		if x < c {
			return i
		}
	}
	return len(l.cum) - 1
}

func benchWeights(n int) []int {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	w := make([]int, n)
	for i := range w {
		w[i] = 1 + r.IntN(255)
	}
	return w
}

func BenchmarkPick(b *testing.B) {
	for _, n := range []int{2, 100} {
		w := benchWeights(n)
		b.Run(sizeName(n)+"/awskit", func(b *testing.B) {
			p, err := weighting.NewPicker(w)
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				sinkIndex = p.Pick(r)
			}
		})
		b.Run(sizeName(n)+"/linear-scan", func(b *testing.B) {
			l := newLinearScan(w)
			r := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				sinkIndex = l.pick(r)
			}
		})
		b.Run(sizeName(n)+"/binary-search", func(b *testing.B) {
			l := newLinearScan(w)
			r := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				x := r.IntN(l.cum[len(l.cum)-1])
				sinkIndex = sort.SearchInts(l.cum, x+1)
			}
		})
	}
}

func BenchmarkWeights(b *testing.B) {
	for _, n := range []int{3, 100} {
		targets := randomTargets(rand.New(rand.NewPCG(11, uint64(n))), n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := weighting.Weights(targets); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func sizeName(n int) string {
	if n == 2 {
		return "2-records"
	}
	if n == 3 {
		return "3-records"
	}
	return "100-records"
}
