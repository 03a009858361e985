package s3keys

import "errors"

// Errors of this package; every error it returns or yields matches one of
// them with errors.Is (TestEveryErrorMatchesASentinel checks each path).
var (
	// ErrInvalidKey: a key S3 rejects (Validate, Sharder.Validate) or that is
	// not in the safe character set (ValidateSafe). The error is a *KeyError.
	ErrInvalidKey = errors.New("s3keys: invalid key")
	// ErrNotSharded: a key without this Sharder's prefix, or whose prefix is
	// not the hash of the rest.
	ErrNotSharded = errors.New("s3keys: key not sharded by this sharder")
	// ErrInvalidDigits: New was asked for a prefix length outside 1..4, or a
	// zero Sharder was used.
	ErrInvalidDigits = errors.New("s3keys: digits must be 1..4")
	// ErrInvalidArgument: List was called with a nil client, an empty bucket
	// name, a directory bucket (or an access point of one), a logical prefix
	// longer than any sharded key allows, or negative options.
	ErrInvalidArgument = errors.New("s3keys: invalid argument")
	// ErrList: a listing ended early: a request failed, a response broke the
	// ListObjectsV2 contract, or the context ended. The error is a *ListError
	// and also matches its cause.
	ErrList = errors.New("s3keys: listing failed")
	// ErrBadResponse: a ListObjectsV2 response broke the API's contract (an
	// entry with no Key or outside the requested prefix, keys out of order,
	// more entries than MaxKeys, a repeated continuation token, a truncated
	// page without one). Matched
	// together with ErrList.
	ErrBadResponse = errors.New("s3keys: invalid ListObjectsV2 response")
)
