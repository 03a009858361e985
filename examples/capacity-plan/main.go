// Command capacity-plan prints a DynamoDB capacity plan for a table and its
// global secondary indexes: provisioned RCU/WCU, a partition estimate, on-demand
// request units per month, and monthly costs at the prices you give.
//
//	go run ./examples/capacity-plan -item 3072 -reads 80 -strong 0.5 -writes 10 \
//	    -gsi byStatus:500:10:0.5:0.2 -stored-gb 25 -rcu-hour 0.00013 -wcu-hour 0.00065
//
// A -gsi flag is NAME:ITEM_BYTES:READS_PER_SECOND:WRITE_FRACTION:KEY_CHANGE_FRACTION
// and may be repeated. No price is built in.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/awskit/awskit/capacity"
)

type gsiFlags []capacity.GlobalIndex

func (g *gsiFlags) String() string { return fmt.Sprint(len(*g), " indexes") }

func (g *gsiFlags) Set(v string) error {
	parts := strings.Split(v, ":")
	if len(parts) != 5 {
		return fmt.Errorf("want NAME:ITEM_BYTES:READS:WRITE_FRACTION:KEY_CHANGE_FRACTION, got %q", v)
	}
	var ix capacity.GlobalIndex
	var err error
	ix.Name = parts[0]
	if ix.ItemBytes, err = strconv.Atoi(parts[1]); err != nil {
		return err
	}
	nums := []*float64{&ix.ReadsPerSecond, &ix.WriteFraction, &ix.KeyChangeFraction}
	for i, p := range nums {
		if *p, err = strconv.ParseFloat(parts[2+i], 64); err != nil {
			return err
		}
	}
	*g = append(*g, ix)
	return nil
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "capacity-plan:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("capacity-plan", flag.ContinueOnError)
	var w capacity.Workload
	var p capacity.Prices
	var gsis gsiFlags
	var storedGB float64
	fs.IntVar(&w.ItemBytes, "item", 1024, "item size in bytes (as capacity.ItemSize counts)")
	fs.Float64Var(&w.ReadsPerSecond, "reads", 0, "item reads per second")
	fs.Float64Var(&w.StrongFraction, "strong", 0, "fraction of reads strongly consistent")
	fs.Float64Var(&w.TransactionalFraction, "txn-reads", 0, "fraction of reads in transactions")
	fs.Float64Var(&w.WritesPerSecond, "writes", 0, "item writes per second")
	fs.Float64Var(&w.TransactionalWriteFraction, "txn-writes", 0, "fraction of writes in transactions")
	fs.Float64Var(&storedGB, "stored-gb", 0, "table size in GB (1 GB = 2^30 bytes)")
	fs.Var(&gsis, "gsi", "NAME:ITEM_BYTES:READS:WRITE_FRACTION:KEY_CHANGE_FRACTION (repeatable)")
	fs.Float64Var(&p.ReadRequestPerMillion, "rru-million", 0, "on-demand price per million read request units")
	fs.Float64Var(&p.WriteRequestPerMillion, "wru-million", 0, "on-demand price per million write request units")
	fs.Float64Var(&p.ReadUnitHour, "rcu-hour", 0, "provisioned price per RCU-hour")
	fs.Float64Var(&p.WriteUnitHour, "wcu-hour", 0, "provisioned price per WCU-hour")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if storedGB < 0 {
		return fmt.Errorf("-stored-gb %g is negative", storedGB)
	}
	w.StoredBytes = int64(storedGB * (1 << 30))
	w.Indexes = gsis
	plan, err := capacity.PlanTable(w, p)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "name\tread units/s\twrite units/s\tRCU\tWCU\tpartitions\tRRU/month\tWRU/month\ton-demand/month\tprovisioned/month\t")
	for _, t := range append([]capacity.Throughput{plan.Table}, plan.Indexes...) {
		name := t.Name
		if name == "" {
			name = "(table)"
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%d\t%d\t%d\t%.0f\t%.0f\t%.2f\t%.2f\t\n", name, t.ReadUnits, t.WriteUnits, t.RCU, t.WCU,
			t.Partitions, t.ReadRequestUnitsPerMonth, t.WriteRequestUnitsPerMonth, t.OnDemandCost, t.ProvisionedCost)
	}
	fmt.Fprintf(tw, "total\t\t\t\t\t\t\t\t%.2f\t%.2f\t\n", plan.OnDemandCost, plan.ProvisionedCost)
	return tw.Flush()
}
