#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# suspend.sh: a process stopped with suspend and let go with resume. While
# suspended it is SLEEPING on "suspended" and gets no CPU; resumed, it goes
# on where it stopped.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

say "A worker computes 5 ms and sleeps 5 ms, forever."
spawn -n worker '*(cpu:5ms sleep:5ms)'
worker=$pid
trace_bg --duration 1200ms "$worker"

sleep 0.3
say "Suspend it: it stops at its next safe point (a cpu op reaches one every" \
    "millisecond), and suspend returns once it has."
# shellcheck disable=SC3044 # an argument, not the builtin
run suspend "$worker"
run status "$worker"

sleep 0.5
say "Half a second later its CPU time has not moved. Resume it:"
run ps
run resume "$worker"

say "As a timeline: R and s alternate, then a stretch of S (suspended) in" \
    "which it gets no CPU at all, then R and s again."
trace_show

say "The end: kill it and reap it."
run kill --wait "$worker"
ex_pids=
