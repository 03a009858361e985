package sigv4temp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// botocorePython is Debian's python3 with python3-botocore, which make test
// installs; BOTOCORE_PYTHON names another (a newer botocore, for example).
var botocorePython = func() string {
	if p := os.Getenv("BOTOCORE_PYTHON"); p != "" {
		return p
	}
	return "/usr/bin/python3"
}()

type botoCase struct {
	Mode      string     `json:"mode"` // "header" or "query"
	S3        bool       `json:"s3"`
	Express   bool       `json:"express"` // S3 Express One Zone (S3ExpressAuth, S3ExpressQueryAuth)
	Method    string     `json:"method"`
	URL       string     `json:"url"`
	Headers   [][]string `json:"headers"`
	Body      string     `json:"body"` // base64
	Service   string     `json:"service"`
	Region    string     `json:"region"`
	AKID      string     `json:"akid"`
	Secret    string     `json:"secret"`
	Token     string     `json:"token"`
	Timestamp string     `json:"timestamp"`
	Expires   int64      `json:"expires"`
}

type botoResult struct {
	Authorization string `json:"authorization"`
	URL           string `json:"url"`
}

func requireBotocore(t *testing.T) {
	t.Helper()
	err := exec.Command(botocorePython, "-c", "import botocore.auth").Run()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("botocore is required in CI (make test installs python3-botocore): %v", err)
	}
	t.Skipf("botocore not importable by %s (apt-get install python3-botocore): %v", botocorePython, err)
}

// sigv4Escape encodes as SigV4 canonical form does: unreserved bytes as is,
// every other byte as %XX with uppercase hex.
func sigv4Escape(s string) string { return queryEscape(s) }

var (
	pathSegments = []string{"photos", "a b", "ünïcödé", "x+y", "100%", "~tilde", "a=b", "日本", "key.json", "(x)", "a*b", "semi;colon", ".", "..", ""}
	queryKeys    = []string{"a", "b", "Param", "ü", "k k", "empty", "X-Custom", "list-type", "prefix"}
	queryValues  = []string{"", "1", "v a", "ä/ö", "+plus", "=", "x~y", "🙂"}
	headerNames  = []string{"X-Custom", "My-Header", "Content-Type", "X-Amz-Meta-Owner"}
	headerValues = []string{"v1", "a b", "text/plain; charset=utf-8", "ünï", "\"quoted\""}
	tokenChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+="
)

func randomCase(r *rand.Rand, mode string) (botoCase, *http.Request, aws.Credentials, time.Time, Options) {
	c := botoCase{Mode: mode, S3: r.IntN(2) == 0}
	c.Service = []string{"dynamodb", "execute-api", "sqs"}[r.IntN(3)]
	if c.S3 {
		c.Service = "s3"
	}
	c.Region = []string{"us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1"}[r.IntN(4)]
	methods := []string{"GET", "PUT", "POST", "DELETE", "HEAD"}
	c.Method = methods[r.IntN(len(methods))]
	if mode == "query" {
		c.Method = []string{"GET", "PUT", "DELETE"}[r.IntN(3)]
	}
	var path strings.Builder
	for range 1 + r.IntN(4) {
		path.WriteString("/" + pathSegments[r.IntN(len(pathSegments))])
	}
	// The escaped path as Go sends it; both signers start from it.
	u := &url.URL{Scheme: "https", Host: "example.amazonaws.com", Path: path.String()}
	var q []string
	used := map[string]bool{}
	for range r.IntN(4) {
		k := queryKeys[r.IntN(len(queryKeys))]
		if mode == "query" && used[k] {
			continue // botocore's presigner keeps one value per key
		}
		used[k] = true
		q = append(q, sigv4Escape(k)+"="+sigv4Escape(queryValues[r.IntN(len(queryValues))]))
	}
	u.RawQuery = strings.Join(q, "&")
	c.URL = u.String()

	var body []byte
	if mode == "header" && (c.Method == "PUT" || c.Method == "POST") && r.IntN(3) > 0 {
		body = make([]byte, r.IntN(200))
		for i := range body {
			body[i] = byte(r.IntN(256))
		}
	}
	var req *http.Request
	var err error
	if len(body) > 0 {
		req, err = http.NewRequest(c.Method, c.URL, bytes.NewReader(body))
		c.Body = base64.StdEncoding.EncodeToString(body)
	} else {
		req, err = http.NewRequest(c.Method, c.URL, nil)
	}
	if err != nil {
		panic(err)
	}
	for range r.IntN(3) {
		name := headerNames[r.IntN(len(headerNames))]
		if mode == "query" && strings.HasPrefix(name, "X-Amz-") {
			continue // the SDK's presigner moves X-Amz-* headers into the query; botocore does not
		}
		v := headerValues[r.IntN(len(headerValues))]
		req.Header.Add(name, v)
		c.Headers = append(c.Headers, []string{name, v})
	}
	if len(body) > 0 {
		c.Headers = append(c.Headers, []string{"Content-Length", fmt.Sprint(len(body))})
	}

	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	if r.IntN(4) > 0 {
		n := 1 + r.IntN(4096)
		tok := make([]byte, n)
		for i := range tok {
			tok[i] = tokenChars[r.IntN(len(tokenChars))]
		}
		creds.AccessKeyID = "ASIAEXAMPLE" + fmt.Sprint(r.IntN(1000))
		creds.SessionToken = string(tok)
	}
	c.AKID, c.Secret, c.Token = creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken
	now := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(15 * 365 * 24 * time.Hour)))).Truncate(time.Second)
	c.Timestamp = now.Format("20060102T150405Z")
	c.Expires = 1 + r.Int64N(604800)
	// Zero Options: S3 and the other services get their defaults, which
	// must be what botocore's S3 and plain signers do.
	return c, req, creds, now, Options{}
}

