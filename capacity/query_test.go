package capacity_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

// The Scan pages recorded against live DynamoDB in dynalite 4.0.0's test
// suite (test/scan.js, the "just under/over limit" cases; see
// testdata/README.md). Each case rebuilds the items of the recorded test, in
// the order the Scan returned them, and states what DynamoDB answered for
// the first request: ScannedCount, ConsumedCapacity (eventual), and whether
// it returned a LastEvaluatedKey.
func TestPagesRecordedScans(t *testing.T) {
	str := func(n int) types.AttributeValue { return s(strings.Repeat("b", n)) }
	bs := &types.AttributeValueMemberBS{Value: [][]byte{{1, 2}, {2}, {1}}}
	ss := &types.AttributeValueMemberSS{Value: []string{"a", "bc"}}
	ns := &types.AttributeValueMemberNS{Value: []string{"1.23", "12.3"}}
	long := strings.Repeat("b", 255) // a 255-byte attribute name
	twoDigits := func(i int) string { return fmt.Sprintf("%02d", i) }

	// The hash-table cases: 25 items keyed "00".."24"; item 23 holds a
	// shorter string and one value of each other scalar and set type.
	hash := func(names [7]string, size, size23, last int, lastName string) []item {
		var items []item
		for i := range 25 {
			it := item{"a": s(twoDigits(i))}
			switch i {
			case 23:
				it[names[0]] = str(size23)
				it[names[1]] = n("12.3456")
				it[names[2]] = b(1, 2)
				it[names[3]] = ss
				it[names[4]] = ns
				it[names[5]] = bs
			case 24:
				it[lastName] = str(last)
			default:
				it[names[6]] = str(size)
			}
			items = append(items, it)
		}
		return items
	}
	short := [7]string{"b", "c", "d", "e", "f", "g", "b"}
	longNames := [7]string{"bfasfdsfdsa", "cfadsfdsaafds", "dfasdfdafdsa", "efdasfdasfd", "ffdsafsdfd", "gfsdfdsaafds", long}

	// The range-table cases with item 23 of each type, sort key b.
	rangeItems := func(bAttr string, size, size23 int) []item {
		var items []item
		for i := range 25 {
			it := item{"a": s(twoDigits(i)), "b": s(twoDigits(i))}
			switch i {
			case 23:
				it["z"], it["y"], it["x"], it["w"], it["v"], it["u"] = str(size23), n("12.3456"), b(1, 2), ss, ns, bs
			case 24:
				it["z"] = str(1)
			default:
				it[bAttr] = str(size)
			}
			items = append(items, it)
		}
		return items
	}
	// The range-table cases with a 10-byte hash key shared by all items and
	// a large string e (or a 255-byte name), sort key b a string or a number.
	limitItems := func(sortKey func(int) types.AttributeValue, eName string, e, e24 int) []item {
		var items []item
		for i := range 25 {
			size := e
			if i == 24 {
				size = e24
			}
			items = append(items, item{"a": s("AAAA123456"), "b": sortKey(i), "c": s("abcde"), eName: str(size)})
		}
		return items
	}
	sixDigits := func(i int) types.AttributeValue { return s(fmt.Sprintf("%06d", i)) }
	fiveDigits := func(i int) types.AttributeValue { return s(fmt.Sprintf("%05d", i)) }
	numKey := func(i int) types.AttributeValue { return n(twoDigits(i)) }

	// The range table of 13 items with a 7-digit sort key.
	fewItems := func() []item {
		var items []item
		for i := range 13 {
			it := item{"a": s(twoDigits(i)), "b": s(fmt.Sprintf("%07d", i))}
			switch i {
			case 11:
				it["z"] = str(86647 - 8)
			case 12:
				it["z"] = str(1)
			default:
				it["z"] = str(86647)
			}
			items = append(items, it)
		}
		return items
	}

	tests := []struct {
		name    string
		items   []item
		sortKey string
		scanned int
		units   float64
		more    bool
	}{
		{"hash, just under, small attribute", hash(short, 43411, 43366, 1, "b"), "", 25, 127.5, true},
		{"hash, just under, large attribute", hash(longNames, 43411, 43366, 1, "b"), "", 25, 128, true},
		{"hash, just over, small attribute", hash(short, 43411, 43367, 1, "b"), "", 24, 127.5, true},
		{"hash, just over, large attribute", hash(longNames, 43411, 43367, 99, long), "", 24, 128, true},
		{"range, just under", rangeItems(long, 43380, 43359), "b", 25, 128, true},
		{"range, just over", rangeItems("z", 43380, 43360), "b", 24, 127.5, true},
		{"range, just over with fewer items", fewItems(), "b", 12, 127, true},
		{"range, no LastEvaluatedKey just under", limitItems(sixDigits, long, 41582, 41582), "b", 25, 128, false},
		{"range, LastEvaluatedKey just over", limitItems(fiveDigits, "e", 41596, 41597), "b", 25, 127.5, true},
		{"number range, no LastEvaluatedKey just under", limitItems(numKey, long, 41638, 41652), "b", 25, 128, false},
		{"number range, LastEvaluatedKey just over", limitItems(numKey, "e", 41638, 41653), "b", 25, 127.5, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pages, err := capacity.Pages(tc.items, tc.sortKey, capacity.Eventual)
			require.NoError(t, err)
			require.NotEmpty(t, pages)
			first := pages[0]
			assert.Equal(t, tc.scanned, first.Items, "ScannedCount")
			assert.Equal(t, tc.units, first.Units, "ConsumedCapacity")
			assert.Equal(t, tc.more, first.More, "LastEvaluatedKey")
			total := 0.0
			read := 0
			for _, p := range pages {
				total += p.Units
				read += p.Items
			}
			assert.Equal(t, len(tc.items), read)
			q, err := capacity.Query(tc.items, tc.sortKey, capacity.Eventual)
			require.NoError(t, err)
			assert.Equal(t, total, q, "Query is the sum of Pages")
		})
	}
}

