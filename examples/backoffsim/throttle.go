package main

import (
	"container/heap"
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/awskit/awskit/backoff"
)

// The throttling scenario (issue 17): N clients, each with a fixed amount of
// work (a number of requests that must succeed), send back to back against a
// server that admits C requests per second through a token bucket and
// throttles the rest at once. Compared modes:
//
//   - none: a throttled request is retried at once (no backoff, no limiter);
//   - standard: the SDK's standard backoff (full jitter from 1 s after a
//     throttle, capped at 20 s: backoff.Policy's defaults), no limiter;
//   - adaptive: the same backoff, and each client paces its sends with its
//     own backoff.Adaptive, as an SDK client in adaptive mode does.
//
// Requests are retried until they succeed (no attempt limit), so every mode
// does the same work. Every hop takes |Normal(10 ms, 2 ms)|, as in the blog's
// model. Time is virtual.
const (
	throttleCapacity = 100 // requests per second the server admits
	throttleBurst    = 10  // the server bucket's capacity
	throttleWork     = 50  // successful requests per client
)

// throttleModes are the compared modes, in output order.
var throttleModes = []string{"none", "standard", "adaptive"}

// throttleResult is one simulated run.
type throttleResult struct {
	calls, throttled int
	time             time.Duration // when the last client finished its work
}

type throttleEvent struct {
	at     time.Duration
	seq    int
	client int
	kind   int // arriveAtServer or answerAtClient
	ok     bool
}

const (
	arriveAtServer = iota
	answerAtClient
)

type throttleQueue []throttleEvent

func (q throttleQueue) Len() int { return len(q) }
func (q throttleQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q throttleQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *throttleQueue) Push(x any)   { *q = append(*q, x.(throttleEvent)) }
func (q *throttleQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simulateThrottle runs n clients in the named mode.
func simulateThrottle(mode string, n int, r *rand.Rand) throttleResult {
	origin := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	hop := func() time.Duration {
		return time.Duration(math.Abs(r.NormFloat64()*float64(hopStddev) + float64(hopMean)))
	}
	throttleBackoff := backoff.FullJitter{Base: backoff.DefaultThrottleBase, Cap: backoff.DefaultCap, Rand: r}
	type client struct {
		done, attempt int
		clock         time.Duration // the client's view of time while it calls its limiter
		limiter       *backoff.Adaptive
	}
	clients := make([]client, n)
	var q throttleQueue
	seq := 0
	push := func(e throttleEvent) {
		e.seq = seq
		seq++
		heap.Push(&q, e)
	}
	// send has client c send its next attempt at time t, after its limiter.
	send := func(c int, t time.Duration) {
		cl := &clients[c]
		if cl.limiter != nil {
			cl.clock = t
			_ = cl.limiter.Wait(context.Background()) // its Sleep moves cl.clock
			t = cl.clock
		}
		push(throttleEvent{at: t + hop(), client: c, kind: arriveAtServer})
	}
	for i := range clients {
		if mode == "adaptive" {
			cl := &clients[i]
			cl.limiter = backoff.NewAdaptive(func(o *backoff.AdaptiveOptions) {
				o.Now = func() time.Time { return origin.Add(cl.clock) }
				o.Sleep = func(ctx context.Context, d time.Duration) error { cl.clock += d; return nil }
			})
		}
		send(i, 0)
	}
	tokens, last := float64(throttleBurst), time.Duration(0)
	var res throttleResult
	finished := 0
	for finished < n {
		e := heap.Pop(&q).(throttleEvent)
		switch e.kind {
		case arriveAtServer:
			res.calls++
			tokens = min(throttleBurst, tokens+(e.at-last).Seconds()*throttleCapacity)
			last = e.at
			ok := tokens >= 1
			if ok {
				tokens--
			} else {
				res.throttled++
			}
			push(throttleEvent{at: e.at + hop(), client: e.client, kind: answerAtClient, ok: ok})
		case answerAtClient:
			cl := &clients[e.client]
			if cl.limiter != nil {
				cl.clock = e.at
				cl.limiter.Observe(!e.ok)
			}
			if e.ok {
				cl.done++
				cl.attempt = 0
				if cl.done == throttleWork {
					finished++
					res.time = max(res.time, e.at)
					continue
				}
				send(e.client, e.at)
				continue
			}
			cl.attempt++
			delay := time.Duration(0)
			if mode != "none" {
				delay = throttleBackoff.Delay(cl.attempt)
			}
			send(e.client, e.at+delay)
		}
	}
	return res
}

// throttleRow is the mean over runs for one mode and client count.
type throttleRow struct {
	mode             string
	clients          int
	calls, throttled float64
	goodput, seconds float64 // successful requests per second; time to finish
}

// runThrottle simulates every mode for every client count, runs times each,
// with the seed (seed, k) for run k.
func runThrottle(clients []int, runs int, seed uint64) []throttleRow {
	var rows []throttleRow
	for _, m := range throttleModes {
		for _, n := range clients {
			var row throttleRow
			row.mode, row.clients = m, n
			for k := range runs {
				res := simulateThrottle(m, n, rand.New(rand.NewPCG(seed, uint64(k))))
				row.calls += float64(res.calls)
				row.throttled += float64(res.throttled)
				row.seconds += res.time.Seconds()
				row.goodput += float64(n*throttleWork) / res.time.Seconds()
			}
			row.calls /= float64(runs)
			row.throttled /= float64(runs)
			row.seconds /= float64(runs)
			row.goodput /= float64(runs)
			rows = append(rows, row)
		}
	}
	return rows
}
