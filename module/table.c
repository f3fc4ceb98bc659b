// SPDX-License-Identifier: GPL-2.0
/*
 * The process table: a fixed array of slots allocated at load, the free
 * list, the pid index and per-user accounting. Like xv6's proc[], with
 * allocproc()/freeproc() as miniproc_alloc()/miniproc_release().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>

#include "miniproc.h"

struct miniproc_table miniproc_table;

/* One names table for the enum, shared by every printer in the module. */
static const char *const miniproc_state_names[MINIPROC_NR_STATES] = {
	[MINIPROC_UNUSED] = "UNUSED",
	[MINIPROC_EMBRYO] = "EMBRYO",
	[MINIPROC_SLEEPING] = "SLEEPING",
	[MINIPROC_RUNNABLE] = "RUNNABLE",
	[MINIPROC_RUNNING] = "RUNNING",
	[MINIPROC_ZOMBIE] = "ZOMBIE",
};

/**
 * miniproc_state_name() - the name of a state, as xv6's procdump prints it
 * @state: an &enum miniproc_state
 *
 * Return: its upper-case name, "???" for a value out of range.
 */
const char *miniproc_state_name(enum miniproc_state state)
{
	if ((unsigned int)state >= MINIPROC_NR_STATES)
		return "???";
	return miniproc_state_names[state];
}

static unsigned long miniproc_uid_index(kuid_t uid)
{
	return from_kuid(&init_user_ns, uid);
}

/**
 * miniproc_user_find() - the accounting record of a user, if it has one
 * @uid: the user
 *
 * Context: miniproc_table.lock held.
 * Return: the record, or NULL if @uid has no process in the table.
 */
struct miniproc_user *miniproc_user_find(kuid_t uid)
{
	lockdep_assert_held(&miniproc_table.lock);
	return xa_load(&miniproc_table.per_uid, miniproc_uid_index(uid));
}

/* Find or make @uid's record; table lock held. */
static struct miniproc_user *miniproc_user_get(kuid_t uid)
{
	struct miniproc_user *u = miniproc_user_find(uid);
	int ret;

	if (u)
		return u;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return ERR_PTR(-ENOMEM);
	u->uid = uid;
	INIT_LIST_HEAD(&u->zombies);
	ret = xa_err(xa_store(&miniproc_table.per_uid, miniproc_uid_index(uid),
			      u, GFP_KERNEL));
	if (ret) {
		kfree(u);
		return ERR_PTR(ret);
	}
	return u;
}

/* Drop @u's record once it has no process left; table lock held. */
static void miniproc_user_put(struct miniproc_user *u)
{
	if (u->nr_procs)
		return;
	xa_erase(&miniproc_table.per_uid, miniproc_uid_index(u->uid));
	kfree(u);
}

/**
 * miniproc_alloc() - take an UNUSED slot and make it an EMBRYO
 * @name:  its name, already checked
 * @flags: %MINIPROC_CREATE_* flags
 * @prog:  its program; owned by the slot on success
 *
 * The owner is the caller's effective uid; the pid is the next one.
 *
 * Context: process; takes miniproc_table.lock.
 * Return: the slot, or ERR_PTR(-EAGAIN) if the table is full or the owner
 * has miniproc_max_per_uid live processes, or ERR_PTR(-ENOMEM).
 */
struct miniproc *miniproc_alloc(const char *name, u32 flags,
				struct miniproc_prog *prog)
{
	struct miniproc_table *t = &miniproc_table;
	kuid_t owner = current_euid();
	struct miniproc_user *u;
	struct miniproc *p;
	int ret;

	mutex_lock(&t->lock);
	u = miniproc_user_get(owner);
	if (IS_ERR(u)) {
		ret = PTR_ERR(u);
		goto err_unlock;
	}
	if (list_empty(&t->free) || t->next_pid == MINIPROC_PID_MAX ||
	    u->nr_procs >= READ_ONCE(miniproc_max_per_uid)) {
		ret = -EAGAIN;
		goto err_put_user;
	}
	p = list_first_entry(&t->free, struct miniproc, free_node);
	ret = xa_insert(&t->by_pid, t->next_pid, p, GFP_KERNEL);
	if (ret)
		goto err_put_user;

