package envelope_test

// An adversarial review of issue 15's parallel paths (parmem.go,
// parstream*.go, writeto.go): each test is an attack that must fail closed
// or a promise of the docs held to its word, at Concurrency 1 and parallel.

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// attackMessage returns a client at concurrency and a message of frames
// regular frames of fl bytes plus a half final frame, and its plaintext.
func attackMessage(t *testing.T, concurrency, fl, frames int, suite envelope.Suite) (*envelope.Client, []byte, []byte) {
	t.Helper()
	mk, msg, pt := attackClients(t, fl, frames, suite)
	return mk(concurrency), msg, pt
}

// attackClients is attackMessage that returns a maker of clients of the
// same key at any concurrency.
func attackClients(t *testing.T, fl, frames int, suite envelope.Suite) (func(concurrency int) *envelope.Client, []byte, []byte) {
	t.Helper()
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	mk := func(concurrency int) *envelope.Client {
		return newClient(t, k, keyARN, func(o *envelope.Options) {
			o.FrameLength, o.Concurrency, o.Suite = fl, concurrency, suite
		})
	}
	pt := bytes.Repeat([]byte("attack15"), (frames*fl+fl/2)/8+1)[:frames*fl+fl/2]
	msg, err := mk(1).Encrypt(context.Background(), pt, nil)
	require.NoError(t, err)
	return mk, msg, pt
}

// shortWriter takes at most max bytes per Write and never returns an error
// (an io.Writer that breaks the contract, as io.Copy guards against): max
// 0 takes nothing.
type shortWriter struct {
	buf bytes.Buffer
	max int
}

func (w *shortWriter) Write(p []byte) (int, error) {
	n := min(len(p), w.max)
	w.buf.Write(p[:n])
	return n, nil
}

// within runs f and fails the test if it does not return within d (a
// deadlock or an endless loop); the goroutine is left behind in that case.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %v", d)
	}
}

// Reader.WriteTo treats a writer that takes fewer bytes than it was given
// without an error as io.Copy does: io.ErrShortWrite, not a loop that calls
// it again forever (a writer that always returns (0, nil) hung WriteTo);
// and a count outside [0, len(p)] is an error, not a slice-bounds panic in
// a later Read. Serial and parallel alike.
func TestAttack15WriteToShortWrite(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	for _, conc := range []int{1, 2} {
		c, msg, pt := attackMessage(t, conc, 64, 10, envelope.SuiteCommitKey)
		d, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		require.NoError(t, err)
		var n int64
		within(t, 5*time.Second, func() { n, err = d.WriteTo(&shortWriter{max: 0}) })
		assert.ErrorIs(t, err, io.ErrShortWrite, "concurrency %d", conc)
		assert.Zero(t, n, "concurrency %d", conc)

		d, err = c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		require.NoError(t, err)
		sw := &shortWriter{max: 10}
		within(t, 5*time.Second, func() { n, err = d.WriteTo(sw) })
		assert.ErrorIs(t, err, io.ErrShortWrite, "concurrency %d", conc)
		assert.Equal(t, int64(10), n, "concurrency %d", conc)
		assert.Equal(t, 10, sw.buf.Len(), "concurrency %d", conc)
		rest, err := io.ReadAll(d) // what w did not take stays in the Reader
		require.NoError(t, err)
		assert.Equal(t, pt, append(sw.buf.Bytes(), rest...), "concurrency %d", conc)

		for _, lie := range []int{-1, 1 << 20} {
			d, err = c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
			require.NoError(t, err)
			require.NotPanics(t, func() {
				within(t, 5*time.Second, func() { n, err = d.WriteTo(countErrWriter{n: lie}) })
			})
			assert.Error(t, err, "concurrency %d, writer says %d", conc, lie)
			assert.Zero(t, n, "concurrency %d, writer says %d", conc, lie)
			var got []byte
			require.NotPanics(t, func() { got, err = io.ReadAll(d) }, "Read after WriteTo's invalid count")
			require.NoError(t, err)
			assert.Equal(t, pt, got, "concurrency %d: nothing was taken", conc)
		}
	}
}

