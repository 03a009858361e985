package sigv4temp

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// handChunked is an aws-chunked body built by hand, chunk by chunk, so that
// tests can send what SignStreaming never writes (small chunks before the
// last, odd trailers) with valid signatures.
type handChunked struct {
	sizes   []int    // data chunk sizes, in order; the final empty chunk is added
	trailer Checksum // "" for none
	// unsigned: STREAMING-UNSIGNED-PAYLOAD-TRAILER (needs a trailer).
	unsigned bool
	// unknownLength: no X-Amz-Decoded-Content-Length (unsigned only).
	unknownLength bool
	// sizeText spells chunk i's size (default lowercase hex); i is
	// len(sizes) for the final chunk.
	sizeText func(i, n int) string
	// trailerEnd ends the checksum line (default CRLF); pad goes between
	// its ':' and its value.
	trailerEnd, pad string
	// dataEnd ends each data chunk (default CRLF).
	dataEnd string
	// declared, when not nil, is the X-Amz-Decoded-Content-Length signed
	// instead of the sum of sizes.
	declared *int
}

// request signs a request for the body of len(sum(sizes)) bytes and returns
// it with the hand-built encoding as its body, and the decoded body.
func (h handChunked) request(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	total := 0
	for _, n := range h.sizes {
		total += n
	}
	declared := total
	if h.declared != nil {
		declared = *h.declared
	}
	data := make([]byte, max(total, declared))
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	r := streamingRequest(t, data[:declared], h.unknownLength, StreamingOptions{Trailer: h.trailer, Unsigned: h.unsigned})
	data = data[:total]
	var cs *chunkSigner
	if !h.unsigned {
		auth := r.Header.Get(headerAuthorization)
		i := strings.LastIndex(auth, "Signature=")
		require.GreaterOrEqual(t, i, 0)
		key := deriveKey(vTemp.SecretAccessKey, vTime.Format("20060102"), "us-east-1", "s3")
		cs = newChunkSigner(&key, vTime.Format(amzDateFormat), vTime.Format("20060102")+"/us-east-1/s3/aws4_request", []byte(auth[i+len("Signature="):]))
	}
	var sum interface {
		io.Writer
		Sum([]byte) []byte
	}
	if h.trailer != "" {
		sum = h.trailer.newHash()
	}
	var b bytes.Buffer
	off := 0
	for i, n := range append(append([]int{}, h.sizes...), 0) {
		piece := data[off : off+n]
		off += n
		if h.sizeText != nil {
			b.WriteString(h.sizeText(i, n))
		} else {
			b.WriteString(strconv.FormatInt(int64(n), 16))
		}
		if cs != nil {
			b.WriteString(chunkSigField)
			b.Write(cs.chunk(piece))
		}
		b.WriteString(crlf)
		if n > 0 {
			b.Write(piece)
			b.WriteString(cmp.Or(h.dataEnd, crlf))
		}
		if sum != nil {
			sum.Write(piece)
		}
	}
	if h.trailer != "" {
		value := base64.StdEncoding.EncodeToString(sum.Sum(nil))
		line := h.trailer.Header() + ":" + value
		b.WriteString(h.trailer.Header() + ":" + h.pad + value + cmp.Or(h.trailerEnd, crlf))
		if cs != nil {
			b.WriteString(trailerSigField)
			b.Write(cs.trailerSig([]byte(line + "\n")))
			b.WriteString(crlf)
		}
	}
	b.WriteString(crlf)
	// r.ContentLength stays the signed one (SignStreaming's encoding in
	// 64 KiB chunks): the Verifier reads the body to its end, whatever its
	// length, and a server would have refused a wrong one before.
	r.Body = io.NopCloser(bytes.NewReader(b.Bytes()))
	return r, data
}

// S3 answers InvalidChunkSizeError ("Only the last chunk is allowed to have a
// size less than 8192 bytes") for a data chunk under 8 KiB that is not the
// last, in every aws-chunked form; the Verifier refuses it too, before
// releasing it when X-Amz-Decoded-Content-Length shows it is not the last.
func TestMutsigSmallChunkBeforeLast(t *testing.T) {
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	const m = MinChunkSize
	for _, tc := range []struct {
		name     string
		h        handChunked
		ok       bool
		released int // bytes read before the error
	}{
		{"one small chunk", handChunked{sizes: []int{5}}, true, 0},
		{"full then small", handChunked{sizes: []int{m, 3}}, true, 0},
		{"three, the last small", handChunked{sizes: []int{m, m + 1, 1}}, true, 0},
		{"small then full", handChunked{sizes: []int{3, m}}, false, 0},
		{"one under then one", handChunked{sizes: []int{m - 1, 1}}, false, 0},
		{"full, small, small", handChunked{sizes: []int{m, m - 1, 1}}, false, m},
		{"trailer: small then full", handChunked{sizes: []int{100, m}, trailer: ChecksumCRC32C}, false, 0},
		{"unsigned: small then full", handChunked{sizes: []int{100, m}, trailer: ChecksumCRC32, unsigned: true}, false, 0},
		{"unsigned: full then small", handChunked{sizes: []int{m, 100}, trailer: ChecksumCRC32, unsigned: true}, true, 0},
		// Without X-Amz-Decoded-Content-Length a small chunk is known not to
		// be the last only when the next data chunk comes: it was released.
		{"unknown length: small then full", handChunked{sizes: []int{100, m}, trailer: ChecksumSHA1, unsigned: true, unknownLength: true}, false, 100},
		{"unknown length: full then small", handChunked{sizes: []int{m, 100}, trailer: ChecksumSHA1, unsigned: true, unknownLength: true}, true, 0},
		{"unknown length: small, then the final chunk", handChunked{sizes: []int{100}, trailer: ChecksumSHA1, unsigned: true, unknownLength: true}, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, data := tc.h.request(t)
			vr, err := v.Verify(context.Background(), r, vTime)
			require.NoError(t, err)
			got, err := io.ReadAll(vr.Body)
			if tc.ok {
				require.NoError(t, err)
				require.Equal(t, data, got)
				return
			}
			require.ErrorIs(t, err, ErrMalformedChunk)
			require.Contains(t, err.Error(), "only the last chunk may be under 8192 bytes")
			require.Equal(t, tc.released, len(got), "bytes released before the error")
			require.Equal(t, data[:tc.released], got)
		})
	}
}

