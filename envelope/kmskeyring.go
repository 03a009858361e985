package envelope

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/awskit/awskit/arn"
)

// KMSKeyringOptions configure KMSKeyring and KMSDiscoveryKeyring. The zero
// value means no grant tokens and, for discovery, no filter.
type KMSKeyringOptions struct {
	// GrantTokens are passed on every KMS call the keyring makes
	// (GenerateDataKey, Encrypt, Decrypt). The slice is copied.
	GrantTokens []string

	// DiscoveryFilter restricts a discovery keyring to the key ARNs of one
	// partition and a list of accounts. nil: any key ARN the message names
	// (the caller's KMS permissions are then the only restriction).
	// KMSKeyring ignores it.
	DiscoveryFilter *DiscoveryFilter

	// DiscoveryRegion makes a discovery keyring multi-Region key aware: an
	// encrypted data key under a multi-Region key (key ID "mrk-...") in any
	// Region is decrypted with that key's replica in DiscoveryRegion, and
	// data keys under single-Region keys of other Regions are skipped. It
	// must be the Region of the KMS client. "": every key is called in the
	// Region its ARN names, through the one client (so, in practice, keys
	// of the client's Region). KMSKeyring ignores it.
	DiscoveryRegion string
}

// DiscoveryFilter limits discovery to key ARNs of Partition ("aws",
// "aws-cn", "aws-us-gov", ...) owned by one of AccountIDs (12 digits).
type DiscoveryFilter struct {
	Partition  string
	AccountIDs []string
}

// kmsKeyring is the strict KMS keyring (framework/aws-kms/aws-kms-keyring.md
// and aws-kms-mrk-keyring.md): one configured key.
type kmsKeyring struct {
	client KMS
	keyID  string
	grants []string
}

// KMSKeyring returns a keyring for one KMS key. As a generator it asks KMS
// GenerateDataKey under keyID; as a child it asks KMS Encrypt of the data
// key. It decrypts only encrypted data keys whose provider is "aws-kms" and
// whose key ARN is keyID, or, for a multi-Region key, the same key in
// another Region (the specification's "AWS KMS MRK Match for Decrypt"): KMS
// Decrypt is then called with keyID, the replica the client's Region holds.
//
// keyID must be a KMS key ARN or alias ARN; with an alias ARN the keyring
// encrypts, but messages record the key ARN KMS answers with, so it cannot
// decrypt them (ErrNoKey). Errors match ErrInvalidInput.
func KMSKeyring(client KMS, keyID string, optFns ...func(*KMSKeyringOptions)) (Keyring, error) {
	o := kmsKeyringOptions(optFns)
	if client == nil {
		return nil, fmt.Errorf("%w: nil KMS client", ErrInvalidInput)
	}
	if _, err := arn.ParseKey(keyID); err != nil {
		return nil, fmt.Errorf("%w: key %q: %w", ErrInvalidInput, keyID, err)
	}
	return &kmsKeyring{client: client, keyID: keyID, grants: o.GrantTokens}, nil
}

func kmsKeyringOptions(optFns []func(*KMSKeyringOptions)) KMSKeyringOptions {
	var o KMSKeyringOptions
	for _, fn := range optFns {
		fn(&o)
	}
	o.GrantTokens = slices.Clone(o.GrantTokens)
	if o.DiscoveryFilter != nil {
		f := *o.DiscoveryFilter
		f.AccountIDs = slices.Clone(f.AccountIDs)
		o.DiscoveryFilter = &f
	}
	return o
}

func (k *kmsKeyring) describe() string { return "KMS key " + k.keyID }

func (k *kmsKeyring) identity() []byte { return []byte(k.describe()) }

// String names the key only. Without it, fmt verbs other than %v (%s, %d,
// %x) print the KMS client one level deep: a *kms.Client holding static
// credentials by value would show its secret access key.
func (k *kmsKeyring) String() string       { return "envelope.KMSKeyring(" + k.keyID + ")" }
func (k *kmsKeyring) GoString() string     { return k.String() }
func (k *kmsKeyring) LogValue() slog.Value { return slog.StringValue(k.String()) }

