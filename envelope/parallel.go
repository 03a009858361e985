package envelope

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// minParallelBytes is the smallest plaintext whose frames Encrypt seals on
// several goroutines, and minParallelDecryptBytes the smallest body whose
// frames Decrypt opens on several: below them, starting and waking
// goroutines cost more than they save. Chosen with BenchmarkParmemThreshold
// on the shared 2-core machine (2026-11-26, heavily loaded): up to 256 KiB
// the parallel paths were slower than one goroutine in every case, from
// 1 MiB on they were not; 512 KiB keeps messages of a few frames serial.
const (
	minParallelBytes        = 512 << 10
	minParallelDecryptBytes = 512 << 10
)

// minParallelSeal and minParallelOpen are the thresholds in use. They are
// variables only so that this package's tests can lower them
// (parmem_export_test.go): before any test runs, under AWSKIT_PARMEM_FORCE,
// to run every test on the parallel paths, or for the length of one test
// that does not run in parallel with others (LowerParallelThresholds);
// nothing else changes them.
var (
	minParallelSeal = minParallelBytes
	minParallelOpen = minParallelDecryptBytes
)

// workers returns how many goroutines work on the full frames of a message
// of n bytes (plaintext to seal, or body to open): 1 under threshold bytes,
// for Options.Concurrency 1, or for fewer than two full frames.
func (c *Client) workers(n, full, threshold int) int {
	w := c.opts.Concurrency
	if w == 0 {
		w = runtime.GOMAXPROCS(0)
	}
	if n < threshold || full < 2 {
		return 1
	}
	return max(1, min(w, full, maxStreamWorkers))
}

// sealFrames appends the full frames of plaintext (frames 1 to full, of fl
// bytes each) to out. With several workers (the calling goroutine and
// workers-1 others) each seals a contiguous run of frames straight into its
// place in out (every regular frame has the same size), so the bytes are
// those of the serial loop; all have finished when it returns. out has room
// for the frames (the caller sized it). Every goroutine checks ctx about
// every 64 KiB of frames (ctxFrames) and stops once it is done: the error
// is then ctx.Err().
func sealFrames(ctx context.Context, f *framer, out, plaintext []byte, fl, full, workers int) ([]byte, error) {
	every := ctxFrames(fl)
	if workers == 1 {
		for i := range full {
			if i%every == 0 {
				if err := ctx.Err(); err != nil {
					return out, err
				}
			}
			out = f.seal(out, uint32(i)+1, false, plaintext[i*fl:(i+1)*fl])
		}
		return out, nil
	}
	frameSize := fl + regularFrameOverhead
	start := len(out)
	body := out[start : start+full*frameSize]
	per := (full + workers - 1) / workers
	var stopped atomic.Bool
	run := func(lo, hi int) {
		fw := *f // its own IV and AAD scratch; the AEAD is read-only
		for i := lo; i < hi; i++ {
			if (i-lo)%every == 0 && (stopped.Load() || ctx.Err() != nil) {
				stopped.Store(true)
				return
			}
			off := i * frameSize
			fw.seal(body[off:off], uint32(i)+1, false, plaintext[i*fl:(i+1)*fl])
		}
	}
	// The calling goroutine seals the first run, the others one run each.
	var wg sync.WaitGroup
	for lo := per; lo < full; lo += per {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(lo, min(full, lo+per))
		}()
	}
	run(0, per)
	wg.Wait()
	if stopped.Load() {
		return out, ctx.Err()
	}
	return out[:start+len(body)], nil
}

// ctxFrames is how many frames of fl bytes the body loops seal or open
// between two looks at the call's context: about 64 KiB of frames (at
// least one), so that cancelling a large Encrypt or Decrypt stops it within
// microseconds and looking costs nothing measurable.
func ctxFrames(fl int) int {
	return max(1, groupBytes/(fl+regularFrameOverhead))
}
