package arn_test

import (
	"strings"
	"testing"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awskit/awskit/arn"
)

func FuzzParseFunction(f *testing.F) {
	for _, tc := range validFunctions {
		f.Add(tc.in)
	}
	for _, tc := range invalidFunctions {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := arn.ParseFunction(s)
		if err != nil {
			return
		}
		// Round trip, both ways.
		if got := fn.String(); got != s {
			t.Fatalf("ParseFunction(%q).String() = %q", s, got)
		}
		if again, err := arn.ParseFunction(fn.String()); err != nil || again != fn {
			t.Fatalf("ParseFunction(%q) = %+v, %v; want %+v", fn.String(), again, err, fn)
		}
		if err := fn.Validate(); err != nil {
			t.Fatalf("ParseFunction(%q) accepted what Validate rejects: %v", s, err)
		}
		// Differential: the SDK's parser agrees on the five sections.
		a, err := awsarn.Parse(s)
		if err != nil {
			t.Fatalf("ParseFunction(%q) accepted what aws/arn.Parse rejects: %v", s, err)
		}
		want := "function:" + fn.Name
		if fn.Qualifier != "" {
			want += ":" + fn.Qualifier
		}
		if a.Partition != fn.Partition || a.Service != "lambda" || a.Region != fn.Region || a.AccountID != fn.AccountID || a.Resource != want {
			t.Fatalf("sections of %q: aws/arn.Parse %+v, ours %+v", s, a, fn)
		}
		if name, err := arn.ParseFunctionName(s); err != nil || name != fn {
			t.Fatalf("ParseFunctionName(%q) = %+v, %v; want %+v", s, name, err, fn)
		}
	})
}

func FuzzParseFunctionName(f *testing.F) {
	for _, s := range []string{"f", "f:live", "123456789012:function:f:7", "arn:aws:lambda:us-east-1:123456789012:function:f", ":", "a:b:c", "arn:live", "function:my-function", "us-west-2:123456789012:function:f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := arn.ParseFunctionName(s)
		if err != nil {
			return
		}
		// What parses matches Lambda's published pattern, except that a full
		// ARN's region follows the SDK's wider patterns (partition.go; the
		// kept crasher "us-0-0" is such a region).
		if !lambdaFunctionName.MatchString(s) && !strings.HasPrefix(s, "arn:") {
			t.Fatalf("ParseFunctionName(%q) = %+v, but Lambda's pattern rejects it", s, fn)
		}
		// What parses names a function with a valid name and qualifier.
		if fn.Name == "" || len(fn.Name) > arn.MaxFunctionNameLen {
			t.Fatalf("ParseFunctionName(%q) = %+v", s, fn)
		}
		if fn.HasARN() {
			if err := fn.Validate(); err != nil {
				t.Fatalf("ParseFunctionName(%q) = %+v, invalid: %v", s, fn, err)
			}
		}
	})
}

func FuzzParseKey(f *testing.F) {
	for _, tc := range validKeys {
		f.Add(tc.in)
	}
	for _, tc := range invalidKeys {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := arn.ParseKey(s)
		if err != nil {
			return
		}
		if got := k.String(); got != s {
			t.Fatalf("ParseKey(%q).String() = %q", s, got)
		}
		if again, err := arn.ParseKey(k.String()); err != nil || again != k {
			t.Fatalf("ParseKey(%q) = %+v, %v; want %+v", k.String(), again, err, k)
		}
		if (k.ID == "") == (k.Alias == "") {
			t.Fatalf("ParseKey(%q) = %+v: exactly one of ID and Alias must be set", s, k)
		}
		a, err := awsarn.Parse(s)
		if err != nil {
			t.Fatalf("ParseKey(%q) accepted what aws/arn.Parse rejects: %v", s, err)
		}
		res := k.Alias
		if res == "" {
			res = "key/" + k.ID
		}
		if a.Partition != k.Partition || a.Service != "kms" || a.Region != k.Region || a.AccountID != k.AccountID || a.Resource != res {
			t.Fatalf("sections of %q: aws/arn.Parse %+v, ours %+v", s, a, k)
		}
	})
}
