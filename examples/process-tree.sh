#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# process-tree.sh: a parent, two children and a grandchild, made with the
# fork op; the parent reaps its children with the wait op; an orphan goes to
# init (pid 1), which reaps it when it ends.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

say "A program can start children: fork( ... ) starts one that runs the ops" \
    "inside, wait blocks until one of them has ended and reaps it. This one" \
    "forks A (20 ms of CPU, a second asleep, exit 1) and B (which forks C," \
    "sleeps half a second, exits 2), then waits for both and exits 0. C sleeps" \
    "two seconds and exits 3."
trace_bg --duration 2500ms
spawn -n tree 'fork(cpu:20ms sleep:1s exit:1) fork(fork(sleep:2s exit:3) sleep:500ms exit:2) wait wait exit:0'
parent=$pid
sleep 0.3

say "ps --tree draws each process under its parent. The parent is SLEEPING on" \
    "\"wait\": it waits for a child to end. Children inherit their parent's name."
run ps --tree

sleep 0.5
say "B has ended: the parent's first wait reaped it at once. Its child C was" \
    "left without a parent: init, pid 1, adopted it (its PPID is now 1)."
run ps --tree

sleep 0.6
say "A has ended too; the parent reaped it and ran off its end: it is a ZOMBIE," \
    "for its creator (us) to reap with miniproc wait. C still sleeps under init."
run ps --tree
run wait "$parent"

sleep 1.2
say "C has ended: init reaped it, so it is gone without anyone waiting for it."
run ps --tree

say "The whole story as a timeline, one character per 50 ms. The parent is w" \
    "(waiting for a child) until both are reaped, then Z until we reaped it." \
    "Each child is . (not there) until it is forked, s while it sleeps, and" \
    ". again once reaped: its zombie time is too short to see, as its parent," \
    "or init, was waiting for it already. Init waits the whole time; it ran" \
    "a fraction of a millisecond to reap C, which only its totals show."
trace_show
ex_pids=
