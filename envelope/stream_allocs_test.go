package envelope_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// BENCHMARKS.md: streams allocate a fixed amount per stream and none per
// frame. EncryptStream and DecryptStream of 1 frame and of 64 frames
// allocate the same count, for both suites.
func TestStreamAllocsPerFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	const frame = 4096
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	for _, suite := range suites {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, frame })
		chunk := make([]byte, frame)
		var msg bytes.Buffer
		enc := func(frames int) float64 {
			return testing.AllocsPerRun(5, func() {
				msg.Reset()
				w, err := c.EncryptStream(context.Background(), &msg, nil)
				require.NoError(t, err)
				for range frames {
					_, err = w.Write(chunk)
					require.NoError(t, err)
				}
				require.NoError(t, w.Close())
			})
		}
		buf := make([]byte, 32<<10)
		dec := func(frames int) float64 {
			msg.Reset()
			w, err := c.EncryptStream(context.Background(), &msg, nil)
			require.NoError(t, err)
			for range frames {
				_, err = w.Write(chunk)
				require.NoError(t, err)
			}
			require.NoError(t, w.Close())
			ct := bytes.Clone(msg.Bytes())
			src := bytes.NewReader(ct)
			return testing.AllocsPerRun(5, func() {
				src.Reset(ct)
				r, err := c.DecryptStream(context.Background(), src, nil)
				require.NoError(t, err)
				n, err := io.CopyBuffer(io.Discard, r, buf)
				require.NoError(t, err)
				require.Equal(t, int64(frames*frame), n)
			})
		}
		e1, e64 := enc(1), enc(64)
		d1, d64 := dec(1), dec(64)
		t.Logf("suite %v: EncryptStream %v allocations for 1 frame, %v for 64; DecryptStream %v and %v", suite, e1, e64, d1, d64)
		assert.Equal(t, e1, e64, "suite %v: EncryptStream allocations grow with the frames", suite)
		assert.Equal(t, d1, d64, "suite %v: DecryptStream allocations grow with the frames", suite)
	}
}
