package sigv4temp

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// eofWithLastBytes returns io.EOF together with the last bytes, as the
// body of a request received by net/http does.
type eofWithLastBytes struct{ r *bytes.Reader }

func (e eofWithLastBytes) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err == nil && e.r.Len() == 0 {
		err = io.EOF
	}
	return n, err
}

// A gateway that reads exactly Content-Length bytes (io.ReadFull, io.CopyN)
// never makes the read that "reaches the end"; a tampered body must still
// fail, whichever way the underlying body reports its end.
func TestAttackHashedBodyReadToLength(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	body := []byte("the body that was signed")
	bad := []byte("the body that was change")
	for _, tc := range []struct {
		name string
		wrap func([]byte) io.ReadCloser
	}{
		{"EOF after the data", func(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }},
		{"EOF with the last data", func(b []byte) io.ReadCloser { return io.NopCloser(eofWithLastBytes{bytes.NewReader(b)}) }},
	} {
		for _, read := range []struct {
			name string
			f    func(io.Reader, int64) error
		}{
			{"ReadFull", func(r io.Reader, n int64) error { _, err := io.ReadFull(r, make([]byte, n)); return err }},
			{"CopyN", func(r io.Reader, n int64) error { _, err := io.CopyN(io.Discard, r, n); return err }},
		} {
			t.Run(tc.name+"/"+read.name, func(t *testing.T) {
				r := mustReq(t, "PUT", "https://example.amazonaws.com/k", body)
				require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) { o.ContentSHA256Header = true }))
				r.Body = tc.wrap(bad)
				vr, err := v.Verify(ctx, r, vTime)
				require.NoError(t, err)
				require.ErrorIs(t, read.f(vr.Body, r.ContentLength), ErrSignatureMismatch)

				// The untampered body still reads whole, then io.EOF.
				r = mustReq(t, "PUT", "https://example.amazonaws.com/k", body)
				require.NoError(t, Sign(ctx, r, vTemp, "service", "us-east-1", vTime, func(o *Options) { o.ContentSHA256Header = true }))
				r.Body = tc.wrap(body)
				vr, err = v.Verify(ctx, r, vTime)
				require.NoError(t, err)
				require.NoError(t, read.f(vr.Body, r.ContentLength))
				n, err := vr.Body.Read(make([]byte, 1))
				require.Equal(t, 0, n)
				require.ErrorIs(t, err, io.EOF)
			})
		}
	}
}

// An aws-chunked body read up to X-Amz-Decoded-Content-Length must not
// release its last bytes before the final chunk and the trailer (its
// checksum and signature) are checked.
func TestAttackChunkedReadToDecodedLength(t *testing.T) {
	ctx := context.Background()
	body := bytes.Repeat([]byte("0123456789abcdef"), 1000) // 16,000 bytes: two chunks of 8 KiB
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	for _, tc := range []struct {
		name   string
		opt    StreamingOptions
		tamper func(enc []byte) []byte
	}{
		{"unsigned trailer, data byte flipped", StreamingOptions{ChunkSize: 8 << 10, Unsigned: true, Trailer: ChecksumCRC32},
			func(enc []byte) []byte { enc[bytes.Index(enc, []byte("\r\n"))+2+100] ^= 1; return enc }},
		{"unsigned trailer, trailer never sent", StreamingOptions{ChunkSize: 8 << 10, Unsigned: true, Trailer: ChecksumCRC32},
			func(enc []byte) []byte { return enc[:bytes.LastIndex(enc, []byte("\r\n0\r\n"))+2] }},
		{"signed trailer, checksum replaced", StreamingOptions{ChunkSize: 8 << 10, Trailer: ChecksumSHA256},
			func(enc []byte) []byte {
				i := bytes.Index(enc, []byte("x-amz-checksum-sha256:")) + len("x-amz-checksum-sha256:")
				enc[i] ^= 1
				return enc
			}},
		{"signed, final chunk missing", StreamingOptions{ChunkSize: 8 << 10},
			func(enc []byte) []byte { return enc[:bytes.LastIndex(enc, []byte("\r\n0;"))+2] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := streamingRequest(t, body, false, tc.opt)
			enc := tc.tamper(wire(t, r))
			r.Body = io.NopCloser(bytes.NewReader(enc)) // Content-Length is signed: left as sent
			vr, err := v.Verify(ctx, r, vTime)
			require.NoError(t, err)
			got := make([]byte, len(body))
			_, err = io.ReadFull(vr.Body, got)
			require.Error(t, err)
		})
		t.Run(tc.name+"/untampered", func(t *testing.T) {
			r := streamingRequest(t, body, false, tc.opt)
			vr, err := v.Verify(ctx, r, vTime)
			require.NoError(t, err)
			got := make([]byte, len(body))
			_, err = io.ReadFull(vr.Body, got)
			require.NoError(t, err)
			require.Equal(t, body, got)
			n, err := vr.Body.Read(make([]byte, 1))
			require.Equal(t, 0, n)
			require.ErrorIs(t, err, io.EOF)
		})
	}
}
