package weighting_test

import (
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/weighting"
)

// drawSource makes rand.Rand.Uint64N(n) return a chosen x: Uint64N keeps
// the high word of u*n (Lemire's method; a mask when n is a power of two),
// so u = ceil(x*2^64/n) + 1 gives x with a low word in [n, 2n), which is
// never rejected.
type drawSource struct{ u uint64 }

func (s *drawSource) Uint64() uint64 { return s.u }

func (s *drawSource) set(x, n uint64) {
	if n&(n-1) == 0 {
		s.u = x
		return
	}
	q, r := bits.Div64(x, 0, n)
	if r != 0 {
		q++
	}
	s.u = q + 1
}

// Picker's doc promises exact probabilities, weight/sum, not approximately:
// over every one of the n*total equally likely draws, record i must be
// picked exactly weight_i*n times (n*total/n records when all weights are 0).
func TestPickerIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	sets := [][]int{
		{1}, {0}, {1, 3}, {0, 0, 0}, {255, 1}, {0, 255, 0, 7}, {3, 3, 3, 1},
	}
	for range 6 {
		w := make([]int, 1+rng.IntN(weighting.MaxRecords))
		for i := range w {
			w[i] = rng.IntN(weighting.MaxWeight + 1)
		}
		sets = append(sets, w)
	}
	full := make([]int, weighting.MaxRecords)
	for i := range full {
		full[i] = weighting.MaxWeight - i%3
	}
	sets = append(sets, full)
	for _, weights := range sets {
		p, err := weighting.NewPicker(weights)
		require.NoError(t, err)
		n := uint64(len(weights))
		total := uint64(0)
		for _, w := range weights {
			total += uint64(w)
		}
		want := make([]uint64, n)
		for i, w := range weights {
			want[i] = uint64(w) * n
			if total == 0 {
				want[i] = n
			}
		}
		if total == 0 {
			total = n
		}
		span := n * total
		src := &drawSource{}
		r := rand.New(src)
		// The source really delivers the chosen draws.
		for _, x := range []uint64{0, 1, span / 2, span - 1} {
			if x >= span {
				continue
			}
			src.set(x, span)
			require.Equal(t, x, r.Uint64N(span), "crafted draw for span %d", span)
		}
		got := make([]uint64, n)
		for x := range span {
			src.set(x, span)
			got[p.Pick(r)]++
		}
		require.Equal(t, want, got, "NewPicker(%v): picks over all %d draws", weights, span)
	}
}
