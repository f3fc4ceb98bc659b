// SPDX-License-Identifier: GPL-2.0
/*
 * The process API and the life of a mini-process: its kthread, creation,
 * destruction, waiting and reaping, suspension and resumption.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "miniproc.h"

static struct workqueue_struct *miniproc_reap_wq;

/* May the caller destroy, suspend, resume or wait on @p? Table lock held. */
static bool miniproc_may_control(struct miniproc *p)
{
	return uid_eq(p->owner, current_euid()) || capable(CAP_KILL);
}

/*
 * Find @pid for an action that needs ownership. Table lock held.
 * Returns the slot or ERR_PTR(-ESRCH) / ERR_PTR(-EPERM).
 */
static struct miniproc *miniproc_lookup_owned(pid_t pid)
{
	struct miniproc *p = miniproc_lookup(pid);

	if (!p)
		return ERR_PTR(-ESRCH);
	if (!miniproc_may_control(p))
		return ERR_PTR(-EPERM);
	return p;
}

/* Wake whoever waits for @p to change: exit waiters, SUSPEND waiters. */
static void miniproc_wake_waiters(struct miniproc *p)
{
	wake_up_all(&p->state_wq);
	wake_up_all(&miniproc_table.exit_wq);
}

/* Finish off a released slot's kthread; never with the table lock held. */
static void miniproc_stop_task(struct task_struct *task)
{
	if (!task)
		return;
	kthread_stop(task);
	put_task_struct(task);
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
	while (test_bit(MINIPROC_F_SUSPEND_REQ, &p->flags) &&
	       !test_bit(MINIPROC_F_KILLED, &p->flags))
		miniproc_stop_self(p);
	return test_bit(MINIPROC_F_KILLED, &p->flags);
}

/*
 * The end of a program: become a ZOMBIE, on the owner's zombie list or, for
 * autoreap processes, handed to the reap work. Both under the table lock,
 * so that DESTROY with WAIT either cancels autoreap before this or finds
 * the process gone. The lock is not taken again after this.
 */
static void miniproc_exit(struct miniproc *p, int status)
{
	mutex_lock(&miniproc_table.lock);
	miniproc_sched_detach(p, status);
	if (test_bit(MINIPROC_F_AUTOREAP, &p->flags))
		queue_work(miniproc_reap_wq, &p->reap_work);
	else
		list_add_tail(&p->zombie_node, &p->user->zombies);
	mutex_unlock(&miniproc_table.lock);
	miniproc_wake_waiters(p);
}

/**
 * miniproc_kthread() - the body of every mini-process
 * @data: its slot
 *
 * Return: 0; how the program ended is in the slot.
 */
int miniproc_kthread(void *data)
{
	struct miniproc *p = data;

	miniproc_sched_attach(p);
	miniproc_exit(p, miniproc_prog_run(p));
	return 0;
}

/**
 * miniproc_reap_work() - reap an autoreap process once it is a zombie
 * @work: the slot's reap_work
 */
void miniproc_reap_work(struct work_struct *work)
{
	struct miniproc *p = container_of(work, struct miniproc, reap_work);
	struct task_struct *task;

	mutex_lock(&miniproc_table.lock);
	task = miniproc_release(p);
	mutex_unlock(&miniproc_table.lock);
	miniproc_wake_waiters(p);
	miniproc_stop_task(task);
}

/**
 * miniproc_create() - create a mini-process and start it
 * @name:  its name, checked
 * @flags: %MINIPROC_CREATE_* flags, checked
 * @cpu:   with %MINIPROC_CREATE_PIN, an online CPU
 * @prog:  its program, validated; consumed
 * @upid:  where to store the pid in the caller's struct
 *
 * The pid is stored before the kthread is first woken, so that a fault
 * there undoes everything: the caller never loses track of a process.
 *
 * Return: the pid, or -EAGAIN, -ENOMEM, -EFAULT, or kthread_create()'s error.
 */
