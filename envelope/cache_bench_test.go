package envelope_test

import (
	"context"
	"testing"
	"time"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// BenchmarkCachedEncrypt: 1 KiB messages against kmstest with 1 ms of
// injected KMS latency, without and with a cache (1,000 messages per data
// key), in the same run. The ratio of the two is the caching speed-up.
func BenchmarkCachedEncrypt(b *testing.B) {
	pt := make([]byte, 1024)
	for _, suite := range suites {
		for _, cached := range []bool{false, true} {
			name := suiteName(suite) + "/uncached"
			if cached {
				name = suiteName(suite) + "/cached"
			}
			b.Run(name, func(b *testing.B) {
				k := kmstest.New()
				k.Latency = time.Millisecond
				keyARN := k.MustCreateKey()
				c, _ := envelope.New(k, keyARN, func(o *envelope.Options) {
					o.Suite = suite
					if cached {
						o.Cache, _ = envelope.NewCache(time.Hour, func(co *envelope.CacheOptions) { co.MaxMessages = 1000 })
					}
				})
				b.SetBytes(int64(len(pt)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.Encrypt(context.Background(), pt, map[string]string{"stream": "orders"}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
