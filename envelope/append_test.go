package envelope_test

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// EncryptAppend and DecryptAppend append after dst's bytes, reuse its
// capacity when it suffices, and on failure return nil, leave dst's bytes
// intact and clear what they wrote past them.
func TestEncryptDecryptAppend(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	for _, suite := range suites {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, 100 })
		pt := bytes.Repeat([]byte("secret plaintext "), 40) // 680 bytes: 6 full frames and a final one

		buf := make([]byte, 3, 4096)
		copy(buf, "abc")
		msg, err := c.EncryptAppend(ctx, buf, pt, nil)
		require.NoError(t, err)
		assert.Equal(t, "abc", string(msg[:3]))
		assert.Same(t, &buf[0], &msg[0], "dst's capacity is reused")
		got, err := c.Decrypt(ctx, msg[3:], nil)
		require.NoError(t, err)
		assert.Equal(t, pt, got)

		small := []byte("xyz")
		grown, err := c.EncryptAppend(ctx, small[:3:3], pt, nil)
		require.NoError(t, err)
		assert.Equal(t, "xyz", string(grown[:3]))
		assert.LessOrEqual(t, cap(grown)-len(grown), 2+104, "grown once, to the message's size (at most a signature's slack)")
		got, err = c.Decrypt(ctx, grown[3:], nil)
		require.NoError(t, err)
		assert.Equal(t, pt, got)

		out := make([]byte, 2, 4096)
		copy(out, "ok")
		plain, err := c.DecryptAppend(ctx, out, msg[3:], nil)
		require.NoError(t, err)
		assert.Equal(t, "ok", string(plain[:2]))
		assert.Equal(t, pt, plain[2:])
		assert.Same(t, &out[0], &plain[0])

		// A message whose last frame (or signature) is broken: nothing
		// returned, dst intact, no plaintext left in its spare capacity.
		bad := bytes.Clone(msg[3:])
		bad[len(bad)-1] ^= 1
		dst := make([]byte, 2, 4096)
		copy(dst, "ok")
		res, err := c.DecryptAppend(ctx, dst, bad, nil)
		assert.ErrorIs(t, err, envelope.ErrDecrypt)
		assert.Nil(t, res)
		assert.Equal(t, "ok", string(dst))
		assert.False(t, bytes.Contains(dst[:cap(dst)], []byte("secret plaintext")), "%v: plaintext left in dst's capacity", suite)
	}
}

// Decrypt's memory is the plaintext plus one frame: a 4 MiB message in
// 4 KiB frames must not cost a second message-sized buffer.
func TestDecryptMemoryIsOneFrame(t *testing.T) {
	if raceEnabled {
		t.Skip("under the race detector Decrypt allocates about one more message-sized amount per call (measured: 8.5 MB for 4 MiB); the bound holds without it")
	}
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	msg, err := c.Encrypt(context.Background(), make([]byte, 4<<20), nil)
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	pt, err := c.Decrypt(context.Background(), msg, nil)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Len(t, pt, 4<<20)
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(len(msg))+512<<10, "Decrypt of %d bytes allocated %d", len(msg), allocated)
}
