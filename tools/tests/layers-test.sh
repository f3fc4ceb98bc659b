#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# layers-test.sh OBJDIR: the module's files call one way. DOC: Files in
# module/miniproc.h lists them top down; a file may call (or take the
# address of) only functions of files listed after it. Read from the
# object files of a build (OBJDIR/module/*.o): every undefined symbol of
# one that another defines as a function. Every module/*.c is listed, and
# only those. The check is also run with the order reversed, and must
# fail there. TAP on stdout.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
objdir=${1:?usage: layers-test.sh OBJDIR, the build holding module/*.o}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/tap.sh"
# result STATUS DESCRIPTION: one TAP line; on failure, $tmp/out follows.
result() {
	tap_result "$1" "$2" "$tmp/out"
}

# The files of DOC: Files, top down, one per line.
sed -n '/DOC: Files/,/^ \*\//s/^ \* - \([a-z_]*\.c\):.*/\1/p' \
	"$top/module/miniproc.h" >"$tmp/order"

# Each file's functions ("FILE SYMBOL") and what it needs from elsewhere.
: >"$tmp/defs"
: >"$tmp/uses"
for o in "$objdir"/module/*.o; do
	f=$(basename "$o" .o).c
	nm --defined-only "$o" | awk -v f="$f" '$2 == "T" { print f, $3 }' >>"$tmp/defs"
	nm --undefined-only "$o" | awk -v f="$f" '{ print f, $2 }' >>"$tmp/uses"
done

# check ORDER: prints each call that goes up or sideways; fails if any.
check() {
	awk 'FILENAME == ARGV[1] { rank[$1] = FNR; next }
	     FILENAME == ARGV[2] { def[$2] = $1; next }
	     ($2 in def) && def[$2] != $1 {
		if (!(rank[$1] < rank[def[$2]])) {
			print $1 " calls " $2 "() of " def[$2]
			bad = 1
		}
	     }
	     END { exit bad }' "$1" "$tmp/defs" "$tmp/uses"
}

(cd "$top/module" && ls -- *.c) | sort >"$tmp/files"
rc=0
sort "$tmp/order" | diff - "$tmp/files" >"$tmp/out" 2>&1 || rc=$?
result $rc "DOC: Files lists every module/*.c, and only those"

rc=0
echo "no object files with symbols in $objdir/module" >"$tmp/out"
{ [ -s "$tmp/defs" ] && [ -s "$tmp/uses" ]; } || rc=1
result $rc "the object files are there ($objdir/module/*.o)"

rc=0
check "$tmp/order" >"$tmp/out" 2>&1 || rc=$?
result $rc "every call runs down DOC: Files' order"

tac "$tmp/order" >"$tmp/reversed"
if check "$tmp/reversed" >"$tmp/out" 2>&1; then
	echo "the reversed order passed: the check cannot fail" >"$tmp/out"
	result 1 "the check fails on the order reversed"
else
	result 0 "the check fails on the order reversed"
fi

tap_plan
tap_done
