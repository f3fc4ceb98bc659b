// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler mirror: keeps each slot's state true to what the scheduler
 * does to its kthread.
 *
 * Three events drive it. The sched_wakeup tracepoint fires when the kernel
 * wakes a task: a SLEEPING (or EMBRYO) process becomes RUNNABLE. The preempt
 * notifier's sched_in fires as the kthread is put on a CPU: RUNNING. Its
 * sched_out fires as the kthread is switched off a CPU: RUNNABLE if the
 * scheduler left it queued (preempted, or yielded), SLEEPING if it dequeued
 * it (blocked).
 *
 * This is the only code run in scheduler context; see DOC: Locking.
 */

#include <linux/kthread.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "miniproc.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#define MINIPROC_WAKEUP_TP	"sched_wakeup"

static struct tracepoint *miniproc_wakeup_tp;
/* The wakeup probe's data, for its unregistration: see miniproc_sched_init(). */
static int (*miniproc_threadfn)(void *data);

const struct miniproc_chan miniproc_chan_sleep = { "sleep" };
const struct miniproc_chan miniproc_chan_io = { "io" };
const struct miniproc_chan miniproc_chan_suspended = { "suspended" };
const struct miniproc_chan miniproc_chan_wait = { "wait" };
const struct miniproc_chan miniproc_chan_lock = { "lock" };
const struct miniproc_chan miniproc_chan_fork = { "fork" };
const struct miniproc_chan miniproc_chan_kernel = { "kernel" };

/**
 * miniproc_sleep_chan() - what a slot reads as its wait channel
 * @p: the slot
 *
 * The thread names each sleep of its own before it blocks. Anywhere else
 * it may block, the kernel blocked it on something of the kernel's own
 * (memory reclaim inside an allocation, say): that sleep is as real, and
 * reads "kernel" rather than nothing, so that every SLEEPING says on what.
 *
 * Context: @p->sched_lock held, IRQs off.
 * Return: the channel while SLEEPING, else NULL.
 */
static const struct miniproc_chan *miniproc_sleep_chan(struct miniproc *p)
{
	const struct miniproc_chan *chan = READ_ONCE(p->chan);

	if (p->state != MINIPROC_SLEEPING)
		return NULL;
	return chan ? chan : MINIPROC_CHAN_KERNEL;
}

/**
 * miniproc_set_state() - move a slot to a new state and say so
 * @p:    the slot
 * @next: its new state
 *
 * Every state change goes through here, to reach the event stream and the
 * miniproc_state tracepoint in the order it happened.
 *
 * Context: @p->sched_lock held, IRQs off; may be scheduler context.
 */
void miniproc_set_state(struct miniproc *p, enum miniproc_state next)
{
	enum miniproc_state prev = p->state;
	const struct miniproc_chan *chan;

	lockdep_assert_held(&p->sched_lock);
	if (prev == next)
		return;
	p->state = next;
	chan = miniproc_sleep_chan(p);
	miniproc_events_note(p, prev, chan);
	trace_miniproc_state(p->pid, prev, next, p->cpu, chan ? chan->name : NULL);
}

/*
 * CPU time of the current stint on a CPU; sched_lock held. The stint began
 * at local_clock() on p->cpu: read that CPU's clock, which is monotonic for
 * one CPU even where the CPUs' clocks disagree, so that a reader on another
 * CPU never sees the run time go backwards.
 */
static u64 miniproc_stint(struct miniproc *p)
{
	u64 now;

	if (p->state != MINIPROC_RUNNING)
		return 0;
	now = cpu_clock(p->cpu);
	return now > p->on_cpu_since ? now - p->on_cpu_since : 0;
}

/* Put on a CPU: RUNNING. Runs with preemption off, IRQs on. */
static void miniproc_sched_in(struct preempt_notifier *notifier, int cpu)
{
	struct miniproc *p = container_of(notifier, struct miniproc, notifier);
	unsigned long flags;

	raw_spin_lock_irqsave(&p->sched_lock, flags);
	if (p->cpu >= 0 && p->cpu != cpu)
		p->nr_migrations++;
	p->cpu = cpu;
	miniproc_set_state(p, MINIPROC_RUNNING);
	p->on_cpu_since = local_clock();
	p->nr_sched_in++;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
}

/*
 * Switched off a CPU: SLEEPING if dequeued, RUNNABLE if still queued.
 * Runs with the runqueue lock held and IRQs off.
 */
static void miniproc_sched_out(struct preempt_notifier *notifier,
			       struct task_struct *next)
{
	struct miniproc *p = container_of(notifier, struct miniproc, notifier);
	bool blocked = miniproc_task_blocked(current);
	bool stopped = false;

