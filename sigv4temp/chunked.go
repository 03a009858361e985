package sigv4temp

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Checksum names a trailing checksum of an aws-chunked body. The values are
// those of the SDK's s3 types.ChecksumAlgorithm; the trailer's header is
// "x-amz-checksum-" and the lowercase name, its value the base64 of the
// big-endian checksum.
type Checksum string

// The checksums S3 accepts in a trailer.
const (
	ChecksumCRC32     Checksum = "CRC32"
	ChecksumCRC32C    Checksum = "CRC32C"
	ChecksumCRC64NVME Checksum = "CRC64NVME"
	ChecksumSHA1      Checksum = "SHA1"
	ChecksumSHA256    Checksum = "SHA256"
)

// Header returns the trailer's header name, e.g. "x-amz-checksum-crc32c".
func (c Checksum) Header() string { return "x-amz-checksum-" + strings.ToLower(string(c)) }

var (
	crc32cTable    = crc32.MakeTable(crc32.Castagnoli)
	crc64NVMETable = crc64.MakeTable(0x9a6c9329ac4bc9b5) // CRC-64/NVME, reflected
)

// newHash returns the checksum's hash, or nil for an unknown name.
func (c Checksum) newHash() hash.Hash {
	switch c {
	case ChecksumCRC32:
		return crc32.NewIEEE()
	case ChecksumCRC32C:
		return crc32.New(crc32cTable)
	case ChecksumCRC64NVME:
		return crc64.New(crc64NVMETable)
	case ChecksumSHA1:
		return sha1.New()
	case ChecksumSHA256:
		return sha256.New()
	}
	return nil
}

// checksumFromHeader returns the Checksum of a trailer header name.
func checksumFromHeader(name string) (Checksum, bool) {
	for _, c := range []Checksum{ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256} {
		if strings.EqualFold(name, c.Header()) {
			return c, true
		}
	}
	return "", false
}

const (
	chunkSigField   = ";chunk-signature="
	trailerSigField = "x-amz-trailer-signature:"
	crlf            = "\r\n"
)

// chunkSigner computes the chained signatures of an aws-chunked body:
// each chunk's string to sign holds the previous signature (the request's
// for the first), the empty hash and the chunk's SHA-256; the trailer's
// holds the last chunk's signature and the SHA-256 of the trailer lines.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// and sigv4-streaming-trailers.html. It allocates nothing per chunk.
type chunkSigner struct {
	mac     hash.Hash
	sha     hash.Hash
	payload []byte // "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n"
	trailer []byte // "AWS4-HMAC-SHA256-TRAILER\n<date>\n<scope>\n"
	prev    [2 * sha256.Size]byte
	sum     [sha256.Size]byte
	hexSum  [2 * sha256.Size]byte
}

var emptyHashLine = []byte("\n" + EmptyPayloadHash + "\n")

func newChunkSigner(key *[sha256.Size]byte, date, scope string, seed []byte) *chunkSigner {
	c := &chunkSigner{mac: hmac.New(sha256.New, key[:]), sha: sha256.New()}
	c.payload = []byte("AWS4-HMAC-SHA256-PAYLOAD\n" + date + "\n" + scope + "\n")
	c.trailer = []byte("AWS4-HMAC-SHA256-TRAILER\n" + date + "\n" + scope + "\n")
	copy(c.prev[:], seed)
	return c
}

// chunk signs data as the next chunk and returns the hex signature (valid
// until the next call).
func (c *chunkSigner) chunk(data []byte) []byte {
	c.sha.Reset()
	c.sha.Write(data)
	hex.Encode(c.hexSum[:], c.sha.Sum(c.sum[:0]))
	c.mac.Reset()
	c.mac.Write(c.payload)
	c.mac.Write(c.prev[:])
	c.mac.Write(emptyHashLine)
	c.mac.Write(c.hexSum[:])
	hex.Encode(c.prev[:], c.mac.Sum(c.sum[:0]))
	return c.prev[:]
}

