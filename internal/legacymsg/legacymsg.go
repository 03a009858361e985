// Package legacymsg writes AWS Encryption SDK messages of format version 1
// (the non-committing suites), framed or non-framed, from the public
// specification and the standard library alone, independently of envelope:
// it is the hand-built oracle of envelope's tests and of the interop tests
// (the JavaScript ESDK reads what it writes). For tests only; it is
// internal, so nothing outside awskit imports it.
//
// The layout follows data-format/message-header.md, message-body.md,
// message-body-aad.md and message-footer.md of the specification
// (awslabs/aws-encryption-sdk-specification); the raw AES wrapping follows
// framework/raw-aes-keyring.md.
package legacymsg

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
	"sort"
)

// Suite describes one non-committing suite.
type Suite struct {
	ID     uint16
	KeyLen int              // bytes
	KDF    func() hash.Hash // nil: no key derivation
	Curve  elliptic.Curve   // nil: unsigned
	SigH   func() hash.Hash
}

// Suites are the nine suites of message format version 1
// (framework/algorithm-suites.md).
var Suites = []Suite{
	{0x0014, 16, nil, nil, nil},
	{0x0046, 24, nil, nil, nil},
	{0x0078, 32, nil, nil, nil},
	{0x0114, 16, sha256.New, nil, nil},
	{0x0146, 24, sha256.New, nil, nil},
	{0x0178, 32, sha256.New, nil, nil},
	{0x0214, 16, sha256.New, elliptic.P256(), sha256.New},
	{0x0346, 24, sha512.New384, elliptic.P384(), sha512.New384},
	{0x0378, 32, sha512.New384, elliptic.P384(), sha512.New384},
}

// SuiteByID returns the suite with id, or false.
func SuiteByID(id uint16) (Suite, bool) {
	for _, s := range Suites {
		if s.ID == id {
			return s, true
		}
	}
	return Suite{}, false
}

// DataKey is one encrypted data key of the header.
type DataKey struct {
	ProviderID   string
	ProviderInfo []byte
	Ciphertext   []byte
}

// Message is what Build writes.
type Message struct {
	Suite       Suite
	MessageID   [16]byte
	Context     map[string]string // the caller's; Build adds aws-crypto-public-key for signed suites
	DataKeys    []DataKey
	DataKey     []byte // plaintext data key, Suite.KeyLen bytes
	NonFramed   bool
	FrameLength int // framed only
	HeaderIV    [12]byte
	Plaintext   []byte
	SigningKey  *ecdsa.PrivateKey // signed suites; nil: a fresh key
}

// SerializeContext is the specification's encryption context serialization
// (u16 count, then u16-length-prefixed key and value pairs sorted by key);
// empty for an empty context.
func SerializeContext(ec map[string]string) []byte {
	if len(ec) == 0 {
		return nil
	}
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := binary.BigEndian.AppendUint16(nil, uint16(len(keys)))
	for _, k := range keys {
		b = binary.BigEndian.AppendUint16(b, uint16(len(k)))
		b = append(b, k...)
		b = binary.BigEndian.AppendUint16(b, uint16(len(ec[k])))
		b = append(b, ec[k]...)
	}
	return b
}

// WrapAES encrypts dataKey as the raw AES keyring does: AES-GCM under
// wrappingKey with iv, the serialized context as AAD; provider info = name,
// tag length in bits (128), IV length (12), IV.
func WrapAES(namespace, name string, wrappingKey, iv, dataKey []byte, ec map[string]string) (DataKey, error) {
	block, err := aes.NewCipher(wrappingKey)
	if err != nil {
		return DataKey{}, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return DataKey{}, err
	}
	info := append([]byte(name), 0, 0, 0, 128, 0, 0, 0, 12)
	info = append(info, iv...)
	return DataKey{ProviderID: namespace, ProviderInfo: info, Ciphertext: gcm.Seal(nil, iv, dataKey, SerializeContext(ec))}, nil
}

