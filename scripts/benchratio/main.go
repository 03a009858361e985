// Command benchratio reads the output of scripts/bench15.sh's benchmarks
// (go test -bench lines, any number of runs of each) and prints, for each
// target of issue 15, the median time and throughput of both sides, their
// ratio, whether the ratio meets the figure, and each side's spread
// (max - min as a percentage of the median). Then the scaling from
// GOMAXPROCS 1 to the machine's, and the allocations per stream.
//
// Usage:
//
//	go run ./scripts/benchratio [-procs N] FILE... (or standard input)
//
// A ratio is the baseline's median time over the subject's: above 1 means
// the subject is faster. Both sides of every pair set the same bytes per
// operation (b.SetBytes), so it is also the ratio of their throughputs.
// Targets are judged at GOMAXPROCS -procs (default: this machine's
// runtime.GOMAXPROCS(0)); go test names a benchmark run at GOMAXPROCS p
// "<name>-p", and at GOMAXPROCS 1 "<name>". The exit status is 1 when a
// benchmark a target needs has no sample, 0 otherwise (whether or not the
// targets are met: this is a report).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// sample holds the values of one benchmark (one name, one GOMAXPROCS)
// across runs.
type sample struct {
	ns, mbs, bytes, allocs []float64
}

// key names a benchmark: its name without "Benchmark" and without the
// GOMAXPROCS suffix, and that GOMAXPROCS.
type key struct {
	name  string
	procs int
}

var procsSuffix = regexp.MustCompile(`^(.*)-([0-9]+)$`)

// parse reads go test -bench output and adds every result's values to
// out. Lines that are not benchmark results are skipped.
func parse(out map[key]*sample, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // not a result line (e.g. a log line)
		}
		k := key{name: strings.TrimPrefix(f[0], "Benchmark"), procs: 1}
		if m := procsSuffix.FindStringSubmatch(k.name); m != nil {
			p, err := strconv.Atoi(m[2])
			if err != nil {
				return fmt.Errorf("benchmark %s: GOMAXPROCS suffix: %w", f[0], err)
			}
			k = key{name: m[1], procs: p}
		}
		s := out[k]
		if s == nil {
			s = &sample{}
			out[k] = s
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("benchmark %s: value %q: %w", f[0], f[i], err)
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "MB/s":
				s.mbs = append(s.mbs, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			}
		}
	}
	return sc.Err()
}

// median returns the median of xs (the mean of the middle two for an even
// count), or 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// spread returns max - min as a percentage of the median.
func spread(xs []float64) float64 {
	m := median(xs)
	if m == 0 {
		return 0
	}
	return (slices.Max(xs) - slices.Min(xs)) / m * 100
}

// target is one comparison: subject against baseline (benchmark names
// without "Benchmark" and the GOMAXPROCS suffix). want is the issue's
// minimum ratio; 0 means no target (reported for information).
type target struct {
	group             string
	title             string
	subject, baseline string
	want              float64
}