	list_del_init(&p->free_node);
	t->nr_used++;
	u->nr_procs++;
	p->user = u;
	p->owner = owner;
	p->ppid = 0;
	strscpy(p->name, name, sizeof(p->name));
	p->start_time_ns = ktime_get_boottime_ns();
	p->task = NULL;
	p->prog = prog;
	p->flags = 0;
	p->chan = NULL;
	if (flags & MINIPROC_CREATE_AUTOREAP)
		set_bit(MINIPROC_F_AUTOREAP, &p->flags);
	else
		u->nr_waitable++;
	if (flags & MINIPROC_CREATE_PIN)
		set_bit(MINIPROC_F_PINNED, &p->flags);

	raw_spin_lock_irq(&p->sched_lock);
	p->pid = t->next_pid++;
	p->sched_task = NULL;
	p->cpu = -1;
	p->on_cpu_since = 0;
	p->runtime_ns = 0;
	p->nvcsw = 0;
	p->nivcsw = 0;
	p->nr_sched_in = 0;
	p->nr_wakeups = 0;
	p->nr_migrations = 0;
	p->exit_status = 0;
	miniproc_set_state(p, MINIPROC_EMBRYO);
	raw_spin_unlock_irq(&p->sched_lock);
	mutex_unlock(&t->lock);
	return p;

err_put_user:
	miniproc_user_put(u);
err_unlock:
	mutex_unlock(&t->lock);
	return ERR_PTR(ret);
}

/**
 * miniproc_release() - make a slot UNUSED again
 * @p: a ZOMBIE slot, or an EMBRYO whose kthread never ran
 *
 * Frees the program and forgets the pid. The caller then kthread_stop()s the
 * returned task (outside the lock) and wakes miniproc_table.exit_wq and
 * @p->state_wq, so waiters see the process gone.
 *
 * Context: miniproc_table.lock held.
 * Return: the kthread, with the reference taken at creation, or NULL.
 */
struct task_struct *miniproc_release(struct miniproc *p)
{
	struct miniproc_table *t = &miniproc_table;
	struct miniproc_user *u = p->user;
	struct task_struct *task = p->task;

	lockdep_assert_held(&t->lock);
	xa_erase(&t->by_pid, p->pid);
	if (!list_empty(&p->zombie_node))
		list_del_init(&p->zombie_node);
	if (!test_bit(MINIPROC_F_AUTOREAP, &p->flags))
		u->nr_waitable--;
	u->nr_procs--;
	miniproc_user_put(u);

	kfree(p->prog);
	p->prog = NULL;
	p->task = NULL;
	p->user = NULL;
	raw_spin_lock_irq(&p->sched_lock);
	miniproc_set_state(p, MINIPROC_UNUSED);
	p->pid = 0;
	p->sched_task = NULL;
	raw_spin_unlock_irq(&p->sched_lock);
	list_add(&p->free_node, &t->free);
	t->nr_used--;
	return task;
}

/**
 * miniproc_lookup() - the slot of a live or zombie process
 * @pid: its pid
 *
 * An autoreap process that has exited is being reaped: it is gone already
 * as far as callers are concerned.
 *
 * Context: miniproc_table.lock held.
 * Return: the slot, or NULL if no such process.
 */
struct miniproc *miniproc_lookup(pid_t pid)
{
	struct miniproc *p;

	lockdep_assert_held(&miniproc_table.lock);
	if (pid <= 0)
		return NULL;
	p = xa_load(&miniproc_table.by_pid, pid);
	if (p && miniproc_is_reaping(p))
		return NULL;
	return p;
}

/**
 * miniproc_is_reaping() - has this autoreap process exited?
 * @p: a slot in use
 *
 * Return: true if the module is reaping it and it is to be treated as gone.
 */
bool miniproc_is_reaping(struct miniproc *p)
{
	return test_bit(MINIPROC_F_AUTOREAP, &p->flags) &&
	       miniproc_state(p) == MINIPROC_ZOMBIE;
}

/**
 * miniproc_fill_info() - describe a process for STATUS and LIST
 * @p:    a slot in use
 * @info: filled entirely, reserved fields zero
 *
 * Context: miniproc_table.lock held, so the identity is stable.
 */