func TestAgainstBotocore(t *testing.T) {
	requireBotocore(t)
	r := rand.New(rand.NewPCG(2015, 8))
	const n = 400
	var cases []botoCase
	var signed []string
	for i := range n {
		mode := "header"
		if i%2 == 1 {
			mode = "query"
		}
		c, req, creds, now, o := randomCase(r, mode)
		opt := func(x *Options) { *x = o }
		if mode == "header" {
			require.NoError(t, Sign(context.Background(), req, creds, c.Service, c.Region, now, opt), "case %d", i)
			signed = append(signed, req.Header.Get("Authorization"))
		} else {
			u, _, err := Presign(context.Background(), req, creds, c.Service, c.Region, now, time.Duration(c.Expires)*time.Second, opt)
			require.NoError(t, err, "case %d", i)
			signed = append(signed, u)
		}
		cases = append(cases, c)
	}
	results := runBotocore(t, cases)
	mismatches := 0
	for i, c := range cases {
		var want, got string
		if c.Mode == "header" {
			want, got = results[i].Authorization, signed[i]
		} else {
			want, got = signatureOf(t, results[i].URL), signatureOf(t, signed[i])
		}
		if !assert.Equal(t, want, got, "case %d (%s, s3=%v, %s %s)", i, c.Mode, c.S3, c.Method, c.URL) {
			if mismatches++; mismatches > 5 {
				t.FailNow()
			}
		}
	}
}

func signatureOf(t *testing.T, signedURL string) string {
	t.Helper()
	u, err := url.Parse(signedURL)
	require.NoError(t, err)
	sig := u.Query().Get("X-Amz-Signature")
	require.Len(t, sig, 64, "no signature in %s", signedURL)
	return sig
}

// runBotocore signs cases with botocore.
func runBotocore(t *testing.T, cases []botoCase) []botoResult {
	t.Helper()
	in, err := json.Marshal(cases)
	require.NoError(t, err)
	cmd := exec.Command(botocorePython, "testdata/botocore_sign.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "botocore: %s", stderr.String())
	var results []botoResult
	require.NoError(t, json.Unmarshal(out, &results))
	require.Len(t, results, len(cases))
	return results
}

// Issue 20.6: the oracle pins botocore's clock for botocore before 1.40
// (auth.datetime) and from 1.40 on (get_current_datetime); an unpinned
// clock signs with today's date.
func TestBotocoreClockPinned(t *testing.T) {
	requireBotocore(t)
	c := botoCase{Mode: "header", Method: "GET", URL: "https://example.amazonaws.com/", Service: "sqs", Region: "us-east-1",
		AKID: "AKIDEXAMPLE", Secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Timestamp: "20150830T123600Z"}
	res := runBotocore(t, []botoCase{c})
	assert.Contains(t, res[0].Authorization, "Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request")
	r, err := http.NewRequest("GET", c.URL, nil)
	require.NoError(t, err)
	require.NoError(t, Sign(context.Background(), r, aws.Credentials{AccessKeyID: c.AKID, SecretAccessKey: c.Secret}, "sqs", "us-east-1",
		time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)))
	assert.Equal(t, res[0].Authorization, r.Header.Get("Authorization"))
}

