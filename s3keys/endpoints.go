package s3keys

import "github.com/awskit/awskit/arn"

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
// the SDK resolves it). Website endpoints serve HTTP only. It does not
// validate bucket or region: both are copied into the URL as given, so check
// input from outside first (a "/", "?" or "#" in either changes the host).
func WebsiteEndpoint(bucket, region string) string {
	sep := "."
	if dashWebsiteRegions[region] {
		sep = "-"
	}
	return "http://" + bucket + ".s3-website" + sep + region + "." + dnsSuffix(region)
}

// AccessPointHost returns the hostname of an S3 access point:
// NAME-ACCOUNT.s3-accesspoint.REGION.SUFFIX, with the DNS suffix of the
// region's partition as for WebsiteEndpoint (amazonaws.com, amazonaws.com.cn,
// ...). The SDK's S3 endpoint resolver gives the same host for an access
// point ARN (TestAccessPointHostAgreesWithSDK). It does not validate its
// arguments: they are copied into the host as given.
func AccessPointHost(name, accountID, region string) string {
	return name + "-" + accountID + ".s3-accesspoint." + region + "." + dnsSuffix(region)
}
