#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kbuild-features-test.sh: the feature tests in Kbuild, against fake kernel
# trees: each kernel shape gets the flags it should, and a shape a test
# cannot decide fails the build with a message naming what is missing.
# Kbuild is read by make alone (no kernel build system needed): its
# variables are printed by a rule added on the command line. TAP on stdout.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/tap.sh"
# result STATUS DESCRIPTION: one TAP line; on failure, $tmp/out follows.
result() {
	tap_result "$1" "$2" "$tmp/out"
}

# tree NAME LINES...: a fake kernel tree whose linux/sched.h has LINES.
tree() {
	d=$tmp/$1
	shift
	mkdir -p "$d/include/linux"
	printf '%s\n' "$@" >"$d/include/linux/sched.h"
	echo "$d"
}

# flags TREE: Kbuild's ccflags-y for TREE; fails as make does.
flags() {
	# shellcheck disable=SC2016 # make expands it, not the shell
	printf 'print:\n\t@echo $(ccflags-y)\n' >"$tmp/print.mk"
	make -s --no-print-directory -f "$top/Kbuild" -f "$tmp/print.mk" \
		srctree="$1" src="$top" print >"$tmp/out" 2>&1
}

echo "1..4"

t=$(tree old 'struct task_struct {' '	int on_rq;' '};')
flags "$t" && ! grep -q MINIPROC_HAVE_TASK_IS_RUNNABLE "$tmp/out"
result $? "a kernel without delayed dequeue (6.1) reads on_rq"

t=$(tree new 'unsigned char sched_delayed;' \
	'static inline bool task_is_runnable(struct task_struct *p)')
flags "$t" && grep -q -- -DMINIPROC_HAVE_TASK_IS_RUNNABLE "$tmp/out"
result $? "a kernel with delayed dequeue and task_is_runnable() (6.12, 7.x) uses it"

t=$(tree undecided 'unsigned char sched_delayed;')
! flags "$t" && grep -q 'delayed dequeue (sched_delayed) but no task_is_runnable()' "$tmp/out"
result $? "delayed dequeue without task_is_runnable() fails the build by name"

! flags "$tmp/nonexistent" && grep -q 'feature tests: no .*include/linux/sched.h' "$tmp/out"
result $? "a tree without linux/sched.h fails the build by name, never falls back"

tap_done
