package sigv4temp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	vTime  = time.Date(2026, 11, 25, 20, 49, 41, 0, time.UTC)
	vTemp  = aws.Credentials{AccessKeyID: "ASIAEXAMPLEKEY", SecretAccessKey: "secretSECRETsecret/+=", SessionToken: "TOKEN/with+chars=", CanExpire: true, Expires: vTime.Add(time.Hour)}
	vLong  = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	vOther = aws.Credentials{AccessKeyID: "ASIAOTHER", SecretAccessKey: "other-secret", SessionToken: "other-token"}
)

func newVerifier(t testing.TB, optFns ...func(*VerifierOptions)) *Verifier {
	t.Helper()
	v, err := NewVerifier(staticLookup(vTemp, vLong, vOther, docCreds), optFns...)
	require.NoError(t, err)
	return v
}

func mustReq(t testing.TB, method, u string, body []byte) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, u, rd)
	require.NoError(t, err)
	return r
}

// readBody reads Verified.Body to the end.
func readBody(vr *Verified) ([]byte, error) { return io.ReadAll(vr.Body) }

// verifyAll verifies r and reads its body: the whole check.
func verifyAll(v *Verifier, r *http.Request, now time.Time) ([]byte, error) {
	vr, err := v.Verify(context.Background(), r, now)
	if err != nil {
		return nil, err
	}
	return readBody(vr)
}

func TestVerifySignAndPresign(t *testing.T) {
	v := newVerifier(t)
	body := []byte(`{"TableName":"orders"}`)
	tests := []struct {
		name   string
		creds  aws.Credentials
		method string
		url    string
		body   []byte
		opt    Options
	}{
		{"temp GET", vTemp, "GET", "https://dynamodb.us-east-1.amazonaws.com/?b=2&a=1&a=0", nil, Options{}},
		{"long POST body", vLong, "POST", "https://dynamodb.us-east-1.amazonaws.com/", body, Options{}},
		{"temp POST content-sha256", vTemp, "POST", "https://example.amazonaws.com/a%20b/c", body, Options{ContentSHA256Header: true}},
		{"token after signing", vTemp, "GET", "https://iot.amazonaws.com/things/x", nil, Options{TokenAfterSigning: true}},
		{"s3 PUT", vTemp, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/photos/a%20b+c.jpg", body, Options{ContentSHA256Header: true, DisableURIPathEscaping: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			service := "dynamodb"
			if strings.HasPrefix(tc.name, "s3") {
				service = "s3"
			}
			r := mustReq(t, tc.method, tc.url, tc.body)
			require.NoError(t, Sign(context.Background(), r, tc.creds, service, "us-east-1", vTime, func(o *Options) { *o = tc.opt }))
			vr, err := v.Verify(context.Background(), r, vTime.Add(time.Minute))
			require.NoError(t, err)
			got, err := readBody(vr)
			require.NoError(t, err)
			assert.Equal(t, string(tc.body), string(got))
			assert.Equal(t, tc.creds.AccessKeyID, vr.AccessKeyID)
			assert.Equal(t, "us-east-1", vr.Region)
			assert.Equal(t, service, vr.Service)
			assert.Equal(t, vTime, vr.SigningTime)
			assert.False(t, vr.Presigned)
			assert.Equal(t, tc.creds.SessionToken != "" && !tc.opt.TokenAfterSigning, vr.TokenSigned)
			assert.Contains(t, vr.SignedHeaders, "host")
			wantUntil := vTime.Add(DefaultMaxSkew)
			assert.Equal(t, wantUntil, vr.ValidUntil)

			// Presigned.
			pr := mustReq(t, tc.method, tc.url, tc.body)
			o := tc.opt
			o.ContentSHA256Header = false
			if service == "s3" {
				o.PayloadHash = UnsignedPayload
			}
			u, hdr, err := Presign(context.Background(), pr, tc.creds, service, "us-east-1", vTime, 10*time.Minute, func(x *Options) { *x = o })
			require.NoError(t, err)
			pr = mustReq(t, tc.method, u, tc.body)
			for k, vs := range hdr {
				if k != "Host" {
					pr.Header[k] = vs
				}
			}
			vv := v
			if service == "s3" && tc.body != nil {
				vv = newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
				_, err := v.Verify(context.Background(), pr, vTime)
				require.ErrorIs(t, err, ErrNotAllowed, "an unsigned payload with a body is refused by default")
			}
			vr, err = vv.Verify(context.Background(), pr, vTime.Add(time.Minute))
			require.NoError(t, err)
			got, err = readBody(vr)
			require.NoError(t, err)
			assert.Equal(t, string(tc.body), string(got))
			assert.True(t, vr.Presigned)
			assert.Equal(t, tc.creds.SessionToken != "" && !tc.opt.TokenAfterSigning, vr.TokenSigned)
			assert.Equal(t, vTime.Add(10*time.Minute), vr.ValidUntil)
		})
	}
}

