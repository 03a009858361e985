package sigv4temp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Errors of this package. Every error that Sign, Presign, SessionDuration
// and NewTransport return, and every error that a Transport returns before
// its base RoundTripper is called, matches one of them with errors.Is (an
// error from a reader or a credentials provider stays reachable too). A
// Transport returns its base RoundTripper's errors unchanged.
var (
	// ErrExpired means that credentials that can expire have expired at
	// the signing time.
	ErrExpired = errors.New("sigv4temp: credentials expired")
	// ErrMissingToken means a temporary access key ID ("ASIA...") without
	// its session token.
	ErrMissingToken = errors.New("sigv4temp: temporary access key without a session token")
	// ErrExpiresTooLong means that a presigned URL asked to live more than
	// 7 days, or longer than its credentials (without ClampExpiry).
	ErrExpiresTooLong = errors.New("sigv4temp: presigned URL expiry too long")
	// ErrInvalid means missing credentials, an expiry under one second, an
	// empty service or region, a nil request or provider, a query string
	// that does not parse, or an option out of range.
	ErrInvalid = errors.New("sigv4temp: invalid signing input")
	// ErrBody means that the request body could not be read to hash it;
	// the reader's error is wrapped too.
	ErrBody = errors.New("sigv4temp: reading the request body")
	// ErrCredentials means that a Transport's credentials provider failed;
	// the provider's error is wrapped too.
	ErrCredentials = errors.New("sigv4temp: retrieving credentials")
)

