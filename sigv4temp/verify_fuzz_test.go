package sigv4temp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// FuzzVerifyAuthorization feeds arbitrary Authorization headers, queries,
// dates and tokens to the parser: no panic, always a *VerifyError without
// secrets, and only the signed request itself verifies.
func FuzzVerifyAuthorization(f *testing.F) {
	v := newVerifier(f)
	good := mustReq(f, "GET", "https://example.amazonaws.com/p?a=1&b=%20", nil)
	if err := Sign(context.Background(), good, vTemp, "service", "us-east-1", vTime); err != nil {
		f.Fatal(err)
	}
	presigned, _, err := Presign(context.Background(), mustReq(f, "GET", "https://example.amazonaws.com/p?a=1", nil), vTemp, "service", "us-east-1", vTime, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	pu := mustReq(f, "GET", presigned, nil)
	f.Add(good.Header.Get("Authorization"), good.URL.RawQuery, good.Header.Get("X-Amz-Date"), vTemp.SessionToken)
	f.Add("", pu.URL.RawQuery, "", "")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=00", "X-Amz-Expires=99999999999999999999", "20261125T204941Z", "")
	f.Add("AWS4-HMAC-SHA256 ,,,", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Algorithm=x&%zz", "x", "t")
	f.Fuzz(func(t *testing.T, auth, rawQuery, date, token string) {
		r := mustReq(t, "GET", "https://example.amazonaws.com/p", nil)
		r.URL.RawQuery = rawQuery
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		if token != "" {
			r.Header.Set("X-Amz-Security-Token", token)
		}
		vr, err := v.Verify(context.Background(), r, vTime)
		if err == nil {
			if _, err := io.ReadAll(vr.Body); err != nil {
				t.Fatalf("body of a verified GET: %v", err)
			}
			return // a valid signature: one of the seeds, or an equivalent spelling of one
		}
		var ve *VerifyError
		if !errors.As(err, &ve) {
			t.Fatalf("error %T %v is not a *VerifyError", err, err)
		}
		for _, s := range []string{vTemp.SecretAccessKey, vLong.SecretAccessKey, vOther.SecretAccessKey} {
			if bytes.Contains([]byte(err.Error()), []byte(s)) {
				t.Fatalf("error %q contains a secret", err)
			}
		}
	})
}

// FuzzChunkDecoder feeds arbitrary aws-chunked bodies to the decoder of a
// correctly signed request: no panic, typed errors, bounded memory, and a
// signed body decodes only to the bytes that were signed (an unsigned one
// to any bytes of the declared length and checksum).
func FuzzChunkDecoder(f *testing.F) {
	body := bytes.Repeat([]byte("fuzz"), 3000) // 2 chunks of 8 KiB
	forms := []StreamingOptions{
		{ChunkSize: MinChunkSize},
		{ChunkSize: MinChunkSize, Trailer: ChecksumCRC32},
		{ChunkSize: MinChunkSize, Trailer: ChecksumCRC64NVME, Unsigned: true},
	}
	var reqs []*http.Request
	for i, opt := range forms {
		r := streamingRequest(f, body, false, opt)
		enc, err := io.ReadAll(r.Body)
		if err != nil {
			f.Fatal(err)
		}
		reqs = append(reqs, r)
		f.Add(uint8(i), enc)
		f.Add(uint8(i), enc[:100])
	}
	f.Add(uint8(0), []byte("8000000000000000;chunk-signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"))
	f.Add(uint8(2), []byte("0\r\nx-amz-checksum-crc64nvme:AAAAAAAAAAA=\r\n\r\n"))
	v := newVerifier(f, func(o *VerifierOptions) { o.AllowUnsignedPayload = true; o.MaxChunkBytes = 64 << 10 })
	f.Fuzz(func(t *testing.T, form uint8, enc []byte) {
		r := reqs[int(form)%len(reqs)].Clone(context.Background())
		r.Body = io.NopCloser(bytes.NewReader(enc))
		vr, err := v.Verify(context.Background(), r, vTime)
		if err != nil {
			t.Fatalf("Verify of a correctly signed request: %v", err)
		}
		got, err := io.ReadAll(vr.Body)
		if err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T %v is not a *VerifyError", err, err)
			}
			return
		}
		if !forms[int(form)%len(forms)].Unsigned && !bytes.Equal(got, body) {
			t.Fatalf("decoded %d bytes that were not signed", len(got))
		}
	})
}