// The SDK's signer, used directly, with its own choices of signed headers.
func TestVerifySDKSigner(t *testing.T) {
	v := newVerifier(t)
	s := v4.NewSigner()
	for i, u := range []string{
		"https://sqs.eu-west-1.amazonaws.com/123/queue?Action=SendMessage&MessageBody=hello%20world",
		"https://execute-api.us-east-1.amazonaws.com/prod/a%2Fb/%C3%BC?x=%F0%9F%99%82&x=a",
		"https://example.amazonaws.com/",
	} {
		r := mustReq(t, "POST", u, nil)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		r.Header.Add("X-Custom", "  a   b ")
		r.Header.Add("X-Custom", "c")
		require.NoError(t, s.SignHTTP(context.Background(), vTemp, r, EmptyPayloadHash, "sqs", "eu-west-1", vTime))
		_, err := verifyAll(v, r, vTime)
		require.NoError(t, err, "case %d", i)

		pr := mustReq(t, "GET", u, nil)
		pq := pr.URL.Query()
		pq.Set("X-Amz-Expires", "300")
		pr.URL.RawQuery = pq.Encode()
		signed, hdr, err := s.PresignHTTP(context.Background(), vTemp, pr, EmptyPayloadHash, "sqs", "eu-west-1", vTime)
		require.NoError(t, err)
		pr = mustReq(t, "GET", signed, nil)
		for k, vs := range hdr {
			if !strings.EqualFold(k, "host") {
				pr.Header[k] = vs
			}
		}
		_, err = verifyAll(v, pr, vTime.Add(299*time.Second))
		require.NoError(t, err, "presigned case %d", i)
		_, err = verifyAll(v, pr, vTime.Add(300*time.Second))
		require.ErrorIs(t, err, ErrRequestExpired, "presigned case %d at its expiry", i)
	}
}

// parseWire reads a request as an HTTP server does (http.ReadRequest), so
// Host, Content-Length and folded header lines are what a server sees.
func parseWire(t *testing.T, raw []byte, body []byte) *http.Request {
	t.Helper()
	line, rest, _ := bytes.Cut(raw, []byte("\n"))
	// A request line with a raw space in the path ("/example space/"):
	// what a client sends is the path escaped.
	if f := bytes.Fields(line); len(f) > 3 {
		line = []byte(string(f[0]) + " " + strings.ReplaceAll(string(bytes.Join(f[1:len(f)-1], []byte(" "))), " ", "%20") + " " + string(f[len(f)-1]))
	}
	head, _, _ := bytes.Cut(rest, []byte("\n\n"))
	var b bytes.Buffer
	b.Write(line)
	b.WriteString("\r\n")
	for _, l := range strings.Split(string(head), "\n") {
		if l != "" {
			b.WriteString(l + "\r\n")
		}
	}
	if len(body) > 0 && !bytes.Contains(bytes.ToLower(head), []byte("content-length")) {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.Write(body)
	r, err := http.ReadRequest(bufio.NewReader(&b))
	require.NoError(t, err)
	return r
}

func TestVerifySigV4TestSuite(t *testing.T) {
	n := 0
	for _, vd := range vectorDirs { // the suite's two folders (AWSKIT_TESTDATA moves them)
		dir := vd.dir
		dirs, err := os.ReadDir(dir)
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("SigV4 test suite not found at %s: %v", dir, err)
			}
			t.Skipf("SigV4 test suite not found at %s: %v", dir, err)
		}
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			n++
			cdir := filepath.Join(dir, d.Name())
			t.Run(d.Name(), func(t *testing.T) {
				var vc struct {
					vectorContext
					Normalize bool `json:"normalize"`
				}
				require.NoError(t, json.Unmarshal([]byte(readFile(t, cdir, "context.json")), &vc))
				creds := aws.Credentials{AccessKeyID: vc.Credentials.AccessKeyID, SecretAccessKey: vc.Credentials.SecretAccessKey, SessionToken: vc.Credentials.Token}
				v, err := NewVerifier(staticLookup(creds), func(o *VerifierOptions) {
					o.DisableURIPathEscaping = true // the suite encodes paths once
					o.DisablePathNormalization = !vc.Normalize
				})
				require.NoError(t, err)
				_, body, _ := strings.Cut(readFile(t, cdir, "request.txt"), "\n\n")
				for _, form := range []string{"header", "query"} {
					r := parseWire(t, []byte(readFile(t, cdir, form+"-signed-request.txt")), []byte(body))
					if vc.OmitSessionToken && creds.SessionToken != "" {
						// The suite's signed request leaves the token out; it is added after signing.
						if form == "header" {
							r.Header.Set(headerToken, creds.SessionToken)
						} else {
							r.URL.RawQuery += "&X-Amz-Security-Token=" + queryEscape(creds.SessionToken)
						}
					}
					vr, err := v.Verify(context.Background(), r, vc.Timestamp.Add(time.Second))
					if !assert.NoError(t, err, form) {
						continue
					}
					got, err := readBody(vr)
					assert.NoError(t, err, form)
					assert.Equal(t, body, string(got), form)
					assert.Equal(t, form == "query", vr.Presigned)
					sig := strings.TrimSpace(readFile(t, cdir, form+"-signature.txt"))
					assert.Contains(t, r.Header.Get("Authorization")+r.URL.RawQuery, sig)
				}
			})
		}
	}
	require.Greater(t, n, 30, "expected the suite's cases")
}

