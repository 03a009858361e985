package main

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"time"

	"github.com/awskit/awskit/backoff"
)

// The model of the AWS Architecture Blog's simulator ("Exponential Backoff
// And Jitter", 2015): N clients each want one successful write to one row
// under optimistic concurrency. An attempt reads the row's version, then
// writes conditionally on it; the write fails if another client wrote in
// between, and the client backs off before its next read. Every network hop
// (request or response) takes |Normal(10 ms, 2 ms)|. Only writes count as
// calls. Time is virtual: an event queue, never a real sleep.
const (
	hopMean   = 10 * time.Millisecond
	hopStddev = 2 * time.Millisecond
	base      = 5 * time.Millisecond
	capDelay  = 2000 * time.Millisecond
)

// strategies are the compared backoffs, in output order.
var strategies = []string{"none", "exponential", "equal", "full", "decorrelated"}

// newDelayer returns the delay function of a strategy for one client.
func newDelayer(name string, r *rand.Rand) func(attempt int) time.Duration {
	switch name {
	case "none":
		return func(int) time.Duration { return 0 }
	case "exponential":
		return backoff.Exponential{Base: base, Cap: capDelay}.Delay
	case "equal":
		return backoff.EqualJitter{Base: base, Cap: capDelay, Rand: r}.Delay
	case "full":
		return backoff.FullJitter{Base: base, Cap: capDelay, Rand: r}.Delay
	case "decorrelated":
		d := &backoff.Decorrelated{Base: base, Cap: capDelay, Rand: r}
		return func(int) time.Duration { return d.Next() }
	}
	panic("unknown strategy " + name) // programming error: names come from strategies
}

type eventKind int

const (
	readAtServer eventKind = iota
	writeAtServer
)

type event struct {
	at     time.Duration
	seq    int // ties in time resolve in scheduling order, for determinism
	client int
	kind   eventKind
}

type queue []event

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *queue) Pop() any     { old := *q; e := old[len(old)-1]; *q = old[:len(old)-1]; return e }

// result of one simulated run.
type result struct {
	calls int           // writes sent, successful or not
	time  time.Duration // when the last client finished
}

// simulate runs one contest of n clients with the named strategy.
func simulate(strategy string, n int, r *rand.Rand) result {
	hop := func() time.Duration {
		return time.Duration(math.Abs(r.NormFloat64()*float64(hopStddev) + float64(hopMean)))
	}
	type client struct {
		seen     int // version read
		attempts int // failed writes so far
		delay    func(int) time.Duration
	}
	clients := make([]client, n)
	var q queue
	seq := 0
	push := func(at time.Duration, c int, k eventKind) {
		heap.Push(&q, event{at: at, seq: seq, client: c, kind: k})
		seq++
	}
	for i := range clients {
		clients[i].delay = newDelayer(strategy, r)
		push(hop(), i, readAtServer) // all start at 0: the read reaches the server after one hop
	}
	version, res, done := 0, result{}, 0
	for done < n {
		e := heap.Pop(&q).(event)
		c := &clients[e.client]
		switch e.kind {
		case readAtServer:
			c.seen = version
			push(e.at+hop()+hop(), e.client, writeAtServer) // response back, then the write out
		case writeAtServer:
			res.calls++
			back := e.at + hop() // the client learns the outcome
			if c.seen == version {
				version++
				done++
				res.time = max(res.time, back)
				continue
			}
			c.attempts++
			push(back+c.delay(c.attempts)+hop(), e.client, readAtServer)
		}
	}
	return res
}

// row is the mean over runs for one strategy and client count.
type row struct {
	strategy string
	clients  int
	calls    float64
	timeMS   float64
}

// run simulates every strategy for every client count, runs times each, and
// returns the means. Run k of a cell uses the seed (seed, k), so results do
// not depend on the order of cells.
func run(clients []int, runs int, seed uint64) []row {
	var rows []row
	for _, s := range strategies {
		for _, n := range clients {
			var calls, ms float64
			for k := range runs {
				r := rand.New(rand.NewPCG(seed, uint64(k)))
				res := simulate(s, n, r)
				calls += float64(res.calls)
				ms += float64(res.time) / float64(time.Millisecond)
			}
			rows = append(rows, row{s, n, calls / float64(runs), ms / float64(runs)})
		}
	}
	return rows
}
