// Package kmstest is an in-memory AWS KMS for tests and examples of
// envelope: it implements envelope.KMS (GenerateDataKey, Encrypt, Decrypt)
// with real AES-256-GCM under per-key backing keys, binds the encryption
// context exactly, and answers with the SDK's typed errors. For tests only:
// its keys live in memory and its ciphertexts mean nothing to AWS.
package kmstest

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// KMS is an in-memory KMS. Create it with New. It is safe for concurrent
// use.
type KMS struct {
	// Fault, when set, runs before every call with the operation name
	// ("GenerateDataKey", "Encrypt", "Decrypt"); a non-nil error is returned
	// instead of the result. Use it to inject throttling or other errors.
	Fault func(ctx context.Context, op string) error
	// Latency, when set, is waited before every call (honouring ctx).
	Latency time.Duration

	region, account string
	rand            io.Reader

	mu      sync.RWMutex
	keys    map[string]*key   // by key ID
	aliases map[string]string // alias name ("alias/x") to key ID
	calls   map[string]*atomic.Int64
}

type key struct {
	id, arn string
	aead    cipher.AEAD
	enabled bool
}

// New returns an empty KMS in region us-east-1 for account 111122223333,
// drawing key material from crypto/rand.
func New() *KMS {
	return NewWith("us-east-1", "111122223333", rand.Reader)
}

// NewWith returns an empty KMS for a region and account, drawing key IDs,
// key material and data keys from r (pass a seeded reader for reproducible
// examples; never in production).
func NewWith(region, account string, r io.Reader) *KMS {
	k := &KMS{region: region, account: account, rand: r, keys: map[string]*key{}, aliases: map[string]string{}, calls: map[string]*atomic.Int64{}}
	for _, op := range []string{"GenerateDataKey", "Encrypt", "Decrypt"} {
		k.calls[op] = new(atomic.Int64)
	}
	return k
}

// CreateKey creates a symmetric key and returns its ARN.
func (k *KMS) CreateKey() (string, error) {
	var b [16 + 32]byte
	if _, err := io.ReadFull(k.rand, b[:]); err != nil {
		return "", err
	}
	u := b[:16]
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	id := fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
	block, err := aes.NewCipher(b[16:])
	if err != nil {
		return "", err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	arn := fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", k.region, k.account, id)
	k.mu.Lock()
	k.keys[id] = &key{id: id, arn: arn, aead: aead, enabled: true}
	k.mu.Unlock()
	return arn, nil
}

// MustCreateKey is CreateKey that panics on error, for tests and examples.
func (k *KMS) MustCreateKey() string {
	arn, err := k.CreateKey()
	if err != nil {
		panic(err)
	}
	return arn
}

// CreateAlias points alias ("alias/NAME") at a key (ID or ARN).
func (k *KMS) CreateAlias(alias, keyID string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	kk, err := k.resolveLocked(keyID)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(alias, "alias/") {
		return &types.NotFoundException{Message: aws.String("alias must start with alias/")}
	}
	k.aliases[alias] = kk.id
	return nil
}

// DisableKey disables a key: every use fails with DisabledException.
func (k *KMS) DisableKey(keyID string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	kk, err := k.resolveLocked(keyID)
	if err != nil {
		return err
	}
	kk.enabled = false
	return nil
}

// Calls returns how many times op ("GenerateDataKey", "Encrypt", "Decrypt")
// was called, failed calls included.
func (k *KMS) Calls(op string) int64 {
	if c, ok := k.calls[op]; ok {
		return c.Load()
	}
	return 0
}

// String describes the KMS by region, account and number of keys; it never
// shows key material or the random source (which, seeded, would reveal
// every key and data key).
func (k *KMS) String() string {
	k.mu.RLock()
	n := len(k.keys)
	k.mu.RUnlock()
	return fmt.Sprintf("kmstest.KMS{region: %s, account: %s, keys: %d}", k.region, k.account, n)
}

// GoString is String, for %#v.
func (k *KMS) GoString() string { return k.String() }

// LogValue is String, for log/slog.
func (k *KMS) LogValue() slog.Value { return slog.StringValue(k.String()) }

// resolveLocked finds a key by key ID, key ARN, alias name or alias ARN.
func (k *KMS) resolveLocked(id string) (*key, error) {
	name := id
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 || parts[2] != "kms" {
			return nil, &types.NotFoundException{Message: aws.String("Invalid arn " + id)}
		}
		if parts[3] != k.region || parts[4] != k.account {
			return nil, &types.NotFoundException{Message: aws.String("Key '" + id + "' does not exist")}
		}
		name = parts[5]
	}
	if a, ok := strings.CutPrefix(name, "alias/"); ok {
		target, found := k.aliases["alias/"+a]
		if !found {
			return nil, &types.NotFoundException{Message: aws.String("Alias " + id + " is not found.")}
		}
		name = target
	}
	name = strings.TrimPrefix(name, "key/")
	kk, ok := k.keys[name]
	if !ok {
		return nil, &types.NotFoundException{Message: aws.String("Key '" + id + "' does not exist")}
	}
	return kk, nil
}

func (k *KMS) resolve(id string) (*key, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	kk, err := k.resolveLocked(id)
	if err == nil && !kk.enabled {
		return nil, &types.DisabledException{Message: aws.String(kk.arn + " is disabled.")}
	}
	return kk, err
}

