package envelope

import (
	"context"
	"fmt"
	"unsafe"
)

// Encrypt encrypts plaintext under a new data key and returns the whole
// message: header (with the encryption context and the encrypted data keys),
// framed body, and for the signed suite the signature footer. The caller's
// encryptionContext is authenticated, stored in clear in the header, and sent
// to KMS; keys may not start with "aws-crypto-" (ErrReservedContext). KMS
// errors are wrapped with the SDK error reachable (errors.As with
// smithy.APIError). The message is allocated once, at its final size.
// Large plaintexts are sealed on several goroutines (Options.Concurrency),
// all ended on return, with the bytes of one: see EncryptAppend.
func (c *Client) Encrypt(ctx context.Context, plaintext []byte, encryptionContext map[string]string) ([]byte, error) {
	return c.EncryptAppend(ctx, nil, plaintext, encryptionContext)
}

// DecryptAppend is Decrypt that appends the plaintext to dst and returns the
// extended slice, like cipher.AEAD.Open: a service that reuses one buffer
// (dst[:0]) decrypts without allocating. Unlike cipher.AEAD.Open, it does
// not decrypt in place: dst's capacity past len(dst) must not overlap
// message (ErrInvalidInput, before anything is read or written). dst
// grows at most once, to hold as many bytes as the message's body (the
// plaintext is never longer). On error it returns nil; dst's contents up to
// len(dst) are untouched, and whatever was written past them is cleared, so
// no unauthenticated plaintext stays in dst's spare capacity; the
// goroutines that opened frames of a large body (see Decrypt, Concurrency)
// have all ended before it returns, on success and on failure.
func (c *Client) DecryptAppend(ctx context.Context, dst, message []byte, encryptionContext map[string]string) ([]byte, error) {
	if overlaps(dst[len(dst):cap(dst)], message) {
		return nil, fmt.Errorf("%w: dst's capacity overlaps the message", ErrInvalidInput)
	}
	out, _, err := c.decryptAppend(ctx, dst, message, encryptionContext)
	return out, err
}

// overlaps reports whether x and y share memory: the comparison of
// addresses crypto/internal/alias makes (cipher.AEAD panics on a partial
// overlap; EncryptAppend and DecryptAppend refuse any, since a frame's
// output is not where its input is, and their workers would panic where no
// caller can recover).
func overlaps(x, y []byte) bool {
	return len(x) > 0 && len(y) > 0 &&
		uintptr(unsafe.Pointer(&x[0])) <= uintptr(unsafe.Pointer(&y[len(y)-1])) &&
		uintptr(unsafe.Pointer(&y[0])) <= uintptr(unsafe.Pointer(&x[len(x)-1]))
}
