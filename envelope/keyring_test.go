package envelope_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

func aesKey(n int) []byte {
	k := make([]byte, n)
	for i := range k {
		k[i] = byte(i*7 + n)
	}
	return k
}

// mustKR is for keyrings that the test expects to be valid.
func mustKR(kr envelope.Keyring, err error) envelope.Keyring {
	if err != nil {
		panic(err)
	}
	return kr
}

// roundTrip encrypts with enc and decrypts, whole and streamed, with dec.
func roundTrip(t *testing.T, enc, dec *envelope.Client, pt []byte) []byte {
	t.Helper()
	ec := map[string]string{"purpose": "test"}
	msg, err := enc.Encrypt(context.Background(), pt, ec)
	require.NoError(t, err)
	whole, streamed, errWhole, errStream := decryptBoth(dec, msg, ec)
	require.NoError(t, errWhole)
	require.NoError(t, errStream)
	assert.Equal(t, pt, whole)
	assert.Equal(t, pt, streamed)
	return msg
}

func TestRawAESKeyringRoundTrip(t *testing.T) {
	for _, n := range []int{16, 24, 32} {
		for _, suite := range suites {
			t.Run(fmt.Sprintf("AES-%d/%v", n*8, suite), func(t *testing.T) {
				kr := mustKR(envelope.RawAESKeyring("my-namespace", "my-key", aesKey(n)))
				c, err := envelope.NewWithKeyring(kr, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, 100 })
				require.NoError(t, err)
				msg := roundTrip(t, c, c, bytes.Repeat([]byte("x"), 250))
				h, err := envelope.ParseHeader(msg)
				require.NoError(t, err)
				require.Len(t, h.DataKeys, 1)
				k := h.DataKeys[0]
				assert.Equal(t, "my-namespace", k.ProviderID)
				// Provider info: name, tag length in bits (u32 128), IV length (u32 12), IV.
				info := []byte(k.ProviderInfo)
				require.Len(t, info, len("my-key")+4+4+12)
				assert.Equal(t, "my-key", string(info[:6]))
				assert.Equal(t, uint32(128), binary.BigEndian.Uint32(info[6:]))
				assert.Equal(t, uint32(12), binary.BigEndian.Uint32(info[10:]))
				assert.Len(t, k.Ciphertext, 32+16, "the encrypted data key is the 32-byte key and the tag")
			})
		}
	}
}

func TestRawAESKeyringFindsOnlyItsKey(t *testing.T) {
	enc := mustKR(envelope.RawAESKeyring("ns", "name", aesKey(32)))
	c, err := envelope.NewWithKeyring(enc)
	require.NoError(t, err)
	msg, err := c.Encrypt(context.Background(), []byte("secret"), nil)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		kr   envelope.Keyring
	}{
		{"another key, same names", mustKR(envelope.RawAESKeyring("ns", "name", aesKey(16)))},
		{"another name", mustKR(envelope.RawAESKeyring("ns", "other", aesKey(32)))},
		{"another namespace", mustKR(envelope.RawAESKeyring("other", "name", aesKey(32)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := envelope.NewWithKeyring(tc.kr)
			require.NoError(t, err)
			_, err = d.Decrypt(context.Background(), msg, nil)
			assert.ErrorIs(t, err, envelope.ErrNoKey)
			assert.ErrorIs(t, err, envelope.ErrDecrypt, "the message has no data key for this keyring")
			assert.NotContains(t, err.Error(), "secret")
		})
	}
}

func TestRawAESKeyringInvalid(t *testing.T) {
	for name, f := range map[string]func() (envelope.Keyring, error){
		"key of 15 bytes":  func() (envelope.Keyring, error) { return envelope.RawAESKeyring("ns", "n", aesKey(15)) },
		"key of 0 bytes":   func() (envelope.Keyring, error) { return envelope.RawAESKeyring("ns", "n", nil) },
		"empty namespace":  func() (envelope.Keyring, error) { return envelope.RawAESKeyring("", "n", aesKey(16)) },
		"empty name":       func() (envelope.Keyring, error) { return envelope.RawAESKeyring("ns", "", aesKey(16)) },
		"aws-kms":          func() (envelope.Keyring, error) { return envelope.RawAESKeyring("aws-kms", "n", aesKey(16)) },
		"aws-kms prefixed": func() (envelope.Keyring, error) { return envelope.RawAESKeyring("aws-kms-x", "n", aesKey(16)) },
	} {
		_, err := f()
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, name)
	}
}

