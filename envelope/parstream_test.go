package envelope_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withConcurrency runs f with the default concurrency (Options.Concurrency
// 0, which the existing tests use) standing for procs workers, and streams
// parallel from their first frame when procs > 1.
func withConcurrency(t *testing.T, procs int, f func(t *testing.T)) {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	if procs > 1 {
		defer envelope.SetParallelStreamAfter(0)()
	}
	f(t)
}

// The stream tests written for the serial path pass at Concurrency 1 and
// parallel (2 and 8 workers) from the first frame.
func TestStreamTestsAtEveryConcurrency(t *testing.T) {
	tests := map[string]func(*testing.T){
		"TestStreamRoundTrip":                   TestStreamRoundTrip,
		"TestDecryptStreamReleasesOnlyVerified": TestDecryptStreamReleasesOnlyVerified,
		"TestEncryptStreamWriteErrorSticks":     TestEncryptStreamWriteErrorSticks,
		"TestStreamsRedact":                     TestStreamsRedact,
		"TestTampering":                         TestTampering,
		"TestDecryptStreamSourceErrors":         TestDecryptStreamSourceErrors,
		"TestReaderWriteTo":                     TestReaderWriteTo,
		"TestLegacyTampering":                   TestLegacyTampering,
		"TestNonFramedStreamHoldsBack":          TestNonFramedStreamHoldsBack,
		"TestLegacyWriteTo":                     TestLegacyWriteTo,
		"TestEncryptStreamWithRawKeyring":       TestEncryptStreamWithRawKeyring,
	}
	for _, procs := range []int{1, 2, 8} {
		for name, f := range tests {
			t.Run(fmt.Sprintf("%s/procs-%d", name, procs), func(t *testing.T) { withConcurrency(t, procs, f) })
		}
	}
}

// seededClient returns a Client over its own kmstest seeded with seed, and
// with Options.Rand seeded too: two such Clients draw the same key, data
// key and message ID, so their unsigned messages are the same bytes.
func seededClient(t *testing.T, seed byte, opts ...func(*envelope.Options)) *envelope.Client {
	t.Helper()
	k := kmstest.NewWith("us-east-1", "111122223333", rand.NewChaCha8([32]byte{seed}))
	keyARN := k.MustCreateKey()
	return newClient(t, k, keyARN, append([]func(*envelope.Options){func(o *envelope.Options) {
		o.Rand = rand.NewChaCha8([32]byte{seed, 1})
	}}, opts...)...)
}

// EncryptStream writes the bytes Encrypt writes for the same data key and
// message ID, whatever the concurrency and however the plaintext is cut into
// writes (1 byte, a frame less or more one, many frames at once), parallel
// from the first frame or after the default threshold.
func TestEncryptStreamSameBytesAtEveryConcurrency(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	for _, after := range []int64{0, -1} {
		for _, fl := range []int{100, 4096} {
			pt := make([]byte, 200*fl+fl/2)
			for i := range pt {
				pt[i] = byte(r.IntN(256))
			}
			seed := byte(fl)
			opts := func(concurrency int) func(*envelope.Options) {
				return func(o *envelope.Options) {
					o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, concurrency
				}
			}
			want, err := seededClient(t, seed, opts(1)).Encrypt(ctx, pt, nil)
			require.NoError(t, err)
			for _, concurrency := range []int{1, 2, 3, 8, 0} {
				func() {
					if after >= 0 {
						defer envelope.SetParallelStreamAfter(after)()
					}
					c := seededClient(t, seed, opts(concurrency))
					var msg bytes.Buffer
					w, err := c.EncryptStream(ctx, &msg, nil)
					require.NoError(t, err)
					scratch := make([]byte, 0, 20*fl)
					for rest := pt; len(rest) > 0; {
						var k int
						switch r.IntN(5) {
						case 0:
							k = 1
						case 1:
							k = fl - 1
						case 2:
							k = fl + 1
						case 3:
							k = fl * (1 + r.IntN(20))
						default:
							k = 1 + r.IntN(3*fl)
						}
						k = min(k, len(rest))
						// io.Writer: Write must not retain p. The caller
						// scribbles over it once Write returned.
						p := append(scratch[:0], rest[:k]...)
						n, err := w.Write(p)
						require.NoError(t, err)
						require.Equal(t, k, n)
						for i := range p {
							p[i] = 0xA5
						}
						rest = rest[k:]
					}
					require.NoError(t, w.Close())
					require.True(t, bytes.Equal(want, msg.Bytes()), "frame %d, concurrency %d, parallel after %d: other bytes than Encrypt", fl, concurrency, after)
				}()
			}
		}
	}
}

// The signed suite hashes the frames in order whatever the concurrency: a
// message written at any concurrency verifies when read at any other.
func TestSignedStreamsAtEveryConcurrency(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	ctx := context.Background()
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	const fl = 64
	pt := bytes.Repeat([]byte("signed, in order"), 300) // 75 frames
	for _, wc := range []int{1, 2, 8} {
		enc := newClient(t, k, keyARN, func(o *envelope.Options) { o.FrameLength, o.Concurrency = fl, wc })
		var msg bytes.Buffer
		w, err := enc.EncryptStream(ctx, &msg, nil)
		require.NoError(t, err)
		for rest := pt; len(rest) > 0; rest = rest[min(len(rest), 150):] {
			_, err := w.Write(rest[:min(len(rest), 150)])
			require.NoError(t, err)
		}
		require.NoError(t, w.Close())
		for _, rc := range []int{1, 2, 8} {
			dec := newClient(t, k, keyARN, func(o *envelope.Options) { o.Concurrency = rc })
			r, err := dec.DecryptStream(ctx, bytes.NewReader(msg.Bytes()), nil)
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.NoError(t, err, "written at %d, read at %d", wc, rc)
			require.True(t, bytes.Equal(pt, got), "written at %d, read at %d", wc, rc)
		}
	}
}

// The memory bound of the docs: a parallel stream's ring holds 2·W groups
// of frames (W = Concurrency), each of about max(FrameLength, 64 KiB), so
// EncryptStream allocates about 2·W·max(FrameLength+32, 64 KiB) bytes
// beyond its two serial frame buffers, and DecryptStream
// 2·W·max(FrameLength+16, 64 KiB) beyond its frame buffer and 64 KiB read
// block, whatever the length of the stream. Here both together, over
// streams of 64 and 1024 frames of 4 and 64 KiB, against that bound plus
// 256 KiB for the rest (header, keys, slot bookkeeping; the test's own 512
// KiB of buffers are counted too).
func TestParallelStreamHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 64 MiB")
	}
	for _, fl := range []int{4 << 10, 64 << 10} {
		for _, w := range []int{2, 8} {
			ring := 2 * w * (max(fl+32, 64<<10) + max(fl+16, 64<<10))
			bound := uint64(ring + 3*fl + 64<<10 + 512<<10 + 256<<10)
			short := pipeStreams(t, w, fl, int64(64*fl))
			long := pipeStreams(t, w, fl, int64(1024*fl))
			t.Logf("frames of %d KiB, concurrency %d: 64 frames allocated %d KiB, 1024 frames %d KiB; bound %d KiB", fl>>10, w, short>>10, long>>10, bound>>10)
			assert.Less(t, long, bound, "frames of %d, concurrency %d", fl, w)
			assert.Less(t, long, short+64<<10, "frames of %d, concurrency %d: allocation grows with the frames", fl, w)
		}
	}
}

