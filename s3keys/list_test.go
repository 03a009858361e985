package s3keys_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/s3keys"
	"github.com/awskit/awskit/s3keys/s3keystest"
)

func fill(b *s3keystest.Bucket, s s3keys.Sharder, keys []string) {
	for i, k := range keys {
		b.Put(s.Key(k), int64(i))
	}
}

func collect(t *testing.T, seq func(func(s3keys.Object, error) bool)) []string {
	t.Helper()
	var got []string
	for o, err := range seq {
		require.NoError(t, err)
		got = append(got, o.LogicalKey)
		require.Equal(t, aws.ToString(o.Key)[3:], o.LogicalKey, "the S3 key is the sharded key")
	}
	return got
}

func TestListMergesShardsInOrder(t *testing.T) {
	s := must(t, 2)
	b := &s3keystest.Bucket{Name: "bkt"}
	var keys []string
	for i := range 3000 {
		keys = append(keys, fmt.Sprintf("events/2026-11-25T%06d.json", i))
	}
	keys = append(keys, "other/x", "events/é", "events/")
	fill(b, s, keys)

	got := collect(t, s3keys.List(context.Background(), b, "bkt", "events/", s, func(o *s3keys.ListOptions) { o.PageSize = 7 }))
	var want []string
	for _, k := range keys {
		if len(k) >= 7 && k[:7] == "events/" {
			want = append(want, k)
		}
	}
	slices.Sort(want)
	assert.Equal(t, want, got)
	assert.LessOrEqual(t, b.MaxInFlight(), int64(s3keys.DefaultConcurrency))

	all := collect(t, s3keys.List(context.Background(), b, "bkt", "", s))
	assert.Len(t, all, len(keys))
	assert.True(t, slices.IsSorted(all))
}

func TestListConcurrencyBound(t *testing.T) {
	s := must(t, 2)
	b := &s3keystest.Bucket{Fault: func(ctx context.Context, _ *s3.ListObjectsV2Input) error {
		time.Sleep(200 * time.Microsecond)
		return nil
	}}
	fill(b, s, []string{"a", "b", "c"})
	for _, c := range []int{1, 3, 16} {
		got := collect(t, s3keys.List(context.Background(), b, "bkt", "", s, func(o *s3keys.ListOptions) { o.Concurrency = c }))
		assert.Equal(t, []string{"a", "b", "c"}, got)
	}
	assert.LessOrEqual(t, b.MaxInFlight(), int64(16))
}

func TestListStopsCleanly(t *testing.T) {
	s := must(t, 3) // 4,096 shards
	b := &s3keystest.Bucket{}
	for i := range 5000 {
		b.Put(s.Key(fmt.Sprintf("k%05d", i)), 1)
	}
	before := runtime.NumGoroutine()
	n := 0
	for _, err := range s3keys.List(context.Background(), b, "bkt", "", s) {
		require.NoError(t, err)
		if n++; n == 10 {
			break
		}
	}
	assert.Equal(t, 10, n)
	// Every goroutine List started has returned when the loop is left.
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

func TestListContextCanceled(t *testing.T) {
	s := must(t, 2)
	b := &s3keystest.Bucket{}
	fill(b, s, []string{"a", "b"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errs []error
	for _, err := range s3keys.List(ctx, b, "bkt", "", s) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

func TestListError(t *testing.T) {
	s := must(t, 1)
	var calls atomic.Int64
	throttle := &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate."}
	b := &s3keystest.Bucket{Fault: func(ctx context.Context, in *s3.ListObjectsV2Input) error {
		if calls.Add(1) == 5 {
			return throttle
		}
		return nil
	}}
	fill(b, s, []string{"a", "b", "c", "d"})
	var last error
	count := 0
	for _, err := range s3keys.List(context.Background(), b, "bkt", "", s) {
		count++
		last = err
	}
	require.Error(t, last)
	var api smithy.APIError
	require.ErrorAs(t, last, &api)
	assert.Equal(t, "SlowDown", api.ErrorCode())
	assert.Equal(t, 1, count, "the first shard response is needed before any object: the error comes first")

	_, err := firstErr(s3keys.List(context.Background(), &s3keystest.Bucket{Name: "other"}, "bkt", "", s))
	var nsb *types.NoSuchBucket
	assert.ErrorAs(t, err, &nsb)
}

func firstErr(seq func(func(s3keys.Object, error) bool)) (s3keys.Object, error) {
	for o, err := range seq {
		if err != nil {
			return o, err
		}
	}
	return s3keys.Object{}, nil
}

func TestListForeignKey(t *testing.T) {
	s := must(t, 1)
	b := &s3keystest.Bucket{}
	fill(b, s, []string{"a", "b"})
	b.Put("0/not-hashed", 1) // in a shard prefix, but not written by the Sharder
	var errs, ok int
	for o, err := range s3keys.List(context.Background(), b, "bkt", "", s) {
		if err != nil {
			assert.ErrorIs(t, err, s3keys.ErrNotSharded)
			assert.Equal(t, "0/not-hashed", aws.ToString(o.Key))
			errs++
			continue
		}
		ok++
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 2, ok)
}

func TestListInvalidArguments(t *testing.T) {
	_, err := firstErr(s3keys.List(context.Background(), &s3keystest.Bucket{}, "bkt", "", s3keys.Sharder{}))
	assert.ErrorIs(t, err, s3keys.ErrInvalidDigits)
	_, err = firstErr(s3keys.List(context.Background(), &s3keystest.Bucket{}, "", "", must(t, 1)))
	assert.Error(t, err)
	assert.False(t, errors.Is(err, s3keys.ErrNotSharded))
}
