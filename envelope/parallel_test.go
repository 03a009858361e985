package envelope_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// concurrencies are the settings every parallel test runs at: the serial
// path, two, three and eight goroutines, the default (GOMAXPROCS), and more
// goroutines than frames.
var concurrencies = []int{1, 2, 3, 8, 0, 1000}

// Encrypt's output is the same bytes whatever Options.Concurrency, for the
// same data key and message ID (here: one cached data key, and identically
// seeded message IDs; the signed suite has a new signing key per message,
// so there its parallel message must verify on the serial path, and
// TestSealSignedSameBytes compares its bytes and hash), at sizes
// around the thresholds and frame lengths from 1 byte to 64 KiB; and every
// message decrypts to the plaintext at every concurrency, with Decrypt,
// DecryptAppend (into a reused buffer with old contents) and
// DecryptWithHeader.
func TestConcurrencySameBytes(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	seed := [32]byte{'f', 'r', 'a', 'm', 'e', 's'}
	sizes := []int{16 << 10, 3*65536 - 1, 512<<10 - 1, 512 << 10, 512<<10 + 1, 1<<20 + 5}
	frames := []int{1, 1000, 4096, 65536, 65537}
	if testing.Short() || raceEnabled {
		// Small messages on the parallel paths (the thresholds lowered).
		envelope.LowerParallelThresholds(t)
		sizes, frames = []int{3000, 40_001, 200_000}, []int{1, 1000, 4096, 65537}
	}
	for _, suite := range suites {
		cache := newCache(t, time.Hour)
		client := func(concurrency, fl int) *envelope.Client {
			return newClient(t, k, keyARN, func(o *envelope.Options) {
				o.Suite, o.FrameLength, o.Concurrency = suite, fl, concurrency
				o.Cache, o.CachePartition = cache, "same data key"
				o.Rand = rand.NewChaCha8(seed)
			})
		}
		for _, fl := range frames {
			for _, n := range sizes {
				if fl == 1 && n > 16<<10 && n != 512<<10+1 || n < 2*fl {
					continue // 29 bytes a frame: slow, and the sizes below cover it
				}
				pt := make([]byte, n)
				for i := range pt {
					pt[i] = byte(i * 13)
				}
				want, err := client(1, fl).Encrypt(ctx, pt, nil)
				require.NoError(t, err)
				reused := bytes.Repeat([]byte{0xAA}, n+100)[:3]
				for _, concurrency := range []int{1, 2, 3, 0} {
					c := client(concurrency, fl)
					got, err := c.Encrypt(ctx, pt, nil)
					require.NoError(t, err)
					if suite.Signed() {
						// A new signing key per message: the header's public key
						// and the signature differ. The serial path checks the
						// signature, so the parallel hash was that of the bytes.
						serial, err := client(1, fl).Decrypt(ctx, got, nil)
						require.NoError(t, err, "%v frame %d, %d bytes, concurrency %d: signature", suite, fl, n, concurrency)
						require.True(t, bytes.Equal(pt, serial))
					} else {
						require.True(t, bytes.Equal(want, got), "%v frame %d, %d bytes, concurrency %d: other bytes", suite, fl, n, concurrency)
					}

					back, err := c.Decrypt(ctx, got, nil)
					require.NoError(t, err, "%v frame %d, %d bytes, concurrency %d", suite, fl, n, concurrency)
					require.True(t, bytes.Equal(pt, back), "%v frame %d, %d bytes, concurrency %d: other plaintext", suite, fl, n, concurrency)
					appended, err := c.DecryptAppend(ctx, reused, want, nil)
					require.NoError(t, err)
					require.Equal(t, []byte{0xAA, 0xAA, 0xAA}, appended[:3])
					require.True(t, bytes.Equal(pt, appended[3:]), "%v frame %d, %d bytes, concurrency %d: DecryptAppend", suite, fl, n, concurrency)
					_, h, err := c.DecryptWithHeader(ctx, want, nil)
					require.NoError(t, err)
					require.Equal(t, suite, h.Suite)
				}
			}
		}
	}
	_, err := envelope.New(k, keyARN, func(o *envelope.Options) { o.Concurrency = -1 })
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}
