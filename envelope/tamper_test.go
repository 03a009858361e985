package envelope_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// decryptBoth decrypts with Decrypt and with DecryptStream (reading to the
// end) and returns both results.
func decryptBoth(c *envelope.Client, msg []byte, ec map[string]string) (whole, streamed []byte, errWhole, errStream error) {
	whole, errWhole = c.Decrypt(context.Background(), msg, ec)
	r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), ec)
	if err != nil {
		return whole, nil, errWhole, err
	}
	streamed, errStream = io.ReadAll(r)
	return whole, streamed, errWhole, errStream
}

// frames splits a SuiteCommitKey message with frame length fl into its
// header, regular frames, final frame (and footer, if any).
func splitFrames(t *testing.T, msg []byte, fl int) (header []byte, frames [][]byte, rest []byte) {
	t.Helper()
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	header, body := msg[:h.Size], msg[h.Size:]
	for binary.BigEndian.Uint32(body) != 0xFFFFFFFF {
		n := 4 + 12 + fl + 16
		frames = append(frames, body[:n])
		body = body[n:]
	}
	return header, frames, body
}

func TestTampering(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ec := map[string]string{"order": "42"}
	const fl = 64
	pt := bytes.Repeat([]byte("0123456789abcdef"), 20) // 320 bytes: 5 full frames and an empty final frame
	for _, suite := range suites {
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, fl })
		msg, err := c.Encrypt(context.Background(), pt, ec)
		require.NoError(t, err)
		other, err := c.Encrypt(context.Background(), pt, ec)
		require.NoError(t, err)
		header, frames, rest := splitFrames(t, msg, fl)
		require.Len(t, frames, 5)
		oh, oframes, _ := splitFrames(t, other, fl)

		join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
		cases := map[string][]byte{
			"frames reordered":            join(header, frames[1], frames[0], frames[2], frames[3], frames[4], rest),
			"frame duplicated":            join(header, frames[0], frames[0], frames[1], frames[2], frames[3], frames[4], rest),
			"frame dropped":               join(header, frames[0], frames[2], frames[3], frames[4], rest),
			"final frame dropped":         join(header, frames[0], frames[1], frames[2], frames[3], frames[4]),
			"frame from another message":  join(header, oframes[0], frames[1], frames[2], frames[3], frames[4], rest),
			"header from another message": join(oh, frames[0], frames[1], frames[2], frames[3], frames[4], rest),
			"trailing byte":               join(msg, []byte{0}),
			"truncated by one byte":       msg[:len(msg)-1],
			"truncated after the header":  header,
			"empty":                       nil,
		}
		for name, bad := range cases {
			_, _, e1, e2 := decryptBoth(c, bad, nil)
			assert.ErrorIs(t, e1, envelope.ErrDecrypt, "%v %s: Decrypt", suite, name)
			assert.ErrorIs(t, e2, envelope.ErrDecrypt, "%v %s: DecryptStream", suite, name)
		}
		// Every single flipped bit is an error, and never a panic.
		bits := []byte{0x01, 0x80}
		if testing.Short() {
			bits = bits[:1]
		}
		for i := 0; i < len(msg); i++ {
			for _, bit := range bits {
				bad := bytes.Clone(msg)
				bad[i] ^= bit
				_, _, e1, e2 := decryptBoth(c, bad, nil)
				require.Error(t, e1, "%v flipped bit %x at %d", suite, bit, i)
				require.Error(t, e2, "%v flipped bit %x at %d (stream)", suite, bit, i)
				for _, err := range []error{e1, e2} {
					if !errors.Is(err, envelope.ErrDecrypt) && !errors.Is(err, envelope.ErrNoKey) {
						t.Fatalf("%v flipped bit %x at %d: %v", suite, bit, i, err)
					}
				}
			}
		}
	}
}

