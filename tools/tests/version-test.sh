#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# version-test.sh: the package's version lives in VERSION alone; everything
# else that states it must agree: dkms.conf's PACKAGE_VERSION (DKMS and
# dh_dkms read it as text, so it is repeated there), debian/changelog's
# newest entry (a native package: no Debian revision), the module's
# MODULE_VERSION() (Kbuild passes VERSION to it) and the command's
# --version (cli/Makefile passes VERSION to it, built here in a copy of
# the tree). Each check is also run on a copy made to disagree, and must
# fail there. TAP on stdout.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/tap.sh"
# result STATUS DESCRIPTION: one TAP line; on failure, $tmp/out follows.
result() {
	tap_result "$1" "$2" "$tmp/out"
}

# The checks. Each takes a tree, writes what it found to $tmp/out and
# succeeds only if that tree's copy agrees with its VERSION.
version_of() {
	cat "$1/VERSION"
}

check_version_file() {
	got=$(version_of "$1")
	lines=$(wc -l <"$1/VERSION")
	echo "VERSION: '$got' ($lines line)" >"$tmp/out"
	# One line, a version dpkg and DKMS both take, no Debian revision.
	[ "$lines" = 1 ] && printf '%s\n' "$got" | grep -Eqx '[0-9]+(\.[0-9]+)+'
}

check_dkms_conf() {
	got=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$1/dkms.conf")
	echo "dkms.conf PACKAGE_VERSION: '$got', VERSION: '$(version_of "$1")'" >"$tmp/out"
	[ -n "$got" ] && [ "$got" = "$(version_of "$1")" ]
}

check_changelog() {
	got=$(sed -n '1s/^miniproc (\([^)]*\)).*/\1/p' "$1/debian/changelog")
	if command -v dpkg-parsechangelog >/dev/null; then
		got=$(dpkg-parsechangelog -l "$1/debian/changelog" -S Version)
	fi
	echo "debian/changelog: '$got', VERSION: '$(version_of "$1")'" >"$tmp/out"
	[ -n "$got" ] && [ "$got" = "$(version_of "$1")" ]
}

# Kbuild is read by make alone, as tools/tests/kbuild-features-test.sh
# does; the fake kernel tree only has to satisfy its feature tests.
check_module() {
	mkdir -p "$tmp/ktree/include/linux"
	echo 'struct task_struct { int on_rq; };' >"$tmp/ktree/include/linux/sched.h"
	# shellcheck disable=SC2016 # make expands it, not the shell
	printf 'print:\n\t@echo $(ccflags-y)\n' >"$tmp/print.mk"
	want="-DMINIPROC_VERSION=\"$(version_of "$1")\""
	{
		make -s --no-print-directory -f "$1/Kbuild" -f "$tmp/print.mk" \
			srctree="$tmp/ktree" src="$1" print 2>&1 || :
		grep -n 'MODULE_VERSION' "$1"/module/*.c || :
	} >"$tmp/out"
	uses=$(grep -c 'MODULE_VERSION(' "$tmp/out" || :)
	echo "want: $want, and one MODULE_VERSION(), of MINIPROC_VERSION" >>"$tmp/out"
	grep -q -- "$want" "$tmp/out" && [ "$uses" = 1 ] &&
		grep -q 'MODULE_VERSION(MINIPROC_VERSION);' "$tmp/out"
}

# The command, built from a copy of the tree (never the tree's own
# cli/miniproc, which may be stale); its objects stay for the next call.
check_cli() {
	make -s -C "$1/cli" miniproc >"$tmp/out" 2>&1 || return 1
	got=$("$1/cli/miniproc" --version 2>&1 | sed -n '1s/^miniproc \([^ ]*\) .*/\1/p')
	echo "miniproc --version: '$got', VERSION: '$(version_of "$1")'" >>"$tmp/out"
	[ -n "$got" ] && [ "$got" = "$(version_of "$1")" ]
}

# copy NAME: a copy of the parts of the tree the checks read.
copy() {
	rm -rf "${tmp:?}/$1"
	mkdir -p "$tmp/$1"
	cp -r "$top/VERSION" "$top/dkms.conf" "$top/Kbuild" "$top/debian" \
		"$top/module" "$top/uapi" "$tmp/$1/"
	cp -r "$top/cli" "$tmp/$1/"
	make -s -C "$tmp/$1/cli" clean >/dev/null 2>&1 || :
	echo "$tmp/$1"
}

echo "1..10"
v=$(version_of "$top")
echo "# VERSION: $v"

# check WHAT DESCRIPTION MUTATION: WHAT on (a copy of) the tree must pass,
# and on a copy changed by MUTATION (a sed script applied to one file:
# FILE:SCRIPT) must fail.
good=$(copy good)
check() {
	what=$1
	desc=$2
	file=${3%%:*}
	script=${3#*:}
	st=0
	"$what" "$good" || st=$?
	result "$st" "$desc agrees with VERSION ($v)"
	bad=$(copy bad)
	sed -i "$script" "$bad/$file"
	st=0
	if "$what" "$bad"; then
		echo "the check passed a tree whose $file says otherwise" >>"$tmp/out"
		st=1
	fi
	result "$st" "$desc: a tree where it disagrees fails the check"
}

check check_version_file "VERSION: one line, a plain version" \
	"VERSION:s/.*/0.1.0-1/"
check check_dkms_conf "dkms.conf PACKAGE_VERSION" \
	'dkms.conf:s/^PACKAGE_VERSION=.*/PACKAGE_VERSION="9.9.9"/'
check check_changelog "debian/changelog" \
	'debian/changelog:1s/(.*)/(9.9.9)/'
check check_module "the module's MODULE_VERSION() (through Kbuild)" \
	'module/main.c:s/MODULE_VERSION(MINIPROC_VERSION)/MODULE_VERSION("9.9.9")/'
check check_cli "miniproc --version (cli/Makefile)" \
	'cli/main.c:s/MINIPROC_CLI_VERSION,/"9.9.9",/'

tap_done
