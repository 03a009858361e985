package envelope

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// hostile builds messages the way a writer holding the real data key could,
// but breaking one rule of the format that only the reader's check enforces:
// every tag in them is valid under the real content key.
type hostile struct {
	c      *Client
	m      *materials
	h      *Header
	f      *framer
	header []byte // serialized header, tag included
}

func newHostile(t *testing.T, suite Suite, frameLength int) *hostile {
	t.Helper()
	k := kmstest.New()
	c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Suite, o.FrameLength = suite, frameLength })
	require.NoError(t, err)
	m, err := c.encryptionMaterials(context.Background(), map[string]string{"purpose": "hostile"}, -1)
	require.NoError(t, err)
	t.Cleanup(m.wipe)
	h, f, header, err := c.newHeader(m)
	require.NoError(t, err)
	return &hostile{c: c, m: m, h: h, f: f, header: header}
}

// finish appends the signature footer for the signed suite.
func (x *hostile) finish(t *testing.T, msg []byte) []byte {
	t.Helper()
	if x.m.signer == nil {
		return msg
	}
	msg, err := appendSignature(msg, 0, x.m.signer, x.c.opts.Rand)
	require.NoError(t, err)
	return msg
}

func (x *hostile) decryptBoth(msg []byte) (whole, streamed []byte, errWhole, errStream error) {
	whole, errWhole = x.c.Decrypt(context.Background(), msg, nil)
	r, err := x.c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
	if err != nil {
		return whole, nil, errWhole, err
	}
	streamed, errStream = io.ReadAll(r)
	return whole, streamed, errWhole, errStream
}

// A header whose commit key is wrong but whose tag is valid under the real
// content key must not decrypt: only the commit-key comparison catches it
// (issue 20, item 1). Weakening the comparison (>= 0, != 0, dropping it)
// makes this test fail.
func TestWrongCommitKeyWithValidHeaderTag(t *testing.T) {
	for _, suite := range []Suite{SuiteCommitKey, SuiteCommitKeyECDSAP384} {
		x := newHostile(t, suite, 64)
		pt := []byte("committed to exactly one data key")
		body := x.f.seal(nil, 1, true, pt)

		// The honest message decrypts: the construction is sound.
		whole, streamed, e1, e2 := x.decryptBoth(x.finish(t, append(bytes.Clone(x.header), body...)))
		require.NoError(t, e1, "%v honest", suite)
		require.NoError(t, e2, "%v honest", suite)
		assert.Equal(t, pt, whole)
		assert.Equal(t, pt, streamed)

		for _, flip := range []int{0, 17, commitKeySize - 1} {
			hb := bytes.Clone(x.h.body)
			hb[len(hb)-commitKeySize+flip] ^= 0x01 // the commit key is the last field of the body
			header := append(hb, x.f.headerTag(x.h.authIV[:], hb)...)
			msg := x.finish(t, append(header, body...))
			parsed, err := ParseHeader(msg)
			require.NoError(t, err)
			require.NotEqual(t, x.h.commitKey, parsed.commitKey)

			whole, streamed, e1, e2 := x.decryptBoth(msg)
			assert.ErrorIs(t, e1, ErrDecrypt, "%v commit key byte %d: Decrypt", suite, flip)
			assert.ErrorIs(t, e2, ErrDecrypt, "%v commit key byte %d: DecryptStream", suite, flip)
			assert.Nil(t, whole)
			assert.Empty(t, streamed)
		}
	}
}

// A final frame longer than the frame length is refused even when its tag is
// valid (the format bounds it by the header's frame length); one of exactly
// the frame length, which other SDKs write for a plaintext that is a whole
// number of frames, decrypts (issue 20, item 1).
func TestFinalFrameLengthBound(t *testing.T) {
	for _, suite := range []Suite{SuiteCommitKey, SuiteCommitKeyECDSAP384} {
		const fl = 16
		for _, tc := range []struct {
			regular, final int // regular frames, final frame length
			ok             bool
		}{
			{0, fl, true},
			{2, fl, true},
			{0, fl + 1, false},
			{1, fl + 1, false},
			{0, 3 * fl, false},
		} {
			x := newHostile(t, suite, fl)
			var pt []byte
			msg := bytes.Clone(x.header)
			seq := uint32(1)
			for range tc.regular {
				frame := bytes.Repeat([]byte{byte('a' + seq)}, fl)
				pt = append(pt, frame...)
				msg = x.f.seal(msg, seq, false, frame)
				seq++
			}
			last := bytes.Repeat([]byte{'z'}, tc.final)
			pt = append(pt, last...)
			msg = x.finish(t, x.f.seal(msg, seq, true, last))

			whole, streamed, e1, e2 := x.decryptBoth(msg)
			if tc.ok {
				require.NoError(t, e1, "%v %+v", suite, tc)
				require.NoError(t, e2, "%v %+v", suite, tc)
				assert.Equal(t, pt, whole)
				assert.Equal(t, pt, streamed)
				continue
			}
			assert.ErrorIs(t, e1, ErrDecrypt, "%v %+v: Decrypt", suite, tc)
			assert.ErrorIs(t, e2, ErrDecrypt, "%v %+v: DecryptStream", suite, tc)
			assert.Nil(t, whole, "%v %+v", suite, tc)
			assert.Len(t, streamed, tc.regular*fl, "%v %+v: only the regular frames before the bad final one", suite, tc)

			// In Decrypt and DecryptStream the frame buffer holds one frame, so
			// its capacity check refuses the long final frame too. A reader
			// whose buffer has room for more (as one reading the source in
			// large blocks) relies on the frame-length bound alone.
			h, err := parseHeader(msg, 0)
			require.NoError(t, err)
			r, err := x.c.newReader(context.Background(), h, msg[:h.Size], bytes.NewReader(msg[h.Size:]), int64(len(msg)), false, nil)
			require.NoError(t, err)
			r.in = make([]byte, 0, len(msg)) // newReader sizes it to one frame
			got, err := io.ReadAll(r)
			assert.ErrorIs(t, err, ErrDecrypt, "%v %+v: roomy buffer", suite, tc)
			assert.Len(t, got, tc.regular*fl, "%v %+v: roomy buffer", suite, tc)
		}
	}
}
