package sigv4temp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// parsed is what the Authorization header or the presigned query says.
type parsed struct {
	presigned        bool
	akid             string
	day              string // yyyymmdd of the scope
	region, service  string
	scope            string // day/region/service/aws4_request
	dateRaw          string // X-Amz-Date as sent
	date             time.Time
	expires          time.Duration // presigned only
	signedHeadersRaw string
	signedHeaders    []string
	signature        [sha256.Size]byte
	token            string
	tokenName        string // the header or query parameter that carries it
	tokenInQuery     bool
	tokenSigned      bool
	payloadHash      string // X-Amz-Content-Sha256 as sent; "" when absent
	params           []queryParam
}

type queryParam struct{ key, value string }

const amzDateFormat = "20060102T150405Z"

// parse reads the signature's parameters from r, bounding every size
// before it allocates in proportion to it.
func (v *Verifier) parse(r *http.Request) (*parsed, error) {
	malformed := func(akid, format string, args ...any) (*parsed, error) {
		return nil, &VerifyError{AccessKeyID: akid, Err: ErrMalformedAuth, Reason: fmt.Sprintf(format, args...)}
	}
	tooLarge := func(format string, args ...any) (*parsed, error) {
		return nil, &VerifyError{Err: ErrTooLarge, Reason: fmt.Sprintf(format, args...)}
	}
	auth := r.Header[headerAuthorization]
	if len(auth) > 1 {
		return malformed("", "%d Authorization headers", len(auth))
	}
	for _, a := range auth {
		if len(a) > v.o.MaxHeaderBytes {
			return tooLarge("Authorization header of %d bytes, over %d", len(a), v.o.MaxHeaderBytes)
		}
	}
	rawQuery := r.URL.RawQuery
	if len(rawQuery) > v.o.MaxHeaderBytes {
		return tooLarge("query of %d bytes, over %d", len(rawQuery), v.o.MaxHeaderBytes)
	}
	if n := strings.Count(rawQuery, "&") + 1; n > v.o.MaxQueryParams {
		return tooLarge("%d query parameters, over %d", n, v.o.MaxQueryParams)
	}
	p := &parsed{}
	params, err := parseQuery(rawQuery)
	if err != nil {
		return malformed("", "%v", err)
	}
	p.params = params

	var credential, signedHeaders, signature, date string
	get := func(name string) (string, int) {
		val, n := "", 0
		for _, q := range params {
			if q.key == name {
				val, n = q.value, n+1
			}
		}
		return val, n
	}
	_, nSig := get("X-Amz-Signature")
	_, nAlg := get("X-Amz-Algorithm")
	_, nCred := get("X-Amz-Credential")
	p.presigned = nSig+nAlg+nCred > 0
	switch {
	case p.presigned && len(auth) > 0:
		return malformed("", "both an Authorization header and a presigned query")
	case !p.presigned && len(auth) == 0:
		return nil, &VerifyError{Err: ErrMissingAuth}
	case p.presigned:
		vals := map[string]string{}
		for _, name := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
			val, n := get(name)
			if n != 1 {
				return malformed("", "%d %s query parameters, want 1", n, name)
			}
			vals[name] = val
		}
		if vals["X-Amz-Algorithm"] != algorithm {
			return malformed("", "unsupported algorithm %.40q", vals["X-Amz-Algorithm"])
		}
		credential, signedHeaders, signature, date = vals["X-Amz-Credential"], vals["X-Amz-SignedHeaders"], vals["X-Amz-Signature"], vals["X-Amz-Date"]
		exp := vals["X-Amz-Expires"]
		secs, err := strconv.ParseInt(exp, 10, 64)
		if err != nil || secs < 1 || len(exp) > 1 && exp[0] == '0' {
			return malformed("", "X-Amz-Expires %.20q is not a whole number of seconds from 1", exp)
		}
		if secs > int64(MaxPresignExpiry/time.Second) {
			secs = int64(MaxPresignExpiry/time.Second) + 1 // reported as expired, without overflow
		}
		p.expires = time.Duration(secs) * time.Second
		if h, n := get(headerContentSHA256); n > 0 {
			if n > 1 {
				return malformed("", "%d X-Amz-Content-Sha256 query parameters", n)
			}
			p.payloadHash = h
		}
	default:
		a := auth[0]
		alg, rest, ok := strings.Cut(a, " ")
		if !ok || alg != algorithm {
			return malformed("", "unsupported algorithm %.40q", alg)
		}
		seen := 0
		for field := range strings.SplitSeq(rest, ",") {
			field = strings.Trim(field, " ")
			k, val, ok := strings.Cut(field, "=")
			if !ok {
				return malformed("", "Authorization field %.40q without '='", field)
			}
			var dst *string
			bit := 0
			switch k {
			case "Credential":
				dst, bit = &credential, 1
			case "SignedHeaders":
				dst, bit = &signedHeaders, 2
			case "Signature":
				dst, bit = &signature, 4
			default:
				return malformed("", "unknown Authorization field %.40q", k)
			}
			if seen&bit != 0 {
				return malformed("", "repeated Authorization field %s", k)
			}
			seen |= bit
			*dst = val
		}
		if seen != 7 {
			return malformed("", "Authorization needs Credential, SignedHeaders and Signature")
		}
		dates := r.Header.Values(headerDate)
		if len(dates) != 1 {
			return malformed("", "%d X-Amz-Date headers, want 1", len(dates))
		}
		date = dates[0]
		hs := r.Header.Values(headerContentSHA256)
		if len(hs) > 1 {
			return malformed("", "%d X-Amz-Content-Sha256 headers", len(hs))
		}
		if len(hs) == 1 {
			p.payloadHash = hs[0]
		}
	}

	// Credential: AKID/yyyymmdd/region/service/aws4_request
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return malformed("", "credential is not KEY/DAY/REGION/SERVICE/aws4_request")
	}
	if !validAccessKeyID(parts[0]) {
		return malformed("", "malformed access key ID")
	}
	p.akid, p.day, p.region, p.service = parts[0], parts[1], parts[2], parts[3]
	if !validScopeWord(p.region) || !validScopeWord(p.service) {
		return malformed(p.akid, "malformed region or service in the credential scope")
	}
	p.scope = credential[len(p.akid)+1:]
	t, err := time.Parse(amzDateFormat, date)
	if err != nil || len(date) != len(amzDateFormat) {
		return malformed(p.akid, "X-Amz-Date %.20q is not yyyymmddThhmmssZ", date)
	}
	p.date, p.dateRaw = t, date
	if p.day != date[:8] {
		return malformed(p.akid, "credential scope day %.8q is not the X-Amz-Date day %s", p.day, date[:8])
	}
	if len(signature) != 2*sha256.Size || !isLowerHex(signature) {
		return malformed(p.akid, "signature is not 64 lowercase hex digits")
	}
	hex.Decode(p.signature[:], []byte(signature))
	p.signedHeadersRaw = signedHeaders
	p.signedHeaders = strings.Split(signedHeaders, ";")
	for i, h := range p.signedHeaders {
		if !validHeaderName(h) {
			return malformed(p.akid, "signed header name %.40q is not a lowercase token", h)
		}
		if i > 0 && p.signedHeaders[i-1] >= h {
			return malformed(p.akid, "SignedHeaders not sorted or repeated at %.40q", h)
		}
	}
	if !slices.Contains(p.signedHeaders, "host") {
		return malformed(p.akid, "host is not signed")
	}
	// The session token: X-Amz-Security-Token, or for S3 Express One Zone
	// X-Amz-S3session-Token (the SDK's S3 Express signer, botocore's S3ExpressAuth).
	p.tokenName = headerToken
	if p.service == "s3express" {
		p.tokenName = headerS3Session
	}
	if p.presigned {
		tok, n := get(p.tokenName)
		if n > 1 {
			return malformed(p.akid, "%d %s query parameters", n, p.tokenName)
		}
		p.token, p.tokenInQuery = tok, n == 1
		if hdr := r.Header.Values(p.tokenName); len(hdr) > 1 || len(hdr) == 1 && (n == 0 || hdr[0] != tok) {
			return malformed(p.akid, "%s header disagrees with the query", p.tokenName)
		}
	} else {
		toks := r.Header.Values(p.tokenName)
		if len(toks) > 1 {
			return malformed(p.akid, "%d %s headers", len(toks), p.tokenName)
		}
		if len(toks) == 1 {
			p.token = toks[0]
		}
		p.tokenSigned = p.token != "" && slices.Contains(p.signedHeaders, strings.ToLower(p.tokenName))
	}
	switch h := p.payloadHash; {
	case h == "", h == UnsignedPayload, h == streamingSigned, h == streamingSignedTrailer, h == streamingUnsignedTrailer:
	case len(h) == 2*sha256.Size && isLowerHex(strings.ToLower(h)):
	default:
		return malformed(p.akid, "unsupported X-Amz-Content-Sha256 %.48q", h)
	}
	if p.presigned && (strings.HasPrefix(p.payloadHash, "STREAMING-") || strings.HasPrefix(r.Header.Get(headerContentSHA256), "STREAMING-")) {
		return malformed(p.akid, "a presigned URL cannot sign an aws-chunked body")
	}
	return p, nil
}

