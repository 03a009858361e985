package envelope_test

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// goroutinesCreated reads the runtime's count of goroutines created since
// the program started (runtime/metrics, Go 1.26 or newer); ok is false on
// older runtimes.
func goroutinesCreated() (n uint64, ok bool) {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return s[0].Value.Uint64(), true
}

// started returns how many goroutines f starts: the fewest over three
// calls, since a goroutine of the runtime or one left by an earlier test
// can only add to the count. The caller must not run in parallel with
// other tests.
func started(t *testing.T, f func()) int {
	t.Helper()
	if _, ok := goroutinesCreated(); !ok {
		t.Skip("runtime/metrics has no /sched/goroutines-created:goroutines (Go 1.26 or newer)")
	}
	runtime.GC() // the GC's workers exist before counting
	fewest := math.MaxInt
	for range 3 {
		before, _ := goroutinesCreated()
		f()
		after, _ := goroutinesCreated()
		fewest = min(fewest, int(after-before))
	}
	return fewest
}

// The in-memory calls start exactly the goroutines their docs name
// (EncryptAppend, Decrypt): none below 512 KiB of plaintext (Encrypt) or
// body (Decrypt), for fewer than two full frames, or at Concurrency 1; at
// or above them, Concurrency-1 others (at least one for the signed suite's
// Encrypt, whose calling goroutine only hashes). Each count is exact: one
// goroutine more than the doc's bound, or a threshold moved by one byte or
// one frame, fails here although the bytes would be the same.
func TestInMemoryGoroutineCounts(t *testing.T) {
	if _, ok := goroutinesCreated(); !ok {
		t.Skip("runtime/metrics has no /sched/goroutines-created:goroutines before Go 1.26")
	}
	forced := os.Getenv("AWSKIT_PARMEM_FORCE") != "" // thresholds lowered to 0: the size cases do not apply
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	client := func(suite envelope.Suite, fl, concurrency int) *envelope.Client {
		c, err := envelope.New(k, keyARN, func(o *envelope.Options) {
			o.Suite, o.FrameLength, o.Concurrency = suite, fl, concurrency
		})
		require.NoError(t, err)
		return c
	}
	count := func(c *envelope.Client, size int) (enc, dec int) {
		pt := bytes.Repeat([]byte{7}, size)
		var msg []byte
		enc = started(t, func() {
			var err error
			msg, err = c.Encrypt(ctx, pt, nil)
			require.NoError(t, err)
		})
		dec = started(t, func() {
			got, err := c.Decrypt(ctx, msg, nil)
			require.NoError(t, err)
			require.True(t, bytes.Equal(pt, got))
		})
		return enc, dec
	}
	for _, suite := range []envelope.Suite{envelope.SuiteCommitKey, envelope.SuiteCommitKeyECDSAP384} {
		signed := suite == envelope.SuiteCommitKeyECDSAP384
		for _, tc := range []struct {
			name          string
			fl, size      int
			concurrency   int
			wantEnc, want int // Encrypt's (unsigned suite), Decrypt's
			sized         bool
		}{
			// 1 MiB in 256 frames of 4 KiB.
			{"1 MiB, Concurrency 1", 4096, 1 << 20, 1, 0, 0, false},
			{"1 MiB, Concurrency 2", 4096, 1 << 20, 2, 1, 1, false},
			{"1 MiB, Concurrency 4", 4096, 1 << 20, 4, 3, 3, false},
			// Exactly the threshold (128 full frames), and one byte less.
			{"512 KiB", 4096, 512 << 10, 2, 1, 1, true},
			{"512 KiB - 1", 4096, 512<<10 - 1, 2, 0, 1, true},
			// Two full frames (of 256 KiB) and no more: parallel.
			{"two full frames", 256 << 10, 512 << 10, 2, 1, 1, false},
		} {
			if tc.sized && forced {
				continue
			}
			t.Run(suite.String()+"/"+tc.name, func(t *testing.T) {
				wantEnc := tc.wantEnc
				if signed && tc.wantEnc > 0 {
					wantEnc = max(1, tc.concurrency-1)
				}
				enc, dec := count(client(suite, tc.fl, tc.concurrency), tc.size)
				assert.Equal(t, wantEnc, enc, "goroutines started by Encrypt")
				assert.Equal(t, tc.want, dec, "goroutines started by Decrypt")
			})
		}
	}
	if forced {
		return
	}
	// Decrypt's threshold is on the body: 496 frames of 1 KiB and a final
	// frame of 472 bytes make a body of exactly 512 KiB (unsigned suite).
	for _, tc := range []struct {
		rest, want int
	}{{472, 1}, {471, 0}} {
		c := client(envelope.SuiteCommitKey, 1024, 2)
		pt := bytes.Repeat([]byte{9}, 496*1024+tc.rest)
		msg, err := c.Encrypt(ctx, pt, nil)
		require.NoError(t, err)
		h, err := envelope.ParseHeader(msg)
		require.NoError(t, err)
		require.Equal(t, 512<<10-472+tc.rest, len(msg)-h.Size, "body size")
		got := started(t, func() {
			out, err := c.Decrypt(ctx, msg, nil)
			require.NoError(t, err)
			require.True(t, bytes.Equal(pt, out))
		})
		assert.Equal(t, tc.want, got, "goroutines started by Decrypt of a body of %d bytes", len(msg)-h.Size)
	}
}

