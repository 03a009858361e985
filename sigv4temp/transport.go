package sigv4temp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awskit/awskit/internal/awserr"
)

// DefaultExpiryWindow is how long before their expiry a Transport refreshes
// credentials when TransportOptions.ExpiryWindow is 0. The SDK's
// aws.CredentialsCache refreshes at the expiry itself unless told otherwise;
// a request signed in the last instant of its credentials reaches AWS
// after it.
const DefaultExpiryWindow = time.Minute

// TransportOptions tunes a Transport. The zero value signs as Options'
// zero value does, refreshes credentials DefaultExpiryWindow before they
// expire, and reads time.Now.
type TransportOptions struct {
	// Options are the signing options of every request.
	Options
	// ExpiryWindow: credentials that expire within this window of the
	// request's time are refreshed before signing. 0 means
	// DefaultExpiryWindow; a negative window is ErrInvalid.
	ExpiryWindow time.Duration
	// Now is the clock, read once per attempt: that one reading decides
	// whether to refresh and is the signing time. nil means time.Now.
	Now func() time.Time
}

// NewTransport returns a Transport of the package's default Signer; see
// [Signer.Transport].
func NewTransport(base http.RoundTripper, provider aws.CredentialsProvider, service, region string, optFns ...func(*TransportOptions)) (*Transport, error) {
	return defaultSigner.Transport(base, provider, service, region, optFns...)
}

// Transport is an http.RoundTripper that signs every request with SigV4 and
// credentials from a provider, then sends it through a base RoundTripper.
// Make one with [NewTransport] or [Signer.Transport]; the zero value is not
// usable. A Transport is safe for concurrent use.
//
// Credentials are retrieved on the first request and kept until they are
// within the expiry window of a request's time; then one request refreshes
// them while concurrent ones wait for that refresh (or for their context).
// The caller's request is never modified (the RoundTripper contract): each
// attempt signs a clone, with the body re-read through GetBody, so a
// request can be retried by the caller or by base.
//
// A Transport retries once, with credentials retrieved anew, when signing
// finds them expired (ErrExpired), or when AWS answers 403 with the error
// code ExpiredToken, ExpiredTokenException or RequestExpired (the XML <Code>
// of S3 and the query APIs, the JSON "__type" or "code" of JSON APIs, or
// the X-Amzn-ErrorType header), provided the body can be sent again: no
// body, a GetBody, or a body the signing buffered. The refresh also
// invalidates a provider that has an Invalidate method, such as
// *aws.CredentialsCache.
//
// A redirect that an http.Client follows to another host, or from https
// to http, is not signed: RoundTrip fails with ErrInvalid, so that host
// never receives the session token or a signature (net/http likewise drops
// Authorization on such redirects). A redirect on the same host is signed.
//
// A Transport's String, GoString and LogValue print its service and region
// only, never credentials.
type Transport struct {
	signer  *Signer
	base    http.RoundTripper
	service string
	region  string
	window  time.Duration
	now     func() time.Time
	creds   *credentialCache
	optFns  []func(*Options) // the signing options as an option function, made once
}

// Transport returns a Transport that signs with s for service and region,
// with credentials from provider, and sends through base
// (http.DefaultTransport when nil). A nil provider, an empty service or
// region, or a negative ExpiryWindow is ErrInvalid.
func (s *Signer) Transport(base http.RoundTripper, provider aws.CredentialsProvider, service, region string, optFns ...func(*TransportOptions)) (*Transport, error) {
	var o TransportOptions
	for _, fn := range optFns {
		fn(&o)
	}
	switch {
	case provider == nil:
		return nil, fmt.Errorf("%w: nil credentials provider", ErrInvalid)
	case service == "" || region == "":
		return nil, fmt.Errorf("%w: empty service or region", ErrInvalid)
	case o.ExpiryWindow < 0:
		return nil, fmt.Errorf("%w: negative expiry window %v", ErrInvalid, o.ExpiryWindow)
	}
	if base == nil {
		base = http.DefaultTransport
	}
	if o.ExpiryWindow == 0 {
		o.ExpiryWindow = DefaultExpiryWindow
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	signing := o.Options
	return &Transport{
		signer: s, base: base, service: service, region: region,
		window: o.ExpiryWindow, now: o.Now,
		creds:  &credentialCache{provider: provider, sem: make(chan struct{}, 1)},
		optFns: []func(*Options){func(x *Options) { *x = signing }},
	}, nil
}

// String returns "sigv4temp.Transport(SERVICE, REGION)". (Its receiver is
// a value, so that a copy of a Transport prints the same.)
func (t Transport) String() string {
	return fmt.Sprintf("sigv4temp.Transport(%s, %s)", t.service, t.region)
}

// GoString returns the same as String.
func (t Transport) GoString() string { return t.String() }

// LogValue returns the same as String, for log/slog.
func (t Transport) LogValue() slog.Value { return slog.StringValue(t.String()) }

// RoundTrip signs a clone of req and sends it through the base
// RoundTripper; see [Transport].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if prev := req.Response; prev != nil && prev.Request != nil && prev.Request.URL != nil && req.URL != nil &&
		(!strings.EqualFold(prev.Request.URL.Host, req.URL.Host) || prev.Request.URL.Scheme == "https" && req.URL.Scheme != "https") {
		// An http.Client following a redirect: net/http drops
		// Authorization on a redirect to another host; signing would
		// hand that host the session token and a signature.
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%w: not signing a redirect from %s://%s to %s://%s", ErrInvalid,
			prev.Request.URL.Scheme, prev.Request.URL.Host, req.URL.Scheme, req.URL.Host)
	}
	ctx := req.Context()
	r, used, err := t.attempt(ctx, req)
	if errors.Is(err, ErrExpired) {
		// Signing found the credentials expired at this attempt's time.
		// The body is still unread (credentials are checked first):
		// retrieve anew and sign again, once.
		t.creds.invalidate(used)
		r, used, err = t.attempt(ctx, req)
	}
	if err != nil {
		if req.Body != nil {
			req.Body.Close() // the contract: the transport closes the body, even on error
		}
		return nil, err
	}
	if req.Body != nil && r.Body != req.Body {
		req.Body.Close() // the clone reads its own copy (GetBody), or the buffered one
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusForbidden || !replayable(req, r) || !expiredAnswer(resp) {
		return resp, err
	}
	resp.Body.Close()
	t.creds.invalidate(used)
	r2, _, err := t.attempt(ctx, r) // r has a GetBody: replayable said so
	if err != nil {
		return nil, err
	}
	return t.base.RoundTrip(r2)
}

