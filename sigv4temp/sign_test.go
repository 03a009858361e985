package sigv4temp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
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

var (
	signTime  = time.Date(2026, 11, 25, 20, 49, 41, 0, time.UTC)
	tempCreds = aws.Credentials{
		AccessKeyID: "ASIAEXAMPLEKEY", SecretAccessKey: "secretSECRETsecret/+=", SessionToken: "TOKEN/with+chars=",
		CanExpire: true, Expires: signTime.Add(time.Hour),
	}
	longCreds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
)

func newReq(t *testing.T, method, u string, body []byte) *http.Request {
	t.Helper()
	var r *http.Request
	var err error
	if body != nil {
		r, err = http.NewRequest(method, u, bytes.NewReader(body))
	} else {
		r, err = http.NewRequest(method, u, nil)
	}
	require.NoError(t, err)
	return r
}

func TestSignTemporaryCredentials(t *testing.T) {
	r := newReq(t, "GET", "https://dynamodb.us-east-1.amazonaws.com/", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "dynamodb", "us-east-1", signTime))
	assert.Equal(t, tempCreds.SessionToken, r.Header.Get("X-Amz-Security-Token"))
	assert.Contains(t, r.Header.Get("Authorization"), "SignedHeaders=host;x-amz-date;x-amz-security-token,")
	assert.Equal(t, "20261125T204941Z", r.Header.Get("X-Amz-Date"))
}

func TestSignLongTermHasNoToken(t *testing.T) {
	r := newReq(t, "GET", "https://sqs.eu-west-1.amazonaws.com/", nil)
	r.Header.Set("X-Amz-Security-Token", "stale-from-an-earlier-signature")
	require.NoError(t, sigv4temp.Sign(context.Background(), r, longCreds, "sqs", "eu-west-1", signTime))
	assert.Empty(t, r.Header.Values("X-Amz-Security-Token"), "the stale token must be gone")
	assert.NotContains(t, r.Header.Get("Authorization"), "x-amz-security-token")
}

// The SDK's signer, reused across credentials, re-signs with the stale token.
func TestResignAfterRotation(t *testing.T) {
	r := newReq(t, "GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "sts", "us-east-1", signTime))
	rotated := tempCreds
	rotated.SessionToken = "NEW-TOKEN"
	rotated.SecretAccessKey = "another-secret"
	require.NoError(t, sigv4temp.Sign(context.Background(), r, rotated, "sts", "us-east-1", signTime.Add(time.Minute)))
	assert.Equal(t, []string{"NEW-TOKEN"}, r.Header.Values("X-Amz-Security-Token"))
	assert.Equal(t, []string{"20261125T205041Z"}, r.Header.Values("X-Amz-Date"))
	assert.Len(t, r.Header.Values("Authorization"), 1)

	fresh := newReq(t, "GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), fresh, rotated, "sts", "us-east-1", signTime.Add(time.Minute)))
	assert.Equal(t, fresh.Header.Get("Authorization"), r.Header.Get("Authorization"), "re-signed equals freshly signed")
}

// Two credentials with one access key ID and different secrets must give
// different signatures, each the one a fresh SDK signer computes.
func TestSameKeyIDDifferentSecrets(t *testing.T) {
	a := longCreds
	b := longCreds
	b.SecretAccessKey = "a-completely-different-secret"
	var got []string
	for _, c := range []aws.Credentials{a, b, a, b} {
		r := newReq(t, "GET", "https://example.amazonaws.com/", nil)
		require.NoError(t, sigv4temp.Sign(context.Background(), r, c, "service", "us-east-1", signTime))
		want := newReq(t, "GET", "https://example.amazonaws.com/", nil)
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), c, want, sigv4temp.EmptyPayloadHash, "service", "us-east-1", signTime))
		assert.Equal(t, want.Header.Get("Authorization"), r.Header.Get("Authorization"))
		got = append(got, r.Header.Get("Authorization"))
	}
	assert.NotEqual(t, got[0], got[1])
	assert.Equal(t, got[0], got[2])
}

func TestSignErrors(t *testing.T) {
	expired := tempCreds
	expired.Expires = signTime
	noToken := tempCreds
	noToken.SessionToken = ""
	tests := []struct {
		name  string
		creds aws.Credentials
		want  error
	}{
		{"expired exactly now", expired, sigv4temp.ErrExpired},
		{"ASIA key without token", noToken, sigv4temp.ErrMissingToken},
		{"no secret", aws.Credentials{AccessKeyID: "AKID"}, sigv4temp.ErrInvalid},
	}
	for _, tc := range tests {
		r := newReq(t, "GET", "https://example.amazonaws.com/", nil)
		err := sigv4temp.Sign(context.Background(), r, tc.creds, "service", "us-east-1", signTime)
		require.ErrorIs(t, err, tc.want, tc.name)
		assert.Empty(t, r.Header.Get("Authorization"), "%s: nothing signed", tc.name)
		assertNoSecrets(t, err.Error())
	}
	assert.ErrorIs(t, sigv4temp.Sign(context.Background(), nil, longCreds, "s", "r", signTime), sigv4temp.ErrInvalid)
	assert.ErrorIs(t, sigv4temp.Sign(context.Background(), newReq(t, "GET", "https://x/", nil), longCreds, "", "r", signTime), sigv4temp.ErrInvalid)
}

func assertNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{tempCreds.SecretAccessKey, tempCreds.SessionToken, longCreds.SecretAccessKey} {
		assert.NotContains(t, s, secret)
	}
}

func TestTokenAfterSigning(t *testing.T) {
	r := newReq(t, "GET", "https://iot.us-east-1.amazonaws.com/things", nil)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "iotdata", "us-east-1", signTime, func(o *sigv4temp.Options) { o.TokenAfterSigning = true }))
	assert.Equal(t, tempCreds.SessionToken, r.Header.Get("X-Amz-Security-Token"))
	assert.Contains(t, r.Header.Get("Authorization"), "SignedHeaders=host;x-amz-date,")

	u, _, err := sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://iot.us-east-1.amazonaws.com/mqtt", nil), tempCreds, "iotdevicegateway", "us-east-1", signTime, 5*time.Minute, func(o *sigv4temp.Options) { o.TokenAfterSigning = true })
	require.NoError(t, err)
	pu, err := url.Parse(u)
	require.NoError(t, err)
	assert.Equal(t, tempCreds.SessionToken, pu.Query().Get("X-Amz-Security-Token"))
	assert.True(t, strings.HasSuffix(u, "&X-Amz-Security-Token="+url.QueryEscape(tempCreds.SessionToken)) ||
		strings.Contains(u, "X-Amz-Security-Token=TOKEN%2Fwith%2Bchars%3D"))
}

func TestSignBody(t *testing.T) {
	body := []byte(`{"TableName":"orders"}`)
	r := newReq(t, "POST", "https://dynamodb.us-east-1.amazonaws.com/", body)
	require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "dynamodb", "us-east-1", signTime, func(o *sigv4temp.Options) { o.ContentSHA256Header = true }))
	sum := sha256.Sum256(body)
	assert.Equal(t, hex.EncodeToString(sum[:]), r.Header.Get("X-Amz-Content-Sha256"))
	assert.Contains(t, r.Header.Get("Authorization"), "x-amz-content-sha256")
	got, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, body, got, "the body is still there to send")

	// A body without GetBody is buffered and can be re-read.
	r2 := newReq(t, "PUT", "https://bucket.s3.amazonaws.com/key", nil)
	r2.Body = io.NopCloser(strings.NewReader("hello"))
	require.NoError(t, sigv4temp.Sign(context.Background(), r2, tempCreds, "s3", "us-east-1", signTime, func(o *sigv4temp.Options) {
		o.ContentSHA256Header, o.DisableURIPathEscaping = true, true
	}))
	assert.Equal(t, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", r2.Header.Get("X-Amz-Content-Sha256"))
	require.NotNil(t, r2.GetBody)
	b1, _ := io.ReadAll(r2.Body)
	rc, _ := r2.GetBody()
	b2, _ := io.ReadAll(rc)
	assert.Equal(t, "hello", string(b1))
	assert.Equal(t, "hello", string(b2))
	assert.Equal(t, int64(5), r2.ContentLength)

	// A failing body read leaves what was read in place.
	r3 := newReq(t, "PUT", "https://example.amazonaws.com/", nil)
	r3.Body = io.NopCloser(io.MultiReader(strings.NewReader("part"), errorReader{}))
	err = sigv4temp.Sign(context.Background(), r3, tempCreds, "service", "us-east-1", signTime)
	require.Error(t, err)
	rest, _ := io.ReadAll(r3.Body)
	assert.Equal(t, "part", string(rest))
}

type errorReader struct{}

