package envelope

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kms"
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

// maxFrameLen is the largest frame length a Client writes or DecryptStream
// accepts: the format's 2^31-1, less the final frame's overhead where an int
// has 32 bits, so that a frame and its overhead always fit in an int.
const maxFrameLen = min(maxFrameLength, math.MaxInt-finalFrameOverhead)

// Options configure a Client. The zero value means the defaults.
type Options struct {
	Suite                Suite     // default SuiteCommitKeyECDSAP384, as the AWS Encryption SDK; only committing suites can encrypt
	FrameLength          int       // plaintext bytes per frame; default 4096; 1 to 2^31-1 (less 40 bytes, a final frame's overhead, on 32-bit platforms, where a frame must fit in an int)
	AdditionalKeyIDs     []string  // New only: the data key is also encrypted under each of these key ARNs; New copies the slice
	MaxEncryptedDataKeys int       // decrypt refuses messages with more; default 10; encrypt may not exceed it either
	Rand                 io.Reader // message IDs, signing keys, and the data keys and IVs of raw keyrings; default crypto/rand.Reader (crypto/ecdsa keeps signing keys unreproducible even from a seeded reader)

	// MaxFrameLength bounds the frame length DecryptStream accepts from a
	// header, and so the memory it allocates; default 64 MiB; 1 to 2^31-1
	// (less 40 bytes on 32-bit platforms). It bounds a non-framed body's
	// content length the same way. Decrypt is bounded by the message it is
	// given.
	MaxFrameLength int

	// CommitmentPolicy says which messages decrypt; the zero value,
	// RequireEncryptRequireDecrypt, reads only the committing suites.
	// Encryption always writes a committing suite.
	CommitmentPolicy CommitmentPolicy

	// Cache, when set, reuses data keys within its limits: Encrypt takes
	// encryption materials from it, and Decrypt and DecryptStream decrypted
	// data keys. EncryptStream, whose length is unknown when the data key is
	// chosen, always asks the keyring. Read Cache's documentation for the
	// security trade-off. nil: every message costs a keyring call (a KMS
	// call for KMS keys).
	Cache *Cache

	// CachePartition names the part of Cache this Client uses. Clients
	// never share cache entries unless they have equal, non-empty
	// partitions: the default, empty, is a name unique to this Client, so a
	// Client never encrypts or decrypts with a data key that another
	// Client's KMS released. Give Clients the same name only when they
	// deliberately trust each other's KMS access (the AWS Encryption SDK's
	// caching CMM partition ID). Within a partition, entries are still
	// separated by suite, key ARNs and encryption context.
	CachePartition string

	// UnsignedOnly refuses messages of a signed suite: Decrypt,
	// DecryptWithHeader and DecryptStream return ErrSignedMessage right
	// after reading the header, before any KMS call and before any
	// plaintext. Set it when streaming, so that no plaintext is ever
	// released before its message is fully authenticated: an unsigned
	// message's frames are each authenticated as they are released, whereas a
	// signed message is authenticated by the signature at its end (the AWS
	// Encryption SDK's decrypt-unsigned streaming mode). It does not change
	// what Encrypt writes (set Suite for that).
	UnsignedOnly bool

	// Concurrency is how many goroutines seal or open the frames of one
	// message: 0 means runtime.GOMAXPROCS(0), 1 works in the calling
	// goroutine only (the serial path); negative values are refused, and
	// values above 256 count as 256 (no call or stream starts more
	// goroutines). The bytes written are the same whatever the setting.
	//
	// For Encrypt and EncryptAppend, a plaintext of 512 KiB or more is
	// sealed on up to Concurrency goroutines, each writing its frames
	// straight into their place in the message; for the signed suite the
	// calling goroutine hashes groups of frames in order while the others
	// seal. For Decrypt, DecryptAppend and DecryptWithHeader, a framed body
	// of 512 KiB or more is checked frame header by frame header in the
	// calling goroutine and then opened on up to Concurrency goroutines (the
	// caller among them), each frame straight into its place in the
	// plaintext; for the signed suites the caller hashes and verifies the
	// signature meanwhile. Smaller messages, non-framed bodies and
	// Concurrency 1 use the calling goroutine only. The output, and on
	// failure the error, are those of Concurrency 1; a failing frame stops
	// every goroutine before its next frame; a context done once the data
	// key is in hand stops them too, within about 64 KiB of frames each,
	// and the call returns the context's error (whatever the setting); no
	// memory is added beyond a few words per goroutine; every goroutine has
	// ended when the call returns.
	//
	// EncryptStream and DecryptStream handle the first 128 KiB of
	// plaintext of a stream in the calling goroutine, then go parallel:
	// frames pass through a ring of 2·Concurrency groups of frames, a group
	// being one frame or, for frames under 32 KiB, up to 64 KiB of them (at
	// most 32 frames); one allocation per stream, at most 256 MiB unless
	// that is under 2 frames. That is at most
	// 2·Concurrency·max(FrameLength+32, 64 KiB) bytes for EncryptStream and
	// 2·Concurrency·max(FrameLength+16, 64 KiB) for DecryptStream, on top
	// of the serial path's buffers. Up to Concurrency goroutines per stream are started on demand
	// (and the calling goroutine seals or opens queued frames itself while
	// it waits for the oldest); they only seal or open frames in the ring's
	// slots, and each exits as soon as no frame waits, so a stream that is
	// abandoned (never closed, never read to the end) leaves none behind
	// once its frames in flight are done: nothing needs closing. dst and
	// src are used only by the caller's goroutine, inside Write, Close,
	// Read and WriteTo; frames are hashed (signed suites), written and
	// released strictly in order. The stream documentation says what a
	// failure stops.
	Concurrency int
}

