package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

func tourEnvelope(w io.Writer) error {
	ctx := context.Background()
	// The in-process test KMS and seeded randomness: the same bytes every run.
	seed := rand.NewChaCha8([32]byte{'a', 'w', 's', 'k', 'i', 't'})
	kms := kmstest.NewWith("eu-west-1", "111122223333", seed)
	keyARN, err := kms.CreateKey()
	if err != nil {
		return err
	}
	c, err := envelope.New(kms, keyARN, func(o *envelope.Options) {
		o.Rand = seed // message IDs; crypto/rand.Reader by default
		o.FrameLength = 16
		// The default suite adds an ECDSA P-384 signature, whose key crypto/ecdsa
		// never draws reproducibly; the tour uses the unsigned suite to print
		// the same bytes every run.
		o.Suite = envelope.SuiteCommitKey
	})
	if err != nil {
		return err
	}
	plaintext := []byte("Meet me at the usual place at ten.")
	msg, err := c.Encrypt(ctx, plaintext, map[string]string{"tenant": "acme", "purpose": "tour"})
	if err != nil {
		return err
	}
	h, err := envelope.ParseHeader(msg)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "encrypted %d bytes into a %d-byte message (header %d bytes)\n", len(plaintext), len(msg), h.Size)
	fmt.Fprintf(w, "suite: %v (0x%04x)\n", h.Suite, uint16(h.Suite))
	fmt.Fprintf(w, "message ID: %x\n", h.MessageID)
	fmt.Fprintf(w, "frame length: %d\n", h.FrameLength)
	keys := make([]string, 0, len(h.EncryptionContext))
	for k := range h.EncryptionContext {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := h.EncryptionContext[k]
		if len(v) > 24 {
			v = v[:24] + "..."
		}
		fmt.Fprintf(w, "context: %s = %s\n", k, v)
	}
	for _, k := range h.DataKeys {
		fmt.Fprintf(w, "data key: provider %s, key %s, %d encrypted bytes\n", k.ProviderID, k.ProviderInfo, len(k.Ciphertext))
	}
	// ParseHeader authenticates nothing; DecryptWithHeader returns the header
	// once the data key has authenticated it: check the context there.
	got, authenticated, err := c.DecryptWithHeader(ctx, msg, map[string]string{"tenant": "acme"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "decrypted: %q\n", got)
	fmt.Fprintf(w, "authenticated context: purpose = %s\n", authenticated.EncryptionContext["purpose"])
	// No KMS at all: a raw AES key wraps the data key (the AWS Encryption
	// SDKs' raw AES keyring); the seeded reader makes the data key too.
	aesKey := make([]byte, 32)
	if _, err := io.ReadFull(seed, aesKey); err != nil {
		return err
	}
	kr, err := envelope.RawAESKeyring("tour", "raw-aes-key", aesKey)
	if err != nil {
		return err
	}
	rc, err := envelope.NewWithKeyring(kr, func(o *envelope.Options) { o.Rand, o.Suite = seed, envelope.SuiteCommitKey })
	if err != nil {
		return err
	}
	raw, err := rc.Encrypt(ctx, plaintext, nil)
	if err != nil {
		return err
	}
	rawPT, err := rc.Decrypt(ctx, raw, nil)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	fmt.Fprintf(w, "raw AES keyring: %d-byte message, sha256 %x..., decrypts to the same: %v\n", len(raw), sum[:6], string(rawPT) == string(plaintext))
	msg[h.Size+20] ^= 1 // a bit of the first frame's ciphertext
	_, err = c.Decrypt(ctx, msg, nil)
	fmt.Fprintf(w, "one flipped bit in the body: %v\n", err)
	_, err = c.Decrypt(ctx, msg, map[string]string{"tenant": "globex"})
	fmt.Fprintf(w, "another tenant required: matches ErrDecrypt: %v\n", errors.Is(err, envelope.ErrDecrypt))
	return nil
}
