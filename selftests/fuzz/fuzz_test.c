// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_test: a seeded, stateful fuzzer of /dev/miniproc.
 *
 * Several processes (fork), each with several threads, share open files of
 * /dev/miniproc and a model of the processes they created (in a MAP_SHARED
 * mapping), and call at random every ioctl of the uapi, read() and poll()
 * on the event stream, open() and close(), and delete_module(2) or rmmod.
 * Most calls are valid; a share are hostile: bad pointers (NULL, unmapped,
 * kernel, non-canonical, read-only for output, straddling an unmapped
 * page), struct sizes around the real one, unknown flags, non-zero reserved
 * fields, unknown commands, huge LIST counts, pids just past the live ones,
 * 0, negative, init's, programs at every limit and just past it.
 *
 * Every result is checked against the answers the uapi allows for that
 * call, exactly where the fuzzer can know (a bad pointer is -EFAULT, a
 * non-zero reserved field -EINVAL, an unknown command -ENOTTY, init may not
 * be killed: -EPERM, ...), as a set where another thread may have raced it
 * (a live pid may be reaped meanwhile: 0 or -ESRCH). What the kernel wrote
 * back is checked too: records consistent in themselves, in pid order,
 * reserved fields zero, nothing written past the caller's size, exit
 * statuses the program could have ended with. Each pid is created once and
 * reaped at most once (bitmaps indexed by pid). Anything else is a
 * violation.
 *
 * Pids wrap at the module's pid_max and are reused; the model is keyed by
 * pid, and is exact as long as no pid comes round within the run. So the
 * run keeps to one lap: it expects its pids above the largest at its start
 * and at most pid_max, and it stops taking new operations while the pids
 * that the processes there are, and those being created, could still take
 * (each program forks at most MINIPROC_FORK_MAX_DEPTH processes in all)
 * would reach pid_max. A run stopped so reports its operations as a skip,
 * saying why. With the default pid_max (4194304) a run of the VM's size
 * or a soak's never gets there.
 *
 * Run as root, the last process drops to uid 65534 (--unpriv), a member
 * of the group the device belongs to (the miniproc group of the udev rule),
 * as a user given access to it is: it may
 * query root's processes but not destroy, suspend, resume or wait on them
 * (-EPERM), its WAIT for any reaps only its own, and it may not unload the
 * module (-EPERM); root may act on its processes.
 *
 * After the run (all threads and processes finished): LIST must hold every
 * process the model says is alive, owned by us, and nothing of ours the
 * model does not know (fork children apart, whose parent must be there or
 * init); then everything is destroyed and reaped and the table must hold
 * init alone. rmmod must have been refused every time.
 *
 * The seed fixes the sequence of calls each thread attempts; which pid a
 * call lands on and how threads interleave is up to the scheduler.
 *
 *   fuzz_test [--seed N] [--ops N] [--seconds N] [--threads N] [--procs N]
 *             [--unpriv N]
 *
 * Environment (the command line wins): MINIPROC_FUZZ_SEED, _OPS, _SECONDS,
 * _THREADS, _PROCS, _UNPRIV. --threads is per process. With --seconds
 * alone it runs that long; with --ops too, it must do all the ops within
 * that time.
 * Exits non-zero on any violation, or if fewer ops than asked were done.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/miniproc.h>

#include "kselftest.h"

#define FUZZ_DEFAULT_OPS	20000
#define FUZZ_MAX_THREADS	64
#define FUZZ_MAX_PROCS		16
#define LIVE_MAX		4096	/* model entries: live pids we created */
#define PID_BITS		(1UL << 28)	/* pids tracked past the baseline */
#define BASE_FDS		3	/* opened before fork, shared by all */
#define DYN_FDS			8	/* per process, opened and closed by ops */
#define MAX_REPORTS		40	/* violations printed in full */
/* Pids one CREATE may take: the process, and what its program forks. */
#define PIDS_PER_CREATE		(1 + MINIPROC_FORK_MAX_DEPTH)
#define PID_MAX_PARAM		"/sys/module/miniproc/parameters/pid_max"

#define PAGE			4096UL
#define ARENA_PAGES		80	/* read-write, then one guard page */
#define ARENA_ARG		0	/* the ioctl's struct */
#define ARENA_PROG		8192	/* a program */
#define ARENA_BUF		16384	/* LIST records, read() buffers */

#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_SEC		1000000000ULL

#define KERNEL_PTR		0xffffffff81000000ULL
#define DIRECT_MAP_PTR		0xffff888000000000ULL
#define NONCANON_PTR		0x0000800000000000ULL


/* --- what is counted ------------------------------------------------- */

enum fuzz_op {
	FOP_VERSION, FOP_CREATE, FOP_DESTROY, FOP_DESTROY_WAIT, FOP_WAIT,
	FOP_SUSPEND, FOP_RESUME, FOP_STATUS, FOP_LIST, FOP_EVENT_FILTER,
	FOP_BADCMD, FOP_READ, FOP_POLL, FOP_OPEN, FOP_CLOSE, FOP_RMMOD,
	FOP_RMMOD_EXEC, NR_FOPS
};

static const char *const fop_names[NR_FOPS] = {
	"VERSION", "CREATE", "DESTROY", "DESTROY_WAIT", "WAIT", "SUSPEND",
	"RESUME", "STATUS", "LIST", "EVENT_FILTER", "unknown-cmd", "read",
	"poll", "open", "close", "delete_module", "exec-rmmod",
};

/* Relative weights of the operations. */
static const unsigned int fop_weight[NR_FOPS] = {
	[FOP_VERSION] = 30, [FOP_CREATE] = 170, [FOP_DESTROY] = 60,
	[FOP_DESTROY_WAIT] = 50, [FOP_WAIT] = 110, [FOP_SUSPEND] = 60,
	[FOP_RESUME] = 70, [FOP_STATUS] = 110, [FOP_LIST] = 70,
	[FOP_EVENT_FILTER] = 40, [FOP_BADCMD] = 20, [FOP_READ] = 80,
	[FOP_POLL] = 50, [FOP_OPEN] = 30, [FOP_CLOSE] = 30, [FOP_RMMOD] = 4,
	[FOP_RMMOD_EXEC] = 1,
};

#define NR_ERRNO		160	/* histogram columns: 0 is success */

/* --- the state all processes share ----------------------------------- */

struct live {
	int pid;
	unsigned int uid;	/* its owner: the creating process's euid */
	bool autoreap;
	bool hog;		/* uses a CPU for long: destroy it first */
	int exit_expect;	/* EXIT_NEVER: ends only when killed */
	char name[MINIPROC_NAME_LEN];
};

#define EXIT_NEVER		(-1000)

struct shared {
	/* Options, fixed before the workers start. */
	uint64_t seed;
	uint64_t ops_target;	/* 0: until the deadline */
	uint64_t deadline_ns;	/* 0: none */
	int threads, procs;
	int unpriv;		/* the last this many run as MP_NOBODY */
	int base;		/* largest pid at the start; ours are above */
	int pid_max;		/* the module's; pids wrap after it */
	int pid_margin;		/* pids the processes there may still take */
	unsigned int nproc;	/* slots in the table */
	int ncpus;
	bool root;
	int base_fd[BASE_FDS];

	atomic_uint_least64_t ops_claimed;
	atomic_uint_least64_t ops_done;
	atomic_uint_least64_t violations;
	atomic_uint_least64_t hist[NR_FOPS][NR_ERRNO + 2]; /* last: other */
	atomic_uint_least64_t op_ns[NR_FOPS];	/* time spent in each kind */
	atomic_uint_least64_t rmmod_refused;
	atomic_uint_least64_t rmmod_skipped;
	atomic_uint_least64_t reaped_early;	/* reaped before CREATE returned */
	atomic_uint_least64_t created, reaped;
	atomic_int stop;
	atomic_int lap_end;	/* stopped before the pids came round */

	pthread_mutex_t lock;	/* the model and the bitmaps */
	int max_pid;		/* largest pid CREATE returned */
	unsigned int nlive;
	struct live live[LIVE_MAX];

	pthread_mutex_t log_lock;
	unsigned int reports;
};

static struct shared *sh;

/* Who this fuzzing process is: root, or the unprivileged MP_NOBODY. */
#define MP_NOBODY		65534
static bool my_root;
static unsigned int my_uid;
/* Shared too: pids CREATE returned, pids reported reaped, pids WAIT reaped. */
static unsigned char *created_bits, *reaped_bits, *waited_bits;

/* One process's files that ops open and close; threads race on them. */
struct dyn_fd {
	atomic_int fd;		/* -1: free */
	atomic_uint gen;	/* bumped on every close */
};

static struct dyn_fd dyn_fds[DYN_FDS];

/* --- one thread ------------------------------------------------------ */

struct ctx {
	int proc, thread;
	uint64_t rng;
	uint64_t opno;
	unsigned char *arena;	/* ARENA_PAGES read-write, then a guard */
	unsigned char *guard;
	unsigned char *ro;	/* a read-only view of ... */
	unsigned char *ro_rw;	/* ... this page */
	timer_t timer;
	bool have_timer;
	enum fuzz_op op;	/* the call in progress, for reports */
	char what[160];		/* how its arguments were made */
};

/* --- helpers --------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* xorshift64*: each thread's own stream, seeded from the run's seed. */
static uint64_t rnd(struct ctx *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n); n > 0. */
static uint64_t rn(struct ctx *c, uint64_t n)
{
	return rnd(c) % n;
}

/* True with probability @pct percent. */
static bool chance(struct ctx *c, unsigned int pct)
{
	return rn(c, 100) < pct;
}

/* The ioctl's result, or -errno. */
static int sys_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static void count(enum fuzz_op op, int ret)
{
	int e = ret < 0 ? -ret : 0;

	if (e > NR_ERRNO)
		e = NR_ERRNO + 1;
	atomic_fetch_add(&sh->hist[op][e], 1);
}

static __attribute__((format(printf, 2, 3)))
void violation(struct ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	atomic_fetch_add(&sh->violations, 1);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&sh->log_lock);
	if (sh->reports++ < MAX_REPORTS) {
		if (c)
			printf("# VIOLATION proc %d thread %d op #%" PRIu64 " %s (%s): %s\n",
			       c->proc, c->thread, c->opno, fop_names[c->op],
			       c->what, msg);
		else
			printf("# VIOLATION after the run: %s\n", msg);
		fflush(stdout);
	}
	pthread_mutex_unlock(&sh->log_lock);
}

/* A set of allowed results: errnos, and 0 (success). */
struct allowed {
	int n;
	int v[12];
};

#define ALLOW(...)	((struct allowed){ \
	.n = sizeof((int[]){ __VA_ARGS__ }) / sizeof(int), .v = { __VA_ARGS__ } })

static bool allowed_has(const struct allowed *a, int ret)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (a->v[i] == ret)
			return true;
	return false;
}

static void allowed_add(struct allowed *a, int ret)
{
	if (!allowed_has(a, ret) && a->n < (int)ARRAY_SIZE(a->v))
		a->v[a->n++] = ret;
}

static const char *err_name(int ret)
{
	static __thread char buf[32];

	switch (-ret) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case EMLINK: return "EMLINK";
	case E2BIG: return "E2BIG";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENOENT: return "ENOENT";
	case EMFILE: return "EMFILE";
	}
	snprintf(buf, sizeof(buf), "%d", ret);
	return buf;
}

/* Check @ret against @a; a violation if it is not there. */
static bool expect(struct ctx *c, const struct allowed *a, int ret)
{
	char list[128] = "";
	int i;

	if (allowed_has(a, ret))
		return true;
	for (i = 0; i < a->n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? "," : "", err_name(a->v[i]));
	violation(c, "got %s, allowed {%s}", err_name(ret), list);
	return false;
}

#define CHECK(c, cond, ...) do { \
	if (!(cond)) \
		violation(c, __VA_ARGS__); \
} while (0)

static void note(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->what, sizeof(c->what), fmt, ap);
	va_end(ap);
}

static void notes(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append to the description of the call in progress. */
static void notes(struct ctx *c, const char *fmt, ...)
{
	size_t len = strlen(c->what);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->what + len, sizeof(c->what) - len, fmt, ap);
	va_end(ap);
}

/* --- interrupting blocking calls ------------------------------------- */

static void on_sigusr1(int sig)
{
	(void)sig;
}

/*
 * Arm this thread's timer: SIGUSR1 (no SA_RESTART) after @ms, and every
 * @ms after that until disarmed. Were it to fire once only, a thread that
 * is not scheduled between arm() and its blocking call for longer than @ms
 * (a debug kernel under load) would take the signal before the call and
 * then block for ever: a 100k run on the 6.1 debug kernel hung so.
 */
static void arm(struct ctx *c, unsigned int ms)
{
	struct itimerspec its = {
		.it_value = { ms / 1000, (ms % 1000) * NSEC_PER_MSEC },
		.it_interval = { ms / 1000, (ms % 1000) * NSEC_PER_MSEC },
	};

	if (c->have_timer)
		timer_settime(c->timer, 0, &its, NULL);
}

static void disarm(struct ctx *c)
{
	struct itimerspec its = { 0 };

	if (c->have_timer)
		timer_settime(c->timer, 0, &its, NULL);
}

/* --- the model ------------------------------------------------------- */

static bool bit_test_set(unsigned char *bits, int pid)
{
	unsigned long i = (unsigned long)(pid - sh->base);
	bool was;

	if (pid <= sh->base || i >= PID_BITS)
		return false;
	was = bits[i / 8] & (1u << (i % 8));
	bits[i / 8] |= 1u << (i % 8);
	return was;
}

static bool bit_test(const unsigned char *bits, int pid)
{
	unsigned long i = (unsigned long)(pid - sh->base);

	if (pid <= sh->base || i >= PID_BITS)
		return false;
	return bits[i / 8] & (1u << (i % 8));
}

static int live_find(int pid)
{
	unsigned int i;

	for (i = 0; i < sh->nlive; i++)
		if (sh->live[i].pid == pid)
			return i;
	return -1;
}

static void live_remove(int i)
{
	sh->live[i] = sh->live[--sh->nlive];
}

