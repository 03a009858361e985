package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// Every failure caused by the message or the required context matches
// ErrDecrypt, with the more specific error reachable too; a KMS failure that
// is not the message's does not (issue 12, item 4).
func TestErrDecryptMatchesEveryMessageFailure(t *testing.T) {
	k := kmstest.New()
	keyARN, other := k.MustCreateKey(), k.MustCreateKey()
	c := newClient(t, k, keyARN)
	msg, err := c.Encrypt(context.Background(), []byte("attack at dawn"), map[string]string{"a": "1"})
	require.NoError(t, err)
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	edk := bytes.Index(msg, h.DataKeys[0].Ciphertext)
	require.Positive(t, edk)
	flippedEDK := bytes.Clone(msg)
	flippedEDK[edk+len(h.DataKeys[0].Ciphertext)/2] ^= 0x10
	ecAt := bytes.Index(msg, []byte("a\x00\x011")) // the value "1" of pair a=1
	require.Positive(t, ecAt)
	changedEC := bytes.Clone(msg)
	changedEC[ecAt+3] = '2' // the header still parses; KMS sees another context

	cases := []struct {
		name     string
		c        *envelope.Client
		msg      []byte
		ec       map[string]string
		specific error
	}{
		{"flipped encrypted data key", c, flippedEDK, nil, envelope.ErrNoKey},
		{"changed encryption context", c, changedEC, nil, envelope.ErrNoKey},
		{"required pair has another value", c, msg, map[string]string{"a": "2"}, envelope.ErrContextMismatch},
		{"required pair missing", c, msg, map[string]string{"b": "1"}, envelope.ErrContextMismatch},
		{"no data key under the client's keys", newClient(t, k, other), msg, nil, envelope.ErrNoKey},
		{"truncated", c, msg[:len(msg)-1], nil, envelope.ErrDecrypt},
		{"malformed", c, msg[:10], nil, envelope.ErrMalformed},
	}
	for _, tc := range cases {
		_, err := tc.c.Decrypt(context.Background(), tc.msg, tc.ec)
		assert.ErrorIs(t, err, envelope.ErrDecrypt, "Decrypt: %s", tc.name)
		assert.ErrorIs(t, err, tc.specific, "Decrypt: %s", tc.name)
		_, _, err = tc.c.DecryptWithHeader(context.Background(), tc.msg, tc.ec)
		assert.ErrorIs(t, err, envelope.ErrDecrypt, "DecryptWithHeader: %s", tc.name)
		r, err := tc.c.DecryptStream(context.Background(), bytes.NewReader(tc.msg), tc.ec)
		if err == nil {
			_, err = io.ReadAll(r)
		}
		assert.ErrorIs(t, err, envelope.ErrDecrypt, "DecryptStream: %s", tc.name)
		assert.ErrorIs(t, err, tc.specific, "DecryptStream: %s", tc.name)
	}

	_, err = newClient(t, k, other).Decrypt(context.Background(), msg, nil)
	assert.ErrorContains(t, err, "no encrypted data key of the message is for KMS key "+other)

	// The KMS error reached through ErrNoKey is still the SDK's.
	_, err = c.Decrypt(context.Background(), flippedEDK, nil)
	var invalid *types.InvalidCiphertextException
	assert.True(t, errors.As(err, &invalid), "%v", err)

	// Throttling is not the message's fault: not ErrDecrypt, the SDK error
	// reachable.
	k.Fault = func(_ context.Context, op string) error {
		return &types.LimitExceededException{Message: aws.String("slow down")}
	}
	defer func() { k.Fault = nil }()
	_, err = c.Decrypt(context.Background(), msg, nil)
	require.Error(t, err)
	assert.False(t, errors.Is(err, envelope.ErrDecrypt), "a throttled KMS call matched ErrDecrypt: %v", err)
	var limit *types.LimitExceededException
	assert.True(t, errors.As(err, &limit), "%v", err)
}
