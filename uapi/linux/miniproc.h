/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * miniproc: the process abstraction of an operating-systems course, backed
 * by kernel threads and driven through /dev/miniproc.
 *
 * This header is the only contract between the module and userspace.
 *
 * Conventions, shared by every ioctl:
 *  - Every argument struct starts with __u32 @size, set by the caller to
 *    the size of the struct it was built with. The kernel reads at most
 *    that many bytes (missing trailing fields read as zero) and refuses
 *    with -E2BIG a larger struct whose bytes past the kernel's own size are
 *    not all zero, or that claims more than a page. Sizes below the
 *    _SIZE_VER0 constant are -EINVAL.
 *    The size encoded in the command number is that of this header's
 *    struct; the kernel goes by @size, so programs built against older or
 *    newer headers keep working.
 *  - Fields named reserved* must be zero on input (-EINVAL otherwise) and
 *    are zero on output.
 *  - Times are __u64 nanoseconds. User pointers are carried as __u64.
 *  - Unknown commands are -ENOTTY, unknown flags -EINVAL, a bad user
 *    pointer -EFAULT, a pid that names no process -ESRCH, acting on a
 *    process of another user without CAP_KILL -EPERM.
 *  - Pids are reused, as Linux's are: they are handed out in turn from
 *    %MINIPROC_INIT_PID + 1 up to the module's pid_max parameter, then from
 *    there again, skipping every pid a process (a zombie too) has. A pid
 *    names one process from its creation until it is reaped; after that a
 *    new process may be given it. A call that sleeps on a pid (WAIT,
 *    DESTROY with %MINIPROC_DESTROY_WAIT, SUSPEND) and an event filter
 *    keep to the process they found, and never act on a later one given
 *    its pid.
 */
#ifndef _UAPI_LINUX_MINIPROC_H
#define _UAPI_LINUX_MINIPROC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped only on an incompatible change; growing a struct is compatible. */
#define MINIPROC_ABI_VERSION		1

#define MINIPROC_DEVICE			"/dev/miniproc"

/* Limits on what a caller may ask for; MINIPROC_IOC_VERSION reports them. */
#define MINIPROC_NAME_LEN		16	/* name, NUL included */
#define MINIPROC_CHAN_LEN		16	/* wait channel, NUL included */
#define MINIPROC_PROG_MAX_OPS		256	/* ops in one program */
#define MINIPROC_LOOP_MAX_DEPTH		8	/* nesting of repetitions */
#define MINIPROC_LOOP_MAX_COUNT		1000000	/* bounded repetitions */
#define MINIPROC_DURATION_MAX_NS	3600000000000ULL /* one hour */
#define MINIPROC_EXIT_MAX		255	/* largest exit status */
#define MINIPROC_EXIT_STATUS_KILLED	(-1)	/* exit status when killed */
#define MINIPROC_FORK_MAX_DEPTH		4	/* nesting of fork groups */
#define MINIPROC_CHILDREN_MAX		32	/* unreaped children of one process */
#define MINIPROC_INIT_PID		1	/* the module's init process */

/**
 * enum miniproc_state - where a mini-process is in its life, as xv6 names it
 * @MINIPROC_UNUSED:   the slot holds no process (never reported by LIST)
 * @MINIPROC_EMBRYO:   created, its kthread not yet woken for the first time
 * @MINIPROC_SLEEPING: blocked; &miniproc_info.chan says on what
 * @MINIPROC_RUNNABLE: woken or preempted, waiting for a CPU
 * @MINIPROC_RUNNING:  on a CPU now
 * @MINIPROC_ZOMBIE:   its program ended or it was killed; not yet reaped
 *
 * Every state but UNUSED and ZOMBIE is set by a real scheduling event of the
 * backing kthread: a wakeup, a switch onto a CPU, a switch off it.
 */
enum miniproc_state {
	MINIPROC_UNUSED = 0,
	MINIPROC_EMBRYO = 1,
	MINIPROC_SLEEPING = 2,
	MINIPROC_RUNNABLE = 3,
	MINIPROC_RUNNING = 4,
	MINIPROC_ZOMBIE = 5,
};

