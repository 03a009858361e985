package capacity

// Consistency is the read consistency of a read: it sets the units per 4 KB.
// The zero value is Eventual, as a read without ConsistentRead is in
// DynamoDB.
type Consistency int

const (
	// Eventual: eventually consistent, half a unit per 4 KB. The zero value.
	Eventual Consistency = iota
	// Strong: strongly consistent, one unit per 4 KB.
	Strong
	// Transactional: inside TransactGetItems, two units per 4 KB.
	Transactional
)

// String returns "eventual", "strong" or "transactional".
func (c Consistency) String() string {
	switch c {
	case Eventual:
		return "eventual"
	case Strong:
		return "strong"
	case Transactional:
		return "transactional"
	}
	return "Consistency(invalid)"
}

// Unit sizes and the page limit, from the DynamoDB Developer Guide
// ("Read/write capacity mode", "Query", "Scan").
const (
	readUnitBytes  = 4 * 1024    // one read unit covers up to 4 KB
	writeUnitBytes = 1024        // one write unit covers up to 1 KB
	pageBytes      = 1024 * 1024 // Query and Scan read at most 1 MB per page
)

// ReadUnits returns the read capacity units of one read of an item of
// itemBytes: the size rounded up to the next 4 KB, one unit per 4 KB when
// Strong, half of that when Eventual, twice that when Transactional. A read of
// nothing (itemBytes <= 0, as for a missing item) is charged the minimum: 1
// unit Strong, 0.5 Eventual, 2 Transactional. An invalid Consistency counts as
// Strong.
func ReadUnits(itemBytes int, c Consistency) float64 {
	return float64(blocks(uint64(max(itemBytes, 0)), readUnitBytes)) * readFactor(c)
}

// WriteUnits returns the write capacity units of one standard write of an item
// of itemBytes: the size rounded up to the next 1 KB, one unit per KB, at
// least 1 (itemBytes <= 0 is charged 1, as a delete of a missing item is).
// A DeleteItem costs WriteUnits of the deleted item.
func WriteUnits(itemBytes int) float64 {
	return float64(blocks(uint64(max(itemBytes, 0)), writeUnitBytes))
}

// ReadCapacity returns the read capacity units per second for readsPerSecond
// reads of items of itemBytes: ReadUnits times the rate, unrounded (a
// provisioned table needs the next whole number). A negative or NaN rate gives 0.
func ReadCapacity(itemBytes int, readsPerSecond float64, c Consistency) float64 {
	return ReadUnits(itemBytes, c) * rate(readsPerSecond)
}

// WriteCapacity returns the write capacity units per second for
// writesPerSecond standard writes of items of itemBytes, unrounded. A negative
// or NaN rate gives 0.
func WriteCapacity(itemBytes int, writesPerSecond float64) float64 {
	return WriteUnits(itemBytes) * rate(writesPerSecond)
}

// BatchGetItem returns the units one BatchGetItem consumes: each item is
// rounded up to 4 KB separately.
func BatchGetItem(itemBytes []int, c Consistency) float64 {
	total := 0.0
	for _, b := range itemBytes {
		total += ReadUnits(b, c)
	}
	return total
}

// PutItem returns the table's units of a PutItem or an UpdateItem: the larger
// of the item before (oldBytes; 0 when no item existed) and after the write,
// rounded up to 1 KB. Table.Write adds what the secondary indexes consume.
func PutItem(oldBytes, newBytes int) float64 { return WriteUnits(max(oldBytes, newBytes)) }

// BatchWriteItem returns the units of one BatchWriteItem: each put or delete
// rounded up to 1 KB separately. For a put that replaces an item, pass the
// larger of the two sizes.
func BatchWriteItem(itemBytes []int) float64 {
	total := 0.0
	for _, b := range itemBytes {
		total += WriteUnits(b)
	}
	return total
}

// TransactGetItems returns the units of one TransactGetItems: each item read
// transactionally, rounded up to 4 KB separately.
func TransactGetItems(itemBytes []int) float64 { return BatchGetItem(itemBytes, Transactional) }

// TransactWriteItems returns the units of one TransactWriteItems: each item
// written transactionally, two units per KB, rounded up to 1 KB separately.
// For one item, TransactWriteItems([]int{size}).
func TransactWriteItems(itemBytes []int) float64 {
	return 2 * BatchWriteItem(itemBytes)
}

// blocks returns the number of unit-sized blocks n spans, at least 1. n is
// unsigned and 64-bit so that a page sum of int sizes never wraps.
func blocks(n, unit uint64) uint64 {
	if n <= unit {
		return 1
	}
	return (n-1)/unit + 1
}

func readFactor(c Consistency) float64 {
	switch c {
	case Eventual:
		return 0.5
	case Transactional:
		return 2
	}
	return 1
}

func rate(r float64) float64 {
	if r > 0 { // false for NaN
		return r
	}
	return 0
}