/* CREATE returned @pid for @l: it is ours, alive unless reaped already. */
static void model_created(struct ctx *c, const struct live *l)
{
	atomic_fetch_add(&sh->created, 1);
	pthread_mutex_lock(&sh->lock);
	if (l->pid > sh->max_pid)
		sh->max_pid = l->pid;
	if (bit_test_set(created_bits, l->pid))
		violation(c, "pid %d returned by CREATE twice", l->pid);
	if (bit_test(reaped_bits, l->pid)) {
		/* Another thread reaped it before CREATE returned here. */
		atomic_fetch_add(&sh->reaped_early, 1);
	} else if (sh->nlive < LIVE_MAX) {
		sh->live[sh->nlive++] = *l;
	} else {
		violation(c, "model full (%u live pids)", sh->nlive);
	}
	pthread_mutex_unlock(&sh->lock);
}

/*
 * How a reaped process ended: consistent in itself, whoever's it was, and
 * for a pid of the model (@l, else NULL) what its program allows.
 */
static void check_exit(struct ctx *c, int pid, const struct live *l,
		       const struct miniproc_exit_info *e)
{
	bool killed = e->flags & MINIPROC_EXIT_KILLED;

	CHECK(c, !(e->flags & ~MINIPROC_EXIT_KILLED),
	      "pid %d: exit flags %#x", pid, e->flags);
	CHECK(c, killed == (e->exit_status == MINIPROC_EXIT_STATUS_KILLED),
	      "pid %d: exit flags %#x with status %d", pid, e->flags,
	      e->exit_status);
	CHECK(c, killed || (e->exit_status >= 0 &&
			    e->exit_status <= MINIPROC_EXIT_MAX),
	      "pid %d: exit status %d", pid, e->exit_status);
	if (l && !killed)
		CHECK(c, e->exit_status == l->exit_expect,
		      "pid %d: exit status %d, its program ends with %d%s",
		      l->pid, e->exit_status, l->exit_expect,
		      l->exit_expect == EXIT_NEVER ? " (never)" : "");
}

/* Who reaped a process. */
enum reaper { BY_DESTROY, BY_WAIT, BY_WAIT_ANY };

/*
 * A call of ours reaped @pid, which ended as @e says: DESTROY with WAIT
 * (which may also reap an autoreap process, or report the end of one
 * another call reaped), or WAIT for it or for any of the caller's (which
 * only reaps the caller's own).
 */
static void model_reaped(struct ctx *c, int pid,
			 const struct miniproc_exit_info *e, enum reaper by)
{
	int i;

	atomic_fetch_add(&sh->reaped, 1);
	pthread_mutex_lock(&sh->lock);
	/*
	 * Several DESTROYs with WAIT of one process each report its end (one
	 * reaped it, the others were told), and so may one beside the WAIT
	 * that reaped it: only two WAITs reaping one pid is a double reap.
	 * Every report marks it reaped, for model_created().
	 */
	if (pid <= sh->base) {
		violation(c, "reaped pid %d, older than the run (base %d)",
			  pid, sh->base);
	} else {
		bit_test_set(reaped_bits, pid);
		if (by != BY_DESTROY && bit_test_set(waited_bits, pid))
			violation(c, "pid %d reaped twice", pid);
	}
	i = live_find(pid);
	check_exit(c, pid, i >= 0 ? &sh->live[i] : NULL, e);
	if (i >= 0) {
		if (by != BY_DESTROY && sh->live[i].autoreap)
			violation(c, "WAIT reaped pid %d, an autoreap process", pid);
		if (by == BY_WAIT_ANY && sh->live[i].uid != my_uid)
			violation(c, "WAIT for any of uid %u's reaped pid %d of uid %u",
				  my_uid, pid, sh->live[i].uid);
		live_remove(i);
	}
	pthread_mutex_unlock(&sh->lock);
}

/* A pid we just reaped names nothing any more: not within the run's lap. */
static void check_gone(struct ctx *c, int pid)
{
	struct miniproc_info info = { .size = sizeof(info), .pid = pid };
	int ret = sys_ioctl(sh->base_fd[0], MINIPROC_IOC_STATUS, &info);

	CHECK(c, ret == -ESRCH, "pid %d reaped, yet STATUS gives %s (state %u)",
	      pid, err_name(ret), info.state);
}

/* @pid is gone for good (-ESRCH): forget it, if it was an autoreap one. */
static void model_gone(int pid)
{
	int i;

	pthread_mutex_lock(&sh->lock);
	i = live_find(pid);
	if (i >= 0 && sh->live[i].autoreap)
		live_remove(i);
	pthread_mutex_unlock(&sh->lock);
}

/* --- choosing a pid -------------------------------------------------- */

enum pid_kind { PK_LIVE, PK_PAST, PK_ZERO, PK_NEG, PK_INIT, PK_HUGE };

struct target {
	enum pid_kind kind;
	int pid;
	bool known;		/* a live pid of the model ... */
	struct live l;		/* ... as it was when chosen */
};

/* Mostly a live pid of ours; else pids just past them, 0, <0, 1, huge. */
static void pick_pid(struct ctx *c, struct target *t, bool prefer_hog)
{
	uint64_t r = rn(c, 100), pick = rnd(c), past = rn(c, 4);
	static const int negs[] = { -1, -2, -100, INT_MIN };
	unsigned int i;

	memset(t, 0, sizeof(*t));
	if (r < 80) {
		t->kind = PK_LIVE;
	} else if (r < 88) {
		t->kind = PK_PAST;
	} else if (r < 91) {
		t->kind = PK_ZERO;
	} else if (r < 95) {
		t->kind = PK_NEG;
	} else if (r < 98) {
		t->kind = PK_INIT;
	} else {
		t->kind = PK_HUGE;
	}

	switch (t->kind) {
	case PK_LIVE:
		pthread_mutex_lock(&sh->lock);
		if (sh->nlive) {
			i = pick % sh->nlive;
			if (prefer_hog) {
				unsigned int j;

				for (j = 0; j < sh->nlive; j++)
					if (sh->live[(i + j) % sh->nlive].hog) {
						i = (i + j) % sh->nlive;
						break;
					}
			}
			t->l = sh->live[i];
			t->pid = t->l.pid;
			t->known = true;
		}
		pthread_mutex_unlock(&sh->lock);
		if (t->known)
			break;
		t->kind = PK_PAST;
		/* fall through */
	case PK_PAST:
		pthread_mutex_lock(&sh->lock);
		t->pid = (sh->max_pid > sh->base ? sh->max_pid : sh->base) + 1 + past;
		pthread_mutex_unlock(&sh->lock);
		break;
	case PK_ZERO:
		t->pid = 0;
		break;
	case PK_NEG:
		t->pid = negs[pick % ARRAY_SIZE(negs)];
		break;
	case PK_INIT:
		t->pid = MINIPROC_INIT_PID;
		break;
	case PK_HUGE:
		t->pid = INT_MAX;
		break;
	}
}

static const char *const pid_kind_names[] = {
	"live", "past", "zero", "negative", "init", "huge",
};

/* --- choosing a file ------------------------------------------------- */

struct fdpick {
	int fd;
	struct dyn_fd *dyn;	/* NULL: a base file, never closed */
	unsigned int gen;
	bool nonblock;
};

static void pick_fd(struct ctx *c, struct fdpick *f)
{
	uint64_t r = rn(c, 100);
	struct dyn_fd *d;

	memset(f, 0, sizeof(*f));
	if (r >= 70) {
		d = &dyn_fds[r % DYN_FDS];
		f->gen = atomic_load(&d->gen);
		f->fd = atomic_load(&d->fd);
		if (f->fd >= 0) {
			f->dyn = d;
			f->nonblock = fcntl(f->fd, F_GETFL) & O_NONBLOCK;
			return;
		}
	}
	f->fd = sh->base_fd[r % BASE_FDS];
	f->nonblock = r % BASE_FDS == 1;
}

static bool closed_meanwhile(struct fdpick *f)
{
	return f->dyn && atomic_load(&f->dyn->gen) != f->gen;
}

/*
 * expect() for a call on @f: a file another thread closed meanwhile may
 * fail it with -EBADF, or its number may name a newer file by now, blocking
 * or not.
 */
static bool fd_expect(struct ctx *c, struct fdpick *f, struct allowed *a,
		      int ret)
{
	if (closed_meanwhile(f)) {
		allowed_add(a, -EBADF);
		allowed_add(a, -EINTR);
		allowed_add(a, -EAGAIN);
	}
	return expect(c, a, ret);
}

/* --- building hostile arguments ---------------------------------------- */

/* How a struct argument is to be mangled: one change per call at most. */
enum mangle {
	MG_NONE,
	MG_SIZE_ZERO,		/* -EINVAL */
	MG_SIZE_SMALL,		/* below _SIZE_VER0: -EINVAL */
	MG_SIZE_VER0,		/* the oldest struct: fine */
	MG_SIZE_MINUS1,		/* one byte short: fine if >= VER0 */
	MG_SIZE_PLUS1,		/* one more byte, zero: fine */
	MG_SIZE_TAIL,		/* 8 more bytes, not zero: -E2BIG */
	MG_SIZE_PAGE,		/* a page, zero tail: fine */
	MG_SIZE_PAGE1,		/* past a page: -E2BIG */
	MG_SIZE_HUGE,		/* 0xffffffff: -E2BIG */
	MG_RESERVED,		/* a reserved field set: -EINVAL */
	MG_FLAGS,		/* an unknown flag: -EINVAL */
	MG_NULL,		/* pointers: -EFAULT */
	MG_UNMAPPED,
	MG_KERNEL,
	MG_NONCANON,
	MG_STRADDLE,		/* runs into an unmapped page */
	MG_RO,			/* read-only: -EFAULT if written */
	MG_CMD_SIZE,		/* other size bits in the command: fine */
	NR_MANGLES
};

static const char *const mangle_names[NR_MANGLES] = {
	"valid", "size=0", "size<ver0", "size=ver0", "size-1", "size+1",
	"size+8 tail", "size=page", "size>page", "size=huge", "reserved",
	"flags", "NULL", "unmapped", "kernel ptr", "non-canonical",
	"straddling", "read-only", "cmd size bits",
};

/* The layout of one argument struct, as the uapi gives it. */
struct layout {
	unsigned long cmd;
	size_t ksize, ver0;
	int flags_off;		/* -1: none checked on input */
	uint32_t flags_valid;
	int reserved0_off;	/* -1: none */
	int reserved_off;	/* reserved[2] */
};

static const struct layout lay_create = {
	MINIPROC_IOC_CREATE, sizeof(struct miniproc_create),
	MINIPROC_CREATE_SIZE_VER0, offsetof(struct miniproc_create, flags),
	MINIPROC_CREATE_FLAGS, offsetof(struct miniproc_create, reserved0),
	offsetof(struct miniproc_create, reserved),
};
static const struct layout lay_destroy = {
	MINIPROC_IOC_DESTROY, sizeof(struct miniproc_destroy),
	MINIPROC_DESTROY_SIZE_VER0, offsetof(struct miniproc_destroy, flags),
	MINIPROC_DESTROY_FLAGS, offsetof(struct miniproc_destroy, reserved0),
	offsetof(struct miniproc_destroy, reserved),
};
static const struct layout lay_wait = {
	MINIPROC_IOC_WAIT, sizeof(struct miniproc_wait),
	MINIPROC_WAIT_SIZE_VER0, offsetof(struct miniproc_wait, options),
	MINIPROC_WAIT_OPTIONS, offsetof(struct miniproc_wait, reserved0),
	offsetof(struct miniproc_wait, reserved),
};
static const struct layout lay_suspend = {
	MINIPROC_IOC_SUSPEND, sizeof(struct miniproc_ctl),
	MINIPROC_CTL_SIZE_VER0, offsetof(struct miniproc_ctl, flags), 0,
	offsetof(struct miniproc_ctl, reserved0),
	offsetof(struct miniproc_ctl, reserved),
};
static const struct layout lay_resume = {
	MINIPROC_IOC_RESUME, sizeof(struct miniproc_ctl),
	MINIPROC_CTL_SIZE_VER0, offsetof(struct miniproc_ctl, flags), 0,
	offsetof(struct miniproc_ctl, reserved0),
	offsetof(struct miniproc_ctl, reserved),
};
static const struct layout lay_status = {
	MINIPROC_IOC_STATUS, sizeof(struct miniproc_info),
	MINIPROC_INFO_SIZE_VER0, -1, 0,
	offsetof(struct miniproc_info, reserved0),
	offsetof(struct miniproc_info, reserved),
};
static const struct layout lay_list = {
	MINIPROC_IOC_LIST, sizeof(struct miniproc_list),
	MINIPROC_LIST_SIZE_VER0, -1, 0,
	offsetof(struct miniproc_list, reserved0),
	offsetof(struct miniproc_list, reserved),
};
static const struct layout lay_version = {
	MINIPROC_IOC_VERSION, sizeof(struct miniproc_version),
	MINIPROC_VERSION_SIZE_VER0, -1, 0, -1,
	offsetof(struct miniproc_version, reserved),
};
static const struct layout lay_filter = {
	MINIPROC_IOC_EVENT_FILTER, sizeof(struct miniproc_event_filter),
	MINIPROC_EVENT_FILTER_SIZE_VER0,
	offsetof(struct miniproc_event_filter, flags), 0, -1,
	offsetof(struct miniproc_event_filter, reserved),
};

/* One prepared call: where the struct is, with what size and command. */
struct arg {
	enum mangle mg;
	unsigned long cmd;
	uint32_t usize;		/* the size field */
	size_t span;		/* bytes the kernel may read: max(usize, ksize) */
	void *uptr;		/* what the ioctl gets */
	unsigned char *buf;	/* the struct, writable by us (arena) */
	bool in_arena;		/* the kernel's view is buf itself */
};

/* Bytes past the caller's struct, to find writes beyond it. */
#define CANARY		0xAA
#define CANARY_LEN	32

/* Pick a mangling: none 75% of the time. */
static enum mangle pick_mangle(struct ctx *c)
{
	if (chance(c, 75))
		return chance(c, 10) ? MG_CMD_SIZE : MG_NONE;
	return 1 + rn(c, NR_MANGLES - 1);
}

/*
 * Lay out @s (a filled struct of @l->ksize bytes) for the ioctl, applying
 * @mg. Sets what the result must be for the mangles whose answer does not
 * depend on the call: *fixed is true and *want the result then.
 */
