/* SPDX-License-Identifier: GPL-2.0 */
/*
 * miniproc: private definitions shared by the files of the module.
 */
#ifndef _MINIPROC_H
#define _MINIPROC_H

#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <linux/miniproc.h>

/**
 * DOC: Files
 *
 * Each file has one role, and calls run one way, from the top down; a
 * file calls only those listed after it:
 *
 * - main.c: load and unload, the module parameters.
 * - dev.c: the device and its ioctls: copies a struct in, checks it, calls
 *   the API below, copies the result out.
 * - procfs.c: /proc/miniproc.
 * - proc.c: the life of a process: its kthread, which runs the program and
 *   carries out the forks it asks for; CREATE; exit; init; unload's end of
 *   all.
 * - program.c: programs: validation, and the interpreter, which runs every
 *   op itself but fork, which it hands back to its kthread.
 * - reap.c: to whom a zombie goes, and the reaping by that one: WAIT,
 *   DESTROY, the wait op, autoreap.
 * - ctl.c: control: finding a process the caller may act on, waking it,
 *   safe points, SUSPEND and RESUME.
 * - info.c: records of processes: STATUS, LIST, exits.
 * - table.c: the slots, the pid index, per-user accounting.
 * - sched.c: the scheduler mirror, the only code run in scheduler context;
 *   it knows the kthreads by the function they run, given to it at load.
 * - events.c: the event stream, written by the mirror, read by files.
 *
 * Work items and irq_work run functions of the file that queues them.
 */

/**
 * DOC: Lifecycle
 *
 * A slot of the process table moves through xv6's states::
 *
 *   UNUSED --CREATE/fork--> EMBRYO --first wakeup--> RUNNABLE <--preempted/yield--.
 *                                                       |  ^                        |
 *                                              sched_in |  | wakeup                 |
 *                                                       v  |                        |
 *                                                    RUNNING --blocks--> SLEEPING   |
 *                                                       |  `------------------------'
 *                                         program ends, |
 *                                         or killed     v
 *   UNUSED <---------- reaped by its one reaper ------ ZOMBIE
 *
 * CREATE (or another process's fork op) allocates the slot (EMBRYO), creates
 * the kthread and wakes it. From then until the program ends, only the
 * scheduler moves the state: the sched_wakeup tracepoint makes it RUNNABLE,
 * the preempt notifier's sched_in makes it RUNNING and its sched_out makes
 * it RUNNABLE (still queued: preempted, or yielded) or SLEEPING (dequeued:
 * blocked). The one state set by the module itself is RUNNING when the
 * kthread starts the program: the notifier can only be registered by the
 * thread on itself, once it runs. Every change goes through
 * miniproc_set_state(), which feeds the event stream and the tracepoint.
 *
 * When the program ends the kthread unregisters its notifier, records its
 * exit and becomes a ZOMBIE; its children go to init (pid 1, a slot of its
 * own, started at load); and the zombie is handed to exactly one reaper
 * (miniproc_hand_over()): the DESTROY with WAIT that claimed it, else its
 * parent's wait op, else the autoreap work, else its owner's WAIT. Then it
 * returns. Reaping frees the slot and then kthread_stop()s the task, which
 * returns once the thread has left module code for good. At unload every
 * process, init too, is killed and reaped.
 *
 * Pids: a slot's pid is its process's from allocation to reaping. Pids are
 * handed out cyclically in [MINIPROC_INIT_PID + 1, pid_max] (the module
 * parameter), as the kernel's alloc_pid() hands out its own: the index is
 * an allocating xarray and miniproc_alloc() takes xa_alloc_cyclic()'s
 * next free id after the last one, so a pid comes back only once the
 * others have come round, and never while a process (a zombie too, and
 * init) has it. So pids are reused, as Linux's are, and a pid alone no
 * longer names one process for ever. Each incarnation of a slot also gets
 * a serial number, a u64 counted from 1 at load that is never reused; what
 * remembers a process across a sleep or between calls holds that, not the
 * pid:
 *
 * - WAIT for a pid, DESTROY with WAIT and SUSPEND note the serial of the
 *   process they found and, when they look again after sleeping, take a
 *   slot holding another serial for "gone" (-ESRCH), never for the process
 *   they wait for;
 * - an event filter notes, with the pid, the serial of the process that
 *   has it then (or, if none has, the last serial handed out): it delivers
 *   that process's events (or those of the processes that had the pid
 *   before), never those of a later one, which the ring records by serial
 *   beside each event.
 *
 * The rest cannot be confused by a pid's reuse, and says why: the pid
 * hints are only candidates, confirmed against the slot's pid, which no
 * two live processes share (miniproc_find()); a parent is never reaped
 * before its children have been given to init, so a record's ppid names a
 * process that still has it; LIST and /proc/miniproc take the whole table
 * at once, under the table lock, and remember nothing between calls.
 */