// trailerSig signs the canonical trailer lines ("name:value\n" each).
func (c *chunkSigner) trailerSig(lines []byte) []byte {
	c.sha.Reset()
	c.sha.Write(lines)
	hex.Encode(c.hexSum[:], c.sha.Sum(c.sum[:0]))
	c.mac.Reset()
	c.mac.Write(c.trailer)
	c.mac.Write(c.prev[:])
	c.mac.Write([]byte{'\n'})
	c.mac.Write(c.hexSum[:])
	hex.Encode(c.prev[:], c.mac.Sum(c.sum[:0]))
	return c.prev[:]
}

// maxChunkLine bounds a chunk header or trailer line.
const maxChunkLine = 512

// chunkReader decodes an aws-chunked body for Verified.Body.
type chunkReader struct {
	br         *bufio.Reader
	signer     *chunkSigner // nil: STREAMING-UNSIGNED-PAYLOAD-TRAILER
	checksum   Checksum     // "" without a trailer
	sum        hash.Hash
	decodedLen int64 // -1: unknown
	seen       int64
	maxChunk   int
	buf        []byte
	off        int
	chunks     int
	prevSize   int // size of the previous data chunk; -1 before the first
	done       bool
	err        error
	akid       string
}

// newChunkReader checks the headers of an aws-chunked request and returns
// the reader that decodes and verifies its body.
func (v *Verifier) newChunkReader(r *http.Request, body io.Reader, p *parsed, key *[sha256.Size]byte) (io.Reader, error) {
	fail := func(format string, args ...any) (io.Reader, error) {
		return nil, &VerifyError{AccessKeyID: p.akid, Err: ErrMalformedAuth, Reason: fmt.Sprintf(format, args...)}
	}
	cr := &chunkReader{br: bufio.NewReaderSize(body, 4096), decodedLen: -1, maxChunk: v.o.MaxChunkBytes, prevSize: -1, akid: p.akid}
	dl := r.Header.Values("X-Amz-Decoded-Content-Length")
	switch {
	case len(dl) > 1:
		return fail("%d X-Amz-Decoded-Content-Length headers", len(dl))
	case len(dl) == 1:
		n, err := strconv.ParseInt(dl[0], 10, 64)
		if err != nil || n < 0 {
			return fail("X-Amz-Decoded-Content-Length %.20q is not a length", dl[0])
		}
		cr.decodedLen = n
	case p.payloadHash != streamingUnsignedTrailer:
		return fail("aws-chunked body without X-Amz-Decoded-Content-Length")
	}
	if p.payloadHash != streamingSigned {
		tr := r.Header.Values("X-Amz-Trailer")
		if len(tr) != 1 {
			return fail("%s needs one X-Amz-Trailer header", p.payloadHash)
		}
		c, ok := checksumFromHeader(strings.TrimSpace(tr[0]))
		if !ok {
			return fail("unsupported X-Amz-Trailer %.40q", tr[0])
		}
		cr.checksum, cr.sum = c, c.newHash()
	}
	if p.payloadHash != streamingUnsignedTrailer {
		var seed [2 * sha256.Size]byte
		hex.Encode(seed[:], p.signature[:])
		cr.signer = newChunkSigner(key, p.dateRaw, p.scope, seed[:])
	}
	return cr, nil
}

// String hides the reader's state (a derived key) from fmt.
func (cr *chunkReader) String() string { return "sigv4temp.chunkReader" }

func (cr *chunkReader) Read(b []byte) (int, error) {
	for cr.off == len(cr.buf) && !cr.done && cr.err == nil {
		cr.err = cr.next()
		if _, ok := cr.err.(*VerifyError); cr.err != nil && !ok {
			// r.Body's own read error: wrapped, as Verify's errors are.
			cr.err = &VerifyError{AccessKeyID: cr.akid, Err: cr.err, Reason: "reading the body"}
		}
	}
	if cr.off < len(cr.buf) {
		n := copy(b, cr.buf[cr.off:])
		cr.off += n
		return n, nil
	}
	if cr.err != nil {
		return 0, cr.err
	}
	return 0, io.EOF
}

func (cr *chunkReader) fail(sentinel error, format string, args ...any) error {
	return &VerifyError{AccessKeyID: cr.akid, Err: sentinel, Reason: fmt.Sprintf(format, args...)}
}

