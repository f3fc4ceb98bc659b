#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# miniproc_cli_proc.sh: tests of the miniproc command for parent and child
# and for watching processes, against the loaded module: init (pid 1), the
# fork and wait ops, zombies and orphans, ps --tree, top (also on a
# pseudo-terminal, with pty_run) and trace (text and SVG). TAP output; exit
# 1 if any test failed, 4 (kselftest's skip) if /dev/miniproc is absent.
# The environment and helpers: lib.sh.
#
# Timelines come from real scheduling in a slow VM, so the checks look for
# the order of states (asleep, then running, then a zombie) and lower bounds
# of CPU time, never exact ticks.
#
# shellcheck disable=SC2016,SC2034,SC2317
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

"$MP" info >"$tmp/info" 2>&1
per_uid=$(sed -n 's/^Per-user limit: *\([0-9]*\) .*/\1/p' "$tmp/info")
before_alone

# ------------------------------------------------------------------- init
mp ps
check "ps: init is pid 1, parent 0, owned by root, SLEEPING on wait" \
	'like "$(ps_row 1)" "1 0 $user SLEEPING wait * init"'
mp status --json 1
printf '%s\n' "$out" >"$tmp/init.json"
check "status --json 1: init, with the fork keys" \
	'[ "$rc" = 0 ] && "$JC" --object --keys "$KEY_TYPES" "$tmp/init.json" &&
	 [ "$("$JC" --get name "$tmp/init.json")" = init ]'
for verb in kill suspend resume; do
	mp "$verb" 1
	check "$verb 1: exit 1, init may not be" \
		'[ "$rc" = 1 ] && [ "$err" = "miniproc: $verb 1: operation not permitted: process 1 is init, which may not be killed, suspended or resumed" ]'
done
mp wait --nohang 1
check "wait 1: exit 1, init never ends" \
	'[ "$rc" = 1 ] && [ "$err" = "miniproc: wait 1: no process to wait for: process 1 is init, which never ends" ]'

# --------------------------------------------------------- fork and wait
mp create --dry-run 'fork ( cpu:5ms exit:2 ) wait exit:0'
check "create --dry-run: fork and wait in canonical form" \
	'[ "$rc" = 0 ] && [ "$out" = "fork(cpu:5ms exit:2) wait exit:0" ]'
spawn -n forkwait 'fork(cpu:5ms exit:2) wait exit:0'
fw=$pid
check "fork then wait: the parent ends with 0, one fork, no child left" \
	'wait_for "$fw" state zombie && [ "$(json_get "$fw" exit_status)" = 0 ] &&
	 [ "$(json_get "$fw" nr_forks)" = 1 ] &&
	 [ "$(json_get "$fw" nr_children)" = 0 ] &&
	 [ "$(json_get "$fw" fork_error)" = 0 ]'
mp status "$fw"
check "status: children started and unreaped, no fork error" \
	'line_in "$out" "^Children started: *1\$" &&
	 line_in "$out" "^Children (unreaped): *0\$" &&
	 line_in "$out" "^Fork error: *none\$"'
mp wait "$fw"
check "wait of the parent: exit 0" \
	'[ "$rc" = 0 ] && has "$out" "pid $fw exited with status 0"'

# A zombie left unreaped: the child ends while its parent sleeps.
spawn -n zparent 'fork(cpu:1ms exit:3) sleep:3600s'
zp=$pid
zc=
i=0
while [ -z "$zc" ] && [ "$i" -lt 200 ]; do
	zc=$(kids "$zp")
	[ -n "$zc" ] || nap
	i=$((i + 1))
done
created="$created $zc"
check "fork: the child has the parent's pid as ppid, name and owner" \
	'is_number "$zc" && [ "$(json_get "$zc" ppid)" = "$zp" ] &&
	 [ "$(json_get "$zc" name)" = zparent ] &&
	 [ "$(json_get "$zc" uid)" = "$(id -u)" ]'
