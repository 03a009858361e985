package capacity_test

import (
	"math"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

const kb = 1024

func TestReadWriteUnits(t *testing.T) {
	reads := []struct {
		bytes int
		c     capacity.Consistency
		want  float64
	}{
		{0, capacity.Strong, 1}, {0, capacity.Eventual, 0.5}, {0, capacity.Transactional, 2},
		{-5, capacity.Strong, 1},
		{1, capacity.Strong, 1}, {4096, capacity.Strong, 1}, {4097, capacity.Strong, 2},
		{4096, capacity.Eventual, 0.5}, {4097, capacity.Eventual, 1},
		{4096, capacity.Transactional, 2}, {4097, capacity.Transactional, 4},
		{3 * kb, capacity.Strong, 1}, {6656, capacity.Strong, 2}, {409600, capacity.Strong, 100},
		{8192, capacity.Consistency(9), 2},
	}
	for _, tc := range reads {
		assert.Equal(t, tc.want, capacity.ReadUnits(tc.bytes, tc.c), "ReadUnits(%d, %v)", tc.bytes, tc.c)
	}
	writes := []struct {
		bytes int
		want  float64
	}{{0, 1}, {-1, 1}, {1, 1}, {1024, 1}, {1025, 2}, {1536, 2}, {2048, 2}, {409600, 400}}
	for _, tc := range writes {
		assert.Equal(t, tc.want, capacity.WriteUnits(tc.bytes), "WriteUnits(%d)", tc.bytes)
		assert.Equal(t, 2*tc.want, capacity.TransactWriteItems([]int{tc.bytes}), "TransactWriteItems(%d)", tc.bytes)
	}
}

// The worked answers of the DynamoDB Developer Guide.
func TestWorkedAnswers(t *testing.T) {
	assert.Equal(t, 80.0, capacity.ReadCapacity(3*kb, 80, capacity.Strong), "3 KB item, 80 strong reads/s")
	assert.Equal(t, 40.0, capacity.ReadCapacity(3*kb, 80, capacity.Eventual), "3 KB item, 80 eventual reads/s")
	assert.Equal(t, 20.0, capacity.WriteCapacity(1536, 10), "1.5 KB item, 10 writes/s")
	assert.Equal(t, 3.0, capacity.BatchGetItem([]int{1536, 6656}, capacity.Strong), "batch get of 1.5 KB and 6.5 KB")
	assert.Equal(t, 128.0, capacity.QueryBytes([]int{1024*kb - 1}, capacity.Eventual), "a scan page just under 1 MB, eventual")
	// A page that reaches 1 MB returns a LastEvaluatedKey: the request that
	// follows reads nothing and costs the minimum.
	assert.Equal(t, 128.5, capacity.QueryBytes([]int{1024 * kb}, capacity.Eventual), "1 MB scan page, eventual, then an empty page")
}

func TestRates(t *testing.T) {
	assert.Equal(t, 0.0, capacity.ReadCapacity(kb, -1, capacity.Strong))
	assert.Equal(t, 0.0, capacity.ReadCapacity(kb, math.NaN(), capacity.Strong))
	assert.Equal(t, 0.0, capacity.WriteCapacity(kb, -3))
	assert.Equal(t, 1.5, capacity.ReadCapacity(kb, 3, capacity.Eventual))
}

func TestQuery(t *testing.T) {
	tests := []struct {
		name  string
		sizes []int
		c     capacity.Consistency
		want  float64
	}{
		{"empty result still charged", nil, capacity.Eventual, 0.5},
		{"empty result strong", []int{}, capacity.Strong, 1},
		{"sizes added then rounded once", []int{1000, 1000, 1000, 1000}, capacity.Strong, 1},
		{"one byte over 4 KB", []int{2048, 2049}, capacity.Strong, 2},
		{"ten 1.5 KB items", repeat(1536, 10), capacity.Strong, 4}, // 15,360 bytes
		{"ten 1.5 KB items eventual", repeat(1536, 10), capacity.Eventual, 2},
		{"exactly one page, then an empty request", []int{1024 * kb}, capacity.Strong, 256 + 1},
		{"two pages, each rounded", []int{1024*kb - 1, 2, 1}, capacity.Strong, 257 + 1},                       // 1 MB + 1 byte, then 1 byte
		{"page ends after the item crossing 1 MB", []int{1024*kb - 10, 4097, 4097}, capacity.Strong, 257 + 2}, // 1 MB + 4,087 bytes, then 4,097
		{"scan of 3 MB in 100 KB items", repeat(100*kb, 30), capacity.Eventual, 0.5 * (275 + 275 + 200)},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, capacity.QueryBytes(tc.sizes, tc.c), "Query(%s)", tc.name)
	}
}

