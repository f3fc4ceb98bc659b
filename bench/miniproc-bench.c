// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc-bench: measure miniproc against its floor and its alternatives,
 * all in one run, in the VM (`make bench`). Issue 6 names the six items and
 * their goals; each is measured here side by side with what it is compared
 * to, so that only ratios from the same run are judged.
 *
 *   miniproc-bench [-k MINIPROC_KO] [-b BENCH_KO] [-o FILE.tsv] [-s FILE.tsv] [-q]
 *
 * It loads and unloads miniproc.ko itself (with the table sizes each item
 * needs) and the benchmark-only module miniproc_bench.ko (bench/kmod/),
 * prints a table and writes it as TSV (-o), and the cost-against-processes
 * series for the plot (-s). -q runs fewer repetitions, to try it out.
 *
 * Every figure is the median of repeated runs, after a warm-up run, with
 * the lowest and highest run as its spread. A row's goal is checked against
 * the measured figures, never assumed: PASS or MISS (INFO for figures that
 * have no goal).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/miniproc.h>

#include "kmod/miniproc_bench.h"

#define NSEC_PER_SEC		1000000000ULL
#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_USEC		1000ULL

/* The goals, as ratios (or bounds) checked below. */
#define GOAL_STATUS_VS_NULL	1.6	/* STATUS at most 1.6x a null ioctl */
#define GOAL_LIST_VS_PROC	50.0	/* LIST at least 50x cheaper per process */
#define GOAL_LIST_LINEAR	1.5	/* per-process LIST cost: 4096 vs 512 */
#define GOAL_LIST_NPROC		1.25	/* LIST of 64: nproc 65536 vs 64 */
#define GOAL_LIFE_VS_KTHREAD	1.25	/* lifecycle at most 1.25x raw kthread */
#define GOAL_PINGPONG		1.02	/* under 2% slower with the hooks */
#define GOAL_CPU_WORK		0.98	/* under 2% less CPU work */
#define GOAL_YIELD		1.10	/* yield under 10% slower */
#define GOAL_SCALE_FLAT		1.5	/* per-op cost at 4096 vs 64: "flat" */
#define GOAL_READERS		1.02	/* 1,000 idle readers: under 2% slower */
/*
 * Control latency: the 1 ms safe-point rule plus scheduling delay, taken
 * as one tick of Debian's kernels (CONFIG_HZ=250): the woken caller may
 * wait that long for a CPU.
 */
#define SAFE_POINT_NS		NSEC_PER_MSEC
#define SCHED_DELAY_NS		(4 * NSEC_PER_MSEC)
#define GOAL_CONTROL_NS		(SAFE_POINT_NS + SCHED_DELAY_NS)

#define LIST_SIZES		{ 64, 512, 4096 }
#define NR_LIST_SIZES		3
#define SCALE_SMALL		64
#define SCALE_LARGE		4096
#define NPROC_SMALL		64
#define NPROC_LARGE		4096
#define NPROC_HUGE		65536
#define NR_BUSY			64	/* item 4: busy and sleeping processes */
#define NR_READERS		1000	/* item 7: readers open, not reading */
#define READERS_PARAM		"/sys/module/miniproc/parameters/max_readers_per_uid"
#define MAX_RUNS		64
/* Item 6 waits for the processes to settle between ops: how long, at most. */
#define SETTLE_MAX_NS		(120 * NSEC_PER_SEC)
#define SETTLE_POLL_NS		(10 * NSEC_PER_MSEC)

/* A sleep op of the longest allowed length, in a loop: sleeps forever. */
#define FOREVER_NS		MINIPROC_DURATION_MAX_NS

/* How much of everything: the full run, and -q's shorter one. */
struct plan {
	int runs;		/* repetitions of each figure */
	int calls;		/* ioctls per run of item 1 */
	int list_calls;		/* LISTs per run of item 2 */
	int life_iters;		/* lifecycles per run of item 3 */
	int pingpongs;		/* round trips per run of item 4 */
	int pingpong_rounds;	/* module loaded/unloaded alternations */
	int work_ms;		/* window of item 4's CPU work */
	int yields;		/* iterations of item 4's yield loop */
	int ctl_samples;	/* item 5's samples */
	int scale_runs_large;	/* item 6's runs at 4096 */
};

static const struct plan plan_full = {
	.runs = 9, .calls = 2000, .list_calls = 5, .life_iters = 40,
	.pingpongs = 2000, .pingpong_rounds = 3, .work_ms = 2000,
	.yields = 20000, .ctl_samples = 200, .scale_runs_large = 2,
};

static const struct plan plan_quick = {
	.runs = 3, .calls = 300, .list_calls = 2, .life_iters = 10,
	.pingpongs = 300, .pingpong_rounds = 1, .work_ms = 300,
	.yields = 2000, .ctl_samples = 20, .scale_runs_large = 1,
};

static const struct plan *plan = &plan_full;
static const char *miniproc_ko;
static const char *bench_ko;
static FILE *tsv;
static FILE *series;
static int failures;

/* --- small things --------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "miniproc-bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* Count a failed operation of the benchmarked API and say what it was. */
static void fail(const char *what, int err)
{
	failures++;
	if (failures < 10)
		fprintf(stderr, "miniproc-bench: %s: %s\n", what, strerror(err));
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity: %s", strerror(errno));
}

static void unpin_self(void)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	long i;

	CPU_ZERO(&set);
	for (i = 0; i < n; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / NSEC_PER_SEC,
			       .tv_nsec = ns % NSEC_PER_SEC };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* --- statistics ----------------------------------------------------- */

struct stats {
	double med, min, max;
	int n;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double percentile(const double *sorted, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
}

static struct stats stats_of(const double *v, int n)
{
	double s[4096];
	struct stats st = { 0 };

	if (n <= 0)
		return st;
	if (n > (int)(sizeof(s) / sizeof(s[0])))
		n = sizeof(s) / sizeof(s[0]);
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	st.med = percentile(s, n, 0.5);
	st.min = s[0];
	st.max = s[n - 1];
	st.n = n;
	return st;
}

/* The median and extremes of any number of samples. */
static struct stats stats_of_all(const double *v, int n)
{
	double *s = malloc(n * sizeof(*s));
	struct stats st = { 0 };

