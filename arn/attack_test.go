package arn_test

import (
	"strings"
	"testing"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/arn"
)

// ParseFunctionName against Lambda's pattern, read by Go's regexp
// (leftmost-first, as the doc says the reading is), over every join of up to
// four parts from a list of look-alike pieces: wherever the pattern matches
// an input that is not a full ARN, ParseFunctionName reads the same region,
// account, name and qualifier, or rejects it for one of the documented
// reasons (a region of no partition, a name over 64 or a qualifier over 128
// characters); where the pattern does not match, it fails.
func TestParseFunctionNameReadsAsThePattern(t *testing.T) {
	parts := []string{
		"us-gov-west-1", "us-isob-east-1", "ab-cd-1", "us-east-10",
		"123456789012", "function", "arn", "lambda", "f", "7", "$LATEST", "", "a.b",
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
	for _, s := range inputs {
		got, err := arn.ParseFunctionName(s)
		m := lambdaFunctionName.FindStringSubmatch(s)
		if m == nil {
			if err == nil {
				t.Fatalf("ParseFunctionName(%q) = %+v; Lambda's pattern rejects it", s, got)
			}
			continue
		}
		if m[1] != "" { // a full ARN: ParseFunction's business
			continue
		}
		want := arn.Function{
			Region:    strings.TrimSuffix(m[3], ":"),
			AccountID: strings.TrimSuffix(m[8], ":"),
			Name:      m[10],
			Qualifier: m[12],
		}
		if err != nil {
			var e *arn.Error
			if !asError(err, &e) {
				t.Fatalf("ParseFunctionName(%q): %v is not an *arn.Error", s, err)
			}
			_, inPartition := arn.PartitionOf(want.Region)
			documented := want.Region != "" && !inPartition ||
				len(want.Name) > arn.MaxFunctionNameLen || len(want.Qualifier) > arn.MaxFunctionAliasLen
			if !documented {
				t.Fatalf("ParseFunctionName(%q) = %v; the pattern reads %+v", s, err, want)
			}
			continue
		}
		if got != want {
			t.Fatalf("ParseFunctionName(%q) = %+v; the pattern reads %+v", s, got, want)
		}
	}
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