// The keyring copies what it needs: wiping the caller's key after the call
// changes nothing, and no key byte appears in its fmt output.
func TestRawAESKeyringOwnsItsKey(t *testing.T) {
	key := aesKey(32)
	kr := mustKR(envelope.RawAESKeyring("ns", "n", key))
	c, _ := envelope.NewWithKeyring(kr)
	msg, err := c.Encrypt(context.Background(), []byte("p"), nil)
	require.NoError(t, err)
	clear(key)
	got, err := c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, "p", string(got))
	for _, s := range []string{fmt.Sprint(kr), fmt.Sprintf("%#v", kr), fmt.Sprintf("%+v", kr)} {
		assert.NotContains(t, s, string(aesKey(32)[:4]))
		assert.Contains(t, s, "RawAESKeyring")
	}
}

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

func testRSAKey(t testing.TB) *rsa.PrivateKey {
	rsaOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = k
	})
	return rsaKey
}

var paddings = []envelope.RSAPadding{envelope.RSAPKCS1, envelope.RSAOAEPSHA1, envelope.RSAOAEPSHA256, envelope.RSAOAEPSHA384, envelope.RSAOAEPSHA512}

func TestRawRSAKeyringPaddings(t *testing.T) {
	priv := testRSAKey(t)
	for _, p := range paddings {
		t.Run(p.String(), func(t *testing.T) {
			// Encrypt with the public key alone (escrow), decrypt with the
			// private key alone.
			pub, err := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", p, &priv.PublicKey, nil)))
			require.NoError(t, err)
			private, err := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", p, nil, priv)))
			require.NoError(t, err)
			msg := roundTrip(t, pub, private, []byte("escrowed"))
			h, err := envelope.ParseHeader(msg)
			require.NoError(t, err)
			assert.Equal(t, "ns", h.DataKeys[0].ProviderID)
			assert.Equal(t, "rsa", h.DataKeys[0].ProviderInfo)
			assert.Len(t, h.DataKeys[0].Ciphertext, 256)

			// The public-key keyring cannot decrypt; the private-key one cannot encrypt.
			_, err = pub.Decrypt(context.Background(), msg, nil)
			assert.ErrorIs(t, err, envelope.ErrNoKey)
			assert.NotErrorIs(t, err, envelope.ErrDecrypt, "a missing private key is the caller's configuration, not the message")
			_, err = private.Encrypt(context.Background(), []byte("x"), nil)
			assert.ErrorIs(t, err, envelope.ErrInvalidInput)
		})
	}
	// Another padding under the same names does not open it.
	enc, _ := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, &priv.PublicKey, nil)))
	msg, err := enc.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	dec, _ := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA1, nil, priv)))
	_, err = dec.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
}

