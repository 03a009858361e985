package arn

// partitionOfPrefix maps the region prefix (what precedes "-NAME-NUMBER") to the
// partition ID. It transcribes the regionRegex of every partition in the
// aws-sdk-go-v2 v1.48.0 partitions table
// (internal/endpoints/awsrulesfn/partitions.json), which is internal to the SDK
// and so cannot be imported:
//
//	aws         ^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$
//	aws-cn      ^cn\-\w+\-\d+$
//	aws-eusc    ^eusc\-(de)\-\w+\-\d+$
//	aws-iso     ^us\-iso\-\w+\-\d+$
//	aws-iso-b   ^us\-isob\-\w+\-\d+$
//	aws-iso-e   ^eu\-isoe\-\w+\-\d+$
//	aws-iso-f   ^us\-isof\-\w+\-\d+$
//	aws-us-gov  ^us\-gov\-\w+\-\d+$
//
// Because \w never matches "-", a region splits into PREFIX-NAME-NUMBER in
// exactly one way, so the prefix alone decides the partition. The tests check
// this transcription against the regular expressions above.
//
// Lambda's published FunctionName pattern is narrower for regions
// ([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}: one-digit number, lowercase
// name); this package follows the SDK's wider patterns instead, so that a
// region the SDK can route to is never rejected here.
func partitionOfPrefix(prefix string) (string, bool) {
	switch prefix {
	case "us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx":
		return "aws", true
	case "cn":
		return "aws-cn", true
	case "eusc-de":
		return "aws-eusc", true
	case "us-iso":
		return "aws-iso", true
	case "us-isob":
		return "aws-iso-b", true
	case "eu-isoe":
		return "aws-iso-e", true
	case "us-isof":
		return "aws-iso-f", true
	case "us-gov":
		return "aws-us-gov", true
	}
	return "", false
}

// knownPartition reports whether p is one of the partition IDs in the table.
func knownPartition(p string) bool {
	_, ok := DNSSuffix(p)
	return ok
}

// DNSSuffix returns the DNS suffix of the service endpoints of a partition,
// as the partitions table of aws-sdk-go-v2 v1.48.0 gives it (dnsSuffix), and
// false for a partition ID not in the table:
//
//	aws, aws-us-gov  amazonaws.com
//	aws-cn           amazonaws.com.cn
//	aws-eusc         amazonaws.eu
//	aws-iso          c2s.ic.gov
//	aws-iso-b        sc2s.sgov.gov
//	aws-iso-e        cloud.adc-e.uk
//	aws-iso-f        csp.hci.ic.gov
//
// Endpoint builders (s3keys.WebsiteEndpoint, s3keys.AccessPointHost) take it
// from here, with the partition of the region from PartitionOf.
func DNSSuffix(partition string) (string, bool) {
	switch partition {
	case "aws", "aws-us-gov":
		return "amazonaws.com", true
	case "aws-cn":
		return "amazonaws.com.cn", true
	case "aws-eusc":
		return "amazonaws.eu", true
	case "aws-iso":
		return "c2s.ic.gov", true
	case "aws-iso-b":
		return "sc2s.sgov.gov", true
	case "aws-iso-e":
		return "cloud.adc-e.uk", true
	case "aws-iso-f":
		return "csp.hci.ic.gov", true
	}
	return "", false
}

// PartitionOf returns the partition ID of region ("aws", "aws-cn",
// "aws-us-gov", ...) as the SDK's partition patterns assign it, and false when
// region matches no partition's pattern. Pseudo-regions such as "aws-global"
// match none: they never appear in a resource ARN.
func PartitionOf(region string) (string, bool) {
	// NUMBER: one or more ASCII digits after the last "-".
	i := lastDash(region)
	if i < 0 || i == len(region)-1 || !allDigits(region[i+1:]) {
		return "", false
	}
	rest := region[:i]
	// NAME: one or more of [0-9A-Za-z_] after the previous "-".
	j := lastDash(rest)
	if j < 0 || j == len(rest)-1 || !allWord(rest[j+1:]) {
		return "", false
	}
	return partitionOfPrefix(rest[:j])
}

func lastDash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '-' {
			return i
		}
	}
	return -1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// allWord reports whether every byte of s is in [0-9A-Za-z_] (RE2's \w).
func allWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isWord(s[i]) {
			return false
		}
	}
	return true
}

func isWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// checkPartitionRegion validates a partition/region pair. An empty partition
// takes the region's; a non-empty one must be known and must own the region.
func checkPartitionRegion(kind, partition, region string) error {
	if partition != "" && !knownPartition(partition) {
		return &Error{Kind: kind, Field: "partition", Value: partition, Reason: "unknown partition"}
	}
	owner, ok := PartitionOf(region)
	if !ok {
		return &Error{Kind: kind, Field: "region", Value: region, Reason: "matches no partition's region pattern"}
	}
	if partition != "" && owner != partition {
		return &Error{Kind: kind, Field: "region", Value: region, Reason: "belongs to partition " + owner + ", not " + partition}
	}
	return nil
}

// partitionFor returns p, or the region's partition when p is empty ("aws"
// when the region matches no pattern, as the SDK defaults).
func partitionFor(p, region string) string {
	if p != "" {
		return p
	}
	if owner, ok := PartitionOf(region); ok {
		return owner
	}
	return "aws"
}

func checkAccount(kind, account string) error {
	if len(account) != 12 || !allDigits(account) {
		return &Error{Kind: kind, Field: "account", Value: account, Reason: "must be exactly 12 digits"}
	}
	return nil
}
