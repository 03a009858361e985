package interop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/awskit/awskit/backoff"
	"github.com/awskit/awskit/sigv4temp"
)

// verifySigV4 checks a request's SigV4 Authorization header by signing the
// same request again with the SDK's signer (an independent implementation)
// at the request's own X-Amz-Date, over the headers it says it signed.
func verifySigV4(r *http.Request, body []byte, creds aws.Credentials, service, region string) error {
	auth := r.Header.Get("Authorization")
	i := strings.Index(auth, "SignedHeaders=")
	if i < 0 {
		return fmt.Errorf("no SignedHeaders in %q", auth)
	}
	signed := strings.Split(strings.SplitN(auth[i+len("SignedHeaders="):], ",", 2)[0], ";")
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date: %w", err)
	}
	req, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	if err != nil {
		return err
	}
	for _, h := range signed {
		switch h {
		case "host", "content-length":
		default:
			req.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	req.ContentLength = int64(len(body))
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, date); err != nil {
		return err
	}
	if got := req.Header.Get("Authorization"); got != auth {
		return fmt.Errorf("signature mismatch:\n got  %s\n want %s", auth, got)
	}
	return nil
}

// TestBackoffTransportOverSigV4 composes backoff.NewTransport over
// sigv4temp's transport: a server that verifies every signature throttles
// the first attempt of a POST (429 with x-amz-retry-after); the retry is
// signed afresh (a later X-Amz-Date, a valid signature, the same body) and
// succeeds, and the Adaptive limiter saw the throttle.
//
// Written against sigv4temp.NewTransport returning an http.RoundTripper; the
// lead adapts it at merge if NewTransport returns (*Transport, error).
func TestBackoffTransportOverSigV4(t *testing.T) {
	creds := aws.Credentials{
		AccessKeyID: "ASIAEXAMPLEEXAMPLE01", SecretAccessKey: "secret/EXAMPLE/KEY/000000000000000000000",
		SessionToken: "session-token-example", CanExpire: true, Expires: time.Now().Add(time.Hour),
	}
	const service, region = "execute-api", "eu-west-1"
	var mu sync.Mutex
	var dates []string
	var failures []error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := verifySigV4(r, body, creds, service, region); err != nil {
			failures = append(failures, err)
			w.WriteHeader(http.StatusForbidden)
			return
		}
		if string(body) != `{"item":1}` {
			failures = append(failures, fmt.Errorf("body %q", body))
		}
		dates = append(dates, r.Header.Get("X-Amz-Date"))
		if len(dates) == 1 {
			w.Header().Set("X-Amz-Retry-After", "1100")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()

	signing, err := sigv4temp.NewTransport(nil, aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return creds, nil
	}), service, region)
	if err != nil {
		t.Fatal(err)
	}
	limiter := backoff.NewAdaptive()
	rt, err := backoff.NewTransport(signing, backoff.Policy{
		ThrottleBackoff: backoff.Exponential{Base: time.Millisecond}, // the retry-after hint sets the wait
		Limiter:         limiter,
	})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: rt}
	resp, err := client.Post(srv.URL+"/prod/items", "application/json", bytes.NewReader([]byte(`{"item":1}`)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	mu.Lock()
	defer mu.Unlock()
	for _, f := range failures {
		t.Error(f)
	}
	if resp.StatusCode != http.StatusOK || string(got) != "ok" {
		t.Fatalf("answer %d %q, want 200 ok", resp.StatusCode, got)
	}
	if len(dates) != 2 || dates[0] >= dates[1] {
		t.Fatalf("X-Amz-Date of the attempts %v: want two, the retry signed later", dates)
	}
	if r := limiter.Rate(); math.IsInf(r, 1) {
		t.Errorf("limiter rate %v: the throttle did not enable it", r)
	}
}