func TestVerifyErrors(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	signed := func(t *testing.T, creds aws.Credentials, when time.Time, optFns ...func(*Options)) *http.Request {
		r := mustReq(t, "GET", "https://example.amazonaws.com/path?q=1", nil)
		r.Header.Set("X-Custom", "v")
		require.NoError(t, Sign(ctx, r, creds, "service", "us-east-1", when, optFns...))
		return r
	}
	presigned := func(t *testing.T, creds aws.Credentials, when time.Time, expires time.Duration) *http.Request {
		u, _, err := Presign(ctx, mustReq(t, "GET", "https://example.amazonaws.com/path?q=1", nil), creds, "service", "us-east-1", when, expires)
		require.NoError(t, err)
		return mustReq(t, "GET", u, nil)
	}
	check := func(t *testing.T, r *http.Request, now time.Time, want error) {
		t.Helper()
		_, err := verifyAll(v, r, now)
		require.ErrorIs(t, err, want)
		var ve *VerifyError
		require.ErrorAs(t, err, &ve)
		for _, secret := range []string{vTemp.SecretAccessKey, vTemp.SessionToken, vOther.SessionToken, vOther.SecretAccessKey, vLong.SecretAccessKey} {
			assert.NotContains(t, err.Error(), secret)
		}
		// The expected signature is never in the error.
		assert.NotRegexp(t, "[0-9a-f]{64}", err.Error())
	}

	t.Run("no signature", func(t *testing.T) {
		check(t, mustReq(t, "GET", "https://example.amazonaws.com/", nil), vTime, ErrMissingAuth)
	})
	t.Run("unknown key", func(t *testing.T) {
		c := vTemp
		c.AccessKeyID = "ASIANOBODY"
		check(t, signed(t, c, vTime), vTime, ErrUnknownKey)
	})
	t.Run("lookup failure is not ErrUnknownKey", func(t *testing.T) {
		boom := errors.New("database down")
		fv, err := NewVerifier(func(context.Context, string) (aws.Credentials, error) { return aws.Credentials{}, boom })
		require.NoError(t, err)
		_, err = fv.Verify(ctx, signed(t, vTemp, vTime), vTime)
		require.ErrorIs(t, err, boom)
		require.NotErrorIs(t, err, ErrUnknownKey)
	})
	t.Run("token mismatch", func(t *testing.T) {
		c := vTemp
		c.SessionToken = "another-token"
		check(t, signed(t, c, vTime), vTime, ErrTokenMismatch) // signed with another token
		r := signed(t, vTemp, vTime, func(o *Options) { o.TokenAfterSigning = true })
		r.Header.Set(headerToken, "TOKEN/with+chars>")
		check(t, r, vTime, ErrTokenMismatch) // unsigned token, altered
		r.Header.Del(headerToken)
		check(t, r, vTime, ErrTokenMismatch) // temporary key without its token
		l := signed(t, vLong, vTime)
		l.Header.Set(headerToken, "x")
		check(t, l, vTime, ErrTokenMismatch) // a token for long-term credentials
	})
	t.Run("skew", func(t *testing.T) {
		r := signed(t, vTemp, vTime)
		_, err := verifyAll(v, r, vTime.Add(DefaultMaxSkew))
		require.NoError(t, err, "at the edge of the skew")
		check(t, r, vTime.Add(DefaultMaxSkew+time.Second), ErrRequestExpired)
		check(t, r, vTime.Add(-DefaultMaxSkew-time.Second), ErrRequestExpired)
		_, err = verifyAll(v, r, vTime.Add(-DefaultMaxSkew))
		require.NoError(t, err)
		sv := newVerifier(t, func(o *VerifierOptions) { o.MaxSkew = time.Minute })
		_, err = verifyAll(sv, r, vTime.Add(2*time.Minute))
		require.ErrorIs(t, err, ErrRequestExpired)
	})
	t.Run("presigned expiry", func(t *testing.T) {
		r := presigned(t, vLong, vTime, time.Hour)
		_, err := verifyAll(v, r, vTime.Add(time.Hour-time.Nanosecond))
		require.NoError(t, err)
		check(t, r, vTime.Add(time.Hour), ErrRequestExpired)
		check(t, r, vTime.Add(-DefaultMaxSkew-time.Second), ErrRequestExpired) // not valid yet
		long := presigned(t, vLong, vTime, MaxPresignExpiry)
		_, err = verifyAll(v, long, vTime.Add(MaxPresignExpiry-time.Second))
		require.NoError(t, err)
		// X-Amz-Expires over 7 days, even correctly signed.
		over := mustReq(t, "GET", "https://example.amazonaws.com/", nil)
		q := over.URL.Query()
		q.Set("X-Amz-Expires", "604801")
		over.URL.RawQuery = q.Encode()
		s, hdr, err := v4.NewSigner().PresignHTTP(ctx, vLong, over, EmptyPayloadHash, "service", "us-east-1", vTime)
		require.NoError(t, err)
		_ = hdr
		check(t, mustReq(t, "GET", s, nil), vTime, ErrRequestExpired)
		for _, bad := range []string{"0", "-1", "1.5", "", "01", "99999999999999999999999"} {
			r := presigned(t, vLong, vTime, time.Hour)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires="+bad, 1)
			_, err := verifyAll(v, r, vTime)
			require.Error(t, err, bad)
		}
	})
	t.Run("expired credentials", func(t *testing.T) {
		c := vTemp
		r := signed(t, c, c.Expires.Add(-time.Second))
		_, err := verifyAll(v, r, c.Expires.Add(-time.Second))
		require.NoError(t, err)
		check(t, r, c.Expires, ErrRequestExpired) // expired now, though signed before
		// A presigned URL stops when its credentials expire.
		p := presigned(t, c, vTime, 30*time.Minute)
		vr, err := v.Verify(ctx, p, vTime)
		require.NoError(t, err)
		assert.Equal(t, vTime.Add(30*time.Minute), vr.ValidUntil)
		early := vTemp
		early.Expires = vTime.Add(10 * time.Minute)
		ev, err := NewVerifier(staticLookup(early))
		require.NoError(t, err)
		vr, err = ev.Verify(ctx, p, vTime)
		require.NoError(t, err)
		assert.Equal(t, early.Expires, vr.ValidUntil)
		_, err = ev.Verify(ctx, p, early.Expires)
		require.ErrorIs(t, err, ErrRequestExpired)
	})
	t.Run("scope", func(t *testing.T) {
		r := signed(t, vTemp, vTime)
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20261125/", "/20261124/", 1))
		check(t, r, vTime, ErrMalformedAuth) // scope day is not the X-Amz-Date day
		rv := newVerifier(t, func(o *VerifierOptions) { o.Regions = []string{"eu-west-1"} })
		_, err := verifyAll(rv, signed(t, vTemp, vTime), vTime)
		require.ErrorIs(t, err, ErrNotAllowed)
		sv := newVerifier(t, func(o *VerifierOptions) { o.Services = []string{"s3"} })
		_, err = verifyAll(sv, signed(t, vTemp, vTime), vTime)
		require.ErrorIs(t, err, ErrNotAllowed)
		ok := newVerifier(t, func(o *VerifierOptions) { o.Services, o.Regions = []string{"s3", "service"}, []string{"us-east-1"} })
		_, err = verifyAll(ok, signed(t, vTemp, vTime), vTime)
		require.NoError(t, err)
	})
	t.Run("signed header missing", func(t *testing.T) {
		r := signed(t, vTemp, vTime)
		r.Header.Del("X-Custom")
		check(t, r, vTime, ErrSignatureMismatch)
	})
	t.Run("host not signed", func(t *testing.T) {
		r := signed(t, vTemp, vTime)
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=host;", "SignedHeaders=", 1))
		check(t, r, vTime, ErrMalformedAuth)
	})
	t.Run("malformed", func(t *testing.T) {
		good := signed(t, vTemp, vTime).Header.Get("Authorization")
		for _, a := range []string{
			"", "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256 " + good[len("AWS4-HMAC-SHA256 "):],
			strings.Replace(good, "Credential=", "Credential=x/", 1),
			strings.Replace(good, ", Signature=", ", Signature=A", 1),
			strings.Replace(good, "aws4_request", "aws4_requesu", 1),
			strings.Replace(good, "SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date;host", 1),
			strings.Replace(good, "SignedHeaders=host;", "SignedHeaders=host;host;", 1),
			strings.Replace(good, "SignedHeaders=host;", "SignedHeaders=Host;", 1),
			good + ", Signature=" + strings.Repeat("0", 64),
			good[:len(good)-1] + "A",
			good + "0",
		} {
			r := signed(t, vTemp, vTime)
			r.Header.Set("Authorization", a)
			_, err := verifyAll(v, r, vTime)
			require.ErrorIs(t, err, ErrMalformedAuth, "%q", a)
		}
		r := signed(t, vTemp, vTime)
		r.Header.Add("Authorization", r.Header.Get("Authorization"))
		check(t, r, vTime, ErrMalformedAuth) // two Authorization headers
		r = signed(t, vTemp, vTime)
		r.URL.RawQuery += "&X-Amz-Signature=" + strings.Repeat("0", 64)
		check(t, r, vTime, ErrMalformedAuth) // both forms
		r = signed(t, vTemp, vTime)
		r.URL.RawQuery += "&x=%zz"
		check(t, r, vTime, ErrMalformedAuth) // a query the signer would have dropped
		r = signed(t, vTemp, vTime)
		r.URL.RawQuery += "&x;y"
		check(t, r, vTime, ErrMalformedAuth)
		r = signed(t, vTemp, vTime)
		r.Header.Set("X-Amz-Date", "2026-11-25T20:49:41Z")
		check(t, r, vTime, ErrMalformedAuth)
		p := presigned(t, vLong, vTime, time.Hour)
		p.URL.RawQuery += "&X-Amz-Signature=" + strings.Repeat("0", 64)
		check(t, p, vTime, ErrMalformedAuth) // two signatures
	})
	t.Run("nil", func(t *testing.T) {
		_, err := v.Verify(ctx, nil, vTime)
		require.ErrorIs(t, err, ErrMalformedAuth)
		_, err = NewVerifier(nil)
		require.ErrorIs(t, err, ErrInvalid)
		_, err = NewVerifier(staticLookup(), func(o *VerifierOptions) { o.MaxChunkBytes = -1 })
		require.ErrorIs(t, err, ErrInvalid)
	})
}