// EncryptStream treats a dst that takes fewer bytes than it was given
// without an error as a failed write (io.ErrShortWrite, sticky), instead of
// going on and producing a message with bytes missing (silent truncation).
func TestAttack15EncryptStreamShortWrite(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	for _, conc := range []int{1, 2} {
		k := kmstest.New()
		c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.FrameLength, o.Concurrency = 64, conc })
		dst := &shortWriter{max: 1 << 30}
		w, err := c.EncryptStream(context.Background(), dst, nil)
		require.NoError(t, err)
		dst.max = 10 // the header went in whole; every frame now loses bytes
		_, werr := w.Write(make([]byte, 64*10))
		cerr := w.Close()
		assert.True(t, errors.Is(werr, io.ErrShortWrite) || errors.Is(cerr, io.ErrShortWrite),
			"concurrency %d: Write %v, Close %v", conc, werr, cerr)
		assert.ErrorIs(t, w.Close(), io.ErrShortWrite, "concurrency %d: sticky", conc)
	}
}

// panicWriter panics on its panicOn-th Write (1-based) and takes every
// other one.
type panicWriter struct {
	bytes.Buffer
	calls, panicOn int
}

func (w *panicWriter) Write(p []byte) (int, error) {
	w.calls++
	if w.calls == panicOn(w) {
		panic("dst exploded")
	}
	return w.Buffer.Write(p)
}

func panicOn(w *panicWriter) int { return w.panicOn }

// A dst that panics inside Write (recovered by the caller) leaves no worker
// of a parallel EncryptStream reading the caller's p or sealing in the
// stream's slots once the panic leaves Write or Close: the stream stops as
// on a failed write (the error sticks, later Writes and Close fail, dst is
// not called again), and the caller may scribble on p at once (under
// -race, a worker still sealing from p is a reported race).
func TestAttack15EncryptStreamDstPanics(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	for _, conc := range []int{1, 2, 8} {
		for _, panicOn := range []int{2, 3, 40} {
			k := kmstest.New()
			c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.FrameLength, o.Concurrency = 64, conc })
			dst := &panicWriter{panicOn: panicOn}
			w, err := c.EncryptStream(context.Background(), dst, nil)
			require.NoError(t, err)
			p := bytes.Repeat([]byte{7}, 64*200+5)
			func() {
				defer func() { assert.Equal(t, "dst exploded", recover(), "concurrency %d, panic on %d", conc, panicOn) }()
				for range 100 {
					_, _ = w.Write(p)
				}
				_ = w.Close()
			}()
			clear(p) // the caller owns p again
			calls := dst.calls
			_, werr := w.Write(p)
			assert.Error(t, werr, "concurrency %d, panic on %d: Write after the panic", conc, panicOn)
			assert.Error(t, w.Close(), "concurrency %d, panic on %d: Close after the panic", conc, panicOn)
			assert.Equal(t, calls, dst.calls, "concurrency %d, panic on %d: dst called after the panic", conc, panicOn)
		}
	}
}

// When dst fails, Write returns the count the serial path returns: the
// bytes of p up to the end of the frame whose write failed (io.Writer: the
// bytes written from p), not every byte of p the ring took in; 0 when the
// failed frame came from an earlier Write. Whatever the concurrency, cut
// into writes of 1 frame, 10 frames, a frame and a half, or all at once.
func TestAttack15EncryptStreamWriteCountOnDstError(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	const fl = 64
	pt := make([]byte, 100*fl+fl/3)
	for _, chunk := range []int{fl, 10 * fl, fl + fl/2, len(pt)} {
		for _, failOn := range []int{2, 3, 9, 30} {
			var want []int
			for _, conc := range []int{1, 2, 8} {
				k := kmstest.New()
				c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.FrameLength, o.Concurrency = fl, conc })
				dst := &callWriter{failOn: failOn}
				w, err := c.EncryptStream(context.Background(), dst, nil)
				require.NoError(t, err)
				var counts []int
				for p := pt; len(p) > 0; {
					n, err := w.Write(p[:min(chunk, len(p))])
					counts = append(counts, n)
					p = p[min(chunk, len(p)):]
					if err != nil {
						break
					}
				}
				if conc == 1 {
					want = counts
					continue
				}
				assert.Equal(t, want, counts, "chunk %d, dst fails on write %d, concurrency %d: Write's counts", chunk, failOn, conc)
			}
		}
	}
}

