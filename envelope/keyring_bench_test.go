package envelope_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// BenchmarkKeyringDecrypt: Decrypt of 1 KiB and 1 MiB messages in one run,
// beside today's v2 path under the in-process kmstest KMS (0x0478 and the
// signed 0x0578): v2 under a raw
// AES and a raw RSA (OAEP-SHA256, 2048-bit) keyring, and v1 messages
// (hand-built from the specification) of suites 0x0178 (HKDF, unsigned),
// 0x0378 (HKDF, ECDSA P-384) and 0x0014 non-framed, under a raw AES keyring.
// Frames of 4096 bytes everywhere.
func BenchmarkKeyringDecrypt(b *testing.B) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	aesKR := mustKR(envelope.RawAESKeyring("legacy", "aes", legacyKey))
	priv := testRSAKey(b)
	rsaKR := mustKR(envelope.RawRSAKeyring("ns", "rsa", envelope.RSAOAEPSHA256, &priv.PublicKey, priv))
	for _, size := range []int{1 << 10, 1 << 20} {
		pt := make([]byte, size)
		type row struct {
			name string
			c    *envelope.Client
			msg  []byte
		}
		var rows []row
		kmsC, _ := envelope.New(k, keyARN, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
		aesC, _ := envelope.NewWithKeyring(aesKR, func(o *envelope.Options) {
			o.Suite, o.CommitmentPolicy = envelope.SuiteCommitKey, envelope.RequireEncryptAllowDecrypt
		})
		rsaC, _ := envelope.NewWithKeyring(rsaKR, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
		signedC, _ := envelope.New(k, keyARN)
		for _, r := range []row{{"v2-0x0478/kms", kmsC, nil}, {"v2-0x0578/kms", signedC, nil}, {"v2-0x0478/raw-AES", aesC, nil}, {"v2-0x0478/raw-RSA", rsaC, nil}} {
			msg, err := r.c.Encrypt(context.Background(), pt, nil)
			if err != nil {
				b.Fatal(err)
			}
			rows = append(rows, row{r.name, r.c, msg})
		}
		rows = append(rows,
			row{"v1-0x0178/raw-AES", aesC, legacyMessage(b, 0x0178, 4096, pt)},
			row{"v1-0x0378/raw-AES", aesC, legacyMessage(b, 0x0378, 4096, pt)},
			row{"v1-0x0014-non-framed/raw-AES", aesC, legacyMessage(b, 0x0014, 0, pt)},
		)
		for _, r := range rows {
			b.Run(fmt.Sprintf("%s/%s", r.name, sizeName(size)), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					out, err := r.c.Decrypt(context.Background(), r.msg, nil)
					if err != nil {
						b.Fatal(err)
					}
					sinkBytes = out
				}
			})
		}
	}
}

// BenchmarkRawAESEncrypt: Encrypt of 1 KiB (suite 0x0478) under a raw AES
// keyring, no KMS at all, beside the same under kmstest with 1 ms of KMS
// latency (what a KMS call costs at best), in one run.
func BenchmarkRawAESEncrypt(b *testing.B) {
	pt := make([]byte, 1024)
	k := kmstest.New()
	k.Latency = time.Millisecond
	kmsC, _ := envelope.New(k, k.MustCreateKey(), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	aesC, _ := envelope.NewWithKeyring(mustKR(envelope.RawAESKeyring("ns", "n", aesKey(32))), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	for _, r := range []struct {
		name string
		c    *envelope.Client
	}{{"kmstest-1ms", kmsC}, {"raw-AES", aesC}} {
		b.Run(r.name+"/1KiB", func(b *testing.B) {
			b.SetBytes(int64(len(pt)))
			b.ReportAllocs()
			for b.Loop() {
				out, err := r.c.Encrypt(context.Background(), pt, map[string]string{"stream": "orders"})
				if err != nil {
					b.Fatal(err)
				}
				sinkBytes = out
			}
		})
	}
}
