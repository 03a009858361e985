package arn_test

import (
	"strings"
	"testing"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awskit/awskit/arn"
)

const benchARN = "arn:aws:lambda:us-west-2:123456789012:function:my-function:live"

var (
	sinkFunction arn.Function
	sinkString   string
	sinkParts    []string
)

// BenchmarkParseFunction/awskit validates every field; the peer is what a user
// would otherwise write: aws/arn.Parse, then strings.Split of the resource, no
// validation beyond the section count.
func BenchmarkParseFunction(b *testing.B) {
	b.Run("awskit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := arn.ParseFunction(benchARN)
			if err != nil {
				b.Fatal(err)
			}
			sinkFunction = f
		}
	})
	b.Run("sdk-arn.Parse+strings.Split", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a, err := awsarn.Parse(benchARN)
			if err != nil {
				b.Fatal(err)
			}
			sinkParts = strings.Split(a.Resource, ":")
		}
	})
}

func BenchmarkFunctionString(b *testing.B) {
	f := arn.Function{Partition: "aws", Region: "us-west-2", AccountID: "123456789012", Name: "my-function", Qualifier: "live"}
	b.Run("awskit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkString = f.String()
		}
	})
	b.Run("sdk-arn.ARN.String", func(b *testing.B) {
		a := awsarn.ARN{Partition: "aws", Service: "lambda", Region: "us-west-2", AccountID: "123456789012", Resource: "function:my-function:live"}
		b.ReportAllocs()
		for b.Loop() {
			sinkString = a.String()
		}
	})
}

func BenchmarkParseKey(b *testing.B) {
	const s = "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	b.ReportAllocs()
	for b.Loop() {
		k, err := arn.ParseKey(s)
		if err != nil {
			b.Fatal(err)
		}
		sinkString = k.ID
	}
}