	raw_spin_lock(&p->sched_lock);
	p->runtime_ns += miniproc_stint(p);
	if (blocked) {
		miniproc_set_state(p, MINIPROC_SLEEPING);
		p->nvcsw++;
		stopped = test_bit(MINIPROC_F_SUSPENDED, &p->flags);
	} else {
		miniproc_set_state(p, MINIPROC_RUNNABLE);
		p->nivcsw++;
	}
	raw_spin_unlock(&p->sched_lock);

	/* SUSPEND waits for this moment; wake it once we are out of here. */
	if (stopped)
		irq_work_queue(&p->state_work);
}

static struct preempt_ops miniproc_preempt_ops = {
	.sched_in = miniproc_sched_in,
	.sched_out = miniproc_sched_out,
};

/*
 * sched_wakeup probe: a SLEEPING or EMBRYO process becomes RUNNABLE. Runs
 * for every wakeup in the system, with the task's pi_lock and its runqueue
 * lock held, so the filter is O(1): only kthreads running @data, the body
 * of a mini-process (miniproc_sched_init()), pass, and their kthread data
 * is their slot. A wakeup of a task that is
 * still on its CPU (it had not yet switched out) leaves it RUNNING.
 */
static void miniproc_wakeup_probe(void *data, struct task_struct *t)
{
	struct miniproc *p;
	unsigned long flags;

	if (!(READ_ONCE(t->flags) & PF_KTHREAD) ||
	    kthread_func(t) != data)
		return;
	p = kthread_data(t);

	raw_spin_lock_irqsave(&p->sched_lock, flags);
	if (p->sched_task == t) {
		p->nr_wakeups++;
		if (p->state == MINIPROC_SLEEPING || p->state == MINIPROC_EMBRYO)
			miniproc_set_state(p, MINIPROC_RUNNABLE);
	}
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
}

/**
 * miniproc_sched_slot_init() - prepare a slot's notifier at load
 * @p: the slot
 */
void miniproc_sched_slot_init(struct miniproc *p)
{
	preempt_notifier_init(&p->notifier, &miniproc_preempt_ops);
}

/**
 * miniproc_sched_track() - let the wakeup probe follow @task for slot @p
 * @p:    an EMBRYO slot
 * @task: its kthread, not yet woken; NULL to stop following it
 */
void miniproc_sched_track(struct miniproc *p, struct task_struct *task)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&p->sched_lock, flags);
	p->sched_task = task;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
}

/**
 * miniproc_sched_attach() - start mirroring the scheduler for the caller
 * @p: the slot of the calling kthread
 *
 * The kthread calls this first thing: a preempt notifier can only be
 * registered by its task. The thread is on a CPU as it runs this, so it is
 * RUNNING, and this switch-in is counted like the ones that follow.
 */
void miniproc_sched_attach(struct miniproc *p)
{
	unsigned long flags;

	preempt_disable();
	preempt_notifier_register(&p->notifier);
	raw_spin_lock_irqsave(&p->sched_lock, flags);
	p->cpu = smp_processor_id();
	miniproc_set_state(p, MINIPROC_RUNNING);
	p->on_cpu_since = local_clock();
	p->nr_sched_in++;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
	preempt_enable();
}

/**
 * miniproc_sched_detach() - stop mirroring and become a ZOMBIE
 * @p:      the slot of the calling kthread
 * @status: its exit status, %MINIPROC_EXIT_STATUS_KILLED if killed
 *
 * From here on the hooks leave the slot alone: the state stays ZOMBIE while
 * the thread finishes exiting.
 */
void miniproc_sched_detach(struct miniproc *p, int status)
{
	unsigned long flags;

	preempt_disable();
	preempt_notifier_unregister(&p->notifier);
	raw_spin_lock_irqsave(&p->sched_lock, flags);
	p->runtime_ns += miniproc_stint(p);
	p->exit_status = status;
	miniproc_set_state(p, MINIPROC_ZOMBIE);
	/* Its last event said what was asked of it; a zombie stops no more. */
	clear_bit(MINIPROC_F_SUSPEND_REQ, &p->flags);
	p->sched_task = NULL;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
	preempt_enable();
}

/**
 * miniproc_runtime() - CPU time used so far, the current stint included
 * @p: the slot
 *
 * Return: nanoseconds of CPU time. The cpu op measures itself with this.
 */
u64 miniproc_runtime(struct miniproc *p)
{
	unsigned long flags;
	u64 runtime;

	raw_spin_lock_irqsave(&p->sched_lock, flags);
	runtime = p->runtime_ns + miniproc_stint(p);
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
	return runtime;
}