/**
 * DOC: Locking
 *
 * In this order (a lock may be taken while holding one above it, never one
 * below):
 *
 * 0. miniproc_table.snap_lock, a mutex. Guards the snapshot buffer that
 *    LIST fills and copies out, which may fault on user memory under it.
 *    Only ever trylocked: a LIST that finds it held allocates a buffer of
 *    its own instead, so a copy stuck in a fault (userfaultfd) holds up
 *    no other caller.
 *
 * 1. miniproc_table.lock, a mutex. Guards which slots are in use and who
 *    they are: the free list, the pid index and the pid hints (their
 *    writers; a hint is read without it, see miniproc_find()), the
 *    per-user records, nr_used (written with WRITE_ONCE(): VERSION and
 *    LIST's sizing read it without the lock), the pid cursor, the serial
 *    counter, dying, and every slot's identity and family (pid, serial,
 *    owner, parent, children, name, task, prog, the autoreap and claimed
 *    flags).
 *    Held for allocation, exit, reaping, lookups by pid and snapshots;
 *    not by STATUS, which reads one slot under its sched_lock (below).
 *    kthread_stop() is never called under it: an exiting thread takes it.
 *
 * 2. rq->lock and p->pi_lock, the scheduler's own: held by the kernel when
 *    it calls our sched_out notifier and sched_wakeup probe.
 *
 * 3. miniproc.sched_lock, a raw spinlock, one per slot, always taken with
 *    IRQs off. Guards what the scheduler hooks write: state, cpu, the run
 *    time clock and the counters, sched_task, exit_status; pid and serial
 *    are written under both this and the table lock, so holding either is
 *    enough to read them. Nothing under it sleeps, allocates or wakes a
 *    task.
 *    A slot's identity is set before its pid is published under this lock
 *    and changes only after the pid is cleared under it: whoever holds it
 *    and finds the pid it looked up may read the identity without the
 *    table lock (miniproc_status()). The family counters (ppid, tid,
 *    nr_children, nr_zombie_children, nr_forks, fork_error) change under
 *    the table lock alone; they are written with WRITE_ONCE() for such
 *    readers.
 *
 * 4. miniproc_ring_lock (events.c), a raw spinlock, taken under a slot's
 *    sched_lock to write an event into the ring every reader shares.
 *    Guards the ring's slots and its head. A leaf. Readers never take it:
 *    they copy a slot out under that slot's seqcount and retry a copy a
 *    producer overlapped.
 *
 * Aside, in process context: a file's miniproc_file.lock (making its
 * reader, changing its filter) and then miniproc_readers_lock (events.c,
 * the count of readers per user); a file's read_lock (its place in the
 * stream), under which read() may sleep waiting for events.
 *
 * Scheduler context: sched_out and the sched_wakeup probe run with a
 * runqueue lock held and IRQs off; sched_in runs with preemption off. They
 * take only sched_lock and reader locks, and may queue an irq_work (safe
 * there) to wake a sleeper later: state_work for SUSPEND's caller, a
 * reader's wake_work. Nothing else runs there.
 *
 * The control flags (killed, suspend requested, suspended) are atomic
 * bitops on miniproc.flags, read by the kthread at its safe points; a
 * suspend request is set only under sched_lock and not on a zombie, and
 * the thread drops it under the same lock as it becomes one, so none
 * outlives the program. Who reaps a zombie is decided under the table
 * lock, so there is exactly one.
 *
 * Slots live in one array allocated at load and freed at unload, so a
 * pointer to a slot stays valid while the module is loaded; whoever holds
 * one across a sleep re-checks slot->pid before trusting it.
 */

