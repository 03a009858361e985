package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/internal/legacymsg"
)

// legacySeeds: every suite, framed (frame 16) and non-framed, a few sizes.
func legacySeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, s := range legacymsg.Suites {
		for _, fl := range []int{0, 16} {
			for _, n := range []int{0, 5, 40} {
				seeds = append(seeds, legacyMessage(f, s.ID, fl, bytes.Repeat([]byte("q"), n)))
			}
		}
	}
	return seeds
}

// FuzzParseHeaderV1: the version 1 parser never panics, bounds what it
// reads, and fails only with ErrMalformed.
func FuzzParseHeaderV1(f *testing.F) {
	for _, s := range legacySeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		h, err := envelope.ParseHeader(msg)
		if err != nil {
			if !errors.Is(err, envelope.ErrMalformed) || !errors.Is(err, envelope.ErrDecrypt) {
				t.Fatalf("ParseHeader error %v does not match ErrMalformed and ErrDecrypt", err)
			}
			return
		}
		if h.Size > len(msg) || len(h.DataKeys) == 0 || h.IVLength != 12 {
			t.Fatalf("ParseHeader accepted an impossible header: %+v", h)
		}
		switch {
		case h.Version == 1 && len(h.MessageID) == 16 && !h.Suite.Committing():
		case h.Version == 2 && len(h.MessageID) == 32 && h.Suite.Committing():
		default:
			t.Fatalf("version %d, message ID of %d bytes, suite %v", h.Version, len(h.MessageID), h.Suite)
		}
		if (h.ContentType == envelope.NonFramed) != (h.FrameLength == 0) {
			t.Fatalf("content type %v with frame length %d", h.ContentType, h.FrameLength)
		}
	})
}

// FuzzDecryptLegacy: a legacy message (framed or non-framed) changed at one
// byte never decrypts, whole or streamed, and fails with ErrDecrypt; the
// unchanged message decrypts to its plaintext.
func FuzzDecryptLegacy(f *testing.F) {
	seeds := legacySeeds(f)
	c := legacyClient(f)
	for i, s := range seeds {
		f.Add(uint16(i), uint16(0), byte(0))
		f.Add(uint16(i), uint16(len(s)-1), byte(0x80))
	}
	f.Fuzz(func(t *testing.T, which, at uint16, flip byte) {
		orig := seeds[int(which)%len(seeds)]
		want, err := c.Decrypt(context.Background(), orig, nil)
		if err != nil {
			t.Fatal(err)
		}
		msg := bytes.Clone(orig)
		msg[int(at)%len(msg)] ^= flip
		got, errWhole, streamed, errStream := decryptTwice(c, msg)
		if flip == 0 {
			if errWhole != nil || errStream != nil || !bytes.Equal(got, want) || !bytes.Equal(streamed, want) {
				t.Fatalf("unchanged message: %v, %v", errWhole, errStream)
			}
			return
		}
		for _, e := range []error{errWhole, errStream} {
			if e == nil {
				t.Fatalf("a message changed at byte %d decrypted", int(at)%len(msg))
			}
			if !errors.Is(e, envelope.ErrDecrypt) {
				t.Fatalf("changed message: %v does not match ErrDecrypt", e)
			}
		}
	})
}

// FuzzDecryptNonFramed feeds arbitrary bytes to a client that reads legacy
// messages, seeded with non-framed ones: no panic, no allocation beyond the
// input (DecryptStream bounds content by MaxFrameLength), every error one
// of the package's.
func FuzzDecryptNonFramed(f *testing.F) {
	for _, s := range legacySeeds(f) {
		f.Add(s)
	}
	c := legacyClient(f, func(o *envelope.Options) { o.MaxFrameLength = 1 << 16 })
	f.Fuzz(func(t *testing.T, msg []byte) {
		_, errWhole, _, errStream := decryptTwice(c, msg)
		for _, e := range []error{errWhole, errStream} {
			if e != nil && !errors.Is(e, envelope.ErrDecrypt) {
				t.Fatalf("unexpected error %v", e)
			}
		}
	})
}

func decryptTwice(c *envelope.Client, msg []byte) (whole []byte, errWhole error, streamed []byte, errStream error) {
	whole, errWhole = c.Decrypt(context.Background(), msg, nil)
	r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
	if err != nil {
		return whole, errWhole, nil, err
	}
	streamed, errStream = io.ReadAll(r)
	return whole, errWhole, streamed, errStream
}
