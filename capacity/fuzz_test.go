package capacity_test

import (
	"fmt"
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
		size := 0
		for i := range set {
			set[i] = tb.str()
			size += len(set[i])
		}
		return &types.AttributeValueMemberSS{Value: set}, size, k > 0
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
