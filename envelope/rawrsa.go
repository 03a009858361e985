package envelope

import (
	"context"
	"crypto"
	"crypto/rsa"
	_ "crypto/sha1" // OAEP with SHA-1
	_ "crypto/sha256"
	_ "crypto/sha512"
	"fmt"
	"log/slog"
)

// RSAPadding is the RSA encryption scheme of a raw RSA keyring. The zero
// value is not a padding: RawRSAKeyring refuses it.
type RSAPadding int

// The paddings of the AWS Encryption SDKs' raw RSA keyring. OAEP uses MGF1
// with the same hash and an empty label.
//
// RSAPKCS1 is for reading and writing messages of systems that still use it.
// It is a padding oracle (Bleichenbacher): a wrapped key whose PKCS #1 v1.5
// padding is valid fails later, with ErrDecrypt alone, than one whose padding
// is not (ErrNoKey too), so a service that lets an attacker submit messages
// for a PKCS #1 keyring and tell those errors (or their timing) apart can help
// the attacker decrypt wrapped data keys. Use OAEP for anything new, and do
// not expose which error a PKCS #1 decryption returned.
const (
	RSAPKCS1      RSAPadding = iota + 1 // PKCS #1 v1.5 (legacy: prefer OAEP)
	RSAOAEPSHA1                         // OAEP, SHA-1
	RSAOAEPSHA256                       // OAEP, SHA-256
	RSAOAEPSHA384                       // OAEP, SHA-384
	RSAOAEPSHA512                       // OAEP, SHA-512
)

// String returns the padding's name, as "OAEP-SHA256".
func (p RSAPadding) String() string {
	switch p {
	case RSAPKCS1:
		return "PKCS1"
	case RSAOAEPSHA1:
		return "OAEP-SHA1"
	case RSAOAEPSHA256:
		return "OAEP-SHA256"
	case RSAOAEPSHA384:
		return "OAEP-SHA384"
	case RSAOAEPSHA512:
		return "OAEP-SHA512"
	}
	return fmt.Sprintf("RSAPadding(%d)", int(p))
}

func (p RSAPadding) hash() crypto.Hash {
	switch p {
	case RSAOAEPSHA1:
		return crypto.SHA1
	case RSAOAEPSHA256:
		return crypto.SHA256
	case RSAOAEPSHA384:
		return crypto.SHA384
	case RSAOAEPSHA512:
		return crypto.SHA512
	}
	return 0
}

// rawRSAKeyring wraps data keys with RSA (framework/raw-rsa-keyring.md of
// the specification).
type rawRSAKeyring struct {
	namespace, name string
	padding         RSAPadding
	public          *rsa.PublicKey
	private         *rsa.PrivateKey
}

// RawRSAKeyring returns a keyring that encrypts data keys to an RSA public
// key and decrypts them with the private key, as the AWS Encryption SDKs'
// raw RSA keyring does: the encrypted data key records namespace as provider
// ID, name as provider info, and the RSA ciphertext of the data key under
// padding. It decrypts only encrypted data keys whose namespace and name are
// exactly these.
//
// Either key may be nil: a keyring with only public encrypts (escrow: the
// private key stays elsewhere) and fails to decrypt with ErrNoKey; one with
// only private decrypts and, as the specification requires, cannot encrypt
// (Encrypt fails with ErrInvalidInput). When both are given they must be
// one pair. Errors match ErrInvalidInput: no key, mismatched keys, an
// unknown padding, names as for RawAESKeyring (but the key name may take
// the provider info's whole 65,535 bytes), a public exponent crypto/rsa
// refuses (even, under 3 or over 2^31-1), a modulus too small for the
// padding to carry a 32-byte data key.
func RawRSAKeyring(namespace, name string, padding RSAPadding, public *rsa.PublicKey, private *rsa.PrivateKey) (Keyring, error) {
	if err := checkRawNames(namespace, name, maxU16); err != nil { // the provider info is the name
		return nil, err
	}
	if padding < RSAPKCS1 || padding > RSAOAEPSHA512 {
		return nil, fmt.Errorf("%w: %v", ErrInvalidInput, padding)
	}
	if public == nil && private == nil {
		return nil, fmt.Errorf("%w: raw RSA keyring with neither a public nor a private key", ErrInvalidInput)
	}
	if public != nil && private != nil && !public.Equal(&private.PublicKey) {
		return nil, fmt.Errorf("%w: raw RSA public and private keys are not one pair", ErrInvalidInput)
	}
	pub := public
	if pub == nil {
		pub = &private.PublicKey
	}
	// crypto/rsa refuses an even public exponent, one under 3 or one over
	// 2^31-1 on every encryption and decryption: refuse such a key here,
	// where it is given, rather than on every message.
	if pub.N == nil || pub.E < 3 || pub.E%2 == 0 || pub.E > 1<<31-1 {
		return nil, fmt.Errorf("%w: raw RSA key is not valid (no modulus, or public exponent %d not an odd number from 3 to 2^31-1)", ErrInvalidInput, pub.E)
	}
	overhead := 11 // PKCS #1 v1.5
	if h := padding.hash(); h != 0 {
		overhead = 2*h.Size() + 2
	}
	if pub.Size()-overhead < dataKeySize {
		return nil, fmt.Errorf("%w: a %d-bit RSA key cannot carry a %d-byte data key with %v", ErrInvalidInput, pub.N.BitLen(), dataKeySize, padding)
	}
	return &rawRSAKeyring{namespace: namespace, name: name, padding: padding, public: public, private: private}, nil
}

