package envelope

// Signatures of the signed suite: the running hash, the footer, and the
// public key a message carries in its encryption context.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
)

// newSignatureHash returns the running hash of the signed suite
// (SuiteCommitKeyECDSAP384): SHA-384 over header and body, which the footer
// signs.
func newSignatureHash() hash.Hash { return sha512.New384() }

// sign returns the footer: u16 length and the DER signature of digest.
func sign(priv *ecdsa.PrivateKey, r io.Reader, digest []byte) ([]byte, error) {
	sig, err := ecdsa.SignASN1(r, priv, digest)
	if err != nil {
		return nil, fmt.Errorf("envelope: sign: %w", err)
	}
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(sig))), sig...), nil
}

// verifier returns the public key of a signed message's context, on the
// curve of its suite (P-256 for SuiteAES128HKDFSHA256ECDSAP256, else
// P-384).
func verifier(h *Header) (*ecdsa.PublicKey, error) {
	curve := h.Suite.info().curve
	raw, err := base64.StdEncoding.DecodeString(h.EncryptionContext[publicKeyField])
	if err != nil {
		return nil, malformed("%s is not base64", publicKeyField)
	}
	x, y := elliptic.UnmarshalCompressed(curve, raw)
	if x == nil {
		return nil, malformed("%s is not a compressed %s point", publicKeyField, curve.Params().Name)
	}
	return &ecdsa.PublicKey{Curve: curve, X: x, Y: y}, nil
}

// appendSignature signs msg[start:], a whole header and body, with priv and
// appends the footer to msg.
func appendSignature(msg []byte, start int, priv *ecdsa.PrivateKey, rand io.Reader) ([]byte, error) {
	hh := newSignatureHash()
	hh.Write(msg[start:])
	footer, err := sign(priv, rand, hh.Sum(nil))
	if err != nil {
		return nil, err
	}
	return append(msg, footer...), nil
}
