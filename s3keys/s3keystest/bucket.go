// Package s3keystest provides an in-memory S3 bucket that answers
// ListObjectsV2 as S3 does (prefix, MaxKeys, continuation tokens, UTF-8 byte
// order), for tests and examples of s3keys.List. For tests only.
package s3keystest

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Bucket is an in-memory bucket. The zero value is an empty bucket, safe for
// concurrent use.
type Bucket struct {
	// Name, when set, is the only bucket name ListObjectsV2 accepts.
	Name string
	// Fault, when set, is called before every ListObjectsV2 with its input;
	// a non-nil error is returned instead of the listing (inject throttling,
	// latency with a sleep, ...).
	Fault func(ctx context.Context, in *s3.ListObjectsV2Input) error

	mu   sync.Mutex
	keys []string // sorted
	size map[string]int64

	calls, inFlight, maxInFlight atomic.Int64
}

// Put adds an object of size bytes (no content is kept).
func (b *Bucket) Put(key string, size int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.size == nil {
		b.size = map[string]int64{}
	}
	if _, ok := b.size[key]; !ok {
		i, _ := slices.BinarySearch(b.keys, key)
		b.keys = slices.Insert(b.keys, i, key)
	}
	b.size[key] = size
}

// Calls returns the number of ListObjectsV2 calls so far.
func (b *Bucket) Calls() int64 { return b.calls.Load() }

// MaxInFlight returns the most ListObjectsV2 calls that were ever running at
// once.
func (b *Bucket) MaxInFlight() int64 { return b.maxInFlight.Load() }

// ErrUnsupported is returned for ListObjectsV2 parameters this fake does not
// implement (Delimiter, for example).
var ErrUnsupported = errors.New("s3keystest: unsupported parameter")

const tokenPrefix = "after:"

// ListObjectsV2 implements s3.ListObjectsV2APIClient as S3 answers it:
// Prefix, StartAfter, ContinuationToken, and MaxKeys (capped at 1,000; 0
// gives an empty page that is not truncated; negative is an InvalidArgument
// error). A truncated page always holds at least one object and a
// NextContinuationToken, so paging always ends.
func (b *Bucket) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	b.calls.Add(1)
	n := b.inFlight.Add(1)
	defer b.inFlight.Add(-1)
	for {
		m := b.maxInFlight.Load()
		if n <= m || b.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if b.Fault != nil {
		if err := b.Fault(ctx, in); err != nil {
			return nil, err
		}
	}
	if in.Delimiter != nil || in.EncodingType != "" {
		return nil, ErrUnsupported
	}
	if b.Name != "" && aws.ToString(in.Bucket) != b.Name {
		return nil, &types.NoSuchBucket{Message: aws.String("The specified bucket does not exist")}
	}
	// S3 caps MaxKeys at 1,000 and answers MaxKeys=0 with an empty page that
	// is not truncated (KeyCount 0, no continuation token).
	maxKeys := int32(1000)
	if in.MaxKeys != nil {
		if *in.MaxKeys < 0 {
			return nil, &smithy.GenericAPIError{Code: "InvalidArgument", Message: "max-keys must be a non-negative integer", Fault: smithy.FaultClient}
		}
		maxKeys = min(*in.MaxKeys, 1000)
	}
	after := aws.ToString(in.StartAfter)
	if t := aws.ToString(in.ContinuationToken); t != "" {
		if len(t) < len(tokenPrefix) || t[:len(tokenPrefix)] != tokenPrefix {
			return nil, errors.New("s3keystest: invalid continuation token")
		}
		after = t[len(tokenPrefix):]
	}
	prefix := aws.ToString(in.Prefix)

	b.mu.Lock()
	defer b.mu.Unlock()
	i := sort.SearchStrings(b.keys, max(prefix, after))
	if i < len(b.keys) && b.keys[i] == after {
		i++
	}
	out := &s3.ListObjectsV2Output{Name: in.Bucket, Prefix: in.Prefix, MaxKeys: aws.Int32(maxKeys), IsTruncated: aws.Bool(false)}
	modified := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; maxKeys > 0 && i < len(b.keys) && strings.HasPrefix(b.keys[i], prefix); i++ {
		if int32(len(out.Contents)) == maxKeys {
			out.IsTruncated = aws.Bool(true)
			out.NextContinuationToken = aws.String(tokenPrefix + b.keys[i-1])
			break
		}
		k := b.keys[i]
		out.Contents = append(out.Contents, types.Object{Key: aws.String(k), Size: aws.Int64(b.size[k]), LastModified: &modified, StorageClass: types.ObjectStorageClassStandard})
	}
	out.KeyCount = aws.Int32(int32(len(out.Contents)))
	return out, nil
}

var _ s3.ListObjectsV2APIClient = (*Bucket)(nil)
