package backoff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// botocorePython is Debian's python3 with python3-botocore, which make test
// installs.
const botocorePython = "/usr/bin/python3"

func requireBotocore(t *testing.T) {
	t.Helper()
	err := exec.Command(botocorePython, "-c", "import botocore.retries.adaptive").Run()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("botocore is required in CI (make test installs python3-botocore): %v", err)
	}
	t.Skipf("botocore not importable by %s (apt-get install python3-botocore): %v", botocorePython, err)
}

// adaptiveEvent is one step of a sequence: the clock moves ("adv", ns), a
// send takes a token ("send"), or an answer is observed ("obs", throttled).
type adaptiveEvent []any

// randomSequence mixes bursts and pauses, at a throttle probability of its
// own, so that sequences cover the disabled bucket, sleeps on an empty
// bucket, the CUBIC recovery and the half-second rate buckets.
func randomSequence(r *rand.Rand) []adaptiveEvent {
	n := 20 + r.IntN(60)
	pThrottle := []float64{0, 0.05, 0.3, 0.7, 1}[r.IntN(5)]
	meanGap := []float64{1e6, 2e7, 1e8, 6e8}[r.IntN(4)] // ns
	var seq []adaptiveEvent
	for range n {
		switch k := r.IntN(10); {
		case k < 4:
			gap := int64(r.ExpFloat64() * meanGap)
			if r.IntN(20) == 0 {
				gap = r.Int64N(5e9) // a long pause
			}
			seq = append(seq, adaptiveEvent{"adv", gap})
		case k < 7:
			seq = append(seq, adaptiveEvent{"send"})
		default:
			seq = append(seq, adaptiveEvent{"obs", r.Float64() < pThrottle})
		}
	}
	return seq
}

// TestAdaptiveAgreesWithBotocore drives backoff.Adaptive and botocore's own
// adaptive-mode objects with the same events and the same fake clock, and
// requires the same clock (sleeps included, to the nanosecond) and the same
// fill rate, to within 1e-9, after every event of 3,000 random sequences
// (300 under the mutation build tag, to keep mutation testing affordable).
func TestAdaptiveAgreesWithBotocore(t *testing.T) {
	requireBotocore(t)
	sequences := agreementSequences
	r := rand.New(rand.NewPCG(17, 2026))
	seqs := make([][]adaptiveEvent, sequences)
	events := 0
	for i := range seqs {
		seqs[i] = randomSequence(r)
		events += len(seqs[i])
	}
	in, err := json.Marshal(seqs)
	require.NoError(t, err)
	cmd := exec.Command(botocorePython, "testdata/botocore_adaptive.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "botocore oracle: %s", stderr.String())
	var want [][][2]*float64 // per event: [clock ns, rate or null]
	require.NoError(t, json.Unmarshal(out, &want))
	require.Len(t, want, sequences)

	sleeps, enabled := 0, 0
	for i, seq := range seqs {
		origin := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
		now := origin
		a := backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) {
			o.Now = func() time.Time { return now }
			o.Sleep = func(ctx context.Context, d time.Duration) error {
				sleeps++
				now = now.Add(d)
				return nil
			}
		})
		for j, ev := range seq {
			switch ev[0] {
			case "adv":
				now = now.Add(time.Duration(ev[1].(int64)))
			case "send":
				require.NoError(t, a.Wait(context.Background()))
			case "obs":
				a.Observe(ev[1].(bool))
			}
			w := want[i][j]
			require.Equal(t, int64(*w[0]), int64(now.Sub(origin)), "sequence %d event %d %v: clock (ns)", i, j, ev)
			got := a.Rate()
			if w[1] == nil {
				require.True(t, math.IsInf(got, 1), "sequence %d event %d %v: Rate() = %v, want +Inf (not enabled)", i, j, ev, got)
				continue
			}
			enabled++
			require.InDelta(t, *w[1], got, 1e-9, "sequence %d event %d %v: Rate()", i, j, ev)
		}
	}
	t.Logf("%d sequences, %d events (%d with the bucket enabled), %d sleeps on an empty bucket", sequences, events, enabled, sleeps)
	require.Positive(t, sleeps, "the sequences must exercise sleeping")
	require.Greater(t, enabled, events/4, "the sequences must exercise the enabled bucket")
}
