#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: boot the miniproc test VM (qemu, TCG) on one installed kernel.
#
#   run.sh -m check|shell|demo|run -k KVER [-K IMAGE] -i INITRD -o OUTDIR [-t SECONDS] [-v]
#
#   -K IMAGE  the kernel image to boot (default $VM_KERNEL, else
#             /boot/vmlinuz-KVER; a debug kernel from tools/debug-kernel/
#             lives in its build directory: `make DEBUG=6.1 ...` sets it)
#
#   check  run every test; the guest's TAP stream (its second serial port)
#          is shown live and saved to OUTDIR/tap.log, the kernel console to
#          OUTDIR/console.log (-v shows the console instead of the TAP)
#   demo   run the narrated tour, console on the terminal
#   shell  interactive shell on the serial console (Ctrl-A X quits qemu)
#   run    run the command tools/vm/capture.sh packed into INITRD; its
#          output (the guest's second serial port) is shown live and saved
#          to OUTDIR/run.log, the console to OUTDIR/console.log
#
# check and demo stop after -t SECONDS (default $VM_TIMEOUT or 600: TCG is
# slow); the exit status of qemu, 124 on a time-out, goes to
# OUTDIR/qemu.status. The kernel command line makes any warning or oops
# panic, and a panic ends the VM at once, so a splat cannot go unnoticed
# behind later output: tools/vm/results.sh judges the logs.
#
# Environment: VM_KERNEL (see -K), VM_TEST_TIMEOUT (per test program,
# overrides the selftests' settings file), VM_FUZZ_OPS, VM_FUZZ_SECONDS,
# VM_FUZZ_SEED (the size and seed of the ioctl fuzzer's run,
# selftests/fuzz), VM_APPEND (more kernel parameters), VM_MEM (guest
# memory, MiB), VM_ICOUNT (qemu's -icount: guest time counted in executed
# instructions, e.g. shift=0,sleep=off; `make bench` sets it), QEMU (the
# binary).
set -eu

mode=check kver='' image='' initrd='' outdir='' verbose=0
limit=${VM_TIMEOUT:-600}

usage() {
	echo "usage: run.sh -m check|shell|demo|run -k KVER [-K IMAGE] -i INITRD -o OUTDIR [-t SECONDS] [-v]" >&2
	exit 2
}

while getopts m:k:K:i:o:t:v opt; do
	case $opt in
	m) mode=$OPTARG ;;
	k) kver=$OPTARG ;;
	K) image=$OPTARG ;;
	i) initrd=$OPTARG ;;
	o) outdir=$OPTARG ;;
	t) limit=$OPTARG ;;
	v) verbose=1 ;;
	*) usage ;;
	esac
done
if [ -z "$kver" ] || [ -z "$initrd" ] || [ -z "$outdir" ]; then
	usage
fi
case $mode in
check | shell | demo | run) ;;
*) usage ;;
esac

kernel=${image:-${VM_KERNEL:-/boot/vmlinuz-$kver}}
for f in "$kernel" "$initrd"; do
	if [ ! -r "$f" ]; then
		echo "run.sh: cannot read $f" >&2
		exit 1
	fi
done

mkdir -p "$outdir"
console=$outdir/console.log
tap=$outdir/tap.log
if [ "$mode" = run ]; then
	tap=$outdir/run.log
fi
rm -f "$console" "$tap" "$outdir/qemu.status"

# panic_on_warn and oops=panic turn any splat into a panic; panic=-1 with
# -no-reboot turns the panic into qemu exiting, so a broken kernel ends the
# run in seconds instead of at the time limit.
# tsc=reliable: under emulation the clocksource watchdog sees the TSC skew
# when the host is busy and switches clocksource mid-run; that patches
# kernel text, which multi-threaded TCG does not always survive, and makes
# the per-CPU clocks disagree. The emulated TSC is in fact fine.
# no5lvl: -cpu max offers 5-level paging, and with it a KASAN kernel (the
# debug kernels) reports a false wild access when an interrupt lands while
# identify_cpu() has zeroed the boot CPU's feature words: for that moment
# pgtable_l5_enabled() is false, so KASAN's idea of where kernel addresses
# begin is the 4-level one, above the 5-level direct map. It killed about
# one 6.12 debug boot in 25. 4-level paging is what most machines run.
append="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic tsc=reliable no5lvl mpvm_mode=$mode"
# The tour reads better without the boot log; errors still show.
if [ "$mode" = demo ]; then
	append="$append quiet"
