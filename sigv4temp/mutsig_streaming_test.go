package sigv4temp

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// exactEncodedLength is the aws-chunked length of a body of n bytes, in
// arbitrary precision, from the format: each data chunk is its hex size,
// ";chunk-signature=" and 64 hex digits when signed, CRLF, the data, CRLF;
// the final chunk "0" (and its signature) and CRLF; the trailer line and
// the trailer signature line; the closing CRLF.
func exactEncodedLength(n int64, chunk int, signed bool, trailer Checksum) *big.Int {
	sig := int64(0)
	if signed {
		sig = int64(len(";chunk-signature=") + 64)
	}
	c := int64(chunk)
	total := new(big.Int)
	add := func(k, v int64) { total.Add(total, new(big.Int).Mul(big.NewInt(k), big.NewInt(v))) }
	add(n/c, int64(len(strconv.FormatInt(c, 16)))+sig+2+c+2)
	if rest := n % c; rest > 0 {
		add(1, int64(len(strconv.FormatInt(rest, 16)))+sig+2+rest+2)
	}
	add(1, 1+sig+2)
	if trailer != "" {
		add(1, int64(len(trailer.Header())+1+base64.StdEncoding.EncodedLen(trailer.newHash().Size())+2))
		if signed {
			add(1, int64(len("x-amz-trailer-signature:")+64+2))
		}
	}
	add(1, 2)
	return total
}

// SignStreaming refuses a length whose encoding is over math.MaxInt64 (the
// smallest such length, found exactly) and accepts lengths up to 1/64
// below the largest that fits (its bound is conservative: it counts a
// signature and 16 size digits per chunk), with their exact encoded length.
func TestMutsigStreamingLengthLimit(t *testing.T) {
	maxInt := big.NewInt(math.MaxInt64)
	for _, opt := range []StreamingOptions{
		{ChunkSize: MinChunkSize},
		{ChunkSize: MinChunkSize, Trailer: ChecksumSHA256},
		{ChunkSize: DefaultChunkSize, Trailer: ChecksumCRC32},
		{ChunkSize: MaxChunkSize},
		{ChunkSize: MinChunkSize + 1, Trailer: ChecksumCRC64NVME, Unsigned: true},
	} {
		name := fmt.Sprintf("%+v", opt)
		fits := func(n int64) bool {
			return exactEncodedLength(n, opt.ChunkSize, !opt.Unsigned, opt.Trailer).Cmp(maxInt) <= 0
		}
		lo, hi := int64(0), int64(math.MaxInt64) // fits(lo), !fits(hi)
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if fits(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		sign := func(n int64) (*http.Request, error) {
			r, err := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", bytes.NewReader([]byte("x")))
			require.NoError(t, err)
			r.ContentLength = n
			return r, SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { *o = opt })
		}
		for _, n := range []int64{hi, hi + 1, math.MaxInt64} {
			_, err := sign(n)
			require.ErrorIs(t, err, ErrInvalid, "%s: length %d, the first whose encoding is over MaxInt64 is %d", name, n, hi)
		}
		for _, n := range []int64{lo - lo/64, lo / 2, 1 << 40, 3*int64(opt.ChunkSize) + 1, 0} {
			r, err := sign(n)
			require.NoError(t, err, "%s: length %d (%d fits)", name, n, lo)
			require.Equal(t, exactEncodedLength(n, opt.ChunkSize, !opt.Unsigned, opt.Trailer).Int64(), r.ContentLength, "%s: encoded length of %d", name, n)
			require.Equal(t, strconv.FormatInt(n, 10), r.Header.Get("X-Amz-Decoded-Content-Length"), name)
		}
	}
}

// An empty body, or one shorter than a chunk, allocates no whole chunk:
// the encoder's buffer is the body's length.
func TestMutsigStreamingShortBodyBuffer(t *testing.T) {
	for _, n := range []int{0, 5, MinChunkSize} {
		r, err := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", bytes.NewReader(make([]byte, n)))
		require.NoError(t, err)
		require.NoError(t, SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { o.ChunkSize = MaxChunkSize }))
		enc, ok := r.Body.(*encoder)
		require.True(t, ok)
		require.Len(t, enc.buf, n)
	}
}

// A body shorter than its ContentLength fails on read with ErrInvalid,
// saying how many bytes are missing.
func TestMutsigStreamingShortBodyMessage(t *testing.T) {
	for _, opt := range []StreamingOptions{{}, {Trailer: ChecksumCRC32, Unsigned: true}} {
		r, err := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", bytes.NewReader([]byte("12345")))
		require.NoError(t, err)
		r.ContentLength = 8
		require.NoError(t, SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { *o = opt }))
		_, err = io.ReadAll(r.Body)
		require.ErrorIs(t, err, ErrInvalid)
		require.Contains(t, err.Error(), "body ended 3 bytes before its ContentLength 8")
	}
}
