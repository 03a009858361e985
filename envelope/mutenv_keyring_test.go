package envelope_test

// Tests written for surviving mutants of the keyring files (issue 20,
// mutation testing of keyring.go, kmskeyring.go, rawaes.go, rawrsa.go and
// multi.go). Each names what it pins; MUTATION.md lists the mutants.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// Every keyring's String names its keys, filter and Region exactly, and
// nothing else: the describe text also goes into error messages and the
// cache identity.
func TestKeyringStrings(t *testing.T) {
	k := kmstest.New()
	filter := func(o *envelope.KMSKeyringOptions) {
		o.DiscoveryFilter = &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: []string{"111122223333", "444455556666"}}
	}
	region := func(o *envelope.KMSKeyringOptions) { o.DiscoveryRegion = "us-west-2" }
	for _, tc := range []struct {
		kr   envelope.Keyring
		want string
	}{
		{mustKR(envelope.KMSDiscoveryKeyring(k)), "envelope.KMSDiscoveryKeyring(KMS discovery)"},
		{mustKR(envelope.KMSDiscoveryKeyring(k, region)), "envelope.KMSDiscoveryKeyring(KMS discovery in us-west-2)"},
		{mustKR(envelope.KMSDiscoveryKeyring(k, filter)), "envelope.KMSDiscoveryKeyring(KMS discovery (partition aws, accounts 111122223333,444455556666))"},
		{mustKR(envelope.KMSDiscoveryKeyring(k, filter, region)), "envelope.KMSDiscoveryKeyring(KMS discovery (partition aws, accounts 111122223333,444455556666) in us-west-2)"},
	} {
		assert.Equal(t, tc.want, fmt.Sprint(tc.kr))
		assert.Equal(t, tc.want, fmt.Sprintf("%#v", tc.kr))
	}
}

// A multi-keyring's String lists its generator, then its children, comma
// separated, with or without a generator.
func TestMultiKeyringString(t *testing.T) {
	a := mustKR(envelope.RawAESKeyring("ns", "a", aesKey(16)))
	b := mustKR(envelope.RawAESKeyring("ns", "b", aesKey(16)))
	c := mustKR(envelope.RawAESKeyring("ns", "c", aesKey(16)))
	for _, tc := range []struct {
		kr   envelope.Keyring
		want string
	}{
		{mustKR(envelope.MultiKeyring(a)), `multi-keyring(generator raw AES key "ns"/"a")`},
		{mustKR(envelope.MultiKeyring(a, b, c)), `multi-keyring(generator raw AES key "ns"/"a", raw AES key "ns"/"b", raw AES key "ns"/"c")`},
		{mustKR(envelope.MultiKeyring(nil, b)), `multi-keyring(raw AES key "ns"/"b")`},
		{mustKR(envelope.MultiKeyring(nil, b, c)), `multi-keyring(raw AES key "ns"/"b", raw AES key "ns"/"c")`},
	} {
		assert.Equal(t, "envelope.MultiKeyring("+tc.want+")", fmt.Sprint(tc.kr))
	}
}

// The cache identity of a multi-keyring covers its generator: two
// multi-keyrings that differ only in the generator's key never share a
// cache entry, and one without a generator works with a cache.
func TestMultiKeyringCacheIdentity(t *testing.T) {
	cache, err := envelope.NewCache(time.Hour)
	require.NoError(t, err)
	shared := func(o *envelope.Options) { o.Cache, o.CachePartition = cache, "trusted" }
	child := mustKR(envelope.RawAESKeyring("ns", "child", aesKey(32)))
	genA := mustKR(envelope.RawAESKeyring("ns", "gen", aesKey(32)))
	genB := mustKR(envelope.RawAESKeyring("ns", "gen", aesKey(24))) // same names, another key
	a, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(genA, child)), shared)
	require.NoError(t, err)
	b, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(genB, child)), shared)
	require.NoError(t, err)
	roundTrip(t, a, a, []byte("a"))
	msgB := roundTrip(t, b, b, []byte("b"))
	assert.Equal(t, uint64(0), cache.Stats().EncryptHits, "b must not reuse a's data key")
	onlyB, _ := envelope.NewWithKeyring(genB) // no cache: genB's key alone opens b's message
	got, err := onlyB.Decrypt(context.Background(), msgB, map[string]string{"purpose": "test"})
	require.NoError(t, err)
	assert.Equal(t, "b", string(got))

	// No generator: decrypts through the cache, twice (the second a hit).
	dec, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(nil, child)), shared)
	require.NoError(t, err)
	hits := cache.Stats().DecryptHits
	for range 2 {
		got, err = dec.Decrypt(context.Background(), msgB, nil)
		require.NoError(t, err)
		assert.Equal(t, "b", string(got))
	}
	assert.Equal(t, hits+1, cache.Stats().DecryptHits)
}

