#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# results.sh KVER OUTDIR: judge one VM run from OUTDIR/tap.log and
# OUTDIR/console.log, printing one result line per counted test:
#
#   ok KVER: DESCRIPTION
#   ok KVER: DESCRIPTION # SKIP ...
#   not ok KVER: DESCRIPTION
#
# tools/tally.sh counts these. How a TAP stream from run-tests.sh counts:
#  - a test program that printed TAP results of its own (the nested
#    "# ok N" / "# not ok N" lines, e.g. one per kselftest harness test)
#    counts each of them; its own line from run-tests.sh adds one failure
#    only if it failed (crash, time-out, non-zero exit) with no nested
#    "not ok", so a crash after the last passing test still fails the run;
#  - a program that printed no TAP counts once, by its own line;
#  - load and unload of the module count once each;
#  - "# SKIP" on any line is a skip, neither passed nor failed.
# Two checks of the whole run count once each: the guest reached its end
# marker (no hang, crash or time-out), and the console log holds no kernel
# splat.
set -eu

kver=$1
dir=$2
tap=$dir/tap.log
console=$dir/console.log
qemu_status=$(cat "$dir/qemu.status" 2>/dev/null || echo "?")

# A run that never started has no logs; judge empty ones.
[ -f "$tap" ] || tap=/dev/null
[ -f "$console" ] || console=/dev/null

tr -d '\r' <"$tap" | awk -v k="$kver" -v qs="$qemu_status" '
function emit(status, desc) { print status " " k ": " desc }
function is_skip(line) { return tolower(line) ~ /# skip/ }
# classify(line, prefix): one TAP result line, counted.
function classify(line, prefix,    desc, failed) {
	failed = line ~ /^not ok/
	desc = line
	sub(/^(not )?ok [0-9]+ ?(- )?/, "", desc)
	# The 6.1 harness names no test on its SKIP line; the OK/FAIL line
	# just before it does.
	if (desc ~ /^#/ && last_test != "")
		desc = last_test " " desc
	last_test = ""
	if (is_skip(line))
		emit("ok", prefix desc (desc ~ /# [Ss][Kk][Ii][Pp]/ ? "" : " # SKIP"))
	else
		emit(failed ? "not ok" : "ok", prefix desc)
	return failed && !is_skip(line)
}
index($0, "# MINIPROC-VM-BEGIN") == 1 { begun = 1; next }
index($0, "# MINIPROC-VM-END") == 1 { ended = 1; next }
!begun { next }
/^# selftests: / {
	prog = $0; sub(/^# selftests: /, "", prog)
	nested = 0; nested_failed = 0; next
}
/^# #  +(OK|FAIL)  +[^ ]+$/ { last_test = $NF; next }
/^# (not )?ok [0-9]+/ {
	nested++
	nested_failed += classify(substr($0, 3), prog ": ")
	next
}
/^(not )?ok [0-9]+/ {
	if (nested == 0)
		classify($0, "")
	else if ($0 ~ /^not ok/ && !is_skip($0) && nested_failed == 0) {
		desc = $0; sub(/^not ok [0-9]+ /, "", desc)
		emit("not ok", desc " (it failed, yet none of its tests did)")
	}
	prog = ""; nested = 0; nested_failed = 0
	next
}
END {
	if (!begun)
		emit("not ok", "vm: guest started the tests (qemu exit " qs ")")
	else if (!ended)
		emit("not ok", "vm: guest finished the tests (hang, crash or time limit; qemu exit " qs ")")
	else
		emit("ok", "vm: guest finished the tests")
}'

# A splat is a kernel line, so it carries printk's "[ seconds.micros]"
# stamp; matching only after one keeps test output that merely mentions
# "BUG:" from counting.
splat='WARNING:|BUG:|Oops|KASAN|possible circular locking|DEBUG_LOCKS_WARN_ON|UBSAN:|sleeping function called from invalid context|INFO: task .* blocked for more than|Kernel panic|general protection fault|Call Trace'
splats=$(tr -d '\r' <"$console" | grep -E "\[ *[0-9]+\.[0-9]+\] .*($splat)" || :)
if [ -n "$splats" ]; then
	echo "not ok $kver: vm: no kernel splat in the console log"
	{
		echo "$kver: kernel splat in $console, from its first line:"
		first=$(printf '%s\n' "$splats" | head -n 1)
		tr -d '\r' <"$console" | awk -v f="$first" '$0 == f { on = 1 } on' |
			head -n 60 | sed 's/^/    /'
	} >&2
elif [ ! -s "$console" ]; then
	echo "not ok $kver: vm: no kernel splat in the console log (console log empty)"
else
	echo "ok $kver: vm: no kernel splat in the console log"
fi