	if (!s || n <= 0) {
		free(s);
		return st;
	}
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	st.med = percentile(s, n, 0.5);
	st.min = s[0];
	st.max = s[n - 1];
	st.n = n;
	free(s);
	return st;
}

/* --- the report ----------------------------------------------------- */

/*
 * One row: a figure with its spread, and, if it is judged, the goal and
 * whether it was met. Printed as a table line and written as TSV.
 */
static void row(int item, const char *key, const char *what, struct stats st,
		const char *unit, const char *goal, int met)
{
	const char *result = met < 0 ? "INFO" : met ? "PASS" : "MISS";

	printf("%-2d %-46s %12.4g %12.4g %12.4g %-8s %-26s %s\n", item, what,
	       st.med, st.min, st.max, unit, goal ? goal : "-", result);
	fflush(stdout);
	if (tsv) {
		fprintf(tsv, "%d\t%s\t%s\t%.6g\t%.6g\t%.6g\t%s\t%s\t%s\n", item,
			key, what, st.med, st.min, st.max, unit,
			goal ? goal : "-", result);
		fflush(tsv);
	}
}

/* A figure without a goal. */
static void info(int item, const char *key, const char *what, struct stats st,
		 const char *unit)
{
	row(item, key, what, st, unit, NULL, -1);
}

/*
 * The ratio of two figures measured in alternation, run i of one with run i
 * of the other: the median of the per-run ratios, and their spread.
 */
static struct stats ratio_of(const double *a, const double *b, int n)
{
	double r[MAX_RUNS];
	int i;

	for (i = 0; i < n && i < MAX_RUNS; i++)
		r[i] = b[i] > 0 ? a[i] / b[i] : 0;
	return stats_of(r, i);
}

static void judge_le(int item, const char *key, const char *what,
		     struct stats r, double limit)
{
	char goal[64];

	snprintf(goal, sizeof(goal), "<= %.2fx", limit);
	row(item, key, what, r, "x", goal, r.med <= limit);
}

static void judge_ge(int item, const char *key, const char *what,
		     struct stats r, double limit)
{
	char goal[64];

	snprintf(goal, sizeof(goal), ">= %.2fx", limit);
	row(item, key, what, r, "x", goal, r.med >= limit);
}

static void put_series(const char *name, int n, struct stats st)
{
	if (series) {
		fprintf(series, "%s\t%d\t%.6g\t%.6g\t%.6g\n", name, n, st.med,
			st.min, st.max);
		fflush(series);
	}
}

/* --- loading the modules -------------------------------------------- */

static void load_module(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (syscall(SYS_finit_module, fd, params, 0))
		die("insmod %s %s: %s", path, params, strerror(errno));
	close(fd);
}

static void unload_module(const char *name)
{
	int tries;

	/* The last file's release may still be on its way: retry a while. */
	for (tries = 0; tries < 100; tries++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return;
		if (errno == ENOENT)
			return;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			break;
		sleep_ns(10 * NSEC_PER_MSEC);
	}
	die("rmmod %s: %s", name, strerror(errno));
}

static bool module_loaded(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return !stat(path, &st);
}

/* (Re)load miniproc with @nproc slots, every one of them root's to take. */
static void load_miniproc(unsigned int nproc)
{
	char params[96];

	if (module_loaded("miniproc"))
		unload_module("miniproc");
	snprintf(params, sizeof(params), "nproc=%u max_per_uid=%u", nproc,
		 nproc);
	load_module(miniproc_ko, params);
}

static int open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

/* --- the miniproc API ------------------------------------------------- */

static struct miniproc_op op(uint32_t code, uint64_t arg)
{
	struct miniproc_op o = { .code = code, .arg = arg };

	return o;
}

/* The programs the benchmark runs. */
struct prog {
	struct miniproc_op ops[4];
	uint32_t len;
};

static struct prog prog_exit0(void)
{
	struct prog p = { .ops = { op(MINIPROC_OP_EXIT, 0) }, .len = 1 };

	return p;
}

static struct prog prog_sleep_forever(void)
{
	struct prog p = { .ops = { op(MINIPROC_OP_LOOP, 0),
				   op(MINIPROC_OP_SLEEP, FOREVER_NS),
				   op(MINIPROC_OP_END, 0) }, .len = 3 };

	return p;
}

static struct prog prog_cpu_forever(void)
{
	struct prog p = { .ops = { op(MINIPROC_OP_LOOP, 0),
				   op(MINIPROC_OP_CPU, FOREVER_NS),
				   op(MINIPROC_OP_END, 0) }, .len = 3 };

	return p;
}

static struct prog prog_yield(uint64_t n)
{
	struct prog p = { .ops = { op(MINIPROC_OP_LOOP, n),
				   op(MINIPROC_OP_YIELD, 0),
				   op(MINIPROC_OP_END, 0),
				   op(MINIPROC_OP_EXIT, 0) }, .len = 4 };

	return p;
}

/* CREATE; pinned to @cpu if it is not negative. Returns the pid or -errno. */
static int mp_create(int fd, const struct prog *p, int cpu)
{
	struct miniproc_create c = {
		.size = sizeof(c),
		.prog = (uintptr_t)p->ops,
		.prog_len = p->len,
	};

	strcpy(c.name, "bench");
	if (cpu >= 0) {
		c.flags = MINIPROC_CREATE_PIN;
		c.cpu = cpu;
	}
	if (ioctl(fd, MINIPROC_IOC_CREATE, &c) < 0)
		return -errno;
	return c.pid;
}

static int mp_wait(int fd, int pid, struct miniproc_exit_info *exit)
{
	struct miniproc_wait w = { .size = sizeof(w), .pid = pid };

	if (ioctl(fd, MINIPROC_IOC_WAIT, &w) < 0)
		return -errno;
	if (exit)
		*exit = w.exit;
	return 0;
}

static int mp_destroy(int fd, int pid, uint32_t flags)
{
	struct miniproc_destroy d = { .size = sizeof(d), .pid = pid,
				      .flags = flags };

	return ioctl(fd, MINIPROC_IOC_DESTROY, &d) < 0 ? -errno : 0;
}

static int mp_ctl(int fd, unsigned long cmd, int pid)
{
	struct miniproc_ctl c = { .size = sizeof(c), .pid = pid };

	return ioctl(fd, cmd, &c) < 0 ? -errno : 0;
}

static int mp_status(int fd, int pid, struct miniproc_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->pid = pid;
	return ioctl(fd, MINIPROC_IOC_STATUS, info) < 0 ? -errno : 0;
}

/* LIST into @recs (room for @cap); returns the count or -errno. */
static int mp_list(int fd, struct miniproc_info *recs, unsigned int cap)
{
	struct miniproc_list l = {
		.size = sizeof(l),
		.rec_size = sizeof(*recs),
		.buf = (uintptr_t)recs,
		.capacity = cap,
	};

	if (ioctl(fd, MINIPROC_IOC_LIST, &l) < 0)
		return -errno;
	return l.count;
}

/*
 * Create @n processes running @p into @pids; if @lat is given, each
 * CREATE's latency goes there.
 */
static void create_n(int fd, const struct prog *p, int *pids, int n,
		     double *lat)
{
	int i;

	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		pids[i] = mp_create(fd, p, -1);
		if (lat)
			lat[i] = (double)(now_ns() - t0);
		if (pids[i] < 0)
			fail("CREATE", -pids[i]);
	}
}

/*
 * Destroy @n processes, then reap them: all are killed first, so that they
 * end together instead of each waiting for its turn on a CPU.
 */
static void destroy_n(int fd, const int *pids, int n)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		ret = mp_destroy(fd, pids[i], 0);
		if (ret)
			fail("DESTROY", -ret);
	}
	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		ret = mp_wait(fd, pids[i], NULL);
		if (ret)
			fail("WAIT", -ret);
	}
}

