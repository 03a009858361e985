package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// settleGoroutines waits until no more goroutines run than before (streams'
// workers exit once their jobs are done) and fails if they do not.
func settleGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines left over (%d before):\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// callWriter fails on its failOn-th Write (1-based) and every later one,
// and counts them.
type callWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	calls  int
	failOn int
}

var errDst = errors.New("dst broke")

func (w *callWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	if w.failOn > 0 && w.calls >= w.failOn {
		return 0, errDst
	}
	return w.buf.Write(p)
}

// Many parallel streams at once, at Concurrency 2 and 8, with failing
// frames: ciphertext tampered at various frames, sources cut short or
// failing, destinations failing. The plaintext released is exactly the
// whole frames before the failing one (never a byte beyond), the errors are
// the serial path's, and no goroutine is left over. Run under -race.
func TestParallelStreamsFail(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	before := runtime.NumGoroutine()
	ctx := context.Background()
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	const fl, frames = 64, 40
	pt := make([]byte, frames*fl+fl/2) // 40 regular frames and a final one of 32 bytes
	for i := range pt {
		pt[i] = byte(i*7 + i>>8)
	}
	errSrc := errors.New("source broke")
	for _, suite := range suites {
		for _, concurrency := range []int{2, 8} {
			c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = suite, fl, concurrency })
			msg, err := c.Encrypt(ctx, pt, nil)
			require.NoError(t, err)
			h, err := envelope.ParseHeader(msg)
			require.NoError(t, err)
			const frameSize = 4 + 12 + fl + 16
			bodyEnd := h.Size + frames*frameSize // where the final frame starts
			// released is the plaintext a failure at byte i of msg lets out:
			// the regular frames before the one holding i.
			released := func(i int) int {
				if i >= bodyEnd {
					return frames * fl
				}
				return (i - h.Size) / frameSize * fl
			}
			var wg sync.WaitGroup
			check := func(name string, src func() io.Reader, want int, wantErr error, notErr error) {
				for _, useWriteTo := range []bool{false, true} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						label := fmt.Sprintf("%v concurrency %d %s writeTo=%v", suite, concurrency, name, useWriteTo)
						r, err := c.DecryptStream(ctx, src(), nil)
						if !assert.NoError(t, err, label) {
							return
						}
						var got []byte
						if useWriteTo {
							var out bytes.Buffer
							_, err = r.WriteTo(&out)
							got = out.Bytes()
						} else {
							got, err = io.ReadAll(r)
						}
						assert.ErrorIs(t, err, wantErr, label)
						if notErr != nil {
							assert.False(t, errors.Is(err, notErr), "%s: %v", label, err)
						}
						assert.Equal(t, want, len(got), label)
						assert.True(t, bytes.Equal(pt[:min(len(got), len(pt))], got), "%s: released bytes are not the plaintext's prefix", label)
						_, err2 := r.Read(make([]byte, 10))
						assert.ErrorIs(t, err2, wantErr, "%s: the error sticks", label)
					}()
				}
			}
			for _, i := range []int{h.Size, h.Size + 3, h.Size + 20, h.Size + frameSize + 40, h.Size + 7*frameSize + 90, h.Size + 17*frameSize, bodyEnd - 1, bodyEnd + 2, bodyEnd + 30, len(msg) - 1} {
				bad := bytes.Clone(msg)
				bad[i] ^= 0x10
				check(fmt.Sprintf("tampered at %d", i), func() io.Reader { return bytes.NewReader(bad) }, released(i), envelope.ErrDecrypt, nil)
				cut := msg[:i]
				check(fmt.Sprintf("cut at %d", i), func() io.Reader { return bytes.NewReader(cut) }, released(i), envelope.ErrDecrypt, nil)
				check(fmt.Sprintf("source fails at %d", i), func() io.Reader { return &failAfter{r: bytes.NewReader(cut), err: errSrc} }, released(i), errSrc, envelope.ErrDecrypt)
			}
			// A destination failing at its n-th write: that Write (or the
			// next) returns the error, no later frame is written, and the
			// error sticks.
			for _, failOn := range []int{2, 3, 9, 30} {
				for _, chunk := range []int{1, fl + 1, 10 * fl, len(pt)} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						label := fmt.Sprintf("%v concurrency %d, dst fails on write %d, chunks of %d", suite, concurrency, failOn, chunk)
						dst := &callWriter{failOn: failOn}
						w, err := c.EncryptStream(ctx, dst, nil)
						if !assert.NoError(t, err, label) {
							return
						}
						var werr error
						for rest := pt; len(rest) > 0 && werr == nil; rest = rest[min(chunk, len(rest)):] {
							_, werr = w.Write(rest[:min(chunk, len(rest))])
						}
						if werr == nil {
							werr = w.Close()
						}
						assert.ErrorIs(t, werr, errDst, label)
						calls := dst.calls
						assert.Equal(t, failOn, calls, "%s: a frame was written after the failed one", label)
						_, err = w.Write(pt[:fl])
						assert.ErrorIs(t, err, errDst, label)
						assert.ErrorIs(t, w.Close(), errDst, label)
						assert.Equal(t, calls, dst.calls, "%s: written to after the error", label)
						// What was written is the message's beginning: the header and whole frames.
						assert.Equal(t, h.Size+(failOn-2)*frameSize, dst.buf.Len(), label)
					}()
				}
			}
			wg.Wait()
		}
	}
	settleGoroutines(t, before)
}

// Streams abandoned half-way (a Writer never closed, a Reader never read to
// the end) leave no goroutine behind: their workers exit once the frames
// in flight are done.
func TestAbandonedParallelStreamsLeaveNoGoroutine(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	before := runtime.NumGoroutine()
	ctx := context.Background()
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	pt := make([]byte, 100<<10)
	for _, concurrency := range []int{2, 8} {
		c := newClient(t, k, keyARN, func(o *envelope.Options) {
			o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, 1000, concurrency
		})
		msg, err := c.Encrypt(ctx, pt, nil)
		require.NoError(t, err)
		for range 20 {
			w, err := c.EncryptStream(ctx, io.Discard, nil)
			require.NoError(t, err)
			_, err = w.Write(pt[:50_500]) // copied frames left in flight, a partial one
			require.NoError(t, err)
			for _, n := range []int{1, 999, 1000, 5000} {
				_, err = w.Write(pt[:n])
				require.NoError(t, err)
			}
			r, err := c.DecryptStream(ctx, bytes.NewReader(msg), nil)
			require.NoError(t, err)
			_, err = io.ReadFull(r, make([]byte, 2500)) // frames read ahead and in flight
			require.NoError(t, err)
		}
	}
	settleGoroutines(t, before)
}
