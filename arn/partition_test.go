package arn_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/arn"
)

// sdkPartitions are the regionRegex values of aws-sdk-go-v2 v1.48.0
// (internal/endpoints/awsrulesfn/partitions.json): the oracle for PartitionOf.
var sdkPartitions = []struct{ id, regex string }{
	{"aws", `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`},
	{"aws-cn", `^cn\-\w+\-\d+$`},
	{"aws-eusc", `^eusc\-(de)\-\w+\-\d+$`},
	{"aws-iso", `^us\-iso\-\w+\-\d+$`},
	{"aws-iso-b", `^us\-isob\-\w+\-\d+$`},
	{"aws-iso-e", `^eu\-isoe\-\w+\-\d+$`},
	{"aws-iso-f", `^us\-isof\-\w+\-\d+$`},
	{"aws-us-gov", `^us\-gov\-\w+\-\d+$`},
}

var sdkRegexps = func() []*regexp.Regexp {
	rs := make([]*regexp.Regexp, len(sdkPartitions))
	for i, p := range sdkPartitions {
		rs[i] = regexp.MustCompile(p.regex)
	}
	return rs
}()

// sdkPartitionOf is the SDK's pattern match: the first partition whose
// regionRegex matches.
func sdkPartitionOf(region string) (string, bool) {
	for i, re := range sdkRegexps {
		if re.MatchString(region) {
			return sdkPartitions[i].id, true
		}
	}
	return "", false
}

var regionCases = []string{
	"us-east-1", "us-west-2", "eu-central-2", "ap-southeast-7", "sa-east-1", "ca-west-1", "me-central-1",
	"af-south-1", "il-central-1", "mx-central-1", "cn-north-1", "cn-northwest-1", "eusc-de-east-1",
	"us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "us-gov-west-1",
	"aws-global", "aws-cn-global", "", "-", "us", "us-", "us-east", "us-east-", "us--1", "-east-1",
	"US-EAST-1", "us-EAST-1", "us-ea_st-1", "us-east-1a", "xx-east-1", "eusc-fr-east-1", "eu-iso-west-1",
	"us-isoc-east-1", "us-gov-west-1-1", "cn-north-01", "us-east-١",
	// Each side of every character-class boundary, in the name and the number.
	"us-east0-1", "us-east9-1", "us-easta-1", "us-eastz-1", "us-eastA-1", "us-eastZ-1", "us-east_-1",
	"us-east/-1", "us-east:-1", "us-east@-1", "us-east[-1", "us-east`-1", "us-east{-1", "us-ea.st-1", "us-east^-1",
	"us-east-/", "us-east-:", "us-east-0", "us-east-9", "-1", "-east-1", "us--east-1",
}

func TestPartitionOfAgreesWithSDKPatterns(t *testing.T) {
	for _, r := range regionCases {
		got, gotOK := arn.PartitionOf(r)
		want, wantOK := sdkPartitionOf(r)
		assert.Equal(t, want, got, "PartitionOf(%q)", r)
		assert.Equal(t, wantOK, gotOK, "PartitionOf(%q) ok", r)
	}
}

func FuzzPartitionOf(f *testing.F) {
	for _, r := range regionCases {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, region string) {
		got, gotOK := arn.PartitionOf(region)
		want, wantOK := sdkPartitionOf(region)
		if got != want || gotOK != wantOK {
			t.Fatalf("PartitionOf(%q) = %q, %v; SDK patterns give %q, %v", region, got, gotOK, want, wantOK)
		}
	})
}

// DNSSuffix agrees with the SDK's own S3 endpoint resolver (which reads the
// SDK's partitions table) for a region of every partition.
func TestDNSSuffixAgreesWithSDKResolver(t *testing.T) {
	r := s3.NewDefaultEndpointResolverV2()
	for _, region := range []string{"us-east-1", "cn-north-1", "eusc-de-east-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "us-gov-west-1"} {
		p, ok := arn.PartitionOf(region)
		require.True(t, ok, region)
		suffix, ok := arn.DNSSuffix(p)
		require.True(t, ok, p)
		ep, err := r.ResolveEndpoint(context.Background(), s3.EndpointParameters{Region: aws.String(region)})
		require.NoError(t, err, region)
		assert.Equal(t, "s3."+region+"."+suffix, ep.URI.Host, "DNSSuffix(%q) for %s", p, region)
	}
	for _, p := range []string{"", "aws-moon", "AWS", "aws-iso-g"} {
		got, ok := arn.DNSSuffix(p)
		assert.False(t, ok, "DNSSuffix(%q) = %q", p, got)
	}
}
