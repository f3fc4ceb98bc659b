#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [--query] VERSION: build (or find in the cache) the debug kernel
# the miniproc test VM boots, from Debian's linux-source-VERSION (6.1, 6.12,
# and the newest the archive carries: tools/newest-kernel.sh).
#
#   build.sh VERSION          make sure it is built; print its directory
#   build.sh --query VERSION  print "DIRECTORY RELEASE" without building
#                             (the source is extracted if it is not yet)
#
# The kernel is `make tinyconfig` plus miniproc-debug.config (and
# miniproc-debug-MAJOR.config, miniproc-debug-VERSION.config, if there are
# such files) beside this script,
# merged with the kernel's merge_config.sh, then olddefconfig. Every line
# of the fragments is then checked against the final .config; one that
# did not hold fails the build by name. Built: bzImage, and what building
# an external module against the tree needs (modules_prepare,
# Module.symvers), so that `make -C DIR M=...` works.
#
# Everything lives outside the repository, in
#   ${MINIPROC_CACHE:-/var/cache/miniproc}/debug-kernels/
#     src/linux-source-VERSION_PKGVERSION/  the tarball, extracted once
#     VERSION-HASH/                         the build (O=), with
#         arch/x86/boot/bzImage, release, build-seconds, build.log
# HASH covers the fragments, the source package's version and checksum,
# the compiler and this script's recipe: when any of them changes, the
# directory name changes, so a stale build is never used. A build counts
# only once it completed (DIR/.complete); concurrent callers wait on a
# lock instead of building twice. Builds unused for $PRUNE_DAYS days
# (another fragment, an older source package) are removed.
#
# Output: progress and timings on stderr, the answer on stdout.
set -eu

# Bump when the way a tree is built changes (not the fragments: they are
# hashed themselves).
RECIPE=1
PRUNE_DAYS=14

here=$(cd "$(dirname "$0")" && pwd)
query=0
if [ "${1:-}" = --query ]; then
	query=1
	shift
fi
version=${1:-}
case $version in
[0-9]*.[0-9]*) ;;
*)
	echo "usage: build.sh [--query] VERSION   (VERSION: X.Y of Debian's linux-source-X.Y)" >&2
	exit 2
	;;
esac

say() {
	echo "$@" >&2
}
die() {
	say "debug-kernel $version: $*"
	exit 1
}

pkg=linux-source-$version
cache=${MINIPROC_CACHE:-/var/cache/miniproc}/debug-kernels
fetched=${MINIPROC_CACHE:-/var/cache/miniproc}/newest-kernel/debs

# The source: Debian's linux-source-VERSION as installed (tools/host-deps.sh
# installs 6.1 and 6.12), or else a .deb of it that tools/newest-kernel.sh
# fetched, never installed: the one of version MINIPROC_SOURCE_VERSION if
# that is set, the newest fetched if not. $sum identifies the tarball.
deb=''
tarball=/usr/src/$pkg.tar.xz
pkgver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || :)
if [ -n "$pkgver" ] && [ -f "$tarball" ] &&
	{ [ -z "${MINIPROC_SOURCE_VERSION:-}" ] || [ "$MINIPROC_SOURCE_VERSION" = "$pkgver" ]; }; then
	sum=$(grep " usr/src/$pkg.tar.xz\$" "/var/lib/dpkg/info/$pkg.md5sums" 2>/dev/null || :)
else
	pkgver=''
	for f in "$fetched/$pkg"_*.deb; do
		[ -f "$f" ] || continue
		v=$(dpkg-deb -f "$f" Version)
		if [ -n "${MINIPROC_SOURCE_VERSION:-}" ]; then
			[ "$v" = "$MINIPROC_SOURCE_VERSION" ] || continue
		elif [ -n "$pkgver" ] && dpkg --compare-versions "$v" le "$pkgver"; then
			continue
		fi
		deb=$f
		pkgver=$v
	done
	[ -n "$deb" ] || die "$pkg${MINIPROC_SOURCE_VERSION:+ $MINIPROC_SOURCE_VERSION} is neither installed" \
		"(tools/host-deps.sh) nor fetched (tools/newest-kernel.sh fetch)"
	# Debian's name for the file carries the version; size and time
	# stand in for a checksum of 170 MB on every query.
	sum="$(basename "$deb") $(stat -c '%s %Y' "$deb")"
fi

# The fragment, then what a series (miniproc-debug-6.config) or one version
# (miniproc-debug-6.12.config) names otherwise, if there is such a file.
frags=$here/miniproc-debug.config
for f in "$here/miniproc-debug-${version%%.*}.config" "$here/miniproc-debug-$version.config"; do
	[ ! -f "$f" ] || frags="$frags $f"
done

srcdir=$cache/src/${pkg}_$pkgver
mkdir -p "$cache/src"

# The key: everything that decides what comes out of the build.
# shellcheck disable=SC2086 # $frags is a list of paths without spaces
key=$(
	echo "recipe $RECIPE"
	echo "$pkg $pkgver"
	echo "$sum"
	gcc --version | head -n 1
	ld --version | head -n 1
	for f in $frags; do
		echo "== ${f##*/}"
		cat "$f"
	done
)
hash=$(printf '%s\n' "$key" | sha256sum | cut -c1-12)
dir=$cache/$version-$hash

