#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# report.sh: turn what miniproc-bench brought back from the VM into the
# documentation (the last step of `make bench`).
#
#   report.sh FILES DOCS KVER
#
# FILES holds bench.tsv, bench-scale.tsv and output.txt's neighbours from
# the run (build/<KVER>/bench/run/files), and `icount`, the VM's -icount
# setting, which `make bench` writes there (empty: the plain TCG clock).
# Into DOCS it writes:
#   performance.md   its table, between the BENCH-TABLE markers, replaced
#   bench.tsv        the machine-readable table of the same run
#   bench-history.tsv  every judged figure of every run reported so far
#   bench-scale.svg  cost per process against number of processes (gnuplot)
# and the judged figures of the last three runs, between the BENCH-HISTORY
# markers of performance.md: what holds from run to run, and what flips.
set -eu

files=$1
docs=$2
kver=$3
tsv=$files/bench.tsv
scale=$files/bench-scale.tsv
md=$docs/performance.md
icount=$(cat "$files/icount" 2>/dev/null || true)
if [ -n "$icount" ]; then
	clock="qemu TCG, -icount $icount (guest time counts instructions)"
else
	clock="qemu TCG (host time)"
fi

for f in "$tsv" "$scale" "$md"; do
	if [ ! -s "$f" ]; then
		echo "report.sh: $f: missing or empty; was the run cut short?" >&2
		exit 1
	fi
done

# The table: every row of bench.tsv, numbers to 3 significant digits.
table=$(mktemp)
trap 'rm -f "$table" "$table.md" "$table.dat" "$table.hist"' EXIT
{
	echo "Run of $(date -u -r "$tsv" "+%Y-%m-%d %H:%M UTC") on $kver, $clock, 2 vCPUs:" \
		"$(awk -F'\t' 'NR > 1 && $9 == "PASS"' "$tsv" | wc -l) goals met," \
		"$(awk -F'\t' 'NR > 1 && $9 == "MISS"' "$tsv" | wc -l) missed."
	echo
	echo "| # | figure | median | min | max | unit | goal | result |"
	echo "|---|---|--:|--:|--:|---|---|---|"
	# In item order (the run does them in another), each item's rows as
	# they came; whole numbers from 100 up, else 3 significant digits.
	tail -n +2 "$tsv" | sort -t "$(printf '\t')" -s -k1,1n | awk -F'\t' '
	function num(x) { return (x >= 100 || x <= -100) ? sprintf("%.0f", x) : sprintf("%.3g", x) }
	{
		r = $9 == "PASS" ? "**PASS**" : $9 == "MISS" ? "**MISS**" : "info"
		g = $8 == "-" ? "" : $8
		gsub(/\|/, "\\|", $3)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			$1, $3, num($4), num($5), num($6), $7, g, r
	}'
} >"$table"

# The history: this run's judged figures, once (a run is named by when it
# wrote bench.tsv); then the last three runs side by side.
history=$docs/bench-history.tsv
run=$(date -u -r "$tsv" "+%Y-%m-%d %H:%M")
[ -s "$history" ] || printf 'run\titem\tkey\tfigure\tmedian\tresult\n' >"$history"
if ! cut -f1 "$history" | grep -qx "$run"; then
	awk -F'\t' -v run="$run" 'NR > 1 && $9 != "INFO" {
		printf "%s\t%s\t%s\t%s\t%s\t%s\n", run, $1, $2, $3, $4, $9
	}' "$tsv" >>"$history"
fi
runs=$(tail -n +2 "$history" | cut -f1 | uniq | tail -n 3 | tr '\n' '|')
{
	printf '| # | figure |'
	printf '%s' "$runs" | tr '|' '\n' | while read -r r; do printf ' %s |' "$r"; done
	echo
	printf '|---|---|'
	printf '%s' "$runs" | tr '|' '\n' | while read -r r; do printf -- '--:|'; done
	echo
	# Rows in item order, each run's figure and verdict in its column.
	awk -F'\t' -v runs="$runs" '
	function num(x) { return (x >= 100 || x <= -100) ? sprintf("%.0f", x) : sprintf("%.3g", x) }
	BEGIN { n = split(runs, rs, "|") - 1 }
	NR > 1 {
		if (!($3 in name)) { order[++k] = $3 }
		name[$3] = $4
		item[$3] = $2
		cell[$1, $3] = num($5) " " $6
	}
	END {
		for (i = 1; i <= k; i++) {
			line = item[order[i]] "\t| " item[order[i]] " | " name[order[i]] " |"
			any = 0
			for (j = 1; j <= n; j++) {
				c = cell[rs[j], order[i]]
				any += c != ""
				line = line " " c " |"
			}
			if (any)
				print line
		}
	}' "$history" | sort -t "$(printf '\t')" -s -k1,1n | cut -f2-
} >"$table.hist"

# Replace what lies between each pair of markers, keep the rest of the page.
awk -v table="$table" -v hist="$table.hist" '
	/<!-- BENCH-(TABLE|HISTORY)-BEGIN -->/ {
		print
		f = /TABLE/ ? table : hist
		while ((getline line < f) > 0)
			print line
		skip = 1
		next
	}
	/<!-- BENCH-(TABLE|HISTORY)-END -->/ { skip = 0 }
	!skip { print }
' "$md" >"$table.md"
for m in TABLE HISTORY; do
	if ! grep -q "BENCH-$m-END" "$table.md"; then
		echo "report.sh: $md has no BENCH-$m markers" >&2
		exit 1
	fi
done
cp "$table.md" "$md"
cp "$tsv" "$docs/bench.tsv"

# The plot: one line per series, with the spread of its runs as error bars;
# a point given twice (an older run's file) counts once.
# Data blocks in the order the series first appear, one gnuplot index each.
awk -F'\t' 'NR > 1 && !seen[$1, $2]++ {
	if (!($1 in idx)) { idx[$1] = n++; name[idx[$1]] = $1 }
	rows[idx[$1]] = rows[idx[$1]] $2 " " $3 " " $4 " " $5 "\n"
} END {
	for (i = 0; i < n; i++)
		printf "%s\n\n", rows[i]
}' "$scale" >"$table.dat"
plot=''
i=0
for name in $(awk -F'\t' 'NR > 1 && !seen[$1]++ { gsub(/ /, "_", $1); print $1 }' "$scale"); do
	title=$(printf '%s' "$name" | tr '_' ' ')
	plot="$plot${plot:+, }'$table.dat' index $i using 1:2:3:4 with yerrorlines title '$title'"
	i=$((i + 1))
done
gnuplot <<GP
set terminal svg size 800,500 dynamic font "sans,12"
set output '$docs/bench-scale.svg'
set title "miniproc: cost per process against number of processes ($kver, $clock)"
set xlabel "processes"
set ylabel "ns per process listed, or per operation (median, min..max)"
set logscale xy
set xtics (64, 512, 4096)
set key outside right
set grid
plot $plot
GP
echo "  DOCS    $md, $docs/bench.tsv, $docs/bench-scale.svg"
