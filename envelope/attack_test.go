package envelope_test

// An adversarial review of the keyrings and of format version 1 (issue 14)
// and of issue 12's fixes: each test is an attack that must fail closed.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/internal/legacymsg"
)

// A v2 header naming a non-committing suite and a v1 header naming a
// committing one are malformed under either policy: the suite cannot be
// swapped to step around the commitment policy.
func TestAttackSuiteVersionConfusion(t *testing.T) {
	v1 := legacyMessage(t, 0x0078, 0, []byte("legacy"))
	kr := mustKR(envelope.RawAESKeyring("legacy", "aes", legacyKey))
	enc, err := envelope.NewWithKeyring(kr, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	require.NoError(t, err)
	v2, err := enc.Encrypt(context.Background(), []byte("modern"), nil)
	require.NoError(t, err)

	v2legacy := bytes.Clone(v2)
	binary.BigEndian.PutUint16(v2legacy[1:], 0x0078) // version 2, suite of version 1
	v1committing := bytes.Clone(v1)
	binary.BigEndian.PutUint16(v1committing[2:], 0x0478) // version 1, suite of version 2
	v1as2 := bytes.Clone(v1)
	v1as2[0] = 2 // a version 1 message relabelled as version 2
	for name, msg := range map[string][]byte{"v2 header, suite 0x0078": v2legacy, "v1 header, suite 0x0478": v1committing, "v1 relabelled 2": v1as2} {
		_, err := envelope.ParseHeader(msg)
		assert.ErrorIs(t, err, envelope.ErrMalformed, name)
		for _, policy := range []envelope.CommitmentPolicy{envelope.RequireEncryptRequireDecrypt, envelope.RequireEncryptAllowDecrypt} {
			c := legacyClient(t, func(o *envelope.Options) { o.CommitmentPolicy = policy })
			whole, streamed, errWhole, errStream := decryptBoth(c, msg, nil)
			assert.Nil(t, whole, name)
			assert.Empty(t, streamed, name)
			assert.ErrorIs(t, errWhole, envelope.ErrDecrypt, "%s under %v", name, policy)
			assert.ErrorIs(t, errStream, envelope.ErrDecrypt, "%s under %v", name, policy)
		}
	}
	// Under the default policy, every legacy suite is refused as such, framed or not.
	for _, s := range []uint16{0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378} {
		for _, fl := range []int{0, 64} {
			msg := legacyMessage(t, s, fl, []byte("x"))
			c := legacyClient(t, func(o *envelope.Options) { o.CommitmentPolicy = envelope.RequireEncryptRequireDecrypt })
			_, _, errWhole, errStream := decryptBoth(c, msg, nil)
			assert.ErrorIs(t, errWhole, envelope.ErrCommitmentPolicy, "suite %#04x frame %d", s, fl)
			assert.ErrorIs(t, errStream, envelope.ErrCommitmentPolicy, "suite %#04x frame %d", s, fl)
		}
	}
}

// legacyWithEDKs builds a 0x0078 message of "x" whose data keys are edks
// (wrapped by the caller under the context {"purpose": "legacy"}).
func legacyWithEDKs(t *testing.T, edks ...legacymsg.DataKey) []byte {
	t.Helper()
	s, _ := legacymsg.SuiteByID(0x0078)
	m := &legacymsg.Message{Suite: s, Context: map[string]string{"purpose": "legacy"}, DataKey: aesKey(32),
		FrameLength: 64, Plaintext: []byte("x"), DataKeys: edks}
	msg, err := legacymsg.Build(m)
	require.NoError(t, err)
	return msg
}

// A raw AES data key whose provider info lies (tag length, IV length, a
// name that is a prefix or an extension of the keyring's) is not opened:
// ErrNoKey, matching ErrDecrypt, whether or not the ciphertext is genuine.
func TestAttackRawAESProviderInfo(t *testing.T) {
	ec := map[string]string{"purpose": "legacy"}
	iv := bytes.Repeat([]byte{9}, 12)
	good, err := legacymsg.WrapAES("legacy", "aes", legacyKey, iv, aesKey(32), ec)
	require.NoError(t, err)
	require.Equal(t, "x", string(mustDecrypt(t, legacyClient(t), legacyWithEDKs(t, good))))

	with := func(info []byte) legacymsg.DataKey {
		return legacymsg.DataKey{ProviderID: "legacy", ProviderInfo: info, Ciphertext: good.Ciphertext}
	}
	field := func(tagBits, ivLen uint32, name string) []byte {
		b := append([]byte(name), 0, 0, 0, 0, 0, 0, 0, 0)
		binary.BigEndian.PutUint32(b[len(name):], tagBits)
		binary.BigEndian.PutUint32(b[len(name)+4:], ivLen)
		return append(b, iv...)
	}
	for name, edk := range map[string]legacymsg.DataKey{
		"tag length 96 bits":        with(field(96, 12, "aes")),
		"tag length 16 (bytes)":     with(field(16, 12, "aes")),
		"IV length 16":              with(field(128, 16, "aes")),
		"IV length 0":               with(field(128, 0, "aes")),
		"IV length 2^32-1":          with(field(128, 0xFFFFFFFF, "aes")),
		"IV shorter than its field": with(field(128, 12, "aes")[:3+8+8]),
		"IV longer than its field":  with(append(field(128, 12, "aes"), 0)),
		"name prefix":               with(field(128, 12, "ae")),
		"name extended":             with(field(128, 12, "aesX")),
		"name case":                 with(field(128, 12, "AES")),
		"namespace case":            {ProviderID: "Legacy", ProviderInfo: good.ProviderInfo, Ciphertext: good.Ciphertext},
		"no info at all":            with(nil),
		"ciphertext truncated":      {ProviderID: "legacy", ProviderInfo: good.ProviderInfo, Ciphertext: good.Ciphertext[:16]},
		"ciphertext empty":          {ProviderID: "legacy", ProviderInfo: good.ProviderInfo},
	} {
		whole, streamed, errWhole, errStream := decryptBoth(legacyClient(t), legacyWithEDKs(t, edk), nil)
		assert.Nil(t, whole, name)
		assert.Empty(t, streamed, name)
		assert.ErrorIs(t, errWhole, envelope.ErrNoKey, name)
		assert.ErrorIs(t, errWhole, envelope.ErrDecrypt, name)
		assert.ErrorIs(t, errStream, envelope.ErrNoKey, name)
	}
	// The lying key first, the genuine one second: the second still opens.
	msg := legacyWithEDKs(t, with(field(96, 12, "aes")), good)
	assert.Equal(t, "x", string(mustDecrypt(t, legacyClient(t), msg)))
}

func mustDecrypt(t *testing.T, c *envelope.Client, msg []byte) []byte {
	t.Helper()
	whole, streamed, errWhole, errStream := decryptBoth(c, msg, nil)
	require.NoError(t, errWhole)
	require.NoError(t, errStream)
	require.Equal(t, whole, streamed)
	return whole
}

// Raw keyrings cannot take the KMS provider ID (or anything starting with
// it), so a raw key never answers for a KMS data key, and a KMS keyring
// never sends a raw key's ciphertext to KMS.
func TestAttackProviderNamespaces(t *testing.T) {
	priv := testRSAKey(t)
	for _, ns := range []string{"aws-kms", "aws-kms-mrk", "aws-kmsx"} {
		_, err := envelope.RawAESKeyring(ns, srkEast, aesKey(32))
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, ns)
		_, err = envelope.RawRSAKeyring(ns, srkEast, envelope.RSAOAEPSHA256, &priv.PublicKey, priv)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, ns)
	}
	// A raw AES key named like a KMS key ARN: its data key is not tried by a
	// strict KMS keyring for that ARN, nor by discovery.
	raw := mustKR(envelope.RawAESKeyring("kms-lookalike", srkEast, aesKey(32)))
	enc, err := envelope.NewWithKeyring(raw, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	require.NoError(t, err)
	msg, err := enc.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	r := &recordingKMS{dataKey: aesKey(32)}
	for _, kr := range []envelope.Keyring{mustKR(envelope.KMSKeyring(r, srkEast)), mustKR(envelope.KMSDiscoveryKeyring(r))} {
		c, err := envelope.NewWithKeyring(kr)
		require.NoError(t, err)
		_, err = c.Decrypt(context.Background(), msg, nil)
		assert.ErrorIs(t, err, envelope.ErrNoKey)
	}
	assert.Empty(t, r.keyIDs, "no KMS call for a raw key's data key")
}

