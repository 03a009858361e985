package backoff_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

var (
	_ retry.BackoffDelayer = backoff.Exponential{}
	_ retry.BackoffDelayer = backoff.FullJitter{}
	_ retry.BackoffDelayer = backoff.EqualJitter{}
	_ retry.BackoffDelayer = (*backoff.Decorrelated)(nil)
)

// constSource is a rand.Source whose Float64 is always the same value.
type constSource uint64

func (c constSource) Uint64() uint64 { return uint64(c) }

// fixed returns a *rand.Rand whose Float64 always returns f, for f in [0, 1)
// with at most 53 significant bits.
func fixed(f float64) *rand.Rand { return rand.New(constSource(uint64(f * (1 << 53)))) }

const ms = time.Millisecond

func TestExponential(t *testing.T) {
	e := backoff.Exponential{Base: 5 * ms, Cap: 2000 * ms}
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{-3, 5 * ms}, {0, 5 * ms}, {1, 5 * ms}, {2, 10 * ms}, {3, 20 * ms}, {8, 640 * ms}, {9, 1280 * ms},
		{10, 2000 * ms}, {64, 2000 * ms}, {10_000, 2000 * ms}, {math.MaxInt, 2000 * ms},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, e.Delay(tc.attempt), "Delay(%d)", tc.attempt)
		d, err := e.BackoffDelay(tc.attempt, nil)
		require.NoError(t, err)
		assert.Equal(t, tc.want, d)
	}
	assert.Equal(t, time.Duration(0), backoff.Exponential{}.Delay(5), "zero value never waits")
	uncapped := backoff.Exponential{Base: time.Second}
	assert.Equal(t, time.Duration(math.MaxInt64), uncapped.Delay(10_000), "no cap saturates, never overflows")
	assert.Equal(t, time.Duration(1<<30)*time.Second, uncapped.Delay(31))
	assert.Equal(t, time.Duration(math.MaxInt64), uncapped.Delay(64))
}

func TestJitterExactValues(t *testing.T) {
	full := backoff.FullJitter{Base: 100 * ms, Cap: 1000 * ms, Rand: fixed(0.25)}
	assert.Equal(t, 25*ms, full.Delay(1))
	assert.Equal(t, 100*ms, full.Delay(3))
	assert.Equal(t, 250*ms, full.Delay(10_000))
	equal := backoff.EqualJitter{Base: 100 * ms, Cap: 1000 * ms, Rand: fixed(0.5)}
	assert.Equal(t, 75*ms, equal.Delay(1))     // 50 + 0.5*50
	assert.Equal(t, 750*ms, equal.Delay(9999)) // 500 + 0.5*500
	// The largest draw below 1 never reaches the ceiling, even where float64
	// rounds f*ceiling up (near the largest Duration).
	top := rand.New(constSource(1<<53 - 1))
	for _, c := range []time.Duration{200 * ms, math.MaxInt64, math.MaxInt64 - 1} {
		d := backoff.FullJitter{Base: c, Cap: c, Rand: top}.Delay(1)
		assert.True(t, d >= 0 && d <= c, "FullJitter near 1 with ceiling %v: %v", c, d)
		d = backoff.EqualJitter{Base: c, Cap: c, Rand: top}.Delay(1)
		assert.True(t, d >= c/2 && d <= c, "EqualJitter near 1 with ceiling %v: %v", c, d)
	}
	assert.Equal(t, time.Duration(0), backoff.FullJitter{}.Delay(3))
	assert.Equal(t, time.Duration(0), backoff.EqualJitter{}.Delay(3))
}

