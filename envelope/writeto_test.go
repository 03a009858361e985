package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// countingReader is an unbuffered source that counts its reads.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

// errWriter fails after limit bytes.
type errWriter struct {
	buf   bytes.Buffer
	limit int
}

var errFull = errors.New("destination full")

func (w *errWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.limit {
		n := w.limit - w.buf.Len()
		w.buf.Write(p[:n])
		return n, errFull
	}
	return w.buf.Write(p)
}

// Reader.WriteTo (what io.Copy uses) writes the whole plaintext, only
// verified frames, and returns the destination's error; the source is read
// in blocks, not three reads per frame.
func TestReaderWriteTo(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	for _, suite := range suites {
		const fl = 1024
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, fl })
		pt := make([]byte, 200*fl+17)
		for i := range pt {
			pt[i] = byte(i * 31)
		}
		msg, err := c.Encrypt(ctx, pt, nil)
		require.NoError(t, err)
		h, err := envelope.ParseHeader(msg)
		require.NoError(t, err)

		src := &countingReader{r: bytes.NewBuffer(msg)} // not an io.ByteReader: unbuffered
		r, err := c.DecryptStream(ctx, src, nil)
		require.NoError(t, err)
		readsForHeader := src.reads
		var out bytes.Buffer
		n, err := io.Copy(struct{ io.Writer }{&out}, r) // hide ReadFrom: io.Copy must use WriteTo
		require.NoError(t, err)
		assert.Equal(t, int64(len(pt)), n)
		assert.Equal(t, pt, out.Bytes())
		bodyReads := src.reads - readsForHeader
		assert.LessOrEqual(t, bodyReads, (len(msg)-h.Size)/(64<<10)+3, "%v: %d reads for %d frames", suite, bodyReads, 201)

		// WriteTo after a partial Read continues where Read stopped.
		r, err = c.DecryptStream(ctx, bytes.NewReader(msg), nil)
		require.NoError(t, err)
		head := make([]byte, 100)
		_, err = io.ReadFull(r, head)
		require.NoError(t, err)
		out.Reset()
		_, err = r.WriteTo(&out)
		require.NoError(t, err)
		assert.Equal(t, pt, append(head, out.Bytes()...))

		// A broken final frame: WriteTo writes the verified regular frames
		// and returns ErrDecrypt, never the final frame's plaintext.
		bad := bytes.Clone(msg)
		bad[len(bad)-1] ^= 1 // the signature, or the final frame's tag
		r, err = c.DecryptStream(ctx, bytes.NewReader(bad), nil)
		require.NoError(t, err)
		out.Reset()
		n, err = r.WriteTo(&out)
		assert.ErrorIs(t, err, envelope.ErrDecrypt)
		assert.Equal(t, int64(200*fl), n)
		assert.Equal(t, pt[:200*fl], out.Bytes())

		// The destination's error is returned as is.
		r, err = c.DecryptStream(ctx, bytes.NewReader(msg), nil)
		require.NoError(t, err)
		w := &errWriter{limit: 5000}
		n, err = r.WriteTo(w)
		assert.ErrorIs(t, err, errFull)
		assert.Equal(t, int64(5000), n)
		assert.Equal(t, pt[:5000], w.buf.Bytes())
	}
}
