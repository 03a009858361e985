package sigv4temp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingBody reads r, then returns err where r would end (io.EOF).
type failingBody struct {
	r   io.Reader
	err error
}

func (f *failingBody) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}
func (f *failingBody) Close() error { return nil }

// The doc of the Err* variables: a read of Verified.Body that fails because
// r.Body failed returns a *VerifyError (AccessKeyID set, Reason "reading the
// body") whose Err is r.Body's error, for a signed payload hash and for
// aws-chunked bodies alike; io.EOF stays io.EOF; an unsigned payload's
// Body is r.Body as is, its errors unwrapped.
func TestVerifiedBodyWrapsReadErrors(t *testing.T) {
	boom := errors.New("connection reset by peer")
	body := bytes.Repeat([]byte("b"), 3*MinChunkSize)
	check := func(t *testing.T, r *http.Request, cut int, wrapped bool, optFns ...func(*VerifierOptions)) {
		t.Helper()
		enc, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		r.Body = &failingBody{r: bytes.NewReader(enc[:cut]), err: boom}
		vr, err := newVerifier(t, optFns...).Verify(context.Background(), r, vTime.Add(time.Minute))
		require.NoError(t, err)
		_, err = io.ReadAll(vr.Body)
		require.ErrorIs(t, err, boom)
		var ve *VerifyError
		if !wrapped {
			assert.Same(t, boom, err, "an unsigned payload's Body is r.Body as is")
			return
		}
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, vTemp.AccessKeyID, ve.AccessKeyID)
		assert.Equal(t, "reading the body", ve.Reason)
		again, err2 := vr.Body.Read(make([]byte, 10))
		assert.Zero(t, again)
		assert.Same(t, err, err2, "the error sticks")
	}
	t.Run("signed payload hash", func(t *testing.T) {
		r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/obj", body)
		require.NoError(t, Sign(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *Options) { o.ContentSHA256Header = true }))
		check(t, r, len(body)/2, true)
	})
	t.Run("aws-chunked", func(t *testing.T) {
		for _, cut := range []int{5, MinChunkSize + 100} { // in a chunk header, in a chunk's data
			check(t, streamingRequest(t, body, false, StreamingOptions{}), cut, true)
		}
	})
	t.Run("unsigned payload", func(t *testing.T) {
		r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/obj", body)
		require.NoError(t, Sign(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *Options) {
			o.ContentSHA256Header, o.PayloadHash = true, UnsignedPayload
		}))
		check(t, r, len(body)/2, false, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	})
}
