package envelope

import (
	"bytes"
	"context"
	"crypto/cipher"
	"encoding/binary"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// sealSigned writes the bytes of the serial loop and hashes exactly them,
// header first, at every worker count, for frame lengths from 1 byte to
// 64 KiB (groups of one frame up to many).
func TestSealSignedSameBytes(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	id := bytes.Repeat([]byte{9}, messageIDSize)
	header := []byte("a header of some bytes")
	for _, fl := range []int{1, 1000, 4096, 65536, 65537} {
		for _, full := range []int{2, 3, 17, 200} {
			f, err := newFramer(key, id)
			require.NoError(t, err)
			pt := make([]byte, full*fl)
			for i := range pt {
				pt[i] = byte(i * 31)
			}
			want := append([]byte("dst"), header...)
			want, err = sealFrames(context.Background(), f, want, pt, fl, full, 1)
			require.NoError(t, err)
			wantSum := newSignatureHash()
			wantSum.Write(want[3:])
			for _, workers := range []int{2, 3, 8} {
				out := make([]byte, 0, len(want))
				out = append(append(out, "dst"...), header...)
				hh := newSignatureHash()
				got, err := sealSigned(context.Background(), f, out, 3, pt, fl, full, workers, hh)
				require.NoError(t, err)
				require.True(t, bytes.Equal(want, got), "frame %d, %d frames, %d workers: other bytes", fl, full, workers)
				require.Equal(t, wantSum.Sum(nil), hh.Sum(nil), "frame %d, %d frames, %d workers: other hash", fl, full, workers)
			}
		}
	}
}

// countingAEAD counts the Open calls that start after one has failed.
type countingAEAD struct {
	cipher.AEAD
	failed, late, opens atomic.Int64
}

func (a *countingAEAD) Open(dst, nonce, ciphertext, aad []byte) ([]byte, error) {
	if a.failed.Load() > 0 {
		a.late.Add(1)
	}
	a.opens.Add(1)
	out, err := a.AEAD.Open(dst, nonce, ciphertext, aad)
	if err != nil {
		a.failed.Add(1)
	}
	return out, err
}

// A failing frame stops the other goroutines promptly: after it, each of
// them starts at most the one Open it had checked the flag for, whatever
// the number of frames left; and nothing of the output stays. (Unsigned
// suite: in the signed one the tampered frame also breaks the signature,
// which may be found first.)
func TestOpenFramesStopsPromptly(t *testing.T) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	ctx := context.Background()
	for _, suite := range []Suite{SuiteCommitKey} {
		c, err := New(k, keyARN, func(o *Options) { o.Suite, o.FrameLength = suite, 1024 })
		require.NoError(t, err)
		msg, err := c.Encrypt(ctx, bytes.Repeat([]byte("secret plaintext"), 64<<10), nil) // 1 MiB, 1024 frames
		require.NoError(t, err)
		for _, bad := range []int{0, 1, 500, 1023} {
			for _, workers := range []int{2, 4, 8} {
				m := bytes.Clone(msg)
				h, err := parseHeader(m, c.opts.MaxEncryptedDataKeys)
				require.NoError(t, err)
				m[h.Size+bad*(1024+32)+40] ^= 1
				body := m[h.Size:]
				d, err := c.newReader(ctx, h, m[:h.Size], bytes.NewReader(body), int64(len(body)), false, nil)
				require.NoError(t, err)
				counter := &countingAEAD{AEAD: d.f.aead}
				d.f.aead = counter
				frames, err := scanFrames(h, body, d.pub != nil)
				require.NoError(t, err)
				dst := make([]byte, 0, len(body))
				out, err := openFrames(context.Background(), d, dst, body, &frames, workers)
				assert.ErrorIs(t, err, ErrDecrypt)
				assert.Nil(t, out)
				assert.Equal(t, make([]byte, cap(dst)), dst[:cap(dst)], "frame %d bad, %d workers: output left", bad, workers)
				assert.Equal(t, int64(1), counter.failed.Load())
				assert.LessOrEqual(t, counter.late.Load(), int64(workers-1), "%v frame %d bad, %d workers: %d Opens started after the failure (%d in all)", suite, bad, workers, counter.late.Load(), counter.opens.Load())
			}
		}
	}
}

