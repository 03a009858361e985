package envelope

import "context"

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
// (dst[:0]) decrypts without allocating. dst must not overlap message. dst
// grows at most once, to hold as many bytes as the message's body (the
// plaintext is never longer). On error it returns nil; dst's contents up to
// len(dst) are untouched, and whatever was written past them is cleared, so
// no unauthenticated plaintext stays in dst's spare capacity; the
// goroutines that opened frames of a large body (see Decrypt, Concurrency)
// have all ended before it returns, on success and on failure.
func (c *Client) DecryptAppend(ctx context.Context, dst, message []byte, encryptionContext map[string]string) ([]byte, error) {
	out, _, err := c.decryptAppend(ctx, dst, message, encryptionContext)
	return out, err
}
