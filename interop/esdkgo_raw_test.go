package interop

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"testing"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"

	"github.com/awskit/awskit/envelope"
)

// officialRaw is one raw keyring on both sides: the official Go ESDK's
// (v0.4.0, material providers v0.4.0) and awskit's, with the same key,
// namespace and name.
type officialRaw struct {
	name     string
	official mpltypes.IKeyring
	awskit   envelope.Keyring
}

func officialRawKeyrings(t *testing.T, k *rawKeys) []officialRaw {
	t.Helper()
	m, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var out []officialRaw
	algs := map[int]mpltypes.AesWrappingAlg{16: mpltypes.AesWrappingAlgAlgAes128GcmIv12Tag16, 24: mpltypes.AesWrappingAlgAlgAes192GcmIv12Tag16, 32: mpltypes.AesWrappingAlgAlgAes256GcmIv12Tag16}
	for _, n := range []int{16, 24, 32} {
		name := fmt.Sprintf("aes%d", n*8)
		kr, err := m.CreateRawAesKeyring(context.Background(), mpltypes.CreateRawAesKeyringInput{KeyNamespace: "awskit-interop", KeyName: name, WrappingKey: k.aes[n], WrappingAlg: algs[n]})
		if err != nil {
			t.Fatal(err)
		}
		ours, err := envelope.RawAESKeyring("awskit-interop", name, k.aes[n])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, officialRaw{name, kr, ours})
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.rsa.PublicKey)
	priv, _ := x509.MarshalPKCS8PrivateKey(k.rsa)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	privPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv})
	schemes := map[envelope.RSAPadding]mpltypes.PaddingScheme{
		envelope.RSAPKCS1: mpltypes.PaddingSchemePkcs1, envelope.RSAOAEPSHA1: mpltypes.PaddingSchemeOaepSha1Mgf1,
		envelope.RSAOAEPSHA256: mpltypes.PaddingSchemeOaepSha256Mgf1, envelope.RSAOAEPSHA384: mpltypes.PaddingSchemeOaepSha384Mgf1,
		envelope.RSAOAEPSHA512: mpltypes.PaddingSchemeOaepSha512Mgf1,
	}
	for _, p := range rsaPaddings {
		name := "rsa-" + p.name
		kr, err := m.CreateRawRsaKeyring(context.Background(), mpltypes.CreateRawRsaKeyringInput{KeyNamespace: "awskit-interop", KeyName: name, PaddingScheme: schemes[p.p], PublicKey: pubPEM, PrivateKey: privPEM})
		if err != nil {
			t.Fatal(err)
		}
		ours, err := envelope.RawRSAKeyring("awskit-interop", name, p.p, &k.rsa.PublicKey, k.rsa)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, officialRaw{name, kr, ours})
	}
	return out
}

func officialClient(t *testing.T, policy mpltypes.ESDKCommitmentPolicy) *esdk.Client {
	t.Helper()
	c, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The official Go ESDK writes all eleven suites (the nine non-committing
// ones under FORBID_ENCRYPT_ALLOW_DECRYPT) under its raw AES (128, 192, 256)
// and raw RSA (five paddings) keyrings, and awskit decrypts them; awskit
// writes both committing suites under the same keyrings and the official
// SDK decrypts them.
func TestOfficialGoESDKRawKeyrings(t *testing.T) {
	k := theRawKeys(t)
	krs := officialRawKeyrings(t, k)
	forbid := officialClient(t, mpltypes.ESDKCommitmentPolicyForbidEncryptAllowDecrypt)
	require := officialClient(t, mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt)
	theirs, ours := map[string]int{}, map[string]int{}
	for _, suite := range allSuites {
		id := mpltypes.ESDKAlgorithmSuiteId(fmt.Sprintf("0x%04x", uint16(suite)))
		writer := forbid
		if suite.Committing() {
			writer = require
		}
		for i, kr := range krs {
			for _, n := range []int{0, 1000 + i} {
				t.Run(fmt.Sprintf("%v/%s/%d", suite, kr.name, n), func(t *testing.T) {
					pt := plaintextOf(n)
					frame := int64(512)
					out, err := writer.Encrypt(context.Background(), esdktypes.EncryptInput{
						Plaintext: pt, AlgorithmSuiteId: &id, FrameLength: &frame, Keyring: kr.official,
						EncryptionContext: map[string]string{"lang": "go-official"},
					})
					if err != nil {
						t.Fatalf("official encrypt: %v", err)
					}
					goDecryptBoth(t, kr.awskit, out.Ciphertext, pt, map[string]string{"lang": "go-official"})
					theirs[suite.String()+" "+kr.name]++
					if !suite.Committing() {
						return
					}
					c, err := envelope.NewWithKeyring(kr.awskit, func(o *envelope.Options) { o.Suite, o.FrameLength = suite, 512 })
					if err != nil {
						t.Fatal(err)
					}
					msg, err := c.Encrypt(context.Background(), pt, map[string]string{"lang": "awskit"})
					if err != nil {
						t.Fatal(err)
					}
					dec, err := require.Decrypt(context.Background(), esdktypes.DecryptInput{Ciphertext: msg, Keyring: kr.official})
					if err != nil || !bytes.Equal(dec.Plaintext, pt) {
						t.Fatalf("official decrypt of awskit's message: %v", err)
					}
					ours[suite.String()+" "+kr.name]++
				})
			}
		}
	}
	logCounts(t, "official Go ESDK encrypts, awskit decrypts", theirs)
	logCounts(t, "awskit encrypts, official Go ESDK decrypts", ours)
}