/* --- item 1: STATUS against a null ioctl ------------------------------ */

/* An ioctl the module does not know: answered -ENOTTY, the floor. */
#define NULL_IOCTL	_IO(MINIPROC_IOC_MAGIC, 0x7f)

static double time_null(int fd, int calls)
{
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < calls; i++)
		if (ioctl(fd, NULL_IOCTL, NULL) != -1 || errno != ENOTTY)
			fail("null ioctl", errno);
	return (double)(now_ns() - t0) / calls;
}

/*
 * VERSION: a struct copied in and out, no lock, no lookup; between the
 * null ioctl and STATUS, it says what the copying alone costs.
 */
static double time_version(int fd, int calls)
{
	struct miniproc_version v;
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < calls; i++) {
		memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
		if (ioctl(fd, MINIPROC_IOC_VERSION, &v))
			fail("VERSION", errno);
	}
	return (double)(now_ns() - t0) / calls;
}

static double time_status(int fd, int pid, int calls)
{
	struct miniproc_info info;
	uint64_t t0 = now_ns();
	int i, ret;

	for (i = 0; i < calls; i++) {
		ret = mp_status(fd, pid, &info);
		if (ret)
			fail("STATUS", -ret);
	}
	return (double)(now_ns() - t0) / calls;
}

static void item_status(int fd)
{
	struct prog sleeper = prog_sleep_forever();
	double null_ns[MAX_RUNS], status_ns[MAX_RUNS], version_ns[MAX_RUNS];
	int pid = mp_create(fd, &sleeper, -1);
	int r;

	if (pid < 0)
		die("CREATE: %s", strerror(-pid));
	/* Warm up, then alternate so that drift hits both alike. */
	time_null(fd, plan->calls);
	time_status(fd, pid, plan->calls);
	time_version(fd, plan->calls);
	for (r = 0; r < plan->runs; r++) {
		null_ns[r] = time_null(fd, plan->calls);
		status_ns[r] = time_status(fd, pid, plan->calls);
		version_ns[r] = time_version(fd, plan->calls);
	}
	info(1, "null_ioctl", "null ioctl (-ENOTTY), per call",
	     stats_of(null_ns, plan->runs), "ns");
	info(1, "status", "STATUS, per call", stats_of(status_ns, plan->runs),
	     "ns");
	info(1, "version", "VERSION (copy in and out only), per call",
	     stats_of(version_ns, plan->runs), "ns");
	judge_le(1, "status_vs_null", "STATUS / null ioctl",
		 ratio_of(status_ns, null_ns, plan->runs), GOAL_STATUS_VS_NULL);
	info(1, "version_vs_null", "VERSION / null ioctl",
	     ratio_of(version_ns, null_ns, plan->runs), "x");
	destroy_n(fd, &pid, 1);
}

/* --- item 2: LIST against /proc/<pid>/stat ---------------------------- */

/* ns per process of one LIST of @n processes (and init), best of a few. */
static double time_list(int fd, struct miniproc_info *recs, int n)
{
	double v[MAX_RUNS];
	int i, got;

	for (i = 0; i < plan->list_calls; i++) {
		uint64_t t0 = now_ns();

		got = mp_list(fd, recs, n + 1);
		v[i] = (double)(now_ns() - t0);
		if (got < 0)
			fail("LIST", -got);
		else
			v[i] /= got;
	}
	return stats_of(v, plan->list_calls).med;
}

/* ns per task of opening and reading /proc/<pid>/stat for @n tasks. */
static double time_proc_stat(const int *pids, int n)
{
	char path[64], buf[1024];
	uint64_t t0 = now_ns();
	int i, fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/stat", pids[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
			fail("/proc/<pid>/stat", errno);
		if (fd >= 0)
			close(fd);
	}
	return (double)(now_ns() - t0) / n;
}

/*
 * Real tasks for /proc to describe, as ps finds them: sleeping processes,
 * one thread each. (Threads of one process would not do: their
 * /proc/<tid>/stat sums over the whole thread group, O(threads) a read.)
 */
struct sleepers {
	pid_t *pids;
	int n;
};

static void sleepers_start(struct sleepers *s, int n)
{
	int i;

	s->n = 0;
	s->pids = calloc(n, sizeof(*s->pids));
	if (!s->pids)
		die("out of memory");
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid)
			for (;;)
				pause();
		s->pids[s->n++] = pid;
	}
}

static void sleepers_stop(struct sleepers *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		kill(s->pids[i], SIGKILL);
	for (i = 0; i < s->n; i++)
		waitpid(s->pids[i], NULL, 0);
	free(s->pids);
}

static void item_list(void)
{
	static const int sizes[NR_LIST_SIZES] = LIST_SIZES;
	double list_ns[NR_LIST_SIZES][MAX_RUNS], proc_ns[NR_LIST_SIZES][MAX_RUNS];
	struct prog sleeper = prog_sleep_forever();
	int max = sizes[NR_LIST_SIZES - 1];
	struct miniproc_info *recs = calloc(max + 1, sizeof(*recs));
	int *pids = calloc(max, sizeof(*pids));
	struct sleepers s;
	char what[96], key[32];
	int fd, i, r, have = 0;

	if (!recs || !pids)
		die("out of memory");
	load_miniproc(NPROC_LARGE);
	fd = open_dev(MINIPROC_DEVICE);
	sleepers_start(&s, max);
	for (i = 0; i < NR_LIST_SIZES; i++) {
		create_n(fd, &sleeper, pids + have, sizes[i] - have, NULL);
		have = sizes[i];
		time_list(fd, recs, sizes[i]);
		time_proc_stat(s.pids, sizes[i]);
		for (r = 0; r < plan->runs; r++) {
			list_ns[i][r] = time_list(fd, recs, sizes[i]);
			proc_ns[i][r] = time_proc_stat(s.pids, sizes[i]);
		}
	}
	sleepers_stop(&s);
	destroy_n(fd, pids, have);
	close(fd);

	for (i = 0; i < NR_LIST_SIZES; i++) {
		struct stats l = stats_of(list_ns[i], plan->runs);
		struct stats p = stats_of(proc_ns[i], plan->runs);

		snprintf(what, sizeof(what), "LIST of %d, per process", sizes[i]);
		snprintf(key, sizeof(key), "list_%d", sizes[i]);
		info(2, key, what, l, "ns");
		snprintf(what, sizeof(what), "/proc/<pid>/stat of %d, per process",
			 sizes[i]);
		snprintf(key, sizeof(key), "procstat_%d", sizes[i]);
		info(2, key, what, p, "ns");
		snprintf(what, sizeof(what), "/proc stat / LIST, %d", sizes[i]);
		snprintf(key, sizeof(key), "proc_vs_list_%d", sizes[i]);
		judge_ge(2, key, what, ratio_of(proc_ns[i], list_ns[i], plan->runs),
			 GOAL_LIST_VS_PROC);
		put_series("LIST", sizes[i], l);
		put_series("/proc/<pid>/stat", sizes[i], p);
	}
	judge_le(2, "list_linear", "LIST per process, 4096 / 512",
		 ratio_of(list_ns[2], list_ns[1], plan->runs), GOAL_LIST_LINEAR);
	free(recs);
	free(pids);
}

