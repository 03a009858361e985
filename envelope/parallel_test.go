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

// Encrypt's output is the same bytes whatever Options.Concurrency, for the
// same data key and message ID (here: one cached data key, and identically
// seeded message IDs), and decrypts.
func TestConcurrencySameBytes(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	cache := newCache(t, time.Hour)
	seed := [32]byte{'f', 'r', 'a', 'm', 'e', 's'}
	client := func(concurrency, fl int) *envelope.Client {
		return newClient(t, k, keyARN, func(o *envelope.Options) {
			o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, concurrency
			o.Cache, o.CachePartition = cache, "same data key"
			o.Rand = rand.NewChaCha8(seed)
		})
	}
	for _, fl := range []int{4096, 1000, 65536} {
		for _, n := range []int{128 << 10, 1<<20 + 5, 3*65536 - 1} {
			pt := make([]byte, n)
			for i := range pt {
				pt[i] = byte(i * 13)
			}
			want, err := client(1, fl).Encrypt(ctx, pt, nil)
			require.NoError(t, err)
			for _, concurrency := range []int{0, 2, 3, 7, 1000} {
				got, err := client(concurrency, fl).Encrypt(ctx, pt, nil)
				require.NoError(t, err)
				require.True(t, bytes.Equal(want, got), "frame %d, %d bytes, concurrency %d: other bytes", fl, n, concurrency)
			}
			back, err := client(1, fl).Decrypt(ctx, want, nil)
			require.NoError(t, err)
			assert.Equal(t, pt, back)
		}
	}
	_, err := envelope.New(k, keyARN, func(o *envelope.Options) { o.Concurrency = -1 })
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}