// Discovery filters compare the parsed partition and account of a strictly
// parsed key ARN: ARNs with extra fields, other spellings or aliases are
// never sent to KMS.
func TestAttackDiscoveryFilterBypass(t *testing.T) {
	filter := func(o *envelope.KMSKeyringOptions) {
		o.DiscoveryFilter = &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: []string{"111122223333"}}
	}
	for _, inMessage := range []string{
		srkEast + ":extra",
		"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab/extra",
		"arn:aws:kms:us-east-1:111122223333:alias/mine",
		"arn:aws:kms:us-east-1:111122223333:alias/mrk-1234abcd12ab34cd56ef1234567890ab",
		"arn:AWS:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-east-1:1111222233334:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-east-1:11112222333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-east-1::key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-east-1:444455556666:key/111122223333",
		"arn:aws:iam::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"1234abcd-12ab-34cd-56ef-1234567890ab",
		" " + srkEast,
	} {
		msg := messageUnderAnyID(t, inMessage)
		r := &recordingKMS{dataKey: aesKey(32)}
		c, err := envelope.NewWithKeyring(mustKR(envelope.KMSDiscoveryKeyring(r, filter)))
		require.NoError(t, err)
		_, err = c.Decrypt(context.Background(), msg, nil)
		assert.ErrorIs(t, err, envelope.ErrNoKey, inMessage)
		assert.Empty(t, r.keyIDs, "KMS called for %q", inMessage)
	}
}

