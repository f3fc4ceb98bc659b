// SPDX-License-Identifier: GPL-2.0
/*
 * Control of a process: finding one the caller may act on, waking it to
 * see a request, the safe points at which its kthread obeys kill and
 * suspend, and SUSPEND and RESUME. Below the rest of a process's life:
 * it calls only the table and the scheduler mirror.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "miniproc.h"

/* May the caller destroy, suspend, resume or wait on @p? Table lock held. */
static bool miniproc_may_control(struct miniproc *p)
{
	return uid_eq(p->owner, current_euid()) || capable(CAP_KILL);
}

/**
 * miniproc_lookup_owned() - find a process the caller may act on
 * @pid:    its pid
 * @serial: the process the caller found with @pid before, or 0 for the
 *          one that has it now: a later process given @pid is not it
 *
 * Context: miniproc_table.lock held.
 * Return: the slot, ERR_PTR(-ESRCH) if there is no such process, or
 * ERR_PTR(-EPERM) if it is another user's and the caller lacks CAP_KILL.
 */
struct miniproc *miniproc_lookup_owned(pid_t pid, u64 serial)
{
	struct miniproc *p = miniproc_lookup(pid);

	if (!p || (serial && p->serial != serial))
		return ERR_PTR(-ESRCH);
	if (!miniproc_may_control(p))
		return ERR_PTR(-EPERM);
	return p;
}

/**
 * miniproc_wake_waiters() - wake whoever waits for @p to change
 * @p: the slot; may already be reused, which only costs a spurious wakeup
 */
void miniproc_wake_waiters(struct miniproc *p)
{
	wake_up_all(&p->state_wq);
	wake_up_all(&miniproc_table.exit_wq);
}

/**
 * miniproc_stop_task() - finish off a released slot's kthread
 * @task: the kthread, or NULL
 *
 * Context: process, never with the table lock held: the thread may still
 * be on its way out of miniproc_exit().
 */
void miniproc_stop_task(struct task_struct *task)
{
	if (!task)
		return;
	kthread_stop(task);
	put_task_struct(task);
}

/**
 * miniproc_wake_ctl() - wake a process to see a kill or suspend request
 * @p: the slot; a spurious wakeup if it was reused meanwhile
 *
 * It may be blocked in a sleep op, a suspension or a wait op.
 */
void miniproc_wake_ctl(struct miniproc *p)
{
	wake_up_interruptible(&p->wq);
	wake_up_interruptible(&p->child_wq);
}

/*
 * Suspend at a safe point: SLEEPING on "suspended" until resumed or killed.
 * The sched_out hook wakes SUSPEND's caller once the thread is off its CPU.
 */
static void miniproc_stop_self(struct miniproc *p)
{
	WRITE_ONCE(p->chan, MINIPROC_CHAN_SUSPENDED);
	set_bit(MINIPROC_F_SUSPENDED, &p->flags);
	/* A kthread takes no signals: this returns once the condition holds. */
	(void)wait_event_interruptible(p->wq,
				       !test_bit(MINIPROC_F_SUSPEND_REQ, &p->flags) ||
				       test_bit(MINIPROC_F_KILLED, &p->flags));
	clear_bit(MINIPROC_F_SUSPENDED, &p->flags);
	WRITE_ONCE(p->chan, NULL);
}

/**
 * miniproc_safe_point() - let the scheduler in, obey kill and suspend
 * @p: the slot of the calling kthread
 *
 * Context: the process's own kthread; may sleep.
 * Return: true if the process was killed and must end now.
 */
bool miniproc_safe_point(struct miniproc *p)
{
	cond_resched();
	return miniproc_obey_ctl(p);
}

/**
 * miniproc_obey_ctl() - a safe point without the scheduler: obey kill and suspend
 * @p: the slot of the calling kthread
 *
 * For an op that lets the scheduler in by itself right after (yield).
 *
 * Context: the process's own kthread; may sleep.
 * Return: true if the process was killed and must end now.
 */
