package sigv4temp_test

// Tests for the defects of issue 12 (items 7 to 13 and 21) and issue 20
// item 1. Each failed on the main branch before the fix.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/sigv4temp"
)

// Issue 12.7: with TokenAfterSigning and a #fragment, the token went into
// the fragment, which is never sent.
func TestPresignTokenAfterSigningBeforeFragment(t *testing.T) {
	r := newReq(t, "GET", "https://iot.us-east-1.amazonaws.com/mqtt?x=1#section", nil)
	u, _, err := sigv4temp.Presign(context.Background(), r, tempCreds, "iotdevicegateway", "us-east-1", signTime, 5*time.Minute,
		func(o *sigv4temp.Options) { o.TokenAfterSigning = true })
	require.NoError(t, err)
	pu, err := url.Parse(u)
	require.NoError(t, err)
	assert.Equal(t, tempCreds.SessionToken, pu.Query().Get("X-Amz-Security-Token"), "the token is in the query: %s", u)
	assert.Equal(t, "1", pu.Query().Get("x"))
	assert.Equal(t, "section", pu.Fragment)
	assert.NotContains(t, pu.Fragment, "Token")
	assert.NotContains(t, pu.Query().Get("X-Amz-SignedHeaders"), "x-amz-security-token")
}

// Issue 12.8: header keys that are not in canonical form survived the
// removal of an earlier signature, and the SDK merged duplicate spellings
// in map order: the signature changed from run to run.
func TestSignNonCanonicalHeaderKeys(t *testing.T) {
	build := func() *http.Request {
		r := newReq(t, "GET", "https://example.amazonaws.com/", nil)
		r.Header["x-amz-date"] = []string{"20000101T000000Z"}
		r.Header["x-amz-security-token"] = []string{"stale-token"}
		r.Header["authorization"] = []string{"stale"}
		r.Header["X-Amz-Meta-A"] = []string{"upper"}
		r.Header["x-amz-meta-a"] = []string{"lower"}
		r.Header["x-AMZ-meta-a"] = []string{"mixed"}
		return r
	}
	var first string
	for i := range 40 { // map order differs between runs
		r := build()
		require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "service", "us-east-1", signTime))
		if i == 0 {
			first = r.Header.Get("Authorization")
		}
		require.Equal(t, first, r.Header.Get("Authorization"), "run %d", i)
		assert.Equal(t, []string{"20261125T204941Z"}, r.Header.Values("X-Amz-Date"))
		assert.Equal(t, []string{tempCreds.SessionToken}, r.Header.Values("X-Amz-Security-Token"))
		assert.Len(t, r.Header.Values("Authorization"), 1)
		for k := range r.Header {
			assert.Equal(t, http.CanonicalHeaderKey(k), k, "key %q left in non-canonical form", k)
		}
		// Values join in the byte order of the original keys, the order net/http writes them.
		assert.Equal(t, []string{"upper", "mixed", "lower"}, r.Header.Values("X-Amz-Meta-A"))
	}
	clean := newReq(t, "GET", "https://example.amazonaws.com/", nil)
	clean.Header["X-Amz-Meta-A"] = []string{"upper", "mixed", "lower"}
	require.NoError(t, sigv4temp.Sign(context.Background(), clean, tempCreds, "service", "us-east-1", signTime))
	assert.Equal(t, clean.Header.Get("Authorization"), first, "same as the request written canonically")
}

