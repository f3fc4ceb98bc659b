// SPDX-License-Identifier: GPL-2.0
/*
 * The process table: a fixed array of slots allocated at load, the free
 * list, the pid index and per-user accounting. Like xv6's proc[], with
 * allocproc()/freeproc() as miniproc_alloc()/miniproc_release().
 */

#include <linux/cred.h>
#include <linux/error-injection.h>
#include <linux/log2.h>
#include <linux/sched.h>
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

/* A new user record, open to fail_function. Returns it or NULL. */
static noinline struct miniproc_user *miniproc_user_alloc(kuid_t uid)
{
	struct miniproc_user *u = kzalloc(sizeof(*u), GFP_KERNEL);

	if (u) {
		u->uid = uid;
		INIT_LIST_HEAD(&u->zombies);
	}
	return u;
}

ALLOW_ERROR_INJECTION(miniproc_user_alloc, NULL);

/* Find or make @uid's record; table lock held. */
static struct miniproc_user *miniproc_user_get(kuid_t uid)
{
	struct miniproc_user *u = miniproc_user_find(uid);
	int ret;

	if (u)
		return u;
	u = miniproc_user_alloc(uid);
	if (!u)
		return ERR_PTR(-ENOMEM);
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

/*
 * Give @p a new identity as an EMBRYO: pid, a new serial, owner, name,
 * program, flags (MINIPROC_F_* bits), counters zeroed, and the EMBRYO
 * event. Table lock held. The pid goes in last, under sched_lock: whoever
 * finds it there under that lock finds the rest of the identity too
 * (miniproc_status()).
 */
static void miniproc_slot_setup(struct miniproc *p, pid_t pid, kuid_t owner,
				struct miniproc *parent, const char *name,
				struct miniproc_prog *prog, unsigned long flags)
{
	p->owner = owner;
	p->parent = parent;
	WRITE_ONCE(p->ppid, parent ? parent->pid : 0);
	/* Padded: STATUS, LIST and events copy all of it out. */
	strscpy_pad(p->name, name, sizeof(p->name));
	p->start_time_ns = ktime_get_boottime_ns();
	p->task = NULL;
	WRITE_ONCE(p->tid, 0);
	p->prog = prog;
	p->flags = flags;
	WRITE_ONCE(p->chan, NULL);
	WRITE_ONCE(p->pc, 0);
	WRITE_ONCE(p->nr_children, 0);
	WRITE_ONCE(p->nr_zombie_children, 0);
	WRITE_ONCE(p->nr_forks, 0);
	WRITE_ONCE(p->fork_error, 0);