func TestVerifyBody(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	body := []byte("the body that was signed")
	sign := func(opt Options) *http.Request {
		r := mustReq(t, "PUT", "https://example.amazonaws.com/k", body)
		require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) { *o = opt }))
		return r
	}
	// With X-Amz-Content-Sha256: verified before the body, checked at its end.
	r := sign(Options{ContentSHA256Header: true})
	r.Body = io.NopCloser(bytes.NewReader([]byte("the body that was changed")))
	vr, err := v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	_, err = io.ReadAll(vr.Body)
	require.ErrorIs(t, err, ErrSignatureMismatch)
	// Without it: hashed (buffered) by Verify.
	r = sign(Options{})
	r.Body = io.NopCloser(bytes.NewReader([]byte("the body that was changed")))
	_, err = v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrSignatureMismatch)
	// Over the buffer bound.
	small := newVerifier(t, func(o *VerifierOptions) { o.MaxBufferedBody = 10 })
	_, err = small.Verify(ctx, sign(Options{}), vTime)
	require.ErrorIs(t, err, ErrTooLarge)
	r = sign(Options{})
	r.Header.Set("Content-Length", fmt.Sprint(r.ContentLength)) // as a server sees it, with an unknown length
	r.ContentLength = -1
	_, err = small.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrTooLarge)
	// Unsigned payloads.
	r = sign(Options{ContentSHA256Header: true, PayloadHash: UnsignedPayload})
	_, err = v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrNotAllowed)
	r = sign(Options{ContentSHA256Header: true, PayloadHash: UnsignedPayload})
	uv := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	vr, err = uv.Verify(ctx, r, vTime)
	require.NoError(t, err)
	assert.Equal(t, UnsignedPayload, vr.PayloadHash)
	got, err := io.ReadAll(vr.Body)
	require.NoError(t, err)
	assert.Equal(t, body, got)
	// An unsigned payload on a request without a body is accepted by default.
	g := mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
	require.NoError(t, Sign(ctx, g, vTemp, "s3", "us-east-1", vTime, func(o *Options) { o.PayloadHash, o.ContentSHA256Header = UnsignedPayload, true }))
	_, err = verifyAll(v, g, vTime)
	require.NoError(t, err)
	// %v of what Verify returns shows no secret.
	vr, err = v.Verify(ctx, sign(Options{ContentSHA256Header: true}), vTime)
	require.NoError(t, err)
	for _, f := range []string{"%v", "%+v", "%#v"} {
		s := fmt.Sprintf(f, vr)
		assert.NotContains(t, s, vTemp.SecretAccessKey)
		assert.NotContains(t, s, vTemp.SessionToken)
	}
}

