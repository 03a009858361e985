package capacity_test

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

// Tests from an independent review (attack5) that tried to break the
// package with hostile input.

// TestAttackEmptySetElementsShared: a set element of 0 bytes adds nothing to
// ItemSize, so ItemSize's promise that shared references cost no more time
// than a 400 KB item held only if a set cannot repeat "" (or an empty
// binary). A set holding "" twice is a duplicate, which DynamoDB rejects:
// ItemSize reports it (ErrInvalidValue), and stops counting there.
func TestAttackEmptySetElementsShared(t *testing.T) {
	empties := make([]string, 1<<16)
	set := &types.AttributeValueMemberSS{Value: empties}
	refs := make([]types.AttributeValue, 1<<14) // 2^30 elements behind one attribute
	for i := range refs {
		refs[i] = set
	}
	n, err := capacity.ItemSize(map[string]types.AttributeValue{"l": &types.AttributeValueMemberL{Value: refs}})
	require.ErrorIs(t, err, capacity.ErrInvalidValue, "ItemSize = %d, %v", n, err)

	for _, v := range []types.AttributeValue{
		&types.AttributeValueMemberSS{Value: []string{"a", "", "b", ""}},
		&types.AttributeValueMemberBS{Value: [][]byte{{1}, nil, {2}, {}}},
	} {
		item := map[string]types.AttributeValue{"s": v}
		_, err := capacity.ItemSize(item)
		require.ErrorIs(t, err, capacity.ErrInvalidValue, "ItemSize(%#v)", v)
		_, err = capacity.AttributeSize(v)
		require.ErrorIs(t, err, capacity.ErrInvalidValue, "AttributeSize(%#v)", v)
		// The same pair Validate names.
		verr := capacity.Validate(item)
		require.Error(t, verr)
		assert.Contains(t, verr.Error(), "[1] and [3]")
	}
	// One empty element is a valid set.
	n, err = capacity.ItemSize(map[string]types.AttributeValue{"s": &types.AttributeValueMemberSS{Value: []string{"", "a"}}})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

// TestAttackTableWriteLargeSets: Table.Write compares projected sets
// regardless of order; a set of tens of thousands of numbers (well under
// 400 KB) must compare in about n log n, not n^2 number parses (which took
// hours before the fix).
func TestAttackTableWriteLargeSets(t *testing.T) {
	const n = 60000
	a := make([]string, n)
	b := make([]string, n)
	for i := range a {
		a[i] = strconv.Itoa(i)
		b[n-1-i] = strconv.Itoa(i) + ".0" // same values, other order and spelling
	}
	tbl := capacity.Table{PartitionKey: "pk", Indexes: []capacity.Index{{Name: "g", PartitionKey: "gk", Projection: types.ProjectionTypeAll}}}
	item := func(ns []string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "k"},
			"gk": &types.AttributeValueMemberS{Value: "g"},
			"ns": &types.AttributeValueMemberNS{Value: ns},
		}
	}
	u, err := tbl.Write(item(a), item(b))
	require.NoError(t, err)
	assert.Zero(t, u.Indexes["g"], "unchanged set charged in the index")

	b[0] = strconv.Itoa(n) // one element differs
	u, err = tbl.Write(item(a), item(b))
	require.NoError(t, err)
	assert.NotZero(t, u.Indexes["g"], "changed set not charged in the index")
}

// TestAttackTableDuplicateIndexNames: two indexes of one name would be
// summed into Total but share one Usage.Indexes entry, so Total no longer
// equals Table plus the indexes; DynamoDB index names are unique per table.
func TestAttackTableDuplicateIndexNames(t *testing.T) {
	ix := capacity.Index{Name: "g", PartitionKey: "gk", Projection: types.ProjectionTypeAll}
	tbl := capacity.Table{PartitionKey: "pk", Indexes: []capacity.Index{ix, ix}}
	item := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "k"},
		"gk": &types.AttributeValueMemberS{Value: "g"},
	}
	u, err := tbl.Write(nil, item)
	require.ErrorIs(t, err, capacity.ErrInvalidInput, "Write = %+v", u)
}