#define MINIPROC_NR_STATES		6

/**
 * enum miniproc_opcode - what one step of a program does
 * @MINIPROC_OP_CPU:   use @arg ns of the process's own CPU time (time spent
 *                     preempted does not count); reaches a safe point at
 *                     least every millisecond. 1 <= @arg <= one hour.
 * @MINIPROC_OP_SLEEP: block for @arg ns of wall time, SLEEPING on "sleep".
 *                     1 <= @arg <= one hour.
 * @MINIPROC_OP_YIELD: offer the CPU back to the scheduler, which runs the
 *                     runnable task it now favours (perhaps this one); the
 *                     process stays runnable. @arg must be 0.
 * @MINIPROC_OP_EXIT:  end with exit status @arg (0..255).
 * @MINIPROC_OP_LOOP:  repeat the ops up to the matching %MINIPROC_OP_END
 *                     @arg times, or forever if @arg is 0. The group must
 *                     not be empty; groups nest at most
 *                     %MINIPROC_LOOP_MAX_DEPTH deep.
 * @MINIPROC_OP_END:   close the innermost open group. @arg must be 0.
 * @MINIPROC_OP_FORK:  start a child process whose program is the ops up to
 *                     the matching %MINIPROC_OP_END, then go on after it.
 *                     The child has this process as parent, its owner, its
 *                     name and its CPU pinning. The group must not be empty;
 *                     fork groups nest at most %MINIPROC_FORK_MAX_DEPTH deep
 *                     (and count towards %MINIPROC_LOOP_MAX_DEPTH). A fork
 *                     that fails (table full, the owner at its per-user
 *                     limit, %MINIPROC_CHILDREN_MAX unreaped children) starts
 *                     nothing; the program goes on, and the error is kept in
 *                     &miniproc_info.fork_error. @arg must be 0.
 * @MINIPROC_OP_WAIT:  if the process has children, block (SLEEPING on
 *                     "wait") until one is a zombie, then reap it; with no
 *                     children, go on at once. @arg must be 0.
 * @MINIPROC_OP_IO:    do an I/O that takes @arg ns of wall time, blocked
 *                     (SLEEPING on "io") until it completes: the CPU is
 *                     free for others meanwhile. Kill and suspension act as
 *                     on a sleep op. 1 <= @arg <= one hour.
 * @MINIPROC_OP_POLL:  do an I/O that takes @arg ns of wall time by polling
 *                     the device: the process keeps the CPU (RUNNING, or
 *                     RUNNABLE while preempted) until it completes, with a
 *                     safe point at least every millisecond. Unlike a cpu
 *                     op, time preempted counts: the device does not wait.
 *                     1 <= @arg <= one hour.
 *
 * A program that runs off its end exits with status 0. Code 0 is never an
 * op, so a zeroed array is refused.
 *
 * Parent and child follow xv6: when a process ends, its children are given
 * to the init process (pid %MINIPROC_INIT_PID, owned by the module, always
 * there), which reaps every zombie it inherits. A process started by fork
 * is reaped by its parent's wait op or by init, not by %MINIPROC_IOC_WAIT.
 */
enum miniproc_opcode {
	MINIPROC_OP_CPU = 1,
	MINIPROC_OP_SLEEP = 2,
	MINIPROC_OP_YIELD = 3,
	MINIPROC_OP_EXIT = 4,
	MINIPROC_OP_LOOP = 5,
	MINIPROC_OP_END = 6,
	MINIPROC_OP_FORK = 7,
	MINIPROC_OP_WAIT = 8,
	MINIPROC_OP_IO = 9,
	MINIPROC_OP_POLL = 10,
};

#define MINIPROC_OP_MAX			MINIPROC_OP_POLL /* the largest op code */

/**
 * struct miniproc_op - one step of a program
 * @code:     an &enum miniproc_opcode
 * @reserved: must be zero
 * @arg:      the op's argument, see &enum miniproc_opcode
 */
struct miniproc_op {
	__u32 code;
	__u32 reserved;
	__u64 arg;
};