/* LIST of 64 processes with tables of @nproc slots: ns per process. */
static void time_list_nproc(unsigned int nproc, double *out)
{
	struct prog sleeper = prog_sleep_forever();
	struct miniproc_info recs[NPROC_SMALL + 1];
	int pids[NPROC_SMALL];
	int fd, r;

	load_miniproc(nproc);
	fd = open_dev(MINIPROC_DEVICE);
	create_n(fd, &sleeper, pids, NPROC_SMALL, NULL);
	time_list(fd, recs, NPROC_SMALL);
	for (r = 0; r < plan->runs; r++)
		out[r] = time_list(fd, recs, NPROC_SMALL);
	destroy_n(fd, pids, NPROC_SMALL);
	close(fd);
}

static void item_list_nproc(void)
{
	double small[MAX_RUNS], huge[MAX_RUNS];
	char what[96];

	time_list_nproc(NPROC_SMALL, small);
	time_list_nproc(NPROC_HUGE, huge);
	snprintf(what, sizeof(what), "LIST of 64, nproc=%d, per process",
		 NPROC_SMALL);
	info(2, "list_64_nproc_small", what, stats_of(small, plan->runs), "ns");
	snprintf(what, sizeof(what), "LIST of 64, nproc=%d, per process",
		 NPROC_HUGE);
	info(2, "list_64_nproc_huge", what, stats_of(huge, plan->runs), "ns");
	snprintf(what, sizeof(what), "LIST of 64, nproc %d / %d", NPROC_HUGE,
		 NPROC_SMALL);
	judge_le(2, "list_nproc", what, ratio_of(huge, small, plan->runs),
		 GOAL_LIST_NPROC);
}

/* --- item 3: lifecycle ------------------------------------------------ */

static double time_mp_life(int fd, int n)
{
	struct prog p = prog_exit0();
	uint64_t t0 = now_ns();
	int i, pid, ret;

	for (i = 0; i < n; i++) {
		pid = mp_create(fd, &p, -1);
		if (pid < 0) {
			fail("CREATE", -pid);
			continue;
		}
		ret = mp_wait(fd, pid, NULL);
		if (ret)
			fail("WAIT", -ret);
	}
	return (double)(now_ns() - t0) / n;
}

static double time_kthread_life(int bfd, int n)
{
	struct miniproc_bench_arg a = { .n = n };

	if (ioctl(bfd, MINIPROC_BENCH_IOC_LIFECYCLE, &a))
		die("bench LIFECYCLE: %s", strerror(errno));
	return (double)a.ns / n;
}

static double time_fork_life(int n)
{
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (!pid)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			die("fork/waitpid: %s", strerror(errno));
	}
	return (double)(now_ns() - t0) / n;
}

static void *thread_exit0(void *arg)
{
	return arg;
}

static double time_thread_life(int n)
{
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread_exit0, NULL) ||
		    pthread_join(t, NULL))
			die("pthread_create/join failed");
	}
	return (double)(now_ns() - t0) / n;
}

/* Context switches of the calling process so far, voluntary or not. */
static long self_switches(void)
{
	char line[256];
	long n = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("/proc/self/status: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "ctxt_switches:"))
			n += atol(strchr(line, ':') + 1);
	fclose(f);
	return n;
}

static void item_lifecycle(int fd, int bfd)
{
	double mp[MAX_RUNS], kt[MAX_RUNS], fk[MAX_RUNS], th[MAX_RUNS];
	int n = plan->life_iters;
	int r;

	time_mp_life(fd, n);
	time_kthread_life(bfd, n);
	time_fork_life(n);
	time_thread_life(n);
	for (r = 0; r < plan->runs; r++) {
		mp[r] = time_mp_life(fd, n);
		kt[r] = time_kthread_life(bfd, n);
		fk[r] = time_fork_life(n);
		th[r] = time_thread_life(n);
	}
	info(3, "life_miniproc", "CREATE exit:0 + WAIT", stats_of(mp, plan->runs),
	     "ns");
	info(3, "life_kthread", "kthread_create+wake+kthread_stop (in kernel)",
	     stats_of(kt, plan->runs), "ns");
	info(3, "life_fork", "fork + waitpid", stats_of(fk, plan->runs), "ns");
	info(3, "life_pthread", "pthread_create + pthread_join",
	     stats_of(th, plan->runs), "ns");
	judge_le(3, "life_vs_kthread", "miniproc / raw kthread",
		 ratio_of(mp, kt, plan->runs), GOAL_LIFE_VS_KTHREAD);
	judge_le(3, "life_vs_fork", "miniproc / fork+waitpid",
		 ratio_of(mp, fk, plan->runs), 1.0);
	info(3, "life_vs_pthread", "miniproc / pthread",
	     ratio_of(mp, th, plan->runs), "x");

	/* Where the difference goes: how often the caller is switched out. */
	{
		struct stats sw = { .n = 1 };
		long s0 = self_switches();

		time_mp_life(fd, n);
		sw.med = sw.min = sw.max = (double)(self_switches() - s0) / n;
		info(3, "switches_miniproc", "caller's switches per CREATE+WAIT",
		     sw, "");
		s0 = self_switches();
		time_kthread_life(bfd, n);
		sw.med = sw.min = sw.max = (double)(self_switches() - s0) / n;
		info(3, "switches_kthread", "caller's switches per raw kthread",
		     sw, "");
	}
}

/* --- item 4: the price of mirroring the scheduler --------------------- */

/* ns per switch of a pipe ping-pong between two tasks on one CPU. */
static double time_pingpong(int n)
{
	int ab[2], ba[2];
	char c = 0;
	uint64_t t0;
	pid_t pid;
	int i;

	if (pipe(ab) || pipe(ba))
		die("pipe: %s", strerror(errno));
	pin_self(0);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		for (i = 0; i < n; i++)
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			die("ping-pong: %s", strerror(errno));
	t0 = now_ns() - t0;
	waitpid(pid, NULL, 0);
	close(ab[0]);
	close(ab[1]);
	close(ba[0]);
	close(ba[1]);
	unpin_self();
	/* Each round trip is two switches. */
	return (double)t0 / (2.0 * n);
}

static void item_pingpong(void)
{
	double on[MAX_RUNS], off[MAX_RUNS];
	struct prog sleeper = prog_sleep_forever();
	int per = plan->runs / plan->pingpong_rounds;
	int pids[NR_BUSY];
	int round, r, k = 0, fd;

	if (per < 1)
		per = 1;
	for (round = 0; round < plan->pingpong_rounds; round++) {
		load_miniproc(NPROC_SMALL);
		fd = open_dev(MINIPROC_DEVICE);
		create_n(fd, &sleeper, pids, NR_BUSY, NULL);
		time_pingpong(plan->pingpongs);
		for (r = 0; r < per; r++)
			on[k + r] = time_pingpong(plan->pingpongs);
		destroy_n(fd, pids, NR_BUSY);
		close(fd);
		unload_module("miniproc");
		time_pingpong(plan->pingpongs);
		for (r = 0; r < per; r++)
			off[k + r] = time_pingpong(plan->pingpongs);
		k += per;
	}
	info(4, "pingpong_loaded", "pipe ping-pong, module + 64 sleeping",
	     stats_of(on, k), "ns");
	info(4, "pingpong_unloaded", "pipe ping-pong, module not loaded",
	     stats_of(off, k), "ns");
	judge_le(4, "pingpong", "ping-pong loaded / not loaded",
		 ratio_of(on, off, k), GOAL_PINGPONG);
}

/* Sum of the scheduler's run time of tasks @tids: /proc/<tid>/schedstat. */
static uint64_t schedstat_sum(const int *tids, int n)
{
	unsigned long long run;
	uint64_t sum = 0;
	char path[64];
	FILE *f;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/schedstat", tids[i]);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%llu", &run) != 1)
			die("%s: %s", path, strerror(errno));
		fclose(f);
		sum += run;
	}
	return sum;
}

