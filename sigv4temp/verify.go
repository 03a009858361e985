package sigv4temp

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Errors of the verifier. Every error Verify returns is a *VerifyError
// whose Err is one of them, the lookup's own error or r.Body's read error,
// so errors.Is and errors.As both work. So is every error a read from
// Verified.Body returns, except io.EOF, and except for an unsigned payload,
// whose Body is r.Body as is.
var (
	// ErrMissingAuth: the request carries neither an Authorization header
	// nor a presigned query (X-Amz-Signature).
	ErrMissingAuth = errors.New("sigv4temp: request not signed with SigV4")
	// ErrMalformedAuth: the Authorization header or the presigned query
	// cannot be parsed, names an unsupported algorithm, or contradicts
	// itself (scope day other than the X-Amz-Date day, host not signed).
	ErrMalformedAuth = errors.New("sigv4temp: malformed SigV4 authorization")
	// ErrUnknownKey: the lookup does not know the access key ID. A lookup
	// reports this by returning an error that wraps ErrUnknownKey.
	ErrUnknownKey = errors.New("sigv4temp: unknown access key")
	// ErrTokenMismatch: the session token sent differs from the looked-up
	// credentials' SessionToken, or one of them is missing.
	ErrTokenMismatch = errors.New("sigv4temp: session token does not match the access key")
	// ErrRequestExpired: a header-signed request outside the clock skew, a
	// presigned URL past X-Amz-Date + X-Amz-Expires (or with X-Amz-Expires
	// over 7 days, or not yet valid), or credentials expired.
	ErrRequestExpired = errors.New("sigv4temp: request expired or not yet valid")
	// ErrSignatureMismatch: the signature, a chunk signature, the trailer
	// signature, the payload hash or a checksum does not match, or a
	// signed header is missing.
	ErrSignatureMismatch = errors.New("sigv4temp: signature does not match")
	// ErrNotAllowed: a region or service outside VerifierOptions, or an
	// unsigned payload that VerifierOptions does not accept.
	ErrNotAllowed = errors.New("sigv4temp: region, service or payload not allowed")
	// ErrTooLarge: the Authorization header, the query, the signed headers,
	// a chunk or a buffered body exceeds its VerifierOptions bound.
	ErrTooLarge = errors.New("sigv4temp: request exceeds a size bound")
	// ErrMalformedChunk: an aws-chunked body that cannot be decoded: a bad
	// chunk header or trailer, missing CRLF, a length that disagrees with
	// X-Amz-Decoded-Content-Length, a data chunk under MinChunkSize (8 KiB)
	// that is not the last (S3's InvalidChunkSizeError), bytes after the end.
	ErrMalformedChunk = errors.New("sigv4temp: malformed aws-chunked body")
)

// VerifyError is the error of Verify and of reads from Verified.Body
// (io.EOF aside; see the Err* variables).
// It never holds the secret key, the session token or the expected
// signature.
type VerifyError struct {
	AccessKeyID string // the access key ID the request claims; "" if it could not be parsed
	Reason      string // a short explanation, e.g. "signed header x-amz-meta-a missing"
	Err         error  // one of the Err* sentinels of this file, or the lookup's error
}

