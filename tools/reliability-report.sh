#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# reliability-report.sh [DOC]: rewrite the figures of the last `make check`
# into DOC (default docs/reliability.md), between the lines
# "<!-- figures:begin -->" and "<!-- figures:end -->".
#
# Read from the logs that run left, never typed in:
#   build/check/results.txt   every counted result, "ok KVER: ..." lines
#   build/KVER/tap.log        each kernel's TAP stream, where a test states
#                             a figure as a TAP comment "FIGURE key: value"
#                             (nested: "# # FIGURE key: value")
# Per kernel: tests passed, failed and skipped, whether the console had a
# splat, what kmemleak found; then every FIGURE line, by kernel.
set -eu

cd "$(dirname "$0")/.."
doc=${1:-docs/reliability.md}
results=build/check/results.txt

if [ ! -s "$results" ]; then
	echo "reliability-report: no $results: run \`make check\` first" >&2
	exit 1
fi
grep -q '^<!-- figures:begin -->$' "$doc" && grep -q '^<!-- figures:end -->$' "$doc" || {
	echo "reliability-report: $doc has no figures:begin/end markers" >&2
	exit 1
}

# The kernels, in the order check ran them: the "KVER:" of each result.
kernels=$(sed -n 's/^\(not \)\{0,1\}ok \([^ :]*\): .*/\2/p' "$results" | awk '!seen[$0]++')
kernels=$(for k in $kernels; do [ ! -d "build/$k" ] || echo "$k"; done)

figures=$(mktemp)
trap 'rm -f "$figures"' EXIT
{
	echo "Last \`make check\`: $(date -u -r "$results" '+%Y-%m-%d %H:%M UTC'), commit" \
		"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		"$(git diff --quiet HEAD 2>/dev/null || echo '(with local changes)')."
	echo "Overall: $(tools/tally.sh "$results" | tail -n 1)."
	echo
	echo "| kernel | passed | failed | skipped | kernel splats | kmemleak |"
	echo "|--------|-------:|-------:|--------:|---------------|----------|"
	for k in $kernels; do
		awk -v k="$k" '
			function kern(line,   s) { s = line; sub(/^(not )?ok /, "", s); sub(/:.*/, "", s); return s }
			kern($0) != k { next }
			/# [Ss][Kk][Ii][Pp]/ { skip++; next }
			/^not ok/ { fail++ } /^ok/ { pass++ }
			/ splat/ { splat = ($0 ~ /^not ok/) ? "**yes**" : "none" }
			/kmemleak/ {
				if ($0 ~ /# [Ss][Kk][Ii][Pp]/) leak = "not in kernel"
				else if ($0 ~ /^not ok/) { leak = $0; sub(/.*kmemleak: /, "", leak); leak = "**" leak "**" }
				else leak = "0 leaks"
			}
			END {
				if (leak == "") leak = "not in kernel"
				if (splat == "") splat = "?"
				printf "| %s | %d | %d | %d | %s | %s |\n", k, pass, fail, skip, splat, leak
			}
		' "$results"
	done
	echo
	for k in $kernels; do
		tap=build/$k/tap.log
		[ -f "$tap" ] || continue
		lines=$(tr -d '\r' <"$tap" | sed -n 's/^\(# \)*FIGURE \(.*\)$/\2/p')
		[ -n "$lines" ] || continue
		echo "$k:"
		echo
		printf '%s\n' "$lines" | sed 's/^/- /'
		echo
	done
} >"$figures"

awk -v f="$figures" '
	/^<!-- figures:begin -->$/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
	/^<!-- figures:end -->$/ { skip = 0 }
	!skip
' "$doc" >"$doc.new"
mv "$doc.new" "$doc"
echo "  REPORT  $doc"