// messageUnderAnyID writes a message whose one data key has provider "aws-kms"
// and provider info id, whatever id is (KMS never answers with such IDs: the
// message is hand-edited by an attacker, re-authenticated with a data key
// the attacker chose).
func messageUnderAnyID(t *testing.T, id string) []byte {
	t.Helper()
	// A raw AES message, with its data key record rewritten; the header tag
	// then fails, but only after a keyring accepted the data key, so every
	// KMS call the keyring would make is still made and recorded.
	raw := mustKR(envelope.RawAESKeyring("ns", "n", aesKey(32)))
	enc, err := envelope.NewWithKeyring(raw, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	require.NoError(t, err)
	msg, err := enc.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	require.Len(t, h.DataKeys, 1)
	// Header layout: 1 + 2 + 32 + 2 (empty context) + 2 (count), then the key.
	off := 1 + 2 + 32 + 2 + 2
	var out []byte
	out = append(out, msg[:off]...)
	out = binary.BigEndian.AppendUint16(out, uint16(len("aws-kms")))
	out = append(out, "aws-kms"...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(id)))
	out = append(out, id...)
	out = binary.BigEndian.AppendUint16(out, 4)
	out = append(out, "blob"...)
	rest := off + 2 + len(h.DataKeys[0].ProviderID) + 2 + len(h.DataKeys[0].ProviderInfo) + 2 + len(h.DataKeys[0].Ciphertext)
	out = append(out, msg[rest:]...)
	_, err = envelope.ParseHeader(out)
	require.NoError(t, err)
	return out
}

// Multi-Region key matching: the same mrk- key ID in another Region
// matches; another account, partition, a single-Region key with the same
// ID text, or an alias do not, and no KMS call is made for them.
func TestAttackMRKMatch(t *testing.T) {
	for _, tc := range []struct {
		inMessage string
		match     bool
	}{
		{mrkWest, true},
		{"arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", true},
		{"arn:aws:kms:us-west-2:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab", false},
		{"arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", false},
		{"arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ac", false},
		{"arn:aws:kms:us-west-2:111122223333:alias/mrk-1234abcd12ab34cd56ef1234567890ab", false},
		{"arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab:x", false},
		{"arn:aws:kms:us-west-2:111122223333:key/MRK-1234abcd12ab34cd56ef1234567890ab", false},
	} {
		msg := messageUnderAnyID(t, tc.inMessage)
		r := &recordingKMS{dataKey: aesKey(32)}
		c, err := envelope.NewWithKeyring(mustKR(envelope.KMSKeyring(r, mrkEast)))
		require.NoError(t, err)
		_, err = c.Decrypt(context.Background(), msg, nil)
		require.Error(t, err)
		if tc.match {
			assert.Equal(t, []string{mrkEast}, r.keyIDs, "%s: KMS called with the configured key", tc.inMessage)
		} else {
			assert.Empty(t, r.keyIDs, tc.inMessage)
			assert.ErrorIs(t, err, envelope.ErrNoKey, tc.inMessage)
		}
	}
	// A single-Region key configured: a key of another Region with the same ID never matches.
	msg := messageUnderAnyID(t, srkWest)
	r := &recordingKMS{dataKey: aesKey(32)}
	c, err := envelope.NewWithKeyring(mustKR(envelope.KMSKeyring(r, srkEast)))
	require.NoError(t, err)
	_, err = c.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	assert.Empty(t, r.keyIDs)
}

