package envelope_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
	"github.com/awskit/awskit/internal/legacymsg"
)

// Every test of the package (in -short mode) passes again with every
// Encrypt and Decrypt of two full frames or more on the parallel paths,
// whatever its size, and GOMAXPROCS 4 (so the default concurrency is 4):
// this runs a copy of the test binary with AWSKIT_PARMEM_FORCE=1, which
// lowers the thresholds (parmem_export_test.go). The tampering, truncation
// and error class tests (TestTampering, TestDecryptEveryTruncation,
// TestErrDecryptMatchesEveryMessageFailure, ...) thus run at the default
// concurrency on the parallel path, and at Concurrency 1 (and for small
// messages) in this run.
func TestEveryTestOnParallelPaths(t *testing.T) {
	if os.Getenv("AWSKIT_PARMEM_FORCE") != "" {
		t.Skip("this is the copy")
	}
	// The parallel tests of this file and parallel_test.go choose their
	// concurrency themselves: not again.
	args := []string{"-test.short", "-test.count=1", "-test.run=^Test|^Example|^Fuzz", "-test.skip=^(TestParallel|TestConcurrencySameBytes)"}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "AWSKIT_PARMEM_FORCE=1", "GOMAXPROCS=4")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the tests on the parallel paths failed: %v\n%s", err, out)
	}
	if testing.Verbose() {
		t.Logf("%s", out)
	}
}

// settled waits (up to 5 s) until the number of goroutines is back to n or
// below and reports whether it is: a goroutine ends a moment after its
// deferred WaitGroup.Done.
func settled(n int) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if runtime.NumGoroutine() <= n {
			return true
		}
	}
	return runtime.NumGoroutine() <= n
}

// tamperings returns named broken copies of msg, a message of frame length
// fl: single flipped bits in every frame header, tags, ciphertext and the
// footer, truncations at and around every frame boundary, trailing bytes,
// frames swapped, dropped and duplicated, final frame lengths over the
// frame length (2^31 and 2^32-1 included) and a lying signature length.
func tamperings(t *testing.T, msg []byte, fl int) map[string][]byte {
	t.Helper()
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	header, frames, rest := splitFrames(t, msg, fl)
	require.GreaterOrEqual(t, len(frames), 4)
	cases := map[string][]byte{}
	flip := func(at int, bit byte) {
		bad := bytes.Clone(msg)
		bad[at] ^= bit
		cases[fmt.Sprintf("bit %x flipped at %d", bit, at)] = bad
	}
	size := 4 + 12 + fl + 16
	for i := range frames {
		start := h.Size + i*size
		if i < 2 || i == len(frames)/2 || i == len(frames)-1 || i%32 == 0 && !testing.Short() && !raceEnabled {
			for j := range 16 {
				flip(start+j, 0x01)
				flip(start+j, 0x80)
			}
			for _, d := range []int{-1, 0, 1, 15, 16, 17} {
				cases[fmt.Sprintf("cut at frame %d%+d", i, d)] = msg[:start+d]
			}
		}
		if i%4 == 0 || i < 8 {
			flip(start+16+fl/2, 0x04) // ciphertext
			flip(start+size-1, 0x02)  // tag
			cases[fmt.Sprintf("cut in frame %d", i)] = msg[:start+size/2]
		}
	}
	finalAt := len(msg) - len(rest)
	for j := range len(rest) {
		if j < 4+4+12+4 || j%97 == 0 || j >= len(rest)-120 {
			flip(finalAt+j, 0x01)
		}
	}
	for cut := finalAt; cut < len(msg); cut++ {
		if cut < finalAt+40 || cut%97 == 0 || cut >= len(msg)-120 {
			cases[fmt.Sprintf("cut at %d", cut)] = msg[:cut]
		}
	}
	cases["trailing byte"] = append(bytes.Clone(msg), 0)
	cases["trailing frame"] = append(bytes.Clone(msg), frames[0]...)
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	others := join(frames[2:]...)
	cases["frames swapped"] = join(header, frames[1], frames[0], others, rest)
	cases["frame dropped"] = join(header, frames[1], others, rest)
	cases["frame duplicated"] = join(header, frames[0], frames[0], frames[1], others, rest)
	cases["final frame dropped"] = join(header, join(frames...))
	for _, length := range []uint32{uint32(fl) + 1, 1 << 31, 1<<32 - 1} {
		bad := bytes.Clone(msg)
		binary.BigEndian.PutUint32(bad[finalAt+4+4+12:], length)
		cases[fmt.Sprintf("final frame length %d", length)] = bad
	}
	if h.Suite.Signed() {
		// The footer: after the final frame (frame length fl divides none
		// of the plaintexts used here, so the final frame is not empty).
		end := finalAt + 4 + 4 + 12 + 4 + int(binary.BigEndian.Uint32(msg[finalAt+4+4+12:])) + 16
		for _, d := range []int{-1, 1, 1000} {
			bad := bytes.Clone(msg)
			binary.BigEndian.PutUint16(bad[end:], uint16(len(msg)-end-2+d))
			cases[fmt.Sprintf("signature length %+d", d)] = bad
		}
	}
	return cases
}

