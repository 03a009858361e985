package sigv4temp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sign's output verifies, and is the same on every run, when the caller's
// headers use non-canonical keys (12.md item 8).
func TestAttackSignNonCanonicalHeaders(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	var first string
	for i := 0; i < 30; i++ {
		r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/key?x=1", []byte("data"))
		r.Header["x-amz-date"] = []string{"20000101T000000Z"}
		r.Header["x-amz-security-token"] = []string{"stale"}
		r.Header["X-Amz-Meta-A"] = []string{"1"}
		r.Header["x-amz-meta-a"] = []string{"2"}
		require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime))
		if i == 0 {
			first = r.Header.Get("Authorization")
		}
		require.Equal(t, first, r.Header.Get("Authorization"), "run %d", i)
		_, err := verifyAll(v, r, vTime)
		require.NoError(t, err)
	}
}

// Presign with TokenAfterSigning on a URL with a fragment: the token is in
// the query (12.md item 7), and the URL verifies; extra query parameters
// added to a presigned URL fail.
func TestAttackPresignFragmentAndExtraParams(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	r := mustReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/key?a=1#frag", nil)
	u, _, err := Presign(ctx, r, vTemp, "s3", "us-east-1", vTime, time.Hour, func(o *Options) { o.TokenAfterSigning = true })
	require.NoError(t, err)
	pu, err := url.Parse(u)
	require.NoError(t, err)
	assert.Equal(t, vTemp.SessionToken, pu.Query().Get("X-Amz-Security-Token"))
	g := mustReq(t, "GET", u, nil)
	vr, err := v.Verify(ctx, g, vTime)
	require.NoError(t, err)
	assert.False(t, vr.TokenSigned)
	pu.Fragment = "" // a client never sends it
	base := pu.String()
	for _, extra := range []string{"&a=2", "&response-content-type=text%2Fhtml", "&X-Amz-Expires=60", "&x-amz-signature=00"} {
		g := mustReq(t, "GET", base+extra, nil)
		_, err := v.Verify(ctx, g, vTime)
		require.Error(t, err, "extra %s", extra)
	}
	// Exactly at X-Amz-Date + X-Amz-Expires: expired; a nanosecond before: valid.
	_, err = v.Verify(ctx, mustReq(t, "GET", u, nil), vTime.Add(time.Hour))
	require.ErrorIs(t, err, ErrRequestExpired)
	_, err = v.Verify(ctx, mustReq(t, "GET", u, nil), vTime.Add(time.Hour-1))
	require.NoError(t, err)
}

// Signing and verifying share one Signer and one Verifier across
// goroutines (run with -race).
func TestAttackSharedSignerVerifier(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	var s Signer
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				creds := vTemp
				if i%2 == 1 {
					creds = vLong
				}
				r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/key", []byte("data"))
				if err := s.Sign(ctx, r, creds, "s3", "us-east-1", vTime); err != nil {
					t.Error(err)
					return
				}
				if _, err := verifyAll(v, r, vTime); err != nil {
					t.Error(err)
					return
				}
				u, h, err := s.Presign(ctx, mustReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/key", nil), creds, "s3", "us-east-1", vTime, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				pr := mustReq(t, "GET", u, nil)
				pr.Header = http.Header(h).Clone()
				if _, err := verifyAll(v, pr, vTime); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// No error of Verify or of Verified.Body, in any fmt verb, holds the
// secret, the session token or the expected signature; neither does a
// Verified.
func TestAttackErrorsHoldNoSecrets(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	sign := func() (*http.Request, string) {
		r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/key", []byte("data"))
		require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime))
		auth := r.Header.Get("Authorization")
		return r, auth[strings.LastIndex(auth, "=")+1:]
	}
	var errs []error
	var outs []any
	check := func(err error) {
		require.Error(t, err)
		errs = append(errs, err)
	}
	r, sig := sign()
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), sig, strings.Repeat("0", 64), 1))
	_, err := v.Verify(ctx, r, vTime)
	check(err)
	r, _ = sign()
	r.Header.Set("X-Amz-Security-Token", vTemp.SessionToken+"x")
	_, err = v.Verify(ctx, r, vTime)
	check(err)
	r, _ = sign()
	r.Header.Set("X-Amz-Security-Token", vTemp.SessionToken[:5])
	_, err = v.Verify(ctx, r, vTime)
	check(err)
	r, _ = sign()
	r.Body = io.NopCloser(strings.NewReader("dat4"))
	vr, err := v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	outs = append(outs, vr, *vr)
	_, err = io.ReadAll(vr.Body)
	check(err)
	r, _ = sign()
	_, err = v.Verify(ctx, r, vTime.Add(time.Hour))
	check(err)
	sr := streamingRequest(t, []byte(strings.Repeat("z", 9000)), false, StreamingOptions{Trailer: ChecksumCRC32})
	enc := wire(t, sr)
	enc[len(enc)/2] ^= 1
	sr.Body = io.NopCloser(bytes.NewReader(enc))
	vr, err = v.Verify(ctx, sr, vTime)
	require.NoError(t, err)
	outs = append(outs, vr, *vr)
	_, err = io.ReadAll(vr.Body)
	check(err)
	for _, e := range errs {
		outs = append(outs, e)
	}
	_, sig = sign()
	for _, o := range outs {
		for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			s := fmt.Sprintf(f, o)
			assert.NotContains(t, s, vTemp.SecretAccessKey, f)
			assert.NotContains(t, s, vTemp.SessionToken, f)
			assert.NotContains(t, s, strings.ReplaceAll(vTemp.SessionToken, "/", "%2F"), f)
			assert.NotContains(t, s, sig, f)
		}
	}
}