/* Flags of struct miniproc_create. */
#define MINIPROC_CREATE_AUTOREAP	0x1 /* reaped at exit, never a zombie */
#define MINIPROC_CREATE_PIN		0x2 /* run only on @cpu */
#define MINIPROC_CREATE_SUSPENDED	0x4 /* stopped before its first op */
#define MINIPROC_CREATE_FLAGS		(MINIPROC_CREATE_AUTOREAP | MINIPROC_CREATE_PIN | \
					 MINIPROC_CREATE_SUSPENDED)

/**
 * struct miniproc_create - argument of %MINIPROC_IOC_CREATE
 * @size:      sizeof(struct miniproc_create)
 * @flags:     %MINIPROC_CREATE_* flags
 * @name:      name of the process, NUL-terminated, printable ASCII without
 *             spaces; empty
 *             gives the default name "miniproc"
 * @prog:      user pointer to @prog_len struct miniproc_op
 * @prog_len:  number of ops, 1..%MINIPROC_PROG_MAX_OPS
 * @cpu:       with %MINIPROC_CREATE_PIN, the online CPU to run on; else 0
 * @pid:       out: the new process's pid: the first after the last one
 *             handed out that no process has, coming round to
 *             %MINIPROC_INIT_PID + 1 after pid_max
 * @reserved0: must be zero
 * @reserved:  must be zero
 *
 * The whole program is validated before anything is created: an unknown op,
 * a bad argument, an unbalanced or too deep group or a too long program is
 * -EINVAL. A full table, or a caller at its per-user limit, is -EAGAIN. A
 * caller without CAP_SYS_ADMIN, when the module's restrict_create parameter
 * is set, is -EPERM. On success the ioctl also returns the pid.
 *
 * With %MINIPROC_CREATE_SUSPENDED the process starts as if suspended at
 * once: its thread runs up to the safe point of its first op and stops
 * there, SLEEPING on "suspended", until %MINIPROC_IOC_RESUME (or a kill).
 * %MINIPROC_IOC_SUSPEND of it returns once it has stopped. Several
 * processes created so and then resumed one after another start together,
 * as a gate: none has run an op before the first RESUME.
 *
 * The process belongs to the caller's effective uid and runs at the
 * caller's nice value, never a real-time policy: no stronger than its
 * creator.
 */
struct miniproc_create {
	__u32 size;
	__u32 flags;
	char name[MINIPROC_NAME_LEN];
	__u64 prog;
	__u32 prog_len;
	__s32 cpu;
	__s32 pid;
	__u32 reserved0;
	__u64 reserved[2];
};

#define MINIPROC_CREATE_SIZE_VER0	48

/* Flags of struct miniproc_exit_info. */
#define MINIPROC_EXIT_KILLED		0x1 /* ended by MINIPROC_IOC_DESTROY */

/**
 * struct miniproc_exit_info - how a reaped process ended
 * @exit_status: its exit status, %MINIPROC_EXIT_STATUS_KILLED if killed
 * @flags:       %MINIPROC_EXIT_* flags
 * @runtime_ns:  CPU time it used
 * @nvcsw:       voluntary context switches (it blocked)
 * @nivcsw:      involuntary context switches (preempted or yielded)
 */
struct miniproc_exit_info {
	__s32 exit_status;
	__u32 flags;
	__u64 runtime_ns;
	__u64 nvcsw;
	__u64 nivcsw;
};

/* Flags of struct miniproc_destroy. */
#define MINIPROC_DESTROY_WAIT		0x1 /* return once it is reaped */
#define MINIPROC_DESTROY_FLAGS		MINIPROC_DESTROY_WAIT

