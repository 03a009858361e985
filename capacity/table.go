package capacity

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Table is what capacity needs to know of a table to count what a write
// costs in its secondary indexes: the key attributes of the table and of each
// index, and what each index projects. TableFrom builds one from a
// DescribeTable answer. The zero value has no key and is rejected by Write.
// A Table is safe for concurrent use once built; Write does not modify it.
type Table struct {
	PartitionKey string  // the table's partition key attribute
	SortKey      string  // the table's sort key attribute; "" when it has none
	Indexes      []Index // global and local secondary indexes
}

// Index is one global or local secondary index of a Table.
type Index struct {
	Name         string
	PartitionKey string // the index's partition key attribute (for a local index, the table's)
	SortKey      string // the index's sort key attribute; "" when it has none
	// Projection is types.ProjectionTypeAll, ProjectionTypeKeysOnly or
	// ProjectionTypeInclude; NonKeyAttributes lists the attributes an
	// Include projection adds to the keys.
	Projection       types.ProjectionType
	NonKeyAttributes []string
}

// TableFrom returns the Table of a DescribeTable answer (or of the
// TableDescription a CreateTable returns): its key schema and every global
// and local secondary index.
func TableFrom(d *types.TableDescription) Table {
	var t Table
	if d == nil {
		return t
	}
	t.PartitionKey, t.SortKey = keys(d.KeySchema)
	for _, ix := range d.GlobalSecondaryIndexes {
		t.Indexes = append(t.Indexes, index(ix.IndexName, ix.KeySchema, ix.Projection))
	}
	for _, ix := range d.LocalSecondaryIndexes {
		t.Indexes = append(t.Indexes, index(ix.IndexName, ix.KeySchema, ix.Projection))
	}
	return t
}

func keys(ks []types.KeySchemaElement) (partition, sort string) {
	for _, k := range ks {
		switch {
		case k.AttributeName == nil:
		case k.KeyType == types.KeyTypeHash:
			partition = *k.AttributeName
		case k.KeyType == types.KeyTypeRange:
			sort = *k.AttributeName
		}
	}
	return partition, sort
}

func index(name *string, ks []types.KeySchemaElement, p *types.Projection) Index {
	var ix Index
	if name != nil {
		ix.Name = *name
	}
	ix.PartitionKey, ix.SortKey = keys(ks)
	if p != nil {
		ix.Projection = p.ProjectionType
		ix.NonKeyAttributes = slices.Clone(p.NonKeyAttributes)
	}
	return ix
}

// Write returns what one PutItem, UpdateItem or DeleteItem consumes, in the
// table and in each secondary index, as DynamoDB reports it with
// ReturnConsumedCapacity INDEXES. old is the item before the write (nil when
// none existed), new the item after it (nil for a DeleteItem); both, when
// given, must have the same table key.
//
// The table is charged PutItem(ItemSize(old), ItemSize(new)): the larger of
// the two, rounded up to 1 KB, at least 1. An index holds an entry for an
// item that has the index's key attributes; the entry holds the index and
// table keys and the projected attributes, and its size is counted as
// ItemSize counts. Following the Developer Guide ("Provisioned throughput
// considerations for global secondary indexes", and the same list for local
// secondary indexes), an index is charged, in WriteUnits of entry sizes:
//
//   - an entry that appears (an insert, or an update that adds the index key):
//     one write of the new entry;
//   - an entry that disappears (a delete, or an update that removes the
//     index key): one write of the old entry;
//   - an update that changes the index key: a delete of the old entry plus
//     a put of the new one;
//   - an update that changes projected attributes only: one write, of the
//     larger of the old and new entries (the size rule is inferred from the
//     table's, the guide states only "larger index entries require
//     additional write capacity units");
//   - no entry before or after, or an entry whose keys and projected
//     attributes are unchanged: nothing (inferred for the unchanged entry).
//
// Values are compared as DynamoDB compares them: numbers by value, sets
// regardless of order. Usage.Indexes holds the indexes charged, by name;
// Total and Write are the table plus the indexes. Transactional writes are
// not covered.
//
// Errors: a Table without a partition key, an index without a name, a
// partition key or a known projection, two indexes of one name, items
// without the table key or with different keys (ErrInvalidInput); and those
// of ItemSize.
func (t Table) Write(old, new map[string]types.AttributeValue) (Usage, error) {
	if err := t.check(); err != nil {
		return Usage{}, err
	}
	oldBytes, err := t.itemSize("old", old)
	if err != nil {
		return Usage{}, err
	}
	newBytes, err := t.itemSize("new", new)
	if err != nil {
		return Usage{}, err
	}
	if old != nil && new != nil {
		for _, k := range []string{t.PartitionKey, t.SortKey} {
			if k != "" && !equalValues(old[k], new[k]) {
				return Usage{}, fmt.Errorf("%w: old and new items have different values of the key %q", ErrInvalidInput, k)
			}
		}
	}
	u := Usage{Table: PutItem(oldBytes, newBytes)}
	u.Total = u.Table
	for _, ix := range t.Indexes {
		units := t.indexWrite(ix, old, new)
		if units == 0 {
			continue
		}
		if u.Indexes == nil {
			u.Indexes = make(map[string]float64, len(t.Indexes))
		}
		u.Indexes[ix.Name] = units
		u.Total += units
	}
	u.Write = u.Total
	return u, nil
}

