package envelope

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"slices"
)

// EncryptStream writes a message to dst as plaintext is written to the
// returned WriteCloser: the header at once (after the KMS call), then the
// frames as FrameLength bytes arrive, and the final frame (and for the
// signed suite the signature) on Close. Close must be called to complete the
// message; a message without its final frame does not decrypt. Close twice
// returns what the first returned; Write after Close fails. The
// WriteCloser is not safe for concurrent use.
//
// With Options.Concurrency 1, and for the first 128 KiB of any stream,
// each frame is sealed and written to dst inside the Write that completes
// it, and memory stays at about two frames. After that (Concurrency 0 or
// above 1), frames are sealed by up to Concurrency goroutines while the
// caller's goroutine hashes (signed suite) and writes the earlier ones to
// dst, strictly in order: dst is only written inside Write and Close, on
// the caller's goroutine. Write copies a partial frame into the stream's
// own slot, and whole frames of p are sealed from p and written before
// Write returns, so p is never retained; copied frames (up to the ring's
// 2·Concurrency groups) may still be in flight when Write returns, and a
// later Write or Close writes them. Memory stays at about 2·FrameLength +
// 2·Concurrency·max(FrameLength+32, 64 KiB) bytes whatever the size (see
// Options.Concurrency).
//
// Errors from dst stick (a dst that takes fewer bytes than it was given
// without an error fails with io.ErrShortWrite, as in io.Copy, and a dst
// that panics fails the stream before the panic goes on): the frame whose
// write failed is the last one dst is asked to take; the error is returned
// by the Write or Close that wrote it and by every later Write and Close,
// frames in flight are dropped, and the stream's plaintext is cleared.
func (c *Client) EncryptStream(ctx context.Context, dst io.Writer, encryptionContext map[string]string) (io.WriteCloser, error) {
	m, err := c.encryptionMaterials(ctx, encryptionContext, -1)
	if err != nil {
		return nil, err
	}
	_, f, header, err := c.newHeader(m)
	signer := m.signer
	m.wipe()
	if err != nil {
		return nil, err
	}
	w := &encWriter{dst: dst, f: f, seq: 1, frameLength: c.opts.FrameLength, signer: signer, rand: c.opts.Rand,
		workers: c.streamWorkers(), parallelAfter: parallelStreamAfter}
	w.buf = make([]byte, 0, w.frameLength)
	w.out = make([]byte, 0, w.frameLength+frameOverhead(true))
	if signer != nil {
		w.hash = newSignatureHash()
	}
	if err := w.emit(header); err != nil {
		return nil, err
	}
	return w, nil
}

// encWriter is the WriteCloser of EncryptStream. Its fields hold key
// material, so it redacts itself in fmt and slog output.
type encWriter struct {
	dst         io.Writer
	f           *framer
	seq         uint32
	frameLength int
	buf         []byte // plaintext of the frame being filled
	out         []byte // scratch for one serialized frame
	signer      *ecdsa.PrivateKey
	rand        io.Reader
	hash        hash.Hash
	err         error
	closed      bool

	// The parallel path (parstream_enc.go): once sealed reaches
	// parallelAfter and workers > 1, frames go through par.
	workers       int
	parallelAfter int64
	sealed        int64 // plaintext bytes sealed serially
	par           *frameRing
	fill          int    // plaintext bytes of the frame being filled in par's next slot
	failedSeq     uint32 // the frame whose write to dst failed
}

// errDstPanicked is the error of an EncryptStream whose dst panicked.
var errDstPanicked = errors.New("envelope: write: dst panicked")

func (w *encWriter) String() string       { return "envelope.EncryptStream{redacted}" }
func (w *encWriter) GoString() string     { return w.String() }
func (w *encWriter) LogValue() slog.Value { return slog.StringValue(w.String()) }

func (w *encWriter) emit(b []byte) error {
	if w.hash != nil {
		w.hash.Write(b)
	}
	return w.write(b)
}

