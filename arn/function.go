package arn

import (
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Limits of Lambda identifiers, from the Lambda API reference (CreateFunction,
// CreateAlias, Invoke).
const (
	MaxFunctionNameLen  = 64  // a function name is 1 to 64 characters
	MaxFunctionAliasLen = 128 // a Lambda alias name is 1 to 128 characters
	MaxVersionLen       = 128 // a qualifier is at most 128 characters
	Latest              = "$LATEST"

	// LatestPublished is the version Lambda Managed Instances publish in
	// place of numbered versions, and invoke for an unqualified ARN; Lambda
	// returns it in FunctionArn (Lambda developer guide, "$LATEST.PUBLISHED
	// version in Lambda Managed Instances"; API reference, FunctionArn
	// pattern "$LATEST(\.PUBLISHED)?").
	LatestPublished = "$LATEST.PUBLISHED"

	// MaxAliasLen is the former name of MaxFunctionAliasLen.
	//
	// Deprecated: use MaxFunctionAliasLen; MaxAliasLen read as the same
	// thing as the KMS limit beside it.
	MaxAliasLen = MaxFunctionAliasLen
)

// Function is a Lambda function ARN, optionally qualified by a version or an
// alias:
//
//	arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
//
// The zero value is not a valid ARN; build one with a composite literal, or
// with ParseFunction or ParseFunctionName, and check it with Validate. A
// Function is a plain value, safe to copy and to use concurrently.
type Function struct {
	Partition string // "" means: derived from Region with the SDK's partition table
	Region    string
	AccountID string
	Name      string
	Qualifier string // "" (unqualified), "$LATEST", "$LATEST.PUBLISHED", a version ("7") or an alias ("live")
}

const functionKind = "function ARN"

// ParseFunction parses a full Lambda function ARN, qualified or not, and
// validates every field as Validate does. The parsed Partition is always set.
// On success it does not allocate: the fields are substrings of s.
func ParseFunction(s string) (Function, error) {
	var f Function
	rest, err := splitARN(functionKind, "lambda", s, &f.Partition, &f.Region, &f.AccountID)
	if err != nil {
		return Function{}, err
	}
	rest, ok := strings.CutPrefix(rest, "function:")
	if !ok {
		return Function{}, &Error{Kind: functionKind, Field: "resource", Value: rest, Reason: `must start with "function:"`}
	}
	f.Name, f.Qualifier, ok = strings.Cut(rest, ":")
	if ok && f.Qualifier == "" {
		return Function{}, &Error{Kind: functionKind, Field: "qualifier", Reason: "empty after \":\""}
	}
	if err := f.validate(functionKind); err != nil {
		return Function{}, err
	}
	return f, nil
}

// splitARN checks "arn:PARTITION:SERVICE:REGION:ACCOUNT:" and returns the
// resource after it, storing the other sections (substrings of s).
func splitARN(kind, service, s string, partition, region, account *string) (string, error) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return "", &Error{Kind: kind, Field: "prefix", Value: s, Reason: `must start with "arn:"`}
	}
	var svc string
	*partition, rest, _ = strings.Cut(rest, ":")
	svc, rest, ok = strings.Cut(rest, ":")
	if !ok || svc != service {
		return "", &Error{Kind: kind, Field: "service", Value: svc, Reason: `must be "` + service + `"`}
	}
	*region, rest, _ = strings.Cut(rest, ":")
	*account, rest, ok = strings.Cut(rest, ":")
	if !ok {
		return "", &Error{Kind: kind, Field: "resource", Reason: "missing"}
	}
	if *partition == "" {
		return "", &Error{Kind: kind, Field: "partition", Reason: "missing"}
	}
	return rest, nil
}

