package arn_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/arn"
)

var validFunctions = []struct {
	name string
	in   string
	want arn.Function
}{
	{"unqualified", "arn:aws:lambda:us-west-2:123456789012:function:my-function",
		arn.Function{Partition: "aws", Region: "us-west-2", AccountID: "123456789012", Name: "my-function"}},
	{"alias", "arn:aws:lambda:us-east-1:123456789012:function:f:live",
		arn.Function{Partition: "aws", Region: "us-east-1", AccountID: "123456789012", Name: "f", Qualifier: "live"}},
	{"version", "arn:aws:lambda:us-east-1:123456789012:function:f:7",
		arn.Function{Partition: "aws", Region: "us-east-1", AccountID: "123456789012", Name: "f", Qualifier: "7"}},
	{"latest", "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
		arn.Function{Partition: "aws", Region: "us-east-1", AccountID: "123456789012", Name: "f", Qualifier: "$LATEST"}},
	{"china partition", "arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
		arn.Function{Partition: "aws-cn", Region: "cn-north-1", AccountID: "123456789012", Name: "f"}},
	{"govcloud partition", "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f",
		arn.Function{Partition: "aws-us-gov", Region: "us-gov-west-1", AccountID: "123456789012", Name: "f"}},
	{"iso partition", "arn:aws-iso:lambda:us-iso-east-1:123456789012:function:f",
		arn.Function{Partition: "aws-iso", Region: "us-iso-east-1", AccountID: "123456789012", Name: "f"}},
	{"iso-b partition", "arn:aws-iso-b:lambda:us-isob-east-1:123456789012:function:f",
		arn.Function{Partition: "aws-iso-b", Region: "us-isob-east-1", AccountID: "123456789012", Name: "f"}},
	{"iso-e partition", "arn:aws-iso-e:lambda:eu-isoe-west-1:123456789012:function:f",
		arn.Function{Partition: "aws-iso-e", Region: "eu-isoe-west-1", AccountID: "123456789012", Name: "f"}},
	{"iso-f partition", "arn:aws-iso-f:lambda:us-isof-south-1:123456789012:function:f",
		arn.Function{Partition: "aws-iso-f", Region: "us-isof-south-1", AccountID: "123456789012", Name: "f"}},
	{"eusc partition", "arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:f",
		arn.Function{Partition: "aws-eusc", Region: "eusc-de-east-1", AccountID: "123456789012", Name: "f"}},
	{"future region by pattern", "arn:aws:lambda:mx-central-9:123456789012:function:f",
		arn.Function{Partition: "aws", Region: "mx-central-9", AccountID: "123456789012", Name: "f"}},
	{"two-digit region number (SDK pattern, wider than Lambda's)", "arn:aws:lambda:ap-southeast-10:123456789012:function:f",
		arn.Function{Partition: "aws", Region: "ap-southeast-10", AccountID: "123456789012", Name: "f"}},
	{"name of 64 characters", "arn:aws:lambda:eu-west-1:123456789012:function:" + strings.Repeat("a", 64),
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: strings.Repeat("a", 64)}},
	{"name with dash underscore digits", "arn:aws:lambda:eu-west-1:123456789012:function:My_Func-2",
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "My_Func-2"}},
	{"all-digit name", "arn:aws:lambda:eu-west-1:123456789012:function:12345",
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "12345"}},
	{"alias of 128 characters", "arn:aws:lambda:eu-west-1:123456789012:function:f:" + strings.Repeat("b", 128),
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "f", Qualifier: strings.Repeat("b", 128)}},
	{"alias with digits and letters", "arn:aws:lambda:eu-west-1:123456789012:function:f:v2",
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "f", Qualifier: "v2"}},
	{"alias starting with digit", "arn:aws:lambda:eu-west-1:123456789012:function:f:1a",
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "f", Qualifier: "1a"}},
	{"alias with dash", "arn:aws:lambda:eu-west-1:123456789012:function:f:blue-green",
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "f", Qualifier: "blue-green"}},
	{"version of 128 digits", "arn:aws:lambda:eu-west-1:123456789012:function:f:" + strings.Repeat("9", 128),
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "f", Qualifier: strings.Repeat("9", 128)}},
	{"version zero-padded", "arn:aws:lambda:eu-west-1:123456789012:function:f:007",
		arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "f", Qualifier: "007"}},
	{"account of zeros", "arn:aws:lambda:il-central-1:000000000000:function:f",
		arn.Function{Partition: "aws", Region: "il-central-1", AccountID: "000000000000", Name: "f"}},
}