/* Bits of miniproc.flags. */
enum miniproc_flag_bits {
	MINIPROC_F_KILLED,		/* DESTROY asked it to end */
	MINIPROC_F_SUSPEND_REQ,		/* SUSPEND asked it to stop */
	MINIPROC_F_SUSPENDED,		/* stopped at a safe point */
	MINIPROC_F_AUTOREAP,		/* reaped by the module at exit */
	MINIPROC_F_PINNED,		/* bound to one CPU at creation */
	MINIPROC_F_CLAIMED,		/* DESTROY with WAIT will reap it */
	MINIPROC_F_EXEMPT,		/* it and its forks ignore max_per_uid */
};

/**
 * struct miniproc_prog - a validated program, owned by its slot
 * @len: number of ops
 * @ops: the ops, as the user gave them
 */
struct miniproc_prog {
	u32 len;
	struct miniproc_op ops[];
};

/**
 * struct miniproc_user - what one user has in the table
 * @uid:         the user
 * @nr_procs:    slots it owns, zombies included (the per-uid limit)
 * @nr_waitable: of those, the ones WAIT may reap (not autoreap)
 * @zombies:     its zombies that WAIT may reap, oldest first
 *
 * Under miniproc_table.lock; freed when @nr_procs drops to 0.
 */
struct miniproc_user {
	kuid_t uid;
	unsigned int nr_procs;
	unsigned int nr_waitable;
	struct list_head zombies;
};

/**
 * struct miniproc - one slot of the process table, xv6's struct proc
 *
 * Fixed from load to unload:
 * @notifier:   the preempt notifier the kthread registers on itself
 * @wq:         the kthread sleeps here in a sleep op or a suspension
 * @child_wq:   the kthread sleeps here in a wait op; a child's exit wakes
 *              only this one, never a sleep op
 * @state_wq:   SUSPEND waits here for the kthread to be really stopped
 * @state_work: wakes @state_wq from scheduler context
 * @reap_work:  reaps an autoreap process once it is a zombie
 *
 * Under miniproc_table.lock:
 * @free_node:  link in the free list while UNUSED
 * @used_node:  link in the table's used list while not UNUSED
 * @zombie_node: link in the owner's zombie list while a ZOMBIE for WAIT
 * @destroy_waiters: DESTROYs with WAIT that found it claimed by another,
 *              told how it ended by whoever reaps it (reap.c)
 * @user:       the owner's accounting record; NULL for init
 * @owner:      the creator's effective uid
 * @parent:     the process that forked it, init once orphaned, or NULL if
 *              a user created it
 * @ppid:       @parent's pid, 0 without one
 * @children:   the processes it forked, not yet reaped
 * @sibling_node: link in @parent's @children
 * @nr_children: length of @children
 * @nr_zombie_children: of those, zombies left for it to reap (its wait op
 *              sleeps on this, so it is also read locklessly: written
 *              with WRITE_ONCE())
 * @nr_forks:   children it started
 * @fork_error: errno of its last failed fork, 0 if none
 * @name:       its name
 * @start_time_ns: CLOCK_BOOTTIME at creation
 * @task:       the backing kthread, referenced, from creation to reaping
 * @tid:        @task's pid, kept so that filling a record need not follow
 *              @task (a kthread's pid is the same in every namespace that
 *              sees it: only the initial one does)
 * @prog:       its program
 * @pin_cpu:    the CPU it is bound to, with MINIPROC_F_PINNED
 *
 * Under both locks (read under either):
 * @pid:        its pid, 0 while UNUSED
 * @serial:     which incarnation of the slot this is, never reused (see
 *              DOC: Lifecycle), 0 while UNUSED
 *
 * Under @sched_lock:
 * @sched_lock: see DOC: Locking
 * @state:      an &enum miniproc_state
 * @sched_task: the task the wakeup probe follows for this slot; NULL
 *              before the first wakeup and once a zombie
 * @cpu:        the CPU it is on or last ran on, -1 before it first ran
 * @on_cpu_since: local_clock() when last put on a CPU
 * @runtime_ns: CPU time before the current stint on a CPU
 * @nvcsw:      switches out while blocked
 * @nivcsw:     switches out while still runnable
 * @nr_sched_in: switches in
 * @nr_wakeups: wakeups seen
 * @nr_migrations: switches in on a CPU other than the last one
 * @exit_status: exit status once a ZOMBIE
 *
 * Written by the kthread (and reset by the allocator before the thread
 * exists), with WRITE_ONCE(); read anywhere with READ_ONCE():
 * @chan:       what it is about to sleep on, one of the MINIPROC_CHAN_*,
 *              or NULL; a sleep with NULL reads "kernel"
 *              (miniproc_sleep_chan())
 * @pc:         the index of the op its program is at (0 until it starts)
 *
 * @flags:      MINIPROC_F_* bits, atomic; MINIPROC_F_AUTOREAP changes only
 *              under miniproc_table.lock
 */
