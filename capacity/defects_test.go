package capacity_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

// Issue 19.9: an item built from shared references to one large value is
// cheap to build but huge to count. On 32-bit platforms the sum wrapped (4096
// references to 1 MiB wrap to a few KB with no error); everywhere, shared
// subtrees took time exponential in depth.
func TestItemSizeSharedReferences(t *testing.T) {
	big := s(strings.Repeat("x", 1<<20))
	refs := make([]types.AttributeValue, 4096) // 4 GiB counted, 1 MiB stored
	for i := range refs {
		refs[i] = big
	}
	got, err := capacity.ItemSize(item{"l": l(refs...)})
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
	assert.Greater(t, got, capacity.MaxItemBytes, "the size returned with ErrItemTooLarge is over the limit")

	// A binary tree of depth 31 whose two children are the same value: 2^31
	// leaves of 1 KB. Counting stops once the size passes the limit.
	var v types.AttributeValue = s(strings.Repeat("y", 1024))
	for range 31 {
		v = l(v, v)
	}
	got, err = capacity.ItemSize(item{"t": v})
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
	assert.Greater(t, got, capacity.MaxItemBytes)
	_, err = capacity.AttributeSize(v)
	require.ErrorIs(t, err, capacity.ErrItemTooLarge, "AttributeSize stops at the limit too")
}

// Issue 19.12: the error for an item with several bad attributes no longer
// depends on map order: it is the first bad attribute in name order, at every
// level of nesting.
func TestItemSizeErrorDeterministic(t *testing.T) {
	bad := item{
		"d": n("x"),
		"a": &types.AttributeValueMemberNULL{Value: false},
		"c": nil,
		"b": m(item{"z": nil, "y": n("1e999"), "x": &types.AttributeValueMemberSS{}}),
		"e": &types.AttributeValueMemberNS{},
	}
	for range 100 {
		_, err := capacity.ItemSize(bad)
		require.ErrorIs(t, err, capacity.ErrInvalidValue)
		require.Equal(t, `attribute "a": capacity: invalid attribute value: NULL must be true`, err.Error())
	}
	delete(bad, "a")
	for range 100 {
		_, err := capacity.ItemSize(bad)
		require.ErrorIs(t, err, capacity.ErrInvalidValue)
		require.Equal(t, `attribute "b": "x": capacity: invalid attribute value: empty string set`, err.Error())
	}
	// An item that is both too large and invalid: the attributes are taken in
	// name order, and the first problem met is the one reported.
	huge := s(strings.Repeat("h", capacity.MaxItemBytes))
	for range 50 {
		_, err := capacity.ItemSize(item{"a": huge, "b": nil, "c": huge})
		require.ErrorIs(t, err, capacity.ErrItemTooLarge)
		_, err = capacity.ItemSize(item{"b": huge, "a": nil, "c": huge})
		require.ErrorIs(t, err, capacity.ErrUnknownType)
	}
}

// Issue 19.10: absurd but finite workloads are rejected instead of planned as
// 1 RCU, and huge stored sizes give exact partition counts.
func TestPlanTableAbsurdInputs(t *testing.T) {
	for i, w := range []capacity.Workload{
		{ItemBytes: 1024, ReadsPerSecond: 1e18},
		{ItemBytes: 1024, WritesPerSecond: 1e18},
		{ItemBytes: 400 * 1024, ReadsPerSecond: math.MaxFloat64},
		{Indexes: []capacity.GlobalIndex{{Name: "i", ItemBytes: 1024, ReadsPerSecond: 1e300}}},
		{WritesPerSecond: 1e17, Indexes: []capacity.GlobalIndex{{Name: "i", ItemBytes: 1024, WriteFraction: 1}}},
	} {
		p, err := capacity.PlanTable(w, capacity.Prices{})
		assert.ErrorIs(t, err, capacity.ErrInvalidInput, "case %d: got %+v", i, p.Table)
	}
	p, err := capacity.PlanTable(capacity.Workload{StoredBytes: math.MaxInt64}, capacity.Prices{})
	require.NoError(t, err)
	// ceil((2^63-1) / 10 GiB) = 858,993,460.
	assert.Equal(t, int64(858993460), p.Table.Partitions)
	p, err = capacity.PlanTable(capacity.Workload{Indexes: []capacity.GlobalIndex{{StoredBytes: math.MaxInt64}}}, capacity.Prices{})
	require.NoError(t, err)
	assert.Equal(t, int64(858993460), p.Indexes[0].Partitions)
}

// Issue 19.11: a page sum of huge sizes no longer wraps.
func TestPageSumHugeSizes(t *testing.T) {
	// 1 + MaxInt bytes on one page: (MaxInt+1)/4096 units, strong; the page
	// is full, so a second request reads nothing and costs the minimum, 1.
	want := float64(uint64(math.MaxInt)+1)/4096 + 1
	assert.Equal(t, want, capacity.QueryBytes([]int{1, math.MaxInt}, capacity.Strong))
	want = 2*float64(uint64(math.MaxInt)/4096+1) + 1
	assert.Equal(t, want, capacity.QueryBytes([]int{math.MaxInt, math.MaxInt}, capacity.Strong), "two full pages")
	assert.Equal(t, 1.0, capacity.QueryBytes([]int{math.MinInt, -1}, capacity.Strong), "negative sizes count as 0")
}

