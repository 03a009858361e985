package sigv4temp

import (
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// NewTransport returns an http.RoundTripper that signs every request with
// credentials retrieved from provider for that request, then sends it through
// base (http.DefaultTransport when nil).
//
// A provider that is not already an *aws.CredentialsCache is wrapped in one,
// so credentials are fetched once and refreshed before they expire, and
// concurrent requests share one refresh. The caller's request is never
// modified (the RoundTripper contract): each attempt signs a clone, with the
// body re-read through GetBody, so a request can be retried by the caller or
// by base. The signing time is the time of the attempt. Safe for concurrent
// use.
func NewTransport(base http.RoundTripper, provider aws.CredentialsProvider, service, region string, optFns ...func(*Options)) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if _, ok := provider.(*aws.CredentialsCache); !ok && provider != nil {
		provider = aws.NewCredentialsCache(provider)
	}
	return &transport{base: base, provider: provider, service: service, region: region, optFns: optFns, now: time.Now}
}

type transport struct {
	base     http.RoundTripper
	provider aws.CredentialsProvider
	service  string
	region   string
	optFns   []func(*Options)
	now      func() time.Time
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	closeBody := func() {
		if req.Body != nil {
			req.Body.Close() // the contract: the transport closes the body, even on error
		}
	}
	if t.provider == nil {
		closeBody()
		return nil, fmt.Errorf("%w: nil credentials provider", ErrInvalid)
	}
	ctx := req.Context()
	creds, err := t.provider.Retrieve(ctx)
	if err != nil {
		closeBody()
		return nil, fmt.Errorf("sigv4temp: retrieve credentials: %w", err)
	}
	r := req.Clone(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			// Sign buffers the body into the clone; the original is then drained.
			r.Body = req.Body
		} else {
			body, err := req.GetBody()
			if err != nil {
				closeBody()
				return nil, fmt.Errorf("sigv4temp: body: %w", err)
			}
			closeBody()
			r.Body = body
		}
	}
	if err := Sign(ctx, r, creds, t.service, t.region, t.now(), t.optFns...); err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(r)
}
