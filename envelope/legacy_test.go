package envelope_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/internal/legacymsg"
)

// legacyKey is the raw AES wrapping key of the hand-built messages.
var legacyKey = aesKey(32)

// legacyMessage builds, from the specification (internal/legacymsg, not
// envelope's code), a version 1 message of suite under the raw AES keyring
// "legacy"/"aes", framed with frameLength or non-framed (0).
func legacyMessage(t testing.TB, suite uint16, frameLength int, pt []byte) []byte {
	t.Helper()
	s, ok := legacymsg.SuiteByID(suite)
	require.True(t, ok)
	m := &legacymsg.Message{
		Suite: s, Context: map[string]string{"purpose": "legacy"}, DataKey: aesKey(s.KeyLen)[:s.KeyLen],
		NonFramed: frameLength == 0, FrameLength: frameLength, Plaintext: pt,
	}
	for i := range m.MessageID {
		m.MessageID[i] = byte(0xA0 + i)
	}
	ec, err := m.FullContext()
	require.NoError(t, err)
	edk, err := legacymsg.WrapAES("legacy", "aes", legacyKey, bytes.Repeat([]byte{7}, 12), m.DataKey, ec)
	require.NoError(t, err)
	m.DataKeys = []legacymsg.DataKey{edk}
	msg, err := legacymsg.Build(m)
	require.NoError(t, err)
	return msg
}

func legacyClient(t testing.TB, opts ...func(*envelope.Options)) *envelope.Client {
	t.Helper()
	kr, err := envelope.RawAESKeyring("legacy", "aes", legacyKey)
	require.NoError(t, err)
	c, err := envelope.NewWithKeyring(kr, append([]func(*envelope.Options){func(o *envelope.Options) {
		o.CommitmentPolicy = envelope.RequireEncryptAllowDecrypt
	}}, opts...)...)
	require.NoError(t, err)
	return c
}

// Every non-committing suite, framed and non-framed, decrypts whole and
// streamed under RequireEncryptAllowDecrypt, with the header described.
func TestLegacySuites(t *testing.T) {
	c := legacyClient(t)
	for _, s := range legacymsg.Suites {
		for _, fl := range []int{0, 1, 100} {
			for _, n := range []int{0, 1, 100, 250} {
				t.Run(fmt.Sprintf("%04x/%d/%d", s.ID, fl, n), func(t *testing.T) {
					pt := bytes.Repeat([]byte("L"), n)
					msg := legacyMessage(t, s.ID, fl, pt)
					h, err := envelope.ParseHeader(msg)
					require.NoError(t, err)
					assert.Equal(t, 1, h.Version)
					assert.Equal(t, envelope.Suite(s.ID), h.Suite)
					assert.False(t, h.Suite.Committing())
					assert.Equal(t, s.Curve != nil, h.Suite.Signed())
					assert.Len(t, h.MessageID, 16)
					assert.Equal(t, 12, h.IVLength)
					assert.Equal(t, fl, h.FrameLength)
					if fl == 0 {
						assert.Equal(t, envelope.NonFramed, h.ContentType)
					} else {
						assert.Equal(t, envelope.Framed, h.ContentType)
					}
					whole, streamed, errWhole, errStream := decryptBoth(c, msg, map[string]string{"purpose": "legacy"})
					require.NoError(t, errWhole)
					require.NoError(t, errStream)
					assert.Equal(t, pt, whole)
					assert.Equal(t, pt, streamed)
				})
			}
		}
	}
}