/**
 * struct miniproc_destroy - argument of %MINIPROC_IOC_DESTROY
 * @size:      sizeof(struct miniproc_destroy)
 * @pid:       the process to kill
 * @flags:     %MINIPROC_DESTROY_* flags
 * @reserved0: must be zero
 * @exit:      out, with %MINIPROC_DESTROY_WAIT: how it ended
 * @reserved:  must be zero
 *
 * Marks the process killed and wakes it, also from a sleep or a suspension;
 * it ends at its next safe point and becomes a ZOMBIE (or is reaped at once
 * if it was created with %MINIPROC_CREATE_AUTOREAP). Killing a zombie
 * changes nothing. With %MINIPROC_DESTROY_WAIT the call returns once the
 * process is gone and reaped; a signal interrupts that wait with -EINTR and
 * leaves the process killed, to be reaped by %MINIPROC_IOC_WAIT, and so
 * does a fault writing the answer (-EFAULT), which is written before the
 * process is reaped. Several DESTROYs with %MINIPROC_DESTROY_WAIT of one
 * process at once each return once it is reaped, with the same @exit.
 */
struct miniproc_destroy {
	__u32 size;
	__s32 pid;
	__u32 flags;
	__u32 reserved0;
	struct miniproc_exit_info exit;
	__u64 reserved[2];
};

#define MINIPROC_DESTROY_SIZE_VER0	48

/* Options of struct miniproc_wait. */
#define MINIPROC_WNOHANG		0x1 /* return at once if none ended */
#define MINIPROC_WAIT_OPTIONS		MINIPROC_WNOHANG

#define MINIPROC_WAIT_ANY		(-1)

/**
 * struct miniproc_wait - argument of %MINIPROC_IOC_WAIT
 * @size:       sizeof(struct miniproc_wait)
 * @pid:        in: a pid, or %MINIPROC_WAIT_ANY for any process owned by the
 *              caller's effective uid (other values, 0 or below -1, are
 *              -EINVAL); out: the pid reaped, 0 if %MINIPROC_WNOHANG found
 *              none ended
 * @options:    %MINIPROC_WNOHANG
 * @reserved0:  must be zero
 * @timeout_ns: give up after this long with -ETIMEDOUT; 0 waits forever
 * @exit:       out: how the reaped process ended
 * @reserved:   must be zero
 *
 * Blocks interruptibly until the process (or one of the caller's) is a
 * ZOMBIE, reaps it and returns how it ended. Nothing to wait for (no process
 * of the caller's, or @pid was created with %MINIPROC_CREATE_AUTOREAP):
 * -ECHILD. A @pid that names no process, or one another waiter reaped first:
 * -ESRCH, even if the pid has been given to a new process meanwhile, which
 * is not waited for. A signal: -EINTR, nothing reaped. The answer is written before
 * the process is reaped: if it cannot be (-EFAULT), nothing is reaped. Of
 * two waiters on one process, exactly one reaps it.
 */
struct miniproc_wait {
	__u32 size;
	__s32 pid;
	__u32 options;
	__u32 reserved0;
	__u64 timeout_ns;
	struct miniproc_exit_info exit;
	__u64 reserved[2];
};

#define MINIPROC_WAIT_SIZE_VER0		56

/**
 * struct miniproc_ctl - argument of %MINIPROC_IOC_SUSPEND and %MINIPROC_IOC_RESUME
 * @size:      sizeof(struct miniproc_ctl)
 * @pid:       the process
 * @flags:     must be zero
 * @reserved0: must be zero
 * @reserved:  must be zero
 *
 * SUSPEND stops the process at its next safe point and returns once it is
 * really stopped: SLEEPING on "suspended" with %MINIPROC_INFO_SUSPENDED set.
 * A signal interrupts that wait with -EINTR; the request stands. RESUME lets
 * it go on where it stopped. A cpu op keeps the CPU time it already used.
 * A sleep op keeps its deadline: time spent suspended counts towards the
 * sleep, and a sleep whose deadline passed meanwhile ends on resume.
 * Both are idempotent: suspending a suspended process, resuming a running
 * one, or either on a zombie, succeeds and changes nothing.
 */
struct miniproc_ctl {
	__u32 size;
	__s32 pid;
	__u32 flags;
	__u32 reserved0;
	__u64 reserved[2];
};

#define MINIPROC_CTL_SIZE_VER0		16