fi
if [ -n "${VM_TEST_TIMEOUT:-}" ]; then
	append="$append mpvm_test_timeout=$VM_TEST_TIMEOUT"
fi
# The guest's init exports these to the tests as MINIPROC_FUZZ_*.
for v in OPS SECONDS SEED; do
	eval "val=\${VM_FUZZ_$v:-}"
	if [ -n "$val" ]; then
		append="$append mpvm_fuzz_$(echo "$v" | tr 'A-Z' 'a-z')=$val"
	fi
done
if [ -n "${VM_ONLY:-}" ]; then
	append="$append mpvm_only=$(echo $VM_ONLY | tr ' ' ,)"
fi
if [ -n "${VM_APPEND:-}" ]; then
	append="$append $VM_APPEND"
fi

# KVM is not used on purpose: TCG works everywhere, KVM hangs here. One
# host thread runs both vCPUs (thread=single): with a thread per vCPU, the
# kernel rewriting its own code (static keys flip at every module load and
# unload, for the tracepoint and the preempt notifiers) now and then
# crashes the guest with a stale int3. VM_ACCEL overrides it.
set -- "${QEMU:-qemu-system-x86_64}" -accel "${VM_ACCEL:-tcg,thread=single}" \
	-cpu max -smp 2 -m "${VM_MEM:-1024}" \
	-no-reboot -nodefaults -no-user-config -display none \
	-kernel "$kernel" -initrd "$initrd" -append "$append"
if [ -n "${VM_ICOUNT:-}" ]; then
	set -- "$@" -icount "$VM_ICOUNT"
fi

if [ "$mode" = shell ]; then
	echo "Booting $kver; Ctrl-A X quits qemu, Ctrl-A C switches to its monitor."
	exec "$@" -chardev "stdio,id=con,mux=on,signal=off,logfile=$console" \
		-serial chardev:con -mon chardev=con,mode=readline
fi

if [ "$mode" = demo ]; then
	set -- "$@" -chardev "stdio,id=con,logfile=$console" -serial chardev:con
elif [ "$verbose" = 1 ]; then
	set -- "$@" -chardev "stdio,id=con,logfile=$console" -serial chardev:con \
		-chardev "file,id=tap,path=$tap" -serial chardev:tap
else
	set -- "$@" -chardev "file,id=con,path=$console" -serial chardev:con \
		-chardev "stdio,id=tap,logfile=$tap" -serial chardev:tap
fi

# died_in_boot: the kernel panicked before it ran /init, so before the
# initramfs's programs, the module or any test ran (as with the KASAN
# report no5lvl above avoids).
died_in_boot() {
	tr -d '\r' <"$console" 2>/dev/null | grep -qE '^\[ *[0-9]+\.[0-9]+\] Kernel panic' &&
		! grep -q 'Run /init as init process' "$console"
}

# --foreground keeps qemu in the terminal's process group so Ctrl-C
# reaches it; stdin is not the terminal, so qemu leaves the tty alone.
# A kernel that died in its own boot, before anything of ours was in the
# guest, is booted once more; the first console log is kept beside the
# second and the panic is printed, so the flake stays visible.
attempt=1
while :; do
	echo "  QEMU    $kver ($mode, time limit ${limit}s, console: $console)"
	status=0
	timeout --foreground -k 10 "$limit" "$@" </dev/null || status=$?
	if [ "$attempt" = 2 ] || [ "$mode" = shell ] || [ "$mode" = demo ] ||
		! died_in_boot; then
		break
	fi
	mv "$console" "$outdir/console.boot$attempt.log"
	{
		echo "run.sh: $kver panicked in its own boot, before /init ran (nothing of miniproc was loaded); booting it once more."
		echo "run.sh: its console log is $outdir/console.boot$attempt.log; the panic:"
		tr -d '\r' <"$outdir/console.boot$attempt.log" |
			sed -n '/\] \(BUG\|WARNING\|Oops\|general protection\|Kernel panic\)/,$p' |
			head -n 40 | sed 's/^/    /'
	} >&2
	attempt=$((attempt + 1))
done
echo "$status" >"$outdir/qemu.status"
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
	echo "run.sh: the VM did not finish within ${limit}s and was killed" >&2
fi
exit "$status"
