package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// A receiver checks the authenticated header: the suite and the whole
// encryption context, not only the pairs it required.
func ExampleClient_DecryptWithHeader() {
	ctx := context.Background()
	kms := kmstest.New()
	c, _ := envelope.New(kms, kms.MustCreateKey(), func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	msg, _ := c.Encrypt(ctx, []byte("invoice 42"), map[string]string{"tenant": "acme", "kind": "invoice"})

	pt, h, err := c.DecryptWithHeader(ctx, msg, map[string]string{"tenant": "acme"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(pt), h.Suite, h.EncryptionContext["kind"], len(h.EncryptionContext))
	// Output: invoice 42 ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY invoice 2
}

// With UnsignedOnly a streaming reader never releases plaintext of a message
// whose signature it has not checked yet: signed messages are refused after
// the header, before any KMS call.
func ExampleClient_DecryptStream_unsignedOnly() {
	ctx := context.Background()
	kms := kmstest.New()
	keyARN := kms.MustCreateKey()
	signed, _ := envelope.New(kms, keyARN) // the default suite is signed
	msg, _ := signed.Encrypt(ctx, []byte("signed"), nil)

	reader, _ := envelope.New(kms, keyARN, func(o *envelope.Options) { o.UnsignedOnly = true })
	_, err := reader.DecryptStream(ctx, bytes.NewReader(msg), nil)
	fmt.Println(errors.Is(err, envelope.ErrSignedMessage), errors.Is(err, envelope.ErrDecrypt), kms.Calls("Decrypt"))

	unsigned, _ := envelope.New(kms, keyARN, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	msg, _ = unsigned.Encrypt(ctx, []byte("unsigned"), nil)
	r, err := reader.DecryptStream(ctx, bytes.NewReader(msg), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	pt, err := io.ReadAll(r)
	fmt.Println(string(pt), err, r.Header().Suite)
	// Output:
	// true true 0
	// unsigned <nil> ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY
}

// A Cache serves one Client; Clients that trust each other's KMS access share
// entries by naming the same partition.
func ExampleNewCache() {
	ctx := context.Background()
	kms := kmstest.New()
	keyARN := kms.MustCreateKey()
	cache, err := envelope.NewCache(5*time.Minute, func(o *envelope.CacheOptions) { o.MaxMessages = 1000 })
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := func(o *envelope.Options) { o.Cache, o.CachePartition = cache, "orders" }
	writer, _ := envelope.New(kms, keyARN, opts)
	reader, _ := envelope.New(kms, keyARN, opts)
	for i := range 3 {
		msg, _ := writer.Encrypt(ctx, fmt.Appendf(nil, "order %d", i), map[string]string{"tenant": "acme"})
		if i == 0 {
			_, _ = writer.Decrypt(ctx, msg, nil) // caches the data key for decryption
		}
		pt, _ := reader.Decrypt(ctx, msg, nil)
		fmt.Println(string(pt))
	}
	fmt.Println("GenerateDataKey:", kms.Calls("GenerateDataKey"), "Decrypt:", kms.Calls("Decrypt"))
	// Output:
	// order 0
	// order 1
	// order 2
	// GenerateDataKey: 1 Decrypt: 1
}