func (t Table) check() error {
	if t.PartitionKey == "" {
		return fmt.Errorf("%w: table without a partition key", ErrInvalidInput)
	}
	for i, ix := range t.Indexes {
		switch {
		case ix.Name == "":
			return fmt.Errorf("%w: index %d without a name", ErrInvalidInput, i)
		case ix.PartitionKey == "":
			return fmt.Errorf("%w: index %q without a partition key", ErrInvalidInput, ix.Name)
		case ix.Projection != types.ProjectionTypeAll && ix.Projection != types.ProjectionTypeKeysOnly && ix.Projection != types.ProjectionTypeInclude:
			return fmt.Errorf("%w: index %q: projection %q, want ALL, KEYS_ONLY or INCLUDE", ErrInvalidInput, ix.Name, ix.Projection)
		}
		for _, prev := range t.Indexes[:i] {
			if prev.Name == ix.Name {
				return fmt.Errorf("%w: two indexes named %q", ErrInvalidInput, ix.Name)
			}
		}
	}
	return nil
}

func (t Table) itemSize(which string, item map[string]types.AttributeValue) (int, error) {
	if item == nil {
		return 0, nil
	}
	for _, k := range []string{t.PartitionKey, t.SortKey} {
		if _, ok := item[k]; k != "" && !ok {
			return 0, fmt.Errorf("%w: %s item without the key attribute %q", ErrInvalidInput, which, k)
		}
	}
	n, err := ItemSize(item)
	if err != nil {
		return 0, fmt.Errorf("%s item: %w", which, err)
	}
	return n, nil
}

// indexWrite returns the write units ix consumes for the write old -> new.
func (t Table) indexWrite(ix Index, old, new map[string]types.AttributeValue) float64 {
	oldIn, newIn := ix.holds(old), ix.holds(new)
	switch {
	case !oldIn && !newIn:
		return 0
	case !oldIn:
		return WriteUnits(t.entrySize(ix, new))
	case !newIn:
		return WriteUnits(t.entrySize(ix, old))
	case !equalValues(old[ix.PartitionKey], new[ix.PartitionKey]) ||
		ix.SortKey != "" && !equalValues(old[ix.SortKey], new[ix.SortKey]):
		return WriteUnits(t.entrySize(ix, old)) + WriteUnits(t.entrySize(ix, new))
	}
	changed := false
	for name, v := range old {
		if t.projects(ix, name) && !equalValues(v, new[name]) {
			changed = true
			break
		}
	}
	for name := range new {
		if _, ok := old[name]; !ok && t.projects(ix, name) {
			changed = true
			break
		}
	}
	if !changed {
		return 0
	}
	return WriteUnits(max(t.entrySize(ix, old), t.entrySize(ix, new)))
}