struct miniproc {
	struct preempt_notifier notifier;
	wait_queue_head_t wq;
	wait_queue_head_t child_wq;
	wait_queue_head_t state_wq;
	struct irq_work state_work;
	struct work_struct reap_work;

	struct list_head free_node;
	struct list_head used_node;
	struct list_head zombie_node;
	struct list_head destroy_waiters;
	struct miniproc_user *user;
	kuid_t owner;
	struct miniproc *parent;
	pid_t ppid;
	struct list_head children;
	struct list_head sibling_node;
	unsigned int nr_children;
	unsigned int nr_zombie_children;
	u64 nr_forks;
	int fork_error;
	char name[MINIPROC_NAME_LEN];
	u64 start_time_ns;
	struct task_struct *task;
	pid_t tid;
	struct miniproc_prog *prog;
	int pin_cpu;

	pid_t pid;
	u64 serial;

	raw_spinlock_t sched_lock;
	enum miniproc_state state;
	struct task_struct *sched_task;
	int cpu;
	u64 on_cpu_since;
	u64 runtime_ns;
	u64 nvcsw;
	u64 nivcsw;
	u64 nr_sched_in;
	u64 nr_wakeups;
	u64 nr_migrations;
	int exit_status;

	const struct miniproc_chan *chan;
	u32 pc;

	unsigned long flags;
};

/**
 * struct miniproc_table - the process table and what indexes it
 * @lock:      see DOC: Locking
 * @slots:     @nproc slots users share, then init's, allocated at load
 * @init:      the init process's slot
 * @nproc:     number of slots users share
 * @nr_used:   slots users share that are not UNUSED (init's is not counted)
 * @pid_max:   the largest pid, from the pid_max parameter at load
 * @pid_next:  xa_alloc_cyclic()'s cursor: the next pid to try
 * @last_serial: the serial last given to a slot; none is given twice
 * @free:      UNUSED slots
 * @used:      slots in use, init's first, in pid order (miniproc_alloc()
 *             puts each new one before the next larger pid)
 * @snap_lock: guards @snap; see DOC: Locking
 * @snap:      room for a record of every slot, for LIST's snapshot
 * @by_pid:    pid -> slot, for every slot in use; an allocating xarray,
 *             which hands out the pids
 * @pid_hint:  @pid_hint_mask + 1 slots, at pid & @pid_hint_mask the slot
 *             last given such a pid; only a hint, see miniproc_find()
 * @pid_hint_mask: a power of two, at least @nproc + 1, minus one
 * @per_uid:   uid -> struct miniproc_user
 * @exit_wq:   woken whenever a process becomes a zombie or is reaped
 * @dying:     the module is unloading: no process may be created
 */