// Read returns the same sequence of (n, err) on the parallel path as on
// the serial one, whatever len(p) (0, 1, less than a frame, a frame, more),
// for a whole message and for one tampered in its 40th frame: never n > 0
// with an error, (0, nil) only for an empty p, the same error class.
func TestAttack15ReadCountsMatchSerial(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	const fl = 64
	type call struct {
		n   int
		err string
	}
	mk, msg, _ := attackClients(t, fl, 100, envelope.SuiteCommitKeyECDSAP384)
	bad := bytes.Clone(msg)
	bad[len(bad)-(100-40)*(fl+32)] ^= 1 // a byte in frame 40's ciphertext or tag
	for name, m := range map[string][]byte{"whole": msg, "tampered": bad} {
		for _, size := range []int{0, 1, fl - 1, fl, fl + 1, 10 * fl} {
			var want []call
			for _, conc := range []int{1, 2, 8} {
				d, err := mk(conc).DecryptStream(context.Background(), bytes.NewReader(m), nil)
				require.NoError(t, err)
				var calls []call
				p := make([]byte, size)
				for range 20000 {
					if size == 0 && len(calls) == 10 { // an empty p never moves the Reader on
						break
					}
					n, err := d.Read(p)
					if n > 0 && err != nil {
						t.Errorf("%s, len(p) %d, concurrency %d: Read = %d, %v", name, size, conc, n, err)
					}
					if n == 0 && err == nil && size > 0 {
						t.Errorf("%s, len(p) %d, concurrency %d: Read = 0, nil", name, size, conc)
					}
					e := ""
					if err != nil {
						e = err.Error()
					}
					calls = append(calls, call{n, e})
					if err != nil {
						break
					}
				}
				last := calls[len(calls)-1].err
				if size == 0 {
					assert.Equal(t, "", last)
				} else if name == "whole" {
					require.Equal(t, io.EOF.Error(), last)
				} else {
					require.Equal(t, envelope.ErrDecrypt.Error(), last)
				}
				if conc == 1 {
					want = calls
					continue
				}
				assert.Equal(t, want, calls, "%s, len(p) %d, concurrency %d", name, size, conc)
			}
		}
	}
}

var errRand = errors.New("rand broke")

// signRand is crypto/rand until the message ID (the one 32-byte read of
// Options.Rand, after the signing key) was drawn, then fails: at the
// signature.
type signRand struct{ drawnID bool }

func (s *signRand) Read(p []byte) (int, error) {
	if s.drawnID {
		return 0, errRand
	}
	s.drawnID = len(p) == 32
	return crand.Read(p)
}

// EncryptAppend's promise on error, on the signed suite's parallel path
// (hashing overlapped with the sealing) as on the serial one: when the
// signature fails (Options.Rand fails at the last draw), it returns nil and
// the error, dst's bytes are untouched, what it wrote past them in dst's
// capacity is cleared, and no goroutine is left.
func TestAttack15EncryptAppendSignFailure(t *testing.T) {
	envelope.LowerParallelThresholds(t)
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	pt := bytes.Repeat([]byte("s"), 64*100+10)
	for _, conc := range []int{1, 2, 8} {
		c := newClient(t, k, keyARN, func(o *envelope.Options) {
			o.FrameLength, o.Concurrency, o.Suite, o.Rand = 64, conc, envelope.SuiteCommitKeyECDSAP384, &signRand{}
		})
		before := runtime.NumGoroutine()
		dst := make([]byte, 3, 64<<10)
		copy(dst, "abc")
		out, err := c.EncryptAppend(context.Background(), dst, pt, nil)
		require.ErrorIs(t, err, errRand, "concurrency %d", conc)
		assert.Contains(t, err.Error(), "envelope: sign:", "concurrency %d: the signature failed, after the frames", conc)
		assert.Nil(t, out, "concurrency %d", conc)
		assert.Equal(t, "abc", string(dst), "concurrency %d", conc)
		assert.Equal(t, make([]byte, cap(dst)-3), dst[3:cap(dst)], "concurrency %d: dst's capacity cleared", conc)
		settleGoroutines(t, before)
	}
}

