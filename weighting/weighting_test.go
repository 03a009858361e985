package weighting_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/weighting"
)

func TestShares(t *testing.T) {
	tests := []struct {
		weights []int
		want    []float64
	}{
		{[]int{1, 255}, []float64{1.0 / 256, 255.0 / 256}},
		{[]int{0, 0, 0}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{[]int{0, 10}, []float64{0, 1}},
		{[]int{7}, []float64{1}},
		{[]int{0}, []float64{1}},
		{[]int{1, 1, 2}, []float64{0.25, 0.25, 0.5}},
	}
	for _, tc := range tests {
		got, err := weighting.Shares(tc.weights)
		require.NoError(t, err)
		assert.InDeltaSlice(t, tc.want, got, 1e-15, "Shares(%v)", tc.weights)
	}
}

func TestSharesInvalid(t *testing.T) {
	tests := []struct {
		weights []int
		want    error
	}{
		{nil, weighting.ErrNoRecords},
		{[]int{}, weighting.ErrNoRecords},
		{make([]int, 101), weighting.ErrTooManyRecords},
		{[]int{1, 256}, weighting.ErrInvalidWeight},
		{[]int{-1, 1}, weighting.ErrInvalidWeight},
	}
	for _, tc := range tests {
		got, err := weighting.Shares(tc.weights)
		assert.ErrorIs(t, err, tc.want, "Shares(%v) = %v", tc.weights, got)
		_, err = weighting.NewPicker(tc.weights)
		assert.ErrorIs(t, err, tc.want, "NewPicker(%v)", tc.weights)
		_, err = weighting.HealthyShares(tc.weights, make([]bool, len(tc.weights)))
		assert.ErrorIs(t, err, tc.want, "HealthyShares(%v)", tc.weights)
	}
	_, err := weighting.Shares(make([]int, 100))
	assert.NoError(t, err, "100 records is the limit, not over it")
}

// Weights 1, 1, 0 with every combination of health, row by row, from the
// rules in "How Amazon Route 53 chooses records when health checking is
// configured" and "Weighted routing: health checks and weighted routing".
func TestHealthySharesOneOneZero(t *testing.T) {
	w := []int{1, 1, 0}
	tests := []struct {
		name    string
		healthy []bool
		want    []float64
	}{
		{"all healthy: nonzero records by weight", []bool{true, true, true}, []float64{0.5, 0.5, 0}},
		{"A unhealthy: B takes all", []bool{false, true, true}, []float64{0, 1, 0}},
		{"B unhealthy: A takes all", []bool{true, false, true}, []float64{1, 0, 0}},
		{"zero-weight C unhealthy: no change", []bool{true, true, false}, []float64{0.5, 0.5, 0}},
		{"A and B unhealthy: zero-weight C is considered", []bool{false, false, true}, []float64{0, 0, 1}},
		{"A and C unhealthy", []bool{false, true, false}, []float64{0, 1, 0}},
		{"B and C unhealthy", []bool{true, false, false}, []float64{1, 0, 0}},
		{"all unhealthy: all considered healthy, by weight", []bool{false, false, false}, []float64{0.5, 0.5, 0}},
	}
	for _, tc := range tests {
		got, err := weighting.HealthyShares(w, tc.healthy)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "HealthyShares(%v, %v): %s", w, tc.healthy, tc.name)
	}
}

func TestHealthySharesZeroWeights(t *testing.T) {
	got, err := weighting.HealthyShares([]int{0, 0, 0}, []bool{true, false, true})
	require.NoError(t, err)
	assert.Equal(t, []float64{0.5, 0, 0.5}, got)
	got, err = weighting.HealthyShares([]int{3, 0, 0}, []bool{false, true, true})
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0.5, 0.5}, got)
	_, err = weighting.HealthyShares([]int{1, 2}, []bool{true})
	assert.ErrorIs(t, err, weighting.ErrLengthMismatch)
}

func TestPickerFrequencies(t *testing.T) {
	for _, weights := range [][]int{{1, 255}, {9, 1}, {0, 0, 0, 0}, {3, 0, 7, 255, 1, 100, 64}, {5}} {
		p, err := weighting.NewPicker(weights)
		require.NoError(t, err)
		require.Equal(t, len(weights), p.Len())
		shares, err := weighting.Shares(weights)
		require.NoError(t, err)
		r := rand.New(rand.NewPCG(42, uint64(len(weights))))
		const picks = 1_000_000
		counts := make([]int, len(weights))
		for range picks {
			counts[p.Pick(r)]++
		}
		for i, c := range counts {
			got := float64(c) / picks
			assert.InDelta(t, shares[i], got, 0.003, "weights %v: record %d picked %.4f, share %.4f", weights, i, got, shares[i])
			if weights[i] == 0 && shares[i] == 0 {
				assert.Zero(t, c, "zero-weight record picked")
			}
		}
	}
}

