package sigv4temp

import (
	"container/list"
	"crypto/sha256"
	"log/slog"
	"sync"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

// DefaultCacheSize is the number of derived signers a [Signer] keeps when
// its CacheSize is 0.
const DefaultCacheSize = 64

// Signer signs requests with SigV4 and keeps a bounded cache of the SDK's
// signers, one per credential (access key ID and secret) and signing
// options, so the signing key derived for a day is derived once.
//
// The zero value is ready to use, with room for [DefaultCacheSize]
// credentials; past that the least recently used one is dropped. A Signer is
// safe for concurrent use and must not be copied after first use. The
// package functions [Sign], [Presign] and [NewTransport] use a package
// default Signer, as net/http uses http.DefaultClient; a program that wants
// its own cache bound, or to keep caches apart, makes its own Signer.
//
// The cache holds a SHA-256 of each access key ID and secret, and the SDK's
// derived signing keys; never the secret itself. A Signer's String,
// GoString and LogValue print no cached state.
type Signer struct {
	// CacheSize bounds the number of cached derived signers; 0 means
	// DefaultCacheSize, and a negative value disables the cache (every
	// call derives its key). Set it before the first use.
	CacheSize int

	mu    sync.Mutex
	items map[signerKey]*list.Element // of *signerEntry
	order list.List                   // most recently used first

	// logger receives the SDK signer's canonical request and string to
	// sign. Only this package's tests set it: signing is never logged,
	// since the canonical request contains the session token.
	logger logging.Logger
}

// defaultSigner is the Signer of the package functions.
var defaultSigner Signer

type signerKey struct {
	creds                  [sha256.Size]byte
	disableEscaping, noTok bool
}

type signerEntry struct {
	key    signerKey
	signer *v4.Signer
}

// String returns "sigv4temp.Signer"; no cached state is printed.
func (s *Signer) String() string { return "sigv4temp.Signer" }

// GoString returns the same as String.
func (s *Signer) GoString() string { return s.String() }

// LogValue returns the same as String, for log/slog.
func (s *Signer) LogValue() slog.Value { return slog.StringValue(s.String()) }

// cached returns the number of cached signers, for tests.
func (s *Signer) cached() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

// signerFor returns the SDK signer for the credentials and options: a cached
// one, or a new one that it caches. The SDK's signer caches its derived key
// by access key ID, service, region and day, ignoring the secret: a signer
// shared by two credentials with the same key ID but different secrets
// would sign with the wrong key. Keying by a hash of both removes that. The
// options are set when a signer is made, so no call allocates a closure.
func (s *Signer) signerFor(accessKeyID, secret string, disableEscaping, noToken bool) *v4.Signer {
	newSigner := func() *v4.Signer {
		return v4.NewSigner(func(so *v4.SignerOptions) {
			so.DisableURIPathEscaping = disableEscaping
			so.DisableSessionToken = noToken
			so.Logger, so.LogSigning = s.logger, s.logger != nil
		})
	}
	size := s.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	if size < 0 {
		return newSigner()
	}
	key := keyFor(accessKeyID, secret, disableEscaping, noToken)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.items[key]; ok {
		s.order.MoveToFront(e)
		return e.Value.(*signerEntry).signer
	}
	if s.items == nil {
		s.items = make(map[signerKey]*list.Element)
	}
	for len(s.items) >= size {
		oldest := s.order.Back()
		delete(s.items, oldest.Value.(*signerEntry).key)
		s.order.Remove(oldest)
	}
	v := newSigner()
	s.items[key] = s.order.PushFront(&signerEntry{key: key, signer: v})
	return v
}

// keyFor returns the cache key of a credential and options: a SHA-256 of
// the access key ID and the secret, so the cache never holds the secret.
func keyFor(accessKeyID, secret string, disableEscaping, noToken bool) signerKey {
	key := signerKey{disableEscaping: disableEscaping, noTok: noToken}
	var buf [512]byte
	if n := len(accessKeyID) + 1 + len(secret); n <= len(buf) {
		i := copy(buf[:], accessKeyID)
		buf[i] = 0
		copy(buf[i+1:], secret)
		key.creds = sha256.Sum256(buf[:n])
		clear(buf[:n]) // the secret does not linger on the stack
	} else {
		key.creds = sha256.Sum256([]byte(accessKeyID + "\x00" + secret))
	}
	return key
}
