package sigv4temp

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Chunk sizes of SignStreaming.
const (
	DefaultChunkSize = 64 << 10 // S3's recommendation
	MinChunkSize     = 8 << 10  // S3's minimum for every chunk but the last
	// MaxChunkSize bounds StreamingOptions.ChunkSize: an encoder holds one
	// chunk in memory. S3 documents no maximum; the Verifier's default
	// MaxChunkBytes is 1 MiB.
	MaxChunkSize = 16 << 20
)

// StreamingOptions tunes SignStreaming. The zero value gives
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD in chunks of DefaultChunkSize,
// without a trailer.
type StreamingOptions struct {
	// ChunkSize is the size of every chunk but the last, from MinChunkSize
	// to MaxChunkSize. 0 means DefaultChunkSize.
	ChunkSize int
	// Trailer appends a trailing checksum of the body (x-amz-checksum-*),
	// signed in the signed forms: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER.
	Trailer Checksum
	// Unsigned leaves the chunks out of the signature:
	// STREAMING-UNSIGNED-PAYLOAD-TRAILER, which needs a Trailer and allows a
	// body of unknown length (ContentLength -1). Only over HTTPS.
	Unsigned bool
	// TokenAfterSigning sends the session token outside the signature, as
	// in Options.
	TokenAfterSigning bool
}

// SignStreaming signs r for an S3 upload in the aws-chunked encoding, as of
// now: it replaces r.Body with the encoding of it, chunk by chunk, sets
// Content-Encoding (aws-chunked first), X-Amz-Content-Sha256,
// X-Amz-Decoded-Content-Length (the body's length), X-Amz-Trailer, and
// r.ContentLength (the encoded length), and signs the request's headers
// (the seed signature) with the path encoded once, as S3 wants. Each chunk's
// signature is computed as the body is read, in one buffer of ChunkSize
// bytes, hashing each byte once, with no allocation per chunk.
//
// The signed forms need the body's length in r.ContentLength (as S3
// requires: ErrInvalid otherwise); the encoded body fails on read if the body
// is shorter or longer. When r.GetBody is set, the new GetBody re-encodes a
// fresh copy, so the request can be retried. On error r is unchanged.
//
// Errors: those of Sign, and ErrInvalid for a chunk size under
// MinChunkSize or over MaxChunkSize, an unknown Trailer, Unsigned without a Trailer, or an
// unknown length in a signed form, or a length whose encoding would be over
// math.MaxInt64 bytes. Reads of the new body fail with ErrBody
// (wrapping the original body's error), or ErrInvalid when the body is
// shorter or longer than its ContentLength.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html.
func SignStreaming(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, optFns ...func(*StreamingOptions)) error {
	return defaultSigner.SignStreaming(ctx, r, creds, service, region, now, optFns...)
}

