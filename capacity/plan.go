package capacity

import (
	"fmt"
	"math"
)

// Partition throughput and size, from the DynamoDB Developer Guide
// ("Partitions and data distribution"): one partition serves up to 3,000 read
// units and 1,000 write units per second and holds up to 10 GB. A month is
// the 730 hours of AWS pricing pages.
const (
	partitionReadUnits  = 3000
	partitionWriteUnits = 1000
	partitionBytes      = 10 * 1024 * 1024 * 1024
	hoursPerMonth       = 730
)

// maxUnits bounds the units per second PlanTable plans: 2^53, the largest
// range in which float64 holds every integer, so that RCU and WCU are exact.
// No table can be provisioned anywhere near it.
const maxUnits = 1 << 53

// Workload describes the traffic of a table and its global secondary indexes.
// Sizes are bytes as ItemSize counts them; rates are per second; fractions are
// in [0, 1]. The zero value is an idle table.
type Workload struct {
	ItemBytes      int     // size of one item
	ReadsPerSecond float64 // single-item reads per second (GetItem, or items of a Query rounded per item)
	// Reads are eventually consistent except these fractions; their sum is at most 1.
	StrongFraction        float64 // strongly consistent reads
	TransactionalFraction float64 // reads inside TransactGetItems

	WritesPerSecond            float64 // writes per second (put, update or delete of one item)
	TransactionalWriteFraction float64 // writes inside TransactWriteItems

	StoredBytes int64 // table size, for the partition estimate
	Indexes     []GlobalIndex
}

// GlobalIndex describes one global secondary index; the zero value is an
// index that is never read or written. Index reads are always eventually
// consistent. An index write costs WriteUnits of the projected item;
// a table write that changes the index key costs a delete of the old index
// entry plus a put of the new one.
type GlobalIndex struct {
	Name              string
	ItemBytes         int     // projected item size: keys plus projected attributes
	ReadsPerSecond    float64 // eventually consistent reads of index items per second
	WriteFraction     float64 // fraction of table writes that write this index (any projected change, inserts, deletes)
	KeyChangeFraction float64 // fraction of table writes that change the index key; at most WriteFraction
	StoredBytes       int64   // index size, for the partition estimate
}

// Prices are the caller's prices in any one currency: finite and >= 0
// (PlanTable rejects others); zero prices give zero costs. No price is built in: they differ by region and change over time.
type Prices struct {
	ReadRequestPerMillion  float64 // on demand, per million read request units
	WriteRequestPerMillion float64 // on demand, per million write request units
	ReadUnitHour           float64 // provisioned, per read capacity unit-hour
	WriteUnitHour          float64 // provisioned, per write capacity unit-hour
}

// Throughput is the plan for one table or index.
type Throughput struct {
	Name string // the index name; "" for the table

	ReadUnits, WriteUnits float64 // exact units per second
	RCU, WCU              int64   // provisioned capacity: the exact units rounded up, at least 1

	// Partitions is the estimate max(ceil(RCU/3000 + WCU/1000), ceil(bytes/10 GB)), at least 1.
	Partitions int64

	// On demand: request units per month (730 hours at the given rates).
	ReadRequestUnitsPerMonth, WriteRequestUnitsPerMonth float64

	OnDemandCost    float64 // per month at Prices
	ProvisionedCost float64 // per month at Prices for RCU and WCU
}

// Plan is a table's capacity plan: the table, then each index in the order of
// Workload.Indexes, and the totals of all of them.
type Plan struct {
	Table   Throughput
	Indexes []Throughput

	OnDemandCost    float64 // per month, table and indexes
	ProvisionedCost float64 // per month, table and indexes
}

// PlanTable computes the provisioned capacity, the partition estimate and the
// on-demand request units of a workload, and their monthly costs at prices.
// Invalid input (negative sizes or rates, fractions outside [0, 1], read
// fractions summing over 1, a key change fraction over the write fraction,
// rates so high that the table or an index would need 2^53 units per
// second or more, a negative, NaN or infinite price, or prices so high that
// a cost overflows float64) gives an error matching ErrInvalidInput; an item
// size over MaxItemBytes gives ErrItemTooLarge.
func PlanTable(w Workload, prices Prices) (Plan, error) {
	if err := w.validate(); err != nil {
		return Plan{}, err
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"ReadRequestPerMillion", prices.ReadRequestPerMillion}, {"WriteRequestPerMillion", prices.WriteRequestPerMillion}, {"ReadUnitHour", prices.ReadUnitHour}, {"WriteUnitHour", prices.WriteUnitHour}} {
		if err := checkRate("price "+c.name, c.v); err != nil {
			return Plan{}, err
		}
	}
	eventual := 1 - w.StrongFraction - w.TransactionalFraction
	read := w.ReadsPerSecond * (eventual*ReadUnits(w.ItemBytes, Eventual) +
		w.StrongFraction*ReadUnits(w.ItemBytes, Strong) +
		w.TransactionalFraction*ReadUnits(w.ItemBytes, Transactional))
	write := w.WritesPerSecond * ((1-w.TransactionalWriteFraction)*WriteUnits(w.ItemBytes) +
		w.TransactionalWriteFraction*2*WriteUnits(w.ItemBytes))

	if err := checkUnits("table", read, write); err != nil {
		return Plan{}, err
	}
	var p Plan
	p.Table = throughput("", read, write, w.StoredBytes, prices)
	p.OnDemandCost, p.ProvisionedCost = p.Table.OnDemandCost, p.Table.ProvisionedCost
	for _, ix := range w.Indexes {
		put := WriteUnits(ix.ItemBytes)
		plain := ix.WriteFraction - ix.KeyChangeFraction
		ixWrite := w.WritesPerSecond * (plain*put + ix.KeyChangeFraction*2*put)
		ixRead := ix.ReadsPerSecond * ReadUnits(ix.ItemBytes, Eventual)
		if err := checkUnits("index "+ix.Name, ixRead, ixWrite); err != nil {
			return Plan{}, err
		}
		t := throughput(ix.Name, ixRead, ixWrite, ix.StoredBytes, prices)
		p.Indexes = append(p.Indexes, t)
		p.OnDemandCost += t.OnDemandCost
		p.ProvisionedCost += t.ProvisionedCost
	}
	if math.IsInf(p.OnDemandCost, 0) || math.IsInf(p.ProvisionedCost, 0) {
		return Plan{}, fmt.Errorf("%w: monthly cost out of float64 range", ErrInvalidInput)
	}
	return p, nil
}