// line reads one line ending in "\n" (at most maxChunkLine bytes) and
// returns it without "\r\n" or "\n"; crlf reports whether it ended in "\r\n".
func (cr *chunkReader) line() (s []byte, crlf bool, err error) {
	l, err := cr.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull || len(l) > maxChunkLine {
		return nil, false, cr.fail(ErrMalformedChunk, "chunk %d: line over %d bytes", cr.chunks, maxChunkLine)
	}
	if err != nil {
		if err == io.EOF {
			return nil, false, cr.fail(ErrMalformedChunk, "chunk %d: body ends early", cr.chunks)
		}
		return nil, false, err
	}
	l = l[:len(l)-1]
	if n := len(l); n > 0 && l[n-1] == '\r' {
		return l[:n-1], true, nil
	}
	return l, false, nil
}

// next reads and checks one chunk, leaving its data in cr.buf.
func (cr *chunkReader) next() error {
	cr.buf, cr.off = cr.buf[:0], 0
	l, isCRLF, err := cr.line()
	if err != nil {
		return err
	}
	if !isCRLF {
		return cr.fail(ErrMalformedChunk, "chunk %d: header not ended by CRLF", cr.chunks)
	}
	// l points into the bufio.Reader's buffer: copy what is kept of it
	// before reading on.
	sizeHex := l
	var sig [2 * sha256.Size]byte
	if cr.signer != nil {
		i := bytes.Index(l, []byte(chunkSigField))
		if i < 0 {
			return cr.fail(ErrMalformedChunk, "chunk %d: no chunk-signature", cr.chunks)
		}
		sizeHex = l[:i]
		if s := l[i+len(chunkSigField):]; len(s) != len(sig) || !isLowerHex(s) {
			return cr.fail(ErrMalformedChunk, "chunk %d: chunk-signature is not 64 lowercase hex digits", cr.chunks)
		}
		copy(sig[:], l[i+len(chunkSigField):])
	}
	if len(sizeHex) == 0 || len(sizeHex) > 16 || !isHex(sizeHex) {
		return cr.fail(ErrMalformedChunk, "chunk %d: size is not 1 to 16 hex digits", cr.chunks)
	}
	size, _ := strconv.ParseUint(string(sizeHex), 16, 64) // 16 hex digits always fit
	if size > uint64(cr.maxChunk) {
		return cr.fail(ErrTooLarge, "chunk %d: %d bytes, over %d", cr.chunks, size, cr.maxChunk)
	}
	if cr.decodedLen >= 0 && cr.seen+int64(size) > cr.decodedLen {
		return cr.fail(ErrMalformedChunk, "chunk %d: more than X-Amz-Decoded-Content-Length %d bytes", cr.chunks, cr.decodedLen)
	}
	// S3 refuses a data chunk under 8 KiB that is not the last one
	// (InvalidChunkSizeError, "Only the last chunk is allowed to have a size
	// less than 8192 bytes"), in the signed and unsigned forms alike: "The
	// chunk size must be at least 8 KB ... This chunk size applies to all
	// chunks except the last one",
	// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html.
	// Refused before its data is read: a small chunk that leaves
	// X-Amz-Decoded-Content-Length unreached, or any data chunk after a
	// small one (the only check when the length is unknown).
	if size > 0 && (cr.prevSize >= 0 && cr.prevSize < MinChunkSize ||
		size < MinChunkSize && cr.decodedLen >= 0 && cr.seen+int64(size) < cr.decodedLen) {
		return cr.fail(ErrMalformedChunk, "chunk %d: only the last chunk may be under %d bytes", cr.chunks, MinChunkSize)
	}
	n := int(size)
	if cap(cr.buf) < n {
		cr.buf = make([]byte, 0, n) // one chunk of memory, grown to the largest chunk
	}
	data := cr.buf[:n] // released (cr.buf = data) only once checked
	if _, err := io.ReadFull(cr.br, data); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return cr.fail(ErrMalformedChunk, "chunk %d: body ends inside the chunk", cr.chunks)
		}
		return err
	}
	if n > 0 {
		if err := cr.expectCRLF(); err != nil {
			return err
		}
	}
	if cr.signer != nil && !hmac.Equal(cr.signer.chunk(data), sig[:]) {
		return cr.fail(ErrSignatureMismatch, "chunk %d signature", cr.chunks)
	}
	if cr.sum != nil {
		cr.sum.Write(data)
	}
	cr.seen += int64(n)
	cr.chunks++
	if n > 0 {
		cr.prevSize = n
	}
	if n > 0 {
		if cr.decodedLen >= 0 && cr.seen == cr.decodedLen {
			// The last data chunk: a caller reading exactly
			// X-Amz-Decoded-Content-Length bytes (io.ReadFull, io.CopyN)
			// never reads on, so the final chunk and the trailer are
			// checked before this chunk is released. The final chunk has
			// no data: next leaves the buffer's bytes alone.
			cr.buf = data
			if err := cr.next(); err != nil {
				cr.buf = cr.buf[:0]
				return err
			}
			if !cr.done {
				cr.buf = cr.buf[:0]
				return cr.fail(ErrMalformedChunk, "no final chunk after %d bytes", cr.seen)
			}
		}
		cr.buf, cr.off = data, 0
		return nil
	}
	// The final, empty chunk: the trailer, the end.
	if cr.decodedLen >= 0 && cr.seen != cr.decodedLen {
		return cr.fail(ErrMalformedChunk, "%d bytes, X-Amz-Decoded-Content-Length says %d", cr.seen, cr.decodedLen)
	}
	if cr.checksum != "" {
		if err := cr.readTrailer(); err != nil {
			return err
		}
	} else if err := cr.expectCRLF(); err != nil {
		return err
	}
	if _, err := cr.br.ReadByte(); err != io.EOF {
		if err != nil {
			return err
		}
		return cr.fail(ErrMalformedChunk, "bytes after the final chunk")
	}
	cr.done = true
	return nil
}

