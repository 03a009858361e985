package kmstest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/awskit/awskit/envelope/kmstest"
)

func Example() {
	ctx := context.Background()
	k := kmstest.New()
	keyARN := k.MustCreateKey()
	if err := k.CreateAlias("alias/orders", keyARN); err != nil {
		fmt.Println(err)
		return
	}
	ec := map[string]string{"tenant": "acme"}
	gen, err := k.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String("alias/orders"), NumberOfBytes: aws.Int32(32), EncryptionContext: ec})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(gen.Plaintext), *gen.KeyId == keyARN)

	_, err = k.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob, EncryptionContext: map[string]string{"tenant": "globex"}})
	var invalid *types.InvalidCiphertextException
	fmt.Println(errors.As(err, &invalid))

	out, err := k.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: gen.CiphertextBlob, EncryptionContext: ec})
	fmt.Println(err, len(out.Plaintext), k.Calls("Decrypt"))
	// Output:
	// 32 true
	// true
	// <nil> 32 2
}
