package capacity

// QueryBytes runs Query's page arithmetic over sizes alone, each size standing
// for both the ItemSize and the PageSize of an item: the page sums can then be
// driven to int limits, which real items never reach.
func QueryBytes(sizes []int, c Consistency) float64 {
	p := pager{c: c}
	for _, n := range sizes {
		p.add(n, n)
	}
	p.end()
	return p.total
}
