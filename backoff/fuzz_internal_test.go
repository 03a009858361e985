package backoff

import (
	"math"
	"net/http"
	"testing"
	"time"
)

// FuzzRetryAfter: any header values give a delay in [d, d+5s] (saturated),
// never negative, never a panic.
func FuzzRetryAfter(f *testing.F) {
	f.Add("1500", "", int64(10*time.Millisecond))
	f.Add("", "2", int64(0))
	f.Add("", "Wed, 21 Oct 2015 07:28:00 GMT", int64(time.Second))
	f.Add("9223372036854775807", "", int64(math.MaxInt64-1))
	f.Add("-1", "-5", int64(1))
	f.Add("", "Thu, 26 Nov 2026 03:00:05 GMT", int64(0))
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, amz, std string, d int64) {
		if d < 0 {
			d = -(d + 1)
		}
		delay := time.Duration(d)
		h := http.Header{}
		if amz != "" {
			h.Set("X-Amz-Retry-After", amz)
		}
		if std != "" {
			h.Set("Retry-After", std)
		}
		err := &ResponseError{Response: &http.Response{StatusCode: 503, Header: h}}
		got := retryAfter(delay, err, func() time.Time { return now })
		hi := time.Duration(math.MaxInt64)
		if delay <= hi-maxRetryAfterExtra {
			hi = delay + maxRetryAfterExtra
		}
		if got < delay || got > hi {
			t.Fatalf("retryAfter(%v, %q, %q) = %v, want in [%v, %v]", delay, amz, std, got, delay, hi)
		}
	})
}

// FuzzErrorCode: any body gives a code without panicking, and the code is
// bounded by the body (JSON decoding may turn each invalid byte into the
// 3-byte U+FFFD, hence 3x).
func FuzzErrorCode(f *testing.F) {
	f.Add([]byte(`<Error><Code>SlowDown</Code></Error>`))
	f.Add([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"}`))
	f.Add([]byte(`{"code":"ThrottlingException"}`))
	f.Add([]byte(`<Error><Code>`))
	f.Add([]byte(`{"__type":`))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		if c := errorCode(body); len(c) > 3*len(body) {
			t.Fatalf("errorCode(%q) = %q, longer than 3x the body", body, c)
		}
	})
}

func TestErrorCode(t *testing.T) {
	for body, want := range map[string]string{
		`<?xml version="1.0"?><Error><Code>SlowDown</Code></Error>`:                            "SlowDown",
		`<ErrorResponse><Error><Code> Throttling </Code></Error></ErrorResponse>`:              "Throttling",
		`{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"}`: "ProvisionedThroughputExceededException",
		`{"code":"TooManyRequestsException"}`:                                                  "TooManyRequestsException",
		`{"__type":"A","code":"B"}`:                                                            "A",
		`not xml`:                                                                              "",
		`<Error><Message>x</Message></Error>`:                                                  "",
		``:                                                                                     "",
	} {
		if got := errorCode([]byte(body)); got != want {
			t.Errorf("errorCode(%q) = %q, want %q", body, got, want)
		}
	}
}
