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
#   as C and as C++, the CLI's host unit tests, the man pages and the
#   bash completion (tools/tests/man-test.sh), the version in one place
#   (tools/tests/version-test.sh), the Debian packages built, linted,
#   installed and purged on this host (tools/tests/deb-test.sh, as root;
#   it builds the module with DKMS for every kernel with headers); and
#   for each kernel in
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
# (default all), DEBUG_FUZZ_OPS (default 50000, on the first debug kernel).
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

# gate_to RESULTS DESCRIPTION COMMAND...: run COMMAND quietly, record one
# result in RESULTS. gate DESCRIPTION COMMAND...: the same into $results.
gate_to() {
	res=$1
	desc=$2
	shift 2
	n=$((n + 1))
	log=$out/gate-$n.log
	printf '  GATE    %s\n' "$desc"
	if "$@" >"$log" 2>&1; then
		echo "ok $desc" >>"$res"
		echo "ok - $desc"
	else
		echo "not ok $desc" >>"$res"
		echo "not ok - $desc (log: $log)"
		tail -n 25 "$log" | sed 's/^/#   /'
	fi
}
gate() {
	gate_to "$results" "$@"
}

mk() {
	"$MAKE" --no-print-directory "$@"
}

if [ -z "$KVERS" ]; then
	echo "not ok kernels: no /boot/vmlinuz-* with headers in /lib/modules/*/build" >>"$results"
fi

gate "host packages (tools/host-deps.sh)" tools/host-deps.sh

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
# The newest kernel Debian's archive carries (tools/newest-kernel.sh), built
# as the debug kernels are: the version that passed here last
# (tools/newest-kernel.passed) is counted like any kernel, with the static
# gates W=1, sparse (the newest sparse: see debug_suite) and dkms build
# too; a newer upload is built and run
# after it as a report, printed and never counted, until a commit names it
# in newest-kernel.passed. Without the network, or with nothing newer in
# the archive, check says so in one line and goes on.
NEWEST=${NEWEST:-yes}
if [ "$NEWEST" = yes ]; then
	plan=$(tools/newest-kernel.sh plan) ||
		plan="none tools/newest-kernel.sh plan failed (see above)"
else
	plan="none NEWEST=$NEWEST"
fi
# Downloaded first; a kernel that cannot be had leaves the plan with its
# reason.
plan=$(printf '%s\n' "$plan" | while read -r what pkg ver; do
	case $what in
	gate | report)
		if tools/newest-kernel.sh fetch "$pkg" "$ver" >/dev/null </dev/null; then
			echo "$what $pkg $ver"
		else
			echo "none $pkg $ver could not be downloaded"
		fi
		;;
	*) echo "$what $pkg $ver" ;;
	esac
done)
printf '%s\n' "$plan" | sed -n 's/^none /  NEWEST  no newest kernel to test: /p'

# The kernels are built in the background from here on, niced, one after
# the other in the order they are tested, while the gates and the Debian
# kernels' VMs (one emulator thread: one core) run in the foreground; each
# debug_suite below then finds its kernel built, or waits on the build's
# lock (tools/debug-kernel/build.sh). A build that failed here is simply
# built again there, in the foreground, and fails by name. The sparse the
# newest kernel is checked with (tools/newest-kernel.sh sparse) is built
# first: it takes seconds.
PREBUILD=${PREBUILD:-yes}
newest_sparse=$out/newest-sparse
prebuild() {
	printf '%s\n' "$plan" | while read -r what pkg ver; do
		case $what in
		gate | report)
			tools/newest-kernel.sh sparse >"$newest_sparse" || rm -f "$newest_sparse"
			break
			;;
		esac
	done
	for v in $DEBUG_VERSIONS; do
		nice -n 19 tools/debug-kernel/build.sh "$v" || :
	done
	printf '%s\n' "$plan" | while read -r what pkg ver; do
		case $what in
		gate | report)
			MINIPROC_SOURCE_VERSION=$ver nice -n 19 \
				tools/debug-kernel/build.sh "${pkg#linux-source-}" || :
			;;
		esac
	done
}
prebuild_pid=
if [ "$PREBUILD" = yes ]; then
	echo "  PREBUILD the debug kernels, in the background (log: $out/prebuild.log)"
	prebuild >"$out/prebuild.log" 2>&1 </dev/null &
	prebuild_pid=$!
fi

gate "checkpatch --strict: module/ and uapi/" mk style
gate "uapi header alone: gcc -std=c99 -Wall -Werror" mk uapi-c
gate "uapi header alone: g++ -Wall -Werror" mk uapi-cxx
gate "cli: host unit tests" mk cli-test
gate "man pages and bash completion in step with the code (make man-check)" mk man-check
gate "tools: the newest kernel's plan (tools/tests/newest-kernel-test.sh)" \
	tools/tests/newest-kernel-test.sh
gate "Kbuild: feature tests decide or fail by name (tools/tests/kbuild-features-test.sh)" \
	tools/tests/kbuild-features-test.sh
gate "tools: findings.sh fails what was not checked (tools/tests/findings-test.sh)" \
	tools/tests/findings-test.sh
gate "version: one place, VERSION; dkms.conf, debian/changelog, the module, --version agree (tools/tests/version-test.sh)" \
	tools/tests/version-test.sh
# As root (CI is): it installs both packages, DKMS builds the module for
# every kernel with headers, then it purges them (about two minutes).
gate "Debian packages: built, lintian clean, installed, DKMS built, purged clean (tools/tests/deb-test.sh)" \
	tools/tests/deb-test.sh

