package envelope

import (
	"bufio"
	"io"
)

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
// returned as is; a failed message as for Read.
func (d *Reader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if d.pos < len(d.out) {
			n, err := w.Write(d.out[d.pos:])
			d.pos += n
			total += int64(n)
			if err != nil {
				return total, err
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
