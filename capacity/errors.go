package capacity

import "errors"

// Errors of this package. Every error it returns matches one of them with
// errors.Is; the message adds the attribute path and the figures involved.
var (
	// ErrItemTooLarge: an item (or a single value) over MaxItemBytes.
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
	// rate or size, a fraction outside [0, 1], a rate too large to provision).
	ErrInvalidInput = errors.New("capacity: invalid input")
)
