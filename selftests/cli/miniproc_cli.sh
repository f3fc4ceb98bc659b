#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# miniproc_cli.sh: tests of the miniproc command against the loaded module.
#
# Every subcommand of the foundation, its output, its exit code (0 success,
# 1 failure, 2 usage error), its error sentences and its JSON, checked with
# json_check since there is no jq where this runs (busybox sh in the test
# VM). TAP output; exit 1 if any test failed, 4 (kselftest's skip) if
# /dev/miniproc is absent. The environment and helpers: lib.sh. Parent and
# child, ps --tree, top and trace: miniproc_cli_proc.sh.
#
# It acts on the processes it creates only, and kills them on exit. The
# checks of `wait` without a PID and of the per-user limit need the user to
# have no other processes: they are skipped if it has some when the test
# starts, and no other test may create processes as this user meanwhile.
#
# shellcheck disable=SC2016,SC2034,SC2317
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

# ---------------------------------------------------------------- checker
# json_check must refuse what is not JSON, or the JSON tests prove nothing.
bad=0
for doc in '[1,]' '{"a":1,}' '01' '{"a":1,"a":2}' "{'a':1}" '[1] [2]' \
	'"tab	in"' '{"a"}' 'nul'; do
	if printf '%s' "$doc" | "$JC" 2>/dev/null; then
		echo "# json_check accepted: $doc"
		bad=1
	fi
done
last="json_check" rc=$bad out='' err=''
check "json_check refuses invalid JSON" '[ "$bad" = 0 ]'

# ------------------------------------------------------------------ usage
mp --help
check "--help: usage on stdout, exit 0" \
	'[ "$rc" = 0 ] && has "$out" "Usage: miniproc COMMAND" && [ -z "$err" ]'
mp -h
check "-h: exit 0" '[ "$rc" = 0 ] && has "$out" "Commands:"'
for cmd in create run ps status kill wait suspend resume top trace info \
	homework; do
	mp "$cmd" --help
	check "$cmd --help: usage and examples on stdout, exit 0" \
		'[ "$rc" = 0 ] && has "$out" "Usage: miniproc $cmd" &&
		 has "$out" "Example" && [ -z "$err" ]'
done
mp help kill
check "help kill: the usage of kill" \
	'[ "$rc" = 0 ] && has "$out" "Usage: miniproc kill"'
mp create --help
check "create --help shows example programs" \
	'has "$out" "Examples:" && has "$out" "3*(cpu:1ms yield)"'
mp --version
check "--version: the CLI's and the module's version" \
	'[ "$rc" = 0 ] && has "$out" "miniproc " && has "$out" "module: ABI 1"'

mp
check "no command: usage on stderr, exit 2" \
	'[ "$rc" = 2 ] && has "$err" "Usage:" && [ -z "$out" ]'
mp frobnicate
check "unknown command: exit 2, named" \
	'[ "$rc" = 2 ] && has "$err" "miniproc: unknown command '"'frobnicate'"'"'
mp ps --bogus
check "unknown option: exit 2, named" \
	'[ "$rc" = 2 ] && has "$err" "miniproc: ps: unknown option '"'--bogus'"'"'
mp help frobnicate
check "help of an unknown command: exit 2" '[ "$rc" = 2 ]'

# Usage errors: exit 2 and a sentence, before anything is done.
while read -r args; do
	eval "set -- $args"
	mp "$@"
	check "usage error: miniproc $args" \
		'[ "$rc" = 2 ] && has "$err" "miniproc: " && [ -z "$out" ]'
done <<'EOF'
status
status 1 2
status abc
kill
kill abc
kill 0
kill -- -5
kill 1 x
suspend
resume 1.5
wait 1 2
wait --timeout
wait --timeout 5
wait --timeout 0s
create
create -n 0123456789abcdef yield
create -n 'two words' yield
create --cpu x yield
create --cpu -1 yield
create --autoreap=1 yield
run
run --autoreap yield
ps extra
ps --tree --json
ps --ascii
info extra
create 'fork()'
create 'fork(fork(fork(fork(fork(yield)))))'
create wait:1
top --interval 1ms
top -n x
top extra
trace --duration 5
trace --width 5
trace --tick x
trace 1 abc
EOF
mp kill abc
check "bad pid: named in the sentence" \
	'has "$err" "miniproc: kill: '"'abc'"' is not a valid pid"'