// A hand-checked non-framed message: every field written out from the
// specification's tables, here, byte by byte, for suite 0x0014 (no key
// derivation: the data key is the content key), an empty encryption
// context and one raw AES data key.
func TestHandBuiltNonFramedMessage(t *testing.T) {
	dataKey := bytes.Repeat([]byte{0x11}, 16)
	msgID := bytes.Repeat([]byte{0x22}, 16)
	edk, err := legacymsg.WrapAES("legacy", "aes", legacyKey, bytes.Repeat([]byte{0x33}, 12), dataKey, nil)
	require.NoError(t, err)
	var b []byte
	b = append(b, 0x01, 0x80, 0x00, 0x14) // version 1, type 0x80, suite 0x0014
	b = append(b, msgID...)               // message ID (16)
	b = append(b, 0x00, 0x00)             // AAD length 0: empty encryption context
	b = append(b, 0x00, 0x01)             // one encrypted data key
	b = binary.BigEndian.AppendUint16(b, uint16(len(edk.ProviderID)))
	b = append(b, edk.ProviderID...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(edk.ProviderInfo)))
	b = append(b, edk.ProviderInfo...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(edk.Ciphertext)))
	b = append(b, edk.Ciphertext...)
	b = append(b, 0x01)                        // content type: non-framed
	b = append(b, 0x00, 0x00, 0x00, 0x00)      // reserved
	b = append(b, 0x0C)                        // IV length 12
	b = append(b, 0x00, 0x00, 0x00, 0x00)      // frame length 0
	headerIV := bytes.Repeat([]byte{0x44}, 12) // any IV: the reader must use the one stored
	b = append(b, headerIV...)
	gcm := newGCM(t, dataKey)
	b = append(b, gcm.Seal(nil, headerIV, nil, b[:len(b)-12])...) // tag over the header body
	pt := []byte("non-framed content, checked by hand")
	bodyIV := bytes.Repeat([]byte{0x55}, 12)
	b = append(b, bodyIV...)
	b = binary.BigEndian.AppendUint64(b, uint64(len(pt))) // encrypted content length
	aad := append(append(append([]byte{}, msgID...), "AWSKMSEncryptionClient Single Block"...), 0, 0, 0, 1)
	aad = binary.BigEndian.AppendUint64(aad, uint64(len(pt)))
	b = gcm.Seal(b, bodyIV, pt, aad) // content, then the 16-byte tag
	assert.Equal(t, 4+16+2+2+2+6+2+len(edk.ProviderInfo)+2+32+1+4+1+4+12+16+12+8+len(pt)+16, len(b), "16-byte data key: 32-byte wrapped key with its tag")

	c := legacyClient(t)
	whole, streamed, errWhole, errStream := decryptBoth(c, b, nil)
	require.NoError(t, errWhole)
	require.NoError(t, errStream)
	assert.Equal(t, pt, whole)
	assert.Equal(t, pt, streamed)
	sum := sha256.Sum256(b)
	t.Logf("hand-built non-framed message: %d bytes, SHA-256 %s", len(b), hex.EncodeToString(sum[:]))

	// The default policy refuses it before any key is asked for.
	_, err = legacyClient(t, func(o *envelope.Options) { o.CommitmentPolicy = envelope.RequireEncryptRequireDecrypt }).Decrypt(context.Background(), b, nil)
	assert.ErrorIs(t, err, envelope.ErrCommitmentPolicy)
	assert.ErrorIs(t, err, envelope.ErrDecrypt)
	assert.Contains(t, err.Error(), "RequireEncryptAllowDecrypt")
	assert.Contains(t, err.Error(), "ALG_AES_128_GCM_IV12_TAG16_NO_KDF")
}

// The default policy refuses every legacy suite with ErrCommitmentPolicy,
// before the keyring is called (the recording KMS sees no call), whole and
// streamed.
func TestCommitmentPolicyRefusesLegacy(t *testing.T) {
	r := &recordingKMS{dataKey: aesKey(32)}
	kr := mustKR(envelope.MultiKeyring(mustKR(envelope.KMSKeyring(r, srkEast)), mustKR(envelope.RawAESKeyring("legacy", "aes", legacyKey))))
	c, err := envelope.NewWithKeyring(kr)
	require.NoError(t, err)
	for _, s := range legacymsg.Suites {
		msg := legacyMessage(t, s.ID, 64, []byte("old"))
		_, err := c.Decrypt(context.Background(), msg, nil)
		assert.ErrorIs(t, err, envelope.ErrCommitmentPolicy)
		_, err = c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		assert.ErrorIs(t, err, envelope.ErrCommitmentPolicy)
	}
	assert.Empty(t, r.keyIDs)
	// The committing suites are not affected.
	msg, err := c.Encrypt(context.Background(), []byte("new"), nil)
	require.NoError(t, err)
	_, err = c.Decrypt(context.Background(), msg, nil)
	assert.NoError(t, err)
}

