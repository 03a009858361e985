package arn

import (
	"errors"
	"strconv"
)

// ErrInvalid is matched (errors.Is) by every parse and validation failure of
// this package.
var ErrInvalid = errors.New("arn: invalid ARN")

// ParseError tells which field of an ARN failed and why. It unwraps to
// ErrInvalid. Value holds the offending part of the input (never more than
// the input itself); ARNs carry no secrets.
type ParseError struct {
	Kind   string // what was being parsed: "function ARN", "function name", "key ARN", "alias name"
	Field  string // "prefix", "partition", "service", "region", "account", "resource", "name", "qualifier", "key ID", "alias"
	Value  string // the offending text; "" when the field was missing
	Reason string // why it was rejected
}

// Error returns "arn: invalid KIND: FIELD "VALUE": REASON".
func (e *ParseError) Error() string {
	return "arn: invalid " + e.Kind + ": " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Reason
}

// Unwrap returns ErrInvalid.
func (e *ParseError) Unwrap() error { return ErrInvalid }