# A program that does not parse: exit 2, the position, a caret under it.
mp create 'cpu:5ms sleep: 3*(yield)'
caret=$(printf '%s\n' "$err" | sed -n 3p)
check "parse error: exit 2, position and what was expected" \
	'[ "$rc" = 2 ] && has "$err" "program:15: expected a duration after '"'sleep:'"'"'
check "parse error: the program, a caret under column 15" \
	'[ "$caret" = "                  ^" ] && has "$err" "    cpu:5ms sleep: 3*(yield)"'
mp run 'cpu:5ms' 'bogus'
check "parse error in run: exit 2, program joined from words" \
	'[ "$rc" = 2 ] && has "$err" "program:9: unknown op '"'bogus'"'"'
mp create --dry-run 'cpu:1000us  3*( yield )' 'exit:7'
check "create --dry-run: canonical program, nothing created" \
	'[ "$rc" = 0 ] && [ "$out" = "cpu:1ms 3*(yield) exit:7" ]'

# ------------------------------------------------------------------- info
mp info
check "info: ABI, table, limits" \
	'[ "$rc" = 0 ] && has "$out" "Module ABI version: 1" &&
	 has "$out" "Process table:" && has "$out" "Per-user limit:" &&
	 has "$out" "Program limits:     256 ops"'
nproc=$(printf '%s\n' "$out" | sed -n 's/^Process table: *[0-9]* of \([0-9]*\) slots.*/\1/p')
per_uid=$(printf '%s\n' "$out" | sed -n 's/^Per-user limit: *\([0-9]*\) .*/\1/p')
check "info: numbers for nproc ($nproc) and per-user limit ($per_uid)" \
	'is_number "$nproc" && is_number "$per_uid"'

# --------------------------------------------------------- wait, nothing
before_alone
[ -n "$before" ] || mp wait
check_alone "wait with no process: exit 1, 'no process to wait for'" \
	'[ "$rc" = 1 ] && [ "$err" = "miniproc: wait: no process to wait for" ]'
[ -n "$before" ] || mp wait --nohang
check_alone "wait --nohang with no process: exit 1, same sentence" \
	'[ "$rc" = 1 ] && has "$err" "no process to wait for"'

# ------------------------------------------------------ a sleeping process
spawn -n sleeper 'sleep:3600s'
check "create: prints the pid alone, exit 0" \
	'[ "$rc" = 0 ] && is_number "$out" && [ -z "$err" ]'
sp=$pid
check "create: it goes SLEEPING on sleep" \
	'wait_for "$sp" state sleeping && [ "$(json_get "$sp" chan)" = sleep ]'

mp ps
header=$(printf '%s\n' "$out" | head -n 1 | tr -s ' ')
row=$(ps_row "$sp")
check "ps: the header" \
	'[ "$rc" = 0 ] && [ "$header" = "PID PPID USER STATE CHAN CPU TIME NAME" ]'
check "ps: a row with owner, state, channel, cpu, time, name" \
	'like "$row" "$sp 0 $user SLEEPING sleep [0-9]* [0-9]*.[0-9][0-9][0-9] sleeper"'

mp ps --json
printf '%s\n' "$out" >"$tmp/ps.json"
check "ps --json: a valid JSON array" \
	'[ "$rc" = 0 ] && "$JC" --array "$tmp/ps.json"'
check "ps --json: each object starts with the contract keys, in order" \
	'"$JC" --first-keys "$CONTRACT_KEYS" "$tmp/ps.json"'
check "ps --json: every key has its type" \
	'"$JC" --keys "$KEY_TYPES" "$tmp/ps.json"'
check "ps --json: state lower case, chan, flags, exit_status null" \
	'[ "$("$JC" --find pid="$sp" --get state "$tmp/ps.json")" = sleeping ] &&
	 [ "$("$JC" --find pid="$sp" --get chan "$tmp/ps.json")" = sleep ] &&
	 [ "$("$JC" --find pid="$sp" --get name "$tmp/ps.json")" = sleeper ] &&
	 [ "$("$JC" --find pid="$sp" --get killed "$tmp/ps.json")" = false ] &&
	 [ "$("$JC" --find pid="$sp" --get exit_status "$tmp/ps.json")" = null ]'