var invalidFunctions = []struct {
	name  string
	in    string
	field string
}{
	{"empty", "", "prefix"},
	{"no arn prefix", "aws:lambda:us-east-1:123456789012:function:f", "prefix"},
	{"uppercase prefix", "ARN:aws:lambda:us-east-1:123456789012:function:f", "prefix"},
	{"all sections empty", "arn:::::", "service"},
	{"missing partition", "arn::lambda:us-east-1:123456789012:function:f", "partition"},
	{"unknown partition", "arn:aws-moon:lambda:us-east-1:123456789012:function:f", "partition"},
	{"wrong service", "arn:aws:kms:us-east-1:123456789012:function:f", "service"},
	{"region of another partition", "arn:aws:lambda:cn-north-1:123456789012:function:f", "region"},
	{"govcloud region in aws", "arn:aws:lambda:us-gov-west-1:123456789012:function:f", "region"},
	{"empty region", "arn:aws:lambda::123456789012:function:f", "region"},
	{"region without number", "arn:aws:lambda:us-east:123456789012:function:f", "region"},
	{"pseudo region aws-global", "arn:aws:lambda:aws-global:123456789012:function:f", "region"},
	{"unknown region prefix", "arn:aws:lambda:xx-east-1:123456789012:function:f", "region"},
	{"five-digit account", "arn:aws:lambda:us-east-1:12345:function:f", "account"},
	{"13-digit account", "arn:aws:lambda:us-east-1:1234567890123:function:f", "account"},
	{"account with letters", "arn:aws:lambda:us-east-1:12345678901a:function:f", "account"},
	{"missing resource", "arn:aws:lambda:us-east-1:123456789012", "resource"},
	{"resource not function", "arn:aws:lambda:us-east-1:123456789012:layer:f", "resource"},
	{"function slash form", "arn:aws:lambda:us-east-1:123456789012:function/f", "resource"},
	{"empty name", "arn:aws:lambda:us-east-1:123456789012:function:", "name"},
	{"name of 65 characters", "arn:aws:lambda:us-east-1:123456789012:function:" + strings.Repeat("a", 65), "name"},
	{"name with dot", "arn:aws:lambda:us-east-1:123456789012:function:my.func", "name"},
	{"name with space", "arn:aws:lambda:us-east-1:123456789012:function:my func", "name"},
	{"empty qualifier", "arn:aws:lambda:us-east-1:123456789012:function:f:", "qualifier"},
	{"latest is case-sensitive", "arn:aws:lambda:us-east-1:123456789012:function:f:$latest", "qualifier"},
	{"alias of 129 characters", "arn:aws:lambda:us-east-1:123456789012:function:f:" + strings.Repeat("b", 129), "qualifier"},
	{"version of 129 digits", "arn:aws:lambda:us-east-1:123456789012:function:f:" + strings.Repeat("9", 129), "qualifier"},
	{"qualifier with colon", "arn:aws:lambda:us-east-1:123456789012:function:f:live:extra", "qualifier"},
	{"qualifier with dollar", "arn:aws:lambda:us-east-1:123456789012:function:f:$LIVE", "qualifier"},
	{"non-ASCII name", "arn:aws:lambda:us-east-1:123456789012:function:fünf", "name"},
}

