package s3keys_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
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

// server is a misbehaving ListObjectsV2: respond gives the answer for one
// request; it is stopped after limit calls so that a listing that would
// loop forever fails the test instead of hanging it.
type server struct {
	respond func(in *s3.ListObjectsV2Input) *s3.ListObjectsV2Output
	limit   int64
	calls   atomic.Int64
}

var errTooManyCalls = errors.New("test server: too many calls")

func (s *server) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	if s.calls.Add(1) > s.limit {
		return nil, errTooManyCalls
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if out := s.respond(in); out != nil {
		return out, nil
	}
	return &s3.ListObjectsV2Output{IsTruncated: aws.Bool(false)}, nil
}

// onShard0 answers requests for the shard "0/" (of a 1-digit Sharder) with
// respond, and every other shard with an empty listing.
func onShard0(respond func(token string) *s3.ListObjectsV2Output) *server {
	return &server{limit: 1000, respond: func(in *s3.ListObjectsV2Input) *s3.ListObjectsV2Output {
		if aws.ToString(in.Prefix) != "0/" {
			return nil
		}
		return respond(aws.ToString(in.ContinuationToken))
	}}
}

// shard0 returns n sharded keys of a 1-digit Sharder that live in shard "0",
// in ascending order.
func shard0(t *testing.T, n int) []string {
	s := must(t, 1)
	var out []string
	for i := 0; len(out) < n; i++ {
		if k := fmt.Sprintf("k%04d", i); s.Prefix(k) == "0" {
			out = append(out, s.Key(k))
		}
	}
	return out
}

func objs(keys ...*string) []types.Object {
	out := make([]types.Object, len(keys))
	for i, k := range keys {
		out[i] = types.Object{Key: k}
	}
	return out
}

// elements runs a listing to its end (within a deadline, so that a hang
// fails) and returns the objects and errors it yielded.
func elements(t *testing.T, client s3.ListObjectsV2APIClient, bucket string, s s3keys.Sharder, optFns ...func(*s3keys.ListOptions)) (keys []string, errs []error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for o, err := range s3keys.List(ctx, client, bucket, "", s, optFns...) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		keys = append(keys, o.LogicalKey)
	}
	return keys, errs
}

// requireBadResponse checks that the listing ended with one ErrBadResponse.
func requireBadResponse(t *testing.T, errs []error, reason string) {
	t.Helper()
	require.Len(t, errs, 1, "errors: %v", errs)
	err := errs[0]
	assert.ErrorIs(t, err, s3keys.ErrList)
	assert.ErrorIs(t, err, s3keys.ErrBadResponse, "%v", err)
	assert.NotErrorIs(t, err, errTooManyCalls, "the listing looped")
	var le *s3keys.ListError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "0/", le.Prefix)
	assert.Contains(t, le.Reason, reason)
}

// Issue 19 item 1: an entry with a nil Key, or a key shorter than the shard
// prefix, panicked.
func TestListRejectsEntriesWithoutKeyOrOutsidePrefix(t *testing.T) {
	s := must(t, 1)
	for _, tc := range []struct {
		name   string
		page   []types.Object
		reason string
	}{
		{"nil key", objs(nil), "no Key"},
		{"nil key after a good one", objs(aws.String(shard0(t, 1)[0]), nil), "no Key"},
		{"short key", objs(aws.String("0")), "outside the requested prefix"},
		{"empty key", objs(aws.String("")), "outside the requested prefix"},
		{"key of another shard", objs(aws.String("1/x")), "outside the requested prefix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := onShard0(func(string) *s3.ListObjectsV2Output {
				return &s3.ListObjectsV2Output{Contents: tc.page, IsTruncated: aws.Bool(false)}
			})
			_, errs := elements(t, srv, "bkt", s)
			requireBadResponse(t, errs, tc.reason)
		})
	}
}

// Issue 19 item 2: a repeated continuation token looped forever, even with
// empty pages.
func TestListRejectsRepeatedTokens(t *testing.T) {
	s := must(t, 1)
	for _, tc := range []struct {
		name   string
		tokens map[string]string // request token -> next token
		reason string
	}{
		{"same token twice in a row", map[string]string{"": "t", "t": "t"}, "twice in a row"},
		{"a cycle of two", map[string]string{"": "a", "a": "b", "b": "a"}, "returned before"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := onShard0(func(token string) *s3.ListObjectsV2Output {
				return &s3.ListObjectsV2Output{IsTruncated: aws.Bool(true), NextContinuationToken: aws.String(tc.tokens[token])}
			})
			_, errs := elements(t, srv, "bkt", s)
			requireBadResponse(t, errs, tc.reason)
			assert.LessOrEqual(t, srv.calls.Load(), int64(16+3))
		})
	}
}

