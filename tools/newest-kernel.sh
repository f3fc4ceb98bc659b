#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# newest-kernel.sh COMMAND: the newest kernel Debian's archive carries, as
# a linux-source-X.Y package from the suites newer than this machine's
# (NEWEST_SUITES, default "trixie-backports sid"), for `make check` to
# build and test beside the bookworm kernels.
#
#   list          every linux-source-X.Y those suites carry, one
#                 "PACKAGE VERSION" a line, newest first
#   plan          what `make check` runs, one line each:
#                   gate PACKAGE VERSION    counted: its failure fails check
#                   report PACKAGE VERSION  newer than the one that passed:
#                                           run and printed, never counted
#                   none REASON             nothing to run (said, not failed)
#   fetch PACKAGE VERSION
#                 download that .deb (unless cached); print its path
#   sparse        build the newest sparse those suites carry from its
#                 Debian source (once per version); print its path. A
#                 kernel of those suites is checked with a sparse of
#                 theirs: 7.x's kbuild turns off one older than 0.6.5.
#
# The gate is the version named in tools/newest-kernel.passed, the newest
# one that has passed here (while it names none, the newest is a report): a new upload never turns check red for a change
# that did not cause it. Once the archive no longer carries that version
# (and no copy is cached) the gate is the newest there is. A newer upload is
# the report until a commit names it in newest-kernel.passed.
#
# apt runs with a configuration of its own: its own sources list (the
# mirror of the host's bookworm entry, tools/debian-mirror.sh, with these
# suites), lists, caches and an empty dpkg status, all under
# ${MINIPROC_CACHE:-/var/cache/miniproc}/newest-kernel/. Nothing of the
# host's apt setup is read for packages or changed. `apt-get download` needs
# no dependency resolution: linux-source-X.Y is Architecture: all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# For tools/tests/newest-kernel-test.sh: another passed file, and the
# archive's list from a file instead of apt (NEWEST_LIST=/nonexistent: the
# archive cannot be reached).
passed_file=${NEWEST_PASSED:-$here/newest-kernel.passed}
suites=${NEWEST_SUITES:-trixie-backports sid}
top=${MINIPROC_CACHE:-/var/cache/miniproc}/newest-kernel
debs=$top/debs
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

say() {
	echo "newest-kernel: $*" >&2
}

# apt_cmd TOOL ARG...: apt-get or apt-cache with the private configuration.
apt_cmd() {
	tool=$1
	shift
	"$tool" -q \
		-o Dir::Etc::SourceList="$top/apt/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State="$top/apt/state" \
		-o Dir::State::Lists="$top/apt/state/lists" \
		-o Dir::State::status="$top/apt/state/status" \
		-o Dir::Cache="$top/apt/cache" \
		-o APT::Architecture=amd64 \
		-o APT::Get::List-Cleanup=false \
		-o Acquire::Languages=none \
		-o Debug::NoLocking=false \
		"$@"
}

# update [src]: write the sources list and fetch the suites' package
# lists (with "src", their source lists too). Fails (returns 1) without the
# network or the mirror.
update() {
	mirror=$("$here/debian-mirror.sh") || {
		say "no bookworm entry in the apt sources to derive the mirror from"
		return 1
	}
	mkdir -p "$top/apt/state/lists/partial" "$top/apt/cache/archives/partial" "$debs"
	: >"$top/apt/state/status"
	for s in $suites; do
		echo "deb [signed-by=$keyring] $mirror $s main"
		[ "${1:-}" != src ] || echo "deb-src [signed-by=$keyring] $mirror $s main"
	done >"$top/apt/sources.list"
	apt_cmd apt-get update >"$top/apt/update.log" 2>&1 || {
		say "apt-get update failed (log: $top/apt/update.log)"
		return 1
	}
	# A suite the mirror lacks is only a warning to apt; say it here.
	if grep -q '^\(W\|E\): ' "$top/apt/update.log"; then
		grep '^\(W\|E\): ' "$top/apt/update.log" | sed 's/^/newest-kernel: /' >&2
	fi
}

# newer A B: true if Debian version A is newer than B.
newer() {
	dpkg --compare-versions "$1" gt "$2"
}

# rank: the "PACKAGE VERSION" lines of stdin, newest first by Debian's
# version order (sort -V misorders "~bpo"): each line is ranked by how many
# others are newer. A handful of lines: the quadratic rank is fine.
rank() {
	raw=$(sort -u)
	[ -n "$raw" ] || return 0
	printf '%s\n' "$raw" | while read -r p v; do
		n=$(printf '%s\n' "$raw" | while read -r _ w; do
			! newer "$w" "$v" || echo
		done | wc -l)
		echo "$n $p $v"
	done | sort -n | cut -d' ' -f2-
}

# list: every "linux-source-X.Y VERSION" in the lists, newest first.
list() {
	apt_cmd apt-cache search --names-only '^linux-source-[0-9]+\.[0-9]+$' |
		cut -d' ' -f1 | while read -r p; do
		apt_cmd apt-cache madison "$p" | awk -F' *[|] *' '{ print $1, $2 }'
	done | rank
}

# cached PACKAGE VERSION: the path of a downloaded .deb, if there is one.
cached() {
	for f in "$debs/$1"_*.deb; do
		[ -f "$f" ] || continue
		if [ "$(dpkg-deb -f "$f" Version)" = "$2" ]; then
			echo "$f"
			return 0
		fi
	done
	return 1
}

