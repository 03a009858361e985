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
