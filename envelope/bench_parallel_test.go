package envelope_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha512"
	"fmt"
	"io"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// The benchmarks of issue 15's targets. Each Benchmark function holds a
// target's subject and its baseline as sub-benchmarks, so they run in the
// same process, one after the other. scripts/bench15.sh runs them all and
// prints each target's ratio from the medians; read it for the commands.
//
// The one-core baseline is the issue's: raw AES-256-GCM on one goroutine,
// over the same plaintext in the frame's chunk size, sealing from the
// source into one fresh message-sized buffer per operation, and opening
// from that sealed buffer into one reused plaintext-sized buffer. No
// framing, no AAD, no KMS, no I/O interfaces. For the streams, whose
// output goes to io.Discard through a frame-sized buffer, the benchmarks
// also run a stricter reference that moves no more memory than the streams
// do (sealing and opening into one reused frame-sized buffer); the runner
// reports its ratios beside the issue's.

// Sub-benchmark names never end in "-<digits>": go test appends
// "-<GOMAXPROCS>" to them (under -cpu 1 it appends nothing), and the runner
// reads that suffix back.

// benchConcurrencies are the Options.Concurrency settings the benchmarks
// compare: the serial path and the default (runtime.GOMAXPROCS(0)).
var benchConcurrencies = []struct {
	name string
	n    int
}{{"concurrency=1", 1}, {"concurrency=default", 0}}

// benchAESGCM is one AES-256-GCM AEAD for the raw baselines (a zero key: the
// speed does not depend on it).
func benchAESGCM(b *testing.B) cipher.AEAD {
	block, err := aes.NewCipher(make([]byte, 32))
	if err != nil {
		b.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		b.Fatal(err)
	}
	return aead
}

// rawSealFresh is the seal baseline: each operation allocates one
// fresh buffer the size of the sealed pieces and seals pt into it in chunk
// sized pieces, as Encrypt fills the message it allocates.
func rawSealFresh(b *testing.B, pt []byte, chunk int) {
	aead := benchAESGCM(b)
	nonce := make([]byte, aead.NonceSize())
	sealedLen := (len(pt) + chunk - 1) / chunk * aead.Overhead()
	sealedLen += len(pt)
	b.SetBytes(int64(len(pt)))
	b.ReportAllocs()
	for b.Loop() {
		out := make([]byte, 0, sealedLen)
		for i := 0; i < len(pt); i += chunk {
			out = aead.Seal(out, nonce, pt[i:min(i+chunk, len(pt))], nil)
		}
		sinkBytes = out
	}
}

// benchSealPieces seals pt in chunk-sized pieces, one after the other, as a
// message body holds its frames.
func benchSealPieces(aead cipher.AEAD, pt []byte, chunk int) []byte {
	nonce := make([]byte, aead.NonceSize())
	var sealed []byte
	for i := 0; i < len(pt); i += chunk {
		sealed = aead.Seal(sealed, nonce, pt[i:min(i+chunk, len(pt))], nil)
	}
	return sealed
}

