# SPDX-License-Identifier: GPL-2.0
#
# lib.sh: what the examples share. Each example sources it, then tells its
# story with say (narration), run (show a miniproc command, then run it)
# and spawn (create a process, remember it). Works with busybox sh.
#
#   MINIPROC_CLI  the miniproc command (default: miniproc from PATH)
#
# Whatever an example created is killed and reaped when it exits, even if
# it is interrupted.
# shellcheck shell=sh
set -u

MP=${MINIPROC_CLI:-miniproc}
if ! command -v "$MP" >/dev/null 2>&1; then
	echo "${0##*/}: needs the miniproc command on PATH (make install), or MINIPROC_CLI" >&2
	exit 1
fi
if [ ! -e /dev/miniproc ]; then
	echo "${0##*/}: needs the miniproc module loaded (sudo modprobe miniproc)" >&2
	exit 1
fi

ex_pids=
ex_tmp=$(mktemp -d /tmp/miniproc-example.XXXXXX)

ex_cleanup() {
	for p in $ex_pids; do
		"$MP" kill --wait "$p" >/dev/null 2>&1
	done
	rm -rf "$ex_tmp"
}
trap ex_cleanup EXIT
trap 'exit 1' INT TERM

# say LINE...: a paragraph of the story, one argument a line.
say() {
	printf '\n'
	for line in "$@"; do
		printf '%s\n' "$line"
	done
}

# ex_show ARGS...: "$ miniproc ARGS" as one would type it.
ex_show() {
	printf '$ miniproc'
	for a in "$@"; do
		case $a in
		'' | *[!A-Za-z0-9_./:=,+-]*) printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
}

# run ARGS...: show `miniproc ARGS`, run it; a failure is shown, not fatal.
run() {
	ex_show "$@"
	"$MP" "$@"
	status=$?
	[ "$status" = 0 ] || printf '(exit status %d)\n' "$status"
	return 0
}

# spawn ARGS...: show and run `miniproc create ARGS`; the pid in $pid.
spawn() {
	ex_show create "$@"
	pid=$("$MP" create "$@") || exit 1
	echo "$pid"
	ex_pids="$ex_pids $pid"
}

# kids PID: the pids of PID's children.
kids() {
	"$MP" ps | awk -v p="$1" 'NR > 1 && $2 == p { print $1 }'
}

# trace_bg ARGS...: start `miniproc trace ARGS` in the background, its
# output kept for trace_show; give it a moment to take its first snapshot.
trace_bg() {
	ex_show trace "$@"
	echo "(recording in the background)"
	"$MP" trace "$@" >"$ex_tmp/trace" 2>&1 &
	ex_trace=$!
	sleep 0.2
}

# trace_show: wait for the background trace to finish and show what it drew.
trace_show() {
	wait "$ex_trace"
	cat "$ex_tmp/trace"
}
