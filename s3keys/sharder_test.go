package s3keys_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/s3keys"
)

func must(t testing.TB, digits int) s3keys.Sharder {
	t.Helper()
	s, err := s3keys.New(digits)
	require.NoError(t, err)
	return s
}

// Prefixes computed independently: python3 -c "import hashlib;
// print(hashlib.sha256(KEY.encode()).hexdigest()[:4])".
var prefixCases = []struct{ key, hex4 string }{
	{"a", "ca97"},
	{"2026-11-25T20:49:41Z/event.json", "1dde"},
	{"photos/2024/01/img.jpg", "d29e"},
	{"ключ", "1de3"},
	{"hello world", "b94d"},
	{"", "e3b0"},
}

func TestKeyPrefixSplit(t *testing.T) {
	for digits := 1; digits <= 4; digits++ {
		s := must(t, digits)
		assert.Equal(t, digits, s.Digits())
		for _, tc := range prefixCases {
			want := tc.hex4[:digits]
			assert.Equal(t, want, s.Prefix(tc.key), "Prefix(%q) with %d digits", tc.key, digits)
			assert.Equal(t, want+"/"+tc.key, s.Key(tc.key), "Key(%q)", tc.key)
			got, err := s.Split(s.Key(tc.key))
			require.NoError(t, err)
			assert.Equal(t, tc.key, got)
		}
	}
}

func TestNew(t *testing.T) {
	for _, d := range []int{0, -1, 5, 64} {
		_, err := s3keys.New(d)
		assert.ErrorIs(t, err, s3keys.ErrInvalidDigits, "New(%d)", d)
	}
}

func TestSplitErrors(t *testing.T) {
	s := must(t, 2)
	for _, in := range []string{
		"", "c", "ca", "ca97", "cax", "CA/a", "zz/a", "c/a", "ca-a",
		"00/a",       // a well-formed prefix that is not the hash
		"ca/a/extra", // hash of "a/extra" is not ca
		"ca97/a",     // a 4-digit key under a 2-digit sharder
	} {
		got, err := s.Split(in)
		assert.ErrorIs(t, err, s3keys.ErrNotSharded, "Split(%q) = %q", in, got)
	}
	_, err := s3keys.Sharder{}.Split("/x")
	assert.ErrorIs(t, err, s3keys.ErrNotSharded, "zero Sharder")
}

func TestPrefixes(t *testing.T) {
	p1 := must(t, 1).Prefixes()
	assert.Equal(t, strings.Split("0 1 2 3 4 5 6 7 8 9 a b c d e f", " "), p1)
	p4 := must(t, 4).Prefixes()
	require.Len(t, p4, 65536)
	assert.Equal(t, "0000", p4[0])
	assert.Equal(t, "ffff", p4[65535])
	for i := 1; i < len(p4); i++ {
		require.Less(t, p4[i-1], p4[i], "lexical order")
	}
	p2 := must(t, 2).Prefixes()
	require.Len(t, p2, 256)
	assert.Equal(t, "0a", p2[10])
}

// A million sequential keys spread uniformly: chi-square across the 256
// shards of a 2-digit sharder at a 1% significance level.
func TestUniformity(t *testing.T) {
	n := 1_000_000
	if testing.Short() || os.Getenv("AWSKIT_QUICK") != "" { // mutation testing: see MUTATION.md
		n = 100_000
	}
	s := must(t, 2)
	counts := map[string]int{}
	for i := range n {
		counts[s.Prefix(fmt.Sprintf("2026-11-25T%08d", i))]++
	}
	require.Len(t, counts, 256)
	expected := float64(n) / 256
	chi2 := 0.0
	for _, c := range counts {
		d := float64(c) - expected
		chi2 += d * d / expected
	}
	// The 99th percentile of chi-square with 255 degrees of freedom is 310.46.
	assert.Less(t, chi2, 310.46, "chi-square %.1f", chi2)
	assert.Greater(t, chi2, 0.0)
}

func FuzzKeySplit(f *testing.F) {
	for _, tc := range prefixCases {
		f.Add(tc.key, uint8(2))
	}
	f.Add("ca97/a", uint8(4))
	f.Fuzz(func(t *testing.T, key string, d uint8) {
		s, err := s3keys.New(1 + int(d)%4)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Split(s.Key(key))
		if err != nil || got != key {
			t.Fatalf("Split(Key(%q)) = %q, %v", key, got, err)
		}
		// Split of arbitrary input never panics, and accepts only what Key makes.
		if logical, err := s.Split(key); err == nil && s.Key(logical) != key {
			t.Fatalf("Split(%q) = %q, but Key(%q) = %q", key, logical, logical, s.Key(logical))
		}
	})
}

// The README and BENCHMARKS.md promise one allocation for Key (the result)
// and none for Split; Sharder.Validate promises none.
func TestKeyAllocations(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation changes allocation counts")
	}
	s := must(t, 2)
	key := "tenants/4711/events/2026-11-25T20:49:41.1234567Z-000042.json"
	sharded := s.Key(key)
	var sink string
	for _, tc := range []struct {
		name string
		want float64
		f    func()
	}{
		{"Key", 1, func() { sink = s.Key(key) }},
		{"Split", 0, func() { sink, _ = s.Split(sharded) }},
		{"Sharder.Validate", 0, func() { _ = s.Validate(key) }},
	} {
		if got := testing.AllocsPerRun(100, tc.f); got != tc.want {
			t.Errorf("%s: %v allocations per call, want %v", tc.name, got, tc.want)
		}
	}
	_ = sink
}
