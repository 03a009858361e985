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
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Errors of this package; every error it returns matches one of them (or
// wraps the underlying I/O error) with errors.Is.
var (
	// ErrExpired: credentials that can expire have expired at the signing time.
	ErrExpired = errors.New("sigv4temp: credentials expired")
	// ErrMissingToken: a temporary access key ID ("ASIA...") without its session token.
	ErrMissingToken = errors.New("sigv4temp: temporary access key without a session token")
	// ErrExpiresTooLong: a presigned URL asked to live more than 7 days, or
	// longer than its credentials (without ClampExpiry).
	ErrExpiresTooLong = errors.New("sigv4temp: presigned URL expiry too long")
	// ErrInvalid: missing credentials, an expiry under one second, an empty
	// service or region, a nil request.
	ErrInvalid = errors.New("sigv4temp: invalid signing input")
)

// Header and query names of SigV4.
const (
	headerAuthorization = "Authorization"
	headerDate          = "X-Amz-Date"
	headerToken         = "X-Amz-Security-Token"
	headerContentSHA256 = "X-Amz-Content-Sha256"

	// UnsignedPayload is the payload hash S3 accepts for a body left out of
	// the signature.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// EmptyPayloadHash is the hex SHA-256 of an empty body.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

	// MaxPresignExpiry is the longest a SigV4 presigned URL may live.
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// Options tunes Sign, Presign and NewTransport. The zero value signs the way
// most AWS services expect: body hashed, token signed, path escaped twice.
type Options struct {
	PayloadHash            string // hex SHA-256 of the body; "" = computed (GetBody, or buffering); "UNSIGNED-PAYLOAD" allowed
	TokenAfterSigning      bool   // send the token but leave it out of the signature
	DisableURIPathEscaping bool   // encode the path once (S3)
	ContentSHA256Header    bool   // also set and sign x-amz-content-sha256 (S3)
	ClampExpiry            bool   // Presign: shorten expiry to the credentials' lifetime instead of failing
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

// Sign signs r in place with SigV4 (aws/signer/v4) and the given credentials,
// as of now. With temporary credentials it sends the session token in
// X-Amz-Security-Token, signed unless TokenAfterSigning; long-term
// credentials produce no token header at all.
//
// Sign first removes the Authorization, X-Amz-Date and X-Amz-Security-Token
// headers of an earlier signature (and X-Amz-Content-Sha256 with
// ContentSHA256Header), so signing twice is the same as signing once. It
// hashes the body unless Options.PayloadHash is given: through r.GetBody when
// set, otherwise by reading r.Body into memory and replacing it (and setting
// GetBody), so the body can still be sent and re-sent.
//
// Errors: ErrExpired, ErrMissingToken, ErrInvalid, or the body's read error.
// No error carries the secret key or the token.
func Sign(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, optFns ...func(*Options)) error {
	o := options(optFns)
	if err := checkInputs(r, service, region); err != nil {
		return err
	}
	if err := checkCredentials(creds, now); err != nil {
		return err
	}
	hash, err := payloadHash(r, o)
	if err != nil {
		return err
	}
	h := r.Header
	if h == nil {
		h = http.Header{}
		r.Header = h
	}
	removeSignature(h)
	if o.ContentSHA256Header {
		h[headerContentSHA256] = []string{hash}
	}
	err = signerFor(creds, o).SignHTTP(ctx, creds, r, hash, service, region, now.UTC())
	if err != nil {
		return fmt.Errorf("sigv4temp: sign: %w", err)
	}
	if o.TokenAfterSigning && creds.SessionToken != "" {
		h[headerToken] = []string{creds.SessionToken}
	}
	return nil
}

// Presign returns a presigned URL for r, valid for expires from now, and the
// headers that were signed (the caller of the URL must send them). It does
// not modify r. It always sets X-Amz-Expires, and removes the X-Amz-* query
// parameters of an earlier presignature first.
//
// expires must be whole seconds from 1 s to 7 days (ErrInvalid,
// ErrExpiresTooLong). A URL that would outlive credentials that can expire is
// ErrExpiresTooLong, unless ClampExpiry, which shortens it to the whole
// seconds the credentials have left. With temporary credentials the token
// goes into the X-Amz-Security-Token query parameter, signed unless
// TokenAfterSigning. The payload hash is computed as for Sign; for S3 pass
// PayloadHash UnsignedPayload, as S3 presigned URLs do.
func Presign(ctx context.Context, r *http.Request, creds aws.Credentials, service, region string, now time.Time, expires time.Duration, optFns ...func(*Options)) (signedURL string, signedHeader http.Header, err error) {
	o := options(optFns)
	if err := checkInputs(r, service, region); err != nil {
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
	if o.PayloadHash == "" && r.Body != nil && r.Body != http.NoBody && r.GetBody == nil {
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
	removeSignature(c.Header)
	hash, err := payloadHash(c, o)
	if err != nil {
		return "", nil, err
	}
	if o.ContentSHA256Header {
		c.Header[headerContentSHA256] = []string{hash}
	}
	signedURL, signedHeader, err = signerFor(creds, o).PresignHTTP(ctx, creds, c, hash, service, region, now.UTC())
	if err != nil {
		return "", nil, fmt.Errorf("sigv4temp: presign: %w", err)
	}
	if o.TokenAfterSigning && creds.SessionToken != "" {
		signedURL += "&X-Amz-Security-Token=" + queryEscape(creds.SessionToken)
	}
	return signedURL, signedHeader, nil
}

// removeSignature deletes the headers an earlier signature set.
func removeSignature(h http.Header) {
	delete(h, headerAuthorization)
	delete(h, headerDate)
	delete(h, headerToken)
}

func isPresignParam(k string) bool {
	switch k {
	case "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
		"X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token":
		return true
	}
	return false
}

// queryEscape escapes as SigV4 does: every byte but A-Z a-z 0-9 - _ . ~.
func queryEscape(s string) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
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
func payloadHash(r *http.Request, o Options) (string, error) {
	if o.PayloadHash != "" {
		return o.PayloadHash, nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		return EmptyPayloadHash, nil
	}
	h := sha256.New()
	if r.GetBody != nil {
		body, err := r.GetBody()
		if err != nil {
			return "", fmt.Errorf("sigv4temp: body: %w", err)
		}
		_, err = io.Copy(h, body)
		body.Close()
		if err != nil {
			return "", fmt.Errorf("sigv4temp: body: %w", err)
		}
	} else {
		data, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			// The body is consumed: put back what was read, so nothing is lost.
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), errReader{err}))
			return "", fmt.Errorf("sigv4temp: body: %w", err)
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

// signers holds one SDK signer per credential (access key ID and secret) and
// signing options. The SDK's signer caches its derived key by access key ID,
// service, region and day, ignoring the secret: a signer shared by two
// credentials with the same key ID but different secrets signs with the wrong
// key. Keying by a hash of both removes that, and keeps the cache's speed.
// The options are set when a signer is made, so no call allocates a closure.
// At most maxSigners are kept; past that the set is dropped and rebuilt.
var (
	signersMu sync.Mutex
	signers   = map[signerKey]*v4.Signer{}
)

type signerKey struct {
	creds                  [sha256.Size]byte
	disableEscaping, noTok bool
}

const maxSigners = 64

func signerFor(creds aws.Credentials, o Options) *v4.Signer {
	newSigner := func() *v4.Signer {
		return v4.NewSigner(func(so *v4.SignerOptions) {
			so.DisableURIPathEscaping = o.DisableURIPathEscaping
			so.DisableSessionToken = o.TokenAfterSigning
			so.Logger, so.LogSigning = debugLogger, debugLogger != nil
		})
	}
	if debugLogger != nil {
		return newSigner() // tests only: never reuse a signer that logs
	}
	key := signerKey{disableEscaping: o.DisableURIPathEscaping, noTok: o.TokenAfterSigning}
	var buf [512]byte
	if n := len(creds.AccessKeyID) + 1 + len(creds.SecretAccessKey); n <= len(buf) {
		i := copy(buf[:], creds.AccessKeyID)
		buf[i] = 0
		copy(buf[i+1:], creds.SecretAccessKey)
		key.creds = sha256.Sum256(buf[:n])
		clear(buf[:n]) // the secret does not linger on the stack
	} else {
		key.creds = sha256.Sum256([]byte(creds.AccessKeyID + "\x00" + creds.SecretAccessKey))
	}
	signersMu.Lock()
	defer signersMu.Unlock()
	s, ok := signers[key]
	if !ok {
		if len(signers) >= maxSigners {
			clear(signers)
		}
		s = newSigner()
		signers[key] = s
	}
	return s
}
