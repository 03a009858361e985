package envelope

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelStreamAfter is how many bytes of plaintext a stream seals or
// releases in the calling goroutine before it starts workers: below it, the
// ring's allocation and the goroutines' start cost more than they save
// (BenchmarkStreamParallelThreshold: going parallel from the first byte
// made 16 and 64 KiB streams several times slower), and a DecryptStream
// allocates its frame slots only once the first frames of the message
// authenticated. At least one frame is always handled serially first,
// except in tests, which set it to 0 through parstream_export_test.go (it
// is otherwise never written).
var parallelStreamAfter int64 = 128 << 10

// maxStreamWorkers bounds the goroutines of one stream whatever
// Options.Concurrency says: frames are sealed on CPUs, and a ring of 2·256
// frames is already more than any machine keeps busy.
const maxStreamWorkers = 256

// streamWorkers is the number of goroutines a stream of c seals or opens
// frames on once parallel: Options.Concurrency, 0 meaning GOMAXPROCS, at
// most maxStreamWorkers.
func (c *Client) streamWorkers() int {
	w := c.opts.Concurrency
	if w == 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return min(w, maxStreamWorkers)
}

// frameSlot is one frame in flight in a stream's ring: its buffer holds the
// serialized frame (EncryptStream: sealed in place over the plaintext copied
// into it, or from the caller's p) or the frame's ciphertext and tag
// (DecryptStream: opened in place).
type frameSlot struct {
	buf     []byte // cap FrameLength + regularFrameOverhead (encrypt) or + tagSize (decrypt)
	src     []byte // encrypt: plaintext borrowed from Write's p; nil when it was copied into buf
	n       int    // plaintext bytes
	seq     uint32
	final   bool // decrypt: the final frame, read but never dispatched
	iv      [ivSize]byte
	f       framer // a copy of the stream's: its own IV and AAD scratch, the AEAD shared
	ok      bool   // the job's result
	pending bool   // dispatched and not yet waited for (caller's goroutine only)
	done    bool   // the job ran (guarded by the ring's mu)
}

// frameRing is the ring of a parallel stream: at most len(slots) frames are
// in flight, [head, head+n) in sequence order. Jobs are queued in that
// order; up to max goroutines are started on demand, each takes jobs until
// the queue is empty and then exits, so a stream that is abandoned leaves no
// goroutine behind once its jobs (at most len(slots)) are done.
type frameRing struct {
	slots []frameSlot
	head  int
	n     int
	open  bool // DecryptStream's ring: jobs open frames; otherwise they seal

	mu      sync.Mutex
	queue   []*frameSlot // a ring of pending jobs, in sequence order
	qhead   int
	qlen    int
	running int
	max     int
	work    func()     // r.worker, made once: a go statement with it allocates nothing
	waiter  *frameSlot // the slot the caller waits for in cond, if any
	cond    sync.Cond  // signalled when waiter's job is done; L is &mu

	// Jobs of a higher sequence number are skipped (not ok): set to the
	// first frame that failed to open, or to 0 when the stream stops.
	stopAfter atomic.Uint32
}

// maxRingBytes bounds a parallel stream's ring when frames are large: it
// holds 2·workers groups of frames (see ringSlots), but no more than maxRingBytes of them
// unless that is fewer than 2 frames.
const maxRingBytes = 256 << 20

// ringGroupBytes and maxGroupFrames size the ring for small frames: each
// worker gets 2 groups of up to 64 KiB of frames (at most 32 frames), not 2
// frames. With 2 frames per worker, 4 KiB frames spend a third of
// DecryptStream's CPU time handing frames between goroutines
// (BenchmarkParallelStreamCPU: 31 ms of CPU per 64 MiB at 2 workers, 18
// serial; with groups of 15 frames and the done flags under one sync.Cond,
// 24 ms, and 20 at 8 workers).
const (
	ringGroupBytes = 64 << 10
	maxGroupFrames = 32
)

// ringSlots returns how many frame slots of size bytes the ring of a stream
// with workers workers has: 2·workers groups of 64 KiB / size frames (1 to
// 32), bounded by maxRingBytes but at least 2; 0 (stay serial) when 2 slots
// do not fit in an int (32-bit platforms, frames of 1 GiB and more).
func ringSlots(workers, size int) int {
	if size > math.MaxInt/2 {
		return 0
	}
	group := min(maxGroupFrames, max(1, ringGroupBytes/size))
	return max(2, min(2*group*min(workers, maxStreamWorkers), maxRingBytes/size))
}

