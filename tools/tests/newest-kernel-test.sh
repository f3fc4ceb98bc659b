#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# newest-kernel-test.sh: what tools/newest-kernel.sh plans for `make check`,
# for each state the archive and the cache can be in, without the network:
# the archive's list comes from a file (NEWEST_LIST), the cache is a
# temporary one holding tiny .debs made here, and the passed version comes
# from a file of the test's (NEWEST_PASSED). TAP on stdout.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MINIPROC_CACHE="$tmp/cache" NEWEST_PASSED="$tmp/passed"
mkdir -p "$MINIPROC_CACHE/newest-kernel/debs"

n=0
failed=0
# expect NAME PASSED LIST|- WANT: the plan for PASSED ("PACKAGE VERSION")
# when the archive lists the lines of LIST ("-": cannot be reached) is WANT
# (lines separated by ";"), ignoring what it says on stderr.
expect() {
	n=$((n + 1))
	echo "$2" >"$NEWEST_PASSED"
	if [ "$3" = - ]; then
		list=$tmp/nonexistent
	else
		list=$tmp/list
		printf '%s' "$3" | tr ';' '\n' >"$list"
	fi
	got=$(NEWEST_LIST=$list "$here/newest-kernel.sh" plan 2>/dev/null | tr '\n' ';')
	want="$4;"
	if [ "$got" = "$want" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "#   want: $want"
		echo "#   got:  $got"
		failed=$((failed + 1))
	fi
}

# cache PACKAGE VERSION: a downloaded .deb of it, as fetch leaves one.
cache() {
	d=$tmp/deb-$1-$2
	mkdir -p "$d/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: t <t@t>\nDescription: t\n' \
		"$1" "$2" >"$d/DEBIAN/control"
	dpkg-deb -b "$d" "$MINIPROC_CACHE/newest-kernel/debs/$1_$(echo "$2" | tr : %)_all.deb" >/dev/null
}

echo "1..11"
expect "the passed version is the newest: it is the gate, nothing to report" \
	"linux-source-7.3 7.3.4-1~bpo13+1" \
	"linux-source-7.3 7.3.4-1~bpo13+1;linux-source-7.2 7.2.13-1" \
	"gate linux-source-7.3 7.3.4-1~bpo13+1"
expect "a newer upload: the passed one stays the gate, the newer is a report" \
	"linux-source-7.2 7.2.13-1" \
	"linux-source-7.2 7.2.13-1;linux-source-7.2 7.2.9-1;linux-source-7.3 7.3.4-1~bpo13+1" \
	"gate linux-source-7.2 7.2.13-1;report linux-source-7.3 7.3.4-1~bpo13+1"
expect "a backport's ~bpo is older than the release it comes from" \
	"linux-source-7.3 7.3.4-1~bpo13+1" \
	"linux-source-7.3 7.3.4-1~bpo13+1;linux-source-7.3 7.3.4-1" \
	"gate linux-source-7.3 7.3.4-1~bpo13+1;report linux-source-7.3 7.3.4-1"
expect "the passed version left the archive, none cached: the newest is the gate" \
	"linux-source-7.1 7.1.2-1" \
	"linux-source-7.3 7.3.4-1~bpo13+1;linux-source-7.2 7.2.13-1" \
	"gate linux-source-7.3 7.3.4-1~bpo13+1"
expect "no network and nothing cached: nothing to run, said" \
	"linux-source-7.3 7.3.4-1~bpo13+1" - \
	"none the archive could not be reached and no copy of linux-source-7.3 7.3.4-1~bpo13+1 is cached"
expect "an archive with no linux-source-X.Y and nothing cached: nothing to run, said" \
	"linux-source-7.3 7.3.4-1~bpo13+1" "" \
	"none no linux-source-X.Y in trixie-backports sid"

cache linux-source-7.1 7.1.2-1
expect "the passed version left the archive but is cached: it stays the gate" \
	"linux-source-7.1 7.1.2-1" \
	"linux-source-7.3 7.3.4-1~bpo13+1" \
	"gate linux-source-7.1 7.1.2-1;report linux-source-7.3 7.3.4-1~bpo13+1"
expect "no network, the passed version cached: it is the gate" \
	"linux-source-7.1 7.1.2-1" - \
	"gate linux-source-7.1 7.1.2-1"
expect "the cache holds another version only: the archive decides" \
	"linux-source-7.1 7.1.3-1" \
	"linux-source-7.2 7.2.13-1" \
	"gate linux-source-7.2 7.2.13-1"

expect "no version has passed yet: the newest is a report, nothing gates" \
	"# none yet" \
	"linux-source-7.2 7.2.13-1;linux-source-7.3 7.3.4-1~bpo13+1" \
	"report linux-source-7.3 7.3.4-1~bpo13+1"
expect "no version has passed yet, no network: nothing to run, said" \
	"" - \
	"none no version has passed yet and the archive offers none"

echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
