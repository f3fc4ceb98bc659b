#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what the host needs to build miniproc and test it in a VM:
# Debian's 6.1 kernel (bookworm) and 6.12 kernel (bookworm-backports),
# their headers, qemu, busybox, sparse, dkms, the kernel source
# tarball the kselftest harness and checkpatch come from, and gnuplot for
# the benchmark's plot, and mandoc and man-db, which lint the man pages;
# and what `make deb` and deb-check build and check the Debian packages
# with: dpkg-dev, debhelper, dh-dkms, bash-completion (dh_bash-completion),
# lintian; and debootstrap, which makes the Debian 12 system
# `make check-install` boots.
#
# The backports suite is enabled from the mirror the existing bookworm
# entry already uses: no host name is written here.
set -eu

cd "$(dirname "$0")/.."
SUITE=bookworm-backports
LIST=/etc/apt/sources.list.d/miniproc-backports.sources

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "host-deps: must run as root to install packages" >&2
		exit 1
	fi
}

enable_backports() {
	if grep -rqs "$SUITE" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return 0
	fi
	mirror=$(tools/debian-mirror.sh || :)
	if [ -z "$mirror" ]; then
		echo "host-deps: no bookworm entry in the apt sources to derive $SUITE from" >&2
		exit 1
	fi
	cat > "$LIST" <<SRC
Types: deb
URIs: $mirror
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	echo "host-deps: enabled $SUITE from $mirror"
}

PKGS="build-essential bc flex bison libelf-dev libssl-dev cpio xz-utils
	perl qemu-system-x86 busybox-static sparse dkms kmod gnuplot-nox
	mandoc man-db
	dpkg-dev debhelper dh-dkms bash-completion lintian debootstrap
	linux-source-6.1 linux-source-6.12
	linux-image-amd64 linux-headers-amd64"
BPO_PKGS="linux-image-amd64 linux-headers-amd64"

missing() {
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
	done
}

# A kernel image and its headers from backports are installed: packages
# whose version carries "~bpo", whatever the kernel version is.
have_bpo_kernel() {
	for kind in image headers; do
		dpkg-query -W -f='${Version} ${Status}\n' "linux-$kind-[0-9]*-amd64" 2>/dev/null |
			grep -q '~bpo.* install ok installed$' || return 1
	done
}

m=$(missing)
if [ -z "$m" ] && have_bpo_kernel; then
	exit 0
fi
need_root
enable_backports
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
[ -z "$m" ] || apt-get install -y -q --no-install-recommends $m
# shellcheck disable=SC2086
have_bpo_kernel || apt-get install -y -q --no-install-recommends -t "$SUITE" $BPO_PKGS