// No keyring, Client made with one, or decryption error shows key material
// under any fmt verb or slog handler: raw AES keys, RSA private exponents
// and primes, data keys.
func TestAttackNoSecretsInKeyrings(t *testing.T) {
	aes := bytes.Repeat([]byte{0xC3, 0x5A}, 16)
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	r := &recordingKMS{dataKey: aes}
	aesKR := mustKR(envelope.RawAESKeyring("ns", "aes", aes))
	rsaKR := mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, &priv.PublicKey, priv))
	kmsKR := mustKR(envelope.KMSKeyring(r, srkEast))
	disc := mustKR(envelope.KMSDiscoveryKeyring(r))
	multi := mustKR(envelope.MultiKeyring(aesKR, rsaKR, kmsKR, disc))
	c, err := envelope.NewWithKeyring(multi)
	require.NoError(t, err)
	// An error from each keyring: a message none of them can open.
	other, err := envelope.NewWithKeyring(mustKR(envelope.RawAESKeyring("ns", "aes", aesKey(32))))
	require.NoError(t, err)
	msg, err := other.Encrypt(context.Background(), []byte("secret plaintext"), nil)
	require.NoError(t, err)
	_, decErr := c.Decrypt(context.Background(), msg, nil)
	require.Error(t, decErr)

	secrets := map[string][]byte{"AES key": aes, "RSA D": priv.D.Bytes(), "RSA P": priv.Primes[0].Bytes(), "RSA Q": priv.Primes[1].Bytes()}
	forms := func(s []byte) []string {
		return []string{string(s), hex.EncodeToString(s), strings.ToUpper(hex.EncodeToString(s)),
			base64.StdEncoding.EncodeToString(s), strings.Trim(fmt.Sprint(s), "[]"), fmt.Sprintf("%q", s)[1:20]}
	}
	values := map[string]any{"AES keyring": aesKR, "RSA keyring": rsaKR, "KMS keyring": kmsKR, "discovery": disc,
		"multi": multi, "client": c, "error": decErr, "in a struct": struct{ K envelope.Keyring }{multi}}
	for name, v := range values {
		var out strings.Builder
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		slog.New(slog.NewTextHandler(&out, nil)).Info("m", "v", v)
		slog.New(slog.NewJSONHandler(&out, nil)).Info("m", "v", v)
		for sname, s := range secrets {
			for _, f := range forms(s) {
				if strings.Contains(out.String(), f) {
					t.Errorf("%s: output shows the %s (as %.20q...)", name, sname, f)
				}
			}
		}
	}
}

// valueCredentials holds credentials by value, as the SDK's
// credentials.StaticCredentialsProvider does.
type valueCredentials struct{ v aws.Credentials }

func (p valueCredentials) Retrieve(context.Context) (aws.Credentials, error) { return p.v, nil }