static void place(struct ctx *c, const struct layout *l, const void *s,
		  enum mangle mg, struct arg *a, bool *fixed, int *want)
{
	unsigned char *buf = c->arena + ARENA_ARG;
	size_t k;

	memset(a, 0, sizeof(*a));
	a->mg = mg;
	a->cmd = l->cmd;
	a->usize = l->ksize;
	a->buf = buf;
	a->uptr = buf;
	a->in_arena = true;
	*fixed = false;
	*want = 0;

	memset(buf, 0, l->ksize + PAGE + 16);
	memcpy(buf, s, l->ksize);

	switch (mg) {
	case MG_NONE:
		break;
	case MG_SIZE_ZERO:
		a->usize = 0;
		*fixed = true;
		*want = -EINVAL;
		break;
	case MG_SIZE_SMALL:
		a->usize = rn(c, l->ver0);
		*fixed = true;
		*want = -EINVAL;
		break;
	case MG_SIZE_VER0:
		a->usize = l->ver0;
		break;
	case MG_SIZE_MINUS1:
		a->usize = l->ksize - 1;
		if (a->usize < l->ver0) {
			*fixed = true;
			*want = -EINVAL;
		}
		break;
	case MG_SIZE_PLUS1:
		a->usize = l->ksize + 1;
		break;
	case MG_SIZE_TAIL:
		a->usize = l->ksize + 8;
		buf[l->ksize + rn(c, 8)] = 1 + rn(c, 255);
		*fixed = true;
		*want = -E2BIG;
		break;
	case MG_SIZE_PAGE:
		a->usize = PAGE;
		break;
	case MG_SIZE_PAGE1:
		a->usize = PAGE + 1 + rn(c, 64);
		*fixed = true;
		*want = -E2BIG;
		break;
	case MG_SIZE_HUGE:
		a->usize = chance(c, 50) ? UINT32_MAX : 0x80000000u + rn(c, 1000);
		*fixed = true;
		*want = -E2BIG;
		break;
	case MG_RESERVED:
		if (l->reserved0_off >= 0 && chance(c, 40))
			*(uint32_t *)(buf + l->reserved0_off) = 1u << rn(c, 32);
		else
			((uint64_t *)(buf + l->reserved_off))[rn(c, 2)] =
				1ULL << rn(c, 64);
		*fixed = true;
		*want = -EINVAL;
		break;
	case MG_FLAGS:
		if (l->flags_off >= 0) {
			uint32_t bad = ~l->flags_valid;
			uint32_t bit;

			do {
				bit = 1u << rn(c, 32);
			} while (!(bit & bad));
			*(uint32_t *)(buf + l->flags_off) |= bit;
		} else {
			/* No flags to set: a reserved field then. */
			((uint64_t *)(buf + l->reserved_off))[rn(c, 2)] = 1;
		}
		*fixed = true;
		*want = -EINVAL;
		break;
	case MG_NULL:
		a->uptr = NULL;
		a->in_arena = false;
		*fixed = true;
		*want = -EFAULT;
		break;
	case MG_UNMAPPED:
		a->uptr = c->guard + rn(c, PAGE - 64);
		a->in_arena = false;
		*fixed = true;
		*want = -EFAULT;
		break;
	case MG_KERNEL:
		a->uptr = (void *)(uintptr_t)(chance(c, 50) ? KERNEL_PTR :
					      DIRECT_MAP_PTR);
		a->in_arena = false;
		*fixed = true;
		*want = -EFAULT;
		break;
	case MG_NONCANON:
		a->uptr = (void *)(uintptr_t)(chance(c, 50) ? NONCANON_PTR :
					      (uint64_t)-8);
		a->in_arena = false;
		*fixed = true;
		*want = -EFAULT;
		break;
	case MG_STRADDLE:
		/* The struct's first k bytes are mapped, the rest is not. */
		k = 1 + rn(c, l->ksize - 1);
		a->buf = c->guard - k;
		memcpy(a->buf, s, k);
		if (k >= sizeof(uint32_t))
			*(uint32_t *)a->buf = l->ksize;
		a->uptr = a->buf;
		a->in_arena = false;
		*fixed = true;
		*want = -EFAULT;
		break;
	case MG_RO:
		memset(c->ro_rw, 0, PAGE);
		memcpy(c->ro_rw, s, l->ksize);
		a->buf = c->ro_rw;
		a->uptr = c->ro;
		a->in_arena = false;
		break;
	case MG_CMD_SIZE:
		a->cmd = (l->cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
			 ((unsigned long)rn(c, _IOC_SIZEMASK + 1) << _IOC_SIZESHIFT);
		break;
	case NR_MANGLES:
		break;
	}
	if (a->buf == buf || a->buf == c->ro_rw) {
		*(uint32_t *)a->buf = a->usize;
		a->span = a->usize > l->ksize ? a->usize : l->ksize;
		/* Past a short struct (not over its size field). */
		if (a->in_arena && a->usize < l->ksize && a->usize >= sizeof(uint32_t))
			memset(buf + a->usize, CANARY, l->ksize - a->usize);
		if (a->in_arena && a->span <= PAGE)
			memset(buf + a->span, CANARY, CANARY_LEN);
	}
	notes(c, " arg %s size %u", mangle_names[mg], a->usize);
}

/*
 * After a successful call: the kernel wrote nothing past the caller's
 * struct (or past its own struct's size, if the caller's is bigger).
 */
static void check_canary(struct ctx *c, const struct layout *l,
			 const struct arg *a)
{
	size_t i, from, to;

	if (!a->in_arena)
		return;
	from = a->usize < l->ksize ? a->usize : l->ksize;
	to = a->usize < l->ksize ? l->ksize : a->span;
	for (i = from; i < to; i++) {
		unsigned char want = a->usize < l->ksize ? CANARY : 0;

		if (a->buf[i] != want) {
			violation(c, "byte %zu of a %u-byte struct is %#x, not %#x",
				  i, a->usize, a->buf[i], want);
			return;
		}
	}
	if (a->span > PAGE)
		return;
	for (i = a->span; i < a->span + CANARY_LEN; i++)
		if (a->buf[i] != CANARY) {
			violation(c, "byte %zu past a %u-byte struct was written",
				  i, a->usize);
			return;
		}
}

/* Which fields of the kernel's answer the caller's size covers. */
static bool covers(const struct arg *a, size_t off, size_t len)
{
	return a->usize >= off + len;
}

/* --- programs -------------------------------------------------------- */

struct progbuf {
	struct miniproc_op ops[MINIPROC_PROG_MAX_OPS + 8];
	uint32_t len;
	int exit_expect;	/* for a valid program */
	bool valid;
	bool hog;
	const char *kind;
};

static void emit(struct progbuf *p, uint32_t code, uint64_t arg)
{
	if (p->len < ARRAY_SIZE(p->ops))
		p->ops[p->len++] = (struct miniproc_op){ .code = code, .arg = arg };
}

/*
 * How many times slower than a Debian kernel this one is (MINIPROC_SLOWDOWN,
 * 4 on a KASAN kernel, see tools/vm/init). The sleeps of the programs that
 * never end are that much longer there: each wakeup costs that much more,
 * and dozens of processes waking every millisecond or so would otherwise
 * take all of the VM's CPU time from the fuzzing threads.
 */
static unsigned int slowdown = 1;

/* A short op that ends by itself: cpu, sleep, io, poll or yield. */
static void emit_short(struct ctx *c, struct progbuf *p)
{
	switch (rn(c, 5)) {
	case 0:
		emit(p, MINIPROC_OP_CPU, 10000 + rn(c, 500000));
		break;
	case 1:
		emit(p, MINIPROC_OP_SLEEP, 100000 + rn(c, 20 * NSEC_PER_MSEC));
		break;
	case 2:
		emit(p, MINIPROC_OP_IO, 100000 + rn(c, 20 * NSEC_PER_MSEC));
		break;
	case 3:
		emit(p, MINIPROC_OP_POLL, 10000 + rn(c, 500000));
		break;
	default:
		emit(p, MINIPROC_OP_YIELD, 0);
		break;
	}
}

/*
 * The exit status of a valid program: the first exit op the process itself
 * reaches (fork groups are its children's), 0 if it runs off its end,
 * EXIT_NEVER if it is caught in a forever loop first.
 */
static int prog_exit_status(const struct progbuf *p)
{
	bool is_fork[MINIPROC_LOOP_MAX_DEPTH + 1], forever[MINIPROC_LOOP_MAX_DEPTH + 1];
	int depth = 0, forks = 0;
	uint32_t i;

	for (i = 0; i < p->len; i++) {
		const struct miniproc_op *op = &p->ops[i];

		switch (op->code) {
		case MINIPROC_OP_LOOP:
		case MINIPROC_OP_FORK:
			is_fork[depth] = op->code == MINIPROC_OP_FORK;
			forever[depth] = op->code == MINIPROC_OP_LOOP && !op->arg;
			forks += is_fork[depth];
			depth++;
			break;
		case MINIPROC_OP_END:
			depth--;
			forks -= is_fork[depth];
			if (forever[depth] && !forks)
				return EXIT_NEVER;
			break;
		case MINIPROC_OP_EXIT:
			if (!forks)
				return op->arg;
			break;
		}
	}
	return 0;
}

/* A valid program: mostly short and finite, some forever, some at limits. */
static void gen_valid(struct ctx *c, struct progbuf *p)
{
	uint64_t r = rn(c, 100);
	unsigned int i, n;

	p->valid = true;
	if (r < 50) {
		p->kind = "short";
		n = 1 + rn(c, 4);
		for (i = 0; i < n; i++)
			emit_short(c, p);
		if (chance(c, 30)) {
			emit(p, MINIPROC_OP_LOOP, 1 + rn(c, 4));
			emit_short(c, p);
			emit(p, MINIPROC_OP_END, 0);
		}
		if (chance(c, 70))
			emit(p, MINIPROC_OP_EXIT, rn(c, 256));
	} else if (r < 65) {
		p->kind = "family";
		emit(p, MINIPROC_OP_FORK, 0);
		emit_short(c, p);
		emit(p, MINIPROC_OP_EXIT, rn(c, 256));
		emit(p, MINIPROC_OP_END, 0);
		if (chance(c, 50)) {
			emit(p, MINIPROC_OP_FORK, 0);
			emit(p, MINIPROC_OP_SLEEP, 1 + rn(c, 5 * NSEC_PER_MSEC));
			emit(p, MINIPROC_OP_END, 0);
		}
		if (chance(c, 70))
			emit(p, MINIPROC_OP_WAIT, 0);
		emit(p, MINIPROC_OP_EXIT, rn(c, 256));
	} else if (r < 80) {
		p->kind = "forever";
		emit(p, MINIPROC_OP_LOOP, 0);
		emit(p, MINIPROC_OP_SLEEP,
		     slowdown * (1000000 + rn(c, 10 * NSEC_PER_MSEC)));
		if (chance(c, 30))
			emit(p, MINIPROC_OP_YIELD, 0);
		emit(p, MINIPROC_OP_END, 0);
	} else if (r < 84) {
		p->kind = "exit 0";
		emit(p, MINIPROC_OP_EXIT, 0);
	} else if (r < 88) {
		p->kind = "exit 255";
		emit(p, MINIPROC_OP_EXIT, MINIPROC_EXIT_MAX);
	} else if (r < 91) {
		/* The longest program: a loop of yields, then an exit. */
		p->kind = "max length";
		emit(p, MINIPROC_OP_LOOP, 1 + rn(c, 3));
		while (p->len < MINIPROC_PROG_MAX_OPS - 2)
			emit(p, MINIPROC_OP_YIELD, 0);
		emit(p, MINIPROC_OP_END, 0);
		emit(p, MINIPROC_OP_EXIT, rn(c, 256));
	} else if (r < 94) {
		p->kind = "max depth";
		for (i = 0; i < MINIPROC_LOOP_MAX_DEPTH; i++)
			emit(p, MINIPROC_OP_LOOP, 1 + rn(c, 2));
		emit(p, MINIPROC_OP_SLEEP, 1 + rn(c, NSEC_PER_MSEC));
		for (i = 0; i < MINIPROC_LOOP_MAX_DEPTH; i++)
			emit(p, MINIPROC_OP_END, 0);
	} else if (r < 96) {
		p->kind = "max fork depth";
		for (i = 0; i < MINIPROC_FORK_MAX_DEPTH; i++)
			emit(p, MINIPROC_OP_FORK, 0);
		emit(p, MINIPROC_OP_SLEEP, 1 + rn(c, NSEC_PER_MSEC));
		for (i = 0; i < MINIPROC_FORK_MAX_DEPTH; i++) {
			emit(p, MINIPROC_OP_END, 0);
			emit(p, MINIPROC_OP_WAIT, 0);
		}
	} else if (r < 98) {
		p->kind = "max loop count";
		emit(p, MINIPROC_OP_LOOP, MINIPROC_LOOP_MAX_COUNT);
		emit(p, MINIPROC_OP_SLEEP, slowdown * NSEC_PER_MSEC);
		emit(p, MINIPROC_OP_END, 0);
		emit(p, MINIPROC_OP_EXIT, rn(c, 256));
	} else if (r < 99) {
		p->kind = "max duration";
		emit(p, MINIPROC_OP_SLEEP, MINIPROC_DURATION_MAX_NS);
	} else {
		/* An hour of CPU: destroyed before long, it is a hog. */
		p->kind = "max cpu";
		emit(p, MINIPROC_OP_CPU, MINIPROC_DURATION_MAX_NS);
		p->hog = true;
	}
	p->exit_expect = prog_exit_status(p);
}

/* An invalid program, each one wrong in one way: -EINVAL. */
static void gen_invalid(struct ctx *c, struct progbuf *p)
{
	unsigned int i;

	p->valid = false;
	switch (rn(c, 20)) {
	case 0:
		p->kind = "too long";
		while (p->len < MINIPROC_PROG_MAX_OPS + 1)
			emit(p, MINIPROC_OP_YIELD, 0);
		break;
	case 1:
		p->kind = "too deep";
		for (i = 0; i <= MINIPROC_LOOP_MAX_DEPTH; i++)
			emit(p, MINIPROC_OP_LOOP, 1);
		emit(p, MINIPROC_OP_YIELD, 0);
		for (i = 0; i <= MINIPROC_LOOP_MAX_DEPTH; i++)
			emit(p, MINIPROC_OP_END, 0);
		break;
	case 2:
		p->kind = "forks too deep";
		for (i = 0; i <= MINIPROC_FORK_MAX_DEPTH; i++)
			emit(p, MINIPROC_OP_FORK, 0);
		emit(p, MINIPROC_OP_YIELD, 0);
		for (i = 0; i <= MINIPROC_FORK_MAX_DEPTH; i++)
			emit(p, MINIPROC_OP_END, 0);
		break;
	case 3:
		p->kind = "loop count";
		emit(p, MINIPROC_OP_LOOP, MINIPROC_LOOP_MAX_COUNT + 1 + rn(c, 1000));
		emit(p, MINIPROC_OP_YIELD, 0);
		emit(p, MINIPROC_OP_END, 0);
		break;
	case 4:
		p->kind = "exit status";
		emit(p, MINIPROC_OP_EXIT, chance(c, 50) ? MINIPROC_EXIT_MAX + 1 :
			  (uint64_t)-1);
		break;
	case 5:
		p->kind = "zero duration";
		emit(p, (uint32_t[]){ MINIPROC_OP_CPU, MINIPROC_OP_SLEEP, MINIPROC_OP_IO,
				      MINIPROC_OP_POLL }[rn(c, 4)], 0);
		break;
	case 6:
		p->kind = "duration";
		emit(p, (uint32_t[]){ MINIPROC_OP_CPU, MINIPROC_OP_SLEEP, MINIPROC_OP_IO,
				      MINIPROC_OP_POLL }[rn(c, 4)],
		     MINIPROC_DURATION_MAX_NS + 1 + rn(c, 1000));
		break;
	case 7:
		p->kind = "op arg";
		emit(p, (uint32_t[]){ MINIPROC_OP_YIELD, MINIPROC_OP_WAIT,
				      MINIPROC_OP_END }[rn(c, 3)], 1 + rn(c, 100));
		if (p->ops[0].code == MINIPROC_OP_END) {
			p->ops[0].code = MINIPROC_OP_LOOP;
			p->ops[0].arg = 1;
			emit(p, MINIPROC_OP_YIELD, 0);
			emit(p, MINIPROC_OP_END, 1 + rn(c, 100));
		}
		break;
	case 8:
		p->kind = "fork arg";
		emit(p, MINIPROC_OP_FORK, 1 + rn(c, 100));
		emit(p, MINIPROC_OP_YIELD, 0);
		emit(p, MINIPROC_OP_END, 0);
		break;
	case 9:
		p->kind = "op 0";
		emit(p, 0, 0);
		break;
	case 10:
		p->kind = "unknown op";
		emit(p, chance(c, 50) ? MINIPROC_OP_MAX + 1 + rn(c, 100) :
			  UINT32_MAX - rn(c, 4), 0);
		break;
	case 11:
		p->kind = "op reserved";
		emit_short(c, p);
		p->ops[0].reserved = 1u << rn(c, 32);
		break;
	case 12:
		p->kind = "empty loop";
		emit(p, MINIPROC_OP_LOOP, 1 + rn(c, 5));
		emit(p, MINIPROC_OP_END, 0);
		break;
	case 13:
		p->kind = "empty fork";
		emit(p, MINIPROC_OP_FORK, 0);
		emit(p, MINIPROC_OP_END, 0);
		break;
	case 14:
		p->kind = "stray end";
		emit_short(c, p);
		emit(p, MINIPROC_OP_END, 0);
		break;
	case 15:
		p->kind = "unclosed";
		emit(p, chance(c, 50) ? MINIPROC_OP_LOOP : MINIPROC_OP_FORK, 0);
		emit_short(c, p);
		break;
	case 16:
		p->kind = "empty";
		break;
	case 17:
		/* A valid program, then a bad op at its end. */
		p->kind = "bad last op";
		emit_short(c, p);
		emit(p, MINIPROC_OP_EXIT, 0);
		emit(p, 0, rnd(c));
		break;
	case 18:
		p->kind = "zeroed";
		p->len = 1 + rn(c, 8);
		memset(p->ops, 0, sizeof(p->ops));
		break;
	default:
		p->kind = "bad yield";
		emit(p, MINIPROC_OP_YIELD, 1ULL << rn(c, 64));
		break;
	}
}

/* --- the operations -------------------------------------------------- */

/*
 * Call @cmd on @f with @a; for a blocking call, arm the timer first so
 * that a process that never ends cannot hold the thread.
 */
static int call(struct ctx *c, struct fdpick *f, struct arg *a, int block_ms)
{
	int ret;

	if (block_ms)
		arm(c, block_ms);
	ret = sys_ioctl(f->fd, a->cmd, a->uptr);
	if (block_ms)
		disarm(c);
	return ret;
}

static void check_info(struct ctx *c, const struct miniproc_info *i,
		       size_t size)
{
	bool zombie = i->state == MINIPROC_ZOMBIE;

	CHECK(c, i->state >= MINIPROC_EMBRYO && i->state <= MINIPROC_ZOMBIE,
	      "pid %d: state %u", i->pid, i->state);
	CHECK(c, memchr(i->name, 0, sizeof(i->name)) && i->name[0],
	      "pid %d: name not terminated or empty", i->pid);
	CHECK(c, memchr(i->chan, 0, sizeof(i->chan)),
	      "pid %d: chan not terminated", i->pid);
	CHECK(c, !i->reserved0, "pid %d: reserved0 %#x", i->pid, i->reserved0);
	CHECK(c, !(i->flags & ~0x1fu), "pid %d: flags %#x", i->pid, i->flags);
	CHECK(c, zombie == !!(i->flags & MINIPROC_INFO_EXITED),
	      "pid %d: state %u with flags %#x", i->pid, i->state, i->flags);
	CHECK(c, !zombie || (i->tid == 0 && !i->chan[0]),
	      "pid %d: zombie with tid %d, chan '%s'", i->pid, i->tid, i->chan);
	CHECK(c, !zombie || !(i->flags & MINIPROC_INFO_AUTOREAP),
	      "pid %d: autoreap process seen as a zombie", i->pid);
	CHECK(c, !zombie || (i->flags & MINIPROC_INFO_KILLED ?
			     i->exit_status == MINIPROC_EXIT_STATUS_KILLED :
			     i->exit_status >= 0 &&
			     i->exit_status <= MINIPROC_EXIT_MAX),
	      "pid %d: flags %#x, exit status %d", i->pid, i->flags,
	      i->exit_status);
	CHECK(c, zombie || !i->exit_status, "pid %d: %u with exit status %d",
	      i->pid, i->state, i->exit_status);
	CHECK(c, !(i->flags & MINIPROC_INFO_SUSPENDED) ||
		 (i->state == MINIPROC_SLEEPING && !strcmp(i->chan, "suspended")),
	      "pid %d: suspended, but state %u on '%s'", i->pid, i->state, i->chan);
	CHECK(c, !i->chan[0] || i->state == MINIPROC_SLEEPING,
	      "pid %d: state %u on '%s'", i->pid, i->state, i->chan);
	CHECK(c, i->state != MINIPROC_SLEEPING || i->chan[0],
	      "pid %d: sleeping on no wait channel", i->pid);
	CHECK(c, i->state != MINIPROC_RUNNING || i->cpu >= 0,
	      "pid %d: running on cpu %d", i->pid, i->cpu);
	CHECK(c, i->cpu >= -1 && i->cpu < 4096, "pid %d: cpu %d", i->pid, i->cpu);
	if (size >= sizeof(*i))
		CHECK(c, !i->reserved[0] && !i->reserved[1],
		      "pid %d: reserved not zero", i->pid);
	if (size >= MINIPROC_INFO_SIZE_VER1)
		CHECK(c, i->fork_error >= 0 && i->fork_error < 4096,
		      "pid %d: fork_error %d", i->pid, i->fork_error);
}

/* STATUS of a model pid: what the model knows must be what it says. */
static void check_known(struct ctx *c, const struct live *l,
			const struct miniproc_info *i)
{
	CHECK(c, i->pid == l->pid, "asked pid %d, got %d", l->pid, i->pid);
	CHECK(c, i->uid == l->uid, "pid %d: uid %u, created by uid %u", l->pid,
	      i->uid, l->uid);
	CHECK(c, i->ppid == 0, "pid %d: ppid %d, created by a user", l->pid,
	      i->ppid);
	CHECK(c, !strncmp(i->name, l->name, MINIPROC_NAME_LEN),
	      "pid %d: name '%.16s', created as '%.16s'", l->pid, i->name,
	      l->name);
	CHECK(c, !!(i->flags & MINIPROC_INFO_AUTOREAP) == l->autoreap,
	      "pid %d: flags %#x, autoreap %d", l->pid, i->flags, l->autoreap);
	if (i->state == MINIPROC_ZOMBIE && !(i->flags & MINIPROC_INFO_KILLED))
		CHECK(c, i->exit_status == l->exit_expect,
		      "pid %d: zombie with status %d, its program ends with %d",
		      l->pid, i->exit_status, l->exit_expect);
}

static void random_name(struct ctx *c, char *name, bool *valid)
{
	static const char chars[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/!~";
	unsigned int i, len = rn(c, MINIPROC_NAME_LEN);

	memset(name, 0, MINIPROC_NAME_LEN);
	for (i = 0; i < len; i++)
		name[i] = chars[rn(c, sizeof(chars) - 1)];
	*valid = true;
	if (!chance(c, 6))
		return;
	*valid = false;
	if (!len)
		len = 1 + rn(c, MINIPROC_NAME_LEN - 1);
	for (i = 0; i < len; i++)
		name[i] = chars[rn(c, sizeof(chars) - 1)];
	i = rn(c, len);		/* a bad character before the NUL */
	switch (rn(c, 4)) {
	case 0:	/* no NUL at all */
		for (i = 0; i < MINIPROC_NAME_LEN; i++)
			name[i] = chars[rn(c, sizeof(chars) - 1)];
		break;
	case 1:
		name[i] = ' ';
		break;
	case 2:
		name[i] = 0x80 + rn(c, 128);
		break;
	default:
		name[i] = chance(c, 10) ? 0x7f : 1 + rn(c, 31);
		break;
	}
}

static void op_create(struct ctx *c, struct fdpick *f)
{
	struct miniproc_create cr = { .size = sizeof(cr) };
	struct progbuf *p = calloc(1, sizeof(*p));
	struct allowed ok;
	enum mangle mg = pick_mangle(c);
	bool fixed, name_ok, prog_ok = true, efault_prog = false;
	struct live l = { 0 };
	struct arg a;
	int want, ret, cpu_case = rn(c, 100);
	uint64_t where = rn(c, 100);
	unsigned char *prog_at = c->arena + ARENA_PROG;

	if (!p)
		return;
	random_name(c, cr.name, &name_ok);
	if (chance(c, 92))
		gen_valid(c, p);
	else
		gen_invalid(c, p);
	if (chance(c, 25))
		cr.flags |= MINIPROC_CREATE_AUTOREAP;
	/* Stopped before its first op until a RESUME, a DESTROY or the end. */
	if (chance(c, 5))
		cr.flags |= MINIPROC_CREATE_SUSPENDED;
	if (cpu_case < 10) {
		cr.flags |= MINIPROC_CREATE_PIN;
		cr.cpu = rn(c, sh->ncpus);
	}
	note(c, "prog %s len %u%s flags %#x cpu %d name %s", p->kind, p->len,
	     p->valid ? "" : " (invalid)", cr.flags, cr.cpu,
	     name_ok ? "ok" : "bad");

	/* One thing at most is wrong: the struct, the name, the cpu or the program. */
	if (mg != MG_NONE && mg != MG_CMD_SIZE && mg != MG_RO &&
	    mg != MG_SIZE_VER0 && mg != MG_SIZE_PLUS1 && mg != MG_SIZE_PAGE &&
	    mg != MG_SIZE_MINUS1) {
		/* A hostile struct: keep the rest valid. */
		name_ok = true;
		memset(cr.name, 0, sizeof(cr.name));
		memcpy(cr.name, "fz", 2);
		if (!p->valid) {
			memset(p, 0, sizeof(*p));
			gen_valid(c, p);
		}
	} else if (!name_ok || !p->valid) {
		/* already wrong once */
	} else if (cpu_case >= 97) {
		/* A bad cpu: out of range when pinned, or set when not. */
		prog_ok = false;
		if (chance(c, 50)) {
			cr.flags |= MINIPROC_CREATE_PIN;
			cr.cpu = (int[]){ -1, sh->ncpus, 4096, INT_MAX,
					  INT_MIN }[rn(c, 5)];
		} else {
			cr.flags &= ~MINIPROC_CREATE_PIN;
			cr.cpu = 1 + rn(c, 64);
		}
		notes(c, " bad cpu %d", cr.cpu);
	} else if (where < 6) {
		/* The program where it cannot be read: -EFAULT. */
		efault_prog = true;
		switch (rn(c, 4)) {
		case 0:
			cr.prog = 0;
			break;
		case 1:
			cr.prog = (uintptr_t)c->guard;
			break;
		case 2:
			cr.prog = KERNEL_PTR;
			break;
		default:
			/* Its last op runs into the guard page. */
			cr.prog = (uintptr_t)(c->guard -
					      (p->len * sizeof(p->ops[0]) - 1 - rn(c, 15)));
			memcpy((void *)(uintptr_t)(cr.prog), p->ops,
			       (uintptr_t)c->guard - cr.prog);
			break;
		}
		notes(c, " prog at %#llx", (unsigned long long)cr.prog);
	}
	if (!cr.prog && !efault_prog) {
		memcpy(prog_at, p->ops, p->len * sizeof(p->ops[0]));
		cr.prog = (uintptr_t)prog_at;
	}
	cr.prog_len = p->len;

	place(c, &lay_create, &cr, mg, &a, &fixed, &want);
	if (fixed)
		ok = ALLOW(want);
	else if (!name_ok || !p->valid || !prog_ok)
		ok = ALLOW(-EINVAL);
	else if (efault_prog)
		ok = ALLOW(-EFAULT);
	else if (mg == MG_RO)
		ok = ALLOW(-EFAULT, -EAGAIN);
	else
		ok = ALLOW(0, -EAGAIN);
	ret = call(c, f, &a, 0);
	count(FOP_CREATE, ret > 0 ? 0 : ret);
	if (ret > 0) {
		fd_expect(c, f, &ok, 0);
		/* The pid comes back twice: as the result and in @pid. */
		CHECK(c, ((struct miniproc_create *)a.buf)->pid == ret,
		      "returned pid %d, struct says %d", ret,
		      ((struct miniproc_create *)a.buf)->pid);
		CHECK(c, ret > sh->base && ret <= sh->pid_max,
		      "new pid %d not above %d and at most pid_max %d", ret,
		      sh->base, sh->pid_max);
		l.pid = ret;
		l.uid = my_uid;
		l.autoreap = cr.flags & MINIPROC_CREATE_AUTOREAP;
		l.hog = p->hog;
		l.exit_expect = p->exit_expect;
		if (cr.name[0])
			memcpy(l.name, cr.name, sizeof(l.name));
		else
			strcpy(l.name, "miniproc");
		model_created(c, &l);
		check_canary(c, &lay_create, &a);
	} else {
		fd_expect(c, f, &ok, ret);
	}
	free(p);
}

/* How long a blocking call may block before the timer interrupts it. */
static unsigned int block_ms(struct ctx *c)
{
	return 5 + rn(c, 56);
}

/*
 * Is @t, as far as the caller can know, another user's that it may not
 * control? 1 yes, 0 no, -1 perhaps (a pid the model does not know).
 */
static int foreign(const struct target *t)
{
	if (my_root)
		return 0;
	if (!t->known)
		return -1;
	return t->l.uid != my_uid;
}

/*
 * Add what a pid of @t's kind may answer for a call acting on it; @control:
 * the call needs the right to control it (all but STATUS).
 */
static void allow_for_pid(const struct target *t, struct allowed *ok,
			  bool may_act_on_init, bool control)
{
	switch (t->kind) {
	case PK_LIVE:
	case PK_PAST:
		if (control && foreign(t))
			allowed_add(ok, -EPERM);
		if (!control || foreign(t) != 1)
			allowed_add(ok, 0);
		allowed_add(ok, -ESRCH);
		break;
	case PK_INIT:
		allowed_add(ok, may_act_on_init ? 0 : -EPERM);
		break;
	default:
		allowed_add(ok, -ESRCH);
		break;
	}
}

static void op_destroy(struct ctx *c, struct fdpick *f, bool wait)
{
	struct miniproc_destroy d = { .size = sizeof(d) };
	struct miniproc_destroy *out;
	struct allowed ok = { 0 };
	struct target t;
	bool fixed;
	struct arg a;
	int want, ret;

	pick_pid(c, &t, chance(c, 50));
	d.pid = t.pid;
	d.flags = wait ? MINIPROC_DESTROY_WAIT : 0;
	note(c, "pid %d (%s)", d.pid, pid_kind_names[t.kind]);
	place(c, &lay_destroy, &d, pick_mangle(c), &a, &fixed, &want);
	if (fixed) {
		ok = ALLOW(want);
	} else if (wait && a.mg == MG_RO) {
		ok = ALLOW(-EFAULT);
	} else {
		allow_for_pid(&t, &ok, false, true);
		if (wait && allowed_has(&ok, 0))
			allowed_add(&ok, -EINTR);
	}
	ret = call(c, f, &a, wait ? block_ms(c) : 0);
	count(wait ? FOP_DESTROY_WAIT : FOP_DESTROY, ret);
	fd_expect(c, f, &ok, ret);
	if (ret == -ESRCH && t.known)
		model_gone(t.pid);
	if (ret)
		return;
	check_canary(c, &lay_destroy, &a);
	if (!wait || !a.in_arena)
		return;
	out = (struct miniproc_destroy *)a.buf;
	CHECK(c, out->pid == t.pid, "pid %d came back as %d", t.pid, out->pid);
	model_reaped(c, t.pid, &out->exit, BY_DESTROY);
	check_gone(c, t.pid);
}

static void op_wait(struct ctx *c, struct fdpick *f)
{
	struct miniproc_wait w = { .size = sizeof(w) };
	struct miniproc_wait *out;
	struct allowed ok = { 0 };
	bool fixed, any, nohang, autoreap;
	struct target t;
	struct arg a;
	int want, ret;
	uint64_t r = rn(c, 100);

	pick_pid(c, &t, false);
	if (chance(c, 35)) {
		t.kind = PK_LIVE;	/* acts like one: anything of ours */
		t.pid = MINIPROC_WAIT_ANY;
		t.known = false;
	}
	any = t.pid == MINIPROC_WAIT_ANY;
	w.pid = t.pid;
	nohang = chance(c, 40);
	if (nohang)
		w.options |= MINIPROC_WNOHANG;
	if (r < 40)
		w.timeout_ns = 0;
	else if (r < 95)
		w.timeout_ns = 1 + rn(c, 30 * NSEC_PER_MSEC);
	else
		w.timeout_ns = UINT64_MAX - rn(c, 2);
	autoreap = t.known && t.l.autoreap;
	note(c, "pid %d (%s%s) options %#x timeout %" PRIu64, w.pid,
	     any ? "any" : pid_kind_names[t.kind], autoreap ? ", autoreap" : "",
	     w.options, (uint64_t)w.timeout_ns);
	place(c, &lay_wait, &w, pick_mangle(c), &a, &fixed, &want);

	if (fixed) {
		ok = ALLOW(want);
	} else if (a.mg == MG_RO) {
		ok = ALLOW(-EFAULT);
	} else if (!any && w.pid <= 0) {
		ok = ALLOW(-EINVAL);
	} else if (t.kind == PK_INIT) {
		ok = my_root ? ALLOW(-ECHILD) : ALLOW(-EPERM);
	} else if (t.kind == PK_HUGE) {
		ok = ALLOW(-ESRCH);
	} else {
		if (any)
			ok = ALLOW(0, -ECHILD);
		else if (foreign(&t) == 1)
			ok = ALLOW(-EPERM, -ESRCH);
		else if (autoreap)
			ok = ALLOW(-ECHILD, -ESRCH);
		else if (t.known)
			ok = ALLOW(0, -ESRCH);
		else if (foreign(&t))
			ok = ALLOW(0, -ESRCH, -ECHILD, -EPERM);
		else
			ok = ALLOW(0, -ESRCH, -ECHILD);
		if (!nohang && allowed_has(&ok, 0)) {
			allowed_add(&ok, -EINTR);
			if (w.timeout_ns)
				allowed_add(&ok, -ETIMEDOUT);
		}
	}
	ret = call(c, f, &a, nohang ? 0 : block_ms(c));
	count(FOP_WAIT, ret);
	fd_expect(c, f, &ok, ret);
	if (ret == -ESRCH && t.known)
		model_gone(t.pid);
	if (ret || !a.in_arena)
		return;
	check_canary(c, &lay_wait, &a);
	out = (struct miniproc_wait *)a.buf;
	if (!out->pid) {
		static const struct miniproc_exit_info none;

		CHECK(c, nohang, "reaped nothing, without WNOHANG");
		CHECK(c, !memcmp(&out->exit, &none, sizeof(none)),
		      "reaped nothing, exit info not zero");
		return;
	}
	CHECK(c, any || out->pid == t.pid, "waited for %d, reaped %d", t.pid,
	      out->pid);
	model_reaped(c, out->pid, &out->exit, any ? BY_WAIT_ANY : BY_WAIT);
	check_gone(c, out->pid);
}

static void op_ctl(struct ctx *c, struct fdpick *f, bool suspend)
{
	struct miniproc_ctl ctl = { .size = sizeof(ctl) };
	struct allowed ok = { 0 };
	struct target t;
	bool fixed;
	struct arg a;
	int want, ret;

	pick_pid(c, &t, false);
	ctl.pid = t.pid;
	note(c, "pid %d (%s)", ctl.pid, pid_kind_names[t.kind]);
	place(c, suspend ? &lay_suspend : &lay_resume, &ctl, pick_mangle(c),
	      &a, &fixed, &want);
	if (fixed) {
		ok = ALLOW(want);
	} else {
		/* Neither writes to the struct: read-only is fine. */
		allow_for_pid(&t, &ok, false, true);
		if (suspend && allowed_has(&ok, 0))
			allowed_add(&ok, -EINTR);
	}
	ret = call(c, f, &a, suspend ? block_ms(c) : 0);
	count(suspend ? FOP_SUSPEND : FOP_RESUME, ret);
	fd_expect(c, f, &ok, ret);
	if (ret == -ESRCH && t.known)
		model_gone(t.pid);
	if (!ret)
		check_canary(c, suspend ? &lay_suspend : &lay_resume, &a);
}

static void op_status(struct ctx *c, struct fdpick *f)
{
	struct miniproc_info info = { .size = sizeof(info) }, got;
	struct allowed ok = { 0 };
	struct target t;
	bool fixed;
	struct arg a;
	int want, ret;
	size_t n;

	pick_pid(c, &t, false);
	info.pid = t.pid;
	note(c, "pid %d (%s)", info.pid, pid_kind_names[t.kind]);
	place(c, &lay_status, &info, pick_mangle(c), &a, &fixed, &want);
	if (fixed) {
		ok = ALLOW(want);
	} else if (a.mg == MG_RO) {
		/* Found, the answer cannot be written. */
		if (t.kind == PK_INIT)
			ok = ALLOW(-EFAULT);
		else if (t.kind == PK_LIVE || t.kind == PK_PAST)
			ok = ALLOW(-ESRCH, -EFAULT);
		else
			ok = ALLOW(-ESRCH);
	} else {
		allow_for_pid(&t, &ok, true, false);
	}
	ret = call(c, f, &a, 0);
	count(FOP_STATUS, ret);
	fd_expect(c, f, &ok, ret);
	if (ret == -ESRCH && t.known)
		model_gone(t.pid);
	if (ret || !a.in_arena)
		return;
	check_canary(c, &lay_status, &a);
	n = a.usize < sizeof(got) ? a.usize : sizeof(got);
	memset(&got, 0, sizeof(got));
	memcpy(&got, a.buf, n);
	CHECK(c, got.size == n, "size %u, the caller's is %u", got.size, a.usize);
	CHECK(c, got.pid == t.pid, "asked pid %d, got %d", t.pid, got.pid);
	check_info(c, &got, n);
	if (t.known)
		check_known(c, &t.l, &got);
	if (t.kind == PK_INIT)
		CHECK(c, got.ppid == 0 && got.uid == 0 &&
			 got.state != MINIPROC_ZOMBIE,
		      "init: ppid %d uid %u state %u", got.ppid, got.uid,
		      got.state);
}

static void op_list(struct ctx *c, struct fdpick *f)
{
	struct miniproc_list l = { .size = sizeof(l) }, *out;
	unsigned char *area = c->arena + ARENA_BUF, *buf = NULL;
	size_t space = c->guard - area, room = 0, fill = 0, i;
	uint64_t r = rn(c, 100), b = rn(c, 100);
	struct allowed ok = { 0 };
	uint32_t n_max, n_min;
	bool fixed;
	struct arg a;
	int want, ret, prev = 0;

	if (r < 70)
		l.rec_size = sizeof(struct miniproc_info);
	else if (r < 80)
		l.rec_size = (uint32_t[]){ MINIPROC_INFO_SIZE_VER0,
					   MINIPROC_INFO_SIZE_VER1 }[rn(c, 2)];
	else if (r < 92)
		l.rec_size = MINIPROC_INFO_SIZE_VER0 + rn(c, PAGE - MINIPROC_INFO_SIZE_VER0 + 1);
	else
		l.rec_size = (uint32_t[]){ 0, 1, MINIPROC_INFO_SIZE_VER0 - 1,
					   PAGE + 1, UINT32_MAX }[rn(c, 5)];
	r = rn(c, 100);
	if (r < 25)
		l.capacity = 0;
	else if (r < 80)
		l.capacity = 1 + rn(c, sh->nproc + 8);
	else
		l.capacity = chance(c, 50) ? UINT32_MAX : 1u << (16 + rn(c, 16));

	if (l.capacity == 0 && chance(c, 50)) {
		l.buf = 0;
	} else if (b < 80) {
		buf = area;
		room = space / (l.rec_size ? l.rec_size : 1);
	} else if (b < 85) {
		l.buf = 0;
	} else if (b < 90) {
		l.buf = (uintptr_t)c->ro;
	} else if (b < 95) {
		/* Room for a few records, the next one runs off the arena. */
		room = rn(c, 4);
		if (l.rec_size >= MINIPROC_INFO_SIZE_VER0 && l.rec_size <= PAGE) {
			buf = c->guard - room * l.rec_size - 1 - rn(c, l.rec_size - 1);
			if (buf < area) {
				buf = area;
				room = space / l.rec_size;
			}
		} else {
			buf = area;
			room = 0;
		}
	} else {
		l.buf = chance(c, 50) ? KERNEL_PTR : (uintptr_t)c->guard;
	}
	if (buf) {
		l.buf = (uintptr_t)buf;
		if (l.rec_size)
			fill = (size_t)l.rec_size * ((size_t)l.capacity + 1);
		if (fill > (size_t)(c->guard - buf) || !l.rec_size)
			fill = c->guard - buf;
		memset(buf, CANARY, fill);
	}
	note(c, "rec_size %u capacity %u buf %s room %zu", l.rec_size,
	     l.capacity, buf ? "arena" : "bad", room);
	place(c, &lay_list, &l, pick_mangle(c), &a, &fixed, &want);

	n_max = l.capacity < sh->nproc + 1 ? l.capacity : sh->nproc + 1;
	n_min = l.capacity ? 1 : 0;
	if (fixed) {
		ok = ALLOW(want);
	} else if (l.rec_size < MINIPROC_INFO_SIZE_VER0 || l.rec_size > PAGE) {
		ok = ALLOW(-EINVAL);
	} else {
		if (room >= n_max)
			ok = ALLOW(0);
		else if (room < n_min)
			ok = ALLOW(-EFAULT);
		else
			ok = ALLOW(0, -EFAULT);
		if (a.mg == MG_RO)
			ok = ALLOW(-EFAULT);
	}
	ret = call(c, f, &a, 0);
	count(FOP_LIST, ret);
	fd_expect(c, f, &ok, ret);
	if (ret || !a.in_arena)
		return;
	check_canary(c, &lay_list, &a);
	out = (struct miniproc_list *)a.buf;
	CHECK(c, out->total >= 1 && out->total <= sh->nproc + 1,
	      "total %u, nproc %u", out->total, sh->nproc);
	CHECK(c, out->count == (l.capacity < out->total ? l.capacity : out->total),
	      "count %u, capacity %u, total %u", out->count, l.capacity,
	      out->total);
	if (!buf)
		return;
	for (i = 0; i < out->count && i < room; i++) {
		const unsigned char *rec = buf + i * l.rec_size;
		size_t n = l.rec_size < sizeof(struct miniproc_info) ?
			   l.rec_size : sizeof(struct miniproc_info);
		struct miniproc_info info = { 0 };
		size_t j;

		memcpy(&info, rec, n);
		CHECK(c, info.size == n, "record %zu: size %u of %u", i,
		      info.size, l.rec_size);
		CHECK(c, info.pid > prev, "record %zu: pid %d after %d", i,
		      info.pid, prev);
		CHECK(c, i || info.pid == MINIPROC_INIT_PID,
		      "first record is pid %d, not init", info.pid);
		prev = info.pid;
		check_info(c, &info, n);
		for (j = n; j < l.rec_size; j++)
			if (rec[j]) {
				violation(c, "record %zu: byte %zu is %#x, not 0",
					  i, j, rec[j]);
				break;
			}
	}
	/* Nothing written past the records. */
	i = (size_t)out->count * l.rec_size;
	if (i < fill)
		CHECK(c, buf[i] == CANARY, "byte %zu past %u records written",
		      i, out->count);
}

static void op_version(struct ctx *c, struct fdpick *f)
{
	struct miniproc_version v = { .size = sizeof(v) }, got;
	struct allowed ok;
	bool fixed;
	struct arg a;
	int want, ret;

	note(c, "-");
	place(c, &lay_version, &v, pick_mangle(c), &a, &fixed, &want);
	if (fixed)
		ok = ALLOW(want);
	else if (a.mg == MG_RO)
		ok = ALLOW(-EFAULT);
	else
		ok = ALLOW(0);
	ret = call(c, f, &a, 0);
	count(FOP_VERSION, ret);
	fd_expect(c, f, &ok, ret);
	if (ret || !a.in_arena)
		return;
	check_canary(c, &lay_version, &a);
	memset(&got, 0, sizeof(got));
	memcpy(&got, a.buf, a.usize < sizeof(got) ? a.usize : sizeof(got));
	CHECK(c, got.size == a.usize, "size %u, the caller's %u", got.size,
	      a.usize);
	CHECK(c, got.abi_version == MINIPROC_ABI_VERSION &&
		 got.nproc == sh->nproc && got.nr_used <= got.nproc &&
		 got.max_per_uid >= 1 &&
		 got.max_prog_ops == MINIPROC_PROG_MAX_OPS &&
		 got.max_loop_depth == MINIPROC_LOOP_MAX_DEPTH &&
		 got.max_loop_count == MINIPROC_LOOP_MAX_COUNT &&
		 (!covers(&a, offsetof(struct miniproc_version, max_duration_ns), 8) ||
		  got.max_duration_ns == MINIPROC_DURATION_MAX_NS) &&
		 !got.reserved[0] && !got.reserved[1],
	      "abi %u nproc %u used %u per-uid %u ops %u depth %u count %u",
	      got.abi_version, got.nproc, got.nr_used, got.max_per_uid,
	      got.max_prog_ops, got.max_loop_depth, got.max_loop_count);
}

static void op_filter(struct ctx *c, struct fdpick *f)
{
	struct miniproc_event_filter ef = { .size = sizeof(ef) };
	struct allowed ok;
	struct target t;
	bool fixed;
	struct arg a;
	int want, ret;

	if (chance(c, 30)) {
		t.kind = PK_ZERO;
		t.pid = 0;
	} else {
		pick_pid(c, &t, false);
	}
	ef.pid = t.pid;
	/*
	 * Every file reads whole struct miniproc_event records (fuzz_subscribe()),
	 * so a size that is accepted is that one; others must be refused.
	 */
	if (chance(c, 20))
		ef.rec_size = chance(c, 50) ? 1 + rn(c, MINIPROC_EVENT_SIZE_VER0 - 1) :
			      (uint32_t)sysconf(_SC_PAGESIZE) + 1 + rn(c, 1 << 20);
	else
		ef.rec_size = sizeof(struct miniproc_event);
	note(c, "pid %d rec_size %u", ef.pid, ef.rec_size);
	place(c, &lay_filter, &ef, pick_mangle(c), &a, &fixed, &want);
	if (fixed)
		ok = ALLOW(want);
	else
		ok = ef.pid < 0 || ef.rec_size != sizeof(struct miniproc_event) ?
		     ALLOW(-EINVAL) : ALLOW(0);
	ret = call(c, f, &a, 0);
	count(FOP_EVENT_FILTER, ret);
	fd_expect(c, f, &ok, ret);
	if (!ret)
		check_canary(c, &lay_filter, &a);
}

/* A command the module does not know: -ENOTTY, whatever the argument. */
static void op_badcmd(struct ctx *c, struct fdpick *f)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	static const unsigned long ours[] = {
		MINIPROC_IOC_VERSION, MINIPROC_IOC_CREATE, MINIPROC_IOC_DESTROY,
		MINIPROC_IOC_WAIT, MINIPROC_IOC_SUSPEND, MINIPROC_IOC_RESUME,
		MINIPROC_IOC_STATUS, MINIPROC_IOC_LIST,
		MINIPROC_IOC_EVENT_FILTER,
	};
	static const unsigned int magics[] = { 0xB8, 0xBA, 0xEE };
	unsigned int dir = dirs[rn(c, 4)], size = rn(c, _IOC_SIZEMASK + 1);
	unsigned long cmd, known;
	struct allowed ok = ALLOW(-ENOTTY);
	void *arg;
	int ret;

	switch (rn(c, 3)) {
	case 0:	/* our magic, a number past the last command */
		cmd = _IOC(dir, MINIPROC_IOC_MAGIC,
			   _IOC_NR(MINIPROC_IOC_EVENT_FILTER) + 1 + rn(c, 200), size);
		break;
	case 1:	/* one of ours with the wrong direction */
		known = ours[rn(c, ARRAY_SIZE(ours))];
		do {
			dir = dirs[rn(c, 4)];
		} while (dir == _IOC_DIR(known));
		cmd = _IOC(dir, MINIPROC_IOC_MAGIC, _IOC_NR(known), _IOC_SIZE(known));
		break;
	default: /* magics no one handles here (not the VFS's, not tty's) */
		cmd = _IOC(dir, magics[rn(c, ARRAY_SIZE(magics))], rn(c, 256),
			   size);
		break;
	}
	arg = chance(c, 50) ? (void *)(c->arena + ARENA_ARG) : NULL;
	if (arg) {
		memset(arg, 0, 256);
		*(uint32_t *)arg = 64;
	}
	note(c, "cmd %#lx", cmd);
	ret = sys_ioctl(f->fd, cmd, arg);
	count(FOP_BADCMD, ret);
	fd_expect(c, f, &ok, ret);
}

/*
 * Events as read() gave them. Their order follows seq only per process
 * (one slot's events are made under its lock); the events of two CPUs may
 * reach a buffer in either order.
 */
static void check_events(struct ctx *c, const struct miniproc_event *ev,
			 size_t n)
{
	struct { int pid; uint64_t seq; } last[256];
	size_t i;

	memset(last, 0, sizeof(last));
	for (i = 0; i < n; i++) {
		const struct miniproc_event *e = &ev[i];
		unsigned int h = (unsigned int)e->pid % ARRAY_SIZE(last);

		CHECK(c, e->seq >= 1, "event %zu: seq 0", i);
		if (last[h].pid == e->pid)
			CHECK(c, e->seq > last[h].seq,
			      "event %zu: pid %d, seq %llu after %llu", i, e->pid,
			      (unsigned long long)e->seq,
			      (unsigned long long)last[h].seq);
		last[h].pid = e->pid;
		last[h].seq = e->seq;
		CHECK(c, e->pid >= 1, "event %zu: pid %d", i, e->pid);
		CHECK(c, e->prev_state < MINIPROC_NR_STATES &&
			 e->next_state < MINIPROC_NR_STATES,
		      "event %zu: pid %d, %u -> %u", i, e->pid, e->prev_state,
		      e->next_state);
		CHECK(c, e->cpu >= -1 && e->cpu < 4096, "event %zu: cpu %d", i,
		      e->cpu);
		CHECK(c, !(e->flags & ~(MINIPROC_EVENT_KILLED | MINIPROC_EVENT_SUSPENDED)),
		      "event %zu: flags %#x", i, e->flags);
		CHECK(c, memchr(e->chan, 0, sizeof(e->chan)) &&
			 memchr(e->name, 0, sizeof(e->name)),
		      "event %zu: chan or name not terminated", i);
		CHECK(c, !e->chan[0] || e->next_state == MINIPROC_SLEEPING,
		      "event %zu: pid %d to state %u on '%s'", i, e->pid,
		      e->next_state, e->chan);
		CHECK(c, e->pc < MINIPROC_PROG_MAX_OPS && !e->reserved,
		      "event %zu: pid %d, pc %u, reserved %#x", i, e->pid, e->pc,
		      e->reserved);
	}
}

static void op_read(struct ctx *c, struct fdpick *f)
{
	const size_t rec = sizeof(struct miniproc_event);
	unsigned char *area = c->arena + ARENA_BUF, *buf = area;
	size_t space = c->guard - area, len;
	uint64_t r = rn(c, 100), b = rn(c, 100);
	struct allowed ok = { 0 };
	bool bad_buf = false;
	ssize_t n;
	int ret;

	if (r < 75)
		len = rec * (1 + rn(c, 64));
	else if (r < 85)
		len = (size_t[]){ 0, 1, rec - 1 }[rn(c, 3)];
	else if (r < 95)
		len = rec * (1 + rn(c, 8)) + 1 + rn(c, rec - 1);
	else
		len = chance(c, 50) ? space : (size_t)1 << 30;
	if (b < 88) {
		buf = area;
	} else {
		bad_buf = true;
		buf = (unsigned char *[]){ NULL, c->guard, c->ro,
					   (unsigned char *)(uintptr_t)KERNEL_PTR }[rn(c, 4)];
	}
	note(c, "fd %d%s len %zu buf %s", f->fd, f->nonblock ? " nonblock" : "",
	     len, bad_buf ? "bad" : "ok");
	if (buf == (unsigned char *)(uintptr_t)KERNEL_PTR) {
		ok = ALLOW(-EFAULT);	/* the VFS's access_ok() says so first */
	} else if (len < rec) {
		ok = ALLOW(-EINVAL);
	} else {
		allowed_add(&ok, 0);	/* stands for "some events" */
		/*
		 * Even O_NONBLOCK waits for another reader of the same file
		 * (events.c takes its read_lock interruptibly): a signal then
		 * is -EINTR.
		 */
		allowed_add(&ok, -EINTR);
		if (f->nonblock)
			allowed_add(&ok, -EAGAIN);
		if (bad_buf || len > space)
			allowed_add(&ok, -EFAULT);
	}
	/* Always armed: the number may name a blocking file by now. */
	arm(c, block_ms(c));
	n = read(f->fd, buf, len);
	disarm(c);
	ret = n < 0 ? -errno : 0;
	count(FOP_READ, ret);
	if (n == 0)
		ret = -1000;	/* end of file: never */
	fd_expect(c, f, &ok, ret);
	if (n <= 0)
		return;
	CHECK(c, (size_t)n % rec == 0 && (size_t)n <= len,
	      "read %zd bytes of %zu", n, len);
	if (!bad_buf)
		check_events(c, (const struct miniproc_event *)buf, n / rec);
}

static void op_poll(struct ctx *c)
{
	struct pollfd pfd[3];
	struct fdpick f[3];
	int i, n = 1 + rn(c, 3), ret, timeout = rn(c, 11);

	for (i = 0; i < n; i++) {
		pick_fd(c, &f[i]);
		pfd[i].fd = f[i].fd;
		pfd[i].events = POLLIN | (chance(c, 20) ? POLLOUT : 0);
		pfd[i].revents = 0;
	}
	note(c, "%d files, timeout %d ms", n, timeout);
	ret = poll(pfd, n, timeout);
	count(FOP_POLL, ret < 0 ? -errno : 0);
	if (ret < 0) {
		struct allowed ok = ALLOW(-EINTR);

		expect(c, &ok, -errno);
		return;
	}
	for (i = 0; i < n; i++) {
		short allowed = POLLIN | POLLRDNORM;

		if (closed_meanwhile(&f[i]))
			allowed |= POLLNVAL;
		CHECK(c, !(pfd[i].revents & ~allowed), "fd %d: revents %#x",
		      pfd[i].fd, pfd[i].revents);
	}
}

/*
 * Make @fd a reader of whole struct miniproc_event records, every
 * process's: what op_read() expects of every file.
 */
static int fuzz_subscribe(int fd)
{
	struct miniproc_event_filter ef = {
		.size = sizeof(ef),
		.rec_size = sizeof(struct miniproc_event),
	};

	return sys_ioctl(fd, MINIPROC_IOC_EVENT_FILTER, &ef) ? -errno : 0;
}

static void op_open(struct ctx *c)
{
	int flags = O_CLOEXEC | (chance(c, 50) ? O_NONBLOCK : 0);
	int fd, i, start = rn(c, DYN_FDS);
	struct allowed ok = ALLOW(0);

	flags |= chance(c, 80) ? O_RDWR : O_RDONLY;
	note(c, "flags %#x", flags);
	fd = open(MINIPROC_DEVICE, flags);
	count(FOP_OPEN, fd < 0 ? -errno : 0);
	if (fd < 0) {
		expect(c, &ok, -errno);
		return;
	}
	/* Fewer readers than max_readers_per_uid: it cannot be refused. */
	expect(c, &ok, fuzz_subscribe(fd));
	for (i = 0; i < DYN_FDS; i++) {
		int none = -1;

		if (atomic_compare_exchange_strong(&dyn_fds[(start + i) % DYN_FDS].fd,
						   &none, fd))
			return;
	}
	close(fd);	/* every slot taken */
}

static void op_close(struct ctx *c)
{
	struct dyn_fd *d = &dyn_fds[rn(c, DYN_FDS)];
	struct allowed ok = ALLOW(0);
	int fd = atomic_exchange(&d->fd, -1);

	note(c, "fd %d", fd);
	if (fd < 0) {
		op_open(c);
		return;
	}
	/* Before the close: a call that then fails with -EBADF sees it. */
	atomic_fetch_add(&d->gen, 1);
	count(FOP_CLOSE, close(fd) ? -errno : 0);
	expect(c, &ok, 0);
}

static bool module_present(void)
{
	return !access("/sys/module/miniproc", F_OK);
}

/* delete_module(2) while files are open: refused, and the module stays. */
static void op_rmmod(struct ctx *c)
{
	int flags = chance(c, 50) ? O_NONBLOCK : 0;	/* never O_TRUNC */
	struct allowed ok;
	int ret;

	note(c, "flags %#x", flags);
	ok = my_root ? ALLOW(-EWOULDBLOCK, -EBUSY) : ALLOW(-EPERM);
	ret = syscall(SYS_delete_module, "miniproc", flags) ? -errno : 0;
	count(FOP_RMMOD, ret);
	if (ret == -ENOENT && !module_present()) {
		/* Built in, or not a module: nothing to unload. */
		atomic_fetch_add(&sh->rmmod_skipped, 1);
		return;
	}
	if (expect(c, &ok, ret))
		atomic_fetch_add(&sh->rmmod_refused, 1);
	if (!ret || !module_present()) {
		violation(c, "the module was unloaded while its files are open");
		atomic_store(&sh->stop, 1);
	}
}

/* The same through the rmmod command (busybox's in the VM), if any. */
static void op_rmmod_exec(struct ctx *c)
{
	pid_t child;
	int status = 0;

	note(c, "rmmod miniproc");
	child = fork();
	if (child < 0) {
		count(FOP_RMMOD_EXEC, -errno);
		return;
	}
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("rmmod", "rmmod", "miniproc", (char *)NULL);
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	/* The histogram shows a refusal (rmmod failed) as EBUSY. */
	count(FOP_RMMOD_EXEC, WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EBUSY);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		atomic_fetch_add(&sh->rmmod_skipped, 1);
		return;
	}
	if ((WIFEXITED(status) && !WEXITSTATUS(status)) || !module_present()) {
		violation(c, "rmmod unloaded the module while its files are open");
		atomic_store(&sh->stop, 1);
		return;
	}
	atomic_fetch_add(&sh->rmmod_refused, 1);
}

