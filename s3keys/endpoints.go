package s3keys

// dashWebsiteRegions use "s3-website-REGION"; every other region uses
// "s3-website.REGION" (S3 User Guide, "Website endpoints").
var dashWebsiteRegions = map[string]bool{
	"us-east-1": true, "us-west-1": true, "us-west-2": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-northeast-1": true,
	"eu-west-1": true, "sa-east-1": true, "us-gov-west-1": true,
}

func dnsSuffix(region string) string {
	if len(region) > 3 && region[:3] == "cn-" {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// WebsiteEndpoint returns the static website endpoint of a bucket:
// http://BUCKET.s3-website-REGION.amazonaws.com in the regions that use a
// dash (us-east-1, us-west-1, us-west-2, ap-southeast-1, ap-southeast-2,
// ap-northeast-1, eu-west-1, sa-east-1, us-gov-west-1), and
// http://BUCKET.s3-website.REGION.amazonaws.com elsewhere (.amazonaws.com.cn
// in China). Website endpoints serve HTTP only.
func WebsiteEndpoint(bucket, region string) string {
	sep := "."
	if dashWebsiteRegions[region] {
		sep = "-"
	}
	return "http://" + bucket + ".s3-website" + sep + region + "." + dnsSuffix(region)
}

// AccessPointHost returns the hostname of an S3 access point:
// NAME-ACCOUNT.s3-accesspoint.REGION.amazonaws.com (.amazonaws.com.cn in
// China).
func AccessPointHost(name, accountID, region string) string {
	return name + "-" + accountID + ".s3-accesspoint." + region + "." + dnsSuffix(region)
}
