// SPDX-License-Identifier: GPL-2.0
/*
 * The life of a mini-process, top of the module's calls: its kthread,
 * which runs its program (program.c) and carries out the forks the
 * program asks for; creation by a user or by fork; exit, which hands the
 * zombie to its reaper (reap.c); the init process; the end of all at
 * unload. Nothing below calls in here.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "miniproc.h"
#include "trace.h"

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

/*
 * The fork op: start a child of @p running @ops, @len of them, a validated
 * part of @p's program. The child has @p's owner, name, pinning and nice
 * value. A failure (-EAGAIN, -EMLINK, -ENOMEM) is kept in @p->fork_error
 * for STATUS to show; the parent goes on either way.
 */
static void miniproc_fork(struct miniproc *p, const struct miniproc_op *ops,
			  u32 len)
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
}

/**
 * miniproc_kthread() - the body of every mini-process
 * @data: its slot
 *
 * Runs the program, and each fork it asks for, until it ends.
 *
 * Return: 0; how the program ended is in the slot.
 */
int miniproc_kthread(void *data)
{
	struct miniproc *p = data;
	struct miniproc_run run = {};

	miniproc_sched_attach(p);
	while (!miniproc_prog_run(p, &run))
		miniproc_fork(p, run.fork_ops, run.fork_len);
	miniproc_exit(p, run.status);
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
	miniproc_reap_flush();

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
 * miniproc_proc_init() - set up reaping, start init
 *
 * Return: 0, or -ENOMEM, or why init could not start.
 */
int miniproc_proc_init(void)
{
	struct miniproc_prog *prog;
	struct miniproc *init;
	int ret;

	ret = miniproc_reap_init();
	if (ret)
		return ret;
	prog = miniproc_prog_init();
	if (!prog) {
		ret = -ENOMEM;
		goto err_reap_exit;
	}
	init = miniproc_alloc_init(prog);
	if (IS_ERR(init)) {
		kfree(prog);
		ret = PTR_ERR(init);
		goto err_reap_exit;
	}
	ret = miniproc_start(init, 0, NULL);
	if (ret < 0)
		goto err_reap_exit;
	return 0;

err_reap_exit:
	miniproc_reap_exit();
	return ret;
}

/**
 * miniproc_proc_exit() - undo miniproc_proc_init(), every process reaped
 */
void miniproc_proc_exit(void)
{
	miniproc_reap_exit();
}