func (k *kmsKeyring) onEncrypt(ctx context.Context, m *keyMaterials) error {
	if m.dataKey == nil {
		m.countKMS(1)
		out, err := k.client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{
			KeyId: aws.String(k.keyID), NumberOfBytes: aws.Int32(int32(m.suite.dataKeyLen())),
			EncryptionContext: m.ec, GrantTokens: k.grants,
		})
		if err != nil {
			return fmt.Errorf("envelope: KMS GenerateDataKey with %s: %w", k.keyID, err)
		}
		if len(out.Plaintext) != m.suite.dataKeyLen() {
			clear(out.Plaintext)
			return fmt.Errorf("envelope: KMS GenerateDataKey returned a %d-byte data key, want %d", len(out.Plaintext), m.suite.dataKeyLen())
		}
		keyARN, err := responseKeyARN(out.KeyId)
		if err != nil {
			clear(out.Plaintext)
			return err
		}
		m.dataKey = out.Plaintext
		m.edks = append(m.edks, DataKey{ProviderID: providerAWSKMS, ProviderInfo: keyARN, Ciphertext: out.CiphertextBlob})
		return nil
	}
	m.countKMS(1)
	out, err := k.client.Encrypt(ctx, &kms.EncryptInput{
		KeyId: aws.String(k.keyID), Plaintext: m.dataKey, EncryptionContext: m.ec, GrantTokens: k.grants,
	})
	if err != nil {
		return fmt.Errorf("envelope: KMS Encrypt with %s: %w", k.keyID, err)
	}
	keyARN, err := responseKeyARN(out.KeyId)
	if err != nil {
		return err
	}
	m.edks = append(m.edks, DataKey{ProviderID: providerAWSKMS, ProviderInfo: keyARN, Ciphertext: out.CiphertextBlob})
	return nil
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

func (k *kmsKeyring) onDecrypt(ctx context.Context, m *keyMaterials) ([]byte, error) {
	var errs []error
	tried, refused := 0, 0
	for _, e := range m.edks {
		if e.ProviderID != providerAWSKMS || !mrkMatch(k.keyID, e.ProviderInfo) {
			continue
		}
		tried++
		dk, err := kmsDecrypt(ctx, k.client, k.keyID, e, m, k.grants)
		if err != nil {
			errs = append(errs, err)
			if refusedCiphertext(err) {
				refused++
			}
			continue
		}
		return dk, nil
	}
	return nil, noKey(k.describe(), tried, refused, errs)
}

