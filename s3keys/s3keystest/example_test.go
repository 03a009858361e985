package s3keystest_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awskit/awskit/s3keys/s3keystest"
)

func Example() {
	b := &s3keystest.Bucket{Name: "logs"}
	for _, k := range []string{"2026/11/25/b", "2026/11/25/a", "2026/11/24/z"} {
		b.Put(k, 10)
	}
	out, err := b.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("logs"), Prefix: aws.String("2026/11/25/"), MaxKeys: aws.Int32(1)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*out.Contents[0].Key, *out.IsTruncated, *out.KeyCount)
	next, _ := b.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("logs"), Prefix: aws.String("2026/11/25/"), ContinuationToken: out.NextContinuationToken})
	fmt.Println(*next.Contents[0].Key, *next.IsTruncated, b.Calls())
	// Output:
	// 2026/11/25/a true 1
	// 2026/11/25/b false 2
}