check "ps --json: every state is a lower-case state name" \
	'len=$("$JC" --length "$tmp/ps.json") && i=0 &&
	 while [ "$i" -lt "$len" ]; do
		case $("$JC" --get "$i.state" "$tmp/ps.json") in
		embryo | sleeping | runnable | running | zombie) ;;
		*) exit 1 ;;
		esac
		i=$((i + 1))
	 done'

mp status "$sp"
check "status: one Key: value per line" \
	'[ "$rc" = 0 ] && line_in "$out" "^Pid: *$sp\$" &&
	 line_in "$out" "^State: *SLEEPING\$" &&
	 line_in "$out" "^Wait channel: *sleep\$" &&
	 line_in "$out" "^Name: *sleeper\$" &&
	 line_in "$out" "^User: *$user" &&
	 line_in "$out" "^Killed: *no\$" &&
	 line_in "$out" "^Suspended: *no\$" &&
	 line_in "$out" "^Autoreap: *no\$" &&
	 line_in "$out" "^Exit status: *-\$"'
check "status: times, counters and thread id" \
	'for k in "Start time" Runtime "Voluntary switches" "Involuntary switches" \
		"Times scheduled in" Wakeups Migrations "Thread id" CPU; do
		line_in "$out" "^$k: " || exit 1
	 done'
mp status --json "$sp"
printf '%s\n' "$out" >"$tmp/status.json"
check "status --json: one valid object with the contract keys and types" \
	'[ "$rc" = 0 ] && "$JC" --object --first-keys "$CONTRACT_KEYS" \
		--keys "$KEY_TYPES" "$tmp/status.json"'
check "status --json: pid, state and a tid" \
	'[ "$("$JC" --get pid "$tmp/status.json")" = "$sp" ] &&
	 [ "$("$JC" --get state "$tmp/status.json")" = sleeping ] &&
	 [ "$("$JC" --get tid "$tmp/status.json")" != 0 ]'

[ -n "$before" ] || mp wait --nohang
check_alone "wait --nohang while it sleeps: 'no process has exited yet', exit 0" \
	'[ "$rc" = 0 ] && [ "$out" = "no process has exited yet" ]'
mp wait --nohang "$sp"
check "wait --nohang PID: the same" \
	'[ "$rc" = 0 ] && [ "$out" = "no process has exited yet" ]'
mp wait --timeout 200ms "$sp"
check "wait --timeout: exit 1, a sentence naming the pid" \
	'[ "$rc" = 1 ] && [ "$err" = "miniproc: wait $sp: timed out before it ended" ]'

# ------------------------------------------------------- suspend, resume
mp suspend "$sp"
check "suspend: exit 0, silent" '[ "$rc" = 0 ] && [ -z "$out$err" ]'
check "suspend: suspended, SLEEPING on suspended" \
	'[ "$(json_get "$sp" suspended)" = true ] &&
	 [ "$(json_get "$sp" chan)" = suspended ] &&
	 [ "$(json_get "$sp" state)" = sleeping ]'
mp ps
check "ps: SLEEPING on suspended" \
	'like "$(ps_row "$sp")" "$sp 0 * SLEEPING suspended *"'
mp suspend "$sp"
check "suspend twice: exit 0" '[ "$rc" = 0 ]'
mp resume "$sp"
check "resume: exit 0, no longer suspended" \
	'[ "$rc" = 0 ] && wait_for "$sp" suspended false'

# ------------------------------------------------------------------ kill
mp kill --wait "$sp"
check "kill --wait: how it ended, exit 0" \
	'[ "$rc" = 0 ] && has "$out" "pid $sp was killed (cpu " &&
	 has "$out" " voluntary / " && has "$out" " involuntary switches)"'
mp status "$sp"
check "status of a reaped pid: exit 1, 'no such process'" \
	'[ "$rc" = 1 ] && [ "$err" = "miniproc: status $sp: no such process" ]'
mp kill "$sp"
check "kill of a reaped pid: exit 1, names the pid" \
	'[ "$rc" = 1 ] && [ "$err" = "miniproc: kill $sp: no such process" ]'
mp kill 999999
check "kill of a pid that never was: exit 1, names the pid" \
	'[ "$rc" = 1 ] && has "$err" "kill 999999: no such process"'

