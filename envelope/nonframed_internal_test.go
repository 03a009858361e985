package envelope

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// nonFramedV2 writes a message format 2 message with a non-framed body (the
// format allows it; no SDK here writes one): the header with content type
// 0x01 and frame length 0, then IV, u64 length, ciphertext and tag under the
// "Single Block" AAD, then the footer for the signed suite.
func nonFramedV2(t *testing.T, c *Client, pt []byte) []byte {
	t.Helper()
	m, err := c.encryptionMaterials(context.Background(), map[string]string{"body": "non-framed"}, -1)
	require.NoError(t, err)
	defer m.wipe()
	h := &Header{Version: formatVersion, Suite: c.opts.Suite, MessageID: make([]byte, messageIDSize), EncryptionContext: m.ec,
		DataKeys: m.edks, ContentType: NonFramed, IVLength: ivSize}
	rand.Read(h.MessageID)
	contentKey, commitKey, err := deriveKeys(h.Suite, m.dataKey, h.MessageID)
	require.NoError(t, err)
	copy(h.commitKey[:], commitKey)
	body, ok := h.marshalBody()
	require.True(t, ok)
	f, err := newFramer(contentKey, h.MessageID)
	require.NoError(t, err)
	msg := append(body, f.headerTag(h.authIV[:], body)...)
	iv := binary.BigEndian.AppendUint32(make([]byte, 8), 1)
	msg = append(msg, iv...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(len(pt)))
	aad := append(append(bytes.Clone(h.MessageID), singleAADLabel...), 0, 0, 0, 1)
	aad = binary.BigEndian.AppendUint64(aad, uint64(len(pt)))
	msg = f.aead.Seal(msg, iv, pt, aad)
	if m.signer != nil {
		msg, err = appendSignature(msg, 0, m.signer, c.opts.Rand)
		require.NoError(t, err)
	}
	return msg
}

// Message format 2 with a non-framed body decrypts, whole and streamed, for
// both committing suites; a changed byte anywhere fails.
func TestNonFramedV2(t *testing.T) {
	k := kmstest.New()
	for _, suite := range []Suite{SuiteCommitKey, SuiteCommitKeyECDSAP384} {
		c, err := New(k, k.MustCreateKey(), func(o *Options) { o.Suite = suite })
		require.NoError(t, err)
		for _, n := range []int{0, 1, 1000} {
			t.Run(fmt.Sprintf("%v/%d", suite, n), func(t *testing.T) {
				pt := bytes.Repeat([]byte("v"), n)
				msg := nonFramedV2(t, c, pt)
				h, err := ParseHeader(msg)
				require.NoError(t, err)
				assert.Equal(t, 2, h.Version)
				assert.Equal(t, NonFramed, h.ContentType)
				assert.Equal(t, 0, h.FrameLength)
				got, err := c.Decrypt(context.Background(), msg, nil)
				require.NoError(t, err)
				assert.Equal(t, pt, got)
				r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
				require.NoError(t, err)
				var buf bytes.Buffer
				_, err = buf.ReadFrom(r)
				require.NoError(t, err)
				assert.Equal(t, pt, buf.Bytes())
				for _, i := range []int{h.Size - 1, h.Size + 3, h.Size + 12 + 7, len(msg) - 1} {
					bad := bytes.Clone(msg)
					bad[i] ^= 1
					_, err := c.Decrypt(context.Background(), bad, nil)
					assert.ErrorIs(t, err, ErrDecrypt, "byte %d", i)
				}
			})
		}
	}
}
