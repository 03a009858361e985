package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/weighting"
)

func TestRun(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run([]string{"-preset", "LambdaLinear10PercentEvery1Minute"}, &b))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Len(t, lines, 11)
	assert.Regexp(t, `^\s+0\s+10\s+9\s+1\s+0\.1\s*$`, lines[1])
	assert.Regexp(t, `^\s+9\s+100\s+0\s+1\s+1\s*$`, lines[10])

	b.Reset()
	require.NoError(t, run([]string{"-canary", "5", "-interval", "15m"}, &b))
	assert.Regexp(t, `\n\s+0\s+5\s+19\s+1\s+0\.05\s*\n\s+15\s+100\s+0\s+1\s+1`, b.String())
}

func TestRunErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"-preset", "nope"}, {"-canary", "100"}, {"-linear", "-5"}, {"-linear", "10", "-interval", "0s"}, {"-linear", "0.001"}} {
		var b strings.Builder
		assert.Error(t, run(args, &b), "run(%q)", args)
	}
	// The package's typed errors reach the user.
	var b strings.Builder
	err := run([]string{"-linear", "0.001"}, &b)
	assert.ErrorIs(t, err, weighting.ErrTooManySteps)
	err = run([]string{"-canary", "10", "-interval", "-1m"}, &b)
	assert.ErrorIs(t, err, weighting.ErrInvalidInterval)
}
