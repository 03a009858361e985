package backoff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"

	"github.com/awskit/awskit/internal/awserr"
)

// NewTransport returns an http.RoundTripper that retries requests through
// base (nil means http.DefaultTransport) as Retry does with p: backoff,
// ThrottleBackoff after throttling answers, retry-after headers
// (x-amz-retry-after and Retry-After), budget, and Limiter when set (Wait
// before every attempt, Observe after every answer). Each attempt sends a
// fresh clone of the request through base, so a signing transport below it
// (sigv4temp's) signs every attempt afresh.
//
// A request is retried only when its body can be replayed (no body,
// http.NoBody, or GetBody set, as http.NewRequest sets for in-memory bodies)
// and, on top of p.Retryable (nil means IsRetryable), either its method is
// idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, or an Idempotency-Key
// or X-Idempotency-Key header, as net/http decides) or the answer proves it
// was not processed: HTTP 429, HTTP 503 with the error code SlowDown, or a
// refused connection, or an answer with a throttling error code (the request
// was refused). An answer counts as an error when its status is 429 or 5xx,
// or 400 with a throttling error code (as DynamoDB and the other JSON APIs
// throttle); the error code is found in an x-amzn-ErrorType header or the
// first 4 KiB of an XML <Code> or JSON __type/code body, so that IsThrottle
// sees SlowDown and ThrottlingException.
//
// When Retry gives up on an answer (not retryable, attempts or budget
// exhausted, deadline), RoundTrip returns that last answer, not an error,
// as any RoundTripper does; the bodies of the answers it retried past are
// drained and closed. Retry cannot tell such an answer from a first one: an
// operation that sends through this transport and turns the answer into an
// error must not itself be wrapped in Retry, or the attempts multiply. When
// the context ends or the limiter refuses, it returns an *Error. The error is ErrInvalidPolicy when p sets both Backoff
// and NewBackoff. The transport is safe for concurrent use when p's
// contents are.
func NewTransport(base http.RoundTripper, p Policy) (http.RoundTripper, error) {
	if p.Backoff != nil && p.NewBackoff != nil {
		return nil, fmt.Errorf("%w: both Backoff and NewBackoff are set", ErrInvalidPolicy)
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{base: base, p: p}, nil
}

type transport struct {
	base http.RoundTripper
	p    Policy
}

// maxErrorPeek bounds how much of an error answer's body is read to find its
// error code.
const maxErrorPeek = 4 << 10

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	p := t.p
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	if !replayable {
		p.MaxAttempts = -1 // one attempt, still paced by the limiter
	}
	idempotent := isIdempotent(req)
	retryable := p.Retryable
	if retryable == nil {
		retryable = IsRetryable
	}
	p.Retryable = func(err error) bool {
		return retryable(err) && (idempotent || notProcessed(err))
	}
	var last *http.Response // an answer retried past, to close before the next attempt
	onRetry := p.OnRetry
	p.OnRetry = func(attempt int, d time.Duration, err error) {
		if last != nil {
			discard(last)
			last = nil
		}
		if onRetry != nil {
			onRetry(attempt, d, err)
		}
	}
	attempt := 0
	resp, err := RetryValue(req.Context(), p, func(ctx context.Context) (*http.Response, error) {
		attempt++
		// A clone for every attempt, the first included: a base that
		// modifies what it gets (a signer setting headers) then never
		// changes the caller's request or a later attempt.
		r := req.Clone(ctx)
		if attempt > 1 {
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, fmt.Errorf("backoff: replaying the request body: %w", err)
				}
				r.Body = body
			}
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 && resp.StatusCode != http.StatusBadRequest {
			return resp, nil
		}
		rerr := newResponseError(resp)
		if resp.StatusCode == http.StatusBadRequest && !IsThrottle(rerr) {
			return resp, nil // a client error; but AWS JSON APIs throttle with 400
		}
		last = resp
		return nil, rerr
	})
	if err == nil {
		return resp, nil
	}
	if attempt == 0 && req.Body != nil {
		// No attempt reached base (the limiter refused the first): close
		// the body here, as a RoundTripper must, even on errors.
		_ = req.Body.Close()
	}
	var rerr *Error
	var serr *ResponseError
	if errors.As(err, &rerr) && errors.As(rerr.Last, &serr) && !errors.Is(rerr.Err, ErrContextDone) && !errors.Is(rerr.Err, ErrLimiter) {
		return serr.Response, nil
	}
	if last != nil {
		discard(last)
	}
	return nil, err
}

// isIdempotent follows net/http's rule for replaying requests.
func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	_, key := req.Header["Idempotency-Key"]
	_, xkey := req.Header["X-Idempotency-Key"]
	return key || xkey
}

// notProcessed reports whether err proves the server did not act on the
// request: 429, 503 SlowDown, a throttling error code, or a refused
// connection.
func notProcessed(err error) bool {
	var serr *ResponseError
	if errors.As(err, &serr) {
		return serr.Response.StatusCode == http.StatusTooManyRequests ||
			serr.Response.StatusCode == http.StatusServiceUnavailable && serr.Code == "SlowDown" ||
			IsThrottle(serr)
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// ResponseError is the error NewTransport's attempts see for an answer with
// status 429 or 5xx (or a throttling 400), so that IsRetryable, IsThrottle, Retryable callbacks and
// OnRetry can classify it. RoundTrip never returns it: when it gives up, it
// returns the Response itself.
type ResponseError struct {
	Response *http.Response
	// Code is the answer's error code; "" if none was found, or if what was
	// found is not shaped like one (letters, digits, '.', '_', '-'; at most
	// 128 bytes).
	Code string
}

func newResponseError(resp *http.Response) *ResponseError {
	// "ns#Code:url" to "Code", as the SDK's JSON deserializers do.
	e := &ResponseError{Response: resp, Code: restjson.SanitizeErrorCode(resp.Header.Get("X-Amzn-Errortype"))}
	if e.Code == "" && resp.Body != nil {
		peek, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorPeek))
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
		e.Code = errorCode(peek)
	}
	if !validCode(e.Code) {
		e.Code = "" // server text that is no error code stays out of error strings
	}
	return e
}

// maxCodeLen bounds an error code; AWS's are well under it.
const maxCodeLen = 128

// validCode reports whether c is shaped like an AWS error code: letters,
// digits, '.', '_' and '-', at most maxCodeLen bytes.
func validCode(c string) bool {
	if len(c) > maxCodeLen {
		return false
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

// errorCode finds the error code in an XML (<Code>, as S3 and the query APIs
// send it) or JSON (__type or code, as the JSON APIs send it) error body,
// "ns#Code:url" reduced to "Code" as the SDK does.
func errorCode(body []byte) string {
	return restjson.SanitizeErrorCode(awserr.Code(body))
}

// Error returns "backoff: HTTP STATUS CODE".
func (e *ResponseError) Error() string {
	if e.Code == "" {
		return "backoff: HTTP " + e.Response.Status
	}
	return "backoff: HTTP " + e.Response.Status + " " + e.Code
}

// HTTPStatusCode returns the answer's status code.
func (e *ResponseError) HTTPStatusCode() int { return e.Response.StatusCode }

// HTTPResponse returns the answer, for its retry-after headers.
func (e *ResponseError) HTTPResponse() *http.Response { return e.Response }

// ErrorCode returns Code, as the SDK's error classifiers read it.
func (e *ResponseError) ErrorCode() string { return e.Code }

func discard(resp *http.Response) {
	if resp.Body == nil { // a base breaking the RoundTripper contract
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, maxErrorPeek)
	_ = resp.Body.Close()
}
