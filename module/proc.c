// SPDX-License-Identifier: GPL-2.0
/*
 * The life of a mini-process: its kthread and safe points, creation by a
 * user or by fork, exit and the hand-over of its zombie to whoever reaps
 * it, suspension and resumption, the init process, and the end of all at
 * unload. Reaping itself is in reap.c.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "miniproc.h"
#include "trace.h"

struct workqueue_struct *miniproc_reap_wq;

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

/**
 * miniproc_hand_over() - give a zombie to whoever is to reap it
 * @p: a ZOMBIE
 *
 * That is: the DESTROY caller that claimed it; else its parent, woken in
 * its wait op; else, if it was created so, the reap work; else its owner's
 * WAIT, through the owner's zombie list.
 *
 * Context: miniproc_table.lock held.
 */
void miniproc_hand_over(struct miniproc *p)
{
	lockdep_assert_held(&miniproc_table.lock);
	if (test_bit(MINIPROC_F_CLAIMED, &p->flags))
		return;
	if (p->parent) {
		WRITE_ONCE(p->parent->nr_zombie_children,
			   p->parent->nr_zombie_children + 1);
		wake_up_interruptible(&p->parent->child_wq);
	} else if (test_bit(MINIPROC_F_AUTOREAP, &p->flags)) {
		queue_work(miniproc_reap_wq, &p->reap_work);
	} else if (p->user) {
		list_add_tail(&p->zombie_node, &p->user->zombies);
	}
}

/* Give @p's children to init, as xv6's exit() does. Table lock held. */
static void miniproc_reparent(struct miniproc *p)
{
	struct miniproc *init = miniproc_table.init;
	struct miniproc *c, *tmp;
	bool zombies = false;

	if (p == init)
		return;
	list_for_each_entry_safe(c, tmp, &p->children, sibling_node) {
		list_move_tail(&c->sibling_node, &init->children);
		c->parent = init;
		WRITE_ONCE(c->ppid, init->pid);
		WRITE_ONCE(init->nr_children, init->nr_children + 1);
		if (miniproc_state(c) == MINIPROC_ZOMBIE &&
		    !test_bit(MINIPROC_F_CLAIMED, &c->flags)) {
			WRITE_ONCE(init->nr_zombie_children,
				   init->nr_zombie_children + 1);
			zombies = true;
		}
	}
	WRITE_ONCE(p->nr_children, 0);
	WRITE_ONCE(p->nr_zombie_children, 0);
	if (zombies)
		wake_up_interruptible(&init->child_wq);
}

/*
 * The end of a program: give the children to init, become a ZOMBIE, give
 * the zombie to its reaper, all under the table lock, which the thread
 * never takes again: a reaper may wait for it to finish exiting. The
 * children go first, as in xv6's exit(): STATUS, which takes no table
 * lock, must not find a zombie that still has children.
 */
static void miniproc_exit(struct miniproc *p, int status)
{
	miniproc_lock_table(p);
	miniproc_reparent(p);
	miniproc_sched_detach(p, status);
	trace_miniproc_exit(p->pid, status,
			    status == MINIPROC_EXIT_STATUS_KILLED,
			    miniproc_runtime(p));
	miniproc_hand_over(p);
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

/*
 * Start the kthread of an EMBRYO slot, at nice @nice. If @upid is given,
 * the pid is stored there before the thread is first woken, so that a
 * fault undoes everything. On failure the slot is released. Returns the
 * pid or an errno.
 */
static int miniproc_start(struct miniproc *p, int nice, int __user *upid)
{
	/* A fork runs in the parent's thread, a CREATE in a user's. */
	struct miniproc *self = p->parent;
	struct task_struct *task;
	pid_t pid = p->pid;
	int ret;

	trace_miniproc_create(pid, p->ppid, from_kuid(&init_user_ns, p->owner),
			      p->name);
	task = kthread_create(miniproc_kthread, p, "miniproc/%d", pid);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto err_release;
	}
	get_task_struct(task);
	if (test_bit(MINIPROC_F_PINNED, &p->flags))
		kthread_bind(task, p->pin_cpu);
	set_user_nice(task, nice);
	miniproc_lock_table(self);
	p->task = task;
	WRITE_ONCE(p->tid, task_pid_nr(task));
	mutex_unlock(&miniproc_table.lock);

	if (upid && put_user(pid, upid)) {
		ret = -EFAULT;
		goto err_release;
	}
	miniproc_sched_track(p, task);
	wake_up_process(task);
	return pid;

err_release:
	miniproc_lock_table(self);
	miniproc_tell_destroy_waiters(p, NULL);
	task = miniproc_release(p);
	mutex_unlock(&miniproc_table.lock);
	miniproc_wake_waiters(p);
	/* Never woken: kthread_stop() ends it before it runs our code. */
	miniproc_stop_task(task);
	return ret;
}

/**
 * miniproc_create() - create a mini-process for the calling user, start it
 * @name:  its name, checked
 * @flags: %MINIPROC_CREATE_* flags, checked
 * @cpu:   with %MINIPROC_CREATE_PIN, an online CPU
 * @prog:  its program, validated; consumed
 * @upid:  where to store the pid in the caller's struct
 *
 * It belongs to the caller's effective uid and runs at the caller's nice
 * value: never stronger than its creator. With the restrict_create
 * parameter set only CAP_SYS_ADMIN may create; with admin_exempt set,
 * CAP_SYS_ADMIN is not held to max_per_uid (nor are its processes' forks).
 *
 * Return: the pid, or -EPERM, -EAGAIN, -ENOMEM, -EFAULT, or
 * kthread_create()'s error.
 */
