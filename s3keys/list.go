package s3keys

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"iter"
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
	// Concurrency is the most ListObjectsV2 requests in flight at once;
	// 0 means DefaultConcurrency.
	Concurrency int
	// PageSize is MaxKeys of each request; 0 leaves S3's default (1,000).
	PageSize int32
}

// Object is one listed object: the S3 listing entry (whose Key is the
// sharded key) and its logical key.
type Object struct {
	LogicalKey string
	types.Object
}

// List lists every object whose logical key starts with logicalPrefix, across
// all 16^Digits shards of bucket, in logical-key order (UTF-8 byte order, as
// S3 lists). It queries the shards concurrently, with at most
// Concurrency requests in flight, each shard paged with continuation tokens
// and its next page fetched while the current one is consumed, and merges
// them.
//
// The sequence ends at the first listing error, yielded with a zero Object
// (the SDK error stays reachable with errors.As). An object in a shard
// prefix whose hash does not match its key (not written through this
// Sharder) is yielded with an error matching ErrNotSharded, and the sequence
// goes on if the consumer continues. When the consumer stops or ctx ends,
// List cancels its requests and returns only after every request it started
// has returned: no goroutine outlives the loop.
func List(ctx context.Context, client s3.ListObjectsV2APIClient, bucket, logicalPrefix string, sharder Sharder, optFns ...func(*ListOptions)) iter.Seq2[Object, error] {
	var o ListOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	return func(yield func(Object, error) bool) {
		if sharder.digits == 0 {
			yield(Object{}, fmt.Errorf("%w: zero Sharder; use New", ErrInvalidDigits))
			return
		}
		if bucket == "" {
			yield(Object{}, errors.New("s3keys: List: empty bucket name"))
			return
		}
		l := &lister{client: client, bucket: bucket, opts: o, sem: make(chan struct{}, o.Concurrency)}
		ctx, cancel := context.WithCancel(ctx)
		defer l.wg.Wait() // runs after cancel: every request has returned
		defer cancel()

		prefixes := sharder.Prefixes()
		shards := make([]*shard, len(prefixes))
		for i, p := range prefixes {
			shards[i] = &shard{prefix: p + "/" + logicalPrefix, strip: len(p) + 1}
			l.fetch(ctx, shards[i], nil)
		}
		h := make(shardHeap, 0, len(shards))
		for _, s := range shards {
			if err := l.advance(ctx, s); err != nil {
				yield(Object{}, err)
				return
			}
			if s.ok() {
				h = append(h, s)
			}
		}
		heap.Init(&h)
		for len(h) > 0 {
			s := h[0]
			obj := s.page[s.pos]
			key := aws.ToString(obj.Key)
			var err error
			if _, serr := sharder.Split(key); serr != nil {
				err = fmt.Errorf("object in shard %q: %w", key[:s.strip], serr)
			}
			if !yield(Object{LogicalKey: key[s.strip:], Object: obj}, err) {
				return
			}
			s.pos++
			if s.pos == len(s.page) {
				if err := l.advance(ctx, s); err != nil {
					yield(Object{}, err)
					return
				}
			}
			if s.ok() {
				heap.Fix(&h, 0)
			} else {
				heap.Pop(&h)
			}
		}
	}
}

type lister struct {
	client s3.ListObjectsV2APIClient
	bucket string
	opts   ListOptions
	sem    chan struct{}
	wg     sync.WaitGroup
}

type pageResult struct {
	objects []types.Object
	next    *string
	err     error
}

// shard is one shard's listing: the current page, the position in it, and
// the fetch of the next page under way, if any.
type shard struct {
	prefix  string
	strip   int // len("PREFIX/"): the logical key starts there
	page    []types.Object
	pos     int
	pending chan pageResult // the fetch of the next page, nil when none is under way
}

func (s *shard) ok() bool { return s.pos < len(s.page) }

// advance moves a shard whose page is consumed to its next page, waiting
// for the fetch under way, and starts the fetch of the page after it, so one
// page per shard is always in flight ahead of the merge. A shard with no page
// left stays empty.
func (l *lister) advance(ctx context.Context, s *shard) error {
	for s.pos >= len(s.page) && s.pending != nil {
		r := <-s.pending
		s.pending = nil
		if r.err != nil {
			return fmt.Errorf("s3keys: listing %q: %w", s.prefix, r.err)
		}
		s.page, s.pos = r.objects, 0
		if r.next != nil {
			l.fetch(ctx, s, r.next)
		}
	}
	return nil
}

// fetch starts the request for a shard's page after token (nil: the first).
func (l *lister) fetch(ctx context.Context, s *shard, token *string) {
	ch := make(chan pageResult, 1) // buffered: the goroutine never blocks on send
	s.pending = ch
	in := &s3.ListObjectsV2Input{Bucket: aws.String(l.bucket), Prefix: aws.String(s.prefix), ContinuationToken: token}
	if l.opts.PageSize > 0 {
		in.MaxKeys = aws.Int32(l.opts.PageSize)
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		select {
		case l.sem <- struct{}{}:
		case <-ctx.Done():
			ch <- pageResult{err: ctx.Err()}
			return
		}
		out, err := l.client.ListObjectsV2(ctx, in)
		<-l.sem
		if err != nil {
			ch <- pageResult{err: err}
			return
		}
		next := out.NextContinuationToken
		if !aws.ToBool(out.IsTruncated) {
			next = nil
		}
		ch <- pageResult{objects: out.Contents, next: next}
	}()
}

// shardHeap orders shards by the logical key at their position.
type shardHeap []*shard

func (h shardHeap) Len() int { return len(h) }
func (h shardHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	return aws.ToString(a.page[a.pos].Key)[a.strip:] < aws.ToString(b.page[b.pos].Key)[b.strip:]
}
func (h shardHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *shardHeap) Push(x any)   { *h = append(*h, x.(*shard)) }
func (h *shardHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	*h = old[:len(old)-1]
	return s
}