int miniproc_create(const char *name, u32 flags, int cpu,
		    struct miniproc_prog *prog, int __user *upid)
{
	struct task_struct *task;
	struct miniproc *p;
	pid_t pid;
	int ret;

	p = miniproc_alloc(name, flags, prog);
	if (IS_ERR(p)) {
		kfree(prog);
		return PTR_ERR(p);
	}
	pid = p->pid;

	task = kthread_create(miniproc_kthread, p, "miniproc/%d", pid);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		task = NULL;
		goto err_release;
	}
	get_task_struct(task);
	if (flags & MINIPROC_CREATE_PIN)
		kthread_bind(task, cpu);
	/* Never stronger than its creator. */
	set_user_nice(task, task_nice(current));
	mutex_lock(&miniproc_table.lock);
	p->task = task;
	mutex_unlock(&miniproc_table.lock);

	if (put_user(pid, upid)) {
		ret = -EFAULT;
		goto err_release;
	}
	miniproc_sched_track(p, task);
	wake_up_process(task);
	return pid;

err_release:
	mutex_lock(&miniproc_table.lock);
	task = miniproc_release(p);
	mutex_unlock(&miniproc_table.lock);
	miniproc_wake_waiters(p);
	/* Never woken: kthread_stop() ends it before it runs our code. */
	miniproc_stop_task(task);
	return ret;
}

/*
 * Reap a zombie: how it ended into @exit, the slot back to UNUSED, the
 * kthread gone. Called with the table lock held; drops it.
 */
static int miniproc_reap_unlock(struct miniproc *p,
				struct miniproc_exit_info *exit)
{
	struct task_struct *task;
	pid_t pid = p->pid;

	miniproc_fill_exit(p, exit);
	task = miniproc_release(p);
	mutex_unlock(&miniproc_table.lock);
	miniproc_wake_waiters(p);
	miniproc_stop_task(task);
	return pid;
}

/*
 * One attempt of WAIT: reap a matching zombie if there is one.
 * Returns the pid reaped, -EAGAIN if there is something to wait for but it
 * has not ended yet, or -ECHILD, -ESRCH, -EPERM.
 */
static int miniproc_try_reap(pid_t pid, struct miniproc_exit_info *exit)
{
	struct miniproc_user *u;
	struct miniproc *p;
	int ret;

	mutex_lock(&miniproc_table.lock);
	if (pid == MINIPROC_WAIT_ANY) {
		u = miniproc_user_find(current_euid());
		ret = -ECHILD;
		if (!u || !u->nr_waitable)
			goto unlock;
		ret = -EAGAIN;
		p = list_first_entry_or_null(&u->zombies, struct miniproc,
					     zombie_node);
		if (!p)
			goto unlock;
		return miniproc_reap_unlock(p, exit);
	}

	p = miniproc_lookup_owned(pid);
	ret = PTR_ERR_OR_ZERO(p);
	if (ret)
		goto unlock;
	ret = -ECHILD;
	if (test_bit(MINIPROC_F_AUTOREAP, &p->flags))
		goto unlock;
	ret = -EAGAIN;
	if (miniproc_state(p) != MINIPROC_ZOMBIE)
		goto unlock;
	return miniproc_reap_unlock(p, exit);

unlock:
	mutex_unlock(&miniproc_table.lock);
	return ret;
}

/* A timeout in ns as jiffies for wait_woken(); 0 means none. */
static long miniproc_timeout_jiffies(u64 timeout_ns)
{
	u64 j;

	if (!timeout_ns)
		return MAX_SCHEDULE_TIMEOUT;
	j = nsecs_to_jiffies64(timeout_ns) + 1;
	return min_t(u64, j, MAX_SCHEDULE_TIMEOUT - 1);
}

