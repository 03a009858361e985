package sigv4temp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The public AWS SigV4 test suite, as kept in awslabs/aws-c-auth, read from
// the shared folder beside the project (see its README).
const vectorsDir = "../../shared/testdata/sigv4/aws-c-auth"

type vectorContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	Expiration       int64     `json:"expiration_in_seconds"`
	Region           string    `json:"region"`
	Service          string    `json:"service"`
	SignBody         bool      `json:"sign_body"`
	OmitSessionToken bool      `json:"omit_session_token"`
	Timestamp        time.Time `json:"timestamp"`
}

// captureLogger records what the SDK signer logs: the canonical request and
// the string to sign.
type captureLogger struct {
	mu  sync.Mutex
	msg string
}

func (l *captureLogger) Logf(_ logging.Classification, format string, v ...interface{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msg = fmt.Sprintf(format, v...)
}

func (l *captureLogger) parts(t *testing.T) (canonical, stringToSign string) {
	t.Helper()
	const c, s, end = "---[ CANONICAL STRING  ]-----------------------------\n", "\n---[ STRING TO SIGN ]--------------------------------\n", "\n-----------------------------------------------------"
	i, j := strings.Index(l.msg, c), strings.Index(l.msg, s)
	require.True(t, i >= 0 && j > i, "unexpected log: %q", l.msg)
	canonical = l.msg[i+len(c) : j]
	rest := l.msg[j+len(s):]
	if k := strings.Index(rest, "\n---[ SIGNED URL ]"); k >= 0 {
		rest = rest[:k]
	}
	stringToSign = strings.TrimSuffix(rest, end)
	return canonical, stringToSign
}

// parseRequest reads request.txt: a request line, headers (in order, values
// as written after the colon, trimmed of leading space), a blank line, a body.
func parseRequest(t *testing.T, raw []byte) *http.Request {
	t.Helper()
	sc := bufio.NewReader(bytes.NewReader(raw))
	line, err := sc.ReadString('\n')
	require.NoError(t, err)
	parts := strings.SplitN(strings.TrimRight(line, "\r\n"), " ", 3)
	require.Len(t, parts, 3)
	header := http.Header{}
	var host string
	for {
		l, err := sc.ReadString('\n')
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			break
		}
		k, v, ok := strings.Cut(l, ":")
		require.True(t, ok, "header line %q", l)
		v = strings.TrimLeft(v, " ")
		if strings.EqualFold(k, "host") {
			host = v
			continue
		}
		header.Add(k, v)
		if err != nil {
			break
		}
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(sc)
	u, err := url.Parse("https://" + host + parts[1])
	require.NoError(t, err)
	var r *http.Request
	if body.Len() > 0 {
		r, err = http.NewRequest(parts[0], u.String(), bytes.NewReader(body.Bytes()))
	} else {
		r, err = http.NewRequest(parts[0], u.String(), nil)
	}
	require.NoError(t, err)
	r.Host = host
	for k, vs := range header {
		if k == "Content-Length" {
			continue // http.NewRequest set ContentLength from the body
		}
		r.Header[k] = vs
	}
	return r
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

func TestSigV4TestSuite(t *testing.T) {
	dirs, err := os.ReadDir(vectorsDir)
	if err != nil {
		t.Skipf("SigV4 test suite not found at %s: %v", vectorsDir, err)
	}
	logger := &captureLogger{}
	debugLogger = logger
	defer func() { debugLogger = nil }()
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(vectorsDir, d.Name())
		n++
		t.Run(d.Name(), func(t *testing.T) {
			var vc vectorContext
			require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "context.json")), &vc))
			creds := aws.Credentials{AccessKeyID: vc.Credentials.AccessKeyID, SecretAccessKey: vc.Credentials.SecretAccessKey, SessionToken: vc.Credentials.Token}
			raw := []byte(readFile(t, dir, "request.txt"))
			opts := func(o *Options) {
				o.DisableURIPathEscaping = true // the suite encodes paths once (get-utf8)
				o.TokenAfterSigning = vc.OmitSessionToken
			}

			// Header variant.
			r := parseRequest(t, raw)
			require.NoError(t, Sign(context.Background(), r, creds, vc.Service, vc.Region, vc.Timestamp, opts, func(o *Options) {
				o.ContentSHA256Header = vc.SignBody
			}))
			canonical, sts := logger.parts(t)
			assert.Equal(t, readFile(t, dir, "header-canonical-request.txt"), canonical, "header canonical request")
			assert.Equal(t, readFile(t, dir, "header-string-to-sign.txt"), sts, "header string to sign")
			sig := strings.TrimSpace(readFile(t, dir, "header-signature.txt"))
			assert.True(t, strings.HasSuffix(r.Header.Get("Authorization"), "Signature="+sig), "Authorization %q, want signature %s", r.Header.Get("Authorization"), sig)
			assert.Equal(t, creds.SessionToken, r.Header.Get("X-Amz-Security-Token"))

			// Signing twice is the same as signing once.
			first := r.Header.Clone()
			require.NoError(t, Sign(context.Background(), r, creds, vc.Service, vc.Region, vc.Timestamp, opts, func(o *Options) {
				o.ContentSHA256Header = vc.SignBody
			}))
			assert.Equal(t, first, r.Header, "re-signing changed the headers")

			// Query (presigned) variant.
			r = parseRequest(t, raw)
			before := r.URL.String()
			signedURL, _, err := Presign(context.Background(), r, creds, vc.Service, vc.Region, vc.Timestamp, time.Duration(vc.Expiration)*time.Second, opts)
			require.NoError(t, err)
			assert.Equal(t, before, r.URL.String(), "Presign must not modify the request")
			canonical, sts = logger.parts(t)
			assert.Equal(t, readFile(t, dir, "query-canonical-request.txt"), canonical, "query canonical request")
			assert.Equal(t, readFile(t, dir, "query-string-to-sign.txt"), sts, "query string to sign")
			u, err := url.Parse(signedURL)
			require.NoError(t, err)
			assert.Equal(t, strings.TrimSpace(readFile(t, dir, "query-signature.txt")), u.Query().Get("X-Amz-Signature"))
			assert.Equal(t, fmt.Sprint(vc.Expiration), u.Query().Get("X-Amz-Expires"))
		})
	}
	require.Greater(t, n, 10, "expected the suite's cases in %s", vectorsDir)
}
