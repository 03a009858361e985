package envelope

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// The ring holds 2 frames per worker, no more than maxRingBytes of them but
// at least 2, and none (serial) when 2 frames do not fit in an int.
func TestRingSlots(t *testing.T) {
	for _, tc := range []struct{ workers, size, want int }{
		{1, 4096, 2},
		{2, 4096, 4},
		{8, 64 << 10, 16},
		{1000, 4096, 2000},
		{8, 64 << 20, 4},          // 256 MiB
		{8, 200 << 20, 2},         // over the budget: still 2
		{2, math.MaxInt / 2, 2},   // fits
		{2, math.MaxInt/2 + 1, 0}, // two do not fit in an int
	} {
		assert.Equal(t, tc.want, ringSlots(tc.workers, tc.size), "ringSlots(%d, %d)", tc.workers, tc.size)
	}
}

// On the parallel path too, EncryptStream refuses the frame that would need
// sequence number 2^32-1, writes every frame before it, and the error
// sticks.
func TestParallelEncryptStreamFrameLimit(t *testing.T) {
	defer SetParallelStreamAfter(0)()
	k := kmstest.New()
	c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Suite, o.FrameLength, o.Concurrency = SuiteCommitKey, 4, 2 })
	require.NoError(t, err)
	var out bytes.Buffer
	wc, err := c.EncryptStream(context.Background(), &out, nil)
	require.NoError(t, err)
	headerLen := out.Len()
	w := wc.(*encWriter)
	w.seq = finalFrameMark - 4
	n, err := w.Write(make([]byte, 10)) // frames 2^32-4 and 2^32-3, 2 bytes of 2^32-2
	require.NoError(t, err)
	assert.Equal(t, 10, n)
	require.NotNil(t, w.par, "the stream is parallel")
	n, err = w.Write(make([]byte, 8)) // completes 2^32-2; a next frame would be 2^32-1
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, 6, n, "the bytes of the refused frame count as written: they were taken into it")
	assert.Equal(t, headerLen+3*(4+regularFrameOverhead), out.Len(), "the three frames before the limit are written")
	assert.ErrorIs(t, w.Close(), ErrTooLarge, "the error sticks")
	_, err = w.Write([]byte{1})
	assert.ErrorIs(t, err, ErrTooLarge)
}
