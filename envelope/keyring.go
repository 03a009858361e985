package envelope

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Keyring wraps and unwraps the data keys of messages: on encryption it
// generates a data key (as generator) or encrypts one it is given, adding an
// encrypted data key to the header; on decryption it finds an encrypted data
// key of the header it can open. Give one to NewWithKeyring.
//
// The keyrings are those of the AWS Encryption SDKs, with the same wire
// format, so that messages interoperate: KMSKeyring and KMSDiscoveryKeyring,
// RawAESKeyring, RawRSAKeyring, and MultiKeyring to combine them.
//
// Keyring is sealed: its methods are unexported, so only this package
// implements it, and every keyring's handling of key material can be held
// to the package's rules (no secret in an error, wiping, exact wire format).
// Combine keyrings with MultiKeyring. A Keyring holds no per-message state
// and is safe for concurrent use; it may serve many Clients.
type Keyring interface {
	// onEncrypt generates a data key when m.dataKey is nil (the keyring is
	// a generator) and appends to m.edks its encryption of m.dataKey.
	onEncrypt(ctx context.Context, m *keyMaterials) error
	// onDecrypt returns the data key of the first encrypted data key it
	// can decrypt, of m.suite's data key length. No match: an error
	// matching ErrNoKey.
	onDecrypt(ctx context.Context, m *keyMaterials) ([]byte, error)
	// describe names the keyring and its keys, never key material: for
	// error messages.
	describe() string
	// identity tells keyrings apart for the cache: describe, plus for raw
	// keys a fingerprint of the key, so that two keyrings under the same
	// names but different keys never share cache entries. It never leaves
	// the cache key's hash.
	identity() []byte
}

// keyMaterials is what a keyring reads and writes for one message.
type keyMaterials struct {
	suite   Suite
	ec      map[string]string // the full encryption context, aws-crypto-public-key included
	dataKey []byte            // the plaintext data key: nil until a generator made it
	edks    []DataKey         // encryption: appended to; decryption: the message's
	rand    io.Reader         // data keys and IVs of raw keyrings
	kmsCall func(n int)       // counts KMS calls for Cache.Stats; may be nil
}

func (m *keyMaterials) countKMS(n int) {
	if m.kmsCall != nil {
		m.kmsCall(n)
	}
}

// generate fills m.dataKey with a random data key of the suite's length.
func (m *keyMaterials) generate() error {
	dk := make([]byte, m.suite.dataKeyLen())
	if _, err := io.ReadFull(m.rand, dk); err != nil {
		return fmt.Errorf("envelope: data key: %w", err)
	}
	m.dataKey = dk
	return nil
}

// errCannotEncrypt is returned by keyrings that only decrypt.
func errCannotEncrypt(what string) error {
	return fmt.Errorf("%w: %s cannot encrypt", ErrInvalidInput, what)
}

// keyringError is a keyring's decryption failure. byMessage says whether
// the message caused it: no encrypted data key for the keyring, or each one
// tried refused as not authentic (a wrong tag, KMS InvalidCiphertext). The
// Client then makes it match ErrDecrypt too; a key service failure
// (throttling, access denied) does not.
type keyringError struct {
	err       error
	byMessage bool
}

func (e *keyringError) Error() string { return e.err.Error() }
func (e *keyringError) Unwrap() error { return e.err }

// noKey returns the error of a keyring that found no usable encrypted data
// key: ErrNoKey, with the errors of the keys it tried. refused of them
// failed because of the message.
func noKey(what string, tried, refused int, errs []error) error {
	if tried == 0 {
		return &keyringError{fmt.Errorf("%w: no encrypted data key of the message is for %s", ErrNoKey, what), true}
	}
	return &keyringError{fmt.Errorf("%w: %s: %w", ErrNoKey, what, errors.Join(errs...)), refused == tried}
}