// ParseFunctionName parses any of the forms Lambda's FunctionName parameter
// accepts, each with an optional ":QUALIFIER":
//
//	my-function                                        (name)
//	123456789012:function:my-function                  (partial ARN)
//	arn:aws:lambda:us-west-2:123456789012:function:my-function (full ARN)
//
// It follows the FunctionName pattern of the Lambda API reference (Invoke),
// whose regions now take an optional "eusc-" and whose qualifiers include
// $LATEST.PUBLISHED:
//
//	(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?
//	(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?
//
// An input that starts with that pattern's "arn:PARTITION:lambda:" is a full
// ARN, parsed by ParseFunction; anything else reads the optional REGION:,
// ACCOUNT: and "function:" parts as the pattern does, taking each one when
// the rest still matches (a regular expression's greedy reading). So
// "arn:live" is the function "arn" with the alias "live",
// "function:my-function" is the function "my-function", and
// "123456789012:live" is the function "live" in account 123456789012. Names
// follow CreateFunction (no "."; see Function.Validate).
//
// Fields the input does not carry stay empty: a bare name gives only Name and
// Qualifier, a partial ARN adds AccountID (and Region when given). Such a
// Function is not a full ARN; use HasARN to tell, and fill in Region and
// AccountID before String. Region and AccountID, when present, are checked as
// Validate checks them.
func ParseFunctionName(s string) (Function, error) {
	if isLambdaARNPrefix(s) {
		return ParseFunction(s)
	}
	// Try the optional parts in the pattern's order, taking before skipping.
	var first error
	for choice := 0; choice < 8; choice++ {
		takeRegion, takeAccount, takeFunction := choice&4 == 0, choice&2 == 0, choice&1 == 0
		rest := s
		var f Function
		if takeRegion {
			region, after, ok := strings.Cut(rest, ":")
			if !ok || !isLambdaRegion(region) {
				continue
			}
			f.Region, rest = region, after
		}
		if takeAccount {
			acct, after, ok := strings.Cut(rest, ":")
			if !ok || len(acct) != 12 || !allDigits(acct) {
				continue
			}
			f.AccountID, rest = acct, after
		}
		if takeFunction {
			after, ok := strings.CutPrefix(rest, "function:")
			if !ok {
				continue
			}
			rest = after
		}
		err := f.parseNameQualifier(rest)
		if err == nil {
			// The pattern reads a region here; it must be one of a partition.
			if f.Region != "" {
				if err := checkPartitionRegion("function name", "", f.Region); err != nil {
					return Function{}, err
				}
			}
			return f, nil
		}
		if first == nil {
			first = err
		}
	}
	return Function{}, first
}

// parseNameQualifier sets Name and Qualifier from "NAME[:QUALIFIER]" and
// checks them.
func (f *Function) parseNameQualifier(s string) error {
	const kind = "function name"
	var ok bool
	f.Name, f.Qualifier, ok = strings.Cut(s, ":")
	if ok && f.Qualifier == "" {
		return &Error{Kind: kind, Field: "qualifier", Reason: "empty after \":\""}
	}
	if err := checkName(kind, f.Name); err != nil {
		return err
	}
	return checkQualifier(kind, f.Qualifier)
}