// The worked case: 24 items of 1,041,940 bytes of ItemSize fill a
// page in DynamoDB, so the whole Scan costs 128 units, where summing ItemSize
// to 1 MB would say 127.5.
func TestQueryCutsWhereDynamoDBCuts(t *testing.T) {
	var items []item
	for i := range 25 {
		it := item{"a": s(fmt.Sprintf("%02d", i))}
		switch i {
		case 23:
			it["b"], it["c"], it["d"] = s(strings.Repeat("b", 43367)), n("12.3456"), b(1, 2)
			it["e"] = &types.AttributeValueMemberSS{Value: []string{"a", "bc"}}
			it["f"] = &types.AttributeValueMemberNS{Value: []string{"1.23", "12.3"}}
			it["g"] = &types.AttributeValueMemberBS{Value: [][]byte{{1, 2}, {2}, {1}}}
		case 24:
			it["b"] = s("b")
		default:
			it["b"] = s(strings.Repeat("b", 43411))
		}
		items = append(items, it)
	}
	pages, err := capacity.Pages(items, "", capacity.Eventual)
	require.NoError(t, err)
	require.Len(t, pages, 2)
	assert.Equal(t, capacity.Page{Items: 24, Bytes: 1041940, Units: 127.5, More: true}, pages[0])
	assert.Equal(t, capacity.Page{Items: 1, Bytes: 5, Units: 0.5}, pages[1])
	q, err := capacity.Query(items, "", capacity.Eventual)
	require.NoError(t, err)
	assert.Equal(t, 128.0, q)
}

func TestPageSize(t *testing.T) {
	tests := []struct {
		name    string
		item    item
		sortKey string
		want    int
	}{
		// s = sum of (1 + stored value); 2 + s + (1 + (1+s)/3072) * (18 + k).
		{"empty item", item{}, "", 2 + 0 + 18},
		{"short string", item{"name": s("abc")}, "", 2 + (1 + 3 + 1) + 18},
		{"127-byte string", item{"x": s(strings.Repeat("a", 127))}, "", 2 + (1 + 127 + 1) + 18},
		{"128-byte string", item{"x": s(strings.Repeat("a", 128))}, "", 2 + (1 + 128 + 2) + 18},
		{"16383-byte string", item{"x": s(strings.Repeat("a", 16383))}, "", 2 + (1 + 16383 + 2) + (1+(1+16386)/3072)*18},
		{"16384-byte string", item{"x": s(strings.Repeat("a", 16384))}, "", 2 + (1 + 16384 + 3) + (1+(1+16388)/3072)*18},
		{"UTF-8 bytes", item{"x": s("é")}, "", 2 + (1 + 2 + 1) + 18},
		{"number", item{"n": n("-123")}, "", 2 + (1 + 4 + 1) + 18},
		{"binary", item{"b": b(1, 2, 3)}, "", 2 + (1 + 3 + 1) + 18},
		{"bool and null", item{"t": &types.AttributeValueMemberBOOL{Value: true}, "z": &types.AttributeValueMemberNULL{Value: true}}, "", 2 + (1 + 1) + (1 + 0) + 18},
		{"sets", item{"ss": &types.AttributeValueMemberSS{Value: []string{"a", "bc"}}, "ns": &types.AttributeValueMemberNS{Value: []string{"1", "10"}}}, "", 2 + (1 + 3 + 2 + 1) + (1 + 4 + 2 + 1) + 18},
		{"list", item{"l": l(s("a"), n("1"))}, "", 2 + (1 + 3 + (1 + 2) + (1 + 3)) + 18},
		{"map keys not counted", item{"m": m(item{"long key": s("a")})}, "", 2 + (1 + 3 + (2 + 2)) + 18},
		{"sort key in the metadata", item{"pk": s("p"), "sk": s("abcd")}, "sk", 2 + (1 + 2) + (18 + 4)},
		{"number sort key", item{"pk": s("p"), "sk": n("12")}, "sk", 2 + (1 + 2) + (18 + 2)},
		{"missing sort key", item{"pk": s("p")}, "sk", 2 + (1 + 2) + 18},
	}
	for _, tc := range tests {
		got, err := capacity.PageSize(tc.item, tc.sortKey)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, got, "PageSize(%s)", tc.name)
	}
	_, err := capacity.PageSize(item{"x": nil}, "")
	assert.ErrorIs(t, err, capacity.ErrUnknownType)
	_, err = capacity.Pages([]item{{}, {"x": nil}}, "", capacity.Strong)
	assert.ErrorIs(t, err, capacity.ErrUnknownType)
	assert.ErrorContains(t, err, "item 1:")
	_, err = capacity.Query([]item{{"x": n("1e999")}}, "", capacity.Strong)
	assert.ErrorIs(t, err, capacity.ErrInvalidNumber)
}

func TestPagesEmpty(t *testing.T) {
	pages, err := capacity.Pages(nil, "", capacity.Strong)
	require.NoError(t, err)
	assert.Equal(t, []capacity.Page{{Units: 1}}, pages, "a Query that reads nothing costs the minimum")
	q, err := capacity.Query(nil, "", capacity.Eventual)
	require.NoError(t, err)
	assert.Equal(t, 0.5, q)
}