// attempt reads the clock once, gets credentials fresh at that time, and
// signs a clone of req with them, returning the clone and the credentials.
// A req without GetBody hands its body to the clone (the signing buffers it
// and sets the clone's GetBody).
func (t *Transport) attempt(ctx context.Context, req *http.Request) (*http.Request, aws.Credentials, error) {
	now := t.now()
	creds, err := t.creds.get(ctx, now, t.window)
	if err != nil {
		return nil, creds, err
	}
	r := req.Clone(ctx)
	if req.Body != nil && req.Body != http.NoBody && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, creds, fmt.Errorf("%w: %w", ErrBody, err)
		}
		r.Body = b
	}
	if err := t.signer.Sign(ctx, r, creds, t.service, t.region, now, t.optFns...); err != nil {
		if r.Body != nil && r.Body != req.Body {
			r.Body.Close()
		}
		return nil, creds, err
	}
	return r, creds, nil
}

// replayable reports whether the request can be sent again: no body, a
// GetBody on the caller's request, or a signed clone whose body the signing
// buffered (with a GetBody).
func replayable(req, signed *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || signed.GetBody != nil
}

// maxErrorBody bounds how much of a 403 answer is read to find its code.
const maxErrorBody = 64 << 10

// expiredAnswer reports whether a 403 answer says the credentials or the
// request expired. It reads at most maxErrorBody bytes of the body and
// puts them back, so a caller that gets the answer reads it whole.
func expiredAnswer(resp *http.Response) bool {
	if isExpiredCode(resp.Header.Get("X-Amzn-Errortype")) {
		return true
	}
	if resp.Body == nil {
		return false
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), errorAfter(err, resp.Body)), resp.Body}
	return isExpiredCode(awserr.Code(head))
}

// errorAfter returns r, or a reader failing with err when reading the head
// failed.
func errorAfter(err error, r io.Reader) io.Reader {
	if err != nil {
		return errReader{err}
	}
	return r
}

// isExpiredCode reports whether code names expired credentials or an
// expired request. JSON codes may carry a namespace before "#" and a URL
// after ":" (as the SDK's restjson.SanitizeErrorCode strips them).
func isExpiredCode(code string) bool {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	switch code {
	case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
		return true
	}
	return false
}

// credentialCache keeps one provider's credentials for a Transport.
type credentialCache struct {
	provider aws.CredentialsProvider
	sem      chan struct{} // held by the one refreshing goroutine

	mu    sync.Mutex
	creds aws.Credentials
	ok    bool
}

// String keeps the cached credentials out of fmt output, whatever prints a
// value holding the cache.
func (cc *credentialCache) String() string { return "credentials(redacted)" }

// GoString returns the same as String.
func (cc *credentialCache) GoString() string { return cc.String() }

// fresh reports whether c can sign at now without a refresh.
func fresh(c aws.Credentials, now time.Time, window time.Duration) bool {
	return !c.CanExpire || now.Add(window).Before(c.Expires)
}

func (cc *credentialCache) cached(now time.Time, window time.Duration) (aws.Credentials, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.creds, cc.ok && fresh(cc.creds, now, window)
}

// get returns credentials fresh at now, retrieving them when the cached
// ones are not. One goroutine retrieves at a time; the others wait for it
// (or for their context) and then use what it got. Credentials the
// provider returns inside the window are used as they are (signing
// rejects them if they have expired at now).
func (cc *credentialCache) get(ctx context.Context, now time.Time, window time.Duration) (aws.Credentials, error) {
	if c, ok := cc.cached(now, window); ok {
		return c, nil
	}
	select {
	case cc.sem <- struct{}{}:
	case <-ctx.Done():
		return aws.Credentials{}, fmt.Errorf("%w: %w", ErrCredentials, context.Cause(ctx))
	}
	defer func() { <-cc.sem }()
	if c, ok := cc.cached(now, window); ok {
		return c, nil // refreshed by the goroutine we waited for
	}
	c, err := cc.provider.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	cc.mu.Lock()
	cc.creds, cc.ok = c, true
	cc.mu.Unlock()
	return c, nil
}

// invalidate drops the cached credentials if they are still the ones used
// (a concurrent request may have refreshed them already), and then the
// provider's own cache when it has one (aws.CredentialsCache.Invalidate).
func (cc *credentialCache) invalidate(used aws.Credentials) {
	cc.mu.Lock()
	drop := cc.ok && cc.creds.AccessKeyID == used.AccessKeyID && cc.creds.SessionToken == used.SessionToken
	if drop {
		cc.ok = false
	}
	cc.mu.Unlock()
	if inv, ok := cc.provider.(interface{ Invalidate() }); ok && drop {
		inv.Invalidate()
	}
}
