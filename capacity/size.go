package capacity

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Size limits, from the DynamoDB Developer Guide ("Constraints": items,
// attributes, data types). KB means 1024 bytes throughout.
const (
	MaxItemBytes   = 400 * 1024 // 409,600: the largest item DynamoDB stores
	MaxNumberBytes = 21         // the largest stored size of a number
	MaxDigits      = 38         // significant digits of a number
	MaxDepth       = 32         // nesting levels of lists and maps
	MinExponent    = -130       // smallest power of ten of a number's leading digit (1E-130)
	MaxExponent    = 125        // largest power of ten of a number's leading digit (9.99...E+125)
)

// Errors of this package; every error it returns matches one of them with
// errors.Is.
var (
	// ErrItemTooLarge: the item is over MaxItemBytes.
	ErrItemTooLarge = errors.New("capacity: item larger than 400 KB")
	// ErrInvalidNumber: a number DynamoDB rejects: not a number, more than 38
	// significant digits, or magnitude outside 1E-130 to 9.99...E+125.
	ErrInvalidNumber = errors.New("capacity: invalid number")
	// ErrUnknownType: a nil AttributeValue, a nil member, or a member type this
	// package does not know (types.UnknownUnionMember).
	ErrUnknownType = errors.New("capacity: unknown attribute value type")
	// ErrInvalidValue: a value DynamoDB rejects for its shape: an empty set, a
	// NULL whose Value is false, or nesting deeper than 32 levels.
	ErrInvalidValue = errors.New("capacity: invalid attribute value")
	// ErrInvalidInput: an argument out of range for a calculation (a negative
	// rate or size, a fraction outside [0, 1]).
	ErrInvalidInput = errors.New("capacity: invalid input")
)

// ItemSize returns the size of item in bytes as DynamoDB counts it: the sum,
// over the attributes, of the UTF-8 bytes of the name and the size of the
// value (see AttributeSize). An item over MaxItemBytes (409,600) returns its
// size together with an error matching ErrItemTooLarge; 409,600 itself is
// allowed. It does not allocate on success.
//
// ItemSize does not detect duplicate set elements, which DynamoDB rejects.
func ItemSize(item map[string]types.AttributeValue) (int, error) {
	n := 0
	for name, v := range item {
		s, err := valueSize(v, 1)
		if err != nil {
			return 0, fmt.Errorf("attribute %q: %w", name, err)
		}
		n += len(name) + s
	}
	if n > MaxItemBytes {
		return n, fmt.Errorf("%w: %d bytes, limit %d", ErrItemTooLarge, n, MaxItemBytes)
	}
	return n, nil
}

// AttributeSize returns the size in bytes of one value, without its name:
//
//   - S: UTF-8 bytes; B: raw bytes (not base64); BOOL and NULL: 1;
//   - N: NumberSize;
//   - SS, NS, BS: the sum of the sizes of the elements;
//   - L: 3 + the sum of (1 + size) over the elements;
//   - M: 3 + the sum of (UTF-8 bytes of the key + 1 + size) over the entries.
//
// An empty list or map is 3. AttributeSize does not apply the item limit.
func AttributeSize(v types.AttributeValue) (int, error) { return valueSize(v, 1) }

// The list and map rules, from the Developer Guide ("Item sizes and formats").
const (
	docOverhead     = 3 // every list or map
	elementOverhead = 1 // every list element or map entry
)

func valueSize(v types.AttributeValue, depth int) (int, error) {
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
		n := 0
		for _, s := range v.Value {
			n += len(s)
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
		for _, s := range v.Value {
			k, err := NumberSize(s)
			if err != nil {
				return 0, err
			}
			n += k
		}
		return n, nil
	case *types.AttributeValueMemberBS:
		if v == nil {
			break
		}
		if len(v.Value) == 0 {
			return 0, fmt.Errorf("%w: empty binary set", ErrInvalidValue)
		}
		n := 0
		for _, b := range v.Value {
			n += len(b)
		}
		return n, nil
	case *types.AttributeValueMemberL:
		if v == nil {
			break
		}
		if depth > MaxDepth {
			return 0, fmt.Errorf("%w: nested deeper than %d levels", ErrInvalidValue, MaxDepth)
		}
		n := docOverhead
		for i, e := range v.Value {
			k, err := valueSize(e, depth+1)
			if err != nil {
				return 0, fmt.Errorf("[%d]: %w", i, err)
			}
			n += elementOverhead + k
		}
		return n, nil
	case *types.AttributeValueMemberM:
		if v == nil {
			break
		}
		if depth > MaxDepth {
			return 0, fmt.Errorf("%w: nested deeper than %d levels", ErrInvalidValue, MaxDepth)
		}
		n := docOverhead
		for key, e := range v.Value {
			k, err := valueSize(e, depth+1)
			if err != nil {
				return 0, fmt.Errorf("%q: %w", key, err)
			}
			n += len(key) + elementOverhead + k
		}
		return n, nil
	}
	return 0, fmt.Errorf("%w: %T", ErrUnknownType, v)
}
