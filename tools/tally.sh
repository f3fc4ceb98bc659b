#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tally.sh [-l LABEL] RESULTS...: count result lines ("ok DESC",
# "ok DESC # SKIP ...", "not ok DESC"), list the failures and print
#
#   N skipped                  (only if any were)
#   N passed, N failed
#
# or, with -l, the one line "[LABEL] N passed, N failed, N skipped", which
# `make check` prints per kernel so its own final line stays the only bare
# "N passed, N failed". Exits 1 if anything failed.
set -eu

label=''
if [ "${1:-}" = -l ]; then
	label=$2
	shift 2
fi

cat "$@" | awk -v label="$label" '
/^not ok / { failed[++nfail] = substr($0, 8); next }
/^ok / {
	if (tolower($0) ~ /# skip/)
		nskip++
	else
		npass++
}
END {
	for (i = 1; i <= nfail; i++)
		print "FAILED: " failed[i]
	if (label != "")
		printf "[%s] %d passed, %d failed, %d skipped\n", label, npass, nfail, nskip
	else {
		if (nskip)
			printf "%d skipped\n", nskip
		printf "%d passed, %d failed\n", npass, nfail
	}
	exit nfail > 0
}'