// Error returns "<Err>[: access key <AccessKeyID>][: <Reason>]".
func (e *VerifyError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	if e.AccessKeyID != "" {
		b.WriteString(": access key ")
		b.WriteString(e.AccessKeyID)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	return b.String()
}

// Unwrap returns Err.
func (e *VerifyError) Unwrap() error { return e.Err }

// Defaults of VerifierOptions.
const (
	DefaultMaxSkew         = 15 * time.Minute // as AWS: RequestTimeTooSkewed past 15 minutes
	DefaultMaxHeaderBytes  = 32 << 10         // bytes, for each of the Authorization header, the query, the signed headers
	DefaultMaxQueryParams  = 1000             // query parameters
	DefaultMaxChunkBytes   = 1 << 20          // bytes of one aws-chunked chunk (the S3 docs and minio-go use 64 KiB)
	DefaultMaxBufferedBody = 10 << 20         // bytes buffered to hash a body sent without X-Amz-Content-Sha256
)

// VerifierOptions tunes a Verifier. The zero value means the defaults:
// any region and service, DefaultMaxSkew, unsigned payloads refused (except
// on a request without a body), and the Default* size bounds.
type VerifierOptions struct {
	// Regions and Services allowed in the credential scope; empty allows any.
	Regions, Services []string
	// MaxSkew is how far a header-signed request's X-Amz-Date may be from
	// now, either way, and how far in the future a presigned URL's may be.
	// 0 means DefaultMaxSkew.
	MaxSkew time.Duration
	// AllowUnsignedPayload accepts UNSIGNED-PAYLOAD and
	// STREAMING-UNSIGNED-PAYLOAD-TRAILER for a request with a body: the
	// body is then not covered by the signature (a trailing checksum, when
	// sent, is still checked). S3-compatible gateways need it: S3 presigned
	// PUTs and the SDK's uploads over HTTPS use these.
	AllowUnsignedPayload bool
	// MaxHeaderBytes bounds, each on its own, the Authorization header, the
	// raw query and the canonical signed headers. 0 means DefaultMaxHeaderBytes.
	MaxHeaderBytes int
	// MaxQueryParams bounds the number of query parameters. 0 means
	// DefaultMaxQueryParams.
	MaxQueryParams int
	// MaxChunkBytes bounds one chunk of an aws-chunked body, which is held
	// in memory until its signature is checked. 0 means DefaultMaxChunkBytes.
	// Every data chunk but the last is at least MinChunkSize, as S3 requires:
	// a bound under it accepts only bodies sent in one data chunk.
	MaxChunkBytes int
	// MaxBufferedBody bounds the body Verify reads into memory when the
	// payload hash is not sent in X-Amz-Content-Sha256 (services other than
	// S3 sign the body's hash without sending it). 0 means DefaultMaxBufferedBody.
	// That body is read before its signature can be checked: a client that
	// knows a valid access key ID, without its secret, can make Verify
	// buffer this much.
	MaxBufferedBody int64
	// DisableURIPathEscaping verifies every service's path as encoded once,
	// as S3 does (s3, s3-object-lambda and s3express always are); otherwise
	// it is encoded twice.
	DisableURIPathEscaping bool
	// DisablePathNormalization verifies the path exactly as sent. By
	// default, for services other than S3, a signature over the path with
	// "." and ".." segments and empty segments removed is also accepted, as
	// AWS services do (Sign and botocore sign that form; the SDK's signer
	// signs the path as sent).
	DisablePathNormalization bool
}

// CredentialsLookup returns the credentials of an access key ID, or an error
// wrapping ErrUnknownKey when there is no such key.
type CredentialsLookup func(ctx context.Context, accessKeyID string) (aws.Credentials, error)

// Verifier checks SigV4 signatures: requests signed in the Authorization
// header, presigned URLs, and aws-chunked streaming bodies. It is safe for
// concurrent use; a nil or zero Verifier is not usable (use NewVerifier).
// It keeps a bounded cache of derived signing keys (per access key, secret,
// day, region and service): at most 1024 entries, dropped together when
// full. Verify never modifies the request; it reads r.Body only as its doc
// says.
//
// What a signature covers, as SigV4 defines it: a signed header's values
// joined by commas, so "a: 1,2" and two lines "a: 1", "a: 2" verify alike;
// read a signed header as strings.Join(r.Header.Values(name), ","), not
// r.Header.Get. Every x-amz-* header sent must be signed (the session
// token, X-Amz-Date and X-Amz-Content-Sha256 excepted); other unsigned
// headers are not covered.
type Verifier struct {
	lookup CredentialsLookup
	o      VerifierOptions
	keys   *keyCache
}

// keyCache holds derived signing keys; behind a pointer, so fmt never
// prints it.
type keyCache struct {
	mu sync.Mutex
	m  map[keyCacheKey]keyCacheEntry
}

type keyCacheKey struct {
	akid, day, region, service string
}

type keyCacheEntry struct {
	secret string
	key    [sha256.Size]byte
}

const maxCachedKeys = 1024

// NewVerifier returns a Verifier that looks credentials up with lookup.
// It fails with ErrInvalid for a nil lookup or negative bounds.
func NewVerifier(lookup func(ctx context.Context, accessKeyID string) (aws.Credentials, error), optFns ...func(*VerifierOptions)) (*Verifier, error) {
	if lookup == nil {
		return nil, fmt.Errorf("%w: nil credentials lookup", ErrInvalid)
	}
	var o VerifierOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.MaxSkew < 0 || o.MaxHeaderBytes < 0 || o.MaxQueryParams < 0 || o.MaxChunkBytes < 0 || o.MaxBufferedBody < 0 {
		return nil, fmt.Errorf("%w: negative VerifierOptions bound", ErrInvalid)
	}
	if o.MaxSkew == 0 {
		o.MaxSkew = DefaultMaxSkew
	}
	if o.MaxHeaderBytes == 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.MaxQueryParams == 0 {
		o.MaxQueryParams = DefaultMaxQueryParams
	}
	if o.MaxChunkBytes == 0 {
		o.MaxChunkBytes = DefaultMaxChunkBytes
	}
	if o.MaxBufferedBody == 0 {
		o.MaxBufferedBody = DefaultMaxBufferedBody
	}
	o.Regions, o.Services = slices.Clone(o.Regions), slices.Clone(o.Services)
	return &Verifier{lookup: lookup, o: o, keys: &keyCache{m: map[keyCacheKey]keyCacheEntry{}}}, nil
}

// String returns "sigv4temp.Verifier": the cache holds secrets, and fmt
// never shows it.
func (v Verifier) String() string { return "sigv4temp.Verifier" }

// GoString returns the same as String.
func (v Verifier) GoString() string { return v.String() }

// LogValue returns the same as String, for log/slog.
func (v Verifier) LogValue() slog.Value { return slog.StringValue(v.String()) }

// Verified describes a request whose signature Verify accepted.
type Verified struct {
	AccessKeyID   string
	Region        string
	Service       string
	SigningTime   time.Time // X-Amz-Date, UTC
	SignedHeaders []string  // lowercase, sorted, as in SignedHeaders
	// PayloadHash is the payload hash that was signed: 64 hex digits,
	// UNSIGNED-PAYLOAD, or one of the STREAMING-* values.
	PayloadHash string
	Presigned   bool
	// TokenSigned: the session token was part of the signature (false for
	// long-term credentials and for a token added after signing).
	TokenSigned bool
	// ValidUntil is when the request stops being accepted: for a presigned
	// URL X-Amz-Date + X-Amz-Expires, for a header-signed request
	// X-Amz-Date + MaxSkew; earlier if the credentials expire first.
	ValidUntil time.Time
	// Body reads the request's body; read it instead of r.Body. When the
	// payload hash is signed, the read that reaches the end (io.EOF, or the
	// last byte of a known Content-Length) returns no bytes and
	// ErrSignatureMismatch if the body does not match, so reading exactly
	// Content-Length bytes (io.ReadFull, io.CopyN) checks it too; the bytes
	// of earlier reads are released before the check. An aws-chunked body
	// is decoded, and each chunk is released only after its signature is
	// checked; the last one (by X-Amz-Decoded-Content-Length) only after
	// the final chunk and the trailer's signature and checksum are too. For an
	// unsigned payload it is r.Body as is. Never nil.
	Body io.Reader
}

// Signature forms a request may use.
const (
	streamingSigned          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingSignedTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	algorithm                = "AWS4-HMAC-SHA256"
)

// Verify checks r's SigV4 signature (Authorization header or presigned
// query) as of now, and returns what was signed. It reads r.Body only when
// the payload hash must be computed (a body without X-Amz-Content-Sha256,
// at most MaxBufferedBody bytes); then Verified.Body returns those bytes.
// Read the body through Verified.Body, which checks it.
//
// The checks, in order: the form parses (ErrMissingAuth, ErrMalformedAuth,
// ErrTooLarge); the scope's region and service are allowed (ErrNotAllowed)
// and its day is the X-Amz-Date day; the time (ErrRequestExpired): within
// MaxSkew of now for a header-signed request, and for a presigned URL not
// more than MaxSkew in the future, X-Amz-Expires at most 7 days (under 1 s
// it does not parse: ErrMalformedAuth), and now before X-Amz-Date +
// X-Amz-Expires; the lookup (ErrUnknownKey, or the
// lookup's error); the session token in X-Amz-Security-Token (for
// s3express X-Amz-S3session-Token) equals the credentials' (ErrTokenMismatch; a token sent but left out of the
// signature is accepted when it matches); credentials that can expire are
// unexpired at the signing time and now (ErrRequestExpired: AWS stops
// accepting a presigned URL when its temporary credentials expire); every
// signed header is present and host is signed; the signature, compared in
// constant time (ErrSignatureMismatch).
func (v *Verifier) Verify(ctx context.Context, r *http.Request, now time.Time) (*Verified, error) {
	if r == nil || r.URL == nil {
		return nil, &VerifyError{Err: ErrMalformedAuth, Reason: "nil request or URL"}
	}
	p, err := v.parse(r)
	if err != nil {
		return nil, err
	}
	fail := func(sentinel error, format string, args ...any) (*Verified, error) {
		return nil, &VerifyError{AccessKeyID: p.akid, Err: sentinel, Reason: fmt.Sprintf(format, args...)}
	}
	if len(v.o.Regions) > 0 && !slices.Contains(v.o.Regions, p.region) {
		return fail(ErrNotAllowed, "region %q", p.region)
	}
	if len(v.o.Services) > 0 && !slices.Contains(v.o.Services, p.service) {
		return fail(ErrNotAllowed, "service %q", p.service)
	}
	now = now.UTC()
	var validUntil time.Time
	if p.presigned {
		if p.expires > MaxPresignExpiry {
			return fail(ErrRequestExpired, "X-Amz-Expires %d s is over 7 days", int64(p.expires/time.Second))
		}
		validUntil = p.date.Add(p.expires)
		if p.date.Sub(now) > v.o.MaxSkew {
			return fail(ErrRequestExpired, "signed for %s, not valid yet at %s", p.date.Format(time.RFC3339), now.Format(time.RFC3339))
		}
		if !now.Before(validUntil) {
			return fail(ErrRequestExpired, "presigned URL expired at %s, now %s", validUntil.Format(time.RFC3339), now.Format(time.RFC3339))
		}
	} else {
		if d := now.Sub(p.date); d > v.o.MaxSkew || -d > v.o.MaxSkew {
			return fail(ErrRequestExpired, "signed at %s, now %s, over the %v skew", p.date.Format(time.RFC3339), now.Format(time.RFC3339), v.o.MaxSkew)
		}
		validUntil = p.date.Add(v.o.MaxSkew)
	}

	creds, err := v.lookup(ctx, p.akid)
	if err != nil {
		if errors.Is(err, ErrUnknownKey) {
			return fail(ErrUnknownKey, "")
		}
		return nil, &VerifyError{AccessKeyID: p.akid, Err: err, Reason: "credentials lookup failed"}
	}
	if creds.SecretAccessKey == "" {
		return fail(ErrUnknownKey, "lookup returned no secret")
	}
	if creds.AccessKeyID != "" && creds.AccessKeyID != p.akid {
		return fail(ErrUnknownKey, "lookup returned another access key")
	}
	switch {
	case p.token == "" && creds.SessionToken == "" && strings.HasPrefix(p.akid, "ASIA"):
		return fail(ErrTokenMismatch, "temporary access key without a session token")
	case p.token == "" && creds.SessionToken != "":
		return fail(ErrTokenMismatch, "no session token sent")
	case p.token != "" && creds.SessionToken == "":
		return fail(ErrTokenMismatch, "a session token sent for credentials without one")
	case subtle.ConstantTimeCompare([]byte(p.token), []byte(creds.SessionToken)) != 1:
		return fail(ErrTokenMismatch, "")
	}
	if creds.CanExpire {
		if !p.date.Before(creds.Expires) || !now.Before(creds.Expires) {
			return fail(ErrRequestExpired, "credentials expired at %s", creds.Expires.UTC().Format(time.RFC3339))
		}
		if creds.Expires.Before(validUntil) {
			validUntil = creds.Expires.UTC()
		}
	}

	key := v.signingKey(creds, p)
	body, err := v.checkSignature(r, p, &key)
	if err != nil {
		return nil, err
	}
	return &Verified{
		AccessKeyID:   p.akid,
		Region:        p.region,
		Service:       p.service,
		SigningTime:   p.date,
		SignedHeaders: p.signedHeaders,
		PayloadHash:   p.payloadHash,
		Presigned:     p.presigned,
		TokenSigned:   p.tokenSigned,
		ValidUntil:    validUntil,
		Body:          body,
	}, nil
}

// signingKey derives (or finds in the cache) the SigV4 signing key.
func (v *Verifier) signingKey(creds aws.Credentials, p *parsed) [sha256.Size]byte {
	ck := keyCacheKey{akid: p.akid, day: p.day, region: p.region, service: p.service}
	c := v.keys
	c.mu.Lock()
	e, ok := c.m[ck]
	c.mu.Unlock()
	if ok && subtle.ConstantTimeCompare([]byte(e.secret), []byte(creds.SecretAccessKey)) == 1 {
		return e.key
	}
	key := deriveKey(creds.SecretAccessKey, p.day, p.region, p.service)
	c.mu.Lock()
	if len(c.m) >= maxCachedKeys {
		clear(c.m)
	}
	c.m[ck] = keyCacheEntry{secret: creds.SecretAccessKey, key: key}
	c.mu.Unlock()
	return key
}

// deriveKey computes HMAC(HMAC(HMAC(HMAC("AWS4"+secret, day), region), service), "aws4_request").
func deriveKey(secret, day, region, service string) [sha256.Size]byte {
	var k [sha256.Size]byte
	buf := make([]byte, 0, 4+len(secret))
	buf = append(append(buf, "AWS4"...), secret...)
	m := hmac.New(sha256.New, buf)
	clear(buf)
	m.Write([]byte(day))
	m.Sum(k[:0])
	for _, s := range []string{region, service, "aws4_request"} {
		m = hmac.New(sha256.New, k[:])
		m.Write([]byte(s))
		m.Sum(k[:0])
	}
	return k
}

// checkSignature computes the candidate canonical requests and compares
// their signatures with the one sent. It returns the body to read.
func (v *Verifier) checkSignature(r *http.Request, p *parsed, key *[sha256.Size]byte) (io.Reader, error) {
	fail := func(sentinel error, format string, args ...any) (io.Reader, error) {
		return nil, &VerifyError{AccessKeyID: p.akid, Err: sentinel, Reason: fmt.Sprintf(format, args...)}
	}
	headers, err := v.canonicalHeaders(r, p)
	if err != nil {
		return nil, err
	}
	if name := unsignedAmzHeader(r, p); name != "" {
		return fail(ErrSignatureMismatch, "header %.64s not signed", name)
	}
	uris := v.canonicalURIs(r, p.service)
	queries := canonicalQueries(p)

	// The payload hashes to try: the one sent, or UNSIGNED-PAYLOAD (S3's
	// and botocore's presigned URLs) and the body's hash.
	var body io.Reader = r.Body
	if body == nil {
		body = http.NoBody
	}
	noBody := r.Body == nil || r.Body == http.NoBody // a server gives a body-less request http.NoBody
	hashes := []string{p.payloadHash}
	if p.payloadHash == "" {
		hashes = hashes[:0]
		if p.presigned {
			hashes = append(hashes, UnsignedPayload)
		}
		if noBody {
			hashes = append(hashes, EmptyPayloadHash)
		}
	}
	matched := ""
	try := func(hashes []string) {
		for _, h := range hashes {
			for _, u := range uris {
				for qi, q := range queries {
					if matched == "" && v.signatureMatches(r.Method, u, q, headers, p, h, key) {
						matched = h
						if p.presigned {
							p.tokenSigned = p.tokenInQuery && qi == 0
						}
					}
				}
			}
		}
	}
	try(hashes)
	if matched == "" && p.payloadHash == "" && !noBody {
		// Hash the body, buffered up to MaxBufferedBody.
		if r.ContentLength > v.o.MaxBufferedBody {
			return fail(ErrTooLarge, "body of %d bytes over the %d bytes buffered to hash it", r.ContentLength, v.o.MaxBufferedBody)
		}
		data, err := io.ReadAll(io.LimitReader(r.Body, v.o.MaxBufferedBody+1))
		if err != nil {
			return nil, &VerifyError{AccessKeyID: p.akid, Err: err, Reason: "reading the body to hash it"}
		}
		if int64(len(data)) > v.o.MaxBufferedBody {
			return fail(ErrTooLarge, "body over the %d bytes buffered to hash it", v.o.MaxBufferedBody)
		}
		sum := sha256.Sum256(data)
		body = bytes.NewReader(data)
		try([]string{hex.EncodeToString(sum[:])})
	}
	if matched == "" {
		return fail(ErrSignatureMismatch, "")
	}
	p.payloadHash = matched
	unsigned := matched == UnsignedPayload || matched == streamingUnsignedTrailer
	if unsigned && !v.o.AllowUnsignedPayload && !noBody {
		return fail(ErrNotAllowed, "unsigned payload")
	}
	switch matched {
	case UnsignedPayload:
		return body, nil
	case streamingSigned, streamingSignedTrailer, streamingUnsignedTrailer:
		return v.newChunkReader(r, body, p, key)
	}
	if noBody && matched == EmptyPayloadHash {
		return http.NoBody, nil
	}
	want, err := hex.DecodeString(matched)
	if err != nil || len(want) != sha256.Size {
		return fail(ErrMalformedAuth, "payload hash is not 64 hex digits")
	}
	if _, ok := body.(*bytes.Reader); ok {
		return body, nil // hashed above
	}
	return &hashReader{r: body, h: sha256.New(), want: want, akid: p.akid, remain: r.ContentLength}, nil
}

func (v *Verifier) signatureMatches(method, uri, query string, headers []byte, p *parsed, payloadHash string, key *[sha256.Size]byte) bool {
	h := sha256.New()
	for _, s := range []string{method, "\n", uri, "\n", query, "\n"} {
		io.WriteString(h, s)
	}
	h.Write(headers)
	io.WriteString(h, "\n")
	io.WriteString(h, p.signedHeadersRaw)
	io.WriteString(h, "\n")
	io.WriteString(h, payloadHash)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], sum[:])

	m := hmac.New(sha256.New, key[:])
	io.WriteString(m, algorithm+"\n")
	io.WriteString(m, p.dateRaw)
	io.WriteString(m, "\n")
	io.WriteString(m, p.scope)
	io.WriteString(m, "\n")
	m.Write(hexSum[:])
	var sig [sha256.Size]byte
	return hmac.Equal(m.Sum(sig[:0]), p.signature[:])
}

