package arn_test

import (
	"regexp"
	"testing"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/arn"
)

// lambdaFunctionNameNow is the FunctionName pattern of the current Lambda API
// reference (Invoke; the FunctionArn pattern of the same reference has the
// same region and qualifier parts): eusc- regions and the $LATEST.PUBLISHED
// qualifier of Lambda Managed Instances, which Lambda itself returns in
// FunctionArn ("arn:aws:lambda:us-east-2:123456789012:function:my-function:$LATEST.PUBLISHED",
// Lambda developer guide, "$LATEST.PUBLISHED version in Lambda Managed
// Instances"). Anchored, named groups, "." dropped from the name as
// CreateFunction's pattern has it.
var lambdaFunctionNameNow = regexp.MustCompile(`^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:(?P<aregion>(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\d{1}):(?P<aaccount>\d{12}):|(?:(?P<region>(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\d{1}):)?(?:(?P<account>\d{12}):)?)(?:function:)?(?P<name>[a-zA-Z0-9-_]+)(?::(?P<qual>\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$`)

// ParseFunctionName against Lambda's current pattern, read by Go's regexp
// (leftmost-first, as the doc says the reading is), over every join of up to
// four parts from a list of look-alike pieces: wherever the pattern matches
// an input that is not a full ARN, ParseFunctionName reads the same region,
// account, name and qualifier, or rejects it for one of the documented
// reasons (a region of no partition, a name over 64 or a qualifier over 128
// characters); where the pattern does not match, it fails.
func TestParseFunctionNameReadsAsThePattern(t *testing.T) {
	parts := []string{
		"us-gov-west-1", "us-isob-east-1", "eusc-de-east-1", "ab-cd-1", "us-east-10",
		"123456789012", "function", "arn", "lambda", "f", "7", "$LATEST", "$LATEST.PUBLISHED", "", "a.b",
	}
	var inputs []string
	var build func(prefix string, depth int)
	build = func(prefix string, depth int) {
		if depth > 0 {
			inputs = append(inputs, prefix)
		}
		if depth == 4 {
			return
		}
		for _, p := range parts {
			s := p
			if depth > 0 {
				s = prefix + ":" + p
			}
			build(s, depth+1)
		}
	}
	build("", 0)
	t.Logf("%d inputs", len(inputs))
	group := func(m []string, name string) string { return m[lambdaFunctionNameNow.SubexpIndex(name)] }
	for _, s := range inputs {
		got, err := arn.ParseFunctionName(s)
		m := lambdaFunctionNameNow.FindStringSubmatch(s)
		if m == nil {
			if err == nil {
				t.Fatalf("ParseFunctionName(%q) = %+v; Lambda's pattern rejects it", s, got)
			}
			continue
		}
		if group(m, "aregion") != "" { // a full ARN: ParseFunction's business
			continue
		}
		want := arn.Function{Region: group(m, "region"), AccountID: group(m, "account"), Name: group(m, "name"), Qualifier: group(m, "qual")}
		if err != nil {
			var e *arn.Error
			if !asError(err, &e) {
				t.Fatalf("ParseFunctionName(%q): %v is not an *arn.Error", s, err)
			}
			_, inPartition := arn.PartitionOf(want.Region)
			documented := want.Region != "" && !inPartition ||
				len(want.Name) > arn.MaxFunctionNameLen || len(want.Qualifier) > arn.MaxFunctionAliasLen
			if !documented {
				t.Fatalf("ParseFunctionName(%q) = %v; the pattern reads %#v", s, err, want)
			}
			continue
		}
		if got != want {
			t.Fatalf("ParseFunctionName(%q) = %#v; the pattern reads %#v", s, got, want)
		}
	}
}

