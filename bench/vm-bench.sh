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

# Room for the 64 sleepers and the others: by default 64 slots, 32 for root.
rmmod miniproc && insmod "$MINIPROC_KO" nproc=128 max_per_uid=128
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
	miniproc kill "$pid"
	miniproc wait "$pid" >/dev/null
	echo "# ftrace: $(wc -l <ftrace-ioctl.txt) lines of ioctls," \
		"$(wc -l <ftrace-hooks.txt) lines of hooks"
else
	echo "# ftrace: no function_graph tracer in this kernel"
fi
exit $rc
