package arn

import (
	"errors"
	"strconv"
)

// ErrInvalid is matched (errors.Is) by every parse and validation failure of
// this package.
var ErrInvalid = errors.New("arn: invalid ARN")

// Error tells which field of an ARN, function name or alias failed and why.
// Every parse and validation function of this package (ParseFunction,
// ParseFunctionName, ParseKey, the Validate methods, ValidateNewAlias,
// FunctionFromARN, KeyFromARN) returns one. It unwraps to ErrInvalid. Value
// holds the offending part of the input (never more than the input itself);
// ARNs carry no secrets.
type Error struct {
	Kind   string // what was being checked: "function ARN", "function name", "key ARN", "alias name"
	Field  string // "prefix", "partition", "service", "region", "account", "resource", "name", "qualifier", "key ID", "alias"
	Value  string // the offending text; "" when the field was missing
	Reason string // why it was rejected
}

// ParseError is the former name of Error.
//
// Deprecated: use Error; Validate methods return it too, so it was renamed.
type ParseError = Error

// Error returns "arn: invalid KIND: FIELD "VALUE": REASON".
func (e *Error) Error() string {
	return "arn: invalid " + e.Kind + ": " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Reason
}

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }
