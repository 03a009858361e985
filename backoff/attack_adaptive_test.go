package backoff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// backClock is a fake clock whose Sleep moves it forward and records the
// sleeps.
type backClock struct {
	now    time.Time
	sleeps []time.Duration
}

func (c *backClock) Now() time.Time { return c.now }
func (c *backClock) Sleep(ctx context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	if len(c.sleeps) > 1000 {
		return errors.New("spinning")
	}
	c.now = c.now.Add(d)
	return ctx.Err()
}

// A clock that steps backwards (a wall clock corrected by NTP, a Now without
// a monotonic reading) must not drain the bucket: the time that "passed" is
// at least zero. Without a guard, a 1 h step back leaves the bucket 1800
// tokens in debt and Wait sleeps an hour; a step back of 200 years makes Wait
// sleep 200 years.
func TestAttackAdaptiveClockBackwards(t *testing.T) {
	for _, back := range []struct {
		name string
		to   func(time.Time) time.Time
	}{
		{"one hour", func(t time.Time) time.Time { return t.Add(-time.Hour) }},
		{"200 years", func(t time.Time) time.Time { return t.AddDate(-200, 0, 0) }},
	} {
		t.Run(back.name, func(t *testing.T) {
			c := &backClock{now: time.Unix(1_700_000_000, 0)}
			a := backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) { o.Now, o.Sleep = c.Now, c.Sleep })
			a.Observe(true) // enabled, fill rate 0.5/s
			require.Equal(t, 0.5, a.Rate())
			c.now = c.now.Add(4 * time.Second) // 2 tokens earned, capacity 1
			c.now = back.to(c.now)
			require.NoError(t, a.Wait(context.Background()))
			var total time.Duration
			for _, d := range c.sleeps {
				assert.Positive(t, d, "a sleep is never zero or negative")
				total += d
			}
			assert.LessOrEqual(t, total, 2*time.Second, "one token at the minimum rate is at most 2 s away")
			assert.Equal(t, 0.5, a.Rate())
		})
	}
}