// Issue 12.9: the query string was re-encoded through url.Values, which
// drops pairs it cannot parse, and sorted.
func TestSignQueryKeptOrRefused(t *testing.T) {
	for _, bad := range []string{"a=1;b=2", "c=%zz", "ok=1&%=2"} {
		r := newReq(t, "GET", "https://example.amazonaws.com/", nil)
		r.URL.RawQuery = bad
		err := sigv4temp.Sign(context.Background(), r, tempCreds, "service", "us-east-1", signTime)
		assert.ErrorIs(t, err, sigv4temp.ErrInvalid, "Sign %q", bad)
		assert.Equal(t, bad, r.URL.RawQuery, "Sign %q: the request is left alone", bad)
		assert.Empty(t, r.Header.Get("Authorization"))
		_, _, err = sigv4temp.Presign(context.Background(), r, tempCreds, "service", "us-east-1", signTime, time.Minute)
		assert.ErrorIs(t, err, sigv4temp.ErrInvalid, "Presign %q", bad)
	}
	tests := []struct{ in, sent string }{
		{"b=2&a=1&a=0&flag", "b=2&a=1&a=0&flag="},  // order kept, repeated values kept in order
		{"q=a+b&r=%7e&s=%2F", "q=a%20b&r=~&s=%2F"}, // '+' is a space; unreserved bytes unescaped
		{"&&x=1&", "x=1"},                          // empty pairs carry nothing
		{"k=%E1%88%B4&=v", "k=%E1%88%B4&=v"},       // an empty name is kept
		{"Action=ListUsers&Version=2010-05-08", "Action=ListUsers&Version=2010-05-08"},
		{"u=AZaz09-_.~&%41=%7a&z=%5A", "u=AZaz09-_.~&A=z&z=Z"}, // unreserved bytes as they are
		{"h=%0a%9F%a0&z=%2f", "h=%0A%9F%A0&z=%2F"},             // other bytes as uppercase %XX
	}
	for _, tc := range tests {
		r := newReq(t, "GET", "https://example.amazonaws.com/", nil)
		r.URL.RawQuery = tc.in
		require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "service", "us-east-1", signTime), tc.in)
		assert.Equal(t, tc.sent, r.URL.RawQuery, "Sign(%q)", tc.in)
		// The signature is the one the SDK computes for the sent query.
		want := newReq(t, "GET", "https://example.amazonaws.com/?"+tc.sent, nil)
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), tempCreds, want, sigv4temp.EmptyPayloadHash, "service", "us-east-1", signTime))
		assert.Equal(t, want.Header.Get("Authorization"), r.Header.Get("Authorization"), tc.in)
	}
}

// Issue 12.11: with service s3 and zero Options, Sign left out
// x-amz-content-sha256 and escaped the path twice; Presign hashed an empty
// body where botocore's S3SigV4QueryAuth signs UNSIGNED-PAYLOAD.
// TestAgainstBotocore checks the same defaults against botocore itself.
func TestS3Defaults(t *testing.T) {
	for _, service := range []string{"s3", "s3-object-lambda", "s3express"} {
		r := newReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/a b/ü/../k", []byte("hello"))
		require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, service, "us-east-1", signTime))
		assert.Equal(t, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", r.Header.Get("X-Amz-Content-Sha256"), service)
		want := newReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/a b/ü/../k", []byte("hello"))
		want.Header.Set("X-Amz-Content-Sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
		require.NoError(t, v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).SignHTTP(context.Background(), longCreds, want,
			"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", service, "us-east-1", signTime))
		assert.Equal(t, want.Header.Get("Authorization"), r.Header.Get("Authorization"), "%s: path once, not normalized, body hash signed", service)

		p := newReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/a b", nil)
		u, _, err := sigv4temp.Presign(context.Background(), p, longCreds, service, "us-east-1", signTime, time.Hour)
		require.NoError(t, err)
		u2, _, err := sigv4temp.Presign(context.Background(), p, longCreds, service, "us-east-1", signTime, time.Hour, func(o *sigv4temp.Options) {
			o.PayloadHash, o.DisableURIPathEscaping, o.DisablePathNormalization = sigv4temp.UnsignedPayload, true, true
		})
		require.NoError(t, err)
		assert.Equal(t, u2, u, "%s presign: UNSIGNED-PAYLOAD, path once", service)
	}
	// Other services: hashed body, no content header, normalized path.
	r := newReq(t, "GET", "https://example.amazonaws.com/a/./b/../c", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, "service", "us-east-1", signTime))
	assert.Empty(t, r.Header.Get("X-Amz-Content-Sha256"))
	assert.Equal(t, "/a/./b/../c", r.URL.Path, "the path sent is the caller's")
	want := newReq(t, "GET", "https://example.amazonaws.com/a/c", nil)
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), longCreds, want, sigv4temp.EmptyPayloadHash, "service", "us-east-1", signTime))
	assert.Equal(t, want.Header.Get("Authorization"), r.Header.Get("Authorization"), "the signed path is normalized")
	r = newReq(t, "GET", "https://example.amazonaws.com/a/./b/../c", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, "service", "us-east-1", signTime, func(o *sigv4temp.Options) { o.DisablePathNormalization = true }))
	assert.NotEqual(t, want.Header.Get("Authorization"), r.Header.Get("Authorization"))
}