// FullContext returns the context the message carries: m.Context plus, for
// a signed suite, the public key of m.SigningKey (made when nil).
func (m *Message) FullContext() (map[string]string, error) {
	ec := map[string]string{}
	for k, v := range m.Context {
		ec[k] = v
	}
	if m.Suite.Curve != nil {
		if m.SigningKey == nil {
			k, err := ecdsa.GenerateKey(m.Suite.Curve, rand.Reader)
			if err != nil {
				return nil, err
			}
			m.SigningKey = k
		}
		ec["aws-crypto-public-key"] = base64.StdEncoding.EncodeToString(elliptic.MarshalCompressed(m.Suite.Curve, m.SigningKey.X, m.SigningKey.Y))
	}
	return ec, nil
}

// Build writes the message. Call FullContext first when the data keys must
// be wrapped under the full context (raw AES, KMS).
func Build(m *Message) ([]byte, error) {
	s := m.Suite
	if len(m.DataKey) != s.KeyLen {
		return nil, errors.New("legacymsg: data key length")
	}
	if len(m.DataKeys) == 0 {
		return nil, errors.New("legacymsg: no data keys")
	}
	ec, err := m.FullContext()
	if err != nil {
		return nil, err
	}
	key := m.DataKey
	if s.KDF != nil {
		info := binary.BigEndian.AppendUint16(nil, s.ID)
		info = append(info, m.MessageID[:]...)
		if key, err = hkdf.Key(s.KDF, m.DataKey, nil, string(info), s.KeyLen); err != nil {
			return nil, err
		}
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}

	// Header body.
	b := []byte{0x01, 0x80}
	b = binary.BigEndian.AppendUint16(b, s.ID)
	b = append(b, m.MessageID[:]...)
	ser := SerializeContext(ec)
	b = binary.BigEndian.AppendUint16(b, uint16(len(ser)))
	b = append(b, ser...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.DataKeys)))
	for _, k := range m.DataKeys {
		for _, f := range [][]byte{[]byte(k.ProviderID), k.ProviderInfo, k.Ciphertext} {
			b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
			b = append(b, f...)
		}
	}
	if m.NonFramed {
		b = append(b, 0x01, 0, 0, 0, 0, 12)
		b = binary.BigEndian.AppendUint32(b, 0)
	} else {
		b = append(b, 0x02, 0, 0, 0, 0, 12)
		b = binary.BigEndian.AppendUint32(b, uint32(m.FrameLength))
	}
	// Header authentication: IV and the tag of AES-GCM over nothing, the
	// header body as AAD.
	tag := gcm.Seal(nil, m.HeaderIV[:], nil, b)
	b = append(b, m.HeaderIV[:]...)
	b = append(b, tag...)

	aad := func(label string, seq uint32, n int) []byte {
		a := append(append([]byte{}, m.MessageID[:]...), label...)
		a = binary.BigEndian.AppendUint32(a, seq)
		return binary.BigEndian.AppendUint64(a, uint64(n))
	}
	iv := func(seq uint32) []byte { return binary.BigEndian.AppendUint32(make([]byte, 8), seq) }
	pt := m.Plaintext
	if m.NonFramed {
		v := iv(1)
		b = append(b, v...)
		b = binary.BigEndian.AppendUint64(b, uint64(len(pt)))
		b = gcm.Seal(b, v, pt, aad("AWSKMSEncryptionClient Single Block", 1, len(pt)))
	} else {
		fl := m.FrameLength
		seq := uint32(1)
		for len(pt) >= fl {
			b = binary.BigEndian.AppendUint32(b, seq)
			b = append(b, iv(seq)...)
			b = gcm.Seal(b, iv(seq), pt[:fl], aad("AWSKMSEncryptionClient Frame", seq, fl))
			pt = pt[fl:]
			seq++
		}
		b = binary.BigEndian.AppendUint32(b, 0xFFFFFFFF)
		b = binary.BigEndian.AppendUint32(b, seq)
		b = append(b, iv(seq)...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(pt)))
		b = gcm.Seal(b, iv(seq), pt, aad("AWSKMSEncryptionClient Final Frame", seq, len(pt)))
	}
	if s.Curve != nil {
		h := s.SigH()
		h.Write(b)
		sig, err := ecdsa.SignASN1(rand.Reader, m.SigningKey, h.Sum(nil))
		if err != nil {
			return nil, err
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(sig)))
		b = append(b, sig...)
	}
	return b, nil
}
