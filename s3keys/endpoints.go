package s3keys

import (
	"fmt"
	"net"
	"strings"

	"github.com/awskit/awskit/arn"
)

// dashWebsiteRegions use "s3-website-REGION"; every other region uses
// "s3-website.REGION" (S3 User Guide, "Website endpoints").
var dashWebsiteRegions = map[string]bool{
	"us-east-1": true, "us-west-1": true, "us-west-2": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-northeast-1": true,
	"eu-west-1": true, "sa-east-1": true, "us-gov-west-1": true,
}

// dnsSuffix returns the DNS suffix of the region's partition, from arn's
// partition table (the SDK's). A region that matches no partition gets the
// "aws" partition's, as the SDK's endpoint resolver does.
func dnsSuffix(region string) string {
	p, ok := arn.PartitionOf(region)
	if !ok {
		p = "aws"
	}
	suffix, _ := arn.DNSSuffix(p)
	return suffix
}

// WebsiteEndpoint returns the static website endpoint of a bucket:
// http://BUCKET.s3-website-REGION.amazonaws.com in the regions that use a
// dash (us-east-1, us-west-1, us-west-2, ap-southeast-1, ap-southeast-2,
// ap-northeast-1, eu-west-1, sa-east-1, us-gov-west-1), and
// http://BUCKET.s3-website.REGION.amazonaws.com elsewhere. The DNS suffix is
// the region's partition's (arn.DNSSuffix: amazonaws.com.cn in China,
// c2s.ic.gov in aws-iso, ...; amazonaws.com for a region in no partition, as
// the SDK resolves it). Website endpoints serve HTTP only.
//
// The bucket must follow S3's general purpose bucket naming rules (3 to 63
// lowercase letters, digits, dots and hyphens, starting and ending with a
// letter or digit, no "..", not an IPv4 address) and the region must be a
// DNS label sequence (lowercase letters, digits, single hyphens); anything
// else is an error matching [ErrInvalidArgument], so input from outside can
// never change the URL's host.
func WebsiteEndpoint(bucket, region string) (string, error) {
	if err := checkBucket(bucket); err != nil {
		return "", err
	}
	if err := checkRegion(region); err != nil {
		return "", err
	}
	sep := "."
	if dashWebsiteRegions[region] {
		sep = "-"
	}
	return "http://" + bucket + ".s3-website" + sep + region + "." + dnsSuffix(region), nil
}

// AccessPointHost returns the hostname of an S3 access point:
// NAME-ACCOUNT.s3-accesspoint.REGION.SUFFIX, with the DNS suffix of the
// region's partition as for WebsiteEndpoint (amazonaws.com, amazonaws.com.cn,
// ...). The SDK's S3 endpoint resolver gives the same host for an access
// point ARN (TestAccessPointHostAgreesWithSDK).
//
// The name must follow S3's access point naming rules (3 to 50 lowercase
// letters, digits and hyphens, starting with a letter or digit, not ending
// with a hyphen), the account ID must be 12 digits and the region a DNS
// label sequence as for WebsiteEndpoint; anything else is an error matching
// [ErrInvalidArgument].
func AccessPointHost(name, accountID, region string) (string, error) {
	if err := checkAccessPoint(name); err != nil {
		return "", err
	}
	if len(accountID) != 12 || strings.Trim(accountID, "0123456789") != "" {
		return "", fmt.Errorf("%w: account ID must be 12 digits", ErrInvalidArgument)
	}
	if err := checkRegion(region); err != nil {
		return "", err
	}
	return name + "-" + accountID + ".s3-accesspoint." + region + "." + dnsSuffix(region), nil
}

// checkBucket applies S3's general purpose bucket naming rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)
// that decide whether the name is one DNS-safe host prefix.
func checkBucket(b string) error {
	if len(b) < 3 || len(b) > 63 {
		return fmt.Errorf("%w: bucket name must be 3 to 63 bytes, is %d", ErrInvalidArgument, len(b))
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return fmt.Errorf("%w: bucket name has a byte other than a-z, 0-9, '.', '-' at %d", ErrInvalidArgument, i)
		}
	}
	if !alnum(b[0]) || !alnum(b[len(b)-1]) {
		return fmt.Errorf("%w: bucket name must start and end with a letter or digit", ErrInvalidArgument)
	}
	if strings.Contains(b, "..") {
		return fmt.Errorf("%w: bucket name has two adjacent periods", ErrInvalidArgument)
	}
	if ip := net.ParseIP(b); ip != nil && ip.To4() != nil {
		return fmt.Errorf("%w: bucket name is formatted as an IP address", ErrInvalidArgument)
	}
	return nil
}

// checkAccessPoint applies S3's access point naming rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-restrictions-limitations-naming-rules.html).
func checkAccessPoint(n string) error {
	if len(n) < 3 || len(n) > 50 {
		return fmt.Errorf("%w: access point name must be 3 to 50 bytes, is %d", ErrInvalidArgument, len(n))
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(alnum(c) || c == '-') {
			return fmt.Errorf("%w: access point name has a byte other than a-z, 0-9, '-' at %d", ErrInvalidArgument, i)
		}
	}
	if !alnum(n[0]) || n[len(n)-1] == '-' {
		return fmt.Errorf("%w: access point name must start with a letter or digit and not end with '-'", ErrInvalidArgument)
	}
	return nil
}

// checkRegion accepts what can stand as DNS labels in a host: lowercase
// letters and digits in groups joined by single hyphens, at most 63 bytes
// (every AWS region name has this shape).
func checkRegion(r string) error {
	if len(r) == 0 || len(r) > 63 || r[0] == '-' || r[len(r)-1] == '-' || strings.Contains(r, "--") {
		return fmt.Errorf("%w: region %q is not a region name", ErrInvalidArgument, r)
	}
	for i := 0; i < len(r); i++ {
		if !(alnum(r[i]) || r[i] == '-') {
			return fmt.Errorf("%w: region has a byte other than a-z, 0-9, '-' at %d", ErrInvalidArgument, i)
		}
	}
	return nil
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
