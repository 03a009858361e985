// Package awskit is a module of small, pure-logic packages for the AWS
// mechanics that service code most often gets subtly wrong. Each package is a
// reference implementation that agrees with AWS to the byte, is measured
// against the library a user would otherwise pick, and reports bad input as a
// typed error.
//
// The packages:
//
//   - [github.com/awskit/awskit/arn]: Lambda function, version and alias ARNs and
//     KMS key and alias ARNs: parse, build, validate.
//   - [github.com/awskit/awskit/capacity]: DynamoDB item sizes and capacity
//     units per operation, and provisioning.
//   - [github.com/awskit/awskit/envelope]: KMS envelope encryption in the AWS
//     Encryption SDK message format.
//   - [github.com/awskit/awskit/s3keys]: deterministic hash prefixes for S3
//     keys, their reversal, shard fan-out listing, key validation.
//   - [github.com/awskit/awskit/backoff]: exponential backoff with jitter, a
//     retry helper, plugs into aws-sdk-go-v2 retries.
//   - [github.com/awskit/awskit/weighting]: Route 53 weighted-record shares,
//     integer weights for target splits, traffic-shift schedules.
//   - [github.com/awskit/awskit/sigv4temp]: SigV4 signing with temporary STS
//     credentials, presigning, a signing transport.
//
// Start with the tour, which runs offline: go run ./examples/tour.
package awskit
