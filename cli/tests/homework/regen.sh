#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# How the expected outputs of tests/test_homework.sh were made: each
# NAME.args without a NAME.err is run through OSTEP's own simulator under
# Python 3, and what it prints becomes NAME.out; miniproc's own options
# (--simulate or its prefixes, --tick DUR, --cpu N) are left out of the
# simulator's command line, as they change nothing it prints. pydata.txt (the facts
# tests/test_pynum.c checks) comes from gen_pydata.py. Not run by make
# check: it needs python3 and a copy of the simulators, for example
#
#   git clone https://github.com/remzi-arpacidusseau/ostep-homework
#   cli/tests/homework/regen.sh ostep-homework
#
# (made with its commit 6c6cfc7 and Python 3.11.7).
set -eu

OSTEP=${1:?usage: regen.sh OSTEP_HOMEWORK_DIR}
DIR=$(dirname "$0")
PYTHON=${PYTHON:-python3}

python3 "$DIR/gen_pydata.py" >"$DIR/pydata.txt"
for args in "$DIR"/*.args; do
	name=${args%.args}
	[ -f "$name.err" ] && continue
	set --
	skip=0
	while IFS= read -r arg; do
		if [ "$skip" = 1 ]; then
			skip=0
			continue
		fi
		case $arg in
		--si | --sim | --simulate | --tick=* | --cpu=*) continue ;;
		--tick | --cpu) skip=1; continue ;;
		esac
		set -- "$@" "$arg"
	done <"$args"
	case $1 in
	process-run) script=$OSTEP/cpu-intro/process-run.py ;;
	scheduler) script=$OSTEP/cpu-sched/scheduler.py ;;
	*) echo "$args: unknown simulator '$1'" >&2; exit 1 ;;
	esac
	shift
	if ! "$PYTHON" "$script" "$@" >"$name.out"; then
		echo "$args: the simulator failed: not a valid case" >&2
		exit 1
	fi
done