// Verification agrees with botocore: requests botocore signs (SigV4Auth,
// S3SigV4Auth, SigV4QueryAuth, S3SigV4QueryAuth) verify, as received.
func TestVerifyBotocore(t *testing.T) {
	requireBotocore(t)
	rnd := rand.New(rand.NewPCG(2026, 16))
	const n = 300
	var cases []botoCase
	var bodies [][]byte
	for i := range n {
		mode := []string{"header", "query"}[i%2]
		c, req, _, _, _ := randomCase(rnd, mode)
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
		}
		cases = append(cases, c)
		bodies = append(bodies, body)
	}
	in, err := json.Marshal(cases)
	require.NoError(t, err)
	cmd := exec.Command(botocorePython, "testdata/botocore_signed.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "botocore: %s", stderr.String())
	var results []struct {
		URL     string     `json:"url"`
		Headers [][]string `json:"headers"`
	}
	require.NoError(t, json.Unmarshal(out, &results))
	require.Len(t, results, n)
	for i, c := range cases {
		creds := aws.Credentials{AccessKeyID: c.AKID, SecretAccessKey: c.Secret, SessionToken: c.Token}
		v, err := NewVerifier(staticLookup(creds), func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
		require.NoError(t, err)
		r := mustReq(t, c.Method, results[i].URL, bodies[i])
		for _, h := range results[i].Headers {
			if !strings.EqualFold(h[0], "Content-Length") {
				r.Header.Add(h[0], h[1])
			}
		}
		now, _ := time.Parse(amzDateFormat, c.Timestamp)
		vr, err := v.Verify(context.Background(), r, now)
		if !assert.NoError(t, err, "case %d (%s, s3=%v, %s %s)", i, c.Mode, c.S3, c.Method, c.URL) {
			continue
		}
		got, err := readBody(vr)
		assert.NoError(t, err, "case %d", i)
		assert.Equal(t, bodies[i], nilIfEmpty(got), "case %d", i)
	}
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// mutations yields every single-byte mutation of s (all 255 other values at
// every position) to f.
func mutations(s string, f func(pos int, m string)) {
	b := []byte(s)
	for i := range b {
		orig := b[i]
		for c := 0; c < 256; c++ {
			if byte(c) == orig {
				continue
			}
			b[i] = byte(c)
			f(i, string(b))
		}
		b[i] = orig
	}
}

// sameQueryAfterDecoding: a mutation that changes only the case of a
// %-escape's hex digit in the query decodes to the same request (AWS
// accepts it too).
func sameQueryAfterDecoding(orig, m string) bool {
	a, err1 := url.ParseQuery(orig)
	b, err2 := url.ParseQuery(m)
	return err1 == nil && err2 == nil && strings.EqualFold(orig, m) && a.Encode() == b.Encode()
}

// Every single-byte mutation of the method, path, query, a signed header,
// the date, the token or the signature fails.
func TestVerifyMutations(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	body := []byte("payload")
	type request struct {
		name string
		make func() *http.Request
	}
	headerSigned := func() *http.Request {
		r := mustReq(t, "PUT", "https://bucket.example.amazonaws.com/a%20b/c?x=1&y=%C3%BC", body)
		r.Header.Set("X-Amz-Meta-Owner", "ünï a")
		r.Header.Set("Content-Type", "text/plain")
		require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) { o.ContentSHA256Header = true }))
		return r
	}
	presignedURL, hdr, err := Presign(ctx, mustReq(t, "GET", "https://bucket.example.amazonaws.com/a%20b/c?x=1&y=%C3%BC", nil), vTemp, "service", "us-east-1", vTime, time.Hour)
	require.NoError(t, err)
	presigned := func() *http.Request {
		r := mustReq(t, "GET", presignedURL, nil)
		for k, vs := range hdr {
			if k != "Host" {
				r.Header[k] = vs
			}
		}
		return r
	}
	s3Signed := func() *http.Request {
		r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/dir/a%3Db%20c.txt?x-id=PutObject", body)
		r.Header.Set("X-Amz-Meta-Owner", "me")
		require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime))
		return r
	}
	for _, req := range []request{{"header", headerSigned}, {"presigned", presigned}, {"s3", s3Signed}} {
		t.Run(req.name, func(t *testing.T) {
			_, err := verifyAll(v, req.make(), vTime)
			require.NoError(t, err, "the unmutated request")
			tried, accepted := 0, 0
			signed := req.make()
			fresh := func() *http.Request { // a copy of the signed request, its body unread
				r := signed.Clone(ctx)
				if signed.Body != nil && signed.Body != http.NoBody {
					r.Body = io.NopCloser(bytes.NewReader(body))
				}
				return r
			}
			_, err = verifyAll(v, fresh(), vTime)
			require.NoError(t, err, "the copy of the unmutated request")
			try := func(what string, pos int, mutate func(r *http.Request) bool) {
				r := fresh()
				if !mutate(r) {
					return
				}
				tried++
				if _, err := verifyAll(v, r, vTime); err == nil {
					accepted++
					if accepted < 5 {
						t.Errorf("%s: mutation at %d accepted", what, pos)
					}
				}
			}
			base := signed
			mutations(base.Method, func(pos int, m string) {
				try("method", pos, func(r *http.Request) bool { r.Method = m; return true })
			})
			mutations(base.URL.EscapedPath(), func(pos int, m string) {
				try("path", pos, func(r *http.Request) bool {
					u, err := url.Parse("https://" + r.URL.Host + m)
					if err != nil || u.RawQuery != "" || u.Fragment != "" {
						return false // not a path any more
					}
					if req.name == "s3" && strings.EqualFold(m, base.URL.EscapedPath()) && u.Path == base.URL.Path {
						return false // the case of a %-escape's hex digit: the same S3 key
					}
					r.URL.Path, r.URL.RawPath = u.Path, u.RawPath
					return true
				})
			})
			mutations(base.URL.RawQuery, func(pos int, m string) {
				try("query", pos, func(r *http.Request) bool {
					if sameQueryAfterDecoding(base.URL.RawQuery, m) {
						return false
					}
					r.URL.RawQuery = m
					return true
				})
			})
			mutations(base.Host, func(pos int, m string) {
				try("host", pos, func(r *http.Request) bool { r.Host = m; return true })
			})
			for name := range base.Header {
				mutations(base.Header.Get(name), func(pos int, m string) {
					try(name, pos, func(r *http.Request) bool { r.Header.Set(name, m); return true })
				})
			}
			mutations(string(body), func(pos int, m string) {
				try("body", pos, func(r *http.Request) bool {
					if r.Body == nil || r.Body == http.NoBody {
						return false
					}
					r.Body = io.NopCloser(strings.NewReader(m))
					return true
				})
			})
			assert.Zero(t, accepted, "of %d mutations", tried)
			assert.Greater(t, tried, 10000)
		})
	}
}

