/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the miniproc selftests, one test program per file.
 *
 *  - the ioctl wrappers are the CLI's own library (cli/libminiproc.h,
 *    linked into every test): each returns its result or -errno, never
 *    asserts, so a test can check error codes with EXPECT_EQ; mp_ioctl()
 *    here is the raw call for what no wrapper says (bad sizes, flags);
 *  - programs built from op macros: PROG(OP_CPU(MSEC(5)), OP_EXIT(7)),
 *    PROG(OP_FORK, OP_EXIT(2), OP_END, OP_WAIT) for `fork(exit:2) wait`;
 *  - reading the event stream: mp_event_filter(), mp_read_events();
 *  - clocks, deadlines and mp_poll(): STATUS until a condition holds;
 *  - MINIPROC_FIXTURE(): an open /dev/miniproc whose teardown destroys and
 *    reaps whatever the test created (pids grow until they wrap at the
 *    module's pid_max, 4194304 by default, which a run of the suite never
 *    reaches: only pidwrap_test wraps them, in a module it loads with a
 *    small pid_max; so "created by this test" is "pid above the largest one
 *    at setup");
 *  - running a step as another user (in the miniproc group or not),
 *    pinning, module parameters, loading the module.
 *
 * Every program exits with KSFT_SKIP (4) before the harness starts when
 * /dev/miniproc is absent.
 */
#ifndef MINIPROC_UTIL_H
#define MINIPROC_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/miniproc.h>

#include "libminiproc.h"

#include "kselftest_harness.h"

#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_SEC		1000000000ULL
#define MSEC(n)			((__u64)(n) * NSEC_PER_MSEC)
#define SEC(n)			((__u64)(n) * NSEC_PER_SEC)

/* Deadlines for what "soon" means: generous, the VM is emulated (TCG). */
#define MP_POLL_MS		10000
#define MP_PROMPT_MS		3000

/* The unprivileged user of the ownership and limit tests. */
#define MP_NOBODY		65534

/*
 * Who may open the device: the group udev/60-miniproc.rules gives it to,
 * with its mode (the test VM applies the rule after every load, as udev
 * would: tools/vm/devnode.sh).
 */
#define MP_GROUP		"miniproc"
#define MP_DEVICE_MODE		0660
/* How long udev may take to apply the rule after a load. */
#define MP_SETTLE_MS		MP_POLL_MS

#define MP_PARAMS		"/sys/module/miniproc/parameters/"

/* --- programs -------------------------------------------------------- */

#define OP(c, a)	((struct miniproc_op){ .code = (c), .arg = (a) })
#define OP_CPU(ns)	OP(MINIPROC_OP_CPU, ns)
#define OP_SLEEP(ns)	OP(MINIPROC_OP_SLEEP, ns)
#define OP_IO(ns)	OP(MINIPROC_OP_IO, ns)
#define OP_POLL(ns)	OP(MINIPROC_OP_POLL, ns)
#define OP_YIELD	OP(MINIPROC_OP_YIELD, 0)
#define OP_EXIT(s)	OP(MINIPROC_OP_EXIT, s)
#define OP_LOOP(n)	OP(MINIPROC_OP_LOOP, n)
#define OP_FOREVER	OP_LOOP(0)
#define OP_END		OP(MINIPROC_OP_END, 0)
#define OP_FORK		OP(MINIPROC_OP_FORK, 0)	/* the child's ops, then OP_END */
#define OP_WAIT		OP(MINIPROC_OP_WAIT, 0)

#define PROG(...)	((const struct miniproc_op[]){ __VA_ARGS__ })
#define PROG_LEN(...)	(sizeof(PROG(__VA_ARGS__)) / sizeof(struct miniproc_op))

/* --- the ioctls ------------------------------------------------------ */

static inline int mp_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static inline void mp_set_name(char *dst, const char *name)
{
	memset(dst, 0, MINIPROC_NAME_LEN);
	if (name)
		memcpy(dst, name, strnlen(name, MINIPROC_NAME_LEN - 1));
}

#define mp_spawn(fd, name, ...) \
	mp_create(fd, name, PROG(__VA_ARGS__), PROG_LEN(__VA_ARGS__), 0, 0, NULL)
#define mp_spawn_autoreap(fd, name, ...) \
	mp_create(fd, name, PROG(__VA_ARGS__), PROG_LEN(__VA_ARGS__), \
		  MINIPROC_CREATE_AUTOREAP, 0, NULL)
#define mp_spawn_pinned(fd, name, cpu, ...) \
	mp_create(fd, name, PROG(__VA_ARGS__), PROG_LEN(__VA_ARGS__), \
		  MINIPROC_CREATE_PIN, cpu, NULL)

static inline int mp_destroy_wait(int fd, int pid, struct miniproc_exit_info *exit)
{
	return mp_destroy(fd, pid, MINIPROC_DESTROY_WAIT, exit);
}

/* WAIT for one pid, blocking: the pid reaped, or -errno. */
static inline int mp_waitpid(int fd, int pid, struct miniproc_exit_info *exit)
{
	int ret = mp_wait(fd, &pid, 0, 0, exit);

	return ret ? ret : pid;
}

/* Processes in the table (LIST with capacity 0), or -errno. */
static inline int mp_total(int fd)
{
	__u32 total;
	int ret = mp_list_into(fd, NULL, 0, NULL, &total);

	return ret ? ret : (int)total;
}

/* Slots in use as VERSION reports them, or -errno. */
static inline int mp_nr_used(int fd)
{
	struct miniproc_version v;
	int ret = mp_version(fd, &v);

	return ret ? ret : (int)v.nr_used;
}

/*
 * A LIST snapshot of the whole table in a malloc()ed array (free() it),
 * or NULL. *n is the number of records.
 */
static inline struct miniproc_info *mp_snapshot(int fd, __u32 *n)
{
	struct miniproc_info *buf = NULL;
	__u32 cap = 64, count, total;

	for (;;) {
		free(buf);
		buf = calloc(cap, sizeof(*buf));
		if (!buf || mp_list_into(fd, buf, cap, &count, &total)) {
			free(buf);
			return NULL;
		}
		if (total <= cap)
			break;
		cap = total + 64;
	}
	*n = count;
	return buf;
}

/* Is @pid in a LIST snapshot? 1, 0, or -errno. */
static inline int mp_listed(int fd, int pid)
{
	struct miniproc_info *all;
	__u32 i, n;
	int found = 0;

	all = mp_snapshot(fd, &n);
	if (!all)
		return -errno;
	for (i = 0; i < n; i++)
		found |= all[i].pid == pid;
	free(all);
	return found;
}

/* --- time ------------------------------------------------------------ */

static inline __u64 mp_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (__u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline __u64 mp_now_ns(void)
{
	return mp_clock_ns(CLOCK_MONOTONIC);
}

/* Sleep @ms of wall time, signals or not. */
static inline void mp_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * NSEC_PER_MSEC };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * How many times slower than a stock kernel this one switches and
 * schedules: $MINIPROC_SLOWDOWN, which the test VM sets on a KASAN and
 * lockdep kernel (tools/vm/init); 1 if unset. Tests that compare clocks
 * across a context switch scale their per-switch allowance by it.
 */
static inline unsigned int mp_slowdown(void)
{
	const char *s = getenv("MINIPROC_SLOWDOWN");
	unsigned long v = s ? strtoul(s, NULL, 10) : 1;

	return v ? v : 1;
}

/* --- the event stream ------------------------------------------------ */

/* A new file with its event buffer started (filter @pid, 0 for all), or -1. */
static inline int mp_open_stream(int pid, bool nonblock)
{
	int fd = open(MINIPROC_DEVICE,
		      O_RDWR | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));

	if (fd >= 0 && mp_event_filter(fd, pid)) {
		close(fd);
		return -1;
	}
	return fd;
}