spawn 'sleep:3600s'
a=$pid
mp kill "$a" 999998
check "kill A BAD: exit 1, reports BAD only" \
	'[ "$rc" = 1 ] && has "$err" "kill 999998: no such process" && ! has "$err" "kill $a:"'
check "kill A BAD: A was killed anyway, now a killed zombie" \
	'wait_for "$a" state zombie && [ "$(json_get "$a" killed)" = true ]'
check "a killed zombie: exit_status is -1" '[ "$(json_get "$a" exit_status)" = -1 ]'
mp ps
check "ps: a zombie reads ZOMBIE, CHAN -" \
	'like "$(ps_row "$a")" "$a 0 * ZOMBIE - *"'
mp wait "$a"
check "wait PID of a killed process: 'was killed', exit 0" \
	'[ "$rc" = 0 ] && has "$out" "pid $a was killed ("'
mp suspend 999997 999996
check "suspend of two bad pids: exit 1, one sentence each" \
	'[ "$rc" = 1 ] && [ "$(printf "%s\n" "$err" | grep -c "no such process")" = 2 ]'
mp resume 999997
check "resume of a bad pid: exit 1, names it" \
	'[ "$rc" = 1 ] && has "$err" "resume 999997: no such process"'

# ---------------------------------------------------------- exit status
spawn -n seven 'cpu:2ms exit:7'
e=$pid
check "exit:7: a zombie with exit_status 7" \
	'wait_for "$e" state zombie && [ "$(json_get "$e" exit_status)" = 7 ] &&
	 [ "$(json_get "$e" killed)" = false ]'
mp status "$e"
check "status of a zombie: Exit status 7" 'line_in "$out" "^Exit status: *7\$"'
mp wait "$e"
check "wait PID: 'pid N exited with status 7 (cpu ... ms, ...)'" \
	'[ "$rc" = 0 ] && like "$out" "pid $e exited with status 7 (cpu [0-9]*.[0-9][0-9][0-9] ms, [0-9]* voluntary / [0-9]* involuntary switches)"'
spawn 'exit:3'
e=$pid
[ -z "$before" ] || "$MP" wait "$e" >/dev/null 2>&1
[ -n "$before" ] || mp wait
check_alone "wait without PID reaps any: status 3" \
	'[ "$rc" = 0 ] && has "$out" "pid $e exited with status 3 ("'
spawn 'sleep:10ms exit:4'
e=$pid
mp wait --timeout 10s "$e"
check "wait --timeout long enough: exit 0" \
	'[ "$rc" = 0 ] && has "$out" "pid $e exited with status 4"'
mp wait "$e"
check "wait of an already reaped pid: exit 1" \
	'[ "$rc" = 1 ] && has "$err" "wait $e: no such process"'

# -------------------------------------------------------------------- run
mp run 'cpu:1ms exit:5'
check "run: exits with the process's status (5), prints nothing" \
	'[ "$rc" = 5 ] && [ -z "$out$err" ]'
mp run -n zero 'yield exit:0'
check "run: status 0" '[ "$rc" = 0 ]'
mp run 'sleep:1ms'
check "run: running off the end is status 0" '[ "$rc" = 0 ]'

# run_bg NAME: `miniproc run -n NAME sleep:3600s` in the background; sets
# $bg (its shell pid) and $vp (the mini-process's pid).
run_bg() {
	"$MP" run -n "$1" 'sleep:3600s' >"$tmp/bg.out" 2>"$tmp/bg.err" &
	bg=$!
	vp=
	i=0
	while [ "$i" -lt 200 ] && [ -z "$vp" ]; do
		"$MP" ps --json >"$tmp/bg.json" 2>/dev/null
		vp=$("$JC" --find name="$1" --get pid "$tmp/bg.json" 2>/dev/null)
		[ -n "$vp" ] || nap
		i=$((i + 1))
	done
	created="$created $vp"
}

run_bg victim
"$MP" kill "$vp"
wait "$bg"
rc=$? out=$(cat "$tmp/bg.out") err=$(cat "$tmp/bg.err")
last="miniproc run -n victim sleep:3600s; miniproc kill $vp"
check "run of a killed process: exit 137 and a sentence" \
	'[ "$rc" = 137 ] && [ "$err" = "miniproc: run: pid $vp was killed before it ended" ]'