func throughput(name string, read, write float64, stored int64, prices Prices) Throughput {
	t := Throughput{Name: name, ReadUnits: read, WriteUnits: write}
	t.RCU = max(1, int64(math.Ceil(read)))
	t.WCU = max(1, int64(math.Ceil(write)))
	byThroughput := int64(math.Ceil(float64(t.RCU)/partitionReadUnits + float64(t.WCU)/partitionWriteUnits))
	bySize := stored / partitionBytes // without stored+partitionBytes-1, which wraps near MaxInt64
	if stored%partitionBytes != 0 {
		bySize++
	}
	t.Partitions = max(1, byThroughput, bySize)
	const secondsPerMonth = hoursPerMonth * 3600
	t.ReadRequestUnitsPerMonth = read * secondsPerMonth
	t.WriteRequestUnitsPerMonth = write * secondsPerMonth
	t.OnDemandCost = t.ReadRequestUnitsPerMonth/1e6*prices.ReadRequestPerMillion + t.WriteRequestUnitsPerMonth/1e6*prices.WriteRequestPerMillion
	t.ProvisionedCost = hoursPerMonth * (float64(t.RCU)*prices.ReadUnitHour + float64(t.WCU)*prices.WriteUnitHour)
	return t
}

func (w Workload) validate() error {
	if w.ItemBytes < 0 || w.StoredBytes < 0 {
		return fmt.Errorf("%w: negative size", ErrInvalidInput)
	}
	if w.ItemBytes > MaxItemBytes {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrItemTooLarge, w.ItemBytes, MaxItemBytes)
	}
	if err := checkRate("ReadsPerSecond", w.ReadsPerSecond); err != nil {
		return err
	}
	if err := checkRate("WritesPerSecond", w.WritesPerSecond); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"StrongFraction", w.StrongFraction}, {"TransactionalFraction", w.TransactionalFraction}, {"TransactionalWriteFraction", w.TransactionalWriteFraction}} {
		if err := checkFraction(f.name, f.v); err != nil {
			return err
		}
	}
	if w.StrongFraction+w.TransactionalFraction > 1+1e-9 {
		return fmt.Errorf("%w: StrongFraction + TransactionalFraction = %g, over 1", ErrInvalidInput, w.StrongFraction+w.TransactionalFraction)
	}
	for _, ix := range w.Indexes {
		if ix.ItemBytes < 0 || ix.StoredBytes < 0 {
			return fmt.Errorf("%w: index %q: negative size", ErrInvalidInput, ix.Name)
		}
		if ix.ItemBytes > MaxItemBytes {
			return fmt.Errorf("%w: index %q: %d bytes, limit %d", ErrItemTooLarge, ix.Name, ix.ItemBytes, MaxItemBytes)
		}
		if err := checkRate("index "+ix.Name+" ReadsPerSecond", ix.ReadsPerSecond); err != nil {
			return err
		}
		if err := checkFraction("index "+ix.Name+" WriteFraction", ix.WriteFraction); err != nil {
			return err
		}
		if err := checkFraction("index "+ix.Name+" KeyChangeFraction", ix.KeyChangeFraction); err != nil {
			return err
		}
		if ix.KeyChangeFraction > ix.WriteFraction {
			return fmt.Errorf("%w: index %q: KeyChangeFraction %g over WriteFraction %g", ErrInvalidInput, ix.Name, ix.KeyChangeFraction, ix.WriteFraction)
		}
	}
	return nil
}

func checkUnits(what string, read, write float64) error {
	if !(read < maxUnits && write < maxUnits) {
		return fmt.Errorf("%w: %s needs %g read and %g write units per second, over 2^53", ErrInvalidInput, what, read, write)
	}
	return nil
}

func checkRate(name string, r float64) error {
	if !(r >= 0) || math.IsInf(r, 0) {
		return fmt.Errorf("%w: %s = %g, want a finite rate >= 0", ErrInvalidInput, name, r)
	}
	return nil
}

func checkFraction(name string, f float64) error {
	if !(f >= 0 && f <= 1) {
		return fmt.Errorf("%w: %s = %g, want a fraction in [0, 1]", ErrInvalidInput, name, f)
	}
	return nil
}
