package arn_test

import (
	"strings"
	"testing"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/arn"
)

const uuid = "1234abcd-12ab-34cd-56ef-1234567890ab"

var validKeys = []struct {
	name string
	in   string
	want arn.Key
}{
	{"key", "arn:aws:kms:us-east-2:111122223333:key/" + uuid,
		arn.Key{Partition: "aws", Region: "us-east-2", AccountID: "111122223333", ID: uuid}},
	{"multi-Region key", "arn:aws:kms:us-east-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
		arn.Key{Partition: "aws", Region: "us-east-2", AccountID: "111122223333", ID: "mrk-1234abcd12ab34cd56ef1234567890ab"}},
	{"alias", "arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias",
		arn.Key{Partition: "aws", Region: "us-east-2", AccountID: "111122223333", Alias: "alias/ExampleAlias"}},
	{"alias with slash dash underscore", "arn:aws:kms:eu-west-1:111122223333:alias/team/app_key-1",
		arn.Key{Partition: "aws", Region: "eu-west-1", AccountID: "111122223333", Alias: "alias/team/app_key-1"}},
	{"AWS managed key alias reference", "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3",
		arn.Key{Partition: "aws", Region: "eu-west-1", AccountID: "111122223333", Alias: "alias/aws/s3"}},
	{"china", "arn:aws-cn:kms:cn-north-1:111122223333:key/" + uuid,
		arn.Key{Partition: "aws-cn", Region: "cn-north-1", AccountID: "111122223333", ID: uuid}},
	{"govcloud", "arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/" + uuid,
		arn.Key{Partition: "aws-us-gov", Region: "us-gov-east-1", AccountID: "111122223333", ID: uuid}},
	{"alias of 250 characters", "arn:aws:kms:eu-west-1:111122223333:alias/" + strings.Repeat("a", 250),
		arn.Key{Partition: "aws", Region: "eu-west-1", AccountID: "111122223333", Alias: "alias/" + strings.Repeat("a", 250)}},
}

var invalidKeys = []struct {
	name  string
	in    string
	field string
}{
	{"empty", "", "prefix"},
	{"wrong service", "arn:aws:lambda:us-east-2:111122223333:key/" + uuid, "service"},
	{"uppercase UUID", "arn:aws:kms:us-east-2:111122223333:key/" + strings.ToUpper(uuid), "key ID"},
	{"UUID without dashes", "arn:aws:kms:us-east-2:111122223333:key/1234abcd12ab34cd56ef1234567890ab", "key ID"},
	{"UUID dashes misplaced", "arn:aws:kms:us-east-2:111122223333:key/1234abcd1-2ab-34cd-56ef-1234567890ab", "key ID"},
	{"short mrk", "arn:aws:kms:us-east-2:111122223333:key/mrk-1234", "key ID"},
	{"uppercase mrk hex", "arn:aws:kms:us-east-2:111122223333:key/mrk-1234ABCD12ab34cd56ef1234567890ab", "key ID"},
	{"empty key ID", "arn:aws:kms:us-east-2:111122223333:key/", "key ID"},
	{"empty alias", "arn:aws:kms:us-east-2:111122223333:alias/", "alias"},
	{"alias with dot", "arn:aws:kms:us-east-2:111122223333:alias/a.b", "alias"},
	{"alias of 251 characters", "arn:aws:kms:us-east-2:111122223333:alias/" + strings.Repeat("a", 251), "alias"},
	{"resource type unknown", "arn:aws:kms:us-east-2:111122223333:keys/" + uuid, "resource"},
	{"bad account", "arn:aws:kms:us-east-2:11112222333:key/" + uuid, "account"},
	{"region of another partition", "arn:aws-cn:kms:us-east-2:111122223333:key/" + uuid, "region"},
	{"missing partition", "arn::kms:us-east-2:111122223333:key/" + uuid, "partition"},
}

func TestParseKey(t *testing.T) {
	for _, tc := range validKeys {
		t.Run(tc.name, func(t *testing.T) {
			got, err := arn.ParseKey(tc.in)
			require.NoError(t, err, "ParseKey(%q)", tc.in)
			assert.Equal(t, tc.want, got, "ParseKey(%q)", tc.in)
			assert.Equal(t, tc.in, got.String())
			assert.Equal(t, tc.want.Alias != "", got.IsAlias())
			a, err := awsarn.Parse(tc.in)
			require.NoError(t, err)
			k, err := arn.KeyFromARN(a)
			require.NoError(t, err)
			assert.Equal(t, got, k)
			assert.Equal(t, a, got.ARN())
		})
	}
}

func TestParseKeyInvalid(t *testing.T) {
	for _, tc := range invalidKeys {
		t.Run(tc.name, func(t *testing.T) {
			got, err := arn.ParseKey(tc.in)
			require.Error(t, err, "ParseKey(%q) = %+v, want error", tc.in, got)
			var pe *arn.Error
			require.ErrorAs(t, err, &pe)
			assert.ErrorIs(t, err, arn.ErrInvalid)
			assert.Equal(t, tc.field, pe.Field, "ParseKey(%q): %v", tc.in, err)
		})
	}
}

func TestKeyValidate(t *testing.T) {
	k := arn.Key{Region: "cn-north-1", AccountID: "111122223333", ID: uuid}
	require.NoError(t, k.Validate())
	assert.Equal(t, "arn:aws-cn:kms:cn-north-1:111122223333:key/"+uuid, k.String())
	assert.False(t, k.IsMultiRegion())
	both := k
	both.Alias = "alias/x"
	assert.ErrorIs(t, both.Validate(), arn.ErrInvalid)
	assert.ErrorIs(t, arn.Key{}.Validate(), arn.ErrInvalid)
	_, err := arn.KeyFromARN(awsarn.ARN{Service: "s3"})
	assert.ErrorIs(t, err, arn.ErrInvalid)
	mrk, err := arn.ParseKey("arn:aws:kms:us-east-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")
	require.NoError(t, err)
	assert.True(t, mrk.IsMultiRegion())
}

func TestValidateNewAlias(t *testing.T) {
	for _, ok := range []string{"alias/app", "alias/team/app-key_1", "alias/awsome", "alias/" + strings.Repeat("z", 250)} {
		assert.NoError(t, arn.ValidateNewAlias(ok), "ValidateNewAlias(%q)", ok)
	}
	for _, bad := range []string{"", "app", "alias/", "alias/aws/s3", "alias/aws/", "alias/a b", "alias/" + strings.Repeat("z", 251)} {
		assert.ErrorIs(t, arn.ValidateNewAlias(bad), arn.ErrInvalid, "ValidateNewAlias(%q)", bad)
	}
}
