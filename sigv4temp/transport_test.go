package sigv4temp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/sigv4temp"
)

// verifier is an httptest handler that checks SigV4 signatures itself, with
// the SDK signer on its side: it rebuilds the request from the headers the
// client says it signed and compares the Authorization header.
type verifier struct {
	mu      sync.Mutex
	secrets map[string]aws.Credentials // by access key ID
	ok, bad atomic.Int64
	bodies  []string
}

func (v *verifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	akid := between(auth, "Credential=", "/")
	v.mu.Lock()
	creds, known := v.secrets[akid]
	v.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if !known || err != nil || r.Header.Get("X-Amz-Security-Token") != creds.SessionToken {
		v.bad.Add(1)
		http.Error(w, "The security token included in the request is invalid", http.StatusForbidden)
		return
	}
	check, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	check.Host = r.Host
	for _, h := range strings.Split(between(auth, "SignedHeaders=", ","), ";") {
		if h == "host" || h == "content-length" {
			continue
		}
		check.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
	}
	check.ContentLength = int64(len(body))
	sum := sha256.Sum256(body)
	_ = v4.NewSigner().SignHTTP(context.Background(), creds, check, hex.EncodeToString(sum[:]), "execute-api", "eu-west-1", date)
	if check.Header.Get("Authorization") != auth {
		v.bad.Add(1)
		http.Error(w, "SignatureDoesNotMatch", http.StatusForbidden)
		return
	}
	v.ok.Add(1)
	v.mu.Lock()
	v.bodies = append(v.bodies, string(body))
	v.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}

// rotatingProvider hands out credentials that expire after ttl, counting
// retrievals.
type rotatingProvider struct {
	v     *verifier
	ttl   time.Duration
	calls atomic.Int64
}

func (p *rotatingProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	n := p.calls.Add(1)
	time.Sleep(5 * time.Millisecond) // a slow STS call, so concurrent requests overlap
	c := aws.Credentials{
		AccessKeyID:     "ASIAROTATION" + string(rune('A'+n)),
		SecretAccessKey: "secret-" + string(rune('A'+n)),
		SessionToken:    "token-" + string(rune('A'+n)),
		CanExpire:       true,
		Expires:         time.Now().Add(p.ttl),
	}
	p.v.mu.Lock()
	p.v.secrets[c.AccessKeyID] = c
	p.v.mu.Unlock()
	return c, nil
}

func TestTransportSignsAndRotates(t *testing.T) {
	v := &verifier{secrets: map[string]aws.Credentials{}}
	srv := httptest.NewServer(v)
	defer srv.Close()
	p := &rotatingProvider{v: v, ttl: time.Hour}
	client := &http.Client{Transport: mustTransport(t, nil, p)}

	// Concurrent requests share one credential retrieval.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Post(srv.URL+"/items?n="+string(rune('a'+i)), "application/json", strings.NewReader(`{"i":1}`))
			if assert.NoError(t, err) {
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(1), p.calls.Load(), "one refresh for concurrent requests")
	assert.Equal(t, int64(20), v.ok.Load())

	// Expired credentials are refreshed: the cache treats them as stale.
	p2 := &rotatingProvider{v: v, ttl: time.Millisecond}
	client2 := &http.Client{Transport: mustTransport(t, nil, p2, func(o *sigv4temp.TransportOptions) { o.ExpiryWindow = time.Nanosecond })}
	for range 3 {
		time.Sleep(3 * time.Millisecond)
		resp, err := client2.Get(srv.URL + "/x")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}
	assert.GreaterOrEqual(t, p2.calls.Load(), int64(2), "rotated")
	assert.Zero(t, v.bad.Load())
}

// retryOnce sends a request, then sends the same request again: the body
// must be re-read, and the caller's request left untouched.
type retryOnce struct{ base http.RoundTripper }

func (r retryOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = b
	}
	return r.base.RoundTrip(req)
}

