package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

func TestStreamRoundTrip(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	r := rand.New(rand.NewPCG(1, 2))
	for _, suite := range suites {
		for _, fl := range []int{1, 100, 4096} {
			c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, fl })
			for _, n := range []int{0, 1, fl, 2 * fl, 5*fl + 3, 20_000} {
				pt := make([]byte, n)
				for i := range pt {
					pt[i] = byte(r.IntN(256))
				}
				var msg bytes.Buffer
				w, err := c.EncryptStream(context.Background(), &msg, map[string]string{"s": "1"})
				require.NoError(t, err)
				for rest := pt; len(rest) > 0; {
					k := min(len(rest), 1+r.IntN(3*fl+1))
					m, err := w.Write(rest[:k])
					require.NoError(t, err)
					require.Equal(t, k, m)
					rest = rest[k:]
				}
				require.NoError(t, w.Close())
				require.NoError(t, w.Close(), "Close twice is harmless")
				_, err = w.Write([]byte("x"))
				assert.Error(t, err, "write after Close")

				whole, streamed, e1, e2 := decryptBoth(c, msg.Bytes(), map[string]string{"s": "1"})
				require.NoError(t, e1, "%v fl=%d n=%d", suite, fl, n)
				require.NoError(t, e2)
				assert.True(t, bytes.Equal(pt, whole))
				assert.True(t, bytes.Equal(pt, streamed))

				// The stream writes what Encrypt writes, but for the random parts.
				one, err := c.Encrypt(context.Background(), pt, map[string]string{"s": "1"})
				require.NoError(t, err)
				if suite == envelope.SuiteCommitKey {
					assert.Equal(t, len(one), msg.Len(), "same size as Encrypt")
				}
			}
		}
	}
}

// The final frame of a signed message is released only after the signature
// verifies; earlier frames after their own tags.
func TestDecryptStreamReleasesOnlyVerified(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	c := newClient(t, k, keyARN, func(o *envelope.Options) { o.FrameLength = 10 })
	msg, err := c.Encrypt(context.Background(), []byte("0123456789ABCDEFGHIJ-tail"), nil)
	require.NoError(t, err)
	bad := bytes.Clone(msg)
	bad[len(bad)-1] ^= 1 // the signature
	r, err := c.DecryptStream(context.Background(), bytes.NewReader(bad), nil)
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
	assert.Equal(t, "0123456789ABCDEFGHIJ", string(got), "the final frame is withheld")
	_, err = r.Read(make([]byte, 10))
	assert.ErrorIs(t, err, envelope.ErrDecrypt, "the error sticks")

	// A corrupted second frame: only the first frame comes out.
	h, _ := envelope.ParseHeader(msg)
	bad = bytes.Clone(msg)
	bad[h.Size+(4+12+10+16)+20] ^= 1
	r, err = c.DecryptStream(context.Background(), bytes.NewReader(bad), nil)
	require.NoError(t, err)
	got, err = io.ReadAll(r)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
	assert.Equal(t, "0123456789", string(got))
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("disk full")
	}
	f.after--
	return len(p), nil
}

func TestEncryptStreamWriteErrorSticks(t *testing.T) {
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.FrameLength = 4 })
	_, err := c.EncryptStream(context.Background(), &failingWriter{}, nil)
	assert.ErrorContains(t, err, "disk full", "the header write fails")
	w, err := c.EncryptStream(context.Background(), &failingWriter{after: 1}, nil)
	require.NoError(t, err)
	_, err = w.Write([]byte("12345678"))
	assert.ErrorContains(t, err, "disk full")
	_, err = w.Write([]byte("1"))
	assert.ErrorContains(t, err, "disk full")
	assert.ErrorContains(t, w.Close(), "disk full")
}

func TestStreamsRedact(t *testing.T) {
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey())
	var buf bytes.Buffer
	w, err := c.EncryptStream(context.Background(), &buf, nil)
	require.NoError(t, err)
	s := fmt.Sprintf("%v %+v %#v %s", w, w, w, w)
	assert.NotContains(t, s, "0x")
	assert.Contains(t, s, "redacted")
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("stream", "w", w)
	assert.Contains(t, logged.String(), "redacted")
	require.NoError(t, w.Close())
	r, err := c.DecryptStream(context.Background(), &buf, nil)
	require.NoError(t, err)
	assert.Contains(t, fmt.Sprintf("%+v %#v", r, r), "redacted")
}

// A long stream keeps memory bounded: what it allocates does not grow with
// the size (zero allocations per frame), at Concurrency 1 and the default
// (parallel after its first 128 KiB).
func TestStreamMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 1 GiB")
	}
	size := int64(1 << 30)
	if raceEnabled {
		size = 128 << 20 // the race detector slows the frame loop tenfold
	}
	for _, concurrency := range []int{1, 0} {
		allocated := pipeStreams(t, concurrency, 64<<10, size)
		t.Logf("concurrency %d: streamed %d MiB through encrypt and decrypt, allocating %.2f MiB in all", concurrency, size>>20, float64(allocated)/(1<<20))
		assert.Less(t, allocated, uint64(8<<20), "concurrency %d: allocation must not grow with the stream", concurrency)
	}
}

// pipeStreams encrypts size bytes with EncryptStream into DecryptStream
// through a pipe, in 256 KiB writes, and returns the bytes allocated
// meanwhile (by the whole process: no other test runs).
func pipeStreams(t *testing.T, concurrency, frameLength int, size int64) uint64 {
	t.Helper()
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) {
		o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, frameLength, concurrency
	})
	pr, pw := io.Pipe()
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	errc := make(chan error, 1)
	go func() {
		w, err := c.EncryptStream(context.Background(), pw, nil)
		if err == nil {
			chunk := make([]byte, 256<<10)
			for written := int64(0); written < size && err == nil; written += int64(len(chunk)) {
				_, err = w.Write(chunk)
			}
			if err == nil {
				err = w.Close()
			}
		}
		pw.CloseWithError(err)
		errc <- err
	}()
	r, err := c.DecryptStream(context.Background(), pr, nil)
	require.NoError(t, err)
	n, err := io.CopyBuffer(io.Discard, r, make([]byte, 256<<10))
	require.NoError(t, err)
	require.NoError(t, <-errc)
	runtime.ReadMemStats(&ms1)
	assert.Equal(t, size, n)
	return ms1.TotalAlloc - ms0.TotalAlloc
}