// hashReader returns its reader's bytes and, at the end, fails with
// ErrSignatureMismatch when their SHA-256 is not the signed one. The end is
// io.EOF or, when the length is known, its last byte: a caller that reads
// exactly Content-Length bytes (io.ReadFull, io.CopyN) never asks for the
// io.EOF, and both drop an error returned beside the bytes that complete
// their count. The read that completes the body is therefore checked
// before it returns, and on a mismatch it returns 0 bytes and the error.
type hashReader struct {
	r      io.Reader
	h      hash.Hash
	want   []byte
	akid   string
	remain int64 // bytes left to Content-Length; negative when unknown
	err    error
}

func (hr *hashReader) Read(b []byte) (int, error) {
	if hr.err != nil {
		return 0, hr.err
	}
	n, err := hr.r.Read(b)
	hr.h.Write(b[:n])
	if hr.remain >= 0 {
		hr.remain -= int64(n)
		if hr.remain <= 0 && err == nil {
			err = io.EOF // a server's body ends at Content-Length
		}
	}
	if err == io.EOF {
		var sum [sha256.Size]byte
		if hr.remain > 0 || !hmac.Equal(hr.h.Sum(sum[:0]), hr.want) {
			hr.err = &VerifyError{AccessKeyID: hr.akid, Err: ErrSignatureMismatch, Reason: "body does not match the signed payload hash"}
			return 0, hr.err
		}
		if n > 0 {
			hr.err = io.EOF
			return n, nil
		}
	}
	if err != nil {
		if err != io.EOF {
			err = &VerifyError{AccessKeyID: hr.akid, Err: err, Reason: "reading the body"}
		}
		hr.err = err
	}
	return n, err
}

