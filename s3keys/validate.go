package s3keys

import (
	"fmt"
	"unicode/utf8"
)

// MaxKeyBytes is the longest object key S3 accepts, in UTF-8 bytes.
const MaxKeyBytes = 1024

// KeyError says which rule a key broke and where, without echoing the key
// (keys can carry personal data). It unwraps to ErrInvalidKey.
type KeyError struct {
	// Rule is the rule broken: "empty", "too long", "too long when sharded"
	// (Sharder.Validate), "invalid UTF-8", "unsafe character", "empty
	// segment" or "dot segment".
	Rule string
	// Offset is the byte offset of the offending byte or segment. For the
	// two "too long" rules it is the first byte past the limit, which is the
	// limit itself: 1,024 for a key, 1,024 - Digits - 1 for a logical key.
	Offset int
	// Len is the length of the key in bytes.
	Len int
}

// Error returns "s3keys: invalid key: RULE at byte OFFSET", or for the "too
// long" rules "s3keys: invalid key: RULE (LEN bytes, at most OFFSET)".
func (e *KeyError) Error() string {
	if e.Rule == ruleTooLong || e.Rule == ruleTooLongSharded {
		return fmt.Sprintf("s3keys: invalid key: %s (%d bytes, at most %d)", e.Rule, e.Len, e.Offset)
	}
	return fmt.Sprintf("s3keys: invalid key: %s at byte %d", e.Rule, e.Offset)
}

const (
	ruleTooLong        = "too long"
	ruleTooLongSharded = "too long when sharded"
)

// Unwrap returns ErrInvalidKey.
func (e *KeyError) Unwrap() error { return ErrInvalidKey }

// Validate reports what S3 itself rejects in an object key (S3 User Guide,
// "Naming Amazon S3 objects"): an empty key, more than 1,024 bytes of UTF-8,
// or bytes that are not valid UTF-8. The error is a *KeyError.
func Validate(key string) error {
	if key == "" {
		return &KeyError{Rule: "empty"}
	}
	if len(key) > MaxKeyBytes {
		return &KeyError{Rule: ruleTooLong, Offset: MaxKeyBytes, Len: len(key)}
	}
	for i := 0; i < len(key); {
		if key[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(key[i:])
		if r == utf8.RuneError && size <= 1 {
			return &KeyError{Rule: "invalid UTF-8", Offset: i, Len: len(key)}
		}
		i += size
	}
	return nil
}

// ValidateSafe is Validate plus the S3 User Guide's "safe characters": only
// a-z, A-Z, 0-9 and ! - _ . * ' ( ), with "/" as the delimiter between
// segments, and no empty, "." or ".." segment (so no leading, trailing or
// doubled "/"). Keys that pass need no special handling in URLs, shells or
// other tools.
func ValidateSafe(key string) error {
	if err := Validate(key); err != nil {
		return err
	}
	start := 0
	for i := 0; i <= len(key); i++ {
		if i < len(key) && key[i] != '/' {
			if !safe(key[i]) {
				return &KeyError{Rule: "unsafe character", Offset: i, Len: len(key)}
			}
			continue
		}
		switch seg := key[start:i]; seg {
		case "":
			return &KeyError{Rule: "empty segment", Offset: start, Len: len(key)}
		case ".", "..":
			return &KeyError{Rule: "dot segment", Offset: start, Len: len(key)}
		}
		start = i + 1
	}
	return nil
}

func safe(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '!', '-', '_', '.', '*', '\'', '(', ')':
		return true
	}
	return false
}

// Validate reports what S3 would reject in the sharded form of a logical key:
// what Validate rejects in key, and a key too long once the prefix and "/"
// are added (more than 1,024 - Digits - 1 bytes: rule "too long when
// sharded"). Call it before Key when keys come from outside: Key itself does
// not check. It does not allocate. A zero Sharder gives ErrInvalidDigits.
func (s Sharder) Validate(key string) error {
	if s.digits == 0 {
		return fmt.Errorf("%w: zero Sharder; use New", ErrInvalidDigits)
	}
	if err := Validate(key); err != nil {
		return err
	}
	if limit := MaxKeyBytes - s.digits - 1; len(key) > limit {
		return &KeyError{Rule: ruleTooLongSharded, Offset: limit, Len: len(key)}
	}
	return nil
}