func TestParseFunction(t *testing.T) {
	require.GreaterOrEqual(t, len(validFunctions), 20)
	for _, tc := range validFunctions {
		t.Run(tc.name, func(t *testing.T) {
			got, err := arn.ParseFunction(tc.in)
			require.NoError(t, err, "ParseFunction(%q)", tc.in)
			assert.Equal(t, tc.want, got, "ParseFunction(%q)", tc.in)
			assert.Equal(t, tc.in, got.String(), "ParseFunction(%q).String()", tc.in)
			assert.NoError(t, got.Validate())
		})
	}
}

func TestParseFunctionInvalid(t *testing.T) {
	require.GreaterOrEqual(t, len(invalidFunctions), 20)
	for _, tc := range invalidFunctions {
		t.Run(tc.name, func(t *testing.T) {
			got, err := arn.ParseFunction(tc.in)
			require.Error(t, err, "ParseFunction(%q) = %+v, want error", tc.in, got)
			assert.ErrorIs(t, err, arn.ErrInvalid)
			var pe *arn.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.field, pe.Field, "ParseFunction(%q) failed field: %v", tc.in, err)
			assert.Equal(t, arn.Function{}, got)
			assert.True(t, strings.HasPrefix(err.Error(), "arn: invalid function ARN: "), err.Error())
		})
	}
}

func TestFunctionStringDerivesPartition(t *testing.T) {
	tests := []struct{ region, want string }{
		{"us-east-1", "arn:aws:lambda:us-east-1:123456789012:function:f"},
		{"cn-north-1", "arn:aws-cn:lambda:cn-north-1:123456789012:function:f"},
		{"cn-northwest-1", "arn:aws-cn:lambda:cn-northwest-1:123456789012:function:f"},
		{"us-gov-west-1", "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f"},
		{"us-iso-east-1", "arn:aws-iso:lambda:us-iso-east-1:123456789012:function:f"},
		{"eusc-de-east-1", "arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:f"},
	}
	for _, tc := range tests {
		f := arn.Function{Region: tc.region, AccountID: "123456789012", Name: "f"}
		assert.Equal(t, tc.want, f.String(), "Function{Region: %q}.String()", tc.region)
		require.NoError(t, f.Validate())
		g, err := arn.ParseFunction(f.String())
		require.NoError(t, err)
		assert.Equal(t, f.Region, g.Region)
	}
}

func TestFunctionQualifiers(t *testing.T) {
	f := arn.Function{Region: "us-east-1", AccountID: "123456789012", Name: "orders"}
	tests := []struct {
		f                   arn.Function
		alias, version, err bool
	}{
		{f, false, false, false},
		{f.WithAlias("live"), true, false, false},
		{f.WithVersion("12"), false, true, false},
		{f.WithVersion(arn.Latest), false, true, false},
		{f.WithAlias("bad alias"), true, false, true},
		{f.WithAlias("live").Unqualified(), false, false, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.alias, tc.f.IsAlias(), "%v.IsAlias()", tc.f)
		assert.Equal(t, tc.version, tc.f.IsVersion(), "%v.IsVersion()", tc.f)
		assert.Equal(t, tc.err, tc.f.Validate() != nil, "%v.Validate() = %v", tc.f, tc.f.Validate())
	}
	assert.Equal(t, "", f.Qualifier, "With* must not modify the receiver")
}

func TestFunctionValidateZero(t *testing.T) {
	err := arn.Function{}.Validate()
	require.ErrorIs(t, err, arn.ErrInvalid)
}

