// Command traffic-shift prints the timeline of a traffic shift: for each step,
// the minute it starts, the percent of traffic on the new version, the Route 53
// weights (old/new) that realise it, and the Lambda alias weight of the new
// version.
//
//	go run ./examples/traffic-shift -preset LambdaCanary10Percent5Minutes
//	go run ./examples/traffic-shift -linear 20 -interval 3m
//	go run ./examples/traffic-shift -canary 5 -interval 15m
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/awskit/awskit/weighting"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "traffic-shift:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("traffic-shift", flag.ContinueOnError)
	preset := fs.String("preset", "", "CodeDeploy configuration, e.g. LambdaLinear10PercentEvery1Minute")
	canary := fs.Float64("canary", 0, "canary percent (with -interval)")
	linear := fs.Float64("linear", 0, "linear percent per step (with -interval)")
	interval := fs.Duration("interval", 5*time.Minute, "time between steps")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var steps []weighting.Step
	var err error
	switch {
	case *preset != "":
		steps, err = weighting.Predefined(*preset)
	case *canary != 0:
		steps, err = weighting.Canary(*canary, *interval)
	case *linear != 0:
		steps, err = weighting.Linear(*linear, *interval)
	default:
		return errors.New("give -preset, -canary or -linear")
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "minute\tpercent new\tRoute 53 old\tRoute 53 new\tLambda alias weight\t")
	for _, s := range steps {
		old, nw, err := s.Route53Weights()
		if err != nil {
			return err
		}
		alias, err := s.AliasWeight()
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%g\t%g\t%d\t%d\t%.4g\t\n", s.At.Minutes(), s.NewPercent, old, nw, alias)
	}
	return tw.Flush()
}