// rawOpenReused is the open baseline: the pieces benchSealPieces made
// from pt, opened one after the other into one plaintext-sized buffer
// allocated before the loop and reused by every operation.
func rawOpenReused(b *testing.B, pt []byte, chunk int) {
	aead := benchAESGCM(b)
	nonce := make([]byte, aead.NonceSize())
	sealed := benchSealPieces(aead, pt, chunk)
	piece := chunk + aead.Overhead()
	out := make([]byte, 0, len(pt))
	b.SetBytes(int64(len(pt)))
	b.ReportAllocs()
	for b.Loop() {
		out = out[:0]
		for off := 0; off < len(sealed); off += piece {
			var err error
			if out, err = aead.Open(out, nonce, sealed[off:min(off+piece, len(sealed))], nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	if !bytes.Equal(out, pt) {
		b.Fatal("raw open baseline: plaintext differs")
	}
}

// rawFrameBuf is the stricter stream reference: sealing reads pt in chunk
// sized pieces into one reused chunk-sized buffer (as EncryptStream into
// io.Discard writes each frame into its frame buffer), and opening opens
// each sealed piece into one reused chunk-sized buffer (as DecryptStream's
// reader does before io.Discard).
func rawFrameBuf(b *testing.B, pt []byte, chunk int, open bool) {
	aead := benchAESGCM(b)
	nonce := make([]byte, aead.NonceSize())
	piece := chunk + aead.Overhead()
	var sealed []byte
	if open {
		sealed = benchSealPieces(aead, pt, chunk)
	}
	out := make([]byte, 0, piece)
	b.SetBytes(int64(len(pt)))
	b.ReportAllocs()
	for b.Loop() {
		if open {
			for off := 0; off < len(sealed); off += piece {
				var err error
				if out, err = aead.Open(out[:0], nonce, sealed[off:min(off+piece, len(sealed))], nil); err != nil {
					b.Fatal(err)
				}
			}
			continue
		}
		for i := 0; i < len(pt); i += chunk {
			out = aead.Seal(out[:0], nonce, pt[i:min(i+chunk, len(pt))], nil)
		}
	}
}

// benchReadOnly hides every method of its reader but Read, as a file or a
// network body offers no WriterTo: io.Copy then reads it through its own
// 32 KiB buffer (or the destination's io.ReaderFrom, if it has one).
type benchReadOnly struct{ io.Reader }

// BenchmarkParallelMessage: suite 0x0478, 1 MiB, the default frame length
// (4 KiB): Encrypt and Decrypt, EncryptAppend and DecryptAppend into one
// reused buffer, each with Options.Concurrency 1 and the default, beside
// the one-core raw AES-256-GCM baseline over the same 4 KiB chunks
// (raw-AES-GCM/seal and raw-AES-GCM/open), in the same run. The KMS is the
// in-process kmstest. Throughput is plaintext bytes.
func BenchmarkParallelMessage(b *testing.B) {
	const size = 1 << 20
	const frame = envelope.DefaultFrameLength
	ctx := context.Background()
	pt := bytes.Repeat([]byte("issue 15 plaintext "), size/19+1)[:size]
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	b.Run("raw-AES-GCM/seal", func(b *testing.B) { rawSealFresh(b, pt, frame) })
	b.Run("raw-AES-GCM/open", func(b *testing.B) { rawOpenReused(b, pt, frame) })
	for _, cc := range benchConcurrencies {
		c, err := envelope.New(k, keyARN, func(o *envelope.Options) {
			o.Suite, o.Concurrency = envelope.SuiteCommitKey, cc.n
		})
		if err != nil {
			b.Fatal(err)
		}
		msg, err := c.Encrypt(ctx, pt, nil)
		if err != nil {
			b.Fatal(err)
		}
		encrypt := func(dst []byte) ([]byte, error) { return c.EncryptAppend(ctx, dst, pt, nil) }
		decrypt := func(dst []byte) ([]byte, error) { return c.DecryptAppend(ctx, dst, msg, nil) }
		b.Run("Encrypt/"+cc.name, func(b *testing.B) { benchAppend(b, size, encrypt, false) })
		b.Run("EncryptAppend-reused/"+cc.name, func(b *testing.B) { benchAppend(b, size, encrypt, true) })
		b.Run("Decrypt/"+cc.name, func(b *testing.B) { benchAppend(b, size, decrypt, false) })
		b.Run("DecryptAppend-reused/"+cc.name, func(b *testing.B) {
			if out := benchAppend(b, size, decrypt, true); !bytes.Equal(out, pt) {
				b.Fatal("DecryptAppend: plaintext differs")
			}
		})
	}
}

// benchAppend measures op over size bytes of plaintext: into a fresh
// output each time (Encrypt and Decrypt are op with a nil dst), or into one
// reused buffer (the append forms). It returns the last output.
func benchAppend(b *testing.B, size int64, op func(dst []byte) ([]byte, error), reuse bool) []byte {
	var buf []byte
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		var dst []byte
		if reuse {
			dst = buf[:0]
		}
		out, err := op(dst)
		if err != nil {
			b.Fatal(err)
		}
		buf = out
	}
	return buf
}

// benchStreamSize is the plaintext of every stream benchmark.
const benchStreamSize = 64 << 20

// benchStreamFrames are the frame lengths the stream benchmarks compare.
var benchStreamFrames = []int{64 << 10, 4 << 10}

// benchStreamPlaintext is the 64 MiB the stream benchmarks encrypt.
func benchStreamPlaintext() []byte {
	return bytes.Repeat([]byte("issue 15 stream "), benchStreamSize/16)
}

// benchSealedStream returns a function that returns the message
// EncryptStream writes for pt, made at its first call (so that a -bench
// filter that skips the decryption benchmarks skips making it too).
func benchSealedStream(c *envelope.Client, pt []byte) func(b *testing.B) []byte {
	var msg []byte
	return func(b *testing.B) []byte {
		if msg == nil {
			msg = benchSealStream(b, c, pt)
		}
		return msg
	}
}

// benchSealStream returns the message EncryptStream writes for pt.
func benchSealStream(b *testing.B, c *envelope.Client, pt []byte) []byte {
	var sealed bytes.Buffer
	w, err := c.EncryptStream(context.Background(), &sealed, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.Write(pt); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return sealed.Bytes()
}

// benchEncryptStream is a user's EncryptStream of src into io.Discard: io.Copy
// from src into the stream's writer, then Close.
func benchEncryptStream(b *testing.B, c *envelope.Client, src io.Reader) {
	w, err := c.EncryptStream(context.Background(), io.Discard, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(w, src); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// benchDecryptStream is a user's DecryptStream of msg into io.Discard:
// io.Copy(io.Discard, r), which calls the Reader's WriteTo.
func benchDecryptStream(b *testing.B, c *envelope.Client, msg []byte) {
	r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		b.Fatal(err)
	}
	if n != benchStreamSize {
		b.Fatalf("DecryptStream: %d bytes, want %d", n, benchStreamSize)
	}
}

// BenchmarkParallelStream: suite 0x0478, 64 MiB, frames of 64 KiB and
// 4 KiB, with Options.Concurrency 1 and the default, beside the one-core
// raw AES-256-GCM baselines in the frame's chunk size, in the same run.
// Throughput is plaintext bytes.
//
//   - EncryptStream: io.Copy from a 64 MiB in-memory source that offers only
//     Read (as a file or a network body does), so io.Copy moves 32 KiB per
//     Write (or uses the writer's ReadFrom if it has one), into
//     EncryptStream's writer over io.Discard, then Close.
//     EncryptStream-oneWrite is io.Copy from a *bytes.Reader: its WriteTo
//     hands the writer all 64 MiB in one Write.
//   - DecryptStream: io.Copy(io.Discard, r) from a *bytes.Reader of the
//     message (the Reader's WriteTo).
//   - raw-AES-GCM/seal and raw-AES-GCM/open: the baseline (one fresh
//     message-sized buffer per seal; one reused plaintext-sized buffer for
//     open). raw-AES-GCM/seal-framebuf and raw-AES-GCM/open-framebuf: the
//     stricter reference, one reused frame-sized buffer, the memory traffic
//     of a stream into io.Discard.
//
// scripts/bench15.sh runs it under -cpu 1,2 for the scaling curve.
func BenchmarkParallelStream(b *testing.B) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	pt := benchStreamPlaintext()
	for _, fl := range benchStreamFrames {
		prefix := fmt.Sprintf("frame=%dKiB/", fl>>10)
		b.Run(prefix+"raw-AES-GCM/seal", func(b *testing.B) { rawSealFresh(b, pt, fl) })
		b.Run(prefix+"raw-AES-GCM/open", func(b *testing.B) { rawOpenReused(b, pt, fl) })
		b.Run(prefix+"raw-AES-GCM/seal-framebuf", func(b *testing.B) { rawFrameBuf(b, pt, fl, false) })
		b.Run(prefix+"raw-AES-GCM/open-framebuf", func(b *testing.B) { rawFrameBuf(b, pt, fl, true) })
		var msg func(*testing.B) []byte // the same message for both settings
		for _, cc := range benchConcurrencies {
			c, err := envelope.New(k, keyARN, func(o *envelope.Options) {
				o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, fl, cc.n
			})
			if err != nil {
				b.Fatal(err)
			}
			if msg == nil {
				msg = benchSealedStream(c, pt)
			}
			b.Run(prefix+"EncryptStream/"+cc.name, func(b *testing.B) {
				src := bytes.NewReader(pt)
				b.SetBytes(benchStreamSize)
				b.ReportAllocs()
				for b.Loop() {
					src.Reset(pt)
					benchEncryptStream(b, c, benchReadOnly{src})
				}
			})
			if cc.n == 0 {
				b.Run(prefix+"EncryptStream-oneWrite/"+cc.name, func(b *testing.B) {
					src := bytes.NewReader(pt)
					b.SetBytes(benchStreamSize)
					b.ReportAllocs()
					for b.Loop() {
						src.Reset(pt)
						benchEncryptStream(b, c, src)
					}
				})
			}
			b.Run(prefix+"DecryptStream/"+cc.name, func(b *testing.B) {
				msg := msg(b)
				b.SetBytes(benchStreamSize)
				b.ReportAllocs()
				for b.Loop() {
					benchDecryptStream(b, c, msg)
				}
			})
		}
	}
}

// BenchmarkSignedStream: suite 0x0578, 64 MiB, frames of 64 KiB and 4 KiB,
// EncryptStream and DecryptStream (as in BenchmarkParallelStream) with the
// default concurrency, beside raw SHA-384 on one goroutine over as many
// bytes as the whole message (header, frames and the footer of about 105
// bytes, which the signature does not cover), fed in pieces of one frame on
// the wire (frame length plus 32 bytes), in the same run. Every row's
// throughput is per 64 MiB of plaintext, so the ratio of two rows'
// throughputs is the ratio of their times. scripts/bench15.sh runs it under
// -cpu 1,2.
func BenchmarkSignedStream(b *testing.B) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	pt := benchStreamPlaintext()
	for _, fl := range benchStreamFrames {
		prefix := fmt.Sprintf("frame=%dKiB/", fl>>10)
		c, err := envelope.New(k, keyARN, func(o *envelope.Options) {
			o.Suite, o.FrameLength = envelope.SuiteCommitKeyECDSAP384, fl
		})
		if err != nil {
			b.Fatal(err)
		}
		msg := benchSealedStream(c, pt)
		b.Run(prefix+"raw-SHA-384", func(b *testing.B) {
			msg := msg(b)
			h := sha512.New384()
			piece := fl + 32 // sequence number, IV, ciphertext, tag
			sum := make([]byte, 0, sha512.Size384)
			b.SetBytes(benchStreamSize)
			b.ReportAllocs()
			for b.Loop() {
				h.Reset()
				for off := 0; off < len(msg); off += piece {
					h.Write(msg[off:min(off+piece, len(msg))])
				}
				sum = h.Sum(sum[:0])
			}
			sinkBytes = sum
		})
		b.Run(prefix+"EncryptStream/concurrency=default", func(b *testing.B) {
			src := bytes.NewReader(pt)
			b.SetBytes(benchStreamSize)
			b.ReportAllocs()
			for b.Loop() {
				src.Reset(pt)
				benchEncryptStream(b, c, benchReadOnly{src})
			}
		})
		b.Run(prefix+"DecryptStream/concurrency=default", func(b *testing.B) {
			msg := msg(b)
			b.SetBytes(benchStreamSize)
			b.ReportAllocs()
			for b.Loop() {
				benchDecryptStream(b, c, msg)
			}
		})
	}
}
