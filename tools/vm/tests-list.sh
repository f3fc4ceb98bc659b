#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests-list.sh DIR: print the test programs installed in DIR, one a line,
# in run order, as paths relative to DIR, from the kselftest-list.txt
# ("collection:program") the selftests install wrote. The kernel puts a
# collection's programs in DIR/collection/; an install that names its
# collection but keeps the programs in DIR itself is understood too.
# Exits 1 if DIR has no kselftest-list.txt.
set -eu

dir=$1
list=$dir/kselftest-list.txt
[ -f "$list" ] || exit 1

while IFS=: read -r collection prog; do
	[ -n "$prog" ] || continue
	if [ -f "$dir/$collection/$prog" ]; then
		echo "$collection/$prog"
	else
		echo "$prog"
	fi
done <"$list"
