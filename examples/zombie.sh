#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# zombie.sh: a child that ends while its parent does not wait for it stays a
# zombie: its exit status is kept for a wait that does not come. When the
# parent ends, init (pid 1) adopts the zombie and reaps it.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

say "The parent forks a child that computes 1 ms and exits with status 7;" \
    "the parent never waits: it sleeps 2 s and exits."
trace_bg --duration 3s
spawn -n parent 'fork(cpu:1ms exit:7) sleep:2s exit:0'
parent=$pid
sleep 0.4
child=$(kids "$parent")

say "The child has ended, but it is still in the table: a ZOMBIE under its" \
    "parent, holding its exit status until someone reaps it."
run ps --tree
run status "$child"

say "Only its parent may reap it, with a wait op; miniproc wait may not:"
run wait "$child"

sleep 2
say "The parent has ended. Its child went to init, which reaps every zombie" \
    "it inherits: the child is gone. The parent, created by us, is a zombie" \
    "now, until we reap it."
run ps --tree
run status "$child"
run wait "$parent"

say "As a timeline, one character per 50 ms: the child's few ms of CPU are" \
    "too short to show (its totals have them); then it is a zombie (Z) for" \
    "two seconds, and gone (.) once init adopted and reaped it. The parent" \
    "sleeps (s), then is a zombie until we reaped it."
trace_show
ex_pids=