func (k *rawRSAKeyring) describe() string {
	return fmt.Sprintf("raw RSA key %q/%q (%v)", k.namespace, k.name, k.padding)
}

// identity adds the public modulus (public, and the same for both halves of
// the pair) to the names.
func (k *rawRSAKeyring) identity() []byte {
	pub := k.public
	if pub == nil {
		pub = &k.private.PublicKey
	}
	return append([]byte(k.describe()), pub.N.Bytes()...)
}

// String redacts: the keyring may hold a private key.
func (k *rawRSAKeyring) String() string {
	return "envelope.RawRSAKeyring(" + k.namespace + "/" + k.name + ", " + k.padding.String() + ")"
}
func (k *rawRSAKeyring) GoString() string     { return k.String() }
func (k *rawRSAKeyring) LogValue() slog.Value { return slog.StringValue(k.String()) }

func (k *rawRSAKeyring) onEncrypt(_ context.Context, m *keyMaterials) error {
	if k.public == nil {
		return errCannotEncrypt(k.describe() + " without a public key")
	}
	if m.dataKey == nil {
		if err := m.generate(); err != nil {
			return err
		}
	}
	var ct []byte
	var err error
	if h := k.padding.hash(); h != 0 {
		ct, err = rsa.EncryptOAEP(h.New(), m.rand, k.public, m.dataKey, nil)
	} else {
		ct, err = rsa.EncryptPKCS1v15(m.rand, k.public, m.dataKey)
	}
	if err != nil {
		return fmt.Errorf("envelope: %s: %w", k.describe(), err)
	}
	m.edks = append(m.edks, DataKey{ProviderID: k.namespace, ProviderInfo: k.name, Ciphertext: ct})
	return nil
}

func (k *rawRSAKeyring) onDecrypt(_ context.Context, m *keyMaterials) ([]byte, error) {
	var errs []error // one per encrypted data key tried: each that fails adds its error
	for _, e := range m.edks {
		if e.ProviderID != k.namespace || e.ProviderInfo != k.name {
			continue
		}
		if k.private == nil {
			return nil, &keyringError{fmt.Errorf("%w: %s has no private key", ErrNoKey, k.describe()), false}
		}
		var dk []byte
		var err error
		if h := k.padding.hash(); h != 0 {
			dk, err = rsa.DecryptOAEP(h.New(), nil, k.private, e.Ciphertext, nil)
		} else {
			dk, err = rsa.DecryptPKCS1v15(nil, k.private, e.Ciphertext)
		}
		if err != nil || len(dk) != m.suite.dataKeyLen() {
			clear(dk)
			errs = append(errs, fmt.Errorf("%s: data key did not decrypt", k.describe()))
			continue
		}
		return dk, nil
	}
	return nil, noKey(k.describe(), len(errs), len(errs), errs)
}