int miniproc_create(const char *name, u32 flags, int cpu,
		    struct miniproc_prog *prog, int __user *upid)
{
	bool exempt = false;
	struct miniproc *p;

	if (READ_ONCE(miniproc_restrict_create) && !capable(CAP_SYS_ADMIN)) {
		kfree(prog);
		return -EPERM;
	}
	if (READ_ONCE(miniproc_admin_exempt))
		exempt = capable(CAP_SYS_ADMIN);
	p = miniproc_alloc(current_euid(), NULL, name, flags, cpu, exempt, prog);
	if (IS_ERR(p)) {
		kfree(prog);
		return PTR_ERR(p);
	}
	return miniproc_start(p, task_nice(current), upid);
}

/**
 * miniproc_fork() - the fork op: start a child running @ops
 * @p:   the slot of the calling kthread, the parent
 * @ops: the child's program, a validated part of the parent's
 * @len: its length
 *
 * The child has @p's owner, name, pinning and nice value. A failure is
 * kept in @p->fork_error for STATUS to show; the parent goes on either way.
 *
 * Return: the child's pid, or -EAGAIN, -EMLINK, -ENOMEM.
 */
int miniproc_fork(struct miniproc *p, const struct miniproc_op *ops, u32 len)
{
	u32 flags = test_bit(MINIPROC_F_PINNED, &p->flags) ?
		    MINIPROC_CREATE_PIN : 0;
	struct miniproc_prog *prog;
	struct miniproc *child;
	int ret;

	/* Its allocations and kthread_create() may block: "fork" says so. */
	WRITE_ONCE(p->chan, MINIPROC_CHAN_FORK);
	prog = miniproc_prog_dup(ops, len);
	if (!prog) {
		ret = -ENOMEM;
		goto out;
	}
	child = miniproc_alloc(p->owner, p, p->name, flags, p->pin_cpu,
			       test_bit(MINIPROC_F_EXEMPT, &p->flags), prog);
	if (IS_ERR(child)) {
		kfree(prog);
		ret = PTR_ERR(child);
		goto out;
	}
	ret = miniproc_start(child, task_nice(current), NULL);
out:
	miniproc_lock_table(p);
	if (ret < 0)
		WRITE_ONCE(p->fork_error, -ret);
	else
		WRITE_ONCE(p->nr_forks, p->nr_forks + 1);
	mutex_unlock(&miniproc_table.lock);
	WRITE_ONCE(p->chan, NULL);
	return ret;
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

/* Is every process a zombie (or reaped already)? For wait_event(). */
static bool miniproc_all_ended(void)
{
	unsigned int i;

	for (i = 0; i <= miniproc_table.nproc; i++) {
		enum miniproc_state state = miniproc_state(&miniproc_table.slots[i]);

		if (state != MINIPROC_UNUSED && state != MINIPROC_ZOMBIE)
			return false;
	}
	return true;
}

/**
 * miniproc_kill_all() - at unload: kill every process, init too, and reap it
 *
 * No file is open (each holds a module reference), so no ioctl runs; forks
 * fail from the moment the processes are killed. Every kthread ends within
 * a safe-point interval; autoreap ones are reaped by their work, the rest
 * here.
 */
void miniproc_kill_all(void)
{
	struct miniproc_table *t = &miniproc_table;
	struct miniproc_exit_info exit;
	struct miniproc *p;
	unsigned long pid;
	unsigned int i;

	mutex_lock(&t->lock);
	/* From now on a fork fails: every process there is gets killed. */
	t->dying = true;
	xa_for_each(&t->by_pid, pid, p) {
		if (!test_and_set_bit(MINIPROC_F_KILLED, &p->flags))
			miniproc_wake_ctl(p);
	}
	mutex_unlock(&t->lock);
	wait_event(t->exit_wq, miniproc_all_ended());

	/* Every exit queued its reap work under the lock: flush them all. */
	mutex_lock(&t->lock);
	mutex_unlock(&t->lock);
	flush_workqueue(miniproc_reap_wq);

	for (i = 0; i <= t->nproc; i++) {
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
 * miniproc_proc_init() - create the reap workqueue, start init
 *
 * Return: 0, or -ENOMEM, or why init could not start.
 */
int miniproc_proc_init(void)
{
	struct miniproc_prog *prog;
	struct miniproc *init;
	int ret;

	miniproc_reap_wq = alloc_workqueue("miniproc_reap", WQ_UNBOUND, 0);
	if (!miniproc_reap_wq)
		return -ENOMEM;
	prog = miniproc_prog_init();
	if (!prog) {
		ret = -ENOMEM;
		goto err_destroy_wq;
	}
	init = miniproc_alloc_init(prog);
	if (IS_ERR(init)) {
		kfree(prog);
		ret = PTR_ERR(init);
		goto err_destroy_wq;
	}
	ret = miniproc_start(init, 0, NULL);
	if (ret < 0)
		goto err_destroy_wq;
	return 0;

err_destroy_wq:
	destroy_workqueue(miniproc_reap_wq);
	return ret;
}

/**
 * miniproc_proc_exit() - destroy the reap workqueue, idle by now
 */
void miniproc_proc_exit(void)
{
	destroy_workqueue(miniproc_reap_wq);
}