#define MP_EVENT_LOG_MAX	(2 * MINIPROC_EVENT_BUFFER)

/* Events read so far, in the order read() gave them. */
struct mp_event_log {
	int n;
	struct miniproc_event ev[MP_EVENT_LOG_MAX];
};

/* Append what an O_NONBLOCK @stream has now to @log: 0, or -errno. */
static inline int mp_drain_events(int stream, struct mp_event_log *log)
{
	int n;

	while (log->n < MP_EVENT_LOG_MAX) {
		n = mp_read_events(stream, log->ev + log->n, MP_EVENT_LOG_MAX - log->n);
		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return n;
		log->n += n;
	}
	return 0;
}

static inline bool mp_has_entered(const struct mp_event_log *log, int pid,
				  __u32 state)
{
	int i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].pid == pid && log->ev[i].next_state == state)
			return true;
	return false;
}

/*
 * Read an O_NONBLOCK @stream into @log until @pid has entered @state, for
 * up to MP_POLL_MS: 0, -ETIMEDOUT, or -errno. Waiting for a process this
 * way takes no lock of the module's, as STATUS and WAIT do.
 */
static inline int mp_read_until(int stream, struct mp_event_log *log, int pid,
				__u32 state)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	struct pollfd pfd = { .fd = stream, .events = POLLIN };
	int ret;

	while (!mp_has_entered(log, pid, state)) {
		if (mp_now_ns() > deadline || log->n == MP_EVENT_LOG_MAX)
			return -ETIMEDOUT;
		poll(&pfd, 1, 100);
		ret = mp_drain_events(stream, log);
		if (ret)
			return ret;
	}
	return 0;
}

