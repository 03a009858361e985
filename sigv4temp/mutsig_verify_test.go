package sigv4temp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// A body sent without X-Amz-Content-Sha256 is buffered to hash it: one of
// exactly MaxBufferedBody bytes verifies, whether its length is known or
// not; one byte more is ErrTooLarge.
func TestMutsigBufferedBodyBound(t *testing.T) {
	ctx := context.Background()
	const bound = 24
	v := newVerifier(t, func(o *VerifierOptions) { o.MaxBufferedBody = bound })
	for _, size := range []int{bound, bound + 1} {
		for _, unknown := range []bool{false, true} {
			body := bytes.Repeat([]byte("b"), size)
			r := mustReq(t, "PUT", "https://example.amazonaws.com/k", body)
			require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
			if unknown {
				r.Header.Set("Content-Length", fmt.Sprint(r.ContentLength)) // as a server sees a chunked request
				r.ContentLength = -1
			}
			vr, err := v.Verify(ctx, r, vTime)
			if size > bound {
				require.ErrorIs(t, err, ErrTooLarge, "size %d, unknown length %v", size, unknown)
				continue
			}
			require.NoError(t, err, "size %d, unknown length %v", size, unknown)
			got, err := io.ReadAll(vr.Body)
			require.NoError(t, err)
			require.Equal(t, body, got)
		}
	}
}

// An x-amz-* header must be signed whatever follows the prefix, even
// nothing; a shorter name is not an x-amz-* header.
func TestMutsigUnsignedAmzHeaderNames(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"X-Amz-", false},
		{"x-amz-", false},
		{"X-Amz-A", false},
		{"X-Amz", true},
		{"X-Am", true},
		{"Xamz-", true},
	} {
		r := mustReq(t, "GET", "https://example.amazonaws.com/k", nil)
		require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime))
		r.Header[tc.name] = []string{"v"}
		_, err := verifyAll(v, r, vTime)
		if tc.ok {
			require.NoError(t, err, "header %q", tc.name)
		} else {
			require.ErrorIs(t, err, ErrSignatureMismatch, "header %q", tc.name)
		}
	}
}

// VerifyError.Error is "<Err>[: access key <AccessKeyID>][: <Reason>]".
func TestMutsigVerifyErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    VerifyError
		want string
	}{
		{VerifyError{Err: ErrMissingAuth}, "sigv4temp: request not signed with SigV4"},
		{VerifyError{Err: ErrUnknownKey, AccessKeyID: "AKID"}, "sigv4temp: unknown access key: access key AKID"},
		{VerifyError{Err: ErrMalformedChunk, Reason: "chunk 0: x"}, "sigv4temp: malformed aws-chunked body: chunk 0: x"},
		{VerifyError{Err: ErrTooLarge, AccessKeyID: "AKID", Reason: "r"}, "sigv4temp: request exceeds a size bound: access key AKID: r"},
	} {
		require.Equal(t, tc.want, tc.e.Error())
	}
}
