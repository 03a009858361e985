#!/bin/sh
# Tests scripts/mutate.sh's verdicts with a stand-in for gremlins (make test
# runs it; no mutant runs): a package at or over its target passes, one
# under it fails, as does a gremlins that fails or prints no efficacy, and a
# package with no mutant to run passes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mutate-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# The stand-in prints what gremlins prints at the end of a run, with the
# killed and lived counts of FAKE_<package> ("killed lived"), and exits
# FAKE_EXIT_<package> (default 0); FAKE_<package>=none prints nothing.
cat >"$tmp/gremlins" <<'FAKE'
#!/bin/sh
for a; do p=$a; done
n=$(basename "$p")
eval "kl=\${FAKE_$n:-}" "code=\${FAKE_EXIT_$n:-0}"
[ "$kl" = none ] && exit "$code"
set -- $kl
echo "Killed: $1, Lived: $2, Not covered: 0"
echo "Timed out: 0, Not viable: 0, Skipped: 0"
awk -v k="$1" -v l="$2" 'BEGIN { printf "Test efficacy: %.2f%%\n", (k + l) ? 100 * k / (k + l) : 0 }'
echo "Mutator coverage: 100.00%"
exit "$code"
FAKE
chmod +x "$tmp/gremlins"

fails=0
# expect WANT_EXIT "NAME=VALUE ..." PKG...: runs mutate.sh with those
# variables and checks its exit status.
expect() {
	want=$1 vars=$2
	shift 2
	status=0
	(
		for v in $vars; do export "$(echo "$v" | sed 's/+/ /g')"; done
		"$here/mutate.sh" "$tmp/gremlins" "$tmp/out" "$@"
	) >"$tmp/log" 2>&1 || status=$?
	if [ "$status" -ne "$want" ]; then
		echo "FAIL: $vars $* exited $status, want $want:"
		cat "$tmp/log"
		fails=1
	fi
}
# (a + in a value stands for a space)
expect 0 "FAKE_arn=85+15 FAKE_envelope=90+10" ./arn ./envelope # exactly at the targets
expect 1 "FAKE_arn=84+16" ./arn                                # under 85%
expect 1 "FAKE_envelope=89+11 FAKE_arn=99+1" ./envelope ./arn  # envelope's target is 90%
expect 1 "FAKE_sigv4temp=895+105" ./sigv4temp                  # 89.5%
expect 1 "FAKE_arn=99+1 FAKE_EXIT_arn=2" ./arn                 # gremlins failed
expect 1 "FAKE_arn=none" ./arn                                 # no efficacy printed
expect 0 "FAKE_arn=0+0" ./arn                                  # nothing to mutate
if [ "$fails" -ne 0 ]; then
	exit 1
fi
echo "ok  	scripts/mutate.sh (7 cases)"