// CommitmentPolicy is the AWS Encryption SDKs' commitment policy: which
// algorithm suites a Client may decrypt. Encryption always uses a
// committing suite (the policies that let an SDK encrypt without key
// commitment are not offered).
type CommitmentPolicy int

const (
	// RequireEncryptRequireDecrypt decrypts only messages of the committing
	// suites (message format version 2). A message of a non-committing
	// suite fails with ErrCommitmentPolicy before any key is asked for. The
	// zero value and the AWS Encryption SDKs' default.
	RequireEncryptRequireDecrypt CommitmentPolicy = iota
	// RequireEncryptAllowDecrypt also decrypts the nine non-committing
	// suites (message format version 1), which the AWS Encryption SDKs
	// wrote before version 2.0: for reading old messages during a
	// migration. Such messages do not commit to their data key: a message
	// crafted by someone holding several of its data keys could decrypt to
	// different plaintexts under different keys.
	RequireEncryptAllowDecrypt
)

// String returns the policy's name in the AWS Encryption SDKs.
func (p CommitmentPolicy) String() string {
	switch p {
	case RequireEncryptRequireDecrypt:
		return "REQUIRE_ENCRYPT_REQUIRE_DECRYPT"
	case RequireEncryptAllowDecrypt:
		return "REQUIRE_ENCRYPT_ALLOW_DECRYPT"
	}
	return fmt.Sprintf("CommitmentPolicy(%d)", int(p))
}

// Client encrypts and decrypts messages in the AWS Encryption SDK message
// format under the keys of a Keyring. It is safe for concurrent use; it
// holds no key material between calls (a Cache it is given may). Its zero
// value is not usable: make Clients with New or NewWithKeyring.
type Client struct {
	keyring   Keyring
	keyID     string // New's keyID; "" for NewWithKeyring
	opts      Options
	partition []byte // the cache partition: Options.CachePartition or a random name
}

// New returns a Client for KMS keys: it generates data keys under keyID,
// encrypts each also under Options.AdditionalKeyIDs, and decrypts only data
// keys encrypted under one of these keys (strict mode; a multi-Region key
// also matches its replicas in other Regions). It is the short form of
// NewWithKeyring with a MultiKeyring of KMSKeyrings. keyID and the
// additional IDs must be KMS key ARNs (arn:PARTITION:kms:REGION:ACCOUNT:key/ID);
// an alias ARN is accepted for encryption, but messages record the key ARN
// KMS answers with, so a client configured with an alias cannot decrypt
// them (Decrypt returns ErrNoKey). Errors match ErrInvalidInput.
func New(client KMS, keyID string, optFns ...func(*Options)) (*Client, error) {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	// The Client owns its options: a caller changing its slice after New
	// changes nothing here.
	o.AdditionalKeyIDs = slices.Clone(o.AdditionalKeyIDs)
	if client == nil {
		return nil, fmt.Errorf("%w: nil KMS client", ErrInvalidInput)
	}
	o.AdditionalKeyIDs = slices.Clone(o.AdditionalKeyIDs)
	generator, err := KMSKeyring(client, keyID)
	if err != nil {
		return nil, err
	}
	kr := generator
	if len(o.AdditionalKeyIDs) > 0 {
		children := make([]Keyring, 0, len(o.AdditionalKeyIDs))
		for _, id := range o.AdditionalKeyIDs {
			k, err := KMSKeyring(client, id)
			if err != nil {
				return nil, err
			}
			children = append(children, k)
		}
		if kr, err = MultiKeyring(generator, children...); err != nil {
			return nil, err
		}
	}
	c, err := newClient(kr, o)
	if err != nil {
		return nil, err
	}
	if 1+len(o.AdditionalKeyIDs) > c.opts.MaxEncryptedDataKeys {
		return nil, fmt.Errorf("%w: %d keys, more than MaxEncryptedDataKeys %d", ErrInvalidInput, 1+len(o.AdditionalKeyIDs), c.opts.MaxEncryptedDataKeys)
	}
	c.keyID = keyID
	return c, nil
}

