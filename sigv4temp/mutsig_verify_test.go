package sigv4temp

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
)

// A body sent without X-Amz-Content-Sha256 is buffered to hash it: one of
// exactly MaxBufferedBody bytes verifies, whether its length is known or
// not; one byte more is ErrTooLarge.
func TestMutsigBufferedBodyBound(t *testing.T) {
	ctx := context.Background()
	const bound = 24
	v := newVerifier(t, func(o *VerifierOptions) { o.MaxBufferedBody = bound })
	for _, size := range []int{bound, bound + 1} {
		for _, unknown := range []bool{false, true} {
			body := bytes.Repeat([]byte("b"), size)
			r := mustReq(t, "PUT", "https://example.amazonaws.com/k", body)
			require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
			if unknown {
				r.Header.Set("Content-Length", fmt.Sprint(r.ContentLength)) // as a server sees a chunked request
				r.ContentLength = -1
			}
			vr, err := v.Verify(ctx, r, vTime)
			if size > bound {
				require.ErrorIs(t, err, ErrTooLarge, "size %d, unknown length %v", size, unknown)
				continue
			}
			require.NoError(t, err, "size %d, unknown length %v", size, unknown)
			got, err := io.ReadAll(vr.Body)
			require.NoError(t, err)
			require.Equal(t, body, got)
		}
	}
}

// An x-amz-* header must be signed whatever follows the prefix, even
// nothing; a shorter name is not an x-amz-* header.
func TestMutsigUnsignedAmzHeaderNames(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"X-Amz-", false},
		{"x-amz-", false},
		{"X-Amz-A", false},
		{"X-Amz", true},
		{"X-Am", true},
		{"Xamz-", true},
	} {
		r := mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
		require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
		r.Header[tc.name] = []string{"v"}
		_, err := verifyAll(v, r, vTime)
		if tc.ok {
			require.NoError(t, err, "header %q", tc.name)
		} else {
			require.ErrorIs(t, err, ErrSignatureMismatch, "header %q", tc.name)
		}
	}
}

// VerifyError.Error is "<Err>[: access key <AccessKeyID>][: <Reason>]".
func TestMutsigVerifyErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    VerifyError
		want string
	}{
		{VerifyError{Err: ErrMissingAuth}, "sigv4temp: request not signed with SigV4"},
		{VerifyError{Err: ErrUnknownKey, AccessKeyID: "AKID"}, "sigv4temp: unknown access key: access key AKID"},
		{VerifyError{Err: ErrMalformedChunk, Reason: "chunk 0: x"}, "sigv4temp: malformed aws-chunked body: chunk 0: x"},
		{VerifyError{Err: ErrTooLarge, AccessKeyID: "AKID", Reason: "r"}, "sigv4temp: request exceeds a size bound: access key AKID: r"},
	} {
		require.Equal(t, tc.want, tc.e.Error())
	}
}

// The key cache keeps every key up to maxCachedKeys entries, then drops
// them together; a second request with a cached key reuses it.
func TestMutsigKeyCacheFills(t *testing.T) {
	ctx := context.Background()
	v, err := NewVerifier(func(_ context.Context, id string) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: "secret-of-" + id}, nil
	})
	require.NoError(t, err)
	size := func() int {
		v.keys.mu.Lock()
		defer v.keys.mu.Unlock()
		return len(v.keys.m)
	}
	for i := range maxCachedKeys + 1 {
		c := aws.Credentials{AccessKeyID: fmt.Sprintf("AKID%d", i), SecretAccessKey: fmt.Sprintf("secret-of-AKID%d", i)}
		for range 2 {
			r := mustReq(t, "GET", "https://example.amazonaws.com/", nil)
			require.NoError(t, Sign(ctx, r, c, "service", "us-east-1", vTime))
			_, err := verifyAll(v, r, vTime)
			require.NoError(t, err)
		}
		want := i + 1
		if i == maxCachedKeys {
			want = 1 // full: dropped, then this key added
		}
		require.Equal(t, want, size(), "after %d keys", i+1)
	}
}

// The lookup must return the credentials of the key asked for: another
// key's are ErrUnknownKey; credentials without an AccessKeyID are taken as
// the key's.
func TestMutsigLookupReturnsAnotherKey(t *testing.T) {
	ctx := context.Background()
	sign := func() *http.Request {
		r := mustReq(t, "GET", "https://example.amazonaws.com/", nil)
		require.NoError(t, Sign(ctx, r, vLong, "service", "us-east-1", vTime))
		return r
	}
	other := aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: vLong.SecretAccessKey}
	v, err := NewVerifier(func(context.Context, string) (aws.Credentials, error) { return other, nil })
	require.NoError(t, err)
	_, err = verifyAll(v, sign(), vTime)
	require.ErrorIs(t, err, ErrUnknownKey)
	var ve *VerifyError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "lookup returned another access key", ve.Reason)

	anon := aws.Credentials{SecretAccessKey: vLong.SecretAccessKey}
	v, err = NewVerifier(func(context.Context, string) (aws.Credentials, error) { return anon, nil })
	require.NoError(t, err)
	_, err = verifyAll(v, sign(), vTime)
	require.NoError(t, err)
}

