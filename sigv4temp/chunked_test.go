package sigv4temp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChecksumNames(t *testing.T) {
	// The values are the SDK's.
	for c, sdk := range map[Checksum]types.ChecksumAlgorithm{
		ChecksumCRC32: types.ChecksumAlgorithmCrc32, ChecksumCRC32C: types.ChecksumAlgorithmCrc32c,
		ChecksumCRC64NVME: types.ChecksumAlgorithmCrc64nvme, ChecksumSHA1: types.ChecksumAlgorithmSha1,
		ChecksumSHA256: types.ChecksumAlgorithmSha256,
	} {
		assert.Equal(t, string(sdk), string(c))
		got, ok := checksumFromHeader(c.Header())
		assert.True(t, ok)
		assert.Equal(t, c, got)
	}
	// CRC-64/NVME's check value (the CRC of "123456789").
	assert.Equal(t, uint64(0xae8b14860a799888), crc64.Checksum([]byte("123456789"), crc64NVMETable))
}

// streamingRequest signs body with SignStreaming.
func streamingRequest(t testing.TB, body []byte, unknownLength bool, opt StreamingOptions) *http.Request {
	t.Helper()
	r := mustReq(t, "PUT", "https://bucket.s3.us-east-1.amazonaws.com/dir/obj%20name", body)
	if unknownLength {
		r.Body, r.ContentLength, r.GetBody = io.NopCloser(bytes.NewReader(body)), -1, nil
	}
	r.Header.Set("X-Amz-Meta-Owner", "me")
	require.NoError(t, SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { *o = opt }))
	return r
}

// wire returns what the client sends: the encoded body, as the server reads it.
func wire(t testing.TB, r *http.Request) []byte {
	t.Helper()
	enc, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	if r.ContentLength >= 0 {
		require.Equal(t, r.ContentLength, int64(len(enc)), "ContentLength is the encoded length")
	}
	r.Body = io.NopCloser(bytes.NewReader(enc))
	return enc
}

func TestStreamingRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(16, 1))
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	trailers := []Checksum{"", ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256}
	for _, size := range []int{0, 1, MinChunkSize - 1, MinChunkSize, MinChunkSize + 1, 3*MinChunkSize + 7, DefaultChunkSize, 200_000} {
		body := make([]byte, size)
		for i := range body {
			body[i] = byte(rnd.IntN(256))
		}
		for _, tr := range trailers {
			for _, unsigned := range []bool{false, true} {
				if unsigned && tr == "" {
					continue
				}
				for _, unknown := range []bool{false, true} {
					if unknown && !unsigned {
						continue
					}
					name := fmt.Sprintf("size=%d/trailer=%s/unsigned=%v/unknown=%v", size, tr, unsigned, unknown)
					opt := StreamingOptions{ChunkSize: MinChunkSize, Trailer: tr, Unsigned: unsigned}
					r := streamingRequest(t, body, unknown, opt)
					enc := wire(t, r)
					// Reading in odd sizes gives the same bytes.
					r2 := streamingRequest(t, body, unknown, opt)
					odd, err := io.ReadAll(iotest.OneByteReader(r2.Body))
					require.NoError(t, err, name)
					require.True(t, bytes.Equal(enc, odd), name)

					vr, err := v.Verify(context.Background(), r, vTime)
					require.NoError(t, err, name)
					got, err := io.ReadAll(iotest.HalfReader(vr.Body))
					require.NoError(t, err, name)
					require.True(t, bytes.Equal(body, got), name)
				}
			}
		}
	}
}

