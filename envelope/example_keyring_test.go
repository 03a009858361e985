package envelope_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// A raw AES key instead of KMS: offline systems, tests, keys held in an HSM
// or a secrets manager. Other AWS Encryption SDKs read the messages with
// their raw AES keyring under the same namespace and name.
func ExampleRawAESKeyring() {
	ctx := context.Background()
	key := bytes.Repeat([]byte{0x42}, 32) // in production: 32 random bytes kept secret
	kr, err := envelope.RawAESKeyring("my-app", "data-key-2026", key)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := envelope.NewWithKeyring(kr)
	if err != nil {
		fmt.Println(err)
		return
	}
	msg, err := c.Encrypt(ctx, []byte("no KMS involved"), map[string]string{"purpose": "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	h, _ := envelope.ParseHeader(msg)
	fmt.Println(h.DataKeys[0].ProviderID, h.DataKeys[0].ProviderInfo[:len("data-key-2026")])
	pt, err := c.Decrypt(ctx, msg, map[string]string{"purpose": "example"})
	fmt.Println(string(pt), err)
	// Output:
	// my-app data-key-2026
	// no KMS involved <nil>
}

// Escrow with a public key: the writer holds only the RSA public key, and
// only the holder of the private key can read.
func ExampleRawRSAKeyring() {
	ctx := context.Background()
	private, err := rsa.GenerateKey(rand.Reader, 2048) // the escrow agent's key pair
	if err != nil {
		fmt.Println(err)
		return
	}
	writerKR, _ := envelope.RawRSAKeyring("escrow", "agent-1", envelope.RSAOAEPSHA256, &private.PublicKey, nil)
	writer, _ := envelope.NewWithKeyring(writerKR)
	msg, err := writer.Encrypt(ctx, []byte("for the escrow agent"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = writer.Decrypt(ctx, msg, nil)
	fmt.Println("writer can decrypt:", err == nil)

	agentKR, _ := envelope.RawRSAKeyring("escrow", "agent-1", envelope.RSAOAEPSHA256, nil, private)
	agent, _ := envelope.NewWithKeyring(agentKR)
	pt, err := agent.Decrypt(ctx, msg, nil)
	fmt.Println(string(pt), err)
	// Output:
	// writer can decrypt: false
	// for the escrow agent <nil>
}

// A multi-keyring: a KMS key generates the data key, and a raw AES key also
// wraps it, as a break-glass copy that opens without KMS.
func ExampleMultiKeyring() {
	ctx := context.Background()
	kms := kmstest.New()
	kmsKR, _ := envelope.KMSKeyring(kms, kms.MustCreateKey())
	breakGlass, _ := envelope.RawAESKeyring("ops", "break-glass", bytes.Repeat([]byte{7}, 32))
	both, _ := envelope.MultiKeyring(kmsKR, breakGlass)
	c, _ := envelope.NewWithKeyring(both)
	msg, err := c.Encrypt(ctx, []byte("two ways in"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	kms.Fault = func(context.Context, string) error { return errors.New("KMS is down") }
	offline, _ := envelope.NewWithKeyring(breakGlass)
	pt, err := offline.Decrypt(ctx, msg, nil)
	fmt.Println(string(pt), err)
	// Output: two ways in <nil>
}

// Discovery: decrypt with whatever KMS key the message names, but only keys
// of the expected partition and accounts.
func ExampleKMSDiscoveryKeyring() {
	ctx := context.Background()
	kms := kmstest.NewWith("us-east-1", "111122223333", rand.Reader)
	writer, _ := envelope.New(kms, kms.MustCreateKey())
	msg, err := writer.Encrypt(ctx, []byte("found by discovery"), map[string]string{"tenant": "acme"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, accounts := range [][]string{{"111122223333"}, {"444455556666"}} {
		kr, err := envelope.KMSDiscoveryKeyring(kms, func(o *envelope.KMSKeyringOptions) {
			o.DiscoveryFilter = &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: accounts}
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		reader, _ := envelope.NewWithKeyring(kr)
		pt, h, err := reader.DecryptWithHeader(ctx, msg, map[string]string{"tenant": "acme"})
		if err != nil {
			fmt.Println(accounts, errors.Is(err, envelope.ErrNoKey))
			continue
		}
		fmt.Println(accounts, string(pt), h.DataKeys[0].ProviderID)
	}
	// Output:
	// [111122223333] found by discovery aws-kms
	// [444455556666] true
}

// A message written by an AWS Encryption SDK before 2.0: message format 1,
// suite 0x0178 (no key commitment), under a raw AES key. The default policy
// refuses it; RequireEncryptAllowDecrypt reads it.
func ExampleCommitmentPolicy() {
	ctx := context.Background()
	old, _ := hex.DecodeString("0180017830313233343536373839616263646566001000010003617070000762696c6c696e670001000762696c6c696e67001f617263686976652d6b6579000000800000000c0909090909090909090909090030df3747f8cd5b76cb09fe5a42b95a29027668c3a7626c79329120a89a9ec35726ce1466131046a3cd220370386d95b43902000000000c00001000000000000000000000000000211cb732a3318562a360ed762bfb88b0ffffffff000000010000000000000000000000010000001651bb8e134ec06f6aec2af3004cf328c9f2ae48c8404d049c6bc20f558e14d9a2a61c5960c3a3")
	kr, _ := envelope.RawAESKeyring("billing", "archive-key", bytes.Repeat([]byte("k"), 32))

	strict, _ := envelope.NewWithKeyring(kr)
	_, err := strict.Decrypt(ctx, old, nil)
	fmt.Println(errors.Is(err, envelope.ErrCommitmentPolicy))

	migrating, _ := envelope.NewWithKeyring(kr, func(o *envelope.Options) {
		o.CommitmentPolicy = envelope.RequireEncryptAllowDecrypt
	})
	pt, h, err := migrating.DecryptWithHeader(ctx, old, map[string]string{"app": "billing"})
	fmt.Println(string(pt), err)
	fmt.Println(h.Version, h.Suite, h.ContentType, h.FrameLength)
	// Output:
	// true
	// written by an ESDK 1.x <nil>
	// 1 ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256 framed 4096
}
