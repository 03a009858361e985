package sigv4temp

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// x-amz-* headers added after signing change what an S3 request means
// (x-amz-acl makes an object public, x-amz-copy-source turns a PUT into a
// copy, x-amz-server-side-encryption, x-amz-tagging). AWS refuses them:
// "There were headers present in the request which were not signed".
func TestAttackUnsignedAmzHeader(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	for _, h := range []string{"X-Amz-Acl", "X-Amz-Copy-Source", "X-Amz-Server-Side-Encryption", "X-Amz-Tagging", "x-amz-meta-added"} {
		t.Run("header-signed "+h, func(t *testing.T) {
			r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/key", []byte("data"))
			require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime))
			r.Header[h] = []string{"public-read"}
			_, err := verifyAll(v, r, vTime)
			require.ErrorIs(t, err, ErrSignatureMismatch)
		})
		t.Run("presigned "+h, func(t *testing.T) {
			r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/key", nil)
			u, hdr, err := Presign(ctx, r, vTemp, "s3", "us-east-1", vTime, 3600e9)
			require.NoError(t, err)
			pr := mustReq(t, "PUT", u, []byte("data"))
			for k, vs := range hdr {
				pr.Header[k] = vs
			}
			pr.Header[h] = []string{"public-read"}
			_, err = verifyAll(v, pr, vTime)
			require.ErrorIs(t, err, ErrSignatureMismatch)
		})
	}
	// The token added after signing (TokenAfterSigning) stays accepted, as
	// the issue requires; so do the headers whose values the signature
	// binds anyway.
	r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/key", []byte("data"))
	require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime, func(o *Options) { o.TokenAfterSigning = true }))
	_, err := verifyAll(v, r, vTime)
	require.NoError(t, err)
}

// The Verifier doc's sentences on what a signature covers: a signed
// header's values split over two lines verify as the comma-joined value;
// an unsigned header other than x-amz-* is not covered.
func TestAttackHeaderValuesSplit(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	r := mustReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/key", nil)
	r.Header.Set("X-Amz-Meta-A", "1,2")
	require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime))
	r.Header["X-Amz-Meta-A"] = []string{"1", "2"}
	_, err := verifyAll(v, r, vTime)
	require.NoError(t, err)
	r.Header.Set("Cache-Control", "no-cache") // not signed, not x-amz-*: not covered
	_, err = verifyAll(v, r, vTime)
	require.NoError(t, err)
}

// MaxBufferedBody's doc: the body is buffered before the signature is
// checked, so a request with a wrong signature but a valid access key ID
// still has its body read (up to the bound).
func TestAttackBufferedBeforeSignature(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	r := mustReq(t, "PUT", "https://example.amazonaws.com/k", []byte("some body"))
	require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
	auth := r.Header.Get("Authorization")
	r.Header.Set("Authorization", auth[:len(auth)-64]+strings.Repeat("0", 64))
	cr := &countingReader{r: r.Body}
	r.Body = io.NopCloser(cr)
	_, err := v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrSignatureMismatch)
	require.Equal(t, len("some body"), cr.n)
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += n
	return n, err
}
