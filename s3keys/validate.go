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
	Rule   string // "empty", "too long", "invalid UTF-8", "unsafe character", "empty segment", "dot segment"
	Offset int    // byte offset of the offending byte or segment; the length for "too long"
}

// Error returns "s3keys: invalid key: RULE at byte OFFSET".
func (e *KeyError) Error() string {
	if e.Rule == "too long" {
		return fmt.Sprintf("s3keys: invalid key: too long (%d bytes, limit %d)", e.Offset, MaxKeyBytes)
	}
	return fmt.Sprintf("s3keys: invalid key: %s at byte %d", e.Rule, e.Offset)
}

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
		return &KeyError{Rule: "too long", Offset: len(key)}
	}
	for i := 0; i < len(key); {
		if key[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(key[i:])
		if r == utf8.RuneError && size <= 1 {
			return &KeyError{Rule: "invalid UTF-8", Offset: i}
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
				return &KeyError{Rule: "unsafe character", Offset: i}
			}
			continue
		}
		switch seg := key[start:i]; seg {
		case "":
			return &KeyError{Rule: "empty segment", Offset: start}
		case ".", "..":
			return &KeyError{Rule: "dot segment", Offset: start}
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
