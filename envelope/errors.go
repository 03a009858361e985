package envelope

import (
	"errors"
	"fmt"
)

var (
	// ErrDecrypt is matched by every Decrypt, DecryptWithHeader and
	// DecryptStream failure caused by the message bytes or by the encryption
	// context required of it. Authentication failures (a wrong tag, commit
	// key or signature, truncation, reordering, a swapped data key) are
	// ErrDecrypt itself, with no detail of what failed; other failures also
	// match a more specific error: ErrMalformed, ErrNoKey, ErrContextMismatch
	// or ErrSignedMessage. Failures that are not the message's (a KMS call
	// that was throttled or denied, a read error of the source) do not match
	// ErrDecrypt.
	ErrDecrypt = errors.New("envelope: unable to decrypt message")
	// ErrMalformed is matched, together with ErrDecrypt, by a message that is
	// not a well-formed message (format version 1 or 2) of a supported suite. Its text says which
	// field and which sizes, never key material or plaintext.
	ErrMalformed = errors.New("envelope: malformed message")
	// ErrNoKey: no encrypted data key of the message is one the client's
	// keyring may open (for New: under its key ARNs, strict mode), or none of
	// those decrypted. It matches ErrDecrypt too when the message is the
	// cause: none of its data keys is for the keyring, or every one tried was
	// refused as not authentic (a raw key's tag or RSA decryption failed, or
	// KMS answered InvalidCiphertextException or IncorrectKeyException, or,
	// for KMSDiscoveryKeyring, where the message names the key,
	// NotFoundException).
	// When a KMS call failed for another reason (throttling, access denied,
	// the network), or an RSA keyring has no private key, the error is
	// reachable with errors.As and ErrDecrypt is not matched. A multi-keyring
	// matches ErrDecrypt only when each of its keyrings failed because of the
	// message.
	ErrNoKey = errors.New("envelope: no usable encrypted data key")
	// ErrContextMismatch: a pair required on Decrypt is missing from the
	// message or has another value. The error names the key, never the value.
	// It matches ErrDecrypt too.
	ErrContextMismatch = errors.New("envelope: encryption context mismatch")
	// ErrReservedContext: the caller's encryption context uses a key that
	// starts with "aws-crypto-".
	ErrReservedContext = errors.New(`envelope: encryption context keys starting with "aws-crypto-" are reserved`)
	// ErrInvalidInput: a bad option, key ID or keyring, an encryption context
	// that does not serialize (too large, invalid UTF-8), or a keyring that
	// cannot encrypt (KMSDiscoveryKeyring, an RSA keyring without a public
	// key, a multi-keyring without a generator) given to Encrypt.
	ErrInvalidInput = errors.New("envelope: invalid input")
	// ErrTooLarge: a message would exceed the format's limits (2^32-1 frames)
	// or the size of a slice on this platform.
	ErrTooLarge = errors.New("envelope: message too large")
	// ErrSignedMessage: a Client with Options.UnsignedOnly was given a
	// message of a signed suite. It is returned right after the header is
	// read, before any KMS call and before any plaintext; it matches
	// ErrDecrypt too.
	ErrSignedMessage = errors.New("envelope: signed message refused (Options.UnsignedOnly)")
)

// malformed returns an error matching ErrMalformed and ErrDecrypt.
func malformed(format string, args ...any) error {
	return &malformedError{msg: fmt.Sprintf(format, args...)}
}

type malformedError struct{ msg string }

func (e *malformedError) Error() string { return "envelope: malformed message: " + e.msg }

func (e *malformedError) Is(target error) bool { return target == ErrMalformed || target == ErrDecrypt }

// decryptFailure marks err, a failure caused by the message or the required
// encryption context, as matching ErrDecrypt; err stays reachable.
func decryptFailure(err error) error { return &decryptError{err: err} }

type decryptError struct{ err error }

func (e *decryptError) Error() string { return e.err.Error() }

func (e *decryptError) Unwrap() error { return e.err }

func (e *decryptError) Is(target error) bool { return target == ErrDecrypt }

// ErrCommitmentPolicy is matched, together with ErrDecrypt, by a message of
// a non-committing suite (message format version 1) given to a Client whose
// CommitmentPolicy is RequireEncryptRequireDecrypt. Its text names the suite
// and the policy that reads it. No key is asked for.
var ErrCommitmentPolicy = errors.New("envelope: commitment policy forbids this message")

type policyError struct{ suite Suite }

func (e *policyError) Error() string {
	return fmt.Sprintf("envelope: commitment policy forbids this message: suite %v does not commit to its data key; CommitmentPolicy RequireEncryptAllowDecrypt reads it", e.suite)
}

func (e *policyError) Is(target error) bool {
	return target == ErrCommitmentPolicy || target == ErrDecrypt
}
