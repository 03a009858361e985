package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/sigv4temp"
)

// A body whose damage shows only at its end (a signed payload hash, an
// unsigned-trailer checksum, a trailer) must not reach the upstream whole:
// the proxy forwards exactly Content-Length bytes, so the last read is the
// one that must fail.
func TestProxyDamageAtTheEnd(t *testing.T) {
	ctx := context.Background()
	base, received, reset := setup(t)
	data := bytes.Repeat([]byte("chunk of an upload "), 2_000) // 38 kB
	for _, tc := range []struct {
		name   string
		sign   func(r *http.Request) error
		damage func(enc []byte)
	}{
		{"signed payload hash", func(r *http.Request) error { return sigv4temp.Sign(ctx, r, creds, "s3", "eu-west-1", now) },
			func(enc []byte) { enc[len(enc)/2] ^= 1 }},
		{"unsigned trailer, data", func(r *http.Request) error {
			return sigv4temp.SignStreaming(ctx, r, creds, "s3", "eu-west-1", now, func(o *sigv4temp.StreamingOptions) {
				o.Unsigned, o.Trailer, o.ChunkSize = true, sigv4temp.ChecksumCRC32, 8<<10
			})
		}, func(enc []byte) { enc[len(enc)/2] ^= 1 }},
		{"signed trailer, checksum", func(r *http.Request) error {
			return sigv4temp.SignStreaming(ctx, r, creds, "s3", "eu-west-1", now, func(o *sigv4temp.StreamingOptions) {
				o.Trailer, o.ChunkSize = sigv4temp.ChecksumSHA256, 8<<10
			})
		}, func(enc []byte) {
			i := bytes.Index(enc, []byte("x-amz-checksum-sha256:")) + len("x-amz-checksum-sha256:")
			enc[i] ^= 1
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reset()
			r, _ := http.NewRequest("PUT", base+"/bucket/big.bin", bytes.NewReader(data))
			require.NoError(t, tc.sign(r))
			enc, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			tc.damage(enc)
			r.Body, r.GetBody = io.NopCloser(bytes.NewReader(enc)), nil
			resp, err := http.DefaultClient.Do(r)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.NotEqual(t, http.StatusOK, resp.StatusCode, string(b))
				assert.False(t, strings.HasPrefix(string(b), "upstream got"), string(b))
			}
			time.Sleep(100 * time.Millisecond) // let the upstream handler finish, if it ran
			_, got, complete := received()
			assert.False(t, complete && len(got) == len(data), "a damaged body reached the upstream whole")
		})
	}
}
