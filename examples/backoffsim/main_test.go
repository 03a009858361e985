package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimulateOneClient(t *testing.T) {
	for _, s := range strategies {
		res := simulate(s, 1, rand.New(rand.NewPCG(1, 1)))
		assert.Equal(t, 1, res.calls, "a lone client succeeds on its first write (%s)", s)
		assert.InDelta(t, 40, res.time.Milliseconds(), 15, "four hops of about 10 ms (%s)", s)
	}
}

func TestSimulateEveryClientFinishes(t *testing.T) {
	for _, s := range strategies {
		res := simulate(s, 50, rand.New(rand.NewPCG(2, 2)))
		assert.GreaterOrEqual(t, res.calls, 50, s)
	}
}

func TestDeterministic(t *testing.T) {
	a := run([]int{10, 20}, 3, 7)
	b := run([]int{10, 20}, 3, 7)
	assert.Equal(t, a, b)
}

// The blog's headline: with 100 contending clients, full jitter needs far
// fewer calls than plain exponential backoff, and no backoff is worst.
func TestBlogFindingHolds(t *testing.T) {
	rows := run([]int{100}, 20, 1)
	calls := map[string]float64{}
	for _, r := range rows {
		calls[r.strategy] = r.calls
	}
	assert.Less(t, calls["full"], calls["exponential"]/2, "calls: %v", calls)
	assert.Less(t, calls["exponential"], calls["none"], "calls: %v", calls)
}

func TestMainOutput(t *testing.T) {
	var b strings.Builder
	svg := filepath.Join(t.TempDir(), "chart.svg")
	require.NoError(t, mainErr([]string{"-clients", "5,10", "-runs", "2", "-svg", svg}, &b))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	assert.Equal(t, "strategy,clients,calls,time_ms", lines[0])
	assert.Len(t, lines, 1+len(strategies)*2)
	data, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(data), "<svg")
	assert.Contains(t, string(data), "decorrelated")
	for _, bad := range [][]string{{"-clients", "x"}, {"-clients", "0"}, {"-runs", "0"}} {
		assert.Error(t, mainErr(bad, &b), "%q", bad)
	}
}

// README.md and BENCHMARKS.md quote this run (seed 1, 100 runs, 100 clients):
// 875 calls with full jitter against 1,855 with plain exponential backoff,
// and the rest of the table's 100-client row. The draws are seeded, so the
// means are exact.
func TestQuotedFigures(t *testing.T) {
	want := map[string]float64{"none": 2430.8, "exponential": 1854.8, "equal": 888.2, "full": 874.9, "decorrelated": 1002.7}
	rows := run([]int{100}, 100, 1)
	require.Len(t, rows, len(want))
	for _, r := range rows {
		assert.InDelta(t, want[r.strategy], r.calls, 0.05, "%s: calls", r.strategy)
	}
}