struct miniproc_table {
	struct mutex lock;		/* see DOC: Locking */
	struct miniproc *slots;
	struct miniproc *init;
	unsigned int nproc;
	unsigned int nr_used;
	u32 pid_max;
	u32 pid_next;
	u64 last_serial;
	struct list_head free;
	struct list_head used;
	struct mutex snap_lock;		/* guards snap; see DOC: Locking */
	struct miniproc_info *snap;
	struct xarray by_pid;
	struct miniproc **pid_hint;
	unsigned int pid_hint_mask;
	struct xarray per_uid;
	wait_queue_head_t exit_wq;
	bool dying;
};

extern struct miniproc_table miniproc_table;

struct miniproc_reader;

/**
 * struct miniproc_file - what an open /dev/miniproc carries
 * @lock:      guards creating @reader and changing its filter
 * @read_lock: one read() or poll() scan at a time: guards the reader's
 *             place in the stream
 * @reader:    its place in the event stream, made on first read, poll or
 *             filter
 */
struct miniproc_file {
	struct mutex lock;		/* guards creating @reader, its filter */
	struct mutex read_lock;		/* the reader's place in the stream */
	struct miniproc_reader *reader;
};

/**
 * struct miniproc_chan - a wait channel
 * @name: its name, NUL-padded to the size STATUS, LIST and the event stream
 *        give it, so that it is copied whole rather than measured
 */
struct miniproc_chan {
	char name[MINIPROC_CHAN_LEN];
};

/* The wait channels, shared by the kthread and the printers (sched.c). */
extern const struct miniproc_chan miniproc_chan_sleep;
extern const struct miniproc_chan miniproc_chan_io;
extern const struct miniproc_chan miniproc_chan_suspended;
extern const struct miniproc_chan miniproc_chan_wait;
extern const struct miniproc_chan miniproc_chan_lock;
extern const struct miniproc_chan miniproc_chan_fork;
extern const struct miniproc_chan miniproc_chan_kernel;

#define MINIPROC_CHAN_SLEEP	(&miniproc_chan_sleep)
#define MINIPROC_CHAN_IO	(&miniproc_chan_io)
#define MINIPROC_CHAN_SUSPENDED	(&miniproc_chan_suspended)
#define MINIPROC_CHAN_WAIT	(&miniproc_chan_wait)
#define MINIPROC_CHAN_LOCK	(&miniproc_chan_lock)
#define MINIPROC_CHAN_FORK	(&miniproc_chan_fork)
#define MINIPROC_CHAN_KERNEL	(&miniproc_chan_kernel)

#define MINIPROC_INIT_NAME	"init"

/* main.c: module parameters. */
extern unsigned int miniproc_nproc;
extern unsigned int miniproc_pid_max;
extern unsigned int miniproc_max_per_uid;
extern unsigned int miniproc_max_readers_per_uid;
extern bool miniproc_admin_exempt;
extern bool miniproc_restrict_create;

/* dev.c: the misc device and ioctl dispatch. */
int miniproc_dev_init(void);
void miniproc_dev_exit(void);

/* table.c: slots, the pid index, per-user accounting. */
int miniproc_table_init(unsigned int nproc, unsigned int pid_max);
void miniproc_table_exit(void);
void miniproc_lock_table(struct miniproc *self);
struct miniproc *miniproc_alloc(kuid_t owner, struct miniproc *parent,
				const char *name, u32 flags, int cpu, bool exempt,
				struct miniproc_prog *prog);
struct miniproc *miniproc_alloc_init(struct miniproc_prog *prog);
struct task_struct *miniproc_release(struct miniproc *p);
struct miniproc *miniproc_find(pid_t pid);
struct miniproc *miniproc_lookup(pid_t pid);
void miniproc_pid_serials(pid_t pid, u64 *first, u64 *last);
bool miniproc_is_reaping(struct miniproc *p);