fetch() {
	pkg=$1
	ver=$2
	if f=$(cached "$pkg" "$ver"); then
		echo "$f"
		return 0
	fi
	update
	mkdir -p "$debs"
	tmp=$(mktemp -d "$debs/.fetch.XXXXXX")
	# apt's _apt user cannot write here; running as root, apt says so and
	# downloads unsandboxed, which is what a root `apt-get download` does.
	if ! (cd "$tmp" && apt_cmd apt-get -o APT::Sandbox::User=root download "$pkg=$ver") \
		>"$top/fetch.log" 2>&1; then
		rm -rf "$tmp"
		say "apt-get download $pkg=$ver failed (log: $top/fetch.log)"
		return 1
	fi
	f=$(ls "$tmp"/*.deb)
	mv "$f" "$debs/"
	rmdir "$tmp"
	# Older downloads of the same package go, except the one that passed.
	keep=$(passed)
	for old in "$debs/$pkg"_*.deb; do
		[ "$old" != "$debs/${f##*/}" ] || continue
		ov=$(dpkg-deb -f "$old" Version)
		[ "$pkg $ov" = "$keep" ] || rm -f "$old"
	done
	echo "$debs/${f##*/}"
}

# sparse_build: the newest sparse of the suites, built from source with
# the host's compiler (CC=cc: Debian's patch names its own gcc) into
# $top/sparse/VERSION/sparse (the checker alone:
# no LLVM, GTK, sqlite or libxml front ends); prints its path.
sparse_build() {
	update src || return 1
	sver=$(apt_cmd apt-cache showsrc sparse 2>/dev/null |
		sed -n 's/^Version: /sparse /p' | rank | head -n 1 | cut -d' ' -f2)
	if [ -z "$sver" ]; then
		say "no sparse source in $suites"
		return 1
	fi
	sdir=$top/sparse/$sver
	if [ -x "$sdir/sparse" ]; then
		echo "$sdir/sparse"
		return 0
	fi
	mkdir -p "$top/sparse"
	tmp=$(mktemp -d "$top/sparse/.build.XXXXXX")
	slog=$top/sparse/build.log
	say "building sparse $sver (log: $slog)"
	if ! (cd "$tmp" &&
		apt_cmd apt-get -o APT::Sandbox::User=root source --download-only "sparse=$sver" &&
		dpkg-source -x ./*.dsc src &&
		make -C src -j"$(nproc)" CC=cc sparse HAVE_LLVM=no HAVE_GTK=no HAVE_SQLITE=no HAVE_LIBXML=no) \
		>"$slog" 2>&1; then
		rm -rf "$tmp"
		say "sparse $sver could not be fetched or built (log: $slog)"
		return 1
	fi
	mkdir -p "$sdir"
	mv "$tmp/src/sparse" "$sdir/sparse"
	rm -rf "$tmp"
	echo "$sdir/sparse"
}

# passed: the "PACKAGE VERSION" the passed file names. Comments and blank
# lines aside, it names one kernel, or none (prints nothing) while no
# version has passed yet: then the newest is only a report.
passed() {
	[ -f "$passed_file" ] || return 0
	grep -v '^[[:space:]]*\(#\|$\)' "$passed_file" | head -n 1
}

# archive: the archive's list, newest first; fails if it cannot be had.
archive() {
	if [ -n "${NEWEST_LIST:-}" ]; then
		[ -f "$NEWEST_LIST" ] || return 1
		rank <"$NEWEST_LIST"
		return
	fi
	update && list
}

plan() {
	read -r ppkg pver <<-EOF || :
	$(passed)
	EOF
	if [ -z "$ppkg" ]; then
		if ! all=$(archive) || [ -z "$all" ]; then
			echo "none no version has passed yet and the archive offers none"
		else
			echo "report $(echo "$all" | head -n 1)"
		fi
		return 0
	fi
	if ! all=$(archive); then
		if cached "$ppkg" "$pver" >/dev/null; then
			echo "gate $ppkg $pver"
		else
			echo "none the archive could not be reached and no copy of $ppkg $pver is cached"
		fi
		return 0
	fi
	if [ -z "$all" ]; then
		if cached "$ppkg" "$pver" >/dev/null; then
			echo "gate $ppkg $pver"
		else
			echo "none no linux-source-X.Y in $suites"
		fi
		return 0
	fi
	newest=$(echo "$all" | head -n 1)
	if echo "$all" | grep -qxF "$ppkg $pver" || cached "$ppkg" "$pver" >/dev/null; then
		echo "gate $ppkg $pver"
		nv=${newest#* }
		if newer "$nv" "$pver"; then
			echo "report $newest"
		fi
	else
		say "$ppkg $pver (tools/newest-kernel.passed) is no longer in the archive; the newest, $newest, is the gate"
		echo "gate $newest"
	fi
}

case ${1:-} in
list)
	update
	list
	;;
plan)
	plan
	;;
fetch)
	[ "$#" -eq 3 ] || { echo "usage: newest-kernel.sh fetch PACKAGE VERSION" >&2; exit 2; }
	fetch "$2" "$3"
	;;
sparse)
	sparse_build
	;;
*)
	echo "usage: newest-kernel.sh list | plan | fetch PACKAGE VERSION | sparse" >&2
	exit 2
	;;
esac
