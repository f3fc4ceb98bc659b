#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: `make check-install`, the whole path a user takes, on a real
# Debian 12 booted in qemu: the packages `make deb` built (build/deb/) are
# installed there with apt, DKMS builds the module for the guest's own
# kernel, and the guest checks modprobe, the device udev made, a member
# of the miniproc group running a program and reading the manual, and a
# user outside the group refused (tools/install-vm/guest-test.sh).
#
# The guest is tools/install-vm/mkroot.sh's cached image, booted with
# snapshot=on, so every run starts from the same clean system and the
# cache is never written. A second disk, made here with mkfs.ext4 -d,
# carries the .debs and the guest's script in, and the guest's logs out
# (read back with debugfs). The machine is the test VM's (tools/vm/run.sh):
# TCG with one host thread, -cpu max, two CPUs, no network; the kernel
# command line panics on any warning or oops, and tools/vm/results.sh
# judges the TAP stream and the console log as vm-check's are.
#
# Output: the guest's TAP live, then the host's own checks, a plan and
# "N passed, N failed"; logs in build/check-install/. Runs as root (mkroot
# runs debootstrap). Environment: INSTALL_VM_TIMEOUT (seconds, default
# 3600: DKMS compiling under emulation takes minutes), VM_MEM (MiB,
# default 2048), QEMU.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=$top/build/check-install
version=$(cat VERSION)
arch=$(dpkg --print-architecture)
limit=${INSTALL_VM_TIMEOUT:-3600}
debs="build/deb/miniproc-dkms_${version}_all.deb build/deb/miniproc-utils_${version}_$arch.deb"
label=debian12

now() {
	date +%s
}
die() {
	echo "not ok 1 - check-install: $*"
	echo "1..1"
	echo "0 passed, 1 failed"
	exit 1
}

t0=$(now)
[ "$(id -u)" -eq 0 ] || die "runs as root (debootstrap builds the guest's root filesystem)"
for d in $debs; do
	[ -f "$d" ] || die "no $d (make deb builds it)"
done

# Heavy and long: the host is shared.
root=$(nice -n 10 tools/install-vm/mkroot.sh) || die "no Debian 12 image (tools/install-vm/mkroot.sh failed)"
t1=$(now)
echo "# guest: Debian 12, kernel $(cat "$root/release"), image $root ($((t1 - t0)) s to get it)"

rm -rf "$out"
mkdir -p "$out/payload"
# shellcheck disable=SC2086 # paths without spaces
cp $debs VERSION tools/install-vm/guest-test.sh "$out/payload/"
mkfs.ext4 -q -L mpinstall -d "$out/payload" "$out/payload.img" 256M >/dev/null ||
	die "mkfs.ext4 of the payload disk failed"

console=$out/console.log
tap=$out/tap.log
append="root=/dev/vda rw console=ttyS0 panic=-1 panic_on_warn=1 oops=panic tsc=reliable no5lvl mpinstall=test"
echo "  QEMU    Debian 12 ($(cat "$root/release"), time limit ${limit}s, console: $console)"
status=0
nice -n 10 timeout --foreground -k 10 "$limit" \
	"${QEMU:-qemu-system-x86_64}" -accel tcg,thread=single \
	-cpu max -smp 2 -m "${VM_MEM:-2048}" \
	-no-reboot -nodefaults -no-user-config -display none \
	-kernel "$root/vmlinuz" -initrd "$root/initrd.img" -append "$append" \
	-drive "file=$root/root.img,format=raw,if=virtio,snapshot=on" \
	-drive "file=$out/payload.img,format=raw,if=virtio" \
	-chardev "file,id=con,path=$console" -serial chardev:con \
	-chardev "stdio,id=tap,logfile=$tap" -serial chardev:tap \
	</dev/null || status=$?
echo "$status" >"$out/qemu.status"
t2=$(now)
echo "# qemu: exit $status after $((t2 - t1)) s"
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
	echo "# the VM did not finish within ${limit}s and was killed"
fi

# What the guest left on its disk: each step's log, the DKMS build log, the journal.
debugfs -R "rdump /out $out" "$out/payload.img" >/dev/null 2>&1 || :
[ ! -d "$out/out" ] || echo "# the guest's logs: $out/out/"

# One verdict per line, vm-check's rules: the guest's results, that it
# reached its end marker, that the console shows no kernel splat.
tools/vm/results.sh "$label" "$out" >"$out/results.txt"
k=$(grep -vc ": vm: " "$out/results.txt" || :)
grep ": vm: " "$out/results.txt" | awk -v n="$k" -v l="$label: " '{
	st = $1 == "not" ? "not ok" : "ok"
	d = $0; sub("^(not )?ok " l, "", d)
	print st " " ++n " - " d
}'
echo "1..$(wc -l <"$out/results.txt")"
echo "# check-install: $(($(now) - t0)) s in all"
tools/tally.sh "$out/results.txt"
