package envelope_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
)

// countErrWriter reports count n and err (nil: none), whatever it is given:
// a writer that lies about its count.
type countErrWriter struct {
	n   int
	err error
}

func (w countErrWriter) Write(p []byte) (int, error) { return w.n, w.err }

// WriteTo's doc, as io.Copy: a count outside [0, len(p)] is an error
// (envelope's "invalid write result", not io.ErrShortWrite) when the writer
// gave none, and the writer's own error is returned as it is when it gave
// one; either way nothing was taken.
func TestWriteToImpossibleCountKeepsTheWritersError(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	mine := errors.New("the writer's own error")
	for _, conc := range []int{1, 2} {
		c, msg, pt := attackMessage(t, conc, 64, 10, envelope.SuiteCommitKey)
		for _, lie := range []int{-1, 1 << 20} {
			d, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
			require.NoError(t, err)
			n, err := d.WriteTo(countErrWriter{n: lie})
			assert.Zero(t, n)
			require.Error(t, err, "concurrency %d, count %d", conc, lie)
			assert.NotErrorIs(t, err, io.ErrShortWrite, "concurrency %d, count %d", conc, lie)
			assert.Contains(t, err.Error(), "invalid write result", "concurrency %d, count %d", conc, lie)

			d, err = c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
			require.NoError(t, err)
			n, err = d.WriteTo(countErrWriter{n: lie, err: mine})
			assert.Zero(t, n)
			assert.Same(t, mine, err, "concurrency %d, count %d: the writer's error as it is", conc, lie)
			got, err := io.ReadAll(d)
			require.NoError(t, err)
			assert.Equal(t, pt, got, "concurrency %d, count %d: nothing was taken", conc, lie)
		}
	}
}

// A non-framed body may hold up to 2^36-32 bytes (message-body.md,
// "Non-Framed Data"): DecryptStream refuses exactly that many as over
// MaxFrameLength (ErrMalformed, which names the option a caller could
// raise), and one byte more as no valid message at all (ErrDecrypt only).
func TestNonFramedLengthLimitIsInclusive(t *testing.T) {
	msg := legacyMessage(t, 0x0078, 0, []byte("tiny"))
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	for cl, wantMalformed := range map[uint64]bool{1<<36 - 32: true, 1<<36 - 31: false} {
		bad := bytes.Clone(msg)
		binary.BigEndian.PutUint64(bad[h.Size+12:], cl)
		r, err := legacyClient(t).DecryptStream(context.Background(), bytes.NewReader(bad), nil)
		require.NoError(t, err)
		_, err = io.ReadAll(r)
		assert.ErrorIs(t, err, envelope.ErrDecrypt, "length %d", cl)
		assert.Equal(t, wantMalformed, errors.Is(err, envelope.ErrMalformed), "length %d: ErrMalformed (%v)", cl, err)
	}
}

// Reading a non-framed stream in pieces smaller than its content costs no
// allocation more than reading it whole: the content is opened in place,
// over the ciphertext DecryptStream read, and handed out from there.
func TestNonFramedStreamSmallReadsOpenInPlace(t *testing.T) {
	pt := bytes.Repeat([]byte("s"), 100<<10)
	msg := legacyMessage(t, 0x0078, 0, pt)
	c := legacyClient(t)
	ctx := context.Background()
	read := func(piece int) float64 {
		buf := make([]byte, piece)
		return testing.AllocsPerRun(20, func() {
			r, err := c.DecryptStream(ctx, bytes.NewReader(msg), nil)
			require.NoError(t, err)
			for {
				if _, err := r.Read(buf); err == io.EOF {
					break
				} else if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	whole, pieces := read(len(pt)), read(4096)
	assert.Equal(t, whole, pieces, "allocations reading %d bytes whole and in 4 KiB pieces", len(pt))
}
