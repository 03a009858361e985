package kmstest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

func errorIs[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// Each operation answers as KMS does: sizes at their limits, the key named
// by ID, ARN, alias name or alias ARN, and the SDK's typed error otherwise.
func TestKMSOperations(t *testing.T) {
	ctx := context.Background()
	k := kmstest.NewWith("eu-west-1", "123456789012", rand.Reader)
	keyARN := k.MustCreateKey()
	other := k.MustCreateKey()
	id := keyARN[strings.LastIndex(keyARN, "/")+1:]
	require.NoError(t, k.CreateAlias("alias/orders", keyARN))
	assert.True(t, errorIs[*types.NotFoundException](k.CreateAlias("orders", keyARN)), "alias without alias/")
	assert.True(t, errorIs[*types.NotFoundException](k.CreateAlias("alias/x", "nope")))

	for _, name := range []string{keyARN, id, "key/" + id, "alias/orders", "arn:aws:kms:eu-west-1:123456789012:alias/orders"} {
		out, err := k.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(name), NumberOfBytes: aws.Int32(32)})
		require.NoError(t, err, name)
		assert.Equal(t, keyARN, aws.ToString(out.KeyId), name)
		back, err := k.Decrypt(ctx, &kms.DecryptInput{KeyId: aws.String(name), CiphertextBlob: out.CiphertextBlob})
		require.NoError(t, err, name)
		assert.Equal(t, out.Plaintext, back.Plaintext, name)
	}
	for _, name := range []string{"arn:aws:kms:eu-west-2:123456789012:key/" + id, "arn:aws:kms:eu-west-1:999999999999:key/" + id,
		"arn:aws:s3:eu-west-1:123456789012:key/" + id, "arn:aws:kms", "alias/none", "unknown"} {
		_, err := k.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(name), NumberOfBytes: aws.Int32(32)})
		assert.True(t, errorIs[*types.NotFoundException](err), "%s: %v", name, err)
	}

	for _, tc := range []struct {
		n    int32
		spec types.DataKeySpec
		want int
	}{{1, "", 1}, {1024, "", 1024}, {0, types.DataKeySpecAes256, 32}, {0, types.DataKeySpecAes128, 16}, {0, "", -1}, {1025, "", -1}, {-1, "", -1}} {
		out, err := k.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(keyARN), NumberOfBytes: aws.Int32(tc.n), KeySpec: tc.spec})
		if tc.want < 0 {
			assert.True(t, errorIs[*types.InvalidKeyUsageException](err), "%+v: %v", tc, err)
			continue
		}
		require.NoError(t, err, "%+v", tc)
		assert.Len(t, out.Plaintext, tc.want)
	}
	for _, n := range []int{1, 4096, 0, 4097} {
		out, err := k.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyARN), Plaintext: make([]byte, n)})
		if n == 0 || n > 4096 {
			assert.Error(t, err, "%d bytes", n)
			continue
		}
		require.NoError(t, err, "%d bytes", n)
		assert.Equal(t, keyARN, aws.ToString(out.KeyId))
	}

	ec := map[string]string{"tenant": "acme", "ab": "c"}
	gen, err := k.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(keyARN), NumberOfBytes: aws.Int32(32), EncryptionContext: ec})
	require.NoError(t, err)
	flipped := bytes.Clone(gen.CiphertextBlob)
	flipped[len(flipped)-1] ^= 1
	for _, tc := range []struct {
		name string
		in   *kms.DecryptInput
		is   func(error) bool
	}{
		{"other context", &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob, EncryptionContext: map[string]string{"tenant": "acme", "a": "bc"}}, errorIs[*types.InvalidCiphertextException]},
		{"no context", &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob}, errorIs[*types.InvalidCiphertextException]},
		{"flipped", &kms.DecryptInput{CiphertextBlob: flipped, EncryptionContext: ec}, errorIs[*types.InvalidCiphertextException]},
		{"short", &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob[:20], EncryptionContext: ec}, errorIs[*types.InvalidCiphertextException]},
		// version, ID length, the 36-byte key ID, then less than a nonce and a tag
		{"no room for the nonce", &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob[:2+36+5], EncryptionContext: ec}, errorIs[*types.InvalidCiphertextException]},
		{"no room for the tag", &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob[:2+36+12+15], EncryptionContext: ec}, errorIs[*types.InvalidCiphertextException]},
		{"empty", &kms.DecryptInput{}, errorIs[*types.InvalidCiphertextException]},
		{"another key named", &kms.DecryptInput{KeyId: aws.String(other), CiphertextBlob: gen.CiphertextBlob, EncryptionContext: ec}, errorIs[*types.IncorrectKeyException]},
		{"unknown key named", &kms.DecryptInput{KeyId: aws.String("alias/none"), CiphertextBlob: gen.CiphertextBlob, EncryptionContext: ec}, errorIs[*types.NotFoundException]},
	} {
		_, err := k.Decrypt(ctx, tc.in)
		assert.True(t, tc.is(err), "%s: %v", tc.name, err)
	}
	out, err := k.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob, EncryptionContext: map[string]string{"ab": "c", "tenant": "acme"}})
	require.NoError(t, err)
	assert.Equal(t, gen.Plaintext, out.Plaintext)

	require.NoError(t, k.DisableKey(keyARN))
	assert.True(t, errorIs[*types.NotFoundException](k.DisableKey("unknown")))
	_, err = k.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(keyARN), NumberOfBytes: aws.Int32(32)})
	assert.True(t, errorIs[*types.DisabledException](err), "%v", err)
	_, err = k.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob, EncryptionContext: ec})
	assert.True(t, errorIs[*types.DisabledException](err), "%v", err)
	_, err = k.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyARN), Plaintext: []byte("x")})
	assert.True(t, errorIs[*types.DisabledException](err), "%v", err)
}

