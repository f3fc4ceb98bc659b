#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# capture.sh: run one command in the miniproc test VM and bring back what it
# printed and the files it wrote.
#
#   capture.sh -k KVER -i INITRD -o OUTDIR [-t SECONDS] [-f PATH]... SCRIPT [ARG]...
#
#   -k KVER     the kernel to boot (as for run.sh)
#   -i INITRD   an initramfs made by mkinitramfs.sh (`make initramfs`)
#   -o OUTDIR   where the results go (created; earlier results replaced)
#   -t SECONDS  time limit of the whole VM run (default $VM_TIMEOUT or 600)
#   -f PATH     a file or directory to take along, at the same relative path
#               (repeatable); SCRIPT itself is always taken along
#   SCRIPT      a shell script, run with busybox sh as `sh SCRIPT ARG...`
#
# The guest loads the module and runs SCRIPT from an empty working directory
# with the CLI on PATH; $MPVM_OUT names that directory. Every regular file
# SCRIPT leaves there comes back to OUTDIR/files/. What it prints goes to
# OUTDIR/output.txt (and to the terminal as it runs); the guest's kernel log
# to OUTDIR/console.log. The exit status is SCRIPT's, or 1 if the VM did not
# get to the end.
#
# Nothing is rebuilt: the command and its files go into a second cpio
# archive appended to a copy of INITRD (the kernel unpacks both).
#
# Example, the timeline picture of the README:
#   capture.sh -k "$(uname -r)" -i build/$(uname -r)/initramfs.cpio.gz \
#       -o build/capture -f examples examples/cpu-vs-io.sh timeline.svg
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kver='' initrd='' outdir='' limit=${VM_TIMEOUT:-600} takes=''

usage() {
	echo "usage: capture.sh -k KVER -i INITRD -o OUTDIR [-t SECONDS] [-f PATH]... SCRIPT [ARG]..." >&2
	exit 2
}

while getopts k:i:o:t:f: opt; do
	case $opt in
	k) kver=$OPTARG ;;
	i) initrd=$OPTARG ;;
	o) outdir=$OPTARG ;;
	t) limit=$OPTARG ;;
	f) takes="$takes $OPTARG" ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$kver" ] || [ -z "$initrd" ] || [ -z "$outdir" ] || [ $# -lt 1 ]; then
	usage
fi
script=$1
shift
for f in "$initrd" "$script" $takes; do
	if [ ! -e "$f" ]; then
		echo "capture.sh: $f: no such file" >&2
		exit 1
	fi
done
for f in "$script" $takes; do
	case $f in
	/* | ../* | */../* | .. | */..)
		echo "capture.sh: $f: SCRIPT and -f paths must be relative, below this directory" >&2
		exit 1
		;;
	esac
done

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
rm -rf "$outdir/files" "$outdir/extra.d"
mkdir -p "$outdir/files"

# The appended archive: /usr/lib/miniproc-vm/run/cmd, and the files at
# their relative paths under /usr/lib/miniproc-vm/run/.
extra=$outdir/extra.d
dest=$extra/usr/lib/miniproc-vm/run
mkdir -p "$dest"
for f in "$script" $takes; do
	mkdir -p "$dest/$(dirname "$f")"
	cp -RL "$f" "$dest/$(dirname "$f")/"
done
{
	echo "# written by tools/vm/capture.sh"
	printf 'exec sh /usr/lib/miniproc-vm/run/%s' "$script"
	for a in "$@"; do
		# Each argument single-quoted, its own quotes escaped.
		printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
	done
	echo
} >"$dest/cmd"
(cd "$extra" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$outdir/extra.cpio.gz"
cat "$initrd" "$outdir/extra.cpio.gz" >"$outdir/initramfs.cpio.gz"
rm -rf "$extra" "$outdir/extra.cpio.gz"

"$here/run.sh" -m run -k "$kver" -i "$outdir/initramfs.cpio.gz" -o "$outdir" -t "$limit" || :
rm -f "$outdir/initramfs.cpio.gz"

# Split run.log into the output and the files; the markers come from
# tools/vm/init. A file name is one path component, so it stays in files/.
log=$outdir/run.log
tr -d '\r' <"$log" | awk -v dir="$outdir/files" -v out="$outdir/output.txt" '
	BEGIN { printf "" > out }
	/^# MINIPROC-VM-FILE-END$/ { close(cmd); file = ""; next }
	/^# MINIPROC-VM-FILE / {
		file = substr($0, 20)
		if (file ~ /\// || file == "" || file == "." || file == "..")
			file = "bad-name"
		cmd = "base64 -d > \"" dir "/" file "\""
		next
	}
	file != "" { print | cmd; next }
	/^# MINIPROC-VM-(BEGIN|EXIT|END)/ { next }
	{ print > out }
'
rc=$(sed -n 's/^# MINIPROC-VM-EXIT \([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$rc" ]; then
	echo "capture.sh: the VM did not finish the command; see $outdir/console.log" >&2
	exit 1
fi
for f in "$outdir"/files/*; do
	[ -f "$f" ] && echo "  FILE    $f"
done
exit "$rc"
