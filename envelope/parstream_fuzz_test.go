package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// FuzzParallelDecryptStream: the parallel DecryptStream (Concurrency 2 and
// 8, from the first frame) releases exactly what the serial one releases,
// and fails the same way, on any message: seeds of several frames, changed
// by the fuzzer anywhere.
func FuzzParallelDecryptStream(f *testing.F) {
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	clients := map[int]*envelope.Client{}
	for _, concurrency := range []int{1, 2, 8} {
		c, err := envelope.New(k, keyARN, func(o *envelope.Options) { o.FrameLength, o.Concurrency = 16, concurrency })
		if err != nil {
			f.Fatal(err)
		}
		clients[concurrency] = c
	}
	for _, suite := range suites {
		sc, _ := envelope.New(k, keyARN, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, 16 })
		for _, n := range []int{0, 40, 300} {
			msg, err := sc.Encrypt(context.Background(), bytes.Repeat([]byte("parallel"), n/8), nil)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(msg)
		}
	}
	read := func(c *envelope.Client, msg []byte) ([]byte, error) {
		r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
		if err != nil {
			return nil, err
		}
		return io.ReadAll(r)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		defer envelope.SetParallelStreamAfter(0)()
		want, wantErr := read(clients[1], msg)
		for _, concurrency := range []int{2, 8} {
			got, err := read(clients[concurrency], msg)
			if !bytes.Equal(want, got) {
				t.Fatalf("concurrency %d released %d bytes, the serial path %d", concurrency, len(got), len(want))
			}
			if (err == nil) != (wantErr == nil) || errors.Is(err, envelope.ErrDecrypt) != errors.Is(wantErr, envelope.ErrDecrypt) {
				t.Fatalf("concurrency %d: error %v, the serial path %v", concurrency, err, wantErr)
			}
		}
	})
}

// FuzzParallelEncryptStream: EncryptStream at Concurrency 2 and 8 (parallel
// from the first frame) writes Encrypt's bytes for the same data key and
// message ID, whatever the plaintext and however it is cut into writes
// (sizes from the fuzzer: 0 to 255 bytes, frames of 16).
func FuzzParallelEncryptStream(f *testing.F) {
	f.Add(bytes.Repeat([]byte("abc"), 100), []byte{1, 15, 16, 17, 200, 0, 33})
	f.Add([]byte{}, []byte{})
	f.Add(bytes.Repeat([]byte{7}, 1000), []byte{255})
	f.Fuzz(func(t *testing.T, pt, cuts []byte) {
		defer envelope.SetParallelStreamAfter(0)()
		ctx := context.Background()
		client := func(concurrency int) *envelope.Client {
			k := kmstest.NewWith("us-east-1", "111122223333", rand.NewChaCha8([32]byte{9}))
			keyARN := k.MustCreateKey()
			c, err := envelope.New(k, keyARN, func(o *envelope.Options) {
				o.Suite, o.FrameLength, o.Concurrency = envelope.SuiteCommitKey, 16, concurrency
				o.Rand = rand.NewChaCha8([32]byte{9, 1})
			})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		want, err := client(1).Encrypt(ctx, pt, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, concurrency := range []int{2, 8} {
			var msg bytes.Buffer
			w, err := client(concurrency).EncryptStream(ctx, &msg, nil)
			if err != nil {
				t.Fatal(err)
			}
			rest := pt
			for i := 0; len(rest) > 0; i++ {
				n := len(rest)
				if len(cuts) > 0 {
					n = min(n, int(cuts[i%len(cuts)]))
				}
				if _, err := w.Write(rest[:n]); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
				if i > 1000 {
					break // only zero-length writes: the rest in one
				}
			}
			if len(rest) > 0 {
				if _, err := w.Write(rest); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, msg.Bytes()) {
				t.Fatalf("concurrency %d: other bytes than Encrypt for %d bytes", concurrency, len(pt))
			}
		}
	})
}