// Issue 19 item 3: a truncated page with an empty token restarted the shard
// (duplicates without end); with a nil token the shard ended silently.
func TestListRejectsTruncatedPageWithoutToken(t *testing.T) {
	s := must(t, 1)
	k0 := shard0(t, 1)[0]
	for _, tc := range []struct {
		name   string
		token  *string
		reason string
	}{
		{"nil token", nil, "without NextContinuationToken"},
		{"empty token", aws.String(""), "empty NextContinuationToken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := onShard0(func(string) *s3.ListObjectsV2Output {
				return &s3.ListObjectsV2Output{Contents: objs(aws.String(k0)), IsTruncated: aws.Bool(true), NextContinuationToken: tc.token}
			})
			keys, errs := elements(t, srv, "bkt", s)
			requireBadResponse(t, errs, tc.reason)
			assert.Empty(t, keys, "the error comes before the shard's first object is merged")
		})
	}
}

// Issue 19 item 4: a page out of ascending order made the merge yield out
// of order silently.
func TestListRejectsUnorderedPages(t *testing.T) {
	s := must(t, 1)
	k := shard0(t, 2)
	a, b := k[0], k[1]
	for _, tc := range []struct {
		name  string
		pages map[string][]string // request token -> keys; the page after token "" is truncated
	}{
		{"descending in a page", map[string][]string{"": {b, a}}},
		{"duplicate in a page", map[string][]string{"": {a, a}}},
		{"second page before the first", map[string][]string{"": {b}, "next": {a}}},
		{"second page repeats the first", map[string][]string{"": {b}, "next": {b}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := onShard0(func(token string) *s3.ListObjectsV2Output {
				out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(false)}
				for _, k := range tc.pages[token] {
					out.Contents = append(out.Contents, types.Object{Key: aws.String(k)})
				}
				if _, more := tc.pages["next"]; more && token == "" {
					out.IsTruncated, out.NextContinuationToken = aws.Bool(true), aws.String("next")
				}
				return out
			})
			_, errs := elements(t, srv, "bkt", s)
			requireBadResponse(t, errs, "not after the key before it")
		})
	}
}

// Directory buckets list in no order: List rejects them up front.
func TestListRejectsDirectoryBuckets(t *testing.T) {
	b := &s3keystest.Bucket{}
	_, errs := elements(t, b, "logs--usw2-az1--x-s3", must(t, 1))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], s3keys.ErrInvalidArgument)
	assert.Zero(t, b.Calls())
}

