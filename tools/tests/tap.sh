# SPDX-License-Identifier: GPL-2.0
#
# tap.sh: TAP output for the host's test scripts (tools/tests/*-test.sh),
# sourced by each: tap_result per check, then tap_plan (unless the plan
# came first) and tap_done.

tap_n=0
tap_failed=0

# tap_result STATUS DESCRIPTION [FILE [LOG]]: one TAP line, "ok" if STATUS
# is 0. On failure the last lines of FILE follow as comments, and LOG, if
# given, is named as where the whole of it is.
tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
		return 0
	fi
	echo "not ok $tap_n - $2${4:+ (log: $4)}"
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		tail -n 40 "$3" | sed 's/^/#   /'
	fi
	tap_failed=$((tap_failed + 1))
}

# tap_plan: the plan line, for a script that gives it at the end.
tap_plan() {
	echo "1..$tap_n"
}

# tap_done: "# N passed, N failed"; succeeds only if every check passed.
tap_done() {
	echo "# $((tap_n - tap_failed)) passed, $tap_failed failed"
	[ "$tap_failed" -eq 0 ]
}
