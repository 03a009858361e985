package envelope

import (
	"bytes"
	"context"
	"fmt"
	"io"
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
		out, err = appendSignature(out, m.signer, c.opts.Rand)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Decrypt authenticates and decrypts a whole message and returns its
// plaintext; nothing is returned unless every frame's tag, the header, the
// commit key and (for the signed suite) the signature verify, and the message
// ends exactly after them. encryptionContext lists pairs that must be in the
// message (nil: no requirement); a missing or different pair is
// ErrContextMismatch, naming the key. Only encrypted data keys under the
// client's key ARNs are tried (ErrNoKey otherwise). Every failure caused by
// the message bytes matches ErrDecrypt.
//
// Decrypt reads the body with DecryptStream's frame reader, so both apply
// the same checks; it returns the plaintext only after io.EOF, which the
// reader gives only when everything verified.
func (c *Client) Decrypt(ctx context.Context, message []byte, encryptionContext map[string]string) ([]byte, error) {
	h, err := parseHeader(message, c.opts.MaxEncryptedDataKeys)
	if err != nil {
		return nil, err
	}
	body := message[h.Size:]
	// A frame cannot be longer than the body: the buffer need not be either.
	d, err := c.newDecReader(ctx, h, message[:h.Size], bytes.NewReader(body), min(h.FrameLength+tagSize, len(body)), encryptionContext)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)) // plaintext is never longer than the body
	for {
		n, err := d.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			clear(out[:cap(out)])
			return nil, err
		}
	}
}
