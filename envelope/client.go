package envelope

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
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

// materials is what encrypting one message needs. Its dataKey is wiped by
// wipe; Client methods never return it.
type materials struct {
	ec      map[string]string
	dataKey []byte
	edks    []DataKey
	signer  *ecdsa.PrivateKey
}

func (m *materials) wipe() {
	clear(m.dataKey)
	m.signer = nil
}

// newMaterials generates a data key under the client's key, encrypts it under
// the additional keys, and for the signed suite makes the signing key and
// puts its public half in the context before KMS sees it. callerEC has passed
// checkContext.
func (c *Client) newMaterials(ctx context.Context, callerEC map[string]string) (*materials, error) {
	m := &materials{ec: make(map[string]string, len(callerEC)+1)}
	for k, v := range callerEC {
		m.ec[k] = v
	}
	if c.opts.Suite.signed() {
		priv, err := ecdsa.GenerateKey(elliptic.P384(), c.opts.Rand)
		if err != nil {
			return nil, fmt.Errorf("envelope: signing key: %w", err)
		}
		m.signer = priv
		m.ec[publicKeyField] = base64.StdEncoding.EncodeToString(elliptic.MarshalCompressed(elliptic.P384(), priv.X, priv.Y))
		if _, ok := serializeContext(nil, m.ec); !ok {
			return nil, fmt.Errorf("%w: encryption context over 65,535 bytes with the public key", ErrInvalidInput)
		}
	}
	c.countKMS(1 + len(c.opts.AdditionalKeyIDs))
	out, err := c.kms.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{
		KeyId: aws.String(c.keyID), NumberOfBytes: aws.Int32(dataKeySize), EncryptionContext: m.ec,
	})
	if err != nil {
		return nil, fmt.Errorf("envelope: KMS GenerateDataKey with %s: %w", c.keyID, err)
	}
	if len(out.Plaintext) != dataKeySize {
		clear(out.Plaintext)
		return nil, fmt.Errorf("envelope: KMS GenerateDataKey returned a %d-byte data key, want %d", len(out.Plaintext), dataKeySize)
	}
	m.dataKey = out.Plaintext
	keyARN, err := responseKeyARN(out.KeyId)
	if err != nil {
		m.wipe()
		return nil, err
	}
	m.edks = append(m.edks, DataKey{ProviderID: providerAWSKMS, KeyARN: keyARN, Ciphertext: out.CiphertextBlob})
	for _, id := range c.opts.AdditionalKeyIDs {
		eo, err := c.kms.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: m.dataKey, EncryptionContext: m.ec})
		if err != nil {
			m.wipe()
			return nil, fmt.Errorf("envelope: KMS Encrypt with %s: %w", id, err)
		}
		keyARN, err := responseKeyARN(eo.KeyId)
		if err != nil {
			m.wipe()
			return nil, err
		}
		m.edks = append(m.edks, DataKey{ProviderID: providerAWSKMS, KeyARN: keyARN, Ciphertext: eo.CiphertextBlob})
	}
	return m, nil
}

// responseKeyARN checks the KeyId KMS answered with: a key ARN, which the
// message records as provider info.
func responseKeyARN(id *string) (string, error) {
	s := aws.ToString(id)
	k, err := arn.ParseKey(s)
	if err != nil || k.IsAlias() {
		return "", fmt.Errorf("envelope: KMS answered with KeyId %q, not a key ARN", s)
	}
	return s, nil
}

// decryptDataKey asks KMS to decrypt the first encrypted data key that
// belongs to an allowed key ARN, and returns the 32-byte data key.
func (c *Client) decryptDataKey(ctx context.Context, h *Header) ([]byte, error) {
	var errs []error
	tried := 0
	for _, k := range h.DataKeys {
		if k.ProviderID != providerAWSKMS || !c.isAllowed(k.KeyARN) {
			continue
		}
		tried++
		c.countKMS(1)
		out, err := c.kms.Decrypt(ctx, &kms.DecryptInput{
			KeyId: aws.String(k.KeyARN), CiphertextBlob: k.Ciphertext, EncryptionContext: h.EncryptionContext,
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("KMS Decrypt with %s: %w", k.KeyARN, err))
			continue
		}
		if aws.ToString(out.KeyId) != k.KeyARN || len(out.Plaintext) != dataKeySize {
			clear(out.Plaintext)
			errs = append(errs, fmt.Errorf("KMS Decrypt with %s answered for key %q with %d bytes", k.KeyARN, aws.ToString(out.KeyId), len(out.Plaintext)))
			continue
		}
		return out.Plaintext, nil
	}
	if tried == 0 {
		return nil, fmt.Errorf("%w: none of the message's %d data keys is under %s", ErrNoKey, len(h.DataKeys), strings.Join(c.allowed, ", "))
	}
	return nil, fmt.Errorf("%w: %w", ErrNoKey, errors.Join(errs...))
}

