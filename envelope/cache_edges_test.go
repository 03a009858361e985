package envelope_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// A message of exactly MaxBytes fits a cached key that has encrypted nothing
// yet (an empty message), and then the key is full.
func TestCacheMaxBytesExactly(t *testing.T) {
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) {
		o.Cache = newCache(t, time.Hour, func(o *envelope.CacheOptions) { o.MaxBytes = 100 })
	})
	for _, n := range []int{0, 100} {
		_, err := c.Encrypt(context.Background(), make([]byte, n), nil)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), k.Calls("GenerateDataKey"), "0 then 100 bytes: one key")
	_, err := c.Encrypt(context.Background(), make([]byte, 1), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), k.Calls("GenerateDataKey"), "the key is full")
}

// With MaxMessages 1 no encryption entry is kept: it could never serve
// another message.
func TestCacheMaxMessagesOneKeepsNothing(t *testing.T) {
	k := kmstest.New()
	cache := newCache(t, time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = 1 })
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.Cache = cache })
	for range 2 {
		_, err := c.Encrypt(context.Background(), []byte("x"), nil)
		require.NoError(t, err)
	}
	s := cache.Stats()
	assert.Equal(t, 0, s.Entries)
	assert.Equal(t, uint64(2), s.EncryptMisses)
	assert.Equal(t, uint64(0), s.EncryptHits)
	assert.Equal(t, uint64(0), s.Evictions)
	assert.Equal(t, int64(2), k.Calls("GenerateDataKey"))
}

// Every counter of CacheStats counts what its doc says, through hits, misses,
// expiry, use limits, capacity and Clear.
func TestCacheStatsCount(t *testing.T) {
	k := kmstest.New()
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	cache := newCache(t, time.Minute, func(o *envelope.CacheOptions) { o.Now = clock.Now; o.MaxMessages = 2; o.Capacity = 3 })
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.Cache = cache; o.Suite = envelope.SuiteCommitKey })
	ctx := context.Background()
	want := envelope.CacheStats{}
	check := func(step string) {
		t.Helper()
		got := cache.Stats()
		assert.Equal(t, want, got, step)
	}
	msg, err := c.Encrypt(ctx, []byte("a"), nil) // miss, KMS, entry
	require.NoError(t, err)
	want.EncryptMisses, want.KMSCalls, want.Entries = 1, 1, 1
	check("first encrypt")
	_, err = c.Encrypt(ctx, []byte("b"), nil) // hit: the second message of 2
	require.NoError(t, err)
	want.EncryptHits = 1
	check("second encrypt")
	_, err = c.Encrypt(ctx, []byte("c"), nil) // used up: evicted, miss, new entry
	require.NoError(t, err)
	want.EncryptMisses, want.KMSCalls, want.Evictions = 2, 2, 1
	check("third encrypt")

	_, err = c.Decrypt(ctx, msg, nil) // miss, KMS, entry
	require.NoError(t, err)
	want.DecryptMisses, want.KMSCalls, want.Entries = 1, 3, 2
	check("first decrypt")
	_, err = c.Decrypt(ctx, msg, nil) // hit
	require.NoError(t, err)
	want.DecryptHits = 1
	check("second decrypt")
	clock.Advance(time.Minute)        // both entries expire
	_, err = c.Decrypt(ctx, msg, nil) // expired: evicted, miss, KMS, new entry
	require.NoError(t, err)
	want.DecryptMisses, want.KMSCalls, want.Evictions = 2, 4, 2
	check("expired decrypt")

	cache.Clear()
	want.Evictions, want.Entries = 4, 0
	check("clear")
}

// EncryptStream, whose length is unknown when its data key is chosen,
// always asks KMS and leaves the cache alone, as Options.Cache says.
func TestEncryptStreamBypassesCache(t *testing.T) {
	k := kmstest.New()
	cache := newCache(t, time.Hour)
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.Cache = cache })
	_, err := c.Encrypt(context.Background(), []byte("x"), nil) // an entry a stream could have used
	require.NoError(t, err)
	for range 2 {
		var out bytes.Buffer
		w, err := c.EncryptStream(context.Background(), &out, nil)
		require.NoError(t, err)
		require.NoError(t, w.Close())
	}
	assert.Equal(t, int64(3), k.Calls("GenerateDataKey"))
	s := cache.Stats()
	assert.Equal(t, uint64(0), s.EncryptHits)
	assert.Equal(t, 1, s.Entries)
}