/* Flags of struct miniproc_info. */
#define MINIPROC_INFO_KILLED		0x1 /* destroyed; ends or ended so */
#define MINIPROC_INFO_SUSPENDED		0x2 /* stopped by SUSPEND */
#define MINIPROC_INFO_AUTOREAP		0x4 /* created with AUTOREAP */
#define MINIPROC_INFO_EXITED		0x8 /* @exit_status is valid */
#define MINIPROC_INFO_PINNED		0x10 /* runs only on @cpu */

/**
 * struct miniproc_info - one process's record: %MINIPROC_IOC_STATUS, %MINIPROC_IOC_LIST
 * @size:          in (STATUS): sizeof(struct miniproc_info); out: bytes filled
 * @pid:           in (STATUS): the process to describe; out: its pid
 * @ppid:          its parent's pid: 0 if a user process created it, the
 *                 forking process's, or %MINIPROC_INIT_PID once orphaned
 *                 (a parent gives its children to init before it can be
 *                 reaped, so its pid is not reused while a child names it)
 * @uid:           its owner: the creator's effective uid
 * @state:         an &enum miniproc_state
 * @flags:         %MINIPROC_INFO_* flags
 * @exit_status:   with %MINIPROC_INFO_EXITED, its exit status; else 0
 * @cpu:           the CPU it is on or last ran on, -1 before it first ran
 * @tid:           the backing kthread's thread id, 0 once it has ended
 * @reserved0:     zero
 * @name:          its name, NUL-terminated
 * @chan:          what it sleeps on while SLEEPING, never empty then:
 *                 "sleep" (a sleep op), "io" (an io op), "suspended",
 *                 "wait" (a wait op,
 *                 also while the child it reaps finishes ending), "fork"
 *                 (a fork op starting the child's kthread), "lock" (its
 *                 thread waits for the module's own table lock), or
 *                 "kernel" (blocked inside the kernel on something the
 *                 module does not name, such as memory reclaim); else
 *                 empty
 * @start_time_ns: when it was created, CLOCK_BOOTTIME
 * @runtime_ns:    CPU time used
 * @nvcsw:         voluntary context switches: it blocked
 * @nivcsw:        involuntary context switches: preempted, or yielded
 * @nr_sched_in:   times it was put on a CPU
 * @nr_wakeups:    times it was woken
 * @nr_migrations: times it was put on a CPU other than the last one
 * @fork_error:    the errno of its last failed fork op, 0 if none failed
 * @nr_children:   its children not yet reaped
 * @nr_forks:      children it started
 * @reserved:      zero
 *
 * The scheduling counters count from the wakeup that starts the program
 * (counted in @nr_wakeups; the first switch onto a CPU after it is in
 * @nr_sched_in). What the kthread did before, being created and blocking
 * until that wakeup, is not counted.
 */
struct miniproc_info {
	__u32 size;
	__s32 pid;
	__s32 ppid;
	__u32 uid;
	__u32 state;
	__u32 flags;
	__s32 exit_status;
	__s32 cpu;
	__s32 tid;
	__u32 reserved0;
	char name[MINIPROC_NAME_LEN];
	char chan[MINIPROC_CHAN_LEN];
	__u64 start_time_ns;
	__u64 runtime_ns;
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 nr_sched_in;
	__u64 nr_wakeups;
	__u64 nr_migrations;
	__s32 fork_error;
	__u32 nr_children;
	__u64 nr_forks;
	__u64 reserved[2];
};

#define MINIPROC_INFO_SIZE_VER0		128
#define MINIPROC_INFO_SIZE_VER1		144	/* with fork_error .. nr_forks */

/**
 * struct miniproc_list - argument of %MINIPROC_IOC_LIST
 * @size:      sizeof(struct miniproc_list)
 * @rec_size:  size of one record as the caller knows struct miniproc_info,
 *             at least %MINIPROC_INFO_SIZE_VER0 and at most a page; records
 *             are that far apart
 * @buf:       user pointer to room for @capacity records; may be 0 with a
 *             @capacity of 0 to learn @total alone
 * @capacity:  records @buf has room for
 * @count:     out: records written, in pid order
 * @total:     out: processes in the table when the snapshot was taken
 * @reserved0: must be zero
 * @reserved:  must be zero
 *
 * The snapshot is consistent: no process is created or reaped while it is
 * taken, and each record is read under the lock its fields live under.
 */
