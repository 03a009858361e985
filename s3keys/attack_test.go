package s3keys_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/s3keys"
	"github.com/awskit/awskit/s3keys/s3keystest"
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
		t.Skip("lists 100,000 pages")
	}
	s := must(t, 1)
	const first, last = 2_000, 102_000
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

// ListObjectsV2 "will never contain more" keys than MaxKeys (1,000 by
// default), and List's memory bound counts pages of PageSize objects: a page
// larger than that breaks the contract and the bound, and must end the
// listing instead of being held.
func TestListRejectsPagesLargerThanMaxKeys(t *testing.T) {
	s := must(t, 1)
	keys := shard0Wide(t, 1001)
	page := func(n int) *s3.ListObjectsV2Output {
		out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(false)}
		for i := range n {
			out.Contents = append(out.Contents, types.Object{Key: &keys[i]})
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		pageSize int32
		served   int
	}{
		{"default MaxKeys", 0, 1001},
		{"PageSize 2", 2, 3},
		{"PageSize over S3's cap", 5000, 1001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := onShard0(func(string) *s3.ListObjectsV2Output { return page(tc.served) })
			got, errs := elements(t, srv, "bkt", s, func(o *s3keys.ListOptions) { o.PageSize = tc.pageSize })
			if tc.pageSize > 1000 {
				// PageSize above 1,000 is the caller's bound; S3 caps at 1,000
				// but a compatible server may honour it.
				assert.Empty(t, errs)
				assert.Len(t, got, tc.served)
				return
			}
			requireBadResponse(t, errs, "more than MaxKeys")
			assert.Empty(t, got)
		})
	}
	// Exactly MaxKeys is fine.
	srv := onShard0(func(string) *s3.ListObjectsV2Output { return page(2) })
	got, errs := elements(t, srv, "bkt", s, func(o *s3keys.ListOptions) { o.PageSize = 2 })
	assert.Empty(t, errs)
	assert.Len(t, got, 2)
}

// shard0Wide is shard0 for more than 10,000 candidates: n sharded keys of a
// 1-digit Sharder in shard "0", in ascending order.
func shard0Wide(t *testing.T, n int) []string {
	s := must(t, 1)
	var out []string
	for i := 0; len(out) < n; i++ {
		if k := fmt.Sprintf("k%08d", i); s.Prefix(k) == "0" {
			out = append(out, s.Key(k))
		}
	}
	return out
}

// panicky is a ListObjectsV2 client that panics on every call.
type panicky struct{}

func (panicky) ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	panic("panicky: boom")
}

// A nil client is bad input: an ErrInvalidArgument, not a panic in a
// goroutine of List's (which no recover of the caller's can catch, and which
// takes the whole process down, an HTTP server included).
func TestListNilClient(t *testing.T) {
	s := must(t, 1)
	var errs []error
	for _, err := range s3keys.List(context.Background(), nil, "bkt", "", s) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], s3keys.ErrInvalidArgument)
}

// A client that panics: the panic reaches the caller's goroutine, as it would
// with the SDK's paginator, so the caller's recover (net/http's per-request
// one, for example) sees it; List's goroutines have ended by then.
func TestListClientPanicReachesCaller(t *testing.T) {
	s := must(t, 2)
	before := runtime.NumGoroutine()
	got := func() (v any) {
		defer func() { v = recover() }()
		for range s3keys.List(context.Background(), panicky{}, "bkt", "", s) {
		}
		return nil
	}()
	assert.Equal(t, "panicky: boom", got)
	// A worker calls wg.Done just before its goroutine exits: allow it a moment
	// (polling by hand: assert.Eventually starts goroutines of its own).
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, n, before, "List's goroutines outlived the panic")
}