// A KMS keyring printed with a verb that is not %v (%s, %d, %x: fmt then
// prints the nested client one level deep) must not show the KMS client's
// contents: a *kms.Client with static credentials
// (credentials.NewStaticCredentialsProvider) holds the secret access key and
// session token by value.
func TestAttackKMSKeyringHidesClient(t *testing.T) {
	const secret, token = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "SESSIONTOKENEXAMPLE1234567890"
	client := kms.New(kms.Options{Region: "us-east-1", Credentials: valueCredentials{aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret, SessionToken: token}}})
	strict := mustKR(envelope.KMSKeyring(client, srkEast, func(o *envelope.KMSKeyringOptions) { o.GrantTokens = []string{"g"} }))
	disc := mustKR(envelope.KMSDiscoveryKeyring(client))
	multi := mustKR(envelope.MultiKeyring(strict, disc))
	c, err := envelope.New(client, srkEast)
	require.NoError(t, err)
	for name, v := range map[string]any{"strict": strict, "discovery": disc, "multi": multi, "client": c} {
		var out strings.Builder
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		slog.New(slog.NewTextHandler(&out, nil)).Info("m", "v", v)
		slog.New(slog.NewJSONHandler(&out, nil)).Info("m", "v", v)
		for _, s := range []string{secret, token, hex.EncodeToString([]byte(secret)), hex.EncodeToString([]byte(token))} {
			assert.NotContains(t, out.String(), s, name)
		}
	}
}

// The policy is the first thing said about a legacy message: a frame length
// over MaxFrameLength must not hide it behind ErrMalformed in DecryptStream
// (the caller would not learn that RequireEncryptAllowDecrypt reads it).
func TestAttackPolicyBeforeFrameLimit(t *testing.T) {
	msg := legacyMessage(t, 0x0078, 4096, []byte("x"))
	c := legacyClient(t, func(o *envelope.Options) {
		o.CommitmentPolicy = envelope.RequireEncryptRequireDecrypt
		o.MaxFrameLength = 1024
	})
	_, _, errWhole, errStream := decryptBoth(c, msg, nil)
	assert.ErrorIs(t, errWhole, envelope.ErrCommitmentPolicy)
	assert.ErrorIs(t, errStream, envelope.ErrCommitmentPolicy)
}

// MaxEncryptedDataKeys bounds version 1 headers too, whole and streamed.
func TestAttackMaxEncryptedDataKeysV1(t *testing.T) {
	ec := map[string]string{"purpose": "legacy"}
	var edks []legacymsg.DataKey
	for i := range 11 {
		edk, err := legacymsg.WrapAES("legacy", fmt.Sprintf("other-%d", i), legacyKey, bytes.Repeat([]byte{byte(i)}, 12), aesKey(32), ec)
		require.NoError(t, err)
		edks = append(edks, edk)
	}
	good, err := legacymsg.WrapAES("legacy", "aes", legacyKey, bytes.Repeat([]byte{1}, 12), aesKey(32), ec)
	require.NoError(t, err)
	msg := legacyWithEDKs(t, append(edks, good)...) // 12 keys, the genuine one last
	_, _, errWhole, errStream := decryptBoth(legacyClient(t), msg, nil)
	assert.ErrorIs(t, errWhole, envelope.ErrMalformed)
	assert.ErrorIs(t, errStream, envelope.ErrMalformed)
	got := mustDecrypt(t, legacyClient(t, func(o *envelope.Options) { o.MaxEncryptedDataKeys = 12 }), msg)
	assert.Equal(t, "x", string(got))
}

// A non-framed body whose content length field lies (up to 2^64-1) fails
// with ErrDecrypt and releases nothing, whole and streamed, on every
// platform (GOARCH=386 included).
func TestAttackNonFramedLength(t *testing.T) {
	pt := bytes.Repeat([]byte("n"), 100)
	for _, suite := range []uint16{0x0078, 0x0378} {
		msg := legacyMessage(t, suite, 0, pt)
		h, err := envelope.ParseHeader(msg)
		require.NoError(t, err)
		at := h.Size + 12
		require.Equal(t, uint64(len(pt)), binary.BigEndian.Uint64(msg[at:]))
		for _, cl := range []uint64{0, 99, 101, 1 << 31, 1<<32 - 1, 1 << 32, 1<<36 - 32, 1<<36 - 31, 1 << 63, 1<<64 - 1} {
			bad := bytes.Clone(msg)
			binary.BigEndian.PutUint64(bad[at:], cl)
			whole, streamed, errWhole, errStream := decryptBoth(legacyClient(t), bad, nil)
			assert.Nil(t, whole, "length %d", cl)
			assert.Empty(t, streamed, "length %d", cl)
			assert.ErrorIs(t, errWhole, envelope.ErrDecrypt, "length %d", cl)
			assert.ErrorIs(t, errStream, envelope.ErrDecrypt, "length %d", cl)
			r, err := legacyClient(t).DecryptStream(context.Background(), bytes.NewReader(bad), nil)
			require.NoError(t, err)
			var w bytes.Buffer
			n, err := r.WriteTo(&w)
			assert.Zero(t, n)
			assert.Zero(t, w.Len())
			assert.ErrorIs(t, err, envelope.ErrDecrypt)
		}
	}
}

