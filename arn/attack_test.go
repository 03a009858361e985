package arn_test

import (
	"strings"
	"testing"

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