// The bounds PlanTable documents, at their edges: 2^53 units per second is
// rejected, one less is planned exactly; an index item of 409,600 bytes is
// allowed, one more byte is not.
func TestPlanTableEdges(t *testing.T) {
	const limit = 1 << 53
	p, err := capacity.PlanTable(capacity.Workload{ItemBytes: 1, ReadsPerSecond: limit - 1, StrongFraction: 1, WritesPerSecond: limit - 1}, capacity.Prices{})
	require.NoError(t, err)
	assert.Equal(t, int64(limit-1), p.Table.RCU)
	assert.Equal(t, int64(limit-1), p.Table.WCU)
	for _, w := range []capacity.Workload{
		{ItemBytes: 1, ReadsPerSecond: limit, StrongFraction: 1},
		{ItemBytes: 1, WritesPerSecond: limit},
	} {
		_, err := capacity.PlanTable(w, capacity.Prices{})
		assert.ErrorIs(t, err, capacity.ErrInvalidInput, "%+v", w)
	}
	_, err = capacity.PlanTable(capacity.Workload{Indexes: []capacity.GlobalIndex{{Name: "i", ItemBytes: capacity.MaxItemBytes}}}, capacity.Prices{})
	require.NoError(t, err)
	_, err = capacity.PlanTable(capacity.Workload{Indexes: []capacity.GlobalIndex{{Name: "i", ItemBytes: capacity.MaxItemBytes + 1}}}, capacity.Prices{})
	assert.ErrorIs(t, err, capacity.ErrItemTooLarge)
	_, err = capacity.PlanTable(capacity.Workload{ItemBytes: capacity.MaxItemBytes}, capacity.Prices{})
	require.NoError(t, err)
}

// ItemSize stops at the first value that takes the size past the limit, at
// any depth: a list that has counted 390 KB before a nested list of 1 KB
// strings stops inside the nested list, not 400 KB later.
func TestItemSizeStopsAtTheLimit(t *testing.T) {
	kb := s(strings.Repeat("k", 1024))
	outer := make([]types.AttributeValue, 390)
	for i := range outer {
		outer[i] = kb
	}
	inner := make([]types.AttributeValue, 1000)
	for i := range inner {
		inner[i] = kb
	}
	outer = append(outer, l(inner...))
	got, err := capacity.ItemSize(item{"t": l(outer...)})
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
	assert.Greater(t, got, capacity.MaxItemBytes)
	assert.LessOrEqual(t, got, capacity.MaxItemBytes+1024+1, "at most the limit plus the last string and its element byte")

	// A single value of exactly 400 KB is allowed, one byte more is not.
	n, err := capacity.AttributeSize(s(strings.Repeat("a", capacity.MaxItemBytes)))
	require.NoError(t, err)
	assert.Equal(t, capacity.MaxItemBytes, n)
	n, err = capacity.AttributeSize(s(strings.Repeat("a", capacity.MaxItemBytes+1)))
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
	assert.Equal(t, capacity.MaxItemBytes+1, n)
}

// Containers whose elements reach the limit exactly at an element boundary,
// and then hold one more element: counting must not stop at the boundary.
func TestItemSizeLimitAtElementBoundaries(t *testing.T) {
	const limit = capacity.MaxItemBytes
	big := func(n int) string { return strings.Repeat("x", n) }
	// Name "v" is 1 byte; the value gets the remaining 409,599 bytes.
	tests := []struct {
		name   string
		at, up types.AttributeValue // exactly at the limit; the same and one more element
	}{
		{"string set", ss(big(limit-1-1), "b"), ss(big(limit-1-1), "b", "c")},
		{"binary set", bs([]byte(big(limit-1-1)), []byte("b")), bs([]byte(big(limit-1-1)), []byte("b"), []byte("c"))},
		{"list", l(s(big(limit-1-3-1-1)), s("")), l(s(big(limit-1-3-1-1)), s(""), s(""))},
		{"map", m(item{"a": s(big(limit - 1 - 3 - 2 - 2)), "b": s("")}), m(item{"a": s(big(limit - 1 - 3 - 2 - 2)), "b": s(""), "c": s("")})},
	}
	for _, tc := range tests {
		got, err := capacity.ItemSize(item{"v": tc.at})
		require.NoError(t, err, tc.name)
		assert.Equal(t, limit, got, tc.name)
		for range 20 { // map order varies
			got, err = capacity.ItemSize(item{"v": tc.up})
			require.ErrorIs(t, err, capacity.ErrItemTooLarge, "%s: %d", tc.name, got)
		}
	}
	// A number set of 20-byte numbers that ends exactly at the limit, then
	// one more number.
	// 1 (name) + 19 + 20 * 20,479 = 409,600.
	nums := []string{"1" + strings.Repeat("0", 34) + "1"} // 36 digits: 18 pairs + 1 = 19 bytes
	for i := range 20479 {
		nums = append(nums, fmt.Sprintf("1%036d1", i)) // 38 digits: 19 pairs + 1 = 20 bytes
	}
	got, err := capacity.ItemSize(item{"v": ns(nums...)})
	require.NoError(t, err)
	require.Equal(t, limit, got)
	_, err = capacity.ItemSize(item{"v": ns(append(nums, "2")...)})
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
}
