#!/bin/sh
# Mutation testing of awskit's library packages with gremlins (make mutate).
#
#   scripts/mutate.sh GREMLINS OUTDIR PKG...
#
# Runs gremlins over each package in turn, on a snapshot of the working tree
# (gremlins reads source files while it runs, so an edit during a run would
# otherwise be mutated and tested), writes OUTDIR/<pkg>.log and <pkg>.json,
# and ends with one line per package. Each package must reach its target test
# efficacy (killed / (killed + lived)): 90% for envelope and sigv4temp, 85%
# for the others (issue 20). Exit status: 0 when every package ran and met its
# target, 1 otherwise (the summary says which and why).
#
# Environment: MUTATE_WORKERS (gremlins workers, default the CPU count),
# MUTATE_TIMEOUT_COEFFICIENT (a mutant's time limit in coverage runs: 5 by
# default, about 3 times what a run takes with two workers on two cores;
# every hanging mutant costs that much, so more only on a loaded machine),
# MUTATE_DIFF (a git ref: instead of the packages, one run over the lines
# changed since its merge base, printing the mutants that lived; report
# only), and AWSKIT_TESTDATA (absolute: the tests run in a copy under /tmp).
set -eu

gremlins=$1
out=$2
shift 2
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
case $gremlins in /*) ;; */*) gremlins=$(pwd)/$gremlins ;; esac
mkdir -p "$out"

gitdir=$(git rev-parse --absolute-git-dir 2>/dev/null || true)
# What the snapshot holds, for the summary.
rev="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ', with uncommitted changes')"
snap=$(mktemp -d "${TMPDIR:-/tmp}/awskit-mutate.XXXXXX")
trap 'rm -rf "$snap"' EXIT INT TERM
# Tracked and untracked (not ignored) files as they are now; a tracked file
# deleted in the working tree is skipped.
git ls-files -z --cached --others --exclude-standard |
	xargs -0 tar --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$snap"

# -count=1: gremlins times its coverage run to set every mutant's timeout; a
# run served from the test cache would time every mutant out.
GOFLAGS=-count=1
AWSKIT_QUICK=1
export GOFLAGS AWSKIT_QUICK

if [ -n "${MUTATE_DIFF:-}" ]; then
	# One run over the module, mutating only the lines changed since the
	# merge base of MUTATE_DIFF (gremlins --diff runs `git diff --merge-base`
	# in the snapshot, against this repository's history). The module root is
	# the path given: gremlins matches the diff's file names against paths
	# relative to it. The nested interop module and the examples are left out.
	# Report only: it prints every mutant that lived, for the change's author
	# to kill or to list in MUTATION.md; the targets are `make mutate`'s. The
	# timeout is a multiple of the coverage run, here the whole module's
	# tests (about a minute): hence a coefficient of 3 by default.
	echo "== gremlins --diff $MUTATE_DIFF over the module: log $out/diff.log"
	status=0
	(cd "$snap" && GIT_DIR=$gitdir GIT_WORK_TREE=$snap "$gremlins" unleash \
		-D "$MUTATE_DIFF" -E '^interop/' -E '^examples/' \
		--workers "${MUTATE_WORKERS:-0}" \
		--tags mutation \
		--timeout-coefficient "${MUTATE_TIMEOUT_COEFFICIENT:-3}" \
		-o "$out/diff.json" .) >"$out/diff.log" 2>&1 || status=$?
	grep -E ' LIVED | TIMED OUT |Killed:|Timed out:|Test efficacy:' "$out/diff.log" || true
	if [ "$status" -ne 0 ]; then
		echo "gremlins FAILED (exit $status; see the log)"
	fi
	exit "$status"
fi

summary=""
failed=0
for p in "$@"; do
	name=$(basename "$p")
	target=85
	case $name in envelope | sigv4temp) target=90 ;; esac
	echo "== gremlins $p (target $target%): log $out/$name.log"
	start=$(date +%s)
	status=0
	# The target is checked below, not with gremlins' --threshold-efficacy,
	# which fails a package whose efficacy equals it.
	(cd "$snap" && "$gremlins" unleash \
		--workers "${MUTATE_WORKERS:-0}" \
		--tags mutation \
		--timeout-coefficient "${MUTATE_TIMEOUT_COEFFICIENT:-5}" \
		-o "$out/$name.json" "$p"
	) >"$out/$name.log" 2>&1 || status=$?
	secs=$(($(date +%s) - start))
	counts=$(grep -E 'Killed:|Timed out:|Test efficacy:|Mutator coverage:' "$out/$name.log" |
		sed 's/^ *//' | tr '\n' ' ')
	eff=$(sed -n 's/.*Test efficacy: *\([0-9.]*\)%.*/\1/p' "$out/$name.log" | tail -1)
	ran=$(sed -n 's/.*Killed: *\([0-9]*\), Lived: *\([0-9]*\),.*/\1 \2/p' "$out/$name.log" | tail -1)
	if [ "$status" -eq 0 ] && { [ "$ran" = "0 0" ] || grep -q 'No results to report' "$out/$name.log"; }; then
		verdict="no mutant to run"
	elif [ -z "$eff" ]; then
		verdict="gremlins FAILED (exit $status, no efficacy; see the log)"
		failed=1
	elif awk -v e="$eff" -v t="$target" 'BEGIN { exit !(e >= t) }'; then
		verdict="met"
		if [ "$status" -ne 0 ]; then
			verdict="met, but gremlins exited $status (see the log)"
			failed=1
		fi
	else
		verdict="NOT MET"
		failed=1
	fi
	line="$name: ${counts}(${secs} s) target $target%: $verdict"
	echo "$line"
	summary="$summary$line
"
done

echo
echo "== mutation testing summary ($rev)"
printf '%s' "$summary"
exit "$failed"