// Issue 12.13: botocore collapses every whitespace run inside a header value
// into one space; AWS's documentation ("sequential spaces"), aws-c-auth and
// the SDK squash spaces only. Values without inner tabs sign the same in
// both; a tab inside a value is where they part, and this package keeps it
// (see TestSignHeaderTabs).
func TestBotocoreTabs(t *testing.T) {
	requireBotocore(t)
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	values := []string{"a  b", "\t a b \t", "a\tb", "a \t b"}
	var cases []botoCase
	var ours []string
	for _, v := range values {
		c := botoCase{Mode: "header", Method: "GET", URL: "https://example.amazonaws.com/", Service: "sqs", Region: "us-east-1",
			AKID: creds.AccessKeyID, Secret: creds.SecretAccessKey, Timestamp: now.Format("20060102T150405Z"),
			Headers: [][]string{{"X-Custom", v}}}
		cases = append(cases, c)
		r, err := http.NewRequest("GET", c.URL, nil)
		require.NoError(t, err)
		r.Header.Set("X-Custom", v)
		require.NoError(t, Sign(context.Background(), r, creds, "sqs", "us-east-1", now))
		ours = append(ours, r.Header.Get("Authorization"))
	}
	res := runBotocore(t, cases)
	assert.Equal(t, res[0].Authorization, ours[0], "spaces inside: the same")
	assert.Equal(t, res[1].Authorization, ours[1], "tabs at the ends: trimmed by both")
	assert.NotEqual(t, res[2].Authorization, ours[2], "a tab inside: botocore makes it a space, AWS's C signer and this package keep it")
	assert.NotEqual(t, res[3].Authorization, ours[3])
}

// Service s3express sends its token in X-Amz-S3session-Token, signed, as
// botocore's S3ExpressAuth and S3ExpressQueryAuth do. Debian 12's botocore
// (1.29) predates S3 Express: the test then skips, and TestS3Express checks
// the same against the SDK's S3 Express signer.
func TestBotocoreS3Express(t *testing.T) {
	requireBotocore(t)
	if exec.Command(botocorePython, "-c", "import botocore.auth as a; a.S3ExpressAuth").Run() != nil {
		t.Skipf("botocore at %s has no S3ExpressAuth (BOTOCORE_PYTHON=a python with botocore >= 1.33)", botocorePython)
	}
	r := rand.New(rand.NewPCG(2023, 11))
	var cases []botoCase
	var ours []string
	for i := range 40 {
		mode := "header"
		if i%2 == 1 {
			mode = "query"
		}
		c, req, creds, now, _ := randomCase(r, mode)
		if creds.SessionToken == "" {
			creds = aws.Credentials{AccessKeyID: "ASIAEXPRESS", SecretAccessKey: c.Secret, SessionToken: "express-session-token/+="}
			c.AKID, c.Token = creds.AccessKeyID, creds.SessionToken
		}
		c.S3, c.Express, c.Service = true, true, "s3express"
		if mode == "header" {
			require.NoError(t, Sign(context.Background(), req, creds, "s3express", c.Region, now))
			assert.Equal(t, creds.SessionToken, req.Header.Get("X-Amz-S3session-Token"))
			assert.Empty(t, req.Header.Values("X-Amz-Security-Token"))
			ours = append(ours, req.Header.Get("Authorization"))
		} else {
			u, _, err := Presign(context.Background(), req, creds, "s3express", c.Region, now, time.Duration(c.Expires)*time.Second)
			require.NoError(t, err)
			ours = append(ours, u)
		}
		cases = append(cases, c)
	}
	res := runBotocore(t, cases)
	for i, c := range cases {
		if c.Mode == "header" {
			assert.Equal(t, res[i].Authorization, ours[i], "case %d %s %s", i, c.Method, c.URL)
			continue
		}
		assert.Equal(t, signatureOf(t, res[i].URL), signatureOf(t, ours[i]), "case %d %s %s", i, c.Method, c.URL)
		pu, err := url.Parse(ours[i])
		require.NoError(t, err)
		assert.Equal(t, c.Token, pu.Query().Get("X-Amz-S3session-Token"))
		assert.Empty(t, pu.Query().Get("X-Amz-Security-Token"))
	}
}