func TestStreamingTamper(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 3*MinChunkSize/16+100) // 4 chunks
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	for _, opt := range []StreamingOptions{
		{ChunkSize: MinChunkSize},
		{ChunkSize: MinChunkSize, Trailer: ChecksumCRC32C},
		{ChunkSize: MinChunkSize, Trailer: ChecksumSHA256, Unsigned: true},
	} {
		enc := wire(t, streamingRequest(t, body, false, opt))
		rnd := rand.New(rand.NewPCG(uint64(len(enc)), 2))
		for range 300 {
			pos := rnd.IntN(len(enc))
			bad := bytes.Clone(enc)
			bad[pos] ^= byte(1 + rnd.IntN(255))
			r := streamingRequest(t, body, false, opt)
			r.Body = io.NopCloser(bytes.NewReader(bad))
			vr, err := v.Verify(context.Background(), r, vTime)
			require.NoError(t, err)
			got, err := io.ReadAll(vr.Body)
			require.Error(t, err, "opt %+v: flipped byte %d accepted", opt, pos)
			var ve *VerifyError
			require.ErrorAs(t, err, &ve)
			if !opt.Unsigned {
				// Only chunks before the damaged one were released, and
				// they are the body's.
				require.True(t, bytes.HasPrefix(body, got), "opt %+v: flipped byte %d (%q): released bytes differ (%d, %v)", opt, pos, enc[max(0, pos-5):pos+5], len(got), err)
				// (All of it when the damage is in the final chunk or the trailer.)
				require.True(t, len(got)%MinChunkSize == 0 || len(got) == len(body), "a partial chunk was released")
			}
		}
		// Truncated anywhere, extended: fails.
		for _, bad := range [][]byte{enc[:len(enc)-1], enc[:len(enc)/2], append(bytes.Clone(enc), 'x')} {
			r := streamingRequest(t, body, false, opt)
			r.Body = io.NopCloser(bytes.NewReader(bad))
			vr, err := v.Verify(context.Background(), r, vTime)
			require.NoError(t, err)
			_, err = io.ReadAll(vr.Body)
			require.Error(t, err)
		}
	}
	// Two chunks swapped (each still correctly signed in its place): the chain breaks.
	opt := StreamingOptions{ChunkSize: MinChunkSize}
	two := append(bytes.Repeat([]byte("a"), MinChunkSize), bytes.Repeat([]byte("b"), MinChunkSize)...)
	enc := wire(t, streamingRequest(t, two, false, opt))
	seg := len("2000;chunk-signature=") + 64 + 2 + MinChunkSize + 2
	swapped := append(append(append([]byte{}, enc[seg:2*seg]...), enc[:seg]...), enc[2*seg:]...)
	r := streamingRequest(t, two, false, opt)
	r.Body = io.NopCloser(bytes.NewReader(swapped))
	vr, err := v.Verify(context.Background(), r, vTime)
	require.NoError(t, err)
	got, err := io.ReadAll(vr.Body)
	require.ErrorIs(t, err, ErrSignatureMismatch)
	assert.Empty(t, got)
}

func TestSignStreamingErrors(t *testing.T) {
	ctx := context.Background()
	body := []byte("hello")
	for _, tc := range []struct {
		name string
		opt  StreamingOptions
		mod  func(r *http.Request)
	}{
		{"small chunk", StreamingOptions{ChunkSize: MinChunkSize - 1}, nil},
		{"unknown trailer", StreamingOptions{Trailer: "MD5"}, nil},
		{"unsigned without trailer", StreamingOptions{Unsigned: true}, nil},
		{"unknown length signed", StreamingOptions{}, func(r *http.Request) { r.ContentLength = -1 }},
	} {
		r := mustReq(t, "PUT", "https://b.s3.amazonaws.com/k", body)
		if tc.mod != nil {
			tc.mod(r)
		}
		before := r.Header.Clone()
		err := SignStreaming(ctx, r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { *o = tc.opt })
		require.ErrorIs(t, err, ErrInvalid, tc.name)
		assert.Equal(t, before, r.Header, "%s: r unchanged", tc.name)
	}
	// Expired credentials: r unchanged.
	r := mustReq(t, "PUT", "https://b.s3.amazonaws.com/k", body)
	err := SignStreaming(ctx, r, vTemp, "s3", "us-east-1", vTemp.Expires)
	require.ErrorIs(t, err, ErrExpired)
	assert.Empty(t, r.Header)
	assert.Equal(t, int64(len(body)), r.ContentLength)

	// A body shorter or longer than ContentLength fails on read.
	for _, n := range []int64{4, 6} {
		r := mustReq(t, "PUT", "https://b.s3.amazonaws.com/k", body)
		r.ContentLength = n
		r.GetBody = nil
		require.NoError(t, SignStreaming(ctx, r, vTemp, "s3", "us-east-1", vTime))
		_, err := io.ReadAll(r.Body)
		require.ErrorIs(t, err, ErrInvalid, "ContentLength %d", n)
	}
	// A read error of the body is returned.
	boom := errors.New("disk on fire")
	r = mustReq(t, "PUT", "https://b.s3.amazonaws.com/k", nil)
	r.Body, r.ContentLength = io.NopCloser(iotest.ErrReader(boom)), 10
	require.NoError(t, SignStreaming(ctx, r, vTemp, "s3", "us-east-1", vTime))
	_, err = io.ReadAll(r.Body)
	require.ErrorIs(t, err, boom)
	require.ErrorIs(t, err, ErrBody)
	// Content-Encoding already set: aws-chunked goes first.
	r = mustReq(t, "PUT", "https://b.s3.amazonaws.com/k", body)
	r.Header.Set("Content-Encoding", "gzip")
	require.NoError(t, SignStreaming(ctx, r, vTemp, "s3", "us-east-1", vTime))
	assert.Equal(t, "aws-chunked,gzip", r.Header.Get("Content-Encoding"))
	// %v of the request's body shows no key.
	assert.Equal(t, "sigv4temp.encoder", fmt.Sprint(r.Body))
}

