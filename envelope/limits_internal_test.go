package envelope

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// EncryptStream refuses a regular frame that would need sequence number
// 2^32-1 (the final frame needs it) and writes every frame before it. The
// writer is started near the end of the sequence space instead of after 4
// billion frames.
func TestEncryptStreamFrameLimit(t *testing.T) {
	k := kmstest.New()
	c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Suite, o.FrameLength = SuiteCommitKey, 4 })
	require.NoError(t, err)
	var out bytes.Buffer
	wc, err := c.EncryptStream(context.Background(), &out, nil)
	require.NoError(t, err)
	w := wc.(*encWriter)
	w.seq = finalFrameMark - 2
	n, err := w.Write(make([]byte, 8)) // frames 2^32-3 and 2^32-2: the last regular ones
	require.NoError(t, err)
	assert.Equal(t, 8, n)
	n, err = w.Write(make([]byte, 6)) // a third frame would be number 2^32-1
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, 4, n, "the bytes of the refused frame count as written: they were taken into it")
	assert.ErrorIs(t, w.Close(), ErrTooLarge, "the error sticks")
}
