package sigv4temp

import (
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/awskit/awskit/internal/awserr"
)

// isCanonicalToken agrees with textproto.CanonicalMIMEHeaderKey on valid
// header names, and refuses anything net/http would not send as a name.
func TestIsCanonicalToken(t *testing.T) {
	tests := map[string]bool{
		"": false, "A": true, "a": false, "Ab": true, "AB": false, "A-B": true, "A-b": false, "a-B": false,
		"X-Amz-Meta-1": true, "1a": true, "1A": false, "X-A!b": true, "X-A~b": true, "X-A b": false, "X-A:b": false,
		"Content-Md5": true, "Content-MD5": false, "X-Amz-Date": true, "x-amz-date": false, "X-\x7f": false, "Ü": false,
	}
	for k, want := range tests {
		assert.Equal(t, want, isCanonicalToken(k), "isCanonicalToken(%q)", k)
		if want {
			assert.Equal(t, k, textproto.CanonicalMIMEHeaderKey(k), "%q is canonical", k)
		}
	}
}

// Canonical keys take the fast path: no allocation, nothing changed.
func TestMergeHeaderKeysFastPath(t *testing.T) {
	h := http.Header{"X-Amz-Meta-1": {"a"}, "Content-Md5": {"b"}, "X-A!b": {"c"}, "Content-Type": {"d"}}
	want := h.Clone()
	allocs := testing.AllocsPerRun(100, func() { mergeHeaderKeys(h) })
	assert.Zero(t, allocs)
	assert.Equal(t, want, h)

	odd := http.Header{"a b": {"1"}, "A b": {"2"}}
	mergeHeaderKeys(odd)
	assert.Equal(t, http.Header{"A b": {"2", "1"}}, odd, "invalid names merge by lower case too")
}

// A request built by hand, with no Host, signs the URL's host without its
// default port and keeps IPv6 brackets.
func TestSigningHost(t *testing.T) {
	tests := []struct{ host, urlHost, scheme, want string }{
		{"", "[::1]:443", "https", "[::1]"},
		{"", "[::1]:443", "HTTPS", "[::1]"},
		{"", "example.com:443", "https", "example.com"},
		{"", "example.com:80", "http", "example.com"},
		{"", "example.com:80", "https", "example.com:80"},
		{"", "example.com:443", "http", "example.com:443"},
		{"", "example.com", "https", "example.com"},
		{"other.example:443", "example.com", "https", "other.example"},
		{"other.example:8443", "example.com", "https", "other.example:8443"},
		{"", ":443", "https", ""}, // a port alone: the default one goes
		{"", "[::1]", "https", "[::1]"},
	}
	for _, tc := range tests {
		r := &http.Request{Host: tc.host, URL: &url.URL{Scheme: tc.scheme, Host: tc.urlHost, Path: "/"}}
		assert.Equal(t, tc.want, signingHost(r), "%+v", tc)
	}
}

func TestNormalizePath(t *testing.T) {
	tests := map[string]string{
		"": "/", "/": "/", "//": "/", "/./": "/", "/a/..": "/", "/a/../": "/", "/a/b/../c": "/a/c", "/a//b/": "/a/b/",
		"/..": "/", "/../a": "/a", "a/b": "a/b", "a/": "a/", "/a/.": "/a", "/a/./b": "/a/b", "/%2E%2E/a": "/%2E%2E/a",
	}
	for in, want := range tests {
		assert.Equal(t, want, normalizePath(in), "normalizePath(%q)", in)
	}
	assert.Zero(t, testing.AllocsPerRun(50, func() { normalizePath("/photos/2026/cat.jpg") }), "a normal path: no work")
}

func TestURIPath(t *testing.T) {
	tests := []struct {
		u    url.URL
		want string
	}{
		{url.URL{Path: "/a b"}, "/a%20b"},
		{url.URL{}, "/"},
		{url.URL{Opaque: "//host/p?q"}, "/p"},
		{url.URL{Opaque: "//host"}, "/"},
		{url.URL{Opaque: "/x/y"}, "/x/y"},
		{url.URL{Opaque: "//host//x"}, "//x"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, uriPath(&tc.u), "%+v", tc.u)
	}
}

