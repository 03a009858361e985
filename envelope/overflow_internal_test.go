package envelope

import (
	"bytes"
	"context"
	"io"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// A header may declare any frame length up to 2^31-1 (the format's limit,
// what other AWS Encryption SDKs write). On 32-bit platforms FrameLength plus
// a tag overflows an int: Decrypt must still work, DecryptStream refuse
// cleanly, never a panic (issue 12, item 5). Run with GOARCH=386.
func TestFrameLengthNear2To31(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	for _, suite := range []Suite{SuiteCommitKey, SuiteCommitKeyECDSAP384} {
		c, err := New(k, keyARN, func(o *Options) { o.Suite = suite })
		require.NoError(t, err)
		// A writer with the format's largest frame length, past what New
		// accepts on 32-bit platforms.
		w := *c
		w.opts.FrameLength = maxFrameLength
		for _, n := range []int{0, 5, 100} {
			pt := bytes.Repeat([]byte{'x'}, n)
			msg, err := w.Encrypt(context.Background(), pt, nil)
			require.NoError(t, err)
			h, err := ParseHeader(msg)
			require.NoError(t, err)
			require.Equal(t, maxFrameLength, h.FrameLength)

			got, err := c.Decrypt(context.Background(), msg, nil)
			require.NoError(t, err, "suite %v, %d bytes", suite, n)
			assert.Equal(t, pt, got)

			_, err = c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
			assert.ErrorIs(t, err, ErrMalformed, "over the default MaxFrameLength")

			if strconv.IntSize == 32 {
				big, err := New(k, keyARN, func(o *Options) { o.MaxFrameLength = maxFrameLen })
				require.NoError(t, err)
				_, err = big.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
				assert.ErrorIs(t, err, ErrMalformed, "over the largest MaxFrameLength of a 32-bit platform")
			}
		}
	}
}

// New accepts frame lengths up to 2^31-1 where an int has 64 bits, and up to
// what leaves room for a frame's overhead where it has 32.
func TestFrameLengthLimitsPerPlatform(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	_, errFL := New(k, keyARN, func(o *Options) { o.FrameLength = maxFrameLength })
	_, errMax := New(k, keyARN, func(o *Options) { o.MaxFrameLength = maxFrameLength })
	_, errNeg := New(k, keyARN, func(o *Options) { o.MaxFrameLength = -1 })
	assert.ErrorIs(t, errNeg, ErrInvalidInput)
	if strconv.IntSize == 64 {
		assert.NoError(t, errFL)
		assert.NoError(t, errMax)
		assert.Equal(t, maxFrameLength, maxFrameLen)
		return
	}
	assert.ErrorIs(t, errFL, ErrInvalidInput)
	assert.ErrorIs(t, errMax, ErrInvalidInput)
	assert.Equal(t, math.MaxInt-finalFrameOverhead, maxFrameLen)
	c, err := New(k, keyARN, func(o *Options) { o.FrameLength, o.MaxFrameLength, o.Suite = maxFrameLen, maxFrameLen, SuiteCommitKey })
	require.NoError(t, err)
	msg, err := c.Encrypt(context.Background(), []byte("fits"), nil)
	require.NoError(t, err)
	got, err := c.Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, "fits", string(got))
}

// On 32-bit platforms a message of small frames can be larger than an int:
// Encrypt returns ErrTooLarge, before any KMS call, instead of panicking.
func TestEncryptSizeOverflow32(t *testing.T) {
	if strconv.IntSize != 32 {
		t.Skip("needs a 32-bit int (GOARCH=386): on 64-bit the message would be 2 GiB")
	}
	k := kmstest.New()
	c, err := New(k, k.MustCreateKey(), func(o *Options) { o.FrameLength = 1; o.Suite = SuiteCommitKey })
	require.NoError(t, err)
	pt := make([]byte, 64<<20) // 64 Mi frames of 1 byte and 32 bytes of overhead each: over 2 GiB
	_, err = c.Encrypt(context.Background(), pt, nil)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Zero(t, k.Calls("GenerateDataKey"))
	w, err := c.EncryptStream(context.Background(), io.Discard, nil)
	require.NoError(t, err)
	require.NoError(t, w.Close())
}