func TestRawRSAKeyringInvalid(t *testing.T) {
	priv := testRSAKey(t)
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	small, err := rsa.GenerateKey(rand.Reader, 1024) // 128 bytes: OAEP-SHA512 leaves no room for 32
	require.NoError(t, err)
	for name, f := range map[string]func() (envelope.Keyring, error){
		"no key": func() (envelope.Keyring, error) {
			return envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA256, nil, nil)
		},
		"zero padding": func() (envelope.Keyring, error) { return envelope.RawRSAKeyring("ns", "n", 0, &priv.PublicKey, nil) },
		"padding 6":    func() (envelope.Keyring, error) { return envelope.RawRSAKeyring("ns", "n", 6, &priv.PublicKey, nil) },
		"not one pair": func() (envelope.Keyring, error) {
			return envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA256, &other.PublicKey, priv)
		},
		"too small": func() (envelope.Keyring, error) {
			return envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA512, &small.PublicKey, nil)
		},
		"aws-kms": func() (envelope.Keyring, error) {
			return envelope.RawRSAKeyring("aws-kms", "n", envelope.RSAPKCS1, &priv.PublicKey, nil)
		},
		"empty public N": func() (envelope.Keyring, error) {
			return envelope.RawRSAKeyring("ns", "n", envelope.RSAPKCS1, &rsa.PublicKey{}, nil)
		},
	} {
		_, err := f()
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, name)
	}
	// A 1024-bit key is enough for OAEP-SHA256 (128 - 66 = 62 bytes).
	_, err = envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA256, &small.PublicKey, nil)
	assert.NoError(t, err)
	kr := mustKR(envelope.RawRSAKeyring("ns", "n", envelope.RSAOAEPSHA256, nil, priv))
	assert.Equal(t, "envelope.RawRSAKeyring(ns/n, OAEP-SHA256)", fmt.Sprint(kr))
	assert.Equal(t, "RSAPadding(9)", envelope.RSAPadding(9).String())
}

// A multi-keyring: the generator makes the data key, every child wraps it,
// and each alone decrypts.
func TestMultiKeyring(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	priv := testRSAKey(t)
	kmsKR := mustKR(envelope.KMSKeyring(k, keyARN))
	aesKR := mustKR(envelope.RawAESKeyring("ns", "aes", aesKey(32)))
	rsaKR := mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, &priv.PublicKey, priv))
	multi := mustKR(envelope.MultiKeyring(kmsKR, aesKR, rsaKR))
	enc, err := envelope.NewWithKeyring(multi)
	require.NoError(t, err)
	var msg []byte
	for _, kr := range []envelope.Keyring{multi, kmsKR, aesKR, rsaKR} {
		dec, err := envelope.NewWithKeyring(kr)
		require.NoError(t, err)
		msg = roundTrip(t, enc, dec, []byte("to many keys"))
	}
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	var providers []string
	for _, d := range h.DataKeys {
		providers = append(providers, d.ProviderID)
	}
	assert.Equal(t, []string{"aws-kms", "ns", "ns"}, providers, "generator first, then children in order")
	assert.Equal(t, int64(4), k.Calls("GenerateDataKey"))

	// A failing keyring does not stop the next, and when all fail the error
	// carries each one's.
	throttled := errors.New("throttled")
	k.Fault = func(context.Context, string) error { return throttled }
	dec, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(nil, kmsKR, aesKR)))
	require.NoError(t, err)
	got, err := dec.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, "to many keys", string(got))
	other := mustKR(envelope.RawAESKeyring("ns", "aes", aesKey(16)))
	dec, err = envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(kmsKR, other)))
	require.NoError(t, err)
	_, err = dec.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	assert.ErrorIs(t, err, throttled, "the KMS child's error is kept")
	assert.Contains(t, err.Error(), "raw AES key")
	assert.NotErrorIs(t, err, envelope.ErrDecrypt, "a throttled KMS is not the message's fault")

	// Encryption: one failing keyring fails the message.
	_, err = enc.Encrypt(context.Background(), []byte("x"), nil)
	assert.ErrorIs(t, err, throttled)
	k.Fault = nil

	// Construction errors; a generator-less multi-keyring only decrypts.
	_, err = envelope.MultiKeyring(nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	_, err = envelope.MultiKeyring(aesKR, nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	dOnly, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(nil, aesKR)))
	require.NoError(t, err)
	_, err = dOnly.Encrypt(context.Background(), []byte("x"), nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}