check "the child ends: a ZOMBIE with status 3 while its parent sleeps" \
	'wait_for "$zc" state zombie && [ "$(json_get "$zc" exit_status)" = 3 ] &&
	 [ "$(json_get "$zp" nr_children)" = 1 ]'
LANG=C mp ps --tree
check "ps --tree: the zombie child under its parent" \
	'[ "$rc" = 0 ] &&
	 [ "$(printf "%s\n" "$out" | head -n 1 | tr -s " ")" = "PID PPID USER STATE CHAN CPU TIME NAME" ] &&
	 [ "$(tree_name "$zp")" = zparent ] && [ "$(tree_name "$zc")" = "\`- zparent" ] &&
	 [ "$(line_of "$zc")" = $(($(line_of "$zp") + 1)) ] &&
	 like "$(ps_row "$zc")" "$zc $zp * ZOMBIE - *"'
check "ps --tree: init first, with no glyphs" \
	'[ "$(line_of 1)" = 2 ] && [ "$(tree_name 1)" = init ]'
LANG=C.UTF-8 mp ps --tree
check "ps --tree in a UTF-8 locale: box-drawing glyphs" \
	'[ "$(tree_name "$zc")" = "$(printf "\342\224\224\342\224\200 zparent")" ]'
LANG=C.UTF-8 mp ps --tree --ascii
check "ps --tree --ascii: ASCII glyphs even so" \
	'[ "$(tree_name "$zc")" = "\`- zparent" ]'
mp wait "$zc"
check "wait of a forked child: exit 1, its parent or init reaps it" \
	'[ "$rc" = 1 ] && [ "$err" = "miniproc: wait $zc: no process to wait for: process $zc is a child of process $zp, which reaps it with its wait op (or init does, once its parent has ended)" ]'
"$MP" kill "$zp" >/dev/null 2>&1
check "the parent ends: init adopts the zombie and reaps it" \
	'wait_for "$zp" state zombie && wait_gone "$zc"'
mp wait "$zp"
check "wait of the parent that left a zombie: exit 0, it was killed" \
	'[ "$rc" = 0 ] && has "$out" "pid $zp was killed"'

# A tree: orphans go to init, under it in ps --tree.
spawn -n tree 'fork(sleep:3600s) fork(fork(sleep:3600s) sleep:3600s) sleep:3600s'
tp=$pid
i=0
while [ "$(json_get "$tp" nr_forks)" != 2 ] && [ "$i" -lt 200 ]; do
	nap
	i=$((i + 1))
done
# shellcheck disable=SC2046 # one word per pid
set -- $(kids "$tp")
t1=${1:-} t2=${2:-}
t3=
i=0
while [ -z "$t3" ] && [ -n "$t2" ] && [ "$i" -lt 200 ]; do
	t3=$(kids "$t2")
	[ -n "$t3" ] || nap
	i=$((i + 1))
done
created="$created $t1 $t2 $t3"
LANG=C mp ps --tree
check "ps --tree: two children, a grandchild, in pid order" \
	'[ -n "$t3" ] && [ "$(tree_name "$t1")" = "|- tree" ] &&
	 [ "$(tree_name "$t2")" = "\`- tree" ] &&
	 [ "$(tree_name "$t3")" = "   \`- tree" ] &&
	 [ "$(line_of "$t1")" = $(($(line_of "$tp") + 1)) ] &&
	 [ "$(line_of "$t3")" = $(($(line_of "$t2") + 1)) ]'
"$MP" kill --wait "$tp" >/dev/null 2>&1
LANG=C mp ps --tree
check "its parent gone, the children are init's, drawn under it" \
	'[ "$(json_get "$t1" ppid)" = 1 ] && [ "$(json_get "$t2" ppid)" = 1 ] &&
	 [ "$(line_of "$t1")" -gt "$(line_of 1)" ] &&
	 has "$(tree_name "$t1")" "- tree" && [ "$(tree_name "$t3")" = "   \`- tree" ]'
