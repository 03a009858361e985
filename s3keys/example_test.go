package s3keys_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/awskit/awskit/s3keys"
	"github.com/awskit/awskit/s3keys/s3keystest"
)

func Example() {
	s, err := s3keys.New(2) // 256 shards
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range []string{"2026-11-25T20:00:00Z.json", "2026-11-25T20:00:01Z.json", "2026-11-25T20:00:02Z.json"} {
		fmt.Println(s.Key(k))
	}
	// Output:
	// e6/2026-11-25T20:00:00Z.json
	// 39/2026-11-25T20:00:01Z.json
	// 0e/2026-11-25T20:00:02Z.json
}

func ExampleSharder_Split() {
	s, _ := s3keys.New(2)
	key, err := s.Split("ca/a")
	fmt.Println(key, err)
	_, err = s.Split("00/a") // the prefix is not the hash of "a"
	fmt.Println(errors.Is(err, s3keys.ErrNotSharded))
	// Output:
	// a <nil>
	// true
}

func ExampleSharder_Prefixes() {
	s, _ := s3keys.New(1)
	fmt.Println(s.Prefixes())
	// Output: [0 1 2 3 4 5 6 7 8 9 a b c d e f]
}

func ExampleSharder_Prefix() {
	s, _ := s3keys.New(4)
	fmt.Println(s.Prefix("hello world"))
	// Output: b94d
}

func ExampleList() {
	s, _ := s3keys.New(2)
	bucket := &s3keystest.Bucket{} // any s3.ListObjectsV2APIClient, *s3.Client included
	for _, k := range []string{"logs/c", "logs/a", "other/z", "logs/b"} {
		bucket.Put(s.Key(k), 100)
	}
	for obj, err := range s3keys.List(context.Background(), bucket, "my-bucket", "logs/", s) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(obj.LogicalKey, *obj.Key)
	}
	// Output:
	// logs/a 58/logs/a
	// logs/b c6/logs/b
	// logs/c 9a/logs/c
}

func ExampleValidate() {
	fmt.Println(s3keys.Validate("reports/2026/q4.pdf"))
	fmt.Println(s3keys.Validate("bad\xff"))
	// Output:
	// <nil>
	// s3keys: invalid key: invalid UTF-8 at byte 3
}

func ExampleValidateSafe() {
	fmt.Println(s3keys.ValidateSafe("reports/2026/q4.pdf"))
	fmt.Println(s3keys.ValidateSafe("reports/2026 q4.pdf"))
	fmt.Println(s3keys.ValidateSafe("reports//q4.pdf"))
	// Output:
	// <nil>
	// s3keys: invalid key: unsafe character at byte 12
	// s3keys: invalid key: empty segment at byte 8
}

func ExampleWebsiteEndpoint() {
	fmt.Println(s3keys.WebsiteEndpoint("acloudguru", "ap-southeast-2"))
	fmt.Println(s3keys.WebsiteEndpoint("acloudguru", "eu-central-1"))
	fmt.Println(s3keys.WebsiteEndpoint("evil.example#", "us-east-1"))
	// Output:
	// http://acloudguru.s3-website-ap-southeast-2.amazonaws.com <nil>
	// http://acloudguru.s3-website.eu-central-1.amazonaws.com <nil>
	//  s3keys: invalid argument: bucket name has a byte other than a-z, 0-9, '.', '-' at 12
}

func ExampleAccessPointHost() {
	fmt.Println(s3keys.AccessPointHost("reports", "111122223333", "us-west-2"))
	// Output: reports-111122223333.s3-accesspoint.us-west-2.amazonaws.com <nil>
}