func TestNewWithKeyringInvalid(t *testing.T) {
	_, err := envelope.NewWithKeyring(nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	kr := mustKR(envelope.RawAESKeyring("ns", "n", aesKey(16)))
	for name, fn := range map[string]func(*envelope.Options){
		"additional keys": func(o *envelope.Options) {
			o.AdditionalKeyIDs = []string{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
		},
		"legacy suite":     func(o *envelope.Options) { o.Suite = envelope.SuiteAES256HKDFSHA384ECDSAP384 },
		"unknown policy":   func(o *envelope.Options) { o.CommitmentPolicy = 2 },
		"too many EDKs 0<": func(o *envelope.Options) { o.MaxEncryptedDataKeys = -1 },
	} {
		_, err := envelope.NewWithKeyring(kr, fn)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, name)
	}
	// A multi-keyring making more data keys than MaxEncryptedDataKeys fails to encrypt.
	multi := mustKR(envelope.MultiKeyring(kr, kr, kr))
	c, err := envelope.NewWithKeyring(multi, func(o *envelope.Options) { o.MaxEncryptedDataKeys = 2 })
	require.NoError(t, err)
	_, err = c.Encrypt(context.Background(), nil, nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	assert.Equal(t, "", c.KeyID())
	assert.Equal(t, "REQUIRE_ENCRYPT_ALLOW_DECRYPT", envelope.RequireEncryptAllowDecrypt.String())
	assert.Equal(t, "CommitmentPolicy(7)", envelope.CommitmentPolicy(7).String())
}

// recordingKMS answers every call with fixed data keys and records what
// was asked: key IDs and grant tokens. Decrypt answers for the KeyId it was
// given, as KMS does when the ciphertext is under that key (or, for a
// multi-Region key, its replica).
type recordingKMS struct {
	mu        sync.Mutex
	keyIDs    []string
	grants    [][]string
	dataKey   []byte
	fail      map[string]error // by requested KeyId
	answerFor string           // when set, Decrypt answers with this KeyId
}

func (r *recordingKMS) record(id *string, g []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keyIDs = append(r.keyIDs, aws.ToString(id))
	r.grants = append(r.grants, g)
}

func (r *recordingKMS) GenerateDataKey(_ context.Context, in *kms.GenerateDataKeyInput, _ ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error) {
	r.record(in.KeyId, in.GrantTokens)
	return &kms.GenerateDataKeyOutput{KeyId: in.KeyId, Plaintext: bytes.Clone(r.dataKey), CiphertextBlob: []byte("blob:" + aws.ToString(in.KeyId))}, nil
}

func (r *recordingKMS) Encrypt(_ context.Context, in *kms.EncryptInput, _ ...func(*kms.Options)) (*kms.EncryptOutput, error) {
	r.record(in.KeyId, in.GrantTokens)
	return &kms.EncryptOutput{KeyId: in.KeyId, CiphertextBlob: []byte("blob:" + aws.ToString(in.KeyId))}, nil
}

func (r *recordingKMS) Decrypt(_ context.Context, in *kms.DecryptInput, _ ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	r.record(in.KeyId, in.GrantTokens)
	if err := r.fail[aws.ToString(in.KeyId)]; err != nil {
		return nil, err
	}
	id := in.KeyId
	if r.answerFor != "" {
		id = aws.String(r.answerFor)
	}
	return &kms.DecryptOutput{KeyId: id, Plaintext: bytes.Clone(r.dataKey)}, nil
}

const (
	mrkEast  = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
	mrkWest  = "arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
	srkEast  = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	srkWest  = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	otherAcc = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	chinaKey = "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// messageUnder writes a message whose only data key is recorded under
// keyARN (the recording KMS answers GenerateDataKey with the KeyId asked).
func messageUnder(t *testing.T, keyARN string) []byte {
	t.Helper()
	r := &recordingKMS{dataKey: aesKey(32)}
	c, err := envelope.New(r, keyARN, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	require.NoError(t, err)
	msg, err := c.Encrypt(context.Background(), []byte("hello"), nil)
	require.NoError(t, err)
	return msg
}

func TestKMSKeyringMultiRegionMatch(t *testing.T) {
	for _, tc := range []struct {
		configured, inMessage string
		wantCall              string // "" for no KMS call
	}{
		{mrkEast, mrkEast, mrkEast},
		{mrkEast, mrkWest, mrkEast}, // the replica in the client's Region decrypts
		{srkEast, srkWest, ""},      // single-Region keys match only exactly
		{srkEast, srkEast, srkEast},
		{mrkEast, strings.Replace(mrkWest, "111122223333", "444455556666", 1), ""},
		{mrkEast, strings.Replace(mrkWest, "mrk-1234", "mrk-9999", 1), ""},
	} {
		t.Run(tc.configured+" "+tc.inMessage, func(t *testing.T) {
			msg := messageUnder(t, tc.inMessage)
			r := &recordingKMS{dataKey: aesKey(32)}
			c, err := envelope.NewWithKeyring(mustKR(envelope.KMSKeyring(r, tc.configured, func(o *envelope.KMSKeyringOptions) { o.GrantTokens = []string{"g1", "g2"} })))
			require.NoError(t, err)
			got, err := c.Decrypt(context.Background(), msg, nil)
			if tc.wantCall == "" {
				assert.ErrorIs(t, err, envelope.ErrNoKey)
				assert.Empty(t, r.keyIDs, "no KMS call for a key that does not match")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "hello", string(got))
			assert.Equal(t, []string{tc.wantCall}, r.keyIDs)
			assert.Equal(t, [][]string{{"g1", "g2"}}, r.grants)
		})
	}
}

func TestKMSKeyringGrantTokensOnEveryCall(t *testing.T) {
	r := &recordingKMS{dataKey: aesKey(32)}
	grants := []string{"grant-a"}
	gen := mustKR(envelope.KMSKeyring(r, srkEast, func(o *envelope.KMSKeyringOptions) { o.GrantTokens = grants }))
	child := mustKR(envelope.KMSKeyring(r, mrkEast, func(o *envelope.KMSKeyringOptions) { o.GrantTokens = grants }))
	grants[0] = "changed" // the keyring copied the slice
	c, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(gen, child)))
	require.NoError(t, err)
	msg, err := c.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	_, err = c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{srkEast, mrkEast, srkEast}, r.keyIDs, "GenerateDataKey, Encrypt, Decrypt")
	for i, g := range r.grants {
		assert.Equal(t, []string{"grant-a"}, g, "call %d", i)
	}
}

// KMS answering Decrypt for another key than the one asked: refused.
func TestKMSKeyringChecksResponseKeyID(t *testing.T) {
	msg := messageUnder(t, srkEast)
	r := &recordingKMS{dataKey: aesKey(32), answerFor: otherAcc}
	c, err := envelope.NewWithKeyring(mustKR(envelope.KMSKeyring(r, srkEast)))
	require.NoError(t, err)
	_, err = c.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	assert.Contains(t, err.Error(), otherAcc)
}

func TestKMSDiscoveryKeyring(t *testing.T) {
	for _, tc := range []struct {
		name      string
		inMessage string
		opts      func(*envelope.KMSKeyringOptions)
		wantCall  string
	}{
		{"no filter", otherAcc, nil, otherAcc},
		{"filter passes", srkEast, func(o *envelope.KMSKeyringOptions) {
			o.DiscoveryFilter = &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: []string{"999999999999", "111122223333"}}
		}, srkEast},
		{"other account", otherAcc, func(o *envelope.KMSKeyringOptions) {
			o.DiscoveryFilter = &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: []string{"111122223333"}}
		}, ""},
		{"other partition", chinaKey, func(o *envelope.KMSKeyringOptions) {
			o.DiscoveryFilter = &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: []string{"111122223333"}}
		}, ""},
		{"MRK from another Region", mrkWest, func(o *envelope.KMSKeyringOptions) { o.DiscoveryRegion = "us-east-1" }, mrkEast},
		{"single-Region key of another Region", srkWest, func(o *envelope.KMSKeyringOptions) { o.DiscoveryRegion = "us-east-1" }, ""},
		{"key of the discovery Region", srkEast, func(o *envelope.KMSKeyringOptions) { o.DiscoveryRegion = "us-east-1" }, srkEast},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := messageUnder(t, tc.inMessage)
			r := &recordingKMS{dataKey: aesKey(32)}
			var opts []func(*envelope.KMSKeyringOptions)
			if tc.opts != nil {
				opts = append(opts, tc.opts)
			}
			opts = append(opts, func(o *envelope.KMSKeyringOptions) { o.GrantTokens = []string{"g"} })
			c, err := envelope.NewWithKeyring(mustKR(envelope.KMSDiscoveryKeyring(r, opts...)))
			require.NoError(t, err)
			got, h, err := c.DecryptWithHeader(context.Background(), msg, nil)
			if tc.wantCall == "" {
				assert.ErrorIs(t, err, envelope.ErrNoKey)
				assert.ErrorIs(t, err, envelope.ErrDecrypt)
				assert.Empty(t, r.keyIDs)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "hello", string(got))
			assert.Equal(t, tc.inMessage, h.DataKeys[0].ProviderInfo)
			assert.Equal(t, []string{tc.wantCall}, r.keyIDs)
			assert.Equal(t, [][]string{{"g"}}, r.grants)
			_, err = c.Encrypt(context.Background(), []byte("x"), nil)
			assert.ErrorIs(t, err, envelope.ErrInvalidInput, "discovery cannot encrypt")
		})
	}
	// Invalid filters.
	r := &recordingKMS{}
	for name, f := range map[string]*envelope.DiscoveryFilter{
		"no partition": {AccountIDs: []string{"111122223333"}},
		"no accounts":  {Partition: "aws"},
		"bad account":  {Partition: "aws", AccountIDs: []string{"1111"}},
	} {
		_, err := envelope.KMSDiscoveryKeyring(r, func(o *envelope.KMSKeyringOptions) { o.DiscoveryFilter = f })
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, name)
	}
	_, err := envelope.KMSDiscoveryKeyring(nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	_, err = envelope.KMSKeyring(nil, srkEast)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	_, err = envelope.KMSKeyring(r, "not-an-arn")
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}

