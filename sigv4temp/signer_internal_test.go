package sigv4temp

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var lruTime = time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)

func lruCreds(i int) aws.Credentials {
	return aws.Credentials{AccessKeyID: fmt.Sprintf("AKID%d", i), SecretAccessKey: fmt.Sprintf("secret-%d", i)}
}

func lruSign(t *testing.T, s *Signer, c aws.Credentials) {
	t.Helper()
	r, err := http.NewRequest("GET", "https://example.amazonaws.com/", nil)
	require.NoError(t, err)
	require.NoError(t, s.Sign(context.Background(), r, c, "service", "us-east-1", lruTime))
}

// has reports whether s caches a signer for c with default options.
func (s *Signer) has(c aws.Credentials) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.items[keyFor(c.AccessKeyID, c.SecretAccessKey, false, false)]
	return ok
}

// The cache is a bounded LRU: the least recently used credential goes
// first, and one in use stays (issue 12.12: it was cleared whole at 64).
func TestSignerLRU(t *testing.T) {
	s := &Signer{CacheSize: 2}
	a, b, c := lruCreds(1), lruCreds(2), lruCreds(3)
	lruSign(t, s, a)
	lruSign(t, s, b)
	lruSign(t, s, a) // a is now the most recently used
	lruSign(t, s, c) // evicts b
	assert.Equal(t, 2, s.cached())
	assert.True(t, s.has(a), "a was used last but one: kept")
	assert.True(t, s.has(c))
	assert.False(t, s.has(b), "b was the least recently used: evicted")

	var d Signer // zero value: DefaultCacheSize
	for i := range DefaultCacheSize + 10 {
		lruSign(t, &d, lruCreds(i))
		lruSign(t, &d, lruCreds(0)) // kept hot
	}
	assert.Equal(t, DefaultCacheSize, d.cached())
	assert.True(t, d.has(lruCreds(0)), "a credential in constant use is never dropped")
	assert.True(t, d.has(lruCreds(DefaultCacheSize+9)))
	assert.False(t, d.has(lruCreds(1)))

	off := &Signer{CacheSize: -1}
	lruSign(t, off, a)
	assert.Zero(t, off.cached(), "a negative CacheSize caches nothing")
}

// Concurrent signing through one Signer, with more credentials than the
// cache holds: race-free (go test -race), and every signature equals the one
// an uncached Signer computes.
func TestSignerConcurrent(t *testing.T) {
	s := &Signer{CacheSize: 3}
	fresh := &Signer{CacheSize: -1}
	want := make([]string, 8)
	for i := range want {
		r, _ := http.NewRequest("GET", "https://example.amazonaws.com/x", nil)
		require.NoError(t, fresh.Sign(context.Background(), r, lruCreds(i), "service", "us-east-1", lruTime))
		want[i] = r.Header.Get("Authorization")
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 50 {
				i := (g + n) % len(want)
				r, _ := http.NewRequest("GET", "https://example.amazonaws.com/x", nil)
				if assert.NoError(t, s.Sign(context.Background(), r, lruCreds(i), "service", "us-east-1", lruTime)) {
					assert.Equal(t, want[i], r.Header.Get("Authorization"))
				}
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, s.cached(), 3)
}

// keyFor hashes on the stack up to 512 bytes of key ID and secret, with no
// allocation; longer ones go through the heap to the same hash.
func TestKeyFor(t *testing.T) {
	akid := "AKIDEXAMPLE"
	secret := string(make([]byte, 512-len(akid)-1))
	allocs := testing.AllocsPerRun(50, func() { keyFor(akid, secret, false, false) })
	assert.Zero(t, allocs, "512 bytes: on the stack")
	long := secret + "x"
	k1 := keyFor(akid, long, false, false)
	assert.NotEqual(t, keyFor(akid, secret, false, false), k1)
	assert.Equal(t, k1, keyFor(akid, long, false, false))
	assert.NotEqual(t, keyFor("A", "Bc", false, false), keyFor("AB", "c", false, false), "the separator keeps key ID and secret apart")
	assert.Equal(t, sha256.Sum256([]byte("AKID\x00secret")), keyFor("AKID", "secret", false, false).creds, "the stack path hashes key ID, 0, secret")
	assert.Equal(t, sha256.Sum256([]byte(akid+"\x00"+long)), k1.creds, "so does the heap path")
	assert.NotEqual(t, keyFor(akid, "s", true, false), keyFor(akid, "s", false, false))
	assert.NotEqual(t, keyFor(akid, "s", false, true), keyFor(akid, "s", false, false))
}

// invalidate drops the cached credentials only if they are still the ones
// the failed request used, and only then invalidates the provider's cache.
func TestCredentialCacheInvalidate(t *testing.T) {
	inv := &invalidatingProvider{}
	cc := &credentialCache{provider: inv, sem: make(chan struct{}, 1)}
	a := aws.Credentials{AccessKeyID: "A", SecretAccessKey: "s", SessionToken: "ta"}
	b := aws.Credentials{AccessKeyID: "A", SecretAccessKey: "s", SessionToken: "tb"}
	cc.creds, cc.ok = b, true
	cc.invalidate(a) // a request signed with a; another already refreshed to b
	assert.True(t, cc.ok)
	assert.Zero(t, inv.n)
	cc.invalidate(aws.Credentials{AccessKeyID: "B", SessionToken: "tb"})
	assert.True(t, cc.ok)
	cc.invalidate(b)
	assert.False(t, cc.ok)
	assert.Equal(t, 1, inv.n)
	cc.invalidate(b) // nothing cached any more
	assert.Equal(t, 1, inv.n)
	assert.Equal(t, "credentials(redacted)", cc.String())
	assert.Equal(t, "credentials(redacted)", cc.GoString())
}

type invalidatingProvider struct{ n int }

func (p *invalidatingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, nil
}
func (p *invalidatingProvider) Invalidate() { p.n++ }

func TestFresh(t *testing.T) {
	now := lruTime
	c := aws.Credentials{CanExpire: true, Expires: now.Add(time.Minute)}
	assert.False(t, fresh(c, now, time.Minute), "exactly the window left: refresh")
	assert.True(t, fresh(c, now.Add(-time.Nanosecond), time.Minute))
	assert.True(t, fresh(aws.Credentials{}, now.Add(100*365*24*time.Hour), time.Minute), "credentials that cannot expire")
}
