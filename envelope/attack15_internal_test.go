package envelope

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// A message may have 2^32-1 frames (EncryptAppend's limit, and the AWS
// Encryption SDKs'): regular frames up to 2^32-2 and the final frame 2^32-1.
// EncryptStream, serial and parallel, refused the regular frame 2^32-2 (one
// frame early); it must write it, refuse only a regular frame 2^32-1, and
// the message must decrypt. The writer and the reader are started near the
// end of the sequence space instead of after 4 billion frames.
func TestAttack15EncryptStreamLastFrames(t *testing.T) {
	defer SetParallelStreamAfter(0)()
	for _, conc := range []int{1, 2} {
		k := kmstest.New()
		c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Suite, o.FrameLength, o.Concurrency = SuiteCommitKey, 4, conc })
		require.NoError(t, err)
		var out bytes.Buffer
		wc, err := c.EncryptStream(context.Background(), &out, nil)
		require.NoError(t, err)
		w := wc.(*encWriter)
		w.seq = finalFrameMark - 3
		n, err := w.Write([]byte("aaaabbbbcccc")) // frames 2^32-4, 2^32-3, 2^32-2: the last regular ones
		require.NoError(t, err, "concurrency %d", conc)
		assert.Equal(t, 12, n)
		require.NoError(t, w.Close(), "concurrency %d", conc) // the final frame, 2^32-1, empty

		d, err := c.DecryptStream(context.Background(), bytes.NewReader(out.Bytes()), nil)
		require.NoError(t, err)
		d.seq = finalFrameMark - 3
		got, err := io.ReadAll(d)
		require.NoError(t, err, "concurrency %d: the message of frames up to 2^32-1 decrypts", conc)
		assert.Equal(t, "aaaabbbbcccc", string(got))

		out.Reset()
		wc, err = c.EncryptStream(context.Background(), &out, nil)
		require.NoError(t, err)
		w = wc.(*encWriter)
		w.seq = finalFrameMark - 1
		n, err = w.Write([]byte("aaaabbbb")) // 2^32-2, then a regular 2^32-1: refused
		assert.ErrorIs(t, err, ErrTooLarge, "concurrency %d", conc)
		assert.Equal(t, 8, n, "the bytes of the refused frame count as written: they were taken into it")
		assert.ErrorIs(t, w.Close(), ErrTooLarge, "the error sticks")
	}
}