mp kill --wait "$t3" "$t2" "$t1"
check "kill --wait of forked processes: each reaped, exit 0" \
	'[ "$rc" = 0 ] && [ "$(printf "%s\n" "$out" | grep -c "was killed")" = 3 ]'

# Forks past a limit: the fork fails, the program goes on, the error stays.
spawn -n forker "$((MINIPROC_CHILDREN_MAX + 8))*(fork(sleep:3600s)) sleep:3600s"
fp=$pid
check "forks past a limit: the parent goes on to its sleep" \
	'wait_for "$fp" chan sleep && [ "$(json_get "$fp" fork_error)" != 0 ]'
mp status "$fp"
forks=$(json_get "$fp" nr_forks)
created="$created $(kids "$fp")"
check "status: the failed fork as a sentence" \
	'line_in "$out" "^Fork error: *last failed fork: " &&
	 { has "$out" "per-user limit (EAGAIN)" || has "$out" "not yet reaped, the most a process may have (EMLINK)"; }'
check_alone "the fork that failed is the one past the per-user limit or $MINIPROC_CHILDREN_MAX children" \
	'{ [ "$forks" = $((per_uid - 1)) ] && has "$out" "(EAGAIN)"; } ||
	 { [ "$forks" = "$MINIPROC_CHILDREN_MAX" ] && has "$out" "(EMLINK)"; }'
# shellcheck disable=SC2046 # one argument per pid
"$MP" kill --wait $(kids "$fp") "$fp" >/dev/null 2>&1

# -------------------------------------------------------------------- top
spawn -n spinner --cpu 0 '*(cpu:10ms)'
spin=$pid
spawn -n idler 'sleep:3600s'
idle=$pid
wait_for "$idle" state sleeping
mp top --once
pct=$(ps_row "$spin" | awk '{ print $4 }')
check "top --once: a summary, the header, a row per process, exit 0" \
	'[ "$rc" = 0 ] && has "$out" "miniproc top: " && has "$out" "CPU use: " &&
	 line_in "$out" "^PID USER *STATE *CPU% *NVCSW *NIVCSW *TIME NAME\$" &&
	 [ -n "$(ps_row 1)" ] && [ -n "$(ps_row "$idle")" ]'
check "top --once: the spinner uses a good part of a CPU, the sleeper none" \
	'is_number "${pct%.*}" && [ "${pct%.*}" -ge 30 ] &&
	 [ "$(ps_row "$idle" | awk "{ print \$4 }")" = 0.0 ]'
check "top --once: busiest first" \
	'[ "$(line_of "$spin")" -lt "$(line_of "$idle")" ] &&
	 [ "$(printf "%s\n" "$out" | awk "/^ *PID/ { getline; print \$1 }")" = "$spin" ]'
check "top --once: no escape codes" '! has "$out" "$ESC"'
mp top --iterations 2 --interval 100ms
check "top into a pipe: one table per interval, no escape codes" \
	'[ "$rc" = 0 ] && [ "$(printf "%s\n" "$out" | grep -c "^miniproc top: ")" = 2 ] &&
	 ! has "$out" "$ESC"'

if [ -x "$PTY" ]; then
	last="pty_run -a 1500 -k q miniproc top --interval 200ms"
	"$PTY" -a 1500 -k q "$MP" top --interval 200ms >"$tmp/out" 2>"$tmp/err"
	rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
	check "top on a terminal: redrawn in place, q quits, terminal restored" \
		'[ "$rc" = 0 ] && [ "$err" = "pty_run: exit 0, terminal restored" ] &&
		 has "$out" "${ESC}[H" && has "$out" "${ESC}[?25l" &&
		 has "$out" "${ESC}[?25h" && has "$out" "q quits" &&
		 has "$out" "spinner"'
	for s in 15:143 2:0; do
		last="pty_run -a 1000 -s ${s%:*} miniproc top"
		"$PTY" -a 1000 -s "${s%:*}" "$MP" top >"$tmp/out" 2>"$tmp/err"
		rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
		check "top on a terminal, signal ${s%:*}: exit ${s#*:}, terminal restored" \
			'[ "$err" = "pty_run: exit ${s#*:}, terminal restored" ] &&
			 has "$out" "${ESC}[?25h"'
	done
