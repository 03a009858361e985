package sigv4temp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worked example of the S3 documentation, "Signature Calculations for
// the Authorization Header: Transferring Payload in Multiple Chunks" and
// "... Including Trailing Headers" (sigv4-streaming.html,
// sigv4-streaming-trailers.html): 66560 bytes of 'a' in chunks of 64 KiB.
var (
	docCreds = aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	docTime  = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	docData  = bytes.Repeat([]byte{'a'}, 66560)
)

const (
	docSeed        = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
	docTrailerSeed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
)

var (
	docChunkSigs        = []string{"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"}
	docTrailerChunkSigs = []string{"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2", "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7", "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"}
)

const docTrailer = "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n"

// docBody writes the documented encoding, built by hand from its parts.
func docBody(sigs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("10000;chunk-signature=" + sigs[0] + "\r\n")
	b.Write(docData[:65536])
	b.WriteString("\r\n400;chunk-signature=" + sigs[1] + "\r\n")
	b.Write(docData[65536:])
	b.WriteString("\r\n0;chunk-signature=" + sigs[2] + "\r\n" + trailer + "\r\n")
	return b.Bytes()
}

func docRequest(t *testing.T) *http.Request {
	r, err := http.NewRequest("PUT", "https://s3.amazonaws.com/examplebucket/chunkObject.txt", bytes.NewReader(docData))
	require.NoError(t, err)
	r.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	return r
}

func TestSignStreamingS3DocExample(t *testing.T) {
	r := docRequest(t)
	require.NoError(t, SignStreaming(context.Background(), r, docCreds, "s3", "us-east-1", docTime))
	assert.Equal(t, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "+
		"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, "+
		"Signature="+docSeed, r.Header.Get("Authorization"))
	assert.Equal(t, int64(66824), r.ContentLength)
	assert.Equal(t, "aws-chunked", r.Header.Get("Content-Encoding"))
	assert.Equal(t, "66560", r.Header.Get("X-Amz-Decoded-Content-Length"))
	assert.Equal(t, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", r.Header.Get("X-Amz-Content-Sha256"))
	got, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(docBody(docChunkSigs, ""), got), "the encoded body differs from the documented one")

	// GetBody re-encodes the same bytes.
	rc, err := r.GetBody()
	require.NoError(t, err)
	again, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(got, again))
}

// The trailer example signs no content-length, so its seed comes from the
// Verifier; the chunk and trailer signatures come from the encoder.
func TestStreamingTrailerS3DocExample(t *testing.T) {
	var e encoding
	e.chunkSize, e.length, e.signed, e.trailer = 65536, int64(len(docData)), true, ChecksumCRC32C
	e.key = deriveKey(docCreds.SecretAccessKey, "20130524", "us-east-1", "s3")
	e.date, e.scope = "20130524T000000Z", "20130524/us-east-1/s3/aws4_request"
	copy(e.seed[:], docTrailerSeed)
	got, err := io.ReadAll(e.newEncoder(io.NopCloser(bytes.NewReader(docData))))
	require.NoError(t, err)
	want := docBody(docTrailerChunkSigs, docTrailer)
	assert.True(t, bytes.Equal(want, got), "the encoded body differs from the documented one:\n%q\n%q", tail(got), tail(want))
	assert.Equal(t, int64(len(want)), e.encodedLength())

	// The documented request, as a server receives it.
	r := docRequest(t)
	r.Body = io.NopCloser(bytes.NewReader(want))
	r.ContentLength = int64(len(want))
	for k, v := range map[string]string{
		"Authorization":                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=" + docTrailerSeed,
		"X-Amz-Date":                   "20130524T000000Z",
		"X-Amz-Content-Sha256":         "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
		"Content-Encoding":             "aws-chunked",
		"X-Amz-Decoded-Content-Length": "66560",
		"X-Amz-Trailer":                "x-amz-checksum-crc32c",
	} {
		r.Header.Set(k, v)
	}
	v := docVerifier(t)
	vr, err := v.Verify(context.Background(), r, docTime.Add(time.Minute))
	require.NoError(t, err)
	data, err := io.ReadAll(vr.Body)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(docData, data))
}

func tail(b []byte) []byte { return b[max(0, len(b)-300):] }

func docVerifier(t *testing.T, optFns ...func(*VerifierOptions)) *Verifier {
	t.Helper()
	v, err := NewVerifier(staticLookup(docCreds), optFns...)
	require.NoError(t, err)
	return v
}

func staticLookup(creds ...aws.Credentials) CredentialsLookup {
	return func(_ context.Context, akid string) (aws.Credentials, error) {
		for _, c := range creds {
			if c.AccessKeyID == akid {
				return c, nil
			}
		}
		return aws.Credentials{}, ErrUnknownKey
	}
}

func TestVerifyS3DocExample(t *testing.T) {
	r := docRequest(t)
	require.NoError(t, SignStreaming(context.Background(), r, docCreds, "s3", "us-east-1", docTime))
	vr, err := docVerifier(t).Verify(context.Background(), r, docTime)
	require.NoError(t, err)
	assert.Equal(t, streamingSigned, vr.PayloadHash)
	data, err := io.ReadAll(vr.Body)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(docData, data))
	assert.False(t, strings.Contains(vr.AccessKeyID, "/"))
}
