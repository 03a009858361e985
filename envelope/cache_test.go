package envelope_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newCache(t testing.TB, maxAge time.Duration, optFns ...func(*envelope.CacheOptions)) *envelope.Cache {
	t.Helper()
	c, err := envelope.NewCache(maxAge, optFns...)
	require.NoError(t, err)
	return c
}

// 100,000 messages of 1 KiB, at most 1,000 per data key: 100 GenerateDataKey
// calls, and every message decrypts.
func TestCacheHundredThousandMessages(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	cache := newCache(t, time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = 1000 })
	c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Cache = cache; o.Suite = envelope.SuiteCommitKey })
	pt := make([]byte, 1024)
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	var sample [][]byte
	for i := range n {
		msg, err := c.Encrypt(context.Background(), pt, map[string]string{"stream": "orders"})
		require.NoError(t, err)
		if i%997 == 0 {
			sample = append(sample, msg)
		}
	}
	assert.Equal(t, int64(n/1000), k.Calls("GenerateDataKey"))
	s := cache.Stats()
	assert.Equal(t, uint64(n-n/1000), s.EncryptHits)
	assert.Equal(t, uint64(n/1000), s.EncryptMisses)
	assert.Equal(t, uint64(n/1000), s.KMSCalls)

	// Reading: one KMS Decrypt per data key, not per message.
	reader := newClient(t, k, keyARN, func(o *envelope.Options) { o.Cache = newCache(t, time.Hour) })
	for _, msg := range sample {
		got, err := reader.Decrypt(context.Background(), msg, nil)
		require.NoError(t, err)
		assert.Equal(t, pt, got)
	}
	keysUsed := map[string]bool{}
	for _, msg := range sample {
		h, _ := envelope.ParseHeader(msg)
		keysUsed[string(h.DataKeys[0].Ciphertext)] = true
	}
	assert.Equal(t, int64(len(keysUsed)), k.Calls("Decrypt"), "one Decrypt per distinct data key")
}

func TestCacheMaxAge(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	cache := newCache(t, time.Minute, func(o *envelope.CacheOptions) { o.Now = clock.Now })
	c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Cache = cache })
	enc := func() { _, err := c.Encrypt(context.Background(), []byte("x"), nil); require.NoError(t, err) }
	enc()
	clock.Advance(59 * time.Second)
	enc()
	assert.Equal(t, int64(1), k.Calls("GenerateDataKey"))
	clock.Advance(time.Second) // exactly MaxAge: expired
	enc()
	assert.Equal(t, int64(2), k.Calls("GenerateDataKey"))
	assert.Equal(t, uint64(1), cache.Stats().Evictions)

	msg, _ := c.Encrypt(context.Background(), []byte("y"), nil)
	_, err := c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	_, err = c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), k.Calls("Decrypt"))
	clock.Advance(time.Minute)
	_, err = c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), k.Calls("Decrypt"), "expired decryption entries are refreshed")
}

func TestCacheMaxMessagesAndBytes(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	c := newClient(t, k, keyARN, func(o *envelope.Options) {
		o.Cache = newCache(t, time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = 3 })
	})
	for range 7 {
		_, err := c.Encrypt(context.Background(), []byte("x"), nil)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(3), k.Calls("GenerateDataKey"), "3 + 3 + 1 messages")

	k2 := kmstest.New()
	key2 := k2.MustCreateKey()
	c2 := newClient(t, k2, key2, func(o *envelope.Options) {
		o.Cache = newCache(t, time.Hour, func(o *envelope.CacheOptions) { o.MaxBytes = 100 })
	})
	for _, n := range []int{60, 40, 1, 100, 101, 0} {
		_, err := c2.Encrypt(context.Background(), make([]byte, n), nil)
		require.NoError(t, err)
	}
	// 60+40 fill a key; 1 needs a new one; 100 does not fit with it: new key;
	// 101 is over MaxBytes: its own key, not cached; 0 fits the 100-byte key.
	assert.Equal(t, int64(4), k2.Calls("GenerateDataKey"))
}