	raw_spin_lock_irq(&p->sched_lock);
	WRITE_ONCE(p->pid, pid);
	WRITE_ONCE(p->serial, ++miniproc_table.last_serial);
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
}

/**
 * miniproc_lock_table() - take miniproc_table.lock in a mini-process's thread
 * @self: the mini-process whose kthread calls, or NULL from a user's call
 *
 * A contended mutex puts its caller to sleep (debug kernels, which do not
 * spin on a mutex's owner, do so nearly every time). For a mini-process
 * that sleep is real: the scheduler dequeues it and it reads SLEEPING,
 * so its wait channel says on what, "lock", as xv6's would name the lock's
 * address. Once it has the lock, the channel it had before is back: a
 * fork op waits on "fork" also around its lock waits.
 *
 * Context: process; may sleep.
 */
void miniproc_lock_table(struct miniproc *self)
{
	const struct miniproc_chan *outer;

	if (mutex_trylock(&miniproc_table.lock))
		return;
	if (!self) {
		mutex_lock(&miniproc_table.lock);
		return;
	}
	outer = self->chan;
	WRITE_ONCE(self->chan, MINIPROC_CHAN_LOCK);
	mutex_lock(&miniproc_table.lock);
	WRITE_ONCE(self->chan, outer);
}

/* The hint for @pid: where the slot last given a pid with its bits is. */
static struct miniproc **miniproc_hint_of(pid_t pid)
{
	return &miniproc_table.pid_hint[pid & miniproc_table.pid_hint_mask];
}

/*
 * Make @p, its pid just given, the hint for pids with its low bits. Table
 * lock held; after miniproc_slot_setup(), so a reader that follows the
 * hint finds the pid in place.
 */
static void miniproc_hint(struct miniproc *p)
{
	WRITE_ONCE(*miniproc_hint_of(p->pid), p);
}

/*
 * Link @p, just given @pid in the index, into the used list before the
 * slot of the next larger pid, so that the list stays in pid order after
 * pids have wrapped. One step of the index, not a walk of the list: until
 * the first wrap there is no larger pid and @p goes to the tail. Table
 * lock held.
 */
static void miniproc_link_used(struct miniproc *p, u32 pid)
{
	struct miniproc_table *t = &miniproc_table;
	unsigned long index = pid;
	struct miniproc *next;

	next = xa_find_after(&t->by_pid, &index, t->pid_max, XA_PRESENT);
	list_add_tail(&p->used_node, next ? &next->used_node : &t->used);
}

/**
 * miniproc_alloc() - take an UNUSED slot and make it an EMBRYO
 * @owner:  the user it belongs to
 * @parent: the process forking it, or NULL if a user creates it
 * @name:   its name, already checked
 * @flags:  %MINIPROC_CREATE_* flags
 * @cpu:    with %MINIPROC_CREATE_PIN, the CPU it is to run on
 * @exempt: not held to miniproc_max_per_uid (an exempt administrator's)
 * @prog:   its program; owned by the slot on success
 *
 * Its pid is the first free one after the last handed out, coming round to
 * %MINIPROC_INIT_PID + 1 after pid_max (xa_alloc_cyclic()); pid_max leaves
 * room for a full table (checked at load), so a slot always finds one.
 *
 * Context: process; takes miniproc_table.lock.
 * Return: the slot, or ERR_PTR(-EAGAIN) if the table is full or @owner has
 * miniproc_max_per_uid processes, ERR_PTR(-EMLINK) if @parent has
 * %MINIPROC_CHILDREN_MAX unreaped children, or ERR_PTR(-ENOMEM).
 */
struct miniproc *miniproc_alloc(kuid_t owner, struct miniproc *parent,
				const char *name, u32 flags, int cpu, bool exempt,
				struct miniproc_prog *prog)
{
	struct miniproc_table *t = &miniproc_table;
	unsigned long bits = 0;
	struct miniproc_user *u;
	struct miniproc *p;
	u32 pid;
	int ret;

	if (flags & MINIPROC_CREATE_AUTOREAP)
		bits |= BIT(MINIPROC_F_AUTOREAP);
	if (flags & MINIPROC_CREATE_PIN)
		bits |= BIT(MINIPROC_F_PINNED);
	/* Its first safe point, at its first op, obeys this. */
	if (flags & MINIPROC_CREATE_SUSPENDED)
		bits |= BIT(MINIPROC_F_SUSPEND_REQ);
	if (exempt)
		bits |= BIT(MINIPROC_F_EXEMPT);

	/* @parent is the caller: fork runs in the parent's thread. */
	miniproc_lock_table(parent);
	u = miniproc_user_get(owner);
	if (IS_ERR(u)) {
		ret = PTR_ERR(u);
		goto err_unlock;
	}
	ret = -EMLINK;
	if (parent && parent->nr_children >= MINIPROC_CHILDREN_MAX)
		goto err_put_user;
	ret = -EAGAIN;
	if (t->dying || list_empty(&t->free) ||
	    (!exempt && u->nr_procs >= READ_ONCE(miniproc_max_per_uid)))
		goto err_put_user;
	p = list_first_entry(&t->free, struct miniproc, free_node);
	ret = xa_alloc_cyclic(&t->by_pid, &pid, p,
			      XA_LIMIT(MINIPROC_INIT_PID + 1, t->pid_max),
			      &t->pid_next, GFP_KERNEL);
	/* 1 says the pids came round: fine. */
	if (ret < 0) {
		/* pid_max leaves a pid for every free slot: only memory runs out. */
		if (WARN_ON_ONCE(ret != -ENOMEM))
			ret = -EAGAIN;
		goto err_put_user;
	}