// A raw keyring's namespace may take the format's whole 65,535 bytes, and
// a raw AES key name what is left of the provider info's 65,535 bytes after
// the tag length, IV length and IV (20 bytes): such keyrings write messages
// that decrypt. One byte more is refused.
func TestRawKeyringNamesAtTheLimit(t *testing.T) {
	const maxU16 = 1<<16 - 1
	long := func(n int) string { return strings.Repeat("n", n) }
	for _, tc := range []struct{ namespace, name string }{
		{long(maxU16), "n"},
		{"ns", long(maxU16 - 20)},
		{long(maxU16), long(maxU16 - 20)},
	} {
		kr, err := envelope.RawAESKeyring(tc.namespace, tc.name, aesKey(32))
		require.NoError(t, err, "namespace of %d bytes, name of %d", len(tc.namespace), len(tc.name))
		c, err := envelope.NewWithKeyring(kr)
		require.NoError(t, err)
		msg := roundTrip(t, c, c, []byte("at the limit"))
		h, err := envelope.ParseHeader(msg)
		require.NoError(t, err)
		assert.Len(t, h.DataKeys[0].ProviderID, len(tc.namespace))
		assert.Len(t, h.DataKeys[0].ProviderInfo, len(tc.name)+20)
	}
	for _, tc := range []struct{ namespace, name string }{
		{long(maxU16 + 1), "n"},
		{"ns", long(maxU16 - 19)},
	} {
		_, err := envelope.RawAESKeyring(tc.namespace, tc.name, aesKey(32))
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, "namespace of %d bytes, name of %d", len(tc.namespace), len(tc.name))
	}
}

// RawRSAKeyring accepts a modulus exactly large enough for its padding to
// carry a 32-byte data key, and refuses one byte less: PKCS #1 v1.5 needs
// 11 bytes of padding, OAEP twice the hash's size plus 2. Only the size is
// checked at construction, so a public key of any odd N of that size shows
// the bound.
func TestRawRSAKeyringModulusBound(t *testing.T) {
	for _, tc := range []struct {
		padding  envelope.RSAPadding
		overhead int
	}{
		{envelope.RSAPKCS1, 11},
		{envelope.RSAOAEPSHA1, 2*20 + 2},
		{envelope.RSAOAEPSHA256, 2*32 + 2},
		{envelope.RSAOAEPSHA384, 2*48 + 2},
		{envelope.RSAOAEPSHA512, 2*64 + 2},
	} {
		for _, size := range []int{32 + tc.overhead, 32 + tc.overhead - 1} {
			n := new(big.Int).Lsh(big.NewInt(1), uint(8*size-1)) // exactly size bytes
			n.SetBit(n, 0, 1)
			_, err := envelope.RawRSAKeyring("ns", "n", tc.padding, &rsa.PublicKey{N: n, E: 65537}, nil)
			if size == 32+tc.overhead {
				assert.NoError(t, err, "%v with a %d-byte modulus", tc.padding, size)
			} else {
				assert.ErrorIs(t, err, envelope.ErrInvalidInput, "%v with a %d-byte modulus", tc.padding, size)
			}
		}
	}
}

// RawRSAKeyring refuses the public exponents crypto/rsa refuses on every
// operation (even, under 3, over 2^31-1), so that such a key fails where it
// is given, not on every message; it accepts the odd exponents from 3 to
// 2^31-1.
func TestRawRSAKeyringExponent(t *testing.T) {
	priv := testRSAKey(t)
	withE := func(e int) *rsa.PublicKey { return &rsa.PublicKey{N: priv.N, E: e} }
	for _, e := range []int{-3, 0, 1, 2, 4, 65536} {
		_, err := envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA256, withE(e), nil)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, "E = %d", e)
	}
	for _, e := range []int{3, 65537, 1<<31 - 1} {
		kr, err := envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA256, withE(e), nil)
		require.NoError(t, err, "E = %d", e)
		c, err := envelope.NewWithKeyring(kr)
		require.NoError(t, err)
		_, err = c.Encrypt(context.Background(), []byte("x"), nil)
		assert.NoError(t, err, "E = %d: crypto/rsa encrypts with it", e)
	}
	if big := int64(1)<<31 + 1; int64(int(big)) == big { // 64-bit int only
		_, err := envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA256, withE(int(big)), nil)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, "E = 2^31+1")
	}
}

// A raw RSA keyring with only a public key (escrow) encrypts through a
// cache, and one with only the private key decrypts through it: the cache
// identity takes the modulus from whichever half the keyring holds.
func TestRawRSAKeyringHalvesWithCache(t *testing.T) {
	priv := testRSAKey(t)
	cache, err := envelope.NewCache(time.Hour)
	require.NoError(t, err)
	withCache := func(o *envelope.Options) { o.Cache = cache }
	enc, err := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, &priv.PublicKey, nil)), withCache)
	require.NoError(t, err)
	dec, err := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, nil, priv)), withCache)
	require.NoError(t, err)
	for range 2 {
		msg, err := enc.Encrypt(context.Background(), []byte("escrowed"), nil)
		require.NoError(t, err)
		got, err := dec.Decrypt(context.Background(), msg, nil)
		require.NoError(t, err)
		assert.Equal(t, "escrowed", string(got))
	}
	s := cache.Stats()
	assert.Equal(t, uint64(1), s.EncryptHits)
	assert.Equal(t, uint64(1), s.DecryptHits)
}

// A raw RSA keyring's provider info is its key name alone (the ESDK spec, raw-rsa-keyring.md: provider info = key name),
// so the name may take the format's whole 65,535 bytes: such a keyring writes
// messages that decrypt. One byte more is refused.
func TestRawRSAKeyringNameAtTheLimit(t *testing.T) {
	const maxU16 = 1<<16 - 1
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	name := strings.Repeat("r", maxU16)
	kr, err := envelope.RawRSAKeyring("ns", name, envelope.RSAOAEPSHA256, &priv.PublicKey, priv)
	require.NoError(t, err)
	c, err := envelope.NewWithKeyring(kr)
	require.NoError(t, err)
	msg := roundTrip(t, c, c, []byte("at the limit"))
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	assert.Equal(t, name, h.DataKeys[0].ProviderInfo)
	_, err = envelope.RawRSAKeyring("ns", name+"r", envelope.RSAOAEPSHA256, &priv.PublicKey, priv)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}