// A Client that shares a cache partition with one that may read legacy
// messages still applies its own commitment policy to a cached data key,
// and a discovery keyring filtered to another account never reads a strict
// keyring's entry.
func TestAttackCachePartitionPolicyAndKeyring(t *testing.T) {
	cache, err := envelope.NewCache(time.Hour)
	require.NoError(t, err)
	shared := func(o *envelope.Options) { o.Cache, o.CachePartition = cache, "shared" }
	msg := legacyMessage(t, 0x0078, 64, []byte("x"))
	assert.Equal(t, "x", string(mustDecrypt(t, legacyClient(t, shared), msg)))
	strictPolicy := legacyClient(t, shared, func(o *envelope.Options) { o.CommitmentPolicy = envelope.RequireEncryptRequireDecrypt })
	_, _, errWhole, errStream := decryptBoth(strictPolicy, msg, nil)
	assert.ErrorIs(t, errWhole, envelope.ErrCommitmentPolicy)
	assert.ErrorIs(t, errStream, envelope.ErrCommitmentPolicy)

	kmsMsg := messageUnder(t, srkEast)
	r := &recordingKMS{dataKey: aesKey(32)}
	strict, err := envelope.NewWithKeyring(mustKR(envelope.KMSKeyring(r, srkEast)), shared)
	require.NoError(t, err)
	_, err = strict.Decrypt(context.Background(), kmsMsg, nil)
	require.NoError(t, err)
	denied := &recordingKMS{dataKey: aesKey(32), fail: map[string]error{srkEast: errors.New("AccessDenied")}}
	for _, f := range []*envelope.DiscoveryFilter{{Partition: "aws", AccountIDs: []string{"444455556666"}}, nil} {
		disc, err := envelope.NewWithKeyring(mustKR(envelope.KMSDiscoveryKeyring(denied, func(o *envelope.KMSKeyringOptions) { o.DiscoveryFilter = f })), shared)
		require.NoError(t, err)
		_, err = disc.Decrypt(context.Background(), kmsMsg, nil)
		assert.Error(t, err, "discovery with filter %v decrypted from the strict keyring's cache entry", f)
	}
}