func repeat(v, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestWriteOperations(t *testing.T) {
	assert.Equal(t, 1.0, capacity.PutItem(0, 500), "new item")
	assert.Equal(t, 3.0, capacity.PutItem(2500, 500), "replacing a larger item")
	assert.Equal(t, 2.0, capacity.PutItem(1000, 1025), "update that grows over 1 KB")
	assert.Equal(t, 1.0, capacity.WriteUnits(0), "delete of a missing item")
	assert.Equal(t, 5.0, capacity.WriteUnits(4097), "delete")
	assert.Equal(t, 1.0+2+1, capacity.BatchWriteItem([]int{100, 1025, 1024}))
	assert.Equal(t, 2.0*(1+2+1), capacity.TransactWriteItems([]int{100, 1025, 1024}))
	assert.Equal(t, 2.0+4, capacity.TransactGetItems([]int{4096, 4097}))
	assert.Equal(t, 0.0, capacity.BatchWriteItem(nil))
}

func TestConsistencyString(t *testing.T) {
	assert.Equal(t, "eventual", capacity.Eventual.String())
	assert.Equal(t, "strong", capacity.Strong.String())
	assert.Equal(t, "transactional", capacity.Transactional.String())
	assert.Equal(t, "Consistency(invalid)", capacity.Consistency(7).String())
}

func TestConsumed(t *testing.T) {
	u := capacity.Consumed(
		types.ConsumedCapacity{
			TableName:     aws.String("orders"),
			CapacityUnits: aws.Float64(3),
			Table:         &types.Capacity{CapacityUnits: aws.Float64(2)},
			GlobalSecondaryIndexes: map[string]types.Capacity{
				"byCustomer": {CapacityUnits: aws.Float64(1)},
			},
		},
		types.ConsumedCapacity{
			TableName:             aws.String("customers"),
			CapacityUnits:         aws.Float64(1.5),
			ReadCapacityUnits:     aws.Float64(1.5),
			LocalSecondaryIndexes: map[string]types.Capacity{"byDate": {CapacityUnits: aws.Float64(0.5)}},
		},
	)
	assert.Equal(t, 4.5, u.Total)
	assert.Equal(t, 1.5, u.Read)
	assert.Equal(t, 0.0, u.Write)
	assert.Equal(t, 2.0, u.Table)
	assert.Equal(t, map[string]float64{"byCustomer": 1, "byDate": 0.5}, u.Indexes)
	assert.Equal(t, capacity.Usage{}, capacity.Consumed())
	assert.Equal(t, capacity.Usage{}, capacity.Consumed(types.ConsumedCapacity{}))
}

func TestPlanTable(t *testing.T) {
	w := capacity.Workload{
		ItemBytes:       3 * kb,
		ReadsPerSecond:  80,
		StrongFraction:  0.5, // 40 strong (40 units) + 40 eventual (20 units)
		WritesPerSecond: 10,  // 3 units each
		StoredBytes:     25 << 30,
		Indexes: []capacity.GlobalIndex{{
			Name:              "byStatus",
			ItemBytes:         500,
			ReadsPerSecond:    10, // 0.5 each
			WriteFraction:     0.5,
			KeyChangeFraction: 0.2, // 10 * (0.3*1 + 0.2*2) = 7
		}},
	}
	p, err := capacity.PlanTable(w, capacity.Prices{ReadRequestPerMillion: 0.125, WriteRequestPerMillion: 0.625, ReadUnitHour: 0.00013, WriteUnitHour: 0.00065})
	require.NoError(t, err)
	assert.InDelta(t, 60.0, p.Table.ReadUnits, 1e-9)
	assert.InDelta(t, 30.0, p.Table.WriteUnits, 1e-9)
	assert.Equal(t, int64(60), p.Table.RCU)
	assert.Equal(t, int64(30), p.Table.WCU)
	assert.Equal(t, int64(3), p.Table.Partitions, "25 GB needs 3 partitions of 10 GB")
	assert.InDelta(t, 60.0*730*3600, p.Table.ReadRequestUnitsPerMonth, 1e-3)
	require.Len(t, p.Indexes, 1)
	ix := p.Indexes[0]
	assert.Equal(t, "byStatus", ix.Name)
	assert.InDelta(t, 5.0, ix.ReadUnits, 1e-9)
	assert.InDelta(t, 7.0, ix.WriteUnits, 1e-9)
	assert.Equal(t, int64(1), ix.Partitions)
	wantOnDemand := (60.0*730*3600/1e6)*0.125 + (30.0*730*3600/1e6)*0.625 + (5.0*730*3600/1e6)*0.125 + (7.0*730*3600/1e6)*0.625
	assert.InDelta(t, wantOnDemand, p.OnDemandCost, 1e-6)
	wantProv := 730 * (60*0.00013 + 30*0.00065 + 5*0.00013 + 7*0.00065)
	assert.InDelta(t, wantProv, p.ProvisionedCost, 1e-9)
}

func TestPlanPartitionsByThroughput(t *testing.T) {
	p, err := capacity.PlanTable(capacity.Workload{ItemBytes: 4 * kb, ReadsPerSecond: 4500, StrongFraction: 1, WritesPerSecond: 1500}, capacity.Prices{})
	require.NoError(t, err)
	// 4500/3000 + 6000/1000 = 7.5 -> 8
	assert.Equal(t, int64(8), p.Table.Partitions)
	assert.Equal(t, 0.0, p.OnDemandCost)
	idle, err := capacity.PlanTable(capacity.Workload{}, capacity.Prices{})
	require.NoError(t, err)
	assert.Equal(t, int64(1), idle.Table.RCU)
	assert.Equal(t, int64(1), idle.Table.Partitions)
}

func TestPlanTableTransactional(t *testing.T) {
	p, err := capacity.PlanTable(capacity.Workload{ItemBytes: kb, ReadsPerSecond: 10, TransactionalFraction: 1, WritesPerSecond: 10, TransactionalWriteFraction: 0.5}, capacity.Prices{})
	require.NoError(t, err)
	assert.InDelta(t, 20.0, p.Table.ReadUnits, 1e-9)
	assert.InDelta(t, 15.0, p.Table.WriteUnits, 1e-9)
}

func TestPlanTableInvalid(t *testing.T) {
	bad := []capacity.Workload{
		{ItemBytes: -1},
		{StoredBytes: -1},
		{ReadsPerSecond: -1},
		{ReadsPerSecond: math.NaN()},
		{WritesPerSecond: math.Inf(1)},
		{StrongFraction: 1.5},
		{StrongFraction: 0.6, TransactionalFraction: 0.6},
		{TransactionalWriteFraction: -0.1},
		{Indexes: []capacity.GlobalIndex{{Name: "i", WriteFraction: 0.1, KeyChangeFraction: 0.2}}},
		{Indexes: []capacity.GlobalIndex{{Name: "i", ItemBytes: -1}}},
		{Indexes: []capacity.GlobalIndex{{Name: "i", ReadsPerSecond: -2}}},
		{Indexes: []capacity.GlobalIndex{{Name: "i", WriteFraction: 2}}},
	}
	for i, w := range bad {
		_, err := capacity.PlanTable(w, capacity.Prices{})
		assert.ErrorIs(t, err, capacity.ErrInvalidInput, "case %d: %+v", i, w)
	}
	_, err := capacity.PlanTable(capacity.Workload{ItemBytes: capacity.MaxItemBytes + 1}, capacity.Prices{})
	assert.ErrorIs(t, err, capacity.ErrItemTooLarge)
}

// Items larger than one unit, so that every fraction multiplies a unit count
// other than 1, and a stored size that is an exact multiple of 10 GB.
func TestPlanTableLargeItems(t *testing.T) {
	p, err := capacity.PlanTable(capacity.Workload{
		ItemBytes:      10 * kb, // reads: 1.5 eventual, 3 strong, 6 transactional; writes: 10
		ReadsPerSecond: 10, StrongFraction: 0.3, TransactionalFraction: 0.2,
		WritesPerSecond: 10, TransactionalWriteFraction: 0.5,
		StoredBytes: 20 << 30,
		Indexes: []capacity.GlobalIndex{{
			Name: "i", ItemBytes: 3 * kb, ReadsPerSecond: 4, // 0.5 unit each (eventual, one 4 KB block)
			WriteFraction: 0.5, KeyChangeFraction: 0.2, // 10 * (0.3*3 + 0.2*2*3) = 21
			StoredBytes: 30 << 30,
		}},
	}, capacity.Prices{})
	require.NoError(t, err)
	assert.InDelta(t, 10*(0.5*1.5+0.3*3+0.2*6), p.Table.ReadUnits, 1e-9)
	assert.InDelta(t, 10*(0.5*10+0.5*2*10), p.Table.WriteUnits, 1e-9)
	assert.Equal(t, int64(2), p.Table.Partitions, "20 GB: exactly 2 partitions of 10 GB")
	assert.InDelta(t, 4*0.5, p.Indexes[0].ReadUnits, 1e-9)
	assert.InDelta(t, 21.0, p.Indexes[0].WriteUnits, 1e-9)
	assert.Equal(t, int64(3), p.Indexes[0].Partitions)

	_, err = capacity.PlanTable(capacity.Workload{StrongFraction: 0.7, TransactionalFraction: 0.5}, capacity.Prices{})
	assert.ErrorContains(t, err, "StrongFraction + TransactionalFraction = 1.2, over 1")
}
