package capacity

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// MaxItemBytes is the largest item DynamoDB stores: 400 KB = 409,600 bytes,
// counted as ItemSize counts (Developer Guide, "Constraints").
const MaxItemBytes = 400 * 1024

// Limits of the attribute values, from the Developer Guide ("Constraints":
// data types): numbers carry at most 38 significant digits, with a leading
// digit between 10^-130 and 10^125; lists and maps nest at most 32 levels.
const (
	maxDigits   = 38
	minExponent = -130
	maxExponent = 125
	maxDepth    = 32
)

// ItemSize returns the size of item in bytes as DynamoDB counts it: the sum,
// over the attributes, of the UTF-8 bytes of the name and the size of the
// value (see AttributeSize). It does not allocate on success.
//
// An item over MaxItemBytes (409,600 bytes; 409,600 itself is allowed)
// returns an error matching ErrItemTooLarge together with a size over
// MaxItemBytes: counting stops at the first value (string, binary, number
// or set element) that takes the size past the limit, so the size is a lower
// bound, at most the limit plus that value and its overheads, and an item
// built from many references to one large value costs no more time than a
// 400 KB one.
//
// When an item has several problems (invalid values, or an invalid value and
// too large a size), the error is the first problem met when the attributes
// are taken in byte order of their names, map entries likewise at every
// level, and list and set elements in order: the same error for the same
// item, whatever the map iteration order.
//
// ItemSize does not detect duplicate set elements, which DynamoDB rejects;
// Validate does. The one exception is an empty string or binary repeated in
// a set: such elements add no bytes, so ItemSize reports them (the error
// Validate gives, matching ErrInvalidValue) to keep its work bounded by the
// limit.
func ItemSize(item map[string]types.AttributeValue) (int, error) {
	n, err := sizer{}.item(item)
	if err == nil {
		return n, nil
	}
	// The error path: again, in a fixed order, so that the error reported
	// does not depend on map iteration order.
	return sizer{sorted: true}.item(item)
}

// AttributeSize returns the size in bytes of one value, without its name:
//
//   - S: UTF-8 bytes; B: raw bytes (not base64); BOOL and NULL: 1;
//   - N: NumberSize;
//   - SS, NS, BS: the sum of the sizes of the elements;
//   - L: 3 + the sum of (1 + size) over the elements;
//   - M: 3 + the sum of (UTF-8 bytes of the key + 1 + size) over the entries.
//
// An empty list or map is 3. A value larger than MaxItemBytes, which no item
// can hold, returns a size over MaxItemBytes and an error matching
// ErrItemTooLarge, as ItemSize does; errors are chosen in the same fixed order.
func AttributeSize(v types.AttributeValue) (int, error) {
	n, err := sizer{}.attribute(v)
	if err == nil {
		return n, nil
	}
	return sizer{sorted: true}.attribute(v)
}

// The list and map rules, from the Developer Guide ("Item sizes and formats").
const (
	docOverhead     = 3 // every list or map
	elementOverhead = 1 // every list element or map entry
)

// sizer computes sizes. With sorted set, it visits map entries in key order,
// so that the first problem it meets does not depend on map iteration order;
// that allocates, and is used only once an error is known.
type sizer struct {
	sorted bool
}

func (z sizer) item(item map[string]types.AttributeValue) (int, error) {
	if !z.sorted { // the common path, without the closure of each
		n := 0
		for name, v := range item {
			k, err := z.value(v, 1, remaining(MaxItemBytes, addSat(n, len(name))))
			if err != nil {
				return 0, err // the sorted pass reports it
			}
			if n = addSat(n, addSat(len(name), k)); n > MaxItemBytes {
				return n, ErrItemTooLarge // the sorted pass reports it
			}
		}
		return n, nil
	}
	n := 0
	var err error
	z.each(item, func(name string, v types.AttributeValue) bool {
		var k int
		k, err = z.value(v, 1, remaining(MaxItemBytes, addSat(n, len(name))))
		if err != nil {
			n, err = 0, fmt.Errorf("attribute %q: %w", name, err)
			return false
		}
		n = addSat(n, addSat(len(name), k))
		if n > MaxItemBytes {
			err = tooLarge(n)
			return false
		}
		return true
	})
	return n, err
}

func (z sizer) attribute(v types.AttributeValue) (int, error) {
	n, err := z.value(v, 1, MaxItemBytes)
	if err != nil {
		return 0, err
	}
	if n > MaxItemBytes {
		return n, tooLarge(n)
	}
	return n, nil
}

func tooLarge(n int) error {
	return fmt.Errorf("%w: at least %d bytes, limit %d", ErrItemTooLarge, n, MaxItemBytes)
}

// each calls f for the entries of m until f returns false: in map order, or
// in key order when z.sorted.
func (z sizer) each(m map[string]types.AttributeValue, f func(string, types.AttributeValue) bool) {
	if !z.sorted {
		for k, v := range m {
			if !f(k, v) {
				return
			}
		}
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !f(k, m[k]) {
			return
		}
	}
}

