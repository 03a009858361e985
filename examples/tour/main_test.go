package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTour runs the whole tour offline and checks each section printed its
// headline results.
func TestTour(t *testing.T) {
	var b strings.Builder
	require.NoError(t, tour(&b))
	out := b.String()
	for _, s := range sections {
		assert.Contains(t, out, "== "+s.name+" ==")
	}
	assert.Contains(t, out, "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:live")
	assert.Contains(t, out, "id=mrk-1234abcd12ab34cd56ef1234567890ab")
}