else
	for t in "top on a terminal" "top and SIGTERM" "top and SIGINT"; do
		skip "$t" "no pty_run at $PTY"
	done
fi

# ------------------------------------------------------------------ trace
spawn -n io --cpu 0 '*(cpu:1ms sleep:9ms)'
io=$pid
# Ticks of 1 ms: the I/O-bound process runs 1 ms at a time, and a tick
# shows the state that held most of it.
mp trace --duration 300ms --tick 1ms --svg "$tmp/all.svg"
check "trace: a header, the axis, a row per process, exit 0" \
	'[ "$rc" = 0 ] && has "$out" "miniproc trace: 300.0ms, " &&
	 line_in "$out" "^  PID NAME  time (ms) 0 " &&
	 [ -n "$(trace_row 1)" ] && [ -n "$(trace_row "$spin")" ] &&
	 [ -n "$(trace_row "$io")" ] && [ -n "$(trace_row "$idle")" ]'
check "trace: init waits, the idler sleeps, the spinner runs" \
	'like "$(trace_row 1)" "ww*" && ! has "$(trace_row 1)" "R" &&
	 ! has "$(trace_row "$idle")" "R" && like "$(trace_row "$idle")" "ss*" &&
	 has "$(trace_row "$spin")" R'
check "trace: sharing CPU 0, the I/O-bound one runs, sleeps and waits" \
	'has "$(trace_row "$io")" s && has "$(trace_row "$io")" R'
check "trace: every row as long as the axis" \
	'len=$(trace_row 1 | wc -c) &&
	 [ "$(trace_row "$spin" | wc -c)" = "$len" ] &&
	 [ "$(trace_row "$io" | wc -c)" = "$len" ]'
check "trace: legend, totals, lost events" \
	'has "$out" "Legend: R running, r runnable, s sleeping, S suspended, w waiting for a child, Z zombie, E embryo, . not there" &&
	 line_in "$out" "^ *PID NAME *RUNNING *RUNNABLE *SLEEPING *ZOMBIE *NVCSW *NIVCSW\$" &&
	 line_in "$out" "^ *$spin spinner *[0-9.]*ms *[0-9]*%" &&
	 line_in "$out" "^Events lost: "'
check "trace --svg: says where the picture is" \
	'has "$out" "The timeline as a picture: $tmp/all.svg"'
check "trace --svg: an SVG document" \
	'[ "$(head -c 4 "$tmp/all.svg")" = "<svg" ] &&
	 [ "$(tail -n 1 "$tmp/all.svg")" = "</svg>" ] &&
	 [ "$(grep -c "<svg" "$tmp/all.svg")" = 1 ]'
check "trace --svg: a row per process" \
	'grep -q "<g id=\"pid-1\">" "$tmp/all.svg" &&
	 grep -q "<g id=\"pid-$spin\">" "$tmp/all.svg" &&
	 grep -q "<g id=\"pid-$io\">" "$tmp/all.svg" &&
	 [ "$(grep -c "<g id=\"pid-" "$tmp/all.svg")" = "$(printf "%s\n" "$out" | awk "NF == 3 && \$1 ~ /^[0-9]+\$/" | wc -l)" ]'
check "trace --svg: elements closed, colours, axis, legend" \
	'[ "$(grep -o "<g" "$tmp/all.svg" | wc -l)" = "$(grep -o "</g>" "$tmp/all.svg" | wc -l)" ] &&
	 [ "$(grep -o "<text" "$tmp/all.svg" | wc -l)" = "$(grep -o "</text>" "$tmp/all.svg" | wc -l)" ] &&
	 grep -q "fill=\"#009e73\"" "$tmp/all.svg" && grep -q "time (ms)" "$tmp/all.svg" &&
	 grep -q ">waiting for a child</text>" "$tmp/all.svg"'