void miniproc_fill_info(struct miniproc *p, struct miniproc_info *info)
{
	lockdep_assert_held(&miniproc_table.lock);
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->pid = p->pid;
	info->ppid = p->ppid;
	info->uid = from_kuid_munged(current_user_ns(), p->owner);
	memcpy(info->name, p->name, sizeof(info->name));
	info->start_time_ns = p->start_time_ns;
	if (test_bit(MINIPROC_F_AUTOREAP, &p->flags))
		info->flags |= MINIPROC_INFO_AUTOREAP;
	if (test_bit(MINIPROC_F_PINNED, &p->flags))
		info->flags |= MINIPROC_INFO_PINNED;
	miniproc_sched_snapshot(p, info);
	if (p->task && info->state != MINIPROC_ZOMBIE)
		info->tid = task_pid_vnr(p->task);
}

/**
 * miniproc_fill_exit() - how a zombie ended
 * @p:    a ZOMBIE slot
 * @exit: filled entirely
 *
 * Context: miniproc_table.lock held.
 */
void miniproc_fill_exit(struct miniproc *p, struct miniproc_exit_info *exit)
{
	struct miniproc_info info;

	miniproc_fill_info(p, &info);
	memset(exit, 0, sizeof(*exit));
	exit->exit_status = info.exit_status;
	if (info.flags & MINIPROC_INFO_KILLED)
		exit->flags |= MINIPROC_EXIT_KILLED;
	exit->runtime_ns = info.runtime_ns;
	exit->nvcsw = info.nvcsw;
	exit->nivcsw = info.nivcsw;
}

/**
 * miniproc_snapshot() - describe every process, in pid order
 * @recs:     room for @capacity records
 * @capacity: records @recs can take
 * @count:    out: records filled, at most @capacity
 *
 * Takes miniproc_table.lock, so no process is created or reaped meanwhile.
 * Costs O(processes), not O(slots).
 *
 * Return: the number of processes there were.
 */
unsigned int miniproc_snapshot(struct miniproc_info *recs,
			       unsigned int capacity, unsigned int *count)
{
	unsigned int total = 0;
	struct miniproc *p;
	unsigned long pid;

	mutex_lock(&miniproc_table.lock);
	xa_for_each(&miniproc_table.by_pid, pid, p) {
		if (miniproc_is_reaping(p))
			continue;
		if (total < capacity)
			miniproc_fill_info(p, &recs[total]);
		total++;
	}
	mutex_unlock(&miniproc_table.lock);
	*count = min(total, capacity);
	return total;
}

/**
 * miniproc_table_init() - allocate the table
 * @nproc: number of slots
 *
 * Return: 0 or -ENOMEM.
 */
int miniproc_table_init(unsigned int nproc)
{
	struct miniproc_table *t = &miniproc_table;
	unsigned int i;

	mutex_init(&t->lock);
	INIT_LIST_HEAD(&t->free);
	xa_init(&t->by_pid);
	xa_init(&t->per_uid);
	init_waitqueue_head(&t->exit_wq);
	t->next_pid = 1;
	t->nr_used = 0;
	t->nproc = nproc;
	t->slots = kvcalloc(nproc, sizeof(*t->slots), GFP_KERNEL);
	if (!t->slots)
		return -ENOMEM;

	for (i = 0; i < nproc; i++) {
		struct miniproc *p = &t->slots[i];

		miniproc_sched_slot_init(p);
		init_waitqueue_head(&p->wq);
		init_waitqueue_head(&p->state_wq);
		init_irq_work(&p->state_work, miniproc_state_work);
		INIT_WORK(&p->reap_work, miniproc_reap_work);
		INIT_LIST_HEAD(&p->zombie_node);
		raw_spin_lock_init(&p->sched_lock);
		p->state = MINIPROC_UNUSED;
		p->cpu = -1;
		list_add_tail(&p->free_node, &t->free);
	}
	return 0;
}

/**
 * miniproc_table_exit() - free the table; every slot is UNUSED by now
 */
void miniproc_table_exit(void)
{
	struct miniproc_table *t = &miniproc_table;
	unsigned int i;

	for (i = 0; i < t->nproc; i++)
		irq_work_sync(&t->slots[i].state_work);
	xa_destroy(&t->by_pid);
	xa_destroy(&t->per_uid);
	kvfree(t->slots);
	t->slots = NULL;
}
