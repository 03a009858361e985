package envelope_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// DecryptWithHeader and Reader.Header give the authenticated suite, the full
// encryption context and the data keys (issue 12, item 2).
func TestDecryptWithHeader(t *testing.T) {
	k := kmstest.New()
	keyARN, second := k.MustCreateKey(), k.MustCreateKey()
	ec := map[string]string{"tenant": "acme", "purpose": "audit"}
	for _, suite := range suites {
		c := newClient(t, k, keyARN, func(o *envelope.Options) {
			o.Suite, o.AdditionalKeyIDs, o.FrameLength = suite, []string{second}, 5
		})
		msg, err := c.Encrypt(context.Background(), []byte("attack at dawn"), ec)
		require.NoError(t, err)
		parsed, err := envelope.ParseHeader(msg)
		require.NoError(t, err)

		pt, h, err := c.DecryptWithHeader(context.Background(), msg, map[string]string{"tenant": "acme"})
		require.NoError(t, err)
		assert.Equal(t, "attack at dawn", string(pt))
		r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		require.NoError(t, err)
		streamed, err := io.ReadAll(r)
		require.NoError(t, err)
		assert.Equal(t, pt, streamed)

		for name, h := range map[string]*envelope.Header{"DecryptWithHeader": h, "Reader.Header": r.Header()} {
			require.NotNil(t, h, name)
			assert.Equal(t, suite, h.Suite, name)
			assert.Equal(t, parsed.MessageID, h.MessageID, name)
			assert.Equal(t, 5, h.FrameLength, name)
			assert.Equal(t, parsed.Size, h.Size, name)
			assert.Equal(t, "acme", h.EncryptionContext["tenant"], name)
			assert.Equal(t, "audit", h.EncryptionContext["purpose"], name, "pairs the caller did not require are there too")
			_, hasKey := h.EncryptionContext["aws-crypto-public-key"]
			assert.Equal(t, suite == envelope.SuiteCommitKeyECDSAP384, hasKey, name)
			assert.Len(t, h.EncryptionContext, len(parsed.EncryptionContext), name)
			require.Len(t, h.DataKeys, 2, name)
			assert.Equal(t, keyARN, h.DataKeys[0].ProviderInfo, name)
			assert.Equal(t, second, h.DataKeys[1].ProviderInfo, name)
			assert.Equal(t, parsed.DataKeys, h.DataKeys, name)
		}

		bad := bytes.Clone(msg)
		bad[len(bad)-1] ^= 1
		pt, h, err = c.DecryptWithHeader(context.Background(), bad, nil)
		assert.ErrorIs(t, err, envelope.ErrDecrypt)
		assert.Nil(t, pt)
		assert.Nil(t, h, "no header for a message that did not authenticate")
	}
}

// With UnsignedOnly, a signed message is refused right after its header:
// ErrSignedMessage (and ErrDecrypt), no KMS call, no plaintext, nothing read
// past the header; unsigned messages decrypt as before (issue 12, item 3).
func TestUnsignedOnly(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	signed := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKeyECDSAP384 })
	unsigned := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	strict := newClient(t, k, keyARN, func(o *envelope.Options) { o.UnsignedOnly = true; o.Suite = envelope.SuiteCommitKey })

	sMsg, err := signed.Encrypt(context.Background(), bytes.Repeat([]byte("p"), 10_000), nil)
	require.NoError(t, err)
	uMsg, err := unsigned.Encrypt(context.Background(), []byte("plain"), nil)
	require.NoError(t, err)
	h, err := envelope.ParseHeader(sMsg)
	require.NoError(t, err)

	before := k.Calls("Decrypt")
	pt, err := strict.Decrypt(context.Background(), sMsg, nil)
	assert.ErrorIs(t, err, envelope.ErrSignedMessage)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
	assert.Nil(t, pt)
	pt, hdr, err := strict.DecryptWithHeader(context.Background(), sMsg, nil)
	assert.ErrorIs(t, err, envelope.ErrSignedMessage)
	assert.Nil(t, pt)
	assert.Nil(t, hdr)

	src := bytes.NewReader(sMsg)
	r, err := strict.DecryptStream(context.Background(), src, nil)
	assert.ErrorIs(t, err, envelope.ErrSignedMessage)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
	assert.Nil(t, r)
	assert.Equal(t, len(sMsg)-h.Size, src.Len(), "nothing read past the header")
	assert.Equal(t, before, k.Calls("Decrypt"), "no KMS call for a refused message")

	pt, err = strict.Decrypt(context.Background(), uMsg, nil)
	require.NoError(t, err)
	assert.Equal(t, "plain", string(pt))
	r, err = strict.DecryptStream(context.Background(), bytes.NewReader(uMsg), nil)
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "plain", string(got))

	// Without the option, the signed message decrypts.
	_, err = unsigned.Decrypt(context.Background(), sMsg, nil)
	require.NoError(t, err)
}