struct miniproc_list {
	__u32 size;
	__u32 rec_size;
	__u64 buf;
	__u32 capacity;
	__u32 count;
	__u32 total;
	__u32 reserved0;
	__u64 reserved[2];
};

#define MINIPROC_LIST_SIZE_VER0		32

/**
 * struct miniproc_version - argument of %MINIPROC_IOC_VERSION
 * @size:             sizeof(struct miniproc_version)
 * @abi_version:      out: %MINIPROC_ABI_VERSION of the running module
 * @nproc:            out: slots in the process table
 * @nr_used:          out: of the @nproc slots users share, those in use
 *                    now (an autoreap process that has ended holds its
 *                    slot until it is reaped, a moment); init has a slot of
 *                    its own, not counted here, though LIST shows it
 * @max_per_uid:      out: live processes one user may have
 * @max_prog_ops:     out: %MINIPROC_PROG_MAX_OPS
 * @max_loop_depth:   out: %MINIPROC_LOOP_MAX_DEPTH
 * @max_loop_count:   out: %MINIPROC_LOOP_MAX_COUNT
 * @max_duration_ns:  out: %MINIPROC_DURATION_MAX_NS
 * @reserved:         must be zero
 *
 * Reports facts; it never selects an ABI.
 */
struct miniproc_version {
	__u32 size;
	__u32 abi_version;
	__u32 nproc;
	__u32 nr_used;
	__u32 max_per_uid;
	__u32 max_prog_ops;
	__u32 max_loop_depth;
	__u32 max_loop_count;
	__u64 max_duration_ns;
	__u64 reserved[2];
};

#define MINIPROC_VERSION_SIZE_VER0	40

/* Flags of struct miniproc_event. */
#define MINIPROC_EVENT_KILLED		0x1 /* the process has been killed */
#define MINIPROC_EVENT_SUSPENDED	0x2 /* it is stopping for SUSPEND */

/**
 * struct miniproc_event - one state change, as read() on /dev/miniproc gives it
 * @seq:        sequence number, one counter for every process, from 1
 * @time_ns:    when it happened, CLOCK_MONOTONIC
 * @pid:        the process
 * @prev_state: the &enum miniproc_state it left
 * @next_state: the &enum miniproc_state it entered
 * @cpu:        the CPU it is on, or last ran on; -1 before it first ran
 * @lost:       events this reader missed just before this one: see below
 * @flags:      %MINIPROC_EVENT_* flags
 * @chan:       with @next_state SLEEPING, what it sleeps on, as
 *              &miniproc_info.chan names it; else empty
 * @name:       the process's name, so that a reader needs no STATUS (which
 *              a short-lived process may not live to answer)
 * @runtime_ns: (%MINIPROC_EVENT_SIZE_VER1) CPU time it had used when the
 *              event happened
 * @pc:         (%MINIPROC_EVENT_SIZE_VER1) index in its program of the op
 *              it was at (a forked child counts in its own ops)
 * @reserved:   (%MINIPROC_EVENT_SIZE_VER1) zero
 *
 * Every event is written once, into one ring of %MINIPROC_EVENT_BUFFER
 * events shared by every reader; each open file keeps its own place in it,
 * from the moment the file is first read, polled or given a filter
 * (%MINIPROC_IOC_EVENT_FILTER), and gets the events from there on.
 *
 * Records: read() gives records of %MINIPROC_EVENT_SIZE_VER0 bytes (this
 * struct up to @name) unless the file stated another size with
 * %MINIPROC_IOC_EVENT_FILTER's @rec_size. A program built against a newer
 * header than it states a size for gets the fields it knows; a size larger
 * than the kernel's record gets the rest zeroed. So a program that reads
 * into a struct miniproc_event states sizeof(struct miniproc_event).
 * read() returns whole records only: a count smaller than one record is
 * -EINVAL. It blocks until an event is there, unless the file is
 * O_NONBLOCK (-EAGAIN). poll(), select() and epoll report readable when
 * there is an event to read (the filter applied). A sleeping reader is
 * woken at the next scheduler tick after an event, not at every event, so
 * that reading disturbs the processes it watches as little as possible.
 *
 * Lost events: a reader never slows the scheduler. One that falls more
 * than the ring behind finds the oldest of its unread events overwritten:
 * the next record it gets counts them in @lost (so @seq moves by
 * @lost + 1). A reader of every process's events gets the exact count. A
 * reader with a pid filter gets the count of overwritten events of any
 * process, since what they were is gone: for its own process that is an
 * upper bound, and @seq still tells the gap.
 *
 * A user may have as many reading files as the module parameter
 * max_readers_per_uid allows (default 64): the first read, poll or filter
 * of one more is -EMFILE. A file that is only open is not a reader.
 */