/**
 * miniproc_state() - the slot's state now
 * @p: the slot
 *
 * Return: an &enum miniproc_state. Safe to call inside wait_event().
 */
enum miniproc_state miniproc_state(struct miniproc *p)
{
	unsigned long flags;
	enum miniproc_state state;

	raw_spin_lock_irqsave(&p->sched_lock, flags);
	state = p->state;
	raw_spin_unlock_irqrestore(&p->sched_lock, flags);
	return state;
}

/**
 * miniproc_sched_snapshot() - copy the scheduler-side fields of a slot
 * @p:    the slot
 * @info: written: state, exit_status, cpu, chan, runtime_ns and the
 *        scheduling counts; not flags
 *
 * Context: @p->sched_lock held, IRQs off.
 * Return: the MINIPROC_INFO_* flags the scheduler side knows: exited,
 * killed, suspended.
 */
u32 miniproc_sched_snapshot(struct miniproc *p, struct miniproc_info *info)
{
	const struct miniproc_chan *chan;
	u32 flags = 0;

	lockdep_assert_held(&p->sched_lock);
	/*
	 * The thread sets chan before it blocks, and sched_out takes this
	 * lock after that: read under it, chan is the one of this sleep.
	 */
	chan = miniproc_sleep_chan(p);
	info->state = p->state;
	info->exit_status = 0;
	info->cpu = p->cpu;
	info->runtime_ns = p->runtime_ns + miniproc_stint(p);
	info->nvcsw = p->nvcsw;
	info->nivcsw = p->nivcsw;
	info->nr_sched_in = p->nr_sched_in;
	info->nr_wakeups = p->nr_wakeups;
	info->nr_migrations = p->nr_migrations;
	if (p->state == MINIPROC_ZOMBIE) {
		flags |= MINIPROC_INFO_EXITED;
		info->exit_status = p->exit_status;
		if (p->exit_status == MINIPROC_EXIT_STATUS_KILLED)
			flags |= MINIPROC_INFO_KILLED;
	} else if (test_bit(MINIPROC_F_KILLED, &p->flags)) {
		flags |= MINIPROC_INFO_KILLED;
	}
	if (chan)
		memcpy(info->chan, chan->name, sizeof(info->chan));
	else
		memset(info->chan, 0, sizeof(info->chan));
	if (p->state == MINIPROC_SLEEPING &&
	    test_bit(MINIPROC_F_SUSPENDED, &p->flags) &&
	    test_bit(MINIPROC_F_SUSPEND_REQ, &p->flags))
		flags |= MINIPROC_INFO_SUSPENDED;
	return flags;
}

/**
 * miniproc_state_work() - irq_work: wake whoever waits on a slot's state
 * @work: the slot's state_work
 */
void miniproc_state_work(struct irq_work *work)
{
	struct miniproc *p = container_of(work, struct miniproc, state_work);

	wake_up_all(&p->state_wq);
}

static void miniproc_find_tp(struct tracepoint *tp, void *priv)
{
	struct tracepoint **found = priv;

	if (!strcmp(tp->name, MINIPROC_WAKEUP_TP))
		*found = tp;
}

/**
 * miniproc_sched_init() - attach the wakeup probe, enable preempt notifiers
 * @threadfn: the function every mini-process's kthread runs, by which the
 *            probe knows them
 *
 * Return: 0, or -ENOENT if the kernel has no sched_wakeup tracepoint, or
 * what tracepoint_probe_register() returned.
 */
int miniproc_sched_init(int (*threadfn)(void *data))
{
	int ret;

	for_each_kernel_tracepoint(miniproc_find_tp, &miniproc_wakeup_tp);
	if (!miniproc_wakeup_tp) {
		pr_err("the kernel has no %s tracepoint\n", MINIPROC_WAKEUP_TP);
		return -ENOENT;
	}
	miniproc_threadfn = threadfn;
	ret = tracepoint_probe_register(miniproc_wakeup_tp,
					miniproc_wakeup_probe, threadfn);
	if (ret)
		return ret;
	preempt_notifier_inc();
	return 0;
}

/**
 * miniproc_sched_exit() - detach the probe; no hook runs after this returns
 *
 * Every kthread has unregistered its notifier by now (they have all exited).
 */
void miniproc_sched_exit(void)
{
	preempt_notifier_dec();
	tracepoint_probe_unregister(miniproc_wakeup_tp, miniproc_wakeup_probe,
				    miniproc_threadfn);
	tracepoint_synchronize_unregister();
}
