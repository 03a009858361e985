package capacity

import "fmt"

// NumberSize returns the bytes DynamoDB stores for the number n, given as the
// string of an N attribute.
//
// DynamoDB documents the size only "approximately" (1 byte per two significant
// digits, plus 1). This function implements the exact rule behind it, a
// base-100 encoding: the digits are grouped in pairs aligned on the decimal
// point (tens and units form one pair, tenths and hundredths the next); pairs
// before the first and after the last significant digit are dropped; the size
// is the number of pairs kept plus 1, plus 1 more for a negative number, and
// at most 21. Zero, in any spelling, is 1 byte. So "1", "10"
// and "100" are 2 bytes, "123" is 3, "0.5" is 2, "1.5" is 3, "-1" is 3.
//
// Accepted syntax: an optional sign, digits with an optional decimal point (at
// least one digit in all), and an optional exponent ([eE][+-]?digits). Errors
// match ErrInvalidNumber: anything else, more than 38 significant digits, or a
// leading digit outside 10^-130 to 10^125. NumberSize does not allocate on
// success.
func NumberSize(n string) (int, error) {
	d, err := parseNumber(n)
	if err != nil {
		return 0, err
	}
	if d.zero {
		return 1, nil
	}
	size := int(floorHalf(d.hi)-floorHalf(d.lo)) + 2 // pairs + 1
	if d.neg {
		size++
	}
	return min(size, maxNumberBytes), nil
}

// decimal is a parsed number: its sign, whether it is zero, the powers of ten
// of its first and last significant digits, and where those digits are in
// the string it was parsed from (the digits between may include a '.').
type decimal struct {
	s                 string
	neg, zero         bool
	hi, lo            int64
	firstPos, lastPos int
}

// parseNumber parses and checks a number as NumberSize documents.
func parseNumber(n string) (decimal, error) {
	i := 0
	neg := false
	if i < len(n) && (n[i] == '+' || n[i] == '-') {
		neg = n[i] == '-'
		i++
	}
	// Mantissa digits, with the decimal point remembered as a count of digits
	// before it. first and last index the nonzero digits among all digits.
	digits, intDigits, first, last := 0, -1, -1, -1
	firstPos, lastPos := -1, -1
	for ; i < len(n); i++ {
		c := n[i]
		switch {
		case c >= '0' && c <= '9':
			if c != '0' {
				if first < 0 {
					first, firstPos = digits, i
				}
				last, lastPos = digits, i
			}
			digits++
			continue
		case c == '.' && intDigits < 0:
			intDigits = digits
			continue
		}
		break
	}
	if digits == 0 {
		return decimal{}, fmt.Errorf("%w: no digits", ErrInvalidNumber)
	}
	if intDigits < 0 {
		intDigits = digits
	}
	var exp int64
	if i < len(n) && (n[i] == 'e' || n[i] == 'E') {
		i++
		expNeg := false
		if i < len(n) && (n[i] == '+' || n[i] == '-') {
			expNeg = n[i] == '-'
			i++
		}
		start := i
		for ; i < len(n) && n[i] >= '0' && n[i] <= '9'; i++ {
			if exp < 1<<40 { // saturate: far beyond any valid exponent
				exp = exp*10 + int64(n[i]-'0')
			}
		}
		if i == start {
			return decimal{}, fmt.Errorf("%w: exponent without digits", ErrInvalidNumber)
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(n) {
		return decimal{}, fmt.Errorf("%w: unexpected byte at offset %d", ErrInvalidNumber, i)
	}
	if first < 0 {
		return decimal{s: n, zero: true}, nil
	}
	if sig := last - first + 1; sig > maxDigits {
		return decimal{}, fmt.Errorf("%w: %d significant digits, more than %d", ErrInvalidNumber, sig, maxDigits)
	}
	// Powers of ten of the first and last significant digits.
	hi := int64(intDigits-1-first) + exp
	lo := int64(intDigits-1-last) + exp
	if hi < minExponent || hi > maxExponent {
		return decimal{}, fmt.Errorf("%w: magnitude out of range (leading digit at 10^%d, allowed 10^%d to 10^%d)", ErrInvalidNumber, hi, minExponent, maxExponent)
	}
	return decimal{s: n, neg: neg, hi: hi, lo: lo, firstPos: firstPos, lastPos: lastPos}, nil
}

// floorHalf returns floor(p/2): the index of the base-100 pair holding the
// digit of power p.
func floorHalf(p int64) int64 {
	if p < 0 {
		return -((-p + 1) / 2)
	}
	return p / 2
}

// maxNumberBytes is the largest size NumberSize returns: 20 bytes of digit
// pairs for 38 significant digits, plus 1 (see NumberSize and
// testdata/README.md for the evidence on negative numbers).
const maxNumberBytes = 21

// compare orders two parsed numbers by value: -1, 0 or +1.
func (a decimal) compare(b decimal) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		return cmpInt(sa, sb)
	}
	if sa == 0 {
		return 0
	}
	m := a.compareMagnitude(b)
	if a.neg {
		return -m
	}
	return m
}

func (a decimal) sign() int {
	switch {
	case a.zero:
		return 0
	case a.neg:
		return -1
	}
	return 1
}

// compareMagnitude compares |a| and |b|, both nonzero: by the power of the
// leading digit, then digit by digit; a digit sequence that is a prefix of
// the other is the smaller.
func (a decimal) compareMagnitude(b decimal) int {
	if a.hi != b.hi {
		return cmpInt(a.hi, b.hi)
	}
	i, j := a.firstPos, b.firstPos
	for {
		for i <= a.lastPos && a.s[i] == '.' {
			i++
		}
		for j <= b.lastPos && b.s[j] == '.' {
			j++
		}
		switch {
		case i > a.lastPos && j > b.lastPos:
			return 0
		case i > a.lastPos:
			return -1
		case j > b.lastPos:
			return 1
		case a.s[i] != b.s[j]:
			return cmpInt(a.s[i], b.s[j])
		}
		i++
		j++
	}
}

func cmpInt[T int | int64 | byte](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