func TestPickerManyRecords(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	weights := make([]int, 100)
	for i := range weights {
		weights[i] = r.IntN(256)
	}
	p, err := weighting.NewPicker(weights)
	require.NoError(t, err)
	shares, _ := weighting.Shares(weights)
	counts := make([]int, 100)
	const picks = 1_000_000
	for range picks {
		counts[p.Pick(r)]++
	}
	for i, c := range counts {
		assert.InDelta(t, shares[i], float64(c)/picks, 0.003, "record %d", i)
	}
}

func TestSharesSumToOne(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for range 1000 {
		n := 1 + r.IntN(100)
		w := make([]int, n)
		h := make([]bool, n)
		for i := range w {
			w[i] = r.IntN(256)
			if r.IntN(3) == 0 {
				w[i] = 0
			}
			h[i] = r.IntN(2) == 0
		}
		for _, f := range []func() ([]float64, error){
			func() ([]float64, error) { return weighting.Shares(w) },
			func() ([]float64, error) { return weighting.HealthyShares(w, h) },
		} {
			s, err := f()
			require.NoError(t, err)
			sum := 0.0
			for _, x := range s {
				sum += x
			}
			require.InDelta(t, 1, sum, 1e-12, "weights %v health %v", w, h)
		}
	}
}

func TestSchedules(t *testing.T) {
	m := time.Minute
	must := func(steps []weighting.Step, err error) []weighting.Step {
		t.Helper()
		require.NoError(t, err)
		return steps
	}
	assert.Equal(t, []weighting.Step{{0, 10}, {5 * m, 100}}, must(weighting.Canary(10, 5*m)))
	lin := must(weighting.Linear(10, m))
	require.Len(t, lin, 10)
	assert.Equal(t, weighting.Step{0, 10}, lin[0])
	assert.Equal(t, weighting.Step{9 * m, 100}, lin[9])
	for k, s := range lin {
		assert.Equal(t, time.Duration(k)*m, s.At)
		assert.InDelta(t, float64(10*(k+1)), s.NewPercent, 1e-9)
	}
	third := must(weighting.Linear(100.0/3, m))
	assert.Equal(t, 3, len(third))
	assert.Equal(t, 100.0, third[2].NewPercent)
	assert.Equal(t, []weighting.Step{{0, 30}, {2 * m, 60}, {4 * m, 90}, {6 * m, 100}}, must(weighting.Linear(30, 2*m)))
	assert.Equal(t, []weighting.Step{{0, 100}}, must(weighting.Linear(100, m)))
	// Within 1e-9 of 100 counts as 100, the edge included: (100-1e-9)/2 twice is exactly 100-1e-9.
	edge := (100 - 1e-9) / 2
	require.Equal(t, 100-1e-9, edge*2)
	assert.Equal(t, []weighting.Step{{0, edge}, {m, 100}}, must(weighting.Linear(edge, m)))
	assert.Len(t, must(weighting.Linear(math.Nextafter(edge, 0), m)), 3)
}

// Issue 12 item 19: Canary and Linear return the package's typed errors
// (they returned nil).
func TestSchedulesInvalid(t *testing.T) {
	m := time.Minute
	for _, bad := range []float64{0, -1, 101, math.NaN(), math.Inf(1)} {
		steps, err := weighting.Linear(bad, m)
		assert.ErrorIs(t, err, weighting.ErrInvalidPercent, "Linear(%v) = %v", bad, steps)
		steps, err = weighting.Canary(bad, m)
		assert.ErrorIs(t, err, weighting.ErrInvalidPercent, "Canary(%v) = %v", bad, steps)
	}
	_, err := weighting.Canary(100, m)
	assert.ErrorIs(t, err, weighting.ErrInvalidPercent)
	_, err = weighting.Linear(10, 0)
	assert.ErrorIs(t, err, weighting.ErrInvalidInterval)
	_, err = weighting.Canary(10, -m)
	assert.ErrorIs(t, err, weighting.ErrInvalidInterval)
}