func TestTransportRetriesWithBody(t *testing.T) {
	v := &verifier{secrets: map[string]aws.Credentials{}}
	srv := httptest.NewServer(v)
	defer srv.Close()
	p := &rotatingProvider{v: v, ttl: time.Hour}
	signing := mustTransport(t, nil, p)
	client := &http.Client{Transport: retryOnce{signing}}
	req, err := http.NewRequest("PUT", srv.URL+"/doc", strings.NewReader("payload-1"))
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, int64(2), v.ok.Load())
	assert.Equal(t, []string{"payload-1", "payload-1"}, v.bodies)
	assert.Empty(t, req.Header.Get("Authorization"), "the caller's request is not modified")

	// The same *http.Request sent twice by the caller.
	req2, _ := http.NewRequest("POST", srv.URL+"/doc", strings.NewReader("payload-2"))
	for range 2 {
		resp, err := (&http.Client{Transport: signing}).Do(req2)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}
	assert.Zero(t, v.bad.Load())
}

type failingProvider struct{}

func (failingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, errors.New("no credentials in the chain")
}

func TestTransportErrors(t *testing.T) {
	tr, err := sigv4temp.NewTransport(nil, failingProvider{}, "s", "r")
	require.NoError(t, err)
	req, _ := http.NewRequest("GET", "http://127.0.0.1:1/", nil)
	_, err = tr.RoundTrip(req)
	assert.ErrorContains(t, err, "no credentials in the chain")
	assert.ErrorIs(t, err, sigv4temp.ErrCredentials)
	_, err = sigv4temp.NewTransport(nil, nil, "s", "r")
	assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
	expired := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "s"}, nil // no token
	})
	_, err = mustTransport(t, nil, expired).RoundTrip(req)
	assert.ErrorIs(t, err, sigv4temp.ErrMissingToken)
}

func mustTransport(t *testing.T, base http.RoundTripper, p aws.CredentialsProvider, optFns ...func(*sigv4temp.TransportOptions)) *sigv4temp.Transport {
	t.Helper()
	tr, err := sigv4temp.NewTransport(base, p, "execute-api", "eu-west-1", optFns...)
	require.NoError(t, err)
	return tr
}

// fakeClock is a settable clock that counts its readings.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	reads int
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// seqProvider hands out credentials n = 1, 2, ... expiring ttl after the
// clock's time, counting retrievals.
type seqProvider struct {
	clock   *fakeClock
	ttl     time.Duration
	calls   atomic.Int64
	expired bool // the first credentials are already expired
}

func (p *seqProvider) creds(n int64) aws.Credentials {
	p.clock.mu.Lock()
	now := p.clock.t
	p.clock.mu.Unlock()
	exp := now.Add(p.ttl)
	if p.expired && n == 1 {
		exp = now.Add(-time.Second)
	}
	return aws.Credentials{AccessKeyID: fmt.Sprintf("ASIASEQ%d", n), SecretAccessKey: fmt.Sprintf("secret-%d", n),
		SessionToken: fmt.Sprintf("token-%d", n), CanExpire: true, Expires: exp}
}

func (p *seqProvider) Retrieve(context.Context) (aws.Credentials, error) {
	return p.creds(p.calls.Add(1)), nil
}

// recorder is a base RoundTripper that records the requests it gets and
// answers with the next of its canned responses (the last one repeats).
type recorder struct {
	mu      sync.Mutex
	reqs    []*http.Request
	bodies  []string
	answers []func() *http.Response
}

func (rec *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	rec.reqs = append(rec.reqs, r)
	rec.bodies = append(rec.bodies, string(body))
	i := min(len(rec.reqs)-1, len(rec.answers)-1)
	resp := rec.answers[i]()
	resp.Request = r
	return resp, nil
}

