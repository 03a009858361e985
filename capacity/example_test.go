package capacity_test

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/awskit/awskit/capacity"
)

func Example() {
	order := map[string]types.AttributeValue{
		"pk":    &types.AttributeValueMemberS{Value: "CUSTOMER#42"},
		"sk":    &types.AttributeValueMemberS{Value: "ORDER#0001"},
		"total": &types.AttributeValueMemberN{Value: "129.95"},
		"lines": &types.AttributeValueMemberL{Value: []types.AttributeValue{
			&types.AttributeValueMemberS{Value: "A-100"},
		}},
	}
	size, err := capacity.ItemSize(order)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("bytes:", size)
	fmt.Println("strong read:", capacity.ReadUnits(size, capacity.Strong))
	fmt.Println("eventual read:", capacity.ReadUnits(size, capacity.Eventual))
	fmt.Println("write:", capacity.WriteUnits(size))
	fmt.Println("transactional write:", capacity.TransactWriteItems([]int{size}))
	// Output:
	// bytes: 48
	// strong read: 1
	// eventual read: 0.5
	// write: 1
	// transactional write: 2
}

func ExampleItemSize() {
	size, err := capacity.ItemSize(map[string]types.AttributeValue{
		"名前":  &types.AttributeValueMemberS{Value: "é"},          // 6 + 2 bytes
		"n":   &types.AttributeValueMemberN{Value: "-1000"},      // 1 + 3 bytes
		"doc": &types.AttributeValueMemberM{Value: nil},          // 3 + 3 bytes
		"bin": &types.AttributeValueMemberB{Value: []byte{1, 2}}, // 3 + 2 bytes
	})
	fmt.Println(size, err)

	_, err = capacity.ItemSize(map[string]types.AttributeValue{"n": &types.AttributeValueMemberN{Value: "1e200"}})
	fmt.Println(err)
	// Output:
	// 23 <nil>
	// attribute "n": capacity: invalid number: magnitude out of range (leading digit at 10^200, allowed 10^-130 to 10^125)
}

func ExampleNumberSize() {
	for _, n := range []string{"0", "7", "100", "123", "-123", "0.5", "1.5", "12345678901234567890"} {
		size, _ := capacity.NumberSize(n)
		fmt.Printf("%s: %d\n", n, size)
	}
	// Output:
	// 0: 1
	// 7: 2
	// 100: 2
	// 123: 3
	// -123: 4
	// 0.5: 2
	// 1.5: 3
	// 12345678901234567890: 11
}

func ExampleReadCapacity() {
	// The Developer Guide's example: 80 reads per second of a 3 KB item.
	fmt.Println(capacity.ReadCapacity(3*1024, 80, capacity.Strong))
	fmt.Println(capacity.ReadCapacity(3*1024, 80, capacity.Eventual))
	fmt.Println(capacity.WriteCapacity(1536, 10))
	// Output:
	// 80
	// 40
	// 20
}

func ExampleQuery() {
	// Ten items of 1,536 bytes each: 15,360 bytes rounded up once to 16 KB,
	// not ten times as BatchGetItem does.
	var items []map[string]types.AttributeValue
	var sizes []int
	for i := range 10 {
		it := map[string]types.AttributeValue{
			"pk":   &types.AttributeValueMemberS{Value: "user#1"},
			"sk":   &types.AttributeValueMemberS{Value: fmt.Sprintf("event#%02d", i)},
			"data": &types.AttributeValueMemberS{Value: strings.Repeat("x", 1536-2-6-2-8-4)},
		}
		size, _ := capacity.ItemSize(it)
		items, sizes = append(items, it), append(sizes, size)
	}
	units, err := capacity.Query(items, "sk", capacity.Strong)
	fmt.Println("item bytes:", sizes[0])
	fmt.Println("query:", units, err)
	fmt.Println("batch get:", capacity.BatchGetItem(sizes, capacity.Strong))
	// Output:
	// item bytes: 1536
	// query: 4 <nil>
	// batch get: 10
}

func ExamplePlanTable() {
	plan, err := capacity.PlanTable(capacity.Workload{
		ItemBytes:       3 * 1024,
		ReadsPerSecond:  80,
		StrongFraction:  0.5,
		WritesPerSecond: 10,
		StoredBytes:     25 << 30,
		Indexes: []capacity.GlobalIndex{{
			Name: "byStatus", ItemBytes: 500, ReadsPerSecond: 10,
			WriteFraction: 0.5, KeyChangeFraction: 0.2,
		}},
	}, capacity.Prices{ReadUnitHour: 0.00013, WriteUnitHour: 0.00065})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range append([]capacity.Throughput{plan.Table}, plan.Indexes...) {
		fmt.Printf("%-8q RCU %d WCU %d partitions %d\n", t.Name, t.RCU, t.WCU, t.Partitions)
	}
	fmt.Printf("provisioned: %.3f per month\n", plan.ProvisionedCost)
	// Output:
	// ""       RCU 60 WCU 30 partitions 3
	// "byStatus" RCU 5 WCU 7 partitions 1
	// provisioned: 23.725 per month
}