func (c *Client) countKMS(n int) {
	if c.opts.Cache != nil {
		c.opts.Cache.addKMSCalls(n)
	}
}

// encryptionMaterials validates the caller's context and returns materials
// for one message of n bytes: from the cache when one is set and an entry
// allows it, else fresh from KMS (and then cached). n < 0 (a stream, whose
// length is unknown) always asks KMS and caches nothing.
func (c *Client) encryptionMaterials(ctx context.Context, ec map[string]string, n int) (*materials, error) {
	serialized, err := checkContext(ec)
	if err != nil {
		return nil, err
	}
	if c.opts.Cache == nil || n < 0 {
		return c.newMaterials(ctx, ec)
	}
	key := c.encryptCacheKey(serialized)
	if m := c.opts.Cache.getEncrypt(key, uint64(n)); m != nil {
		return m, nil
	}
	m, err := c.newMaterials(ctx, ec)
	if err != nil {
		return nil, err
	}
	c.opts.Cache.putEncrypt(key, m, uint64(n))
	return m, nil
}

// dataKey returns the data key of a parsed message: from the cache when one
// is set, else from KMS (and then cached).
func (c *Client) dataKey(ctx context.Context, h *Header) ([]byte, error) {
	if c.opts.Cache == nil {
		return c.decryptDataKey(ctx, h)
	}
	key := c.decryptCacheKey(h)
	if dk := c.opts.Cache.getDecrypt(key); dk != nil {
		return dk, nil
	}
	dk, err := c.decryptDataKey(ctx, h)
	if err != nil {
		return nil, err
	}
	c.opts.Cache.putDecrypt(key, dk)
	return dk, nil
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

// messageKeys is what a parsed header and its data key give: the framer
// (content key inside) after the commit key and header tag verified.
func verifyHeader(h *Header, dataKey []byte) (*framer, error) {
	contentKey, commitKey, err := deriveKeys(h.Suite, dataKey, h.MessageID[:])
	if err != nil {
		return nil, ErrDecrypt
	}
	defer clear(contentKey)
	ok := subtle.ConstantTimeCompare(commitKey, h.commitKey[:]) == 1
	clear(commitKey)
	if !ok {
		return nil, ErrDecrypt
	}
	f, err := newFramer(contentKey, h.MessageID)
	if err != nil {
		return nil, ErrDecrypt
	}
	if subtle.ConstantTimeCompare(f.headerTag(h.body), h.authTag[:]) != 1 {
		return nil, ErrDecrypt
	}
	return f, nil
}

// newHeader builds and authenticates the header of a new message.
func (c *Client) newHeader(m *materials) (*Header, *framer, []byte, error) {
	h := &Header{Suite: c.opts.Suite, EncryptionContext: m.ec, DataKeys: m.edks, FrameLength: c.opts.FrameLength}
	if _, err := io.ReadFull(c.opts.Rand, h.MessageID[:]); err != nil {
		return nil, nil, nil, fmt.Errorf("envelope: message ID: %w", err)
	}
	contentKey, commitKey, err := deriveKeys(h.Suite, m.dataKey, h.MessageID[:])
	if err != nil {
		return nil, nil, nil, err
	}
	defer clear(contentKey)
	copy(h.commitKey[:], commitKey)
	body, ok := h.marshalBody()
	if !ok {
		return nil, nil, nil, fmt.Errorf("%w: header fields over their 65,535-byte limits", ErrInvalidInput)
	}
	f, err := newFramer(contentKey, h.MessageID)
	if err != nil {
		return nil, nil, nil, err
	}
	copy(h.authTag[:], f.headerTag(body))
	h.body = body
	serialized := append(body[:len(body):len(body)], h.authTag[:]...)
	h.Size = len(serialized)
	return h, f, serialized, nil
}

// signatureHash returns the running hash of the signed suite.
func newSignatureHash() hash.Hash { return sha512.New384() }

// sign returns the footer: u16 length and the DER signature of digest.
func sign(priv *ecdsa.PrivateKey, r io.Reader, digest []byte) ([]byte, error) {
	sig, err := ecdsa.SignASN1(r, priv, digest)
	if err != nil {
		return nil, fmt.Errorf("envelope: sign: %w", err)
	}
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(sig))), sig...), nil
}

// verifier returns the public key of a signed message's context.
func verifier(h *Header) (*ecdsa.PublicKey, error) {
	raw, err := base64.StdEncoding.DecodeString(h.EncryptionContext[publicKeyField])
	if err != nil {
		return nil, malformed("%s is not base64", publicKeyField)
	}
	x, y := elliptic.UnmarshalCompressed(elliptic.P384(), raw)
	if x == nil {
		return nil, malformed("%s is not a compressed P-384 point", publicKeyField)
	}
	return &ecdsa.PublicKey{Curve: elliptic.P384(), X: x, Y: y}, nil
}
