// SPDX-License-Identifier: GPL-2.0
/*
 * Reaping: who is to reap a ZOMBIE (miniproc_hand_over(), and init for
 * the children of a parent that ended), and turning it back into an
 * UNUSED slot by that one: the owner's WAIT, the parent's wait op, init,
 * the autoreap work, or a DESTROY with WAIT that claimed it. Exactly one
 * of them reaps each zombie. Calls control (ctl.c), the table and the
 * records, never the life of a process above it (proc.c).
 */

#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/sched/signal.h>

#include "miniproc.h"

/* Runs the reap work of autoreap zombies. */
static struct workqueue_struct *miniproc_reap_wq;

/**
 * struct miniproc_destroy_waiter - a DESTROY with WAIT of a claimed process
 * @node:   in the process's destroy_waiters, under the table lock
 * @exit:   how it ended, once @reaped
 * @reaped: whoever reaped it filled @exit and took @node off the list
 *
 * On the waiter's stack: it leaves the list itself, under the table lock,
 * before it returns, unless the reaper has taken it off.
 */
struct miniproc_destroy_waiter {
	struct list_head node;
	struct miniproc_exit_info exit;
	bool reaped;
};

/**
 * miniproc_tell_destroy_waiters() - give a reaped process's end to its waiters
 * @p:    the slot, about to be released
 * @exit: how it ended, or NULL if it never ran (a failed CREATE): the
 *        waiters then find its pid gone
 *
 * Context: miniproc_table.lock held; the caller wakes exit_wq after.
 */
void miniproc_tell_destroy_waiters(struct miniproc *p,
				   const struct miniproc_exit_info *exit)
{
	struct miniproc_destroy_waiter *w, *next;

	lockdep_assert_held(&miniproc_table.lock);
	list_for_each_entry_safe(w, next, &p->destroy_waiters, node) {
		list_del_init(&w->node);
		if (exit) {
			w->exit = *exit;
			WRITE_ONCE(w->reaped, true);
		}
	}
}

/**
 * miniproc_reap_unlock() - reap a zombie and drop the table lock
 * @p:    a ZOMBIE
 * @exit: out: how it ended
 *
 * Context: miniproc_table.lock held; released here, then the kthread is
 * waited for.
 * Return: the pid reaped.
 */
int miniproc_reap_unlock(struct miniproc *p, struct miniproc_exit_info *exit)
{
	struct task_struct *task;
	pid_t pid = p->pid;

	miniproc_fill_exit(p, exit);
	miniproc_tell_destroy_waiters(p, exit);
	task = miniproc_release(p);
	mutex_unlock(&miniproc_table.lock);
	miniproc_wake_waiters(p);
	miniproc_stop_task(task);
	return pid;
}

/**
 * miniproc_reap_work() - reap an autoreap process once it is a zombie
 * @work: the slot's reap_work
 */
static void miniproc_reap_work(struct work_struct *work)
{
	struct miniproc *p = container_of(work, struct miniproc, reap_work);
	struct miniproc_exit_info exit;

	mutex_lock(&miniproc_table.lock);
	miniproc_reap_unlock(p, &exit);
}

/* May WAIT reap @p: created by a user, not autoreap, not init? */
static bool miniproc_waitable(struct miniproc *p)
{
	return !p->parent && p->user &&
	       !test_bit(MINIPROC_F_AUTOREAP, &p->flags);
}

/*
 * Reap @p, a zombie this caller has claimed (MINIPROC_F_CLAIMED set, off
 * every reaper's list), once @deliver has handed its exit to the caller
 * outside the table lock. If that fails (a user copy), the claim is dropped
 * and the zombie goes back to whoever would have reaped it, so that no
 * exit is lost to a fault. Table lock held on entry, dropped. Returns the
 * pid reaped, or what @deliver returned.
 */
static int miniproc_reap_claimed(struct miniproc *p,
				 struct miniproc_exit_info *exit,
				 miniproc_deliver_t deliver, void *arg)
{
	pid_t pid = p->pid;
	int ret;

	lockdep_assert_held(&miniproc_table.lock);
	if (!deliver)
		return miniproc_reap_unlock(p, exit);
	miniproc_fill_exit(p, exit);
	mutex_unlock(&miniproc_table.lock);
	ret = deliver(pid, exit, arg);
	mutex_lock(&miniproc_table.lock);
	if (ret) {
		clear_bit(MINIPROC_F_CLAIMED, &p->flags);
		miniproc_hand_over(p);
		mutex_unlock(&miniproc_table.lock);
		wake_up_all(&miniproc_table.exit_wq);
		return ret;
	}
	return miniproc_reap_unlock(p, exit);
}