// Decrypt and DecryptAppend fail on the parallel path exactly as on the
// serial one: the same error (message and class), nil, dst's bytes intact
// and no plaintext in its spare capacity, for every tampering of a message
// over the threshold, both suites, at every concurrency.
func TestParallelDecryptErrorsMatchSerial(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	fl, size := 4096, 600<<10 // 149 full frames and a final one
	if testing.Short() || raceEnabled {
		envelope.LowerParallelThresholds(t)
		fl, size = 1024, 40<<10 // 39 full frames and a final one
	}
	pt := bytes.Repeat([]byte("secret plaintext "), size/17)
	for _, suite := range suites {
		clients := map[int]*envelope.Client{}
		ccs := []int{1, 2, 3, 0}
		for _, cc := range ccs {
			clients[cc] = newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = suite, fl, cc })
		}
		msg, err := clients[0].Encrypt(ctx, pt, nil)
		require.NoError(t, err)
		n := 0
		for name, bad := range tamperings(t, msg, fl) {
			var want error
			for _, cc := range ccs {
				c := clients[cc]
				dst := append(make([]byte, 0, len(bad)+64), "kept"...)
				out, err := c.DecryptAppend(ctx, dst, bad, nil)
				require.Error(t, err, "%v %s, concurrency %d", suite, name, cc)
				assert.Nil(t, out)
				assert.Equal(t, "kept", string(dst))
				require.False(t, bytes.Contains(dst[:cap(dst)], []byte("plaintext")), "%v %s, concurrency %d: plaintext in dst's spare capacity", suite, name, cc)
				whole, err2 := c.Decrypt(ctx, bad, nil)
				assert.Nil(t, whole)
				require.Equal(t, err.Error(), err2.Error())
				if want == nil {
					want = err
					require.True(t, errors.Is(err, envelope.ErrDecrypt), "%v %s: %v", suite, name, err)
					continue
				}
				require.Equal(t, want.Error(), err.Error(), "%v %s, concurrency %d", suite, name, cc)
				for _, class := range []error{envelope.ErrDecrypt, envelope.ErrMalformed, envelope.ErrNoKey} {
					require.Equal(t, errors.Is(want, class), errors.Is(err, class), "%v %s, concurrency %d: %v", suite, name, cc, class)
				}
			}
			n++
		}
		t.Logf("%v: %d tamperings", suite, n)
	}
}

