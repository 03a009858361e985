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
		{with(0, 0x03), "version 0x03, only 0x01 and 0x02 are supported"},
		{with(1, 0x01, 0x79), "suite Suite(0x0179) is not supported in message format version 2"},
		{with(1, 0x01, 0x78), "suite ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256 is not supported in message format version 2"},
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
	edkLen := 2 + len(dk.ProviderID) + 2 + len(dk.ProviderInfo) + 2 + len(dk.Ciphertext)
	noKeys := append(append(bytes.Clone(msg[:countAt]), 0, 0), msg[countAt+2+edkLen:]...)
	_, err = envelope.ParseHeader(noKeys)
	assert.ErrorIs(t, err, envelope.ErrMalformed)
	assert.ErrorContains(t, err, "no encrypted data keys")
	_, err = c.DecryptStream(context.Background(), bytes.NewReader(noKeys), nil)
	assert.ErrorContains(t, err, "0 encrypted data keys, allowed 1 to 10")

	// Content type and frame length sit before the commit key and the tag.
	ctAt := h.Size - 16 - 32 - 4 - 1
	for _, tc := range []struct {
		msg  []byte
		want string
	}{
		{with(ctAt, 0x03), "content type 0x03"},
		{with(ctAt+1, 0, 0, 0, 0), "frame length 0, allowed 1 to 2147483647"},
		{with(ctAt+1, 0x80, 0, 0, 0), "frame length 2147483648, allowed 1 to 2147483647"},
	} {
		_, err := envelope.ParseHeader(tc.msg)
		assert.ErrorIs(t, err, envelope.ErrMalformed, tc.want)
		assert.ErrorContains(t, err, tc.want)
	}

	_, err = c.DecryptStream(context.Background(), bytes.NewReader(with(0, 0x03)), nil)
	assert.ErrorContains(t, err, "version 0x03, only 0x01 and 0x02 are supported")
}

// ParseHeader bounds every length by the bytes present before allocating: a
// header that claims 65,535 data keys gets room for no more than its bytes
// can hold (each takes at least 6), not for 65,535.
func TestParseHeaderAllocationBounded(t *testing.T) {
	hostile := []byte{0x02, 0x04, 0x78}
	hostile = append(hostile, make([]byte, 32)...)   // message ID
	hostile = append(hostile, 0, 0)                  // no encryption context
	hostile = append(hostile, 0xff, 0xff)            // 65,535 data keys
	hostile = append(hostile, 0xff, 0xff)            // a provider ID of 65,535 bytes...
	hostile = append(hostile, make([]byte, 6000)...) // ...that is not there
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 20 {
		_, err := envelope.ParseHeader(hostile)
		require.ErrorIs(t, err, envelope.ErrMalformed)
	}
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / 20
	// 6,000 bytes hold at most 1,000 data keys: about 64 KiB of DataKey
	// values; room for 65,535 would be 4 MiB.
	assert.Less(t, perCall, uint64(256<<10), "ParseHeader allocated %d bytes for a %d-byte header", perCall, len(hostile))
}

// ParseHeader refuses malformed encryption contexts, naming the problem.
func TestParseHeaderContextErrors(t *testing.T) {
	k := kmstest.New()
	c := newClient(t, k, k.MustCreateKey(), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	msg, err := c.Encrypt(context.Background(), []byte("x"), nil) // empty context: its length field is 0
	require.NoError(t, err)
	withContext := func(ec ...byte) []byte {
		m := append(bytes.Clone(msg[:35]), byte(len(ec)>>8), byte(len(ec)))
		m = append(m, ec...)
		return append(m, msg[37:]...)
	}
	pair := func(k, v string) []byte {
		b := []byte{0, byte(len(k))}
		b = append(b, k...)
		b = append(b, 0, byte(len(v)))
		return append(b, v...)
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, tc := range []struct {
		ec   []byte
		want string
	}{
		{[]byte{0, 0}, "encryption context of 2 bytes with no pairs"},
		{cat([]byte{0, 2}, pair("a", "1"), pair("a", "2")), "duplicate encryption context key"},
		{cat([]byte{0, 1}, pair("a", "\xff")), "encryption context is not UTF-8"},
		{cat([]byte{0, 1}, pair("\xfe", "1")), "encryption context is not UTF-8"},
		{cat([]byte{0, 1}, pair("a", "1"), []byte{7, 7}), "2 bytes after the encryption context pairs"},
		{cat([]byte{0, 2}, pair("a", "1")), "context key length: need 2 bytes"},
	} {
		_, err := envelope.ParseHeader(withContext(tc.ec...))
		assert.ErrorIs(t, err, envelope.ErrMalformed, tc.want)
		assert.ErrorContains(t, err, tc.want)
	}
	h, err := envelope.ParseHeader(withContext(cat([]byte{0, 2}, pair("a", "1"), pair("b", "2"))...))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "1", "b": "2"}, h.EncryptionContext)
}
