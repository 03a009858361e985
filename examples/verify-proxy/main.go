// Command verify-proxy is a tiny reverse proxy that accepts only requests
// signed with AWS Signature Version 4 by a key in a static credential table
// (long-term or temporary keys with their session token), and forwards them
// to an upstream server. Presigned URLs and aws-chunked uploads are verified
// too; the upstream receives the decoded body, released chunk by chunk only
// once each chunk's signature is checked.
//
//	go run ./examples/verify-proxy -listen :8080 -upstream http://127.0.0.1:9000 -credentials creds.json
//
// creds.json is a JSON list of
// {"access_key_id", "secret_access_key", "session_token", "expires"} objects
// (session_token and expires, RFC 3339, only for temporary keys).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awskit/awskit/sigv4temp"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address to listen on")
	upstream := flag.String("upstream", "", "URL of the server to forward verified requests to")
	credsFile := flag.String("credentials", "", "JSON file of access keys")
	flag.Parse()
	if err := run(*listen, *upstream, *credsFile); err != nil {
		fmt.Fprintln(os.Stderr, "verify-proxy:", err)
		os.Exit(1)
	}
}

func run(listen, upstream, credsFile string) error {
	u, err := url.Parse(upstream)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("-upstream %q is not an absolute URL", upstream)
	}
	data, err := os.ReadFile(credsFile)
	if err != nil {
		return err
	}
	table, err := parseTable(data)
	if err != nil {
		return err
	}
	h, err := newProxy(u, table, time.Now)
	if err != nil {
		return err
	}
	log.Printf("verify-proxy: %d keys, forwarding to %s, listening on %s", len(table), u, listen)
	srv := &http.Server{Addr: listen, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// parseTable reads the credential table.
func parseTable(data []byte) (map[string]aws.Credentials, error) {
	var entries []struct {
		AccessKeyID     string    `json:"access_key_id"`
		SecretAccessKey string    `json:"secret_access_key"`
		SessionToken    string    `json:"session_token"`
		Expires         time.Time `json:"expires"`
	}
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	table := make(map[string]aws.Credentials, len(entries))
	for _, e := range entries {
		if e.AccessKeyID == "" || e.SecretAccessKey == "" {
			return nil, errors.New("credentials: an entry without access_key_id or secret_access_key")
		}
		table[e.AccessKeyID] = aws.Credentials{AccessKeyID: e.AccessKeyID, SecretAccessKey: e.SecretAccessKey,
			SessionToken: e.SessionToken, CanExpire: !e.Expires.IsZero(), Expires: e.Expires}
	}
	return table, nil
}

// newProxy returns the verifying reverse proxy. The table is read, never
// changed, so the handler is safe for concurrent use.
func newProxy(upstream *url.URL, table map[string]aws.Credentials, now func() time.Time) (http.Handler, error) {
	v, err := sigv4temp.NewVerifier(func(_ context.Context, id string) (aws.Credentials, error) {
		if c, ok := table[id]; ok {
			return c, nil
		}
		return aws.Credentials{}, sigv4temp.ErrUnknownKey
	}, func(o *sigv4temp.VerifierOptions) {
		o.AllowUnsignedPayload = true // S3 presigned PUTs and the SDK's uploads over HTTPS
	})
	if err != nil {
		return nil, err
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(upstream)
			pr.Out.Host = pr.In.Host
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vr, err := v.Verify(r.Context(), r, now())
		if err != nil {
			status := http.StatusForbidden
			switch {
			case errors.Is(err, sigv4temp.ErrMissingAuth):
				status = http.StatusUnauthorized
			case errors.Is(err, sigv4temp.ErrMalformedAuth), errors.Is(err, sigv4temp.ErrTooLarge):
				status = http.StatusBadRequest
			case !errors.As(err, new(*sigv4temp.VerifyError)):
				status = http.StatusInternalServerError
			}
			http.Error(w, err.Error(), status) // never holds a secret, token or expected signature
			return
		}
		// Forward the verified, decoded body; a chunk that fails its
		// signature aborts the upstream request before its bytes are sent.
		r.Body = readCloser{vr.Body, r.Body}
		if strings.HasPrefix(vr.PayloadHash, "STREAMING-") {
			r.Header.Del("Content-Encoding")
			r.ContentLength = -1
			if n, err := strconv.ParseInt(r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64); err == nil {
				r.ContentLength = n
			}
			r.Header.Del("Content-Length")
			r.Header.Del("X-Amz-Decoded-Content-Length")
			r.Header.Del("X-Amz-Trailer")
		}
		r.Header.Set("X-Verified-Access-Key", vr.AccessKeyID)
		proxy.ServeHTTP(w, r)
	}), nil
}

type readCloser struct {
	r interface{ Read([]byte) (int, error) }
	c interface{ Close() error }
}

func (rc readCloser) Read(b []byte) (int, error) { return rc.r.Read(b) }
func (rc readCloser) Close() error               { return rc.c.Close() }