// X-Amz-Expires over 7 days is reported in seconds.
func TestMutsigExpiresOverSevenDaysReason(t *testing.T) {
	ctx := context.Background()
	u, _, err := Presign(ctx, mustReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/k", nil), vLong, "s3", "us-east-1", vTime, MaxPresignExpiry)
	require.NoError(t, err)
	u = strings.Replace(u, "X-Amz-Expires=604800", "X-Amz-Expires=604801", 1)
	_, err = verifyAll(newVerifier(t), mustReq(t, "GET", u, nil), vTime)
	require.ErrorIs(t, err, ErrRequestExpired)
	var ve *VerifyError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "X-Amz-Expires 604801 s is over 7 days", ve.Reason)
}

// A request without a body whose signed payload hash is not the empty
// string's fails when its (empty) body is read; with the empty hash its
// Body is http.NoBody.
func TestMutsigNoBodyWithPayloadHash(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	r := mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
	require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) {
		o.ContentSHA256Header = true
		o.PayloadHash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // SHA-256 of "abc"
	}))
	vr, err := v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	_, err = io.ReadAll(vr.Body)
	require.ErrorIs(t, err, ErrSignatureMismatch)

	r = mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
	require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) { o.ContentSHA256Header = true }))
	vr, err = v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	require.Equal(t, http.NoBody, vr.Body)
}

// The signed body is checked at Content-Length, 0 included: a body reader
// that holds more bytes than that fails there, even when the extra bytes
// complete the signed hash.
func TestMutsigBodyCheckedAtContentLength(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	for _, cl := range []int64{0, 2} {
		r := mustReq(t, "PUT", "https://example.amazonaws.com/k", []byte("abc"))
		r.ContentLength = cl // as declared; the reader holds "abc"
		require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) {
			o.ContentSHA256Header = true
			o.PayloadHash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // SHA-256 of "abc"
		}))
		vr, err := v.Verify(ctx, r, vTime)
		require.NoError(t, err)
		got, err := io.ReadAll(iotest.OneByteReader(vr.Body))
		require.ErrorIs(t, err, ErrSignatureMismatch, "Content-Length %d", cl)
		require.Len(t, got, max(0, int(cl)-1), "Content-Length %d: bytes before the checking read", cl)
	}
}

// The verified body never returns (0, nil): after its last bytes comes
// (0, io.EOF), whether the underlying reader sends io.EOF alone or beside
// the last bytes.
func TestMutsigBodyNeverZeroNil(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	body := []byte("the body that was signed")
	for _, wrap := range []func(io.Reader) io.Reader{
		func(r io.Reader) io.Reader { return r },
		iotest.DataErrReader,
		iotest.HalfReader,
	} {
		for _, cl := range []int64{int64(len(body)), -1} {
			r := mustReq(t, "PUT", "https://example.amazonaws.com/k", body)
			require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) { o.ContentSHA256Header = true }))
			r.Body = io.NopCloser(wrap(bytes.NewReader(body)))
			if cl < 0 {
				r.Header.Set("Content-Length", fmt.Sprint(r.ContentLength))
				r.ContentLength = -1
			}
			vr, err := v.Verify(ctx, r, vTime)
			require.NoError(t, err)
			var got []byte
			buf := make([]byte, 7)
			for range 100 {
				n, err := vr.Body.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					require.ErrorIs(t, err, io.EOF)
					break
				}
				require.NotZero(t, n, "Read returned (0, nil) after %d bytes", len(got))
			}
			require.Equal(t, body, got)
		}
	}
}

