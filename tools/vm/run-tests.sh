#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh DIR: the guest's test runner (busybox sh). It prints one TAP
# stream, in the layout of the kernel's kselftest runner:
#
#   ok 1 load miniproc.ko
#   # selftests: miniproc: PROG      <- then PROG's own output, each line
#   # TAP version 13                    prefixed "# " (nested TAP)
#   # ok 1 fixture.test
#   ok 2 selftests: miniproc: PROG   <- from PROG's exit status
#   ...
#   ok N-1 unload miniproc.ko
#   ok N kmemleak: no leaks         <- debug kernels; a SKIP elsewhere
#
# A program's line comes from its exit status, not from what it printed:
# 0 is ok, 4 (KSFT_SKIP) is ok # SKIP, anything else, a crash or a time-out
# is not ok. So a test that dies without printing "not ok" still fails.
# The host (tools/vm/results.sh) decides how the nested lines are counted.
#
# DIR holds the installed selftests and tests.list: one program a line, in
# run order, as a path relative to DIR (a program in a subdirectory runs
# there, as the kselftest runner does). The per-program time limit comes
# from DIR/settings (kselftest's "timeout=N", default 45 s) or
# mpvm_test_timeout.
set -u

dir=$1
ksft_skip=4

timeout=45
if [ -f "$dir/settings" ]; then
	t=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "$dir/settings")
	if [ -n "$t" ]; then
		timeout=$t
	fi
fi
timeout=${mpvm_test_timeout:-$timeout}

tests=
if [ -s "$dir/tests.list" ]; then
	tests=$(cat "$dir/tests.list")
elif [ -d "$dir" ]; then
	for f in "$dir"/*; do
		if [ -f "$f" ] && [ -x "$f" ]; then
			tests="$tests ${f##*/}"
		fi
	done
fi

# mpvm_only=a,b (make vm-check ONLY="a b"): only the programs whose file
# name, or directory (cli, fuzz), is one of these, for a quick loop while working on them; make
# check never sets it.
if [ -n "${mpvm_only:-}" ]; then
	keep=
	for t in $tests; do
		case ",$mpvm_only," in
		*",${t##*/},"* | *",${t%%/*},"*) keep="$keep $t" ;;
		esac
	done
	tests=$keep
fi

n=0
# load, unload and the kmemleak scan, then one line a program
plan=3
for t in $tests; do
	plan=$((plan + 1))
done

# result ok|"not ok" DESCRIPTION: print the next numbered TAP line.
result() {
	n=$((n + 1))
	echo "$1 $n $2"
}

# run_one PROG: run DIR/PROG in its own session and process group, so that
# on a time-out, or if it leaves children behind that keep its output pipe
# open, the whole group can be killed at once. Sets $rc and $timed_out.
run_one() {
	st=/tmp/mpvm-run
	rm -rf "$st"
	mkdir -p "$st"

	# Watchdog: polls once a second so it ends soon after the program.
	(
		i=0
		while [ "$i" -lt "$timeout" ]; do
			sleep 1
			[ -e "$st/done" ] && exit 0
			i=$((i + 1))
		done
		: >"$st/timed_out"
		if [ -s "$st/pgid" ]; then
			kill -KILL -- "-$(cat "$st/pgid")" 2>/dev/null
		fi
	) &
	wd=$!

	# setsid does not fork here (a pipeline member is no group leader),
	# so $$ of the sh it runs is the new process group's id.
	{
		# shellcheck disable=SC2016 # $$ and $0 belong to the inner sh
		(cd "$dir/$(dirname "$1")" &&
			setsid sh -c 'echo $$ >"$0/pgid"; exec "$1"' \
			"$st" "./${1##*/}" </dev/null 2>&1)
		echo $? >"$st/rc"
		if [ -s "$st/pgid" ]; then
			kill -KILL -- "-$(cat "$st/pgid")" 2>/dev/null
		fi
	} 2>&1 | while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
	done

	: >"$st/done"
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	rc=$(cat "$st/rc" 2>/dev/null || echo 255)
	timed_out=0
	if [ -e "$st/timed_out" ]; then
		timed_out=1
	fi
}

echo "TAP version 13"
echo "1..$plan"

# kmemleak (debug kernels): what boot left unreferenced is found and then
# forgotten now ("clear" only forgets what a scan has found), so that the
# scans after the tests report only what they and the module leaked. Its
# automatic scan thread is off in those kernels.
kmemleak=/sys/kernel/debug/kmemleak
if [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	echo clear >"$kmemleak"
fi

# After the load, what udev would do: the node to the miniproc group,
# 0660 ($MINIPROC_SETTLE, devnode.sh), before any test opens it.
if [ -e /sys/module/miniproc ]; then
	result ok "load miniproc.ko # already loaded"
elif ! out=$(insmod "${MINIPROC_KO:-/nonexistent}" 2>&1); then
	echo "# insmod ${MINIPROC_KO:-(MINIPROC_KO unset)}: $out"
	result "not ok" "load miniproc.ko"
elif [ -n "${MINIPROC_SETTLE:-}" ] && ! out=$("$MINIPROC_SETTLE" 2>&1); then
	echo "# $MINIPROC_SETTLE: $out"
	result "not ok" "load miniproc.ko"
else
	result ok "load miniproc.ko"
fi

for t in $tests; do
	echo "# selftests: miniproc: $t"
	run_one "$t"
	if [ "$timed_out" = 1 ]; then
		result "not ok" "selftests: miniproc: $t # TIMEOUT $timeout seconds"
	elif [ "$rc" = 0 ]; then
		result ok "selftests: miniproc: $t"
	elif [ "$rc" = "$ksft_skip" ]; then
		result ok "selftests: miniproc: $t # SKIP"
	else
		result "not ok" "selftests: miniproc: $t # exit=$rc"
	fi
done

# Unloading proves no test left a reference or a process behind that the
# module cannot clean up.
if [ ! -e /sys/module/miniproc ]; then
	result ok "unload miniproc.ko # SKIP not loaded"
elif out=$(rmmod miniproc 2>&1); then
	result ok "unload miniproc.ko"
else
	echo "# rmmod miniproc: $out"
	result "not ok" "unload miniproc.ko"
fi

# An object counts as leaked only once it is older than kmemleak's minimum
# age (5 s) and two scans in a row found no reference to it, hence the
# wait and the second scan.
if [ ! -w "$kmemleak" ]; then
	result ok "kmemleak: no leaks # SKIP no kmemleak in this kernel"
else
	sleep "${mpvm_kmemleak_wait:-6}"
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	leaks=$(grep -c '^unreferenced object' "$kmemleak")
	if [ "$leaks" = 0 ]; then
		result ok "kmemleak: no leaks"
	else
		sed 's/^/# /' "$kmemleak"
		result "not ok" "kmemleak: $leaks unreferenced objects"
	fi
fi
