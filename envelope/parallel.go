package envelope

import (
	"runtime"
	"sync"
)

// minParallelBytes is the smallest plaintext whose frames Encrypt seals on
// several goroutines: below it, starting them costs more than it saves.
const minParallelBytes = 128 << 10

// workers returns how many goroutines seal full frames of a plaintext of n
// bytes: 1 for small messages or Options.Concurrency 1.
func (c *Client) workers(n, full int) int {
	w := c.opts.Concurrency
	if w == 0 {
		w = runtime.GOMAXPROCS(0)
	}
	if n < minParallelBytes {
		return 1
	}
	return max(1, min(w, full))
}

// sealFrames appends the full frames of plaintext (frames 1 to full, of fl
// bytes each) to out. With several workers each seals a contiguous run of
// frames straight into its place in out (every regular frame has the same
// size), so the bytes are those of the serial loop; all have finished when
// it returns. out has room for the frames (the caller sized it).
func (c *Client) sealFrames(f *framer, out, plaintext []byte, fl, full int) []byte {
	workers := c.workers(len(plaintext), full)
	if workers == 1 {
		for i := range full {
			out = f.seal(out, uint32(i)+1, false, plaintext[i*fl:(i+1)*fl])
		}
		return out
	}
	frameSize := fl + regularFrameOverhead
	start := len(out)
	body := out[start : start+full*frameSize]
	per := (full + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < full; lo += per {
		hi := min(full, lo+per)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fw := *f // its own IV and AAD scratch; the AEAD is read-only
			for i := lo; i < hi; i++ {
				off := i * frameSize
				fw.seal(body[off:off], uint32(i)+1, false, plaintext[i*fl:(i+1)*fl])
			}
		}()
	}
	wg.Wait()
	return out[:start+len(body)]
}