// Many Decrypts at once (default concurrency and 4 goroutines each) of
// messages with one bad frame at various positions: every call fails with
// ErrDecrypt, returns nil, leaves no plaintext in dst's spare capacity (a
// reused dst full of old plaintext included), the good messages decrypt
// meanwhile, and no goroutine outlives the calls. Run with -race.
func TestParallelDecryptRace(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	fl, size := 1024, 600<<10
	if testing.Short() || raceEnabled {
		envelope.LowerParallelThresholds(t)
		fl, size = 256, 30<<10
	}
	pt := bytes.Repeat([]byte("secret plaintext "), size/17)
	before := runtime.NumGoroutine()
	for _, suite := range suites {
		for _, cc := range []int{0, 4} {
			c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = suite, fl, cc })
			msg, err := c.Encrypt(ctx, pt, nil)
			require.NoError(t, err)
			h, err := envelope.ParseHeader(msg)
			require.NoError(t, err)
			frames := len(pt) / fl
			var wg sync.WaitGroup
			for g := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					reused := make([]byte, 0, len(msg))
					for i := range 6 {
						frame := (g*6 + i) * 29 % (frames + 1) // the final frame too
						bad := bytes.Clone(msg)
						bad[h.Size+frame*(fl+32)+20] ^= 1 // ciphertext (or the final frame's IV)
						// reused holds the plaintext of a good Decrypt.
						good, err := c.DecryptAppend(ctx, reused[:0], msg, nil)
						if !assert.NoError(t, err) || !assert.True(t, bytes.Equal(pt, good)) {
							return
						}
						out, err := c.DecryptAppend(ctx, good[:0], bad, nil)
						assert.ErrorIs(t, err, envelope.ErrDecrypt, "%v frame %d", suite, frame)
						assert.Nil(t, out)
						assert.False(t, bytes.Contains(good[:cap(good)], []byte("plaintext")), "%v frame %d: plaintext left in dst", suite, frame)
					}
				}()
			}
			wg.Wait()
		}
	}
	assert.True(t, settled(before), "goroutines: %d before, %d after", before, runtime.NumGoroutine())
}

// Encrypt, EncryptAppend, Decrypt, DecryptAppend and DecryptWithHeader have
// ended every goroutine they started when they return, on success and on
// failure.
func TestParallelNoGoroutineLeft(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	pt := make([]byte, 1<<20)
	if testing.Short() {
		envelope.LowerParallelThresholds(t)
		pt = pt[:64<<10]
	}
	before := runtime.NumGoroutine()
	for _, suite := range suites {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.Concurrency = suite, 8 })
		for range 5 {
			msg, err := c.Encrypt(ctx, pt, nil)
			require.NoError(t, err)
			require.True(t, settled(before), "after Encrypt: goroutines %d before, %d after", before, runtime.NumGoroutine())
			buf, err := c.EncryptAppend(ctx, make([]byte, 0, len(msg)), pt, nil)
			require.NoError(t, err)
			require.True(t, settled(before), "after EncryptAppend")
			_, err = c.Decrypt(ctx, buf, nil)
			require.NoError(t, err)
			require.True(t, settled(before), "after Decrypt")
			_, _, err = c.DecryptWithHeader(ctx, msg, nil)
			require.NoError(t, err)
			require.True(t, settled(before), "after DecryptWithHeader")
			msg[len(msg)/2] ^= 1
			_, err = c.DecryptAppend(ctx, nil, msg, nil)
			require.ErrorIs(t, err, envelope.ErrDecrypt)
			require.True(t, settled(before), "after a failing DecryptAppend")
		}
	}
	assert.True(t, settled(before), "goroutines: %d before, %d after", before, runtime.NumGoroutine())
}