/* miniproc_is_reaping(), for a caller that holds @p->sched_lock. */
static inline bool miniproc_is_reaping_locked(struct miniproc *p)
{
	lockdep_assert_held(&p->sched_lock);
	return test_bit(MINIPROC_F_AUTOREAP, &p->flags) &&
	       p->state == MINIPROC_ZOMBIE;
}

struct miniproc_user *miniproc_user_find(kuid_t uid);
const char *miniproc_state_name(enum miniproc_state state);

/* info.c: records of processes, one or a snapshot of all. */

/**
 * struct miniproc_viewer - whom a record is filled for
 * @user_ns:   the caller's user namespace, in which uids are told
 * @sees_tids: the caller's pid namespace is the initial one, the only one
 *             in which a kthread has a pid
 *
 * Worked out once per call, not once per record: LIST fills thousands.
 */
struct miniproc_viewer {
	struct user_namespace *user_ns;
	bool sees_tids;
};

void miniproc_viewer_init(struct miniproc_viewer *v);
void miniproc_fill_info(struct miniproc *p, const struct miniproc_viewer *v,
			struct miniproc_info *info);
int miniproc_status(pid_t pid, struct miniproc_info *info);
void miniproc_fill_exit(struct miniproc *p, struct miniproc_exit_info *exit);
unsigned int miniproc_snapshot(struct miniproc_info *recs,
			       unsigned int capacity, unsigned int *count);

/* sched.c: the scheduler mirror, the only code run in scheduler context. */
int miniproc_sched_init(int (*threadfn)(void *data));
void miniproc_sched_exit(void);
void miniproc_sched_slot_init(struct miniproc *p);
void miniproc_sched_track(struct miniproc *p, struct task_struct *task);
void miniproc_sched_attach(struct miniproc *p);
void miniproc_sched_detach(struct miniproc *p, int status);
u64 miniproc_runtime(struct miniproc *p);
enum miniproc_state miniproc_state(struct miniproc *p);
u32 miniproc_sched_snapshot(struct miniproc *p, struct miniproc_info *info);
void miniproc_set_state(struct miniproc *p, enum miniproc_state next);
void miniproc_state_work(struct irq_work *work);

/*
 * events.c: the event stream behind read() and poll(): written by the
 * scheduler mirror, read by files; it calls nothing else of the module.
 */

/**
 * struct miniproc_filter - which events a reader gets
 * @pid:    only this pid's, or 0 for every process's
 * @first:  with @pid, only those of processes of serial @first ...
 * @last:   ... up to @last: the one that had @pid when the filter was
 *          set, or with none, those that had it before (miniproc_pid_serials())
 */
struct miniproc_filter {
	pid_t pid;
	u64 first;
	u64 last;
};

int miniproc_events_init(void);
void miniproc_events_exit(void);
void miniproc_events_note(struct miniproc *p, enum miniproc_state prev,
			  const struct miniproc_chan *chan);
int miniproc_events_filter(struct miniproc_file *f,
			   const struct miniproc_filter *filter, u32 rec_size);
ssize_t miniproc_events_read(struct miniproc_file *f, bool nonblock,
			     char __user *buf, size_t count);
__poll_t miniproc_events_poll(struct miniproc_file *f, struct file *file,
			      struct poll_table_struct *wait);
void miniproc_events_release(struct miniproc_file *f);

/* procfs.c: /proc/miniproc. */
int miniproc_procfs_init(void);
void miniproc_procfs_exit(void);

/*
 * program.c: programs: validation, and the interpreter, which runs the ops
 * itself (the wait op through reap.c) and hands a fork back to its caller.
 */

/* An open group of a running program. */
struct miniproc_frame {
	u32 start;	/* index of the group's first op */
	u64 left;	/* iterations still to run; 0 for forever */
};