// Issue 12.12: presign parameters in another letter case survived
// re-presigning.
func TestPresignStripsParamsInAnyCase(t *testing.T) {
	r := newReq(t, "GET", "https://example.amazonaws.com/?x-amz-signature=stale&X-AMZ-DATE=20000101T000000Z&x-amz-security-token=old&keep=1", nil)
	u, _, err := sigv4temp.Presign(context.Background(), r, tempCreds, "service", "us-east-1", signTime, time.Minute)
	require.NoError(t, err)
	pu, err := url.Parse(u)
	require.NoError(t, err)
	names := map[string]int{}
	for k := range pu.Query() {
		names[strings.ToLower(k)]++
	}
	for k, n := range names {
		assert.Equal(t, 1, n, "%s appears %d times in %s", k, n, u)
	}
	assert.Equal(t, "1", pu.Query().Get("keep"))
	assert.Equal(t, tempCreds.SessionToken, pu.Query().Get("X-Amz-Security-Token"))
	assert.Equal(t, "20261125T204941Z", pu.Query().Get("X-Amz-Date"))
}

// Issue 12.12: an IPv6 literal host lost its brackets when the SDK
// stripped the default port.
func TestSignIPv6Host(t *testing.T) {
	r := newReq(t, "GET", "https://[2001:db8::1]:443/x", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, "service", "us-east-1", signTime))
	assert.Equal(t, "[2001:db8::1]", r.Host)
	_, hdr, err := sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://[2001:db8::1]:443/x", nil), longCreds, "service", "us-east-1", signTime, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, []string{"[2001:db8::1]"}, hdr.Values("Host"))

	// A non-default port stays; a default one goes for http too.
	r = newReq(t, "GET", "http://[::1]:8080/x", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, "service", "us-east-1", signTime))
	assert.Equal(t, "[::1]:8080", r.Host)
	r = newReq(t, "GET", "http://example.com:80/x", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, "service", "us-east-1", signTime))
	assert.Equal(t, "example.com", r.Host)
}

// Issue 12.13: tabs inside header values. AWS documents Trimall as
// "converts sequential spaces to a single space"; aws-c-auth (the keeper of
// the public test suite) trims all whitespace at the ends but squashes
// only spaces inside, and so does the SDK. botocore collapses every
// whitespace run. This package follows AWS's documentation and its C
// signer: a tab inside a value is signed as a tab. TestBotocoreTabs shows
// the difference with botocore.
func TestSignHeaderTabs(t *testing.T) {
	r := newReq(t, "GET", "https://example.amazonaws.com/", nil)
	r.Header.Set("X-Custom", "\t a\tb   c \t")
	require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, "service", "us-east-1", signTime))
	want := newReq(t, "GET", "https://example.amazonaws.com/", nil)
	want.Header.Set("X-Custom", "a\tb c")
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), longCreds, want, sigv4temp.EmptyPayloadHash, "service", "us-east-1", signTime))
	assert.Equal(t, want.Header.Get("Authorization"), r.Header.Get("Authorization"), "ends trimmed of all whitespace, inner tab kept, spaces squashed")
	other := newReq(t, "GET", "https://example.amazonaws.com/", nil)
	other.Header.Set("X-Custom", "a b c")
	require.NoError(t, sigv4temp.Sign(context.Background(), other, longCreds, "service", "us-east-1", signTime))
	assert.NotEqual(t, other.Header.Get("Authorization"), r.Header.Get("Authorization"), "a tab is not a space")
}

