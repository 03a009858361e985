package arn

import (
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Limits of KMS identifiers, from the KMS API reference (CreateAlias).
const (
	MaxKeyAliasLen = 256          // a KMS alias name: "alias/" plus at most 250 characters
	ReservedAlias  = "alias/aws/" // prefix of AWS managed key aliases

	// MaxAliasNameLen is the former name of MaxKeyAliasLen.
	//
	// Deprecated: use MaxKeyAliasLen; MaxAliasNameLen read as the same
	// thing as the Lambda limit beside it.
	MaxAliasNameLen = MaxKeyAliasLen
)

// Key is a KMS key ARN or alias ARN:
//
//	arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID
//	arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME
//
// Exactly one of ID and Alias is set. The zero value is not a valid ARN. A Key
// is a plain value, safe to copy and to use concurrently.
type Key struct {
	Partition, Region, AccountID string
	ID                           string // key ID (UUID, or mrk- + 32 hex for multi-Region keys); "" for an alias ARN
	Alias                        string // alias name including "alias/"; "" for a key ARN
}

const keyKind = "key ARN"

// ParseKey parses a KMS key ARN or alias ARN and validates it as Validate
// does. References to AWS managed keys ("alias/aws/s3") parse. The parsed
// Partition is always set. On success it does not allocate.
func ParseKey(s string) (Key, error) {
	var k Key
	rest, err := splitARN(keyKind, "kms", s, &k.Partition, &k.Region, &k.AccountID)
	if err != nil {
		return Key{}, err
	}
	if err := k.setResource(rest); err != nil {
		return Key{}, err
	}
	if err := k.Validate(); err != nil {
		return Key{}, err
	}
	return k, nil
}

// KeyFromARN converts the SDK's parsed ARN, validating each field of it as
// ParseKey does: a field holding a ":" is rejected rather than re-read as
// another field.
func KeyFromARN(a awsarn.ARN) (Key, error) {
	if a.Service != "kms" {
		return Key{}, &Error{Kind: keyKind, Field: "service", Value: a.Service, Reason: `must be "kms"`}
	}
	if a.Partition == "" {
		return Key{}, &Error{Kind: keyKind, Field: "partition", Reason: "missing"}
	}
	k := Key{Partition: a.Partition, Region: a.Region, AccountID: a.AccountID}
	if err := k.setResource(a.Resource); err != nil {
		return Key{}, err
	}
	if err := k.Validate(); err != nil {
		return Key{}, err
	}
	return k, nil
}

// ARN returns k as the SDK's arn.ARN, with the partition derived when empty.
// It does not validate k.
func (k Key) ARN() awsarn.ARN {
	return awsarn.ARN{Partition: partitionFor(k.Partition, k.Region), Service: "kms", Region: k.Region, AccountID: k.AccountID, Resource: k.resource()}
}

// setResource sets ID or Alias from "key/ID" or "alias/NAME".
func (k *Key) setResource(rest string) error {
	switch {
	case strings.HasPrefix(rest, "key/"):
		k.ID = rest[len("key/"):]
		if k.ID == "" {
			return &Error{Kind: keyKind, Field: "key ID", Reason: "missing"}
		}
	case strings.HasPrefix(rest, "alias/"):
		k.Alias = rest
	default:
		return &Error{Kind: keyKind, Field: "resource", Value: rest, Reason: `must start with "key/" or "alias/"`}
	}
	return nil
}

func (k Key) resource() string {
	if k.Alias != "" {
		return k.Alias
	}
	return "key/" + k.ID
}

// String returns arn:PARTITION:kms:REGION:ACCOUNT:key/ID, or ...:ALIAS when
// Alias is set. An empty Partition is derived from Region. String does not
// validate.
func (k Key) String() string {
	p := partitionFor(k.Partition, k.Region)
	var b strings.Builder
	b.Grow(len("arn:") + len(p) + len(":kms:") + len(k.Region) + 1 + len(k.AccountID) + 1 + len("key/") + len(k.ID) + len(k.Alias))
	b.WriteString("arn:")
	b.WriteString(p)
	b.WriteString(":kms:")
	b.WriteString(k.Region)
	b.WriteByte(':')
	b.WriteString(k.AccountID)
	b.WriteByte(':')
	if k.Alias != "" {
		b.WriteString(k.Alias)
	} else {
		b.WriteString("key/")
		b.WriteString(k.ID)
	}
	return b.String()
}

// IsAlias reports whether k is an alias ARN.
func (k Key) IsAlias() bool { return k.Alias != "" }

// IsMultiRegion reports whether k names a multi-Region key (ID "mrk-...").
func (k Key) IsMultiRegion() bool { return strings.HasPrefix(k.ID, "mrk-") }

// Validate reports, as a *Error matching ErrInvalid, the first field KMS
// would reject in a key reference: partition and region as for Function, an
// account ID that is not 12 digits, both or neither of ID and Alias, a key ID
// that is neither a lowercase UUID (8-4-4-4-12 hex) nor "mrk-" and 32 lowercase
// hex digits, or an alias that is not "alias/" and 1-250 of [a-zA-Z0-9/_-].
// Aliases of AWS managed keys ("alias/aws/...") are valid references; use
// ValidateNewAlias for a name to create.
func (k Key) Validate() error {
	if err := checkPartitionRegion(keyKind, k.Partition, k.Region); err != nil {
		return err
	}
	if err := checkAccount(keyKind, k.AccountID); err != nil {
		return err
	}
	switch {
	case k.ID != "" && k.Alias != "":
		return &Error{Kind: keyKind, Field: "resource", Value: k.Alias, Reason: "both a key ID and an alias are set"}
	case k.Alias != "":
		return checkAlias(keyKind, k.Alias)
	default:
		return checkKeyID(k.ID)
	}
}

// ValidateNewAlias reports whether name is acceptable to KMS CreateAlias:
// "alias/" and 1-250 of [a-zA-Z0-9/_-], and not under the reserved
// "alias/aws/" prefix of AWS managed keys.
func ValidateNewAlias(name string) error {
	const kind = "alias name"
	if err := checkAlias(kind, name); err != nil {
		return err
	}
	if strings.HasPrefix(name, ReservedAlias) {
		return &Error{Kind: kind, Field: "alias", Value: name, Reason: `the prefix "alias/aws/" is reserved for AWS managed keys`}
	}
	return nil
}

func checkAlias(kind, a string) error {
	name, ok := strings.CutPrefix(a, "alias/")
	switch {
	case !ok:
		return &Error{Kind: kind, Field: "alias", Value: a, Reason: `must start with "alias/"`}
	case name == "":
		return &Error{Kind: kind, Field: "alias", Value: a, Reason: `empty after "alias/"`}
	case len(a) > MaxKeyAliasLen:
		return &Error{Kind: kind, Field: "alias", Value: a, Reason: "longer than 256 characters"}
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isWord(c) && c != '-' && c != '/' {
			return &Error{Kind: kind, Field: "alias", Value: a, Reason: "may contain only a-z, A-Z, 0-9, /, _ and -"}
		}
	}
	return nil
}

func checkKeyID(id string) error {
	if id == "" {
		return &Error{Kind: keyKind, Field: "key ID", Reason: "missing"}
	}
	if hex, ok := strings.CutPrefix(id, "mrk-"); ok {
		if len(hex) == 32 && allLowerHex(hex) {
			return nil
		}
		return &Error{Kind: keyKind, Field: "key ID", Value: id, Reason: `multi-Region key ID must be "mrk-" and 32 lowercase hex digits`}
	}
	if !isUUID(id) {
		return &Error{Kind: keyKind, Field: "key ID", Value: id, Reason: "must be a lowercase UUID (8-4-4-4-12 hex digits)"}
	}
	return nil
}

// isUUID reports whether s is 8-4-4-4-12 lowercase hex digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isLowerHex(s[i]) {
				return false
			}
		}
	}
	return true
}

func allLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLowerHex(s[i]) {
			return false
		}
	}
	return true
}

func isLowerHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }
