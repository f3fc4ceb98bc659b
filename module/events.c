// SPDX-License-Identifier: GPL-2.0
/*
 * The event stream: every state change of every mini-process, delivered
 * to each open file that reads /dev/miniproc, in a buffer of its own.
 *
 * Events are produced in scheduler context (see DOC: Locking), so a reader
 * is a preallocated ring with a raw spinlock: producing an event never
 * sleeps, allocates or wakes a task there. A full ring drops the event and
 * counts it; the reader is woken through a lazy irq_work, at most once a
 * tick, so that watching disturbs the watched as little as it can.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/error-injection.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "miniproc.h"

/* Records copied out per pass of read(), from a buffer on the stack. */
#define MINIPROC_EVENT_BATCH	8

/* Ring indexes wrap by masking. */
static_assert((MINIPROC_EVENT_BUFFER & (MINIPROC_EVENT_BUFFER - 1)) == 0);

/**
 * struct miniproc_reader - one open file's event buffer
 * @node:      in miniproc_readers, under miniproc_readers_lock; RCU for the
 *             producers
 * @lock:      guards the ring, @head, @tail, @lost and @pid; a leaf taken
 *             under a slot's sched_lock
 * @head:      events written, ever
 * @tail:      events read, ever
 * @lost:      events dropped since the last one delivered
 * @pid:       only this process's events, or 0 for all
 * @wq:        read() and poll() wait here
 * @wake_work: wakes @wq from scheduler context, at the next tick
 * @ring:      %MINIPROC_EVENT_BUFFER events
 */
struct miniproc_reader {
	struct list_head node;
	raw_spinlock_t lock;
	u32 head;
	u32 tail;
	u32 lost;
	pid_t pid;
	wait_queue_head_t wq;
	struct irq_work wake_work;
	struct miniproc_event *ring;
};

/* Serializes adding and removing readers; producers walk the list by RCU. */
static DEFINE_SPINLOCK(miniproc_readers_lock);
static LIST_HEAD(miniproc_readers);
static atomic_t miniproc_nr_readers = ATOMIC_INIT(0);
static atomic64_t miniproc_event_seq = ATOMIC64_INIT(0);

static void miniproc_reader_wake(struct irq_work *work)
{
	struct miniproc_reader *r =
		container_of(work, struct miniproc_reader, wake_work);

	wake_up_interruptible_poll(&r->wq, EPOLLIN | EPOLLRDNORM);
}

/* Append @ev to @r's ring, or count it lost. Returns true if appended. */
static bool miniproc_reader_push(struct miniproc_reader *r,
				 const struct miniproc_event *ev)
{
	bool pushed = false;

	raw_spin_lock(&r->lock);
	if (!r->pid || r->pid == ev->pid) {
		if (r->head - r->tail == MINIPROC_EVENT_BUFFER) {
			r->lost++;
		} else {
			struct miniproc_event *slot;

			slot = &r->ring[r->head & (MINIPROC_EVENT_BUFFER - 1)];
			*slot = *ev;
			slot->lost = r->lost;
			r->lost = 0;
			r->head++;
			pushed = true;
		}
	}
	raw_spin_unlock(&r->lock);
	return pushed;
}

/**
 * miniproc_events_note() - a slot changed state: tell every reader
 * @p:    the slot
 * @prev: the state it left
 *
 * Context: @p->sched_lock held, IRQs off; may be scheduler context.
 */
void miniproc_events_note(struct miniproc *p, enum miniproc_state prev)
{
	struct miniproc_reader *r;
	const struct miniproc_chan *chan;
	struct miniproc_event ev;

	lockdep_assert_held(&p->sched_lock);
	if (!atomic_read(&miniproc_nr_readers))
		return;

	memset(&ev, 0, sizeof(ev));
	ev.seq = atomic64_inc_return(&miniproc_event_seq);
	ev.time_ns = ktime_get_mono_fast_ns();
	ev.pid = p->pid;
	ev.prev_state = prev;
	ev.next_state = p->state;
	ev.cpu = p->cpu;
	/* Set before this incarnation's first event, unchanged until reused. */
	memcpy(ev.name, p->name, sizeof(ev.name));
	if (test_bit(MINIPROC_F_KILLED, &p->flags))
		ev.flags |= MINIPROC_EVENT_KILLED;
	if (test_bit(MINIPROC_F_SUSPEND_REQ, &p->flags))
		ev.flags |= MINIPROC_EVENT_SUSPENDED;
	chan = READ_ONCE(p->chan);
	if (p->state == MINIPROC_SLEEPING && chan)
		memcpy(ev.chan, chan->name, sizeof(ev.chan));

	rcu_read_lock();
	list_for_each_entry_rcu(r, &miniproc_readers, node) {
		if (miniproc_reader_push(r, &ev) && wq_has_sleeper(&r->wq))
			irq_work_queue(&r->wake_work);
	}
	rcu_read_unlock();
}

/* A reader and its ring, open to fail_function. Returns it or NULL. */
static noinline struct miniproc_reader *miniproc_reader_alloc(void)
{
	struct miniproc_reader *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->ring = kvmalloc_array(MINIPROC_EVENT_BUFFER, sizeof(*r->ring),
				 GFP_KERNEL);
	if (!r->ring) {
		kfree(r);
		return NULL;
	}
	return r;
}

ALLOW_ERROR_INJECTION(miniproc_reader_alloc, NULL);

/*
 * The file's reader, created and subscribed on first use, then taking only
 * @pid's events (0: all): a filter that starts the buffer holds from its
 * first event. Process context. Returns it or an ERR_PTR.
 */
static struct miniproc_reader *miniproc_reader_get(struct miniproc_file *f,
						   pid_t pid)
{
	struct miniproc_reader *r;

	mutex_lock(&f->lock);
	r = f->reader;
	if (r)
		goto unlock;
	r = miniproc_reader_alloc();
	if (!r) {
		r = ERR_PTR(-ENOMEM);
		goto unlock;
	}
	raw_spin_lock_init(&r->lock);
	init_waitqueue_head(&r->wq);
	/*
	 * Lazy: the reader is woken at the next tick, not at every event.
	 * A reader woken per event would preempt the very processes it
	 * watches and add events of its own making.
	 */
	r->wake_work = IRQ_WORK_INIT_LAZY(miniproc_reader_wake);
	r->pid = pid;

	spin_lock(&miniproc_readers_lock);
	list_add_tail_rcu(&r->node, &miniproc_readers);
	atomic_inc(&miniproc_nr_readers);
	spin_unlock(&miniproc_readers_lock);
	f->reader = r;
unlock:
	mutex_unlock(&f->lock);
	return r;
}

/**
 * miniproc_events_release() - unsubscribe and free a file's reader
 * @f: the closing file
 *
 * Context: process; waits for producers that may still see the reader.
 */
void miniproc_events_release(struct miniproc_file *f)
{
	struct miniproc_reader *r = f->reader;

	if (!r)
		return;
	spin_lock(&miniproc_readers_lock);
	list_del_rcu(&r->node);
	atomic_dec(&miniproc_nr_readers);
	spin_unlock(&miniproc_readers_lock);
	synchronize_rcu();
	irq_work_sync(&r->wake_work);
	kvfree(r->ring);
	kfree(r);
	f->reader = NULL;
}

/**
 * miniproc_events_filter() - deliver only one process's events (or all)
 * @f:   the file
 * @pid: the process, or 0 for all
 *
 * Return: 0, or -ENOMEM.
 */
int miniproc_events_filter(struct miniproc_file *f, pid_t pid)
{
	struct miniproc_reader *r = miniproc_reader_get(f, pid);

	if (IS_ERR(r))
		return PTR_ERR(r);
	raw_spin_lock_irq(&r->lock);
	r->pid = pid;
	raw_spin_unlock_irq(&r->lock);
	return 0;
}