// write writes b to dst; an error sticks. A dst that takes fewer bytes than
// it was given without an error fails with io.ErrShortWrite, as in io.Copy:
// the message would otherwise lack bytes without anyone knowing. A dst that
// panics fails the stream too (errDstPanicked sticks, the workers are
// stopped and the slots cleared) before the panic goes on: a caller that
// recovers gets an error from every later Write and Close instead of a
// message missing a frame, and no worker reads its p any more.
func (w *encWriter) write(b []byte) error {
	panicked := true
	defer func() {
		if panicked {
			w.err = errDstPanicked
			if w.par != nil {
				w.par.stop()
				w.par.wipe()
			}
		}
	}()
	n, err := w.dst.Write(b)
	panicked = false
	if err == nil && n != len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.err = fmt.Errorf("envelope: write: %w", err)
		return w.err
	}
	return nil
}

// Write encrypts p, writing every frame it completes. Whole frames of p are
// sealed straight from p, without a copy.
func (w *encWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, errors.New("envelope: write after Close")
	}
	n := 0
	for len(p) > 0 {
		if w.par == nil && w.workers > 1 && len(w.buf) == 0 && w.sealed >= w.parallelAfter && ringSlots(w.workers, w.frameLength+regularFrameOverhead) > 0 {
			w.startParallel()
		}
		if w.par != nil {
			m, err := w.writeParallel(p)
			return n + m, err
		}
		var frame []byte
		if len(w.buf) == 0 && len(p) >= w.frameLength {
			frame, p = p[:w.frameLength], p[w.frameLength:]
			n += w.frameLength
		} else {
			k := min(len(p), w.frameLength-len(w.buf))
			w.buf = append(w.buf, p[:k]...)
			p = p[k:]
			n += k
			if len(w.buf) < w.frameLength {
				continue
			}
			frame = w.buf
		}
		// At most 2^32-1 frames, the final one numbered by their count
		// (message-body.md, "Framed Data"): a regular frame 2^32-1 would
		// leave no number for the final frame.
		if w.seq == finalFrameMark {
			w.err = fmt.Errorf("%w: more than 2^32-1 frames", ErrTooLarge)
			return n, w.err
		}
		w.out = w.f.seal(w.out[:0], w.seq, false, frame)
		w.seq++
		w.sealed += int64(w.frameLength)
		if len(w.buf) > 0 {
			clear(w.buf)
			w.buf = w.buf[:0]
		}
		if err := w.emit(w.out); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Close writes the final frame (possibly empty) and, for the signed suite,
// the signature. It does not close dst.
func (w *encWriter) Close() error {
	if w.err != nil || w.closed {
		return w.err
	}
	w.closed = true
	last := w.buf
	if w.par != nil {
		if err := w.drain(); err != nil {
			return err
		}
		last = w.partial()
	}
	w.out = w.f.seal(w.out[:0], w.seq, true, last)
	clear(last)
	if w.par != nil {
		w.par.wipe()
	}
	if err := w.emit(w.out); err != nil {
		return err
	}
	if w.signer != nil {
		footer, err := sign(w.signer, w.rand, w.hash.Sum(nil))
		w.signer = nil
		if err != nil {
			w.err = err
			return err
		}
		if err := w.write(footer); err != nil {
			return err
		}
	}
	w.f = nil
	return nil
}

// DecryptStream reads a message from src and returns a Reader of its
// plaintext. It reads and authenticates the header and asks the keyring for
// the data key before returning; Reader.Header then gives the authenticated
// suite and encryption context. The Reader releases each frame's plaintext
// only after that frame's tag verifies, and the final frame's only after the
// signature verifies (signed suites) and src has ended; memory stays at
// about one frame (serial path; see below for the parallel one).
// Regular frames of a signed message are released before the signature is
// checked, as in every streaming AWS Encryption SDK: a consumer that must not
// act on data before its message is authenticated sets Options.UnsignedOnly
// (signed messages are then refused with ErrSignedMessage before any KMS
// call), uses Decrypt, or buffers until io.EOF. Errors are as for Decrypt; a
// frame length above Options.MaxFrameLength is refused before anything is
// allocated for it. After the header, an unbuffered src is read in blocks of
// 64 KiB (so up to 64 KiB past the message may be read: the message must be
// all of src anyway); io.Copy from the Reader uses its WriteTo.
//
// With Options.Concurrency 1, and for the first 128 KiB of plaintext of
// any framed message, each frame is read and opened inside the Read or
// WriteTo that needs it. After that (Concurrency 0 or above 1), Read and
// WriteTo read up to the ring's 2·Concurrency groups of frames ahead of
// what they released (see Options.Concurrency), on the caller's goroutine
// (src is read there only): before returning a frame that verified, they
// wait until src has filled the ring, ended or failed. So with a src whose
// writer waits for the reader before it sends more (a request and its
// response over one connection, a live feed), the parallel path blocks
// where Concurrency 1 returns each frame as it arrives: use Concurrency 1
// there. Frames are hashed in order as they are read
// (signed suites); up to Concurrency goroutines open them in the Reader's
// own slots, and their plaintext is released strictly in order, each
// frame only once it verified. A frame that fails stops the stream: the
// frames before it are released, none after it ever is (their plaintext
// is cleared, and frames not yet opened are skipped), and ErrDecrypt
// sticks; a source that fails or ends early is reported once the whole
// frames before the failure were released, as on the serial path. The
// final frame is opened only after every earlier frame was released, then
// the signature and the end of src are checked before it is released.
// Memory stays at about FrameLength + 2·Concurrency·max(FrameLength+16,
// 64 KiB) bytes and the 64 KiB read block; the frame slots are allocated
// only once the first 128 KiB of the message authenticated.
//
// A non-framed body (message format version 1, or 2 from some writers) is
// one AES-GCM ciphertext whose tag comes at its end. The Reader releases
// none of it before that tag (and the signature, for the signed suites)
// verifies: it holds the whole content, so memory is bounded by
// Options.MaxFrameLength as for a frame, and a longer non-framed content is
// refused with ErrMalformed when its length is read, before it is buffered.
func (c *Client) DecryptStream(ctx context.Context, src io.Reader, encryptionContext map[string]string) (*Reader, error) {
	raw, err := readHeader(src, c.opts.MaxEncryptedDataKeys)
	if err != nil {
		return nil, err
	}
	h, err := parseHeader(raw, c.opts.MaxEncryptedDataKeys)
	if err != nil {
		return nil, err
	}
	if err := c.checkSigned(h); err != nil {
		return nil, err
	}
	if h.FrameLength > c.opts.MaxFrameLength {
		return nil, malformed("frame length %d over MaxFrameLength %d", h.FrameLength, c.opts.MaxFrameLength)
	}
	// The body is read in blocks of 64 KiB from an unbuffered src.
	limit := int64(c.opts.MaxFrameLength)
	if h.ContentType == Framed {
		limit = int64(h.FrameLength)
	}
	return c.newReader(ctx, h, raw, blockReader(src), limit, true, encryptionContext)
}

// newReader is the common start of Decrypt and DecryptStream: the
// commitment policy, the context check, the signature key, the data key
// (keyring or cache), the header's authentication. body reads what follows
// the header; no frame or non-framed content longer than limit bytes of
// plaintext is buffered (streaming: a longer non-framed content is
// malformed; in memory: it is truncated, ErrDecrypt).
func (c *Client) newReader(ctx context.Context, h *Header, raw []byte, body io.Reader, limit int64, streaming bool, encryptionContext map[string]string) (*Reader, error) {
	if !h.Suite.Committing() && c.opts.CommitmentPolicy != RequireEncryptAllowDecrypt {
		return nil, &policyError{suite: h.Suite}
	}
	if err := requireContext(h.EncryptionContext, encryptionContext); err != nil {
		return nil, err
	}
	d := &Reader{src: body, h: h, frameLength: h.FrameLength, seq: 1, limit: limit, streaming: streaming,
		workers: c.streamWorkers(), parallelAfter: parallelStreamAfter}
	var err error
	if h.Suite.signed() {
		if d.pub, err = verifier(h); err != nil {
			return nil, err
		}
		d.hash = h.Suite.info().sigHash()
		d.hash.Write(raw)
	}
	dataKey, err := c.dataKey(ctx, h)
	if err != nil {
		return nil, err
	}
	d.f, err = verifyHeader(h, dataKey)
	clear(dataKey)
	if err != nil {
		return nil, err
	}
	if h.ContentType == Framed {
		d.in = make([]byte, 0, min(int64(h.FrameLength), limit)+tagSize)
	}
	return d, nil
}

// readHeader reads exactly the header bytes from src, field by field, each
// length bounded by its u16 or u32 field before reading. It reads format
// versions 1 and 2; parseHeader checks the fields.
func readHeader(src io.Reader, maxKeys int) ([]byte, error) {
	b := make([]byte, 0, 512)
	read := func(n int, field string) ([]byte, error) {
		start := len(b)
		b = append(b, make([]byte, n)...)
		if _, err := io.ReadFull(src, b[start:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, malformed("%s: message ends after %d bytes", field, start)
			}
			return nil, fmt.Errorf("envelope: read: %w", err)
		}
		return b[start:], nil
	}
	u16 := func(field string) (int, error) {
		s, err := read(2, field)
		if err != nil {
			return 0, err
		}
		return int(binary.BigEndian.Uint16(s)), nil
	}
	if _, err := read(1, "version"); err != nil {
		return nil, err
	}
	v := b[0]
	switch v {
	case formatVersion:
		if _, err := read(2+messageIDSize, "suite and message ID"); err != nil {
			return nil, err
		}
	case formatVersionV1:
		if _, err := read(1+2+messageIDSizeV1, "type, suite and message ID"); err != nil {
			return nil, err
		}
	default:
		return nil, malformed("version 0x%02x, only 0x01 and 0x02 are supported", v)
	}
	n, err := u16("encryption context length")
	if err != nil {
		return nil, err
	}
	if _, err := read(n, "encryption context"); err != nil {
		return nil, err
	}
	count, err := u16("data key count")
	if err != nil {
		return nil, err
	}
	if count == 0 || count > maxKeys {
		return nil, malformed("%d encrypted data keys, allowed 1 to %d", count, maxKeys)
	}
	for range count {
		for _, field := range []string{"provider ID", "provider info", "encrypted data key"} {
			n, err := u16(field + " length")
			if err != nil {
				return nil, err
			}
			if _, err := read(n, field); err != nil {
				return nil, err
			}
		}
	}
	if v == formatVersion {
		_, err = read(1+4+commitKeySize+tagSize, "content type, frame length, commit key and tag")
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	// Version 1: content type, reserved, IV length, frame length, then the
	// header IV (of the IV length read) and tag.
	tail, err := read(1+4+1+4, "content type, reserved, IV length and frame length")
	if err != nil {
		return nil, err
	}
	if ivLen := int(tail[5]); ivLen != ivSize {
		return nil, malformed("IV length %d, the suite's is %d", ivLen, ivSize)
	}
	if _, err := read(ivSize+tagSize, "header IV and tag"); err != nil {
		return nil, err
	}
	return b, nil
}

// Reader is the plaintext of a message being decrypted by DecryptStream. It
// releases only verified plaintext (see DecryptStream) and returns io.EOF
// only when the whole message verified. It holds the content key, so it
// redacts itself in fmt and slog output. A Reader is not safe for concurrent
// use; its zero value is not usable (DecryptStream makes Readers). A Reader
// needs no Close: on the parallel path, the goroutines opening frames read
// ahead end by themselves, whether or not the Reader is read to the end.
type Reader struct {
	src         io.Reader
	h           *Header
	frameLength int
	f           *framer
	seq         uint32
	pub         *ecdsa.PublicKey
	hash        hash.Hash
	in          []byte // one frame's ciphertext and tag, then its plaintext
	out         []byte // the verified plaintext of the current frame, within in
	pos         int
	done        bool // the final frame is verified and released
	err         error
	hdr         [4 + ivSize + 8]byte

	limit     int64 // the longest frame or non-framed content buffered, bytes of plaintext
	streaming bool  // DecryptStream: non-framed content over limit is malformed, not truncated

	// Decrypt's body in memory, and the reader over it (src): a non-framed
	// body is opened in place.
	mem     *bytes.Reader
	memBody []byte

	// The parallel path (parstream_dec.go), for DecryptStream's framed
	// bodies once released reaches parallelAfter and workers > 1.
	workers       int
	parallelAfter int64
	released      int64 // plaintext bytes released serially
	par           *frameRing
	held          bool  // d.out is the plaintext of par's head slot
	sawFinal      bool  // the final frame is read into par
	perr          error // what stopped the read-ahead, returned once the frames before it are released
}

// Header returns the message's header, authenticated under the data key
// before DecryptStream returned: its suite, full encryption context and
// encrypted data keys. It returns the same *Header on every call; treat it
// as read-only.
func (d *Reader) Header() *Header { return d.h }

// String redacts: a Reader holds the content key.
func (d *Reader) String() string { return "envelope.Reader{redacted}" }

// GoString redacts, for %#v.
func (d *Reader) GoString() string { return d.String() }

// LogValue redacts, for log/slog.
func (d *Reader) LogValue() slog.Value { return slog.StringValue(d.String()) }

// Read returns verified plaintext; io.EOF after the final frame. On the
// serial path, when p can hold a whole regular frame, the frame is decrypted
// straight into p: AES-GCM authenticates before anything counts as read,
// and on failure p is cleared. On the parallel path, verified plaintext is
// copied from the Reader's slots (WriteTo hands it to w without a copy).
func (d *Reader) Read(p []byte) (int, error) {
	for d.pos == len(d.out) {
		if d.err != nil {
			return 0, d.err
		}
		if d.done {
			d.wipe()
			return 0, io.EOF
		}
		var n int
		n, d.err = d.step(p)
		if n > 0 {
			return n, nil
		}
	}
	n := copy(p, d.out[d.pos:])
	d.pos += n
	return n, nil
}

func (d *Reader) fill(b []byte) error {
	if _, err := io.ReadFull(d.src, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return ErrDecrypt // truncated
		}
		return fmt.Errorf("envelope: read: %w", err)
	}
	if d.hash != nil {
		d.hash.Write(b)
	}
	return nil
}

// next reads and verifies the next frame. A regular frame that fits in p is
// decrypted into p and its length returned; otherwise the plaintext goes to
// d.out (within d.in, decrypted in place) and next returns 0.
func (d *Reader) next(p []byte) (int, error) {
	d.out, d.pos = nil, 0
	if d.h.ContentType == NonFramed {
		return d.single(p)
	}
	seq, final, iv, n, err := d.frameHead(cap(d.in))
	if err != nil {
		return 0, err
	}
	d.in = d.in[:n+tagSize]
	if err := d.fill(d.in); err != nil {
		return 0, err
	}
	d.seq++
	if !final && len(p) >= n {
		if _, err := d.f.open(p[:0], seq, false, iv, d.in); err != nil {
			clear(p[:n])
			return 0, ErrDecrypt
		}
		return n, nil
	}
	out, err := d.f.open(d.in[:0], seq, final, iv, d.in)
	if err != nil {
		return 0, ErrDecrypt
	}
	if final {
		if err := d.finish(); err != nil {
			clear(out)
			return 0, err
		}
		d.done = true
	}
	d.out = out
	return 0, nil
}

// frameHead reads a frame's header (sequence number, IV, and for the final
// frame its content length) and checks it against the next sequence number
// and the frame length. room is the ciphertext and tag the frame's buffer
// holds (Decrypt's is what is left of the message). The IV returned is
// within d.hdr.
func (d *Reader) frameHead(room int) (seq uint32, final bool, iv []byte, n int, err error) {
	// A regular frame starts with 16 bytes: sequence number and IV. A final
	// frame starts with the 0xFFFFFFFF mark, so 8 more bytes complete its
	// sequence number, IV and content length. checkFrameStart applies the
	// checks Decrypt's parallel path applies too.
	if err := d.fill(d.hdr[:regularFrameStart]); err != nil {
		return 0, false, nil, 0, err
	}
	b := d.hdr[:regularFrameStart]
	if final = finalMarked(b); final {
		if err := d.fill(d.hdr[regularFrameStart:finalFrameStart]); err != nil {
			return 0, false, nil, 0, err
		}
		b = d.hdr[:finalFrameStart]
	}
	if iv, n, err = checkFrameStart(b, d.h.Version, d.seq, d.frameLength); err != nil {
		return 0, false, nil, 0, err
	}
	if n > room-tagSize { // not n+tagSize, which can overflow a 32-bit int
		return 0, false, nil, 0, ErrDecrypt // longer than what is left of an in-memory message
	}
	return d.seq, final, iv, n, nil
}

// single reads and verifies a non-framed body: IV, u64 content length,
// ciphertext, tag. Nothing is released until the tag and the signature
// verify; the content length is bounded by d.limit before anything is
// allocated. When p can hold the content it is decrypted into p (and its
// length returned); otherwise into d.out. Decrypt's in-memory body (d.mem)
// is opened where it lies, without a copy of the ciphertext.
func (d *Reader) single(p []byte) (int, error) {
	if err := d.fill(d.hdr[:ivSize+8]); err != nil {
		return 0, err
	}
	iv := d.hdr[:ivSize]
	cl := binary.BigEndian.Uint64(d.hdr[ivSize:])
	if cl > maxNonFramed {
		return 0, ErrDecrypt
	}
	if cl > uint64(d.limit) {
		if d.streaming {
			return 0, malformed("non-framed content of %d bytes over MaxFrameLength %d", cl, d.limit)
		}
		return 0, ErrDecrypt // longer than the message
	}
	n := int(cl)
	var ct []byte
	if d.mem != nil {
		rest := d.mem.Len()
		if n > rest-tagSize {
			return 0, ErrDecrypt // truncated
		}
		start := len(d.memBody) - rest
		ct = d.memBody[start : start+n+tagSize]
		if _, err := d.mem.Seek(int64(n+tagSize), io.SeekCurrent); err != nil {
			return 0, ErrDecrypt
		}
		if d.hash != nil {
			d.hash.Write(ct)
		}
	} else {
		// The content length is not authenticated until the tag: the buffer
		// grows (doubling from readBlock) as bytes arrive, so a lying length
		// costs what was sent, not what it claims.
		total := n + tagSize
		d.in = make([]byte, 0, min(total, readBlock))
		for len(d.in) < total {
			if len(d.in) == cap(d.in) {
				d.in = slices.Grow(d.in, min(total-len(d.in), cap(d.in)))
			}
			chunk := d.in[len(d.in):min(cap(d.in), total)]
			if err := d.fill(chunk); err != nil {
				return 0, err
			}
			d.in = d.in[:len(d.in)+len(chunk)]
		}
		ct = d.in
	}
	if len(p) >= n {
		if _, err := d.f.openSingle(p[:0], iv, ct); err != nil {
			clear(p[:n])
			return 0, ErrDecrypt
		}
		if err := d.finish(); err != nil {
			clear(p[:n])
			return 0, err
		}
		d.done = true
		return n, nil
	}
	if d.in == nil {
		d.in = make([]byte, 0, n)
	}
	out, err := d.f.openSingle(d.in[:0], iv, ct)
	if err != nil {
		return 0, ErrDecrypt
	}
	if err := d.finish(); err != nil {
		clear(out)
		return 0, err
	}
	d.done = true
	d.out = out
	return 0, nil
}

// finish verifies the signature (signed suite) and that src has ended.
func (d *Reader) finish() error {
	if d.pub != nil {
		sum := d.hash.Sum(nil)
		d.hash = nil // the footer is not hashed
		var l [2]byte
		if err := d.fill(l[:]); err != nil {
			return err
		}
		sig := make([]byte, binary.BigEndian.Uint16(l[:]))
		if err := d.fill(sig); err != nil {
			return err
		}
		if !ecdsa.VerifyASN1(d.pub, sum, sig) {
			return ErrDecrypt
		}
	}
	var one [1]byte
	if n, err := io.ReadFull(d.src, one[:]); n > 0 || (err != nil && !errors.Is(err, io.EOF)) {
		if n > 0 {
			return ErrDecrypt // trailing bytes
		}
		return fmt.Errorf("envelope: read: %w", err)
	}
	return nil
}
