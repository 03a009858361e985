module github.com/awskit/awskit

go 1.24

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/stretchr/testify v1.12.1
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
