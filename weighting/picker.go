package weighting

import "math/rand/v2"

// Picker picks a record index with probability equal to its Route 53 share,
// in O(1) time per pick whatever the number of records (Vose's alias method,
// in integer arithmetic, so the probabilities are exact: weight/sum). It
// simulates which record a query is answered with.
//
// A Picker is immutable after NewPicker and safe for concurrent use. A
// *rand.Rand passed to Pick is not safe for concurrent use: give each
// goroutine its own, or pass nil to use math/rand/v2's top-level functions,
// which are. The zero value is not usable; use NewPicker.
type Picker struct {
	total uint64   // the sum of weights (n when all weights are 0)
	span  uint64   // n * total
	prob  []uint64 // column i keeps index i when a draw in [0, total) is below prob[i]
	alias []int    // otherwise column i gives alias[i]
}

// NewPicker builds a Picker for weights, checked as by Shares. All-zero
// weights pick every record with equal probability, as Route 53 does.
func NewPicker(weights []int) (*Picker, error) {
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	n := len(weights)
	w := make([]uint64, n)
	var total uint64
	for i, x := range weights {
		w[i] = uint64(x)
		total += w[i]
	}
	if total == 0 {
		for i := range w {
			w[i] = 1
		}
		total = uint64(n)
	}
	// Scale each weight by n: the columns then each hold exactly total.
	p := &Picker{total: total, span: uint64(n) * total, prob: make([]uint64, n), alias: make([]int, n)}
	scaled := make([]uint64, n)
	var small, large []int
	for i := range w {
		scaled[i] = w[i] * uint64(n)
		if scaled[i] < total {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		p.prob[s], p.alias[s] = scaled[s], l
		scaled[l] -= total - scaled[s]
		if scaled[l] < total {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What remains holds exactly total (integer arithmetic leaves no residue).
	for _, i := range append(small, large...) {
		p.prob[i], p.alias[i] = total, i
	}
	return p, nil
}

// Pick returns the index of a record, chosen with probability weight/sum,
// using one draw from r: a uniform x in [0, n*total) gives the column x/total
// and the threshold x%total. A nil r draws from math/rand/v2's top-level
// generator (goroutine-safe, randomly seeded: not reproducible).
func (p *Picker) Pick(r *rand.Rand) int {
	var x uint64
	if r == nil {
		x = rand.Uint64N(p.span)
	} else {
		x = r.Uint64N(p.span)
	}
	i := x / p.total
	if x%p.total < p.prob[i] {
		return int(i)
	}
	return p.alias[i]
}

// Len returns the number of records.
func (p *Picker) Len() int { return len(p.prob) }