func answer(status int, header http.Header, body string) func() *http.Response {
	return func() *http.Response {
		if header == nil {
			header = http.Header{}
		}
		return &http.Response{StatusCode: status, Header: header.Clone(), Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
	}
}

func tokenOf(r *http.Request) string { return r.Header.Get("X-Amz-Security-Token") }

// Issue 12.10: NewTransport returned a bare RoundTripper and took a nil
// provider, failing on every request instead.
func TestNewTransportValidates(t *testing.T) {
	_, err := sigv4temp.NewTransport(nil, nil, "s", "r")
	assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
	_, err = sigv4temp.NewTransport(nil, failingProvider{}, "", "r")
	assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
	_, err = sigv4temp.NewTransport(nil, failingProvider{}, "s", "")
	assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
	_, err = sigv4temp.NewTransport(nil, failingProvider{}, "s", "r", func(o *sigv4temp.TransportOptions) { o.ExpiryWindow = -time.Second })
	assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
	var s sigv4temp.Signer
	tr, err := s.Transport(nil, failingProvider{}, "s", "r")
	require.NoError(t, err)
	assert.Equal(t, "sigv4temp.Transport(s, r)", tr.String())
}

// Issue 12.10: credentials are refreshed DefaultExpiryWindow (1 min) before
// they expire, judged with the one clock reading of the request, which is
// also the signing time.
func TestTransportRefreshWindow(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: t0}
	p := &seqProvider{clock: clock, ttl: 10 * time.Minute}
	rec := &recorder{answers: []func() *http.Response{answer(200, nil, "ok")}}
	tr, err := sigv4temp.NewTransport(rec, p, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) { o.Now = clock.Now })
	require.NoError(t, err)
	get := func(at time.Time) *http.Request {
		t.Helper()
		clock.set(at)
		before := clock.reads
		resp, err := tr.RoundTrip(newReq(t, "GET", "https://x.execute-api.eu-west-1.amazonaws.com/", nil))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 1, clock.reads-before, "one clock reading per request")
		r := rec.reqs[len(rec.reqs)-1]
		assert.Equal(t, at.UTC().Format("20060102T150405Z"), r.Header.Get("X-Amz-Date"), "signed at the reading")
		return r
	}
	assert.Equal(t, "token-1", tokenOf(get(t0)))
	assert.Equal(t, "token-1", tokenOf(get(t0.Add(8*time.Minute+59*time.Second))), "more than a minute left: kept")
	assert.Equal(t, "token-2", tokenOf(get(t0.Add(9*time.Minute))), "a minute left: refreshed")
	assert.Equal(t, int64(2), p.calls.Load())

	// A wider window.
	clock.set(t0)
	p2 := &seqProvider{clock: clock, ttl: 10 * time.Minute}
	tr2, err := sigv4temp.NewTransport(rec, p2, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) {
		o.Now, o.ExpiryWindow = clock.Now, 5*time.Minute
	})
	require.NoError(t, err)
	for _, at := range []time.Duration{0, 4 * time.Minute, 5 * time.Minute} {
		clock.set(t0.Add(at))
		resp, err := tr2.RoundTrip(newReq(t, "GET", "https://x/", nil))
		require.NoError(t, err)
		resp.Body.Close()
	}
	assert.Equal(t, int64(2), p2.calls.Load(), "refreshed at 5 minutes before expiry")
}

// Issue 12.10: signing that finds the credentials expired retrieves anew
// and signs again, once, the body intact.
func TestTransportRetriesErrExpired(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)}
	p := &seqProvider{clock: clock, ttl: time.Hour, expired: true}
	rec := &recorder{answers: []func() *http.Response{answer(200, nil, "ok")}}
	tr, err := sigv4temp.NewTransport(rec, p, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) { o.Now = clock.Now })
	require.NoError(t, err)
	req := newReq(t, "PUT", "https://x/", nil)
	req.Body = io.NopCloser(strings.NewReader("no GetBody")) // unread when signing fails on credentials
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, int64(2), p.calls.Load())
	require.Len(t, rec.reqs, 1)
	assert.Equal(t, "token-2", tokenOf(rec.reqs[0]))
	assert.Equal(t, []string{"no GetBody"}, rec.bodies)

	// Credentials that are expired every time: one retry, then ErrExpired.
	always := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDX", SecretAccessKey: "s", CanExpire: true, Expires: clock.t.Add(-time.Minute)}, nil
	})
	var calls atomic.Int64
	counting := aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		calls.Add(1)
		return always(ctx)
	})
	tr, err = sigv4temp.NewTransport(rec, counting, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) { o.Now = clock.Now })
	require.NoError(t, err)
	_, err = tr.RoundTrip(newReq(t, "GET", "https://x/", nil))
	assert.ErrorIs(t, err, sigv4temp.ErrExpired)
	assert.Equal(t, int64(2), calls.Load())
}

