#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkroot.sh: build (or find in the cache) the Debian 12 system that
# `make check-install` boots, and print its directory. It is what a user's
# machine is: debootstrap's bookworm (the default variant: systemd, udev,
# apt, adduser) with the stock kernel linux-image-amd64, its headers
# (linux-headers-amd64), dkms, build-essential and man-db; nothing of
# miniproc's. The directory holds
#
#   root.img               its root filesystem, raw ext4 (mkfs.ext4 -d);
#                          booted with qemu's snapshot=on, so never written
#   vmlinuz, initrd.img    the guest's kernel and the initramfs its
#                          initramfs-tools made, copied out of its /boot
#   release                the guest kernel's release
#   build-seconds, build.log
#
# under ${MINIPROC_CACHE:-/var/cache/miniproc}/install-root/bookworm-HASH/.
# HASH covers what goes in it (the suite, the mirror, the package list,
# the image's size, the files baked in) and RECIPE: when any changes, so
# does the directory, and a stale image is never booted. An image counts
# once it is complete (.complete); concurrent callers wait on a lock
# instead of building twice; images unused for $PRUNE_DAYS days are
# removed. The mirror is the one this
# host's apt sources already use for bookworm (tools/debian-mirror.sh):
# no host name is written into the repository.
#
# The one thing baked in for the test, beside an fstab: a oneshot unit,
# miniproc-install-test.service (both files beside this script), that runs
# only when the kernel command line has mpinstall=test. It runs
# guest-test.sh from the disk labelled mpinstall, mounted at /mnt/payload,
# with its output on the second serial port (ttyS1), and powers the
# machine off whatever the outcome.
#
# Output: progress and timings on stderr, the directory on stdout.
set -eu

# Bump when the way an image is made changes (what goes in it, the
# package list and the files below, is hashed itself).
RECIPE=1
SUITE=bookworm
# On top of the default variant (which has systemd-sysv, udev, apt,
# adduser): what a user installs before `apt install miniproc-dkms`.
# openssl: DKMS makes its signing key with it.
INCLUDE="linux-image-amd64 linux-headers-amd64 dkms build-essential man-db
	openssl kmod"
IMAGE_SIZE=6G
PRUNE_DAYS=14

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
say() {
	echo "$@" >&2
}
die() {
	say "install-root: $*"
	exit 1
}

mirror=$("$top/tools/debian-mirror.sh") ||
	die "no bookworm entry in this host's apt sources to take the mirror from"
command -v debootstrap >/dev/null ||
	die "debootstrap is not installed (make deps installs it)"

cache=${MINIPROC_CACHE:-/var/cache/miniproc}/install-root
hash=$({
	echo "$RECIPE $SUITE $INCLUDE $IMAGE_SIZE $mirror"
	cat "$here/fstab" "$here/miniproc-install-test.service"
} | sha256sum | cut -c1-12)
dir=$cache/$SUITE-$hash

# configure ROOTFS: what the image needs beyond what debootstrap made.
configure() {
	r=$1
	echo miniproc-install >"$r/etc/hostname"
	cp "$here/fstab" "$r/etc/fstab"
	mkdir -p "$r/mnt/payload"
	cp "$here/miniproc-install-test.service" "$r/etc/systemd/system/"
	ln -sf /etc/systemd/system/miniproc-install-test.service \
		"$r/etc/systemd/system/multi-user.target.wants/"
	# The downloaded packages are not part of the system.
	rm -f "$r"/var/cache/apt/archives/*.deb
}

build() {
	rm -rf "$dir"
	mkdir -p "$dir"
	log=$dir/build.log
	start=$(date +%s)
	rootfs=$dir/rootfs
	say "  DEBOOTSTRAP $SUITE from $mirror (log: $log)"
	# shellcheck disable=SC2086 # a list of package names
	if ! debootstrap --arch=amd64 --include="$(echo $INCLUDE | tr ' ' ,)" \
		"$SUITE" "$rootfs" "$mirror" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "debootstrap failed (log: $log)"
	fi
	configure "$rootfs"
	set -- "$rootfs"/boot/vmlinuz-*
	if [ "$#" != 1 ] || [ ! -f "$1" ]; then
		die "expected one kernel in $rootfs/boot, found: $*"
	fi
	release=${1##*/vmlinuz-}
	[ -f "$rootfs/boot/initrd.img-$release" ] || die "no initrd.img-$release in $rootfs/boot"
	[ -d "$rootfs/usr/src/linux-headers-$release" ] || die "no headers for $release in the image"
	cp "$rootfs/boot/vmlinuz-$release" "$dir/vmlinuz"
	cp "$rootfs/boot/initrd.img-$release" "$dir/initrd.img"
	say "  MKFS    $dir/root.img ($IMAGE_SIZE, sparse)"
	mkfs.ext4 -q -F -L mproot -d "$rootfs" "$dir/root.img" "$IMAGE_SIZE" >>"$log" 2>&1 ||
		die "mkfs.ext4 failed (log: $log)"
	# The image is the cache; the tree it was made from is not kept.
	rm -rf "$rootfs"
	secs=$(($(date +%s) - start))
	echo "$release" >"$dir/release"
	echo "$secs" >"$dir/build-seconds"
	touch "$dir/.complete"
	say "  BUILT   Debian $SUITE with $release in $secs s: $dir"
}

mkdir -p "$cache"
exec 9>"$dir.lock"
if ! flock -n 9; then
	say "  WAIT    another build of $dir is running"
	flock 9
fi
if [ -f "$dir/.complete" ] && [ -f "$dir/root.img" ]; then
	say "  CACHED  Debian $SUITE with $(cat "$dir/release"), built in $(cat "$dir/build-seconds") s: $dir"
else
	build
fi
touch "$dir/.used"
exec 9>&-

for old in "$cache/$SUITE"-*; do
	# (One being built has no .used yet; its builder holds its lock.)
	if [ ! -d "$old" ] || [ "$old" = "$dir" ] || ! flock -n "$old.lock" true; then
		continue
	fi
	if [ -z "$(find "$old/.used" -mtime -"$PRUNE_DAYS" 2>/dev/null)" ]; then
		say "  PRUNE   $old (unused for $PRUNE_DAYS days)"
		rm -rf "$old" "$old.lock"
	fi
done

echo "$dir"