// Issue 20.1: Presign removes the headers of an earlier signature before
// presigning; without that, the stale X-Amz-Date and token headers were
// hoisted into the URL.
func TestPresignDropsStaleSignatureHeaders(t *testing.T) {
	stale := newReq(t, "GET", "https://example.amazonaws.com/x", nil)
	stale.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=OLD/20000101/us-east-1/service/aws4_request, SignedHeaders=host, Signature=00")
	stale.Header.Set("X-Amz-Date", "20000101T000000Z")
	stale.Header.Set("X-Amz-Security-Token", "stale-token")
	got, gotHdr, err := sigv4temp.Presign(context.Background(), stale, tempCreds, "service", "us-east-1", signTime, time.Minute)
	require.NoError(t, err)
	want, wantHdr, err := sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://example.amazonaws.com/x", nil), tempCreds, "service", "us-east-1", signTime, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, wantHdr, gotHdr)
	assert.NotContains(t, got, "20000101T000000Z")
	assert.NotContains(t, got, "stale-token")
	assert.Equal(t, "20000101T000000Z", stale.Header.Get("X-Amz-Date"), "Presign does not modify the request")
}

// Issue 12.21: every error of Sign, Presign, SessionDuration and a
// Transport (before its base RoundTripper) matches a sentinel.
func TestEveryErrorMatchesASentinel(t *testing.T) {
	sentinels := []error{sigv4temp.ErrExpired, sigv4temp.ErrMissingToken, sigv4temp.ErrExpiresTooLong,
		sigv4temp.ErrInvalid, sigv4temp.ErrBody, sigv4temp.ErrCredentials, sigv4temp.ErrDuration}
	matches := func(err error) bool {
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return true
			}
		}
		return false
	}
	ctx := context.Background()
	expired := tempCreds
	expired.Expires = signTime
	noToken := tempCreds
	noToken.SessionToken = ""
	failingBody := func() *http.Request {
		r := newReq(t, "PUT", "https://example.amazonaws.com/", nil)
		r.Body = io.NopCloser(errorReader{})
		return r
	}
	failingGetBody := func() *http.Request {
		r := newReq(t, "PUT", "https://example.amazonaws.com/", []byte("x"))
		r.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
		return r
	}
	ok := func() *http.Request { return newReq(t, "GET", "https://example.amazonaws.com/", nil) }
	var errs []error
	sign := func(r *http.Request, c aws.Credentials, service, region string) {
		errs = append(errs, sigv4temp.Sign(ctx, r, c, service, region, signTime))
	}
	sign(nil, longCreds, "s", "r")
	sign(&http.Request{}, longCreds, "s", "r")
	sign(ok(), longCreds, "", "r")
	sign(ok(), longCreds, "s", "")
	sign(ok(), aws.Credentials{AccessKeyID: "AKID"}, "s", "r")
	sign(ok(), expired, "s", "r")
	sign(ok(), noToken, "s", "r")
	sign(newReq(t, "GET", "https://example.amazonaws.com/?a=%zz", nil), longCreds, "s", "r")
	sign(failingBody(), longCreds, "s", "r")
	sign(failingGetBody(), longCreds, "s", "r")
	presign := func(r *http.Request, c aws.Credentials, d time.Duration, optFns ...func(*sigv4temp.Options)) {
		_, _, err := sigv4temp.Presign(ctx, r, c, "s", "r", signTime, d, optFns...)
		errs = append(errs, err)
	}
	presign(nil, longCreds, time.Minute)
	presign(ok(), longCreds, 0)
	presign(ok(), longCreds, 8*24*time.Hour)
	presign(ok(), tempCreds, 2*time.Hour)
	presign(ok(), expired, time.Minute)
	presign(failingBody(), longCreds, time.Minute)
	presign(failingGetBody(), longCreds, time.Minute)
	presign(newReq(t, "GET", "https://example.amazonaws.com/?a;b", nil), longCreds, time.Minute)
	_, err := sigv4temp.SessionDuration(sigv4temp.AssumeRole, time.Millisecond, sigv4temp.SessionOptions{})
	errs = append(errs, err)
	_, err = sigv4temp.SessionDuration(sigv4temp.STSOperation(0), time.Hour, sigv4temp.SessionOptions{})
	errs = append(errs, err)
	_, err = sigv4temp.SessionDuration(sigv4temp.AssumeRole, time.Hour, sigv4temp.SessionOptions{RootCredentials: true})
	errs = append(errs, err)
	_, err = sigv4temp.NewTransport(nil, nil, "s", "r")
	errs = append(errs, err)
	_, err = sigv4temp.NewTransport(nil, failingProvider{}, "", "r")
	errs = append(errs, err)
	_, err = sigv4temp.NewTransport(nil, failingProvider{}, "s", "r", func(o *sigv4temp.TransportOptions) { o.ExpiryWindow = -1 })
	errs = append(errs, err)
	tr, err := sigv4temp.NewTransport(nil, failingProvider{}, "s", "r")
	require.NoError(t, err)
	_, err = tr.RoundTrip(ok())
	errs = append(errs, err)
	for i, err := range errs {
		require.Error(t, err, "case %d", i)
		assert.True(t, matches(err), "case %d: %v matches no sentinel", i, err)
		assertNoSecrets(t, err.Error())
	}
}