/* Copy up to @max of the oldest events of @r's ring into @out. */
static unsigned int miniproc_reader_peek(struct miniproc_reader *r,
					 struct miniproc_event *out,
					 unsigned int max)
{
	unsigned int n = 0;

	raw_spin_lock_irq(&r->lock);
	while (n < max && r->tail + n != r->head) {
		out[n] = r->ring[(r->tail + n) & (MINIPROC_EVENT_BUFFER - 1)];
		n++;
	}
	raw_spin_unlock_irq(&r->lock);
	return n;
}

/* Drop the @n oldest events, now delivered. Producers never touch them. */
static void miniproc_reader_consume(struct miniproc_reader *r, unsigned int n)
{
	raw_spin_lock_irq(&r->lock);
	r->tail += n;
	raw_spin_unlock_irq(&r->lock);
}

static bool miniproc_reader_ready(struct miniproc_reader *r)
{
	bool ready;

	raw_spin_lock_irq(&r->lock);
	ready = r->tail != r->head;
	raw_spin_unlock_irq(&r->lock);
	return ready;
}

/**
 * miniproc_events_read() - read() on /dev/miniproc
 * @f:        the file
 * @nonblock: the file is O_NONBLOCK
 * @buf:      user buffer
 * @count:    its size
 *
 * Return: bytes read, a whole number of records; -EINVAL if @count holds
 * none, -EAGAIN, -ERESTARTSYS, -EFAULT, -ENOMEM.
 */
ssize_t miniproc_events_read(struct miniproc_file *f, bool nonblock,
			     char __user *buf, size_t count)
{
	struct miniproc_event batch[MINIPROC_EVENT_BATCH];
	struct miniproc_reader *r;
	size_t done = 0;
	ssize_t ret;

	if (count < sizeof(batch[0]))
		return -EINVAL;
	r = miniproc_reader_get(f, 0);
	if (IS_ERR(r))
		return PTR_ERR(r);

	/*
	 * One reader at a time, so that what was peeked is what is consumed.
	 * A blocking reader holds the lock while it waits for events, so a
	 * non-blocking one must not queue behind it: it would sleep, and a
	 * signal would then turn into -EINTR, which O_NONBLOCK never gives.
	 */
	if (nonblock) {
		if (!mutex_trylock(&f->read_lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&f->read_lock)) {
		return -ERESTARTSYS;
	}
	while (!miniproc_reader_ready(r)) {
		ret = -EAGAIN;
		if (nonblock)
			goto unlock;
		ret = -ERESTARTSYS;
		if (wait_event_interruptible(r->wq, miniproc_reader_ready(r)))
			goto unlock;
	}

	ret = 0;
	while (count - done >= sizeof(batch[0])) {
		unsigned int max = min_t(size_t, ARRAY_SIZE(batch),
					 (count - done) / sizeof(batch[0]));
		unsigned int n = miniproc_reader_peek(r, batch, max);

		if (!n)
			break;
		if (copy_to_user(buf + done, batch, n * sizeof(batch[0]))) {
			ret = -EFAULT;
			break;
		}
		miniproc_reader_consume(r, n);
		done += n * sizeof(batch[0]);
	}
unlock:
	mutex_unlock(&f->read_lock);
	return done ? done : ret;
}

/**
 * miniproc_events_poll() - poll() on /dev/miniproc
 * @f:    the file
 * @file: the struct file, for poll_wait()
 * @wait: the poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM when an event is there, EPOLLERR if the
 * buffer could not be allocated.
 */
__poll_t miniproc_events_poll(struct miniproc_file *f, struct file *file,
			      poll_table *wait)
{
	struct miniproc_reader *r = miniproc_reader_get(f, 0);

	if (IS_ERR(r))
		return EPOLLERR;
	poll_wait(file, &r->wq, wait);
	return miniproc_reader_ready(r) ? EPOLLIN | EPOLLRDNORM : 0;
}
