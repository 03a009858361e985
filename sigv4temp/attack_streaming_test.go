package sigv4temp

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A ContentLength whose aws-chunked encoding does not fit an int64 fails
// with ErrInvalid and leaves r unchanged; it must not wrap to a negative
// or short encoded length.
func TestAttackSignStreamingLengthOverflow(t *testing.T) {
	for _, tc := range []struct {
		length int64
		opt    StreamingOptions
	}{
		{math.MaxInt64, StreamingOptions{}},
		{math.MaxInt64, StreamingOptions{ChunkSize: MinChunkSize, Trailer: ChecksumSHA256}},
		{math.MaxInt64 - 1<<20, StreamingOptions{ChunkSize: math.MaxInt32}},
		{math.MaxInt64 / 2, StreamingOptions{Unsigned: true, Trailer: ChecksumCRC32}},
	} {
		r, err := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", io.NopCloser(bytes.NewReader([]byte("x"))))
		require.NoError(t, err)
		r.ContentLength = tc.length
		err = SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { *o = tc.opt })
		if err == nil {
			// Accepted only if the encoded length is right: at least the
			// decoded length.
			assert.GreaterOrEqual(t, r.ContentLength, tc.length, "length %d %+v: encoded length", tc.length, tc.opt)
			continue
		}
		require.ErrorIs(t, err, ErrInvalid)
		assert.Equal(t, tc.length, r.ContentLength, "r unchanged")
		assert.Empty(t, r.Header.Get("Authorization"))
	}
}

// A chunk size over MaxChunkSize is ErrInvalid (an encoder holds one chunk:
// math.MaxInt32 allocated 2 GiB per encoder, fatal under GOARCH=386), and a
// short body does not allocate a whole chunk.
func TestAttackSignStreamingChunkSizeBound(t *testing.T) {
	for _, size := range []int{MaxChunkSize + 1, math.MaxInt32, math.MaxInt} {
		r, err := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", bytes.NewReader([]byte("small")))
		require.NoError(t, err)
		err = SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { o.ChunkSize = size })
		require.ErrorIs(t, err, ErrInvalid, "chunk size %d", size)
	}
	r, err := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", bytes.NewReader([]byte("small")))
	require.NoError(t, err)
	before := totalAlloc()
	require.NoError(t, SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { o.ChunkSize = MaxChunkSize }))
	assert.Less(t, totalAlloc()-before, uint64(1<<20), "bytes allocated to sign a 5-byte body in chunks of 16 MiB")
	got, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Contains(t, string(got), "5;chunk-signature=")
}