/* Claim a zombie WAIT may reap, and reap it; see miniproc_reap_claimed(). */
static int miniproc_wait_reap(struct miniproc *p,
			      struct miniproc_exit_info *exit,
			      miniproc_deliver_t deliver, void *arg)
{
	set_bit(MINIPROC_F_CLAIMED, &p->flags);
	list_del_init(&p->zombie_node);
	return miniproc_reap_claimed(p, exit, deliver, arg);
}

/*
 * One attempt of WAIT: reap a matching zombie if there is one. For a pid,
 * *@serial is the process the first attempt found (0 before it), so that a
 * later one never takes a new process given the pid meanwhile for it.
 * Returns the pid reaped, -EAGAIN if there is something to wait for but it
 * has not ended yet, or -ECHILD, -ESRCH, -EPERM, or what @deliver returned.
 */
static int miniproc_try_reap(pid_t pid, u64 *serial,
			     struct miniproc_exit_info *exit,
			     miniproc_deliver_t deliver, void *arg)
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
		return miniproc_wait_reap(p, exit, deliver, arg);
	}

	p = miniproc_lookup_owned(pid, *serial);
	ret = PTR_ERR_OR_ZERO(p);
	if (ret)
		goto unlock;
	*serial = p->serial;
	ret = -ECHILD;
	if (!miniproc_waitable(p))
		goto unlock;
	/* A zombie claimed by DESTROY with WAIT is that caller's to reap. */
	ret = -EAGAIN;
	if (miniproc_state(p) != MINIPROC_ZOMBIE ||
	    test_bit(MINIPROC_F_CLAIMED, &p->flags))
		goto unlock;
	return miniproc_wait_reap(p, exit, deliver, arg);

unlock:
	mutex_unlock(&miniproc_table.lock);
	return ret;
}

/*
 * A timeout in ns as jiffies for wait_woken(); 0 means none. Never short:
 * a part of a tick counts as a whole one, and one more is added, as the
 * tick the wait starts in is already partly gone (rounding down would
 * end a wait up to a tick early). Not
 * DIV64_U64_ROUND_UP(): its ll + d - 1 wraps for a timeout near U64_MAX,
 * which a caller may pass, into a wait of a tick or two.
 */
static long miniproc_timeout_jiffies(u64 timeout_ns)
{
	u64 j, rem;

	if (!timeout_ns)
		return MAX_SCHEDULE_TIMEOUT;
	j = div64_u64_rem(timeout_ns, TICK_NSEC, &rem);
	j += (rem ? 1 : 0) + 1;
	return min_t(u64, j, MAX_SCHEDULE_TIMEOUT - 1);
}

/**
 * miniproc_wait() - wait for a process to be a zombie and reap it
 * @pid:        in: a pid or %MINIPROC_WAIT_ANY; out: the pid reaped, 0 if
 *              %MINIPROC_WNOHANG found nothing
 * @options:    %MINIPROC_WNOHANG
 * @timeout_ns: 0 for no timeout
 * @exit:       out: how it ended
 * @deliver:    called with the pid and @exit before the zombie is reaped,
 *              outside the table lock; if it fails the zombie stays as it
 *              was, and its error is returned. NULL: none.
 * @arg:        for @deliver
 *
 * Context: process; sleeps interruptibly.
 * Return: 0, or -ECHILD, -ESRCH, -EPERM, -ETIMEDOUT, -EINTR, -EINVAL, or
 * what @deliver returned.
 */
