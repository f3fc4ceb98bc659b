#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deb-test.sh: the Debian packages on this host, as a user gets them:
# `make deb` builds miniproc-dkms and miniproc-utils, lintian finds no error
# and no warning, `dpkg -i` installs both, DKMS builds and installs the
# module for every kernel with headers (tools/kernels.sh; a kernel without
# them, such as a container's host kernel, is DKMS's to skip), the command,
# its manuals, its completion, the udev rule and the miniproc group are in
# place, and `apt-get purge` then leaves no file and no DKMS tree behind,
# only the group, as Debian leaves system groups. TAP on stdout, timings as
# comments; logs in build/deb-test/.
#
# Runs as root and changes the host's package state only for its run: it
# refuses to start where miniproc is installed already (a package, a DKMS
# tree or `make dkms-install`'s sources), and undoes what it did (the
# packages, a group or DKMS signing key it caused to be created) even when
# it fails.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
log=$top/build/deb-test
rm -rf "$log"
mkdir -p "$log"
version=$(cat VERSION)
arch=$(dpkg --print-architecture)
dkms_deb=build/deb/miniproc-dkms_${version}_all.deb
utils_deb=build/deb/miniproc-utils_${version}_$arch.deb
kernels=$(tools/kernels.sh | tr '\n' ' ')
kernels=${kernels% }

. "$(dirname "$0")/tap.sh"
# result STATUS DESCRIPTION [LOG]: one TAP line; LOG's tail on failure.
result() {
	tap_result "$1" "$2" "${3:-}" "${3:-}"
}
# check DESCRIPTION COMMAND...: COMMAND's output to a log, one result.
check() {
	desc=$1
	shift
	out=$log/$((tap_n + 1)).log
	st=0
	"$@" >"$out" 2>&1 || st=$?
	result "$st" "$desc" "$out"
}
finish() {
	tap_done
}
now() {
	date +%s
}

if [ "$(id -u)" -ne 0 ]; then
	result 1 "deb-test runs as root (it installs and purges packages)"
	finish
	exit 1
fi
installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q 'installed$'
}
present=
for p in miniproc-dkms miniproc-utils; do
	if installed "$p"; then present="$present package $p;"; fi
done
for f in /usr/src/miniproc-* /var/lib/dkms/miniproc /usr/bin/miniproc; do
	if [ -e "$f" ]; then present="$present $f;"; fi
done
if [ -n "$present" ]; then
	result 1 "miniproc is not installed here already (found:$present not touching it)"
	finish
	exit 1
fi

# What this run may create besides the packages' own files: undone at exit.
had_group=no
getent group miniproc >/dev/null && had_group=yes
keys=
for k in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$k" ] || keys="$keys $k"
done
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	for p in miniproc-dkms miniproc-utils; do
		if installed "$p" || dpkg-query -W "$p" >/dev/null 2>&1; then
			apt-get purge -y -q miniproc-dkms miniproc-utils >>"$log/cleanup.log" 2>&1 || :
			break
		fi
	done
	if [ "$had_group" = no ] && getent group miniproc >/dev/null; then
		groupdel miniproc || :
	fi
	# shellcheck disable=SC2086 # a list of paths without spaces
	[ -z "$keys" ] || rm -f $keys
}
trap cleanup EXIT

echo "# miniproc $version; kernels with headers: ${kernels:-none}; running: $(uname -r)"
t0=$(now)
check "make deb builds miniproc-dkms and miniproc-utils" \
	make --no-print-directory deb
t1=$(now)
echo "# make deb: $((t1 - t0)) s"
if [ ! -f "$dkms_deb" ] || [ ! -f "$utils_deb" ]; then
	result 1 "both .debs are there ($dkms_deb, $utils_deb)"
	finish
	exit 1
fi

# lintian's own notes (N:, such as that it runs as root) are not findings.
lintian --fail-on error,warning "$dkms_deb" "$utils_deb" >"$log/lintian.out" 2>&1 &&
	! grep -q '^[EW]:' "$log/lintian.out"
result $? "lintian: no errors, no warnings on either package" "$log/lintian.out"
sed 's/^/#   lintian: /' "$log/lintian.out"
t2=$(now)
echo "# lintian: $((t2 - t1)) s"

check "dpkg -i both packages (DKMS builds the module in the postinst)" \
	dpkg -i "$dkms_deb" "$utils_deb"
t3=$(now)
echo "# dpkg -i (DKMS builds for ${kernels:-no kernel}): $((t3 - t2)) s"
sed -n 's/^\(Building for .*\)/#   dpkg -i: \1/p' "$log/$tap_n.log"

