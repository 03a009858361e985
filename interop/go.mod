module github.com/awskit/awskit/interop

go 1.24

replace github.com/awskit/awskit => ../

require (
	github.com/awskit/awskit v0.0.0-00010101000000-000000000000
	github.com/cenkalti/backoff/v5 v5.0.3
)

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0 // indirect
	github.com/aws/smithy-go v1.28.9 // indirect
)
