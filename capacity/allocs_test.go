package capacity_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/awskit/awskit/capacity"
)

// The allocation claims of the docs, README.md and BENCHMARKS.md ("does not
// allocate on success"), as tests rather than benchmark figures.
func TestAllocations(t *testing.T) {
	it := realisticItem()
	orders := make([]item, 50)
	for i := range orders {
		orders[i] = it
	}
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"ItemSize", func() {
			if _, err := capacity.ItemSize(it); err != nil {
				t.Fatal(err)
			}
		}},
		{"AttributeSize", func() {
			if _, err := capacity.AttributeSize(it["shipping"]); err != nil {
				t.Fatal(err)
			}
		}},
		{"NumberSize", func() {
			if _, err := capacity.NumberSize("-12345.678901e3"); err != nil {
				t.Fatal(err)
			}
		}},
		{"PageSize", func() {
			if _, err := capacity.PageSize(it, "sk"); err != nil {
				t.Fatal(err)
			}
		}},
		{"Query", func() {
			if _, err := capacity.Query(orders, "sk", capacity.Eventual); err != nil {
				t.Fatal(err)
			}
		}},
		{"Validate", func() {
			if err := capacity.Validate(it); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		assert.Zero(t, testing.AllocsPerRun(100, tc.f), "%s allocates", tc.name)
	}
}