run_bg interrupted
kill -TERM "$bg"
wait "$bg"
rc=$? out=$(cat "$tmp/bg.out") err=$(cat "$tmp/bg.err")
last="miniproc run -n interrupted sleep:3600s; kill -TERM"
check "run interrupted by SIGTERM: kills the process, exit 143" \
	'[ "$rc" = 143 ] && has "$err" "interrupted by SIGTERM; pid $vp was killed"'
mp status "$vp"
check "run interrupted: its process is reaped" '[ "$rc" = 1 ]'

# ------------------------------------------------------------- autoreap
spawn --autoreap -n auto 'sleep:3600s'
ar=$pid
check "create --autoreap: flagged autoreap" \
	'[ "$(json_get "$ar" autoreap)" = true ]'
mp wait --nohang "$ar"
check "wait of an autoreap process: exit 1, says why" \
	'[ "$rc" = 1 ] && has "$err" "wait $ar: no process to wait for" && has "$err" "autoreap"'
mp kill "$ar"
check "kill of an autoreap process: it is gone, never a zombie" \
	'[ "$rc" = 0 ] && i=0 && while "$MP" status "$ar" >/dev/null 2>&1; do
		[ "$(json_get "$ar" state)" != zombie ] || exit 1
		i=$((i + 1)); [ "$i" -lt 200 ] || exit 1; nap
	 done'

# ------------------------------------------------------------------ --cpu
spawn --cpu 0 -n pinned 'sleep:1ms *(sleep:10ms)'
pp=$pid
check "create --cpu 0: pinned, runs on CPU 0" \
	'[ -n "$pp" ] && [ "$(json_get "$pp" pinned)" = true ] &&
	 wait_for "$pp" state sleeping && [ "$(json_get "$pp" cpu)" = 0 ]'
"$MP" kill --wait "$pp" >/dev/null 2>&1
mp create --cpu 4096 yield
check "create --cpu of an offline CPU: exit 1, a sentence" \
	'[ "$rc" = 1 ] && has "$err" "miniproc: create: " && has "$err" "4096"'

