#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh VERSION KVER...: prove that dkms.conf builds the module
# with `dkms build` for each kernel, the way a user's `dkms install` would,
# without touching the machine's DKMS state: the source and DKMS trees are
# private directories under build/dkms (--sourcetree, --dkmstree), and the
# module is never installed. DKMS_KERNELDIR names the build tree of a
# kernel that is not in /lib/modules (the debug and newest kernels), as
# `dkms build --kernelsourcedir` takes it.
#
# One thing `dkms build` does outside those trees: on a kernel that takes
# signed modules it creates a signing key in /var/lib/dkms if there is none.
# A key created by this check is removed again.
set -eu

version=$1
shift
[ "$#" -gt 0 ] || { echo "dkms-check: no kernel given" >&2; exit 1; }

top=$(cd "$(dirname "$0")/.." && pwd)
base=$top/build/dkms
src=$base/source/miniproc-$version
opts="--sourcetree $base/source --dkmstree $base/tree"

rm -rf "$base"
mkdir -p "$src" "$base/tree"
# Exactly what dkms-install ships: dkms.conf, Kbuild, VERSION, the sources.
cp -r "$top/dkms.conf" "$top/Kbuild" "$top/VERSION" "$top/module" "$top/uapi" "$src/"

keys="/var/lib/dkms/mok.key /var/lib/dkms/mok.pub"
created=''
for k in $keys; do
	[ -e "$k" ] || created="$created $k"
done
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	# shellcheck disable=SC2086 # a list of paths without spaces
	[ -z "$created" ] || rm -f $created
}
trap cleanup EXIT

# shellcheck disable=SC2086 # $opts is a list of options
dkms add -m miniproc -v "$version" $opts
status=0
for kver in "$@"; do
	echo "  DKMS    build miniproc/$version for $kver"
	# A kernel outside /lib/modules (a debug kernel's tree): DKMS_KERNELDIR.
	kopts=
	[ -z "${DKMS_KERNELDIR:-}" ] || kopts="--kernelsourcedir $DKMS_KERNELDIR"
	# shellcheck disable=SC2086
	if ! dkms build -m miniproc -v "$version" -k "$kver" $opts $kopts; then
		log=$base/tree/miniproc/$version/build/make.log
		[ ! -f "$log" ] || tail -n 40 "$log"
		status=1
		continue
	fi
	ko=$(find "$base/tree/miniproc/$version/$kver" -name 'miniproc.ko*' | head -n 1)
	if [ -z "$ko" ]; then
		echo "dkms-check: dkms build for $kver left no miniproc.ko" >&2
		status=1
	else
		echo "  DKMS    ok: ${ko#"$top"/}"
	fi
done
# shellcheck disable=SC2086
dkms remove -m miniproc -v "$version" --all $opts >/dev/null || status=1
# Kept on failure for its logs.
[ "$status" -ne 0 ] || rm -rf "$base"
exit "$status"