# A user reads events from max_readers_per_uid files at most: with the
# limit at 1 and one trace holding it, another is refused with a sentence.
readers_param=/sys/module/miniproc/parameters/max_readers_per_uid
readers_max=$(cat "$readers_param")
echo 1 >"$readers_param"
# The holder may lose the race for the one place to a try of ours (it is
# then refused and ends): start it again until a try meets it in place.
holder=
tries=0
while [ "$tries" -lt 40 ]; do
	tries=$((tries + 1))
	if [ -z "$holder" ] || ! kill -0 "$holder" 2>/dev/null; then
		[ -z "$holder" ] || wait "$holder" 2>/dev/null
		"$MP" trace --duration 60s >/dev/null 2>"$tmp/holder.err" &
		holder=$!
		sleep 0.5
		continue
	fi
	mp trace --duration 10ms
	[ "$rc" = 0 ] || break
	sleep 0.25
done
check "trace past max_readers_per_uid: refused with a sentence naming the limit" \
	'[ "$rc" != 0 ] && has "$err" "trace" && has "$err" "you already read events from 1 file at once" &&
	 has "$err" "max_readers_per_uid"' ||
	echo "#   the other trace: $(kill -0 "$holder" 2>&1 && echo running) $(cat "$tmp/holder.err")"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
echo "$readers_max" >"$readers_param"
mp trace --duration 10ms
check "trace once the other reader is gone: exit 0" '[ "$rc" = 0 ]'

mp trace --duration 100ms --svg - "$spin" "$io"
check "trace --svg -: the SVG alone on standard output, two PIDs" \
	'[ "$rc" = 0 ] && [ "$(printf "%s" "$out" | head -c 4)" = "<svg" ] &&
	 has "$out" "<g id=\"pid-$spin\">" && has "$out" "<g id=\"pid-$io\">" &&
	 ! has "$out" "pid-1\"" && ! has "$out" "Legend:"'
mp trace 999999
check "trace of a pid that is not there: exit 1, names it" \
	'[ "$rc" = 1 ] && [ "$err" = "miniproc: trace 999999: no such process" ]'
"$MP" kill --wait "$spin" "$io" "$idle" >/dev/null 2>&1

# One PID, until it ends: it sleeps, runs 20 ms, sleeps, runs 20 ms, exits.
# The first sleep is long enough for the tracer to start before it ends,
# which on a debug kernel under emulation, on a busy machine, took a second;
# the rest is scaled with it, so that each part still fills a character of
# the timeline, whose scale follows the whole trace's length.
spawn -n life "sleep:$(ms 600)ms cpu:$(ms 20)ms sleep:$(ms 50)ms cpu:$(ms 20)ms exit:4"
lp=$pid
mp trace "$lp"
row=$(trace_row "$lp")
run_ms=$(printf '%s\n' "$out" | awk -v p="$lp" '$1 == p && NF > 3 { sub(/ms$/, "", $3); print int($3) }')
check "trace PID: stops by itself once it has ended" \
	'[ "$rc" = 0 ] && [ -n "$row" ] && like "$row" "*Z"'
check "trace PID: asleep, running, asleep, running, a zombie" \
	'like "$row" "s*R*s*R*Z" && like "$row" "s*"'
check "trace PID: at least its 40 ms of CPU time in RUNNING" \
	'is_number "$run_ms" && [ "$run_ms" -ge 38 ]'
"$MP" wait "$lp" >/dev/null 2>&1

