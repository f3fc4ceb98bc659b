#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_kselftest.sh [-d DIR] [PROG...]: run miniproc selftests the way the
# kernel's kselftest runner does, as one TAP stream:
#
#   TAP version 13
#   1..N
#   # selftests: miniproc: PROG
#   # ...PROG's own TAP, each line prefixed "# "...
#   ok 1 selftests: miniproc: PROG            exit 0
#   ok 1 selftests: miniproc: PROG # SKIP     exit 4 (KSFT_SKIP)
#   not ok 1 selftests: miniproc: PROG # exit=RC, or # TIMEOUT N seconds
#
# DIR holds the programs (default: where this script is); the PROGs default
# to DIR/kselftest-list.txt ("miniproc:PROG" lines, as `make install`
# writes it). Each program gets "timeout=N" seconds from DIR/settings
# (kselftest's 45 without one); $kselftest_timeout overrides it.
# Exits 1 if any program failed. POSIX sh: it runs under busybox too.
set -u

dir=$(dirname "$0")
if [ "${1:-}" = -d ]; then
	dir=$2
	shift 2
fi
if [ $# -eq 0 ] && [ -f "$dir/kselftest-list.txt" ]; then
	set -- $(sed -n 's/^miniproc://p' "$dir/kselftest-list.txt")
fi

limit=45
if [ -f "$dir/settings" ]; then
	t=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "$dir/settings")
	limit=${t:-$limit}
fi
limit=${kselftest_timeout:-$limit}

tmp=${TMPDIR:-/tmp}/miniproc-ksft.$$
trap 'rm -f "$tmp"' EXIT

echo "TAP version 13"
echo "1..$#"
n=0
failed=0
for prog in "$@"; do
	n=$((n + 1))
	title="selftests: miniproc: $prog"
	echo "# $title"
	start=$(date +%s)
	{
		(cd "$dir" && timeout -k 10 "$limit" "./$prog" </dev/null 2>&1)
		echo $? >"$tmp"
	} | sed 's/^/# /'
	rc=$(cat "$tmp")
	took=$(($(date +%s) - start))
	case $rc in
	0) echo "ok $n $title" ;;
	4) echo "ok $n $title # SKIP" ;;
	*)
		failed=1
		# coreutils' timeout exits 124, busybox's with the signal.
		if [ "$took" -ge "$limit" ] &&
			{ [ "$rc" = 124 ] || [ "$rc" = 137 ] || [ "$rc" = 143 ]; }; then
			echo "not ok $n $title # TIMEOUT $limit seconds"
		else
			echo "not ok $n $title # exit=$rc"
		fi
		;;
	esac
done
exit $failed
