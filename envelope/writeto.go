package envelope

import (
	"bufio"
	"errors"
	"io"
)

// errInvalidWrite is WriteTo's error for a w.Write that reports a count
// below 0 or above len(p) (io.Copy's errInvalidWrite, which io does not
// export).
var errInvalidWrite = errors.New("envelope: invalid write result")

// readBlock is how much DecryptStream reads from an unbuffered source at a
// time, so that small frames (a 16-byte frame header, then the ciphertext)
// do not each cost a read of the source.
const readBlock = 64 << 10

// blockReader buffers src unless it already is buffered or in memory (an
// io.ByteReader such as *bufio.Reader or *bytes.Reader).
func blockReader(src io.Reader) io.Reader {
	if _, ok := src.(io.ByteReader); ok {
		return src
	}
	return bufio.NewReaderSize(src, readBlock)
}

// WriteTo writes the message's plaintext to w, one verified frame at a time,
// until the message ends (it then returns a nil error) or fails: io.Copy
// uses it to hand whole frames to w without a buffer of its own (on the
// parallel path, straight from the Reader's frame slots; w is called on the
// caller's goroutine only). The same
// guarantees hold as for Read: a frame reaches w only after it verified, and
// the final frame only after the whole message did. A failed w.Write is
// returned as is; as in io.Copy, a w.Write that takes fewer bytes than it
// was given without an error ends WriteTo with io.ErrShortWrite, and one
// that reports an impossible count (below 0 or above len(p)) with an error,
// taking none of them; the bytes w did not take stay in the Reader, where a
// later Read or WriteTo finds them. A failed message is reported as for
// Read.
func (d *Reader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if rest := len(d.out) - d.pos; rest > 0 {
			n, err := w.Write(d.out[d.pos:])
			if n < 0 || n > rest { // as io.Copy: an impossible count moves nothing
				n = 0
				if err == nil {
					err = errInvalidWrite
				}
			}
			d.pos += n
			total += int64(n)
			if err != nil {
				return total, err
			}
			if n < rest {
				return total, io.ErrShortWrite
			}
			continue
		}
		if d.err != nil {
			return total, d.err
		}
		if d.done {
			d.wipe()
			return total, nil
		}
		_, d.err = d.step(nil) // decrypts into d.out
	}
}
