package capacity_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/awskit/awskit/capacity"
)

// realisticItem is a 20-attribute order item with a nested map and a list.
func realisticItem() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk":         s("CUSTOMER#8f14e45f-ceea-467f-a8f5-7a1b2c3d4e5f"),
		"sk":         s("ORDER#2026-11-25T20:49:41Z#000123"),
		"type":       s("order"),
		"status":     s("SHIPPED"),
		"total":      n("129.95"),
		"currency":   s("EUR"),
		"itemCount":  n("3"),
		"createdAt":  n("1764103781"),
		"updatedAt":  n("1764107381"),
		"paid":       &types.AttributeValueMemberBOOL{Value: true},
		"giftWrap":   &types.AttributeValueMemberBOOL{Value: false},
		"coupon":     &types.AttributeValueMemberNULL{Value: true},
		"tags":       &types.AttributeValueMemberSS{Value: []string{"priority", "eu", "returning"}},
		"warehouses": &types.AttributeValueMemberNS{Value: []string{"12", "40", "7"}},
		"signature":  b([]byte("0123456789abcdef0123456789abcdef")...),
		"email":      s("someone@example.com"),
		"phone":      s("+49 30 1234567"),
		"notes":      s("Leave the parcel with the neighbour at number 12 if nobody answers."),
		"shipping": m(map[string]types.AttributeValue{
			"street":  s("Unter den Linden 1"),
			"city":    s("Berlin"),
			"zip":     s("10117"),
			"country": s("DE"),
			"geo":     m(map[string]types.AttributeValue{"lat": n("52.5170365"), "lon": n("13.3888599")}),
		}),
		"lines": l(
			m(map[string]types.AttributeValue{"sku": s("A-100"), "qty": n("1"), "price": n("99.95")}),
			m(map[string]types.AttributeValue{"sku": s("B-7"), "qty": n("2"), "price": n("15")}),
		),
	}
}

var sinkInt int

func BenchmarkItemSize(b *testing.B) {
	it := realisticItem()
	b.Run("awskit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n, err := capacity.ItemSize(it)
			if err != nil {
				b.Fatal(err)
			}
			sinkInt = n
		}
	})
	// The usual shortcut: unmarshal to Go values and take the JSON length.
	// It is also wrong (it counts JSON syntax and numbers as text), but it is
	// what users reach for.
	b.Run("attributevalue+json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v map[string]any
			if err := attributevalue.UnmarshalMap(it, &v); err != nil {
				b.Fatal(err)
			}
			out, err := json.Marshal(v)
			if err != nil {
				b.Fatal(err)
			}
			sinkInt = len(out)
		}
	})
}

func BenchmarkNumberSize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		k, err := capacity.NumberSize("-12345.678901e3")
		if err != nil {
			b.Fatal(err)
		}
		sinkInt = k
	}
}

func TestRealisticItemSize(t *testing.T) {
	got, err := capacity.ItemSize(realisticItem())
	if err != nil {
		t.Fatal(err)
	}
	// 535 was added up by hand from the documented rules, attribute by attribute.
	if got != 535 {
		t.Fatalf("ItemSize(realistic) = %d, want 535", got)
	}
}

// BenchmarkQuery: the units of a Query reading 100 realistic items (ItemSize
// and PageSize of each, page arithmetic). No peer: the usual shortcut
// (summing sizes) is what Query replaces, and it cuts pages in the wrong place.
func BenchmarkQuery(b *testing.B) {
	items := make([]map[string]types.AttributeValue, 100)
	for i := range items {
		items[i] = realisticItem()
	}
	b.ReportAllocs()
	for b.Loop() {
		u, err := capacity.Query(items, "sk", capacity.Eventual)
		if err != nil {
			b.Fatal(err)
		}
		sinkFloat = u
	}
}

// BenchmarkValidate: ItemSize's checks plus the duplicate check of the
// realistic item's sets.
func BenchmarkValidate(b *testing.B) {
	it := realisticItem()
	b.ReportAllocs()
	for b.Loop() {
		if err := capacity.Validate(it); err != nil {
			b.Fatal(err)
		}
	}
}

var sinkFloat float64