// S3 Express One Zone: the token goes, signed, into X-Amz-S3session-Token
// instead of X-Amz-Security-Token, as the SDK's S3 Express signer does (a
// v4 signer with DisableSessionToken and the header set) and botocore's
// S3ExpressAuth (TestBotocoreS3Express).
func TestS3Express(t *testing.T) {
	const hash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	r := newReq(t, "PUT", "https://bucket--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com/k", []byte("hello"))
	r.Header.Set("X-Amz-Security-Token", "stale")
	require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "s3express", "us-east-1", signTime))
	assert.Equal(t, []string{tempCreds.SessionToken}, r.Header.Values("X-Amz-S3session-Token"))
	assert.Empty(t, r.Header.Values("X-Amz-Security-Token"))
	want := newReq(t, "PUT", "https://bucket--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com/k", []byte("hello"))
	want.Header.Set("X-Amz-Content-Sha256", hash)
	want.Header.Set("X-Amz-S3session-Token", tempCreds.SessionToken)
	require.NoError(t, v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping, o.DisableSessionToken = true, true }).
		SignHTTP(context.Background(), tempCreds, want, hash, "s3express", "us-east-1", signTime))
	assert.Equal(t, want.Header.Get("Authorization"), r.Header.Get("Authorization"))

	u, _, err := sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://b.s3express-use1-az4.us-east-1.amazonaws.com/k?X-Amz-S3session-Token=old", nil),
		tempCreds, "s3express", "us-east-1", signTime, time.Minute, func(o *sigv4temp.Options) { o.TokenAfterSigning = true })
	require.NoError(t, err)
	pu, err := url.Parse(u)
	require.NoError(t, err)
	assert.Equal(t, []string{tempCreds.SessionToken}, pu.Query()["X-Amz-S3session-Token"])
	assert.Empty(t, pu.Query()["X-Amz-Security-Token"])
	assert.Contains(t, pu.Query().Get("X-Amz-SignedHeaders"), "host")
}