/**
 * miniproc_wait() - wait for a process to be a zombie and reap it
 * @pid:        in: a pid or %MINIPROC_WAIT_ANY; out: the pid reaped, 0 if
 *              %MINIPROC_WNOHANG found nothing
 * @options:    %MINIPROC_WNOHANG
 * @timeout_ns: 0 for no timeout
 * @exit:       out: how it ended
 *
 * Context: process; sleeps interruptibly.
 * Return: 0, or -ECHILD, -ESRCH, -EPERM, -ETIMEDOUT, -EINTR, -EINVAL.
 */
int miniproc_wait(pid_t *pid, u32 options, u64 timeout_ns,
		  struct miniproc_exit_info *exit)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	long timeout = miniproc_timeout_jiffies(timeout_ns);
	int ret;

	if (*pid != MINIPROC_WAIT_ANY && *pid <= 0)
		return -EINVAL;

	add_wait_queue(&miniproc_table.exit_wq, &wait);
	for (;;) {
		ret = miniproc_try_reap(*pid, exit);
		if (ret != -EAGAIN)
			break;
		if (options & MINIPROC_WNOHANG) {
			ret = 0;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!timeout) {
			ret = -ETIMEDOUT;
			break;
		}
		timeout = wait_woken(&wait, TASK_INTERRUPTIBLE, timeout);
	}
	remove_wait_queue(&miniproc_table.exit_wq, &wait);
	if (ret < 0)
		return ret;
	*pid = ret;
	return 0;
}

/*
 * DESTROY with WAIT was interrupted: if the process had been created to be
 * autoreaped, give it back to the module rather than leave a zombie nobody
 * asked for.
 */
static void miniproc_restore_autoreap(pid_t pid)
{
	struct miniproc *p;

	mutex_lock(&miniproc_table.lock);
	p = miniproc_lookup(pid);
	if (p && !test_bit(MINIPROC_F_AUTOREAP, &p->flags)) {
		set_bit(MINIPROC_F_AUTOREAP, &p->flags);
		p->user->nr_waitable--;
		if (miniproc_state(p) == MINIPROC_ZOMBIE) {
			list_del_init(&p->zombie_node);
			queue_work(miniproc_reap_wq, &p->reap_work);
		}
	}
	mutex_unlock(&miniproc_table.lock);
	wake_up_all(&miniproc_table.exit_wq);
}

/**
 * miniproc_destroy() - kill a process
 * @pid:   the process
 * @flags: %MINIPROC_DESTROY_WAIT to return once it is reaped
 * @exit:  out, with %MINIPROC_DESTROY_WAIT: how it ended
 *
 * Context: process; with %MINIPROC_DESTROY_WAIT sleeps interruptibly.
 * Return: 0, or -ESRCH, -EPERM, -EINTR.
 */
int miniproc_destroy(pid_t pid, u32 flags, struct miniproc_exit_info *exit)
{
	bool was_autoreap = false;
	struct miniproc *p;
	int ret;

	mutex_lock(&miniproc_table.lock);
	p = miniproc_lookup_owned(pid);
	if (IS_ERR(p)) {
		mutex_unlock(&miniproc_table.lock);
		return PTR_ERR(p);
	}
	if (miniproc_state(p) != MINIPROC_ZOMBIE &&
	    !test_and_set_bit(MINIPROC_F_KILLED, &p->flags))
		/* From a sleep or a suspension. */
		wake_up_interruptible(&p->wq);
	if ((flags & MINIPROC_DESTROY_WAIT) &&
	    test_and_clear_bit(MINIPROC_F_AUTOREAP, &p->flags)) {
		/* Not a zombie yet: lookup hides exited autoreap ones. */
		was_autoreap = true;
		p->user->nr_waitable++;
	}
	mutex_unlock(&miniproc_table.lock);

	if (!(flags & MINIPROC_DESTROY_WAIT))
		return 0;
	ret = miniproc_wait(&pid, 0, 0, exit);
	if (ret == -EINTR && was_autoreap)
		miniproc_restore_autoreap(pid);
	return ret;
}