// TestAttackMalformedNumbers: every spelling that is not a number is
// ErrInvalidNumber, from NumberSize, ItemSize and in a set.
func TestAttackMalformedNumbers(t *testing.T) {
	for _, s := range []string{"", "-", "+", ".", "+.", "-.", "1e", "1e+", "1E-", "e1", ".e1", "1..0", "1.0.0",
		"NaN", "Inf", "-Infinity", "0x10", "1_000", " 1", "1 ", "++1", "--1", "1e1.5", "1e1e1", "١"} {
		_, err := capacity.NumberSize(s)
		assert.ErrorIs(t, err, capacity.ErrInvalidNumber, "NumberSize(%q)", s)
		_, err = capacity.ItemSize(map[string]types.AttributeValue{"n": &types.AttributeValueMemberNS{Value: []string{"1", s}}})
		assert.ErrorIs(t, err, capacity.ErrInvalidNumber, "ItemSize(NS{1, %q})", s)
	}
	for s, want := range map[string]int{"+.5": 2, "00": 1, "-0": 1, "-0.0e5": 1, "0e999999999999999999999": 1, "007": 2, "1.": 2, ".1": 2} {
		got, err := capacity.NumberSize(s)
		require.NoError(t, err, "NumberSize(%q)", s)
		assert.Equal(t, want, got, "NumberSize(%q)", s)
	}
}

// TestAttackNumbersEqualByValue: set elements equal by value are duplicates
// in Validate and equal in Table.Write.
func TestAttackNumbersEqualByValue(t *testing.T) {
	groups := [][]string{
		{"1", "1.0", "10e-1", "+1", "0.1E1", "001.000", "100E-2"},
		{"0", "-0", "00", "0.0", "0e10", "-0E-5", "+0"},
		{"-12.5", "-125e-1", "-0.125E2"},
	}
	for _, g := range groups {
		for _, x := range g {
			for _, y := range g {
				err := capacity.Validate(map[string]types.AttributeValue{"ns": &types.AttributeValueMemberNS{Value: []string{"7", x, y}}})
				assert.ErrorIs(t, err, capacity.ErrInvalidValue, "Validate(NS{7, %q, %q})", x, y)
			}
		}
	}
	for _, pair := range [][2]string{{"1", "1.01"}, {"1", "-1"}, {"10", "1"}, {"1e-130", "1e-129"}, {"0.1", "1"}, {"12", "21"}} {
		err := capacity.Validate(map[string]types.AttributeValue{"ns": &types.AttributeValueMemberNS{Value: pair[:]}})
		assert.NoError(t, err, "Validate(NS%q)", pair)
	}
}

