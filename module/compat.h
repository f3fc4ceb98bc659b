/* SPDX-License-Identifier: GPL-2.0 */
/*
 * miniproc: what differs between the kernels miniproc builds for, from 6.1
 * to the newest, in one place. Decided by the feature tests in Kbuild
 * (MINIPROC_HAVE_*), never by version numbers.
 */
#ifndef _MINIPROC_COMPAT_H
#define _MINIPROC_COMPAT_H

#include <linux/sched.h>

/**
 * miniproc_task_blocked() - did the scheduler take @prev off its runqueue?
 * @prev: the task being switched out
 *
 * Blocking rather than being preempted. Since 6.12 a blocked fair task may
 * stay queued for a while with se.sched_delayed set ("delayed dequeue"); it
 * is blocked all the same, as task_is_runnable() says.
 *
 * Context: sched_out, under the runqueue lock, so the answer is the one
 * __schedule() just acted on.
 */
static inline bool miniproc_task_blocked(struct task_struct *prev)
{
#ifdef MINIPROC_HAVE_TASK_IS_RUNNABLE
	return !task_is_runnable(prev);
#else
	return !READ_ONCE(prev->on_rq);
#endif
}

#endif /* _MINIPROC_COMPAT_H */
