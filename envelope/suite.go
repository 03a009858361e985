package envelope

import (
	"crypto/hkdf"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
)

// Suite is an AWS Encryption SDK algorithm suite ID. This package writes and
// reads the two committing suites of message format version 2.
type Suite uint16

const (
	// SuiteCommitKey is AES-256-GCM with HKDF-SHA512 key derivation and key
	// commitment (ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY).
	SuiteCommitKey Suite = 0x0478
	// SuiteCommitKeyECDSAP384 is SuiteCommitKey plus an ECDSA P-384
	// signature over the message (ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384),
	// the AWS Encryption SDK's default.
	SuiteCommitKeyECDSAP384 Suite = 0x0578
)

// String returns the suite's name in the AWS Encryption SDK.
func (s Suite) String() string {
	switch s {
	case SuiteCommitKey:
		return "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY"
	case SuiteCommitKeyECDSAP384:
		return "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"
	}
	return fmt.Sprintf("Suite(0x%04x)", uint16(s))
}

func (s Suite) valid() bool { return s == SuiteCommitKey || s == SuiteCommitKeyECDSAP384 }

func (s Suite) signed() bool { return s == SuiteCommitKeyECDSAP384 }

// Sizes of the committing suites.
const (
	dataKeySize   = 32 // the KMS data key, and the derived AES-256 key
	commitKeySize = 32
	messageIDSize = 32
	ivSize        = 12
	tagSize       = 16
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
