package envelope

import "fmt"

// EncryptStream's parallel path. The caller's goroutine fills, dispatches
// and retires the ring's slots in sequence order: it copies partial frames
// into a slot (whole frames of p are sealed from p, and retired before Write
// returns, so p is not retained), and it hashes (signed suite) and writes
// each sealed frame to dst in order. Workers only seal.

// plainOffset is where a frame's plaintext is copied into a slot: after its
// sequence number and IV, so that it is sealed in place.
const plainOffset = regularFrameOverhead - tagSize

func (w *encWriter) startParallel() {
	w.par = newFrameRing(w.f, w.workers, w.frameLength+regularFrameOverhead, false)
}

// writeParallel is Write once the stream is parallel. When dst fails, it
// returns the count the serial path returns: the bytes of p up to the end
// of the frame whose write failed (0 if that frame came from an earlier
// Write), not all the bytes the ring took in.
func (w *encWriter) writeParallel(p []byte) (int, error) {
	r := w.par
	fl := w.frameLength
	n := 0
	start := int64(w.seq-1)*int64(fl) + int64(w.fill) // p[0]'s offset in the stream's plaintext
	failed := func(err error) (int, error) {
		end := int64(w.failedSeq) * int64(fl) // where the failed frame ends
		return int(min(int64(n), max(0, end-start))), err
	}
	borrowed := 0 // slots from the head up to the last one sealed from p
	for len(p) > 0 {
		if r.n == len(r.slots) { // w.fill is 0: a partial frame is never in flight
			if err := w.retire(); err != nil {
				return failed(err)
			}
			borrowed = max(0, borrowed-1)
		}
		s := r.at(r.n)
		if w.fill == 0 && len(p) >= fl {
			s.src, p = p[:fl], p[fl:]
			n += fl
		} else {
			b := s.buf[:cap(s.buf)]
			k := copy(b[plainOffset+w.fill:plainOffset+fl], p)
			w.fill += k
			p = p[k:]
			n += k
			if w.fill < fl {
				continue
			}
			w.fill = 0
			s.src = nil
		}
		if w.seq == finalFrameMark { // as the serial path: no regular frame 2^32-1
			// As the serial path: every frame before it is written.
			s.src = nil
			if err := w.drain(); err != nil {
				return failed(err)
			}
			return n, w.fail(fmt.Errorf("%w: more than 2^32-1 frames", ErrTooLarge))
		}
		s.seq, s.n = w.seq, fl
		w.seq++
		r.n++
		if s.src != nil {
			borrowed = r.n
		}
		r.dispatch(s)
	}
	for ; borrowed > 0; borrowed-- {
		if err := w.retire(); err != nil {
			return failed(err)
		}
	}
	return n, nil
}

// retire waits for the oldest frame in flight, then hashes and writes it.
func (w *encWriter) retire() error {
	r := w.par
	s := r.at(0)
	r.wait(s)
	r.pop()
	if err := w.emit(s.buf); err != nil {
		w.failedSeq = s.seq
		return w.fail(err)
	}
	return nil
}

// drain retires every frame in flight.
func (w *encWriter) drain() error {
	for w.par.n > 0 {
		if err := w.retire(); err != nil {
			return err
		}
	}
	return nil
}

// partial returns the plaintext of the frame being filled.
func (w *encWriter) partial() []byte {
	s := w.par.at(w.par.n)
	return s.buf[plainOffset : plainOffset+w.fill]
}

// fail makes err the stream's error, stops the workers (none touches a
// buffer or p after it returns) and clears every slot.
func (w *encWriter) fail(err error) error {
	w.err = err
	w.par.stop()
	w.par.wipe()
	return err
}
