package envelope_test

// Tests written for surviving mutants of client.go, cache.go, header.go,
// keys.go, suite.go, signature.go, errors.go (issue 20, mutation testing
// outside the frame files). MUTATION.md lists the mutants.

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// A Client of New with one key and no additional keys uses that key's
// keyring alone: a message it has no key for fails with one ErrNoKey that
// names the key once (no multi-keyring wrapping around it).
func TestNewOneKeyError(t *testing.T) {
	k := kmstest.New()
	mine, other := k.MustCreateKey(), k.MustCreateKey()
	c, err := envelope.New(k, mine)
	require.NoError(t, err)
	enc, err := envelope.New(k, other)
	require.NoError(t, err)
	msg, err := enc.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	_, err = c.Decrypt(context.Background(), msg, nil)
	require.ErrorIs(t, err, envelope.ErrNoKey)
	assert.EqualError(t, err, "envelope: no usable encrypted data key: no encrypted data key of the message is for KMS key "+mine)
}