// TestAttackNilMembers: nil values, nil members and nil maps anywhere give
// ErrUnknownType (or a valid result for a nil map), never a panic.
func TestAttackNilMembers(t *testing.T) {
	nils := []types.AttributeValue{
		nil,
		(*types.AttributeValueMemberS)(nil), (*types.AttributeValueMemberN)(nil), (*types.AttributeValueMemberB)(nil),
		(*types.AttributeValueMemberBOOL)(nil), (*types.AttributeValueMemberNULL)(nil),
		(*types.AttributeValueMemberSS)(nil), (*types.AttributeValueMemberNS)(nil), (*types.AttributeValueMemberBS)(nil),
		(*types.AttributeValueMemberL)(nil), (*types.AttributeValueMemberM)(nil),
		&types.UnknownUnionMember{Tag: "X"},
	}
	tbl := capacity.Table{PartitionKey: "pk", Indexes: []capacity.Index{{Name: "g", PartitionKey: "v", Projection: types.ProjectionTypeAll}}}
	for _, v := range nils {
		for _, item := range []map[string]types.AttributeValue{
			{"v": v},
			{"l": &types.AttributeValueMemberL{Value: []types.AttributeValue{v}}},
			{"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"x": v}}},
		} {
			_, err := capacity.ItemSize(item)
			assert.ErrorIs(t, err, capacity.ErrUnknownType, "ItemSize(%#v)", item)
			assert.ErrorIs(t, capacity.Validate(item), capacity.ErrUnknownType)
			_, err = capacity.PageSize(item, "v")
			assert.ErrorIs(t, err, capacity.ErrUnknownType)
			_, err = capacity.Pages([]map[string]types.AttributeValue{item}, "", capacity.Strong)
			assert.ErrorIs(t, err, capacity.ErrUnknownType)
			item["pk"] = &types.AttributeValueMemberS{Value: "k"}
			_, err = tbl.Write(item, nil)
			assert.ErrorIs(t, err, capacity.ErrUnknownType)
			_, err = tbl.Write(nil, item)
			assert.ErrorIs(t, err, capacity.ErrUnknownType)
		}
	}
	// Nil maps are empty items.
	n, err := capacity.ItemSize(nil)
	require.NoError(t, err)
	assert.Zero(t, n)
	require.NoError(t, capacity.Validate(nil))
	n, err = capacity.AttributeSize(&types.AttributeValueMemberM{})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	_, err = capacity.Pages([]map[string]types.AttributeValue{nil, nil}, "sk", capacity.Eventual)
	require.NoError(t, err)
	assert.Equal(t, capacity.Table{}, capacity.TableFrom(nil))
}

// TestAttackDeterministicErrors: the error of every function, for an input
// with several problems, is the same on 100 runs.
func TestAttackDeterministicErrors(t *testing.T) {
	item := map[string]types.AttributeValue{}
	for i := range 20 {
		k := strconv.Itoa(i)
		item["n"+k] = &types.AttributeValueMemberN{Value: "x" + k}
		item["s"+k] = &types.AttributeValueMemberSS{Value: []string{k, k}}
		item["m"+k] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"a" + k: &types.AttributeValueMemberNULL{}, "b": &types.AttributeValueMemberSS{}}}
	}
	dups := map[string]types.AttributeValue{}
	for i := range 20 {
		k := strconv.Itoa(i)
		dups["s"+k] = &types.AttributeValueMemberNS{Value: []string{k, k + ".0"}}
		dups["m"+k] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"a" + k: &types.AttributeValueMemberBS{Value: [][]byte{{1}, {1}}}}}
	}
	tbl := capacity.Table{PartitionKey: "pk"}
	first := map[string]string{}
	for range 100 {
		got := map[string]string{}
		_, err := capacity.ItemSize(item)
		got["ItemSize"] = err.Error()
		got["Validate"] = capacity.Validate(item).Error()
		got["Validate dups"] = capacity.Validate(dups).Error()
		_, err = capacity.Pages([]map[string]types.AttributeValue{{}, item}, "", capacity.Strong)
		got["Pages"] = err.Error()
		withKey := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k"}}
		for k, v := range item {
			withKey[k] = v
		}
		_, err = tbl.Write(withKey, withKey)
		got["Write"] = err.Error()
		if len(first) == 0 {
			first = got
			continue
		}
		require.Equal(t, first, got)
	}
}

// TestAttackMatchSymmetric: Match compares index by index both ways; an
// index reported at 0 equals an index not predicted.
func TestAttackMatchSymmetric(t *testing.T) {
	a := capacity.Usage{Total: 3, Table: 1, Indexes: map[string]float64{"g": 2}}
	b := capacity.Usage{Total: 3, Table: 1, Indexes: map[string]float64{"g": 1, "h": 1}}
	assert.False(t, capacity.Match(a, b))
	assert.False(t, capacity.Match(b, a))
	c := capacity.Usage{Total: 3, Table: 1, Indexes: map[string]float64{"g": 2, "z": 0}}
	assert.True(t, capacity.Match(c, a))
	assert.True(t, capacity.Match(a, c))
}