/* USER_HZ ticks the CPUs have been idle, from /proc/stat's "cpu" line. */
static uint64_t idle_ticks(void)
{
	unsigned long long user, nice, sys, idle, iowait;
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu", &user, &nice, &sys,
			 &idle, &iowait) != 5)
		die("/proc/stat: %s", strerror(errno));
	fclose(f);
	return idle + iowait;
}

/*
 * CPUs' worth of work the tasks @tids do over the window: their run time
 * (the scheduler's) over wall time; and in *@idle the CPUs' worth of idle
 * time meanwhile, to tell time lost to idling from time lost elsewhere.
 */
static double work_rate(const int *tids, int n, double *idle)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t w0, w1, t0, t1, i0, i1;

	t0 = now_ns();
	i0 = idle_ticks();
	w0 = schedstat_sum(tids, n);
	sleep_ns(plan->work_ms * NSEC_PER_MSEC);
	t1 = now_ns();
	i1 = idle_ticks();
	w1 = schedstat_sum(tids, n);
	*idle = (double)(i1 - i0) * NSEC_PER_SEC / hz / (double)(t1 - t0);
	return (double)(w1 - w0) / (double)(t1 - t0);
}

/* The tids of the bench module's spinners, found by their name. */
static int spinner_tids(int *tids, int max)
{
	char path[300], comm[64];
	struct dirent *e;
	DIR *d = opendir("/proc");
	int n = 0;
	FILE *f;

	if (!d)
		die("/proc: %s", strerror(errno));
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, "mpbench-spin/", strlen("mpbench-spin/")))
			tids[n++] = atoi(e->d_name);
		fclose(f);
	}
	closedir(d);
	return n;
}

static double mp_work(int fd, double *idle)
{
	struct prog busy = prog_cpu_forever();
	struct miniproc_info recs[NR_BUSY + 1];
	int pids[NR_BUSY], tids[NR_BUSY];
	int i, n, k = 0;
	double rate;

	create_n(fd, &busy, pids, NR_BUSY, NULL);
	n = mp_list(fd, recs, NR_BUSY + 1);
	for (i = 0; i < n; i++)
		if (recs[i].pid != MINIPROC_INIT_PID && recs[i].tid > 0)
			tids[k++] = recs[i].tid;
	if (k != NR_BUSY)
		fail("LIST of the busy processes", ESRCH);
	rate = work_rate(tids, k, idle);
	destroy_n(fd, pids, NR_BUSY);
	return rate;
}

static double kthread_work(int bfd, double *idle)
{
	struct miniproc_bench_arg a = { .n = NR_BUSY };
	int tids[NR_BUSY];
	double rate;
	int n;

	if (ioctl(bfd, MINIPROC_BENCH_IOC_SPIN_START, &a))
		die("bench SPIN_START: %s", strerror(errno));
	n = spinner_tids(tids, NR_BUSY);
	if (n != NR_BUSY)
		die("found %d of the %d spinners", n, NR_BUSY);
	rate = work_rate(tids, n, idle);
	if (ioctl(bfd, MINIPROC_BENCH_IOC_SPIN_STOP, &a))
		die("bench SPIN_STOP: %s", strerror(errno));
	return rate;
}

static void item_cpu_work(int fd, int bfd)
{
	double mp[MAX_RUNS], kt[MAX_RUNS], mp_idle[MAX_RUNS], kt_idle[MAX_RUNS];
	int r;

	mp_work(fd, mp_idle);
	kthread_work(bfd, kt_idle);
	for (r = 0; r < plan->runs; r++) {
		mp[r] = mp_work(fd, &mp_idle[r]);
		kt[r] = kthread_work(bfd, &kt_idle[r]);
	}
	info(4, "work_miniproc", "CPU work of 64 busy mini-processes",
	     stats_of(mp, plan->runs), "CPUs");
	info(4, "work_kthread", "CPU work of 64 plain kthreads",
	     stats_of(kt, plan->runs), "CPUs");
	info(4, "idle_miniproc", "idle meanwhile, mini-processes",
	     stats_of(mp_idle, plan->runs), "CPUs");
	info(4, "idle_kthread", "idle meanwhile, kthreads",
	     stats_of(kt_idle, plan->runs), "CPUs");
	judge_ge(4, "work", "CPU work miniproc / kthread",
		 ratio_of(mp, kt, plan->runs), GOAL_CPU_WORK);
}

/* The CPU the yielders run on, away from the benchmark itself on CPU 0. */
#define YIELD_CPU	1

static double mp_yield(int fd)
{
	struct prog p = prog_yield(plan->yields);
	struct miniproc_exit_info exit = { 0 };
	int pid, ret;

	pid = mp_create(fd, &p, YIELD_CPU);
	if (pid < 0)
		die("CREATE: %s", strerror(-pid));
	ret = mp_wait(fd, pid, &exit);
	if (ret)
		die("WAIT: %s", strerror(-ret));
	return (double)exit.runtime_ns / plan->yields;
}

static double kthread_yield(int bfd)
{
	struct miniproc_bench_arg a = { .n = plan->yields, .cpu = YIELD_CPU };

	if (ioctl(bfd, MINIPROC_BENCH_IOC_YIELD, &a))
		die("bench YIELD: %s", strerror(errno));
	return (double)a.ns / plan->yields;
}

static void item_yield(int fd, int bfd)
{
	double mp[MAX_RUNS], kt[MAX_RUNS];
	int r;

	pin_self(0);
	mp_yield(fd);
	kthread_yield(bfd);
	for (r = 0; r < plan->runs; r++) {
		mp[r] = mp_yield(fd);
		kt[r] = kthread_yield(bfd);
	}
	unpin_self();
	info(4, "yield_miniproc", "*(yield) mini-process, per iteration",
	     stats_of(mp, plan->runs), "ns");
	info(4, "yield_kthread", "schedule() loop kthread, per iteration",
	     stats_of(kt, plan->runs), "ns");
	judge_le(4, "yield", "yield miniproc / kthread",
		 ratio_of(mp, kt, plan->runs), GOAL_YIELD);
}