// A discovery keyring tries the message's keys in order: a key KMS refuses
// does not stop the next.
func TestKMSDiscoveryKeyringTriesEachKey(t *testing.T) {
	r := &recordingKMS{dataKey: aesKey(32)}
	enc, err := envelope.New(r, otherAcc, func(o *envelope.Options) { o.AdditionalKeyIDs = []string{srkEast} })
	require.NoError(t, err)
	msg, err := enc.Encrypt(context.Background(), []byte("hello"), nil)
	require.NoError(t, err)
	r2 := &recordingKMS{dataKey: aesKey(32), fail: map[string]error{otherAcc: errors.New("AccessDenied")}}
	c, err := envelope.NewWithKeyring(mustKR(envelope.KMSDiscoveryKeyring(r2)))
	require.NoError(t, err)
	got, err := c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
	assert.Equal(t, []string{otherAcc, srkEast}, r2.keyIDs)
}

// The cache works with every keyring: a raw AES client hits for encryption
// and decryption, and a second client with the default (unique) partition
// never sees its entries.
func TestCacheWithRawKeyring(t *testing.T) {
	cache, err := envelope.NewCache(time.Hour)
	require.NoError(t, err)
	kr := mustKR(envelope.RawAESKeyring("ns", "n", aesKey(32)))
	c, err := envelope.NewWithKeyring(kr, func(o *envelope.Options) { o.Cache = cache })
	require.NoError(t, err)
	var edk []byte
	for i := range 3 {
		msg := roundTrip(t, c, c, []byte("cached"))
		h, _ := envelope.ParseHeader(msg)
		if i == 0 {
			edk = h.DataKeys[0].Ciphertext
		}
		assert.Equal(t, edk, h.DataKeys[0].Ciphertext, "message %d reuses the data key", i)
	}
	s := cache.Stats()
	assert.Equal(t, uint64(2), s.EncryptHits)
	assert.Equal(t, uint64(5), s.DecryptHits, "Decrypt and DecryptStream of 3 messages: one miss")
	other, err := envelope.NewWithKeyring(kr, func(o *envelope.Options) { o.Cache = cache })
	require.NoError(t, err)
	roundTrip(t, other, other, []byte("x"))
	assert.Equal(t, uint64(2), cache.Stats().EncryptHits, "another partition misses")
}

