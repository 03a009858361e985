package capacity

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Query returns the units a Query or a Scan consumes when it reads items, in
// order, through as many requests as it takes: the sum of the Units of
// Pages. sortKey is the name of the table's sort key ("" when it has none).
// items are every item read, filtered-out ones included (a filter does not
// reduce the units); for a Query or Scan of an index, pass the index entries
// as the index stores them (keys and projected attributes). Query does not
// allocate.
//
// Errors are those of ItemSize, prefixed with the item's index.
func Query(items []map[string]types.AttributeValue, sortKey string, c Consistency) (float64, error) {
	p := pager{c: c}
	for i, it := range items {
		n, err := ItemSize(it)
		if err != nil {
			return 0, fmt.Errorf("item %d: %w", i, err)
		}
		p.add(n, pageSize(it, sortKey))
	}
	p.end()
	return p.total, nil
}

// Page is one request of a Query or Scan, as DynamoDB answers it.
type Page struct {
	Items int     // items read: the ScannedCount
	Bytes int64   // the sum of their ItemSize
	Units float64 // the ConsumedCapacity: Bytes rounded up to 4 KB once, at least the minimum
	More  bool    // the page reached 1 MB: DynamoDB returns a LastEvaluatedKey
}

// Pages returns the requests a Query or a Scan makes to read items, in
// order, and what each consumes (arguments as for Query).
//
// Within a page, the ItemSize of the items read are added and rounded up to
// 4 KB once (half a unit per 4 KB Eventual, one Strong). A page ends after
// the item that brings it to 1 MB, measured not in ItemSize but in PageSize,
// the larger size DynamoDB stores. A page that ends there returns a
// LastEvaluatedKey, so one more request follows, even when no item is left,
// and every request costs at least the minimum read: a Query that reads
// nothing costs 0.5 (Eventual) or 1 (Strong). Limit is not modelled: with a
// Limit, call Pages for the items of each request.
func Pages(items []map[string]types.AttributeValue, sortKey string, c Consistency) ([]Page, error) {
	p := pager{c: c, pages: []Page{}}
	for i, it := range items {
		n, err := ItemSize(it)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		p.add(n, pageSize(it, sortKey))
	}
	p.end()
	return p.pages, nil
}

// pager adds up the requests of a Query or Scan. Sums are uint64: a page holds
// less than 1 MB of PageSize before its last item, so no int item size can
// wrap them; with items of at most 400 KB (ItemSize checks) a page's bytes
// stay far below 2^63, so Page.Bytes holds them.
type pager struct {
	c        Consistency
	total    float64 // the units of the requests that ended
	items    int     // items read in the open request
	charged  uint64  // ItemSize of the items read in the open request
	measured uint64  // PageSize of the items read in the open request
	pages    []Page  // non-nil: record each request
}

// add reads one item of ItemSize item and PageSize page.
func (p *pager) add(item, page int) {
	p.items++
	p.charged += uint64(max(item, 0))
	p.measured += uint64(max(page, 0))
	if p.measured >= pageBytes {
		p.close(true)
	}
}

// end closes the last request: the last page, or the request that follows a
// full page.
func (p *pager) end() { p.close(false) }

func (p *pager) close(more bool) {
	units := float64(blocks(p.charged, readUnitBytes)) * readFactor(p.c)
	p.total += units
	if p.pages != nil {
		p.pages = append(p.pages, Page{Items: p.items, Bytes: int64(p.charged), Units: units, More: more})
	}
	p.items, p.charged, p.measured = 0, 0, 0
}

// PageSize returns the size DynamoDB measures item at against the 1 MB limit
// of a Query or Scan page, sortKey being the name of the table's sort key (""
// when it has none). It is larger than ItemSize for most items: DynamoDB
// stores every value with type and length bytes and every item with metadata
// that grows with its size and repeats the sort key. Errors are those of
// ItemSize.
//
// The rule, per attribute other than the sort key: 1 byte (whatever the
// length of its name) plus the stored value: a string its UTF-8 bytes plus 1
// length byte under 128 bytes, 2 under 16,384, 3 above; a binary or a number
// its ItemSize plus 1; a set the sum of its elements plus 1 per element plus
// 1; BOOL 1, NULL 0; a list 3 plus (1 + the stored element) per element; a
// map 3 plus (2 + the stored value) per entry, keys not counted. With s the
// sum over the attributes and k the ItemSize of the sort key's value (0 when
// absent), PageSize is 2 + s + (1 + (1+s)/3072) * (18 + k), rounding down.
//
// Measured and inferred: the rule is the one dynalite's author measured
// against live DynamoDB, and the cut it gives matches the Scan pages recorded
// there (testdata/README.md): long strings (3 length bytes), numbers,
// binaries, the three set types, attribute names of 1 and 255 bytes, string
// and number sort keys, hash-only tables, items of 40 to 87 KB. Short and
// medium strings (1 and 2 length bytes), BOOL, NULL, lists, maps, non-ASCII
// strings (UTF-8 here; dynalite counts UTF-16 units) and items under 40 KB
// follow the same rule by inference, not measurement.
func PageSize(item map[string]types.AttributeValue, sortKey string) (int, error) {
	if _, err := ItemSize(item); err != nil {
		return 0, err
	}
	return pageSize(item, sortKey), nil
}

// pageSize is PageSize of an item ItemSize accepted.
func pageSize(item map[string]types.AttributeValue, sortKey string) int {
	s, k := 0, 0
	for name, v := range item {
		if name == sortKey {
			k, _ = AttributeSize(v)
			continue
		}
		s += 1 + storedSize(v)
	}
	return 2 + s + (1+(1+s)/3072)*(18+k)
}

// storedSize is the stored size of a valid value (see PageSize).
func storedSize(v types.AttributeValue) int {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		n := len(v.Value)
		switch {
		case n < 128:
			return n + 1
		case n < 16384:
			return n + 2
		}
		return n + 3
	case *types.AttributeValueMemberB:
		return len(v.Value) + 1
	case *types.AttributeValueMemberN:
		n, _ := NumberSize(v.Value)
		return n + 1
	case *types.AttributeValueMemberSS:
		n := 0
		for _, s := range v.Value {
			n += len(s)
		}
		return n + len(v.Value) + 1
	case *types.AttributeValueMemberBS:
		n := 0
		for _, b := range v.Value {
			n += len(b)
		}
		return n + len(v.Value) + 1
	case *types.AttributeValueMemberNS:
		n := 0
		for _, s := range v.Value {
			k, _ := NumberSize(s)
			n += k
		}
		return n + len(v.Value) + 1
	case *types.AttributeValueMemberBOOL:
		return 1
	case *types.AttributeValueMemberNULL:
		return 0
	case *types.AttributeValueMemberL:
		n := docOverhead
		for _, e := range v.Value {
			n += 1 + storedSize(e)
		}
		return n
	case *types.AttributeValueMemberM:
		n := docOverhead
		for _, e := range v.Value {
			n += 2 + storedSize(e)
		}
		return n
	}
	return 0
}
