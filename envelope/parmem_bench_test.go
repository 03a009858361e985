package envelope

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/awskit/awskit/envelope/kmstest"
)

// BenchmarkParmemThreshold compares Concurrency 1 with the default at sizes
// around the parallel thresholds, with the thresholds lowered to 0 so that
// the default takes the parallel path at every size: it is how
// minParallelBytes and minParallelDecryptBytes were chosen (a sanity
// benchmark: -benchtime 20x -count 3; the recorded benchmarks are
// elsewhere). A cached data key keeps KMS out of the figures.
var benchSizes = []int{16 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20}

func BenchmarkParmemThreshold(b *testing.B) {
	seal, open := minParallelSeal, minParallelOpen
	minParallelSeal, minParallelOpen = 0, 0
	defer func() { minParallelSeal, minParallelOpen = seal, open }()
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	for _, suite := range []Suite{SuiteCommitKey, SuiteCommitKeyECDSAP384} {
		for _, fl := range []int{4 << 10, 64 << 10} {
			for _, size := range benchSizes {
				if size/fl < 2 {
					continue // one full frame: always serial
				}
				pt := make([]byte, size)
				for _, cc := range []int{1, 0} {
					cache, err := NewCache(time.Hour)
					if err != nil {
						b.Fatal(err)
					}
					c, err := New(k, keyARN, func(o *Options) { o.Suite, o.FrameLength, o.Concurrency, o.Cache = suite, fl, cc, cache })
					if err != nil {
						b.Fatal(err)
					}
					msg, err := c.Encrypt(ctx, pt, nil)
					if err != nil {
						b.Fatal(err)
					}
					buf := make([]byte, 0, len(msg))
					name := fmt.Sprintf("%04x/frame-%dKiB/%dKiB/concurrency-%d", uint16(suite), fl>>10, size>>10, cc)
					b.Run("EncryptAppend/"+name, func(b *testing.B) {
						b.SetBytes(int64(size))
						for b.Loop() {
							if _, err := c.EncryptAppend(ctx, buf[:0], pt, nil); err != nil {
								b.Fatal(err)
							}
						}
					})
					b.Run("DecryptAppend/"+name, func(b *testing.B) {
						b.SetBytes(int64(size))
						for b.Loop() {
							if _, err := c.DecryptAppend(ctx, buf[:0], msg, nil); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			}
		}
	}
}