// TestAttackTableWriteSetsSymmetric: Table.Write does not reject repeated set
// elements (ItemSize does not), so its set comparison must not depend on
// which item is old: {x, x} and {x, y} differ both ways.
func TestAttackTableWriteSetsSymmetric(t *testing.T) {
	tbl := capacity.Table{PartitionKey: "pk", Indexes: []capacity.Index{{Name: "g", PartitionKey: "gk", Projection: types.ProjectionTypeAll}}}
	item := func(ss ...string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "k"},
			"gk": &types.AttributeValueMemberS{Value: "g"},
			"ss": &types.AttributeValueMemberSS{Value: ss},
		}
	}
	for _, c := range [][2]map[string]types.AttributeValue{{item("x", "x"), item("x", "y")}, {item("x", "y"), item("x", "x")}} {
		u, err := tbl.Write(c[0], c[1])
		require.NoError(t, err)
		assert.Equal(t, 1.0, u.Indexes["g"], "Write(%v, %v)", c[0]["ss"], c[1]["ss"])
	}
}

// TestAttackDeepNesting: a value nested far beyond 32 levels, in lists and
// maps, is ErrInvalidValue from every entry point, without walking it all.
func TestAttackDeepNesting(t *testing.T) {
	var v types.AttributeValue = &types.AttributeValueMemberS{Value: "x"}
	for i := range 200000 {
		if i%2 == 0 {
			v = &types.AttributeValueMemberL{Value: []types.AttributeValue{v}}
		} else {
			v = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"k": v}}
		}
	}
	item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k"}, "d": v}
	_, err := capacity.ItemSize(item)
	assert.ErrorIs(t, err, capacity.ErrInvalidValue)
	_, err = capacity.AttributeSize(v)
	assert.ErrorIs(t, err, capacity.ErrInvalidValue)
	assert.ErrorIs(t, capacity.Validate(item), capacity.ErrInvalidValue)
	_, err = capacity.PageSize(item, "d")
	assert.ErrorIs(t, err, capacity.ErrInvalidValue)
	_, err = capacity.Query([]map[string]types.AttributeValue{item}, "", capacity.Eventual)
	assert.ErrorIs(t, err, capacity.ErrInvalidValue)
	_, err = capacity.Table{PartitionKey: "pk"}.Write(item, item)
	assert.ErrorIs(t, err, capacity.ErrInvalidValue)
}

// TestAttackSharedReferencesPageSize: an item of many references to one
// value is sized, paged and written in time bounded by the 400 KB limit,
// with the sizes of the unshared item (and no 32-bit wrap).
func TestAttackSharedReferencesPageSize(t *testing.T) {
	elem := &types.AttributeValueMemberNS{Value: []string{"1", "2", "3"}}
	refs := make([]types.AttributeValue, 20000)
	for i := range refs {
		refs[i] = elem
	}
	item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k"}, "l": &types.AttributeValueMemberL{Value: refs}}
	n, err := capacity.ItemSize(item)
	require.NoError(t, err)
	assert.Equal(t, 2+1+1+3+20000*(1+6), n)
	p, err := capacity.PageSize(item, "")
	require.NoError(t, err)
	assert.Greater(t, p, n)
	u, err := capacity.Table{PartitionKey: "pk", Indexes: []capacity.Index{{Name: "g", PartitionKey: "l", Projection: types.ProjectionTypeAll}}}.Write(nil, item)
	require.NoError(t, err)
	assert.Equal(t, 2*capacity.WriteUnits(n), u.Total)

	// Past the limit, by sharing: an error, never a wrapped size.
	big := &types.AttributeValueMemberL{Value: refs}
	refs2 := make([]types.AttributeValue, 1<<12)
	for i := range refs2 {
		refs2[i] = big
	}
	item["l"] = &types.AttributeValueMemberL{Value: refs2}
	n, err = capacity.ItemSize(item)
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
	assert.Greater(t, n, capacity.MaxItemBytes)
	_, err = capacity.PageSize(item, "")
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
}