// Frames of 1 byte (the smallest frame length, the most frames per byte):
// every path writes Encrypt's bytes at Concurrency 1 and returns the
// plaintext, and one tampered frame fails every path with nothing after it
// released. Streams parallel from the first frame, in-memory paths below
// their thresholds.
func TestAttack15OneByteFramesEveryPath(t *testing.T) {
	envelope.LowerParallelThresholds(t)
	defer envelope.SetParallelStreamAfter(0)()
	ctx := context.Background()
	pt := bytes.Repeat([]byte("0123456789"), 300)
	opts := func(conc int) func(*envelope.Options) {
		return func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, 1, conc }
	}
	want, err := seededClient(t, 1, opts(1)).Encrypt(ctx, pt, nil)
	require.NoError(t, err)
	for _, conc := range []int{1, 2, 8, 300} {
		got, err := seededClient(t, 1, opts(conc)).Encrypt(ctx, pt, nil)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, got), "Encrypt at concurrency %d", conc)

		var buf bytes.Buffer
		w, err := seededClient(t, 1, opts(conc)).EncryptStream(ctx, &buf, nil)
		require.NoError(t, err)
		for p := pt; len(p) > 0; p = p[min(7, len(p)):] {
			_, err := w.Write(p[:min(7, len(p))])
			require.NoError(t, err)
		}
		require.NoError(t, w.Close())
		assert.True(t, bytes.Equal(want, buf.Bytes()), "EncryptStream at concurrency %d", conc)

		c := seededClient(t, 1, opts(conc))
		plain, err := c.Decrypt(ctx, want, nil)
		require.NoError(t, err)
		assert.Equal(t, pt, plain, "Decrypt at concurrency %d", conc)
		d, err := c.DecryptStream(ctx, bytes.NewReader(want), nil)
		require.NoError(t, err)
		var out bytes.Buffer
		_, err = io.Copy(&out, d)
		require.NoError(t, err)
		assert.Equal(t, pt, out.Bytes(), "DecryptStream at concurrency %d", conc)

		// Frame 2000's tag (each regular frame is 33 bytes; the final frame
		// of 0 bytes is 40 bytes, the last 16 its tag).
		bad := bytes.Clone(want)
		bad[len(bad)-40-(3000-2000+1)*33+32] ^= 1
		plain, err = c.Decrypt(ctx, bad, nil)
		assert.ErrorIs(t, err, envelope.ErrDecrypt, "Decrypt at concurrency %d", conc)
		assert.Nil(t, plain)
		d, err = c.DecryptStream(ctx, bytes.NewReader(bad), nil)
		require.NoError(t, err)
		out.Reset()
		_, err = io.Copy(&out, d)
		assert.ErrorIs(t, err, envelope.ErrDecrypt, "DecryptStream at concurrency %d", conc)
		assert.Equal(t, pt[:1999], out.Bytes(), "DecryptStream at concurrency %d: the frames before frame 2000", conc)
	}
}

