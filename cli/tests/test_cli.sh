#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the miniproc command that need no kernel module: help,
# usage errors and their exit codes, program errors with their caret,
# --dry-run. TAP output; exit 1 if any failed. The tests against the module
# are in selftests/cli.
#
#   test_cli.sh [MINIPROC]    (default: ../miniproc next to this script)
set -u

MP=${1:-$(dirname "$0")/../miniproc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# t WANT_RC STDOUT_OR_STDERR PATTERN ARGS...: run miniproc ARGS, check its
# exit code and that the named stream contains PATTERN (fixed string).
# STDOUT_OR_STDERR is "out" or "err".
t() {
	want=$1 stream=$2 pattern=$3
	shift 3
	"$MP" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	text=$(cat "$tmp/$stream")
	n=$((n + 1))
	case $text in
	*"$pattern"*) found=1 ;;
	*) found=0 ;;
	esac
	if [ "$rc" = "$want" ] && [ "$found" = 1 ]; then
		echo "ok $n - miniproc $*"
	else
		failed=$((failed + 1))
		echo "not ok $n - miniproc $*: exit $rc (want $want), $stream lacks '$pattern'"
		sed 's/^/#   stdout: /' "$tmp/out"
		sed 's/^/#   stderr: /' "$tmp/err"
	fi
}

t 0 out "Usage: miniproc COMMAND" --help
t 0 out "Usage: miniproc COMMAND" -h
t 0 out "Usage: miniproc COMMAND" help
for cmd in create run ps status kill wait suspend resume top trace info homework; do
	t 0 out "Usage: miniproc $cmd" "$cmd" --help
	t 0 out "Usage: miniproc $cmd" help "$cmd"
done
t 0 out "miniproc " --version
t 2 err "Usage: miniproc COMMAND"
t 2 err "unknown command 'frob'" frob
t 2 err "unknown option '--frob'" --frob
t 2 err "unknown option '--frob'" ps --frob
t 2 err "unknown option '-x'" kill -x 1
t 2 err "option '--cpu' needs an argument" create yield --cpu
t 2 err "'abc' is not a valid pid" kill 1 abc
t 2 err "'0' is not a valid pid" suspend 0
t 2 err "expected at least one PID" resume
t 2 err "expected a PID" status
t 2 err "expected one PID, got '2' too" status 1 2
t 2 err "expected at most one PID" wait 1 2
t 2 err "bad timeout '5': expected a unit" wait --timeout 5
t 2 err "is too long: at most 15 characters" create -n 0123456789abcdef yield
t 2 err "no spaces" create -n 'a b' yield
t 2 err "'x' is not a CPU number" run --cpu x yield
t 2 err "expected a PROGRAM" create
t 2 err "unexpected argument 'x'" ps x
t 2 err "program:15: expected a duration after 'sleep:' (like 10ms)" \
	create 'cpu:5ms sleep: 3*(yield)'
t 2 err "
                  ^" create 'cpu:5ms sleep: 3*(yield)'
t 2 err "program:9: unknown op 'bogus'" run cpu:5ms bogus
t 0 out "cpu:1ms 3*(yield) exit:7" create --dry-run 'cpu:1000us  3*( yield )' exit:7
t 0 out "fork(cpu:5ms exit:2) wait exit:0" create --dry-run 'fork ( cpu:5ms exit:2 )' wait exit:0
t 0 out "3*(fork(sleep:10ms)) 3*(wait)" run --help
t 0 out "fork( ... )" create --help
t 2 err "program:6: empty fork: expected the child's program before ')'" create 'fork()'
t 2 err "program:21: forks nest at most 4 deep" run 'fork(fork(fork(fork(fork(yield)))))'
t 2 err "program:5: 'wait' takes no argument" create wait:1
t 2 err "--tree and --json do not go together" ps --tree --json
t 2 err "expected a simulator: process-run or scheduler" homework
t 2 err "unknown simulator 'lottery'" homework lottery
t 0 out "miniproc homework process-run" homework --help
# Each simulator's --help lists every option, its own and miniproc's.
for opt in "-s SEED, --seed=SEED" "-P PROGRAM, --program=PROGRAM" \
	"-l PROCESS_LIST, --processlist=PROCESS_LIST" \
	"-L IO_LENGTH, --iolength=IO_LENGTH" "--switch=" "--iodone=" \
	"-c " "-p, --printstats" "--simulate" "--real" "--tick=DUR" \
	"--cpu=N" "-h, --help"; do
	t 0 out "$opt" homework process-run --help
done
for opt in "-s SEED, --seed=SEED" "-j JOBS, --jobs=JOBS" \
	"-l JLIST, --jlist=JLIST" "-m MAXLEN, --maxlen=MAXLEN" \
	"-p POLICY, --policy=POLICY" "-q QUANTUM, --quantum=QUANTUM" "-c " \
	"--simulate" "--real" "--tick=DUR" "--cpu=N" "-h, --help"; do
	t 0 out "$opt" homework scheduler -h
done
t 2 err "--ascii goes with --tree" ps --ascii
t 0 out "ps --tree" ps --help
t 2 err "the interval must be at least 10ms" top --interval 5ms
t 2 err "bad interval 'x'" top -d x
t 2 err "'0' is not a number of tables" top -n 0
t 2 err "unexpected argument '5'" top 5
t 2 err "bad duration '1'" trace --duration 1
t 2 err "'10' is not a width" trace --width 10
t 2 err "bad tick '0ms'" trace --tick 0ms
t 2 err "'x' is not a valid pid" trace 5 x
t 2 err "--svg needs a file name" trace --svg ''
t 0 out "R running" trace --help

if [ ! -e /dev/miniproc ]; then
	t 1 err "miniproc: cannot open /dev/miniproc: the miniproc module is not loaded (try: sudo modprobe miniproc)" ps
else
	n=$((n + 1))
	echo "ok $n - module not loaded # SKIP /dev/miniproc exists"
fi

echo "1..$n"
[ "$failed" = 0 ] || echo "# $failed of $n failed"
[ "$failed" = 0 ]
