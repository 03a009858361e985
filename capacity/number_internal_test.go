package capacity

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// decimal.compare orders numbers by value; checked against math/big on
// every pair of a list that holds negatives, zeros, equal values written
// differently, and numbers that differ only in their last digit.
func TestDecimalCompare(t *testing.T) {
	nums := []string{
		"0", "-0", "0.000", "1", "1.0", "10E-1", "-1", "-1.00", "2", "10", "1e1", "-10", "-9.99",
		"0.5", "5e-1", "-0.5", "0.05", "123.456", "123.4560", "123.457", "-123.456", "-123.457",
		"12345678901234567890123456789012345678", "12345678901234567890123456789012345679",
		"-12345678901234567890123456789012345678", "-12345678901234567890123456789012345679",
		"1E-130", "-1E-130", "9.9999999999999999999999999999999999999E+125", "1.2", "1.21", "-1.2", "-1.21",
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(nums), func(i, j int) { nums[i], nums[j] = nums[j], nums[i] })
	for _, a := range nums {
		for _, b := range nums {
			x, err := parseNumber(a)
			if err != nil {
				t.Fatal(err)
			}
			y, err := parseNumber(b)
			if err != nil {
				t.Fatal(err)
			}
			ra, _ := new(big.Rat).SetString(a)
			rb, _ := new(big.Rat).SetString(b)
			if got, want := x.compare(y), ra.Cmp(rb); got != want {
				t.Errorf("compare(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
	sorted := slices.Clone(nums)
	slices.SortFunc(sorted, func(a, b string) int {
		x, _ := parseNumber(a)
		y, _ := parseNumber(b)
		return x.compare(y)
	})
	for i := 1; i < len(sorted); i++ {
		ra, _ := new(big.Rat).SetString(sorted[i-1])
		rb, _ := new(big.Rat).SetString(sorted[i])
		if ra.Cmp(rb) > 0 {
			t.Errorf("sorted: %s before %s", sorted[i-1], sorted[i])
		}
	}
}