// Bounds: a 1 MiB Authorization header, 10,000 query parameters, a chunk
// claiming 2^63 bytes fail fast with ErrTooLarge, in bounded memory.
func TestVerifyBounds(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	r := mustReq(t, "GET", "https://example.amazonaws.com/", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+strings.Repeat("A", 1<<20))
	before := totalAlloc()
	_, err := v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Less(t, totalAlloc()-before, uint64(64<<10), "bounded memory")

	r = mustReq(t, "GET", "https://example.amazonaws.com/", nil)
	require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
	r.URL.RawQuery = strings.Repeat("a&", 10000)
	before = totalAlloc()
	_, err = v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Less(t, totalAlloc()-before, uint64(64<<10), "bounded memory")
	r = mustReq(t, "GET", "https://example.amazonaws.com/?"+strings.Repeat("a=1&", 10000), nil)
	_, err = v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrTooLarge)

	// Signed headers over the bound.
	r = mustReq(t, "GET", "https://example.amazonaws.com/", nil)
	r.Header.Set("X-Big", strings.Repeat("b", DefaultMaxHeaderBytes))
	require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
	_, err = v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrTooLarge)

	// A chunk header claiming 2^63 bytes, and one over MaxChunkBytes.
	for _, size := range []string{"8000000000000000", "ffffffffffffffff", fmt.Sprintf("%x", DefaultMaxChunkBytes+1)} {
		r := chunkedRequest(t, size+";chunk-signature="+strings.Repeat("0", 64)+"\r\n")
		vr, err := v.Verify(ctx, r, vTime)
		require.NoError(t, err)
		before := totalAlloc()
		_, err = io.ReadAll(vr.Body)
		require.ErrorIs(t, err, ErrTooLarge, size)
		assert.Less(t, totalAlloc()-before, uint64(1<<20), "bounded memory")
	}
	r = chunkedRequest(t, "10000000000000000;chunk-signature="+strings.Repeat("0", 64)+"\r\n")
	vr, err := v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	_, err = io.ReadAll(vr.Body)
	require.ErrorIs(t, err, ErrMalformedChunk, "17 hex digits")
}