// A consumer that takes one element through iter.Pull and then stops: the
// workers end with stop, none is left behind, and no request is running.
func TestListPullThenStop(t *testing.T) {
	s := must(t, 2)
	b := &s3keystest.Bucket{}
	for i := range 500 {
		b.Put(s.Key(fmt.Sprintf("k%04d", i)), 1)
	}
	before := runtime.NumGoroutine()
	next, stop := iter.Pull2(s3keys.List(context.Background(), b, "bkt", "", s, func(o *s3keys.ListOptions) { o.PageSize = 3 }))
	o, err, ok := next()
	require.True(t, ok)
	require.NoError(t, err)
	assert.Equal(t, "k0000", o.LogicalKey)
	stop()
	_, _, ok = next()
	assert.False(t, ok, "an element after stop")
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, n, before, "goroutines left after stop")
}

// Breaking out of the loop: when the loop statement ends, no request of
// List's is still running (List returns only after every worker has).
func TestListBreakLeavesNoRequestRunning(t *testing.T) {
	s := must(t, 2)
	var inFlight atomic.Int64
	b := &s3keystest.Bucket{Fault: func(ctx context.Context, _ *s3.ListObjectsV2Input) error {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		select { // a slow server that honours cancellation
		case <-time.After(5 * time.Millisecond):
		case <-ctx.Done():
		}
		return nil
	}}
	for i := range 300 {
		b.Put(s.Key(fmt.Sprintf("k%04d", i)), 1)
	}
	for _, stopAt := range []int{1, 7, 150} {
		n := 0
		for _, err := range s3keys.List(context.Background(), b, "bkt", "", s, func(o *s3keys.ListOptions) { o.PageSize = 1; o.Concurrency = 16 }) {
			require.NoError(t, err)
			if n++; n == stopAt {
				break
			}
		}
		assert.Zero(t, inFlight.Load(), "requests still running after a break at %d", stopAt)
	}
}

// Shards answering at random speeds, with every Concurrency and PageSize:
// the merge yields exactly the bucket's keys under the prefix, in order,
// once each (run with -race).
func TestListMergeUnderRandomLatency(t *testing.T) {
	s := must(t, 2)
	b := &s3keystest.Bucket{}
	var want []string
	for i := range 700 {
		k := fmt.Sprintf("p/%04d", (i*7919)%10007)
		b.Put(s.Key(k), 1)
		want = append(want, k)
		b.Put(s.Key(fmt.Sprintf("q/%04d", i)), 1) // outside the prefix
	}
	slices.Sort(want)
	rng := rand.New(rand.NewPCG(1, 2))
	var mu sync.Mutex
	b.Fault = func(ctx context.Context, _ *s3.ListObjectsV2Input) error {
		mu.Lock()
		d := time.Duration(rng.IntN(300)) * time.Microsecond
		mu.Unlock()
		time.Sleep(d)
		return nil
	}
	for _, conc := range []int{1, 3, 256} {
		for _, page := range []int32{1, 2, 1000} {
			var got []string
			for o, err := range s3keys.List(context.Background(), b, "bkt", "p/", s, func(o *s3keys.ListOptions) { o.Concurrency = conc; o.PageSize = page }) {
				require.NoError(t, err)
				got = append(got, o.LogicalKey)
			}
			require.Equal(t, want, got, "Concurrency %d PageSize %d", conc, page)
		}
	}
}

// An access point of a directory bucket ("NAME--ZONE--xa-s3", given in
// place of the bucket name, as the S3 API reference says) lists the
// directory bucket, in no particular order; the SDK's S3 endpoint rules treat
// that suffix as S3 Express as they do "--x-s3". List rejects both.
func TestListRejectsDirectoryBucketAccessPoints(t *testing.T) {
	for _, name := range []string{"logs--usw2-az1--x-s3", "reader--use1-az4--xa-s3"} {
		b := &s3keystest.Bucket{}
		_, errs := elements(t, b, name, must(t, 1))
		require.Len(t, errs, 1, name)
		assert.ErrorIs(t, errs[0], s3keys.ErrInvalidArgument, name)
		assert.Zero(t, b.Calls(), name)
	}
}

