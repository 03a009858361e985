package envelope

import (
	"container/list"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// Limits of data key reuse, from the AWS Encryption SDK's caching
// cryptographic materials manager: a data key encrypts at most 2^32 messages
// and 2^63-1 bytes.
const (
	MaxCacheMessages = 1 << 32
	MaxCacheBytes    = math.MaxInt64
)

// CacheOptions configure a Cache beyond its required maxAge (an argument of
// NewCache). The zero value means the defaults.
type CacheOptions struct {
	// Capacity is the most entries kept (encryption and decryption entries
	// together); the least recently used is evicted, and its key wiped.
	// Default 1,000.
	Capacity int
	// MaxMessages is the most messages encrypted under one cached data key;
	// default and limit MaxCacheMessages (2^32).
	MaxMessages uint64
	// MaxBytes is the most plaintext bytes encrypted under one cached data
	// key; default and limit MaxCacheBytes (2^63-1). A message larger than
	// MaxBytes is encrypted under a fresh data key that is not cached.
	MaxBytes uint64
	// Now returns the current time; default time.Now. Tests pass a fake clock.
	Now func() time.Time
}

// CacheStats are a Cache's counters since it was made.
type CacheStats struct {
	EncryptHits, EncryptMisses uint64 // Encrypt calls served from / not from the cache
	DecryptHits, DecryptMisses uint64 // Decrypt and DecryptStream calls likewise
	KMSCalls                   uint64 // GenerateDataKey, Encrypt and Decrypt calls made by clients using the cache
	Evictions                  uint64 // entries dropped for age, use limits or capacity (keys wiped)
	Entries                    int    // entries held now
}

// Cache holds data keys for reuse across messages, so that many messages
// cost one KMS call. Give it to clients with Options.Cache; one Cache may
// serve many clients and goroutines (it is safe for concurrent use).
//
// # The trade-off
//
// Reusing a data key trades some security for speed and cost. Every message
// under one data key falls with that key: one compromised data key exposes
// all of them, where without caching it exposes one message. A cached key
// also outlives its KMS authorization: revoking the KMS key or a grant stops
// new KMS calls, but not the use of keys already in memory, until they
// expire. The limits exist to bound both: maxAge caps how long a key lives
// after KMS released it, and MaxMessages and MaxBytes cap how much data one
// key protects (the AES-GCM limits of the format are far above any sensible
// setting). Keep them as small as the workload allows.
//
// Entries are partitioned. First by Client: a Client uses only the entries
// it made itself, unless Clients are given the same Options.CachePartition,
// so a Client whose KMS access was refused never encrypts or decrypts with a
// data key another Client obtained. Then, within a partition, an encryption
// entry is used only for the same suite, the same KMS key ARNs and exactly
// the same encryption context, so a message is never encrypted under a data
// key generated for another context; for the signed suite the signing key is
// cached with the data key (the public key is part of the context). A
// decryption entry is found by the client's key ARNs and the message's
// encrypted data keys, suite and full context. Expired, used-up and evicted
// entries have their keys wiped.
//
// The zero value is not usable; use NewCache.
type Cache struct {
	opts   CacheOptions
	maxAge time.Duration

	mu      sync.Mutex
	entries map[[sha512.Size384]byte]*list.Element
	lru     *list.List // front: most recently used
	stats   CacheStats
}

type cacheEntry struct {
	key      [sha512.Size384]byte
	created  time.Time
	dataKey  []byte
	mats     *materials // encryption entries only
	messages uint64
	bytes    uint64
}

func (e *cacheEntry) wipe() {
	clear(e.dataKey)
	if e.mats != nil {
		e.mats.wipe()
	}
}

// NewCache returns an empty Cache whose entries may be used for maxAge after
// their data key was obtained from KMS (required: there is no default), then
// applies optFns. Errors match ErrInvalidInput: a maxAge that is not
// positive, limits above MaxCacheMessages or MaxCacheBytes, a negative
// capacity.
func NewCache(maxAge time.Duration, optFns ...func(*CacheOptions)) (*Cache, error) {
	var o CacheOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if maxAge <= 0 {
		return nil, fmt.Errorf("%w: cache maxAge %v must be positive", ErrInvalidInput, maxAge)
	}
	if o.Capacity < 0 {
		return nil, fmt.Errorf("%w: cache Capacity %d", ErrInvalidInput, o.Capacity)
	}
	if o.Capacity == 0 {
		o.Capacity = 1000
	}
	if o.MaxMessages == 0 {
		o.MaxMessages = MaxCacheMessages
	}
	if o.MaxMessages > MaxCacheMessages {
		return nil, fmt.Errorf("%w: cache MaxMessages %d over 2^32", ErrInvalidInput, o.MaxMessages)
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = MaxCacheBytes
	}
	if o.MaxBytes > MaxCacheBytes {
		return nil, fmt.Errorf("%w: cache MaxBytes over 2^63-1", ErrInvalidInput)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{opts: o, maxAge: maxAge, entries: map[[sha512.Size384]byte]*list.Element{}, lru: list.New()}, nil
}

// Stats returns the counters.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries = c.lru.Len()
	return s
}

// Clear drops every entry, wiping the keys.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Front(); e != nil; e = c.lru.Front() {
		c.removeLocked(e)
	}
}

