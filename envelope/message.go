package envelope

import (
	"bytes"
	"context"
	"fmt"
	"hash"
	"io"
	"math"
	"slices"
)

// EncryptAppend is Encrypt that appends the message to dst and returns the
// extended slice, like cipher.AEAD.Seal: a service that reuses one buffer
// (dst[:0]) encrypts without allocating the message. Unlike
// cipher.AEAD.Seal, it does not encrypt in place: dst's capacity past
// len(dst) must not overlap plaintext (ErrInvalidInput, before the KMS
// call). The message is sized before it is written: dst grows at most
// once. On error it returns nil, and dst's contents up to len(dst) are
// untouched.
//
// Concurrency: a plaintext of 512 KiB or more (two full frames at least)
// is sealed on up to Options.Concurrency goroutines (runtime.GOMAXPROCS(0)
// for 0; Concurrency 1 seals every frame in the calling goroutine). Every
// regular frame has the same size, so each goroutine seals its frames
// straight into their place in the message. Unsigned suite: the calling
// goroutine and Concurrency-1 others seal one contiguous run of frames
// each. Signed suite: Concurrency-1 goroutines (at least one) take groups
// of about 64 KiB of frames in turn, and the calling goroutine hashes the
// header and then each group, in order, as soon as it is sealed, so the
// SHA-384 overlaps the sealing. For the same data key and message ID the
// message is byte for byte what Concurrency 1 writes (the signed suite's
// ECDSA signature is randomized in any case), the only memory added is a
// few words per goroutine (and for the signed suite 9 bytes per group), and
// every goroutine has ended when EncryptAppend returns. Whatever the
// concurrency, ctx is looked at about every 64 KiB of frames while they are
// sealed: once it is done, EncryptAppend returns nil and ctx.Err().
func (c *Client) EncryptAppend(ctx context.Context, dst, plaintext []byte, encryptionContext map[string]string) ([]byte, error) {
	if overlaps(dst[len(dst):cap(dst)], plaintext) {
		return nil, fmt.Errorf("%w: dst's capacity overlaps the plaintext", ErrInvalidInput)
	}
	fl := c.opts.FrameLength
	full := len(plaintext) / fl
	if uint64(full)+1 > maxFrames {
		return nil, fmt.Errorf("%w: %d bytes need more than 2^32-1 frames of %d", ErrTooLarge, len(plaintext), fl)
	}
	rest := len(plaintext) - full*fl
	// Body and footer sized in uint64: with small frames the overhead can take
	// the size past what an int holds (on 32-bit platforms, for a plaintext of
	// 64 MiB). Checked before the KMS call, and again with the header.
	bodySize := uint64(full)*(uint64(fl)+regularFrameOverhead) + uint64(rest) + finalFrameOverhead
	if c.opts.Suite.signed() {
		bodySize += 2 + 104 // the longest DER P-384 signature
	}
	tooLarge := fmt.Errorf("%w: a message of %d bytes in frames of %d is over %d bytes", ErrTooLarge, len(plaintext), fl, math.MaxInt)
	if bodySize > math.MaxInt {
		return nil, tooLarge
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
	if bodySize > uint64(math.MaxInt-len(header)) {
		return nil, tooLarge
	}
	size := len(header) + int(bodySize)
	if size > math.MaxInt-len(dst) {
		return nil, tooLarge
	}
	out := slices.Grow(dst, size)
	out = append(out, header...)
	workers := c.workers(len(plaintext), full, minParallelSeal)
	var hh hash.Hash // the signed suite's hash, when it overlaps the sealing
	if m.signer != nil && workers > 1 {
		hh = newSignatureHash()
		out, err = sealSigned(ctx, f, out, len(dst), plaintext, fl, full, workers, hh)
	} else {
		out, err = sealFrames(ctx, f, out, plaintext, fl, full, workers)
	}
	if err != nil { // ctx is done
		clear(out[len(dst) : len(dst)+size])
		return nil, err
	}
	finalAt := len(out)
	out = f.seal(out, uint32(full)+1, true, plaintext[full*fl:])
	if m.signer != nil {
		var signed []byte
		var err error
		if hh != nil {
			hh.Write(out[finalAt:])
			signed, err = appendFooter(out, hh, m.signer, c.opts.Rand)
		} else {
			signed, err = appendSignature(out, len(dst), m.signer, c.opts.Rand)
		}
		if err != nil {
			clear(out[len(dst):])
			return nil, err
		}
		out = signed
	}
	return out, nil
}

// Decrypt authenticates and decrypts a whole message and returns its
// plaintext; nothing is returned unless every frame's tag, the header, the
// commit key (message format 2) and (for the signed suites) the signature
// verify, and the message ends exactly after them. encryptionContext lists
// pairs that must be in the message (nil: no requirement); a missing or
// different pair is ErrContextMismatch, naming the key. Only encrypted data
// keys the client's keyring may open are tried (ErrNoKey otherwise). A
// message of a non-committing suite fails with ErrCommitmentPolicy unless
// Options.CommitmentPolicy is RequireEncryptAllowDecrypt. Every failure caused by
// the message bytes or the required context matches ErrDecrypt. To read the
// authenticated suite and full encryption context, use DecryptWithHeader.
//
// On one goroutine Decrypt reads the body with DecryptStream's frame
// reader, so both apply the same checks; it returns the plaintext only after
// io.EOF, which the reader gives only when everything verified.
//
// Concurrency: a framed body of 512 KiB or more (two full frames at least)
// is opened on up to Options.Concurrency goroutines (runtime.GOMAXPROCS(0)
// for 0; Concurrency 1 reads it as above). The calling goroutine first
// walks the frame headers, applying the reader's checks (sequence numbers,
// IVs, the final frame's length, truncation, the footer's length, trailing
// bytes); then Concurrency-1 goroutines and the caller take groups of
// about 64 KiB of frames in turn and open each frame straight into its
// place in the plaintext. For the signed suites the caller first hashes the
// header and body and verifies the signature while the others open. The
// first frame that fails to authenticate stops every goroutine before its
// next frame. Whatever the concurrency, ctx is looked at about every 64 KiB
// of frames: once it is done, Decrypt returns nil and ctx.Err() (which does
// not match ErrDecrypt). Every goroutine has ended when Decrypt returns;
// the result, and on failure the error, are those of Concurrency 1; the
// memory is the same (the plaintext and one frame's buffer) plus a few
// words per goroutine.
func (c *Client) Decrypt(ctx context.Context, message []byte, encryptionContext map[string]string) ([]byte, error) {
	pt, _, err := c.DecryptWithHeader(ctx, message, encryptionContext)
	return pt, err
}

// DecryptWithHeader is Decrypt that also returns the message's header, once
// authenticated: its suite, its full encryption context (the pairs the
// caller required and any others, aws-crypto-public-key included for the
// signed suite) and its encrypted data keys. A caller that trusts only some
// contexts or suites checks them there. On error the header is nil. It
// decrypts as Decrypt does, on several goroutines for a large framed body.
func (c *Client) DecryptWithHeader(ctx context.Context, message []byte, encryptionContext map[string]string) ([]byte, *Header, error) {
	return c.decryptAppend(ctx, nil, message, encryptionContext)
}

// decryptAppend is DecryptAppend that also returns the header.
func (c *Client) decryptAppend(ctx context.Context, dst, message []byte, encryptionContext map[string]string) ([]byte, *Header, error) {
	h, err := parseHeader(message, c.opts.MaxEncryptedDataKeys)
	if err != nil {
		return nil, nil, err
	}
	if err := c.checkSigned(h); err != nil {
		return nil, nil, err
	}
	body := message[h.Size:]
	// A frame cannot be longer than the body: the buffer need not be either.
	br := bytes.NewReader(body)
	d, err := c.newReader(ctx, h, message[:h.Size], br, int64(len(body)), false, encryptionContext)
	if err != nil {
		return nil, nil, err
	}
	d.mem, d.memBody = br, body
	if h.ContentType == Framed && c.workers(len(body), len(body), minParallelOpen) > 1 {
		m, err := scanFrames(h, body, d.pub != nil)
		if err != nil {
			return nil, nil, err
		}
		if w := c.workers(len(body), m.full, minParallelOpen); w > 1 {
			out, err := openFrames(ctx, d, dst, body, &m, w)
			if err != nil {
				return nil, nil, err
			}
			return out, h, nil
		}
	}
	out := slices.Grow(dst, len(body)) // plaintext is never longer than the body
	every := 1
	if h.ContentType == Framed {
		every = ctxFrames(h.FrameLength)
	}
	for i := 0; ; i++ {
		var n int
		var err error
		if i%every == 0 { // about every 64 KiB of frames: the body is cancelled with the call
			err = ctx.Err()
		}
		if err == nil {
			n, err = d.Read(out[len(out):cap(out)])
		}
		out = out[:len(out)+n]
		if err == io.EOF {
			return out, h, nil
		}
		if err != nil {
			clear(out[len(dst):cap(out)])
			return nil, nil, err
		}
	}
}

// checkSigned is the first check of a parsed header, before any limit of
// the Client, key or plaintext: it refuses a signed message when
// Options.UnsignedOnly is set, and a non-committing suite under
// RequireEncryptRequireDecrypt (so that DecryptStream's MaxFrameLength check
// cannot hide the policy behind ErrMalformed). newReader checks the policy
// again for its other callers.
func (c *Client) checkSigned(h *Header) error {
	if c.opts.UnsignedOnly && h.Suite.signed() {
		return decryptFailure(fmt.Errorf("%w: suite %v", ErrSignedMessage, h.Suite))
	}
	if !h.Suite.Committing() && c.opts.CommitmentPolicy != RequireEncryptAllowDecrypt {
		return &policyError{suite: h.Suite}
	}
	return nil
}