// Memory: one chunk; no allocation per chunk.
func TestStreamingAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	allocs := func(size int) float64 {
		body := make([]byte, size)
		buf := make([]byte, 32<<10)
		return testing.AllocsPerRun(5, func() {
			r := mustReq(t, "PUT", "https://b.s3.amazonaws.com/k", body)
			require.NoError(t, SignStreaming(context.Background(), r, vTemp, "s3", "us-east-1", vTime, func(o *StreamingOptions) { o.Trailer = ChecksumCRC32 }))
			for {
				if _, err := r.Body.Read(buf); err == io.EOF {
					break
				}
			}
		})
	}
	small, large := allocs(DefaultChunkSize), allocs(100*DefaultChunkSize)
	assert.Equal(t, small, large, "allocations grow with the number of chunks")

	// The verifier's decoder: one chunk buffer, reused.
	v := newVerifier(t)
	dec := func(size int) float64 {
		r := streamingRequest(t, make([]byte, size), false, StreamingOptions{})
		enc := wire(t, r)
		buf := make([]byte, 32<<10)
		return testing.AllocsPerRun(5, func() {
			r.Body = io.NopCloser(bytes.NewReader(enc))
			vr, err := v.Verify(context.Background(), r, vTime)
			require.NoError(t, err)
			for {
				if _, err := vr.Body.Read(buf); err != nil {
					require.ErrorIs(t, err, io.EOF)
					break
				}
			}
		})
	}
	assert.Equal(t, dec(DefaultChunkSize), dec(50*DefaultChunkSize), "decoder allocations grow with the number of chunks")
}

func TestStreamingTokenAfterSigning(t *testing.T) {
	r := streamingRequest(t, []byte("hello, token"), false, StreamingOptions{TokenAfterSigning: true, Trailer: ChecksumSHA256})
	assert.NotContains(t, r.Header.Get("Authorization"), "x-amz-security-token")
	assert.Equal(t, vTemp.SessionToken, r.Header.Get("X-Amz-Security-Token"))
	wire(t, r)
	vr, err := newVerifier(t).Verify(context.Background(), r, vTime)
	require.NoError(t, err)
	assert.False(t, vr.TokenSigned)
	got, err := io.ReadAll(vr.Body)
	require.NoError(t, err)
	assert.Equal(t, "hello, token", string(got))
}

// The headers of an aws-chunked request are checked before its body.
func TestVerifyStreamingHeaders(t *testing.T) {
	v := newVerifier(t, func(o *VerifierOptions) { o.AllowUnsignedPayload = true })
	for _, tc := range []struct {
		name string
		opt  StreamingOptions
		mod  func(h http.Header)
	}{
		{"no decoded length", StreamingOptions{}, func(h http.Header) { h.Del("X-Amz-Decoded-Content-Length") }},
		{"bad decoded length", StreamingOptions{}, func(h http.Header) { h.Set("X-Amz-Decoded-Content-Length", "-1") }},
		{"two decoded lengths", StreamingOptions{}, func(h http.Header) { h.Add("X-Amz-Decoded-Content-Length", "5") }},
		{"no trailer header", StreamingOptions{Trailer: ChecksumCRC32}, func(h http.Header) { h.Del("X-Amz-Trailer") }},
		{"unknown trailer", StreamingOptions{Trailer: ChecksumCRC32}, func(h http.Header) { h.Set("X-Amz-Trailer", "x-amz-checksum-md5") }},
		{"unsigned, no trailer header", StreamingOptions{Trailer: ChecksumCRC32, Unsigned: true}, func(h http.Header) { h.Del("X-Amz-Trailer") }},
	} {
		r := streamingRequest(t, []byte("data"), false, tc.opt)
		tc.mod(r.Header)
		_, err := v.Verify(context.Background(), r, vTime)
		var ve *VerifyError
		require.ErrorAs(t, err, &ve, tc.name)
		// Unsigned headers changed: refused as malformed; signed ones: the signature fails first.
		require.True(t, errors.Is(err, ErrMalformedAuth) || errors.Is(err, ErrSignatureMismatch), "%s: %v", tc.name, err)
	}
	// Without X-Amz-Decoded-Content-Length an unsigned-trailer body of unknown length decodes.
	r := streamingRequest(t, []byte("unknown length"), true, StreamingOptions{Trailer: ChecksumCRC32, Unsigned: true})
	wire(t, r)
	assert.Empty(t, r.Header.Get("X-Amz-Decoded-Content-Length"))
	vr, err := v.Verify(context.Background(), r, vTime)
	require.NoError(t, err)
	got, err := io.ReadAll(vr.Body)
	require.NoError(t, err)
	assert.Equal(t, "unknown length", string(got))
	// A presigned URL cannot carry an aws-chunked body.
	u, _, err := Presign(context.Background(), mustReq(t, "PUT", "https://b.s3.amazonaws.com/k", nil), vTemp, "s3", "us-east-1", vTime, time.Minute,
		func(o *Options) { o.PayloadHash = streamingSigned })
	require.NoError(t, err)
	pr := mustReq(t, "PUT", u, nil)
	pr.Header.Set("X-Amz-Content-Sha256", streamingSigned)
	_, err = v.Verify(context.Background(), pr, vTime)
	require.ErrorIs(t, err, ErrMalformedAuth)
}