func validAccessKeyID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func validScopeWord(s string) bool { return validAccessKeyID(s) && len(s) <= 64 }

func isLowerHex[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// validHeaderName: a non-empty lowercase HTTP token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// parseQuery decodes a raw query as the signers read it (url.ParseQuery:
// '+' is a space, empty pairs are skipped), keeping every pair in order.
// Unlike url.ParseQuery it fails on a bad escape or a ';', which a signer
// would have dropped from the signature while the server still sees them.
func parseQuery(raw string) ([]queryParam, error) {
	var out []queryParam
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		if strings.IndexByte(pair, ';') >= 0 {
			return nil, fmt.Errorf("query contains ';'")
		}
		k, val, _ := strings.Cut(pair, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("query has an invalid %%-escape")
		}
		out = append(out, queryParam{dk, dv})
	}
	return out, nil
}

// canonicalQueries returns the canonical query strings to try: all the
// parameters but X-Amz-Signature and, when a presigned URL carries a token,
// also without it (a token added after signing).
func canonicalQueries(p *parsed) []string {
	build := func(skipToken bool) string {
		enc := make([]queryParam, 0, len(p.params))
		for _, q := range p.params {
			if p.presigned && (q.key == "X-Amz-Signature" || skipToken && q.key == p.tokenName) {
				continue
			}
			enc = append(enc, queryParam{queryEscape(q.key), queryEscape(q.value)})
		}
		slices.SortFunc(enc, func(a, b queryParam) int {
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			return strings.Compare(a.value, b.value)
		})
		var b strings.Builder
		for i, q := range enc {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(q.key)
			b.WriteByte('=')
			b.WriteString(q.value)
		}
		return b.String()
	}
	if p.presigned && p.tokenInQuery {
		return []string{build(false), build(true)}
	}
	return []string{build(false)}
}