// isLambdaARNPrefix reports whether s starts with "arn:(aws[a-zA-Z-]*)?:lambda:",
// the full-ARN part of Lambda's FunctionName pattern.
func isLambdaARNPrefix(s string) bool {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return false
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !ok || !strings.HasPrefix(rest, "lambda:") {
		return false
	}
	if partition == "" {
		return true
	}
	p, ok := strings.CutPrefix(partition, "aws")
	if !ok {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// isLambdaRegion reports whether s matches the region part of Lambda's
// FunctionName pattern: (eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}.
func isLambdaRegion(s string) bool {
	s = strings.TrimPrefix(s, "eusc-")
	if len(s) < 2 || !isLower(s[0]) || !isLower(s[1]) {
		return false
	}
	rest := s[2:]
	if r, ok := strings.CutPrefix(rest, "-gov"); ok && lambdaRegionTail(r) {
		return true
	}
	if r, ok := strings.CutPrefix(rest, "-iso"); ok {
		if lambdaRegionTail(r) || r != "" && isLower(r[0]) && lambdaRegionTail(r[1:]) {
			return true
		}
	}
	return lambdaRegionTail(rest)
}

// lambdaRegionTail reports whether s is "-[a-z]+-[0-9]".
func lambdaRegionTail(s string) bool {
	name, ok := strings.CutPrefix(s, "-")
	if !ok {
		return false
	}
	name, digit, ok := strings.Cut(name, "-")
	if !ok || name == "" || len(digit) != 1 || digit[0] < '0' || digit[0] > '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isLower(name[i]) {
			return false
		}
	}
	return true
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// FunctionFromARN converts the SDK's parsed ARN, validating each field of it
// as ParseFunction does: the resource must be "function:NAME[:QUALIFIER]",
// and a field holding a ":" (an AccountID of "123456789012:function:evil")
// is rejected rather than re-read as another field.
func FunctionFromARN(a awsarn.ARN) (Function, error) {
	if a.Service != "lambda" {
		return Function{}, &Error{Kind: functionKind, Field: "service", Value: a.Service, Reason: `must be "lambda"`}
	}
	if a.Partition == "" {
		return Function{}, &Error{Kind: functionKind, Field: "partition", Reason: "missing"}
	}
	f := Function{Partition: a.Partition, Region: a.Region, AccountID: a.AccountID}
	rest, ok := strings.CutPrefix(a.Resource, "function:")
	if !ok {
		return Function{}, &Error{Kind: functionKind, Field: "resource", Value: a.Resource, Reason: `must start with "function:"`}
	}
	f.Name, f.Qualifier, ok = strings.Cut(rest, ":")
	if ok && f.Qualifier == "" {
		return Function{}, &Error{Kind: functionKind, Field: "qualifier", Reason: "empty after \":\""}
	}
	if err := f.validate(functionKind); err != nil {
		return Function{}, err
	}
	return f, nil
}

// ARN returns f as the SDK's arn.ARN, with the partition derived when empty.
// It does not validate f.
func (f Function) ARN() awsarn.ARN {
	res := "function:" + f.Name
	if f.Qualifier != "" {
		res += ":" + f.Qualifier
	}
	return awsarn.ARN{Partition: partitionFor(f.Partition, f.Region), Service: "lambda", Region: f.Region, AccountID: f.AccountID, Resource: res}
}

// String returns arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
// An empty Partition is derived from Region ("cn-north-1" gives "aws-cn";
// "aws" when Region matches no partition). String does not validate: call
// Validate first when the fields come from outside.
func (f Function) String() string {
	p := partitionFor(f.Partition, f.Region)
	n := len("arn:") + len(p) + len(":lambda:") + len(f.Region) + 1 + len(f.AccountID) + len(":function:") + len(f.Name)
	if f.Qualifier != "" {
		n += 1 + len(f.Qualifier)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString("arn:")
	b.WriteString(p)
	b.WriteString(":lambda:")
	b.WriteString(f.Region)
	b.WriteByte(':')
	b.WriteString(f.AccountID)
	b.WriteString(":function:")
	b.WriteString(f.Name)
	if f.Qualifier != "" {
		b.WriteByte(':')
		b.WriteString(f.Qualifier)
	}
	return b.String()
}

// Validate reports, as a *Error matching ErrInvalid, the first field of
// f that Lambda would reject: a partition not in the SDK's table, a region not
// in that partition, an account ID that is not 12 digits, a name that is not
// 1-64 of [a-zA-Z0-9-_], or a qualifier that is neither "$LATEST",
// "$LATEST.PUBLISHED", a version ([0-9]+), nor an alias (1-128 of
// [a-zA-Z0-9-_], not all digits).
func (f Function) Validate() error { return f.validate(functionKind) }

func (f Function) validate(kind string) error {
	if err := checkPartitionRegion(kind, f.Partition, f.Region); err != nil {
		return err
	}
	if err := checkAccount(kind, f.AccountID); err != nil {
		return err
	}
	if err := checkName(kind, f.Name); err != nil {
		return err
	}
	return checkQualifier(kind, f.Qualifier)
}

// HasARN reports whether f carries the Region and AccountID a full ARN needs
// (ParseFunctionName leaves them empty for a bare name).
func (f Function) HasARN() bool { return f.Region != "" && f.AccountID != "" }

// WithAlias returns a copy of f qualified by the alias name. It does not
// validate the alias; Validate does.
func (f Function) WithAlias(alias string) Function { f.Qualifier = alias; return f }

// WithVersion returns a copy of f qualified by a published version ("7"),
// "$LATEST" or "$LATEST.PUBLISHED". It does not validate the version;
// Validate does.
func (f Function) WithVersion(version string) Function { f.Qualifier = version; return f }

// Unqualified returns a copy of f without its qualifier.
func (f Function) Unqualified() Function { f.Qualifier = ""; return f }

// IsAlias reports whether the qualifier is an alias: non-empty, not
// "$LATEST" or "$LATEST.PUBLISHED", and not all digits.
func (f Function) IsAlias() bool {
	return f.Qualifier != "" && !f.IsVersion()
}

// IsVersion reports whether the qualifier names a version: "$LATEST",
// "$LATEST.PUBLISHED" or a published version number.
func (f Function) IsVersion() bool {
	return f.Qualifier == Latest || f.Qualifier == LatestPublished || f.Qualifier != "" && allDigits(f.Qualifier)
}

func checkName(kind, name string) error {
	if name == "" {
		return &Error{Kind: kind, Field: "name", Reason: "missing"}
	}
	if len(name) > MaxFunctionNameLen {
		return &Error{Kind: kind, Field: "name", Value: name, Reason: "longer than 64 characters"}
	}
	if !allNameChars(name) {
		return &Error{Kind: kind, Field: "name", Value: name, Reason: "may contain only a-z, A-Z, 0-9, - and _"}
	}
	return nil
}

func checkQualifier(kind, q string) error {
	switch {
	case q == "" || q == Latest || q == LatestPublished:
		return nil
	case allDigits(q):
		if len(q) > MaxVersionLen {
			return &Error{Kind: kind, Field: "qualifier", Value: q, Reason: "version longer than 128 characters"}
		}
		return nil
	case len(q) > MaxFunctionAliasLen:
		return &Error{Kind: kind, Field: "qualifier", Value: q, Reason: "alias longer than 128 characters"}
	case !allNameChars(q):
		return &Error{Kind: kind, Field: "qualifier", Value: q, Reason: `must be "$LATEST", a version, or an alias of a-z, A-Z, 0-9, - and _`}
	}
	return nil
}

// allNameChars reports whether s is made of [a-zA-Z0-9-_] only.
func allNameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isWord(c) && c != '-' {
			return false
		}
	}
	return true
}
