#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh: pack the initramfs the miniproc test VM boots from.
#
#   mkinitramfs.sh -o OUT -k KVER [-m MODULE.ko] [-c CLI] [-t TESTDIR] [-x BIN]...
#
#   -o OUT   the gzip'd cpio archive to write
#   -k KVER  release of the kernel it is for (where the module goes)
#   -m KO    miniproc.ko, installed as /lib/modules/KVER/extra/miniproc.ko
#   -c CLI   the miniproc command, installed as /usr/local/bin/miniproc
#   -t DIR   installed selftests (with tests.list), copied to
#            /usr/lib/miniproc-vm/selftests
#   -x BIN   another host program to include at the same path (repeatable)
#
# Userspace is busybox-static, plus bash for tests written for it. Every
# dynamically linked program gets the shared libraries ldd finds and the
# ELF interpreter, so nothing has to be static for the image to work.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out='' kver='' ko='' cli='' tests='' extra=''

usage() {
	echo "usage: mkinitramfs.sh -o OUT -k KVER [-m KO] [-c CLI] [-t TESTDIR] [-x BIN]..." >&2
	exit 2
}

# abspath PATH: PATH made absolute, as the packing runs in another directory.
abspath() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$PWD/$1" ;;
	esac
}

while getopts o:k:m:c:t:x: opt; do
	case $opt in
	o) out=$OPTARG ;;
	k) kver=$OPTARG ;;
	m) ko=$OPTARG ;;
	c) cli=$OPTARG ;;
	t) tests=$OPTARG ;;
	x) extra="$extra $OPTARG" ;;
	*) usage ;;
	esac
done
if [ -z "$out" ] || [ -z "$kver" ]; then
	usage
fi
out=$(abspath "$out")
[ -z "$ko" ] || ko=$(abspath "$ko")
[ -z "$cli" ] || cli=$(abspath "$cli")
[ -z "$tests" ] || tests=$(abspath "$tests")

busybox=/bin/busybox
if ! "$busybox" --help 2>&1 | head -n 1 | grep -q BusyBox ||
	ldd "$busybox" >/dev/null 2>&1; then
	echo "mkinitramfs: $busybox is not a static busybox; install busybox-static" >&2
	exit 1
fi

root="$out.d"
rm -rf "$root"
mkdir -p "$root"
cd "$root"
mkdir -p bin sbin usr/bin usr/sbin usr/local/bin etc proc sys dev tmp run \
	root home/user usr/lib/miniproc-vm "lib/modules/$kver/extra"

cp "$busybox" bin/busybox
ln -s busybox bin/sh
install -m 0755 "$here/init" init
install -m 0755 "$here/run-tests.sh" "$here/demo.sh" "$here/devnode.sh" \
	usr/lib/miniproc-vm/
# The rule udev applies on an installed system; devnode.sh applies it here.
install -D -m 0644 "$here/../../udev/60-miniproc.rules" \
	etc/udev/rules.d/60-miniproc.rules

if [ -n "$ko" ]; then
	install -m 0644 "$ko" "lib/modules/$kver/extra/miniproc.ko"
	# modules.dep lets `modprobe miniproc` work in the VM too; depmod
	# wants the index files a kernel package would have.
	echo extra/miniproc.ko >"lib/modules/$kver/modules.order"
	: >"lib/modules/$kver/modules.builtin"
	: >"lib/modules/$kver/modules.builtin.modinfo"
	depmod -b "$root" "$kver"
fi
if [ -n "$cli" ]; then
	install -m 0755 "$cli" usr/local/bin/miniproc
fi
if [ -n "$tests" ]; then
	mkdir -p usr/lib/miniproc-vm/selftests
	cp -a "$tests"/. usr/lib/miniproc-vm/selftests/
fi

# bash for test scripts that ask for it; jq-less JSON checks are the
# tests' business, any other tool is added with -x.
for bin in /bin/bash $extra; do
	if [ ! -x "$bin" ]; then
		echo "mkinitramfs: $bin: not an executable" >&2
		exit 1
	fi
	mkdir -p "./$(dirname "$bin")"
	cp -L "$bin" "./$bin"
done

# Shared libraries of every dynamically linked ELF file in the image.
# `ldd` prints "name => /path (addr)" for libraries and "/path (addr)" for
# the interpreter; the vDSO has no path.
is_elf() {
	[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]
}
find . -type f -perm -u+x | while read -r f; do
	is_elf "$f" || continue
	ldd "$f" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }
	' || :
done | sort -u | while read -r lib; do
	mkdir -p "./$(dirname "$lib")"
	cp -L "$lib" "./$lib"
done

# The image is packed as root:root whoever builds it.
find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
cd /
rm -rf "$root"
echo "  INITRD  $out ($(du -h "$out" | cut -f1))"