// String redacts: a Cache holds data keys.
func (c *Cache) String() string { return "envelope.Cache{redacted}" }

// GoString redacts, for %#v.
func (c *Cache) GoString() string { return c.String() }

// LogValue redacts, for log/slog.
func (c *Cache) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c *Cache) removeLocked(e *list.Element) {
	ent := e.Value.(*cacheEntry)
	ent.wipe()
	delete(c.entries, ent.key)
	c.lru.Remove(e)
	c.stats.Evictions++
}

func (c *Cache) addKMSCalls(n int) {
	c.mu.Lock()
	c.stats.KMSCalls += uint64(n)
	c.mu.Unlock()
}

// getEncrypt returns a copy of the cached materials for key that may encrypt
// one more message of n bytes, counting that use; nil on a miss.
func (c *Cache) getEncrypt(key [sha512.Size384]byte, n uint64) *materials {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || n > c.opts.MaxBytes { // a message over MaxBytes leaves the entry be
		c.stats.EncryptMisses++
		return nil
	}
	ent := e.Value.(*cacheEntry)
	if c.opts.Now().Sub(ent.created) >= c.maxAge || ent.messages >= c.opts.MaxMessages || n > c.opts.MaxBytes-ent.bytes {
		c.removeLocked(e)
		c.stats.EncryptMisses++
		return nil
	}
	ent.messages++
	ent.bytes += n
	c.lru.MoveToFront(e)
	c.stats.EncryptHits++
	return ent.mats.copy()
}

// putEncrypt caches a copy of fresh materials that encrypted one message of
// n bytes. With MaxMessages 1 nothing is cached: the entry could never be
// used again, and would only keep a data key in memory.
func (c *Cache) putEncrypt(key [sha512.Size384]byte, m *materials, n uint64) {
	if n > c.opts.MaxBytes || c.opts.MaxMessages <= 1 {
		return
	}
	c.put(&cacheEntry{key: key, mats: m.copy(), messages: 1, bytes: n})
}

func (c *Cache) getDecrypt(key [sha512.Size384]byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		c.stats.DecryptMisses++
		return nil
	}
	ent := e.Value.(*cacheEntry)
	if c.opts.Now().Sub(ent.created) >= c.maxAge {
		c.removeLocked(e)
		c.stats.DecryptMisses++
		return nil
	}
	c.lru.MoveToFront(e)
	c.stats.DecryptHits++
	return append([]byte(nil), ent.dataKey...)
}

func (c *Cache) putDecrypt(key [sha512.Size384]byte, dataKey []byte) {
	c.put(&cacheEntry{key: key, dataKey: append([]byte(nil), dataKey...)})
}

func (c *Cache) put(ent *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ent.created = c.opts.Now()
	if old, ok := c.entries[ent.key]; ok {
		c.removeLocked(old) // a concurrent miss got there first: keep the newest
	}
	c.entries[ent.key] = c.lru.PushFront(ent)
	for c.lru.Len() > c.opts.Capacity {
		c.removeLocked(c.lru.Back())
	}
}

// copy returns materials that share the immutable parts (context, encrypted
// data keys, signing key) and own a copy of the data key.
func (m *materials) copy() *materials {
	return &materials{ec: m.ec, dataKey: append([]byte(nil), m.dataKey...), edks: m.edks, signer: m.signer}
}

// cacheKeyWriter builds cache keys: SHA-384 over length-prefixed fields.
type cacheKeyWriter struct{ b []byte }

func (w *cacheKeyWriter) field(s []byte) {
	w.b = binary.BigEndian.AppendUint32(w.b, uint32(len(s)))
	w.b = append(w.b, s...)
}

func (w *cacheKeyWriter) sum() [sha512.Size384]byte { return sha512.Sum384(w.b) }

// encryptCacheKey partitions encryption entries by the client's cache
// partition, suite, key ARNs and the caller's exact encryption context,
// given serialized.
func (c *Client) encryptCacheKey(serializedContext []byte) [sha512.Size384]byte {
	w := &cacheKeyWriter{}
	w.field([]byte("encrypt"))
	w.field(c.partition)
	w.field(binary.BigEndian.AppendUint16(nil, uint16(c.opts.Suite)))
	w.field(c.keyring.identity())
	w.field(serializedContext)
	return w.sum()
}

// decryptCacheKey identifies a data key by the message's suite, encrypted
// data keys and full encryption context, within the client's cache partition
// and key ARNs: a client never gets a data key that a client outside its
// partition obtained.
func (c *Client) decryptCacheKey(h *Header) [sha512.Size384]byte {
	w := &cacheKeyWriter{}
	w.field([]byte("decrypt"))
	w.field(c.partition)
	w.field(c.keyring.identity())
	w.field(binary.BigEndian.AppendUint16(nil, uint16(h.Suite)))
	for _, k := range h.DataKeys {
		w.field([]byte(k.ProviderID))
		w.field([]byte(k.ProviderInfo))
		w.field(k.Ciphertext)
	}
	ctx, _ := serializeContext(nil, h.EncryptionContext)
	w.field(ctx)
	return w.sum()
}
