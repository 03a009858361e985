package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// fuzzClient and its seed messages: one per suite and a few sizes.
func fuzzSetup(f *testing.F) (*envelope.Client, [][]byte) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	c, err := envelope.New(k, keyARN, func(o *envelope.Options) { o.FrameLength = 16 })
	if err != nil {
		f.Fatal(err)
	}
	var seeds [][]byte
	for _, suite := range suites {
		sc, _ := envelope.New(k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, 16 })
		for _, n := range []int{0, 5, 16, 40} {
			msg, err := sc.Encrypt(context.Background(), bytes.Repeat([]byte("p"), n), map[string]string{"k": "v"})
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, msg)
		}
	}
	return c, seeds
}

func FuzzParseHeader(f *testing.F) {
	_, seeds := fuzzSetup(f)
	for _, s := range seeds {
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
		// A framed body has frames of at least one byte; a non-framed one
		// (v1 or v2) records a frame length of 0.
		framing := h.ContentType == envelope.Framed && h.FrameLength >= 1 ||
			h.ContentType == envelope.NonFramed && h.FrameLength == 0
		if h.Size > len(msg) || len(h.DataKeys) == 0 || !framing {
			t.Fatalf("ParseHeader accepted an impossible header: %+v", h)
		}
	})
}

// FuzzDecrypt: no panic, and a message changed anywhere never decrypts to
// other plaintext: it fails, with ErrDecrypt (or ErrNoKey / a KMS error when
// the data key itself was hit).
func FuzzDecrypt(f *testing.F) {
	c, seeds := fuzzSetup(f)
	for i, s := range seeds {
		f.Add(uint16(i), uint16(0), byte(0))
		f.Add(uint16(i), uint16(len(s)/2), byte(1))
	}
	f.Fuzz(func(t *testing.T, which, at uint16, flip byte) {
		orig := seeds[int(which)%len(seeds)]
		want, err := c.Decrypt(context.Background(), orig, nil)
		if err != nil {
			t.Fatal(err)
		}
		msg := bytes.Clone(orig)
		if len(msg) > 0 {
			msg[int(at)%len(msg)] ^= flip
		}
		got, err := c.Decrypt(context.Background(), msg, nil)
		r, serr := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		var streamed []byte
		if serr == nil {
			streamed, serr = io.ReadAll(r)
		}
		if flip == 0 {
			if err != nil || serr != nil || !bytes.Equal(got, want) || !bytes.Equal(streamed, want) {
				t.Fatalf("unchanged message: %v, %v", err, serr)
			}
			return
		}
		for _, e := range []error{err, serr} {
			if e == nil {
				t.Fatalf("a message changed at byte %d decrypted", int(at)%len(msg))
			}
			if !errors.Is(e, envelope.ErrDecrypt) && !errors.Is(e, envelope.ErrNoKey) {
				t.Fatalf("changed message: unexpected error %v", e)
			}
		}
	})
}

// FuzzDecryptArbitrary feeds arbitrary bytes: no panic, every error is one of
// the package's.
func FuzzDecryptArbitrary(f *testing.F) {
	c, seeds := fuzzSetup(f)
	for _, s := range seeds {
		f.Add(s)
	}
	f.Add([]byte{2, 4, 0x78})
	f.Fuzz(func(t *testing.T, msg []byte) {
		_, err := c.Decrypt(context.Background(), msg, nil)
		if err != nil && !errors.Is(err, envelope.ErrDecrypt) && !errors.Is(err, envelope.ErrNoKey) {
			t.Fatalf("unexpected error %v", err)
		}
		if r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil); err == nil {
			_, _ = io.ReadAll(r)
		}
	})
}