/* --- the workers ----------------------------------------------------- */

static unsigned int weight_total;

static enum fuzz_op pick_op(struct ctx *c)
{
	unsigned int r = rn(c, weight_total), i;

	for (i = 0; i < NR_FOPS; i++) {
		if (r < fop_weight[i])
			return i;
		r -= fop_weight[i];
	}
	return FOP_VERSION;
}

static void do_op(struct ctx *c)
{
	uint64_t start = now_ns();
	struct fdpick f;

	c->op = pick_op(c);
	c->what[0] = '\0';
	pick_fd(c, &f);
	switch (c->op) {
	case FOP_VERSION:
		op_version(c, &f);
		break;
	case FOP_CREATE:
		op_create(c, &f);
		break;
	case FOP_DESTROY:
		op_destroy(c, &f, false);
		break;
	case FOP_DESTROY_WAIT:
		op_destroy(c, &f, true);
		break;
	case FOP_WAIT:
		op_wait(c, &f);
		break;
	case FOP_SUSPEND:
		op_ctl(c, &f, true);
		break;
	case FOP_RESUME:
		op_ctl(c, &f, false);
		break;
	case FOP_STATUS:
		op_status(c, &f);
		break;
	case FOP_LIST:
		op_list(c, &f);
		break;
	case FOP_EVENT_FILTER:
		op_filter(c, &f);
		break;
	case FOP_BADCMD:
		op_badcmd(c, &f);
		break;
	case FOP_READ:
		op_read(c, &f);
		break;
	case FOP_POLL:
		op_poll(c);
		break;
	case FOP_OPEN:
		op_open(c);
		break;
	case FOP_CLOSE:
		op_close(c);
		break;
	case FOP_RMMOD:
		op_rmmod(c);
		break;
	case FOP_RMMOD_EXEC:
		op_rmmod_exec(c);
		break;
	case NR_FOPS:
		break;
	}
	if (c->op < NR_FOPS)
		atomic_fetch_add(&sh->op_ns[c->op], now_ns() - start);
}

