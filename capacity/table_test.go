package capacity_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

// orders: pk/sk; byStatus (GSI, keys only) on status; byCustomer (GSI,
// include total) on customer/created; full (GSI, all) on status; byDate (LSI,
// all) on pk/created.
var orders = capacity.Table{
	PartitionKey: "pk", SortKey: "sk",
	Indexes: []capacity.Index{
		{Name: "byStatus", PartitionKey: "status", Projection: types.ProjectionTypeKeysOnly},
		{Name: "byCustomer", PartitionKey: "customer", SortKey: "created", Projection: types.ProjectionTypeInclude, NonKeyAttributes: []string{"total"}},
		{Name: "full", PartitionKey: "status", Projection: types.ProjectionTypeAll},
		{Name: "byDate", PartitionKey: "pk", SortKey: "created", Projection: types.ProjectionTypeAll},
	},
}

func order(extra item) item {
	it := item{"pk": s("p1"), "sk": s("s1"), "created": n("20261126"), "blob": s(strings.Repeat("x", 1500))}
	for k, v := range extra {
		if v == nil {
			delete(it, k)
			continue
		}
		it[k] = v
	}
	return it
}

func TestTableWrite(t *testing.T) {
	// Sizes: pk 2+2, sk 2+2, created 7+5, blob 4+1500 = 1524; status 6+4
	// ("open") or 6+6 ("closed"); customer 8+2; total 5+2.
	// byStatus entry: pk, sk, status = 8 + 10 = 18 bytes -> 1.
	// byCustomer entry: pk, sk, customer, created, total = 8+10+12+7 = 37 -> 1.
	// full entry: the whole item; byDate entry: the whole item.
	tests := []struct {
		name     string
		old, new item
		table    float64
		indexes  map[string]float64
	}{
		{"insert without index keys", nil, order(nil), 2, map[string]float64{"byDate": 2}},
		{"insert into every index", nil, order(item{"status": s("open"), "customer": s("c1"), "total": n("10")}), 2,
			map[string]float64{"byStatus": 1, "byCustomer": 1, "full": 2, "byDate": 2}},
		{"delete", order(item{"status": s("open")}), nil, 2, map[string]float64{"byStatus": 1, "full": 2, "byDate": 2}},
		{"delete of a missing item", nil, nil, 1, nil},
		{"update that changes an index key: delete + put", order(item{"status": s("open")}), order(item{"status": s("closed")}), 2,
			map[string]float64{"byStatus": 2, "full": 4, "byDate": 2}},
		{"update that adds an index key", order(nil), order(item{"customer": s("c1")}), 2,
			map[string]float64{"byCustomer": 1, "byDate": 2}},
		{"update that removes an index key", order(item{"customer": s("c1")}), order(nil), 2,
			map[string]float64{"byCustomer": 1, "byDate": 2}},
		{"update of a projected attribute", order(item{"customer": s("c1"), "total": n("1")}), order(item{"customer": s("c1"), "total": n("2")}), 2,
			map[string]float64{"byCustomer": 1, "byDate": 2}},
		{"update of an attribute no index projects but ALL", order(item{"customer": s("c1")}), order(item{"customer": s("c1"), "note": s("n")}), 2,
			map[string]float64{"byDate": 2}},
		{"number written differently, same value", order(item{"customer": s("c1"), "total": n("1.0")}), order(item{"customer": s("c1"), "total": n("1")}), 2,
			nil},
		{"set reordered", order(item{"tags": ss("a", "b")}), order(item{"tags": ss("b", "a")}), 2, nil},
		{"string set changed", order(item{"tags": ss("a", "b")}), order(item{"tags": ss("a", "c")}), 2, map[string]float64{"byDate": 2}},
		{"number set changed", order(item{"ns": ns("1", "2")}), order(item{"ns": ns("1", "3")}), 2, map[string]float64{"byDate": 2}},
		{"number set, same values", order(item{"ns": ns("1", "2")}), order(item{"ns": ns("2.0", "1")}), 2, nil},
		{"binary set changed", order(item{"bs": bs([]byte{1}, []byte{2})}), order(item{"bs": bs([]byte{1}, []byte{3})}), 2, map[string]float64{"byDate": 2}},
		{"binary set reordered", order(item{"bs": bs([]byte{1}, []byte{2})}), order(item{"bs": bs([]byte{2}, []byte{1})}), 2, nil},
		{"list changed", order(item{"l": l(s("a"), s("b"))}), order(item{"l": l(s("b"), s("a"))}), 2, map[string]float64{"byDate": 2}},
		{"map changed", order(item{"m": m(item{"a": s("1")})}), order(item{"m": m(item{"a": s("2")})}), 2, map[string]float64{"byDate": 2}},
		{"map key changed", order(item{"m": m(item{"a": s("1")})}), order(item{"m": m(item{"b": s("1")})}), 2, map[string]float64{"byDate": 2}},
		{"map grew", order(item{"m": m(item{"a": s("1")})}), order(item{"m": m(item{"a": s("1"), "b": s("1")})}), 2, map[string]float64{"byDate": 2}},
		{"map same", order(item{"m": m(item{"a": n("1")})}), order(item{"m": m(item{"a": n("1.0")})}), 2, nil},
		{"type changed", order(item{"x": s("1")}), order(item{"x": n("1")}), 2, map[string]float64{"byDate": 2}},
		{"bool and null", order(item{"x": &types.AttributeValueMemberBOOL{Value: true}, "z": &types.AttributeValueMemberNULL{Value: true}}),
			order(item{"x": &types.AttributeValueMemberBOOL{Value: false}, "z": &types.AttributeValueMemberNULL{Value: true}}), 2, map[string]float64{"byDate": 2}},
		{"binary changed", order(item{"x": b(1)}), order(item{"x": b(2)}), 2, map[string]float64{"byDate": 2}},
		{"growing entry: the larger of old and new", order(item{"status": s("open")}), order(item{"status": s("open"), "blob": s(strings.Repeat("x", 2100))}), 3,
			map[string]float64{"full": 3, "byDate": 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := orders.Write(tc.old, tc.new)
			require.NoError(t, err)
			assert.Equal(t, tc.table, u.Table, "table")
			assert.Equal(t, tc.indexes, u.Indexes, "indexes")
			total := tc.table
			for _, v := range tc.indexes {
				total += v
			}
			assert.Equal(t, total, u.Total)
			assert.Equal(t, total, u.Write)
		})
	}
}