// addSat returns a+b for sizes a, b >= 0, saturating at math.MaxInt instead
// of wrapping (on 32-bit platforms a few shared strings reach it).
func addSat(a, b int) int {
	if b > math.MaxInt-a {
		return math.MaxInt
	}
	return a + b
}

// remaining returns the budget left after used bytes, or -1 once used is over
// it (every value counts over a negative budget at once).
func remaining(budget, used int) int {
	if used > budget {
		return -1
	}
	return budget - used
}

// value returns the size of v. It stops counting as soon as the size passes
// budget, and then returns the size so far, which is over budget: the caller
// only needs to know that the limit is passed. Every element counted adds at
// least one byte (but for one empty element per set: a second one is a
// duplicate, reported at once), so the work is bounded by the budget, not by
// the size of the value.
func (z sizer) value(v types.AttributeValue, depth, budget int) (int, error) {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		if v == nil {
			break
		}
		return len(v.Value), nil
	case *types.AttributeValueMemberN:
		if v == nil {
			break
		}
		return NumberSize(v.Value)
	case *types.AttributeValueMemberB:
		if v == nil {
			break
		}
		return len(v.Value), nil
	case *types.AttributeValueMemberBOOL:
		if v == nil {
			break
		}
		return 1, nil
	case *types.AttributeValueMemberNULL:
		if v == nil {
			break
		}
		if !v.Value {
			return 0, fmt.Errorf("%w: NULL must be true", ErrInvalidValue)
		}
		return 1, nil
	case *types.AttributeValueMemberSS:
		if v == nil {
			break
		}
		if len(v.Value) == 0 {
			return 0, fmt.Errorf("%w: empty string set", ErrInvalidValue)
		}
		// A set may hold one empty string or binary, and its values must be
		// unique (Developer Guide, "Supported data types": Sets).
		n, empty := 0, false
		for _, s := range v.Value {
			if len(s) == 0 {
				if empty {
					return 0, duplicate("string", v.Value, strings.Compare)
				}
				empty = true
			}
			if n = addSat(n, len(s)); n > budget {
				break
			}
		}
		return n, nil
	case *types.AttributeValueMemberNS:
		if v == nil {
			break
		}
		if len(v.Value) == 0 {
			return 0, fmt.Errorf("%w: empty number set", ErrInvalidValue)
		}
		n := 0
		for i, s := range v.Value {
			k, err := NumberSize(s)
			if err != nil {
				return 0, fmt.Errorf("[%d]: %w", i, err)
			}
			if n += k; n > budget {
				break
			}
		}
		return n, nil
	case *types.AttributeValueMemberBS:
		if v == nil {
			break
		}
		if len(v.Value) == 0 {
			return 0, fmt.Errorf("%w: empty binary set", ErrInvalidValue)
		}
		n, empty := 0, false
		for _, b := range v.Value {
			if len(b) == 0 {
				if empty {
					return 0, duplicate("binary", v.Value, bytes.Compare)
				}
				empty = true
			}
			if n = addSat(n, len(b)); n > budget {
				break
			}
		}
		return n, nil
	case *types.AttributeValueMemberL:
		if v == nil {
			break
		}
		if depth > maxDepth {
			return 0, fmt.Errorf("%w: nested deeper than %d levels", ErrInvalidValue, maxDepth)
		}
		n := docOverhead
		for i, e := range v.Value {
			if n > budget {
				break
			}
			k, err := z.value(e, depth+1, remaining(budget, addSat(n, elementOverhead)))
			if err != nil {
				return 0, fmt.Errorf("[%d]: %w", i, err)
			}
			n = addSat(n, elementOverhead+k)
		}
		return n, nil
	case *types.AttributeValueMemberM:
		if v == nil {
			break
		}
		if depth > maxDepth {
			return 0, fmt.Errorf("%w: nested deeper than %d levels", ErrInvalidValue, maxDepth)
		}
		n := docOverhead
		if !z.sorted { // the common path, without the closure of each
			for key, e := range v.Value {
				if n > budget {
					break
				}
				k, err := z.value(e, depth+1, remaining(budget, addSat(n, addSat(len(key), elementOverhead))))
				if err != nil {
					return 0, err // the sorted pass reports it
				}
				n = addSat(n, addSat(addSat(len(key), elementOverhead), k))
			}
			return n, nil
		}
		var err error
		z.each(v.Value, func(key string, e types.AttributeValue) bool {
			if n > budget {
				return false
			}
			var k int
			k, err = z.value(e, depth+1, remaining(budget, addSat(n, addSat(len(key), elementOverhead))))
			if err != nil {
				err = fmt.Errorf("%q: %w", key, err)
				return false
			}
			n = addSat(n, addSat(addSat(len(key), elementOverhead), k))
			return true
		})
		if err != nil {
			return 0, err
		}
		return n, nil
	}
	return 0, fmt.Errorf("%w: %T", ErrUnknownType, v)
}
