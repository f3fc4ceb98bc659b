/* SPDX-License-Identifier: GPL-2.0 */
/*
 * miniproc's tracepoints, under events/miniproc/ in tracefs: usable with
 * ftrace, trace-cmd and perf like the kernel's own.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM miniproc

#if !defined(_MINIPROC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MINIPROC_TRACE_H

#include <linux/tracepoint.h>

#include <linux/miniproc.h>

#define miniproc_show_state(state)					\
	__print_symbolic(state,						\
			 { MINIPROC_UNUSED, "UNUSED" },			\
			 { MINIPROC_EMBRYO, "EMBRYO" },			\
			 { MINIPROC_SLEEPING, "SLEEPING" },		\
			 { MINIPROC_RUNNABLE, "RUNNABLE" },		\
			 { MINIPROC_RUNNING, "RUNNING" },		\
			 { MINIPROC_ZOMBIE, "ZOMBIE" })

TRACE_EVENT(miniproc_state,
	    TP_PROTO(pid_t pid, unsigned int prev, unsigned int next, int cpu,
		     const char *chan),
	    TP_ARGS(pid, prev, next, cpu, chan),
	    TP_STRUCT__entry(__field(pid_t, pid)
			     __field(unsigned int, prev)
			     __field(unsigned int, next)
			     __field(int, cpu)
			     __array(char, chan, MINIPROC_CHAN_LEN)),
	    TP_fast_assign(__entry->pid = pid;
			   __entry->prev = prev;
			   __entry->next = next;
			   __entry->cpu = cpu;
			   strscpy(__entry->chan, chan ? chan : "",
				   MINIPROC_CHAN_LEN);),
	    TP_printk("pid=%d prev=%s next=%s cpu=%d chan=%s", __entry->pid,
		      miniproc_show_state(__entry->prev),
		      miniproc_show_state(__entry->next), __entry->cpu,
		      __entry->chan)
);

TRACE_EVENT(miniproc_create,
	    TP_PROTO(pid_t pid, pid_t ppid, u32 uid, const char *name),
	    TP_ARGS(pid, ppid, uid, name),
	    TP_STRUCT__entry(__field(pid_t, pid)
			     __field(pid_t, ppid)
			     __field(u32, uid)
			     __array(char, name, MINIPROC_NAME_LEN)),
	    TP_fast_assign(__entry->pid = pid;
			   __entry->ppid = ppid;
			   __entry->uid = uid;
			   strscpy(__entry->name, name, MINIPROC_NAME_LEN);),
	    TP_printk("pid=%d ppid=%d uid=%u name=%s", __entry->pid,
		      __entry->ppid, __entry->uid, __entry->name)
);

TRACE_EVENT(miniproc_exit,
	    TP_PROTO(pid_t pid, int status, bool killed, u64 runtime_ns),
	    TP_ARGS(pid, status, killed, runtime_ns),
	    TP_STRUCT__entry(__field(pid_t, pid)
			     __field(int, status)
			     __field(bool, killed)
			     __field(u64, runtime_ns)),
	    TP_fast_assign(__entry->pid = pid;
			   __entry->status = status;
			   __entry->killed = killed;
			   __entry->runtime_ns = runtime_ns;),
	    TP_printk("pid=%d status=%d killed=%d runtime_ns=%llu",
		      __entry->pid, __entry->status, __entry->killed,
		      __entry->runtime_ns)
);

#endif /* _MINIPROC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
