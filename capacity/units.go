package capacity

// Consistency is the read consistency of a read: it sets the units per 4 KB.
type Consistency int

const (
	// Eventual: eventually consistent, half a unit per 4 KB.
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
	ReadUnitBytes  = 4 * 1024    // one read unit covers up to 4 KB
	WriteUnitBytes = 1024        // one write unit covers up to 1 KB
	PageBytes      = 1024 * 1024 // Query and Scan read at most 1 MB per page
)

// ReadUnits returns the read capacity units of one read of an item of
// itemBytes: the size rounded up to the next 4 KB, one unit per 4 KB when
// Strong, half of that when Eventual, twice that when Transactional. A read of
// nothing (itemBytes <= 0, as for a missing item) is charged the minimum: 1
// unit Strong, 0.5 Eventual, 2 Transactional. An invalid Consistency counts as
// Strong.
func ReadUnits(itemBytes int, c Consistency) float64 {
	return float64(blocks(itemBytes, ReadUnitBytes)) * readFactor(c)
}

// WriteUnits returns the write capacity units of one standard write of an item
// of itemBytes: the size rounded up to the next 1 KB, one unit per KB, at
// least 1 (itemBytes <= 0 is charged 1, as a delete of a missing item is).
func WriteUnits(itemBytes int) float64 { return float64(blocks(itemBytes, WriteUnitBytes)) }

// TransactWriteUnits returns the units of one write inside TransactWriteItems:
// twice WriteUnits.
func TransactWriteUnits(itemBytes int) float64 { return 2 * WriteUnits(itemBytes) }

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

// Query returns the units a Query (or Scan) consumes when it reads items of
// the given sizes, in order, through as many pages as it takes. Sizes are
// those of every item read, filtered-out ones included. Within a page the
// sizes are added and rounded up to 4 KB once; a page ends after the item that
// brings it to 1 MB (PageBytes), and each page costs at least the minimum
// read, so a Query that reads nothing costs 0.5 (Eventual) or 1 (Strong).
func Query(itemBytes []int, c Consistency) float64 {
	total, page, open := 0.0, 0, false
	for _, b := range itemBytes {
		page += max(b, 0)
		open = true
		if page >= PageBytes {
			total += ReadUnits(page, c)
			page, open = 0, false
		}
	}
	if open || len(itemBytes) == 0 {
		total += ReadUnits(page, c)
	}
	return total
}

// PutItem returns the units of a PutItem: the larger of the item replaced
// (oldBytes; 0 when no item existed) and the new item, rounded up to 1 KB.
func PutItem(oldBytes, newBytes int) float64 { return WriteUnits(max(oldBytes, newBytes)) }

// UpdateItem returns the units of an UpdateItem: the larger of the item before
// and after the update, rounded up to 1 KB.
func UpdateItem(oldBytes, newBytes int) float64 { return WriteUnits(max(oldBytes, newBytes)) }

// DeleteItem returns the units of a DeleteItem of an item of itemBytes (1 for
// an item that does not exist).
func DeleteItem(itemBytes int) float64 { return WriteUnits(itemBytes) }

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
// written transactionally, rounded up to 1 KB separately.
func TransactWriteItems(itemBytes []int) float64 {
	total := 0.0
	for _, b := range itemBytes {
		total += TransactWriteUnits(b)
	}
	return total
}

// blocks returns the number of unit-sized blocks itemBytes spans, at least 1.
func blocks(itemBytes, unit int) int {
	if itemBytes <= unit {
		return 1
	}
	return (itemBytes-1)/unit + 1
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
