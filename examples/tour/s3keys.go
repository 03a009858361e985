package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/awskit/awskit/s3keys"
	"github.com/awskit/awskit/s3keys/s3keystest"
)

func tourS3Keys(w io.Writer) error {
	s, err := s3keys.New(1) // 16 shards
	if err != nil {
		return err
	}
	bucket := &s3keystest.Bucket{} // in memory; *s3.Client in production
	start := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	shards := map[string]int{}
	for i := range 10 {
		logical := start.Add(time.Duration(i)*time.Second).Format(time.RFC3339) + ".json"
		sharded := s.Key(logical)
		shards[s.Prefix(logical)]++
		bucket.Put(sharded, 1)
		fmt.Fprintf(w, "%-25s -> %s\n", logical, sharded)
	}
	fmt.Fprintf(w, "ten sequential keys spread over %d of 16 prefixes\n", len(shards))
	n := 0
	for obj, err := range s3keys.List(context.Background(), bucket, "tour", "2026-11-25T20:00:0", s) {
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintf(w, "List merges all 16 shards back into order: %s, ...", obj.LogicalKey)
		}
		n++
	}
	fmt.Fprintf(w, " (%d keys)\n", n)
	return nil
}