/* The pid of a process named @name other than @except, or -1. */
static inline int mp_find_named(int fd, const char *name, int except)
{
	struct miniproc_info *all;
	int found = -1;
	__u32 i, n;

	all = mp_snapshot(fd, &n);
	for (i = 0; all && i < n; i++)
		if (!strcmp(all[i].name, name) && all[i].pid != except)
			found = all[i].pid;
	free(all);
	return found;
}

/* --- polling --------------------------------------------------------- */

typedef bool (*mp_pred_t)(const struct miniproc_info *info, const void *arg);

/*
 * STATUS @pid until @pred holds or @timeout_ms pass. Returns 0 with *info
 * the record that matched, -ETIMEDOUT with *info the last record seen, or
 * STATUS's -errno (e.g. -ESRCH once the process is reaped).
 */
static inline int mp_poll(int fd, int pid, mp_pred_t pred, const void *arg,
			  unsigned int timeout_ms, struct miniproc_info *info)
{
	__u64 deadline = mp_now_ns() + MSEC(timeout_ms);
	int ret;

	for (;;) {
		ret = mp_status(fd, pid, info);
		if (ret < 0)
			return ret;
		if (pred(info, arg))
			return 0;
		if (mp_now_ns() > deadline)
			return -ETIMEDOUT;
		usleep(200);
	}
}

struct mp_state_want {
	__u32 state;
	const char *chan;	/* NULL: any */
};

static inline bool mp_state_is(const struct miniproc_info *info, const void *arg)
{
	const struct mp_state_want *want = arg;

	return info->state == want->state &&
	       (!want->chan || !strcmp(info->chan, want->chan));
}

/* Poll until @pid is in @state (and sleeping on @chan, if not NULL). */
static inline int mp_poll_state(int fd, int pid, __u32 state, const char *chan,
				struct miniproc_info *info)
{
	struct mp_state_want want = { state, chan };

	return mp_poll(fd, pid, mp_state_is, &want, MP_POLL_MS, info);
}

/*
 * Poll VERSION until @want slots are in use: the module frees the slot of
 * an autoreap process shortly after the process has gone from STATUS and
 * LIST. 0, -ETIMEDOUT, or -errno.
 */
