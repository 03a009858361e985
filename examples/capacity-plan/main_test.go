package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var b strings.Builder
	err := run([]string{"-item", "3072", "-reads", "80", "-strong", "0.5", "-writes", "10", "-stored-gb", "25",
		"-gsi", "byStatus:500:10:0.5:0.2", "-rcu-hour", "0.00013", "-wcu-hour", "0.00065"}, &b)
	require.NoError(t, err)
	out := b.String()
	assert.Regexp(t, `\(table\)\s+60\.00\s+30\.00\s+60\s+30\s+3\s`, out)
	assert.Regexp(t, `byStatus\s+5\.00\s+7\.00\s+5\s+7\s+1\s`, out)
	assert.Contains(t, out, "23.72") // 730 h x (65 x 0.00013 + 37 x 0.00065) = 23.725, printed %.2f
}

func TestRunErrors(t *testing.T) {
	for _, args := range [][]string{{"-gsi", "bad"}, {"-reads", "-1"}, {"-stored-gb", "-1"}, {"-strong", "2"}, {"-item", "500000"}} {
		var b strings.Builder
		assert.Error(t, run(args, &b), "run(%q)", args)
	}
}