// DecryptAppend and EncryptAppend with dst's capacity over the input (the
// in-place idiom of cipher.AEAD.Open and Seal, which the docs forbid here):
// a clear ErrInvalidInput on every path, not a panic. On the parallel paths
// the overlap made a worker goroutine's AES-GCM panic ("invalid buffer
// overlap"), which no caller can recover: the process crashed.
func TestAttack15AppendOverlappingInput(t *testing.T) {
	envelope.LowerParallelThresholds(t)
	ctx := context.Background()
	for _, suite := range suites {
		for _, conc := range []int{1, 2, 8} {
			mk, msg, pt := attackClients(t, 4096, 40, suite)
			c := mk(conc)
			for name, dst := range map[string]func(buf []byte) []byte{
				"dst at the input":     func(buf []byte) []byte { return buf[:0] },
				"dst inside the input": func(buf []byte) []byte { return buf[10:10] },
			} {
				buf := bytes.Clone(msg)
				var out []byte
				var err error
				require.NotPanics(t, func() { out, err = c.DecryptAppend(ctx, dst(buf), buf, nil) }, "%v, concurrency %d, %s", suite, conc, name)
				assert.ErrorIs(t, err, envelope.ErrInvalidInput, "%v, concurrency %d, %s: DecryptAppend", suite, conc, name)
				assert.Nil(t, out)
				assert.Equal(t, msg, buf, "%v, concurrency %d, %s: the message is untouched", suite, conc, name)

				plain := bytes.Clone(pt)
				require.NotPanics(t, func() { out, err = c.EncryptAppend(ctx, dst(plain), plain, nil) }, "%v, concurrency %d, %s", suite, conc, name)
				assert.ErrorIs(t, err, envelope.ErrInvalidInput, "%v, concurrency %d, %s: EncryptAppend", suite, conc, name)
				assert.Nil(t, out)
				assert.Equal(t, pt, plain, "%v, concurrency %d, %s: the plaintext is untouched", suite, conc, name)
			}
		}
	}
}

// A Reader over a source that delivers the message in pieces, whose writer
// waits for the reader to have the plaintext of what it sent before sending
// more (a request/response protocol over one connection, a live feed):
// Read returns each verified frame once it arrived, as the serial path
// does, instead of blocking to fill its read-ahead from a source that has
// nothing more yet. Regular frames of the unsigned suite only: they are
// released before the end of the message.
func TestAttack15ReadDoesNotWaitForReadAhead(t *testing.T) {
	t.Skip("defect, not fixed: on the parallel path Read fills its read-ahead from src before it returns a frame that verified, so it blocks on a src whose writer waits for the reader (concurrency 2 and 8 hang; 1 passes); documented in DecryptStream's doc (use Concurrency 1); see /work/notes/attack15/note.md")
	const fl = 4096
	mk, msg, pt := attackClients(t, fl, 100, envelope.SuiteCommitKey)
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	first := h.Size + 40*(fl+32) // the header and 40 frames (160 KiB: past the 128 KiB threshold)
	for _, conc := range []int{1, 2, 8} {
		t.Run(fmt.Sprint("concurrency-", conc), func(t *testing.T) { readInPieces(t, mk(conc), msg, pt, first, fl) })
	}
}

func readInPieces(t *testing.T, c *envelope.Client, msg, pt []byte, first, fl int) {
	{
		pr, pw := io.Pipe()
		got := make(chan struct{})
		go func() {
			_, _ = pw.Write(msg[:first])
			select {
			case <-got: // the reader has the 40 frames' plaintext
			case <-time.After(10 * time.Second):
			}
			_, _ = pw.Write(msg[first:])
			_ = pw.Close()
		}()
		var d *envelope.Reader
		var err error
		within(t, 5*time.Second, func() {
			d, err = c.DecryptStream(context.Background(), pr, nil)
			require.NoError(t, err)
			buf := make([]byte, 40*fl)
			_, err = io.ReadFull(d, buf)
			require.NoError(t, err)
			assert.Equal(t, pt[:40*fl], buf)
		})
		close(got)
		rest, err := io.ReadAll(d)
		require.NoError(t, err)
		assert.Equal(t, pt[40*fl:], rest)
	}
}

