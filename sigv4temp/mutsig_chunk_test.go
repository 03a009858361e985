package sigv4temp

import (
	"bytes"
	"context"
	"encoding/base64"
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
}

// request signs a request for the body of len(sum(sizes)) bytes and returns
// it with the hand-built encoding as its body, and the decoded body.
func (h handChunked) request(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	total := 0
	for _, n := range h.sizes {
		total += n
	}
	data := make([]byte, total)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	r := streamingRequest(t, data, h.unknownLength, StreamingOptions{Trailer: h.trailer, Unsigned: h.unsigned})
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
	for _, n := range append(append([]int{}, h.sizes...), 0) {
		piece := data[off : off+n]
		off += n
		b.WriteString(strconv.FormatInt(int64(n), 16))
		if cs != nil {
			b.WriteString(chunkSigField)
			b.Write(cs.chunk(piece))
		}
		b.WriteString(crlf)
		if n > 0 {
			b.Write(piece)
			b.WriteString(crlf)
		}
		if sum != nil {
			sum.Write(piece)
		}
	}
	if h.trailer != "" {
		line := h.trailer.Header() + ":" + base64.StdEncoding.EncodeToString(sum.Sum(nil))
		b.WriteString(line + crlf)
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
