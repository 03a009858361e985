package envelope

import (
	"errors"
	"fmt"
)

var (
	// ErrDecrypt is matched by every Decrypt failure caused by the message
	// bytes. Authentication failures (a wrong tag, commit key or signature,
	// truncation, reordering, a swapped data key) are ErrDecrypt itself, with
	// no detail of what failed; malformed messages also match ErrMalformed.
	ErrDecrypt = errors.New("envelope: unable to decrypt message")
	// ErrMalformed is matched, together with ErrDecrypt, by a message that is
	// not a well-formed v2 message of a supported suite. Its text says which
	// field and which sizes, never key material or plaintext.
	ErrMalformed = errors.New("envelope: malformed message")
	// ErrNoKey: no encrypted data key of the message belongs to a key ARN
	// this client may use (strict mode), or none of them decrypted.
	ErrNoKey = errors.New("envelope: no usable encrypted data key")
	// ErrContextMismatch: a pair required on Decrypt is missing from the
	// message or has another value. The error names the key, never the value.
	ErrContextMismatch = errors.New("envelope: encryption context mismatch")
	// ErrReservedContext: the caller's encryption context uses a key that
	// starts with "aws-crypto-".
	ErrReservedContext = errors.New(`envelope: encryption context keys starting with "aws-crypto-" are reserved`)
	// ErrInvalidInput: a bad option, key ID, or an encryption context that
	// does not serialize (too large, invalid UTF-8).
	ErrInvalidInput = errors.New("envelope: invalid input")
	// ErrTooLarge: a message would exceed the format's limits (2^32-1 frames).
	ErrTooLarge = errors.New("envelope: message too large")
)

// malformed returns an error matching ErrMalformed and ErrDecrypt.
func malformed(format string, args ...any) error {
	return &malformedError{msg: fmt.Sprintf(format, args...)}
}

type malformedError struct{ msg string }

func (e *malformedError) Error() string { return "envelope: malformed message: " + e.msg }

func (e *malformedError) Is(target error) bool { return target == ErrMalformed || target == ErrDecrypt }