// Decrypt allocates a fixed number of times whatever the number of frames,
// at Concurrency 1, 2 and 4 (the goroutines it starts included), and so
// does EncryptAppend into a buffer with room. (testing.AllocsPerRun sets
// GOMAXPROCS to 1, so the default concurrency would be 1 here.)
func TestParallelAllocsFixed(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	envelope.LowerParallelThresholds(t) // 64 frames (256 KiB) take the parallel path too
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	for _, suite := range suites {
		for _, cc := range []int{1, 2, 4} {
			c := newClient(t, k, keyARN, func(o *envelope.Options) {
				o.Suite, o.FrameLength, o.Concurrency = suite, 4096, cc
				o.Cache = newCache(t, time.Hour)
			})
			allocs, encAllocs := map[int]float64{}, map[int]float64{}
			for _, frames := range []int{1, 64, 256} {
				pt := make([]byte, frames*4096-100)
				msg, err := c.Encrypt(ctx, pt, nil)
				require.NoError(t, err)
				dst := make([]byte, 0, len(msg))
				allocs[frames] = testing.AllocsPerRun(5, func() {
					if _, err := c.DecryptAppend(ctx, dst, msg, nil); err != nil {
						t.Fatal(err)
					}
				})
				encAllocs[frames] = testing.AllocsPerRun(5, func() {
					if _, err := c.EncryptAppend(ctx, dst, pt, nil); err != nil {
						t.Fatal(err)
					}
				})
				t.Logf("%v concurrency %d, %d frames: DecryptAppend %.0f allocations, EncryptAppend %.0f", suite, cc, frames, allocs[frames], encAllocs[frames])
			}
			// 64 and 256 frames take the same path (parallel unless
			// Concurrency 1): the same count, give or take one (ECDSA's
			// randomness); 1 frame takes the serial one.
			assert.InDelta(t, allocs[64], allocs[256], 1, "%v concurrency %d: Decrypt", suite, cc)
			assert.LessOrEqual(t, allocs[256], allocs[1]+4*float64(cc), "%v concurrency %d: the goroutines cost more than 4 allocations each (3 on Go 1.26, 4 on Go 1.24)", suite, cc)
			// ECDSA signing's retries vary by up to 3 allocations (Go 1.24); a
			// per-frame allocation would add 192.
			assert.InDelta(t, encAllocs[64], encAllocs[256], 4, "%v concurrency %d: EncryptAppend", suite, cc)
			assert.LessOrEqual(t, encAllocs[256], encAllocs[1]+2+4*float64(cc), "%v concurrency %d: EncryptAppend's goroutines", suite, cc)
		}
	}
}

// A message over the threshold with frame length 1 (29 bytes a frame, the
// most frames a body can hold) decrypts at every concurrency, and one with
// its last regular frame's sequence number changed fails the same way.
func TestParallelOneByteFrames(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	pt := make([]byte, 20_000) // 580 KB of frames: over the threshold
	if testing.Short() {
		envelope.LowerParallelThresholds(t)
		pt = pt[:2000]
	}
	for i := range pt {
		pt[i] = byte(rand.Uint32())
	}
	for _, cc := range concurrencies {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.FrameLength, o.Concurrency = 1, cc })
		msg, err := c.Encrypt(ctx, pt, nil)
		require.NoError(t, err)
		got, err := c.Decrypt(ctx, msg, nil)
		require.NoError(t, err)
		require.True(t, bytes.Equal(pt, got))
		h, err := envelope.ParseHeader(msg)
		require.NoError(t, err)
		bad := bytes.Clone(msg)
		binary.BigEndian.PutUint32(bad[h.Size+(len(pt)-1)*29:], uint32(len(pt))+1)
		_, err = c.Decrypt(ctx, bad, nil)
		require.ErrorIs(t, err, envelope.ErrDecrypt)
	}
}

// The parallel paths add no message-sized memory: Decrypt of 4 MiB in
// 4 KiB frames at Concurrency 4 allocates the plaintext and about one frame
// (as at Concurrency 1), and EncryptAppend into a buffer with room
// allocates a few KiB whatever the suite (the signed suite's group
// bookkeeping is 9 bytes per 64 KiB).
func TestParallelMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates about a message more per call")
	}
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	pt := make([]byte, 4<<20)
	measure := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, suite := range suites {
		for _, cc := range []int{1, 4} {
			c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.Concurrency = suite, cc })
			msg, err := c.Encrypt(ctx, pt, nil)
			require.NoError(t, err)
			var got []byte
			dec := measure(func() { got, err = c.Decrypt(ctx, msg, nil) })
			require.NoError(t, err)
			require.Len(t, got, len(pt))
			assert.Less(t, dec, uint64(len(msg))+64<<10, "%v concurrency %d: Decrypt of %d bytes allocated %d", suite, cc, len(msg), dec)
			buf := make([]byte, 0, len(msg)+200)
			enc := measure(func() { _, err = c.EncryptAppend(ctx, buf, pt, nil) })
			require.NoError(t, err)
			assert.Less(t, enc, uint64(32<<10), "%v concurrency %d: EncryptAppend allocated %d", suite, cc, enc)
		}
	}
}

