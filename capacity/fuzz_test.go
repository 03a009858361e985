package capacity_test

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/awskit/awskit/capacity"
)

// treeBuilder builds an AttributeValue tree from fuzz bytes, and returns
// alongside it the size the documented rules give, computed independently of
// the package (bottom-up as the tree is built; numbers by the oracle). ok is
// false when the tree holds a value the package must reject.
type treeBuilder struct {
	data []byte
}

func (tb *treeBuilder) next() byte {
	if len(tb.data) == 0 {
		return 0
	}
	c := tb.data[0]
	tb.data = tb.data[1:]
	return c
}

func (tb *treeBuilder) str() string {
	k := int(tb.next() % 8)
	if k > len(tb.data) {
		k = len(tb.data)
	}
	s := string(tb.data[:k])
	tb.data = tb.data[k:]
	return s
}

// number builds a number from fuzz bytes (sign, up to 20 digits, a decimal
// point, an exponent of up to +-20, or an invalid spelling) and returns its
// size by the string-based oracle of number_test.go, which shares no code
// with NumberSize, and whether DynamoDB accepts it.
func (tb *treeBuilder) number() (string, int, bool) {
	flags := tb.next()
	if flags%16 == 15 {
		return "x" + tb.str(), 0, false
	}
	var s []byte
	if flags&1 != 0 {
		s = append(s, '-')
	}
	k := 1 + int(tb.next()%20)
	for i := range k {
		s = append(s, '0'+tb.next()%10)
		if flags&2 != 0 && i == k/2 {
			s = append(s, '.')
		}
	}
	if flags&4 != 0 {
		s = append(s, fmt.Sprintf("e%d", int(tb.next()%41)-20)...)
	}
	x := string(s)
	return x, oracleNumberSize(x), true
}

func (tb *treeBuilder) value(depth int) (v types.AttributeValue, size int, ok bool) {
	switch tb.next() % 10 {
	case 0:
		x := tb.str()
		return &types.AttributeValueMemberS{Value: x}, len(x), true
	case 1:
		x, size, ok := tb.number()
		return &types.AttributeValueMemberN{Value: x}, size, ok
	case 2:
		x := []byte(tb.str())
		return &types.AttributeValueMemberB{Value: x}, len(x), true
	case 3:
		return &types.AttributeValueMemberBOOL{Value: tb.next()%2 == 0}, 1, true
	case 4:
		null := tb.next()%4 != 0
		return &types.AttributeValueMemberNULL{Value: null}, 1, null
	case 5:
		k := int(tb.next() % 4)
		set := make([]string, k)
		size, empties := 0, 0
		for i := range set {
			set[i] = tb.str()
			size += len(set[i])
			if set[i] == "" {
				empties++
			}
		}
		// A repeated "" is a duplicate ItemSize reports (other duplicates
		// are Validate's).
		return &types.AttributeValueMemberSS{Value: set}, size, k > 0 && empties < 2
	case 6, 7:
		k := int(tb.next() % 4)
		list := make([]types.AttributeValue, k)
		size, ok := 3, depth <= 32
		for i := range list {
			e, es, eok := tb.value(depth + 1)
			list[i], size, ok = e, size+1+es, ok && eok
		}
		return &types.AttributeValueMemberL{Value: list}, size, ok
	default:
		k := int(tb.next() % 4)
		mm := make(map[string]types.AttributeValue, k)
		size, ok := 3, depth <= 32
		for range k {
			key := tb.str()
			if _, dup := mm[key]; dup {
				continue
			}
			e, es, eok := tb.value(depth + 1)
			mm[key], size, ok = e, size+len(key)+1+es, ok && eok
		}
		return &types.AttributeValueMemberM{Value: mm}, size, ok
	}
}

func FuzzItemSize(f *testing.F) {
	f.Add([]byte{6, 3, 0, 3, 'a', 'b', 'c'})
	f.Add([]byte{8, 2, 1, 'k', 6, 1, 1, 3, 4, 1})
	f.Add([]byte{5, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		tb := &treeBuilder{data: data}
		it := map[string]types.AttributeValue{}
		want, wantOK := 0, true
		for len(tb.data) > 0 && len(it) < 16 {
			name := tb.str()
			if _, dup := it[name]; dup {
				continue
			}
			v, size, ok := tb.value(1)
			it[name] = v
			want += len(name) + size
			wantOK = wantOK && ok
		}
		got, err := capacity.ItemSize(it)
		if !wantOK {
			if err == nil {
				t.Fatalf("ItemSize accepted an invalid item: %d", got)
			}
			return
		}
		if err != nil {
			t.Fatalf("ItemSize: %v", err)
		}
		if got != want {
			t.Fatalf("ItemSize = %d, the rules give %d", got, want)
		}
		// Additivity: the item is the sum of its names and attribute sizes.
		sum := 0
		for name, v := range it {
			s, err := capacity.AttributeSize(v)
			if err != nil {
				t.Fatal(err)
			}
			sum += len(name) + s
		}
		if sum != got {
			t.Fatalf("ItemSize = %d, sum of attributes %d", got, sum)
		}
	})
}