// Issue 19 item 13: Linear(1e-300, ...) never returned, Linear(1e-4, ...)
// built a million steps, and Linear(10, MaxInt64/4) wrapped At negative.
func TestLinearBounds(t *testing.T) {
	for _, p := range []float64{1e-300, 1e-4, 0.0999} {
		steps, err := weighting.Linear(p, time.Second)
		assert.ErrorIs(t, err, weighting.ErrTooManySteps, "Linear(%g)", p)
		assert.Nil(t, steps)
	}
	steps, err := weighting.Linear(0.1, time.Second)
	require.NoError(t, err)
	assert.Len(t, steps, weighting.MaxSteps)
	assert.Equal(t, weighting.Step{999 * time.Second, 100}, steps[len(steps)-1])

	_, err = weighting.Linear(10, math.MaxInt64/4)
	assert.ErrorIs(t, err, weighting.ErrInvalidInterval)
	// The largest interval whose last step fits: 9 steps after the first.
	largest := time.Duration(math.MaxInt64 / 9)
	steps, err = weighting.Linear(10, largest)
	require.NoError(t, err)
	for i, s := range steps {
		require.GreaterOrEqual(t, s.At, time.Duration(0), "step %d", i)
	}
	assert.Equal(t, 9*largest, steps[9].At)
	_, err = weighting.Linear(10, largest+1)
	assert.ErrorIs(t, err, weighting.ErrInvalidInterval)
	// One step never overflows, whatever the interval.
	steps, err = weighting.Linear(100, math.MaxInt64)
	require.NoError(t, err)
	assert.Equal(t, []weighting.Step{{0, 100}}, steps)
}

// Issue 13 item 4 (DECISIONS 2): a nil *rand.Rand draws from math/rand/v2's
// goroutine-safe generator.
func TestPickNil(t *testing.T) {
	p, err := weighting.NewPicker([]int{1, 3})
	require.NoError(t, err)
	var wg sync.WaitGroup
	counts := make([][2]int, 4)
	for g := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20_000 {
				counts[g][p.Pick(nil)]++
			}
		}()
	}
	wg.Wait()
	total := [2]int{}
	for _, c := range counts {
		total[0] += c[0]
		total[1] += c[1]
	}
	// 80,000 draws at 1/4: mean 20,000, sd 122; 8 sd either way.
	assert.InDelta(t, 20_000, total[0], 1000, "picks of the weight-1 record")
	assert.Equal(t, 80_000, total[0]+total[1])
}

func TestPredefined(t *testing.T) {
	m := time.Minute
	tests := []struct {
		name      string
		steps     int
		lastAt    time.Duration
		firstStep float64
	}{
		{"LambdaCanary10Percent5Minutes", 2, 5 * m, 10},
		{"LambdaCanary10Percent10Minutes", 2, 10 * m, 10},
		{"LambdaCanary10Percent15Minutes", 2, 15 * m, 10},
		{"LambdaCanary10Percent30Minutes", 2, 30 * m, 10},
		{"LambdaLinear10PercentEvery1Minute", 10, 9 * m, 10},
		{"LambdaLinear10PercentEvery2Minutes", 10, 18 * m, 10},
		{"LambdaLinear10PercentEvery3Minutes", 10, 27 * m, 10},
		{"LambdaLinear10PercentEvery10Minutes", 10, 90 * m, 10},
		{"LambdaAllAtOnce", 1, 0, 100},
		{"ECSCanary10Percent5Minutes", 2, 5 * m, 10},
		{"ECSCanary10Percent15Minutes", 2, 15 * m, 10},
		{"ECSLinear10PercentEvery1Minutes", 10, 9 * m, 10},
		{"ECSLinear10PercentEvery3Minutes", 10, 27 * m, 10},
		{"ECSAllAtOnce", 1, 0, 100},
	}
	for _, tc := range tests {
		for _, name := range []string{tc.name, "CodeDeployDefault." + tc.name} {
			steps, err := weighting.Predefined(name)
			require.NoError(t, err, name)
			require.Len(t, steps, tc.steps, name)
			assert.Equal(t, tc.firstStep, steps[0].NewPercent, name)
			assert.Equal(t, tc.lastAt, steps[len(steps)-1].At, name)
			assert.Equal(t, 100.0, steps[len(steps)-1].NewPercent, name)
		}
	}
	for _, bad := range []string{"", "LambdaLinear10PercentEvery1Minutes", "ECSLinear10PercentEvery1Minute", "lambdaallatonce", "CodeDeployDefault.OneAtATime"} {
		_, err := weighting.Predefined(bad)
		assert.ErrorIs(t, err, weighting.ErrUnknownSchedule, bad)
	}
}

