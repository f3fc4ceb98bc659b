// SPDX-License-Identifier: GPL-2.0
/*
 * Describing processes: the records STATUS, LIST, /proc/miniproc and WAIT
 * give, filled from a slot for whoever asks (their namespaces), and the
 * snapshot of the whole table LIST takes.
 */

#include <linux/cred.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "miniproc.h"

/* miniproc_snapshot() offers the CPU to others every this many processes. */
#define MINIPROC_SNAPSHOT_BATCH	256

/* miniproc_viewer_init(), inlined into STATUS. */
static __always_inline void __miniproc_viewer_init(struct miniproc_viewer *v)
{
	v->user_ns = current_user_ns();
	/* task_active_pid_ns(), which is not inline */
	v->sees_tids = ns_of_pid(task_pid(current)) == &init_pid_ns;
}

/**
 * miniproc_viewer_init() - note whom records are filled for: the caller
 * @v: filled from current's namespaces
 */
void miniproc_viewer_init(struct miniproc_viewer *v)
{
	__miniproc_viewer_init(v);
}

/*
 * Fill @info from @p for @v; @p->sched_lock held. What task_pid_vnr() of
 * the kthread would say, without following the task: its pid where @v sees
 * kthreads, 0 elsewhere. The initial user namespace maps every valid uid to
 * itself, so only another one needs a translation.
 *
 * Every field is written, in the struct's order, rather than the record
 * zeroed first and written again (LIST fills a record per process). The
 * record is version 1's fields and the reserved ones: a field added, which
 * must be written here too, breaks the static_assert.
 */
static_assert(sizeof(struct miniproc_info) ==
	      MINIPROC_INFO_SIZE_VER1 + sizeof_field(struct miniproc_info, reserved));
static __always_inline void miniproc_fill_locked(struct miniproc *p,
						 const struct miniproc_viewer *v,
						 struct miniproc_info *info)
{
	u32 flags = 0;

	info->size = sizeof(*info);
	info->pid = p->pid;
	info->ppid = READ_ONCE(p->ppid);
	if (v->user_ns == &init_user_ns)
		info->uid = __kuid_val(p->owner);
	else
		info->uid = from_kuid_munged(v->user_ns, p->owner);
	if (test_bit(MINIPROC_F_AUTOREAP, &p->flags))
		flags |= MINIPROC_INFO_AUTOREAP;
	if (test_bit(MINIPROC_F_PINNED, &p->flags))
		flags |= MINIPROC_INFO_PINNED;
	/* state, flags, exit_status, cpu, chan and the scheduler's counts */
	info->flags = flags | miniproc_sched_snapshot(p, info);
	info->tid = v->sees_tids && info->state != MINIPROC_ZOMBIE ?
		    READ_ONCE(p->tid) : 0;
	info->reserved0 = 0;
	memcpy(info->name, p->name, sizeof(info->name));
	info->start_time_ns = p->start_time_ns;
	info->fork_error = READ_ONCE(p->fork_error);
	info->nr_children = READ_ONCE(p->nr_children);
	info->nr_forks = READ_ONCE(p->nr_forks);
	info->reserved[0] = 0;
	info->reserved[1] = 0;
}

/**
 * miniproc_fill_info() - describe a process for LIST and /proc/miniproc
 * @p:    a slot in use
 * @v:    whom for, from miniproc_viewer_init()
 * @info: filled entirely, reserved fields zero
 *
 * Context: miniproc_table.lock held, so the identity is stable.
 */
void miniproc_fill_info(struct miniproc *p, const struct miniproc_viewer *v,
			struct miniproc_info *info)
{
	unsigned long flags;

	lockdep_assert_held(&miniproc_table.lock);
	raw_spin_lock_irqsave(&p->sched_lock, flags);
	miniproc_fill_locked(p, v, info);
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
}

/**
 * miniproc_status() - describe one process to the caller, without the
 * table lock
 * @pid:  its pid
 * @info: filled entirely, reserved fields zero
 *
 * STATUS does not wait for creations and reaps, which hold the table
 * lock across allocations and wakeups (the lock itself, uncontended, is
 * cheap: without it STATUS counts 11 instructions fewer in the bench).
 * miniproc_find()'s answer is safe to follow even if that process is being
 * reaped meanwhile; what tells is the slot's pid, read under its
 * sched_lock. A slot's identity is written before its pid is
 * (miniproc_slot_setup()) and changes only after its pid is cleared
 * (miniproc_release()), both under that lock: finding @pid there, the
 * identity read under the lock is that process's. Its family counters
 * change under the table lock alone and are read each as it was at some
 * moment, as /proc/<pid>/stat reads a task's.
 *
 * Context: process, IRQs on (an ioctl).
 * Return: 0, or -ESRCH if there is no such process.
 */
int miniproc_status(pid_t pid, struct miniproc_info *info)
{
	struct miniproc_viewer v;
	struct miniproc *p;
	int ret = -ESRCH;

	if (pid <= 0)
		return -ESRCH;
	p = miniproc_find(pid);
	if (!p)
		return -ESRCH;
	__miniproc_viewer_init(&v);
	raw_spin_lock_irq(&p->sched_lock);
	if (p->pid == pid && !miniproc_is_reaping_locked(p)) {
		miniproc_fill_locked(p, &v, info);
		ret = 0;
	}
	raw_spin_unlock_irq(&p->sched_lock);
	return ret;
}

/**
 * miniproc_fill_exit() - how a zombie ended
 * @p:    a ZOMBIE slot
 * @exit: filled entirely
 *
 * A zombie's thread is detached from the scheduler mirror: its exit status,
 * run time and switch counts are final, read under sched_lock as they were
 * written.
 *
 * Context: miniproc_table.lock held.
 */
void miniproc_fill_exit(struct miniproc *p, struct miniproc_exit_info *exit)
{
	unsigned long flags;

	lockdep_assert_held(&miniproc_table.lock);
	memset(exit, 0, sizeof(*exit));
	raw_spin_lock_irqsave(&p->sched_lock, flags);
	exit->exit_status = p->exit_status;
	if (p->exit_status == MINIPROC_EXIT_STATUS_KILLED)
		exit->flags |= MINIPROC_EXIT_KILLED;
	exit->runtime_ns = p->runtime_ns;
	exit->nvcsw = p->nvcsw;
	exit->nivcsw = p->nivcsw;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
}

/**
 * miniproc_snapshot() - describe every process, in pid order
 * @recs:     room for @capacity records
 * @capacity: records @recs can take
 * @count:    out: records filled, at most @capacity
 *
 * Takes miniproc_table.lock, so no process is created or reaped meanwhile.
 * Costs O(processes), not O(slots): one walk of the used list, which is in
 * pid order. (A walk of the pid index cost about 100 instructions a
 * process, an eighth of LIST's cost per process.)
 *
 * Return: the number of processes there were.
 */
unsigned int miniproc_snapshot(struct miniproc_info *recs,
			       unsigned int capacity, unsigned int *count)
{
	struct miniproc_viewer v;
	unsigned int total = 0;
	struct miniproc *p;

	miniproc_viewer_init(&v);
	mutex_lock(&miniproc_table.lock);
	list_for_each_entry(p, &miniproc_table.used, used_node) {
		if (miniproc_is_reaping(p))
			continue;
		if (total < capacity)
			miniproc_fill_info(p, &v, &recs[total]);
		total++;
		/* The list cannot change (the lock): this only lets others run. */
		if (!(total % MINIPROC_SNAPSHOT_BATCH))
			cond_resched();
	}
	mutex_unlock(&miniproc_table.lock);
	*count = min(total, capacity);
	return total;
}
