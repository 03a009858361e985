package envelope_test

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
)

// pollCountingCtx is a context that is never done and counts how often its
// Err method is called.
type pollCountingCtx struct {
	context.Context
	n atomic.Int64
}

func (c *pollCountingCtx) Err() error { c.n.Add(1); return nil }

// EncryptAppend's and Decrypt's docs: "ctx is looked at about every 64 KiB
// of frames" while the body is sealed or opened, whatever the concurrency.
// A context that counts its Err calls pins how often: once per group of
// max(1, 64 KiB / (frameLength + 32)) frames (a frame's overhead is its
// sequence number, IV and tag: 4 + 12 + 16 bytes), counted per goroutine's
// run (Concurrency 1, and the unsigned suites' parallel Encrypt, which
// splits the frames into one run per worker) or per group handed out
// (the signed suites' parallel Encrypt and every parallel Decrypt, whose
// groups are also at most a quarter of a worker's share). The raw AES
// keyring looks at no context, so every call counted is the body's.
// Concurrency 1's Decrypt reads frame by frame through the Reader, so its
// count is bounded, not exact: at least one look per 64 KiB group of
// plaintext frames, at most three more.
func TestContextLookedAtEvery64KiBOfFrames(t *testing.T) {
	kr, err := envelope.RawAESKeyring("ns", "ctx", bytes.Repeat([]byte{9}, 32))
	require.NoError(t, err)
	ceil := func(a, b int) int { return (a + b - 1) / b }
	for _, suite := range []envelope.Suite{envelope.SuiteCommitKey, envelope.SuiteCommitKeyECDSAP384} {
		for _, fl := range []int{1000, 4096, 64 << 10, 100000} {
			every := max(1, (64<<10)/(fl+4+12+16))
			for _, conc := range []int{1, 2, 3} {
				for _, size := range []int{0, 1<<20 + 100} {
					name := fmt.Sprintf("%v/frame%d/concurrency%d/size%d", suite, fl, conc, size)
					c, err := envelope.NewWithKeyring(kr, func(o *envelope.Options) {
						o.Suite, o.FrameLength, o.Concurrency = suite, fl, conc
					})
					require.NoError(t, err)
					full := size / fl
					workers := min(conc, full) // 1 MiB is over both parallel thresholds
					if size == 0 {
						workers = 1
					}
					groups := func() int { // the parallel paths' groups of frames
						g := max(1, min(every, ceil(full, 4*workers)))
						return ceil(full, g)
					}

					ctx := &pollCountingCtx{Context: context.Background()}
					msg, err := c.Encrypt(ctx, bytes.Repeat([]byte{1}, size), nil)
					require.NoError(t, err, name)
					var wantEnc int
					switch {
					case workers == 1:
						wantEnc = ceil(full, every)
					case suite.Signed():
						wantEnc = groups()
					default: // one run of ceil(full/workers) frames per worker
						per := ceil(full, workers)
						for lo := 0; lo < full; lo += per {
							wantEnc += ceil(min(full, lo+per)-lo, every)
						}
					}
					assert.Equal(t, int64(wantEnc), ctx.n.Load(), "Encrypt %s", name)

					ctx.n.Store(0)
					_, err = c.Decrypt(ctx, msg, nil)
					require.NoError(t, err, name)
					if workers == 1 {
						lo := ceil(size, every*fl)
						assert.GreaterOrEqual(t, ctx.n.Load(), int64(lo), "Decrypt %s", name)
						assert.LessOrEqual(t, ctx.n.Load(), int64(lo+3), "Decrypt %s", name)
					} else {
						assert.Equal(t, int64(groups()), ctx.n.Load(), "Decrypt %s", name)
					}
				}
			}
		}
	}
}
