#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# miniproc homework --simulate against OSTEP's simulators: each case in
# homework/ is NAME.args (the simulator, then one argument a line) and
# either NAME.out, what the simulator printed under Python 3 for those
# arguments (regen.sh made it), which miniproc must print line for line but
# for trailing blanks, with exit 0; or NAME.err, a sentence miniproc must
# say on stderr with exit 2 and nothing on stdout (invalid input, where the
# simulator crashes or carries on). TAP output; exit 1 if any case failed.
#
#   test_homework.sh [MINIPROC [CASES_DIR]]
set -u

MP=${1:-$(dirname "$0")/../miniproc}
DIR=${2:-$(dirname "$0")/homework}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# run_case NAME: run miniproc homework with NAME.args; sets rc.
run_case() {
	file=$DIR/$1.args
	shown=$(tr '\n' ' ' <"$file")
	set --
	while IFS= read -r arg; do
		set -- "$@" "$arg"
	done <"$file"
	"$MP" homework "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# not_ok NAME WHY: report a failed case with what miniproc printed.
not_ok() {
	failed=$((failed + 1))
	echo "not ok $n - $1 ($shown): $2"
	head -n 20 "$tmp/err" | sed 's/^/#   stderr: /'
}

for args in "$DIR"/*.args; do
	name=$(basename "$args" .args)
	n=$((n + 1))
	run_case "$name"
	if [ -f "$DIR/$name.err" ]; then
		want=$(cat "$DIR/$name.err")
		if [ "$rc" != 2 ]; then
			not_ok "$name" "exit $rc, want 2"
		elif [ -s "$tmp/out" ]; then
			not_ok "$name" "printed on stdout"
		elif ! grep -qF -- "$want" "$tmp/err"; then
			not_ok "$name" "stderr lacks '$want'"
		else
			echo "ok $n - $name: usage error"
		fi
		continue
	fi
	sed 's/[[:blank:]]*$//' "$DIR/$name.out" >"$tmp/want"
	sed 's/[[:blank:]]*$//' "$tmp/out" >"$tmp/got"
	if [ "$rc" != 0 ]; then
		not_ok "$name" "exit $rc"
	elif ! cmp -s "$tmp/want" "$tmp/got"; then
		not_ok "$name" "output differs from the simulator's"
		diff "$tmp/want" "$tmp/got" | head -n 20 | sed 's/^/#   /'
	else
		echo "ok $n - $name: as the simulator"
	fi
done
echo "1..$n"
if [ "$n" -lt 1 ]; then
	echo "# no cases in $DIR"
	exit 1
fi
[ "$failed" = 0 ] || { echo "# $failed of $n failed"; exit 1; }