// TestAttackPlanTablePrices: a negative, NaN or infinite price, or a cost
// beyond float64, is ErrInvalidInput, not a negative, NaN or infinite cost.
func TestAttackPlanTablePrices(t *testing.T) {
	w := capacity.Workload{ItemBytes: 1000, ReadsPerSecond: 100, WritesPerSecond: 10,
		Indexes: []capacity.GlobalIndex{{Name: "g", ItemBytes: 100, WriteFraction: 1}}}
	for _, p := range []capacity.Prices{
		{ReadRequestPerMillion: -1},
		{WriteRequestPerMillion: math.NaN()},
		{ReadUnitHour: math.Inf(1)},
		{WriteUnitHour: -0.001},
		{ReadUnitHour: math.MaxFloat64}, // finite, but the cost overflows
	} {
		plan, err := capacity.PlanTable(w, p)
		assert.ErrorIs(t, err, capacity.ErrInvalidInput, "PlanTable(%+v) = %+v", p, plan)
	}
	plan, err := capacity.PlanTable(w, capacity.Prices{ReadUnitHour: 1, WriteUnitHour: 2})
	require.NoError(t, err)
	assert.Equal(t, 730*(1*50.0+2*10)+730*(1*1.0+2*10), plan.ProvisionedCost)
}

// TestAttackErrorsNeverHoldValues: doc.go promises that messages name the
// path and figures, never attribute values.
func TestAttackErrorsNeverHoldValues(t *testing.T) {
	const secret = "s3cr3tVALUE"
	long := strings.Repeat(secret, capacity.MaxItemBytes/len(secret)+1)
	items := []map[string]types.AttributeValue{
		{"a": &types.AttributeValueMemberN{Value: secret}},
		{"a": &types.AttributeValueMemberNS{Value: []string{"1", "9" + secret}}},
		{"a": &types.AttributeValueMemberSS{Value: []string{secret, secret}}},
		{"a": &types.AttributeValueMemberBS{Value: [][]byte{[]byte(secret), []byte(secret)}}},
		{"a": &types.AttributeValueMemberNS{Value: []string{"1" + strings.Repeat("0", 40) + "1"}}},
		{"a": &types.AttributeValueMemberS{Value: long}},
		{"a": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberS{Value: secret}, &types.AttributeValueMemberSS{}}}},
		{"a": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.UnknownUnionMember{Tag: secret, Value: []byte(secret)}}}},
	}
	for _, item := range items {
		err := capacity.Validate(item)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
		assert.NotContains(t, err.Error(), "9"+secret[:1])
		item["pk"] = &types.AttributeValueMemberS{Value: secret}
		_, err = capacity.Table{PartitionKey: "pk"}.Write(item, nil)
		if err != nil { // Table.Write does not check duplicates
			assert.NotContains(t, err.Error(), secret)
		}
	}
	_, err := capacity.Table{PartitionKey: "pk"}.Write(
		map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: secret}},
		map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: secret + "2"}})
	require.ErrorIs(t, err, capacity.ErrInvalidInput)
	assert.NotContains(t, err.Error(), secret)
}

// TestAttackConcurrentUse: doc.go promises every function is safe for
// concurrent use; run under -race with one shared item and Table.
func TestAttackConcurrentUse(t *testing.T) {
	item := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "k"},
		"gk": &types.AttributeValueMemberN{Value: "12.5"},
		"ns": &types.AttributeValueMemberNS{Value: []string{"3", "1", "2"}},
		"m":  &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"x": &types.AttributeValueMemberBOOL{Value: true}}},
	}
	tbl := capacity.Table{PartitionKey: "pk", Indexes: []capacity.Index{{Name: "g", PartitionKey: "gk", Projection: types.ProjectionTypeInclude, NonKeyAttributes: []string{"ns"}}}}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				_, _ = capacity.ItemSize(item)
				_ = capacity.Validate(item)
				_, _ = capacity.Pages([]map[string]types.AttributeValue{item, item}, "gk", capacity.Strong)
				_, _ = tbl.Write(item, item)
			}
		}()
	}
	wg.Wait()
	n, err := capacity.ItemSize(item)
	require.NoError(t, err)
	assert.Equal(t, (2+1)+(2+3)+(2+6)+(1+3+1+1+1), n)
}
