package envelope

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// rawAESKeyring wraps data keys with AES-GCM under a key the caller holds
// (framework/raw-aes-keyring.md of the specification).
type rawAESKeyring struct {
	namespace, name string
	aead            cipher.AEAD
	fingerprint     [sha256.Size]byte // of the key, for the cache partition only
}

// RawAESKeyring returns a keyring that wraps data keys with AES-GCM under
// key, a 16-, 24- or 32-byte AES key, as the AWS Encryption SDKs' raw AES
// keyring does: a random 12-byte IV per data key, the serialized encryption
// context as AAD; the encrypted data key records namespace as its provider
// ID, and as provider info the name, the tag length in bits (128), the IV
// length (12) and the IV. It decrypts only encrypted data keys whose
// namespace and name are exactly these; namespace and name are how other
// SDKs find the same key, so use the same values there.
//
// The keyring keeps its own expanded copy of key: the caller may wipe key
// after the call. As a generator it makes data keys from Options.Rand of the
// Client. Errors match ErrInvalidInput: a key of another length, an empty
// namespace or name, a namespace starting with "aws-kms" (reserved for KMS),
// a namespace over 65,535 bytes or a name over 65,515 (the format's 16-bit
// lengths; the provider info holds 20 bytes after the name).
func RawAESKeyring(namespace, name string, key []byte) (Keyring, error) {
	// The provider info is the name, then the tag length, IV length
	// and IV (raw-aes-keyring.md): 20 bytes after the name.
	if err := checkRawNames(namespace, name, maxU16-8-ivSize); err != nil {
		return nil, err
	}
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, fmt.Errorf("%w: raw AES key of %d bytes, want 16, 24 or 32", ErrInvalidInput, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: raw AES key: %w", ErrInvalidInput, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: raw AES key: %w", ErrInvalidInput, err)
	}
	kr := &rawAESKeyring{namespace: namespace, name: name, aead: aead}
	h := sha256.New()
	h.Write([]byte("awskit envelope raw AES keyring identity\x00"))
	h.Write(key)
	h.Sum(kr.fingerprint[:0])
	return kr, nil
}

// checkRawNames checks a raw keyring's namespace (the data key's provider
// ID, at most 65,535 bytes) and key name, which takes at most maxName
// bytes of the provider info's 65,535.
func checkRawNames(namespace, name string, maxName int) error {
	if namespace == "" || name == "" {
		return fmt.Errorf("%w: a raw keyring needs a namespace and a name", ErrInvalidInput)
	}
	if strings.HasPrefix(namespace, providerAWSKMS) {
		return fmt.Errorf("%w: key namespace %q: names starting with %q are reserved for KMS", ErrInvalidInput, namespace, providerAWSKMS)
	}
	if len(namespace) > maxU16 || len(name) > maxName {
		return fmt.Errorf("%w: key namespace or name over the format's limit", ErrInvalidInput)
	}
	return nil
}

func (k *rawAESKeyring) describe() string {
	return fmt.Sprintf("raw AES key %q/%q", k.namespace, k.name)
}

func (k *rawAESKeyring) identity() []byte {
	return append([]byte(k.describe()), k.fingerprint[:]...)
}

// String redacts: the keyring holds a key.
func (k *rawAESKeyring) String() string {
	return "envelope.RawAESKeyring(" + k.namespace + "/" + k.name + ")"
}
func (k *rawAESKeyring) GoString() string     { return k.String() }
func (k *rawAESKeyring) LogValue() slog.Value { return slog.StringValue(k.String()) }

// rawAESInfoLen is the provider info after the name: tag bits, IV length, IV.
const rawAESInfoLen = 4 + 4 + ivSize

func (k *rawAESKeyring) onEncrypt(_ context.Context, m *keyMaterials) error {
	if m.dataKey == nil {
		if err := m.generate(); err != nil {
			return err
		}
	}
	aad, ok := serializeContext(nil, m.ec)
	if !ok {
		return fmt.Errorf("%w: encryption context does not serialize", ErrInvalidInput)
	}
	info := make([]byte, 0, len(k.name)+rawAESInfoLen)
	info = append(info, k.name...)
	info = binary.BigEndian.AppendUint32(info, tagSize*8)
	info = binary.BigEndian.AppendUint32(info, ivSize)
	iv := info[len(info) : len(info)+ivSize]
	if _, err := io.ReadFull(m.rand, iv); err != nil {
		return fmt.Errorf("envelope: raw AES IV: %w", err)
	}
	info = info[:len(info)+ivSize]
	m.edks = append(m.edks, DataKey{
		ProviderID:   k.namespace,
		ProviderInfo: string(info),
		Ciphertext:   k.aead.Seal(nil, iv, m.dataKey, aad),
	})
	return nil
}

func (k *rawAESKeyring) onDecrypt(_ context.Context, m *keyMaterials) ([]byte, error) {
	var errs []error // one per encrypted data key tried: each that fails adds its error
	var aad []byte
	for _, e := range m.edks {
		info := []byte(e.ProviderInfo)
		if e.ProviderID != k.namespace || len(info) != len(k.name)+rawAESInfoLen || !bytes.HasPrefix(info, []byte(k.name)) {
			continue
		}
		rest := info[len(k.name):]
		if binary.BigEndian.Uint32(rest) != tagSize*8 || binary.BigEndian.Uint32(rest[4:]) != ivSize {
			errs = append(errs, fmt.Errorf("raw AES provider info: tag length %d bits, IV length %d; want 128 and 12", binary.BigEndian.Uint32(rest), binary.BigEndian.Uint32(rest[4:])))
			continue
		}
		if aad == nil {
			var ok bool
			if aad, ok = serializeContext([]byte{}, m.ec); !ok {
				return nil, ErrDecrypt
			}
		}
		dk, err := k.aead.Open(nil, rest[8:], e.Ciphertext, aad)
		if err != nil || len(dk) != m.suite.dataKeyLen() {
			clear(dk)
			errs = append(errs, fmt.Errorf("%s: data key did not authenticate", k.describe()))
			continue
		}
		return dk, nil
	}
	return nil, noKey(k.describe(), len(errs), len(errs), errs)
}
