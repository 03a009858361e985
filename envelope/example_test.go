package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

func Example() {
	ctx := context.Background()
	kms := kmstest.New() // in production: kms.NewFromConfig(cfg)
	keyARN := kms.MustCreateKey()

	c, err := envelope.New(kms, keyARN)
	if err != nil {
		fmt.Println(err)
		return
	}
	msg, err := c.Encrypt(ctx, []byte("attack at dawn"), map[string]string{"tenant": "acme"})
	if err != nil {
		fmt.Println(err)
		return
	}
	pt, err := c.Decrypt(ctx, msg, map[string]string{"tenant": "acme"})
	fmt.Println(string(pt), err)
	// Output: attack at dawn <nil>
}

func ExampleClient_Encrypt() {
	ctx := context.Background()
	kms := kmstest.New()
	keyARN := kms.MustCreateKey()
	c, _ := envelope.New(kms, keyARN, func(o *envelope.Options) {
		o.Suite = envelope.SuiteCommitKey // no signature: smaller and faster
		o.FrameLength = 1024
	})
	msg, err := c.Encrypt(ctx, make([]byte, 3000), map[string]string{"purpose": "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	h, _ := envelope.ParseHeader(msg)
	fmt.Println(h.Suite, h.FrameLength, h.EncryptionContext["purpose"], h.DataKeys[0].ProviderID, h.DataKeys[0].ProviderInfo == keyARN)
	fmt.Println("message bytes:", len(msg), "header bytes:", h.Size)
	// Output:
	// ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY 1024 example aws-kms true
	// message bytes: 3402 header bytes: 298
}

func ExampleClient_Decrypt_encryptionContext() {
	ctx := context.Background()
	kms := kmstest.New()
	c, _ := envelope.New(kms, kms.MustCreateKey())
	msg, _ := c.Encrypt(ctx, []byte("invoice 42"), map[string]string{"tenant": "acme", "kind": "invoice"})

	_, err := c.Decrypt(ctx, msg, map[string]string{"tenant": "globex"})
	fmt.Println(errors.Is(err, envelope.ErrContextMismatch), err)
	pt, err := c.Decrypt(ctx, msg, map[string]string{"tenant": "acme"})
	fmt.Println(string(pt), err)
	// Output:
	// true envelope: encryption context mismatch: key "tenant" has another value in the message
	// invoice 42 <nil>
}

func ExampleClient_EncryptStream() {
	ctx := context.Background()
	kms := kmstest.New()
	c, _ := envelope.New(kms, kms.MustCreateKey())

	var sealed bytes.Buffer
	w, err := c.EncryptStream(ctx, &sealed, map[string]string{"file": "report.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	io.Copy(w, strings.NewReader(strings.Repeat("a,b,c\n", 10_000))) // any size, in bounded memory
	if err := w.Close(); err != nil {                                // writes the final frame and signature
		fmt.Println(err)
		return
	}

	r, err := c.DecryptStream(ctx, &sealed, map[string]string{"file": "report.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := io.Copy(io.Discard, r)
	fmt.Println(n, err)
	// Output: 60000 <nil>
}

func ExampleParseHeader() {
	ctx := context.Background()
	kms := kmstest.New()
	a, b := kms.MustCreateKey(), kms.MustCreateKey()
	c, _ := envelope.New(kms, a, func(o *envelope.Options) { o.AdditionalKeyIDs = []string{b} })
	msg, _ := c.Encrypt(ctx, []byte("x"), map[string]string{"team": "payments"})

	h, err := envelope.ParseHeader(msg)
	if err != nil {
		fmt.Println(err)
		return
	}
	keys := make([]string, 0, len(h.EncryptionContext))
	for k := range h.EncryptionContext {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Println(h.Suite)
	fmt.Println(keys) // the signed suite adds its public key
	fmt.Println(len(h.DataKeys), h.DataKeys[0].ProviderInfo == a, h.DataKeys[1].ProviderInfo == b)
	// Output:
	// ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
	// [aws-crypto-public-key team]
	// 2 true true
}