/* --- item 7: what idle readers of the event stream cost ----------------- */

static unsigned int read_param(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned int v;

	if (!f || fscanf(f, "%u", &v) != 1)
		die("%s: %s", path, f ? "not a number" : strerror(errno));
	fclose(f);
	return v;
}

static void write_param(const char *path, unsigned int v)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%u\n", v) < 0 || fclose(f))
		die("%s: %s", path, strerror(errno));
}

/*
 * @n files reading every process's events (subscribed by EVENT_FILTER),
 * which never read: what a class of idle `miniproc trace` sessions is.
 */
static void open_readers(int *fds, int n)
{
	struct miniproc_event_filter ef = {
		.size = sizeof(ef),
		.rec_size = sizeof(struct miniproc_event),
	};
	int i;

	for (i = 0; i < n; i++) {
		fds[i] = open_dev(MINIPROC_DEVICE);
		if (ioctl(fds[i], MINIPROC_IOC_EVENT_FILTER, &ef))
			die("EVENT_FILTER (reader %d): %s", i, strerror(errno));
	}
}

static void close_readers(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

/*
 * -R: hold @n idle readers until a signal ends the program, with
 * max_readers_per_uid raised for them (and put back by whoever loads the
 * module next: vm-bench.sh reloads it).
 */
static void hold_readers(int n)
{
	struct rlimit rl = { NR_READERS + 64, NR_READERS + 64 };
	static int fds[NR_READERS];

	if (n < 1 || n > NR_READERS)
		die("-R: 1 to %d readers", NR_READERS);
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("RLIMIT_NOFILE: %s", strerror(errno));
	write_param(READERS_PARAM, n);
	open_readers(fds, n);
	printf("holding %d readers\n", n);
	fflush(stdout);
	pause();
}

/*
 * The yield loop (two events per iteration, every one written to the
 * stream) and the pipe ping-pong, with no reader and with NR_READERS
 * readers that never read, alternated run by run.
 */
static void item_readers(int fd)
{
	double y0[MAX_RUNS], y1[MAX_RUNS], p0[MAX_RUNS], p1[MAX_RUNS];
	struct rlimit rl = { NR_READERS + 64, NR_READERS + 64 };
	static int fds[NR_READERS];
	unsigned int was = read_param(READERS_PARAM);
	int r;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("RLIMIT_NOFILE: %s", strerror(errno));
	write_param(READERS_PARAM, NR_READERS);
	pin_self(0);
	mp_yield(fd);
	for (r = 0; r < plan->runs; r++) {
		y0[r] = mp_yield(fd);
		p0[r] = time_pingpong(plan->pingpongs);
		pin_self(0);
		open_readers(fds, NR_READERS);
		y1[r] = mp_yield(fd);
		p1[r] = time_pingpong(plan->pingpongs);
		pin_self(0);
		close_readers(fds, NR_READERS);
	}
	unpin_self();
	write_param(READERS_PARAM, was);
	info(7, "yield_readers0", "*(yield) per iteration, no reader",
	     stats_of(y0, plan->runs), "ns");
	info(7, "yield_readers1000", "*(yield) per iteration, 1,000 idle readers",
	     stats_of(y1, plan->runs), "ns");
	judge_le(7, "yield_readers", "yield, 1,000 readers / none",
		 ratio_of(y1, y0, plan->runs), GOAL_READERS);
	info(7, "pingpong_readers0", "pipe ping-pong, no reader",
	     stats_of(p0, plan->runs), "ns");
	info(7, "pingpong_readers1000", "pipe ping-pong, 1,000 idle readers",
	     stats_of(p1, plan->runs), "ns");
	judge_le(7, "pingpong_readers", "ping-pong, 1,000 readers / none",
		 ratio_of(p1, p0, plan->runs), GOAL_READERS);
}

/* --- item 5: control latency ------------------------------------------ */

/* The latency sample set's median and 99th percentile, judged. */
static void judge_latency(const char *key, const char *what, double *v, int n)
{
	double s[4096];
	struct stats st;
	char goal[64], k[64], w[96];

	if (n > (int)(sizeof(s) / sizeof(s[0])))
		n = sizeof(s) / sizeof(s[0]);
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	snprintf(goal, sizeof(goal), "<= %.1f ms",
		 (double)GOAL_CONTROL_NS / NSEC_PER_MSEC);
	st = stats_of(v, n);
	snprintf(k, sizeof(k), "%s_median", key);
	snprintf(w, sizeof(w), "%s, median", what);
	row(5, k, w, st, "us", goal, st.med * NSEC_PER_USEC <= GOAL_CONTROL_NS);
	st.med = percentile(s, n, 0.99);
	snprintf(k, sizeof(k), "%s_p99", key);
	snprintf(w, sizeof(w), "%s, p99", what);
	row(5, k, w, st, "us", goal, st.med * NSEC_PER_USEC <= GOAL_CONTROL_NS);
}

/* Time between two control requests: long enough for the cpu op to run. */
#define CTL_GAP_NS	(2 * NSEC_PER_MSEC)

static void item_control(int fd)
{
	struct prog busy = prog_cpu_forever();
	int n = plan->ctl_samples;
	double *sus = calloc(n, sizeof(double));
	double *des = calloc(n, sizeof(double));
	uint64_t t0;
	int i, pid, ret;

	if (!sus || !des)
		die("out of memory");
	pin_self(0);
	pid = mp_create(fd, &busy, YIELD_CPU);
	if (pid < 0)
		die("CREATE: %s", strerror(-pid));
	for (i = 0; i < n; i++) {
		sleep_ns(CTL_GAP_NS);
		t0 = now_ns();
		ret = mp_ctl(fd, MINIPROC_IOC_SUSPEND, pid);
		sus[i] = (double)(now_ns() - t0) / NSEC_PER_USEC;
		if (ret)
			fail("SUSPEND", -ret);
		ret = mp_ctl(fd, MINIPROC_IOC_RESUME, pid);
		if (ret)
			fail("RESUME", -ret);
	}
	destroy_n(fd, &pid, 1);
	for (i = 0; i < n; i++) {
		pid = mp_create(fd, &busy, YIELD_CPU);
		if (pid < 0)
			die("CREATE: %s", strerror(-pid));
		sleep_ns(CTL_GAP_NS);
		t0 = now_ns();
		ret = mp_destroy(fd, pid, MINIPROC_DESTROY_WAIT);
		des[i] = (double)(now_ns() - t0) / NSEC_PER_USEC;
		if (ret)
			fail("DESTROY", -ret);
	}
	unpin_self();
	judge_latency("suspend", "SUSPEND of a cpu op", sus, n);
	judge_latency("destroy_wait", "DESTROY_WAIT of a cpu op", des, n);
	free(sus);
	free(des);
}

/* --- item 6: scale ---------------------------------------------------- */

enum scale_op { OP_CREATE, OP_LIST, OP_SUSPEND, OP_RESUME, OP_DESTROY,
		OP_REAP, NR_SCALE_OPS };

static const char *const scale_op_names[NR_SCALE_OPS] = {
	"CREATE", "LIST", "SUSPEND", "RESUME", "DESTROY", "WAIT (reap)",
};

/* kB of one /proc/meminfo field. */
static long meminfo_kb(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = atol(line + len + 1);
			break;
		}
	fclose(f);
	return kb;
}

