#!/usr/bin/env bash
# bench15.sh: the benchmarks of issue 15's targets (parallel frames and the
# append forms of envelope, and the official Go ESDK beside it), then each
# target's medians, ratio, "met"/"not met" and spread (scripts/benchratio),
# and benchstat's tables when benchstat is installed.
#
# Usage: scripts/bench15.sh [-quick] [OUTDIR]
#
#   (default)  6 rounds; each round runs every benchmark once (-count 1) with
#              -benchtime 1s and -benchmem, so that the 6 samples of a
#              benchmark and of its baseline interleave in time (on a shared
#              machine a burst of load then hits both sides alike, where
#              -count 6 would run the 6 samples of one benchmark back to
#              back). ROUNDS=1 COUNT=6 gives go test's own -count 6 instead;
#              the output format is the same.
#   -quick     a smoke test: 1 round, -benchtime 3x. Its figures mean nothing.
#
# The stream benchmarks (BenchmarkParallelStream, BenchmarkSignedStream)
# run under -cpu 1,N (GOMAXPROCS 1 and N, N = nproc): the scaling curve. The
# 1 MiB messages and the interop comparison run at GOMAXPROCS N; the targets
# are judged at N. Environment: ROUNDS, COUNT, BENCHTIME, PROCS (N), GO.
#
# Output goes to OUTDIR (default: a new directory under ${TMPDIR:-/tmp}):
# envelope.txt and interop.txt (raw go test output, benchstat's input),
# benchstat.txt, and ratios.md (the targets, scaling and allocations).
# Each round runs 70 benchmarks of 1 to 1.5 s each (10 messages, 18 0x0478
# and 6 0x0578 streams at each of the two GOMAXPROCS, 12 interop) and builds
# four 64 MiB messages: about 100 s a round on a quiet 2-core machine, so
# about 11 minutes for the default run (plus the build). -quick took 9.5
# minutes on a 2-core machine at a load average of 15: scale accordingly.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

GO=${GO:-go}
ROUNDS=${ROUNDS:-6}
COUNT=${COUNT:-1}
BENCHTIME=${BENCHTIME:-1s}
if [ "${1:-}" = "-quick" ]; then
	ROUNDS=1 COUNT=1 BENCHTIME=3x
	shift
fi
PROCS=${PROCS:-$(nproc)}
CPU=1
if [ "$PROCS" -gt 1 ]; then
	CPU="1,$PROCS"
fi
out=${1:-$(mktemp -d "${TMPDIR:-/tmp}/bench15-$(date -u +%Y%m%dT%H%M%SZ)-XXXX")}
mkdir -p "$out"
out=$(cd "$out" && pwd)
: >"$out/envelope.txt"
: >"$out/interop.txt"

{
	echo "# bench15.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)')"
	echo "# $($GO version); nproc $(nproc); PROCS $PROCS; rounds $ROUNDS; count $COUNT; benchtime $BENCHTIME"
	echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/run.txt"

# One test binary per package, built once for every round.
$GO test -c -o "$out/envelope.test" ./envelope
(cd interop && $GO test -c -o "$out/interop.test" .)

flags=(-test.run '^$' -test.benchmem -test.count "$COUNT" -test.benchtime "$BENCHTIME")
for round in $(seq 1 "$ROUNDS"); do
	echo "== round $round of $ROUNDS ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$out/run.txt"
	(cd envelope && "$out/envelope.test" "${flags[@]}" -test.cpu "$PROCS" \
		-test.bench '^BenchmarkParallelMessage$') | tee -a "$out/envelope.txt"
	(cd envelope && "$out/envelope.test" "${flags[@]}" -test.cpu "$CPU" \
		-test.bench '^Benchmark(ParallelStream|SignedStream)$') | tee -a "$out/envelope.txt"
	(cd interop && "$out/interop.test" "${flags[@]}" -test.cpu "$PROCS" \
		-test.bench '^BenchmarkVersusOfficialGoESDK$') | tee -a "$out/interop.txt"
done
echo "# load after the run: $(cut -d' ' -f1-3 /proc/loadavg); finished $(date -u +%H:%M:%S)" | tee -a "$out/run.txt"
rm -f "$out/envelope.test" "$out/interop.test"

benchstat=$(command -v benchstat || true)
if [ -z "$benchstat" ] && [ -x "$HOME/go/bin/benchstat" ]; then
	benchstat=$HOME/go/bin/benchstat
fi
if [ -n "$benchstat" ]; then
	{
		"$benchstat" "$out/envelope.txt"
		echo
		"$benchstat" "$out/interop.txt"
	} >"$out/benchstat.txt" || echo "benchstat failed (its tables are optional)" >&2
else
	echo "benchstat not found (go install golang.org/x/perf/cmd/benchstat@latest): no benchstat.txt" >&2
fi

status=0
(cd "$root" && $GO run ./scripts/benchratio -procs "$PROCS" "$out/envelope.txt" "$out/interop.txt") | tee "$out/ratios.md" || status=$?
echo
echo "results in $out: ratios.md, benchstat.txt, envelope.txt, interop.txt, run.txt"
exit "$status"
