package interop

import (
	"bytes"
	"context"
	"testing"
	"time"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/awskit/awskit/envelope"
)

// officialGo is the official AWS Encryption SDK for Go (v0.4.0) with a KMS
// keyring on the same KMS client.
type officialGo struct {
	client  *esdk.Client
	keyring mpltypes.IKeyring
}

func newOfficialGo(t testing.TB, kmsClient *kms.Client, keyARN string) *officialGo {
	t.Helper()
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt
	c, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	if err != nil {
		t.Fatal(err)
	}
	m, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		t.Fatal(err)
	}
	kr, err := m.CreateAwsKmsKeyring(context.Background(), mpltypes.CreateAwsKmsKeyringInput{KmsClient: kmsClient, KmsKeyId: keyARN})
	if err != nil {
		t.Fatal(err)
	}
	return &officialGo{client: c, keyring: kr}
}

func (o *officialGo) encrypt(pt []byte, suite envelope.Suite, frame int64) ([]byte, error) {
	id := mpltypes.ESDKAlgorithmSuiteIdAlgAes256GcmHkdfSha512CommitKey
	if suite == envelope.SuiteCommitKeyECDSAP384 {
		id = mpltypes.ESDKAlgorithmSuiteIdAlgAes256GcmHkdfSha512CommitKeyEcdsaP384
	}
	out, err := o.client.Encrypt(context.Background(), esdktypes.EncryptInput{
		Plaintext: pt, AlgorithmSuiteId: &id, FrameLength: &frame, Keyring: o.keyring,
		EncryptionContext: map[string]string{"lang": "go-official"},
	})
	if err != nil {
		return nil, err
	}
	return out.Ciphertext, nil
}

func (o *officialGo) decrypt(msg []byte) ([]byte, error) {
	out, err := o.client.Decrypt(context.Background(), esdktypes.DecryptInput{Ciphertext: msg, Keyring: o.keyring})
	if err != nil {
		return nil, err
	}
	return out.Plaintext, nil
}

// The official Go ESDK reads awskit's messages and awskit reads its messages.
func TestOfficialGoESDK(t *testing.T) {
	client := localKMS(t)
	key := createKey(t, client)
	official := newOfficialGo(t, client, key)
	for _, suite := range interopSuites {
		c, err := envelope.New(client, key, func(o *envelope.Options) { o.Suite = suite; o.FrameLength = 1000 })
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, 1000, 10_000} {
			pt := plaintextOf(n)
			msg, err := c.Encrypt(context.Background(), pt, map[string]string{"lang": "awskit"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := official.decrypt(msg)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%v %d bytes: official Go ESDK decrypt: %v", suite, n, err)
			}
			theirs, err := official.encrypt(pt, suite, 1000)
			if err != nil {
				t.Fatal(err)
			}
			got, err = c.Decrypt(context.Background(), theirs, map[string]string{"lang": "go-official"})
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%v %d bytes: awskit decrypt of official message: %v", suite, n, err)
			}
		}
	}
}

// BenchmarkVersusOfficialGoESDK: the same plaintexts, suite 0x0478, frame
// 4096, the same in-process KMS (local-kms over HTTP on 127.0.0.1), in one
// run: the official Go ESDK, awskit without a cache, and awskit with a cache
// (1,000 messages per data key).
func BenchmarkVersusOfficialGoESDK(b *testing.B) {
	t := &testing.T{}
	client := localKMS(t)
	out, err := client.CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		b.Fatal(err)
	}
	key := *out.KeyMetadata.Arn
	official := newOfficialGo(b, client, key)
	plain, _ := envelope.New(client, key, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey })
	cache, _ := envelope.NewCache(time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = 1000 })
	cached, _ := envelope.New(client, key, func(o *envelope.Options) { o.Suite = envelope.SuiteCommitKey; o.Cache = cache })
	for _, size := range []int{1 << 10, 1 << 20} {
		pt := plaintextOf(size)
		name := "1KiB"
		if size == 1<<20 {
			name = "1MiB"
		}
		b.Run("official-go-esdk/"+name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := official.encrypt(pt, envelope.SuiteCommitKey, 4096); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, c := range []struct {
			name string
			c    *envelope.Client
		}{{"awskit", plain}, {"awskit-cached", cached}} {
			b.Run(c.name+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.c.Encrypt(context.Background(), pt, map[string]string{"lang": "awskit"}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