// chunkedRequest signs a STREAMING-AWS4-HMAC-SHA256-PAYLOAD request whose
// body is the given bytes.
func chunkedRequest(t *testing.T, body string) *http.Request {
	t.Helper()
	r := mustReq(t, "PUT", "https://bucket.s3.amazonaws.com/key", []byte("x"))
	require.NoError(t, SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime))
	r.Body = io.NopCloser(strings.NewReader(body))
	return r
}

func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

func TestVerifierNoSecretsInOutput(t *testing.T) {
	v := newVerifier(t)
	r := mustReq(t, "GET", "https://example.amazonaws.com/", nil)
	require.NoError(t, Sign(context.Background(), r, vTemp, "service", "us-east-1", vTime))
	_, err := verifyAll(v, r, vTime) // fills the key cache
	require.NoError(t, err)
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "verifier", v)
	for _, s := range []string{fmt.Sprintf("%v %+v %#v %s", v, v, v, v), fmt.Sprintf("%v %+v %#v", *v, *v, *v), logged.String()} {
		assert.NotContains(t, s, vTemp.SecretAccessKey)
		assert.NotContains(t, s, vLong.SecretAccessKey)
	}
}

// S3 paths: a signature over the re-encoded key ("/a%3Db") verifies the
// same key sent less escaped ("/a=b"); '+' is a literal plus, never a space
// (aws4 signs "/x+y" as "/x%20y", S3's legacy reading; refused here, since a
// gateway reads the key "x+y").
func TestVerifyS3PathForms(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	signedAs := func(signedPath, sentPath string) error {
		r := mustReq(t, "GET", "https://bucket.s3.amazonaws.com"+signedPath, nil)
		require.NoError(t, Sign(ctx, r, vTemp, "s3", "us-east-1", vTime))
		u, err := url.Parse("https://bucket.s3.amazonaws.com" + sentPath)
		require.NoError(t, err)
		r.URL = u
		_, err = verifyAll(v, r, vTime)
		return err
	}
	require.NoError(t, signedAs("/a%3Db/c%2Bd", "/a=b/c%2Bd"))
	require.NoError(t, signedAs("/a%3Db", "/a%3Db"))
	require.ErrorIs(t, signedAs("/x%20y", "/x+y"), ErrSignatureMismatch)
	require.ErrorIs(t, signedAs("/a%2520b", "/a%20b"), ErrSignatureMismatch, "a key with a literal %20 is another key")
}

// One Verifier shared by concurrent requests of several keys (its key cache
// under -race), and a lookup that changes a key's secret between calls: the
// cache never verifies with a stale secret.
func TestVerifyConcurrent(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	secret := vLong.SecretAccessKey
	v, err := NewVerifier(func(_ context.Context, id string) (aws.Credentials, error) {
		switch id {
		case vTemp.AccessKeyID:
			return vTemp, nil
		case vLong.AccessKeyID:
			mu.Lock()
			defer mu.Unlock()
			c := vLong
			c.SecretAccessKey = secret
			return c, nil
		}
		return aws.Credentials{}, ErrUnknownKey
	})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				creds := []aws.Credentials{vTemp, vLong}[(i+j)%2]
				r := mustReq(t, "GET", fmt.Sprintf("https://example.amazonaws.com/%d/%d", i, j), nil)
				if err := Sign(ctx, r, creds, []string{"sqs", "sns"}[j%2], "us-east-1", vTime); err != nil {
					t.Error(err)
					return
				}
				if _, err := verifyAll(v, r, vTime); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// The secret rotates: a signature with the old one now fails.
	r := mustReq(t, "GET", "https://example.amazonaws.com/", nil)
	require.NoError(t, Sign(ctx, r, vLong, "sqs", "us-east-1", vTime))
	_, err = verifyAll(v, r, vTime)
	require.NoError(t, err)
	mu.Lock()
	secret = "rotated-secret"
	mu.Unlock()
	_, err = verifyAll(v, r, vTime)
	require.ErrorIs(t, err, ErrSignatureMismatch)
}