// targets lists issue 15's targets and the comparisons reported beside
// them. The names are those of envelope/bench_parallel_test.go and
// interop/esdkgo_test.go.
func targets() []target {
	var ts []target
	const msg = "ParallelMessage/"
	ts = append(ts,
		target{"0x0478 1 MiB messages (4 KiB frames) vs one-core raw AES-GCM", "Encrypt, default concurrency", msg + "Encrypt/concurrency=default", msg + "raw-AES-GCM/seal", 1.5},
		target{"", "Decrypt, default concurrency", msg + "Decrypt/concurrency=default", msg + "raw-AES-GCM/open", 1.5},
		target{"", "EncryptAppend into a reused buffer, Concurrency 1", msg + "EncryptAppend-reused/concurrency=1", msg + "raw-AES-GCM/seal", 0.9},
		target{"", "EncryptAppend into a reused buffer, default concurrency", msg + "EncryptAppend-reused/concurrency=default", msg + "raw-AES-GCM/seal", 0},
		target{"", "DecryptAppend into a reused buffer, Concurrency 1", msg + "DecryptAppend-reused/concurrency=1", msg + "raw-AES-GCM/open", 0},
		target{"", "DecryptAppend into a reused buffer, default concurrency", msg + "DecryptAppend-reused/concurrency=default", msg + "raw-AES-GCM/open", 0},
		target{"", "Encrypt, Concurrency 1", msg + "Encrypt/concurrency=1", msg + "raw-AES-GCM/seal", 0},
		target{"", "Decrypt, Concurrency 1", msg + "Decrypt/concurrency=1", msg + "raw-AES-GCM/open", 0},
	)
	for _, fr := range []struct {
		name     string
		par, ser float64 // default concurrency, Concurrency 1
		kib      string
	}{
		{"frame=64KiB/", 1.6, 0.9, "64 KiB"},
		{"frame=4KiB/", 1.2, 0.75, "4 KiB"},
	} {
		p := "ParallelStream/" + fr.name
		ts = append(ts,
			target{"0x0478 64 MiB streams, " + fr.kib + " frames, vs the issue's one-core baseline", "EncryptStream, default concurrency", p + "EncryptStream/concurrency=default", p + "raw-AES-GCM/seal", fr.par},
			target{"", "DecryptStream, default concurrency", p + "DecryptStream/concurrency=default", p + "raw-AES-GCM/open", fr.par},
			target{"", "EncryptStream, Concurrency 1", p + "EncryptStream/concurrency=1", p + "raw-AES-GCM/seal", fr.ser},
			target{"", "DecryptStream, Concurrency 1", p + "DecryptStream/concurrency=1", p + "raw-AES-GCM/open", fr.ser},
			target{"", "EncryptStream from a *bytes.Reader (one 64 MiB Write), default concurrency", p + "EncryptStream-oneWrite/concurrency=default", p + "raw-AES-GCM/seal", 0},
			target{"0x0478 64 MiB streams, " + fr.kib + " frames, vs the stricter reference (frame-sized reused buffer; not the issue's baseline)", "EncryptStream, default concurrency", p + "EncryptStream/concurrency=default", p + "raw-AES-GCM/seal-framebuf", fr.par},
			target{"", "DecryptStream, default concurrency", p + "DecryptStream/concurrency=default", p + "raw-AES-GCM/open-framebuf", fr.par},
			target{"", "EncryptStream, Concurrency 1", p + "EncryptStream/concurrency=1", p + "raw-AES-GCM/seal-framebuf", fr.ser},
			target{"", "DecryptStream, Concurrency 1", p + "DecryptStream/concurrency=1", p + "raw-AES-GCM/open-framebuf", fr.ser},
		)
	}
	for i, fr := range []string{"64", "4"} {
		p := "SignedStream/frame=" + fr + "KiB/"
		group := ""
		if i == 0 {
			group = "0x0578 64 MiB streams, default concurrency, vs one-core raw SHA-384 over the message's bytes"
		}
		ts = append(ts,
			target{group, "EncryptStream, " + fr + " KiB frames", p + "EncryptStream/concurrency=default", p + "raw-SHA-384", 0.8},
			target{"", "DecryptStream, " + fr + " KiB frames", p + "DecryptStream/concurrency=default", p + "raw-SHA-384", 0.8},
		)
	}
	const off = "VersusOfficialGoESDK/"
	for i, op := range []string{"Encrypt", "Decrypt"} {
		group := ""
		if i == 0 {
			group = "Beside the official Go ESDK v0.4.0 (interop, same local-kms; ratio = times faster)"
		}
		ts = append(ts,
			target{group, op + " 1 MiB, awskit cached", off + op + "/awskit-cached/1MiB", off + op + "/official-go-esdk/1MiB", 30},
			target{"", op + " 1 MiB, awskit uncached", off + op + "/awskit/1MiB", off + op + "/official-go-esdk/1MiB", 8},
			target{"", op + " 1 KiB, awskit cached", off + op + "/awskit-cached/1KiB", off + op + "/official-go-esdk/1KiB", 0},
			target{"", op + " 1 KiB, awskit uncached", off + op + "/awskit/1KiB", off + op + "/official-go-esdk/1KiB", 0},
		)
	}
	return ts
}

// duration formats nanoseconds with three significant digits.
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

// throughput formats go test's MB/s (10^6 bytes per second) in MiB/s or
// GiB/s, as BENCHMARKS.md writes them.
func throughput(mbs []float64) string {
	if len(mbs) == 0 {
		return "-"
	}
	b := median(mbs) * 1e6
	if b >= 1<<30 {
		return fmt.Sprintf("%.3g GiB/s", b/(1<<30))
	}
	return fmt.Sprintf("%.3g MiB/s", b/(1<<20))
}

// side formats one side of a comparison: median time, throughput, spread
// and the number of runs.
func side(s *sample) string {
	return fmt.Sprintf("%s, %s, spread %.0f%% (n=%d)", duration(median(s.ns)), throughput(s.mbs), spread(s.ns), len(s.ns))
}