// Every byte of a legacy message (framed and non-framed, signed and not)
// matters: changed, it fails with ErrDecrypt, never another plaintext; cut
// anywhere, it fails with ErrDecrypt.
func TestLegacyTampering(t *testing.T) {
	c := legacyClient(t)
	suites := []uint16{0x0014, 0x0178, 0x0214, 0x0378}
	if testing.Short() {
		suites = suites[:2] // the signed ones cost an ECDSA verification per changed byte
	}
	for _, suite := range suites {
		for _, fl := range []int{0, 16} {
			msg := legacyMessage(t, suite, fl, []byte("0123456789abcdefghij"))
			for i := range msg {
				bad := bytes.Clone(msg)
				bad[i] ^= 0x01
				whole, streamed, errWhole, errStream := decryptBoth(c, bad, nil)
				if errWhole == nil || errStream == nil {
					t.Fatalf("%04x frame %d: byte %d changed, decrypted %q / %q", suite, fl, i, whole, streamed)
				}
				for _, err := range []error{errWhole, errStream} {
					if !errors.Is(err, envelope.ErrDecrypt) {
						t.Fatalf("%04x frame %d: byte %d changed: %v does not match ErrDecrypt", suite, fl, i, err)
					}
				}
			}
			for n := range len(msg) {
				_, _, errWhole, errStream := decryptBoth(c, msg[:n], nil)
				if !errors.Is(errWhole, envelope.ErrDecrypt) || !errors.Is(errStream, envelope.ErrDecrypt) {
					t.Fatalf("%04x frame %d: cut at %d: %v, %v", suite, fl, n, errWhole, errStream)
				}
			}
			_, _, errWhole, errStream := decryptBoth(c, append(bytes.Clone(msg), 0), nil)
			assert.ErrorIs(t, errWhole, envelope.ErrDecrypt, "trailing byte")
			assert.ErrorIs(t, errStream, envelope.ErrDecrypt, "trailing byte")
		}
	}
}

// A non-framed body is released only after its tag (and signature) verify:
// a Reader over a message whose last byte is wrong returns no plaintext at
// all. Content longer than MaxFrameLength is refused by DecryptStream
// before it is buffered; Decrypt, bounded by the message, reads it.
func TestNonFramedStreamHoldsBack(t *testing.T) {
	pt := bytes.Repeat([]byte("N"), 1000)
	for _, suite := range []uint16{0x0078, 0x0378} {
		msg := legacyMessage(t, suite, 0, pt)
		bad := bytes.Clone(msg)
		bad[len(bad)-1] ^= 1
		r, err := legacyClient(t).DecryptStream(context.Background(), bytes.NewReader(bad), nil)
		require.NoError(t, err)
		buf := make([]byte, 4096)
		n, err := r.Read(buf)
		assert.Zero(t, n, "no plaintext before the tag verifies")
		assert.ErrorIs(t, err, envelope.ErrDecrypt)

		small := legacyClient(t, func(o *envelope.Options) { o.MaxFrameLength = 999 })
		r, err = small.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		require.NoError(t, err)
		_, err = io.ReadAll(r)
		assert.ErrorIs(t, err, envelope.ErrMalformed)
		got, err := small.Decrypt(context.Background(), msg, nil)
		require.NoError(t, err)
		assert.Equal(t, pt, got)
		r, err = legacyClient(t, func(o *envelope.Options) { o.MaxFrameLength = 1000 }).DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		require.NoError(t, err)
		got, err = io.ReadAll(r)
		require.NoError(t, err)
		assert.Equal(t, pt, got)
	}
}