func TestDecorrelatedExactValues(t *testing.T) {
	d := &backoff.Decorrelated{Base: 10 * ms, Cap: 100 * ms, Rand: fixed(0.5)}
	// prev=10: 10 + 0.5*(30-10) = 20; prev=20: 10 + 0.5*50 = 35; 10 + 0.5*95 = 57.5; then capped.
	assert.Equal(t, 20*ms, d.Next())
	assert.Equal(t, 35*ms, d.Next())
	assert.Equal(t, 57500*time.Microsecond, d.Next())
	assert.Equal(t, 91250*time.Microsecond, d.Next())
	assert.Equal(t, 100*ms, d.Next())
	got, err := d.BackoffDelay(1, nil) // attempt 1 starts over
	require.NoError(t, err)
	assert.Equal(t, 20*ms, got)
	got, err = d.BackoffDelay(2, nil)
	require.NoError(t, err)
	assert.Equal(t, 35*ms, got)

	huge := &backoff.Decorrelated{Base: time.Hour, Rand: fixed(0.999999)}
	for range 100 {
		v := huge.Next()
		require.True(t, v >= time.Hour, "no overflow into negative: %v", v)
	}
	assert.Equal(t, time.Duration(0), (&backoff.Decorrelated{}).Next())
	small := &backoff.Decorrelated{Base: time.Second, Cap: ms, Rand: fixed(0.5)}
	assert.Equal(t, ms, small.Next(), "a cap below the base wins")
}

// Distribution checks over 100,000 seeded draws: bounds and means.
func TestDistributions(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 100_000
	ceiling := 800 * ms // attempt 4 with base 100 ms
	full := backoff.FullJitter{Base: 100 * ms, Cap: 10 * time.Second, Rand: r}
	equal := backoff.EqualJitter{Base: 100 * ms, Cap: 10 * time.Second, Rand: r}
	var sumFull, sumEqual float64
	for range n {
		f, e := full.Delay(4), equal.Delay(4)
		require.True(t, f >= 0 && f < ceiling, "full jitter %v", f)
		require.True(t, e >= ceiling/2 && e < ceiling, "equal jitter %v", e)
		sumFull += float64(f)
		sumEqual += float64(e)
	}
	assert.InEpsilon(t, float64(ceiling)/2, sumFull/n, 0.02, "full jitter mean is half the ceiling")
	assert.InEpsilon(t, float64(ceiling)*3/4, sumEqual/n, 0.02, "equal jitter mean is 3/4 of the ceiling")

	// Decorrelated from a fixed prev: uniform in [Base, 3*prev).
	var sumDec float64
	for range n {
		d := &backoff.Decorrelated{Base: 10 * ms, Cap: time.Hour, Rand: r}
		v := d.Next() // prev = Base: uniform in [10, 30) ms
		require.True(t, v >= 10*ms && v < 30*ms, "decorrelated %v", v)
		sumDec += float64(v)
	}
	assert.InEpsilon(t, float64(20*ms), sumDec/n, 0.02)
}

func FuzzDelays(f *testing.F) {
	f.Add(int64(5*ms), int64(2*time.Second), 10_000, uint64(1<<52))
	f.Add(int64(1), int64(0), 63, uint64(1<<53-1))
	f.Add(int64(math.MaxInt64), int64(-1), 1, uint64(0))
	f.Add(int64(math.MaxInt64), int64(0), 1, uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, base, capDelay int64, attempt int, u uint64) {
		b, c := time.Duration(base), time.Duration(capDelay)
		r := rand.New(constSource(u))
		for _, d := range []time.Duration{
			backoff.Exponential{Base: b, Cap: c}.Delay(attempt),
			backoff.FullJitter{Base: b, Cap: c, Rand: r}.Delay(attempt),
			backoff.EqualJitter{Base: b, Cap: c, Rand: r}.Delay(attempt),
			(&backoff.Decorrelated{Base: b, Cap: c, Rand: r}).Next(),
		} {
			if d < 0 {
				t.Fatalf("negative delay %v for base %v cap %v attempt %d source %v", d, b, c, attempt, u)
			}
			if c > 0 && d > c {
				t.Fatalf("delay %v over cap %v", d, c)
			}
		}
	})
}