# A suspended process reads 'S'.
spawn -n susp "sleep:$(ms 100)ms *(cpu:5ms)"
sp=$pid
"$MP" trace --duration "$(ms 1000)ms" "$sp" >"$tmp/trace.out" 2>&1 &
tr=$!
sleep_ms 300
"$MP" suspend "$sp"
sleep_ms 300
"$MP" resume "$sp"
wait "$tr"
rc=$? out=$(cat "$tmp/trace.out") err=
last="miniproc trace --duration $(ms 1000)ms $sp (suspended and resumed meanwhile)"
check "trace: suspended is S, between running" \
	'[ "$rc" = 0 ] && like "$(trace_row "$sp")" "*R*S*R*"'
"$MP" kill --wait "$sp" >/dev/null 2>&1

# Lost events, made on purpose: the tracer is stopped while two processes
# yield to each other on one CPU, far more events than its buffer holds.
spawn -n yield1 --cpu 0 '*(yield)'
y1=$pid
spawn -n yield2 --cpu 0 '*(yield)'
y2=$pid
# No --duration: it records until both have ended, so that what it reads
# once it goes on (the newest events, the oldest overwritten) is in its
# window however long the stop took.
"$MP" trace --svg "$tmp/lost.svg" "$y1" "$y2" >"$tmp/trace.out" 2>&1 &
tr=$!
sleep_ms 300
kill -STOP "$tr"
# Until they have switched more often than the ring holds events (two
# events a switch, every reader sharing one ring of MINIPROC_EVENT_BUFFER):
# a slow kernel takes longer to get there than a fast one.
sw0=$(($(json_get "$y1" nr_sched_in) + $(json_get "$y2" nr_sched_in)))
i=0
while [ "$i" -lt 600 ]; do
	sw=$(($(json_get "$y1" nr_sched_in) + $(json_get "$y2" nr_sched_in)))
	[ $((sw - sw0)) -gt "$MINIPROC_EVENT_BUFFER" ] && break
	sleep 0.1
	i=$((i + 1))
done
kill -CONT "$tr"
sleep_ms 300
"$MP" kill --wait "$y1" "$y2" >/dev/null 2>&1
wait "$tr"
rc=$? out=$(cat "$tmp/trace.out") err=
last="miniproc trace $y1 $y2 (stopped for $((sw - sw0)) switches meanwhile, then both killed)"
check "trace: events lost while it was stopped are counted, where they were lost" \
	'[ "$rc" = 0 ] && line_in "$out" "^Events lost: [1-9][0-9]*: " &&
	 line_in "$out" "^  [0-9.]*ms to [0-9.]*ms: [1-9][0-9]* events\$"'
check "trace: rows show ? where events were lost, the legend says so" \
	'has "$(trace_row "$y1")" "?" && has "$(trace_row "$y2")" "?" &&
	 has "$out" ", ? events were lost here"'
check "trace --svg: lost events in the picture" \
	'grep -q "events were lost (the reader fell behind)" "$tmp/lost.svg"'

# fork and wait as a timeline: the child is born, runs, ends and is reaped
# while its parent waits for it. The trace starts first (starting it can
# take a second on a debug kernel under emulation), then the family comes.
"$MP" trace --duration "$(ms 2000)ms" >"$tmp/trace.out" 2>&1 &
tr=$!
sleep_ms 500
spawn -n family "sleep:$(ms 300)ms fork(cpu:$(ms 60)ms exit:1) wait sleep:$(ms 100)ms exit:0"
fa=$pid
wait "$tr"
rc=$? out=$(cat "$tmp/trace.out") err=
last="miniproc trace --duration $(ms 2000)ms (family created $(ms 500) ms in)"
fc=$(printf '%s\n' "$out" | awk -v p="$fa" '$2 == "family" && NF == 3 && $1 != p { print $1; exit }')
check "trace: the parent waits for its child ('w')" \
	'[ "$rc" = 0 ] && like "$(trace_row "$fa")" "*s*w*"'
check "trace: the child is not there, then runs, then is reaped" \
	'is_number "$fc" && like "$(trace_row "$fc")" ".*R*." &&
	 ! has "$(trace_row "$fc")" w'
"$MP" wait "$fa" >/dev/null 2>&1

# --------------------------------------------------------------- the end
finish
