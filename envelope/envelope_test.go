package envelope_test

import (
	"bytes"
	"context"
	"errors"

	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

var _ envelope.KMS = (*kms.Client)(nil)
var _ envelope.KMS = (*kmstest.KMS)(nil)

func newClient(t testing.TB, k *kmstest.KMS, keyARN string, opts ...func(*envelope.Options)) *envelope.Client {
	t.Helper()
	c, err := envelope.New(k, keyARN, opts...)
	require.NoError(t, err)
	return c
}

var suites = []envelope.Suite{envelope.SuiteCommitKey, envelope.SuiteCommitKeyECDSAP384}

func TestRoundTrip(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ec := map[string]string{"tenant": "acme", "purpose": "test", "ü": "ö"}
	for _, suite := range suites {
		for _, fl := range []int{1, 7, 4096, 1 << 16} {
			c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, fl })
			for _, n := range []int{0, 1, fl - 1, fl, fl + 1, 3 * fl, 10_000} {
				if n < 0 || n > 200_000 {
					continue
				}
				pt := bytes.Repeat([]byte{0xA5}, n)
				for i := range pt {
					pt[i] = byte(i * 7)
				}
				msg, err := c.Encrypt(context.Background(), pt, ec)
				require.NoError(t, err)
				h, err := envelope.ParseHeader(msg)
				require.NoError(t, err)
				assert.Equal(t, suite, h.Suite)
				assert.Equal(t, fl, h.FrameLength)
				assert.Equal(t, keyARN, h.DataKeys[0].ProviderInfo)
				assert.Equal(t, "acme", h.EncryptionContext["tenant"])
				got, err := c.Decrypt(context.Background(), msg, map[string]string{"tenant": "acme"})
				require.NoError(t, err, "suite %v frame %d size %d", suite, fl, n)
				assert.True(t, bytes.Equal(pt, got), "suite %v frame %d size %d", suite, fl, n)
			}
		}
	}
}

func TestDecryptErrors(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	other := k.MustCreateKey()
	c := newClient(t, k, keyARN)
	msg, err := c.Encrypt(context.Background(), []byte("attack at dawn, attack at dawn"), map[string]string{"a": "1"})
	require.NoError(t, err)

	_, err = c.Decrypt(context.Background(), msg, map[string]string{"a": "2"})
	assert.ErrorIs(t, err, envelope.ErrContextMismatch)
	assert.NotContains(t, err.Error(), "2\"")
	_, err = c.Decrypt(context.Background(), msg, map[string]string{"b": "1"})
	assert.ErrorIs(t, err, envelope.ErrContextMismatch)

	_, err = newClient(t, k, other).Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)

	for i := 0; i < len(msg); i += 1 + i/50 {
		bad := bytes.Clone(msg)
		bad[i] ^= 0x01
		_, err := c.Decrypt(context.Background(), bad, nil)
		if !assert.Error(t, err, "flipped byte %d", i) {
			continue
		}
		if !errors.Is(err, envelope.ErrDecrypt) {
			t.Errorf("flipped byte %d: %v does not match ErrDecrypt", i, err)
		}
	}
	for _, n := range []int{0, 1, len(msg) / 2, len(msg) - 1} {
		_, err := c.Decrypt(context.Background(), msg[:n], nil)
		assert.ErrorIs(t, err, envelope.ErrDecrypt, "truncated to %d", n)
	}
	_, err = c.Decrypt(context.Background(), append(bytes.Clone(msg), 0), nil)
	assert.ErrorIs(t, err, envelope.ErrDecrypt, "trailing byte")
}

func TestKMSErrorsReachable(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	c := newClient(t, k, keyARN)
	k.Fault = func(ctx context.Context, op string) error {
		return &types.KMSInternalException{Message: ptr("throttled, sort of")}
	}
	_, err := c.Encrypt(context.Background(), []byte("x"), nil)
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "KMSInternalException", api.ErrorCode())
	assertNoKeyMaterial(t, err.Error())
}

func ptr(s string) *string { return &s }

func assertNoKeyMaterial(t *testing.T, s string) {
	t.Helper()
	assert.NotContains(t, s, "Plaintext")
}

func TestSuiteString(t *testing.T) {
	assert.Equal(t, "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY", envelope.SuiteCommitKey.String())
	assert.Equal(t, "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", envelope.SuiteCommitKeyECDSAP384.String())
	assert.Equal(t, "ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256", envelope.Suite(0x0178).String())
	assert.Equal(t, "Suite(0x0179)", envelope.Suite(0x0179).String())
}