	list_del_init(&p->free_node);
	miniproc_link_used(p, pid);
	WRITE_ONCE(t->nr_used, t->nr_used + 1);
	u->nr_procs++;
	p->pin_cpu = flags & MINIPROC_CREATE_PIN ? cpu : 0;
	miniproc_slot_setup(p, pid, owner, parent, name, prog, bits);
	miniproc_hint(p);
	p->user = u;
	if (parent) {
		list_add_tail(&p->sibling_node, &parent->children);
		WRITE_ONCE(parent->nr_children, parent->nr_children + 1);
	}
	if (!(flags & MINIPROC_CREATE_AUTOREAP) && !parent)
		u->nr_waitable++;
	mutex_unlock(&t->lock);
	return p;

err_put_user:
	miniproc_user_put(u);
err_unlock:
	mutex_unlock(&t->lock);
	return ERR_PTR(ret);
}

/**
 * miniproc_alloc_init() - make the init process's slot an EMBRYO
 * @prog: its program; owned by the slot
 *
 * init has pid %MINIPROC_INIT_PID and a slot of its own beyond the nproc
 * that users share; it belongs to the module and counts against no user.
 *
 * Context: module load.
 * Return: its slot, or ERR_PTR(-ENOMEM).
 */
struct miniproc *miniproc_alloc_init(struct miniproc_prog *prog)
{
	struct miniproc_table *t = &miniproc_table;
	struct miniproc *p = t->init;
	int ret;

	mutex_lock(&t->lock);
	ret = xa_insert(&t->by_pid, MINIPROC_INIT_PID, p, GFP_KERNEL);
	if (!ret) {
		miniproc_slot_setup(p, MINIPROC_INIT_PID, GLOBAL_ROOT_UID, NULL,
				    MINIPROC_INIT_NAME, prog, 0);
		miniproc_hint(p);
		/* First in, before any user's: the used list stays in pid order. */
		list_add(&p->used_node, &t->used);
		p->user = NULL;
	}
	mutex_unlock(&t->lock);
	return ret ? ERR_PTR(ret) : p;
}

/**
 * miniproc_release() - make a slot UNUSED again
 * @p: a ZOMBIE slot, or an EMBRYO whose kthread never ran
 *
 * Unlinks it from its parent, its owner's accounting and the pid index,
 * frees the program and forgets the pid. The caller then kthread_stop()s
 * the returned task (outside the lock) and wakes miniproc_table.exit_wq and
 * @p->state_wq, so waiters see the process gone.
 *
 * Context: miniproc_table.lock held.
 * Return: the kthread, with the reference taken at creation, or NULL.
 */
struct task_struct *miniproc_release(struct miniproc *p)
{
	struct miniproc_table *t = &miniproc_table;
	struct task_struct *task = p->task;
	struct miniproc_user *u = p->user;
	struct miniproc *parent = p->parent;
	struct miniproc *c, *tmp, **hint;

