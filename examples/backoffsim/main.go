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
	if err := fs.Parse(args); err != nil {
		return err
	}
	clients, err := parseClients(*clientsFlag)
	if err != nil {
		return err
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	rows := run(clients, *runs, *seed)
	fmt.Fprintln(out, "strategy,clients,calls,time_ms")
	for _, r := range rows {
		fmt.Fprintf(out, "%s,%d,%.1f,%.1f\n", r.strategy, r.clients, r.calls, r.timeMS)
	}
	if *svg != "" {
		f, err := os.Create(*svg)
		if err != nil {
			return err
		}
		if err := writeSVG(f, rows, clients); err != nil {
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