func (cr *chunkReader) expectCRLF() error {
	l, isCRLF, err := cr.line()
	if err != nil {
		return err
	}
	if len(l) != 0 || !isCRLF {
		return cr.fail(ErrMalformedChunk, "chunk %d: data not followed by CRLF", cr.chunks)
	}
	return nil
}

// readTrailer reads "name:value", then for the signed form
// "x-amz-trailer-signature:sig", then an empty line, and checks the
// signature and the checksum. The trailer line may end in "\n\r\n", as
// minio-go writes it.
func (cr *chunkReader) readTrailer() error {
	l, isCRLF, err := cr.line()
	if err != nil {
		return err
	}
	name, value, ok := strings.Cut(string(l), ":")
	if !ok || !strings.EqualFold(name, cr.checksum.Header()) {
		return cr.fail(ErrMalformedChunk, "trailer is not %s", cr.checksum.Header())
	}
	value = strings.TrimSpace(value)
	if !isCRLF {
		// minio-go ends the trailer line in "\n\r\n".
		if err := cr.expectCRLF(); err != nil {
			return err
		}
	}
	if cr.signer != nil {
		l, _, err = cr.line()
		if err != nil {
			return err
		}
		sig, ok := strings.CutPrefix(string(l), trailerSigField)
		if !ok || len(sig) != 2*sha256.Size || !isLowerHex(sig) {
			return cr.fail(ErrMalformedChunk, "no x-amz-trailer-signature")
		}
		canonical := []byte(cr.checksum.Header() + ":" + value + "\n")
		if !hmac.Equal(cr.signer.trailerSig(canonical), []byte(sig)) {
			return cr.fail(ErrSignatureMismatch, "trailer signature")
		}
	}
	l, _, err = cr.line()
	if err != nil {
		return err
	}
	if len(l) != 0 {
		return cr.fail(ErrMalformedChunk, "trailer not ended by an empty line")
	}
	var sum [sha256.Size]byte
	want := base64.StdEncoding.EncodeToString(cr.sum.Sum(sum[:0]))
	if value != want {
		return cr.fail(ErrSignatureMismatch, "%s checksum", cr.checksum.Header())
	}
	return nil
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