src=/usr/src/miniproc-$version
check "the module's source is in $src (dkms.conf, Kbuild, VERSION, module/, uapi/)" \
	test -f "$src/dkms.conf" -a -f "$src/Kbuild" -a -f "$src/VERSION" \
	-a -f "$src/module/main.c" -a -f "$src/uapi/linux/miniproc.h"

# (Its stderr has readelf's notes on the kernels' compilers, not status.)
dkms status -m miniproc >"$log/dkms-status.out" 2>"$log/dkms-status.err" || :
sed 's/^/#   dkms status: /' "$log/dkms-status.out"
# built_for KVER: DKMS built and installed it there, and it is this version.
built_for() {
	grep -F "miniproc/$version, $1, " "$log/dkms-status.out" | grep -q ': installed' ||
		return 1
	ko=$(find "/lib/modules/$1/updates/dkms" -name 'miniproc.ko*' 2>/dev/null | head -n 1)
	echo "module: ${ko:-none}"
	[ -n "$ko" ] && [ "$(modinfo -F version "$ko")" = "$version" ]
}
for k in $kernels; do
	check "dkms status: miniproc/$version installed for $k, modinfo says $version" \
		built_for "$k"
done

# The command: this version, linked dynamically, with the hardening flags
# (a PIE, full RELRO with BIND_NOW, and the stack protector).
cmd_ok() {
	/usr/bin/miniproc --version | tee /dev/stderr | grep -q "^miniproc $version "
}
check "miniproc --version says $version" cmd_ok
hardened() {
	readelf -d -h -s --wide /usr/bin/miniproc >"$log/readelf.out"
	grep -q 'Type:.*DYN' "$log/readelf.out" &&
		grep -q '(NEEDED).*libc\.so' "$log/readelf.out" &&
		grep -q 'BIND_NOW\|FLAGS_1.*NOW' "$log/readelf.out" &&
		readelf -l --wide /usr/bin/miniproc | grep -q GNU_RELRO &&
		grep -q '__stack_chk_fail' "$log/readelf.out"
}
check "/usr/bin/miniproc: dynamically linked PIE, RELRO, BIND_NOW, stack protector" hardened

if [ -f man/miniproc.1 ]; then
	man_ok() {
		for s in 1 4; do
			[ "$(man -w "$s" miniproc)" = "/usr/share/man/man$s/miniproc.$s.gz" ] || return 1
			MANPAGER=cat MANWIDTH=80 man "$s" miniproc 2>&1 >"$log/man$s.txt" |
				tee /dev/stderr | grep -q . && return 1
			grep -q '^NAME' "$log/man$s.txt" || return 1
		done
	}
	check "man miniproc and man 4 miniproc find and render the installed pages" man_ok
fi
if [ -f completion/miniproc ]; then
	check "bash completion in /usr/share/bash-completion/completions/miniproc" \
		test -f /usr/share/bash-completion/completions/miniproc
fi

# The udev rule where dh_installudev puts it (/lib or /usr/lib).
rule() {
	for d in /lib/udev/rules.d /usr/lib/udev/rules.d; do
		[ ! -f "$d/60-miniproc.rules" ] || echo "$d/60-miniproc.rules"
	done
}
check "the udev rule 60-miniproc.rules is installed" test -n "$(rule)"
system_group() {
	gid=$(getent group miniproc | cut -d: -f3)
	echo "miniproc: gid ${gid:-none}"
	[ -n "$gid" ] && [ "$gid" -lt 1000 ]
}
check "the miniproc group exists, a system group" system_group

t4=$(now)
check "apt-get purge -y miniproc-dkms miniproc-utils" \
	apt-get purge -y -q miniproc-dkms miniproc-utils
t5=$(now)
echo "# apt-get purge: $((t5 - t4)) s"

leftovers() {
	left=$(ls -d /usr/src/miniproc-* /var/lib/dkms/miniproc /usr/bin/miniproc \
		/lib/modules/*/updates/dkms/miniproc.ko* \
		/usr/share/man/man1/miniproc.1.gz /usr/share/man/man4/miniproc.4.gz \
		/usr/share/bash-completion/completions/miniproc \
		/usr/share/doc/miniproc-dkms /usr/share/doc/miniproc-utils 2>/dev/null || :)
	left="$left$(rule)"
	for p in miniproc-dkms miniproc-utils; do
		dpkg-query -W "$p" >/dev/null 2>&1 && left="$left package:$p"
	done
	echo "left behind: ${left:-nothing}"
	ds=$(dkms status -m miniproc 2>/dev/null)
	echo "dkms status: ${ds:-nothing}"
	[ -z "$left" ] && [ -z "$ds" ]
}
check "the purge leaves no file, no package and no DKMS tree behind" leftovers
check "the purge leaves the miniproc group, as Debian leaves system groups" \
	getent group miniproc

echo "# deb-test: $(($(now) - t0)) s in all"
tap_plan
finish