// verifyHand verifies h's request and reads its body.
func verifyHand(t *testing.T, v *Verifier, h handChunked) (data, got []byte, err error) {
	t.Helper()
	r, data := h.request(t)
	vr, err := v.Verify(context.Background(), r, vTime)
	require.NoError(t, err)
	got, err = io.ReadAll(vr.Body)
	return data, got, err
}

// Chunk sizes are 1 to 16 hex digits of either case, leading zeros
// allowed; 17 digits, or a non-hex digit, are not a size.
func TestMutsigChunkSizeSpelling(t *testing.T) {
	v := newVerifier(t)
	spell := []string{"2fa9", "0000000000002000", "2FA9", "0AF", "0"}
	h := handChunked{sizes: []int{0x2fa9, 0x2000, 0x2fa9, 0xaf}, sizeText: func(i, n int) string { return spell[i] }}
	data, got, err := verifyHand(t, v, h)
	require.NoError(t, err)
	require.Equal(t, data, got)
	for _, bad := range []string{"00000000000002000", "2fg9", "2f:9", "2f/9", "2f@9", "2f`9", "2fG9", ""} {
		h.sizeText = func(i, n int) string {
			if i == 0 {
				return bad
			}
			return spell[i]
		}
		_, got, err := verifyHand(t, v, h)
		require.ErrorIs(t, err, ErrMalformedChunk, "size %q", bad)
		require.Empty(t, got)
	}
}

// A chunk of exactly MaxChunkBytes is accepted, one byte more is ErrTooLarge.
func TestMutsigChunkAtMaxChunkBytes(t *testing.T) {
	v := newVerifier(t, func(o *VerifierOptions) { o.MaxChunkBytes = 9000 })
	data, got, err := verifyHand(t, v, handChunked{sizes: []int{9000, 5}})
	require.NoError(t, err)
	require.Equal(t, data, got)
	_, got, err = verifyHand(t, v, handChunked{sizes: []int{9001, 5}})
	require.ErrorIs(t, err, ErrTooLarge)
	require.Empty(t, got)
}

// A line (CRLF included) of maxChunkLine bytes is read, one more is refused;
// the checksum value's surrounding spaces are not part of it.
func TestMutsigTrailerLineBound(t *testing.T) {
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	for _, unsigned := range []bool{false, true} {
		h := handChunked{sizes: []int{10}, trailer: ChecksumCRC32, unsigned: unsigned}
		fixed := len(ChecksumCRC32.Header()) + 1 + 8 + 2 // name, ':', base64 of 4 bytes, CRLF
		h.pad = strings.Repeat(" ", maxChunkLine-fixed)
		data, got, err := verifyHand(t, v, h)
		require.NoError(t, err, "unsigned %v", unsigned)
		require.Equal(t, data, got)
		h.pad += " "
		_, _, err = verifyHand(t, v, h)
		require.ErrorIs(t, err, ErrMalformedChunk)
		require.Contains(t, err.Error(), "line over 512 bytes")
	}
}

// minio-go ends the checksum line in "\n\r\n"; a line ended by a bare "\n"
// elsewhere is refused.
func TestMutsigLineEndings(t *testing.T) {
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	for _, unsigned := range []bool{false, true} {
		h := handChunked{sizes: []int{MinChunkSize, 7}, trailer: ChecksumCRC32C, unsigned: unsigned, trailerEnd: "\n\r\n"}
		data, got, err := verifyHand(t, v, h)
		require.NoError(t, err, "unsigned %v", unsigned)
		require.Equal(t, data, got)
		// "\n\n" after the checksum line: the empty line lacks its CR.
		h.trailerEnd = "\n\n"
		_, _, err = verifyHand(t, v, h)
		require.ErrorIs(t, err, ErrMalformedChunk)
		h.trailerEnd = ""
		// Data followed by "\n" (then the next header) or by nothing.
		for _, end := range []string{"\n", "\r", "x\r\n"} {
			h.dataEnd = end
			_, got, err = verifyHand(t, v, h)
			require.ErrorIs(t, err, ErrMalformedChunk, "data end %q", end)
			require.Empty(t, got)
		}
	}
	// A chunk header ended by "\n" alone.
	h := handChunked{sizes: []int{7}, sizeText: func(i, n int) string {
		if i == 0 {
			return "7;chunk-signature=" + strings.Repeat("0", 64) + "\n"
		}
		return "0"
	}}
	_, _, err := verifyHand(t, v, h)
	require.ErrorIs(t, err, ErrMalformedChunk)
}