func TestParseFunctionName(t *testing.T) {
	tests := []struct {
		in   string
		want arn.Function
	}{
		{"my-function", arn.Function{Name: "my-function"}},
		{"my-function:live", arn.Function{Name: "my-function", Qualifier: "live"}},
		{"my-function:$LATEST", arn.Function{Name: "my-function", Qualifier: "$LATEST"}},
		{"123456789012:function:my-function", arn.Function{AccountID: "123456789012", Name: "my-function"}},
		{"123456789012:function:my-function:3", arn.Function{AccountID: "123456789012", Name: "my-function", Qualifier: "3"}},
		{"arn:aws:lambda:us-west-2:123456789012:function:my-function:live",
			arn.Function{Partition: "aws", Region: "us-west-2", AccountID: "123456789012", Name: "my-function", Qualifier: "live"}},
	}
	for _, tc := range tests {
		got, err := arn.ParseFunctionName(tc.in)
		require.NoError(t, err, "ParseFunctionName(%q)", tc.in)
		assert.Equal(t, tc.want, got, "ParseFunctionName(%q)", tc.in)
		assert.Equal(t, tc.want.Region != "", got.HasARN())
	}
	bad := []string{"", ":live", "my-function:", "12345:function:f", "123456789012:function:", "my function",
		strings.Repeat("x", 65), "f:bad alias", "arn:aws:lambda:us-east-1:1:function:f"}
	for _, in := range bad {
		got, err := arn.ParseFunctionName(in)
		assert.ErrorIs(t, err, arn.ErrInvalid, "ParseFunctionName(%q) = %+v", in, got)
	}
}

func TestFunctionSDKConversion(t *testing.T) {
	for _, tc := range validFunctions {
		a, err := awsarn.Parse(tc.in)
		require.NoError(t, err)
		f, err := arn.FunctionFromARN(a)
		require.NoError(t, err, "FunctionFromARN(%v)", a)
		assert.Equal(t, tc.want, f)
		assert.Equal(t, a, f.ARN())
	}
	_, err := arn.FunctionFromARN(awsarn.ARN{Partition: "aws", Service: "s3", Resource: "bucket"})
	assert.ErrorIs(t, err, arn.ErrInvalid)
	_, err = arn.FunctionFromARN(awsarn.ARN{})
	assert.ErrorIs(t, err, arn.ErrInvalid)
}

func TestErrorMessage(t *testing.T) {
	_, err := arn.ParseFunction("arn:aws:lambda:us-east-1:12345:function:f")
	require.Error(t, err)
	assert.Equal(t, `arn: invalid function ARN: account "12345": must be exactly 12 digits`, err.Error())
	var pe *arn.Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "12345", pe.Value)
}

// Issue 19 item 14: the SDK's ARN fields are validated one by one, not
// reassembled and re-parsed (a colon in AccountID used to shift the fields).
func TestFunctionFromARNValidatesEachField(t *testing.T) {
	bad := []awsarn.ARN{
		{Partition: "aws", Service: "lambda", Region: "us-east-1", AccountID: "123456789012:function:evil", Resource: "live"},
		{Partition: "aws", Service: "lambda", Region: "us-east-1:123456789012", AccountID: "function", Resource: "evil"},
		{Partition: "aws:lambda:us-east-1", Service: "lambda", Region: "123456789012", AccountID: "function", Resource: "evil"},
		{Partition: "aws", Service: "lambda", Region: "us-east-1", AccountID: "123456789012", Resource: "function:f:live:x"},
		{Partition: "aws", Service: "lambda", Region: "us-east-1", AccountID: "123456789012", Resource: "function:f:"},
		{Partition: "aws", Service: "lambda", Region: "us-east-1", AccountID: "123456789012", Resource: "layer:f"},
		{Partition: "", Service: "lambda", Region: "us-east-1", AccountID: "123456789012", Resource: "function:f"},
	}
	for _, a := range bad {
		got, err := arn.FunctionFromARN(a)
		var e *arn.Error
		require.ErrorAs(t, err, &e, "FunctionFromARN(%#v) = %+v, want an *arn.Error", a, got)
		assert.ErrorIs(t, err, arn.ErrInvalid)
	}
}