func TestErrorCode(t *testing.T) {
	tests := map[string]string{
		``:   "",
		`  `: "",
		`<Error><Code> ExpiredToken </Code></Error>`: "ExpiredToken",
		`<A><B/><Code>X</Code></A>`:                  "X",
		`<Error><Message>m</Message></Error>`:        "",
		`<Error><Code><x/></Code></Error>`:           "",
		`<Error`:                                     "",
		`{"__type":"a#B","code":"C"}`:                "a#B",
		`{"code":"C"}`:                               "C",
		`{"__type":`:                                 "",
		`{}`:                                         "",
	}
	for body, want := range tests {
		assert.Equal(t, want, awserr.Code([]byte(body)), "awserr.Code(%q)", body)
	}
	for code, want := range map[string]bool{
		"ExpiredToken": true, "ExpiredTokenException": true, "RequestExpired": true,
		"com.amazon.coral.service#ExpiredTokenException": true, "ExpiredTokenException:http://x/": true,
		"a#b#RequestExpired": true, "#ExpiredToken": true, "AccessDenied": false, "": false, "ExpiredTokenX": false, "#": false,
	} {
		assert.Equal(t, want, isExpiredCode(code), "isExpiredCode(%q)", code)
	}
}

var querySeeds = []string{
	"", "a=1", "a=1&b=2", "b=2&a=1&a=0&flag", "q=a+b", "r=%7e", "r=%7E", "s=%2F", "s=%2f", "&&x=1&", "x=1&",
	"k=%E1%88%B4&=v", "=", "a=b=c", "a=1;b=2", "c=%zz", "%", "a=%4", "ሴ=bar", "a=%20", "a= ", "a=%2B", "flag",
}

// The fast path returns a query as it is only where the full re-encoding
// would give it back unchanged, and every re-encoded query takes the fast
// path the next time.
func TestCanonicalQueryFastPath(t *testing.T) {
	for _, q := range querySeeds {
		checkFastPath(t, q)
	}
	assert.True(t, isCanonicalQuery(""))
	assert.True(t, isCanonicalQuery("a=1&b=%2F"))
	assert.False(t, isCanonicalQuery("a"))
	assert.False(t, isCanonicalQuery("a=1&"))
	assert.False(t, isCanonicalQuery("a=1&&b=2"))
	assert.False(t, isCanonicalQuery("a=%7E"))
	assert.False(t, isCanonicalQuery("a=%2f"))
	assert.False(t, isCanonicalQuery("a=%2"))
	assert.False(t, isCanonicalQuery("a=%"))
	assert.False(t, isCanonicalQuery("a=b=c"))
	assert.False(t, isCanonicalQuery("a=+"))
	allocs := testing.AllocsPerRun(50, func() { _, _ = reencodeQuery("Action=ListUsers&Version=2010-05-08&Path=%2Fdivision%2F") })
	assert.Zero(t, allocs)
}

func checkFastPath(t *testing.T, q string) {
	t.Helper()
	slow, err := reencodeSlow(q)
	if err != nil {
		assert.False(t, isCanonicalQuery(q), "%q does not parse, yet takes the fast path", q)
		return
	}
	if isCanonicalQuery(q) {
		assert.Equal(t, q, slow, "fast path for %q", q)
	}
	assert.True(t, isCanonicalQuery(slow), "re-encoded %q as %q, which is not canonical", q, slow)
	fast, err := reencodeQuery(q)
	assert.NoError(t, err)
	assert.Equal(t, slow, fast)
}

func FuzzReencodeQuery(f *testing.F) {
	for _, q := range querySeeds {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) { checkFastPath(t, q) })
}

// The byte classes of SigV4's URI encoding, over every byte.
func TestByteClasses(t *testing.T) {
	const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
	const upperHex = "0123456789ABCDEF"
	for c := 0; c < 256; c++ {
		b := byte(c)
		assert.Equal(t, strings.IndexByte(unreserved, b) >= 0, isUnreserved(b), "isUnreserved(%q)", b)
		assert.Equal(t, strings.IndexByte(upperHex, b) >= 0, isUpperHex(b), "isUpperHex(%q)", b)
		if i := strings.IndexByte(upperHex, b); i >= 0 {
			assert.Equal(t, byte(i), unhex(b), "unhex(%q)", b)
		}
	}
	var sb strings.Builder
	writeEscaped(&sb, unreserved+" /+%\x00\xff")
	assert.Equal(t, unreserved+"%20%2F%2B%25%00%FF", sb.String())
	assert.Equal(t, unreserved+"%3D", queryEscape(unreserved+"="))
}
