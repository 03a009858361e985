package envelope_test

// Tests written for surviving mutants of client.go, cache.go, header.go,
// keys.go, suite.go, signature.go, errors.go (issue 20, mutation testing
// outside the frame files). MUTATION.md lists the mutants.

import (
	"context"
	"math"
	"runtime"
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

// FrameLength and MaxFrameLength go up to 2^31-1, less 40 bytes (a final
// frame's overhead) where an int has 32 bits (Options' doc): the largest is
// accepted and writes and reads a message, one more is refused.
func TestFrameLengthLargest(t *testing.T) {
	largest := 1<<31 - 1
	if math.MaxInt == 1<<31-1 {
		largest -= 40 // a final frame and its overhead must fit in an int
	}
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	for _, set := range []func(o *envelope.Options, n int){
		func(o *envelope.Options, n int) { o.FrameLength = n },
		func(o *envelope.Options, n int) { o.MaxFrameLength = n },
	} {
		c, err := envelope.New(k, keyARN, func(o *envelope.Options) { set(o, largest) })
		require.NoError(t, err)
		msg, err := c.Encrypt(context.Background(), []byte("largest"), nil)
		require.NoError(t, err)
		got, err := c.Decrypt(context.Background(), msg, nil)
		require.NoError(t, err)
		assert.Equal(t, "largest", string(got))
		_, err = envelope.New(k, keyARN, func(o *envelope.Options) { set(o, largest+1) })
		assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	}
}

// The format counts encrypted data keys in a u16: a message with 65,535 of
// them (MaxEncryptedDataKeys 65535, a multi-keyring wrapping the data key
// 65,535 times) is written and read; the header has no other size limit.
func TestMostEncryptedDataKeys(t *testing.T) {
	const most = 1<<16 - 1
	aes := mustKR(envelope.RawAESKeyring("ns", "k", aesKey(16)))
	children := make([]envelope.Keyring, most-1)
	for i := range children {
		children[i] = aes
	}
	c, err := envelope.NewWithKeyring(mustKR(envelope.MultiKeyring(aes, children...)), func(o *envelope.Options) {
		o.MaxEncryptedDataKeys, o.Suite = most, envelope.SuiteCommitKey
	})
	require.NoError(t, err)
	msg, err := c.Encrypt(context.Background(), []byte("many keys"), nil)
	require.NoError(t, err)
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	assert.Len(t, h.DataKeys, most)
	got, err := c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, "many keys", string(got))
}

// ParseHeader sizes its data key list by the bytes left after the fields
// already read, not by the message's whole length: a header whose
// encryption context fills 64 KiB and that claims 65,535 data keys with
// nothing after costs about its own size, not a list for 11,000 keys.
func TestParseHeaderAllocationAfterContext(t *testing.T) {
	value := make([]byte, 1<<16-1-7) // count, key length, "k", value length: 7 bytes
	ec := append([]byte{0, 1, 0, 1, 'k', byte(len(value) >> 8), byte(len(value))}, value...)
	hostile := []byte{0x02, 0x04, 0x78}
	hostile = append(hostile, make([]byte, 32)...) // message ID
	hostile = append(hostile, byte(len(ec)>>8), byte(len(ec)))
	hostile = append(hostile, ec...)
	hostile = append(hostile, 0xff, 0xff) // 65,535 data keys
	hostile = append(hostile, 0xff, 0xff) // a provider ID of 65,535 bytes that is not there
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 20 {
		_, err := envelope.ParseHeader(hostile)
		require.ErrorIs(t, err, envelope.ErrMalformed)
	}
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / 20
	assert.Less(t, perCall, uint64(3*len(hostile)), "ParseHeader allocated %d bytes for a %d-byte header", perCall, len(hostile))
}
