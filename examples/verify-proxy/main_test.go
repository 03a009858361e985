package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/sigv4temp"
)

var (
	now   = time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	creds = aws.Credentials{AccessKeyID: "ASIAPROXYEXAMPLE", SecretAccessKey: "proxy-secret", SessionToken: "proxy-token",
		CanExpire: true, Expires: now.Add(time.Hour)}
)

// setup starts an upstream that records what it receives, and the proxy.
func setup(t *testing.T) (proxyURL string, received func() (string, []byte, bool), reset func()) {
	t.Helper()
	var mu sync.Mutex
	var lastKey string
	var lastBody []byte
	var complete bool
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		mu.Lock()
		lastKey, lastBody, complete = r.Header.Get("X-Verified-Access-Key"), b, err == nil
		mu.Unlock()
		if err != nil {
			return
		}
		w.Write([]byte("upstream got " + r.Method + " " + r.URL.Path))
	}))
	t.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	h, err := newProxy(u, map[string]aws.Credentials{creds.AccessKeyID: creds}, func() time.Time { return now })
	require.NoError(t, err)
	px := httptest.NewServer(h)
	t.Cleanup(px.Close)
	return px.URL, func() (string, []byte, bool) {
			mu.Lock()
			defer mu.Unlock()
			return lastKey, lastBody, complete
		}, func() {
			mu.Lock()
			defer mu.Unlock()
			lastKey, lastBody, complete = "", nil, false
		}
}

func do(t *testing.T, r *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestProxy(t *testing.T) {
	ctx := context.Background()
	base, received, _ := setup(t)

	// Header-signed PUT with a body.
	r, _ := http.NewRequest("PUT", base+"/orders/1", strings.NewReader(`{"total":42}`))
	require.NoError(t, sigv4temp.Sign(ctx, r, creds, "execute-api", "eu-west-1", now))
	code, body := do(t, r)
	assert.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "upstream got PUT /orders/1", body)
	key, got, _ := received()
	assert.Equal(t, creds.AccessKeyID, key)
	assert.Equal(t, `{"total":42}`, string(got))

	// Presigned GET.
	g, _ := http.NewRequest("GET", base+"/reports/today.csv", nil)
	signed, _, err := sigv4temp.Presign(ctx, g, creds, "execute-api", "eu-west-1", now, 5*time.Minute)
	require.NoError(t, err)
	pg, _ := http.NewRequest("GET", signed, nil)
	code, body = do(t, pg)
	assert.Equal(t, http.StatusOK, code, body)

	// Unsigned, tampered, unknown key, expired.
	u, _ := http.NewRequest("GET", base+"/orders/1", nil)
	code, _ = do(t, u)
	assert.Equal(t, http.StatusUnauthorized, code)
	tampered, _ := http.NewRequest("GET", strings.Replace(signed, "today", "other", 1), nil)
	code, body = do(t, tampered)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Contains(t, body, "signature does not match")
	stranger := creds
	stranger.AccessKeyID = "ASIASTRANGER"
	s, _ := http.NewRequest("GET", base+"/orders/1", nil)
	require.NoError(t, sigv4temp.Sign(ctx, s, stranger, "execute-api", "eu-west-1", now))
	code, body = do(t, s)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Contains(t, body, "unknown access key")
	old, _ := http.NewRequest("GET", base+"/orders/1", nil)
	require.NoError(t, sigv4temp.Sign(ctx, old, creds, "execute-api", "eu-west-1", now.Add(-time.Hour)))
	code, _ = do(t, old)
	assert.Equal(t, http.StatusForbidden, code)
	assert.NotContains(t, body, creds.SecretAccessKey)
}

func TestProxyStreamingUpload(t *testing.T) {
	ctx := context.Background()
	base, received, reset := setup(t)
	data := bytes.Repeat([]byte("chunk of an upload "), 20_000) // 380 kB: 6 chunks
	r, _ := http.NewRequest("PUT", base+"/bucket/big.bin", bytes.NewReader(data))
	require.NoError(t, sigv4temp.SignStreaming(ctx, r, creds, "s3", "eu-west-1", now, func(o *sigv4temp.StreamingOptions) {
		o.Trailer = sigv4temp.ChecksumCRC32C
	}))
	code, body := do(t, r)
	require.Equal(t, http.StatusOK, code, body)
	_, got, complete := received()
	assert.True(t, complete)
	assert.True(t, bytes.Equal(data, got), "upstream receives the decoded body")

	// A damaged chunk: the upstream never sees the whole body.
	reset()
	r, _ = http.NewRequest("PUT", base+"/bucket/big.bin", bytes.NewReader(data))
	require.NoError(t, sigv4temp.SignStreaming(ctx, r, creds, "s3", "eu-west-1", now))
	enc, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	enc[len(enc)/2] ^= 1
	r.Body, r.GetBody = io.NopCloser(bytes.NewReader(enc)), nil
	code, _ = do(t, r)
	assert.NotEqual(t, http.StatusOK, code)
	time.Sleep(100 * time.Millisecond) // let the upstream handler finish, if it ran
	_, got, complete = received()
	assert.False(t, complete && bytes.Equal(data, got), "a damaged upload reached the upstream whole")
}

func TestParseTable(t *testing.T) {
	table, err := parseTable([]byte(`[{"access_key_id":"AKID","secret_access_key":"s"},
		{"access_key_id":"ASIA1","secret_access_key":"s2","session_token":"t","expires":"2026-11-25T21:00:00Z"}]`))
	require.NoError(t, err)
	assert.False(t, table["AKID"].CanExpire)
	assert.True(t, table["ASIA1"].CanExpire)
	assert.Equal(t, "t", table["ASIA1"].SessionToken)
	_, err = parseTable([]byte(`[{"access_key_id":"AKID"}]`))
	assert.Error(t, err)
	_, err = parseTable([]byte(`{`))
	assert.Error(t, err)
}
