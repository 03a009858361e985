// Command backoffsim reproduces the simulation of the AWS Architecture Blog's
// "Exponential Backoff And Jitter" (2015) with this module's backoff
// strategies, in virtual time: N clients compete for one optimistic-concurrency
// write each; it prints, per strategy and client count, the mean number of
// write calls and the mean time until the last client succeeds.
//
//	go run ./examples/backoffsim -clients 10,50,100 -runs 100 -seed 1
//	go run ./examples/backoffsim -svg backoff.svg
//
// Output is CSV with the header strategy,clients,calls,time_ms.
//
// With -scenario throttle it runs the throttling scenario instead (see
// throttle.go): N clients with 50 requests of work each against a server
// admitting 100 requests per second, with no backoff, the standard retry,
// and adaptive rate limiting; CSV header
// mode,clients,calls,throttled,goodput_rps,time_s.
//
//	go run ./examples/backoffsim -scenario throttle -clients 1,2,5,10,20,50,100 -runs 20 -svg throttle.svg
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

func main() {
	if err := mainErr(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "backoffsim:", err)
		os.Exit(2)
	}
}

func mainErr(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backoffsim", flag.ContinueOnError)
	clientsFlag := fs.String("clients", "10,50,100", "comma-separated client counts")
	runs := fs.Int("runs", 100, "runs per strategy and client count")
	seed := fs.Uint64("seed", 1, "random seed")
	svg := fs.String("svg", "", "also write a chart of calls and time against clients to this SVG file")
	scenario := fs.String("scenario", "contention", "contention (the blog's) or throttle (adaptive rate limiting)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scenario != "contention" && *scenario != "throttle" {
		return fmt.Errorf("-scenario: %q is not contention or throttle", *scenario)
	}
	clients, err := parseClients(*clientsFlag)
	if err != nil {
		return err
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	var write func(io.Writer) error
	if *scenario == "throttle" {
		rows := runThrottle(clients, *runs, *seed)
		fmt.Fprintln(out, "mode,clients,calls,throttled,goodput_rps,time_s")
		for _, r := range rows {
			fmt.Fprintf(out, "%s,%d,%.1f,%.1f,%.1f,%.2f\n", r.mode, r.clients, r.calls, r.throttled, r.goodput, r.seconds)
		}
		write = func(w io.Writer) error { return writeThrottleSVG(w, rows, clients) }
	} else {
		rows := run(clients, *runs, *seed)
		fmt.Fprintln(out, "strategy,clients,calls,time_ms")
		for _, r := range rows {
			fmt.Fprintf(out, "%s,%d,%.1f,%.1f\n", r.strategy, r.clients, r.calls, r.timeMS)
		}
		write = func(w io.Writer) error { return writeSVG(w, rows, clients) }
	}
	if *svg != "" {
		f, err := os.Create(*svg)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}

func parseClients(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 10_000 {
			return nil, fmt.Errorf("-clients: %q is not a count in 1..10000", p)
		}
		out = append(out, n)
	}
	return out, nil
}
