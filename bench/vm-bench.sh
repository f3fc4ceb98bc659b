#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-bench.sh: what `make bench` runs in the VM, through tools/vm/capture.sh,
# from a directory holding it, miniproc-bench and miniproc_bench.ko:
#
#   sh vm-bench.sh [MINIPROC-BENCH OPTION]...   (-q: a shorter run)
#
# 1. miniproc-bench: the six items of issue 6, bench.tsv and
#    bench-scale.tsv (see bench/miniproc-bench.c).
# 2. A look inside: ftrace's function_graph of each ioctl (ftrace-ioctl.txt)
#    and of the scheduler hooks (ftrace-hooks.txt), with the time spent in
#    every function, on a table of 64 sleeping processes.
# Every file left in the working directory comes back to the host.
set -u

here=$(cd "$(dirname "$0")" && pwd)
T=/sys/kernel/tracing

echo "# miniproc-bench: Linux $(uname -r), $(nproc) CPUs," \
	"$(awk '/^MemTotal/ { print $2 / 1024 " MiB" }' /proc/meminfo)"
"$here/miniproc-bench" -k "$MINIPROC_KO" -b "$here/miniproc_bench.ko" \
	-o bench.tsv -s bench-scale.tsv "$@"
rc=$?

# trace_on TRACER FUNCS DEPTH: start a function_graph trace of FUNCS.
trace_on() {
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	: >$T/trace
	echo "$3" >$T/max_graph_depth
	echo "$2" >$T/set_graph_function
	echo 1 >$T/options/funcgraph-proc 2>/dev/null
	echo function_graph >$T/current_tracer
	echo 1 >$T/tracing_on
}

trace_off() {
	echo 0 >$T/tracing_on
	cat $T/trace >"$1"
	echo nop >$T/current_tracer
	: >$T/set_graph_function
}

# The mean time of miniproc_events_note in the traces $1 (no reader) and
# $2 (1,000 readers), as rows of bench.tsv for item 7, and their ratio.
hook_mean() {
	awk '/miniproc_events_note/ {
		for (i = 1; i < NF; i++)
			if ($(i + 1) == "us") { sum += $i; n++; break }
	} END { if (n) printf "%.3f %d\n", sum / n, n; else print "0 0" }' "$1"
}

hook_rows() {
	set -- "$(hook_mean "$1")" "$(hook_mean "$2")"
	m0=${1% *} n0=${1#* } m1=${2% *} n1=${2#* }
	printf '7\tevents_note_readers0\tminiproc_events_note, no reader (ftrace, %s calls)\t%s\t%s\t%s\tus\t-\tINFO\n' \
		"$n0" "$m0" "$m0" "$m0"
	printf '7\tevents_note_readers1000\tminiproc_events_note, 1,000 idle readers (ftrace, %s calls)\t%s\t%s\t%s\tus\t-\tINFO\n' \
		"$n1" "$m1" "$m1" "$m1"
	awk -v a="$m1" -v b="$m0" 'BEGIN { if (b > 0) printf "7\tevents_note_readers\tminiproc_events_note, 1,000 readers / none\t%.4f\t%.4f\t%.4f\tx\t-\tINFO\n", a / b, a / b, a / b }'
}

# Room for the 64 sleepers and the others: by default 64 slots, 32 for root.
rmmod miniproc && insmod "$MINIPROC_KO" nproc=128 max_per_uid=128 &&
	${MINIPROC_SETTLE:-:}
if [ -w $T/current_tracer ] && grep -qw function_graph $T/available_tracers; then
	# 64 sleeping processes, as items 2 and 4 have them.
	i=0
	while [ $i -lt 64 ]; do
		miniproc create -n sleeper '*(sleep:3600s)' >/dev/null
		i=$((i + 1))
	done
	pid=$(miniproc create -n spin '*(cpu:3600s)')
	trace_on function_graph miniproc_ioctl 6
	miniproc status "$pid" >/dev/null
	miniproc ps >/dev/null
	miniproc suspend "$pid"
	miniproc resume "$pid"
	miniproc run 'exit:0' >/dev/null
	miniproc kill "$pid"
	miniproc wait "$pid" >/dev/null
	trace_off ftrace-ioctl.txt

	pid=$(miniproc create -n spin '*(cpu:3ms sleep:1ms)')
	trace_on function_graph \
		"miniproc_sched_in miniproc_sched_out miniproc_wakeup_probe" 3
	sleep 1
	trace_off ftrace-hooks.txt
	# The same with 1,000 idle readers of the event stream: the hooks'
	# own cost, counted directly (item 7).
	"$here/miniproc-bench" -R 1000 >readers.out 2>&1 &
	holder=$!
	i=0
	while ! grep -q holding readers.out && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	trace_on function_graph \
		"miniproc_sched_in miniproc_sched_out miniproc_wakeup_probe" 3
	sleep 1
	trace_off ftrace-hooks-readers.txt
	kill "$holder"
	wait "$holder" 2>/dev/null
	hook_rows ftrace-hooks.txt ftrace-hooks-readers.txt >>bench.tsv
	miniproc kill "$pid"
	miniproc wait "$pid" >/dev/null
	echo "# ftrace: $(wc -l <ftrace-ioctl.txt) lines of ioctls," \
		"$(wc -l <ftrace-hooks.txt) lines of hooks"
else
	echo "# ftrace: no function_graph tracer in this kernel"
fi
exit $rc