# ---------------------------------------------------------------- names
spawn -n 'q"b\s' 'sleep:3600s'
np=$pid
mp ps --json
printf '%s\n' "$out" >"$tmp/ps.json"
check "ps --json escapes quotes and backslashes in names" \
	'"$JC" "$tmp/ps.json" &&
	 [ "$("$JC" --find pid="$np" --get name "$tmp/ps.json")" = '"'"'q"b\s'"'"' ]'
mp status "$np"
check "status shows the name as given" \
	'line_in "$out" "^Name: *q\"b\\\\s\$"'
"$MP" kill --wait "$np" >/dev/null 2>&1
spawn 'sleep:3600s'
dp=$pid
check "no -n: the default name miniproc" \
	'[ "$(json_get "$dp" name)" = miniproc ]'
"$MP" kill --wait "$dp" >/dev/null 2>&1

# ------------------------------------------------ a full table or limit
if is_number "$nproc" && [ "$nproc" -le 4096 ]; then
	many=
	i=0
	rc=0
	while [ "$i" -le "$nproc" ]; do
		mp create -n filler 'sleep:3600s'
		[ "$rc" = 0 ] || break
		many="$many $out"
		created="$created $out"
		i=$((i + 1))
	done
	# Which limit binds first depends on the module's parameters (and on
	# whether the per-user limit binds root); the sentence must say it.
	per_msg="miniproc: create: you already have $per_uid live processes, the per-user limit"
	full_msg="miniproc: create: the process table is full ($nproc of $nproc slots in use)"
	check "create at the limit: exit 1, says which limit" \
		'[ "$rc" = 1 ] && { [ "$err" = "$per_msg" ] || [ "$err" = "$full_msg" ]; }'
	check_alone "create at the limit: after $i processes, the limit it names" \
		'{ [ "$err" = "$per_msg" ] && [ "$i" = "$per_uid" ]; } ||
		 { [ "$err" = "$full_msg" ] && [ "$i" = "$nproc" ]; }'
	# shellcheck disable=SC2086 # one argument per pid
	mp kill --wait $many
	check "kill --wait of many pids: one line each, exit 0" \
		'[ "$rc" = 0 ] && [ "$(printf "%s\n" "$out" | grep -c "was killed")" = "$i" ]'
else
	skip "create at the limit" "no table size from info"
	skip "kill --wait of many pids" "no table size from info"
fi

# ------------------------------------------------------------ ownership
if [ "$(id -u)" = 0 ] && [ "$(su user -c 'id -u' 2>/dev/null)" = 1000 ]; then
	spawn -n roots 'sleep:3600s'
	rp=$pid
	as_user kill "$rp"
	check "kill of another user's process: exit 1, operation not permitted" \
		'[ "$rc" = 1 ] && [ "$err" = "miniproc: kill $rp: operation not permitted: process $rp belongs to another user" ]'
	as_user suspend "$rp"
	check "suspend of another user's process: exit 1" \
		'[ "$rc" = 1 ] && has "$err" "operation not permitted"'
	as_user wait "$rp"
	check "wait for another user's process: exit 1, operation not permitted" \
		'[ "$rc" = 1 ] && has "$err" "wait $rp: operation not permitted"'
	as_user ps
	check "ps as another user: lists root's process" \
		'[ "$rc" = 0 ] && like "$(ps_row "$rp")" "$rp 0 root SLEEPING sleep *"'
	as_user create -n users 'sleep:3600s'
	up=$out
	created="$created $up"
	mp ps
	check "ps: USER is the owner's name from /etc/passwd" \
		'like "$(ps_row "$up")" "$up 0 user *"'
	check "status --json: uid 1000" '[ "$(json_get "$up" uid)" = 1000 ]'
	mp kill --wait "$up"
	check "root (CAP_KILL) kills a user's process" \
		'[ "$rc" = 0 ] && has "$out" "pid $up was killed"'
	"$MP" kill --wait "$rp" >/dev/null 2>&1
else
	for t in "kill of another user's process" "suspend of another user's process" \
		"wait for another user's process" "ps as another user" "ps: USER name" "status --json: uid" \
		"root (CAP_KILL) kills a user's process"; do
		skip "$t" "needs root and a user 'user' (uid 1000) for su"
	done
fi

# ------------------------------------------------------------------ access
# The device belongs to the miniproc group, mode 0660 (the udev rule; the
# test VM applies it after every load): a user outside the group is
# refused at open(), and told how to get access.
if [ "$(id -u)" = 0 ] && [ "$(su guest -c 'id -u' 2>/dev/null)" = 1001 ] &&
	! su guest -c 'id -Gn' | grep -qw miniproc; then
	as guest ps
	check "ps outside the miniproc group: exit 1, how to get access" \
		'[ "$rc" = 1 ] && [ -z "$out" ] && [ "$err" = "miniproc: cannot open /dev/miniproc: permission denied; ask the administrator to add you to the miniproc group (adduser guest miniproc), then log in again" ]'
	as guest create 'exit:0'
	check "create outside the miniproc group: exit 1, nothing created" \
		'[ "$rc" = 1 ] && [ -z "$out" ] && has "$err" "cannot open /dev/miniproc: permission denied;"'
	as guest --version
	check "--version outside the miniproc group: the CLI's version, exit 0" \
		'[ "$rc" = 0 ] && has "$out" "miniproc " && ! has "$out" "module:"'
	as user info
	check "info as a member of the miniproc group: exit 0" \
		'[ "$rc" = 0 ] && [ -n "$out" ]'
else
	for t in "ps outside the miniproc group" "create outside the miniproc group" \
		"--version outside the miniproc group" "info as a member of the miniproc group"; do
		skip "$t" "needs root and a user 'guest' (uid 1001) outside the miniproc group"
	done
fi

# ---------------------------------------------------------------- homework
# The simulators' answers, as process-run.py and scheduler.py print them
# (the host tests compare hundreds of cases; these show it runs here too).
mp homework process-run -l 5:100,5:100 -c -p
want=$(cat <<'EOF'
Time        PID: 0        PID: 1           CPU           IOs
  1        RUN:cpu         READY             1
  2        RUN:cpu         READY             1
  3        RUN:cpu         READY             1
  4        RUN:cpu         READY             1
  5        RUN:cpu         READY             1
  6           DONE       RUN:cpu             1
  7           DONE       RUN:cpu             1
  8           DONE       RUN:cpu             1
  9           DONE       RUN:cpu             1
 10           DONE       RUN:cpu             1

Stats: Total Time 10
Stats: CPU Busy 10 (100.00%)
Stats: IO Busy  0 (0.00%)
EOF
)
check "homework process-run -l 5:100,5:100 -cp: the simulator's trace" \
	'[ "$rc" = 0 ] && [ "$(printf "%s\n" "$out" | sed "s/[[:blank:]]*$//")" = "$want" ]'
mp homework process-run -s 1 -l 3:50,3:50 -c -I IO_RUN_IMMEDIATE
check "homework process-run -s 1: the seed's random programs" \
	'[ "$rc" = 0 ] && has "$out" "  8*   RUN:io_done" && has "$out" " 15*   RUN:io_done"'
mp homework scheduler -p SJF -j 3 -s 100 -c
check "homework scheduler -s 100: the seed's jobs and averages" \
	'[ "$rc" = 0 ] && has "$out" "  Job 2 ( length = 8 )" &&
	 has "$out" "  Average -- Response: 3.00  Turnaround 8.00  Wait 3.00"'
mp homework scheduler -cpRR --q=2 -l 3,5
check "homework scheduler: optparse's clusters and prefixes, RR slices" \
	'[ "$rc" = 0 ] && has "$out" "  [ time   2 ] Run job   1 for 2.00 secs" &&
	 has "$out" "( DONE at 8.00 )"'
for args in "process-run -l 5" "process-run -l 1:100 -S NEVER" \
	"scheduler -p LOTTERY" "scheduler -s x" "scheduler --real"; do
	# shellcheck disable=SC2086
	mp homework $args
	check "homework $args: a usage error, exit 2" \
		'[ "$rc" = 2 ] && has "$err" "miniproc: homework " && [ -z "$out" ]'
done

# ------------------------------------------------------- no module there
# In a private mount namespace with an empty /dev, as if it were not loaded.
# nodev_mp SETUP ARGS...: run SETUP there, then the command with ARGS.
nodev_mp() {
	setup=$1
	shift
	last="(no /dev/miniproc: $setup) miniproc $*"
	unshare -m --propagation private sh -c 'mount -t tmpfs none /dev && eval "$1" && shift && exec "$@"' \
		sh "$setup" "$MP" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
	nodev_mp : ps
	check "no device: exit 1, the module is not loaded, how to load it" \
		'[ "$rc" = 1 ] && [ "$err" = "miniproc: cannot open /dev/miniproc: the miniproc module is not loaded (try: sudo modprobe miniproc)" ]'
	nodev_mp 'mknod /dev/miniproc c 4095 4095' kill 1
	check "a device node without a driver: exit 1, says so" \
		'[ "$rc" = 1 ] && has "$err" "cannot open /dev/miniproc: no driver behind the device node"'
	# The node as the module makes it, before a udev rule gives it to
	# the miniproc group: root's alone, 0600.
	dev=$(cat /sys/class/misc/miniproc/dev)
	last="(a root-only /dev/miniproc $dev) as guest: miniproc ps"
	unshare -m --propagation private sh -c 'mount -t tmpfs none /dev &&
		mknod -m 0600 /dev/miniproc c "${1%:*}" "${1#*:}" && exec su guest -c "$2 ps"' \
		sh "$dev" "$MP" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	check "a device root's alone (no udev rule): exit 1, install the rule" \
		'[ "$rc" = 1 ] && [ "$err" = "miniproc: cannot open /dev/miniproc: permission denied: it is root'\''s alone, as the module creates it; ask the administrator to install miniproc'\''s udev rule, which gives it to the miniproc group (make install, or the miniproc-utils package)" ]'
	nodev_mp : --version
	check "--version without the module: the CLI's version only, exit 0" \
		'[ "$rc" = 0 ] && has "$out" "miniproc " && ! has "$out" "module:"'
	nodev_mp : homework scheduler -c
	check "homework --simulate without the module: it needs none, exit 0" \
		'[ "$rc" = 0 ] && has "$out" "Final statistics:"'
else
	for t in "no device" "a device node without a driver" "a device root's alone" \
		"--version without the module" \
		"homework --simulate without the module"; do
		skip "$t" "needs root and unshare -m (a private mount namespace)"
	done
fi

# --------------------------------------------------------------- the end
finish