// SignStreaming is the package's SignStreaming, signing the seed with s.
func (s *Signer) SignStreaming(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, optFns ...func(*StreamingOptions)) error {
	var o StreamingOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if err := checkInputs(r, service, region); err != nil {
		return err
	}
	if err := checkCredentials(creds, now); err != nil {
		return err
	}
	if o.ChunkSize == 0 {
		o.ChunkSize = DefaultChunkSize
	}
	switch {
	case o.ChunkSize < MinChunkSize || o.ChunkSize > MaxChunkSize:
		return fmt.Errorf("%w: chunk size %d not from %d to %d", ErrInvalid, o.ChunkSize, MinChunkSize, MaxChunkSize)
	case o.Trailer != "" && o.Trailer.newHash() == nil:
		return fmt.Errorf("%w: unknown trailer checksum %.20q", ErrInvalid, string(o.Trailer))
	case o.Unsigned && o.Trailer == "":
		return fmt.Errorf("%w: STREAMING-UNSIGNED-PAYLOAD-TRAILER needs a Trailer", ErrInvalid)
	}
	length := r.ContentLength
	if r.Body == nil || r.Body == http.NoBody {
		length = 0
	}
	if length < 0 && !o.Unsigned {
		return fmt.Errorf("%w: a signed aws-chunked upload needs the body's length (ContentLength)", ErrInvalid)
	}
	payloadHash := streamingSigned
	switch {
	case o.Unsigned:
		payloadHash = streamingUnsignedTrailer
	case o.Trailer != "":
		payloadHash = streamingSignedTrailer
	}
	enc := encoding{chunkSize: o.ChunkSize, length: length, signed: !o.Unsigned, trailer: o.Trailer}
	if enc.tooLong() {
		return fmt.Errorf("%w: ContentLength %d: its aws-chunked encoding is over %d bytes", ErrInvalid, length, int64(math.MaxInt64))
	}

	// Sign a copy of the headers; r changes only on success.
	oldHeader, oldLength := r.Header, r.ContentLength
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	ce := "aws-chunked"
	for _, v := range h.Values("Content-Encoding") {
		if v != "" && v != "aws-chunked" {
			ce += "," + v
		}
	}
	h.Set("Content-Encoding", ce)
	h.Del("X-Amz-Decoded-Content-Length")
	if length >= 0 {
		h.Set("X-Amz-Decoded-Content-Length", strconv.FormatInt(length, 10))
	}
	h.Del("X-Amz-Trailer")
	if o.Trailer != "" {
		h.Set("X-Amz-Trailer", o.Trailer.Header())
	}
	r.Header, r.ContentLength = h, enc.encodedLength()
	err := s.Sign(ctx, r, creds, service, region, now, func(so *Options) {
		so.PayloadHash = payloadHash
		so.ContentSHA256Header = true
		so.DisableURIPathEscaping = true
		so.TokenAfterSigning = o.TokenAfterSigning
	})
	if err != nil {
		r.Header, r.ContentLength = oldHeader, oldLength
		return err
	}
	if enc.signed {
		auth := h.Get(headerAuthorization)
		if i := strings.LastIndex(auth, "Signature="); i >= 0 {
			copy(enc.seed[:], auth[i+len("Signature="):])
		}
		t := now.UTC()
		day := t.Format("20060102")
		enc.key = deriveKey(creds.SecretAccessKey, day, region, service)
		enc.date = t.Format(amzDateFormat)
		enc.scope = day + "/" + region + "/" + service + "/aws4_request"
	}
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	r.Body = enc.newEncoder(body)
	if getBody := r.GetBody; getBody != nil {
		r.GetBody = func() (io.ReadCloser, error) {
			b, err := getBody()
			if err != nil {
				return nil, err
			}
			return enc.newEncoder(b), nil
		}
	}
	return nil
}

// encoding is what an encoder of one request needs; copied per encoder.
type encoding struct {
	chunkSize   int
	length      int64 // decoded length; -1 unknown (Unsigned only)
	signed      bool
	trailer     Checksum
	key         [sha256.Size]byte
	seed        [2 * sha256.Size]byte
	date, scope string
}

// trailerValueLen is the length of the base64 value of a checksum.
func (e *encoding) trailerValueLen() int {
	return base64.StdEncoding.EncodedLen(e.trailer.newHash().Size())
}

// tooLong reports whether the encoded length of a known length does not fit
// an int64 (encodedLength would wrap).
func (e *encoding) tooLong() bool {
	if e.length < 0 {
		return false
	}
	const overhead = 1 << 10 // the final chunk, the trailer and a partial chunk's header
	per := int64(len(chunkSigField)+2*sha256.Size+16+4) + int64(e.chunkSize)
	return e.length/int64(e.chunkSize)+1 > (math.MaxInt64-overhead)/per
}

// encodedLength returns the length of the aws-chunked encoding, or -1 when
// the decoded length is unknown. The length must not be tooLong.
func (e *encoding) encodedLength() int64 {
	if e.length < 0 {
		return -1
	}
	chunk := func(size int64) int64 {
		n := int64(len(strconv.FormatInt(size, 16))) + 2 + 2 // size, CRLF after it and after the data
		if size == 0 {
			n -= 2 // the final chunk has no data CRLF
		}
		if e.signed {
			n += int64(len(chunkSigField)) + 2*sha256.Size
		}
		return n + size
	}
	full := e.length / int64(e.chunkSize)
	total := full * chunk(int64(e.chunkSize))
	if rest := e.length % int64(e.chunkSize); rest > 0 {
		total += chunk(rest)
	}
	total += chunk(0)
	if e.trailer != "" {
		total += int64(len(e.trailer.Header()) + 1 + e.trailerValueLen() + 2)
		if e.signed {
			total += int64(len(trailerSigField) + 2*sha256.Size + 2)
		}
	}
	return total + 2 // the final CRLF
}

