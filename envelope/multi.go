package envelope

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// multiKeyring combines keyrings (framework/multi-keyring.md of the
// specification).
type multiKeyring struct {
	generator Keyring // may be nil: decrypt only
	children  []Keyring
}

// MultiKeyring returns a keyring made of others. On encryption the generator
// makes the data key and encrypts it, then every child encrypts the same
// data key, so that the message opens with any of them; one failure fails
// the message. On decryption the generator, then each child in order, tries
// the message's encrypted data keys; the first data key found is used, and
// a failing keyring does not stop the next: when all fail, the error matches
// ErrNoKey and carries every keyring's error (errors.Is reaches the KMS
// errors).
//
// generator may be nil for a keyring that only decrypts (with at least one
// child); Encrypt with it fails with ErrInvalidInput. A child that cannot
// encrypt (KMSDiscoveryKeyring, an RSA keyring without a public key) fails
// encryption the same way. Errors match ErrInvalidInput: no keyring at all,
// a nil child.
func MultiKeyring(generator Keyring, children ...Keyring) (Keyring, error) {
	if generator == nil && len(children) == 0 {
		return nil, fmt.Errorf("%w: a multi-keyring needs a generator or a child", ErrInvalidInput)
	}
	for i, c := range children {
		if c == nil {
			return nil, fmt.Errorf("%w: multi-keyring child %d is nil", ErrInvalidInput, i)
		}
	}
	return &multiKeyring{generator: generator, children: append([]Keyring(nil), children...)}, nil
}

func (k *multiKeyring) describe() string {
	var b strings.Builder
	b.WriteString("multi-keyring(")
	if k.generator != nil {
		b.WriteString("generator ")
		b.WriteString(k.generator.describe())
	}
	for i, c := range k.children {
		if i > 0 || k.generator != nil {
			b.WriteString(", ")
		}
		b.WriteString(c.describe())
	}
	b.WriteString(")")
	return b.String()
}

// String names the keyrings, never their keys or clients.
func (k *multiKeyring) String() string       { return "envelope.MultiKeyring(" + k.describe() + ")" }
func (k *multiKeyring) GoString() string     { return k.String() }
func (k *multiKeyring) LogValue() slog.Value { return slog.StringValue(k.String()) }

func (k *multiKeyring) identity() []byte {
	var b []byte
	add := func(id []byte) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(id)))
		b = append(b, id...)
	}
	if k.generator != nil {
		add(k.generator.identity())
	} else {
		add(nil)
	}
	for _, c := range k.children {
		add(c.identity())
	}
	return b
}

func (k *multiKeyring) onEncrypt(ctx context.Context, m *keyMaterials) error {
	if k.generator == nil {
		if m.dataKey == nil {
			return errCannotEncrypt("a multi-keyring without a generator")
		}
	} else if err := k.generator.onEncrypt(ctx, m); err != nil {
		return err
	}
	for _, c := range k.children {
		if err := c.onEncrypt(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (k *multiKeyring) onDecrypt(ctx context.Context, m *keyMaterials) ([]byte, error) {
	var errs []error
	byMessage := true
	try := func(kr Keyring) []byte {
		dk, err := kr.onDecrypt(ctx, m)
		if err != nil {
			errs = append(errs, err)
			var ke *keyringError
			if !errors.As(err, &ke) || !ke.byMessage {
				byMessage = false
			}
			return nil
		}
		return dk
	}
	if k.generator != nil {
		if dk := try(k.generator); dk != nil {
			return dk, nil
		}
	}
	for _, c := range k.children {
		if dk := try(c); dk != nil {
			return dk, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, &keyringError{fmt.Errorf("%w: %w", ErrNoKey, errors.Join(errs...)), byMessage}
}