func TestCachePartitions(t *testing.T) {
	k := kmstest.New()
	a, b := k.MustCreateKey(), k.MustCreateKey()
	cache := newCache(t, time.Hour)
	ca := newClient(t, k, a, func(o *envelope.Options) { o.Cache = cache })
	cb := newClient(t, k, b, func(o *envelope.Options) { o.Cache = cache })
	cUnsigned := newClient(t, k, a, func(o *envelope.Options) { o.Cache = cache; o.Suite = envelope.SuiteCommitKey })
	dataKeyOf := func(c *envelope.Client, ec map[string]string) string {
		msg, err := c.Encrypt(context.Background(), []byte("x"), ec)
		require.NoError(t, err)
		h, _ := envelope.ParseHeader(msg)
		return fmt.Sprintf("%x", h.DataKeys[0].Ciphertext)
	}
	x1 := dataKeyOf(ca, map[string]string{"t": "1"})
	assert.Equal(t, x1, dataKeyOf(ca, map[string]string{"t": "1"}), "same partition: reused")
	assert.NotEqual(t, x1, dataKeyOf(ca, map[string]string{"t": "2"}), "another context")
	assert.NotEqual(t, x1, dataKeyOf(ca, map[string]string{"t": "1", "u": "1"}), "a superset context")
	assert.NotEqual(t, x1, dataKeyOf(ca, nil), "no context")
	assert.NotEqual(t, x1, dataKeyOf(cUnsigned, map[string]string{"t": "1"}), "another suite")
	assert.NotEqual(t, x1, dataKeyOf(cb, map[string]string{"t": "1"}), "another key")

	// A client sharing the cache cannot use a data key its keys did not unlock.
	msg, err := ca.Encrypt(context.Background(), []byte("secret"), nil)
	require.NoError(t, err)
	_, err = ca.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	_, err = cb.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
}

func TestCacheCapacityEvicts(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	cache := newCache(t, time.Hour, func(o *envelope.CacheOptions) { o.Capacity = 2 })
	c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Cache = cache })
	for i := range 5 {
		_, err := c.Encrypt(context.Background(), []byte("x"), map[string]string{"i": fmt.Sprint(i)})
		require.NoError(t, err)
	}
	s := cache.Stats()
	assert.Equal(t, 2, s.Entries)
	assert.Equal(t, uint64(3), s.Evictions)
	_, err := c.Encrypt(context.Background(), []byte("x"), map[string]string{"i": "4"})
	require.NoError(t, err)
	assert.Equal(t, int64(5), k.Calls("GenerateDataKey"), "the most recent entry survived")
	cache.Clear()
	assert.Equal(t, 0, cache.Stats().Entries)
	assert.Contains(t, fmt.Sprintf("%v %+v %#v", cache, cache, cache), "redacted")
}

func TestCacheConcurrent(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	cache := newCache(t, time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = 50; o.Capacity = 8 })
	c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Cache = cache })
	perGoroutine := 100
	if testing.Short() {
		perGoroutine = 25
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perGoroutine {
				pt := []byte(fmt.Sprintf("g%d-%d", g, i))
				ec := map[string]string{"g": fmt.Sprint(g % 3)}
				msg, err := c.Encrypt(context.Background(), pt, ec)
				if !assert.NoError(t, err) {
					return
				}
				got, err := c.Decrypt(context.Background(), msg, ec)
				if !assert.NoError(t, err) || !assert.True(t, bytes.Equal(pt, got)) {
					return
				}
			}
		}()
	}
	wg.Wait()
	s := cache.Stats()
	assert.Equal(t, uint64(8*perGoroutine), s.EncryptHits+s.EncryptMisses)
	assert.Less(t, k.Calls("GenerateDataKey"), int64(100))
}

func TestNewCacheInvalid(t *testing.T) {
	cases := []struct {
		maxAge time.Duration
		opt    func(*envelope.CacheOptions)
	}{
		{0, nil},
		{-time.Second, nil},
		{time.Second, func(o *envelope.CacheOptions) { o.MaxMessages = 1<<32 + 1 }},
		{time.Second, func(o *envelope.CacheOptions) { o.MaxBytes = 1 << 63 }},
		{time.Second, func(o *envelope.CacheOptions) { o.Capacity = -1 }},
	}
	for i, tc := range cases {
		var opts []func(*envelope.CacheOptions)
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		c, err := envelope.NewCache(tc.maxAge, opts...)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, "case %d", i)
		assert.Nil(t, c, "case %d", i)
	}
}
