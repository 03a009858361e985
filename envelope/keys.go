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

// newMaterials asks the keyring for a data key and its encrypted copies,
// and for the signed suite first makes the signing key and puts its public
// half in the context, so that every keyring (and KMS) sees it. callerEC
// has passed checkContext.
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
	km := &keyMaterials{suite: c.opts.Suite, ec: m.ec, rand: c.opts.Rand, kmsCall: c.countKMS}
	if err := c.keyring.onEncrypt(ctx, km); err != nil {
		clear(km.dataKey)
		return nil, err
	}
	if km.dataKey == nil || len(km.edks) == 0 {
		return nil, fmt.Errorf("envelope: %s made no data key", c.keyring.describe())
	}
	m.dataKey, m.edks = km.dataKey, km.edks
	if len(m.edks) > c.opts.MaxEncryptedDataKeys {
		m.wipe()
		return nil, fmt.Errorf("%w: %d encrypted data keys, more than MaxEncryptedDataKeys %d", ErrInvalidInput, len(m.edks), c.opts.MaxEncryptedDataKeys)
	}
	return m, nil
}

// decryptDataKey asks the keyring for the data key of a parsed message. A
// failure the message caused (no data key for this keyring, or every one
// tried refused as not authentic) also matches ErrDecrypt; a failure of a
// key service (throttling, access denied) does not, so callers can retry.
func (c *Client) decryptDataKey(ctx context.Context, h *Header) ([]byte, error) {
	km := &keyMaterials{suite: h.Suite, ec: h.EncryptionContext, edks: h.DataKeys, kmsCall: c.countKMS}
	dk, err := c.keyring.onDecrypt(ctx, km)
	if err != nil {
		var ke *keyringError
		if errors.As(err, &ke) && ke.byMessage {
			return nil, decryptFailure(err)
		}
		return nil, err
	}
	if len(dk) != h.Suite.dataKeyLen() {
		clear(dk)
		return nil, fmt.Errorf("%w: %s returned a %d-byte data key", ErrNoKey, c.keyring.describe(), len(dk))
	}
	return dk, nil
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

// verifyHeader derives the content key of a parsed header from its data
// key, checks the commit key (version 2) and the header tag, and returns
// the framer (content key inside). Every failure is ErrDecrypt, with no
// detail.
func verifyHeader(h *Header, dataKey []byte) (*framer, error) {
	var contentKey []byte
	var err error
	if h.Version == formatVersionV1 {
		if contentKey, err = deriveLegacyKey(h.Suite, dataKey, h.MessageID); err != nil {
			return nil, ErrDecrypt
		}
	} else {
		var commitKey []byte
		if contentKey, commitKey, err = deriveKeys(h.Suite, dataKey, h.MessageID); err != nil {
			return nil, ErrDecrypt
		}
		ok := subtle.ConstantTimeCompare(commitKey, h.commitKey[:]) == 1
		clear(commitKey)
		if !ok {
			clear(contentKey)
			return nil, ErrDecrypt
		}
	}
	defer clear(contentKey)
	f, err := newFramer(contentKey, h.MessageID)
	if err != nil {
		return nil, ErrDecrypt
	}
	if subtle.ConstantTimeCompare(f.headerTag(h.authIV[:], h.body), h.authTag[:]) != 1 {
		return nil, ErrDecrypt
	}
	return f, nil
}

// newHeader builds and authenticates the header of a new message.
func (c *Client) newHeader(m *materials) (*Header, *framer, []byte, error) {
	h := &Header{Version: formatVersion, Suite: c.opts.Suite, MessageID: make([]byte, messageIDSize), EncryptionContext: m.ec,
		DataKeys: m.edks, ContentType: Framed, FrameLength: c.opts.FrameLength, IVLength: ivSize}
	if _, err := io.ReadFull(c.opts.Rand, h.MessageID); err != nil {
		return nil, nil, nil, fmt.Errorf("envelope: message ID: %w", err)
	}
	contentKey, commitKey, err := deriveKeys(h.Suite, m.dataKey, h.MessageID)
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
	copy(h.authTag[:], f.headerTag(h.authIV[:], body))
	h.body = body
	serialized := append(body[:len(body):len(body)], h.authTag[:]...)
	h.Size = len(serialized)
	return h, f, serialized, nil
}
