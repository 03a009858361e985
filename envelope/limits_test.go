package envelope_test

import (
	"bytes"
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// Every documented limit of New and NewCache is accepted at its value and
// refused one past it.
func TestOptionLimitsAtTheEdge(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	extra := []string{k.MustCreateKey(), k.MustCreateKey()}
	for _, tc := range []struct {
		name string
		opt  func(*envelope.Options)
		ok   bool
	}{
		{"FrameLength 1", func(o *envelope.Options) { o.FrameLength = 1 }, true},
		{"FrameLength -1", func(o *envelope.Options) { o.FrameLength = -1 }, false},
		{"MaxEncryptedDataKeys 1", func(o *envelope.Options) { o.MaxEncryptedDataKeys = 1 }, true},
		{"MaxEncryptedDataKeys 65535", func(o *envelope.Options) { o.MaxEncryptedDataKeys = 65535 }, true},
		{"MaxEncryptedDataKeys 65536", func(o *envelope.Options) { o.MaxEncryptedDataKeys = 65536 }, false},
		{"MaxEncryptedDataKeys -1", func(o *envelope.Options) { o.MaxEncryptedDataKeys = -1 }, false},
		{"3 keys, MaxEncryptedDataKeys 3", func(o *envelope.Options) { o.AdditionalKeyIDs, o.MaxEncryptedDataKeys = extra, 3 }, true},
		{"3 keys, MaxEncryptedDataKeys 2", func(o *envelope.Options) { o.AdditionalKeyIDs, o.MaxEncryptedDataKeys = extra, 2 }, false},
		{"MaxFrameLength 1", func(o *envelope.Options) { o.MaxFrameLength, o.FrameLength = 1, 1 }, true},
		{"MaxFrameLength -1", func(o *envelope.Options) { o.MaxFrameLength = -1 }, false},
		{"FrameLength 2^31 (MaxInt on 32-bit)", func(o *envelope.Options) { o.FrameLength = min(1<<31, math.MaxInt) }, false},
		{"MaxFrameLength 2^31 (MaxInt on 32-bit)", func(o *envelope.Options) { o.MaxFrameLength = min(1<<31, math.MaxInt) }, false},
	} {
		c, err := envelope.New(k, keyARN, tc.opt)
		if tc.ok {
			require.NoError(t, err, tc.name)
			msg, err := c.Encrypt(context.Background(), []byte("edge"), nil)
			require.NoError(t, err, tc.name)
			got, err := c.Decrypt(context.Background(), msg, nil)
			require.NoError(t, err, tc.name)
			assert.Equal(t, "edge", string(got), tc.name)
			r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
			require.NoError(t, err, tc.name)
			got, err = io.ReadAll(r)
			require.NoError(t, err, tc.name)
			assert.Equal(t, "edge", string(got), tc.name)
			continue
		}
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, tc.name)
		assert.Nil(t, c, tc.name)
	}
	_, err := envelope.New(k, keyARN, func(o *envelope.Options) { o.AdditionalKeyIDs, o.MaxEncryptedDataKeys = extra, 2 })
	assert.ErrorContains(t, err, "3 keys, more than MaxEncryptedDataKeys 2")

	for _, tc := range []struct {
		name   string
		maxAge time.Duration
		opt    func(*envelope.CacheOptions)
		ok     bool
	}{
		{"maxAge 1ns", time.Nanosecond, nil, true},
		{"MaxMessages 2^32", time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = envelope.MaxCacheMessages }, true},
		{"MaxMessages 2^32+1", time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = envelope.MaxCacheMessages + 1 }, false},
		{"MaxBytes 2^63-1", time.Hour, func(o *envelope.CacheOptions) { o.MaxBytes = envelope.MaxCacheBytes }, true},
		{"MaxBytes 2^63", time.Hour, func(o *envelope.CacheOptions) { o.MaxBytes = envelope.MaxCacheBytes + 1 }, false},
		{"Capacity 1", time.Hour, func(o *envelope.CacheOptions) { o.Capacity = 1 }, true},
		{"Capacity -1", time.Hour, func(o *envelope.CacheOptions) { o.Capacity = -1 }, false},
	} {
		var opts []func(*envelope.CacheOptions)
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		cache, err := envelope.NewCache(tc.maxAge, opts...)
		if tc.ok {
			assert.NoError(t, err, tc.name)
			assert.NotNil(t, cache, tc.name)
			continue
		}
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, tc.name)
		assert.Nil(t, cache, tc.name)
	}
}

// An encryption context of exactly 65,535 serialized bytes (the format's
// limit) is written and read back; one byte more is refused before KMS.
func TestEncryptionContextAtTheLimit(t *testing.T) {
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	// count (2) + key length (2) + "k" + value length (2) + value = 65,535
	ec := map[string]string{"k": strings.Repeat("v", 65535-2-2-1-2)}
	msg, err := c.Encrypt(context.Background(), []byte("edge"), ec)
	require.NoError(t, err)
	got, h, err := c.DecryptWithHeader(context.Background(), msg, ec)
	require.NoError(t, err)
	assert.Equal(t, "edge", string(got))
	assert.Equal(t, ec, h.EncryptionContext)

	ec["k"] += "v"
	_, err = c.Encrypt(context.Background(), []byte("edge"), ec)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	many := make(map[string]string, 70_000) // more pairs than a u16 counts
	for i := range 70_000 {
		many[strconv.Itoa(i)] = ""
	}
	for _, bad := range []map[string]string{{strings.Repeat("k", 65536): "v"}, {"k": strings.Repeat("v", 65536)}, many} {
		_, err = c.Encrypt(context.Background(), []byte("edge"), bad)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	}
	assert.Equal(t, int64(1), k.Calls("GenerateDataKey"))
}

// paddingKMS answers GenerateDataKey with a CiphertextBlob of exactly size
// bytes, as a KMS with large ciphertexts might.
type paddingKMS struct {
	*kmstest.KMS
	size int
}

func (p *paddingKMS) GenerateDataKey(ctx context.Context, in *kms.GenerateDataKeyInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error) {
	out, err := p.KMS.GenerateDataKey(ctx, in, optFns...)
	if err == nil {
		out.CiphertextBlob = append(out.CiphertextBlob, make([]byte, p.size-len(out.CiphertextBlob))...)
	}
	return out, err
}

// An encrypted data key of exactly 65,535 bytes (the format's u16 limit) is
// written; one byte more is refused.
func TestEncryptedDataKeyAtTheLimit(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	p := &paddingKMS{KMS: k, size: 65535}
	c, err := envelope.New(p, keyARN, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	require.NoError(t, err)
	msg, err := c.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	assert.Len(t, h.DataKeys[0].Ciphertext, 65535)

	p.size = 65536
	_, err = c.Encrypt(context.Background(), []byte("x"), nil)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}