func TestKeyFromARNValidatesEachField(t *testing.T) {
	const id = "1234abcd-12ab-34cd-56ef-1234567890ab"
	bad := []awsarn.ARN{
		{Partition: "aws", Service: "kms", Region: "us-east-1", AccountID: "111122223333:key", Resource: "/" + id},
		{Partition: "aws", Service: "kms", Region: "us-east-1:111122223333", AccountID: "alias", Resource: "/x"},
		{Partition: "aws", Service: "kms", Region: "us-east-1", AccountID: "111122223333", Resource: "alias/x:y"},
		{Partition: "aws", Service: "kms", Region: "us-east-1", AccountID: "111122223333", Resource: "key/"},
		{Partition: "", Service: "kms", Region: "us-east-1", AccountID: "111122223333", Resource: "key/" + id},
		{Partition: "aws", Service: "kms", Region: "us-east-1", AccountID: "111122223333", Resource: "secret/x"},
	}
	for _, a := range bad {
		got, err := arn.KeyFromARN(a)
		assert.ErrorIs(t, err, arn.ErrInvalid, "KeyFromARN(%#v) = %+v", a, got)
	}
	k, err := arn.KeyFromARN(awsarn.ARN{Partition: "aws", Service: "kms", Region: "us-east-1", AccountID: "111122223333", Resource: "key/" + id})
	require.NoError(t, err)
	assert.Equal(t, arn.Key{Partition: "aws", Region: "us-east-1", AccountID: "111122223333", ID: id}, k)
}

// Issue 19 item 15: Lambda's FunctionName pattern (API reference, Invoke)
// reads "arn:live" as the function "arn" with the alias "live", and
// "function:my-function" as the function "my-function".
func TestParseFunctionNameFollowsLambdaPattern(t *testing.T) {
	tests := []struct {
		in   string
		want arn.Function
	}{
		{"arn:live", arn.Function{Name: "arn", Qualifier: "live"}},
		{"arn", arn.Function{Name: "arn"}},
		{"function:my-function", arn.Function{Name: "my-function"}},
		{"function:my-function:live", arn.Function{Name: "my-function", Qualifier: "live"}},
		{"function", arn.Function{Name: "function"}},
		{"function:$LATEST", arn.Function{Name: "function", Qualifier: "$LATEST"}},
		{"123456789012:live", arn.Function{AccountID: "123456789012", Name: "live"}},
		{"123456789012:my-function:7", arn.Function{AccountID: "123456789012", Name: "my-function", Qualifier: "7"}},
		{"us-west-2:123456789012:function:my-function", arn.Function{Region: "us-west-2", AccountID: "123456789012", Name: "my-function"}},
		{"us-gov-west-1:123456789012:function:f:live", arn.Function{Region: "us-gov-west-1", AccountID: "123456789012", Name: "f", Qualifier: "live"}},
		{"us-isob-east-1:function:f", arn.Function{Region: "us-isob-east-1", Name: "f"}},
		{"us-west-2:live", arn.Function{Region: "us-west-2", Name: "live"}}, // the region group first, as the pattern reads it
		{"us-iso-east-1:f", arn.Function{Region: "us-iso-east-1", Name: "f"}},
		{"us-isof-south-1:f", arn.Function{Region: "us-isof-south-1", Name: "f"}},
		{"us-west-0:f", arn.Function{Region: "us-west-0", Name: "f"}},
		{"us-west-9:f", arn.Function{Region: "us-west-9", Name: "f"}},
		{"sa-zeta-1:f", arn.Function{Region: "sa-zeta-1", Name: "f"}},
		{"ap-aaa-1:f", arn.Function{Region: "ap-aaa-1", Name: "f"}},
		{"us-west-10:f", arn.Function{Name: "us-west-10", Qualifier: "f"}}, // one digit in Lambda's pattern: a name
		{"us-West-1:f", arn.Function{Name: "us-West-1", Qualifier: "f"}},
		{"us-west-:f", arn.Function{Name: "us-west-", Qualifier: "f"}},
		{"us--1:f", arn.Function{Name: "us--1", Qualifier: "f"}},
		{"uS-west-1:f", arn.Function{Name: "uS-west-1", Qualifier: "f"}},
		{"Us-west-1:f", arn.Function{Name: "Us-west-1", Qualifier: "f"}},
		{"us-isoZ-east-1:f", arn.Function{Name: "us-isoZ-east-1", Qualifier: "f"}},
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
			arn.Function{Partition: "aws-cn", Region: "cn-north-1", AccountID: "123456789012", Name: "f"}},
	}
	for _, tc := range tests {
		got, err := arn.ParseFunctionName(tc.in)
		require.NoError(t, err, "ParseFunctionName(%q)", tc.in)
		assert.Equal(t, tc.want, got, "ParseFunctionName(%q)", tc.in)
		assert.True(t, lambdaFunctionName.MatchString(tc.in), "%q does not match Lambda's pattern", tc.in)
	}
	for _, in := range []string{
		"arn:aws:lambda:us-east-1:123456789012:function:f:",
		"arn::lambda:us-east-1:123456789012:function:f", // a full ARN without partition
		"arn:aws:lambda",       // name "arn", qualifier "aws:lambda"
		"zz-east-1:function:f", // Lambda's region shape, but in no partition
		"za-east-1:f",
		"az-east-1:f",
		"us-isoa-east-1:f", // Lambda's iso shape; the SDK has no such partition
		"function:",
		"my.function", // "." is in Invoke's pattern but CreateFunction never makes such a name
	} {
		got, err := arn.ParseFunctionName(in)
		assert.ErrorIs(t, err, arn.ErrInvalid, "ParseFunctionName(%q) = %+v", in, got)
	}
}

