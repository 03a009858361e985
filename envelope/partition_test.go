package envelope_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// refusingKMS is a KMS that denies every call, as KMS does for a principal
// without access to the key; it counts the calls it refused.
type refusingKMS struct{ calls int }

func (r *refusingKMS) deny() error {
	r.calls++
	return &types.KMSInvalidStateException{Message: aws.String("denied")}
}

func (r *refusingKMS) GenerateDataKey(context.Context, *kms.GenerateDataKeyInput, ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error) {
	return nil, r.deny()
}

func (r *refusingKMS) Encrypt(context.Context, *kms.EncryptInput, ...func(*kms.Options)) (*kms.EncryptOutput, error) {
	return nil, r.deny()
}

func (r *refusingKMS) Decrypt(context.Context, *kms.DecryptInput, ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	return nil, r.deny()
}

// Two Clients sharing one Cache and one key ARN do not share entries by
// default: a Client whose KMS refuses everything neither decrypts the other
// Client's messages nor encrypts with its data key (issue 12, item 1).
func TestCacheNotSharedBetweenClients(t *testing.T) {
	for _, suite := range suites {
		k := kmstest.New()
		keyARN := k.MustCreateKey()
		cache, err := envelope.NewCache(time.Hour)
		require.NoError(t, err)
		withCache := func(o *envelope.Options) { o.Suite, o.Cache = suite, cache }
		good := newClient(t, k, keyARN, withCache)
		denied := &refusingKMS{}
		bad, err := envelope.New(denied, keyARN, withCache)
		require.NoError(t, err)

		ec := map[string]string{"tenant": "acme"}
		msg, err := good.Encrypt(context.Background(), []byte("for the good client only"), ec)
		require.NoError(t, err)
		_, err = good.Decrypt(context.Background(), msg, nil) // now cached for decryption too
		require.NoError(t, err)

		_, err = bad.Decrypt(context.Background(), msg, nil)
		require.Error(t, err, "suite %v: the refused client decrypted from the other client's cache entry", suite)
		assert.ErrorIs(t, err, envelope.ErrNoKey)
		_, err = bad.Encrypt(context.Background(), []byte("x"), ec)
		require.Error(t, err, "suite %v: the refused client encrypted with the other client's cached data key", suite)
		var kerr *types.KMSInvalidStateException
		assert.True(t, errors.As(err, &kerr), "%v", err)
		assert.Equal(t, 2, denied.calls, "each call must have gone to the refusing KMS")
	}
}

// Clients given the same CachePartition deliberately share entries: the
// refusing Client then hits both ways, with no KMS call.
func TestCachePartitionShared(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	cache, err := envelope.NewCache(time.Hour)
	require.NoError(t, err)
	shared := func(o *envelope.Options) { o.Cache, o.CachePartition = cache, "billing" }
	good := newClient(t, k, keyARN, shared)
	denied := &refusingKMS{}
	bad, err := envelope.New(denied, keyARN, shared)
	require.NoError(t, err)
	other, err := envelope.New(denied, keyARN, func(o *envelope.Options) { o.Cache, o.CachePartition = cache, "billing2" })
	require.NoError(t, err)

	ec := map[string]string{"tenant": "acme"}
	msg, err := good.Encrypt(context.Background(), []byte("shared"), ec)
	require.NoError(t, err)
	_, err = good.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)

	pt, err := bad.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, "shared", string(pt))
	msg2, err := bad.Encrypt(context.Background(), []byte("again"), ec)
	require.NoError(t, err)
	pt, err = good.Decrypt(context.Background(), msg2, nil)
	require.NoError(t, err)
	assert.Equal(t, "again", string(pt))
	assert.Zero(t, denied.calls)

	// Another name is another partition.
	_, err = other.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	_, err = other.Encrypt(context.Background(), []byte("x"), ec)
	assert.Error(t, err)
	assert.Equal(t, 2, denied.calls)
}