// A body that disagrees with X-Amz-Decoded-Content-Length fails with
// ErrMalformedChunk, releasing no chunk past the declared length, and the
// last declared chunk only once the final chunk is checked.
func TestMutsigDecodedLengthDisagrees(t *testing.T) {
	v := newVerifier(t)
	const m = MinChunkSize
	for _, tc := range []struct {
		declared int
		sizes    []int
		released int
	}{
		{0, []int{5}, 0},
		{m, []int{m, 5}, 0},
		{m + 10, []int{m}, m},
		{2 * m, []int{m, m + 1}, m},
	} {
		_, got, err := verifyHand(t, v, handChunked{sizes: tc.sizes, declared: &tc.declared})
		require.ErrorIs(t, err, ErrMalformedChunk, "declared %d, chunks %v", tc.declared, tc.sizes)
		require.Len(t, got, tc.released, "declared %d, chunks %v", tc.declared, tc.sizes)
	}
}

// A body cut right after a chunk header (no data at all) is
// ErrMalformedChunk, never a clean io.EOF; errors name the chunk, counted
// from 0.
func TestMutsigTruncatedAndChunkNumbers(t *testing.T) {
	v := newVerifier(t)
	const m = MinChunkSize
	r, data := handChunked{sizes: []int{m, m, 5}}.request(t)
	enc, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	hdr := len("2000;chunk-signature=") + 64 + 2
	for _, tc := range []struct {
		name     string
		body     []byte
		reason   string
		released int
	}{
		{"cut after the first header", enc[:hdr], "chunk 0: body ends inside the chunk", 0},
		{"cut inside the first chunk", enc[:hdr+10], "chunk 0: body ends inside the chunk", 0},
		{"cut after the first chunk's data", enc[:hdr+m], "chunk 0: body ends early", 0},
		{"first chunk's data ends in LF", append(bytes.Clone(enc[:hdr+m]), '\n'), "chunk 0: data not followed by CRLF", 0},
		{"cut after the second header", enc[:hdr+m+2+hdr], "chunk 1: body ends inside the chunk", m},
		{"second chunk's data damaged", append(append(bytes.Clone(enc[:hdr+m+2+hdr]), 'X'), enc[hdr+m+2+hdr+1:]...), "chunk 1 signature", m},
	} {
		r, _ := handChunked{sizes: []int{m, m, 5}}.request(t)
		r.Body = io.NopCloser(bytes.NewReader(tc.body))
		vr, err := v.Verify(context.Background(), r, vTime)
		require.NoError(t, err)
		got, err := io.ReadAll(vr.Body)
		require.Error(t, err, tc.name)
		var ve *VerifyError
		require.ErrorAs(t, err, &ve, tc.name)
		require.Equal(t, tc.reason, ve.Reason, tc.name)
		require.Equal(t, data[:tc.released], got, tc.name)
	}
}

// errAfter returns r's bytes, then err instead of io.EOF.
type errAfter struct {
	r   io.Reader
	err error
}

func (e errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

// After the final chunk the body must end: a further byte is
// ErrMalformedChunk, and a read error there reaches the caller.
func TestMutsigAfterFinalChunk(t *testing.T) {
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	errBoom := errors.New("connection reset")
	for _, h := range []handChunked{{sizes: []int{5}}, {sizes: []int{5}, trailer: ChecksumCRC32C, unsigned: true}} {
		r, _ := h.request(t)
		enc, err := io.ReadAll(r.Body)
		require.NoError(t, err)

		r.Body = io.NopCloser(bytes.NewReader(append(bytes.Clone(enc), 'x')))
		vr, err := v.Verify(context.Background(), r, vTime)
		require.NoError(t, err)
		got, err := io.ReadAll(vr.Body)
		var ve *VerifyError
		require.ErrorAs(t, err, &ve)
		require.ErrorIs(t, err, ErrMalformedChunk)
		require.Equal(t, "bytes after the final chunk", ve.Reason)
		require.Empty(t, got)

		r.Body = io.NopCloser(errAfter{bytes.NewReader(enc), errBoom})
		vr, err = v.Verify(context.Background(), r, vTime)
		require.NoError(t, err)
		got, err = io.ReadAll(vr.Body)
		require.ErrorIs(t, err, errBoom)
		require.Empty(t, got) // the last chunk is released only after the end is checked
	}
}
