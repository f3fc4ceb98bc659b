#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: what `make check` runs. Every gate and every VM test is one
# result line in build/check/results.txt ("ok DESC", "ok DESC # SKIP",
# "not ok DESC"); the run goes on past failures and ends with
#
#   N skipped              (if any)
#   N passed, N failed
#
# and a non-zero exit status if anything failed. Gates, each one result:
#   host packages (tools/host-deps.sh), checkpatch, the uapi header alone
#   as C and as C++, the CLI's host unit tests; and for each kernel in
#   $KVERS: the module build, a W=1 build, sparse, dkms build, and the
#   benchmark's program and module (built, never run: `make bench` runs it).
# Then, for each kernel, vm-check: every test in the VM, counted as
# tools/vm/results.sh explains.
# Then the debug kernels named in DEBUG_VERSIONS (default "all": every
# Debian linux-source-* installed; "none": no debug kernel, as `make
# check-quick` does): built or found in the cache, and vm-check again on
# each, kmemleak scan included.
#
# Environment: MAKE, KVERS (default: tools/kernels.sh), DEBUG_VERSIONS
# (default all), DEBUG_FUZZ_OPS (default 100000, on the first debug kernel).
# Gate logs are kept in build/check/; a failing gate's tail is shown.
set -eu

cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
KVERS=${KVERS:-$(tools/kernels.sh)}
out=build/check
results=$out/results.txt

rm -rf "$out"
mkdir -p "$out"
: >"$results"
n=0

# gate DESCRIPTION COMMAND...: run COMMAND quietly, record one result.
gate() {
	desc=$1
	shift
	n=$((n + 1))
	log=$out/gate-$n.log
	printf '  GATE    %s\n' "$desc"
	if "$@" >"$log" 2>&1; then
		echo "ok $desc" >>"$results"
		echo "ok - $desc"
	else
		echo "not ok $desc" >>"$results"
		echo "not ok - $desc (log: $log)"
		tail -n 25 "$log" | sed 's/^/#   /'
	fi
}

mk() {
	"$MAKE" --no-print-directory "$@"
}

if [ -z "$KVERS" ]; then
	echo "not ok kernels: no /boot/vmlinuz-* with headers in /lib/modules/*/build" >>"$results"
fi

gate "host packages (tools/host-deps.sh)" tools/host-deps.sh
gate "checkpatch --strict: module/ and uapi/" mk style
gate "uapi header alone: gcc -std=c99 -Wall -Werror" mk uapi-c
gate "uapi header alone: g++ -Wall -Werror" mk uapi-cxx
gate "cli: host unit tests" mk cli-test

# All three, so that a KERNELDIR given to `make check` cannot leak into
# another kernel's build.
kernel_vars() {
	echo "KVER=$1 KERNELRELEASE=$1 KERNELDIR=/lib/modules/$1/build"
}

# shellcheck disable=SC2046 # kernel_vars is split on purpose
for k in $KVERS; do
	gate "$k: module builds" mk module $(kernel_vars "$k")
	gate "$k: W=1 build, no warnings" mk w1 $(kernel_vars "$k")
	gate "$k: sparse, no warnings" mk sparse $(kernel_vars "$k")
	gate "$k: dkms build" mk dkms-check "KVERS=$k"
	gate "$k: bench builds (program, W=1 module)" mk bench-build $(kernel_vars "$k")
done

# shellcheck disable=SC2046
for k in $KVERS; do
	echo "  VM      $k"
	rm -f "build/$k/results.txt"
	# vm-check already said what failed; make's "Error 1" adds nothing.
	mk -s vm-check $(kernel_vars "$k") 2>&1 |
		sed -u '/^make\[[0-9]*\]: \*\*\* \[[^]]*: vm-check\] Error [0-9]*$/d'

	if [ -s "build/$k/results.txt" ]; then
		cat "build/$k/results.txt" >>"$results"
	else
		echo "not ok $k: vm-check: could not build or boot (see above)" >>"$results"
	fi
done

# The debug kernels (tools/debug-kernel/): one per Debian linux-source-*
# package installed (tools/host-deps.sh installs 6.1 and 6.12), built once
# and then taken from the cache. The whole suite runs there again, under
# KASAN, lockdep and kmemleak, with the fuzzer at full length.
DEBUG_VERSIONS=${DEBUG_VERSIONS:-all}
if [ "$DEBUG_VERSIONS" = none ]; then
	DEBUG_VERSIONS=
elif [ "$DEBUG_VERSIONS" = all ]; then
	DEBUG_VERSIONS=$(for t in /usr/src/linux-source-*.tar.xz; do
		[ -f "$t" ] || continue
		t=${t##*/linux-source-}
		echo "${t%.tar.xz}"
	done | sort -V)
fi
# The fuzzer runs DEBUG_FUZZ_OPS (100k) operations on the first debug
# kernel, its default (20k) on the others: at about 100 operations a second
# under KASAN in emulation, 100k on each would add another quarter hour.
first_debug=
for v in $DEBUG_VERSIONS; do
	first_debug=$v
	break
done
for v in $DEBUG_VERSIONS; do
	echo "  DEBUG   $v: the debug kernel (a first build takes ~5 minutes)"
	fuzz=
	if [ "$v" = "$first_debug" ]; then
		fuzz=mpvm_fuzz_ops=${DEBUG_FUZZ_OPS:-100000}
	fi
	before=$(grep -c '^not ok' "$results" || :)
	gate "debug kernel $v: builds (tools/debug-kernel/build.sh)" tools/debug-kernel/build.sh "$v"
	if [ "$(grep -c '^not ok' "$results" || :)" != "$before" ]; then
		continue
	fi
	rel=$(tools/debug-kernel/build.sh --query "$v" | cut -d' ' -f2)
	gate "$rel: module builds" mk module DEBUG="$v"
	echo "  VM      $rel"
	rm -f "build/$rel/results.txt"
	VM_APPEND="${VM_APPEND:-}${VM_APPEND:+${fuzz:+ }}$fuzz" \
		mk -s vm-check DEBUG="$v" 2>&1 |
		sed -u '/^make\[[0-9]*\]: \*\*\* \[[^]]*: vm-check\] Error [0-9]*$/d'
	if [ -s "build/$rel/results.txt" ]; then
		cat "build/$rel/results.txt" >>"$results"
	else
		echo "not ok $rel: vm-check: could not build or boot (see above)" >>"$results"
	fi
done

echo
tools/tally.sh "$results"