struct miniproc_event {
	__u64 seq;
	__u64 time_ns;
	__s32 pid;
	__u32 prev_state;
	__u32 next_state;
	__s32 cpu;
	__u32 lost;
	__u32 flags;
	char chan[MINIPROC_CHAN_LEN];
	char name[MINIPROC_NAME_LEN];
	__u64 runtime_ns;
	__u32 pc;
	__u32 reserved;
};

#define MINIPROC_EVENT_SIZE_VER0	72	/* up to @name */
#define MINIPROC_EVENT_SIZE_VER1	88	/* with @runtime_ns, @pc */

#define MINIPROC_EVENT_BUFFER		16384	/* events the shared ring holds */

/**
 * struct miniproc_event_filter - argument of %MINIPROC_IOC_EVENT_FILTER
 * @size:      sizeof(struct miniproc_event_filter)
 * @pid:       deliver only the events of the process that has this pid
 *             when the filter is set, or, if none has, of those that had
 *             it before (their events may still be waiting); never those
 *             of a later process given the pid. 0 for every process
 * @flags:     must be zero
 * @rec_size:  bytes per record read() gives from now on: at least
 *             %MINIPROC_EVENT_SIZE_VER0 and at most a page; 0 for
 *             %MINIPROC_EVENT_SIZE_VER0
 * @reserved:  must be zero
 *
 * Also starts the file's place in the stream, if reading has not already.
 * The filter and the size apply to every event read from then on, those
 * already waiting included.
 */
struct miniproc_event_filter {
	__u32 size;
	__s32 pid;
	__u32 flags;
	__u32 rec_size;
	__u64 reserved[2];
};

#define MINIPROC_EVENT_FILTER_SIZE_VER0	16

#define MINIPROC_IOC_MAGIC		0xB9

#define MINIPROC_IOC_VERSION	_IOWR(MINIPROC_IOC_MAGIC, 0x00, struct miniproc_version)
#define MINIPROC_IOC_CREATE	_IOWR(MINIPROC_IOC_MAGIC, 0x01, struct miniproc_create)
#define MINIPROC_IOC_DESTROY	_IOWR(MINIPROC_IOC_MAGIC, 0x02, struct miniproc_destroy)
#define MINIPROC_IOC_WAIT	_IOWR(MINIPROC_IOC_MAGIC, 0x03, struct miniproc_wait)
#define MINIPROC_IOC_SUSPEND	_IOW(MINIPROC_IOC_MAGIC, 0x04, struct miniproc_ctl)
#define MINIPROC_IOC_RESUME	_IOW(MINIPROC_IOC_MAGIC, 0x05, struct miniproc_ctl)
#define MINIPROC_IOC_STATUS	_IOWR(MINIPROC_IOC_MAGIC, 0x06, struct miniproc_info)
#define MINIPROC_IOC_LIST	_IOWR(MINIPROC_IOC_MAGIC, 0x07, struct miniproc_list)
#define MINIPROC_IOC_EVENT_FILTER _IOW(MINIPROC_IOC_MAGIC, 0x08, struct miniproc_event_filter)

#endif /* _UAPI_LINUX_MINIPROC_H */