// List's doc: it holds one page per shard "plus at most Concurrency pages
// fetched ahead of the merge". At every yield, the requests started so far
// minus the pages the merge has taken (known exactly from where each yielded
// key sits in its shard) stay within Concurrency, with a slow consumer that
// gives the workers every chance to run ahead.
func TestListFetchesAtMostConcurrencyPagesAhead(t *testing.T) {
	s := must(t, 1)
	const perShard, pageSize = 24, 3
	b := &s3keystest.Bucket{}
	shardKeys := map[string][]string{}
	for i := 0; len(shardKeys) < 16 || minLen(shardKeys) < perShard; i++ {
		k := s.Key(fmt.Sprintf("k%05d", i))
		if p := k[:1]; len(shardKeys[p]) < perShard {
			shardKeys[p] = append(shardKeys[p], k)
			b.Put(k, 1)
		}
	}
	pos := map[string]int{}
	for _, keys := range shardKeys {
		slices.Sort(keys)
		for i, k := range keys {
			pos[k] = i
		}
	}
	var started atomic.Int64
	b.Fault = func(context.Context, *s3.ListObjectsV2Input) error { started.Add(1); return nil }
	for _, conc := range []int{1, 2, 5} {
		started.Store(0)
		taken := map[string]int{}
		for p := range shardKeys {
			taken[p] = 1 // every shard's first page, before the first object
		}
		n := 0
		for o, err := range s3keys.List(context.Background(), b, "bkt", "", s, func(o *s3keys.ListOptions) { o.Concurrency = conc; o.PageSize = pageSize }) {
			require.NoError(t, err)
			k := *o.Key
			i := pos[k]
			tk := i/pageSize + 1
			if i%pageSize == pageSize-1 && i < perShard-1 {
				tk++ // the last object of a truncated page: the next page is taken at once
			}
			taken[k[:1]] = tk
			sum := 0
			for _, v := range taken {
				sum += v
			}
			ahead := int(started.Load()) - sum
			require.LessOrEqual(t, ahead, conc, "Concurrency %d: %d pages fetched ahead after %d objects", conc, ahead, n)
			n++
			time.Sleep(50 * time.Microsecond)
		}
		require.Equal(t, 16*perShard, n)
	}
}

func minLen(m map[string][]string) int {
	least := -1
	for _, v := range m {
		if least < 0 || len(v) < least {
			least = len(v)
		}
	}
	return least
}

// List copies the logical prefix into each of the 16^Digits shard prefixes:
// a prefix from outside of 1 MiB with Digits 4 asked for 64 GiB. No sharded
// key is longer than 1,024 bytes, so a logical prefix longer than
// 1,024 - Digits - 1 matches nothing: List rejects it up front, before any
// request or allocation per shard. One byte less is a valid listing.
func TestListRejectsPrefixLongerThanAnyShardedKey(t *testing.T) {
	for digits := 1; digits <= s3keys.MaxDigits; digits++ {
		s := must(t, digits)
		limit := s3keys.MaxKeyBytes - digits - 1
		b := &s3keystest.Bucket{}
		for _, n := range []int{limit + 1, 4 << 20} {
			if digits > 1 && n > limit+1 {
				continue // 16^Digits copies of 4 MiB: only with one digit, if the check were missing
			}
			var errs []error
			for _, err := range s3keys.List(context.Background(), b, "bkt", strings.Repeat("a", n), s) {
				errs = append(errs, err)
			}
			require.Len(t, errs, 1, "Digits %d, prefix of %d bytes", digits, n)
			assert.ErrorIs(t, errs[0], s3keys.ErrInvalidArgument)
			assert.Zero(t, b.Calls())
		}
		// The longest logical key that fits is also the longest prefix.
		key := strings.Repeat("a", limit)
		require.NoError(t, s.Validate(key))
		b.Put(s.Key(key), 1)
		var got []string
		for o, err := range s3keys.List(context.Background(), b, "bkt", key, s) {
			require.NoError(t, err)
			got = append(got, o.LogicalKey)
		}
		assert.Equal(t, []string{key}, got, "Digits %d", digits)
	}
}