static inline int mp_poll_nr_used(int fd, int want)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_PROMPT_MS);
	int used;

	while ((used = mp_nr_used(fd)) != want) {
		if (used < 0)
			return used;
		if (mp_now_ns() > deadline)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

static inline bool mp_ran_for(const struct miniproc_info *info, const void *arg)
{
	return info->runtime_ns >= *(const __u64 *)arg;
}

/*
 * Every switch onto a CPU but the first follows a switch off it, counted
 * as voluntary (blocked) or involuntary (preempted, yielded); the first
 * is counted when the program starts. So in any one record:
 * nr_sched_in == nvcsw + nivcsw, plus one while RUNNING or a ZOMBIE (it
 * ends on its CPU).
 */
static inline bool mp_switches_balance(const struct miniproc_info *info)
{
	__u64 on_cpu = info->state == MINIPROC_RUNNING ||
		       info->state == MINIPROC_ZOMBIE;

	return info->nr_sched_in == info->nvcsw + info->nivcsw + on_cpu;
}

/* --- fixtures and cleanup -------------------------------------------- */

/* The largest pid in the table, 0 if it is empty. */
static inline int mp_max_pid(int fd)
{
	struct miniproc_info *all;
	__u32 n;
	int max;

	all = mp_snapshot(fd, &n);
	if (!all)
		return 0;
	max = n ? all[n - 1].pid : 0;	/* LIST is in pid order */
	free(all);
	return max;
}

/*
 * Destroy and reap every process whose pid is above @floor, whoever owns
 * it (the caller is root or owns them all). For teardowns: never asserts.
 */
static inline void mp_cleanup_above(int fd, int floor)
{
	struct miniproc_exit_info exit;
	struct miniproc_info *all;
	__u32 i, n;

	all = mp_snapshot(fd, &n);
	if (!all)
		return;
	for (i = 0; i < n; i++) {
		if (all[i].pid > floor)
			mp_destroy_wait(fd, all[i].pid, &exit);
	}
	free(all);
}

static inline void mp_fixture_setup(struct __test_metadata *_metadata,
				    int *fd, int *floor)
{
	*fd = mp_open();
	ASSERT_LE(0, *fd) TH_LOG("open %s: %s", MINIPROC_DEVICE, strerror(-*fd));
	*floor = mp_max_pid(*fd);
}

static inline void mp_fixture_teardown(int fd, int floor)
{
	if (fd < 0)
		return;
	mp_cleanup_above(fd, floor);
	close(fd);
}

/* A fixture with an open /dev/miniproc, cleaned up after each test. */
#define MINIPROC_FIXTURE(name)						\
	FIXTURE(name) {							\
		int fd;							\
		int floor;						\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		mp_fixture_setup(_metadata, &self->fd, &self->floor);	\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		mp_fixture_teardown(self->fd, self->floor);		\
	}

/* --- CPUs, users, signals, parameters -------------------------------- */

/*
 * Two different online CPUs the caller may use: the test itself runs on
 * *self_cpu, mini-processes on *other_cpu. -1 if there is only one.
 */
static inline int mp_pick_cpus(int *self_cpu, int *other_cpu)
{
	cpu_set_t set;
	int cpu;

	*self_cpu = *other_cpu = -1;
	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (*self_cpu < 0)
			*self_cpu = cpu;
		else
			*other_cpu = cpu;
	}
	return *other_cpu < 0 ? -1 : 0;
}

static inline int mp_pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/*
 * The gid of group @name from /etc/group, read by hand (the tests are
 * static: no NSS). 0, or -ENOENT if there is no such group.
 */
static inline int mp_group_gid(const char *name, gid_t *gid)
{
	size_t len = strlen(name);
	char line[1024], *end;
	unsigned long id;
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/etc/group", "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		/* name:password:gid:members */
		char *p = strchr(line, ':');

		if (!p || (size_t)(p - line) != len || strncmp(line, name, len))
			continue;
		p = strchr(p + 1, ':');
		if (!p)
			continue;
		id = strtoul(p + 1, &end, 10);
		if (end == p + 1 || *end != ':' || id != (gid_t)id)
			continue;
		*gid = id;
		ret = 0;
	}
	fclose(f);
	return ret;
}