// Index entries are counted with their keys: a KEYS_ONLY entry over 1 KB
// costs 2 units.
func TestTableWriteKeysOnlyEntrySize(t *testing.T) {
	tb := capacity.Table{PartitionKey: "pk", SortKey: "sk", Indexes: []capacity.Index{
		{Name: "k", PartitionKey: "g", Projection: types.ProjectionTypeKeysOnly},
		{Name: "i", PartitionKey: "g", Projection: types.ProjectionTypeInclude, NonKeyAttributes: []string{"x"}},
	}}
	long := strings.Repeat("s", 1000)
	u, err := tb.Write(nil, item{"pk": s("p"), "sk": s(long), "g": s("g"), "x": s("x"), "y": s(strings.Repeat("y", 3000))})
	require.NoError(t, err)
	// pk 3 + sk 1002 + g 2 = 1,007 bytes: 1 unit; with x (2 bytes): 1,009.
	assert.Equal(t, map[string]float64{"k": 1, "i": 1}, u.Indexes)
	u, err = tb.Write(nil, item{"pk": s("p"), "sk": s(long + strings.Repeat("s", 20)), "g": s("g")})
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"k": 2, "i": 2}, u.Indexes, "1,027 bytes of keys")
}

func TestTableWriteErrors(t *testing.T) {
	bad := []capacity.Table{
		{},
		{PartitionKey: "pk", Indexes: []capacity.Index{{PartitionKey: "x", Projection: types.ProjectionTypeAll}}},
		{PartitionKey: "pk", Indexes: []capacity.Index{{Name: "i", Projection: types.ProjectionTypeAll}}},
		{PartitionKey: "pk", Indexes: []capacity.Index{{Name: "i", PartitionKey: "x"}}},
	}
	for i, tb := range bad {
		_, err := tb.Write(nil, item{"pk": s("a")})
		assert.ErrorIs(t, err, capacity.ErrInvalidInput, "table %d", i)
	}
	_, err := orders.Write(nil, item{"pk": s("a")})
	assert.ErrorIs(t, err, capacity.ErrInvalidInput, "missing sort key")
	_, err = orders.Write(order(nil), order(item{"sk": s("other")}))
	assert.ErrorIs(t, err, capacity.ErrInvalidInput, "different keys")
	_, err = orders.Write(order(item{"x": nil}), order(item{"n": n("NaN")}))
	assert.ErrorIs(t, err, capacity.ErrInvalidNumber)
	assert.ErrorContains(t, err, "new item:")
}

