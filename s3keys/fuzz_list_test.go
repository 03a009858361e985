package s3keys_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awskit/awskit/s3keys"
)

// fuzzServer answers ListObjectsV2 with pages generated from the fuzz input:
// each request reads one control byte (entries, truncation, token kind) and
// one byte per entry (nil key, key outside the prefix, key in the prefix).
// Once the input is used up, every answer is a final empty page, so a
// listing that terminates needs at most len(data) + shards requests.
type fuzzServer struct {
	mu     sync.Mutex
	data   []byte
	calls  int
	fresh  int
	served []string // every non-nil key served
}

func (f *fuzzServer) next() (byte, bool) {
	if len(f.data) == 0 {
		return 0, false
	}
	b := f.data[0]
	f.data = f.data[1:]
	return b, true
}

func (f *fuzzServer) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(false)}
	c, ok := f.next()
	if !ok {
		return out, nil
	}
	if c == 0xff {
		return nil, errors.New("fuzz: request failed")
	}
	prefix := aws.ToString(in.Prefix)
	for range c & 3 {
		e, _ := f.next()
		var key *string
		switch e % 8 {
		case 0: // no key
		case 1:
			key = aws.String(prefix[:int(e/8)%len(prefix)]) // shorter than the prefix
		case 2:
			key = aws.String("z/" + string(rune('a'+e%26)))
		default:
			key = aws.String(fmt.Sprintf("%s%02x", prefix, e/8))
		}
		if key != nil {
			f.served = append(f.served, *key)
		}
		out.Contents = append(out.Contents, types.Object{Key: key})
	}
	if c&4 != 0 {
		out.IsTruncated = aws.Bool(true)
		switch (c >> 3) & 3 {
		case 0:
			f.fresh++
			out.NextContinuationToken = aws.String(fmt.Sprintf("t%d", f.fresh))
		case 1: // nil
		case 2:
			out.NextContinuationToken = aws.String("")
		case 3:
			out.NextContinuationToken = aws.String(fmt.Sprintf("t%d", (c>>5)%4)) // may repeat an earlier one
		}
	}
	return out, nil
}

func FuzzList(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 3, 1, 4, 4 | 1, 3, 1, 5, 0})
	f.Add([]byte{4 | 2, 3, 11, 4 | 3<<3, 4 | 3<<3})     // repeated tokens
	f.Add([]byte{2, 11, 3})                             // out of order
	f.Add([]byte{1, 0, 1, 1, 1, 2, 4 | 1<<3, 4 | 2<<3}) // nil key, short key, outside, nil and empty tokens
	f.Add([]byte{4, 4, 4, 4, 0xff})                     // empty truncated pages, then a failed request
	f.Fuzz(func(t *testing.T, data []byte) {
		s := must(t, 1)
		srv := &fuzzServer{data: slices.Clone(data)}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var got []string
		var terminal error
		prev := ""
		for o, err := range s3keys.List(ctx, srv, "bkt", "", s, func(o *s3keys.ListOptions) { o.Concurrency = 1 }) {
			if terminal != nil {
				t.Fatalf("element after the terminal error %v", terminal)
			}
			if err != nil && !errors.Is(err, s3keys.ErrNotSharded) {
				if !errors.Is(err, s3keys.ErrList) {
					t.Fatalf("error matches no sentinel: %v", err)
				}
				terminal = err
				continue
			}
			if o.Key == nil || *o.Key != (*o.Key)[:2]+o.LogicalKey {
				t.Fatalf("object %+v: key and logical key disagree", o)
			}
			if o.LogicalKey < prev {
				t.Fatalf("out of order: %q after %q", o.LogicalKey, prev)
			}
			prev = o.LogicalKey
			got = append(got, *o.Key)
		}
		if errors.Is(terminal, context.DeadlineExceeded) {
			t.Fatalf("List did not end: %d requests", srv.calls)
		}
		if max := len(data) + 16; srv.calls > max {
			t.Fatalf("%d requests for %d bytes of input", srv.calls, len(data))
		}
		if terminal == nil {
			// Complete: every key served was yielded, once.
			want := slices.Clone(srv.served)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("yielded %q, served %q", got, want)
			}
		}
	})
}