var _ io.Reader = (*envelope.Reader)(nil)

// EncryptStream works with any keyring: a stream written to an RSA public
// key alone opens with the private key alone, whole and streamed.
func TestEncryptStreamWithRawKeyring(t *testing.T) {
	priv := testRSAKey(t)
	enc, err := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA512, &priv.PublicKey, nil)), func(o *envelope.Options) { o.FrameLength = 64 })
	require.NoError(t, err)
	var msg bytes.Buffer
	w, err := enc.EncryptStream(context.Background(), &msg, map[string]string{"k": "v"})
	require.NoError(t, err)
	pt := bytes.Repeat([]byte("stream "), 100)
	_, err = w.Write(pt)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	dec, err := envelope.NewWithKeyring(mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA512, nil, priv)))
	require.NoError(t, err)
	whole, streamed, errWhole, errStream := decryptBoth(dec, msg.Bytes(), map[string]string{"k": "v"})
	require.NoError(t, errWhole)
	require.NoError(t, errStream)
	assert.Equal(t, pt, whole)
	assert.Equal(t, pt, streamed)
}

// Two raw AES keyrings under the same names but different keys (a rotated
// key kept under its old name), in one shared cache partition, never share
// entries: each client's messages open with its own key alone.
func TestCacheTellsRawKeysApart(t *testing.T) {
	cache, err := envelope.NewCache(time.Hour)
	require.NoError(t, err)
	shared := func(o *envelope.Options) { o.Cache, o.CachePartition = cache, "trusted" }
	krA := mustKR(envelope.RawAESKeyring("ns", "same-name", aesKey(32)))
	krB := mustKR(envelope.RawAESKeyring("ns", "same-name", aesKey(16)))
	a, _ := envelope.NewWithKeyring(krA, shared)
	b, _ := envelope.NewWithKeyring(krB, shared)
	roundTrip(t, a, a, []byte("a"))
	msgB := roundTrip(t, b, b, []byte("b"))
	fresh, _ := envelope.NewWithKeyring(krB) // no cache: the key alone
	got, err := fresh.Decrypt(context.Background(), msgB, map[string]string{"purpose": "test"})
	require.NoError(t, err)
	assert.Equal(t, "b", string(got))
	assert.Equal(t, uint64(0), cache.Stats().EncryptHits)
	// The same keyring in two clients of the partition does share.
	a2, _ := envelope.NewWithKeyring(krA, shared)
	roundTrip(t, a2, a2, []byte("a"))
	assert.Equal(t, uint64(1), cache.Stats().EncryptHits)
}

// One keyring serves many goroutines and clients at once (run with -race).
func TestKeyringsConcurrent(t *testing.T) {
	k := kmstest.New()
	priv := testRSAKey(t)
	kr := mustKR(envelope.MultiKeyring(
		mustKR(envelope.RawAESKeyring("ns", "aes", aesKey(32))),
		mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, &priv.PublicKey, priv)),
		mustKR(envelope.KMSKeyring(k, k.MustCreateKey())),
	))
	cache, _ := envelope.NewCache(time.Hour)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := envelope.NewWithKeyring(kr, func(o *envelope.Options) {
				if i%2 == 0 {
					o.Cache, o.CachePartition = cache, "shared"
				}
			})
			if err != nil {
				t.Error(err)
				return
			}
			for j := range 5 {
				pt := []byte(fmt.Sprintf("goroutine %d message %d", i, j))
				msg, err := c.Encrypt(context.Background(), pt, nil)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := c.Decrypt(context.Background(), msg, nil)
				if err != nil || !bytes.Equal(got, pt) {
					t.Errorf("goroutine %d: %v", i, err)
				}
			}
		}()
	}
	wg.Wait()
}