/*
 * Has SUSPEND's target stopped (or gone, or been resumed meanwhile)?
 * Stopped means blocked in its suspension with no wakeup on the way: after
 * a RESUME and a SUSPEND in quick succession, the slot may still read
 * SLEEPING while the RESUME's wakeup is queued for another CPU; the task's
 * own state is no longer TASK_INTERRUPTIBLE then, and the thread will run
 * once more before it stops again. Sets *@ret to the result for the
 * caller. Safe inside wait_event().
 */
static bool miniproc_stopped(struct miniproc *p, pid_t pid, int *ret)
{
	unsigned long flags;
	bool done = true;

	*ret = 0;
	raw_spin_lock_irqsave(&p->sched_lock, flags);
	if (p->pid != pid)
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
	int ret;

	mutex_lock(&miniproc_table.lock);
	p = miniproc_lookup_owned(pid);
	if (IS_ERR(p)) {
		mutex_unlock(&miniproc_table.lock);
		return PTR_ERR(p);
	}
	/* A repeated request leaves the stopped thread undisturbed. */
	if (!test_and_set_bit(MINIPROC_F_SUSPEND_REQ, &p->flags))
		wake_up_interruptible(&p->wq);
	mutex_unlock(&miniproc_table.lock);

	if (wait_event_interruptible(p->state_wq, miniproc_stopped(p, pid, &ret)))
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
	p = miniproc_lookup_owned(pid);
	if (IS_ERR(p)) {
		mutex_unlock(&miniproc_table.lock);
		return PTR_ERR(p);
	}
	/* Resuming a process that is not suspended leaves it undisturbed. */
	if (test_and_clear_bit(MINIPROC_F_SUSPEND_REQ, &p->flags)) {
		wake_up_interruptible(&p->wq);
		wake_up_all(&p->state_wq);
	}
	mutex_unlock(&miniproc_table.lock);
	return 0;
}

/* Is every process a zombie (or reaped already)? For wait_event(). */
static bool miniproc_all_ended(void)
{
	unsigned int i;

	for (i = 0; i < miniproc_table.nproc; i++) {
		enum miniproc_state state = miniproc_state(&miniproc_table.slots[i]);

		if (state != MINIPROC_UNUSED && state != MINIPROC_ZOMBIE)
			return false;
	}
	return true;
}

/**
 * miniproc_kill_all() - at unload: kill every process and reap it
 *
 * No file is open (each holds a module reference), so no ioctl runs and
 * nothing is created meanwhile. Every kthread ends within a safe-point
 * interval; autoreap ones are reaped by their work, the rest here.
 */
void miniproc_kill_all(void)
{
	struct miniproc_table *t = &miniproc_table;
	struct miniproc *p;
	unsigned long pid;
	unsigned int i;

	mutex_lock(&t->lock);
	xa_for_each(&t->by_pid, pid, p) {
		set_bit(MINIPROC_F_KILLED, &p->flags);
		wake_up_interruptible(&p->wq);
	}
	mutex_unlock(&t->lock);
	wait_event(t->exit_wq, miniproc_all_ended());

	/* Every exit queued its reap work under the lock: flush them all. */
	mutex_lock(&t->lock);
	mutex_unlock(&t->lock);
	flush_workqueue(miniproc_reap_wq);

	for (i = 0; i < t->nproc; i++) {
		struct miniproc_exit_info exit;

		p = &t->slots[i];
		mutex_lock(&t->lock);
		if (miniproc_state(p) == MINIPROC_UNUSED) {
			mutex_unlock(&t->lock);
			continue;
		}
		miniproc_reap_unlock(p, &exit);
	}
}

/**
 * miniproc_proc_init() - create the reap workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int miniproc_proc_init(void)
{
	miniproc_reap_wq = alloc_workqueue("miniproc_reap", WQ_UNBOUND, 0);
	return miniproc_reap_wq ? 0 : -ENOMEM;
}

/**
 * miniproc_proc_exit() - destroy the reap workqueue, idle by now
 */
void miniproc_proc_exit(void)
{
	destroy_workqueue(miniproc_reap_wq);
}