	lockdep_assert_held(&t->lock);
	xa_erase(&t->by_pid, p->pid);
	hint = miniproc_hint_of(p->pid);
	if (*hint == p)
		WRITE_ONCE(*hint, NULL);
	list_del_init(&p->used_node);
	list_del_init(&p->zombie_node);
	if (parent) {
		list_del_init(&p->sibling_node);
		WRITE_ONCE(parent->nr_children, parent->nr_children - 1);
		if (miniproc_state(p) == MINIPROC_ZOMBIE &&
		    !test_bit(MINIPROC_F_CLAIMED, &p->flags))
			WRITE_ONCE(parent->nr_zombie_children,
				   parent->nr_zombie_children - 1);
		/* Its last child gone, a parent in its wait op goes on. */
		if (!parent->nr_children)
			wake_up_interruptible(&parent->child_wq);
	}
	/* Only at unload may a process go with children left. */
	list_for_each_entry_safe(c, tmp, &p->children, sibling_node) {
		list_del_init(&c->sibling_node);
		c->parent = NULL;
	}
	if (u) {
		if (!parent && !test_bit(MINIPROC_F_AUTOREAP, &p->flags))
			u->nr_waitable--;
		u->nr_procs--;
		miniproc_user_put(u);
		list_add(&p->free_node, &t->free);
		WRITE_ONCE(t->nr_used, t->nr_used - 1);
	}

	kfree(p->prog);
	p->prog = NULL;
	p->task = NULL;
	WRITE_ONCE(p->tid, 0);
	p->user = NULL;
	p->parent = NULL;
	raw_spin_lock_irq(&p->sched_lock);
	miniproc_set_state(p, MINIPROC_UNUSED);
	WRITE_ONCE(p->pid, 0);
	WRITE_ONCE(p->serial, 0);
	p->sched_task = NULL;
	raw_spin_unlock_irq(&p->sched_lock);
	return task;
}

/**
 * miniproc_find() - the slot given a pid, while that process is there
 * @pid: a pid, > 0
 *
 * Most lookups end at the pid's hint, the slot last given a pid with the
 * same low bits: a load and a compare, where the pid index (an xarray) is
 * a walk under RCU, a good part of STATUS's cost. A hint whose slot has
 * gone on to another pid, or whose bits another live pid shares, sends the
 * lookup to the index. Pids are reused once they come round, but no two
 * slots hold one pid at once, so a slot holding @pid is the process that
 * has it now, whichever incarnation the hint was written for; slots are
 * never freed while the module is loaded, so both answers are safe to
 * follow without the table lock, and then only candidates: confirm the pid
 * under the slot's sched_lock, as miniproc_status() does (and, to hold on
 * to one process, its serial). With the table lock held the answer is the
 * slot.
 *
 * Return: the slot, or NULL.
 */
struct miniproc *miniproc_find(pid_t pid)
{
	struct miniproc *p = READ_ONCE(*miniproc_hint_of(pid));

