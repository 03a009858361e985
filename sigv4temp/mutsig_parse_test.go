package sigv4temp

import (
	"context"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The character classes of the parser, at each edge of each range: the
// access key ID and scope words (A-Z a-z 0-9 - _ .), signed header names
// (lowercase tokens), and lowercase hex.
func TestMutsigCharacterClasses(t *testing.T) {
	for _, c := range "AZaz09-_." {
		assert.True(t, validAccessKeyID(string(c)), "validAccessKeyID(%q)", c)
		assert.True(t, validScopeWord(string(c)), "validScopeWord(%q)", c)
	}
	for _, c := range "@[`{/:,+ =\x00\x7f\xff" {
		assert.False(t, validAccessKeyID("AK"+string(c)), "validAccessKeyID(%q)", "AK"+string(c))
	}
	assert.False(t, validAccessKeyID(""))
	assert.True(t, validAccessKeyID(strings.Repeat("K", 128)))
	assert.False(t, validAccessKeyID(strings.Repeat("K", 129)))
	assert.True(t, validScopeWord(strings.Repeat("r", 64)))
	assert.False(t, validScopeWord(strings.Repeat("r", 65)))

	for _, c := range "az09!#$%&'*+-.^_`|~" {
		assert.True(t, validHeaderName(string(c)), "validHeaderName(%q)", c)
		assert.True(t, validHeaderName("x-"+string(c)), "validHeaderName(%q)", "x-"+string(c))
	}
	for _, s := range []string{"", "A", "Z", "x-A", "@", "[", "{", "}", "/", ":", "x y", "x\"", "(", ")", ",", ";", "=", "\x7f", "\xc3\xa9"} {
		assert.False(t, validHeaderName(s), "validHeaderName(%q)", s)
	}

	assert.True(t, isLowerHex("0123456789abcdef"))
	assert.True(t, isLowerHex([]byte("0123456789abcdef")))
	for _, c := range "/:`gAF" {
		assert.False(t, isLowerHex("00"+string(c)), "isLowerHex(%q)", c)
		assert.False(t, isLowerHex([]byte("00"+string(c))), "isLowerHex([]byte(%q))", c)
	}
}

// parseQuery refuses a ';' anywhere in a pair (first byte included) and a
// bad escape in a key or a value; it skips empty pairs and reads '+' as a
// space.
func TestMutsigParseQuery(t *testing.T) {
	for _, raw := range []string{";a=1", "a=1&;b=2", "a;=1", "a=1;", "a=%zz", "%zz=1", "a=%4"} {
		_, err := parseQuery(raw)
		require.Error(t, err, "parseQuery(%q)", raw)
	}
	got, err := parseQuery("&&a=1+2&&b&c=%2B&")
	require.NoError(t, err)
	assert.Equal(t, []queryParam{{"a", "1 2"}, {"b", ""}, {"c", "+"}}, got)
}

// Any one of X-Amz-Signature, X-Amz-Algorithm and X-Amz-Credential makes a
// query presigned: alone it is a malformed presigned query, not an
// unsigned request.
func TestMutsigPartialPresignedQuery(t *testing.T) {
	v := newVerifier(t)
	for _, q := range []string{"X-Amz-Signature=00", "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Credential=AKID%2F20261125%2Fus-east-1%2Fs3%2Faws4_request"} {
		_, err := verifyAll(v, mustReq(t, "GET", "https://example.amazonaws.com/k?"+q, nil), vTime)
		require.ErrorIs(t, err, ErrMalformedAuth, q)
	}
	_, err := verifyAll(v, mustReq(t, "GET", "https://example.amazonaws.com/k?a=1", nil), vTime)
	require.ErrorIs(t, err, ErrMissingAuth)
}

// The shortest presigned URL, X-Amz-Expires=1, is valid for one second.
func TestMutsigPresignOneSecond(t *testing.T) {
	ctx := context.Background()
	u, _, err := Presign(ctx, mustReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/k", nil), vLong, "s3", "us-east-1", vTime, time.Second)
	require.NoError(t, err)
	require.Contains(t, u, "X-Amz-Expires=1&")
	v := newVerifier(t)
	vr, err := v.Verify(ctx, mustReq(t, "GET", u, nil), vTime)
	require.NoError(t, err)
	require.Equal(t, vTime.Add(time.Second), vr.ValidUntil)
	_, err = verifyAll(v, mustReq(t, "GET", u, nil), vTime.Add(time.Second))
	require.ErrorIs(t, err, ErrRequestExpired)
}

// X-Amz-Expires is a whole number without leading zeros (as AWS writes
// it); "03600" is malformed, not 3600.
func TestMutsigExpiresLeadingZero(t *testing.T) {
	ctx := context.Background()
	u, _, err := Presign(ctx, mustReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/k", nil), vLong, "s3", "us-east-1", vTime, time.Hour)
	require.NoError(t, err)
	require.Contains(t, u, "X-Amz-Expires=3600&")
	for _, exp := range []string{"03600", "0", "", "-1", "+3600", "3600.0"} {
		bad := strings.Replace(u, "X-Amz-Expires=3600&", "X-Amz-Expires="+exp+"&", 1)
		_, err = verifyAll(newVerifier(t), mustReq(t, "GET", bad, nil), vTime)
		require.ErrorIs(t, err, ErrMalformedAuth, "X-Amz-Expires=%s", exp)
	}
}

// A presigned URL may carry its payload hash in an X-Amz-Content-Sha256
// query parameter (signed as the payload hash); two of them are malformed.
func TestMutsigPresignedPayloadHashInQuery(t *testing.T) {
	ctx := context.Background()
	const h = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // SHA-256 of "abc"
	presign := func(query string) string {
		r := mustReq(t, "PUT", "https://example.amazonaws.com/k?"+query, nil)
		u, _, err := v4.NewSigner().PresignHTTP(ctx, vLong, r, h, "service", "us-east-1", vTime)
		require.NoError(t, err)
		return u
	}
	v := newVerifier(t)
	u := presign("X-Amz-Expires=60&X-Amz-Content-Sha256=" + h)
	r := mustReq(t, "PUT", u, []byte("abc"))
	vr, err := v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	require.Equal(t, h, vr.PayloadHash)
	got, err := io.ReadAll(vr.Body)
	require.NoError(t, err)
	require.Equal(t, "abc", string(got))
	r = mustReq(t, "PUT", u, []byte("abd"))
	vr, err = v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	_, err = io.ReadAll(vr.Body)
	require.ErrorIs(t, err, ErrSignatureMismatch)

	u = presign("X-Amz-Expires=60&X-Amz-Content-Sha256=" + h + "&X-Amz-Content-Sha256=" + h)
	_, err = v.Verify(ctx, mustReq(t, "PUT", u, []byte("abc")), vTime)
	require.ErrorIs(t, err, ErrMalformedAuth)
}

// A presigned URL's token may also come as a header only when it is the
// query's token, once; otherwise the request is malformed.
func TestMutsigPresignedTokenHeader(t *testing.T) {
	ctx := context.Background()
	u, _, err := Presign(ctx, mustReq(t, "GET", "https://example.amazonaws.com/k", nil), vTemp, "service", "us-east-1", vTime, time.Hour)
	require.NoError(t, err)
	require.Contains(t, u, "X-Amz-Security-Token=")
	v := newVerifier(t)
	for _, tc := range []struct {
		name   string
		header []string
		noTok  bool // the token removed from the query
		want   error
	}{
		{"no header", nil, false, nil},
		{"the same token", []string{vTemp.SessionToken}, false, nil},
		{"another token", []string{"other"}, false, ErrMalformedAuth},
		{"the token twice", []string{vTemp.SessionToken, vTemp.SessionToken}, false, ErrMalformedAuth},
		{"header only", []string{vTemp.SessionToken}, true, ErrMalformedAuth},
	} {
		uu := u
		if tc.noTok {
			q, err := url.ParseQuery(u[strings.Index(u, "?")+1:])
			require.NoError(t, err)
			q.Del("X-Amz-Security-Token")
			uu = u[:strings.Index(u, "?")+1] + q.Encode()
		}
		r := mustReq(t, "GET", uu, nil)
		if tc.header != nil {
			r.Header["X-Amz-Security-Token"] = tc.header
		}
		_, err := verifyAll(v, r, vTime)
		if tc.want == nil {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorIs(t, err, tc.want, tc.name)
		}
	}
}