// Lambda Managed Instances add the qualifier "$LATEST.PUBLISHED", a version
// (not an alias) that Lambda returns in FunctionArn; the ARN Lambda returns
// must parse, and print back unchanged.
func TestLatestPublishedQualifier(t *testing.T) {
	const s = "arn:aws:lambda:us-east-2:123456789012:function:my-function:$LATEST.PUBLISHED"
	f, err := arn.ParseFunction(s)
	require.NoError(t, err)
	assert.Equal(t, arn.Function{Partition: "aws", Region: "us-east-2", AccountID: "123456789012", Name: "my-function", Qualifier: arn.LatestPublished}, f)
	assert.Equal(t, s, f.String())
	assert.True(t, f.IsVersion())
	assert.False(t, f.IsAlias())
	g, err := arn.ParseFunctionName(s)
	require.NoError(t, err)
	assert.Equal(t, f, g)
	a, err := awsarn.Parse(s)
	require.NoError(t, err)
	h, err := arn.FunctionFromARN(a)
	require.NoError(t, err)
	assert.Equal(t, f, h)
	n, err := arn.ParseFunctionName("my-function:$LATEST.PUBLISHED")
	require.NoError(t, err)
	assert.Equal(t, arn.Function{Name: "my-function", Qualifier: "$LATEST.PUBLISHED"}, n)
	require.NoError(t, f.Unqualified().WithVersion(arn.LatestPublished).Validate())
	for _, q := range []string{"$LATEST.published", "$latest.PUBLISHED", "$LATEST.", "$LATEST.PUBLISHEDX", "$LATEST.PUBLISHED.", "$PUBLISHED"} {
		_, err := arn.ParseFunction("arn:aws:lambda:us-east-2:123456789012:function:f:" + q)
		assert.ErrorIs(t, err, arn.ErrInvalid, "qualifier %q", q)
	}
}

// The current pattern's regions take an optional "eusc-" (the aws-eusc
// partition, whose regions the SDK's table writes eusc-de-*): a partial ARN
// in such a region is read as one.
func TestParseFunctionNameEUSCRegion(t *testing.T) {
	f, err := arn.ParseFunctionName("eusc-de-east-1:123456789012:function:f:live")
	require.NoError(t, err)
	assert.Equal(t, arn.Function{Region: "eusc-de-east-1", AccountID: "123456789012", Name: "f", Qualifier: "live"}, f)
	require.NoError(t, arn.Function{Partition: "aws-eusc", Region: "eusc-de-east-1", AccountID: "123456789012", Name: "f"}.Validate())
}

func asError(err error, target **arn.Error) bool {
	e, ok := err.(*arn.Error)
	if ok {
		*target = e
	}
	return ok
}

// Whatever FunctionFromARN or KeyFromARN accepts prints as an ARN that reads
// back as the same fields, by the SDK and by ParseFunction/ParseKey: no field
// can smuggle a ":" (or anything else) that moves the boundaries.
func TestFromARNAcceptsOnlyWhatReadsBack(t *testing.T) {
	const id = "1234abcd-12ab-34cd-56ef-1234567890ab"
	partitions := []string{"aws", "aws-cn", "aws:lambda", "aws:kms", ""}
	regions := []string{"us-east-1", "cn-north-1", "us-east-1:123456789012", ""}
	accounts := []string{"123456789012", "123456789012:function", "123456789012:key", "function", ""}
	resources := []string{"function:f", "function:f:live", "function:f:live:x", "f", "live", "function:f/x",
		"key/" + id, "key/" + id + ":x", "alias/x", "alias/x:y", "/" + id, "function", "function:", "alias/"}
	accepted := 0
	for _, p := range partitions {
		for _, r := range regions {
			for _, acct := range accounts {
				for _, res := range resources {
					for _, svc := range []string{"lambda", "kms"} {
						a := awsarn.ARN{Partition: p, Service: svc, Region: r, AccountID: acct, Resource: res}
						back, err := awsarn.Parse(a.String())
						if f, ferr := arn.FunctionFromARN(a); ferr == nil {
							accepted++
							require.NoError(t, err)
							require.Equal(t, a, back, "FunctionFromARN(%#v) accepted what reads back otherwise", a)
							g, err := arn.ParseFunction(a.String())
							require.NoError(t, err)
							require.Equal(t, f, g)
						}
						if k, kerr := arn.KeyFromARN(a); kerr == nil {
							accepted++
							require.NoError(t, err)
							require.Equal(t, a, back, "KeyFromARN(%#v) accepted what reads back otherwise", a)
							g, err := arn.ParseKey(a.String())
							require.NoError(t, err)
							require.Equal(t, k, g)
						}
					}
				}
			}
		}
	}
	assert.Equal(t, 8, accepted, "valid combinations: 2 partitions x (2 functions + 2 keys)")
}