func ExampleConsumed() {
	units := 3.0
	u := capacity.Consumed(types.ConsumedCapacity{CapacityUnits: &units})
	fmt.Println(u.Total)
	// Output: 3
}

func ExamplePages() {
	// A Scan of 25 items: 23 of 43,415 bytes, one of 43,395 and one of 5.
	// Their ItemSize adds up to 1,041,940 bytes before the last item, under
	// 1 MB, but DynamoDB stores each item larger (PageSize) and ends the first
	// page after 24 items.
	var items []map[string]types.AttributeValue
	for i := range 25 {
		it := map[string]types.AttributeValue{"a": &types.AttributeValueMemberS{Value: fmt.Sprintf("%02d", i)}}
		switch i {
		case 23:
			it["b"] = &types.AttributeValueMemberS{Value: strings.Repeat("b", 43367)}
			it["c"] = &types.AttributeValueMemberN{Value: "12.3456"}
			it["d"] = &types.AttributeValueMemberB{Value: []byte{1, 2}}
			it["e"] = &types.AttributeValueMemberSS{Value: []string{"a", "bc"}}
			it["f"] = &types.AttributeValueMemberNS{Value: []string{"1.23", "12.3"}}
			it["g"] = &types.AttributeValueMemberBS{Value: [][]byte{{1, 2}, {2}, {1}}}
		case 24:
			it["b"] = &types.AttributeValueMemberS{Value: "b"}
		default:
			it["b"] = &types.AttributeValueMemberS{Value: strings.Repeat("b", 43411)}
		}
		items = append(items, it)
	}
	pages, err := capacity.Pages(items, "", capacity.Eventual)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pages {
		fmt.Printf("%d items, %d bytes: %g units, LastEvaluatedKey %v\n", p.Items, p.Bytes, p.Units, p.More)
	}
	// Output:
	// 24 items, 1041940 bytes: 127.5 units, LastEvaluatedKey true
	// 1 items, 5 bytes: 0.5 units, LastEvaluatedKey false
}

func ExampleTable_Write() {
	orders := capacity.Table{
		PartitionKey: "pk", SortKey: "sk",
		Indexes: []capacity.Index{
			{Name: "byStatus", PartitionKey: "status", Projection: types.ProjectionTypeKeysOnly},
			{Name: "all", PartitionKey: "customer", Projection: types.ProjectionTypeAll},
		},
	}
	before := map[string]types.AttributeValue{
		"pk":       &types.AttributeValueMemberS{Value: "ORDER#1"},
		"sk":       &types.AttributeValueMemberS{Value: "v0"},
		"status":   &types.AttributeValueMemberS{Value: "open"},
		"customer": &types.AttributeValueMemberS{Value: "c42"},
		"notes":    &types.AttributeValueMemberS{Value: strings.Repeat("n", 1500)},
	}
	after := maps.Clone(before)
	after["status"] = &types.AttributeValueMemberS{Value: "shipped"}

	u, err := orders.Write(before, after) // an UpdateItem of status
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("table:", u.Table)
	fmt.Println("byStatus:", u.Indexes["byStatus"], "(the key changed: a delete and a put)")
	fmt.Println("all:", u.Indexes["all"], "(a projected attribute changed)")
	fmt.Println("total:", u.Total)
	// Output:
	// table: 2
	// byStatus: 2 (the key changed: a delete and a put)
	// all: 2 (a projected attribute changed)
	// total: 6
}

func ExampleMatch() {
	// What DynamoDB reported for a write with ReturnConsumedCapacity INDEXES,
	// and what was predicted for it.
	reported := capacity.Consumed(types.ConsumedCapacity{
		CapacityUnits:          aws.Float64(3),
		Table:                  &types.Capacity{CapacityUnits: aws.Float64(2)},
		GlobalSecondaryIndexes: map[string]types.Capacity{"byStatus": {CapacityUnits: aws.Float64(1)}},
	})
	fmt.Println(capacity.Match(reported, capacity.Usage{Total: 3, Table: 2, Indexes: map[string]float64{"byStatus": 1}}))
	fmt.Println(capacity.Match(reported, capacity.Usage{Total: 3, Table: 3}))
	// Output:
	// true
	// false
}

func ExampleValidate() {
	err := capacity.Validate(map[string]types.AttributeValue{
		"scores": &types.AttributeValueMemberNS{Value: []string{"1", "2", "1.0"}},
	})
	fmt.Println(err)
	fmt.Println(errors.Is(err, capacity.ErrInvalidValue))
	// Output:
	// attribute "scores": capacity: invalid attribute value: duplicate number set elements [0] and [2]
	// true
}
