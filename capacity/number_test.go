package capacity_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

var numberCases = []struct {
	in   string
	want int
}{
	{"0", 1}, {"-0", 1}, {"0.000", 1}, {"0e99999", 1}, {"000", 1},
	{"1", 2}, {"9", 2}, {"10", 2}, {"99", 2}, {"100", 2}, {"1000", 2}, {"+5", 2}, {".5", 2}, {"5.", 2},
	{"123", 3}, {"1001", 3}, {"12345", 4}, {"123456", 4},
	{"-1", 3}, {"-123", 4},
	{"0.5", 2}, {"0.05", 2}, {"0.005", 2}, {"1.5", 3}, {"0.011", 3}, {"10.01", 3}, {"3.14159", 5},
	{"1e2", 2}, {"1.5e1", 2}, {"15E-1", 3}, {"1E+2", 2},
	{".120", 2}, {"-.120", 3}, // a point before three digits: 0.12 is one pair, 120 would be two
	{"0.12345678901234567890123456789012345678", 20}, {"-000.00" + strings.Repeat("9", 38), 21}, // 38 significant digits after zeros
	{"00012300", 3}, {"-0.0001", 3},
	{strings.Repeat("9", 38), 20},
	{"-" + strings.Repeat("9", 38), 21},
	{strings.Repeat("9", 38) + "0", 21},
	{"-" + strings.Repeat("9", 38) + "0", 21}, // 22 by the rule, capped at 21
	{"1" + strings.Repeat("0", 100), 2},
	{"1E-130", 2},
	{"9.9999999999999999999999999999999999999E+125", 20},
	{"-1E-130", 3},
	// Recorded against live DynamoDB in dynalite 4.0.0's test/putItem.js
	// (the "item is too big with ... number attribute" cases; see
	// testdata/README.md).
	{strings.Repeat("1", 38) + strings.Repeat("0", 88), 20},
	{"1" + strings.Repeat("0", 125), 2},
	{"11" + strings.Repeat("0", 124), 2},
	{"11111" + strings.Repeat("0", 121), 4},
	{"111111" + strings.Repeat("0", 120), 4},
	{"1111111" + strings.Repeat("0", 119), 5},
	// Recorded in dynalite 4.0.0's test/scan.js page cases.
	{"12.3456", 4}, {"1.23", 3}, {"12.3", 3},
}

func TestNumberSize(t *testing.T) {
	for _, tc := range numberCases {
		got, err := capacity.NumberSize(tc.in)
		require.NoError(t, err, "NumberSize(%q)", tc.in)
		assert.Equal(t, tc.want, got, "NumberSize(%q)", tc.in)
		if o := oracleNumberSize(tc.in); o >= 0 {
			assert.Equal(t, tc.want, o, "oracle(%q)", tc.in)
		}
	}
}

func TestNumberSizeInvalid(t *testing.T) {
	bad := []string{"", "-", "+", ".", "-.", "abc", "1e", "1e+", "1.2.3", " 1", "1 ", "NaN", "Infinity", "-Infinity",
		"0x10", "1_000", "1,5", "--1", "1e1.5", "١",
		strings.Repeat("1", 39),              // 39 significant digits
		"1." + strings.Repeat("0", 37) + "1", // 39 significant digits across the point
		"1E-131", "1E+126", "10E+125", "0.1E-130", "1e999999999999999999999999",
	}
	for _, in := range bad {
		got, err := capacity.NumberSize(in)
		assert.ErrorIs(t, err, capacity.ErrInvalidNumber, "NumberSize(%q) = %d", in, got)
	}
}

// oracleNumberSize is a second, string-based implementation of the pair rule,
// for differential tests: it writes the number out in fixed point, pads both
// sides to whole pairs around the point, and counts the pairs between the first
// and last nonzero pair. It handles exponents up to a few thousand.
func oracleNumberSize(s string) int {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e := s[i+1:]
		sign := 1
		if strings.HasPrefix(e, "-") {
			sign = -1
		}
		e = strings.TrimLeft(e, "+-")
		for _, c := range e {
			exp = exp*10 + int(c-'0')
			if exp > 2000 {
				return -1
			}
		}
		exp *= sign
		s = s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	// Shift the point by exp.
	for ; exp > 0; exp-- {
		if frac == "" {
			intPart += "0"
		} else {
			intPart, frac = intPart+frac[:1], frac[1:]
		}
	}
	for ; exp < 0; exp++ {
		if intPart == "" {
			frac = "0" + frac
		} else {
			intPart, frac = intPart[:len(intPart)-1], intPart[len(intPart)-1:]+frac
		}
	}
	if len(intPart)%2 == 1 {
		intPart = "0" + intPart
	}
	if len(frac)%2 == 1 {
		frac += "0"
	}
	all := intPart + frac
	var pairs []string
	for i := 0; i < len(all); i += 2 {
		pairs = append(pairs, all[i:i+2])
	}
	first, last := -1, -1
	for i, p := range pairs {
		if p != "00" {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return 1
	}
	n := last - first + 2
	if neg {
		n++
	}
	return min(n, 21)
}

func FuzzNumberSize(f *testing.F) {
	for _, tc := range numberCases {
		f.Add(tc.in)
	}
	f.Add("1e-5000")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := capacity.NumberSize(s)
		if err != nil {
			if got != 0 {
				t.Fatalf("NumberSize(%q) = %d with error %v", s, got, err)
			}
			return
		}
		if got < 1 || got > 21 {
			t.Fatalf("NumberSize(%q) = %d, out of [1, 21]", s, got)
		}
		if len(s) < 200 {
			if want := oracleNumberSize(s); want >= 0 && got != want {
				t.Fatalf("NumberSize(%q) = %d, oracle %d", s, got, want)
			}
		}
	})
}
