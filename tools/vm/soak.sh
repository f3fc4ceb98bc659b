#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh -k KVER -i INITRD -o OUTDIR [-t SECONDS] -- [FUZZ_OPTION]...: what
# `make soak` runs. A long run of the ioctl fuzzer alone in the VM
# (tools/vm/fuzz.sh, through capture.sh), then a look at the kernel log
# for splats, with the pattern tools/vm/results.sh uses. Prints the
# fuzzer's figures and one verdict line:
#
#   ok soak KVER: N ops in S s, no splat
#   not ok soak KVER: ...
#
# OUTDIR gets output.txt (what the fuzzer printed) and console.log. Exits
# non-zero if the fuzzer failed, the VM did not finish, or the kernel
# splatted.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kver='' initrd='' outdir='' limit=${VM_TIMEOUT:-14400}

usage() {
	echo "usage: soak.sh -k KVER -i INITRD -o OUTDIR [-t SECONDS] -- [FUZZ_OPTION]..." >&2
	exit 2
}

while getopts k:i:o:t: opt; do
	case $opt in
	k) kver=$OPTARG ;;
	i) initrd=$OPTARG ;;
	o) outdir=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$kver" ] || [ -z "$initrd" ] || [ -z "$outdir" ]; then
	usage
fi

status=0
# capture.sh takes the script by a path relative to the current directory.
cd "$here/../.."
"$here/capture.sh" -k "$kver" -i "$initrd" -o "$outdir" -t "$limit" \
	tools/vm/fuzz.sh "$@" || status=$?

splat=$(sed -n "s/^splat='\(.*\)'\$/\1/p" "$here/results.sh")
splats=$(tr -d '\r' <"$outdir/console.log" 2>/dev/null |
	grep -E "\[ *[0-9]+\.[0-9]+\] .*($splat)" || :)
figures=$(sed -n 's/^# seed [0-9]*: \([0-9]* ops in [0-9.]* s\).*/\1/p' \
	"$outdir/output.txt" 2>/dev/null | tail -n 1)

if [ -n "$splats" ]; then
	printf '%s\n' "$splats" | head -n 40 | sed 's/^/#   /'
	echo "not ok soak $kver: ${figures:-fuzzer did not finish}, kernel splat in $outdir/console.log"
	exit 1
fi
if [ "$status" != 0 ] || [ -z "$figures" ]; then
	echo "not ok soak $kver: ${figures:-fuzzer did not finish} (exit $status; see $outdir/output.txt)"
	exit 1
fi
echo "ok soak $kver: $figures, no splat"