func (errorReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestPresign(t *testing.T) {
	r := newReq(t, "GET", "https://bucket.s3.us-east-1.amazonaws.com/photos/cat.jpg", nil)
	u, hdr, err := sigv4temp.Presign(context.Background(), r, tempCreds, "s3", "us-east-1", signTime, 15*time.Minute, func(o *sigv4temp.Options) {
		o.PayloadHash, o.DisableURIPathEscaping = sigv4temp.UnsignedPayload, true
	})
	require.NoError(t, err)
	pu, err := url.Parse(u)
	require.NoError(t, err)
	q := pu.Query()
	assert.Equal(t, "900", q.Get("X-Amz-Expires"))
	assert.Equal(t, tempCreds.SessionToken, q.Get("X-Amz-Security-Token"))
	assert.Equal(t, "host", q.Get("X-Amz-SignedHeaders"))
	assert.Equal(t, []string{"bucket.s3.us-east-1.amazonaws.com"}, hdr.Values("Host"))
	assert.Empty(t, r.URL.RawQuery, "the request is not modified")

	// Presigning a presigned URL's request replaces the old parameters.
	r2 := newReq(t, "GET", u, nil)
	u2, _, err := sigv4temp.Presign(context.Background(), r2, tempCreds, "s3", "us-east-1", signTime, 15*time.Minute, func(o *sigv4temp.Options) {
		o.PayloadHash, o.DisableURIPathEscaping = sigv4temp.UnsignedPayload, true
	})
	require.NoError(t, err)
	assert.Equal(t, sortedQuery(t, u), sortedQuery(t, u2))
}

func sortedQuery(t *testing.T, s string) string {
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u.Query().Encode()
}

func TestPresignExpiry(t *testing.T) {
	r := newReq(t, "GET", "https://example.amazonaws.com/", nil)
	_, _, err := sigv4temp.Presign(context.Background(), r, longCreds, "service", "us-east-1", signTime, 7*24*time.Hour+time.Second)
	assert.ErrorIs(t, err, sigv4temp.ErrExpiresTooLong)
	_, _, err = sigv4temp.Presign(context.Background(), r, longCreds, "service", "us-east-1", signTime, 7*24*time.Hour)
	assert.NoError(t, err)
	for _, bad := range []time.Duration{0, -time.Second, 500 * time.Millisecond, 1500 * time.Millisecond} {
		_, _, err = sigv4temp.Presign(context.Background(), r, longCreds, "service", "us-east-1", signTime, bad)
		assert.ErrorIs(t, err, sigv4temp.ErrInvalid, "%v", bad)
	}
	// Outliving the credentials (1 h left).
	_, _, err = sigv4temp.Presign(context.Background(), r, tempCreds, "service", "us-east-1", signTime, 2*time.Hour)
	assert.ErrorIs(t, err, sigv4temp.ErrExpiresTooLong)
	assertNoSecrets(t, err.Error())
	u, _, err := sigv4temp.Presign(context.Background(), r, tempCreds, "service", "us-east-1", signTime.Add(500*time.Millisecond), 2*time.Hour, func(o *sigv4temp.Options) { o.ClampExpiry = true })
	require.NoError(t, err)
	pu, _ := url.Parse(u)
	assert.Equal(t, "3599", pu.Query().Get("X-Amz-Expires"), "clamped to the whole seconds left")
	_, _, err = sigv4temp.Presign(context.Background(), r, tempCreds, "service", "us-east-1", tempCreds.Expires.Add(-time.Millisecond), time.Hour, func(o *sigv4temp.Options) { o.ClampExpiry = true })
	assert.ErrorIs(t, err, sigv4temp.ErrExpired)

	// A body without GetBody cannot be hashed without consuming it.
	rb := newReq(t, "PUT", "https://example.amazonaws.com/", nil)
	rb.Body = io.NopCloser(strings.NewReader("x"))
	_, _, err = sigv4temp.Presign(context.Background(), rb, longCreds, "service", "us-east-1", signTime, time.Hour)
	assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
}

// Issue 20.5: values of this package that have held secrets (a Signer
// and a Transport after signing, their errors) print none of them, in any
// fmt verb or through log/slog.
func TestNoSecretsInOutput(t *testing.T) {
	secrets := []string{tempCreds.SecretAccessKey, tempCreds.SessionToken, longCreds.SecretAccessKey, "transport-secret", "transport-token"}
	var s sigv4temp.Signer
	r := newReq(t, "PUT", "https://example.amazonaws.com/", []byte("body"))
	require.NoError(t, s.Sign(context.Background(), r, tempCreds, "service", "us-east-1", signTime))
	_, _, err := s.Presign(context.Background(), newReq(t, "GET", "https://example.amazonaws.com/", nil), longCreds, "service", "us-east-1", signTime, time.Minute)
	require.NoError(t, err)
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "ASIATRANSPORT", SecretAccessKey: "transport-secret", SessionToken: "transport-token",
			CanExpire: true, Expires: time.Now().Add(time.Hour)}, nil
	})
	base := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	tr, err := s.Transport(base, provider, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) { o.PayloadHash = "abc" })
	require.NoError(t, err)
	resp, err := tr.RoundTrip(newReq(t, "GET", "https://example.amazonaws.com/", nil))
	require.NoError(t, err)
	resp.Body.Close()
	expired := tempCreds
	expired.Expires = signTime
	signErr := sigv4temp.Sign(context.Background(), newReq(t, "GET", "https://x/", nil), expired, "s", "r", signTime)
	_, _, presignErr := sigv4temp.Presign(context.Background(), newReq(t, "GET", "https://x/", nil), tempCreds, "s", "r", signTime, 2*time.Hour)
	require.Error(t, signErr)
	require.Error(t, presignErr)

	values := []any{&s, tr, *tr, signErr, presignErr, sigv4temp.Options{PayloadHash: "x"}, sigv4temp.TransportOptions{ExpiryWindow: time.Minute}}
	var out strings.Builder
	for _, v := range values {
		fmt.Fprintf(&out, "%v|%+v|%#v|%s|%q\n", v, v, v, v, v)
	}
	logger := slog.New(slog.NewTextHandler(&out, nil))
	logger.Info("signing", "signer", &s, "transport", tr, "err", signErr)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("signing", "signer", &s, "transport", tr, "err", presignErr)
	for _, secret := range secrets {
		assert.NotContains(t, out.String(), secret)
	}
	assert.Contains(t, out.String(), "sigv4temp.Transport(execute-api, eu-west-1)")
	assert.Contains(t, out.String(), "sigv4temp.Signer")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