func TestTableFrom(t *testing.T) {
	d := &types.TableDescription{
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}, {AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndexDescription{{
			IndexName:  aws.String("byStatus"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
		LocalSecondaryIndexes: []types.LocalSecondaryIndexDescription{{
			IndexName:  aws.String("byDate"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("created"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"total"}},
		}},
	}
	want := capacity.Table{PartitionKey: "pk", SortKey: "sk", Indexes: []capacity.Index{
		{Name: "byStatus", PartitionKey: "status", Projection: types.ProjectionTypeKeysOnly},
		{Name: "byDate", PartitionKey: "pk", SortKey: "created", Projection: types.ProjectionTypeInclude, NonKeyAttributes: []string{"total"}},
	}}
	assert.Equal(t, want, capacity.TableFrom(d))
	assert.Equal(t, capacity.Table{}, capacity.TableFrom(nil))
}

func TestMatch(t *testing.T) {
	predicted, err := orders.Write(nil, order(item{"status": s("open")}))
	require.NoError(t, err)
	// 2 (table) + 1 (byStatus) + 2 (full) + 2 (byDate) = 7.
	reported := capacity.Consumed(types.ConsumedCapacity{
		CapacityUnits:          aws.Float64(7),
		Table:                  &types.Capacity{CapacityUnits: aws.Float64(2)},
		GlobalSecondaryIndexes: map[string]types.Capacity{"byStatus": {CapacityUnits: aws.Float64(1)}, "full": {CapacityUnits: aws.Float64(2)}},
		LocalSecondaryIndexes:  map[string]types.Capacity{"byDate": {CapacityUnits: aws.Float64(2)}},
	})
	assert.True(t, capacity.Match(reported, predicted))
	assert.True(t, capacity.Match(capacity.Consumed(types.ConsumedCapacity{CapacityUnits: aws.Float64(7)}), predicted), "TOTAL only")
	assert.False(t, capacity.Match(capacity.Consumed(types.ConsumedCapacity{CapacityUnits: aws.Float64(2)}), predicted), "a table-only total")
	moved := reported
	moved.Indexes = map[string]float64{"byStatus": 2, "full": 1, "byDate": 2}
	assert.False(t, capacity.Match(moved, predicted), "same total, different indexes")
	extra := reported
	extra.Indexes = map[string]float64{"byStatus": 1, "full": 2, "byDate": 2, "other": 0}
	assert.True(t, capacity.Match(extra, predicted), "an index reported at 0")
	table := reported
	table.Table = 3
	assert.False(t, capacity.Match(table, predicted))
	fewer := reported
	fewer.Indexes = map[string]float64{"byStatus": 1, "full": 2}
	assert.False(t, capacity.Match(fewer, predicted))
}
