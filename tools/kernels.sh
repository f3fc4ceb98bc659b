#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print, oldest first, every kernel miniproc can be built for and booted
# with: each /boot/vmlinuz-<release> whose /lib/modules/<release>/build
# headers are installed. The versions are discovered, never hard-coded, so
# the same tree works after a kernel upgrade.
set -eu

for image in /boot/vmlinuz-*; do
	[ -f "$image" ] || continue
	release=${image#/boot/vmlinuz-}
	if [ -d "/lib/modules/$release/build" ]; then
		echo "$release"
	fi
done | sort -V