# All three, so that a KERNELDIR given to `make check` cannot leak into
# another kernel's build.
kernel_vars() {
	echo "KVER=$1 KERNELRELEASE=$1 KERNELDIR=/lib/modules/$1/build"
}

# shellcheck disable=SC2046 # kernel_vars is split on purpose
for k in $KVERS; do
	gate "$k: module builds" mk module $(kernel_vars "$k")
	gate "$k: the module's files call one way, as DOC: Files says (tools/tests/layers-test.sh)" \
		tools/tests/layers-test.sh "build/$k/src"
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

# debug_suite VERSION PKGVER RESULTS FUZZ GATES: build the kernel from
# Debian's linux-source-VERSION (PKGVER: which fetched version, empty for
# the installed one) with tools/debug-kernel/, then the module build, the
# GATES named ("w1 sparse dkms", or none) and vm-check there, every result
# line appended to RESULTS. FUZZ is an extra kernel parameter for the VM
# (the fuzzer's size), or empty.
debug_suite() {
	v=$1
	pv=$2
	res=$3
	fz=$4
	before=$(grep -c '^not ok' "$res" || :)
	gate_to "$res" "debug kernel $v${pv:+ ($pv)}: builds (tools/debug-kernel/build.sh)" \
		env MINIPROC_SOURCE_VERSION="$pv" tools/debug-kernel/build.sh "$v"
	if [ "$(grep -c '^not ok' "$res" || :)" != "$before" ]; then
		return 0
	fi
	q=$(MINIPROC_SOURCE_VERSION=$pv tools/debug-kernel/build.sh --query "$v")
	kdir=${q% *}
	rel=${q#* }
	gate_to "$res" "$rel: module builds" mk module DEBUG="$v" DEBUG_PKGVER="$pv"
	for g in $5; do
		case $g in
		w1) gate_to "$res" "$rel: W=1 build, no warnings" mk w1 DEBUG="$v" DEBUG_PKGVER="$pv" ;;
		sparse)
			# The newest kernel is checked with the newest sparse,
			# from the same archive: 7.x's kbuild turns off an older
			# one (scripts/checker-valid.sh), and tools/findings.sh
			# fails a log that says so rather than pass unchecked.
			[ -s "$newest_sparse" ] ||
				tools/newest-kernel.sh sparse >"$newest_sparse" || rm -f "$newest_sparse"
			if [ -s "$newest_sparse" ]; then
				sp=$(cat "$newest_sparse")
				sp=${sp%/sparse}
				gate_to "$res" "$rel: sparse (Debian's ${sp##*/}), no warnings" \
					mk sparse DEBUG="$v" DEBUG_PKGVER="$pv" SPARSE="$(cat "$newest_sparse")"
			else
				echo "ok $rel: sparse # SKIP no sparse new enough for it could be had (see above)" >>"$res"
			fi
			;;
		dkms) gate_to "$res" "$rel: dkms build" mk dkms-check "KVERS=$rel" "DKMS_KERNELDIR=$kdir" ;;
		esac
	done
	echo "  VM      $rel"
	rm -f "build/$rel/results.txt"
	VM_APPEND="${VM_APPEND:-}${VM_APPEND:+${fz:+ }}$fz" \
		mk -s vm-check DEBUG="$v" DEBUG_PKGVER="$pv" 2>&1 |
		sed -u '/^make\[[0-9]*\]: \*\*\* \[[^]]*: vm-check\] Error [0-9]*$/d'
	if [ -s "build/$rel/results.txt" ]; then
		cat "build/$rel/results.txt" >>"$res"
	else
		echo "not ok $rel: vm-check: could not build or boot (see above)" >>"$res"
	fi
}

# The fuzzer runs DEBUG_FUZZ_OPS (50k) operations on the first debug
# kernel, its default (20k) on the others: at about 100 operations a second
# under KASAN in emulation, 100k on one took 9 to 12 minutes, more than the
# 75-minute budget of a cold check leaves; `make soak` runs it for as long
# as one likes.
first_debug=
for v in $DEBUG_VERSIONS; do
	first_debug=$v
	break
done
for v in $DEBUG_VERSIONS; do
	echo "  DEBUG   $v: the debug kernel (a first build takes ~10 minutes)"
	fuzz=
	if [ "$v" = "$first_debug" ]; then
		fuzz=mpvm_fuzz_ops=${DEBUG_FUZZ_OPS:-50000}
	fi
	debug_suite "$v" '' "$results" "$fuzz" ''
done

report=$out/report.txt
: >"$report"
printf '%s\n' "$plan" | while read -r what pkg ver; do
	case $what in
	gate | report)
		echo "  NEWEST  $pkg $ver ($what)"
		res=$results
		[ "$what" = gate ] || res=$report
		# Not from the pipe: qemu and make must not eat the plan's lines.
		debug_suite "${pkg#linux-source-}" "$ver" "$res" '' 'w1 sparse dkms' </dev/null
		;;
	esac
done
if [ -s "$report" ]; then
	echo
	echo "Report, not counted: a kernel newer than tools/newest-kernel.passed" \
		"(every result: $report)"
	tools/tally.sh -l "report" "$report" | sed 's/^/  /' || :
	echo "(Once it passes, a commit naming it in tools/newest-kernel.passed makes it the gate.)"
fi

# Nothing is left building (every kernel waited for its build above).
if [ -n "$prebuild_pid" ]; then
	wait "$prebuild_pid" || :
fi

echo
tools/tally.sh "$results"
