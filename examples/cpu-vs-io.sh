#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cpu-vs-io.sh [SVG]: a CPU-bound and an I/O-bound process share one CPU.
#
# The CPU-bound one only computes; the I/O-bound one computes 5 ms, then
# sleeps 20 ms, the way a program waits for a disk. Both are pinned to CPU 0
# so that they compete for it. top shows their shares of the CPU, trace who
# has it when; with SVG, trace also draws the timeline into that file.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
svg=${1:-}

say "Two processes on CPU 0. The CPU-bound one computes all the time; the" \
    "I/O-bound one computes for 5 ms, then sleeps for 20 ms, as if it waited" \
    "for a disk, and again."
spawn -n cpu-bound --cpu 0 '*(cpu:50ms)'
cpu=$pid
spawn -n io-bound --cpu 0 '*(cpu:5ms sleep:20ms)'
io=$pid

say "top measures each one's share of a CPU. The I/O-bound process asks for" \
    "5 ms in every 25, a fifth of a CPU; it gets a little less, as each time" \
    "it wakes it may have to wait for the CPU. The CPU-bound one takes the" \
    "rest of CPU 0."
sleep 0.5
run top --once

say "trace records every state change the scheduler makes them go through," \
    "for 400 ms, and draws one character per 5 ms: the state that held most" \
    "of those 5 ms."
if [ -n "$svg" ]; then
	run trace --duration 400ms --tick 5ms --svg "$svg" "$cpu" "$io"
else
	run trace --duration 400ms --tick 5ms "$cpu" "$io"
fi

say "What to look for:" \
    "- io-bound: a burst of R (its 5 ms, sometimes split by an r), then s for" \
    "  about four ticks. While it sleeps the CPU is not idle: cpu-bound has it." \
    "- One CPU, one R at a time: when one of them runs, the other is r (ready," \
    "  waiting for the CPU) or s. A process woken from its sleep is r until the" \
    "  scheduler gives it the CPU: at once, or when the other's turn is over." \
    "- cpu-bound never sleeps: it leaves the CPU only when preempted, each" \
    "  time counted in NIVCSW. io-bound leaves it mostly to sleep (NVCSW)." \
    "- The four totals of each process add up to the whole 400 ms."

say "The end: kill both and reap them."
run kill --wait "$cpu" "$io"
ex_pids=