func (k *KMS) begin(ctx context.Context, op string) error {
	k.calls[op].Add(1)
	if k.Latency > 0 {
		t := time.NewTimer(k.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if k.Fault != nil {
		return k.Fault(ctx, op)
	}
	return nil
}

// contextAAD serializes an encryption context unambiguously: a count, then
// length-prefixed keys and values, sorted by key. Unlike a concatenation,
// {"ab": "c"} and {"a": "bc"} differ.
func contextAAD(ec map[string]string) []byte {
	keys := make([]string, 0, len(ec))
	for key := range ec {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	b := binary.BigEndian.AppendUint32(nil, uint32(len(keys)))
	for _, key := range keys {
		b = binary.BigEndian.AppendUint32(b, uint32(len(key)))
		b = append(b, key...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(ec[key])))
		b = append(b, ec[key]...)
	}
	return b
}

// Ciphertext blob: version 1, key ID length (u8), key ID, nonce, sealed.
const blobVersion = 1

func (k *KMS) seal(kk *key, plaintext []byte, ec map[string]string) ([]byte, error) {
	nonce := make([]byte, kk.aead.NonceSize())
	if _, err := io.ReadFull(k.rand, nonce); err != nil {
		return nil, err
	}
	blob := append([]byte{blobVersion, byte(len(kk.id))}, kk.id...)
	blob = append(blob, nonce...)
	return kk.aead.Seal(blob, nonce, plaintext, contextAAD(ec)), nil
}

// GenerateDataKey implements envelope.KMS: a random data key of
// NumberOfBytes (1 to 1024) or KeySpec bytes, and its ciphertext under KeyId.
func (k *KMS) GenerateDataKey(ctx context.Context, in *kms.GenerateDataKeyInput, _ ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error) {
	if err := k.begin(ctx, "GenerateDataKey"); err != nil {
		return nil, err
	}
	kk, err := k.resolve(aws.ToString(in.KeyId))
	if err != nil {
		return nil, err
	}
	n := int(aws.ToInt32(in.NumberOfBytes))
	switch in.KeySpec {
	case types.DataKeySpecAes256:
		n = 32
	case types.DataKeySpecAes128:
		n = 16
	}
	if n < 1 || n > 1024 {
		return nil, &types.InvalidKeyUsageException{Message: aws.String("NumberOfBytes must be 1 to 1024")}
	}
	plaintext := make([]byte, n)
	if _, err := io.ReadFull(k.rand, plaintext); err != nil {
		return nil, err
	}
	blob, err := k.seal(kk, plaintext, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	return &kms.GenerateDataKeyOutput{KeyId: aws.String(kk.arn), Plaintext: plaintext, CiphertextBlob: blob}, nil
}

// Encrypt implements envelope.KMS: Plaintext (up to 4,096 bytes) under KeyId.
func (k *KMS) Encrypt(ctx context.Context, in *kms.EncryptInput, _ ...func(*kms.Options)) (*kms.EncryptOutput, error) {
	if err := k.begin(ctx, "Encrypt"); err != nil {
		return nil, err
	}
	kk, err := k.resolve(aws.ToString(in.KeyId))
	if err != nil {
		return nil, err
	}
	if len(in.Plaintext) == 0 || len(in.Plaintext) > 4096 {
		return nil, &types.InvalidCiphertextException{Message: aws.String("Plaintext must be 1 to 4096 bytes")}
	}
	blob, err := k.seal(kk, in.Plaintext, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	return &kms.EncryptOutput{KeyId: aws.String(kk.arn), CiphertextBlob: blob}, nil
}

// Decrypt implements envelope.KMS. The key is read from the ciphertext; a
// KeyId naming another key than the ciphertext's (or a ciphertext whose key
// ID was corrupted) gives IncorrectKeyException, a tampered blob or
// another encryption context InvalidCiphertextException, an unknown key
// NotFoundException.
func (k *KMS) Decrypt(ctx context.Context, in *kms.DecryptInput, _ ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	if err := k.begin(ctx, "Decrypt"); err != nil {
		return nil, err
	}
	b := in.CiphertextBlob
	if len(b) < 2 || b[0] != blobVersion || len(b) < 2+int(b[1])+12+16 {
		return nil, &types.InvalidCiphertextException{Message: aws.String("")}
	}
	id := string(b[2 : 2+int(b[1])])
	var kk *key
	if want := aws.ToString(in.KeyId); want != "" {
		// The named key must exist; a blob that names any other key, known
		// or not (a corrupted key ID), is IncorrectKeyException, as KMS
		// answers when KeyId does not identify the key of the ciphertext.
		named, err := k.resolve(want)
		if err != nil {
			return nil, err
		}
		if named.id != id {
			return nil, &types.IncorrectKeyException{Message: aws.String("The key ID in the request does not identify a CMK that can perform this operation.")}
		}
		kk = named
	} else {
		var err error
		if kk, err = k.resolve(id); err != nil {
			return nil, err
		}
	}
	rest := b[2+int(b[1]):]
	nonce, sealed := rest[:12], rest[12:]
	plaintext, err := kk.aead.Open(nil, nonce, sealed, contextAAD(in.EncryptionContext))
	if err != nil {
		return nil, &types.InvalidCiphertextException{Message: aws.String("")}
	}
	return &kms.DecryptOutput{KeyId: aws.String(kk.arn), Plaintext: plaintext}, nil
}
