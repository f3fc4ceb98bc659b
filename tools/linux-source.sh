#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# linux-source.sh DEST: extract from Debian's linux-source tarball the few
# kernel files miniproc builds with but must not copy into its repository:
# the kselftest harness (tools/testing/selftests) and checkpatch with its
# data files (scripts/). DEST receives them at their kernel-tree paths, so
# KSFT_DIR=DEST/tools/testing/selftests and DEST/scripts/checkpatch.pl.
#
# The tarball is large; tar is given exact member names so it extracts only
# those, and a stamp makes later calls free.
set -eu

dest=${1:?usage: linux-source.sh DEST}
stamp="$dest/.extracted"
[ -f "$stamp" ] && exit 0

# Debian 12's own kernel's source, linux-source-6.1, as the project's
# harness and style checker; another one only if 6.1's is not installed.
# (tools/host-deps.sh installs 6.1 and 6.12; the tests build with both
# harnesses, and checkpatch of both is clean.)
pick_tarball() {
	if [ -f /usr/src/linux-source-6.1.tar.xz ]; then
		echo /usr/src/linux-source-6.1.tar.xz
		return
	fi
	for t in /usr/src/linux-source-*.tar.xz; do
		[ -f "$t" ] && echo "$t"
	done | sort -V | tail -n 1
}

tarball=${LINUX_SOURCE_TARBALL:-$(pick_tarball)}
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
	echo "linux-source.sh: no /usr/src/linux-source-*.tar.xz; run tools/host-deps.sh" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)

members="
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	scripts/subarch.include
	.clang-format
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest_module.h
	tools/testing/selftests/lib.mk
	tools/testing/selftests/kselftest/runner.sh
	tools/testing/selftests/kselftest/prefix.pl
	tools/testing/selftests/kselftest/module.sh
"

mkdir -p "$dest"
set --
for m in $members; do
	set -- "$@" "$top/$m"
done
echo "  EXTRACT $(basename "$tarball") -> $dest"
tar -xJf "$tarball" -C "$dest" --strip-components=1 "$@"
touch "$stamp"