bool miniproc_obey_ctl(struct miniproc *p)
{
	while (test_bit(MINIPROC_F_SUSPEND_REQ, &p->flags) &&
	       !test_bit(MINIPROC_F_KILLED, &p->flags))
		miniproc_stop_self(p);
	return test_bit(MINIPROC_F_KILLED, &p->flags);
}

/* The init process may not be killed, stopped or waited for. */
static struct miniproc *miniproc_lookup_control(pid_t pid)
{
	struct miniproc *p = miniproc_lookup_owned(pid, 0);

	if (!IS_ERR(p) && p == miniproc_table.init)
		return ERR_PTR(-EPERM);
	return p;
}

/*
 * Has SUSPEND's target, the process of serial @serial, stopped (or gone,
 * even if its slot or its pid has been given to another since, or been
 * resumed meanwhile)?
 * Stopped means blocked in its suspension with no wakeup on the way: after
 * a RESUME and a SUSPEND in quick succession, the slot may still read
 * SLEEPING while the RESUME's wakeup is queued for another CPU; the task's
 * own state is no longer TASK_INTERRUPTIBLE then, and the thread will run
 * once more before it stops again. Sets *@ret to the result for the
 * caller. Safe inside wait_event().
 */
static bool miniproc_stopped(struct miniproc *p, u64 serial, int *ret)
{
	unsigned long flags;
	bool done = true;

	*ret = 0;
	raw_spin_lock_irqsave(&p->sched_lock, flags);
	if (p->serial != serial)
		*ret = -ESRCH;
	else if (p->state != MINIPROC_ZOMBIE &&
		 test_bit(MINIPROC_F_SUSPEND_REQ, &p->flags))
		done = p->state == MINIPROC_SLEEPING &&
		       test_bit(MINIPROC_F_SUSPENDED, &p->flags) &&
		       p->sched_task &&
		       READ_ONCE(p->sched_task->__state) == TASK_INTERRUPTIBLE;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
	return done;
}

/**
 * miniproc_suspend() - stop a process at its next safe point
 * @pid: the process
 *
 * Context: process; sleeps interruptibly until the kthread is off its CPU,
 * blocked, SLEEPING on "suspended".
 * Return: 0, or -ESRCH, -EPERM, -EINTR (the request stands).
 */
int miniproc_suspend(pid_t pid)
{
	struct miniproc *p;
	bool requested;
	u64 serial;
	int ret;

	mutex_lock(&miniproc_table.lock);
	p = miniproc_lookup_control(pid);
	if (IS_ERR(p)) {
		mutex_unlock(&miniproc_table.lock);
		return PTR_ERR(p);
	}
	serial = p->serial;
	/*
	 * A repeated request leaves the stopped thread undisturbed, and a
	 * zombie gets none: decided under sched_lock, under which the thread
	 * becomes a zombie and drops any request still standing.
	 */
	raw_spin_lock_irq(&p->sched_lock);
	requested = p->state != MINIPROC_ZOMBIE &&
		    !test_and_set_bit(MINIPROC_F_SUSPEND_REQ, &p->flags);
	raw_spin_unlock_irq(&p->sched_lock);
	if (requested)
		miniproc_wake_ctl(p);
	mutex_unlock(&miniproc_table.lock);

	if (wait_event_interruptible(p->state_wq,
				     miniproc_stopped(p, serial, &ret)))
		return -EINTR;
	return ret;
}

/**
 * miniproc_resume() - let a suspended process go on
 * @pid: the process
 *
 * Return: 0, or -ESRCH, -EPERM.
 */
int miniproc_resume(pid_t pid)
{
	struct miniproc *p;

	mutex_lock(&miniproc_table.lock);
	p = miniproc_lookup_control(pid);
	if (IS_ERR(p)) {
		mutex_unlock(&miniproc_table.lock);
		return PTR_ERR(p);
	}
	/* Resuming a process that is not suspended leaves it undisturbed. */
	if (test_and_clear_bit(MINIPROC_F_SUSPEND_REQ, &p->flags)) {
		miniproc_wake_ctl(p);
		wake_up_all(&p->state_wq);
	}
	mutex_unlock(&miniproc_table.lock);
	return 0;
}