func TestStepHelpers(t *testing.T) {
	tests := []struct {
		percent       float64
		oldW, newW    int
		aliasFraction float64
	}{
		{0, 1, 0, 0}, {10, 9, 1, 0.1}, {20, 4, 1, 0.2}, {50, 1, 1, 0.5}, {25, 3, 1, 0.25}, {100, 0, 1, 1}, {1, 99, 1, 0.01},
	}
	for _, tc := range tests {
		s := weighting.Step{NewPercent: tc.percent}
		o, n, err := s.Route53Weights()
		require.NoError(t, err)
		assert.Equal(t, [2]int{tc.oldW, tc.newW}, [2]int{o, n}, "Step{%v}.Route53Weights()", tc.percent)
		a, err := s.AliasWeight()
		require.NoError(t, err)
		assert.Equal(t, tc.aliasFraction, a)
	}
	for _, bad := range []float64{-1, 100.5, math.NaN()} {
		_, _, err := weighting.Step{NewPercent: bad}.Route53Weights()
		assert.ErrorIs(t, err, weighting.ErrInvalidPercent)
		_, err = weighting.Step{NewPercent: bad}.AliasWeight()
		assert.ErrorIs(t, err, weighting.ErrInvalidPercent)
	}
}

func FuzzHealthyShares(f *testing.F) {
	f.Add([]byte{1, 1, 0}, []byte{1, 0, 1})
	f.Add([]byte{0, 0}, []byte{0, 0})
	f.Fuzz(func(t *testing.T, wb, hb []byte) {
		w := make([]int, len(wb))
		for i, b := range wb {
			w[i] = int(b)
		}
		h := make([]bool, len(hb))
		for i, b := range hb {
			h[i] = b%2 == 1
		}
		s, err := weighting.HealthyShares(w, h)
		if err != nil {
			return
		}
		sum := 0.0
		for i, x := range s {
			if math.IsNaN(x) || x < 0 || x > 1 {
				t.Fatalf("HealthyShares(%v, %v)[%d] = %v", w, h, i, x)
			}
			sum += x
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("HealthyShares(%v, %v) sums to %v", w, h, sum)
		}
	})
}

// The sentence above the sentinels ("every error it returns matches one of
// them") holds on every error path.
func TestEveryErrorMatchesASentinel(t *testing.T) {
	sentinels := []error{weighting.ErrInvalidWeight, weighting.ErrNoRecords, weighting.ErrTooManyRecords, weighting.ErrLengthMismatch,
		weighting.ErrInvalidTarget, weighting.ErrUnknownSchedule, weighting.ErrInvalidPercent, weighting.ErrInvalidInterval, weighting.ErrTooManySteps}
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	_, err := weighting.Shares(nil)
	add(err)
	_, err = weighting.Shares(make([]int, 101))
	add(err)
	_, err = weighting.Shares([]int{256})
	add(err)
	_, err = weighting.HealthyShares([]int{1}, nil)
	add(err)
	_, err = weighting.HealthyShares([]int{-1}, []bool{true})
	add(err)
	_, err = weighting.NewPicker([]int{1, 300})
	add(err)
	_, err = weighting.Weights([]float64{0.5, 0.6})
	add(err)
	_, err = weighting.Weights(nil)
	add(err)
	_, err = weighting.Weights([]float64{math.NaN(), 1})
	add(err)
	_, err = weighting.Predefined("x")
	add(err)
	_, err = weighting.Canary(0, time.Minute)
	add(err)
	_, err = weighting.Canary(5, 0)
	add(err)
	_, err = weighting.Linear(1e-9, time.Minute)
	add(err)
	_, err = weighting.Linear(10, math.MaxInt64)
	add(err)
	_, _, err = weighting.Step{NewPercent: 101}.Route53Weights()
	add(err)
	_, err = weighting.Step{NewPercent: -1}.AliasWeight()
	add(err)
	for i, err := range errs {
		require.Error(t, err, "case %d", i)
		matched := false
		for _, s := range sentinels {
			matched = matched || errors.Is(err, s)
		}
		assert.True(t, matched, "case %d: %v matches no sentinel", i, err)
	}
}
