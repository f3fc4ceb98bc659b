// SPDX-License-Identifier: GPL-2.0
/*
 * The event stream: every state change of every mini-process, written once
 * into one ring shared by every reader of /dev/miniproc.
 *
 * Events are produced in scheduler context (see DOC: Locking): a producer
 * takes the ring's raw spinlock, writes the next slot under that slot's
 * seqcount and publishes the new head. It never looks at a reader, so its
 * cost is the same with no reader or with thousands. Each reader keeps only
 * its position in the stream and its filter, applied as it reads; it copies
 * a slot out under the slot's seqcount and never takes the producers' lock.
 * A reader that falls more than the ring behind finds the oldest events
 * overwritten and is told how many in @lost. Sleeping readers share one
 * wait queue, woken through a lazy irq_work at most once a tick, so that
 * watching disturbs the watched as little as it can.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/error-injection.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "miniproc.h"

/* Ring indexes wrap by masking. */
static_assert((MINIPROC_EVENT_BUFFER & (MINIPROC_EVENT_BUFFER - 1)) == 0);

/* Slots a read() or poll() looks at between two chances to reschedule. */
#define MINIPROC_EVENT_SCAN_BATCH	64

/**
 * struct miniproc_event_slot - one place in the ring
 * @seq:    written under the ring's lock; a reader retries a copy it
 *          overlaps
 * @serial: the serial of the process the event is about, for a pid
 *          filter: pids are reused, serials are not (see DOC: Lifecycle)
 * @ev:     the event, whose @ev.seq says which one it is now
 */
struct miniproc_event_slot {
	seqcount_t seq;
	u64 serial;
	struct miniproc_event ev;
};

/**
 * struct miniproc_reader - one open file's place in the stream
 * @pos:      number of the next event to read (the first is 0; its seq is
 *            1); under the file's read_lock
 * @lost:     events overwritten before this reader read them, since the
 *            last one delivered; under the file's read_lock
 * @filter:   which events it gets; under the file's lock, copied from
 *            under it once per read() or poll()
 * @rec_size: bytes per record read() gives; as @filter
 * @uid:      whom it is counted against (max_readers_per_uid)
 */
struct miniproc_reader {
	u64 pos;
	u64 lost;
	struct miniproc_filter filter;
	u32 rec_size;
	kuid_t uid;
};

/*
 * The ring, allocated at load. miniproc_ring_lock serializes producers:
 * it guards writing the slots and miniproc_ring_head, the number of events
 * written ever, which readers load with acquire semantics: every event
 * below it is written whole.
 */
static struct miniproc_event_slot *miniproc_ring;
static DEFINE_RAW_SPINLOCK(miniproc_ring_lock);
static u64 miniproc_ring_head;

/* Every sleeping reader and poller, woken through the lazy irq_work. */
static DECLARE_WAIT_QUEUE_HEAD(miniproc_events_wq);