// canonicalURIs returns the canonical paths to try: the path as sent,
// encoded once (S3, DisableURIPathEscaping; also decoded and re-encoded
// with every reserved byte escaped) or twice, and for services
// other than S3, unless DisablePathNormalization, also with dot segments and
// empty segments removed (as Sign, botocore and AWS services do; the SDK's
// signer does not).
func (v *Verifier) canonicalURIs(r *http.Request, service string) []string {
	path := uriPath(r.URL)
	s3 := isS3(service)
	paths := []string{path}
	if !v.o.DisablePathNormalization && !s3 {
		if n := normalizePath(path); n != path {
			paths = append(paths, n)
		}
	}
	if s3 || v.o.DisableURIPathEscaping {
		// S3 reads the key from the decoded path; signers that re-encode
		// it (aws4: "/x+y" signed as "/x%2By") sign the same key.
		if dec, err := url.PathUnescape(path); err == nil {
			if re := escapePath(dec); re != path {
				paths = append(paths, re)
			}
		}
		return paths
	}
	for i, p := range paths {
		paths[i] = escapePath(p)
	}
	return paths
}

// escapePath escapes every byte but the unreserved ones and '/'.
func escapePath(s string) string {
	var b strings.Builder
	for _, seg := range strings.SplitAfter(s, "/") {
		seg, slash := strings.CutSuffix(seg, "/")
		b.WriteString(queryEscape(seg))
		if slash {
			b.WriteByte('/')
		}
	}
	return b.String()
}

// canonicalHeaders returns the canonical headers block ("name:value\n" per
// signed header) as the SDK's signer writes it.
func (v *Verifier) canonicalHeaders(r *http.Request, p *parsed) ([]byte, error) {
	var b []byte
	for _, name := range p.signedHeaders {
		b = append(b, name...)
		b = append(b, ':')
		switch name {
		case "host":
			host := r.Host
			if host == "" {
				host = r.URL.Host
			}
			b = append(b, stripExcessSpaces(host)...)
		default:
			vals := signedHeaderValues(r, name)
			if vals == nil {
				return nil, &VerifyError{AccessKeyID: p.akid, Err: ErrSignatureMismatch, Reason: fmt.Sprintf("signed header %s missing", name)}
			}
			for i, val := range vals {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, strings.TrimSpace(stripExcessSpaces(val))...)
			}
		}
		b = append(b, '\n')
		if len(b) > v.o.MaxHeaderBytes {
			return nil, &VerifyError{AccessKeyID: p.akid, Err: ErrTooLarge, Reason: fmt.Sprintf("signed headers over %d bytes", v.o.MaxHeaderBytes)}
		}
	}
	return b, nil
}

// signedHeaderValues returns the values of the header name (lowercase), or nil
// when the request has no such header. Headers the server moves out of
// r.Header (Content-Length, Transfer-Encoding) are read from r.
func signedHeaderValues(r *http.Request, name string) []string {
	if vals, ok := r.Header[http.CanonicalHeaderKey(name)]; ok {
		return vals
	}
	var vals []string
	for k, vs := range r.Header {
		if strings.EqualFold(k, name) {
			vals = append(vals, vs...)
		}
	}
	if vals != nil {
		return vals
	}
	switch name {
	case "content-length":
		if r.ContentLength >= 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	case "transfer-encoding":
		if len(r.TransferEncoding) > 0 {
			return []string{strings.Join(r.TransferEncoding, ",")}
		}
	}
	return nil
}

// stripExcessSpaces trims leading and trailing spaces and collapses inner
// runs of spaces to one, as the SDK's signer does.
func stripExcessSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}
