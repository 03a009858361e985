package envelope

// The in-memory paths on several goroutines: Decrypt's frames opened in
// parallel after one sequential pass over their headers, and the signed
// suite's SHA-384 overlapped with the sealing of later frames in
// EncryptAppend.

import (
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"hash"
	"io"
	"slices"
	"sync"
	"sync/atomic"
)

// groupBytes is about how many bytes of frames a goroutine takes at a time:
// a group of frames (at least one) that Decrypt opens, or that EncryptAppend
// seals before the signed suite's hash may read it.
const groupBytes = 64 << 10

// groupFrames returns how many of full frames of frameLength bytes of
// plaintext make a group for workers goroutines: about groupBytes of frames,
// counted with their overhead (with 1-byte frames a group is 1,985 frames,
// not 65,536), and at most a quarter of a goroutine's share, so that a
// small message still makes several groups per goroutine to balance.
func groupFrames(frameLength, full, workers int) int {
	share := (full + 4*workers - 1) / (4 * workers)
	return max(1, min(groupBytes/(frameLength+regularFrameOverhead), share))
}

// memFrames is the layout of a framed body in memory, checked by
// scanFrames: every regular frame has the same size, so frame i (from 0)
// starts at i*frameSize and its plaintext goes at i*frameLength.
type memFrames struct {
	full      int    // regular frames
	frameSize int    // bytes of a regular frame: frame length + 32 (0 when full is 0)
	finalIV   []byte // the final frame's IV, within the body
	finalN    int    // the final frame's content length
	finalCT   []byte // the final frame's ciphertext and tag, within the body
	end       int    // offset in the body after the final frame
	sig       []byte // the signature of the footer (signed suites), within the body
}

// scanFrames walks a framed body in memory, checking what the Reader's next
// checks of each frame's header (checkFrameStart: sequence numbers in
// order, the version 2 IVs, the final frame's length bounded by the frame
// length), that no frame is truncated, the signature footer's length when
// signed, and that nothing follows. It reads no ciphertext and allocates
// nothing. Every failure is ErrDecrypt, as in the Reader.
func scanFrames(h *Header, body []byte, signed bool) (memFrames, error) {
	var m memFrames
	fl := h.FrameLength
	off := 0
	for seq := uint32(1); ; seq++ {
		rest := body[off:]
		if len(rest) < regularFrameStart {
			return m, ErrDecrypt // truncated
		}
		if finalMarked(rest) {
			if len(rest) < finalFrameStart {
				return m, ErrDecrypt
			}
			iv, n, err := checkFrameStart(rest[:finalFrameStart], h.Version, seq, fl)
			if err != nil {
				return m, err
			}
			if n > len(rest)-finalFrameStart-tagSize { // not n+tagSize, which can overflow a 32-bit int
				return m, ErrDecrypt
			}
			m.finalIV, m.finalN = iv, n
			m.finalCT = rest[finalFrameStart : finalFrameStart+n+tagSize]
			m.end = off + finalFrameStart + n + tagSize
			break
		}
		if _, _, err := checkFrameStart(rest[:regularFrameStart], h.Version, seq, fl); err != nil {
			return m, err
		}
		if fl > len(rest)-regularFrameStart-tagSize {
			return m, ErrDecrypt
		}
		off += regularFrameStart + fl + tagSize
		m.full++
	}
	if m.full > 0 {
		m.frameSize = fl + regularFrameOverhead // at most len(body): no overflow
	}
	tail := body[m.end:]
	if signed {
		if len(tail) < 2 {
			return m, ErrDecrypt
		}
		l := int(binary.BigEndian.Uint16(tail))
		if len(tail)-2 < l {
			return m, ErrDecrypt
		}
		m.sig, tail = tail[2:2+l], tail[2+l:]
	}
	if len(tail) > 0 {
		return m, ErrDecrypt // trailing bytes
	}
	return m, nil
}