// NewWithKeyring returns a Client that gets and wraps data keys with kr:
// KMSKeyring, KMSDiscoveryKeyring, RawAESKeyring, RawRSAKeyring or a
// MultiKeyring of them. Options.AdditionalKeyIDs is refused (wrap kr in a
// MultiKeyring instead). Errors match ErrInvalidInput.
func NewWithKeyring(kr Keyring, optFns ...func(*Options)) (*Client, error) {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if kr == nil {
		return nil, fmt.Errorf("%w: nil keyring", ErrInvalidInput)
	}
	if len(o.AdditionalKeyIDs) > 0 {
		return nil, fmt.Errorf("%w: AdditionalKeyIDs is for New; combine keyrings with MultiKeyring", ErrInvalidInput)
	}
	return newClient(kr, o)
}

// newClient validates o, sets its defaults, and returns the Client.
func newClient(kr Keyring, o Options) (*Client, error) {
	if o.Suite == 0 {
		o.Suite = SuiteCommitKeyECDSAP384
	}
	if !o.Suite.valid() {
		return nil, fmt.Errorf("%w: suite %v cannot encrypt (only the committing suites can)", ErrInvalidInput, o.Suite)
	}
	if o.FrameLength == 0 {
		o.FrameLength = DefaultFrameLength
	}
	if o.FrameLength < 1 || o.FrameLength > maxFrameLen {
		return nil, fmt.Errorf("%w: frame length %d, allowed 1 to %d", ErrInvalidInput, o.FrameLength, maxFrameLen)
	}
	if o.MaxEncryptedDataKeys == 0 {
		o.MaxEncryptedDataKeys = DefaultMaxEncryptedDataKeys
	}
	if o.MaxEncryptedDataKeys < 1 || o.MaxEncryptedDataKeys > maxU16 {
		return nil, fmt.Errorf("%w: MaxEncryptedDataKeys %d", ErrInvalidInput, o.MaxEncryptedDataKeys)
	}
	if o.MaxFrameLength == 0 {
		o.MaxFrameLength = DefaultMaxFrameLength
	}
	if o.MaxFrameLength < 1 || o.MaxFrameLength > maxFrameLen {
		return nil, fmt.Errorf("%w: MaxFrameLength %d, allowed 1 to %d", ErrInvalidInput, o.MaxFrameLength, maxFrameLen)
	}
	if o.CommitmentPolicy != RequireEncryptRequireDecrypt && o.CommitmentPolicy != RequireEncryptAllowDecrypt {
		return nil, fmt.Errorf("%w: %v", ErrInvalidInput, o.CommitmentPolicy)
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Concurrency < 0 {
		return nil, fmt.Errorf("%w: Concurrency %d", ErrInvalidInput, o.Concurrency)
	}
	c := &Client{keyring: kr, opts: o}
	if o.CachePartition != "" {
		c.partition = append([]byte("named:"), o.CachePartition...)
	} else {
		// A name no other Client has: 128 bits from crypto/rand (never from
		// Options.Rand, which a test may seed identically for two Clients).
		c.partition = append([]byte("client:"), make([]byte, 16)...)
		rand.Read(c.partition[len("client:"):]) // never fails (crypto/rand, Go 1.24)
	}
	return c, nil
}

// KeyID returns the key ARN New was given; "" for a Client made with
// NewWithKeyring.
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

// requireContext checks that every pair of want is in the message's context.
// The error names the key, never a value.
func requireContext(have, want map[string]string) error {
	for k, v := range want {
		got, ok := have[k]
		if !ok {
			return decryptFailure(fmt.Errorf("%w: key %q is missing from the message", ErrContextMismatch, k))
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(v)) != 1 {
			return decryptFailure(fmt.Errorf("%w: key %q has another value in the message", ErrContextMismatch, k))
		}
	}
	return nil
}
