package arn_test

import (
	"testing"

	"github.com/awskit/awskit/arn"
)

// The README and BENCHMARKS.md promise that parsing allocates nothing: the
// fields are substrings of the input.
func TestParseAllocatesNothing(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation changes allocation counts")
	}
	inputs := []struct {
		name  string
		parse func() error
	}{
		{"ParseFunction", func() error {
			_, err := arn.ParseFunction("arn:aws:lambda:us-west-2:123456789012:function:orders:live")
			return err
		}},
		{"ParseFunctionName", func() error {
			_, err := arn.ParseFunctionName("123456789012:function:orders:7")
			return err
		}},
		{"ParseKey", func() error {
			_, err := arn.ParseKey("arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
			return err
		}},
		{"ParseKey alias", func() error {
			_, err := arn.ParseKey("arn:aws-cn:kms:cn-north-1:111122223333:alias/orders")
			return err
		}},
	}
	for _, in := range inputs {
		if err := in.parse(); err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		if n := testing.AllocsPerRun(100, func() { _ = in.parse() }); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", in.name, n)
		}
	}
}

// BENCHMARKS.md: String allocates once, for the result (its size is
// computed exactly).
func TestStringAllocatesOnce(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation changes allocation counts")
	}
	f := arn.Function{Region: "eu-west-1", AccountID: "123456789012", Name: "orders", Qualifier: "live"}
	k := arn.Key{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", ID: "1234abcd-12ab-34cd-56ef-1234567890ab"}
	a := arn.Key{Region: "cn-north-1", AccountID: "123456789012", Alias: "alias/orders"}
	for name, str := range map[string]func() string{
		"Function.String": f.String, "Function.String unqualified": f.Unqualified().String,
		"Key.String": k.String, "Key.String alias": a.String,
	} {
		if n := testing.AllocsPerRun(100, func() { _ = str() }); n != 1 {
			t.Errorf("%s: %v allocations, want 1", name, n)
		}
	}
}