// Issue 12.10: a 403 that says the token or the request expired is retried
// once with credentials retrieved anew, when the body can be sent again.
func TestTransportRetriesExpiredAnswers(t *testing.T) {
	xmlErr := func(code string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>The provided token has expired.</Message></Error>`
	}
	expiredAnswers := map[string]func() *http.Response{
		"S3 XML ExpiredToken":        answer(403, nil, xmlErr("ExpiredToken")),
		"query XML RequestExpired":   answer(403, nil, `<ErrorResponse><Error><Type>Sender</Type><Code>RequestExpired</Code></Error><RequestId>1</RequestId></ErrorResponse>`),
		"JSON __type with namespace": answer(403, nil, `{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"}`),
		"JSON code":                  answer(403, nil, `{"code":"ExpiredTokenException","message":"expired"}`),
		"X-Amzn-ErrorType header":    answer(403, http.Header{"X-Amzn-Errortype": {"ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/"}}, `{}`),
	}
	bodies := map[string]func() *http.Request{
		"no body": func() *http.Request { return newReq(t, "GET", "https://x/", nil) },
		"GetBody": func() *http.Request { return newReq(t, "PUT", "https://x/", []byte("payload")) },
		"buffered": func() *http.Request {
			r := newReq(t, "PUT", "https://x/", nil)
			r.Body = io.NopCloser(strings.NewReader("payload"))
			return r
		},
	}
	for name, first := range expiredAnswers {
		for bname, mk := range bodies {
			clock := &fakeClock{t: time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)}
			p := &seqProvider{clock: clock, ttl: time.Hour}
			rec := &recorder{answers: []func() *http.Response{first, answer(200, nil, "fine")}}
			tr, err := sigv4temp.NewTransport(rec, p, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) { o.Now = clock.Now })
			require.NoError(t, err)
			req := mk()
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err, "%s, %s", name, bname)
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, "fine", string(got), "%s, %s", name, bname)
			require.Len(t, rec.reqs, 2, "%s, %s", name, bname)
			assert.Equal(t, "token-1", tokenOf(rec.reqs[0]))
			assert.Equal(t, "token-2", tokenOf(rec.reqs[1]), "%s, %s: credentials retrieved anew", name, bname)
			assert.Equal(t, rec.bodies[0], rec.bodies[1], "%s, %s: the body is sent again", name, bname)
			assert.Empty(t, req.Header.Get("Authorization"), "the caller's request is not modified")
		}
	}
}

// Not retried: another 403, a body that cannot be replayed, and a second
// expired answer (once only). The caller reads the whole 403 body.
func TestTransportDoesNotRetry(t *testing.T) {
	long := strings.Repeat("x", 70<<10) // beyond what is read to find the code
	expired := answer(403, nil, `<Error><Code>ExpiredToken</Code></Error>`)
	tests := []struct {
		name    string
		answers []func() *http.Response
		req     func() *http.Request
		opt     func(*sigv4temp.TransportOptions)
		sent    int
		body    string
	}{
		{"AccessDenied", []func() *http.Response{answer(403, nil, `<Error><Code>AccessDenied</Code></Error>`)},
			func() *http.Request { return newReq(t, "GET", "https://x/", nil) }, nil, 1, `<Error><Code>AccessDenied</Code></Error>`},
		{"long 403 body", []func() *http.Response{answer(403, nil, "<Error><Message>"+long+"</Message><Code>ExpiredToken</Code></Error>")},
			func() *http.Request { return newReq(t, "GET", "https://x/", nil) }, nil, 1, "<Error><Message>" + long + "</Message><Code>ExpiredToken</Code></Error>"},
		{"JSON AccessDenied", []func() *http.Response{answer(403, nil, `{"__type":"AccessDeniedException"}`)},
			func() *http.Request { return newReq(t, "GET", "https://x/", nil) }, nil, 1, `{"__type":"AccessDeniedException"}`},
		{"500", []func() *http.Response{answer(500, nil, `<Error><Code>ExpiredToken</Code></Error>`)},
			func() *http.Request { return newReq(t, "GET", "https://x/", nil) }, nil, 1, `<Error><Code>ExpiredToken</Code></Error>`},
		{"streamed body", []func() *http.Response{expired},
			func() *http.Request {
				r := newReq(t, "PUT", "https://x/", nil)
				r.Body = io.NopCloser(strings.NewReader("stream"))
				return r
			}, func(o *sigv4temp.TransportOptions) { o.PayloadHash = sigv4temp.UnsignedPayload }, 1, `<Error><Code>ExpiredToken</Code></Error>`},
		{"expired twice", []func() *http.Response{expired},
			func() *http.Request { return newReq(t, "GET", "https://x/", nil) }, nil, 2, `<Error><Code>ExpiredToken</Code></Error>`},
	}
	for _, tc := range tests {
		clock := &fakeClock{t: time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)}
		p := &seqProvider{clock: clock, ttl: time.Hour}
		rec := &recorder{answers: tc.answers}
		tr, err := sigv4temp.NewTransport(rec, p, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) {
			o.Now = clock.Now
			if tc.opt != nil {
				tc.opt(o)
			}
		})
		require.NoError(t, err)
		resp, err := tr.RoundTrip(tc.req())
		require.NoError(t, err, tc.name)
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err, tc.name)
		resp.Body.Close()
		assert.Equal(t, tc.body, string(got), "%s: the answer's body is whole", tc.name)
		assert.Len(t, rec.reqs, tc.sent, tc.name)
	}
}