int miniproc_wait(pid_t *pid, u32 options, u64 timeout_ns,
		  struct miniproc_exit_info *exit, miniproc_deliver_t deliver,
		  void *arg)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	long timeout = miniproc_timeout_jiffies(timeout_ns);
	u64 serial = 0;
	int ret;

	if (*pid != MINIPROC_WAIT_ANY && *pid <= 0)
		return -EINVAL;

	add_wait_queue(&miniproc_table.exit_wq, &wait);
	for (;;) {
		ret = miniproc_try_reap(*pid, &serial, exit, deliver, arg);
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
 * Take a zombie back from whoever it was handed to, for a DESTROY with
 * WAIT that claims it. The autoreap work never has it: lookup hides the
 * zombies it reaps. Table lock held.
 */
static void miniproc_take_back(struct miniproc *p)
{
	if (p->parent)
		WRITE_ONCE(p->parent->nr_zombie_children,
			   p->parent->nr_zombie_children - 1);
	list_del_init(&p->zombie_node);
}

/*
 * Has the claimed process @p (serial @serial) become a zombie, or gone?
 * For wait_event().
 */
static bool miniproc_claim_ready(struct miniproc *p, u64 serial)
{
	unsigned long flags;
	bool ready;

	raw_spin_lock_irqsave(&p->sched_lock, flags);
	ready = p->serial != serial || p->state == MINIPROC_ZOMBIE;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
	return ready;
}

/*
 * May a DESTROY with WAIT claim @p? Not while another holds it, nor once
 * it is an autoreap zombie: the reap work has it then (a dropped claim
 * handed it over), and tells the waiters. Safe inside wait_event().
 */
static bool miniproc_claimable(struct miniproc *p)
{
	return !test_bit(MINIPROC_F_CLAIMED, &p->flags) &&
	       !miniproc_is_reaping(p);
}

/*
 * @p (serial @serial) is claimed by another DESTROY with WAIT: wait until
 * whoever reaps it tells how it ended (1, @exit filled), or it may be
 * claimed (0: claim it), or it is gone unreaped (-ESRCH: a CREATE that
 * failed; the slot may hold another process by then, even one given the
 * same pid), or a signal (-EINTR). Table lock held on entry and on return.
 */
static int miniproc_wait_other_claim(struct miniproc *p, u64 serial,
				     struct miniproc_exit_info *exit)
{
	struct miniproc_destroy_waiter w = { .reaped = false };
	int ret;

	list_add_tail(&w.node, &p->destroy_waiters);
	mutex_unlock(&miniproc_table.lock);
	ret = wait_event_interruptible(miniproc_table.exit_wq,
				       READ_ONCE(w.reaped) ||
				       READ_ONCE(p->serial) != serial ||
				       miniproc_claimable(p));
	mutex_lock(&miniproc_table.lock);
	list_del_init(&w.node);
	if (w.reaped) {
		*exit = w.exit;
		return 1;
	}
	if (p->serial != serial)
		return -ESRCH;
	return ret ? -EINTR : 0;
}

/**
 * miniproc_destroy() - kill a process
 * @pid:   the process
 * @flags: %MINIPROC_DESTROY_WAIT to return once it is reaped
 * @exit:  out, with %MINIPROC_DESTROY_WAIT: how it ended
 * @deliver: with %MINIPROC_DESTROY_WAIT, called with the pid and @exit
 *         before the zombie is reaped, outside the table lock; NULL: none
 * @arg:   for @deliver
 *
 * With %MINIPROC_DESTROY_WAIT the caller claims the zombie: nobody else
 * reaps it. If a signal interrupts the wait, or @deliver fails, the claim
 * is dropped and the zombie, killed, goes to whoever would have reaped it
 * (or to another DESTROY with WAIT waiting for it, which claims it then).
 * A DESTROY with WAIT that finds the process claimed waits for its reaper
 * to tell it how the process ended, and returns that too.
 *
 * Context: process; with %MINIPROC_DESTROY_WAIT sleeps interruptibly.
 * Return: 0, or -ESRCH, -EPERM (not the owner, or init), -EINTR, or what
 * @deliver returned.
 */
int miniproc_destroy(pid_t pid, u32 flags, struct miniproc_exit_info *exit,
		     miniproc_deliver_t deliver, void *arg)
{
	struct miniproc *p;
	u64 serial;
	int ret;

	mutex_lock(&miniproc_table.lock);
	p = miniproc_lookup_owned(pid, 0);
	ret = PTR_ERR_OR_ZERO(p);
	if (!ret && p == miniproc_table.init)
		ret = -EPERM;
	if (ret)
		goto unlock;
	/* The process found, whatever its pid names after a sleep. */
	serial = p->serial;
	if (miniproc_state(p) != MINIPROC_ZOMBIE &&
	    !test_and_set_bit(MINIPROC_F_KILLED, &p->flags))
		/* From a sleep or a suspension. */
		miniproc_wake_ctl(p);
	if (!(flags & MINIPROC_DESTROY_WAIT))
		goto unlock;
	/*
	 * Another DESTROY with WAIT has it: that one reaps it and tells us
	 * how it ended, unless it lets the claim go first; then it is ours.
	 */
	while (miniproc_is_reaping(p) ||
	       test_and_set_bit(MINIPROC_F_CLAIMED, &p->flags)) {
		ret = miniproc_wait_other_claim(p, serial, exit);
		if (ret) {
			mutex_unlock(&miniproc_table.lock);
			if (ret < 0)
				return ret;
			return deliver ? deliver(pid, exit, arg) : 0;
		}
	}
	if (miniproc_state(p) == MINIPROC_ZOMBIE)
		miniproc_take_back(p);
	mutex_unlock(&miniproc_table.lock);

	/*
	 * Claimed: the slot keeps this process until this caller reaps it,
	 * unless it was an EMBRYO whose CREATE failed (its pid could not be
	 * written back): CREATE releases it, never run, and the slot may be
	 * reused at once, even with the same pid once pids have come round.
	 * So the serial is checked again under the lock before the slot is
	 * touched; a process that never started is, to this caller, no
	 * process at all.
	 */
	ret = wait_event_interruptible(miniproc_table.exit_wq,
				       miniproc_claim_ready(p, serial));
	mutex_lock(&miniproc_table.lock);
	if (p->serial != serial) {
		mutex_unlock(&miniproc_table.lock);
		return -ESRCH;
	}
	if (ret) {
		clear_bit(MINIPROC_F_CLAIMED, &p->flags);
		if (miniproc_state(p) == MINIPROC_ZOMBIE)
			miniproc_hand_over(p);
		mutex_unlock(&miniproc_table.lock);
		wake_up_all(&miniproc_table.exit_wq);
		return -EINTR;
	}
	ret = miniproc_reap_claimed(p, exit, deliver, arg);
	return ret < 0 ? ret : 0;

unlock:
	mutex_unlock(&miniproc_table.lock);
	return ret;
}

/* A zombie child of @p that is @p's to reap, or NULL. Table lock held. */
static struct miniproc *miniproc_zombie_child(struct miniproc *p)
{
	struct miniproc *c;

	if (!p->nr_zombie_children)
		return NULL;
	list_for_each_entry(c, &p->children, sibling_node) {
		if (miniproc_state(c) == MINIPROC_ZOMBIE &&
		    !test_bit(MINIPROC_F_CLAIMED, &c->flags))
			return c;
	}
	return NULL;
}

/*
 * Is there something for a wait op to do: a zombie child to reap, no child
 * left at all (someone else reaped the last), or a request to obey? init
 * waits on even without children. Safe inside wait_event().
 */
static bool miniproc_wait_op_ready(struct miniproc *p)
{
	return READ_ONCE(p->nr_zombie_children) ||
	       (!READ_ONCE(p->nr_children) && p != miniproc_table.init) ||
	       miniproc_ctl_pending(p);
}

/**
 * miniproc_op_wait() - the wait op: reap a child, waiting for one to end
 * @p: the slot of the calling kthread
 *
 * With no children it returns at once, except for init, which waits for
 * the orphans it will inherit.
 *
 * Context: the process's own kthread; sleeps SLEEPING on "wait".
 * Return: true if the process was killed meanwhile.
 */
bool miniproc_op_wait(struct miniproc *p)
{
	struct miniproc_exit_info exit;
	struct miniproc *c;

	for (;;) {
		miniproc_lock_table(p);
		c = miniproc_zombie_child(p);
		if (c) {
			/* The child's kthread may still be ending: wait for it. */
			WRITE_ONCE(p->chan, MINIPROC_CHAN_WAIT);
			miniproc_reap_unlock(c, &exit);
			WRITE_ONCE(p->chan, NULL);
			return false;
		}
		if (!p->nr_children && p != miniproc_table.init) {
			mutex_unlock(&miniproc_table.lock);
			return false;
		}
		mutex_unlock(&miniproc_table.lock);

		WRITE_ONCE(p->chan, MINIPROC_CHAN_WAIT);
		(void)wait_event_interruptible(p->child_wq,
					       miniproc_wait_op_ready(p));
		WRITE_ONCE(p->chan, NULL);
		if (miniproc_safe_point(p))
			return true;
	}
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

/**
 * miniproc_reparent() - give @p's children to init, as xv6's exit() does
 * @p: a process on its way out
 *
 * Its zombie children are init's to reap from now on.
 *
 * Context: miniproc_table.lock held.
 */
void miniproc_reparent(struct miniproc *p)
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

/**
 * miniproc_reap_init() - set up each slot's reap work and their workqueue
 *
 * Context: after miniproc_table_init(), before any process exists.
 * Return: 0 or -ENOMEM.
 */
int miniproc_reap_init(void)
{
	unsigned int i;

	for (i = 0; i <= miniproc_table.nproc; i++)
		INIT_WORK(&miniproc_table.slots[i].reap_work, miniproc_reap_work);
	miniproc_reap_wq = alloc_workqueue("miniproc_reap", WQ_UNBOUND, 0);
	return miniproc_reap_wq ? 0 : -ENOMEM;
}

/**
 * miniproc_reap_flush() - wait for every autoreap zombie queued so far
 */
void miniproc_reap_flush(void)
{
	flush_workqueue(miniproc_reap_wq);
}

/**
 * miniproc_reap_exit() - destroy the autoreap workqueue, idle by now
 */
void miniproc_reap_exit(void)
{
	destroy_workqueue(miniproc_reap_wq);
}
