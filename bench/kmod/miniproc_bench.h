/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * miniproc_bench: the floor miniproc is measured against. A benchmark-only
 * module that runs plain kernel threads the way miniproc runs its own, so
 * that miniproc-bench can compare the two in one VM run. Never installed;
 * only `make bench` loads it, in the VM.
 *
 * It creates /dev/miniproc_bench (root only); each ioctl below takes a
 * struct miniproc_bench_arg.
 */
#ifndef _MINIPROC_BENCH_H
#define _MINIPROC_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MINIPROC_BENCH_DEVICE		"/dev/miniproc_bench"

/* Most kthreads SPIN_START runs at once. */
#define MINIPROC_BENCH_MAX_THREADS	1024

/**
 * struct miniproc_bench_arg - argument of every MINIPROC_BENCH_IOC_* command
 * @n:      in: how many (kthreads, iterations); see each command
 * @cpu:    in (YIELD): the CPU to pin the kthread to
 * @ns:     out: nanoseconds, see each command
 * @count:  out: how many things were counted, see each command
 */
struct miniproc_bench_arg {
	__u32 n;
	__s32 cpu;
	__u64 ns;
	__u64 count;
};

/*
 * LIFECYCLE: @n times, kthread_create() a thread whose function returns at
 * once, take a reference, wake it, kthread_stop() it, drop the reference:
 * what miniproc does for create -> exit:0 -> reap, without the table, the
 * hooks or the ioctls. @ns: the time all @n took.
 */
#define MINIPROC_BENCH_IOC_LIFECYCLE	_IOWR('b', 0x01, struct miniproc_bench_arg)

/*
 * SPIN_START: start @n kthreads named "mpbench-spin/<i>", each spinning in
 * 1 ms slices on local_clock() with cond_resched() between them, as
 * miniproc's cpu op does, at the caller's nice value. The CPU time they
 * get is read from /proc/<tid>/schedstat. SPIN_STOP: stop them all.
 */
#define MINIPROC_BENCH_IOC_SPIN_START	_IOW('b', 0x02, struct miniproc_bench_arg)
#define MINIPROC_BENCH_IOC_SPIN_STOP	_IOW('b', 0x04, struct miniproc_bench_arg)

/*
 * YIELD: one kthread pinned to @cpu calls schedule() @n times while
 * runnable, as miniproc's yield op does. @ns: the time that took, measured
 * by the thread; @count: the times it was switched out (nivcsw).
 */
#define MINIPROC_BENCH_IOC_YIELD	_IOWR('b', 0x05, struct miniproc_bench_arg)

#endif /* _MINIPROC_BENCH_H */