// A parallel stream runs at most Options.Concurrency goroutines at a time,
// and starts them again once they have exited: with one P, the goroutines a
// Write or Read starts cannot run (nor exit) before it returns, so the
// goroutines it started are all alive at once, and their count is exact.
func TestStreamGoroutinesAtMostConcurrency(t *testing.T) {
	if _, ok := goroutinesCreated(); !ok {
		t.Skip("runtime/metrics has no /sched/goroutines-created:goroutines before Go 1.26")
	}
	if _, ok := goroutinesCreated(); !ok {
		t.Skip("runtime/metrics has no /sched/goroutines-created:goroutines (Go 1.26 or newer)")
	}
	defer envelope.SetParallelStreamAfter(0)()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	const fl = 4096
	pt := bytes.Repeat([]byte{3}, 64*fl)
	for _, concurrency := range []int{1, 2, 3} {
		c, err := envelope.New(k, keyARN, func(o *envelope.Options) {
			o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, concurrency
		})
		require.NoError(t, err)
		var msg bytes.Buffer
		w, err := c.EncryptStream(ctx, &msg, nil)
		require.NoError(t, err)
		want := 0
		if concurrency > 1 {
			want = concurrency
		}
		// Each Write hands over 8 frames: every worker is started (8 >
		// Concurrency), none can run before Write returns.
		for i := range 8 {
			runtime.GC()
			before, _ := goroutinesCreated()
			_, err := w.Write(pt[i*8*fl : (i+1)*8*fl])
			require.NoError(t, err)
			after, _ := goroutinesCreated()
			assert.Equal(t, want, int(after-before), "Concurrency %d: goroutines started by Write %d", concurrency, i)
			settle() // the workers run, find no job and exit
		}
		require.NoError(t, w.Close())

		r, err := c.DecryptStream(ctx, bytes.NewReader(msg.Bytes()), nil)
		require.NoError(t, err)
		var got bytes.Buffer
		p := make([]byte, 8*fl)
		for i := 0; ; i++ {
			runtime.GC()
			before, _ := goroutinesCreated()
			n, err := r.Read(p)
			after, _ := goroutinesCreated()
			got.Write(p[:n])
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			assert.LessOrEqual(t, int(after-before), want, "Concurrency %d: goroutines started by Read %d", concurrency, i)
			if i == 0 {
				assert.Equal(t, want, int(after-before), "Concurrency %d: goroutines started by the first Read", concurrency)
			}
			settle()
		}
		assert.True(t, bytes.Equal(pt, got.Bytes()), "Concurrency %d: round trip", concurrency)
	}
}

// settle lets every runnable goroutine run (one P): the workers of a
// stream find no job and exit.
func settle() {
	for range 100 {
		runtime.Gosched()
	}
}