static void miniproc_events_wake(struct irq_work *work)
{
	wake_up_interruptible_poll(&miniproc_events_wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * Lazy: readers are woken at the next tick, not at every event. A reader
 * woken per event would preempt the very processes it watches and add
 * events of its own making.
 */
static struct irq_work miniproc_events_wake_work =
	IRQ_WORK_INIT_LAZY(miniproc_events_wake);

/*
 * Readers per user: uid -> count, as an xarray value. Guarded by
 * miniproc_readers_lock, a mutex (xa_store() may allocate).
 */
static DEFINE_MUTEX(miniproc_readers_lock);
static DEFINE_XARRAY(miniproc_readers_per_uid);

static u64 miniproc_ring_written(void)
{
	/* Pairs with the release in miniproc_events_note(): the slots below are written. */
	return smp_load_acquire(&miniproc_ring_head);
}

/**
 * miniproc_events_note() - a slot changed state: write it into the ring
 * @p:    the slot
 * @prev: the state it left
 * @chan: with @p SLEEPING, what it sleeps on; else NULL
 *
 * Context: @p->sched_lock held, IRQs off; may be scheduler context.
 */
void miniproc_events_note(struct miniproc *p, enum miniproc_state prev,
			  const struct miniproc_chan *chan)
{
	struct miniproc_event_slot *slot;
	struct miniproc_event *ev;
	u64 n;

	lockdep_assert_held(&p->sched_lock);

	raw_spin_lock(&miniproc_ring_lock);
	n = miniproc_ring_head;
	slot = &miniproc_ring[n & (MINIPROC_EVENT_BUFFER - 1)];
	ev = &slot->ev;
	/*
	 * raw_: the ring's lock already orders the writers, and lockdep's
	 * bookkeeping of 16384 seqcounts would cost more in the scheduler's
	 * hooks than the event itself.
	 */
	raw_write_seqcount_begin(&slot->seq);
	slot->serial = p->serial;
	memset(ev, 0, sizeof(*ev));
	ev->seq = n + 1;
	ev->time_ns = ktime_get_mono_fast_ns();
	ev->pid = p->pid;
	ev->prev_state = prev;
	ev->next_state = p->state;
	ev->cpu = p->cpu;
	/* Set before this incarnation's first event, unchanged until reused. */
	memcpy(ev->name, p->name, sizeof(ev->name));
	if (test_bit(MINIPROC_F_KILLED, &p->flags))
		ev->flags |= MINIPROC_EVENT_KILLED;
	if (test_bit(MINIPROC_F_SUSPEND_REQ, &p->flags))
		ev->flags |= MINIPROC_EVENT_SUSPENDED;
	if (chan)
		memcpy(ev->chan, chan->name, sizeof(ev->chan));
	ev->runtime_ns = p->runtime_ns;
	ev->pc = READ_ONCE(p->pc);
	raw_write_seqcount_end(&slot->seq);
	/* Publish the slot: pairs with the acquire in miniproc_ring_written(). */
	smp_store_release(&miniproc_ring_head, n + 1);
	raw_spin_unlock(&miniproc_ring_lock);

	if (wq_has_sleeper(&miniproc_events_wq))
		irq_work_queue(&miniproc_events_wake_work);
}

/*
 * Copy event @n out of the ring into @ev, and the serial of its process
 * into @serial. Returns false if it is no longer there: overwritten by a
 * newer one. @n must be below the published head.
 */
static bool miniproc_ring_copy(u64 n, struct miniproc_event *ev, u64 *serial)
{
	struct miniproc_event_slot *slot =
		&miniproc_ring[n & (MINIPROC_EVENT_BUFFER - 1)];
	unsigned int start;

	do {
		start = raw_read_seqcount_begin(&slot->seq);
		*serial = slot->serial;
		*ev = slot->ev;
	} while (read_seqcount_retry(&slot->seq, start));
	return ev->seq == n + 1;
}

/* Does @filter take the event @ev of the process of serial @serial? */
static bool miniproc_filter_match(const struct miniproc_filter *filter,
				  const struct miniproc_event *ev, u64 serial)
{
	return !filter->pid ||
	       (ev->pid == filter->pid && serial >= filter->first &&
		serial <= filter->last);
}

/*
 * Skip @r past what the ring has overwritten since its last read: those
 * are lost. Returns the head it found. The file's read_lock held.
 */
static u64 miniproc_reader_catch_up(struct miniproc_reader *r)
{
	u64 head = miniproc_ring_written();

	if (head - r->pos > MINIPROC_EVENT_BUFFER) {
		r->lost += head - MINIPROC_EVENT_BUFFER - r->pos;
		r->pos = head - MINIPROC_EVENT_BUFFER;
	}
	return head;
}

/*
 * The next event for @r, filter applied, without taking it: true and @ev
 * filled, or false once @r has reached the head. Events skipped on the
 * way (another process's, or overwritten) are consumed. The file's
 * read_lock held.
 */
static bool miniproc_reader_next(struct miniproc_reader *r,
				 const struct miniproc_filter *filter,
				 struct miniproc_event *ev)
{
	unsigned int scanned = 0;
	u64 head = miniproc_reader_catch_up(r);
	u64 serial;

	while (r->pos != head) {
		if (!miniproc_ring_copy(r->pos, ev, &serial)) {
			/* Overwritten since head was read: gone. */
			r->lost++;
		} else if (miniproc_filter_match(filter, ev, serial)) {
			return true;
		}
		r->pos++;
		if (++scanned == MINIPROC_EVENT_SCAN_BATCH) {
			scanned = 0;
			cond_resched();
			head = miniproc_reader_catch_up(r);
		}
	}
	return false;
}

/* Count a new reader against @uid. Returns 0, -EMFILE or -ENOMEM. */
static int miniproc_reader_account(kuid_t uid)
{
	unsigned long index = from_kuid(&init_user_ns, uid);
	unsigned long n;
	void *entry;
	int ret;

	mutex_lock(&miniproc_readers_lock);
	entry = xa_load(&miniproc_readers_per_uid, index);
	n = entry ? xa_to_value(entry) : 0;
	ret = -EMFILE;
	if (n >= READ_ONCE(miniproc_max_readers_per_uid))
		goto unlock;
	ret = xa_err(xa_store(&miniproc_readers_per_uid, index,
			      xa_mk_value(n + 1), GFP_KERNEL_ACCOUNT));
unlock:
	mutex_unlock(&miniproc_readers_lock);
	return ret;
}

static void miniproc_reader_unaccount(kuid_t uid)
{
	unsigned long index = from_kuid(&init_user_ns, uid);
	unsigned long n;

	mutex_lock(&miniproc_readers_lock);
	n = xa_to_value(xa_load(&miniproc_readers_per_uid, index));
	/* Replacing an entry allocates nothing: it cannot fail. */
	if (n > 1)
		xa_store(&miniproc_readers_per_uid, index, xa_mk_value(n - 1),
			 GFP_KERNEL);
	else
		xa_erase(&miniproc_readers_per_uid, index);
	mutex_unlock(&miniproc_readers_lock);
}

/* A reader, open to fail_function. Returns it or NULL. */
static noinline struct miniproc_reader *miniproc_reader_alloc(void)
{
	return kzalloc(sizeof(struct miniproc_reader), GFP_KERNEL_ACCOUNT);
}

ALLOW_ERROR_INJECTION(miniproc_reader_alloc, NULL);

/*
 * The file's reader, made on first use: it reads from the next event on.
 * If @filter is given, the reader's filter is copied there. Process
 * context. Returns it or an ERR_PTR: -ENOMEM, or -EMFILE if the caller
 * already has miniproc_max_readers_per_uid of them.
 */
static struct miniproc_reader *miniproc_reader_get(struct miniproc_file *f,
						   struct miniproc_filter *filter)
{
	struct miniproc_reader *r;
	kuid_t uid = current_euid();
	int ret;

	mutex_lock(&f->lock);
	r = f->reader;
	if (r)
		goto copy;
	r = miniproc_reader_alloc();
	if (!r) {
		r = ERR_PTR(-ENOMEM);
		goto unlock;
	}
	ret = miniproc_reader_account(uid);
	if (ret) {
		kfree(r);
		r = ERR_PTR(ret);
		goto unlock;
	}
	r->uid = uid;
	r->rec_size = MINIPROC_EVENT_SIZE_VER0;
	r->pos = miniproc_ring_written();
	f->reader = r;
copy:
	if (filter)
		*filter = r->filter;
unlock:
	mutex_unlock(&f->lock);
	return r;
}

/**
 * miniproc_events_release() - free a file's reader
 * @f: the closing file
 *
 * No producer ever sees a reader, so nothing is waited for.
 */
void miniproc_events_release(struct miniproc_file *f)
{
	struct miniproc_reader *r = f->reader;

	if (!r)
		return;
	miniproc_reader_unaccount(r->uid);
	kfree(r);
	f->reader = NULL;
}

/**
 * miniproc_events_filter() - choose which events a file reads, and how
 * @f:        the file
 * @filter:   which processes' events, worked out by the caller
 * @rec_size: bytes per record, already checked by the caller
 *
 * Return: 0, -ENOMEM or -EMFILE.
 */
int miniproc_events_filter(struct miniproc_file *f,
			   const struct miniproc_filter *filter, u32 rec_size)
{
	struct miniproc_reader *r = miniproc_reader_get(f, NULL);

	if (IS_ERR(r))
		return PTR_ERR(r);
	mutex_lock(&f->lock);
	r->filter = *filter;
	WRITE_ONCE(r->rec_size, rec_size);
	mutex_unlock(&f->lock);
	return 0;
}

/* Copy @ev out as a record of @rec_size bytes, zero past what it has. */
static int miniproc_event_copy_out(char __user *buf, struct miniproc_event *ev,
				   u32 rec_size)
{
	size_t len = min_t(size_t, rec_size, sizeof(*ev));

	if (copy_to_user(buf, ev, len))
		return -EFAULT;
	if (rec_size > len && clear_user(buf + len, rec_size - len))
		return -EFAULT;
	return 0;
}

/**
 * miniproc_events_read() - read() on /dev/miniproc
 * @f:        the file
 * @nonblock: the file is O_NONBLOCK
 * @buf:      user buffer
 * @count:    its size
 *
 * Return: bytes read, a whole number of records; -EINVAL if @count holds
 * none, -EAGAIN, -ERESTARTSYS, -EFAULT, -ENOMEM, -EMFILE.
 */
ssize_t miniproc_events_read(struct miniproc_file *f, bool nonblock,
			     char __user *buf, size_t count)
{
	struct miniproc_filter filter;
	struct miniproc_event ev;
	struct miniproc_reader *r;
	size_t done = 0;
	u32 rec_size;
	ssize_t ret;

	r = miniproc_reader_get(f, &filter);
	if (IS_ERR(r))
		return PTR_ERR(r);
	rec_size = READ_ONCE(r->rec_size);
	if (count < rec_size)
		return -EINVAL;

	/*
	 * One reader at a time, so that what was looked at is what is taken.
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
	ret = 0;
	while (count - done >= rec_size) {
		if (!miniproc_reader_next(r, &filter, &ev)) {
			if (done)
				break;
			ret = -EAGAIN;
			if (nonblock)
				break;
			ret = -ERESTARTSYS;
			if (wait_event_interruptible(miniproc_events_wq,
						     miniproc_ring_written() != r->pos))
				break;
			ret = 0;
			continue;
		}
		ev.lost = min_t(u64, r->lost, U32_MAX);
		ret = miniproc_event_copy_out(buf + done, &ev, rec_size);
		if (ret)
			break;
		/* Taken only once it is out: a fault loses nothing. */
		r->pos++;
		r->lost = 0;
		done += rec_size;
	}
	mutex_unlock(&f->read_lock);
	return done ? done : ret;
}

/* Has @r an event to read, @filter applied? Consumes what it skips. */
static bool miniproc_reader_ready(struct miniproc_file *f,
				  struct miniproc_reader *r,
				  const struct miniproc_filter *filter)
{
	struct miniproc_event ev;
	bool ready;

	/*
	 * A read() is at it, perhaps blocked: whether the stream moved past
	 * where it stands is the best guess, and read() will tell (a stale
	 * position only makes the guess early or late).
	 */
	if (!mutex_trylock(&f->read_lock)) {
		u64 pos;

		/* Unlocked: a stale position makes the guess early or late. */
		pos = data_race(r->pos);
		return miniproc_ring_written() != pos;
	}
	ready = filter->pid ? miniproc_reader_next(r, filter, &ev) :
			      miniproc_ring_written() != r->pos;
	mutex_unlock(&f->read_lock);
	return ready;
}

/**
 * miniproc_events_poll() - poll() on /dev/miniproc
 * @f:    the file
 * @file: the struct file, for poll_wait()
 * @wait: the poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM when an event is there to read, EPOLLERR
 * if the file could not become a reader.
 */
__poll_t miniproc_events_poll(struct miniproc_file *f, struct file *file,
			      poll_table *wait)
{
	struct miniproc_filter filter;
	struct miniproc_reader *r = miniproc_reader_get(f, &filter);

	if (IS_ERR(r))
		return EPOLLERR;
	poll_wait(file, &miniproc_events_wq, wait);
	return miniproc_reader_ready(f, r, &filter) ? EPOLLIN | EPOLLRDNORM : 0;
}

/**
 * miniproc_events_init() - allocate the ring, at load
 *
 * Return: 0 or -ENOMEM.
 */
int miniproc_events_init(void)
{
	unsigned int i;

	miniproc_ring = vzalloc(array_size(MINIPROC_EVENT_BUFFER,
					   sizeof(*miniproc_ring)));
	if (!miniproc_ring)
		return -ENOMEM;
	for (i = 0; i < MINIPROC_EVENT_BUFFER; i++)
		seqcount_init(&miniproc_ring[i].seq);
	return 0;
}

/**
 * miniproc_events_exit() - free the ring, at unload
 *
 * Every file is closed and every process reaped: nothing writes or reads
 * it any more but a wakeup still queued.
 */
void miniproc_events_exit(void)
{
	irq_work_sync(&miniproc_events_wake_work);
	xa_destroy(&miniproc_readers_per_uid);
	vfree(miniproc_ring);
}
