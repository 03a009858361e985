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
// frame. Serial (Concurrency 1), EncryptStream and DecryptStream of 1 frame
// and of 64 frames allocate the same count, for both suites; parallel
// (Concurrency 2 and 8: their frame ring is allocated once the stream
// passed 128 KiB), streams of 64 and of 512 frames do.
func TestStreamAllocsPerFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	for _, tc := range []struct{ concurrency, few, many int }{{1, 1, 64}, {2, 64, 512}, {8, 64, 512}} {
		streamAllocs(t, tc.concurrency, tc.few, tc.many)
	}
}

func streamAllocs(t *testing.T, concurrency, few, many int) {
	const frame = 4096
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	for _, suite := range suites {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = suite, frame, concurrency })
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
		e1, e64 := enc(few), enc(many)
		d1, d64 := dec(few), dec(many)
		t.Logf("concurrency %d, suite %v: EncryptStream %v allocations for %d frames, %v for %d; DecryptStream %v and %v", concurrency, suite, e1, few, e64, many, d1, d64)
		// Parallel streams start and end worker goroutines and wait on
		// channels: the runtime's own pools (goroutines, sudogs) allocate a
		// few times per stream at random, never per frame (448 more frames
		// would be 448 more allocations).
		slack := 0.0
		if concurrency > 1 {
			slack = 16
		}
		assert.InDelta(t, e1, e64, slack, "concurrency %d, suite %v: EncryptStream allocations grow with the frames", concurrency, suite)
		assert.InDelta(t, d1, d64, slack, "concurrency %d, suite %v: DecryptStream allocations grow with the frames", concurrency, suite)
	}
}