// checkFrameStart: the final frame's length compared with the frame length
// as u32 (2^31 and 2^32-1 would be negative ints on 32-bit platforms), the
// sequence number, and the IV checked in version 2 only.
func TestCheckFrameStart(t *testing.T) {
	final := func(seq, length uint32) []byte {
		b := binary.BigEndian.AppendUint32(nil, finalFrameMark)
		b = binary.BigEndian.AppendUint32(b, seq)
		b = append(b, make([]byte, 8)...)
		b = binary.BigEndian.AppendUint32(b, seq)
		return binary.BigEndian.AppendUint32(b, length)
	}
	regular := func(seq, ivSeq uint32) []byte {
		b := binary.BigEndian.AppendUint32(nil, seq)
		b = append(b, make([]byte, 8)...)
		return binary.BigEndian.AppendUint32(b, ivSeq)
	}
	for _, tc := range []struct {
		name        string
		b           []byte
		version     int
		want        uint32
		frameLength int
		n           int // -1: ErrDecrypt
	}{
		{"regular", regular(3, 3), formatVersion, 3, 100, 100},
		{"regular, other sequence number", regular(4, 4), formatVersion, 3, 100, -1},
		{"regular, other IV", regular(3, 4), formatVersion, 3, 100, -1},
		{"regular, other IV, version 1", regular(3, 4), formatVersionV1, 3, 100, 100},
		{"final", final(3, 100), formatVersion, 3, 100, 100},
		{"final, empty", final(3, 0), formatVersion, 3, 100, 0},
		{"final over the frame length", final(3, 101), formatVersion, 3, 100, -1},
		{"final of 2^31", final(3, 1<<31), formatVersion, 3, maxFrameLength, -1},
		{"final of 2^32-1", final(3, 1<<32-1), formatVersion, 3, maxFrameLength, -1},
		{"final of 2^31-1", final(3, 1<<31-1), formatVersion, 3, maxFrameLength, maxFrameLength},
		{"final, other sequence number", final(2, 10), formatVersion, 3, 100, -1},
		{"final numbered 2^32-1", final(1<<32-1, 10), formatVersion, 1<<32 - 1, 100, 10},
	} {
		iv, n, err := checkFrameStart(tc.b, tc.version, tc.want, tc.frameLength)
		if tc.n < 0 {
			assert.ErrorIs(t, err, ErrDecrypt, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.n, n, tc.name)
		assert.Len(t, iv, ivSize, tc.name)
	}
}

// scanFrames on hostile bodies: nothing but the checks' ErrDecrypt, never a
// panic, for a frame length longer than the body, a body that ends in every
// frame header, a missing or lying footer, and trailing bytes.
func TestScanFramesHostile(t *testing.T) {
	f, err := newFramer(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, messageIDSize))
	require.NoError(t, err)
	const fl = 8
	body, err := sealFrames(context.Background(), f, nil, make([]byte, 3*fl), fl, 3, 1)
	require.NoError(t, err)
	body = f.seal(body, 4, true, make([]byte, 5))
	h := &Header{Version: formatVersion, FrameLength: fl, ContentType: Framed}
	m, err := scanFrames(h, body, false)
	require.NoError(t, err)
	assert.Equal(t, 3, m.full)
	assert.Equal(t, fl+32, m.frameSize)
	assert.Equal(t, 5, m.finalN)
	assert.Equal(t, len(body), m.end)
	for cut := range len(body) {
		_, err := scanFrames(h, body[:cut], false)
		assert.ErrorIs(t, err, ErrDecrypt, "cut at %d", cut)
	}
	_, err = scanFrames(h, append(bytes.Clone(body), 0), false)
	assert.ErrorIs(t, err, ErrDecrypt, "trailing byte")
	_, err = scanFrames(h, body, true)
	assert.ErrorIs(t, err, ErrDecrypt, "no footer")
	signed := append(bytes.Clone(body), 0, 3, 'a', 'b', 'c')
	m, err = scanFrames(h, signed, true)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(m.sig))
	for _, bad := range [][]byte{signed[:len(signed)-1], append(bytes.Clone(signed), 0), append(bytes.Clone(body), 0)} {
		_, err = scanFrames(h, bad, true)
		assert.ErrorIs(t, err, ErrDecrypt)
	}
	for _, huge := range []int{len(body), 1<<31 - 1} {
		_, err = scanFrames(&Header{Version: formatVersion, FrameLength: huge, ContentType: Framed}, body, false)
		assert.ErrorIs(t, err, ErrDecrypt, "frame length %d", huge)
	}
	empty := f.seal(nil, 1, true, nil)
	m, err = scanFrames(h, empty, false)
	require.NoError(t, err)
	assert.Equal(t, 0, m.full)
	assert.Equal(t, 0, m.frameSize)
}

// Groups are counted in frame bytes, and a message makes at least about
// four groups per goroutine: even 1-byte frames, or a small message, are
// shared among the goroutines.
func TestGroupFrames(t *testing.T) {
	const many = 1 << 30
	assert.Equal(t, 1985, groupFrames(1, many, 2)) // 65536 / 33
	assert.Equal(t, 15, groupFrames(4096, many, 2))
	assert.Equal(t, 1, groupFrames(65536, many, 2))
	assert.Equal(t, 1, groupFrames(maxFrameLength, many, 2))
	assert.Equal(t, 1, groupFrames(1, 2, 2))
	assert.Equal(t, 8, groupFrames(256, 120, 4)) // 120 frames, 4 goroutines: 15 groups
	full := (600 << 10) / (1 + regularFrameOverhead)
	assert.Greater(t, (full+groupFrames(1, full, 2)-1)/groupFrames(1, full, 2), 8)
}

// Options.Concurrency above 256 counts as 256 for the in-memory paths too
// (the doc's promise): a huge setting does not start a goroutine per frame.
func TestWorkersBoundedLikeStreams(t *testing.T) {
	for _, tc := range []struct {
		concurrency, full, want int
	}{
		{1 << 20, 1 << 20, maxStreamWorkers},
		{maxStreamWorkers + 1, 1 << 10, maxStreamWorkers},
		{maxStreamWorkers, 1 << 10, maxStreamWorkers},
		{1 << 20, 3, 3},
		{1, 1 << 10, 1},
	} {
		c := &Client{opts: Options{Concurrency: tc.concurrency}}
		if got := c.workers(1<<30, tc.full, 0); got != tc.want {
			t.Errorf("Concurrency %d, %d frames: %d workers, want %d", tc.concurrency, tc.full, got, tc.want)
		}
	}
}