# extract: the source tree, once per source package version. tar runs xz
# with a thread per CPU (Debian's tarballs are multi-block).
extract() {
	exec 8>"$cache/src/.lock-$version"
	flock 8
	if [ ! -f "$srcdir/.extracted" ]; then
		say "  EXTRACT ${deb:-$tarball} -> $srcdir"
		start=$(date +%s)
		rm -rf "$srcdir.tmp" "$srcdir"
		mkdir -p "$srcdir.tmp"
		if [ -n "$deb" ]; then
			# The tarball inside the .deb, unpacked beside the tree.
			dpkg-deb -x "$deb" "$srcdir.tmp/.deb"
			t=$srcdir.tmp/.deb/usr/src/$pkg.tar.xz
		else
			t=$tarball
		fi
		tar -x --use-compress-program='xz -d -T0' -f "$t" \
			-C "$srcdir.tmp" --strip-components=1
		rm -rf "$srcdir.tmp/.deb"
		touch "$srcdir.tmp/.extracted"
		mv "$srcdir.tmp" "$srcdir"
		say "  EXTRACT done in $(($(date +%s) - start)) s"
	fi
	touch "$srcdir/.used"
	exec 8>&-
}

extract
# The release the kernel will report: its version plus the fragment's
# LOCALVERSION (checked against kbuild's own once built).
localversion=$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p' "$here/miniproc-debug.config")
release=$(make -s -C "$srcdir" kernelversion)$localversion

if [ "$query" = 1 ]; then
	echo "$dir $release"
	exit 0
fi

# verify CONFIG FRAGMENT...: every "CONFIG_X=v" of the fragments is in
# CONFIG as is, every "# CONFIG_X is not set" is not set there.
verify() {
	config=$1
	shift
	bad=$(
		for f in "$@"; do
			grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$f" |
				while IFS= read -r line; do
					case $line in
					\#*)
						sym=${line#\# }
						sym=${sym%% *}
						if grep -q "^$sym=" "$config"; then
							say "debug-kernel $version: ${f##*/}: $sym should be off;" \
								".config has $(grep "^$sym=" "$config")"
							echo "$sym"
						fi
						;;
					*)
						sym=${line%%=*}
						if ! grep -qxF "$line" "$config"; then
							got=$(grep -E "^$sym=|^# $sym is not set" "$config" ||
								echo "no $sym at all (unmet dependency or unknown symbol)")
							say "debug-kernel $version: ${f##*/}: wanted $line; .config has $got"
							echo "$sym"
						fi
						;;
					esac
				done
		done
	)
	[ -z "$bad" ]
}

build() {
	rm -rf "$dir"
	mkdir -p "$dir"
	log=$dir/build.log
	start=$(date +%s)
	say "  KCONFIG $version: tinyconfig + ${frags##*/} ($dir)"
	{
		make -C "$srcdir" O="$dir" tinyconfig
		# shellcheck disable=SC2086
		"$srcdir/scripts/kconfig/merge_config.sh" -m -O "$dir" "$dir/.config" $frags
		make -C "$srcdir" O="$dir" olddefconfig
	} >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuring failed (log: $log)"; }
	# shellcheck disable=SC2086
	verify "$dir/.config" $frags || die "the .config lacks what the fragment asks for (above); see $log"

	jobs=$(nproc)
	say "  KBUILD  $version: bzImage modules_prepare, -j$jobs (log: $log)"
	if ! make -C "$srcdir" O="$dir" -j"$jobs" bzImage modules_prepare >>"$log" 2>&1; then
		grep -E 'error|Error' "$log" | head -n 20 >&2
		die "build failed (log: $log)"
	fi
	# modpost checks an external module's symbols against Module.symvers,
	# which only `make modules` would write; vmlinux's are all there are.
	[ -s "$dir/Module.symvers" ] || cp "$dir/vmlinux.symvers" "$dir/Module.symvers"
	built=$(cat "$dir/include/config/kernel.release")
	if [ "$built" != "$release" ]; then
		die "kbuild says release $built, expected $release"
	fi
	secs=$(($(date +%s) - start))
	echo "$release" >"$dir/release"
	echo "$secs" >"$dir/build-seconds"
	touch "$dir/.complete"
	say "  BUILT   $version ($release) in $secs s: $dir/arch/x86/boot/bzImage"
}

exec 9>"$dir.lock"
if ! flock -n 9; then
	say "  WAIT    another build of $dir is running"
	flock 9
fi
if [ -f "$dir/.complete" ] && [ -f "$dir/arch/x86/boot/bzImage" ]; then
	say "  CACHED  $version ($(cat "$dir/release")), built in $(cat "$dir/build-seconds") s: $dir"
else
	build
fi
touch "$dir/.used"
exec 9>&-

# Builds and extracted sources of this version nobody used for PRUNE_DAYS
# days (a build's tree refers to its source: external modules build there).
for old in "$cache/src/${pkg}_"*; do
	if [ ! -d "$old" ] || [ "$old" = "$srcdir" ]; then
		continue
	fi
	if [ -z "$(find "$old/.used" -mtime -"$PRUNE_DAYS" 2>/dev/null)" ]; then
		say "  PRUNE   $old (unused for $PRUNE_DAYS days)"
		rm -rf "$old"
	fi
done
for old in "$cache/$version"-*; do
	if [ ! -d "$old" ] || [ "$old" = "$dir" ]; then
		continue
	fi
	if [ -z "$(find "$old/.used" "$old/.config" -mtime -"$PRUNE_DAYS" 2>/dev/null)" ]; then
		say "  PRUNE   $old (unused for $PRUNE_DAYS days)"
		rm -rf "$old" "$old.lock"
	fi
done

echo "$dir"
