package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleOutput = `goos: linux
pkg: github.com/awskit/awskit/envelope
BenchmarkParallelMessage/raw-AES-GCM/seal-2    100   400000 ns/op   2621.44 MB/s   1056768 B/op   1 allocs/op
BenchmarkParallelMessage/raw-AES-GCM/seal-2    100   600000 ns/op   1747.63 MB/s   1056768 B/op   1 allocs/op
BenchmarkParallelMessage/raw-AES-GCM/seal-2    100   500000 ns/op   2097.15 MB/s   1056768 B/op   1 allocs/op
BenchmarkParallelMessage/Encrypt/concurrency=default-2   100   250000 ns/op   4194.30 MB/s   1072000 B/op   60 allocs/op
BenchmarkParallelMessage/Encrypt/concurrency=default-2   100   350000 ns/op   2995.93 MB/s   1072000 B/op   60 allocs/op
BenchmarkParallelMessage/EncryptAppend-reused/concurrency=1-2   100   600000 ns/op   1747.63 MB/s   40000 B/op   55 allocs/op
BenchmarkParallelStream/frame=64KiB/EncryptStream/concurrency=default   10   30000000 ns/op   2236.96 MB/s
BenchmarkParallelStream/frame=64KiB/EncryptStream/concurrency=default-2   10   15000000 ns/op   4473.92 MB/s
BenchmarkParallelStream/frame=64KiB/EncryptStream/concurrency=default-2
--- BENCH: a log line
PASS
`

func TestParse(t *testing.T) {
	data := map[key]*sample{}
	require.NoError(t, parse(data, strings.NewReader(sampleOutput)))
	seal := data[key{"ParallelMessage/raw-AES-GCM/seal", 2}]
	require.NotNil(t, seal)
	assert.Equal(t, []float64{400000, 600000, 500000}, seal.ns)
	assert.Equal(t, []float64{1, 1, 1}, seal.allocs)
	assert.Len(t, seal.mbs, 3)
	assert.Len(t, seal.bytes, 3)
	// "concurrency=1" is part of the name; "-2" is GOMAXPROCS.
	assert.NotNil(t, data[key{"ParallelMessage/EncryptAppend-reused/concurrency=1", 2}])
	// No suffix: GOMAXPROCS 1 (go test appends nothing then).
	one := data[key{"ParallelStream/frame=64KiB/EncryptStream/concurrency=default", 1}]
	require.NotNil(t, one)
	assert.Equal(t, []float64{30000000}, one.ns)
	// The name alone (-v output) adds no sample.
	assert.Equal(t, []float64{15000000}, data[key{"ParallelStream/frame=64KiB/EncryptStream/concurrency=default", 2}].ns)
	assert.Len(t, data, 5)

	// A second file adds to the same samples.
	require.NoError(t, parse(data, strings.NewReader("BenchmarkParallelMessage/raw-AES-GCM/seal-2  1  700000 ns/op\n")))
	assert.Len(t, data[key{"ParallelMessage/raw-AES-GCM/seal", 2}].ns, 4)
}

func TestParseRejectsBadValue(t *testing.T) {
	err := parse(map[key]*sample{}, strings.NewReader("BenchmarkX-2  10  fast ns/op\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "BenchmarkX-2")
}

func TestMedianSpread(t *testing.T) {
	for _, tc := range []struct {
		xs             []float64
		median, spread float64
	}{
		{nil, 0, 0},
		{[]float64{5}, 5, 0},
		{[]float64{3, 1, 2}, 2, 100},
		{[]float64{4, 1, 3, 2}, 2.5, 120},
	} {
		xs := append([]float64(nil), tc.xs...)
		assert.Equal(t, tc.median, median(xs), "median(%v)", tc.xs)
		assert.Equal(t, tc.xs, xs, "median must not reorder its input")
		assert.InDelta(t, tc.spread, spread(xs), 1e-9, "spread(%v)", tc.xs)
	}
}

func TestVerdict(t *testing.T) {
	assert.Equal(t, "met", verdict(1.5, 1.5))
	assert.Equal(t, "not met", verdict(1.49, 1.5))
	assert.Equal(t, "no target", verdict(3, 0))
}

func TestReport(t *testing.T) {
	data := map[key]*sample{}
	require.NoError(t, parse(data, strings.NewReader(sampleOutput)))
	var out bytes.Buffer
	missing := report(&out, data, 2)
	text := out.String()
	// Baseline median 500 µs, Encrypt median 300 µs: 1.67 against 1.5.
	assert.Contains(t, text, "| Encrypt, default concurrency | 300 µs, 3.35 GiB/s, spread 33% (n=2) | 500 µs, 1.95 GiB/s, spread 40% (n=3) | 1.67 | ≥ 1.5 | met |")
	// 500 against 600 µs: 0.83, under 0.9.
	assert.Contains(t, text, "| EncryptAppend into a reused buffer, Concurrency 1 | 600 µs")
	assert.Contains(t, text, "| 0.83 | ≥ 0.9 | not met |")
	// Scaling: 30 ms at GOMAXPROCS 1, 15 ms at 2.
	assert.Contains(t, text, "| ParallelStream/frame=64KiB/EncryptStream/concurrency=default | 30 ms")
	assert.Contains(t, text, "| 2.00 |")
	// Every target without samples is named once, and reported as missing.
	assert.Contains(t, missing, "ParallelMessage/raw-AES-GCM/open (GOMAXPROCS 2)")
	assert.Contains(t, text, "| Decrypt, default concurrency | ParallelMessage/Decrypt/concurrency=default | ParallelMessage/raw-AES-GCM/open | - | ≥ 1.5 | missing |")
	seen := map[string]bool{}
	for _, m := range missing {
		assert.False(t, seen[m], "%s named twice", m)
		seen[m] = true
	}
}

// The targets are those of issue 15, and every one names two distinct
// benchmarks.
func TestTargets(t *testing.T) {
	wants := map[float64]int{}
	for _, tg := range targets() {
		assert.NotEqual(t, tg.subject, tg.baseline)
		wants[tg.want]++
	}
	// 1.6 and 1.2: streams both directions against both baselines; 0.9 and
	// 0.75: Concurrency 1 streams likewise, and EncryptAppend (0.9); 1.5:
	// Encrypt and Decrypt; 0.8: signed streams; 30 and 8: official SDK.
	assert.Equal(t, 4, wants[1.6])
	assert.Equal(t, 4, wants[1.2])
	assert.Equal(t, 5, wants[0.9])
	assert.Equal(t, 4, wants[0.75])
	assert.Equal(t, 2, wants[1.5])
	assert.Equal(t, 4, wants[0.8])
	assert.Equal(t, 2, wants[30])
	assert.Equal(t, 2, wants[8])
}