/**
 * struct miniproc_run - where a kthread is in its program
 * @stack:    the open groups, innermost last
 * @depth:    how many are open
 * @pc:       the next op
 * @status:   the exit status, once the program has ended
 * @fork_ops: the child's program, when the interpreter asks for a fork
 * @fork_len: its length
 *
 * On the kthread's stack, owned by it alone.
 */
struct miniproc_run {
	struct miniproc_frame stack[MINIPROC_LOOP_MAX_DEPTH];
	unsigned int depth;
	u32 pc;
	int status;
	const struct miniproc_op *fork_ops;
	u32 fork_len;
};

struct miniproc_prog *miniproc_prog_copy(u64 uptr, u32 len);
struct miniproc_prog *miniproc_prog_init(void);
struct miniproc_prog *miniproc_prog_alloc(u32 len);
struct miniproc_prog *miniproc_prog_dup(const struct miniproc_op *ops, u32 len);
bool miniproc_prog_run(struct miniproc *p, struct miniproc_run *run);

/*
 * ctl.c: control: finding a process the caller may act on, waking it,
 * the safe points at which it obeys kill and suspend, SUSPEND, RESUME.
 */
struct miniproc *miniproc_lookup_owned(pid_t pid, u64 serial);
void miniproc_wake_ctl(struct miniproc *p);
void miniproc_wake_waiters(struct miniproc *p);
void miniproc_stop_task(struct task_struct *task);
bool miniproc_safe_point(struct miniproc *p);
bool miniproc_obey_ctl(struct miniproc *p);
int miniproc_suspend(pid_t pid);
int miniproc_resume(pid_t pid);

/*
 * proc.c: the life of a process, top of the calls: the kthread, which runs
 * the program and its forks; CREATE; exit; init; the end of all at unload.
 */
int miniproc_proc_init(void);
void miniproc_proc_exit(void);
int miniproc_kthread(void *data);
int miniproc_create(const char *name, u32 flags, int cpu,
		    struct miniproc_prog *prog, int __user *upid);
void miniproc_kill_all(void);

/**
 * miniproc_ctl_pending() - has DESTROY or SUSPEND asked something of @p?
 * @p: the slot
 *
 * Inline, one load of the flags: every op of a program asks this at its
 * safe point, and nearly always nothing is asked.
 *
 * Return: true if a sleeping op should wake up and reach a safe point.
 */
static inline bool miniproc_ctl_pending(const struct miniproc *p)
{
	return READ_ONCE(p->flags) &
	       (BIT(MINIPROC_F_KILLED) | BIT(MINIPROC_F_SUSPEND_REQ));
}

/*
 * reap.c: reaping: to whom a zombie goes (hand-over, reparenting to init),
 * and WAIT, DESTROY, the wait op and autoreap, which reap it.
 */

/*
 * Hands a zombie's exit to the caller of WAIT or DESTROY with WAIT (copies
 * it to user memory) before the zombie is reaped: 0, or an errno, and then
 * the zombie is not reaped.
 */
typedef int (*miniproc_deliver_t)(pid_t pid,
				  const struct miniproc_exit_info *exit,
				  void *arg);

int miniproc_destroy(pid_t pid, u32 flags, struct miniproc_exit_info *exit,
		     miniproc_deliver_t deliver, void *arg);
int miniproc_wait(pid_t *pid, u32 options, u64 timeout_ns,
		  struct miniproc_exit_info *exit, miniproc_deliver_t deliver,
		  void *arg);
bool miniproc_op_wait(struct miniproc *p);
int miniproc_reap_unlock(struct miniproc *p, struct miniproc_exit_info *exit);
void miniproc_tell_destroy_waiters(struct miniproc *p,
				   const struct miniproc_exit_info *exit);
void miniproc_hand_over(struct miniproc *p);
void miniproc_reparent(struct miniproc *p);
int miniproc_reap_init(void);
void miniproc_reap_flush(void);
void miniproc_reap_exit(void);

#endif /* _MINIPROC_H */