// Each size bound admits exactly its value: the Authorization header, the
// raw query and the canonical signed headers of MaxHeaderBytes bytes, and
// MaxQueryParams parameters; one more is ErrTooLarge.
func TestMutsigSizeBoundsExact(t *testing.T) {
	ctx := context.Background()
	check := func(name string, r func() *http.Request, bound int, opt func(*VerifierOptions, int)) {
		t.Helper()
		v := newVerifier(t, func(o *VerifierOptions) { opt(o, bound) })
		_, err := verifyAll(v, r(), vTime)
		require.NoError(t, err, "%s: bound %d", name, bound)
		v = newVerifier(t, func(o *VerifierOptions) { opt(o, bound-1) })
		_, err = verifyAll(v, r(), vTime)
		require.ErrorIs(t, err, ErrTooLarge, "%s: bound %d", name, bound-1)
	}
	headerBytes := func(o *VerifierOptions, n int) { o.MaxHeaderBytes = n }

	signed := func() *http.Request {
		r := mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
		require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
		return r
	}
	check("Authorization", signed, len(signed().Header.Get("Authorization")), headerBytes)

	presigned := func() *http.Request {
		u, _, err := Presign(ctx, mustReq(t, "GET", "https://example.amazonaws.com/k?a=1&b=2", nil), vTemp, "service", "us-east-1", vTime, time.Hour)
		require.NoError(t, err)
		return mustReq(t, "GET", u, nil)
	}
	raw := presigned().URL.RawQuery
	check("query", presigned, len(raw), headerBytes)
	check("query parameters", presigned, strings.Count(raw, "&")+1, func(o *VerifierOptions, n int) { o.MaxQueryParams = n })

	big := func() *http.Request {
		r := mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
		r.Header.Set("X-Big", strings.Repeat("b", 1000))
		require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
		return r
	}
	r := big()
	p, err := newVerifier(t).parse(r)
	require.NoError(t, err)
	block, err := newVerifier(t).canonicalHeaders(r, p)
	require.NoError(t, err)
	require.Greater(t, len(block), len(r.Header.Get("Authorization")))
	check("signed headers", big, len(block), headerBytes)
}

// handSign signs a GET of https://example.amazonaws.com/k with vLong by
// hand (an independent SigV4: canonical request, string to sign, key
// derivation), over the given lowercase header lines, host included, so
// that headers no Go signer signs (content-length: 0, transfer-encoding)
// can be.
func handSign(t *testing.T, r *http.Request, headers [][2]string) {
	t.Helper()
	date := vTime.Format(amzDateFormat)
	r.Header.Set("X-Amz-Date", date)
	headers = append(headers, [2]string{"host", "example.amazonaws.com"}, [2]string{"x-amz-date", date})
	slices.SortFunc(headers, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	var canon, names strings.Builder
	for i, h := range headers {
		canon.WriteString(h[0] + ":" + h[1] + "\n")
		if i > 0 {
			names.WriteByte(';')
		}
		names.WriteString(h[0])
	}
	creq := "GET\n/k\n\n" + canon.String() + "\n" + names.String() + "\n" + EmptyPayloadHash
	sum := sha256.Sum256([]byte(creq))
	scope := vTime.Format("20060102") + "/us-east-1/service/aws4_request"
	mac := func(key []byte, s string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(s))
		return m.Sum(nil)
	}
	key := []byte("AWS4" + vLong.SecretAccessKey)
	for _, s := range strings.Split(scope, "/") {
		key = mac(key, s)
	}
	sig := mac(key, "AWS4-HMAC-SHA256\n"+date+"\n"+scope+"\n"+hex.EncodeToString(sum[:]))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+vLong.AccessKeyID+"/"+scope+", SignedHeaders="+names.String()+", Signature="+hex.EncodeToString(sig))
}

// Signed headers the server moves out of r.Header are read from the
// request: Content-Length (0 included) from ContentLength, Transfer-Encoding
// from TransferEncoding; a header stored under a non-canonical key is
// found too.
func TestMutsigSignedHeadersOutsideHeader(t *testing.T) {
	v := newVerifier(t)
	for _, tc := range []struct {
		name    string
		signed  [][2]string
		set     func(r *http.Request) // as a server holds the request
		wantErr bool
	}{
		{"content-length 0", [][2]string{{"content-length", "0"}}, func(r *http.Request) { r.ContentLength = 0 }, false},
		{"content-length unknown", [][2]string{{"content-length", "0"}}, func(r *http.Request) { r.ContentLength = -1 }, true},
		{"transfer-encoding", [][2]string{{"transfer-encoding", "gzip,chunked"}}, func(r *http.Request) { r.TransferEncoding = []string{"gzip", "chunked"} }, false},
		{"transfer-encoding absent", [][2]string{{"transfer-encoding", "chunked"}}, func(r *http.Request) {}, true},
		{"transfer-encoding signed empty, absent", [][2]string{{"transfer-encoding", ""}}, func(r *http.Request) {}, true},
		{"non-canonical key", [][2]string{{"x-custom", "v1,v2"}}, func(r *http.Request) { r.Header["x-custom"] = []string{"v1", "v2"} }, false},
		{"non-canonical key, other value", [][2]string{{"x-custom", "v1,v2"}}, func(r *http.Request) { r.Header["x-custom"] = []string{"v1"} }, true},
	} {
		r := mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
		handSign(t, r, tc.signed)
		tc.set(r)
		_, err := verifyAll(v, r, vTime)
		if tc.wantErr {
			require.ErrorIs(t, err, ErrSignatureMismatch, tc.name)
		} else {
			require.NoError(t, err, tc.name)
		}
	}
}