// A provider that is an *aws.CredentialsCache is invalidated too, so the
// retry does not get the expired credentials back from it.
func TestTransportInvalidatesCredentialsCache(t *testing.T) {
	var calls atomic.Int64
	inner := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		n := calls.Add(1)
		return aws.Credentials{AccessKeyID: fmt.Sprintf("AKIDCACHE%d", n), SecretAccessKey: "s"}, nil
	})
	rec := &recorder{answers: []func() *http.Response{answer(403, nil, `<Error><Code>ExpiredToken</Code></Error>`), answer(200, nil, "")}}
	tr, err := sigv4temp.NewTransport(rec, aws.NewCredentialsCache(inner), "execute-api", "eu-west-1")
	require.NoError(t, err)
	resp, err := tr.RoundTrip(newReq(t, "GET", "https://x/", nil))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int64(2), calls.Load())
	require.Len(t, rec.reqs, 2)
	assert.Contains(t, rec.reqs[1].Header.Get("Authorization"), "AKIDCACHE2/")
}

// Concurrent requests at the edge of expiry share one refresh, and each
// signs with credentials fresh at its own reading (-race).
func TestTransportConcurrentRefresh(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: t0}
	p := &seqProvider{clock: clock, ttl: 10 * time.Minute}
	rec := &recorder{answers: []func() *http.Response{answer(200, nil, "")}}
	tr, err := sigv4temp.NewTransport(rec, p, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) { o.Now = clock.Now })
	require.NoError(t, err)
	resp, err := tr.RoundTrip(newReq(t, "GET", "https://x/", nil))
	require.NoError(t, err)
	resp.Body.Close()
	clock.set(t0.Add(9*time.Minute + 30*time.Second))
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := tr.RoundTrip(newReq(t, "GET", "https://x/", nil))
			if assert.NoError(t, err) {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(2), p.calls.Load(), "one refresh for all")
	for _, r := range rec.reqs[1:] {
		assert.Equal(t, "token-2", tokenOf(r))
	}
}

// A request whose context ends while another refreshes gets its context's
// error, as ErrCredentials.
func TestTransportContextWhileRefreshing(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	slow := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		close(started)
		<-release
		return aws.Credentials{AccessKeyID: "AKIDSLOW", SecretAccessKey: "s"}, nil
	})
	rec := &recorder{answers: []func() *http.Response{answer(200, nil, "")}}
	tr, err := sigv4temp.NewTransport(rec, slow, "execute-api", "eu-west-1")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := tr.RoundTrip(newReq(t, "GET", "https://x/", nil))
		if assert.NoError(t, err) {
			resp.Body.Close()
		}
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := newReq(t, "GET", "https://x/", nil).WithContext(ctx)
	_, err = tr.RoundTrip(r)
	assert.ErrorIs(t, err, sigv4temp.ErrCredentials)
	assert.ErrorIs(t, err, context.Canceled)
	close(release)
	<-done
}