func (e *encoding) newEncoder(src io.ReadCloser) *encoder {
	size := int64(e.chunkSize)
	if e.length >= 0 && e.length < size {
		size = e.length // a short body needs no whole chunk of memory
	}
	enc := &encoder{e: *e, src: src, remaining: e.length, buf: make([]byte, size)}
	if e.signed {
		enc.signer = newChunkSigner(&enc.e.key, e.date, e.scope, e.seed[:])
	}
	if e.trailer != "" {
		enc.sum = e.trailer.newHash()
	}
	return enc
}

// encoder produces the aws-chunked encoding of src as it is read.
type encoder struct {
	e         encoding
	src       io.ReadCloser
	signer    *chunkSigner
	sum       hash.Hash
	remaining int64 // decoded bytes still to read; -1 unknown
	buf       []byte
	hdr       [128]byte
	tail      []byte
	segs      [3][]byte
	seg       int
	final     bool
	srcEOF    bool
	err       error
}

// String hides the encoder's state (a derived key) from fmt.
func (enc *encoder) String() string { return "sigv4temp.encoder" }

// Close closes the original body.
func (enc *encoder) Close() error { return enc.src.Close() }

func (enc *encoder) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if enc.seg >= len(enc.segs) || len(enc.segs[enc.seg]) == 0 {
			if !enc.advance() {
				break
			}
			continue
		}
		c := copy(p[n:], enc.segs[enc.seg])
		enc.segs[enc.seg] = enc.segs[enc.seg][c:]
		n += c
	}
	if n > 0 {
		return n, nil
	}
	if enc.err != nil {
		return 0, enc.err
	}
	return 0, io.EOF
}

// advance moves to the next segment, producing the next chunk when the
// current one is sent. It returns false when nothing is left (or on error).
func (enc *encoder) advance() bool {
	for enc.seg < len(enc.segs) && len(enc.segs[enc.seg]) == 0 {
		enc.seg++
	}
	if enc.seg < len(enc.segs) {
		return true
	}
	if enc.final || enc.err != nil {
		return false
	}
	if err := enc.nextChunk(); err != nil {
		enc.err = err
		return false
	}
	enc.seg = 0
	return true
}

// nextChunk reads the next chunk from src and lays out its segments.
func (enc *encoder) nextChunk() error {
	size := 0
	switch {
	case enc.remaining > 0:
		size = enc.e.chunkSize
		if int64(size) > enc.remaining {
			size = int(enc.remaining)
		}
		if n, err := io.ReadFull(enc.src, enc.buf[:size]); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return fmt.Errorf("%w: body ended %d bytes before its ContentLength %d", ErrInvalid, enc.remaining-int64(n), enc.e.length)
			}
			return fmt.Errorf("%w: %w", ErrBody, err)
		}
		enc.remaining -= int64(size)
	case enc.remaining == 0:
		var one [1]byte
		if n, _ := io.ReadFull(enc.src, one[:]); n > 0 {
			return fmt.Errorf("%w: body longer than its ContentLength %d", ErrInvalid, enc.e.length)
		}
	case !enc.srcEOF:
		n, err := io.ReadFull(enc.src, enc.buf)
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			enc.srcEOF = true
		default:
			return fmt.Errorf("%w: %w", ErrBody, err)
		}
		size = n
	}
	data := enc.buf[:size]
	h := strconv.AppendInt(enc.hdr[:0], int64(size), 16)
	if enc.signer != nil {
		h = append(h, chunkSigField...)
		h = append(h, enc.signer.chunk(data)...)
	}
	h = append(h, crlf...)
	if enc.sum != nil {
		enc.sum.Write(data)
	}
	if size > 0 {
		enc.segs = [3][]byte{h, data, crlfBytes[:]}
		return nil
	}
	// The final chunk, the trailer and the end.
	enc.final = true
	t := append(enc.tail[:0], h...)
	if enc.sum != nil {
		var sum [sha256.Size]byte
		line := enc.e.trailer.Header() + ":" + base64.StdEncoding.EncodeToString(enc.sum.Sum(sum[:0]))
		t = append(append(t, line...), crlf...)
		if enc.signer != nil {
			t = append(t, trailerSigField...)
			t = append(t, enc.signer.trailerSig([]byte(line+"\n"))...)
			t = append(t, crlf...)
		}
	}
	enc.tail = append(t, crlf...)
	enc.segs = [3][]byte{enc.tail}
	return nil
}

var crlfBytes = [2]byte{'\r', '\n'}
