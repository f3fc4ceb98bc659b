#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# findings.sh NAME LOG TREE: the verdict of a sparse or W=1 build log.
# A finding is a warning or error the compiler, sparse or modpost reports
# in one of our files (TREE/module/..., TREE/uapi/..., or the module
# itself for modpost). Diagnostics in the kernel's own headers are shown
# as notes but do not count: they are not ours to fix. Exits 1 if any
# finding was made; prints them all.
set -eu

name=$1
log=$2
tree=$3

# The tree's path, e.g. build/6.12.1+deb12-amd64/src, quoted for grep -E.
etree=$(printf '%s\n' "$tree" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
ours="^($etree/)?(module|uapi)/[^:]+:[0-9]+(:[0-9]+)?: (warning|error)|WARNING: modpost: .*miniproc|^(warning|error): .*miniproc"
n=$(grep -cE "$ours" "$log" || :)
others=$(grep -E ': (warning|error):' "$log" | grep -cvE "$ours" || :)

# A sparse that kbuild would not run (7.x's scripts/checker-valid.sh
# turns off one too old for the kernel, with a warning and no CHECK line)
# has checked nothing: that is a failure, not "0 findings".
if [ "$name" = sparse ]; then
	if grep -q 'is not available or not up to date' "$log"; then
		grep 'is not available or not up to date' "$log"
		echo "$name: kbuild did not run sparse (too old for this kernel?): nothing was checked"
		exit 1
	fi
	if ! grep -q '^  CHECK ' "$log"; then
		echo "$name: no CHECK line in $log: sparse checked nothing"
		exit 1
	fi
fi

if [ "$others" -gt 0 ]; then
	echo "$name: note: $others diagnostics outside miniproc's files (not counted):"
	grep -E ': (warning|error):' "$log" | grep -vE "$ours" | head -n 5 | sed 's/^/    /'
fi
if [ "$n" -gt 0 ]; then
	grep -E "$ours" "$log"
	echo "$name: $n finding(s) in miniproc's files (log: $log)"
	exit 1
fi
echo "$name: 0 findings"