// closeRecorder records whether the transport closed the caller's body.
type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// A Transport closes the caller's body, as the RoundTripper contract
// requires, whether it sends a copy (GetBody), the buffered body, or fails.
func TestTransportClosesCallerBody(t *testing.T) {
	okBase := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.ReadAll(r.Body)
			r.Body.Close()
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return longCreds, nil })
	tr, err := sigv4temp.NewTransport(okBase, provider, "execute-api", "eu-west-1")
	require.NoError(t, err)

	withGetBody := newReq(t, "PUT", "https://x/", []byte("abc"))
	body := &closeRecorder{Reader: strings.NewReader("abc")}
	withGetBody.Body = body
	resp, err := tr.RoundTrip(withGetBody)
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, body.closed, "GetBody: the caller's own body is closed")

	buffered := newReq(t, "PUT", "https://x/", nil)
	body2 := &closeRecorder{Reader: strings.NewReader("abc")}
	buffered.Body = body2
	resp, err = tr.RoundTrip(buffered)
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, body2.closed, "buffered: closed after reading")

	failing, err := sigv4temp.NewTransport(okBase, failingProvider{}, "execute-api", "eu-west-1")
	require.NoError(t, err)
	body3 := &closeRecorder{Reader: strings.NewReader("abc")}
	req := newReq(t, "PUT", "https://x/", nil)
	req.Body = body3
	_, err = failing.RoundTrip(req)
	require.ErrorIs(t, err, sigv4temp.ErrCredentials)
	assert.True(t, body3.closed, "closed on error too")

	// A GetBody that fails: ErrBody, and the caller's body closed.
	body4 := &closeRecorder{Reader: strings.NewReader("abc")}
	req = newReq(t, "PUT", "https://x/", []byte("abc"))
	req.Body = body4
	req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
	_, err = tr.RoundTrip(req)
	require.ErrorIs(t, err, sigv4temp.ErrBody)
	assert.True(t, body4.closed)

	// A streamed body (PayloadHash given, no GetBody) is sent as it is, not closed before.
	var sent string
	streamBase := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		sent = string(b)
		return &http.Response{StatusCode: 200, Body: http.NoBody}, err
	})
	streaming, err := sigv4temp.NewTransport(streamBase, provider, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) { o.PayloadHash = sigv4temp.UnsignedPayload })
	require.NoError(t, err)
	body5 := &closeRecorder{Reader: strings.NewReader("stream")}
	req = newReq(t, "PUT", "https://x/", nil)
	req.Body = body5
	resp, err = streaming.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "stream", sent)
}

// A 403 whose body fails while its code is being looked for: the caller
// still reads what came, then the error.
func TestTransportFailing403Body(t *testing.T) {
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 403, Header: http.Header{}, Body: io.NopCloser(io.MultiReader(strings.NewReader("<Error><Co"), errorReader{}))}, nil
	})
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return longCreds, nil })
	tr, err := sigv4temp.NewTransport(base, provider, "execute-api", "eu-west-1")
	require.NoError(t, err)
	resp, err := tr.RoundTrip(newReq(t, "GET", "https://x/", nil))
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	assert.Equal(t, "<Error><Co", string(got))
	assert.ErrorContains(t, err, "disk on fire")
}

