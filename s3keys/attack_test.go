package s3keys_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/s3keys"
)

// pagedShard0 is an endless, well-behaved shard "0/" of a 1-digit Sharder:
// page N holds the one key "0/%09d" of N and the token "N+1"; every other
// shard is empty. It keeps no state, so the memory it costs is the
// listing's own.
type pagedShard0 struct{}

func (pagedShard0) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if aws.ToString(in.Prefix) != "0/" {
		return &s3.ListObjectsV2Output{IsTruncated: aws.Bool(false)}, nil
	}
	n := 0
	if t := aws.ToString(in.ContinuationToken); t != "" {
		n, _ = strconv.Atoi(t)
	}
	return &s3.ListObjectsV2Output{
		Contents:              []types.Object{{Key: aws.String(fmt.Sprintf("0/%09d", n))}},
		IsTruncated:           aws.Bool(true),
		NextContinuationToken: aws.String(strconv.Itoa(n + 1)),
	}, nil
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// List's doc bounds its memory by pages (one per shard plus Concurrency
// fetched ahead). The repeated-token check must not add memory that grows
// with the number of pages listed: a shard of many small pages (PageSize
// lowered, as the doc advises for Digits 3 and 4) kept one entry per page.
func TestListMemoryDoesNotGrowWithPages(t *testing.T) {
	if testing.Short() {
		t.Skip("lists 200,000 pages")
	}
	s := must(t, 1)
	const first, last = 2_000, 202_000
	var before, after uint64
	n := 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for o, err := range s3keys.List(ctx, pagedShard0{}, "bkt", "", s, func(o *s3keys.ListOptions) { o.PageSize = 1 }) {
		if err != nil && !errors.Is(err, s3keys.ErrNotSharded) {
			t.Fatalf("after %d objects: %v", n, err)
		}
		require.True(t, strings.HasPrefix(o.LogicalKey, fmt.Sprintf("%09d", n)), "object %d: %q", n, o.LogicalKey)
		n++
		switch n {
		case first:
			before = heapAlloc()
		case last:
			after = heapAlloc()
		}
		if n == last {
			break
		}
	}
	require.Equal(t, last, n)
	grown := int64(after) - int64(before)
	t.Logf("heap grew by %d bytes over %d pages", grown, last-first)
	assert.Less(t, grown, int64(512<<10), "memory grows with the number of pages: %d bytes over %d pages", grown, last-first)
}

// The repeated-token check forgets tokens at each non-empty page; a cycle
// through a non-empty page must still end, by the order check, and a cycle
// of empty pages after one by the token check.
func TestListRejectsTokenCyclesAroundNonEmptyPages(t *testing.T) {
	s := must(t, 1)
	keys := shard0(t, 2)
	for _, tc := range []struct {
		name   string
		pages  map[string]*s3.ListObjectsV2Output
		reason string
	}{
		{"cycle through a non-empty page", map[string]*s3.ListObjectsV2Output{
			"":  {Contents: objs(&keys[0]), IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("a")},
			"a": {Contents: objs(&keys[1]), IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("b")},
			"b": {IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("a")},
		}, "not after the key before it"},
		{"cycle of empty pages after a non-empty one", map[string]*s3.ListObjectsV2Output{
			"":  {Contents: objs(&keys[0]), IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("a")},
			"a": {IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("b")},
			"b": {IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("c")},
			"c": {IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("a")},
		}, "returned before"},
		{"cycle back to the token of the non-empty page", map[string]*s3.ListObjectsV2Output{
			"":  {Contents: objs(&keys[0]), IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("a")},
			"a": {Contents: objs(&keys[1]), IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("b")},
			"b": {IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("c")},
			"c": {IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("b")},
		}, "returned before"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := onShard0(func(token string) *s3.ListObjectsV2Output { return tc.pages[token] })
			_, errs := elements(t, srv, "bkt", s)
			requireBadResponse(t, errs, tc.reason)
			assert.LessOrEqual(t, srv.calls.Load(), int64(16+5))
		})
	}
}