// goid is the calling goroutine's number, from its stack header.
func goid() string {
	var buf [64]byte
	s := buf[:runtime.Stack(buf[:], false)]
	s = bytes.TrimPrefix(s, []byte("goroutine "))
	return string(s[:bytes.IndexByte(s, ' ')])
}

// sameGoroutine fails the test when Read or Write is called from another
// goroutine than want.
type sameGoroutine struct {
	t    *testing.T
	want string
	r    io.Reader
	w    io.Writer
}

func (s *sameGoroutine) Read(p []byte) (int, error) {
	assert.Equal(s.t, s.want, goid(), "src read from another goroutine")
	return s.r.Read(p)
}

func (s *sameGoroutine) Write(p []byte) (int, error) {
	assert.Equal(s.t, s.want, goid(), "dst written from another goroutine")
	return s.w.Write(p)
}

// dst and src are used only on the caller's goroutine, inside Write, Close,
// Read and WriteTo, on the parallel path too.
func TestParallelStreamsUseDstAndSrcOnCallerGoroutine(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	ctx := context.Background()
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	pt := bytes.Repeat([]byte("caller's goroutine only"), 5000)
	for _, concurrency := range []int{2, 8} {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.FrameLength, o.Concurrency = 256, concurrency })
		var msg bytes.Buffer
		dst := &sameGoroutine{t: t, want: goid(), w: &msg}
		w, err := c.EncryptStream(ctx, dst, nil)
		require.NoError(t, err)
		for rest := pt; len(rest) > 0; rest = rest[min(len(rest), 3000):] {
			_, err = w.Write(rest[:min(len(rest), 3000)])
			require.NoError(t, err)
		}
		require.NoError(t, w.Close())
		for _, writeTo := range []bool{false, true} {
			src := &sameGoroutine{t: t, want: goid(), r: bytes.NewReader(msg.Bytes())}
			r, err := c.DecryptStream(ctx, struct{ io.Reader }{src}, nil)
			require.NoError(t, err)
			var got bytes.Buffer
			if writeTo {
				_, err = r.WriteTo(&sameGoroutine{t: t, want: goid(), w: &got})
			} else {
				_, err = io.CopyBuffer(struct{ io.Writer }{&got}, struct{ io.Reader }{r}, make([]byte, 1000))
			}
			require.NoError(t, err)
			assert.True(t, bytes.Equal(pt, got.Bytes()))
		}
	}
}
