# SPDX-License-Identifier: GPL-2.0
#
# lib.sh: what the CLI tests share, sourced by miniproc_cli*.sh after they
# set $here (their directory). It checks that there is something to test
# (exit 4, kselftest's skip, without /dev/miniproc), makes a temporary
# directory, kills and reaps on exit what a test created (the pids in
# $created), and gives the helpers below. A test ends with `finish`.
#
#   MINIPROC_CLI  the command to test (default: miniproc from PATH)
#   JSON_CHECK    the JSON checker (default: json_check next to the tests)
#   PTY_RUN       runs a command on a pseudo-terminal, for top (default:
#                 pty_run next to the tests; those tests skip without it)
#
# Each check's condition is sh code in single quotes, evaluated by check()
# after the command ran: hence variables that look unused or unexpanded.
# shellcheck shell=sh disable=SC2016,SC2034,SC2317

KSFT_SKIP=4
MP=${MINIPROC_CLI:-$(command -v miniproc || :)}
JC=${JSON_CHECK:-$here/json_check}
PTY=${PTY_RUN:-$here/pty_run}
ESC=$(printf '\033')
# From uapi/linux/miniproc.h.
MINIPROC_CHILDREN_MAX=32
MINIPROC_EVENT_BUFFER=16384

# The keys every process object starts with, in this order: the contract.
CONTRACT_KEYS=pid,ppid,uid,name,state,chan,killed,suspended,exit_status,cpu,runtime_ns,nvcsw,nivcsw
KEY_TYPES=pid:number,ppid:number,uid:number,name:string,state:string
KEY_TYPES=$KEY_TYPES,chan:string,killed:bool,suspended:bool
KEY_TYPES=$KEY_TYPES,exit_status:number\|null,cpu:number\|null
KEY_TYPES=$KEY_TYPES,runtime_ns:number,nvcsw:number,nivcsw:number
KEY_TYPES=$KEY_TYPES,tid:number,autoreap:bool,pinned:bool,start_time_ns:number
KEY_TYPES=$KEY_TYPES,nr_sched_in:number,nr_wakeups:number,nr_migrations:number
KEY_TYPES=$KEY_TYPES,fork_error:number,nr_children:number,nr_forks:number

if [ ! -e /dev/miniproc ]; then
	echo "1..0 # SKIP /dev/miniproc is absent: load the miniproc module"
	exit $KSFT_SKIP
fi
if [ -z "$MP" ] || [ ! -x "$MP" ]; then
	echo "Bail out! no miniproc command: set MINIPROC_CLI or PATH"
	exit 1
fi
if [ ! -x "$JC" ]; then
	echo "Bail out! no json_check at $JC: build it (make -C selftests/cli)"
	exit 1
fi

tmp=$(mktemp -d /tmp/miniproc-cli.XXXXXX)
created=
n=0
failed=0

# Kill and reap what this test created and may have left behind.
cleanup() {
	for p in $created; do
		"$MP" kill --wait "$p" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# mp ARGS...: run the command; $out, $err: what it printed; $rc: its status.
mp() {
	last="miniproc $*"
	"$MP" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# as NAME ARGS...: mp as the user NAME, through su (which gives NAME the
# groups /etc/group lists it in).
as() {
	who=$1
	shift
	last="(as $who) miniproc $*"
	su "$who" -c "$MP $*" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# as_user ARGS...: mp as the unprivileged user "user", a member of the
# miniproc group, which the device belongs to.
as_user() {
	as user "$@"
}

# check DESCRIPTION CONDITION: one TAP line; CONDITION is sh code that may
# use $rc, $out and $err. On failure, show the last command and its output.
check() {
	n=$((n + 1))
	if (eval "$2"); then
		echo "ok $n - $1"
		return 0
	fi
	failed=$((failed + 1))
	echo "not ok $n - $1"
	echo "#   condition: $2"
	echo "#   last: $last (exit $rc)"
	printf '%s\n' "$out" | sed 's/^/#   stdout: /'
	printf '%s\n' "$err" | sed 's/^/#   stderr: /'
	return 1
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# check_alone DESCRIPTION CONDITION: check, if this user had no processes
# when the test started (so that wait without a PID can only reap ours).
check_alone() {
	if [ -z "$before" ]; then
		check "$1" "$2"
	else
		skip "$1" "this user already had processes:$before"
	fi
}

# has TEXT PATTERN: TEXT contains PATTERN (a fixed string).
has() {
	case $1 in
	*"$2"*) return 0 ;;
	*) return 1 ;;
	esac
}

# like TEXT GLOB: TEXT matches the shell pattern GLOB.
like() {
	# shellcheck disable=SC2254 # the pattern is meant to match
	case $1 in
	$2) return 0 ;;
	*) return 1 ;;
	esac
}

