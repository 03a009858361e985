package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// failAfter returns data, then err instead of io.EOF.
type failAfter struct {
	r   *bytes.Reader
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.r.Len() == 0 {
		return 0, f.err
	}
	return f.r.Read(p)
}

// A source that fails is the source's error, reachable with errors.Is, and
// not ErrDecrypt (the message is not at fault): in the header, in a frame,
// in the signature, and where the end of the message is checked.
func TestDecryptStreamSourceErrors(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	errDisk := errors.New("disk on fire")
	for _, suite := range suites {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, 16 })
		msg, err := c.Encrypt(context.Background(), bytes.Repeat([]byte("p"), 40), nil)
		require.NoError(t, err)
		h, err := envelope.ParseHeader(msg)
		require.NoError(t, err)
		for _, cut := range []int{10, h.Size - 1, h.Size + 5, h.Size + 40, len(msg) - 3, len(msg)} {
			r, err := c.DecryptStream(context.Background(), &failAfter{r: bytes.NewReader(msg[:cut]), err: errDisk}, nil)
			if err == nil {
				_, err = io.ReadAll(r)
			}
			assert.ErrorIs(t, err, errDisk, "%v cut at %d of %d", suite, cut, len(msg))
			assert.False(t, errors.Is(err, envelope.ErrDecrypt), "%v cut at %d: %v", suite, cut, err)
		}
	}
}

// KMSCalls counts the GenerateDataKey call and one Encrypt per additional
// key.
func TestCacheCountsKMSCallsForAdditionalKeys(t *testing.T) {
	k := kmstest.New()
	keys := []string{k.MustCreateKey(), k.MustCreateKey(), k.MustCreateKey()}
	cache := newCache(t, 1<<40)
	c := newClient(t, k, keys[0], func(o *envelope.Options) { o.Cache, o.AdditionalKeyIDs = cache, keys[1:] })
	_, err := c.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), cache.Stats().KMSCalls)
	assert.Equal(t, int64(1), k.Calls("GenerateDataKey"))
	assert.Equal(t, int64(2), k.Calls("Encrypt"))
}

// A message cut at any byte fails with ErrDecrypt (never a panic, never a
// partial plaintext from Decrypt), whichever the frame length compared with
// what is left of the body.
func TestDecryptEveryTruncation(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	for _, fl := range []int{16, 50} {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = envelope.SuiteCommitKey, fl })
		msg, err := c.Encrypt(context.Background(), bytes.Repeat([]byte("t"), 3*fl+7), nil)
		require.NoError(t, err)
		for cut := 0; cut < len(msg); cut++ {
			pt, err := c.Decrypt(context.Background(), msg[:cut], nil)
			assert.ErrorIs(t, err, envelope.ErrDecrypt, "frame %d cut at %d", fl, cut)
			assert.Nil(t, pt)
		}
	}
}