/*
 * Would the pids come round if this thread took another op? The largest
 * pid CREATE gave, and what the processes there and those being created
 * may still take, against pid_max.
 */
static bool near_lap_end(void)
{
	int max_pid;

	pthread_mutex_lock(&sh->lock);
	max_pid = sh->max_pid;
	pthread_mutex_unlock(&sh->lock);
	return (int64_t)max_pid + sh->pid_margin >= sh->pid_max;
}

/* The thread's arena, read-only page and timer: 0, or -errno. */
static int ctx_init(struct ctx *c, int proc, int thread)
{
	size_t len = (ARENA_PAGES + 1) * PAGE;
	struct sigevent sev = { 0 };
	uint64_t x = sh->seed ^ ((uint64_t)proc << 40) ^ ((uint64_t)thread << 20);
	int memfd;

	memset(c, 0, sizeof(*c));
	c->proc = proc;
	c->thread = thread;
	c->rng = splitmix64(&x) | 1;
	c->arena = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->arena == MAP_FAILED)
		return -errno;
	c->guard = c->arena + ARENA_PAGES * PAGE;
	if (mprotect(c->guard, PAGE, PROT_NONE))
		return -errno;
	/* Two views of one page: we write one, the kernel gets the other. */
	memfd = memfd_create("fuzz-ro", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, PAGE))
		return -errno;
	c->ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, memfd, 0);
	c->ro_rw = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	close(memfd);
	if (c->ro == MAP_FAILED || c->ro_rw == MAP_FAILED)
		return -ENOMEM;
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev._sigev_un._tid = gettid();
	c->have_timer = !timer_create(CLOCK_MONOTONIC, &sev, &c->timer);
	return c->have_timer ? 0 : -errno;
}

