package envelope

import (
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
)

// Suite is an AWS Encryption SDK algorithm suite ID. Encryption writes the
// two committing suites of message format version 2; decryption also reads
// the nine non-committing suites of message format version 1, under
// Options.CommitmentPolicy RequireEncryptAllowDecrypt.
type Suite uint16

// The committing suites (message format version 2). They are the only ones
// Encrypt writes.
const (
	// SuiteCommitKey is AES-256-GCM with HKDF-SHA512 key derivation and key
	// commitment (ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY).
	SuiteCommitKey Suite = 0x0478
	// SuiteCommitKeyECDSAP384 is SuiteCommitKey plus an ECDSA P-384
	// signature over the message (ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384),
	// the AWS Encryption SDK's default.
	SuiteCommitKeyECDSAP384 Suite = 0x0578
)

// The non-committing suites of message format version 1, read only (the AWS
// Encryption SDKs before 2.0 wrote them; their default was
// SuiteAES256HKDFSHA384ECDSAP384). Decrypting them needs
// CommitmentPolicy RequireEncryptAllowDecrypt. All use a 12-byte IV and a
// 16-byte tag, and a data key as long as the AES key.
const (
	SuiteAES128                    Suite = 0x0014 // AES-128-GCM, the data key is the content key (ALG_AES_128_GCM_IV12_TAG16_NO_KDF)
	SuiteAES192                    Suite = 0x0046 // AES-192-GCM, no key derivation
	SuiteAES256                    Suite = 0x0078 // AES-256-GCM, no key derivation
	SuiteAES128HKDFSHA256          Suite = 0x0114 // AES-128-GCM, HKDF-SHA256 (ALG_AES_128_GCM_IV12_TAG16_HKDF_SHA256)
	SuiteAES192HKDFSHA256          Suite = 0x0146 // AES-192-GCM, HKDF-SHA256
	SuiteAES256HKDFSHA256          Suite = 0x0178 // AES-256-GCM, HKDF-SHA256
	SuiteAES128HKDFSHA256ECDSAP256 Suite = 0x0214 // AES-128-GCM, HKDF-SHA256, ECDSA P-256 with SHA-256
	SuiteAES192HKDFSHA384ECDSAP384 Suite = 0x0346 // AES-192-GCM, HKDF-SHA384, ECDSA P-384 with SHA-384
	SuiteAES256HKDFSHA384ECDSAP384 Suite = 0x0378 // AES-256-GCM, HKDF-SHA384, ECDSA P-384 with SHA-384
)

// suiteInfo is what the format needs to know of a suite
// (framework/algorithm-suites.md of the specification).
type suiteInfo struct {
	name    string
	version byte             // message format version: 1 or 2
	keyLen  int              // data key and content key, bytes
	kdf     func() hash.Hash // nil: the data key is the content key
	curve   elliptic.Curve   // nil: unsigned
	sigHash func() hash.Hash // the signature's running hash
}

var suites = map[Suite]*suiteInfo{
	SuiteCommitKey:                 {"ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY", 2, 32, sha512.New, nil, nil},
	SuiteCommitKeyECDSAP384:        {"ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", 2, 32, sha512.New, elliptic.P384(), sha512.New384},
	SuiteAES128:                    {"ALG_AES_128_GCM_IV12_TAG16_NO_KDF", 1, 16, nil, nil, nil},
	SuiteAES192:                    {"ALG_AES_192_GCM_IV12_TAG16_NO_KDF", 1, 24, nil, nil, nil},
	SuiteAES256:                    {"ALG_AES_256_GCM_IV12_TAG16_NO_KDF", 1, 32, nil, nil, nil},
	SuiteAES128HKDFSHA256:          {"ALG_AES_128_GCM_IV12_TAG16_HKDF_SHA256", 1, 16, sha256.New, nil, nil},
	SuiteAES192HKDFSHA256:          {"ALG_AES_192_GCM_IV12_TAG16_HKDF_SHA256", 1, 24, sha256.New, nil, nil},
	SuiteAES256HKDFSHA256:          {"ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256", 1, 32, sha256.New, nil, nil},
	SuiteAES128HKDFSHA256ECDSAP256: {"ALG_AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256", 1, 16, sha256.New, elliptic.P256(), sha256.New},
	SuiteAES192HKDFSHA384ECDSAP384: {"ALG_AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384", 1, 24, sha512.New384, elliptic.P384(), sha512.New384},
	SuiteAES256HKDFSHA384ECDSAP384: {"ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384", 1, 32, sha512.New384, elliptic.P384(), sha512.New384},
}

// String returns the suite's name in the AWS Encryption SDK.
func (s Suite) String() string {
	if i := suites[s]; i != nil {
		return i.name
	}
	return fmt.Sprintf("Suite(0x%04x)", uint16(s))
}

// Committing reports whether s commits to its data key (message format
// version 2): the suites Encrypt writes and the default policy reads.
func (s Suite) Committing() bool { i := suites[s]; return i != nil && i.version == 2 }

// Signed reports whether messages of s end with an ECDSA signature.
func (s Suite) Signed() bool { i := suites[s]; return i != nil && i.curve != nil }

func (s Suite) info() *suiteInfo { return suites[s] }

// valid reports whether s is a suite Encrypt may write.
func (s Suite) valid() bool { return s.Committing() }

func (s Suite) signed() bool { return s.Signed() }

// dataKeyLen is the data key length of s; 32 for an unknown suite.
func (s Suite) dataKeyLen() int {
	if i := suites[s]; i != nil {
		return i.keyLen
	}
	return dataKeySize
}

// Sizes of the formats.
const (
	dataKeySize     = 32 // the data key of the committing suites, and the derived AES-256 key
	commitKeySize   = 32
	messageIDSize   = 32 // message format version 2
	messageIDSizeV1 = 16 // message format version 1
	ivSize          = 12
	tagSize         = 16
)

// deriveKeys derives the AES-256 content key and the commit key from the
// data key: HKDF-SHA512 with the message ID as salt; info is the suite ID
// and "DERIVEKEY" for the content key, "COMMITKEY" for the commit key.
func deriveKeys(s Suite, dataKey, messageID []byte) (contentKey, commitKey []byte, err error) {
	prk, err := hkdf.Extract(sha512.New, dataKey, messageID)
	if err != nil {
		return nil, nil, err
	}
	info := binary.BigEndian.AppendUint16(make([]byte, 0, 2+9), uint16(s))
	info = append(info, "DERIVEKEY"...)
	contentKey, err = hkdf.Expand(sha512.New, prk, string(info), dataKeySize)
	if err != nil {
		return nil, nil, err
	}
	commitKey, err = hkdf.Expand(sha512.New, prk, "COMMITKEY", commitKeySize)
	clear(prk)
	return contentKey, commitKey, err
}

// deriveLegacyKey derives the content key of a non-committing suite: the
// data key itself for the suites without key derivation, else HKDF with the
// suite's hash, no salt, info = suite ID (2 bytes) || message ID
// (framework/algorithm-suites.md, "Key Derivation" for message format 1).
// The result is a new slice the caller wipes.
func deriveLegacyKey(s Suite, dataKey, messageID []byte) ([]byte, error) {
	i := s.info()
	if i == nil || len(dataKey) != i.keyLen {
		return nil, ErrDecrypt
	}
	if i.kdf == nil {
		return append([]byte(nil), dataKey...), nil
	}
	info := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(messageID)), uint16(s))
	info = append(info, messageID...)
	return hkdf.Key(i.kdf, dataKey, nil, string(info), i.keyLen)
}