// Messages of every legacy suite (version 1, built from the specification
// by internal/legacymsg; signed ones with P-256/SHA-256 or P-384/SHA-384)
// decrypt on the parallel path as on the serial one, and a flipped bit in a
// frame fails with ErrDecrypt at every concurrency.
func TestParallelLegacySuites(t *testing.T) {
	size, fl := 600<<10, 4096
	if testing.Short() || raceEnabled {
		envelope.LowerParallelThresholds(t)
		size, fl = 20_000, 1000
	}
	pt := bytes.Repeat([]byte("legacy plaintext "), size/17)
	ec := map[string]string{"purpose": "legacy"}
	for _, s := range legacymsg.Suites {
		msg := legacyMessage(t, s.ID, fl, pt)
		h, err := envelope.ParseHeader(msg)
		require.NoError(t, err)
		bad := bytes.Clone(msg)
		bad[h.Size+(len(pt)/fl/2)*(fl+32)+100] ^= 1
		for _, cc := range []int{1, 2, 4} {
			c := legacyClient(t, func(o *envelope.Options) { o.Concurrency = cc })
			got, err := c.Decrypt(context.Background(), msg, ec)
			require.NoError(t, err, "%04x concurrency %d", s.ID, cc)
			require.True(t, bytes.Equal(pt, got), "%04x concurrency %d", s.ID, cc)
			got, err = c.Decrypt(context.Background(), bad, ec)
			require.ErrorIs(t, err, envelope.ErrDecrypt, "%04x concurrency %d", s.ID, cc)
			require.Nil(t, got)
		}
	}
}

// FuzzParallelDecryptMatchesSerial: whatever the bytes, Decrypt on the
// parallel path (thresholds lowered, Concurrency 4) returns what Concurrency
// 1 returns: the same plaintext, or the same error and nil; never a panic.
// Seeded with messages of both suites and some of their tamperings.
func FuzzParallelDecryptMatchesSerial(f *testing.F) {
	envelope.LowerParallelThresholds(f)
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	clients := map[envelope.Suite][2]*envelope.Client{}
	for _, suite := range suites {
		serial := newClient(f, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = suite, 64, 1 })
		parallel := newClient(f, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength, o.Concurrency = suite, 64, 4 })
		clients[suite] = [2]*envelope.Client{serial, parallel}
		for _, n := range []int{0, 64, 300, 1000} {
			msg, err := parallel.Encrypt(ctx, bytes.Repeat([]byte("p"), n), nil)
			require.NoError(f, err)
			f.Add(msg)
			if n > 0 {
				f.Add(msg[:len(msg)-1])
				f.Add(append(bytes.Clone(msg), 0))
				bad := bytes.Clone(msg)
				bad[len(bad)/2] ^= 1
				f.Add(bad)
			}
		}
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		for _, suite := range suites {
			c := clients[suite]
			want, errWant := c[0].Decrypt(ctx, msg, nil)
			got, err := c[1].Decrypt(ctx, msg, nil)
			if (errWant == nil) != (err == nil) || errWant != nil && errWant.Error() != err.Error() {
				t.Fatalf("%v: serial %v, parallel %v", suite, errWant, err)
			}
			if !bytes.Equal(want, got) || (err != nil && got != nil) {
				t.Fatalf("%v: other plaintext", suite)
			}
		}
	})
}
