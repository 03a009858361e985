package envelope

// Key handling: data keys from KMS (or the cache) for encryption and
// decryption, and the keys derived from them for one message's header.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/awskit/awskit/arn"
)

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

// refusedCiphertext reports whether KMS refused a Decrypt because of the
// ciphertext or encryption context it was given, that is because of the
// message: InvalidCiphertextException (a changed blob or context) or
// IncorrectKeyException (a blob of another key than the one named).
func refusedCiphertext(err error) bool {
	var invalid *types.InvalidCiphertextException
	var incorrect *types.IncorrectKeyException
	return errors.As(err, &invalid) || errors.As(err, &incorrect)
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
	tried, refused := 0, 0
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
			if refusedCiphertext(err) {
				refused++
			}
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
		return nil, decryptFailure(fmt.Errorf("%w: none of the message's %d data keys is under %s", ErrNoKey, len(h.DataKeys), strings.Join(c.allowed, ", ")))
	}
	err := fmt.Errorf("%w: %w", ErrNoKey, errors.Join(errs...))
	if refused == tried {
		return nil, decryptFailure(err)
	}
	return nil, err
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

// verifyHeader derives the keys of a parsed header from its data key, checks
// the commit key and the header tag, and returns the framer (content key
// inside). Every failure is ErrDecrypt, with no detail.
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