// Requests built by hand without a Header map, and edge values.
func TestSignEdges(t *testing.T) {
	r := &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "example.amazonaws.com", Path: "/"}}
	require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "service", "us-east-1", signTime))
	assert.NotEmpty(t, r.Header.Get("Authorization"))
	assert.Empty(t, r.Host, "no default port to strip: Host left to the URL")
	p := &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "example.amazonaws.com", Path: "/"}}
	u, hdr, err := sigv4temp.Presign(context.Background(), p, tempCreds, "service", "us-east-1", signTime, time.Minute)
	require.NoError(t, err)
	assert.Contains(t, u, "X-Amz-Signature=")
	assert.Equal(t, []string{"example.amazonaws.com"}, hdr.Values("Host"))
	assert.Nil(t, p.Header, "Presign does not modify the request")

	// http.NoBody hashes as empty, like no body.
	nb := newReq(t, "PUT", "https://example.amazonaws.com/", nil)
	nb.Body = http.NoBody
	require.NoError(t, sigv4temp.Sign(context.Background(), nb, longCreds, "s3", "us-east-1", signTime))
	assert.Equal(t, sigv4temp.EmptyPayloadHash, nb.Header.Get("X-Amz-Content-Sha256"))
	_, _, err = sigv4temp.Presign(context.Background(), nb, longCreds, "service", "us-east-1", signTime, time.Minute)
	assert.NoError(t, err, "NoBody needs no GetBody")

	// Long-term credentials with TokenAfterSigning: no token anywhere.
	lt := newReq(t, "GET", "https://example.amazonaws.com/", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), lt, longCreds, "service", "us-east-1", signTime, func(o *sigv4temp.Options) { o.TokenAfterSigning = true }))
	assert.Empty(t, lt.Header.Values("X-Amz-Security-Token"))
	u, _, err = sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://example.amazonaws.com/", nil), longCreds, "service", "us-east-1", signTime, time.Minute,
		func(o *sigv4temp.Options) { o.TokenAfterSigning = true })
	require.NoError(t, err)
	assert.NotContains(t, u, "X-Amz-Security-Token")

	// One second is the shortest expiry.
	u, _, err = sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://x/", nil), longCreds, "service", "us-east-1", signTime, time.Second)
	require.NoError(t, err)
	assert.Contains(t, u, "X-Amz-Expires=1&")
	// A URL may live exactly as long as its credentials, and be clamped to exactly one second.
	_, _, err = sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://x/", nil), tempCreds, "service", "us-east-1", signTime, time.Hour)
	assert.NoError(t, err)
	u, _, err = sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://x/", nil), tempCreds, "service", "us-east-1", tempCreds.Expires.Add(-time.Second), time.Hour,
		func(o *sigv4temp.Options) { o.ClampExpiry = true })
	require.NoError(t, err)
	assert.Contains(t, u, "X-Amz-Expires=1&")
	// Credentials that expire one nanosecond after the signing time still sign.
	almost := tempCreds
	almost.Expires = signTime.Add(time.Nanosecond)
	assert.NoError(t, sigv4temp.Sign(context.Background(), newReq(t, "GET", "https://x/", nil), almost, "service", "us-east-1", signTime))
	// Credentials that cannot expire sign at any time.
	assert.NoError(t, sigv4temp.Sign(context.Background(), newReq(t, "GET", "https://x/", nil), longCreds, "service", "us-east-1", signTime.Add(100*365*24*time.Hour)))
	// An AKIA key needs no token.
	assert.NoError(t, sigv4temp.Sign(context.Background(), newReq(t, "GET", "https://x/", nil), aws.Credentials{AccessKeyID: "AKIAX", SecretAccessKey: "s"}, "service", "us-east-1", signTime))
	assert.ErrorIs(t, sigv4temp.Sign(context.Background(), newReq(t, "GET", "https://x/", nil), aws.Credentials{SecretAccessKey: "s"}, "service", "us-east-1", signTime), sigv4temp.ErrInvalid)
}

// When signing fails, the body copy the Transport took through GetBody is
// closed, and so is the caller's body.
func TestTransportClosesBodyCopyOnSignError(t *testing.T) {
	noToken := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "ASIANOTOKEN", SecretAccessKey: "s"}, nil
	})
	tr, err := sigv4temp.NewTransport(roundTripFunc(func(*http.Request) (*http.Response, error) {
		t.Fatal("nothing is sent")
		return nil, nil
	}), noToken, "execute-api", "eu-west-1")
	require.NoError(t, err)
	own := &closeRecorder{Reader: strings.NewReader("abc")}
	cp := &closeRecorder{Reader: strings.NewReader("abc")}
	req := newReq(t, "PUT", "https://x/", nil)
	req.Body = own
	req.GetBody = func() (io.ReadCloser, error) { return cp, nil }
	_, err = tr.RoundTrip(req)
	require.ErrorIs(t, err, sigv4temp.ErrMissingToken)
	assert.True(t, cp.closed, "the GetBody copy is closed")
	assert.True(t, own.closed, "the caller's body is closed")
}