// lambdaFunctionName is the FunctionName pattern of the Lambda API reference
// (Invoke), anchored, with "." dropped from the name as CreateFunction's
// pattern has it; with the current reference's "(eusc-)?" regions and
// "$LATEST(\.PUBLISHED)?" qualifier.
var lambdaFunctionName = regexp.MustCompile(`^(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$`)

// What counts as a full ARN in ParseFunctionName is exactly the pattern's
// "arn:(aws[a-zA-Z-]*)?:lambda:": such inputs fail on the ARN's own fields,
// anything else is read as a name.
func TestParseFunctionNameARNPrefix(t *testing.T) {
	for _, tc := range []struct{ in, field string }{
		{"arn::lambda:us-east-1:123456789012:function:f", "partition"},
		{"arn:awsa:lambda:us-east-1:123456789012:function:f", "partition"},
		{"arn:awsz:lambda:us-east-1:123456789012:function:f", "partition"},
		{"arn:awsA:lambda:us-east-1:123456789012:function:f", "partition"},
		{"arn:awsZ:lambda:us-east-1:123456789012:function:f", "partition"},
		{"arn:aws-x:lambda:us-east-1:123456789012:function:f", "partition"},
		{"arn:aws:lambda:us-east-1:12:function:f", "account"},
		{"arn:aws_x:lambda:us-east-1:123456789012:function:f", "qualifier"}, // "_" is not in the pattern: the name "arn"
		{"arn:aws0:lambda:us-east-1:123456789012:function:f", "qualifier"},
		{"arn:aws`:lambda:us-east-1:123456789012:function:f", "qualifier"},
		{"arn:aws{:lambda:us-east-1:123456789012:function:f", "qualifier"},
		{"arn:aws@:lambda:us-east-1:123456789012:function:f", "qualifier"},
		{"arn:aws[:lambda:us-east-1:123456789012:function:f", "qualifier"},
		{"arn:x:lambda:us-east-1:123456789012:function:f", "qualifier"},
		{"arn:aws:lambd:us-east-1:123456789012:function:f", "qualifier"},
	} {
		_, err := arn.ParseFunctionName(tc.in)
		var e *arn.Error
		require.ErrorAs(t, err, &e, "ParseFunctionName(%q)", tc.in)
		assert.Equal(t, tc.field, e.Field, "ParseFunctionName(%q): %v", tc.in, err)
	}
}