static void ctx_fini(struct ctx *c)
{
	if (c->have_timer)
		timer_delete(c->timer);
	munmap(c->arena, (ARENA_PAGES + 1) * PAGE);
	munmap(c->ro, PAGE);
	munmap(c->ro_rw, PAGE);
}

struct worker {
	pthread_t thread;
	int proc, index;
	pthread_barrier_t *ready;
	int err;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint64_t start = now_ns(), next_report = start + 10 * NSEC_PER_SEC;
	uint64_t report_every = sh->ops_target / 10, next_ops = report_every;
	struct ctx c;
	uint64_t n;

	w->err = ctx_init(&c, w->proc, w->index);
	/* Every thread's setup is done before any closes a file. */
	pthread_barrier_wait(w->ready);
	if (w->err) {
		violation(NULL, "proc %d thread %d: setup failed: %s", w->proc,
			  w->index, strerror(-w->err));
		return NULL;
	}
	for (;;) {
		if (atomic_load(&sh->stop))
			break;
		if (sh->deadline_ns && now_ns() >= sh->deadline_ns)
			break;
		if (near_lap_end()) {
			atomic_store(&sh->lap_end, 1);
			break;
		}
		n = atomic_fetch_add(&sh->ops_claimed, 1);
		if (sh->ops_target && n >= sh->ops_target)
			break;
		c.opno = n;
		do_op(&c);
		atomic_fetch_add(&sh->ops_done, 1);
		/* Progress, so that a run cut short shows how far it got. */
		if (w->proc == 0 && w->index == 0 &&
		    ((report_every && n >= next_ops) || now_ns() >= next_report)) {
			next_report = now_ns() + 10 * NSEC_PER_SEC;
			while (report_every && next_ops <= n)
				next_ops += report_every;
			ksft_print_msg("fuzz: %" PRIu64 " ops, %.1f s, %" PRIu64
				       " violations\n",
				       (uint64_t)atomic_load(&sh->ops_done),
				       (now_ns() - start) / 1e9,
				       (uint64_t)atomic_load(&sh->violations));
		}
	}
	ctx_fini(&c);
	return NULL;
}

