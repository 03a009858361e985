package sigv4temp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An http.Client following a redirect asks the Transport to sign the new
// request: a redirect to another host must not receive the session token
// and a signature; a redirect on the same host is signed as before.
func TestAttackTransportRedirect(t *testing.T) {
	var evilHits, tokens atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		if r.Header.Get("X-Amz-Security-Token") != "" || r.Header.Get("Authorization") != "" {
			tokens.Add(1)
		}
	}))
	defer evil.Close()
	// Another host name for the same server: localhost instead of 127.0.0.1.
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
	var signedAfterRedirect atomic.Bool
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, evilURL+"/x", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/there", http.StatusFound)
		case "/there":
			signedAfterRedirect.Store(r.Header.Get("X-Amz-Security-Token") == "the-token" && r.Header.Get("Authorization") != "")
		}
	}))
	defer good.Close()
	p := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "secret", SessionToken: "the-token"}, nil
	})
	tr, err := NewTransport(nil, p, "execute-api", "us-east-1")
	require.NoError(t, err)
	c := &http.Client{Transport: tr}

	_, err = c.Get(good.URL + "/away")
	require.ErrorIs(t, err, ErrInvalid)
	assert.Zero(t, tokens.Load(), "the other host received the session token or a signature")
	assert.Zero(t, evilHits.Load())

	resp, err := c.Get(good.URL + "/here")
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, signedAfterRedirect.Load(), "a redirect on the same host is signed")
}

// A redirect from https to http on the same host is not signed either; the
// base RoundTripper is never called.
func TestAttackTransportRedirectDowngrade(t *testing.T) {
	p := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "secret", SessionToken: "the-token"}, nil
	})
	var called atomic.Bool
	base := attackRT(func(*http.Request) (*http.Response, error) { called.Store(true); return nil, nil })
	tr, err := NewTransport(base, p, "execute-api", "us-east-1")
	require.NoError(t, err)
	prev, err := http.NewRequest("GET", "https://example.com/a", nil)
	require.NoError(t, err)
	req, err := http.NewRequest("GET", "http://example.com/b", nil)
	require.NoError(t, err)
	req.Response = &http.Response{Request: prev}
	_, err = tr.RoundTrip(req)
	require.ErrorIs(t, err, ErrInvalid)
	assert.False(t, called.Load())
}

type attackRT func(*http.Request) (*http.Response, error)

func (f attackRT) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