// openFrames is the body of Decrypt on several goroutines: the caller has
// scanned the body (m) and d holds the framer, and for the signed suites
// the running hash (header written) and the public key. It starts
// workers-1 goroutines that take groups of regular frames from an atomic
// counter and open each straight into its place in the output; the calling
// goroutine hashes the body and verifies the signature (signed suites) or
// opens groups too, then opens the final frame and joins the others. The
// first failing frame sets a flag that every goroutine checks before each
// frame. All of them have ended when openFrames returns; on failure
// everything written past len(dst) is cleared and the error is ErrDecrypt.
// The output grows once, to len(dst)+len(body), as in the serial path.
func openFrames(ctx context.Context, d *Reader, dst, body []byte, m *memFrames, workers int) ([]byte, error) {
	fl := d.frameLength
	out := slices.Grow(dst, len(body)) // plaintext is never longer than the body
	base := len(out)
	pt := out[base : base+m.full*fl+m.finalN]
	per := groupFrames(fl, m.full, workers)
	groups := (m.full + per - 1) / per
	var failed, stopped atomic.Bool // a frame failed; ctx is done
	var nextGroup atomic.Int64
	open := func(fw *framer) {
		for {
			g := int(nextGroup.Add(1) - 1)
			if g >= groups {
				return
			}
			if ctx.Err() != nil {
				stopped.Store(true)
				return
			}
			for i := g * per; i < min(m.full, (g+1)*per); i++ {
				if failed.Load() || stopped.Load() {
					return
				}
				fr := body[i*m.frameSize : (i+1)*m.frameSize]
				at := i * fl
				if _, err := fw.open(pt[at:at], uint32(i)+1, false, fr[4:regularFrameStart], fr[regularFrameStart:]); err != nil {
					failed.Store(true)
					return
				}
			}
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fw := *d.f // its own IV and AAD scratch; the AEAD is read-only
			open(&fw)
		}()
	}
	if d.hash != nil {
		d.hash.Write(body[:m.end])
		if !ecdsa.VerifyASN1(d.pub, d.hash.Sum(nil), m.sig) {
			failed.Store(true)
		}
	}
	fw := *d.f
	if !failed.Load() && !stopped.Load() {
		at := m.full * fl
		if _, err := fw.open(pt[at:at], uint32(m.full)+1, true, m.finalIV, m.finalCT); err != nil {
			failed.Store(true)
		}
	}
	if !failed.Load() && !stopped.Load() {
		open(&fw)
	}
	wg.Wait()
	if failed.Load() {
		clear(out[base:cap(out)])
		return nil, ErrDecrypt
	}
	if stopped.Load() {
		clear(out[base:cap(out)])
		return nil, ctx.Err()
	}
	return out[:base+len(pt)], nil
}

// sealSigned seals the full frames of a signed message on workers-1
// goroutines while the calling goroutine hashes the header (out[start:])
// and then each group of frames, in order, as soon as it is sealed (the
// workers take groups from an atomic counter and report each on a channel).
// It returns out extended by the frames; hh has hashed all of out[start:].
// The bytes are those of the serial loop; all goroutines have ended when it
// returns. A worker that finds ctx done before a group reports the groups
// left unsealed, and the error is ctx.Err().
func sealSigned(ctx context.Context, f *framer, out []byte, start int, plaintext []byte, fl, full, workers int, hh hash.Hash) ([]byte, error) {
	hh.Write(out[start:])
	frameSize := fl + regularFrameOverhead
	base := len(out)
	body := out[base : base+full*frameSize]
	per := groupFrames(fl, full, workers)
	groups := (full + per - 1) / per
	done := make(chan int, groups)
	var nextGroup atomic.Int64
	var stopped atomic.Bool // ctx is done: the groups left are reported unsealed
	var wg sync.WaitGroup
	for range max(1, workers-1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fw := *f // its own IV and AAD scratch; the AEAD is read-only
			for {
				g := int(nextGroup.Add(1) - 1)
				if g >= groups {
					return
				}
				if stopped.Load() || ctx.Err() != nil {
					stopped.Store(true)
					done <- g
					continue
				}
				for i := g * per; i < min(full, (g+1)*per); i++ {
					off := i * frameSize
					fw.seal(body[off:off], uint32(i)+1, false, plaintext[i*fl:(i+1)*fl])
				}
				done <- g
			}
		}()
	}
	ready := make([]bool, groups)
	for g := 0; g < groups && !stopped.Load(); { // the channel holds every group: workers never wait for it
		if !ready[g] {
			ready[<-done] = true
			continue
		}
		hh.Write(body[g*per*frameSize : min(full, (g+1)*per)*frameSize])
		g++
	}
	wg.Wait()
	if stopped.Load() {
		return out, ctx.Err()
	}
	return out[:base+len(body)], nil
}

// appendFooter signs what hh has hashed, a whole header and body, with
// priv and appends the footer to msg.
func appendFooter(msg []byte, hh hash.Hash, priv *ecdsa.PrivateKey, rand io.Reader) ([]byte, error) {
	footer, err := sign(priv, rand, hh.Sum(nil))
	if err != nil {
		return nil, err
	}
	return append(msg, footer...), nil
}