// FuzzValidateNumberSet checks duplicate detection in number sets against
// math/big: the fuzz string is split on commas into numbers (the valid ones
// kept), and Validate must report a duplicate exactly when two of them are
// equal as rationals. More than 64 numbers take the sorting path.
func FuzzValidateNumberSet(f *testing.F) {
	f.Add("1,1.0")
	f.Add("1,2,3,10E-1")
	f.Add("-0,0,0.5,5e-1")
	f.Add(strings.Repeat("7,", 70) + "8")
	f.Fuzz(func(t *testing.T, in string) {
		var set []string
		for _, s := range strings.Split(in, ",") {
			if _, err := capacity.NumberSize(s); err == nil && len(set) < 200 {
				set = append(set, s)
			}
		}
		if len(set) == 0 {
			return
		}
		want := false
		seen := map[string]bool{}
		for _, s := range set {
			r, ok := new(big.Rat).SetString(s)
			if !ok {
				t.Skipf("math/big does not parse %q", s)
			}
			k := r.RatString()
			want = want || seen[k]
			seen[k] = true
		}
		err := capacity.Validate(map[string]types.AttributeValue{"n": &types.AttributeValueMemberNS{Value: set}})
		if got := errors.Is(err, capacity.ErrInvalidValue); got != want {
			t.Fatalf("Validate(%q) = %v, want a duplicate: %v", set, err, want)
		}
		if err != nil && !errors.Is(err, capacity.ErrInvalidValue) {
			t.Fatalf("Validate(%q) = %v", set, err)
		}
	})
}

// FuzzPages checks Query and Pages against each other and the page rules on
// trees built from fuzz bytes: every page but the last is full, the units of
// a page are its bytes rounded up to 4 KB, and Query is the sum of Pages.
func FuzzPages(f *testing.F) {
	f.Add([]byte{6, 3, 0, 3, 'a', 'b', 'c'}, uint16(3))
	f.Add([]byte{0, 7, 'x', 'y', 'z', 'w', 'q', 'r', 's'}, uint16(500))
	f.Fuzz(func(t *testing.T, data []byte, copies uint16) {
		tb := &treeBuilder{data: data}
		it := map[string]types.AttributeValue{}
		for len(tb.data) > 0 && len(it) < 8 {
			v, _, ok := tb.value(1)
			if !ok {
				return
			}
			it[tb.str()] = v
		}
		it["pad"] = &types.AttributeValueMemberS{Value: strings.Repeat("p", int(copies%4096)*16)}
		size, err := capacity.ItemSize(it)
		if err != nil {
			return
		}
		page, err := capacity.PageSize(it, "pad")
		if err != nil || page < 20 {
			t.Fatalf("PageSize = %d, %v", page, err)
		}
		items := make([]map[string]types.AttributeValue, int(copies%300))
		for i := range items {
			items[i] = it
		}
		pages, err := capacity.Pages(items, "pad", capacity.Strong)
		if err != nil {
			t.Fatal(err)
		}
		q, err := capacity.Query(items, "pad", capacity.Strong)
		if err != nil {
			t.Fatal(err)
		}
		sum, read := 0.0, 0
		for i, p := range pages {
			sum += p.Units
			read += p.Items
			if p.Bytes != int64(p.Items)*int64(size) {
				t.Fatalf("page %d: %d bytes for %d items of %d", i, p.Bytes, p.Items, size)
			}
			if want := float64(max(1, (p.Bytes+4095)/4096)); p.Units != want {
				t.Fatalf("page %d: %g units, want %g", i, p.Units, want)
			}
			if p.More != (i < len(pages)-1) {
				t.Fatalf("page %d of %d: More %v", i, len(pages), p.More)
			}
			if p.More && int64(p.Items)*int64(page) < 1<<20 {
				t.Fatalf("page %d ended under 1 MB: %d items of %d", i, p.Items, page)
			}
			if p.More && int64(p.Items-1)*int64(page) >= 1<<20 {
				t.Fatalf("page %d went on past 1 MB: %d items of %d", i, p.Items, page)
			}
		}
		if read != len(items) || sum != q {
			t.Fatalf("Pages read %d of %d items, %g units; Query %g", read, len(items), sum, q)
		}
	})
}
