package s3keys

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"unsafe"
)

// MaxDigits is the longest prefix New accepts: 16^4 = 65,536 shards.
const MaxDigits = 4

// Sharder adds a hash prefix to keys. Digits is the number of lowercase hex
// digits of the prefix (1..4; 16^Digits shards). The prefix of a key is the
// first Digits characters of the lowercase hex SHA-256 of the key's UTF-8
// bytes, and the sharded key is PREFIX + "/" + key, with the logical key
// intact after the "/".
//
// The zero value is not usable; use New. A Sharder is a small immutable value,
// safe to copy and to use concurrently.
type Sharder struct {
	digits int
}

// New returns a Sharder whose prefixes have digits hex digits (1..4), or
// ErrInvalidDigits.
func New(digits int) (Sharder, error) {
	if digits < 1 || digits > MaxDigits {
		return Sharder{}, fmt.Errorf("%w: got %d", ErrInvalidDigits, digits)
	}
	return Sharder{digits: digits}, nil
}

// Digits returns the number of hex digits of the prefix (0 for the zero
// value).
func (s Sharder) Digits() int { return s.digits }

const hexDigits = "0123456789abcdef"

// prefix writes the hex prefix of key into buf and returns its length.
func (s Sharder) prefix(buf *[MaxDigits]byte, key string) int {
	// Hash the string's bytes in place: []byte(key) would copy any key over 32
	// bytes to the heap, and Sum256 only reads its input.
	sum := sha256.Sum256(unsafe.Slice(unsafe.StringData(key), len(key)))
	for i := 0; i < s.digits; i++ {
		b := sum[i/2]
		if i%2 == 0 {
			b >>= 4
		}
		buf[i] = hexDigits[b&0xf]
	}
	return s.digits
}

// Key returns the sharded key: Prefix(key) + "/" + key. It allocates once,
// for the result. It does not check key: a logical key that Validate accepts
// can still be too long once sharded; Sharder.Validate says so. The zero
// Sharder returns "/" + key; use New.
func (s Sharder) Key(key string) string {
	var buf [MaxDigits]byte
	n := s.prefix(&buf, key)
	var b strings.Builder
	b.Grow(n + 1 + len(key))
	b.Write(buf[:n])
	b.WriteByte('/')
	b.WriteString(key)
	return b.String()
}

// Prefix returns the prefix of key alone, without the "/".
func (s Sharder) Prefix(key string) string {
	var buf [MaxDigits]byte
	n := s.prefix(&buf, key)
	return string(buf[:n])
}

// Split returns the logical key of a sharded key: the part after the
// "PREFIX/". It fails with ErrNotSharded when the key does not start with
// Digits lowercase hex digits and "/", or when those digits are not the hash
// of the rest (a key sharded by another scheme, or tampered with).
func (s Sharder) Split(sharded string) (string, error) {
	n := s.digits
	if n == 0 || len(sharded) < n+1 || sharded[n] != '/' {
		return "", fmt.Errorf("%w: no %d-digit prefix and \"/\"", ErrNotSharded, n)
	}
	for i := 0; i < n; i++ {
		if !strings.ContainsRune(hexDigits, rune(sharded[i])) {
			return "", fmt.Errorf("%w: byte %d of the prefix is not a lowercase hex digit", ErrNotSharded, i)
		}
	}
	key := sharded[n+1:]
	var buf [MaxDigits]byte
	s.prefix(&buf, key)
	if string(buf[:n]) != sharded[:n] {
		return "", fmt.Errorf("%w: prefix %s is not the hash of the key (want %s)", ErrNotSharded, sharded[:n], string(buf[:n]))
	}
	return key, nil
}

// Prefixes returns every shard prefix, 16^Digits of them, in lexical order
// ("0", "1", ..., "f" for one digit).
func (s Sharder) Prefixes() []string {
	count := 1 << (4 * s.digits)
	out := make([]string, count)
	buf := make([]byte, s.digits)
	for i := range count {
		v := i
		for j := s.digits - 1; j >= 0; j-- {
			buf[j] = hexDigits[v&0xf]
			v >>= 4
		}
		out[i] = string(buf)
	}
	return out
}
