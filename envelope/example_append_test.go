package envelope_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// A service that handles many messages reuses one buffer for each direction.
func ExampleClient_EncryptAppend() {
	ctx := context.Background()
	kms := kmstest.New()
	c, _ := envelope.New(kms, kms.MustCreateKey(), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	var sealed, opened []byte
	for _, record := range []string{"first record", "second record"} {
		var err error
		sealed, err = c.EncryptAppend(ctx, sealed[:0], []byte(record), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		opened, err = c.DecryptAppend(ctx, opened[:0], sealed, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(string(opened))
	}
	// Output:
	// first record
	// second record
}

// io.Copy from a Reader uses its WriteTo: each verified frame goes straight
// to the destination.
func ExampleReader_WriteTo() {
	ctx := context.Background()
	kms := kmstest.New()
	c, _ := envelope.New(kms, kms.MustCreateKey(), func(o *envelope.Options) { o.FrameLength = 8 })
	msg, _ := c.Encrypt(ctx, []byte("a message in several frames"), nil)
	r, err := c.DecryptStream(ctx, bytes.NewReader(msg), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var out strings.Builder
	n, err := io.Copy(&out, r)
	fmt.Println(n, err, out.String())
	// Output: 27 <nil> a message in several frames
}