// Issue 19 item 5: after cancellation the sequence yields no further object
// and ends with the context's error (it used to drain buffered pages and
// end with no error).
func TestListStopsWithinOneObjectOnCancel(t *testing.T) {
	s := must(t, 1)
	b := &s3keystest.Bucket{}
	for i := range 4000 {
		b.Put(s.Key(fmt.Sprintf("k%05d", i)), 1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var afterCancel int
	var errs []error
	n := 0
	for _, err := range s3keys.List(ctx, b, "bkt", "", s, func(o *s3keys.ListOptions) { o.PageSize = 1000 }) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ctx.Err() != nil {
			afterCancel++
		}
		if n++; n == 10 {
			cancel()
		}
	}
	assert.Equal(t, 10, n, "objects yielded (none after the cancel)")
	assert.Zero(t, afterCancel)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.ErrorIs(t, errs[0], s3keys.ErrList)

	// With a cause, the cause is reachable too.
	cause := errors.New("shutting down")
	ctx2, cancel2 := context.WithCancelCause(context.Background())
	defer cancel2(nil)
	var last error
	for _, err := range s3keys.List(ctx2, b, "bkt", "", s) {
		if err != nil {
			last = err
			continue
		}
		cancel2(cause)
	}
	assert.ErrorIs(t, last, context.Canceled)
	assert.ErrorIs(t, last, cause)
}

// Issue 19 item 6: with Digits 4, listing one object started 65,536
// goroutines and allocated over 100 MiB.
func TestListBoundsGoroutines(t *testing.T) {
	s := must(t, 4)
	var mu sync.Mutex
	before := runtime.NumGoroutine()
	most := 0
	b := &s3keystest.Bucket{Fault: func(ctx context.Context, in *s3.ListObjectsV2Input) error {
		mu.Lock()
		most = max(most, runtime.NumGoroutine())
		mu.Unlock()
		return nil
	}}
	b.Put(s.Key("only"), 1)
	const concurrency = 4
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	keys, errs := elements(t, b, "bkt", s, func(o *s3keys.ListOptions) { o.Concurrency = concurrency })
	runtime.ReadMemStats(&ms1)
	require.Empty(t, errs)
	assert.Equal(t, []string{"only"}, keys)
	assert.Equal(t, int64(65536), b.Calls())
	assert.LessOrEqual(t, most-before, concurrency+2, "goroutines started by List (the test's context timer may add one)")
	assert.LessOrEqual(t, b.MaxInFlight(), int64(concurrency))
	// The fake's own answers are most of this (65,536 responses); the bound
	// is well under the 100 MiB of the goroutine-per-shard version.
	alloc := ms1.TotalAlloc - ms0.TotalAlloc
	t.Logf("allocated %.1f MiB for 65,536 shards", float64(alloc)/(1<<20))
	assert.Less(t, alloc, uint64(64<<20))
}

// Issue 12 item 21 and the sentinel sentence in errors.go: every error of
// every function matches one of the package's sentinels.
func TestEveryErrorMatchesASentinel(t *testing.T) {
	sentinels := []error{s3keys.ErrInvalidKey, s3keys.ErrNotSharded, s3keys.ErrInvalidDigits, s3keys.ErrInvalidArgument, s3keys.ErrList, s3keys.ErrBadResponse}
	check := func(what string, err error) {
		t.Helper()
		require.Error(t, err, what)
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return
			}
		}
		t.Errorf("%s: %v matches none of the sentinels", what, err)
	}
	s := must(t, 1)
	_, err := s3keys.New(9)
	check("New", err)
	_, err = s.Split("zz")
	check("Split", err)
	check("Validate", s3keys.Validate(""))
	check("ValidateSafe", s3keys.ValidateSafe("a b"))
	check("Sharder.Validate", s.Validate(strings.Repeat("x", 1024)))
	check("zero Sharder.Validate", s3keys.Sharder{}.Validate("x"))

	listErrs := func(client s3.ListObjectsV2APIClient, bucket string, s s3keys.Sharder, ctx context.Context, optFns ...func(*s3keys.ListOptions)) []error {
		var errs []error
		for _, err := range s3keys.List(ctx, client, bucket, "", s, optFns...) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		require.NotEmpty(t, errs)
		return errs
	}
	bg := context.Background()
	canceled, cancel := context.WithCancel(bg)
	cancel()
	foreign := &s3keystest.Bucket{}
	foreign.Put("0/not-hashed", 1)
	failing := &s3keystest.Bucket{Fault: func(context.Context, *s3.ListObjectsV2Input) error { return errors.New("connection reset") }}
	cases := map[string][]error{
		"zero Sharder":         listErrs(&s3keystest.Bucket{}, "bkt", s3keys.Sharder{}, bg),
		"empty bucket":         listErrs(&s3keystest.Bucket{}, "", s, bg),
		"directory bucket":     listErrs(&s3keystest.Bucket{}, "b--use1-az4--x-s3", s, bg),
		"negative option":      listErrs(&s3keystest.Bucket{}, "bkt", s, bg, func(o *s3keys.ListOptions) { o.PageSize = -1 }),
		"SDK error":            listErrs(&s3keystest.Bucket{Name: "other"}, "bkt", s, bg),
		"transport error":      listErrs(failing, "bkt", s, bg),
		"canceled":             listErrs(&s3keystest.Bucket{}, "bkt", s, canceled),
		"foreign object":       listErrs(foreign, "bkt", s, bg),
		"bad response":         listErrs(onShard0(func(string) *s3.ListObjectsV2Output { return &s3.ListObjectsV2Output{Contents: objs(nil)} }), "bkt", s, bg),
		"negative Concurrency": listErrs(&s3keystest.Bucket{}, "bkt", s, bg, func(o *s3keys.ListOptions) { o.Concurrency = -1 }),
	}
	for name, errs := range cases {
		for _, err := range errs {
			check("List: "+name, err)
		}
	}
	var nsb *types.NoSuchBucket
	assert.ErrorAs(t, cases["SDK error"][0], &nsb, "the SDK error stays reachable")
}

func TestListErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		err  *s3keys.ListError
		want string
	}{
		{&s3keys.ListError{Prefix: "3f/logs/", Reason: "entry 0 has no Key", Err: s3keys.ErrBadResponse}, `s3keys: listing "3f/logs/": entry 0 has no Key`},
		{&s3keys.ListError{Prefix: "3f/", Err: errors.New("connection reset")}, `s3keys: listing "3f/": connection reset`},
		{&s3keys.ListError{Err: context.Canceled}, `s3keys: listing: context canceled`},
		{&s3keys.ListError{}, `s3keys: listing`},
	} {
		assert.Equal(t, tc.want, tc.err.Error())
		assert.ErrorIs(t, tc.err, s3keys.ErrList)
	}
}

// List's doc: one page per shard, plus at most Concurrency pages fetched
// ahead of the merge. With one object per page, at the k-th object the
// merge has taken at most k pages plus one current page per shard; every
// other request is a page fetched ahead.
func TestListFetchesAheadAtMostConcurrencyPages(t *testing.T) {
	s := must(t, 1)
	b := &s3keystest.Bucket{}
	for i := range 160 {
		b.Put(s.Key(fmt.Sprintf("k%04d", i)), 1)
	}
	for _, concurrency := range []int{1, 2, 4} {
		before := b.Calls()
		k := int64(0)
		for _, err := range s3keys.List(context.Background(), b, "bkt", "", s, func(o *s3keys.ListOptions) {
			o.Concurrency, o.PageSize = concurrency, 1
		}) {
			require.NoError(t, err)
			k++
			ahead := b.Calls() - before - k - 16
			require.LessOrEqual(t, ahead, int64(concurrency), "object %d: pages fetched ahead", k)
		}
		assert.Equal(t, int64(160), k)
	}
}
