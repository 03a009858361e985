package capacity_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/capacity"
)

type item = map[string]types.AttributeValue

func s(v string) types.AttributeValue                  { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue                  { return &types.AttributeValueMemberN{Value: v} }
func b(v ...byte) types.AttributeValue                 { return &types.AttributeValueMemberB{Value: v} }
func l(v ...types.AttributeValue) types.AttributeValue { return &types.AttributeValueMemberL{Value: v} }
func m(v item) types.AttributeValue                    { return &types.AttributeValueMemberM{Value: v} }

func TestItemSize(t *testing.T) {
	tests := []struct {
		name string
		item item
		want int
	}{
		{"empty item", item{}, 0},
		{"string", item{"id": s("abc")}, 2 + 3},
		{"empty string", item{"id": s("")}, 2},
		{"unicode name and value", item{"名前": s("é")}, 6 + 2},
		{"emoji value", item{"e": s("😀")}, 1 + 4},
		{"number", item{"n": n("123")}, 1 + 3},
		{"negative number", item{"n": n("-1")}, 1 + 3},
		{"binary counts raw bytes", item{"b": b(1, 2, 3)}, 1 + 3},
		{"bool", item{"ok": &types.AttributeValueMemberBOOL{Value: false}}, 2 + 1},
		{"null", item{"x": &types.AttributeValueMemberNULL{Value: true}}, 1 + 1},
		{"string set", item{"ss": &types.AttributeValueMemberSS{Value: []string{"a", "bc"}}}, 2 + 3},
		{"number set", item{"ns": &types.AttributeValueMemberNS{Value: []string{"1", "123"}}}, 2 + 2 + 3},
		{"binary set", item{"bs": &types.AttributeValueMemberBS{Value: [][]byte{{1, 2}, {3}}}}, 2 + 3},
		{"empty list", item{"l": l()}, 1 + 3},
		{"empty map", item{"m": m(item{})}, 1 + 3},
		{"list", item{"l": l(s("a"), n("1"))}, 1 + 3 + (1 + 1) + (1 + 2)},
		{"map", item{"m": m(item{"k": &types.AttributeValueMemberBOOL{Value: true}})}, 1 + 3 + (1 + 1 + 1)},
		{"nested", item{"a": m(item{"b": l(m(item{}), l())})}, 1 + 3 + (1 + 1 + (3 + (1 + 3) + (1 + 3)))},
		{"several attributes", item{"pk": s("user#1"), "sk": s("profile"), "age": n("42")}, 2 + 6 + 2 + 7 + 3 + 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := capacity.ItemSize(tc.item)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "ItemSize(%v)", tc.name)
		})
	}
}

func TestItemSizeLimit(t *testing.T) {
	exact := item{"d": s(strings.Repeat("x", capacity.MaxItemBytes-1))}
	got, err := capacity.ItemSize(exact)
	require.NoError(t, err)
	assert.Equal(t, 409600, got)

	over := item{"d": s(strings.Repeat("x", capacity.MaxItemBytes))}
	got, err = capacity.ItemSize(over)
	require.ErrorIs(t, err, capacity.ErrItemTooLarge)
	assert.Equal(t, 409601, got, "the size is returned with ErrItemTooLarge")
	assert.Contains(t, err.Error(), "409601")
}

func TestItemSizeErrors(t *testing.T) {
	tests := []struct {
		name string
		item item
		want error
	}{
		{"nil value", item{"a": nil}, capacity.ErrUnknownType},
		{"nil member", item{"a": (*types.AttributeValueMemberS)(nil)}, capacity.ErrUnknownType},
		{"nil map member", item{"a": (*types.AttributeValueMemberM)(nil)}, capacity.ErrUnknownType},
		{"unknown union member", item{"a": &types.UnknownUnionMember{Tag: "X"}}, capacity.ErrUnknownType},
		{"null false", item{"a": &types.AttributeValueMemberNULL{Value: false}}, capacity.ErrInvalidValue},
		{"empty string set", item{"a": &types.AttributeValueMemberSS{}}, capacity.ErrInvalidValue},
		{"empty number set", item{"a": &types.AttributeValueMemberNS{Value: []string{}}}, capacity.ErrInvalidValue},
		{"empty binary set", item{"a": &types.AttributeValueMemberBS{}}, capacity.ErrInvalidValue},
		{"invalid number", item{"a": n("1.2.3")}, capacity.ErrInvalidNumber},
		{"invalid number in set", item{"a": &types.AttributeValueMemberNS{Value: []string{"1", "x"}}}, capacity.ErrInvalidNumber},
		{"invalid number in list", item{"a": l(n("1"), n(""))}, capacity.ErrInvalidNumber},
		{"invalid number in map", item{"a": m(item{"k": n("NaN")})}, capacity.ErrInvalidNumber},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := capacity.ItemSize(tc.item)
			assert.ErrorIs(t, err, tc.want, "ItemSize = %d, %v", got, err)
			assert.Zero(t, got)
		})
	}
}

func nest(depth int) types.AttributeValue {
	v := types.AttributeValue(&types.AttributeValueMemberBOOL{Value: true})
	for range depth {
		v = l(v)
	}
	return v
}

func TestItemSizeDepth(t *testing.T) {
	_, err := capacity.ItemSize(item{"a": nest(32)})
	require.NoError(t, err)
	_, err = capacity.ItemSize(item{"a": nest(33)})
	require.ErrorIs(t, err, capacity.ErrInvalidValue)

	nestMap := func(depth int) types.AttributeValue {
		v := types.AttributeValue(&types.AttributeValueMemberBOOL{Value: true})
		for range depth {
			v = m(item{"k": v})
		}
		return v
	}
	_, err = capacity.ItemSize(item{"a": nestMap(32)})
	require.NoError(t, err)
	_, err = capacity.ItemSize(item{"a": nestMap(33)})
	require.ErrorIs(t, err, capacity.ErrInvalidValue)

	// A map that contains itself is cut off by the depth limit, not the stack.
	self := map[string]types.AttributeValue{}
	self["me"] = m(self)
	_, err = capacity.ItemSize(self)
	require.ErrorIs(t, err, capacity.ErrInvalidValue)
}

func TestAttributeSize(t *testing.T) {
	got, err := capacity.AttributeSize(l(s("ab"), n("10")))
	require.NoError(t, err)
	assert.Equal(t, 3+(1+2)+(1+2), got)
	_, err = capacity.AttributeSize(nil)
	assert.ErrorIs(t, err, capacity.ErrUnknownType)
}
