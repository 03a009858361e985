package envelope

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
)

// framer seals and opens the frames of one message. It keeps its IV and AAD
// in fixed arrays, so a frame costs no allocation when the destination has
// room.
type framer struct {
	aead      cipher.AEAD
	messageID []byte // 32 bytes (version 2) or 16 (version 1)
	iv        [ivSize]byte
	aad       [messageIDSize + len(singleAADLabel) + 4 + 8]byte
}

// newFramer returns the framer of a content key (16, 24 or 32 bytes).
func newFramer(contentKey []byte, messageID []byte) (*framer, error) {
	block, err := aes.NewCipher(contentKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &framer{aead: aead, messageID: messageID}, nil
}

// frameAAD returns the AAD of a frame: message ID, the body AAD label,
// sequence number (u32) and plaintext length (u64).
func (f *framer) frameAAD(seq uint32, final bool, n int) []byte {
	b := f.aad[:0]
	b = append(b, f.messageID...)
	if final {
		b = append(b, finalAADLabel...)
	} else {
		b = append(b, frameAADLabel...)
	}
	b = binary.BigEndian.AppendUint32(b, seq)
	b = binary.BigEndian.AppendUint64(b, uint64(n))
	return b
}

// frameIV returns the IV of a frame: 8 zero bytes and the sequence number.
func (f *framer) frameIV(seq uint32) []byte {
	clear(f.iv[:8])
	binary.BigEndian.PutUint32(f.iv[8:], seq)
	return f.iv[:]
}

// Bytes a frame adds to its plaintext: a regular frame, and the final one.
const (
	regularFrameOverhead = 4 + ivSize + tagSize
	finalFrameOverhead   = 4 + 4 + ivSize + 4 + tagSize
)

// frameOverhead is the bytes a frame adds to its plaintext.
func frameOverhead(final bool) int {
	if final {
		return finalFrameOverhead
	}
	return regularFrameOverhead
}

// seal appends the serialized frame for plaintext to dst.
func (f *framer) seal(dst []byte, seq uint32, final bool, plaintext []byte) []byte {
	if final {
		dst = binary.BigEndian.AppendUint32(dst, finalFrameMark)
	}
	dst = binary.BigEndian.AppendUint32(dst, seq)
	iv := f.frameIV(seq)
	dst = append(dst, iv...)
	if final {
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(plaintext)))
	}
	return f.aead.Seal(dst, iv, plaintext, f.frameAAD(seq, final, len(plaintext)))
}

// open authenticates and decrypts one frame's ciphertext||tag with iv,
// appending the plaintext to dst.
func (f *framer) open(dst []byte, seq uint32, final bool, iv, ciphertextAndTag []byte) ([]byte, error) {
	n := len(ciphertextAndTag) - tagSize
	out, err := f.aead.Open(dst, iv, ciphertextAndTag, f.frameAAD(seq, final, n))
	if err != nil {
		return dst, ErrDecrypt
	}
	return out, nil
}

// openSingle authenticates and decrypts a non-framed body's
// ciphertext||tag: its AAD is the message ID, the "Single Block" label,
// sequence number 1 and the content length.
func (f *framer) openSingle(dst []byte, iv, ciphertextAndTag []byte) ([]byte, error) {
	n := len(ciphertextAndTag) - tagSize
	b := append(f.aad[:0], f.messageID...)
	b = append(b, singleAADLabel...)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint64(b, uint64(n))
	out, err := f.aead.Open(dst, iv, ciphertextAndTag, b)
	if err != nil {
		return dst, ErrDecrypt
	}
	return out, nil
}

// headerTag computes the header authentication tag: AES-GCM with iv (zero
// in version 2) over an empty plaintext, the header body as AAD.
func (f *framer) headerTag(iv, body []byte) []byte {
	return f.aead.Seal(nil, iv, nil, body)
}

// Bytes of a frame's header before its ciphertext: a regular frame's
// sequence number and IV, and a final frame's mark, sequence number, IV and
// content length.
const (
	regularFrameStart = 4 + ivSize
	finalFrameStart   = 4 + 4 + ivSize + 4
)

// finalMarked reports whether a frame whose first bytes are b (4 or more) is
// the final frame: it starts with the 0xFFFFFFFF mark.
func finalMarked(b []byte) bool { return binary.BigEndian.Uint32(b) == finalFrameMark }

// checkFrameStart parses and checks a frame's header, b: its first
// regularFrameStart bytes, or finalFrameStart for a final frame (b starts
// with the mark, see finalMarked). want is the sequence number the frame
// must carry, frameLength the header's (1 to 2^31-1), version the message
// format version. It returns the frame's IV (within b) and its content
// length: frameLength for a regular frame. Every failure is ErrDecrypt: a
// final frame longer than frameLength (compared as u32 first: int(u32) is
// negative on 32-bit platforms for 2^31 or more), another sequence number,
// or in version 2 an IV other than the sequence number's. Version 1 writers
// used that IV too, but the IV is read from the frame as the specification
// describes (message-body.md), and AES-GCM authenticates it.
func checkFrameStart(b []byte, version int, want uint32, frameLength int) (iv []byte, n int, err error) {
	seq := binary.BigEndian.Uint32(b)
	iv, n = b[4:4+ivSize], frameLength
	final := seq == finalFrameMark
	if final {
		seq = binary.BigEndian.Uint32(b[4:])
		iv = b[8 : 8+ivSize]
		length := binary.BigEndian.Uint32(b[8+ivSize:])
		if uint64(length) > uint64(frameLength) {
			return nil, 0, ErrDecrypt
		}
		n = int(length)
	}
	if seq != want || (!final && seq == finalFrameMark) || version == formatVersion && !sequenceIV(iv, seq) {
		return nil, 0, ErrDecrypt
	}
	return iv, n, nil
}

// sequenceIV reports whether iv is the IV of sequence number seq: 8 zero
// bytes and seq (what frameIV returns), without the framer's scratch, so
// that several goroutines may call it.
func sequenceIV(iv []byte, seq uint32) bool {
	return len(iv) == ivSize && binary.BigEndian.Uint64(iv) == 0 && binary.BigEndian.Uint32(iv[8:]) == seq
}