// kmsDecrypt asks KMS to decrypt one encrypted data key with keyID and
// checks the answer: the key KMS used must be keyID, and the data key of the
// suite's length.
func kmsDecrypt(ctx context.Context, client KMS, keyID string, e DataKey, m *keyMaterials, grants []string) ([]byte, error) {
	m.countKMS(1)
	out, err := client.Decrypt(ctx, &kms.DecryptInput{
		KeyId: aws.String(keyID), CiphertextBlob: e.Ciphertext, EncryptionContext: m.ec, GrantTokens: grants,
	})
	if err != nil {
		return nil, fmt.Errorf("KMS Decrypt with %s: %w", keyID, err)
	}
	if aws.ToString(out.KeyId) != keyID || len(out.Plaintext) != m.suite.dataKeyLen() {
		clear(out.Plaintext)
		return nil, fmt.Errorf("KMS Decrypt with %s answered for key %q with %d bytes", keyID, aws.ToString(out.KeyId), len(out.Plaintext))
	}
	return out.Plaintext, nil
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

// mrkMatch is the specification's "AWS KMS MRK Match for Decrypt"
// (framework/aws-kms/aws-kms-mrk-match-for-decrypt.md): two identifiers
// match when they are equal, or when both are multi-Region key ARNs that
// agree in everything but the Region.
func mrkMatch(configured, messageKey string) bool {
	if configured == messageKey {
		return true
	}
	a, err := arn.ParseKey(configured)
	if err != nil || !a.IsMultiRegion() {
		return false
	}
	b, err := arn.ParseKey(messageKey)
	if err != nil || !b.IsMultiRegion() {
		return false
	}
	return a.Partition == b.Partition && a.AccountID == b.AccountID && a.ID == b.ID
}

// kmsDiscoveryKeyring decrypts with whatever KMS key a message names
// (aws-kms-discovery-keyring.md, aws-kms-mrk-discovery-keyring.md).
type kmsDiscoveryKeyring struct {
	client KMS
	grants []string
	filter *DiscoveryFilter
	region string
}

// KMSDiscoveryKeyring returns a keyring that decrypts with the KMS key each
// encrypted data key names (provider "aws-kms", a key ARN), as long as the
// ARN passes Options.DiscoveryFilter; it tries them in the message's order
// and the first that KMS decrypts wins. It cannot encrypt: Encrypt with it
// fails with ErrInvalidInput (combine it with a generator in a MultiKeyring
// to write messages).
//
// Discovery trusts any key the caller's KMS permissions allow: set a filter
// to the accounts you expect, and check the encryption context and the key
// ARN the message names (DecryptWithHeader) before you trust the plaintext.
// Errors match ErrInvalidInput: a filter with an empty partition or no
// accounts, an account ID that is not 12 digits.
func KMSDiscoveryKeyring(client KMS, optFns ...func(*KMSKeyringOptions)) (Keyring, error) {
	o := kmsKeyringOptions(optFns)
	if client == nil {
		return nil, fmt.Errorf("%w: nil KMS client", ErrInvalidInput)
	}
	if f := o.DiscoveryFilter; f != nil {
		if f.Partition == "" || len(f.AccountIDs) == 0 {
			return nil, fmt.Errorf("%w: a discovery filter needs a partition and at least one account", ErrInvalidInput)
		}
		for _, a := range f.AccountIDs {
			if len(a) != 12 || strings.Trim(a, "0123456789") != "" {
				return nil, fmt.Errorf("%w: discovery filter account %q is not 12 digits", ErrInvalidInput, a)
			}
		}
	}
	return &kmsDiscoveryKeyring{client: client, grants: o.GrantTokens, filter: o.DiscoveryFilter, region: o.DiscoveryRegion}, nil
}

func (k *kmsDiscoveryKeyring) describe() string {
	var b strings.Builder
	b.WriteString("KMS discovery")
	if k.filter != nil {
		fmt.Fprintf(&b, " (partition %s, accounts %s)", k.filter.Partition, strings.Join(k.filter.AccountIDs, ","))
	}
	if k.region != "" {
		b.WriteString(" in " + k.region)
	}
	return b.String()
}

func (k *kmsDiscoveryKeyring) identity() []byte { return []byte(k.describe()) }

// String describes the filter and Region only, never the KMS client (see
// kmsKeyring.String).
func (k *kmsDiscoveryKeyring) String() string {
	return "envelope.KMSDiscoveryKeyring(" + k.describe() + ")"
}
func (k *kmsDiscoveryKeyring) GoString() string     { return k.String() }
func (k *kmsDiscoveryKeyring) LogValue() slog.Value { return slog.StringValue(k.String()) }

func (k *kmsDiscoveryKeyring) onEncrypt(context.Context, *keyMaterials) error {
	return errCannotEncrypt("a KMS discovery keyring")
}

func (k *kmsDiscoveryKeyring) onDecrypt(ctx context.Context, m *keyMaterials) ([]byte, error) {
	var errs []error
	tried, refused := 0, 0
	for _, e := range m.edks {
		if e.ProviderID != providerAWSKMS {
			continue
		}
		key, err := arn.ParseKey(e.ProviderInfo)
		if err != nil || key.IsAlias() {
			continue // not a key ARN: no KMS call (the specification fails here; skipping lets a later key work)
		}
		if f := k.filter; f != nil && (key.Partition != f.Partition || !slices.Contains(f.AccountIDs, key.AccountID)) {
			continue
		}
		keyID := e.ProviderInfo
		if k.region != "" && key.Region != k.region {
			if !key.IsMultiRegion() {
				continue
			}
			key.Region = k.region
			keyID = key.String()
		}
		tried++
		dk, err := kmsDecrypt(ctx, k.client, keyID, e, m, k.grants)
		if err != nil {
			errs = append(errs, err)
			// The message chose the key: one that does not exist is the
			// message's fault too (a strict keyring's is a configuration's).
			var notFound *types.NotFoundException
			if refusedCiphertext(err) || errors.As(err, &notFound) {
				refused++
			}
			continue
		}
		return dk, nil
	}
	return nil, noKey(k.describe(), tried, refused, errs)
}