// One Client and one Cache shared by goroutines reading version 1 and 2
// messages, whole and streamed, while another Client in the same partition
// encrypts: run with -race.
func TestAttackSharedClientConcurrent(t *testing.T) {
	cache, err := envelope.NewCache(time.Hour)
	require.NoError(t, err)
	shared := func(o *envelope.Options) { o.Cache, o.CachePartition = cache, "p" }
	dec := legacyClient(t, shared)
	enc := legacyClient(t, shared, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	msgs := [][]byte{legacyMessage(t, 0x0378, 0, []byte("a")), legacyMessage(t, 0x0114, 7, []byte("bbbbbbbbbbbbbbb"))}
	done := make(chan error, 8)
	for g := range 8 {
		go func() {
			var err error
			for i := range 10 {
				if g%2 == 0 {
					var m []byte
					if m, err = enc.Encrypt(context.Background(), []byte("c"), nil); err == nil {
						_, err = dec.Decrypt(context.Background(), m, nil)
					}
				} else {
					var r *envelope.Reader
					if r, err = dec.DecryptStream(context.Background(), bytes.NewReader(msgs[i%2]), nil); err == nil {
						_, err = io.ReadAll(r)
					}
				}
				if err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range 8 {
		assert.NoError(t, <-done)
	}
	assert.NotZero(t, cache.Stats().DecryptHits)
}

// KMSDiscoveryKeyring copies its filter: a caller changing the filter it
// passed (its partition or an account) cannot widen what the keyring trusts.
func TestAttackDiscoveryFilterCopied(t *testing.T) {
	f := &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: []string{"111122223333"}}
	r := &recordingKMS{dataKey: aesKey(32)}
	c, err := envelope.NewWithKeyring(mustKR(envelope.KMSDiscoveryKeyring(r, func(o *envelope.KMSKeyringOptions) { o.DiscoveryFilter = f })))
	require.NoError(t, err)
	f.AccountIDs[0], f.Partition = "444455556666", "aws-cn"
	f.AccountIDs = append(f.AccountIDs, "444455556666")
	_, err = c.Decrypt(context.Background(), messageUnder(t, otherAcc), nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	assert.Empty(t, r.keyIDs)
	got, err := c.Decrypt(context.Background(), messageUnder(t, srkEast), nil)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
}

// A multi-keyring whose child cannot encrypt (discovery, an RSA keyring
// with only a private key) fails Encrypt with ErrInvalidInput, as its doc
// says, and still decrypts with the children that can.
func TestAttackMultiChildCannotEncrypt(t *testing.T) {
	priv := testRSAKey(t)
	aesKR := mustKR(envelope.RawAESKeyring("ns", "aes", aesKey(32)))
	for name, child := range map[string]envelope.Keyring{
		"discovery":        mustKR(envelope.KMSDiscoveryKeyring(&recordingKMS{dataKey: aesKey(32)})),
		"RSA private only": mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, nil, priv)),
	} {
		c, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(aesKR, child)))
		require.NoError(t, err)
		_, err = c.Encrypt(context.Background(), []byte("x"), nil)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, name)
	}
	_, err := envelope.MultiKeyring(nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	_, err = envelope.MultiKeyring(aesKR, nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}

// A non-framed body's content length is not authenticated until its tag:
// DecryptStream must not allocate what the length field claims before the
// bytes arrive. A captured message (valid header) whose length field says
// 60 MiB, followed by a few bytes, must cost about what was sent, not
// 60 MiB per call.
func TestAttackNonFramedLengthAllocation(t *testing.T) {
	msg := legacyMessage(t, 0x0078, 0, []byte("tiny"))
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	bad := bytes.Clone(msg)
	binary.BigEndian.PutUint64(bad[h.Size+12:], 60<<20)
	c := legacyClient(t)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := c.DecryptStream(context.Background(), bytes.NewReader(bad), nil)
	require.NoError(t, err)
	_, err = io.ReadAll(r)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4<<20), "bytes allocated for a %d-byte message", len(bad))

	// Contents longer than the first block still stream, signed or not, and
	// a flipped last byte still releases nothing.
	for _, suite := range []uint16{0x0078, 0x0378} {
		pt := bytes.Repeat([]byte("0123456789abcdef"), 200<<10/16+3)
		msg := legacyMessage(t, suite, 0, pt)
		got := mustDecrypt(t, c, msg)
		assert.Equal(t, pt, got)
		msg[len(msg)-1] ^= 1
		r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		require.NoError(t, err)
		got, err = io.ReadAll(r)
		assert.Empty(t, got)
		assert.ErrorIs(t, err, envelope.ErrDecrypt)
	}
}

// In discovery the message names the key: a key ARN of an allowed account
// that does not exist (KMS NotFoundException) is the message's fault and
// matches ErrDecrypt, so a caller that retries other failures does not
// retry such a message forever. A strict keyring's own key not found is a
// configuration problem and does not match ErrDecrypt.
func TestAttackDiscoveryUnknownKeyIsMessageFailure(t *testing.T) {
	msg := messageUnder(t, srkEast)
	notFound := &recordingKMS{dataKey: aesKey(32), fail: map[string]error{srkEast: &types.NotFoundException{Message: aws.String("key does not exist")}}}
	disc, err := envelope.NewWithKeyring(mustKR(envelope.KMSDiscoveryKeyring(notFound)))
	require.NoError(t, err)
	_, err = disc.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
	var nf *types.NotFoundException
	assert.ErrorAs(t, err, &nf)

	strict, err := envelope.NewWithKeyring(mustKR(envelope.KMSKeyring(notFound, srkEast)))
	require.NoError(t, err)
	_, err = strict.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	assert.NotErrorIs(t, err, envelope.ErrDecrypt)
}
