package main

import (
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/awskit/awskit/capacity"
)

func tourCapacity(w io.Writer) error {
	order := map[string]types.AttributeValue{
		"pk":    &types.AttributeValueMemberS{Value: "CUSTOMER#42"},
		"sk":    &types.AttributeValueMemberS{Value: "ORDER#2026-11-25#0001"},
		"total": &types.AttributeValueMemberN{Value: "129.95"},
		"lines": &types.AttributeValueMemberL{Value: []types.AttributeValue{
			&types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
				"sku": &types.AttributeValueMemberS{Value: "A-100"},
				"qty": &types.AttributeValueMemberN{Value: "2"},
			}},
		}},
	}
	size, err := capacity.ItemSize(order)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "order item: %d bytes; strong read %.1f RCU, eventual %.1f, write %.0f WCU, transactional write %.0f\n",
		size, capacity.ReadUnits(size, capacity.Strong), capacity.ReadUnits(size, capacity.Eventual),
		capacity.WriteUnits(size), capacity.TransactWriteItems([]int{size}))
	for _, n := range []string{"7", "100", "123", "-123", "3.14159"} {
		k, err := capacity.NumberSize(n)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "number %-8s stores in %d bytes\n", n, k)
	}
	// A customer's orders read by one Query: sizes added and rounded once.
	orders := make([]map[string]types.AttributeValue, 100)
	sizes := make([]int, len(orders))
	for i := range orders {
		orders[i], sizes[i] = order, size
	}
	q, err := capacity.Query(orders, "sk", capacity.Strong)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "100 order items: Query %.0f RCU (rounded once), BatchGetItem %.0f RCU (rounded per item)\n",
		q, capacity.BatchGetItem(sizes, capacity.Strong))
	plan, err := capacity.PlanTable(capacity.Workload{ItemBytes: 3 * 1024, ReadsPerSecond: 80, StrongFraction: 0.5, WritesPerSecond: 10, StoredBytes: 25 << 30}, capacity.Prices{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "plan for 80 reads/s (half strong) and 10 writes/s of 3 KB, 25 GB: %d RCU, %d WCU, %d partitions\n",
		plan.Table.RCU, plan.Table.WCU, plan.Table.Partitions)
	return nil
}
