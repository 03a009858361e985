package envelope_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// ParseHeader and DecryptStream refuse, naming the field and sizes, a valid
// message with one field made unsupported.
func TestParseHeaderNamesTheField(t *testing.T) {
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	msg, err := c.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	with := func(i int, b ...byte) []byte {
		m := bytes.Clone(msg)
		copy(m[i:], b)
		return m
	}
	for _, tc := range []struct {
		msg  []byte
		want string
	}{
		{with(0, 0x01), "version 0x01, only 0x02 is supported"},
		{with(1, 0x01, 0x78), "suite Suite(0x0178) is not supported"},
		{msg[:10], "message ID: need 32 bytes at offset 3, have 7"},
	} {
		_, err := envelope.ParseHeader(tc.msg)
		assert.ErrorIs(t, err, envelope.ErrMalformed, tc.want)
		assert.ErrorContains(t, err, tc.want)
		_, err = c.Decrypt(context.Background(), tc.msg, nil)
		assert.ErrorContains(t, err, tc.want)
	}
	// The data key count set to 0 and the one data key cut out.
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	countAt := 1 + 2 + 32 + 2 // no encryption context
	dk := h.DataKeys[0]
	edkLen := 2 + len(dk.ProviderID) + 2 + len(dk.KeyARN) + 2 + len(dk.Ciphertext)
	noKeys := append(append(bytes.Clone(msg[:countAt]), 0, 0), msg[countAt+2+edkLen:]...)
	_, err = envelope.ParseHeader(noKeys)
	assert.ErrorIs(t, err, envelope.ErrMalformed)
	assert.ErrorContains(t, err, "no encrypted data keys")
	_, err = c.DecryptStream(context.Background(), bytes.NewReader(noKeys), nil)
	assert.ErrorContains(t, err, "0 encrypted data keys, allowed 1 to 10")

	_, err = c.DecryptStream(context.Background(), bytes.NewReader(with(0, 0x01)), nil)
	assert.ErrorContains(t, err, "version 0x01, only 0x02 is supported")
}