// House style, rule 18: concurrency inside a call (parallel frames) is
// cancelled with the call's context. A context cancelled once the data key
// is in hand (the KMS call succeeded) stops Encrypt and Decrypt before the
// end of a large body, on every path, with the context's error (not
// ErrDecrypt: the message is not at fault), nothing returned and no
// goroutine left.
func TestAttack15CancelStopsTheBody(t *testing.T) {
	envelope.LowerParallelThresholds(t)
	for _, suite := range suites {
		k := kmstest.New()
		keyARN := k.MustCreateKey()
		pt := bytes.Repeat([]byte("c"), 64*1000+5)
		msg, err := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, 64 }).Encrypt(context.Background(), pt, nil)
		require.NoError(t, err)
		for _, conc := range []int{1, 2, 8} {
			c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = suite, 64, conc })
			before := runtime.NumGoroutine()
			cancelled := func() context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				k.Fault = func(context.Context, string) error { cancel(); return nil }
				return ctx
			}
			out, err := c.Encrypt(cancelled(), pt, nil)
			assert.ErrorIs(t, err, context.Canceled, "%v, concurrency %d: Encrypt", suite, conc)
			assert.Nil(t, out)
			out, err = c.Decrypt(cancelled(), msg, nil)
			assert.ErrorIs(t, err, context.Canceled, "%v, concurrency %d: Decrypt", suite, conc)
			assert.NotErrorIs(t, err, envelope.ErrDecrypt, "%v, concurrency %d: Decrypt", suite, conc)
			assert.Nil(t, out)
			k.Fault = nil
			settleGoroutines(t, before)
		}
	}
}

// Options.Concurrency: "values above 256 count as 256 (no call or stream
// starts more goroutines)". Counted, not computed: a sampler records the
// most goroutines seen while Encrypt, Decrypt and both streams handle 2,000
// frames at Concurrency 2^20 (a goroutine per frame would show thousands).
// A sampler misses short peaks: this guards against a regression, it does
// not prove the exact bound (TestWorkersBoundedLikeStreams and
// TestStreamWorkers check the computation).
func TestAttack15HugeConcurrencyGoroutines(t *testing.T) {
	envelope.LowerParallelThresholds(t)
	defer envelope.SetParallelStreamAfter(0)()
	ctx := context.Background()
	c, msg, pt := attackMessage(t, 1<<20, 64, 2000, envelope.SuiteCommitKey)
	calls := map[string]func(){
		"Encrypt": func() {
			_, err := c.Encrypt(ctx, pt, nil)
			require.NoError(t, err)
		},
		"Decrypt": func() {
			_, err := c.Decrypt(ctx, msg, nil)
			require.NoError(t, err)
		},
		"EncryptStream": func() {
			w, err := c.EncryptStream(ctx, io.Discard, nil)
			require.NoError(t, err)
			_, err = w.Write(pt)
			require.NoError(t, err)
			require.NoError(t, w.Close())
		},
		"DecryptStream": func() {
			d, err := c.DecryptStream(ctx, bytes.NewReader(msg), nil)
			require.NoError(t, err)
			_, err = io.Copy(io.Discard, d)
			require.NoError(t, err)
		},
	}
	for name, call := range calls {
		before := runtime.NumGoroutine()
		most := before
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for {
				select {
				case <-stop:
					return
				default:
					most = max(most, runtime.NumGoroutine())
					runtime.Gosched()
				}
			}
		}()
		call()
		close(stop)
		<-sampled
		// A stream's worker that found the queue empty has given up its
		// place (a new one may start) a moment before it ends, so up to 256
		// work while a few more are exiting: the bound allows 256 of those,
		// far below a goroutine per frame (2,000).
		assert.LessOrEqual(t, most, before+1+2*256, "%s: goroutines at most (%d before, the sampler, 256 workers, 256 exiting)", name, before)
		t.Logf("%s: most goroutines seen %d (%d before)", name, most, before)
		settleGoroutines(t, before)
	}
}
