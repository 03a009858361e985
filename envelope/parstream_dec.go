package envelope

// DecryptStream's parallel path. The caller's goroutine (inside Read or
// WriteTo) reads frames from src into the ring's free slots, hashing them
// in order as they are read (signed suites) and checking their headers,
// dispatches each regular frame to be opened in place, and releases the
// head slot's plaintext only once it verified; the final frame is read
// into a slot but opened on the caller's goroutine only when every earlier
// frame was released, then the signature and the end of src are checked,
// as on the serial path. Workers only open.

// step reads and verifies the next frame on the serial or the parallel
// path (see next), switching to the parallel one once enough plaintext was
// released.
func (d *Reader) step(p []byte) (int, error) {
	if d.par == nil && d.workers > 1 && d.streaming && d.mem == nil && d.h.ContentType == Framed && d.released >= d.parallelAfter && ringSlots(d.workers, d.frameLength+tagSize) > 0 {
		d.par = newFrameRing(d.f, d.workers, d.frameLength+tagSize, true)
	}
	if d.par == nil {
		n, err := d.next(p)
		d.released += int64(n + len(d.out))
		return n, err
	}
	err := d.nextParallel()
	if err != nil {
		d.par.stop()
		d.par.wipe()
	}
	return 0, err
}

// nextParallel makes d.out the plaintext of the next frame, once verified.
func (d *Reader) nextParallel() error {
	r := d.par
	if d.held { // d.out was all read
		d.held = false
		r.pop()
	}
	d.out, d.pos = nil, 0
	for d.perr == nil && !d.sawFinal && r.n < len(r.slots) && r.stopAfter.Load() == finalFrameMark {
		s := r.at(r.n)
		seq, final, iv, n, err := d.frameHead(cap(s.buf))
		if err == nil {
			err = d.fill(s.buf[:n+tagSize])
		}
		if err != nil {
			d.perr = err
			break
		}
		d.seq++
		s.seq, s.final, s.n = seq, final, n
		copy(s.iv[:], iv)
		r.n++
		if final {
			d.sawFinal = true
			break
		}
		r.dispatch(s)
	}
	if r.n == 0 {
		if d.perr == nil {
			return ErrDecrypt // unreachable: a frame that failed stopped the read-ahead
		}
		return d.perr
	}
	s := r.at(0)
	if s.final {
		out, err := s.f.open(s.buf[:0], s.seq, true, s.iv[:], s.buf[:s.n+tagSize])
		if err != nil {
			return ErrDecrypt
		}
		if err := d.finish(); err != nil {
			clear(out)
			return err
		}
		d.done = true
		d.out, d.held = out, true
		return nil
	}
	r.wait(s)
	if !s.ok {
		return ErrDecrypt
	}
	d.out, d.held = s.buf[:s.n], true
	return nil
}

// wipe clears the Reader's frame buffers once the message is read.
func (d *Reader) wipe() {
	clear(d.in[:cap(d.in)])
	if d.par != nil {
		d.par.wipe()
	}
}