// newFrameRing returns a ring of ringSlots(workers, size) slots of size
// bytes each (one allocation), for the frames of f, run by at most workers
// goroutines (and no more than the slots).
func newFrameRing(f *framer, workers, size int, open bool) *frameRing {
	n := ringSlots(workers, size)
	r := &frameRing{slots: make([]frameSlot, n), queue: make([]*frameSlot, n), max: min(workers, n), open: open}
	r.stopAfter.Store(finalFrameMark)
	r.work = r.worker
	r.cond.L = &r.mu
	all := make([]byte, len(r.slots)*size) // one allocation: no rounding up per slot
	for i := range r.slots {
		s := &r.slots[i]
		s.buf = all[i*size : i*size : (i+1)*size]
		s.f = *f
	}
	return r
}

// at returns the i-th slot from the head.
func (r *frameRing) at(i int) *frameSlot { return &r.slots[(r.head+i)%len(r.slots)] }

// pop removes the head slot, once its frame was written or released.
func (r *frameRing) pop() {
	r.head = (r.head + 1) % len(r.slots)
	r.n--
}

// dispatch queues the job of s, starting a goroutine if fewer than max run.
func (r *frameRing) dispatch(s *frameSlot) {
	s.pending = true
	r.mu.Lock()
	s.done = false
	r.queue[(r.qhead+r.qlen)%len(r.queue)] = s
	r.qlen++
	start := r.running < r.max
	if start {
		r.running++
	}
	r.mu.Unlock()
	if start {
		go r.work()
	}
}

// take removes the first queued job, or returns nil when none is queued.
// r.mu is held.
func (r *frameRing) take() *frameSlot {
	if r.qlen == 0 {
		return nil
	}
	s := r.queue[r.qhead]
	r.queue[r.qhead] = nil
	r.qhead = (r.qhead + 1) % len(r.queue)
	r.qlen--
	return s
}

// worker runs queued jobs until there are none, then exits.
func (r *frameRing) worker() {
	r.mu.Lock()
	for {
		s := r.take()
		if s == nil {
			r.running--
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
		r.run(s)
		r.mu.Lock()
		r.finished(s)
	}
}

// finished marks the job of s done and wakes the caller if it waits for
// it. r.mu is held.
func (r *frameRing) finished(s *frameSlot) {
	s.done = true
	if r.waiter == s {
		r.cond.Signal()
	}
}

// run seals or opens the frame of s: s.ok tells whether it verified.
func (r *frameRing) run(s *frameSlot) {
	s.ok = false
	switch {
	case s.seq > r.stopAfter.Load():
		// a frame after a failed one, or the stream stopped: skipped
	case r.open:
		_, err := s.f.open(s.buf[:0], s.seq, false, s.iv[:], s.buf[:s.n+tagSize])
		if s.ok = err == nil; !s.ok {
			clear(s.buf[:s.n+tagSize])
			for old := r.stopAfter.Load(); s.seq < old && !r.stopAfter.CompareAndSwap(old, s.seq); old = r.stopAfter.Load() {
			}
		}
	default:
		src := s.src
		if src == nil {
			src = s.buf[regularFrameOverhead-tagSize : regularFrameOverhead-tagSize+s.n]
		}
		s.buf = s.f.seal(s.buf[:0], s.seq, false, src)
		s.ok = true
	}
}

// wait returns once the job of s is done. Rather than block while jobs are
// queued, the caller runs them itself (s first: it is the oldest in flight,
// so the first queued if not taken), until s is done or none is left.
func (r *frameRing) wait(s *frameSlot) {
	if !s.pending {
		return
	}
	r.mu.Lock()
	for !s.done {
		if job := r.take(); job != nil {
			r.mu.Unlock()
			r.run(job)
			r.mu.Lock()
			r.finished(job)
			continue
		}
		r.waiter = s
		r.cond.Wait()
	}
	r.waiter = nil
	r.mu.Unlock()
	s.pending = false
	s.src = nil
}

// stop skips every job not yet started and waits for those running: when
// it returns, no goroutine touches the ring's buffers or a borrowed p.
func (r *frameRing) stop() {
	r.stopAfter.Store(0)
	for i := range r.n {
		r.wait(r.at(i))
	}
}

// wipe clears every slot's buffer (plaintext, or the stream's ciphertext).
// The ring must be stopped or drained.
func (r *frameRing) wipe() {
	for i := range r.slots {
		clear(r.slots[i].buf[:cap(r.slots[i].buf)])
	}
}
