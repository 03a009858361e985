package s3keys

import (
	"container/heap"
	"context"
	"fmt"
	"hash/maphash"
	"iter"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// DefaultConcurrency is the number of ListObjectsV2 requests List keeps in
// flight when ListOptions.Concurrency is 0.
const DefaultConcurrency = 8

// ListOptions tunes List. The zero value means the defaults.
type ListOptions struct {
	// Concurrency is the most ListObjectsV2 requests in flight at once, and
	// the number of goroutines List starts; 0 means DefaultConcurrency.
	// Negative values are rejected with ErrInvalidArgument.
	Concurrency int
	// PageSize is MaxKeys of each request; 0 leaves S3's default (1,000).
	// It also bounds memory: List holds one page per shard (see List).
	// Negative values are rejected with ErrInvalidArgument.
	PageSize int32
}

// Object is one listed object: the S3 listing entry (whose Key is the
// sharded key) and its logical key.
type Object struct {
	LogicalKey string
	types.Object
}

// ListError is the error that ends a List: a request that failed, a response
// that breaks the ListObjectsV2 contract, or the end of the context. It
// matches ErrList and its cause Err with errors.Is and errors.As: the SDK's
// error (smithy.APIError, *types.NoSuchBucket, ...), ErrBadResponse, or the
// context's error.
type ListError struct {
	Prefix string // the shard prefix being listed ("3f/logs/"); "" when the error concerns no single shard
	Reason string // what was wrong with the response; "" for a failed request or an ended context
	Err    error  // the cause
}

// Error returns "s3keys: listing PREFIX: REASON: ERR", leaving out the empty
// parts.
func (e *ListError) Error() string {
	var b strings.Builder
	b.WriteString("s3keys: listing")
	if e.Prefix != "" {
		fmt.Fprintf(&b, " %q", e.Prefix)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Err != nil && e.Err != ErrBadResponse {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns ErrList and Err.
func (e *ListError) Unwrap() []error { return []error{ErrList, e.Err} }

// List lists every object whose logical key starts with logicalPrefix, across
// all 16^Digits shards of bucket, in logical-key order (UTF-8 byte order, as
// S3 lists). Each shard is paged with continuation tokens, the shards are
// queried concurrently, and their pages are merged.
//
// # Errors
//
// Every error List yields matches one of this package's sentinels:
//
//   - ErrInvalidDigits (a zero Sharder) or ErrInvalidArgument (a nil client,
//     an empty bucket name, a directory bucket, a logical prefix longer than
//     1,024 - Digits - 1 bytes, which no sharded key can match, negative
//     options): the only element;
//   - ErrNotSharded: an object in a shard prefix whose hash does not match its
//     key (not written through this Sharder), yielded with the object; the
//     sequence goes on if the consumer continues;
//   - ErrList, as a *ListError, ends the sequence: a failed request (the SDK
//     error stays reachable with errors.As), a response that breaks the
//     ListObjectsV2 contract (also ErrBadResponse: an entry with no Key or
//     outside the requested prefix, keys not in ascending order, more
//     entries than MaxKeys, a repeated continuation token, a truncated page
//     without a token), or the end of ctx (also ctx.Err(), and context.Cause
//     when it differs). It is yielded with a zero Object. A token that comes
//     back after a page with objects is caught when it lists those objects
//     again (they are no longer in ascending order); tokens are compared
//     only within a run of empty pages.
//
// Once ctx is done, List yields no further object: the next element is the
// context's error, and the last. A server that answers with empty truncated
// pages and fresh tokens forever yields nothing to break out of, so only ctx
// ends it: give List a deadline when the server is not trusted.
//
// # Directory buckets
//
// Directory buckets (names ending in "--x-s3") list in no particular order, so
// their shards cannot be merged; List rejects them, and their access points
// (names ending in "--xa-s3", which the S3 API takes in place of the bucket
// name), with ErrInvalidArgument. Use general purpose buckets for sharded
// keys.
//
// # Goroutines and memory
//
// List is the one place in this module that starts goroutines (STYLE.md rule
// 18's exception): at most Concurrency of them, which make the requests. They
// run only while the loop runs and are cancelled with ctx or when the loop
// ends; List returns only after every one has returned, so none outlives the
// loop. The client must honour ctx: a request that ignores it holds up the
// end of the loop until it returns. A panic of the client's is raised again
// in the caller's goroutine, after the others have returned. The merge needs the first page of every
// shard before the first object, so List holds at most one page (PageSize
// objects) per shard, plus at most Concurrency pages fetched ahead of the
// merge: memory grows with 16^Digits × PageSize. It does not grow with the
// number of pages listed; the one exception is a run of empty truncated
// pages, for which a shard remembers a hash of each token (8 bytes) until a
// page holds an object. With Digits 3 or 4 and large buckets, set PageSize
// lower.
func List(ctx context.Context, client s3.ListObjectsV2APIClient, bucket, logicalPrefix string, sharder Sharder, optFns ...func(*ListOptions)) iter.Seq2[Object, error] {
	var o ListOptions
	for _, fn := range optFns {
		fn(&o)
	}
	return func(yield func(Object, error) bool) {
		switch {
		case sharder.digits == 0:
			yield(Object{}, fmt.Errorf("%w: zero Sharder; use New", ErrInvalidDigits))
			return
		case client == nil:
			yield(Object{}, fmt.Errorf("%w: List: nil client", ErrInvalidArgument))
			return
		case bucket == "":
			yield(Object{}, fmt.Errorf("%w: List: empty bucket name", ErrInvalidArgument))
			return
		case strings.HasSuffix(bucket, "--x-s3") || strings.HasSuffix(bucket, "--xa-s3"):
			yield(Object{}, fmt.Errorf("%w: List: %q is a directory bucket or one of its access points, whose listings are not in key order", ErrInvalidArgument, bucket))
			return
		case len(logicalPrefix) > MaxKeyBytes-sharder.digits-1:
			// No sharded key is that long, and each shard would copy it.
			yield(Object{}, fmt.Errorf("%w: List: logical prefix of %d bytes, longer than any sharded key's logical part (%d)", ErrInvalidArgument, len(logicalPrefix), MaxKeyBytes-sharder.digits-1))
			return
		case o.Concurrency < 0 || o.PageSize < 0:
			yield(Object{}, fmt.Errorf("%w: List: negative Concurrency %d or PageSize %d", ErrInvalidArgument, o.Concurrency, o.PageSize))
			return
		}
		if o.Concurrency == 0 {
			o.Concurrency = DefaultConcurrency
		}
		count := 1 << (4 * sharder.digits)
		workers := min(o.Concurrency, count)
		inner, cancel := context.WithCancel(ctx)
		l := &lister{
			ctx: inner, client: client, bucket: bucket, pageSize: o.PageSize, ahead: o.Concurrency,
			jobs: make(chan job), results: make(chan result, workers), seed: maphash.MakeSeed(),
		}
		l.wg.Add(workers)
		for range workers {
			go l.work()
		}
		defer l.wg.Wait() // runs after cancel: every request has returned
		defer cancel()

		// Ask every shard for its first page, then merge their heads.
		var buf [MaxDigits]byte
		shards := make([]*shard, count)
		for i := range shards {
			v := i
			for j := sharder.digits - 1; j >= 0; j-- {
				buf[j] = hexDigits[v&0xf]
				v >>= 4
			}
			shards[i] = &shard{prefix: string(buf[:sharder.digits]) + "/" + logicalPrefix, strip: sharder.digits + 1}
			l.enqueue(shards[i], false)
		}
		h := make(shardHeap, 0, len(shards))
		for i, s := range shards {
			if err := l.advance(s); err != nil {
				yield(Object{}, l.stopped(ctx, err))
				return
			}
			if s.ok() {
				h = append(h, s)
			}
			shards[i] = nil // the heap holds what is left
		}
		heap.Init(&h)
		for len(h) > 0 {
			if ctx.Err() != nil {
				yield(Object{}, l.stopped(ctx, nil))
				return
			}
			s := h[0]
			obj := s.page[s.pos]
			key := *obj.Key // advance checked: non-nil, under s.prefix
			var err error
			if _, serr := sharder.Split(key); serr != nil {
				err = fmt.Errorf("object in shard %q: %w", key[:s.strip], serr)
			}
			if !yield(Object{LogicalKey: key[s.strip:], Object: obj}, err) {
				return
			}
			s.pos++
			if s.pos == len(s.page) {
				if err := l.advance(s); err != nil {
					yield(Object{}, l.stopped(ctx, err))
					return
				}
			}
			if s.ok() {
				heap.Fix(&h, 0)
			} else {
				heap.Pop(&h)
			}
		}
		if ctx.Err() != nil {
			// The last shards may have been cut short by the cancellation.
			yield(Object{}, l.stopped(ctx, nil))
		}
	}
}

// lister runs one List: a fixed pool of workers making the requests, fed and
// drained by the iterator's goroutine, which owns every shard.
type lister struct {
	ctx      context.Context
	client   s3.ListObjectsV2APIClient
	bucket   string
	pageSize int32
	ahead    int // how many shards may have a page fetched ahead of the merge
	seed     maphash.Seed

	jobs    chan job    // to the workers; unbuffered, so a send means a worker took it
	results chan result // from the workers
	wg      sync.WaitGroup

	queue   []job // waiting for a worker; urgent jobs go first
	pending int   // shards with a request queued or running, or a page fetched and not yet taken
}

type job struct {
	s     *shard
	token *string
}

type result struct {
	s        *shard
	out      *s3.ListObjectsV2Output
	err      error
	panicked bool // the client panicked with value
	value    any
}

// shard is one shard's listing: the current page and the position in it, the
// next page once fetched, and what is needed to check the responses.
type shard struct {
	prefix string // "PREFIX/" + logical prefix: the request's Prefix
	strip  int    // len("PREFIX/"): the logical key starts there
	page   []types.Object
	pos    int

	busy    bool                // a request is queued or running
	fetched *result             // the next page, fetched and not yet taken
	token   *string             // the continuation token of the next page; nil when the last page was taken
	started bool                // the first page was taken
	last    string              // the last key taken, for the order check
	tokens  map[uint64]struct{} // hashes of the tokens of the current run of empty pages
}

func (s *shard) ok() bool { return s.pos < len(s.page) }

// work runs requests until the context ends.
func (l *lister) work() {
	defer l.wg.Done()
	for {
		select {
		case j := <-l.jobs:
			select {
			case l.results <- l.fetch(j):
			case <-l.ctx.Done():
				return
			}
		case <-l.ctx.Done():
			return
		}
	}
}

// fetch makes one request. A panic of the client's is caught and handed to
// the iterator's goroutine, which panics with it: in the caller's goroutine,
// where the caller can recover it, as with the SDK's paginator.
func (l *lister) fetch(j job) (r result) {
	defer func() {
		if v := recover(); v != nil {
			r = result{s: j.s, panicked: true, value: v}
		}
	}()
	in := &s3.ListObjectsV2Input{Bucket: aws.String(l.bucket), Prefix: aws.String(j.s.prefix), ContinuationToken: j.token}
	if l.pageSize > 0 {
		in.MaxKeys = aws.Int32(l.pageSize)
	}
	out, err := l.client.ListObjectsV2(l.ctx, in)
	return result{s: j.s, out: out, err: err}
}

// enqueue asks for the shard's next page; urgent requests (a page the merge
// waits for) go before pages fetched ahead.
func (l *lister) enqueue(s *shard, urgent bool) {
	s.busy = true
	l.pending++
	j := job{s: s, token: s.token}
	if urgent {
		l.queue = append([]job{j}, l.queue...)
	} else {
		l.queue = append(l.queue, j)
	}
}

// step hands a queued job to a free worker or takes one result, whichever
// comes first; it fails when the context ends.
func (l *lister) step() error {
	var jobs chan job
	var next job
	if len(l.queue) > 0 {
		jobs, next = l.jobs, l.queue[0]
	}
	select {
	case jobs <- next:
		l.queue[0] = job{}
		l.queue = l.queue[1:]
	case r := <-l.results:
		if r.panicked {
			panic(r.value) // List's deferred calls end the workers first
		}
		r.s.busy = false
		r.s.fetched = &r
	case <-l.ctx.Done():
		return l.ctx.Err()
	}
	return nil
}

// advance moves a shard whose page is consumed to its next non-empty page,
// waiting for it if needed, and checks it. A shard with no page left stays
// empty.
func (l *lister) advance(s *shard) error {
	for s.pos >= len(s.page) {
		if s.started && s.token == nil && s.fetched == nil {
			return nil // the last page was taken
		}
		if s.fetched == nil && !s.busy {
			l.enqueue(s, true)
		}
		for s.fetched == nil {
			if err := l.step(); err != nil {
				return err
			}
		}
		r := s.fetched
		s.fetched = nil
		l.pending--
		if err := l.take(s, r); err != nil {
			return err
		}
		if s.token != nil && l.pending < l.ahead {
			l.enqueue(s, false) // fetch the page after it while this one is merged
		}
	}
	return nil
}

// maxKeys is the most entries a page may hold: PageSize, or S3's default of
// 1,000 when it is 0.
func (l *lister) maxKeys() int {
	if l.pageSize > 0 {
		return int(l.pageSize)
	}
	return defaultMaxKeys
}

// defaultMaxKeys is ListObjectsV2's MaxKeys when the request sets none.
const defaultMaxKeys = 1000

// take makes a fetched response the shard's current page after checking it
// against the ListObjectsV2 contract.
func (l *lister) take(s *shard, r *result) error {
	if r.err != nil {
		return &ListError{Prefix: s.prefix, Err: r.err}
	}
	bad := func(format string, args ...any) error {
		return &ListError{Prefix: s.prefix, Reason: fmt.Sprintf(format, args...), Err: ErrBadResponse}
	}
	if r.out == nil {
		return bad("no response")
	}
	// "The response might contain fewer keys but will never contain more"
	// than MaxKeys (ListObjectsV2 reference); the memory bound counts on it.
	if limit := l.maxKeys(); len(r.out.Contents) > limit {
		return bad("page of %d entries, more than MaxKeys %d", len(r.out.Contents), limit)
	}
	for i, o := range r.out.Contents {
		switch {
		case o.Key == nil:
			return bad("entry %d has no Key", i)
		case !strings.HasPrefix(*o.Key, s.prefix):
			return bad("entry %d is outside the requested prefix", i)
		case (s.started || i > 0) && *o.Key <= s.last:
			return bad("entry %d is not after the key before it (listings must be in ascending UTF-8 order)", i)
		}
		s.last = *o.Key
		s.started = true
	}
	s.started = true
	s.page, s.pos = r.out.Contents, 0
	prev := s.token
	s.token = nil
	if !aws.ToBool(r.out.IsTruncated) {
		return nil
	}
	next := r.out.NextContinuationToken
	switch {
	case next == nil:
		return bad("truncated page without NextContinuationToken")
	case *next == "":
		return bad("truncated page with an empty NextContinuationToken")
	case prev != nil && *prev == *next:
		return bad("the same continuation token twice in a row")
	}
	// A token seen before in this shard would list the same pages again. A
	// replay that passes a non-empty page repeats its keys, which the order
	// check rejects, so only the tokens of the current run of empty pages
	// need remembering: memory stays bounded by that run, not by the number
	// of pages listed.
	if len(r.out.Contents) > 0 {
		s.tokens = nil
		s.token = next
		return nil
	}
	if s.tokens == nil {
		s.tokens = make(map[uint64]struct{})
		if prev != nil {
			s.tokens[maphash.String(l.seed, *prev)] = struct{}{}
		}
	}
	hash := maphash.String(l.seed, *next)
	if _, seen := s.tokens[hash]; seen {
		return bad("a continuation token returned before for this shard")
	}
	s.tokens[hash] = struct{}{}
	s.token = next
	return nil
}

// stopped returns the error that ends the listing: the context's when the
// caller's context is done (whatever failed because of it), err otherwise.
func (l *lister) stopped(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if cause := context.Cause(ctx); cause != nil && cause != cerr {
			cerr = fmt.Errorf("%w: %w", cerr, cause)
		}
		return &ListError{Err: cerr}
	}
	if _, ok := err.(*ListError); !ok {
		err = &ListError{Err: err}
	}
	return err
}

// shardHeap orders shards by the logical key at their position.
type shardHeap []*shard

func (h shardHeap) Len() int { return len(h) }
func (h shardHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	return (*a.page[a.pos].Key)[a.strip:] < (*b.page[b.pos].Key)[b.strip:]
}
func (h shardHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *shardHeap) Push(x any)   { *h = append(*h, x.(*shard)) }
func (h *shardHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return s
}