struct mem {
	long slab, stack, free;
};

static struct mem mem_now(void)
{
	struct mem m = {
		.slab = meminfo_kb("Slab"),
		.stack = meminfo_kb("KernelStack"),
		.free = meminfo_kb("MemFree"),
	};

	return m;
}

/*
 * One op on each of @n pids, each timed on its own: the median latency.
 * Each op's own cost, not the work it sets off in the processes (a woken
 * kthread running on the other CPU, or on this one between two ops).
 */
static double time_each(int fd, enum scale_op what, const int *pids, int n)
{
	double *v = calloc(n, sizeof(*v));
	struct stats st;
	int i, ret = 0;

	if (!v)
		die("out of memory");
	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		switch (what) {
		case OP_SUSPEND:
			ret = mp_ctl(fd, MINIPROC_IOC_SUSPEND, pids[i]);
			break;
		case OP_RESUME:
			ret = mp_ctl(fd, MINIPROC_IOC_RESUME, pids[i]);
			break;
		case OP_DESTROY:
			ret = mp_destroy(fd, pids[i], 0);
			break;
		case OP_REAP:
			ret = mp_wait(fd, pids[i], NULL);
			break;
		default:
			break;
		}
		v[i] = (double)(now_ns() - t0);
		if (ret)
			fail(scale_op_names[what], -ret);
	}
	st = stats_of_all(v, n);
	free(v);
	return st.med;
}

/*
 * Wait (untimed) until @want of the @n processes (init aside) are in
 * @state; @recs has room for @n + 1.
 */
static void settle_some(int fd, struct miniproc_info *recs, int n, int want,
			uint32_t state)
{
	uint64_t deadline = now_ns() + SETTLE_MAX_NS;
	int i, got, in;

	do {
		got = mp_list(fd, recs, n + 1);
		for (i = 0, in = 0; i < got; i++)
			in += recs[i].pid != MINIPROC_INIT_PID &&
			      recs[i].state == state;
		if (in >= want)
			return;
		sleep_ns(SETTLE_POLL_NS);
	} while (now_ns() < deadline);
	fail("settle", ETIMEDOUT);
}

/* Wait (untimed) until all @n processes (init aside) are in @state. */
static void settle(int fd, struct miniproc_info *recs, int n, uint32_t state)
{
	settle_some(fd, recs, n, n, state);
}

/*
 * Run the timed ops as a real-time task: what is measured is each op, not
 * the CPU share the benchmark gets among thousands of processes that the
 * ops woke; SCHED_OTHER again for the rest.
 */
static void realtime(bool on)
{
	struct sched_param sp = { .sched_priority = on ? 1 : 0 };

	if (sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp))
		die("sched_setscheduler: %s", strerror(errno));
}

/* One pass of item 6 with @n processes: ns per op into @out. */
static void scale_pass(int fd, int n, double *out, struct mem *before,
		       struct mem *after)
{
	struct prog sleeper = prog_sleep_forever();
	struct miniproc_info *recs = calloc(n + 1, sizeof(*recs));
	double *lat = calloc(n, sizeof(*lat));
	int *pids = calloc(n, sizeof(*pids));
	uint64_t t0;
	int got;

	if (!recs || !pids || !lat)
		die("out of memory");
	*before = mem_now();
	realtime(true);
	create_n(fd, &sleeper, pids, n, lat);
	realtime(false);
	settle(fd, recs, n, MINIPROC_SLEEPING);
	*after = mem_now();
	out[OP_CREATE] = stats_of_all(lat, n).med;
	free(lat);
	realtime(true);
	t0 = now_ns();
	got = mp_list(fd, recs, n + 1);
	out[OP_LIST] = (double)(now_ns() - t0) / n;
	if (got != n + 1)
		fail("LIST count", got < 0 ? -got : ERANGE);
	out[OP_SUSPEND] = time_each(fd, OP_SUSPEND, pids, n);
	out[OP_RESUME] = time_each(fd, OP_RESUME, pids, n);
	realtime(false);
	settle(fd, recs, n, MINIPROC_SLEEPING);
	realtime(true);
	out[OP_DESTROY] = time_each(fd, OP_DESTROY, pids, n);
	realtime(false);
	settle(fd, recs, n, MINIPROC_ZOMBIE);
	realtime(true);
	out[OP_REAP] = time_each(fd, OP_REAP, pids, n);
	realtime(false);
	free(recs);
	free(pids);
}

/*
 * DESTROY and WAIT of 64 processes while 4096 are alive: the same ops on
 * as few processes as at 64, in a table as full as at 4096. Tells the
 * size of the table from the number of processes an op burst touches.
 */
static void scale_among(int fd, double *destroy_ns, double *reap_ns)
{
	struct prog sleeper = prog_sleep_forever();
	int nbg = SCALE_LARGE - SCALE_SMALL;
	struct miniproc_info *recs = calloc(SCALE_LARGE + 1, sizeof(*recs));
	int *bg = calloc(nbg, sizeof(*bg));
	int pids[SCALE_SMALL];
	int r;

	if (!recs || !bg)
		die("out of memory");
	create_n(fd, &sleeper, bg, nbg, NULL);
	for (r = 0; r < plan->runs; r++) {
		create_n(fd, &sleeper, pids, SCALE_SMALL, NULL);
		settle(fd, recs, SCALE_LARGE, MINIPROC_SLEEPING);
		realtime(true);
		destroy_ns[r] = time_each(fd, OP_DESTROY, pids, SCALE_SMALL);
		realtime(false);
		settle_some(fd, recs, SCALE_LARGE, SCALE_SMALL, MINIPROC_ZOMBIE);
		realtime(true);
		reap_ns[r] = time_each(fd, OP_REAP, pids, SCALE_SMALL);
		realtime(false);
	}
	destroy_n(fd, bg, nbg);
	free(recs);
	free(bg);
}