// String hides the reader's state from fmt.
func (hr *hashReader) String() string { return "sigv4temp.hashReader" }

// unsignedAmzHeader returns the lowercase name of an x-amz-* header the
// request sends but does not sign, or "". S3 requires every x-amz-* header
// sent to be signed, in the Authorization header and in presigned URLs
// alike ("Any x-amz-* headers that you plan to add to the request",
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html,
// sigv4-auth-using-authorization-header.html; S3 answers AccessDenied
// "There were headers present in the request which were not signed"):
// added after signing, x-amz-acl makes an object public and
// x-amz-copy-source turns a PUT into a copy. Left out: the session token
// (TokenAfterSigning sends it unsigned; Verify checks it against the
// credentials), and X-Amz-Date and X-Amz-Content-Sha256, whose values the
// string to sign holds anyway.
func unsignedAmzHeader(r *http.Request, p *parsed) string {
	for k := range r.Header {
		if len(k) < 6 || !strings.EqualFold(k[:6], "x-amz-") {
			continue
		}
		name := strings.ToLower(k)
		switch name {
		case "x-amz-date", "x-amz-content-sha256", strings.ToLower(p.tokenName):
			continue
		}
		if _, found := slices.BinarySearch(p.signedHeaders, name); !found {
			return name
		}
	}
	return ""
}
