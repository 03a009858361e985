package envelope_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

var sinkBytes []byte

// BenchmarkEnvelope: Encrypt and Decrypt of 1 KiB and 1 MiB, and a 64 MiB
// stream, for both suites, beside raw AES-256-GCM Seal/Open of the same
// bytes (one nonce, no framing) in the same run. The KMS is the in-process
// kmstest, so the figures are the local cost.
func BenchmarkEnvelope(b *testing.B) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	for _, size := range []int{1 << 10, 1 << 20} {
		pt := make([]byte, size)
		b.Run(fmt.Sprintf("raw-AES-GCM/Seal/%s", sizeName(size)), func(b *testing.B) { rawGCM(b, pt, false) })
		b.Run(fmt.Sprintf("raw-AES-GCM/Open/%s", sizeName(size)), func(b *testing.B) { rawGCM(b, pt, true) })
		for _, suite := range suites {
			c, _ := envelope.New(k, keyARN, func(o *envelope.Options) { o.Suite = suite })
			msg, _ := c.Encrypt(context.Background(), pt, nil)
			b.Run(fmt.Sprintf("%s/Encrypt/%s", suiteName(suite), sizeName(size)), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					out, err := c.Encrypt(context.Background(), pt, nil)
					if err != nil {
						b.Fatal(err)
					}
					sinkBytes = out
				}
			})
			b.Run(fmt.Sprintf("%s/Decrypt/%s", suiteName(suite), sizeName(size)), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					out, err := c.Decrypt(context.Background(), msg, nil)
					if err != nil {
						b.Fatal(err)
					}
					sinkBytes = out
				}
			})
		}
	}
	const streamSize = 64 << 20
	chunk := make([]byte, 256<<10)
	for _, cs := range []int{4 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("raw-AES-GCM/Seal/64MiB-in-%dKiB", cs>>10), func(b *testing.B) { rawGCMChunks(b, streamSize, cs, false) })
		b.Run(fmt.Sprintf("raw-AES-GCM/Open/64MiB-in-%dKiB", cs>>10), func(b *testing.B) { rawGCMChunks(b, streamSize, cs, true) })
	}
	for _, suite := range suites {
		for _, fl := range []int{4 << 10, 64 << 10} {
			c, _ := envelope.New(k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, fl })
			var sealed bytes.Buffer
			w, _ := c.EncryptStream(context.Background(), &sealed, nil)
			for n := 0; n < streamSize; n += len(chunk) {
				w.Write(chunk)
			}
			w.Close()
			msg := sealed.Bytes()
			name := fmt.Sprintf("%s/frame-%dKiB", suiteName(suite), fl>>10)
			b.Run(name+"/EncryptStream/64MiB", func(b *testing.B) {
				b.SetBytes(streamSize)
				b.ReportAllocs()
				for b.Loop() {
					w, err := c.EncryptStream(context.Background(), io.Discard, nil)
					if err != nil {
						b.Fatal(err)
					}
					for n := 0; n < streamSize; n += len(chunk) {
						w.Write(chunk)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"/DecryptStream/64MiB", func(b *testing.B) {
				b.SetBytes(streamSize)
				b.ReportAllocs()
				buf := make([]byte, 256<<10)
				for b.Loop() {
					r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.CopyBuffer(io.Discard, r, buf); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func rawGCM(b *testing.B, pt []byte, open bool) {
	block, _ := aes.NewCipher(make([]byte, 32))
	aead, _ := cipher.NewGCM(block)
	nonce := make([]byte, 12)
	ct := aead.Seal(nil, nonce, pt, nil)
	out := make([]byte, 0, len(ct))
	b.SetBytes(int64(len(pt)))
	b.ReportAllocs()
	for b.Loop() {
		if open {
			var err error
			if out, err = aead.Open(out[:0], nonce, ct, nil); err != nil {
				b.Fatal(err)
			}
		} else {
			out = aead.Seal(out[:0], nonce, pt, nil)
		}
	}
}

// rawGCMChunks is the floor for a framed stream over the same bytes and the
// same memory traffic as the stream benchmarks: sealing reads the plaintext
// from the same reused 256 KiB chunk the EncryptStream benchmark writes, in
// frame-sized pieces, into one reused output buffer; opening reads a
// ciphertext of total bytes (sealed piece by piece beforehand, as a message
// body is) and opens each piece into one reused buffer, as DecryptStream's
// reader does. No framing, no I/O interfaces.
func rawGCMChunks(b *testing.B, total, chunkSize int, open bool) {
	block, _ := aes.NewCipher(make([]byte, 32))
	aead, _ := cipher.NewGCM(block)
	nonce := make([]byte, 12)
	out := make([]byte, 0, chunkSize+16)
	src := make([]byte, 256<<10)
	var sealed []byte
	if open {
		sealed = make([]byte, 0, total/chunkSize*(chunkSize+16))
		for n := 0; n < total; n += chunkSize {
			sealed = aead.Seal(sealed, nonce, src[:chunkSize], nil)
		}
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		if open {
			for off := 0; off < len(sealed); off += chunkSize + 16 {
				var err error
				if out, err = aead.Open(out[:0], nonce, sealed[off:off+chunkSize+16], nil); err != nil {
					b.Fatal(err)
				}
			}
			continue
		}
		for n := 0; n < total; n += len(src) {
			for off := 0; off < len(src); off += chunkSize {
				out = aead.Seal(out[:0], nonce, src[off:off+chunkSize], nil)
			}
		}
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

func suiteName(s envelope.Suite) string {
	if s == envelope.SuiteCommitKey {
		return "0x0478"
	}
	return "0x0578"
}