/* One fuzzing process: its threads, sharing its files and the base ones. */
static int run_proc(int proc)
{
	struct worker w[FUZZ_MAX_THREADS];
	pthread_barrier_t ready;
	int i, failed = 0;

	for (i = 0; i < DYN_FDS; i++) {
		atomic_store(&dyn_fds[i].fd, -1);
		atomic_store(&dyn_fds[i].gen, 0);
	}
	pthread_barrier_init(&ready, NULL, sh->threads);
	for (i = 0; i < sh->threads; i++) {
		w[i].proc = proc;
		w[i].index = i;
		w[i].ready = &ready;
		w[i].err = 0;
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i])) {
			/* The barrier would never open: give up at once. */
			fprintf(stderr, "fuzz: pthread_create failed\n");
			_exit(2);
		}
	}
	for (i = 0; i < sh->threads; i++) {
		pthread_join(w[i].thread, NULL);
		failed |= w[i].err != 0;
	}
	pthread_barrier_destroy(&ready);
	for (i = 0; i < DYN_FDS; i++) {
		int fd = atomic_exchange(&dyn_fds[i].fd, -1);

		if (fd >= 0)
			close(fd);
	}
	return failed;
}

/* --- after the run --------------------------------------------------- */

/* The whole table, in a malloc()ed array: *n records, or NULL. */
static struct miniproc_info *snapshot(int fd, uint32_t *n)
{
	uint32_t cap = sh->nproc + 64;
	struct miniproc_list l = {
		.size = sizeof(l), .rec_size = sizeof(struct miniproc_info),
		.capacity = cap,
	};
	struct miniproc_info *buf = calloc(cap, sizeof(*buf));

	if (!buf)
		return NULL;
	l.buf = (uintptr_t)buf;
	if (sys_ioctl(fd, MINIPROC_IOC_LIST, &l) || l.count != l.total) {
		free(buf);
		return NULL;
	}
	*n = l.count;
	return buf;
}

static const struct miniproc_info *find_rec(const struct miniproc_info *all,
					    uint32_t n, int pid)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (all[i].pid == pid)
			return &all[i];
	return NULL;
}

/*
 * LIST against the model, with nothing running: every live pid of the
 * model is there (an autoreap one may have gone), ours, as created; every
 * process of ours there was created by us, or forked by one that is.
 */
static void check_table(int fd)
{
	const struct miniproc_info *r;
	struct miniproc_info *all;
	uint32_t n, i;

	all = snapshot(fd, &n);
	if (!all) {
		violation(NULL, "LIST of the whole table failed");
		return;
	}
	for (i = 0; i < sh->nlive; i++) {
		const struct live *l = &sh->live[i];

		r = find_rec(all, n, l->pid);
		if (!r) {
			if (!l->autoreap)
				violation(NULL, "pid %d (%.16s) is alive in the model, not in the table",
					  l->pid, l->name);
			continue;
		}
		if (r->uid != l->uid || r->ppid != 0 ||
		    strncmp(r->name, l->name, MINIPROC_NAME_LEN) ||
		    !!(r->flags & MINIPROC_INFO_AUTOREAP) != l->autoreap)
			violation(NULL, "pid %d: uid %u ppid %d name '%.16s' flags %#x; created as '%.16s' autoreap %d",
				  r->pid, r->uid, r->ppid, r->name, r->flags,
				  l->name, l->autoreap);
	}
	for (i = 0; i < n; i++) {
		r = &all[i];
		if (r->pid <= sh->base)
			continue;
		if (r->uid != my_uid && (r->uid != MP_NOBODY || !sh->unpriv))
			violation(NULL, "pid %d: uid %u in the table, not ours",
				  r->pid, r->uid);
		if (bit_test(reaped_bits, r->pid))
			violation(NULL, "pid %d: in the table, yet reaped", r->pid);
		if (r->ppid == 0) {
			if (live_find(r->pid) < 0)
				violation(NULL, "pid %d (%.16s, state %u): created by a user, unknown to the model",
					  r->pid, r->name, r->state);
		} else if (r->ppid != MINIPROC_INIT_PID) {
			const struct miniproc_info *parent = find_rec(all, n, r->ppid);

			if (!parent || parent->state == MINIPROC_ZOMBIE)
				violation(NULL, "pid %d: parent %d %s", r->pid,
					  r->ppid, parent ? "is a zombie" : "is gone");
		}
	}
	free(all);
}

/* DESTROY with WAIT, given 20 s; 0, or -errno. */
static int destroy_wait(struct ctx *c, int fd, int pid,
			struct miniproc_exit_info *exit)
{
	struct miniproc_destroy d = {
		.size = sizeof(d), .pid = pid, .flags = MINIPROC_DESTROY_WAIT,
	};
	int ret;

	arm(c, 20000);
	ret = sys_ioctl(fd, MINIPROC_IOC_DESTROY, &d);
	disarm(c);
	*exit = d.exit;
	return ret;
}