// Re-presigning strips old presign parameters whatever their case, and an
// IPv6 literal host keeps its brackets: both verify (12.md item 12).
func TestAttackRepresign(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	for _, raw := range []string{
		"https://bucket.s3.us-east-1.amazonaws.com/key?x-amz-signature=abc&x-amz-credential=old&X-Amz-Date=20000101T000000Z",
		"https://[::1]:8443/bucket/key?a=1",
		"https://[fe80::1]/bucket/key",
	} {
		r := mustReq(t, "GET", raw, nil)
		u, h, err := Presign(ctx, r, vTemp, "s3", "us-east-1", vTime, time.Hour)
		require.NoError(t, err, raw)
		pr := mustReq(t, "GET", u, nil)
		for k, vs := range h {
			pr.Header[k] = vs
		}
		_, err = verifyAll(v, pr, vTime)
		require.NoError(t, err, "%s -> %s", raw, u)
		r = mustReq(t, "GET", raw, nil)
		require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime))
		_, err = verifyAll(v, r, vTime)
		require.NoError(t, err, raw)
	}
}

// Presigned URL time edges the Verify doc promises: X-Amz-Date up to
// MaxSkew in the future is valid, a second more is not; X-Amz-Expires
// of 0 or negative is malformed; exactly 7 days is accepted, a second more
// is ErrRequestExpired.
func TestAttackPresignTimeEdges(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	presign := func(at time.Time, exp time.Duration) string {
		u, _, err := Presign(ctx, mustReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/k", nil), vLong, "s3", "us-east-1", at, exp)
		require.NoError(t, err)
		return u
	}
	u := presign(vTime.Add(DefaultMaxSkew), time.Minute)
	_, err := v.Verify(ctx, mustReq(t, "GET", u, nil), vTime)
	require.NoError(t, err)
	u = presign(vTime.Add(DefaultMaxSkew+time.Second), time.Minute)
	_, err = v.Verify(ctx, mustReq(t, "GET", u, nil), vTime)
	require.ErrorIs(t, err, ErrRequestExpired)
	u = presign(vTime, MaxPresignExpiry)
	_, err = v.Verify(ctx, mustReq(t, "GET", u, nil), vTime.Add(MaxPresignExpiry-time.Second))
	require.NoError(t, err)
	for _, exp := range []string{"0", "-1", "604801"} {
		bad := strings.Replace(u, "X-Amz-Expires=604800", "X-Amz-Expires="+exp, 1)
		_, err = v.Verify(ctx, mustReq(t, "GET", bad, nil), vTime)
		if exp == "604801" {
			require.ErrorIs(t, err, ErrRequestExpired)
		} else {
			require.ErrorIs(t, err, ErrMalformedAuth, exp)
		}
	}
}
