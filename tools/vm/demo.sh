#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: the narrated tour of miniproc that `make demo` runs inside the
# VM, with miniproc.ko loaded and the CLI on PATH. Each step says what it
# shows, prints the command, then runs it. A failing step is reported and
# the tour goes on, so one problem does not hide the rest.
set -u

say() {
	printf '\n==> %s\n' "$*"
}

# run CMD...: show the command, run it, show a non-zero exit status.
run() {
	printf '$ %s\n' "$*"
	"$@"
	status=$?
	if [ "$status" -ne 0 ]; then
		printf '(exit status %d)\n' "$status"
	fi
	return "$status"
}

# create NAME PROGRAM: create a mini-process and print its pid.
create() {
	printf '$ miniproc create -n %s '\''%s'\''\n' "$1" "$2" >&2
	miniproc create -n "$1" "$2"
}

if ! command -v miniproc >/dev/null || [ ! -e /dev/miniproc ]; then
	echo "demo: needs the miniproc CLI on PATH and /dev/miniproc" >&2
	exit 1
fi

say "miniproc runs mini-processes: kernel threads that follow a small program through xv6's states"
say "What the loaded module offers:"
run miniproc info

say "A worker: 5 ms of CPU, a 10 ms sleep, three rounds of 1 ms CPU + yield, exit 7"
worker=$(create worker 'cpu:5ms sleep:10ms 3*(cpu:1ms yield) exit:7')
echo "pid $worker"

say "A ticker that never ends: 2 ms of CPU, then 8 ms asleep, forever"
ticker=$(create ticker '*(cpu:2ms sleep:8ms)')
echo "pid $ticker"

say "Three spinners on two CPUs: RUNNING while on one, RUNNABLE while waiting for one"
spin1=$(create spin1 '*(cpu:10ms)')
spin2=$(create spin2 '*(cpu:10ms)')
spin3=$(create spin3 '*(cpu:10ms)')
echo "pids $spin1 $spin2 $spin3"

say "A sleeper, SLEEPING on the channel \"sleep\" for a minute"
sleeper=$(create sleeper 'sleep:60s')
echo "pid $sleeper"

sleep 1
say "The process table, like xv6's procdump: state, channel, CPU time"
run miniproc ps

say "The worker has finished: a ZOMBIE until waited for. wait reaps it, with its exit status 7"
run miniproc wait "$worker"

say "Suspend the ticker: it stops at its next safe point, SLEEPING on \"suspended\""
run miniproc suspend "$ticker"
run miniproc status "$ticker"

say "Resume it: it carries on where it stopped"
run miniproc resume "$ticker"
run miniproc status "$ticker"

say "Kill a spinner and wait for it in one step: it ends with a killed status"
run miniproc kill --wait "$spin1"

say "Kill the sleeper: it is woken from its sleep to die"
run miniproc kill "$sleeper"
run miniproc wait "$sleeper"

say "The same table as JSON, for scripts"
run miniproc ps --json

say "'run' creates a process, waits for it and exits with its status"
run miniproc run 'cpu:3ms sleep:5ms exit:42'

say "Nothing of ours has ended, so a wait that must not block returns at once"
run miniproc wait --nohang

say "Kill everything that is left and reap it"
run miniproc kill "$ticker" "$spin2" "$spin3"
for pid in "$ticker" "$spin2" "$spin3"; do
	run miniproc wait "$pid"
done
run miniproc ps

say "Parent and child: a program can fork children and wait for them. This one forks two"
say "children that sleep; one of them forks a grandchild and ends first, so init (pid 1) adopts it"
tree=$(create tree 'fork(sleep:600ms exit:1) fork(fork(sleep:900ms exit:3) sleep:200ms exit:2) wait wait exit:0')
echo "pid $tree"
sleep 0.1
run miniproc ps --tree
sleep 0.3
say "The middle child has ended and been reaped; its child now hangs under init"
run miniproc ps --tree

say "The whole life of one process, from the scheduler's own events: R running, r runnable, s sleeping, Z zombie"
say "(a CPU-bound and an I/O-bound process pinned to one CPU: each wakeup of the I/O one waits for the CPU)"
hog=$(miniproc create -n cpu-bound --cpu 0 'cpu:300ms')
io=$(miniproc create -n io-bound --cpu 0 '20*(cpu:1ms sleep:9ms)')
run miniproc trace --duration 100ms --tick 2ms "$hog" "$io"
run miniproc wait "$tree"
run miniproc kill --wait "$hog" "$io"

say "That was miniproc. 'make shell' gives a VM shell to try it yourself."