/* Destroy and reap everything of ours: the table holds what it held before. */
static void clean_up(struct ctx *c, int fd, uint32_t before)
{
	struct miniproc_exit_info exit;
	struct miniproc_version v;
	struct miniproc_wait w;
	struct miniproc_info *all;
	uint64_t deadline;
	uint32_t n, i, left;
	int ret;

	c->op = FOP_DESTROY_WAIT;
	while (sh->nlive) {
		struct live l = sh->live[sh->nlive - 1];

		note(c, "clean-up, pid %d", l.pid);
		ret = destroy_wait(c, fd, l.pid, &exit);
		if (!ret) {
			model_reaped(c, l.pid, &exit, BY_DESTROY);
			continue;
		}
		if (ret != -ESRCH || !l.autoreap)
			violation(c, "DESTROY with WAIT of pid %d: %s", l.pid,
				  err_name(ret));
		sh->nlive--;
	}

	/* Fork children and orphans: destroy what is left above the baseline. */
	deadline = now_ns() + 30 * NSEC_PER_SEC;
	do {
		all = snapshot(fd, &n);
		if (!all) {
			violation(NULL, "LIST failed in the clean-up");
			return;
		}
		left = 0;
		for (i = 0; i < n; i++) {
			if (all[i].pid <= sh->base)
				continue;
			left++;
			note(c, "clean-up, forked pid %d", all[i].pid);
			ret = destroy_wait(c, fd, all[i].pid, &exit);
			if (ret && ret != -ESRCH)
				violation(c, "DESTROY with WAIT of forked pid %d: %s",
					  all[i].pid, err_name(ret));
		}
		free(all);
	} while (left && now_ns() < deadline);
	if (left)
		violation(NULL, "%u processes of ours still there after 30 s", left);

	/* An ended autoreap process holds its slot a moment. */
	deadline = now_ns() + 10 * NSEC_PER_SEC;
	for (;;) {
		memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
		ret = sys_ioctl(fd, MINIPROC_IOC_VERSION, &v);
		if (ret || v.nr_used == before || now_ns() > deadline)
			break;
		usleep(10000);
	}
	if (ret || v.nr_used != before)
		violation(NULL, "%u slots in use after the clean-up, %u before",
			  v.nr_used, before);
	all = snapshot(fd, &n);
	if (!all) {
		violation(NULL, "LIST failed after the clean-up");
		return;
	}
	if (!find_rec(all, n, MINIPROC_INIT_PID))
		violation(NULL, "init is not in the table");
	for (i = 0; i < n; i++)
		if (all[i].pid > sh->base)
			violation(NULL, "pid %d still in the table", all[i].pid);
	free(all);
	if (!before) {
		memset(&w, 0, sizeof(w));
		w.size = sizeof(w);
		w.pid = MINIPROC_WAIT_ANY;
		w.options = MINIPROC_WNOHANG;
		ret = sys_ioctl(fd, MINIPROC_IOC_WAIT, &w);
		if (ret != -ECHILD)
			violation(NULL, "WAIT after the clean-up: %s, not ECHILD",
				  err_name(ret));
	}
}

/* --- main ------------------------------------------------------------ */

static void print_stats(double secs)
{
	unsigned int op, e;
	char line[1024];

	ksft_print_msg("seed %" PRIu64 ": %" PRIu64 " ops in %.1f s (%.0f/s), %d processes x %d threads\n",
		       sh->seed, (uint64_t)atomic_load(&sh->ops_done), secs,
		       secs > 0 ? atomic_load(&sh->ops_done) / secs : 0.0,
		       sh->procs, sh->threads);
	ksft_print_msg("created %" PRIu64 ", reaped by our calls %" PRIu64
		       " (%" PRIu64 " before their CREATE returned), rmmod refused %" PRIu64 "\n",
		       (uint64_t)atomic_load(&sh->created),
		       (uint64_t)atomic_load(&sh->reaped),
		       (uint64_t)atomic_load(&sh->reaped_early),
		       (uint64_t)atomic_load(&sh->rmmod_refused));
	for (op = 0; op < NR_FOPS; op++) {
		uint64_t total = 0;
		size_t len;

		for (e = 0; e <= NR_ERRNO + 1; e++)
			total += atomic_load(&sh->hist[op][e]);
		len = snprintf(line, sizeof(line), "%-13s %7" PRIu64 " %8.1f ms %6.0f us each:",
			       fop_names[op], total,
			       atomic_load(&sh->op_ns[op]) / 1e6,
			       total ? atomic_load(&sh->op_ns[op]) / 1e3 / total : 0.0);
		for (e = 0; e <= NR_ERRNO + 1 && len < sizeof(line) - 40; e++) {
			uint64_t k = atomic_load(&sh->hist[op][e]);

			if (!k)
				continue;
			len += snprintf(line + len, sizeof(line) - len, " %s %" PRIu64,
					e == NR_ERRNO + 1 ? "other" : e ? err_name(-(int)e) : "ok", k);
		}
		ksft_print_msg("%s\n", line);
	}
}

/* The module's pid_max; INT_MAX for a module without it (pids only grew). */
static int read_pid_max(void)
{
	char buf[32] = "";
	long v = 0;
	int fd;

	fd = open(PID_MAX_PARAM, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			v = strtol(buf, NULL, 10);
		close(fd);
	}
	return v > 0 && v <= INT_MAX ? (int)v : INT_MAX;
}

static uint64_t env_num(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--seed N] [--ops N] [--seconds N] [--threads N] [--procs N] [--unpriv N]\n"
		"  defaults from MINIPROC_FUZZ_SEED, _OPS (%d), _SECONDS, _THREADS (4), _PROCS (2),\n"
		"  _UNPRIV (1: run as root, the last process drops to uid 65534)\n",
		argv0, FUZZ_DEFAULT_OPS);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'o' },
		{ "seconds", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'j' },
		{ "procs", required_argument, NULL, 'p' },
		{ "unpriv", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed, ops, seconds, threads, procs, unpriv, start, v0, v1, v2;
	bool ops_given, secs_given;
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	pthread_mutexattr_t ma;
	struct miniproc_version v = { .size = sizeof(v) };
	struct miniproc_info *all;
	struct stat dev;
	pid_t kids[FUZZ_MAX_PROCS];
	uint32_t n, before = 0, i;
	int opt, p, status, fd;
	bool kids_ok = true, done_all;
	struct ctx main_ctx;
	double secs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	seed = env_num("MINIPROC_FUZZ_SEED", 0);
	ops = env_num("MINIPROC_FUZZ_OPS", 0);
	seconds = env_num("MINIPROC_FUZZ_SECONDS", 0);
	threads = env_num("MINIPROC_FUZZ_THREADS", 4);
	procs = env_num("MINIPROC_FUZZ_PROCS", 2);
	unpriv = env_num("MINIPROC_FUZZ_UNPRIV", 1);
	if (!getenv("MINIPROC_FUZZ_SEED"))
		seed = now_ns() ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			ops = strtoull(optarg, NULL, 0);
			break;
		case 't':
			seconds = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			threads = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			procs = strtoull(optarg, NULL, 0);
			break;
		case 'u':
			unpriv = strtoull(optarg, NULL, 0);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc || !threads || threads > FUZZ_MAX_THREADS ||
	    !procs || procs > FUZZ_MAX_PROCS)
		usage(argv[0]);
	/* The first process stays root: it checks and cleans up at the end. */
	if (geteuid() != 0)
		unpriv = 0;
	if (unpriv > procs - 1)
		unpriv = procs - 1;
	if (!ops && !seconds)
		ops = FUZZ_DEFAULT_OPS;
	/* A number of ops to do (within the time, if given), or a time alone. */
	ops_given = ops != 0;
	slowdown = env_num("MINIPROC_SLOWDOWN", 1) ?: 1;
	secs_given = seconds != 0;

	ksft_print_header();
	if (access(MINIPROC_DEVICE, F_OK))
		ksft_exit_skip("%s is absent: load miniproc.ko first\n",
			       MINIPROC_DEVICE);
	ksft_set_plan(4);
	ksft_print_msg("seed %" PRIu64 " (reproduce: %s --seed %" PRIu64
		       " --%s %" PRIu64 " --threads %" PRIu64 " --procs %" PRIu64
		       " --unpriv %" PRIu64 ")\n", seed, argv[0], seed,
		       ops ? "ops" : "seconds", ops ? ops : seconds, threads,
		       procs, unpriv);
	if (slowdown > 1)
		ksft_print_msg("MINIPROC_SLOWDOWN=%u: endless programs sleep %u times longer (set it to reproduce)\n",
			       slowdown, slowdown);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	created_bits = mmap(NULL, PID_BITS / 8, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	reaped_bits = mmap(NULL, PID_BITS / 8, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	waited_bits = mmap(NULL, PID_BITS / 8, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sh == MAP_FAILED || created_bits == MAP_FAILED ||
	    reaped_bits == MAP_FAILED || waited_bits == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->lock, &ma);
	pthread_mutex_init(&sh->log_lock, &ma);
	sh->seed = seed;
	sh->ops_target = ops;
	sh->threads = threads;
	sh->procs = procs;
	sh->root = geteuid() == 0;
	sh->unpriv = unpriv;
	my_root = sh->root;
	my_uid = geteuid();
	sh->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	for (i = 0; i < NR_FOPS; i++)
		weight_total += fop_weight[i];

	/* The files every process and thread shares: blocking, not, blocking. */
	for (i = 0; i < BASE_FDS; i++) {
		sh->base_fd[i] = open(MINIPROC_DEVICE,
				      O_RDWR | O_CLOEXEC | (i == 1 ? O_NONBLOCK : 0));
		if (sh->base_fd[i] < 0)
			ksft_exit_fail_msg("open %s: %s\n", MINIPROC_DEVICE,
					   strerror(errno));
		if (fuzz_subscribe(sh->base_fd[i]))
			ksft_exit_fail_msg("EVENT_FILTER: %s\n", strerror(errno));
	}
	fd = sh->base_fd[0];
	if (sys_ioctl(fd, MINIPROC_IOC_VERSION, &v))
		ksft_exit_fail_msg("VERSION: %s\n", strerror(errno));
	sh->nproc = v.nproc;
	sh->pid_max = read_pid_max();
	sh->pid_margin = (v.nproc + procs * threads) * PIDS_PER_CREATE;
	before = v.nr_used;
	all = snapshot(fd, &n);
	if (!all)
		ksft_exit_fail_msg("LIST: %s\n", strerror(errno));
	for (i = 0; i < n; i++)
		if (all[i].pid > sh->base)
			sh->base = all[i].pid;
	free(all);
	sh->max_pid = sh->base;
	ksft_print_msg("table: %u slots, %u per user, %u in use at the start, pids above %d are ours, up to pid_max %d\n",
		       v.nproc, v.max_per_uid, before, sh->base, sh->pid_max);
	ksft_print_msg("%" PRIu64 " processes x %" PRIu64 " threads, %" PRIu64
		       " of them as uid %d\n", procs, threads, unpriv, MP_NOBODY);

	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: calls see EINTR */
	if (ctx_init(&main_ctx, 0, FUZZ_MAX_THREADS))
		ksft_exit_fail_msg("setup: %s\n", strerror(errno));

	start = now_ns();
	if (secs_given)
		sh->deadline_ns = start + seconds * NSEC_PER_SEC;
	fflush(stdout);
	/* The unprivileged processes may open the device as its group. */
	if (stat(MINIPROC_DEVICE, &dev))
		ksft_exit_fail_msg("stat %s: %s\n", MINIPROC_DEVICE, strerror(errno));
	for (p = 1; p < (int)procs; p++) {
		kids[p] = fork();
		if (kids[p] < 0)
			ksft_exit_fail_msg("fork: %s\n", strerror(errno));
		if (kids[p] == 0) {
			/* The last ones as an ordinary user, nobody. */
			if (p >= (int)(procs - unpriv)) {
				if (setgroups(1, &dev.st_gid) ||
				    setresgid(MP_NOBODY, MP_NOBODY, MP_NOBODY) ||
				    setresuid(MP_NOBODY, MP_NOBODY, MP_NOBODY))
					_exit(3);
				my_root = false;
				my_uid = MP_NOBODY;
			}
			_exit(run_proc(p));
		}
	}
	if (run_proc(0))
		kids_ok = false;
	for (p = 1; p < (int)procs; p++) {
		while (waitpid(kids[p], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			violation(NULL, "fuzzing process %d ended with status %#x",
				  p, status);
			kids_ok = false;
		}
	}
	secs = (now_ns() - start) / 1e9;

	v0 = atomic_load(&sh->violations);
	check_table(fd);
	v1 = atomic_load(&sh->violations);
	clean_up(&main_ctx, fd, before);
	v2 = atomic_load(&sh->violations);

	print_stats(secs);
	/* For docs/reliability.md (tools/reliability-report.sh). */
	ksft_print_msg("FIGURE fuzz operations: %" PRIu64 " in %.1f s, seed %" PRIu64
		       ", %d processes x %d threads, %" PRIu64 " violations\n",
		       (uint64_t)atomic_load(&sh->ops_done), secs, sh->seed,
		       sh->procs, sh->threads, v2);
	if (sh->reports > MAX_REPORTS)
		ksft_print_msg("(%u violations not shown)\n", sh->reports - MAX_REPORTS);

	done_all = ops_given ? atomic_load(&sh->ops_done) >= ops :
			       atomic_load(&sh->ops_done) > 0;
	if (atomic_load(&sh->lap_end) && kids_ok && !v0)
		ksft_test_result_skip("fuzz: %" PRIu64 " ops, 0 violations; stopped before the pids come round at pid_max %d: the model is keyed by pid, exact within one lap\n",
				      (uint64_t)atomic_load(&sh->ops_done),
				      sh->pid_max);
	else if (ops_given)
		ksft_test_result(done_all && kids_ok && !v0,
				 "fuzz: %" PRIu64 " of %" PRIu64 " ops, %" PRIu64 " violations\n",
				 (uint64_t)atomic_load(&sh->ops_done), ops, v0);
	else
		ksft_test_result(done_all && kids_ok && !v0,
				 "fuzz: %" PRIu64 " ops in %" PRIu64 " s, %" PRIu64 " violations\n",
				 (uint64_t)atomic_load(&sh->ops_done), seconds, v0);
	if (!sh->root)
		ksft_test_result_skip("fuzz: rmmod refused while files are open (needs root)\n");
	else
		ksft_test_result(atomic_load(&sh->rmmod_refused) > 0 && module_present(),
				 "fuzz: rmmod refused while files are open (%" PRIu64 " times)\n",
				 (uint64_t)atomic_load(&sh->rmmod_refused));
	ksft_test_result(v1 == v0, "fuzz: the table matches the model after the run\n");
	ksft_test_result(v2 == v1, "fuzz: every process destroyed and reaped, init alone left\n");

	ctx_fini(&main_ctx);
	for (i = 0; i < BASE_FDS; i++)
		close(sh->base_fd[i]);
	if (ksft_get_fail_cnt())
		ksft_exit_fail();
	ksft_exit_pass();
}
