package capacity_test

import (
	"fmt"
	"strings"

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