static void item_scale(void)
{
	double small[NR_SCALE_OPS][MAX_RUNS], large[NR_SCALE_OPS][MAX_RUNS];
	double pass[NR_SCALE_OPS], slab[MAX_RUNS], stack[MAX_RUNS], mem[MAX_RUNS];
	double among_destroy[MAX_RUNS], among_reap[MAX_RUNS];
	int runs_large = plan->scale_runs_large;
	struct mem before, after;
	char what[96], key[64];
	int r, o, fd, fails_before = failures;

	load_miniproc(NPROC_LARGE);
	fd = open_dev(MINIPROC_DEVICE);
	scale_pass(fd, SCALE_SMALL, pass, &before, &after);
	for (r = 0; r < plan->runs; r++) {
		scale_pass(fd, SCALE_SMALL, pass, &before, &after);
		for (o = 0; o < NR_SCALE_OPS; o++)
			small[o][r] = pass[o];
	}
	for (r = 0; r < runs_large; r++) {
		scale_pass(fd, SCALE_LARGE, pass, &before, &after);
		for (o = 0; o < NR_SCALE_OPS; o++)
			large[o][r] = pass[o];
		slab[r] = (double)(after.slab - before.slab) * 1024 / SCALE_LARGE;
		stack[r] = (double)(after.stack - before.stack) * 1024 /
			   SCALE_LARGE;
		mem[r] = (double)(before.free - after.free) * 1024 / SCALE_LARGE;
	}
	scale_among(fd, among_destroy, among_reap);
	close(fd);

	for (o = 0; o < NR_SCALE_OPS; o++) {
		struct stats s = stats_of(small[o], plan->runs);
		struct stats l = stats_of(large[o], runs_large);
		struct stats ratio = { 0 };

		snprintf(what, sizeof(what), "%s at %d, %s",
			 scale_op_names[o], SCALE_SMALL,
			 o == OP_LIST ? "per process" : "median op");
		snprintf(key, sizeof(key), "scale_%d_op%d", SCALE_SMALL, o);
		info(6, key, what, s, "ns");
		snprintf(what, sizeof(what), "%s at %d, %s",
			 scale_op_names[o], SCALE_LARGE,
			 o == OP_LIST ? "per process" : "median op");
		snprintf(key, sizeof(key), "scale_%d_op%d", SCALE_LARGE, o);
		info(6, key, what, l, "ns");
		/* LIST's series is item 2's, at three sizes. */
		if (o != OP_LIST) {
			put_series(scale_op_names[o], SCALE_SMALL, s);
			put_series(scale_op_names[o], SCALE_LARGE, l);
		}
		/* Different run counts: the ratio of the medians, no spread. */
		ratio.med = s.med > 0 ? l.med / s.med : 0;
		ratio.min = ratio.max = ratio.med;
		ratio.n = 1;
		snprintf(what, sizeof(what), "%s, %d / %d",
			 scale_op_names[o], SCALE_LARGE, SCALE_SMALL);
		snprintf(key, sizeof(key), "scale_flat_op%d", o);
		if (o == OP_LIST)
			info(6, key, what, ratio, "x");
		else
			judge_le(6, key, what, ratio, GOAL_SCALE_FLAT);
	}
	info(6, "among_destroy", "DESTROY of 64 among 4096 alive, median op",
	     stats_of(among_destroy, plan->runs), "ns");
	info(6, "among_reap", "WAIT (reap) of 64 among 4096 alive, median op",
	     stats_of(among_reap, plan->runs), "ns");
	info(6, "mem_slab", "slab per process", stats_of(slab, runs_large),
	     "bytes");
	info(6, "mem_stack", "kernel stack per process",
	     stats_of(stack, runs_large), "bytes");
	info(6, "mem_total", "MemFree drop per process",
	     stats_of(mem, runs_large), "bytes");
	{
		struct stats f = { .med = failures - fails_before,
				   .min = failures - fails_before,
				   .max = failures - fails_before, .n = 1 };

		row(6, "scale_failures", "failed operations at 64 and 4096", f,
		    "ops", "0", failures == fails_before);
	}
}

/* --- main ------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: miniproc-bench [-k MINIPROC_KO] [-b BENCH_KO] [-o FILE.tsv] [-s FILE.tsv] [-q] [-i ITEMS]\n"
		"       miniproc-bench -R N\n"
		"  -q        a shorter run (fewer repetitions)\n"
		"  -i ITEMS  only these items, e.g. -i 1 or -i 2,6 (default: 1-7)\n"
		"  -R N      only hold N idle readers of the event stream until a signal\n"
		"            (vm-bench.sh traces the hooks meanwhile)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *series_out = NULL, *items = "1234567";
	int opt, fd, bfd;

	miniproc_ko = getenv("MINIPROC_KO");
	while ((opt = getopt(argc, argv, "k:b:o:s:qi:R:")) != -1) {
		switch (opt) {
		case 'R':
			hold_readers(atoi(optarg));
			return 0;
		case 'k':
			miniproc_ko = optarg;
			break;
		case 'b':
			bench_ko = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			series_out = optarg;
			break;
		case 'q':
			plan = &plan_quick;
			break;
		case 'i':
			items = optarg;
			break;
		default:
			usage();
		}
	}
	if (!miniproc_ko || !bench_ko)
		usage();
	if (out) {
		tsv = fopen(out, "w");
		if (!tsv)
			die("%s: %s", out, strerror(errno));
		fprintf(tsv, "item\tkey\tfigure\tmedian\tmin\tmax\tunit\tgoal\tresult\n");
	}
	if (series_out) {
		series = fopen(series_out, "w");
		if (!series)
			die("%s: %s", series_out, strerror(errno));
		fprintf(series, "series\tprocesses\tns_per_process\tmin\tmax\n");
	}

	if (!module_loaded("miniproc_bench"))
		load_module(bench_ko, "");
	bfd = open_dev(MINIPROC_BENCH_DEVICE);

	printf("%-2s %-46s %12s %12s %12s %-8s %-26s %s\n", "#", "figure",
	       "median", "min", "max", "unit", "goal", "result");
	/* Items 1, 3, 4 (work, yield) and 5 on a table of 64. */
	load_miniproc(NPROC_SMALL);
	fd = open_dev(MINIPROC_DEVICE);
	if (strchr(items, '1'))
		item_status(fd);
	if (strchr(items, '3'))
		item_lifecycle(fd, bfd);
	if (strchr(items, '4')) {
		item_cpu_work(fd, bfd);
		item_yield(fd, bfd);
	}
	if (strchr(items, '5'))
		item_control(fd);
	if (strchr(items, '7'))
		item_readers(fd);
	close(fd);
	/* Items 2 and 6 on bigger tables, then the ping-pong, which unloads. */
	if (strchr(items, '2')) {
		item_list();
		item_list_nproc();
	}
	if (strchr(items, '6'))
		item_scale();
	if (strchr(items, '4'))
		item_pingpong();

	close(bfd);
	unload_module("miniproc_bench");
	/*
	 * Leave miniproc loaded as the VM had it, with its defaults; only
	 * the ping-pong (item 4) leaves it unloaded.
	 */
	if (module_loaded("miniproc"))
		unload_module("miniproc");
	load_module(miniproc_ko, "");
	printf("failed operations: %d\n", failures);
	if (tsv)
		fclose(tsv);
	if (series)
		fclose(series);
	return failures ? 1 : 0;
}
