package envelope

import (
	"context"
	"crypto/ecdsa"
	"fmt"
)

// Encrypt encrypts plaintext under a new data key and returns the whole
// message: header (with the encryption context and the encrypted data keys),
// framed body, and for the signed suite the signature footer. The caller's
// encryptionContext is authenticated, stored in clear in the header, and sent
// to KMS; keys may not start with "aws-crypto-" (ErrReservedContext). KMS
// errors are wrapped with the SDK error reachable (errors.As with
// smithy.APIError).
func (c *Client) Encrypt(ctx context.Context, plaintext []byte, encryptionContext map[string]string) ([]byte, error) {
	fl := c.opts.FrameLength
	full := len(plaintext) / fl
	if uint64(full)+1 > maxFrames {
		return nil, fmt.Errorf("%w: %d bytes need more than 2^32-1 frames of %d", ErrTooLarge, len(plaintext), fl)
	}
	m, err := c.encryptionMaterials(ctx, encryptionContext, len(plaintext))
	if err != nil {
		return nil, err
	}
	defer m.wipe()
	_, f, header, err := c.newHeader(m)
	if err != nil {
		return nil, err
	}
	rest := len(plaintext) - full*fl
	size := len(header) + full*(fl+frameOverhead(false)) + rest + frameOverhead(true)
	if m.signer != nil {
		size += 2 + 104 // the longest DER P-384 signature
	}
	out := make([]byte, 0, size)
	out = append(out, header...)
	seq := uint32(1)
	for i := 0; i < full; i++ {
		out = f.seal(out, seq, false, plaintext[i*fl:(i+1)*fl])
		seq++
	}
	out = f.seal(out, seq, true, plaintext[full*fl:])
	if m.signer != nil {
		out, err = appendSignature(out, m.signer, c)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func appendSignature(msg []byte, priv *ecdsa.PrivateKey, c *Client) ([]byte, error) {
	hh := newSignatureHash()
	hh.Write(msg)
	footer, err := sign(priv, c.opts.Rand, hh.Sum(nil))
	if err != nil {
		return nil, err
	}
	return append(msg, footer...), nil
}

// Decrypt authenticates and decrypts a whole message and returns its
// plaintext; nothing is returned unless every frame's tag, the header, the
// commit key and (for the signed suite) the signature verify, and the message
// ends exactly after them. encryptionContext lists pairs that must be in the
// message (nil: no requirement); a missing or different pair is
// ErrContextMismatch, naming the key. Only encrypted data keys under the
// client's key ARNs are tried (ErrNoKey otherwise). Every failure caused by
// the message bytes matches ErrDecrypt.
func (c *Client) Decrypt(ctx context.Context, message []byte, encryptionContext map[string]string) ([]byte, error) {
	h, err := parseHeader(message, c.opts.MaxEncryptedDataKeys)
	if err != nil {
		return nil, err
	}
	if err := requireContext(h.EncryptionContext, encryptionContext); err != nil {
		return nil, err
	}
	var pub *ecdsa.PublicKey
	if h.Suite.signed() {
		if pub, err = verifier(h); err != nil {
			return nil, err
		}
	}
	dataKey, err := c.dataKey(ctx, h)
	if err != nil {
		return nil, err
	}
	f, err := verifyHeader(h, dataKey)
	clear(dataKey)
	if err != nil {
		return nil, err
	}
	r := &reader{b: message, off: h.Size}
	out := make([]byte, 0, max(0, len(message)-h.Size)) // plaintext is never longer than the body
	for seq := uint32(1); ; seq++ {
		first := r.u32("sequence number")
		final := first == finalFrameMark
		if final {
			first = r.u32("sequence number")
		}
		if r.err != nil {
			return nil, ErrDecrypt
		}
		if first != seq || (!final && seq == finalFrameMark) {
			return nil, ErrDecrypt
		}
		iv := r.take(ivSize, "IV")
		n := h.FrameLength
		if final {
			n = int(r.u32("content length"))
			if n > h.FrameLength {
				return nil, ErrDecrypt
			}
		}
		ct := r.take(n+tagSize, "frame")
		if r.err != nil || string(iv) != string(f.frameIV(seq)) {
			return nil, ErrDecrypt
		}
		out, err = f.open(out, seq, final, ct)
		if err != nil {
			clear(out[:cap(out)])
			return nil, ErrDecrypt
		}
		if final {
			break
		}
	}
	if pub != nil {
		end := r.off
		sigLen := r.u16("signature length")
		sig := r.take(sigLen, "signature")
		if r.err != nil || !verifySignature(pub, message[:end], sig) {
			clear(out[:cap(out)])
			return nil, ErrDecrypt
		}
	}
	if r.off != len(message) {
		clear(out[:cap(out)])
		return nil, ErrDecrypt // trailing bytes
	}
	return out, nil
}

func verifySignature(pub *ecdsa.PublicKey, signed, sig []byte) bool {
	hh := newSignatureHash()
	hh.Write(signed)
	return ecdsa.VerifyASN1(pub, hh.Sum(nil), sig)
}
