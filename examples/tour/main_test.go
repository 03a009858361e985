package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTour runs the whole tour offline and checks each section printed its
// headline results.
func TestTour(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tour(&b))
	out := b.String()
	for _, s := range sections {
		assert.Contains(t, out, "== "+s.name+" ==")
	}
	assert.Contains(t, out, "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:live")
	assert.Contains(t, out, "id=mrk-1234abcd12ab34cd56ef1234567890ab")
}

func TestTourCapacity(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tourCapacity(&b))
	// pk 2+11, sk 2+21, total 5+4, lines 5+3+1+(3+(3+1+5)+(3+1+2)) = 72 bytes.
	assert.Contains(t, b.String(), "order item: 72 bytes")
	// 100 * 72 = 7,200 bytes: 2 blocks of 4 KB; 100 blocks one by one.
	assert.Contains(t, b.String(), "100 order items: Query 2 RCU (rounded once), BatchGetItem 100 RCU")
	assert.Contains(t, b.String(), "60 RCU, 30 WCU, 3 partitions")
}

func TestTourWeighting(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tourWeighting(&b))
	assert.Contains(t, b.String(), "weights [9 1] give shares [0.9 0.1]")
	assert.Contains(t, b.String(), "shares [0 1 0]")
	assert.Contains(t, b.String(), "at 5m0s: 100% new, Route 53 weights 0/1")
}

func TestTourBackoff(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tourBackoff(&b))
	assert.Contains(t, b.String(), "exponential     100ms   200ms   400ms   800ms    1.6s      2s")
	assert.Contains(t, b.String(), "attempt 10,000 of exponential: 2s")
}

func TestTourS3Keys(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tourS3Keys(&b))
	assert.Contains(t, b.String(), "List merges all 16 shards back into order: 2026-11-25T20:00:00Z.json, ... (10 keys)")
}

func TestTourSigV4Temp(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tourSigV4Temp(&b))
	// The signature botocore computes for the same request (see sigv4temp's ExampleSign).
	assert.Contains(t, b.String(), "Signature=6ac2589afb3c2df6309cd71d75177d225e5d1605769c442c4e782ca9d8a5e7d8")
	assert.Contains(t, b.String(), "credentials expired")
	// botocore's S3SigV4QueryAuth for the same request (see sigv4temp's Example).
	assert.Contains(t, b.String(), "X-Amz-Signature=25748fc3af2d7607fe7a6eabfa836ff864ffed07061cb543158373b3cc4a81b4")
}

func TestTourEnvelope(t *testing.T) {
	var a, b strings.Builder
	require.NoError(t, tourEnvelope(&a))
	require.NoError(t, tourEnvelope(&b))
	assert.Equal(t, a.String(), b.String(), "seeded: the same output every run")
	assert.Contains(t, a.String(), `decrypted: "Meet me at the usual place at ten."`)
	assert.Contains(t, a.String(), "one flipped bit in the body: envelope: unable to decrypt message")
	assert.Contains(t, a.String(), "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY (0x0478)")
	assert.Contains(t, a.String(), "authenticated context: purpose = tour")
	assert.Contains(t, a.String(), "another tenant required: matches ErrDecrypt: true")
	assert.Contains(t, a.String(), "raw AES keyring: ")
	assert.Contains(t, a.String(), "decrypts to the same: true")
}

func TestTourSigV4TempVerify(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tourSigV4Temp(&b))
	assert.Contains(t, b.String(), "verify /photos/cat 1.jpg: ok, ASIAIOSFODNN7EXAMPLE valid until 2026-11-25T20:15:00Z")
	assert.Contains(t, b.String(), "verify /photos/dog 1.jpg: sigv4temp: signature does not match")
}