// A data key swapped in from another message (same KMS key, so KMS decrypts
// it) must fail the commit key check, not decrypt to garbage.
func TestSwappedDataKeyFailsCommitment(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	c := newClient(t, k, keyARN, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	a, err := c.Encrypt(context.Background(), []byte("message A"), nil)
	require.NoError(t, err)
	b, err := c.Encrypt(context.Background(), []byte("message B"), nil)
	require.NoError(t, err)
	ha, _ := envelope.ParseHeader(a)
	hb, _ := envelope.ParseHeader(b)
	edkA, edkB := ha.DataKeys[0].Ciphertext, hb.DataKeys[0].Ciphertext
	require.Equal(t, len(edkA), len(edkB))
	swapped := bytes.Replace(bytes.Clone(a), edkA, edkB, 1)
	_, _, e1, e2 := decryptBoth(c, swapped, nil)
	assert.True(t, errors.Is(e1, envelope.ErrDecrypt) && !errors.Is(e1, envelope.ErrMalformed), "%v", e1)
	assert.ErrorIs(t, e2, envelope.ErrDecrypt)
}

func TestContextBinding(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	c := newClient(t, k, keyARN)
	msg, err := c.Encrypt(context.Background(), []byte("x"), map[string]string{"ab": "c"})
	require.NoError(t, err)
	// The same bytes under another split of key and value: KMS, which binds
	// the context as an exact map, refuses the data key first.
	bad := bytes.Replace(bytes.Clone(msg), []byte{0, 2, 'a', 'b', 0, 1, 'c'}, []byte{0, 1, 'a', 0, 2, 'b', 'c'}, 1)
	require.NotEqual(t, msg, bad)
	_, err = c.Decrypt(context.Background(), bad, nil)
	assert.ErrorIs(t, err, envelope.ErrNoKey)
	var invalid *types.InvalidCiphertextException
	assert.ErrorAs(t, err, &invalid)
	_, err = c.DecryptStream(context.Background(), bytes.NewReader(msg), map[string]string{"ab": "d"})
	assert.ErrorIs(t, err, envelope.ErrContextMismatch)
}

func TestEncryptInputErrors(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	c := newClient(t, k, keyARN)
	_, err := c.Encrypt(context.Background(), []byte("x"), map[string]string{"aws-crypto-public-key": "mine"})
	assert.ErrorIs(t, err, envelope.ErrReservedContext)
	_, err = c.Encrypt(context.Background(), []byte("x"), map[string]string{"k": "\xff"})
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	_, err = c.Encrypt(context.Background(), []byte("x"), map[string]string{"k": string(make([]byte, 70000))})
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
	assert.Zero(t, k.Calls("GenerateDataKey"), "rejected before KMS is called")

	for _, tc := range []struct {
		key  string
		opts func(*envelope.Options)
	}{
		{"not-an-arn", nil},
		{"arn:aws:kms:us-east-1:111122223333:key/" + "bad", nil},
		{keyARN, func(o *envelope.Options) { o.Suite = 0x0178 }},
		{keyARN, func(o *envelope.Options) { o.FrameLength = -1 }},
		{keyARN, func(o *envelope.Options) { o.MaxEncryptedDataKeys = 1; o.AdditionalKeyIDs = []string{keyARN} }},
		{keyARN, func(o *envelope.Options) { o.AdditionalKeyIDs = []string{"alias"} }},
	} {
		opts := []func(*envelope.Options){}
		if tc.opts != nil {
			opts = append(opts, tc.opts)
		}
		_, err := envelope.New(k, tc.key, opts...)
		assert.ErrorIs(t, err, envelope.ErrInvalidInput, "%q", tc.key)
	}
	_, err = envelope.New(nil, keyARN)
	assert.ErrorIs(t, err, envelope.ErrInvalidInput)
}

func TestMaxEncryptedDataKeys(t *testing.T) {
	k := kmstest.New()
	keys := []string{k.MustCreateKey(), k.MustCreateKey(), k.MustCreateKey()}
	c := newClient(t, k, keys[0], func(o *envelope.Options) { o.AdditionalKeyIDs = keys[1:] })
	msg, err := c.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	strict := newClient(t, k, keys[2], func(o *envelope.Options) { o.MaxEncryptedDataKeys = 2 })
	_, err = strict.Decrypt(context.Background(), msg, nil)
	assert.ErrorIs(t, err, envelope.ErrMalformed)
	got, err := newClient(t, k, keys[2]).Decrypt(context.Background(), msg, nil)
	require.NoError(t, err)
	assert.Equal(t, "x", string(got))
}