/*
 * Become @uid/@gid for good, supplementary groups replaced: by the
 * miniproc group alone if @member (and the system has that group), else
 * by none.
 */
static inline int mp_become_as(uid_t uid, bool member)
{
	gid_t group = 0;
	size_t n = member && !mp_group_gid(MP_GROUP, &group);

	if (setgroups(n, &group) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

/* Become @uid as a user the device is given to: a miniproc group member. */
static inline int mp_become(uid_t uid)
{
	return mp_become_as(uid, true);
}

/* Become @uid in no group but its own: a user the device refuses. */
static inline int mp_become_outsider(uid_t uid)
{
	return mp_become_as(uid, false);
}

/*
 * Run @fn(@arg) in a child process that has become @uid (mp_become_as():
 * in the miniproc group if @member). Returns what @fn returned (0..254:
 * tests return 0 or a positive errno), or -1 if the child could not become
 * @uid, @fn returned 255, or the child died. Share results through
 * MAP_SHARED memory.
 */
static inline int mp_fork_as(uid_t uid, bool member, int (*fn)(void *arg),
			     void *arg)
{
	pid_t child;
	int status;

	fflush(NULL);
	child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		if (mp_become_as(uid, member))
			_exit(255);
		_exit(fn(arg) & 0xff);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

/* What mp_run_as() runs in its child: the device opened, then the step. */
struct mp_run_as_step {
	int (*fn)(int fd, void *arg);
	void *arg;
};

static inline int mp_run_as_open(void *arg)
{
	const struct mp_run_as_step *step = arg;
	int fd = mp_open();

	return fd < 0 ? 255 : step->fn(fd, step->arg);
}

/*
 * Run @fn(fd, arg) in a child process as @uid, a member of the miniproc
 * group (mp_fork_as()), with a /dev/miniproc of its own opened after the
 * switch. Returns what @fn returned, or -1 if the child could not become
 * @uid, open the device, or died.
 */
static inline int mp_run_as(uid_t uid, int (*fn)(int fd, void *arg), void *arg)
{
	struct mp_run_as_step step = { .fn = fn, .arg = arg };

	return mp_fork_as(uid, true, mp_run_as_open, &step);
}

/* Memory shared with children started by mp_run_as(). */
static inline void *mp_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Has the running test failed (or been skipped) so far? 6.1's harness
 * keeps that in ->passed and ->skip, later ones in ->exit_code; the tests
 * build with either (__INC_STEP is 6.1's alone).
 */
#ifdef __INC_STEP
#define MP_TEST_FAILED(m)	(!(m)->passed || (m)->skip)
#else
#define MP_TEST_FAILED(m)	((m)->exit_code != KSFT_PASS)
#endif

static void mp_on_signal(int sig)
{
	(void)sig;
}

/*
 * Deliver SIGALRM to this process after @ms, with a handler installed
 * without SA_RESTART so a blocked ioctl sees the signal. 0 cancels.
 */
static inline int mp_alarm_ms(unsigned int ms)
{
	struct sigaction sa = { .sa_handler = mp_on_signal };
	struct itimerval it = {
		.it_value = { ms / 1000, (ms % 1000) * 1000 },
	};

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return -errno;
	return setitimer(ITIMER_REAL, &it, NULL) ? -errno : 0;
}

/*
 * Scheduler knobs that let a SCHED_FIFO task hold a CPU: RT throttling
 * (up to 6.11) and the fair server (6.12 on) both give fair tasks some of
 * a CPU that a real-time task hogs. Changed for the hog, restored after.
 */
struct mp_knob {
	char path[96];
	char saved[32];
	bool changed;
};

static struct mp_knob mp_hog_knobs[2];

static inline void mp_knob_set(struct mp_knob *k, const char *value)
{
	ssize_t n;
	int fd;

	k->changed = false;
	fd = open(k->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, k->saved, sizeof(k->saved) - 1);
	if (n > 0 && pwrite(fd, value, strlen(value), 0) == (ssize_t)strlen(value)) {
		k->saved[n] = '\0';
		k->changed = true;
	}
	close(fd);
}

/* Put back what mp_hog_start() changed; for teardowns too. */
static inline void mp_hog_restore(void)
{
	size_t i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(mp_hog_knobs); i++) {
		struct mp_knob *k = &mp_hog_knobs[i];

		if (!k->changed)
			continue;
		fd = open(k->path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, k->saved, strlen(k->saved)) < 0)
				perror(k->path);
			close(fd);
		}
		k->changed = false;
	}
}

/*
 * Occupy @cpu for @ms with a SCHED_FIFO child, so that no mini-process
 * pinned there can run meanwhile (root only). Returns once the child is on
 * @cpu: its pid, to pass to mp_hog_finish(), or -errno.
 */
static inline pid_t mp_hog_start(int cpu, unsigned int ms)
{
	struct sched_param sp = { .sched_priority = 1 };
	int pipefd[2];
	pid_t child;
	char c = 0;

	if (access("/sys/kernel/debug/sched", F_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	snprintf(mp_hog_knobs[0].path, sizeof(mp_hog_knobs[0].path),
		 "/proc/sys/kernel/sched_rt_runtime_us");
	mp_knob_set(&mp_hog_knobs[0], "-1");
	snprintf(mp_hog_knobs[1].path, sizeof(mp_hog_knobs[1].path),
		 "/sys/kernel/debug/sched/fair_server/cpu%d/runtime", cpu);
	mp_knob_set(&mp_hog_knobs[1], "0");

	if (pipe(pipefd))
		return -errno;
	fflush(NULL);
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		__u64 end;

		close(pipefd[0]);
		if (mp_pin_self(cpu) || sched_setscheduler(0, SCHED_FIFO, &sp))
			_exit(1);
		end = mp_now_ns() + MSEC(ms);
		if (write(pipefd[1], &c, 1) != 1)
			_exit(1);
		while (mp_now_ns() < end)
			;
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) != 1) {
		close(pipefd[0]);
		waitpid(child, NULL, 0);
		mp_hog_restore();
		return -EPERM;
	}
	close(pipefd[0]);
	return child;
}

/* Wait for the hog to end, signals or not, and restore the knobs. */
static inline int mp_hog_finish(pid_t hog)
{
	int status, ret;

	while ((ret = waitpid(hog, &status, 0)) < 0 && errno == EINTR)
		;
	mp_hog_restore();
	if (ret != hog)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

/* A module parameter as a number, or -errno. */
static inline long mp_param_get(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MP_PARAMS "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static inline int mp_param_set(const char *name, long value)
{
	char path[128], buf[32];
	int fd, len, ret = 0;

	snprintf(path, sizeof(path), MP_PARAMS "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%ld\n", value);
	if (write(fd, buf, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

/* A module parameter as text (no trailing newline): 0, or -errno. */
static inline int mp_param_get_str(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MP_PARAMS "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static inline int mp_param_set_str(const char *name, const char *value)
{
	char path[128];
	int fd, ret = 0;
	ssize_t len = strlen(value);

	snprintf(path, sizeof(path), MP_PARAMS "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

/* --- loading and unloading the module -------------------------------- */

#define MP_MODULE_NAME		"miniproc"
#define MP_SYSFS_MODULE		"/sys/module/" MP_MODULE_NAME

/* PF_KTHREAD, as the kernel's include/linux/sched.h has it. */
#define MP_PF_KTHREAD		0x00200000

static inline int mp_delete_module(int flags)
{
	return syscall(SYS_delete_module, MP_MODULE_NAME, flags) ? -errno : 0;
}

/*
 * Is /dev/miniproc as the udev rule makes it: root's, group @gid, mode
 * MP_DEVICE_MODE?
 */
static inline bool mp_device_ready(gid_t gid)
{
	struct stat st;

	return !stat(MINIPROC_DEVICE, &st) && S_ISCHR(st.st_mode) &&
	       st.st_uid == 0 && st.st_gid == gid &&
	       (st.st_mode & 07777) == MP_DEVICE_MODE;
}

/*
 * After a load, see the device node set up as the udev rule makes it
 * (udev applies it to the node the module created root-only; only then
 * may a member of the group open it): run $MINIPROC_SETTLE if it is set,
 * the test VM's stand-in for udev (tools/vm/devnode.sh), then wait for the
 * node, as `udevadm settle` would. Without a miniproc group on this system
 * there is nothing to wait for. 0, -EIO if $MINIPROC_SETTLE failed, or
 * -ETIMEDOUT after MP_SETTLE_MS (scaled).
 */
static inline int mp_settle_device(void)
{
	const char *settle = getenv("MINIPROC_SETTLE");
	__u64 deadline;
	gid_t gid;

	if (settle && system(settle))
		return -EIO;
	if (mp_group_gid(MP_GROUP, &gid))
		return 0;
	deadline = mp_now_ns() + mp_slowdown() * MSEC(MP_SETTLE_MS);
	while (!mp_device_ready(gid)) {
		if (mp_now_ns() > deadline)
			return -ETIMEDOUT;
		usleep(10000);
	}
	return 0;
}

/*
 * Load $MINIPROC_KO with @params and wait for its device node to be set
 * up (mp_settle_device()); 0 or -errno (-ENOENT without $MINIPROC_KO).
 */
static inline int mp_load_module(const char *params)
{
	const char *ko = getenv("MINIPROC_KO");
	int fd, ret;

	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret ? ret : mp_settle_device();
}

static inline bool mp_module_loaded(void)
{
	return !access(MP_SYSFS_MODULE, F_OK);
}

/*
 * The tids of the module's kernel threads, up to @max: kthreads (PF_KTHREAD
 * in /proc/<pid>/stat) whose comm starts with "miniproc", as the module
 * names them ("miniproc/<pid>"). How many there are, or -errno.
 */
static inline int mp_kthreads(int *tids, int max)
{
	char path[300], stat[512];
	struct dirent *d;
	int n = 0;
	DIR *proc;

	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((d = readdir(proc)) && n < max) {
		unsigned long pflags = 0;
		char *comm, *end;
		ssize_t len;
		int fd;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, stat, sizeof(stat) - 1);
		close(fd);
		if (len <= 0)
			continue;
		stat[len] = '\0';
		/* pid (comm) state ppid pgrp session tty tpgid flags */
		comm = strchr(stat, '(');
		end = strrchr(stat, ')');
		if (!comm || !end)
			continue;
		if (sscanf(end + 2, "%*c %*d %*d %*d %*d %*d %lu", &pflags) != 1)
			continue;
		if ((pflags & MP_PF_KTHREAD) && !strncmp(comm + 1, "miniproc", 8))
			tids[n++] = atoi(d->d_name);
	}
	closedir(proc);
	return n;
}

/* Poll until no kthread of the module is left: how many there still are. */
static inline int mp_kthreads_gone(int *tids, int max)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_PROMPT_MS);
	int n;

	while ((n = mp_kthreads(tids, max)) > 0 && mp_now_ns() < deadline)
		usleep(10000);
	return n;
}

static inline pid_t mp_gettid(void)
{
	return syscall(SYS_gettid);
}

/* Is thread @tid of this process blocked (state S or D in its stat)? */
static inline bool mp_thread_blocked(pid_t tid)
{
	char path[64], buf[256], *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	end = strrchr(buf, ')');
	return end && (end[2] == 'S' || end[2] == 'D');
}

/*
 * Skip when /dev/miniproc is absent: before the harness prints anything.
 * And make standard output line-buffered: the harness runs each test in a
 * child that ends with _exit(), which drops what stdio still buffers, so
 * a test's own ksft_print_msg() lines (its figures) were lost whenever
 * stdout was a file or pipe, as it is in the VM.
 */
static void __attribute__((constructor)) mp_require_device(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(MINIPROC_DEVICE, F_OK))
		ksft_exit_skip("%s is absent: load miniproc.ko first\n",
			       MINIPROC_DEVICE);
}

#endif /* MINIPROC_UTIL_H */
