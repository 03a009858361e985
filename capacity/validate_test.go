package capacity_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

func ss(v ...string) types.AttributeValue { return &types.AttributeValueMemberSS{Value: v} }
func ns(v ...string) types.AttributeValue { return &types.AttributeValueMemberNS{Value: v} }
func bs(v ...[]byte) types.AttributeValue { return &types.AttributeValueMemberBS{Value: v} }

func TestValidate(t *testing.T) {
	valid := []item{
		{},
		{"s": ss("a", "b", "A"), "n": ns("1", "-1", "10", "0.1", "1.5"), "b": bs([]byte{1}, []byte{1, 0}, []byte{})},
		{"n": ns("0")},
		{"n": ns("12345678901234567890123456789012345678", "12345678901234567890123456789012345679")},
		{"l": l(ss("x"), m(item{"n": ns("1", "2")}))},
	}
	for _, it := range valid {
		assert.NoError(t, capacity.Validate(it), "Validate(%v)", it)
	}
	dups := []struct {
		name string
		item item
		msg  string
	}{
		{"strings", item{"s": ss("a", "b", "a")}, `attribute "s": capacity: invalid attribute value: duplicate string set elements [0] and [2]`},
		{"binaries", item{"b": bs([]byte{1, 2}, []byte{1, 2})}, `attribute "b": capacity: invalid attribute value: duplicate binary set elements [0] and [1]`},
		{"1 and 1.0", item{"n": ns("2", "1", "1.0")}, "duplicate number set elements [1] and [2]"},
		{"100 and 1e2", item{"n": ns("1e2", "100")}, "[0] and [1]"},
		{"0.5 and 5E-1", item{"n": ns("0.5", "5E-1")}, "[0] and [1]"},
		{"-0 and 0", item{"n": ns("-0", "0.000")}, "[0] and [1]"},
		{"+7 and 7", item{"n": ns("+7", "007.00")}, "[0] and [1]"},
		{"-1.5 and -15e-1", item{"n": ns("1.5", "-1.5", "-15e-1")}, "[1] and [2]"},
		{"nested in a list", item{"l": l(s("x"), ss("q", "q"))}, `attribute "l": [1]: capacity: invalid attribute value: duplicate string set elements [0] and [1]`},
		{"nested in a map", item{"m": m(item{"k": ns("3", "3.0")})}, `attribute "m": "k": capacity`},
	}
	for _, tc := range dups {
		err := capacity.Validate(tc.item)
		require.ErrorIs(t, err, capacity.ErrInvalidValue, tc.name)
		assert.Contains(t, err.Error(), tc.msg, tc.name)
	}
	// ItemSize's errors come first, unchanged.
	assert.ErrorIs(t, capacity.Validate(item{"n": ns("1", "x")}), capacity.ErrInvalidNumber)
	assert.ErrorIs(t, capacity.Validate(item{"x": nil}), capacity.ErrUnknownType)
}

func TestValidateLargeSets(t *testing.T) {
	const k = 500
	strs := make([]string, k)
	nums := make([]string, k)
	bins := make([][]byte, k)
	for i := range k {
		strs[i] = strconv.Itoa(i)
		nums[i] = strconv.Itoa(i)
		bins[i] = []byte(strconv.Itoa(i))
	}
	require.NoError(t, capacity.Validate(item{"s": ss(strs...), "n": ns(nums...), "b": bs(bins...)}))

	// Duplicates at 300/400 and 100/450: the reported pair is the first
	// element that repeats an earlier one (450), with that earlier one.
	strs[400], strs[450] = strs[300], strs[100]
	err := capacity.Validate(item{"s": ss(strs...)})
	require.ErrorIs(t, err, capacity.ErrInvalidValue)
	assert.Contains(t, err.Error(), "[300] and [400]")
	nums[400], nums[450] = "3.00e2", "1e2" // 300 and 100 by value
	err = capacity.Validate(item{"n": ns(nums...)})
	require.ErrorIs(t, err, capacity.ErrInvalidValue)
	assert.Contains(t, err.Error(), "[300] and [400]")
	bins[499] = []byte("7")
	err = capacity.Validate(item{"b": bs(bins...)})
	require.ErrorIs(t, err, capacity.ErrInvalidValue)
	assert.Contains(t, err.Error(), "[7] and [499]")

	// Small and large sets find the same pair.
	for _, size := range []int{64, 65} {
		set := make([]string, size)
		for i := range set {
			set[i] = fmt.Sprint(i)
		}
		set[size-1], set[size-2] = "5", "9"
		err := capacity.Validate(item{"n": ns(set...)})
		assert.ErrorContains(t, err, fmt.Sprintf("[9] and [%d]", size-2), "size %d", size)
	}
}

// A duplicate in any entry of a map, or any element of a list, is found.
func TestValidateEveryEntry(t *testing.T) {
	mm, list := item{}, []types.AttributeValue{}
	for c := 'a'; c <= 'z'; c++ {
		mm[string(c)] = ss(string(c))
		list = append(list, ss(string(c)))
	}
	mm["q"] = ss("q", "q")
	list[20] = ns("5", "05")
	for range 20 {
		assert.ErrorContains(t, capacity.Validate(item{"m": m(mm)}), `attribute "m": "q": `)
		assert.ErrorContains(t, capacity.Validate(item{"l": l(list...)}), `attribute "l": [20]: `)
	}
	// Runs of three equal elements in a large set: the first pair reported.
	set := make([]string, 100)
	for i := range set {
		set[i] = strconv.Itoa(i)
	}
	set[50], set[60], set[70] = "7", "7", "7"
	assert.ErrorContains(t, capacity.Validate(item{"s": ss(set...)}), "[7] and [50]")
}

func TestValidateDeterministic(t *testing.T) {
	it := item{"c": ss("x", "x"), "a": ns("1", "1.0"), "b": bs([]byte{1}, []byte{1})}
	for range 100 {
		err := capacity.Validate(it)
		require.ErrorContains(t, err, `attribute "a": `)
	}
}

func TestValidateAllocs(t *testing.T) {
	set := make([]string, 64)
	for i := range set {
		set[i] = strconv.Itoa(i * 7)
	}
	it := item{"s": ss(set...), "n": ns(set...), "b": bs([]byte{1}, []byte{2}), "m": m(item{"l": l(ns("1", "2"))})}
	require.NoError(t, capacity.Validate(it))
	allocs := testing.AllocsPerRun(100, func() {
		if err := capacity.Validate(it); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "Validate of sets of up to 64 elements allocates")
}
