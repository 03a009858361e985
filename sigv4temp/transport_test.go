package sigv4temp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