	if (p && READ_ONCE(p->pid) == pid)
		return p;
	return xa_load(&miniproc_table.by_pid, pid);
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
	p = miniproc_find(pid);
	if (p && miniproc_is_reaping(p))
		return NULL;
	return p;
}

/**
 * miniproc_pid_serials() - which incarnations a filter on @pid is to follow
 * @pid:   a pid, > 0
 * @first: out: the oldest serial to follow
 * @last:  out: the newest serial to follow
 *
 * The process that has @pid now, being reaped or not: just its serial.
 * With none, every earlier process that had @pid (their events may still
 * be waiting), up to the last serial handed out: never a later one.
 *
 * Context: process; takes miniproc_table.lock.
 */
void miniproc_pid_serials(pid_t pid, u64 *first, u64 *last)
{
	struct miniproc_table *t = &miniproc_table;
	struct miniproc *p;

	mutex_lock(&t->lock);
	p = miniproc_find(pid);
	if (p) {
		*first = p->serial;
		*last = p->serial;
	} else {
		*first = 1;
		*last = t->last_serial;
	}
	mutex_unlock(&t->lock);
}

/**
 * miniproc_is_reaping() - has this autoreap process exited?
 * @p: a slot in use
 *
 * Whoever reaps it, the reap work or a DESTROY with WAIT that claimed it,
 * holds the slot itself; nobody else may find it, so it is never seen as a
 * zombie.
 *
 * Return: true if it is being reaped and is to be treated as gone.
 */
bool miniproc_is_reaping(struct miniproc *p)
{
	return test_bit(MINIPROC_F_AUTOREAP, &p->flags) &&
	       miniproc_state(p) == MINIPROC_ZOMBIE;
}

/**
 * miniproc_table_init() - allocate the table
 * @nproc:   number of slots
 * @pid_max: the largest pid; at least @nproc + %MINIPROC_INIT_PID, checked
 *           by the caller
 *
 * Return: 0 or -ENOMEM.
 */
int miniproc_table_init(unsigned int nproc, unsigned int pid_max)
{
	struct miniproc_table *t = &miniproc_table;
	unsigned int i;

	mutex_init(&t->lock);
	mutex_init(&t->snap_lock);
	INIT_LIST_HEAD(&t->free);
	INIT_LIST_HEAD(&t->used);
	xa_init_flags(&t->by_pid, XA_FLAGS_ALLOC);
	xa_init(&t->per_uid);
	init_waitqueue_head(&t->exit_wq);
	t->pid_max = pid_max;
	t->pid_next = MINIPROC_INIT_PID + 1;
	t->last_serial = 0;
	t->nr_used = 0;
	t->nproc = nproc;
	/* One slot more than users share: init's. */
	t->slots = kvcalloc(nproc + 1, sizeof(*t->slots), GFP_KERNEL);
	if (!t->slots)
		return -ENOMEM;
	/*
	 * Allocated once, not by every LIST: with init_on_alloc (Debian's
	 * default) a LIST's buffer was zeroed page by page, a third of its
	 * cost per process, only for every byte to be written again.
	 */
	t->snap = kvmalloc_array(nproc + 1, sizeof(*t->snap), GFP_KERNEL);
	if (!t->snap)
		goto err_free_slots;
	t->pid_hint_mask = roundup_pow_of_two(nproc + 1) - 1;
	t->pid_hint = kvcalloc(t->pid_hint_mask + 1, sizeof(*t->pid_hint),
			       GFP_KERNEL);
	if (!t->pid_hint)
		goto err_free_snap;
	t->init = &t->slots[nproc];

	for (i = 0; i <= nproc; i++) {
		struct miniproc *p = &t->slots[i];

		miniproc_sched_slot_init(p);
		init_waitqueue_head(&p->wq);
		init_waitqueue_head(&p->child_wq);
		init_waitqueue_head(&p->state_wq);
		init_irq_work(&p->state_work, miniproc_state_work);
		INIT_LIST_HEAD(&p->zombie_node);
		INIT_LIST_HEAD(&p->sibling_node);
		INIT_LIST_HEAD(&p->children);
		INIT_LIST_HEAD(&p->destroy_waiters);
		INIT_LIST_HEAD(&p->free_node);
		INIT_LIST_HEAD(&p->used_node);
		raw_spin_lock_init(&p->sched_lock);
		p->state = MINIPROC_UNUSED;
		p->cpu = -1;
		if (p != t->init)
			list_add_tail(&p->free_node, &t->free);
	}
	return 0;

err_free_snap:
	kvfree(t->snap);
	t->snap = NULL;
err_free_slots:
	kvfree(t->slots);
	t->slots = NULL;
	return -ENOMEM;
}

/**
 * miniproc_table_exit() - free the table; every slot is UNUSED by now
 */
void miniproc_table_exit(void)
{
	struct miniproc_table *t = &miniproc_table;
	unsigned int i;

	for (i = 0; i <= t->nproc; i++)
		irq_work_sync(&t->slots[i].state_work);
	xa_destroy(&t->by_pid);
	xa_destroy(&t->per_uid);
	kvfree(t->pid_hint);
	t->pid_hint = NULL;
	kvfree(t->snap);
	t->snap = NULL;
	kvfree(t->slots);
	t->slots = NULL;
}