func TestVerifyPathNormalizationOption(t *testing.T) {
	ctx := context.Background()
	r := mustReq(t, "GET", "https://example.amazonaws.com/a/./b//c/../d", nil)
	require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime)) // Sign normalizes: signs /a/b/d
	_, err := verifyAll(newVerifier(t), r, vTime)
	require.NoError(t, err)
	_, err = verifyAll(newVerifier(t, func(o *VerifierOptions) { o.DisablePathNormalization = true }), r, vTime)
	require.ErrorIs(t, err, ErrSignatureMismatch)
	// And the SDK's signer, which signs the path as sent, verifies either way.
	s := mustReq(t, "GET", "https://example.amazonaws.com/a/./b//c/../d", nil)
	require.NoError(t, v4.NewSigner().SignHTTP(ctx, vTemp, s, EmptyPayloadHash, "service", "us-east-1", vTime))
	_, err = verifyAll(newVerifier(t, func(o *VerifierOptions) { o.DisablePathNormalization = true }), s, vTime)
	require.NoError(t, err)
}

// The key cache stays bounded however many keys verify.
func TestVerifyKeyCacheBound(t *testing.T) {
	ctx := context.Background()
	v, err := NewVerifier(func(_ context.Context, id string) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: "secret-of-" + id}, nil
	})
	require.NoError(t, err)
	for i := range maxCachedKeys + 10 {
		c := aws.Credentials{AccessKeyID: fmt.Sprintf("AKID%d", i), SecretAccessKey: fmt.Sprintf("secret-of-AKID%d", i)}
		r := mustReq(t, "GET", "https://example.amazonaws.com/", nil)
		require.NoError(t, Sign(ctx, r, c, "service", "us-east-1", vTime))
		_, err := verifyAll(v, r, vTime)
		require.NoError(t, err)
		v.keys.mu.Lock()
		n := len(v.keys.m)
		v.keys.mu.Unlock()
		require.LessOrEqual(t, n, maxCachedKeys)
	}
}

// A body that claims length 0 is still a body: an unsigned payload needs
// AllowUnsignedPayload.
func TestVerifyUnsignedZeroLengthClaim(t *testing.T) {
	r := mustReq(t, "PUT", "https://bucket.s3.amazonaws.com/k", nil)
	require.NoError(t, Sign(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *Options) { o.PayloadHash = UnsignedPayload }))
	r.Body, r.ContentLength = io.NopCloser(strings.NewReader("smuggled")), 0
	_, err := newVerifier(t).Verify(context.Background(), r, vTime)
	require.ErrorIs(t, err, ErrNotAllowed)
}

// S3 Express One Zone carries the session token in X-Amz-S3session-Token.
func TestVerifyS3Express(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	const u = "https://bucket--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com/k"
	r := mustReq(t, "GET", u, nil)
	require.NoError(t, Sign(ctx, r, vTemp, "s3express", "us-east-1", vTime))
	vr, err := v.Verify(ctx, r, vTime)
	require.NoError(t, err)
	assert.True(t, vr.TokenSigned)
	r.Header.Set("X-Amz-S3session-Token", "another")
	_, err = v.Verify(ctx, r, vTime)
	require.ErrorIs(t, err, ErrTokenMismatch)

	signed, _, err := Presign(ctx, mustReq(t, "GET", u, nil), vTemp, "s3express", "us-east-1", vTime, time.Minute)
	require.NoError(t, err)
	vr, err = v.Verify(ctx, mustReq(t, "GET", signed, nil), vTime)
	require.NoError(t, err)
	assert.True(t, vr.TokenSigned)
	_, err = v.Verify(ctx, mustReq(t, "GET", strings.Replace(signed, "X-Amz-S3session-Token=", "X-Amz-S3session-Token=x", 1), nil), vTime)
	require.ErrorIs(t, err, ErrTokenMismatch)
}

func TestVerifyDoesNotModifyRequest(t *testing.T) {
	for _, r := range []*http.Request{
		mustReq(t, "PUT", "https://example.amazonaws.com/a/./b?x=1&y", []byte("body")),
		mustReq(t, "GET", "https://bucket.s3.amazonaws.com/k%2Bey", nil),
	} {
		service := "service"
		if strings.Contains(r.URL.Host, "s3") {
			service = "s3"
		}
		require.NoError(t, Sign(context.Background(), r, vTemp, service, "us-east-1", vTime))
		url, header, host := r.URL.String(), r.Header.Clone(), r.Host
		_, err := verifyAll(newVerifier(t), r, vTime)
		require.NoError(t, err)
		assert.Equal(t, url, r.URL.String())
		assert.Equal(t, header, r.Header)
		assert.Equal(t, host, r.Host)
	}
}
