// Package arn parses, builds and validates the Amazon Resource Names of Lambda
// functions (unqualified, versions and aliases) and KMS keys (key and alias
// ARNs), with the rules the services apply rather than the syntax alone.
//
// # Why not aws/arn.Parse
//
// The SDK's [github.com/aws/aws-sdk-go-v2/aws/arn.Parse] splits on colons and checks nothing else: "arn:::::"
// parses, and so does a five-digit account ID. This package builds on it
// ([Function.ARN], [FunctionFromARN]) but checks every field:
//
//   - the partition is one of the SDK's partitions (aws, aws-cn, aws-us-gov,
//     aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc) and owns the region,
//     by the SDK's region patterns ([PartitionOf]);
//   - the account ID is exactly 12 digits;
//   - a function name is 1-64 of [a-zA-Z0-9-_]; a qualifier is "$LATEST" or
//     "$LATEST.PUBLISHED" (case-sensitive), a version ([0-9]+), or an alias
//     (1-128 of [a-zA-Z0-9-_], not all digits);
//   - a KMS key ID is a lowercase UUID or "mrk-" and 32 lowercase hex digits
//     (multi-Region keys); an alias is "alias/" and 1-250 of a-z, A-Z, 0-9,
//     "/", "_" and "-".
//
// # Building ARNs
//
// Build a value with a composite literal and call String. When Partition is
// empty, String derives it from the region, so a Function in "cn-north-1"
// prints as "arn:aws-cn:...". Parsing then printing returns the input
// unchanged, and ParseFunction(f.String()) == f for every valid f whose
// Partition is set.
//
// # Errors
//
// Every failure is an *Error naming the field and the reason, and matches
// errors.Is(err, ErrInvalid). The parse functions and the Validate methods
// return the same type, so it is named Error rather than ParseError (the old
// name remains as a deprecated alias).
//
// # Shape of the API
//
// Everything here is a pure calculation on values: functions take their
// inputs by value and return values, with no options, no I/O and no state.
// Function and Key are plain values, safe to copy and to use concurrently.
//
// # Limits, and which service they belong to
//
// MaxFunctionNameLen, MaxFunctionAliasLen and MaxVersionLen are Lambda's;
// MaxKeyAliasLen is KMS's (it counts the "alias/" prefix).
//
// # References
//
//   - Lambda API reference, CreateAlias and Invoke (FunctionName, Qualifier):
//     https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html
//   - KMS API reference, CreateAlias and key identifiers:
//     https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
//     https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
//   - ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
package arn
