package envelope_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// BenchmarkEncryptConcurrency: 0x0478 Encrypt of 1 MiB in 4 KiB frames with
// Options.Concurrency 1 and the default (GOMAXPROCS), and EncryptAppend into
// a reused buffer with Concurrency 1, beside one core's raw AES-256-GCM
// sealing the same 4 KiB chunks from the source into one fresh message-sized
// buffer (issue 15's baseline), in the same run.
func BenchmarkEncryptConcurrency(b *testing.B) {
	const size, chunk = 1 << 20, 4 << 10
	pt := make([]byte, size)
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	b.Run("raw-AES-GCM/one-core/1MiB-in-4KiB", func(b *testing.B) {
		block, _ := aes.NewCipher(make([]byte, 32))
		aead, _ := cipher.NewGCM(block)
		nonce := make([]byte, aead.NonceSize())
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			out := make([]byte, 0, size/chunk*(chunk+aead.Overhead()))
			for i := 0; i < size; i += chunk {
				out = aead.Seal(out, nonce, pt[i:i+chunk], nil)
			}
			sinkBytes = out
		}
	})
	for _, tc := range []struct {
		name        string
		concurrency int
		reuse       bool
	}{
		{"Encrypt/concurrency-1", 1, false},
		{"Encrypt/concurrency-default", 0, false},
		{"EncryptAppend-reused/concurrency-1", 1, true},
		{"EncryptAppend-reused/concurrency-default", 0, true},
	} {
		c, _ := envelope.New(k, keyARN, func(o *envelope.Options) {
			o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, chunk, tc.concurrency
		})
		b.Run("0x0478/"+tc.name+"/1MiB", func(b *testing.B) {
			var buf []byte
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				var out []byte
				var err error
				if tc.reuse {
					out, err = c.EncryptAppend(context.Background(), buf[:0], pt, nil)
					buf = out
				} else {
					out, err = c.Encrypt(context.Background(), pt, nil)
				}
				if err != nil {
					b.Fatal(err)
				}
				sinkBytes = out
			}
		})
	}
}