// Latency honours the context, Fault replaces the result, Calls counts
// every call, failed ones included.
func TestKMSLatencyFaultCalls(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	in := &kms.GenerateDataKeyInput{KeyId: aws.String(keyARN), NumberOfBytes: aws.Int32(32)}

	k.Latency = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := k.GenerateDataKey(ctx, in)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	k.Latency = 0

	done, stop := context.WithCancel(context.Background())
	stop()
	_, err = k.GenerateDataKey(done, in)
	assert.ErrorIs(t, err, context.Canceled, "a done context fails even without latency")

	boom := errors.New("throttled")
	var ops []string
	k.Fault = func(_ context.Context, op string) error { ops = append(ops, op); return boom }
	_, err = k.Encrypt(context.Background(), &kms.EncryptInput{KeyId: aws.String(keyARN), Plaintext: []byte("x")})
	assert.ErrorIs(t, err, boom)
	_, err = k.Decrypt(context.Background(), &kms.DecryptInput{})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"Encrypt", "Decrypt"}, ops)
	k.Fault = nil

	assert.Equal(t, int64(2), k.Calls("GenerateDataKey"))
	assert.Equal(t, int64(1), k.Calls("Encrypt"))
	assert.Equal(t, int64(1), k.Calls("Decrypt"))
	assert.Zero(t, k.Calls("ListKeys"))
}

// The KMS describes itself without its keys or random source.
func TestKMSRedacts(t *testing.T) {
	seed := bytes.Repeat([]byte{0xAB, 0xCD}, 100)
	k := kmstest.NewWith("eu-west-1", "123456789012", bytes.NewReader(seed))
	k.MustCreateKey()
	var out strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		fmt.Fprintf(&out, verb+"\n", k)
	}
	slog.New(slog.NewTextHandler(&out, nil)).Info("kms", "k", k)
	assert.Contains(t, out.String(), "kmstest.KMS{region: eu-west-1, account: 123456789012, keys: 1}")
	assert.NotContains(t, out.String(), "171 205") // the seed as fmt prints bytes
	assert.NotContains(t, strings.ToLower(out.String()), "abcdabcd")
}