// verdict is "met", "not met" or "no target" for ratio against want.
func verdict(ratio, want float64) string {
	switch {
	case want == 0:
		return "no target"
	case ratio >= want:
		return "met"
	}
	return "not met"
}

// report writes the targets at GOMAXPROCS procs, the scaling of the
// streams and their allocations; it returns the names of missing
// benchmarks.
func report(w io.Writer, data map[key]*sample, procs int) []string {
	var missing []string
	get := func(name string, p int) *sample {
		s := data[key{name, p}]
		if s == nil || len(s.ns) == 0 {
			if m := fmt.Sprintf("%s (GOMAXPROCS %d)", name, p); !slices.Contains(missing, m) {
				missing = append(missing, m)
			}
			return nil
		}
		return s
	}
	fmt.Fprintf(w, "# Issue 15 targets at GOMAXPROCS %d (medians; ratio = baseline time / subject time)\n", procs)
	fmt.Fprintln(w, "# spread = (max - min) / median of ns/op; with a wide spread, read a ratio near its target as \"about\".")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | subject | baseline | ratio | wanted | result |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, t := range targets() {
		if t.group != "" {
			fmt.Fprintf(w, "| **%s** | | | | | |\n", t.group)
		}
		subj, base := get(t.subject, procs), get(t.baseline, procs)
		if subj == nil || base == nil {
			fmt.Fprintf(w, "| %s | %s | %s | - | %s | missing |\n", t.title, t.subject, t.baseline, wanted(t.want))
			continue
		}
		ratio := median(base.ns) / median(subj.ns)
		fmt.Fprintf(w, "| %s | %s | %s | %.2f | %s | %s |\n", t.title, side(subj), side(base), ratio, wanted(t.want), verdict(ratio, t.want))
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "# Scaling of the streams: GOMAXPROCS 1 against %d (run with -cpu 1,%d)\n", procs, procs)
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| benchmark | GOMAXPROCS 1 | GOMAXPROCS %d | speed-up |\n", procs)
	fmt.Fprintln(w, "|---|---|---|---|")
	var streams []string
	for k := range data {
		if k.procs == procs && (strings.HasPrefix(k.name, "ParallelStream/") || strings.HasPrefix(k.name, "SignedStream/")) {
			streams = append(streams, k.name)
		}
	}
	slices.Sort(streams)
	for _, name := range streams {
		one, many := data[key{name, 1}], data[key{name, procs}]
		if procs == 1 || one == nil || len(one.ns) == 0 {
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.2f |\n", name, side(one), side(many), median(one.ns)/median(many.ns))
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "# Allocations per 64 MiB stream at GOMAXPROCS %d (1,024 frames of 64 KiB, 16,384 of 4 KiB: one allocation per frame would add at least 16,384 at 4 KiB)\n", procs)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| benchmark | allocs/op, 64 KiB frames | allocs/op, 4 KiB frames | B/op, 64 KiB frames | B/op, 4 KiB frames |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, name := range streams {
		rest, ok := strings.CutPrefix(strings.SplitN(name, "/", 2)[1], "frame=64KiB/")
		if !ok || strings.Contains(rest, "raw-") {
			continue
		}
		top := strings.SplitN(name, "/", 2)[0]
		big, small := data[key{name, procs}], data[key{top + "/frame=4KiB/" + rest, procs}]
		if small == nil {
			continue
		}
		fmt.Fprintf(w, "| %s/%s | %.0f | %.0f | %.0f | %.0f |\n", top, rest, median(big.allocs), median(small.allocs), median(big.bytes), median(small.bytes))
	}
	return missing
}

// wanted formats a target's minimum ratio.
func wanted(want float64) string {
	if want == 0 {
		return "-"
	}
	return fmt.Sprintf("≥ %.2g", want)
}

func main() {
	procs := flag.Int("procs", runtime.GOMAXPROCS(0), "GOMAXPROCS at which the targets are judged")
	flag.Parse()
	data := map[key]*sample{}
	if flag.NArg() == 0 {
		if err := parse(data, os.Stdin); err != nil {
			fail(2, err)
		}
	}
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			fail(2, err)
		}
		err = parse(data, f)
		f.Close()
		if err != nil {
			fail(2, fmt.Errorf("%s: %w", name, err))
		}
	}
	if missing := report(os.Stdout, data, *procs); len(missing) > 0 {
		fail(1, fmt.Errorf("no samples for:\n  %s", strings.Join(missing, "\n  ")))
	}
}

// fail prints err and exits with status code.
func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, "benchratio:", err)
	os.Exit(code)
}