// A stream handles its first 128 KiB of plaintext in the calling goroutine
// and goes parallel at the next frame (EncryptStream, DecryptStream: "for
// the first 128 KiB ... After that"), whether the Reader's caller reads
// whole frames (decrypted into p), less (released from the Reader's
// buffer) or uses WriteTo. One P: the goroutines a call starts cannot run
// before it returns, so each call's count is exact.
func TestStreamGoesParallelAfter128KiB(t *testing.T) {
	if _, ok := goroutinesCreated(); !ok {
		t.Skip("runtime/metrics has no /sched/goroutines-created:goroutines before Go 1.26")
	}
	if _, ok := goroutinesCreated(); !ok {
		t.Skip("runtime/metrics has no /sched/goroutines-created:goroutines (Go 1.26 or newer)")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	k := kmstest.New()
	c, err := envelope.New(k, k.MustCreateKey(), func(o *envelope.Options) {
		o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, 4096, 2
	})
	require.NoError(t, err)
	ctx := context.Background()
	const frames = 40 // 32 frames of 4 KiB are 128 KiB
	pt := bytes.Repeat([]byte{5}, frames*4096)
	var msg bytes.Buffer
	w, err := c.EncryptStream(ctx, &msg, nil)
	require.NoError(t, err)
	for i := range frames {
		runtime.GC()
		before, _ := goroutinesCreated()
		_, err := w.Write(pt[i*4096 : (i+1)*4096])
		require.NoError(t, err)
		after, _ := goroutinesCreated()
		if i < 32 {
			assert.Equal(t, 0, int(after-before), "Write of frame %d, within the first 128 KiB", i+1)
		} else if i == 32 {
			assert.Equal(t, 1, int(after-before), "Write of frame %d, the first after 128 KiB", i+1)
		}
		settle()
	}
	require.NoError(t, w.Close())

	for _, size := range []int{4096, 1000} {
		r, err := c.DecryptStream(ctx, bytes.NewReader(msg.Bytes()), nil)
		require.NoError(t, err)
		var got bytes.Buffer
		p := make([]byte, size)
		first := -1 // the byte offset of the first Read that started goroutines
		for {
			runtime.GC()
			before, _ := goroutinesCreated()
			n, err := r.Read(p)
			after, _ := goroutinesCreated()
			if after > before && first < 0 {
				first = got.Len()
			}
			got.Write(p[:n])
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			settle()
		}
		assert.True(t, bytes.Equal(pt, got.Bytes()), "Read(%d bytes): round trip", size)
		assert.Equal(t, 128<<10, first, "Read(%d bytes): the first Read that started goroutines began at this plaintext offset", size)
	}

	r, err := c.DecryptStream(ctx, bytes.NewReader(msg.Bytes()), nil)
	require.NoError(t, err)
	var got bytes.Buffer
	before, _ := goroutinesCreated()
	_, err = io.Copy(&got, r)
	after, _ := goroutinesCreated()
	require.NoError(t, err)
	assert.True(t, bytes.Equal(pt, got.Bytes()), "WriteTo: round trip")
	assert.Positive(t, int(after-before), "WriteTo went parallel after 128 KiB")
}

// One Write of more whole frames than the ring holds (the ring fills, and
// frames are written to dst during the Write), then Writes that leave
// partial frames, each p overwritten as soon as Write returns: Write takes
// all of p (n = len(p), no error), keeps none of it, and the message
// decrypts to what was written.
func TestParallelWriteLongerThanTheRing(t *testing.T) {
	defer envelope.SetParallelStreamAfter(0)()
	k := kmstest.New()
	ctx := context.Background()
	const fl = 4096
	for _, concurrency := range []int{2, 3} {
		c, err := envelope.New(k, k.MustCreateKey(), func(o *envelope.Options) {
			o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, concurrency
		})
		require.NoError(t, err)
		var want []byte
		var msg bytes.Buffer
		w, err := c.EncryptStream(ctx, &msg, nil)
		require.NoError(t, err)
		for i, size := range []int{300*fl + 100, 3*fl + 7, fl - 107, 200 * fl, 5} {
			p := bytes.Repeat([]byte{byte(i + 1)}, size)
			for j := range p {
				p[j] += byte(j / fl)
			}
			want = append(want, p...)
			n, err := w.Write(p)
			require.NoError(t, err)
			require.Equal(t, size, n, "Concurrency %d: Write %d", concurrency, i)
			clear(p)
		}
		require.NoError(t, w.Close())
		got, err := c.Decrypt(ctx, msg.Bytes(), nil)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, got), "Concurrency %d: round trip", concurrency)
	}
}
