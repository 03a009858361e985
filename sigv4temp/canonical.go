package sigv4temp

import (
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
)

// isS3 reports whether service signs the S3 way: the path encoded once and
// not normalized, x-amz-content-sha256 on every request, UNSIGNED-PAYLOAD in
// presigned URLs (botocore's S3SigV4Auth and S3SigV4QueryAuth; the S3 API
// reference, "Signature Calculations for the Authorization Header").
func isS3(service string) bool {
	switch service {
	case "s3", "s3-object-lambda", "s3express":
		return true
	}
	return false
}

// mergeHeaderKeys rewrites h so that every header name appears under one
// key, its canonical form: values of spellings that differ only in case
// ("x-amz-date", "X-Amz-Date") are joined in the byte order of the original
// keys, which is the order net/http writes them in. The SDK signer merges
// such keys in map order, so without this the signature of the same
// request would change from run to run.
func mergeHeaderKeys(h http.Header) {
	clean := true
	for k := range h {
		if !isCanonicalToken(k) {
			clean = false
			break
		}
	}
	if clean {
		return
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	type group struct {
		target string
		values []string
	}
	var groups []*group
	byLower := make(map[string]*group, len(keys))
	for _, k := range keys {
		lower := strings.ToLower(k)
		g, ok := byLower[lower]
		if !ok {
			g = &group{target: textproto.CanonicalMIMEHeaderKey(k)}
			byLower[lower] = g
			groups = append(groups, g)
		}
		g.values = append(g.values, h[k]...)
		delete(h, k)
	}
	for _, g := range groups {
		h[g.target] = g.values
	}
}

// isCanonicalToken reports whether k is a valid header name already in
// canonical form, so that no other key of a header can spell it.
func isCanonicalToken(k string) bool {
	if k == "" {
		return false
	}
	upper := true
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if !upper {
				return false
			}
		case c >= 'a' && c <= 'z':
			if upper {
				return false
			}
		case c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
		upper = c == '-'
	}
	return true
}

// checkQuery returns ErrInvalid for a query string that does not parse
// (a bad %-escape, a semicolon): url.URL.Query, which the SDK signer uses,
// silently drops such pairs, and the request sent would lose them.
func checkQuery(rawQuery string) error {
	if _, err := url.ParseQuery(rawQuery); err != nil {
		return fmt.Errorf("%w: query string: %v", ErrInvalid, err)
	}
	return nil
}

// signingHost returns the Host to sign and send: r.Host or the URL's host,
// without the scheme's default port, keeping the brackets of an IPv6
// literal (the SDK's own port stripping drops them, and the request then
// carries an invalid Host).
func signingHost(r *http.Request) string {
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	colon := strings.LastIndexByte(host, ':')
	if colon < 0 || colon < strings.LastIndexByte(host, ']') {
		return host // no port
	}
	scheme, port := strings.ToLower(r.URL.Scheme), host[colon+1:]
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		return host[:colon] // an IPv6 literal keeps its brackets
	}
	return host
}

// uriPath returns the escaped path the SDK signer reads from u (its
// v4.GetURIPath): the path of an opaque URL, or the escaped path; "/" when
// empty.
func uriPath(u *url.URL) string {
	var p string
	if u.Opaque != "" {
		opaque, _, _ := strings.Cut(u.Opaque, "?")
		opaque = strings.TrimPrefix(opaque, "//")
		if i := strings.IndexByte(opaque, '/'); i >= 0 {
			p = opaque[i:]
		}
	} else {
		p = u.EscapedPath()
	}
	if p == "" {
		return "/"
	}
	return p
}

// isNormalized reports whether normalizePath leaves p as it is.
func isNormalized(p string) bool { return normalizePath(p) == p }

// normalizePath removes "." and ".." segments (RFC 3986, 5.2.4) and empty
// segments, as services other than S3 do before checking a signature (the
// SigV4 test suite's *-normalized cases; botocore's remove_dot_segments). A
// trailing slash stays when any segment is left.
func normalizePath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] == '/' && !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return p // no empty or dot segment
	}
	segs := strings.Split(p, "/")
	out := segs[:0]
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	var b strings.Builder
	b.Grow(len(p))
	if p[0] == '/' {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(out, "/"))
	if p[len(p)-1] == '/' && len(out) > 0 {
		b.WriteByte('/')
	}
	return b.String()
}

// reencodeQuery returns rawQuery with every pair kept, in its order, and
// each name and value percent-encoded as SigV4 encodes them ("flag" becomes
// "flag="; empty pairs between "&&" go). It fails with ErrInvalid where
// url.ParseQuery fails (a bad %-escape, a ";"), instead of dropping the pair.
// A query already in that form is returned as it is, without allocating.
//
// The fast path also needs the query to have fewer pairs than url.ParseQuery's
// default limit (10,000 since Go 1.26): past it, url.URL.Query returns nothing
// and the SDK signer would sign an empty query while the full one is sent.
func reencodeQuery(rawQuery string) (string, error) {
	if isCanonicalQuery(rawQuery) && strings.Count(rawQuery, "&") < 10000 {
		return rawQuery, nil
	}
	return reencodeSlow(rawQuery)
}

// reencodeSlow is reencodeQuery without its fast path.
func reencodeSlow(rawQuery string) (string, error) {
	if err := checkQuery(rawQuery); err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(rawQuery) + 8)
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, _ = url.QueryUnescape(k) // checked by checkQuery
		v, _ = url.QueryUnescape(v)
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		writeEscaped(&b, k)
		b.WriteByte('=')
		writeEscaped(&b, v)
	}
	return b.String(), nil
}

// isCanonicalQuery reports whether q is empty or a list of name=value pairs
// encoded as SigV4 encodes them: unreserved bytes as they are, every other
// byte as %XX with uppercase hex, one "=" in each pair, no empty pair.
func isCanonicalQuery(q string) bool {
	eq := false // the current pair has its "="
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case isUnreserved(c):
		case c == '%':
			if i+2 >= len(q) || !isUpperHex(q[i+1]) || !isUpperHex(q[i+2]) || isUnreserved(unhex(q[i+1])<<4|unhex(q[i+2])) {
				return false
			}
			i += 2
		case c == '=' && !eq:
			eq = true
		case c == '&' && eq && i+1 < len(q):
			eq = false
		default:
			return false
		}
	}
	return eq || q == ""
}

func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

func isUpperHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'A' + 10
}

// writeEscaped writes s escaped as SigV4 does: every byte but A-Z a-z 0-9
// - _ . ~ as %XX with uppercase hex.
func writeEscaped(b *strings.Builder, s string) {
	const hexUpper = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
}
