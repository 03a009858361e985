package envelope

import (
	"bytes"
	"context"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// The ring holds 2 groups of frames per worker, each of 64 KiB of frames
// (1 to 32 frames), no more than maxRingBytes of them but at least 2
// frames, and none (serial) when 2 frames do not fit in an int.
func TestRingSlots(t *testing.T) {
	for _, tc := range []struct{ workers, size, want int }{
		{1, 4096, 32},
		{2, 4096 + 32, 60},  // 4 KiB frames: groups of 15
		{2, 64<<10 + 32, 4}, // 64 KiB frames: groups of 1
		{8, 64<<10 + 16, 16},
		{2, 33, 128}, // 1-byte frames: groups of 32
		{1000, 4096, 8192},
		{8, 64 << 20, 4},  // 256 MiB
		{8, 200 << 20, 2}, // over the budget: still 2
		{2, math.MaxInt / 2, 2},
		{2, math.MaxInt/2 + 1, 0}, // two do not fit in an int
		{math.MaxInt, 1, 2 * 32 * maxStreamWorkers},
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
	w.seq = finalFrameMark - 3
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

// A DecryptStream allocates its frame slots only once the first 128 KiB of
// the message authenticated: not for a message whose second frame fails.
// After a failure, every slot is cleared (no plaintext stays in memory).
func TestParallelReaderSlotsAfterAuthenticatedPrefix(t *testing.T) {
	k := kmstest.New()
	const fl = 4096
	c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Suite, o.FrameLength, o.Concurrency = SuiteCommitKey, fl, 2 })
	require.NoError(t, err)
	pt := bytes.Repeat([]byte{0x5A}, 100*fl)
	msg, err := c.Encrypt(context.Background(), pt, nil)
	require.NoError(t, err)
	h, err := ParseHeader(msg)
	require.NoError(t, err)
	frame := 4 + 12 + fl + 16
	for _, tc := range []struct {
		bad      int // the frame tampered, 1-based
		parallel bool
	}{{2, false}, {32, false}, {34, true}, {60, true}} {
		bad := bytes.Clone(msg)
		bad[h.Size+(tc.bad-1)*frame+100] ^= 1
		r, err := c.DecryptStream(context.Background(), bytes.NewReader(bad), nil)
		require.NoError(t, err)
		var out bytes.Buffer
		_, err = r.WriteTo(&out)
		assert.ErrorIs(t, err, ErrDecrypt)
		assert.Equal(t, (tc.bad-1)*fl, out.Len(), "frame %d tampered", tc.bad)
		assert.Equal(t, tc.parallel, r.par != nil, "frame %d tampered: parallel", tc.bad)
		if r.par != nil {
			for i := range r.par.slots {
				s := r.par.slots[i].buf
				assert.True(t, allZero(s[:cap(s)]), "frame %d tampered: slot %d not cleared", tc.bad, i)
			}
		}
	}
}

// A destination that fails clears the stream's plaintext: every slot of the
// ring, the partial frame included.
func TestParallelWriterClearsOnDstError(t *testing.T) {
	defer SetParallelStreamAfter(0)()
	k := kmstest.New()
	c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Suite, o.FrameLength, o.Concurrency = SuiteCommitKey, 64, 2 })
	require.NoError(t, err)
	dst := &failOnWrite{failOn: 5}
	wc, err := c.EncryptStream(context.Background(), dst, nil)
	require.NoError(t, err)
	w := wc.(*encWriter)
	pt := bytes.Repeat([]byte{0x5A}, 64*5)
	_, err = w.Write(pt[:64*3+10]) // 3 frames written (calls 2 to 4), a partial one
	require.NoError(t, err)
	_, err = w.Write(pt[:64*5]) // the fourth frame's write fails
	require.Error(t, err)
	for i := range w.par.slots {
		s := w.par.slots[i].buf
		assert.True(t, allZero(s[:cap(s)]), "slot %d not cleared", i)
	}
}

type failOnWrite struct{ calls, failOn int }

func (f *failOnWrite) Write(p []byte) (int, error) {
	f.calls++
	if f.calls >= f.failOn {
		return 0, ErrInvalidInput
	}
	return len(p), nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// A stream runs at most maxStreamWorkers goroutines however large
// Options.Concurrency; 0 means GOMAXPROCS.
func TestStreamWorkers(t *testing.T) {
	for _, tc := range []struct{ concurrency, want int }{{1, 1}, {3, 3}, {256, 256}, {100_000, 256}, {0, runtime.GOMAXPROCS(0)}} {
		k := kmstest.New()
		c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Concurrency = tc.concurrency })
		require.NoError(t, err)
		assert.Equal(t, tc.want, c.streamWorkers(), "Concurrency %d", tc.concurrency)
	}
}

// A frame that fails to open lowers the ring's stop mark to its sequence
// number (the lowest failure wins), and later frames are then skipped
// without being opened; earlier ones are still opened.
func TestFrameRingStopsAfterFailure(t *testing.T) {
	f, err := newFramer(make([]byte, 32), make([]byte, messageIDSize))
	require.NoError(t, err)
	const fl = 64
	r := newFrameRing(f, 2, fl+tagSize, true)
	seal := func(s *frameSlot, seq uint32) {
		pt := bytes.Repeat([]byte{byte(seq)}, fl)
		frame := f.seal(nil, seq, false, pt)
		s.seq, s.n = seq, fl
		copy(s.iv[:], frame[4:4+ivSize])
		s.buf = append(s.buf[:0], frame[4+ivSize:]...)
	}
	for i, seq := range []uint32{5, 3, 7, 2} {
		s := &r.slots[i]
		seal(s, seq)
		if seq != 2 {
			s.buf[0] ^= 1 // tampered: 5, 3 and 7 fail
		}
		r.run(s)
		assert.False(t, s.ok && seq != 2, "frame %d", seq)
	}
	assert.Equal(t, uint32(3), r.stopAfter.Load(), "the lowest failure")
	assert.True(t, r.slots[3].ok, "frame 2, before the failure, opened")

	s := &r.slots[0]
	seal(s, 9)
	before := bytes.Clone(s.buf[:fl+tagSize])
	r.run(s)
	assert.False(t, s.ok)
	assert.Equal(t, before, s.buf[:fl+tagSize], "frame 9, after the failure, was not opened")
}