// Header and query names of SigV4.
const (
	headerAuthorization = "Authorization"
	headerDate          = "X-Amz-Date"
	headerToken         = "X-Amz-Security-Token"
	headerContentSHA256 = "X-Amz-Content-Sha256"
	// headerS3Session carries the session token of S3 Express One Zone
	// (service s3express) instead of X-Amz-Security-Token, signed: the SDK's
	// S3 Express signer (service/s3 internal/customizations) and botocore's
	// S3ExpressAuth and S3ExpressQueryAuth.
	headerS3Session = "X-Amz-S3session-Token"

	// UnsignedPayload is the payload hash S3 accepts for a body left out of
	// the signature.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// EmptyPayloadHash is the hex SHA-256 of an empty body.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

	// MaxPresignExpiry is the longest a SigV4 presigned URL may live.
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// Options tunes Sign and Presign (and, through TransportOptions, a
// Transport). The zero value signs the way the service named in the call
// expects, as botocore does:
//
//   - S3 ("s3", "s3-object-lambda", "s3express"): the path encoded once and
//     not normalized, the body hashed into x-amz-content-sha256 (Sign), and
//     UNSIGNED-PAYLOAD for presigned URLs (Presign). These always apply to
//     S3 services; PayloadHash still overrides the hash. For "s3express"
//     (S3 Express One Zone) the session token travels, signed, in
//     X-Amz-S3session-Token (a header, or a query parameter of a presigned
//     URL) instead of X-Amz-Security-Token, and TokenAfterSigning does not
//     apply.
//   - Every other service: the body hashed, the path normalized (dot
//     segments and empty segments removed) and encoded twice.
//
// In both cases the session token is signed.
type Options struct {
	// PayloadHash is the hex SHA-256 of the body, or UnsignedPayload.
	// "" means computed: through Request.GetBody, or by buffering the body
	// (Sign); UnsignedPayload for S3 presigned URLs.
	PayloadHash string
	// TokenAfterSigning sends the session token but leaves it out of the
	// signature (AWS IoT, the test suite's omit_session_token cases).
	TokenAfterSigning bool
	// DisableURIPathEscaping signs the path as it is sent, encoded once
	// (S3 does so always).
	DisableURIPathEscaping bool
	// DisablePathNormalization signs the path without removing "." and
	// ".." segments and empty segments (S3 does so always).
	DisablePathNormalization bool
	// ContentSHA256Header also sets and signs x-amz-content-sha256 (S3 does
	// so always in Sign).
	ContentSHA256Header bool
	// ClampExpiry makes Presign shorten the expiry to the credentials'
	// lifetime instead of failing.
	ClampExpiry bool
}

func options(optFns []func(*Options)) Options {
	if len(optFns) == 0 {
		return Options{} // no allocation on the common path
	}
	o := new(Options)
	for _, fn := range optFns {
		fn(o)
	}
	return *o
}

// checkCredentials applies the rules this package adds before the SDK signs.
func checkCredentials(creds aws.Credentials, now time.Time) error {
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return fmt.Errorf("%w: missing access key ID or secret access key", ErrInvalid)
	}
	if creds.CanExpire && !now.Before(creds.Expires) {
		return fmt.Errorf("%w: access key %s expired at %s, signing at %s", ErrExpired, creds.AccessKeyID,
			creds.Expires.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if strings.HasPrefix(creds.AccessKeyID, "ASIA") && creds.SessionToken == "" {
		return fmt.Errorf("%w: access key %s", ErrMissingToken, creds.AccessKeyID)
	}
	return nil
}

// Sign signs r in place with the package's default Signer; see [Signer.Sign].
func Sign(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, optFns ...func(*Options)) error {
	return defaultSigner.Sign(ctx, r, creds, service, region, now, optFns...)
}

// Presign presigns r with the package's default Signer; see [Signer.Presign].
func Presign(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, expires time.Duration, optFns ...func(*Options)) (signedURL string, signedHeader http.Header, err error) {
	return defaultSigner.Presign(ctx, r, creds, service, region, now, expires, optFns...)
}

// Sign signs r in place with SigV4 (aws/signer/v4) and the given credentials,
// as of now. With temporary credentials it sends the session token in
// X-Amz-Security-Token, signed unless TokenAfterSigning; long-term
// credentials produce no token header at all.
//
// Sign first merges header keys that differ only in case ("x-amz-date" and
// "X-Amz-Date") under their canonical name, then removes the Authorization,
// X-Amz-Date and X-Amz-Security-Token headers of an earlier signature, so
// signing twice is the same as signing once and the signature does not
// depend on map order. It hashes the body unless Options.PayloadHash is
// given: through r.GetBody when set, otherwise by reading r.Body into memory
// and replacing it (and setting GetBody), so the body can still be sent and
// re-sent.
//
// The query string keeps its pairs and their order; each name and value is
// re-encoded the way SigV4 encodes them (every byte but A-Z a-z 0-9 - _ . ~
// as %XX, so a space or a "+" becomes %20), and a name without "=" gets one
// ("flag" becomes "flag="). A query that does not parse (a bad %-escape, a
// ";") is ErrInvalid. The path is sent as it is; only its signed form is
// normalized (Options). r.Host loses a default port (":443" for https),
// keeping the brackets of an IPv6 literal.
//
// Errors: ErrExpired, ErrMissingToken, ErrInvalid, or ErrBody (wrapping the
// body's read error). No error carries the secret key or the token.
func (s *Signer) Sign(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, optFns ...func(*Options)) error {
	o := options(optFns)
	if err := checkInputs(r, service, region); err != nil {
		return err
	}
	query, err := reencodeQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	if err := checkCredentials(creds, now); err != nil {
		return err
	}
	s3 := isS3(service)
	hash, err := payloadHash(r, o.PayloadHash)
	if err != nil {
		return err
	}
	h := r.Header
	if h == nil {
		h = http.Header{}
		r.Header = h
	}
	mergeHeaderKeys(h)
	removeSignature(h)
	if o.ContentSHA256Header || s3 {
		h[headerContentSHA256] = []string{hash}
	}
	express := service == "s3express"
	if express && creds.SessionToken != "" {
		h[headerS3Session] = []string{creds.SessionToken}
	}
	r.URL.RawQuery = query
	if host := signingHost(r); r.Host != "" || host != r.URL.Host {
		r.Host = host
	}
	// When the signed path differs from the one sent (normalization), the
	// SDK signs a shallow copy whose URL carries it; the headers are shared.
	// Either way the SDK's rewrite of the query string (sorted) is undone:
	// the pairs go out in the caller's order.
	target := r
	if !s3 && !o.DisablePathNormalization {
		if p := uriPath(r.URL); !isNormalized(p) {
			c := *r
			u := *r.URL
			u.Opaque, u.RawPath = normalizePath(p), ""
			c.URL = &u
			target = &c
		}
	}
	err = s.signerFor(creds.AccessKeyID, creds.SecretAccessKey, o.DisableURIPathEscaping || s3, o.TokenAfterSigning || express).
		SignHTTP(ctx, creds, target, hash, service, region, now.UTC())
	r.URL.RawQuery = query
	if err != nil {
		return fmt.Errorf("%w: sign: %w", ErrInvalid, err)
	}
	if o.TokenAfterSigning && !express && creds.SessionToken != "" {
		h[headerToken] = []string{creds.SessionToken}
	}
	return nil
}

// Presign returns a presigned URL for r, valid for expires from now, and the
// headers that were signed (the caller of the URL must send them). It does
// not modify r. It always sets X-Amz-Expires, and removes the X-Amz-* query
// parameters of an earlier presignature first (in any letter case).
//
// expires must be whole seconds from 1 s to 7 days (ErrInvalid,
// ErrExpiresTooLong). A URL that would outlive credentials that can expire is
// ErrExpiresTooLong, unless ClampExpiry, which shortens it to the whole
// seconds the credentials have left. With temporary credentials the token
// goes into the X-Amz-Security-Token query parameter, signed unless
// TokenAfterSigning (then it is added after the signature, in the query,
// before any fragment). The payload hash is computed as for Sign, except for
// S3 services, whose presigned URLs carry UNSIGNED-PAYLOAD as botocore's do.
// The query parameters of the URL are sorted by name and value and encoded
// as SigV4 encodes them; a query that does not parse is ErrInvalid.
func (s *Signer) Presign(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, expires time.Duration, optFns ...func(*Options)) (signedURL string, signedHeader http.Header, err error) {
	o := options(optFns)
	if err := checkInputs(r, service, region); err != nil {
		return "", nil, err
	}
	if err := checkQuery(r.URL.RawQuery); err != nil {
		return "", nil, err
	}
	if err := checkCredentials(creds, now); err != nil {
		return "", nil, err
	}
	if expires < time.Second || expires%time.Second != 0 {
		return "", nil, fmt.Errorf("%w: expiry %v is not a whole number of seconds from 1s", ErrInvalid, expires)
	}
	if expires > MaxPresignExpiry {
		return "", nil, fmt.Errorf("%w: %v is over the 7-day limit", ErrExpiresTooLong, expires)
	}
	if creds.CanExpire {
		if left := creds.Expires.Sub(now); expires > left {
			if !o.ClampExpiry {
				return "", nil, fmt.Errorf("%w: %v, but the credentials expire in %v", ErrExpiresTooLong, expires, left)
			}
			expires = left.Truncate(time.Second)
			if expires < time.Second {
				return "", nil, fmt.Errorf("%w: less than a second left", ErrExpired)
			}
		}
	}
	s3 := isS3(service)
	hashIn := o.PayloadHash
	if hashIn == "" && s3 {
		hashIn = UnsignedPayload
	}
	if hashIn == "" && r.Body != nil && r.Body != http.NoBody && r.GetBody == nil {
		// Hashing would consume the caller's body, and Presign must not change r.
		return "", nil, fmt.Errorf("%w: presigning a body needs Options.PayloadHash or Request.GetBody", ErrInvalid)
	}
	c := r.Clone(ctx) // a deep copy of the URL and headers; the body is shared, and only read through GetBody
	if c.Header == nil {
		c.Header = http.Header{}
	}
	q := c.URL.Query()
	for k := range q {
		if isPresignParam(k) {
			delete(q, k)
		}
	}
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	c.URL.RawQuery = q.Encode()
	mergeHeaderKeys(c.Header)
	removeSignature(c.Header)
	hash, err := payloadHash(c, hashIn)
	if err != nil {
		return "", nil, err
	}
	if o.ContentSHA256Header {
		c.Header[headerContentSHA256] = []string{hash}
	}
	express := service == "s3express"
	if express && creds.SessionToken != "" {
		c.Header[headerS3Session] = []string{creds.SessionToken} // hoisted into the query by the SDK
	}
	c.Host = signingHost(c)
	sent := *c.URL // the URL to hand out; the SDK may sign a normalized path instead
	if !s3 && !o.DisablePathNormalization {
		if p := uriPath(c.URL); !isNormalized(p) {
			c.URL.Opaque, c.URL.RawPath = normalizePath(p), ""
		}
	}
	presigned, signedHeader, err := s.signerFor(creds.AccessKeyID, creds.SecretAccessKey, o.DisableURIPathEscaping || s3, o.TokenAfterSigning || express).
		PresignHTTP(ctx, creds, c, hash, service, region, now.UTC())
	if err != nil {
		return "", nil, fmt.Errorf("%w: presign: %w", ErrInvalid, err)
	}
	presigned, _, _ = strings.Cut(presigned, "#")
	_, sent.RawQuery, _ = strings.Cut(presigned, "?")
	if o.TokenAfterSigning && !express && creds.SessionToken != "" {
		sent.RawQuery += "&X-Amz-Security-Token=" + queryEscape(creds.SessionToken)
	}
	return sent.String(), signedHeader, nil
}

// removeSignature deletes the headers an earlier signature set.
func removeSignature(h http.Header) {
	delete(h, headerAuthorization)
	delete(h, headerDate)
	delete(h, headerToken)
	delete(h, headerS3Session)
}

// isPresignParam reports whether k is a query parameter of a presignature,
// in any letter case.
func isPresignParam(k string) bool {
	for _, p := range [...]string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
		"X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", headerS3Session} {
		if strings.EqualFold(k, p) {
			return true
		}
	}
	return false
}

// queryEscape escapes as SigV4 does: every byte but A-Z a-z 0-9 - _ . ~.
func queryEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	writeEscaped(&b, s)
	return b.String()
}

func checkInputs(r *http.Request, service, region string) error {
	switch {
	case r == nil || r.URL == nil:
		return fmt.Errorf("%w: nil request or URL", ErrInvalid)
	case service == "" || region == "":
		return fmt.Errorf("%w: empty service or region", ErrInvalid)
	}
	return nil
}

// payloadHash returns the hash to sign: the given one, the empty hash for no
// body, or the SHA-256 of the body read through GetBody or buffered.
func payloadHash(r *http.Request, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		return EmptyPayloadHash, nil
	}
	h := sha256.New()
	if r.GetBody != nil {
		body, err := r.GetBody()
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrBody, err)
		}
		_, err = io.Copy(h, body)
		body.Close()
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrBody, err)
		}
	} else {
		data, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			// The body is consumed: put back what was read, so nothing is lost.
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), errReader{err}))
			return "", fmt.Errorf("%w: %w", ErrBody, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		r.ContentLength = int64(len(data))
		h.Write(data)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])), nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
