package kmstest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// The shortest blob that parses (version, key ID, nonce, a tag and no
// sealed bytes) is read as a blob: naming another key than its own gives
// IncorrectKeyException, as for any well-formed blob; one byte shorter is
// InvalidCiphertextException before any key is looked at.
func TestKMSShortestBlob(t *testing.T) {
	k := kmstest.New()
	a, b := k.MustCreateKey(), k.MustCreateKey()
	out, err := k.Encrypt(context.Background(), &kms.EncryptInput{KeyId: aws.String(b), Plaintext: []byte("x")})
	require.NoError(t, err)
	blob := out.CiphertextBlob
	shortest := blob[:2+int(blob[1])+12+16]
	_, err = k.Decrypt(context.Background(), &kms.DecryptInput{KeyId: aws.String(a), CiphertextBlob: shortest})
	assert.True(t, errorIs[*types.IncorrectKeyException](err), "got %v", err)
	_, err = k.Decrypt(context.Background(), &kms.DecryptInput{KeyId: aws.String(b), CiphertextBlob: shortest})
	assert.True(t, errorIs[*types.InvalidCiphertextException](err), "got %v", err)
	_, err = k.Decrypt(context.Background(), &kms.DecryptInput{KeyId: aws.String(a), CiphertextBlob: shortest[:len(shortest)-1]})
	assert.True(t, errorIs[*types.InvalidCiphertextException](err), "got %v", err)
}