// Header fields of version 1 that only one value may take.
func TestParseHeaderV1Malformed(t *testing.T) {
	msg := legacyMessage(t, 0x0078, 16, []byte("x"))
	h, err := envelope.ParseHeader(msg)
	require.NoError(t, err)
	ctOff := h.Size - 12 - 16 - 4 - 1 - 4 - 1 // content type
	for name, mutate := range map[string]func(b []byte){
		"type 0x81":             func(b []byte) { b[1] = 0x81 },
		"version 3":             func(b []byte) { b[0] = 3 },
		"committing suite in 1": func(b []byte) { binary.BigEndian.PutUint16(b[2:], 0x0478) },
		"unknown suite":         func(b []byte) { binary.BigEndian.PutUint16(b[2:], 0x0079) },
		"content type 3":        func(b []byte) { b[ctOff] = 3 },
		"reserved non-zero":     func(b []byte) { b[ctOff+2] = 1 },
		"IV length 16":          func(b []byte) { b[ctOff+5] = 16 },
		"framed, frame 0":       func(b []byte) { binary.BigEndian.PutUint32(b[ctOff+6:], 0) },
		"non-framed, frame 16":  func(b []byte) { b[ctOff] = 1 },
	} {
		bad := bytes.Clone(msg)
		mutate(bad)
		_, err := envelope.ParseHeader(bad)
		assert.ErrorIs(t, err, envelope.ErrMalformed, name)
		_, err = legacyClient(t).DecryptStream(context.Background(), bytes.NewReader(bad), nil)
		assert.ErrorIs(t, err, envelope.ErrDecrypt, name)
	}
	// A legacy suite in a version 2 header is malformed too.
	c := legacyClient(t)
	v2, err := c.Encrypt(context.Background(), []byte("x"), nil)
	require.NoError(t, err)
	binary.BigEndian.PutUint16(v2[1:], 0x0078)
	_, err = envelope.ParseHeader(v2)
	assert.ErrorIs(t, err, envelope.ErrMalformed)
}

func TestSuiteNames(t *testing.T) {
	for _, s := range legacymsg.Suites {
		name := envelope.Suite(s.ID).String()
		assert.Contains(t, name, "ALG_AES_", s.ID)
		assert.NotContains(t, name, "COMMIT", s.ID)
	}
	assert.True(t, envelope.SuiteCommitKey.Committing())
	assert.False(t, envelope.SuiteCommitKey.Signed())
	assert.True(t, envelope.SuiteCommitKeyECDSAP384.Signed())
	assert.False(t, envelope.Suite(0x9999).Committing())
	assert.False(t, envelope.Suite(0x9999).Signed())
	assert.Equal(t, "non-framed", envelope.NonFramed.String())
	assert.Equal(t, "framed", envelope.Framed.String())
	assert.Equal(t, "ContentType(0x07)", envelope.ContentType(7).String())
}

func newGCM(t testing.TB, key []byte) cipher.AEAD {
	t.Helper()
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	gcm, err := cipher.NewGCM(block)
	require.NoError(t, err)
	return gcm
}

// Options.UnsignedOnly refuses the signed legacy suites too, before any key
// is asked for, and reads the unsigned ones.
func TestUnsignedOnlyLegacy(t *testing.T) {
	c := legacyClient(t, func(o *envelope.Options) { o.UnsignedOnly = true })
	for _, s := range legacymsg.Suites {
		msg := legacyMessage(t, s.ID, 0, []byte("x"))
		_, err := c.Decrypt(context.Background(), msg, nil)
		if s.Curve != nil {
			assert.ErrorIs(t, err, envelope.ErrSignedMessage, "%04x", s.ID)
		} else {
			assert.NoError(t, err, "%04x", s.ID)
		}
	}
}

// io.Copy from a Reader (its WriteTo) reads legacy messages, framed and
// non-framed, as Read does.
func TestLegacyWriteTo(t *testing.T) {
	c := legacyClient(t)
	for _, fl := range []int{0, 64} {
		for _, n := range []int{0, 1, 1000} {
			pt := bytes.Repeat([]byte("w"), n)
			msg := legacyMessage(t, 0x0378, fl, pt)
			r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
			require.NoError(t, err)
			var out bytes.Buffer
			written, err := io.Copy(&out, r)
			require.NoError(t, err, "frame %d, %d bytes", fl, n)
			assert.Equal(t, int64(n), written)
			assert.True(t, bytes.Equal(pt, out.Bytes()))
			bad := bytes.Clone(msg)
			bad[len(bad)-1] ^= 1
			r, err = c.DecryptStream(context.Background(), bytes.NewReader(bad), nil)
			require.NoError(t, err)
			out.Reset()
			_, err = io.Copy(&out, r)
			assert.ErrorIs(t, err, envelope.ErrDecrypt)
			if fl == 0 {
				assert.Zero(t, out.Len(), "nothing of a non-framed body before it verifies")
			}
		}
	}
}