// holds reports whether an item has an entry in the index: whether it has
// the index's key attributes (a sparse index leaves out the others).
func (ix Index) holds(item map[string]types.AttributeValue) bool {
	if item == nil {
		return false
	}
	if _, ok := item[ix.PartitionKey]; !ok {
		return false
	}
	if ix.SortKey == "" {
		return true
	}
	_, ok := item[ix.SortKey]
	return ok
}

// projects reports whether the index entries hold the attribute name.
func (t Table) projects(ix Index, name string) bool {
	switch name {
	case t.PartitionKey, t.SortKey, ix.PartitionKey, ix.SortKey:
		return name != ""
	}
	switch ix.Projection {
	case types.ProjectionTypeAll:
		return true
	case types.ProjectionTypeInclude:
		return slices.Contains(ix.NonKeyAttributes, name)
	}
	return false
}

// entrySize returns the size of the index entry of an item ItemSize accepted.
func (t Table) entrySize(ix Index, item map[string]types.AttributeValue) int {
	n := 0
	for name, v := range item {
		if t.projects(ix, name) {
			k, _ := AttributeSize(v)
			n += len(name) + k
		}
	}
	return n
}

// equalValues reports whether two values ItemSize accepted are equal as
// DynamoDB compares them: numbers by value, sets regardless of order, lists
// in order, maps by key. A nil value (an absent attribute) equals only nil.
func equalValues(a, b types.AttributeValue) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case *types.AttributeValueMemberS:
		b, ok := b.(*types.AttributeValueMemberS)
		return ok && a.Value == b.Value
	case *types.AttributeValueMemberB:
		b, ok := b.(*types.AttributeValueMemberB)
		return ok && bytes.Equal(a.Value, b.Value)
	case *types.AttributeValueMemberN:
		b, ok := b.(*types.AttributeValueMemberN)
		return ok && equalNumbers(a.Value, b.Value)
	case *types.AttributeValueMemberBOOL:
		b, ok := b.(*types.AttributeValueMemberBOOL)
		return ok && a.Value == b.Value
	case *types.AttributeValueMemberNULL:
		_, ok := b.(*types.AttributeValueMemberNULL)
		return ok
	case *types.AttributeValueMemberSS:
		b, ok := b.(*types.AttributeValueMemberSS)
		return ok && sameSet(a.Value, b.Value, strings.Compare)
	case *types.AttributeValueMemberBS:
		b, ok := b.(*types.AttributeValueMemberBS)
		return ok && sameSet(a.Value, b.Value, bytes.Compare)
	case *types.AttributeValueMemberNS:
		b, ok := b.(*types.AttributeValueMemberNS)
		return ok && len(a.Value) == len(b.Value) &&
			sameSet(parsed(nil, a.Value), parsed(nil, b.Value), decimal.compare)
	case *types.AttributeValueMemberL:
		b, ok := b.(*types.AttributeValueMemberL)
		return ok && slices.EqualFunc(a.Value, b.Value, equalValues)
	case *types.AttributeValueMemberM:
		b, ok := b.(*types.AttributeValueMemberM)
		if !ok || len(a.Value) != len(b.Value) {
			return false
		}
		for k, v := range a.Value {
			w, ok := b.Value[k]
			if !ok || !equalValues(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

func equalNumbers(a, b string) bool {
	x, errX := parseNumber(a)
	y, errY := parseNumber(b)
	if errX != nil || errY != nil {
		return a == b
	}
	return x.compare(y) == 0
}

// sameSet reports whether two sets hold the same elements, in any order: it
// sorts copies, so that large sets compare in n log n, not n^2 (a projected
// set of 60,000 numbers took hours pair by pair). Repeated elements, which
// ItemSize does not reject, compare as a multiset, so the result does not
// depend on which side is a or b.
func sameSet[T any](a, b []T, cmp func(x, y T) int) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.SortFunc(x, cmp)
	slices.SortFunc(y, cmp)
	return slices.EqualFunc(x, y, func(p, q T) bool { return cmp(p, q) == 0 })
}
