package capacity

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Validate checks item as DynamoDB checks the values of a write: the checks
// of ItemSize (the 400 KB limit, numbers, empty sets, NULL, nesting), and no
// duplicate elements in a set. Strings and binaries are compared byte for
// byte, numbers by value, so "1", "1.0" and "10E-1" are duplicates. A
// duplicate gives an error matching ErrInvalidValue that names the attribute
// path and the indexes of the two elements (never their values).
//
// When item has several problems, the error is chosen in ItemSize's fixed
// order. Validate does not allocate on success for items whose sets hold at
// most 64 elements each; larger sets are sorted in a copy.
//
// Validate does not check what depends on the table (key attributes and
// their types, key sizes).
func Validate(item map[string]types.AttributeValue) error {
	if _, err := ItemSize(item); err != nil {
		return err
	}
	if err := (sizer{}).dupsItem(item); err != nil {
		return sizer{sorted: true}.dupsItem(item)
	}
	return nil
}

// smallSet is the size up to which sets are checked for duplicates pair by
// pair, without allocating.
const smallSet = 64

func (z sizer) dupsItem(item map[string]types.AttributeValue) error {
	var err error
	z.each(item, func(name string, v types.AttributeValue) bool {
		if err = z.dups(v); err != nil {
			err = fmt.Errorf("attribute %q: %w", name, err)
		}
		return err == nil
	})
	return err
}

// dups reports the first duplicate set element in v, which ItemSize accepted.
func (z sizer) dups(v types.AttributeValue) error {
	switch v := v.(type) {
	case *types.AttributeValueMemberSS:
		return duplicate("string", v.Value, strings.Compare)
	case *types.AttributeValueMemberBS:
		return duplicate("binary", v.Value, bytes.Compare)
	case *types.AttributeValueMemberNS:
		if len(v.Value) <= smallSet {
			var buf [smallSet]decimal
			return duplicate("number", parsed(buf[:0], v.Value), decimal.compare)
		}
		return duplicate("number", parsed(make([]decimal, 0, len(v.Value)), v.Value), decimal.compare)
	case *types.AttributeValueMemberL:
		for i, e := range v.Value {
			if err := z.dups(e); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	case *types.AttributeValueMemberM:
		var err error
		z.each(v.Value, func(key string, e types.AttributeValue) bool {
			if err = z.dups(e); err != nil {
				err = fmt.Errorf("%q: %w", key, err)
			}
			return err == nil
		})
		return err
	}
	return nil
}

// parsed appends the parsed numbers of a number set that NumberSize accepted.
func parsed(buf []decimal, ns []string) []decimal {
	for _, s := range ns {
		d, _ := parseNumber(s)
		buf = append(buf, d)
	}
	return buf
}

// duplicate reports the first duplicate in set: the smallest index j whose
// element equals an earlier one, and the first such earlier index i.
func duplicate[T any](kind string, set []T, cmp func(a, b T) int) error {
	i, j, ok := firstDuplicate(set, cmp)
	if !ok {
		return nil
	}
	return fmt.Errorf("%w: duplicate %s set elements [%d] and [%d]", ErrInvalidValue, kind, i, j)
}

func firstDuplicate[T any](set []T, cmp func(a, b T) int) (int, int, bool) {
	if len(set) <= smallSet {
		for j := 1; j < len(set); j++ {
			for i := range j {
				if cmp(set[i], set[j]) == 0 {
					return i, j, true
				}
			}
		}
		return 0, 0, false
	}
	// Sort the indexes by element, stably so that equal elements keep their
	// order; in each run of equal elements, the second index is the first
	// duplicate of the run.
	idx := make([]int, len(set))
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp(set[a], set[b]) })
	bi, bj, found := 0, 0, false
	for k := 1; k < len(idx); k++ {
		if cmp(set[idx[k-1]], set[idx[k]]) != 0 {
			continue
		}
		// Within a run, the first pair has the run's smallest j; later
		// pairs of the run never replace it.
		if i, j := idx[k-1], idx[k]; !found || j < bj {
			bi, bj, found = i, j, true
		}
	}
	return bi, bj, found
}
