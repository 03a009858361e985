package envelope

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/awskit/awskit/arn"
)

// KMS is the subset of *kms.Client (aws-sdk-go-v2/service/kms) this package
// calls. envelope/kmstest provides an in-memory one for tests.
type KMS interface {
	GenerateDataKey(ctx context.Context, in *kms.GenerateDataKeyInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error)
	Encrypt(ctx context.Context, in *kms.EncryptInput, optFns ...func(*kms.Options)) (*kms.EncryptOutput, error)
	Decrypt(ctx context.Context, in *kms.DecryptInput, optFns ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// Defaults of Options.
const (
	DefaultFrameLength          = 4096
	DefaultMaxEncryptedDataKeys = 10
	DefaultMaxFrameLength       = 64 << 20 // DecryptStream refuses larger frames
)

// Options configure a Client. The zero value means the defaults.
type Options struct {
	Suite                Suite     // default SuiteCommitKeyECDSAP384, as the AWS Encryption SDK
	FrameLength          int       // plaintext bytes per frame; default 4096; 1 to 2^31-1
	AdditionalKeyIDs     []string  // the data key is also encrypted under each of these key ARNs
	MaxEncryptedDataKeys int       // decrypt refuses messages with more; default 10; encrypt may not exceed it either
	Rand                 io.Reader // message IDs and signing keys; default crypto/rand.Reader (crypto/ecdsa keeps signing keys unreproducible even from a seeded reader)

	// MaxFrameLength bounds the frame length DecryptStream accepts from a
	// header, and so the memory it allocates; default 64 MiB. Decrypt is
	// bounded by the message it is given.
	MaxFrameLength int

	// Cache, when set, reuses data keys within its limits: Encrypt takes
	// encryption materials from it, and Decrypt and DecryptStream decrypted
	// data keys. EncryptStream, whose length is unknown when the data key is
	// chosen, always asks KMS. Read Cache's documentation for the security
	// trade-off. nil: every message costs a KMS call.
	Cache *Cache
}

// Client encrypts and decrypts messages in the AWS Encryption SDK message
// format (v2, key commitment) under KMS keys. It is safe for concurrent use;
// it holds no key material between calls.
type Client struct {
	kms     KMS
	keyID   string
	allowed []string // key ARNs whose encrypted data keys Decrypt tries
	opts    Options
}

// New returns a Client that generates data keys under keyID and decrypts
// only data keys encrypted under keyID or Options.AdditionalKeyIDs (strict
// mode). keyID and the additional IDs must be KMS key ARNs
// (arn:PARTITION:kms:REGION:ACCOUNT:key/ID); an alias ARN is accepted for
// encryption, but messages record the key ARN KMS answers with, so a client
// configured with an alias cannot decrypt them (Decrypt returns ErrNoKey).
// Errors match ErrInvalidInput.
func New(client KMS, keyID string, optFns ...func(*Options)) (*Client, error) {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if client == nil {
		return nil, fmt.Errorf("%w: nil KMS client", ErrInvalidInput)
	}
	if o.Suite == 0 {
		o.Suite = SuiteCommitKeyECDSAP384
	}
	if !o.Suite.valid() {
		return nil, fmt.Errorf("%w: suite %v is not supported", ErrInvalidInput, o.Suite)
	}
	if o.FrameLength == 0 {
		o.FrameLength = DefaultFrameLength
	}
	if o.FrameLength < 1 || o.FrameLength > maxFrameLength {
		return nil, fmt.Errorf("%w: frame length %d, allowed 1 to %d", ErrInvalidInput, o.FrameLength, maxFrameLength)
	}
	if o.MaxEncryptedDataKeys == 0 {
		o.MaxEncryptedDataKeys = DefaultMaxEncryptedDataKeys
	}
	if o.MaxEncryptedDataKeys < 1 || o.MaxEncryptedDataKeys > maxU16 {
		return nil, fmt.Errorf("%w: MaxEncryptedDataKeys %d", ErrInvalidInput, o.MaxEncryptedDataKeys)
	}
	if 1+len(o.AdditionalKeyIDs) > o.MaxEncryptedDataKeys {
		return nil, fmt.Errorf("%w: %d keys, more than MaxEncryptedDataKeys %d", ErrInvalidInput, 1+len(o.AdditionalKeyIDs), o.MaxEncryptedDataKeys)
	}
	if o.MaxFrameLength == 0 {
		o.MaxFrameLength = DefaultMaxFrameLength
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	c := &Client{kms: client, keyID: keyID, opts: o}
	for _, id := range append([]string{keyID}, o.AdditionalKeyIDs...) {
		if _, err := arn.ParseKey(id); err != nil {
			return nil, fmt.Errorf("%w: key %q: %w", ErrInvalidInput, id, err)
		}
		c.allowed = append(c.allowed, id)
	}
	return c, nil
}

// KeyID returns the key ARN the client generates data keys under.
func (c *Client) KeyID() string { return c.keyID }

// checkContext validates the caller's encryption context and returns its
// serialized form.
func checkContext(ec map[string]string) ([]byte, error) {
	for k := range ec {
		if strings.HasPrefix(k, reservedPrefix) {
			return nil, fmt.Errorf("%w: key %q", ErrReservedContext, k)
		}
	}
	b, ok := serializeContext(nil, ec)
	if !ok {
		return nil, fmt.Errorf("%w: encryption context is not valid UTF-8 or over 65,535 bytes serialized", ErrInvalidInput)
	}
	return b, nil
}

func (c *Client) countKMS(n int) {
	if c.opts.Cache != nil {
		c.opts.Cache.addKMSCalls(n)
	}
}

func (c *Client) isAllowed(keyARN string) bool {
	for _, a := range c.allowed {
		if a == keyARN {
			return true
		}
	}
	return false
}

// requireContext checks that every pair of want is in the message's context.
// The error names the key, never a value.
func requireContext(have, want map[string]string) error {
	for k, v := range want {
		got, ok := have[k]
		if !ok {
			return fmt.Errorf("%w: key %q is missing from the message", ErrContextMismatch, k)
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(v)) != 1 {
			return fmt.Errorf("%w: key %q has another value in the message", ErrContextMismatch, k)
		}
	}
	return nil
}