# line_in TEXT REGEX: a line of TEXT matches the basic regular expression.
line_in() {
	printf '%s\n' "$1" | grep -q -- "$2"
}

# ps_row PID: PID's row of the ps table in $out, fields single-spaced.
ps_row() {
	printf '%s\n' "$out" | awk -v p="$1" '$1 == p { $1 = $1; print }'
}

is_number() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	*) return 0 ;;
	esac
}

nap() {
	sleep 0.05 2>/dev/null || sleep 1
}

# A debug kernel (KASAN, lockdep) runs everything several times slower:
# the test VM says how much in $MINIPROC_SLOWDOWN (tools/vm/init). Waits
# a test choreographs against the clock are scaled by it:
#   ms N        N milliseconds, scaled
#   sleep_ms N  sleep that long
slow=${MINIPROC_SLOWDOWN:-1}
ms() {
	echo $(($1 * slow))
}
sleep_ms() {
	sleep "$(awk -v m="$1" -v s="$slow" 'BEGIN { printf "%.3f", m * s / 1000 }')"
}

# json_get PID KEY: KEY of PID's `status --json`, empty if that fails.
json_get() {
	"$MP" status --json "$1" 2>/dev/null | "$JC" --get "$2" 2>/dev/null
}

# wait_for PID KEY VALUE: poll until KEY of PID is VALUE (10 s at most).
wait_for() {
	i=0
	while [ "$i" -lt 200 ]; do
		[ "$(json_get "$1" "$2")" = "$3" ] && return 0
		nap
		i=$((i + 1))
	done
	return 1
}

# spawn ARGS...: `miniproc create ARGS`, remembering the pid in $pid.
spawn() {
	mp create "$@"
	pid=$out
	if [ "$rc" = 0 ] && is_number "$pid"; then
		created="$created $pid"
		return 0
	fi
	pid=
	return 1
}

# my_pids: pids of this uid's processes, from `ps --json`; not init
# (pid 1), which root owns but which counts against no user.
my_pids() {
	uid=$(id -u)
	"$MP" ps --json >"$tmp/ps.json" || return
	len=$("$JC" --length "$tmp/ps.json") || return
	i=0
	while [ "$i" -lt "$len" ]; do
		if [ "$("$JC" --get "$i.uid" "$tmp/ps.json")" = "$uid" ] &&
			[ "$("$JC" --get "$i.pid" "$tmp/ps.json")" != 1 ]; then
			"$JC" --get "$i.pid" "$tmp/ps.json"
		fi
		i=$((i + 1))
	done
}

# kids PID: the pids of PID's children, from ps.
kids() {
	"$MP" ps | awk -v p="$1" 'NR > 1 && $2 == p { print $1 }'
}

# wait_gone PID: poll until PID is reaped (10 s at most).
wait_gone() {
	i=0
	while "$MP" status "$1" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || return 1
		nap
	done
}

# tree_name PID: what `ps --tree` in $out shows after PID's TIME: the
# glyphs and the name.
tree_name() {
	printf '%s\n' "$out" |
		awk -v p="$1" '$1 == p { sub(/^.* [0-9]+\.[0-9][0-9][0-9] /, ""); print }'
}

# line_of PID: the line number of PID's row in $out.
line_of() {
	printf '%s\n' "$out" | awk -v p="$1" '$1 == p { print NR; exit }'
}

# trace_row PID: the ticks of PID's row in the timeline in $out.
trace_row() {
	printf '%s\n' "$out" | awk -v p="$1" '$1 == p && NF == 3 { print $3; exit }'
}

# Who owns what root creates, as ps shows it: root, or 0 without a name.
user=root
grep -q '^root:' /etc/passwd 2>/dev/null || user=0

# before_alone: note the processes this user already has (in $before), so
# that check_alone can skip what they would disturb.
before_alone() {
	before=$(my_pids | tr '\n' ' ' | sed 's/^/ /; s/ $//')
	[ -z "$before" ] || echo "# this user already has processes:$before"
}

# finish: check that nothing of ours is left, print the plan, exit 1 if
# any test failed.
finish() {
	after=$(my_pids | tr '\n' ' ' | sed 's/^/ /; s/ $//')
	check "nothing of ours is left" '[ "$after" = "$before" ]'
	echo "1..$n"
	if [ "$failed" != 0 ]; then
		echo "# $failed of $n failed"
		exit 1
	fi
	exit 0
}
