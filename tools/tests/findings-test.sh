#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# findings-test.sh: tools/findings.sh's verdicts on made-up build logs: a
# clean log passes, a finding in our files fails, a finding in the
# kernel's own headers is a note, and a sparse run that kbuild turned off
# (the checker too old for the kernel: 7.x's scripts/checker-valid.sh)
# fails rather than pass having checked nothing. TAP on stdout.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/build/src

n=0
failed=0
# expect STATUS DESCRIPTION NAME LINES...: findings.sh NAME on a log of
# LINES exits STATUS.
expect() {
	want=$1
	desc=$2
	name=$3
	shift 3
	printf '%s\n' "$@" >"$tmp/log"
	got=0
	"$top/tools/findings.sh" "$name" "$tmp/log" "$tree" >"$tmp/out" 2>&1 || got=$?
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc (exit $got, wanted $want)"
		sed 's/^/#   /' "$tmp/out"
		failed=$((failed + 1))
	fi
}

expect 0 "a clean sparse log passes" sparse \
	"  CC [M]  $tree/module/dev.o" "  CHECK   $tree/module/dev.c"
expect 1 "a sparse warning in module/ fails" sparse \
	"  CHECK   $tree/module/dev.c" \
	"$tree/module/dev.c:12:5: warning: symbol 'x' was not declared. Should it be static?"
expect 0 "a warning in the kernel's headers is only a note" sparse \
	"  CHECK   $tree/module/dev.c" \
	"./include/linux/sched.h:1:1: warning: something of the kernel's"
expect 1 "sparse turned off by kbuild (too old for the kernel) fails" sparse \
	"Makefile:1071: C=2 specified, but sparse is not available or not up to date" \
	"  CC [M]  $tree/module/dev.o"
expect 1 "a sparse log with no CHECK line at all fails" sparse \
	"  CC [M]  $tree/module/dev.o"
expect 0 "a W=1 log needs no CHECK line" W=1 \
	"  CC [M]  $tree/module/dev.o"

echo "1..$n"
[ "$failed" = 0 ]
