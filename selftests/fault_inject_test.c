// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: every allocation and user copy on the path of every
 * call fails in turn, and each time the call fails cleanly (or succeeds)
 * and leaves the table as it was.
 *
 * fail-nth sweep, as the kernel's iommufd_fail_nth test does it: for
 * N = 1, 2, ... write N to /proc/self/task/<tid>/fail-nth, make the call,
 * read fail-nth back (0: the Nth injection point was reached and failed),
 * until a call completes with no fault injected; N - 1 is the number of
 * injection points on its path (failslab, fail_page_alloc and
 * fail_usercopy, with ignore-gfp-wait off so GFP_KERNEL counts). Every
 * failed call must give a clean errno (ENOMEM, EFAULT), leave LIST and
 * VERSION's nr_used as they were (no leaked slot, no per-user count
 * changed, no process killed, suspended or reaped), and nothing may splat.
 * Swept: CREATE, DESTROY, DESTROY with WAIT, WAIT, SUSPEND, RESUME, STATUS,
 * LIST, VERSION, EVENT_FILTER, open(), and read() and poll() of the event
 * stream. Each prints "# NAME: N injection points swept".
 *
 * fail_function: each of the module's ALLOW_ERROR_INJECTION helpers
 * (miniproc_prog_alloc, miniproc_user_alloc, miniproc_reader_alloc) made to
 * fail always; CREATE, a fork op, EVENT_FILTER, read() and poll() fail
 * cleanly and change nothing.
 *
 * Skips when the kernel has no fail-nth (CONFIG_FAULT_INJECTION) or no
 * debugfs controls (CONFIG_FAULT_INJECTION_DEBUG_FS): stock kernels.
 */
#include "miniproc_util.h"

#define DEBUGFS		"/sys/kernel/debug/"
#define NTH_MAX		2000

/* --- debugfs knobs, saved and restored ------------------------------------------ */

struct knob {
	const char *path;
	const char *value;
	char saved[64];
	bool changed;
};

static struct knob knobs[] = {
	{ .path = DEBUGFS "failslab/ignore-gfp-wait", .value = "N" },
	{ .path = DEBUGFS "fail_page_alloc/ignore-gfp-wait", .value = "N" },
	{ .path = DEBUGFS "fail_page_alloc/ignore-gfp-highmem", .value = "N" },
	{ .path = DEBUGFS "fail_page_alloc/min-order", .value = "0" },
	/* A forced failure dumps its stack unless quiet: no "Call Trace". */
	{ .path = DEBUGFS "failslab/verbose", .value = "0" },
	{ .path = DEBUGFS "fail_page_alloc/verbose", .value = "0" },
	{ .path = DEBUGFS "fail_usercopy/verbose", .value = "0" },
	{ .path = DEBUGFS "fail_futex/verbose", .value = "0" },
	{ .path = DEBUGFS "fail_function/verbose", .value = "0" },
	{ .path = DEBUGFS "fail_make_request/verbose", .value = "0" },
	{ .path = DEBUGFS "fail_io_timeout/verbose", .value = "0" },
};

static int write_file(const char *path, const char *value)
{
	ssize_t len = strlen(value);
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void knobs_set(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		struct knob *k = &knobs[i];

		k->changed = !read_file(k->path, k->saved, sizeof(k->saved)) &&
			     !write_file(k->path, k->value);
	}
}

static void knobs_restore(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (knobs[i].changed)
			write_file(knobs[i].path, knobs[i].saved);
		knobs[i].changed = false;
	}
}

static int have_fault_injection(void)
{
	char path[64];

	if (access(DEBUGFS "failslab", F_OK))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", mp_gettid());
	if (access(path, F_OK))
		return -1;
	if (access(DEBUGFS "failslab/ignore-gfp-wait", F_OK) ||
	    access(DEBUGFS "fail_page_alloc/ignore-gfp-wait", F_OK))
		return -2;
	return 0;
}

/*
 * Neither fail-nth nor fail_function: nothing here can run. Skip the whole
 * program before the harness starts, as stock kernels have neither.
 */
static void __attribute__((constructor)) require_fault_injection(void)
{
	if (have_fault_injection() == -1 && access(DEBUGFS "fail_function", F_OK))
		ksft_exit_skip("no fault injection: the kernel has no CONFIG_FAULT_INJECTION\n");
}

/* --- fail-nth ---------------------------------------------------------------------- */

static int nth_open(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", mp_gettid());
	return open(path, O_RDWR | O_CLOEXEC);
}

static int nth_arm(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

/*
 * Was the armed fault injected? Disarms. Reading and disarming are user
 * copies too: while the count runs they may be the ones that fail (then
 * it was not injected in the call).
 */
static bool nth_fired(int fd)
{
	char buf[16] = "";
	bool fired = false;
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0)
		fired = buf[0] == '0';
	while (pwrite(fd, "0", 1, 0) != 1 && errno == EFAULT)
		;
	return fired;
}

/* --- the table, as far as a failed call must leave it ------------------------------- */

#define SIG_MAX		256

struct table_sig {
	int nr_used;
	int n;
	struct {
		int pid;
		__u32 uid;
		__u32 flags;
		bool zombie;
	} e[SIG_MAX];
};

static int table_sig(int fd, struct table_sig *s)
{
	struct miniproc_info *all;
	__u32 i, n;

	s->nr_used = mp_nr_used(fd);
	all = mp_snapshot(fd, &n);
	if (!all || s->nr_used < 0)
		return -1;
	s->n = 0;
	for (i = 0; i < n && i < SIG_MAX; i++) {
		s->e[i].pid = all[i].pid;
		s->e[i].uid = all[i].uid;
		s->e[i].flags = all[i].flags &
				(MINIPROC_INFO_KILLED | MINIPROC_INFO_SUSPENDED);
		s->e[i].zombie = all[i].state == MINIPROC_ZOMBIE;
		s->n++;
	}
	free(all);
	return 0;
}

/*
 * The same processes, owners, flags and zombies; but @killed (if not 0)
 * may have been killed meanwhile, and be a zombie now.
 */
static bool table_same_but(const struct table_sig *a, const struct table_sig *b,
			   int killed)
{
	int i;

	if (a->nr_used != b->nr_used || a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		__u32 fa = a->e[i].flags, fb = b->e[i].flags;
		bool killable = killed && a->e[i].pid == killed;

		if (killable)
			fa &= ~MINIPROC_INFO_KILLED, fb &= ~MINIPROC_INFO_KILLED;
		if (a->e[i].pid != b->e[i].pid || a->e[i].uid != b->e[i].uid ||
		    fa != fb || (!killable && a->e[i].zombie != b->e[i].zombie))
			return false;
	}
	return true;
}

static bool table_same(const struct table_sig *a, const struct table_sig *b)
{
	return table_same_but(a, b, 0);
}

/* --- the calls ---------------------------------------------------------------------- */

struct ctx {
	int fd;		/* the test's file */
	int standing;	/* a sleeping process that stays */
	int target;	/* prepared for this call */
	int fd2;	/* a fresh file, for the event stream */
	int ret;
	struct miniproc_info info;
	struct miniproc_info recs[64];
	struct miniproc_event ev[16];
};

struct call {
	const char *name;
	/* Outside injection: make what the call acts on. 0 or -errno. */
	int (*prepare)(struct ctx *c);
	/* The call, injected: >= 0 success, or -errno. */
	int (*call)(struct ctx *c);
	/* Outside injection: clean up after success or failure. */
	void (*cleanup)(struct ctx *c, int ret);
	/* A successful call leaves the table as it was. */
	bool success_keeps_table;
	/*
	 * A failed call may leave its target killed (DESTROY with WAIT kills
	 * first; a fault in handing back how it ended leaves it a killed
	 * zombie for WAIT, as a signal does) but still there.
	 */
	bool may_leave_killed;
};

static int prep_none(struct ctx *c)
{
	(void)c;
	return 0;
}

static int prep_sleeper(struct ctx *c)
{
	struct miniproc_info info;

	c->target = mp_spawn(c->fd, "victim", OP_SLEEP(SEC(3600)));
	if (c->target < 0)
		return c->target;
	return mp_poll_state(c->fd, c->target, MINIPROC_SLEEPING, "sleep", &info);
}

static int prep_suspended(struct ctx *c)
{
	int ret = prep_sleeper(c);

	return ret ? ret : mp_suspend(c->fd, c->target);
}

static int prep_zombie(struct ctx *c)
{
	struct miniproc_info info;

	c->target = mp_spawn(c->fd, "zombie", OP_EXIT(5));
	if (c->target < 0)
		return c->target;
	return mp_poll_state(c->fd, c->target, MINIPROC_ZOMBIE, NULL, &info);
}

static int prep_file(struct ctx *c)
{
	c->fd2 = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	return c->fd2 < 0 ? -errno : 0;
}

/* A file with its buffer started and events in it. */
static int prep_stream(struct ctx *c)
{
	int ret = prep_file(c), pid;
	struct pollfd pfd = { .events = POLLIN };

	if (ret)
		return ret;
	ret = mp_event_filter(c->fd2, 0);
	if (ret)
		return ret;
	pid = mp_spawn(c->fd, "ev", OP_EXIT(0));
	if (pid < 0)
		return pid;
	if (mp_waitpid(c->fd, pid, NULL) != pid)
		return -ECHILD;
	pfd.fd = c->fd2;
	return poll(&pfd, 1, MP_POLL_MS) == 1 ? 0 : -ETIMEDOUT;
}

static void clean_target(struct ctx *c, int ret)
{
	(void)ret;
	if (c->target > 0)
		mp_destroy_wait(c->fd, c->target, NULL);
	c->target = 0;
}

/* After DESTROY with WAIT: if it failed, the target is WAIT's to reap. */
static void clean_destroyed(struct ctx *c, int ret)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;

	if (ret < 0 && !mp_status(c->fd, c->target, &info) &&
	    (info.flags & MINIPROC_INFO_KILLED)) {
		c->ret = mp_waitpid(c->fd, c->target, &exit);
		if (c->ret == c->target && exit.exit_status != MINIPROC_EXIT_STATUS_KILLED)
			c->ret = -EBADE;
	}
	clean_target(c, ret);
}

static void clean_created(struct ctx *c, int ret)
{
	if (ret > 0)
		mp_destroy_wait(c->fd, ret, NULL);
}

static void clean_file(struct ctx *c, int ret)
{
	(void)ret;
	if (c->fd2 >= 0)
		close(c->fd2);
	c->fd2 = -1;
}

static void clean_opened(struct ctx *c, int ret)
{
	(void)c;
	if (ret >= 0)
		close(ret);
}

static void clean_none(struct ctx *c, int ret)
{
	(void)c;
	(void)ret;
}

static int do_create(struct ctx *c)
{
	return mp_spawn(c->fd, "created", OP_SLEEP(SEC(3600)));
}

static int do_destroy(struct ctx *c)
{
	return mp_destroy(c->fd, c->target, 0, NULL);
}

static int do_destroy_wait(struct ctx *c)
{
	return mp_destroy_wait(c->fd, c->target, NULL);
}

static int do_wait(struct ctx *c)
{
	int pid = c->target;
	int ret = mp_wait(c->fd, &pid, 0, 0, NULL);

	return ret ? ret : pid;
}

static int do_suspend(struct ctx *c)
{
	return mp_suspend(c->fd, c->target);
}

static int do_resume(struct ctx *c)
{
	return mp_resume(c->fd, c->target);
}

static int do_status(struct ctx *c)
{
	return mp_status(c->fd, c->standing, &c->info);
}

static int do_list(struct ctx *c)
{
	return mp_list_into(c->fd, c->recs, ARRAY_SIZE(c->recs), NULL, NULL);
}

static int do_version(struct ctx *c)
{
	struct miniproc_version v;

	return mp_version(c->fd, &v);
}

static int do_filter(struct ctx *c)
{
	return mp_event_filter(c->fd2, 0);
}

static int do_open(struct ctx *c)
{
	int fd = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC);

	(void)c;
	return fd < 0 ? -errno : fd;
}

/* The first read of a file: its buffer is made; nothing to read yet. */
static int do_read_first(struct ctx *c)
{
	int n = mp_read_events(c->fd2, c->ev, ARRAY_SIZE(c->ev));

	return n == -EAGAIN ? 0 : n;
}

static int do_read(struct ctx *c)
{
	return mp_read_events(c->fd2, c->ev, ARRAY_SIZE(c->ev));
}

static int do_poll_first(struct ctx *c)
{
	struct pollfd pfd = { .fd = c->fd2, .events = POLLIN };
	int n = poll(&pfd, 1, 0);

	if (n < 0)
		return -errno;
	return pfd.revents & POLLERR ? -ENOMEM : 0;
}

static const struct call calls[] = {
	{ "CREATE", prep_none, do_create, clean_created, false, false },
	{ "DESTROY", prep_sleeper, do_destroy, clean_target, false, false },
	{ "DESTROY_WAIT", prep_sleeper, do_destroy_wait, clean_destroyed, false, true },
	{ "WAIT", prep_zombie, do_wait, clean_target, false, false },
	{ "SUSPEND", prep_sleeper, do_suspend, clean_target, false, false },
	{ "RESUME", prep_suspended, do_resume, clean_target, false, false },
	{ "STATUS", prep_none, do_status, clean_none, true, false },
	{ "LIST", prep_none, do_list, clean_none, true, false },
	{ "VERSION", prep_none, do_version, clean_none, true, false },
	{ "EVENT_FILTER", prep_file, do_filter, clean_file, true, false },
	{ "open", prep_none, do_open, clean_opened, true, false },
	{ "read (first)", prep_file, do_read_first, clean_file, true, false },
	{ "read", prep_stream, do_read, clean_file, true, false },
	{ "poll (first)", prep_file, do_poll_first, clean_file, true, false },
};

/* --- the sweep ---------------------------------------------------------------------- */

FIXTURE(fail_nth) {
	int fd;
	int floor;
	int nth;
	struct ctx *c;
};

FIXTURE_VARIANT(fail_nth) {
	int call;
};

#define CALL_VARIANT(name, i) \
	FIXTURE_VARIANT_ADD(fail_nth, name) { .call = i }

CALL_VARIANT(create, 0);
CALL_VARIANT(destroy, 1);
CALL_VARIANT(destroy_wait, 2);
CALL_VARIANT(wait, 3);
CALL_VARIANT(suspend, 4);
CALL_VARIANT(resume, 5);
CALL_VARIANT(status, 6);
CALL_VARIANT(list, 7);
CALL_VARIANT(version, 8);
CALL_VARIANT(event_filter, 9);
CALL_VARIANT(open, 10);
CALL_VARIANT(read_first, 11);
CALL_VARIANT(read, 12);
CALL_VARIANT(poll_first, 13);

FIXTURE_SETUP(fail_nth)
{
	self->fd = -1;
	self->nth = -1;
	self->c = NULL;
	if (geteuid() != 0 || have_fault_injection())
		return;
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	knobs_set();
	self->c = mp_shared(sizeof(*self->c));
	ASSERT_NE(NULL, self->c);
	/* No page fault of ours may meet an armed count. */
	mlockall(MCL_CURRENT | MCL_FUTURE);
}

FIXTURE_TEARDOWN(fail_nth)
{
	if (self->nth >= 0) {
		nth_fired(self->nth);
		close(self->nth);
	}
	knobs_restore();
	mp_fixture_teardown(self->fd, self->floor);
}

static bool clean_errno(int ret)
{
	return ret >= 0 || ret == -ENOMEM || ret == -EFAULT;
}

TEST_F_TIMEOUT(fail_nth, every_injection_point_fails_cleanly, 600)
{
	const struct call *call = &calls[variant->call];
	struct ctx *c = self->c;
	struct table_sig *before, *after;
	unsigned int n, failed = 0;
	int ret;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	if (have_fault_injection() == -1)
		SKIP(return, "no fail-nth: the kernel has no CONFIG_FAULT_INJECTION");
	if (have_fault_injection())
		SKIP(return, "no %sfailslab, fail_page_alloc: no CONFIG_FAULT_INJECTION_DEBUG_FS",
		     DEBUGFS);
	before = malloc(sizeof(*before));
	after = malloc(sizeof(*after));
	ASSERT_NE(NULL, before);
	ASSERT_NE(NULL, after);
	memset(c, 0, sizeof(*c));
	c->fd = self->fd;
	c->fd2 = -1;
	c->standing = mp_spawn(self->fd, "standing", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, c->standing);
	self->nth = nth_open();
	ASSERT_LE(0, self->nth);

	for (n = 1;; n++) {
		bool fired;

		ASSERT_GT(NTH_MAX, n) TH_LOG("%s: still failing at %u", call->name, n);
		ASSERT_EQ(0, call->prepare(c)) TH_LOG("%s: prepare, n %u", call->name, n);
		ASSERT_EQ(0, table_sig(self->fd, before));
		ASSERT_EQ(0, nth_arm(self->nth, n));
		ret = call->call(c);
		fired = nth_fired(self->nth);
		ASSERT_EQ(0, table_sig(self->fd, after));
		if (!fired) {
			/* Past the last injection point: it just works. */
			EXPECT_LE(0, ret) TH_LOG("%s: %d with no fault injected",
						 call->name, ret);
			call->cleanup(c, ret);
			break;
		}
		EXPECT_TRUE(clean_errno(ret))
			TH_LOG("%s: fault %u gave %d", call->name, n, ret);
		if (ret < 0) {
			failed++;
			EXPECT_TRUE(table_same_but(before, after,
						   call->may_leave_killed ? c->target : 0))
				TH_LOG("%s: fault %u gave %d and changed the table "
				       "(nr_used %d -> %d, %d -> %d listed)",
				       call->name, n, ret, before->nr_used,
				       after->nr_used, before->n, after->n);
		} else if (call->success_keeps_table) {
			EXPECT_TRUE(table_same(before, after))
				TH_LOG("%s: fault %u, success, changed the table",
				       call->name, n);
		}
		c->ret = 0;
		call->cleanup(c, ret);
		EXPECT_LE(0, c->ret) TH_LOG("%s: fault %u: what it left was not "
					    "reaped as it should: %d", call->name, n, c->ret);
		if (MP_TEST_FAILED(_metadata))
			break;
	}
	if (MP_TEST_FAILED(_metadata)) {
		ksft_print_msg("%s: stopped at injection point %u (%u failed the call)\n",
			       call->name, n, failed);
	} else {
		ksft_print_msg("%s: %u injection points swept (%u failed the call)\n",
			       call->name, n - 1, failed);
		ksft_print_msg("FIGURE fail-nth injection points, %s: %u swept\n",
			       call->name, n - 1);
		/* Every call has at least the user copy of its argument. */
		EXPECT_LT(0, n - 1);
	}
	free(before);
	free(after);
}

/* --- fail_function -------------------------------------------------------------------- */

#define FEI		DEBUGFS "fail_function/"

FIXTURE(fail_function) {
	int fd;
	int floor;
	struct knob k[5];
};

FIXTURE_SETUP(fail_function)
{
	static const char *const names[] = {
		"probability", "interval", "times", "task-filter", "verbose",
	};
	static const char *const values[] = { "100", "1", "-1", "N", "0" };
	static char paths[5][96];
	size_t i;

	self->fd = -1;
	memset(self->k, 0, sizeof(self->k));
	if (geteuid() != 0)
		return;
	if (access(FEI, F_OK))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	if (access(FEI "inject", F_OK))
		return;
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct knob *k = &self->k[i];

		snprintf(paths[i], sizeof(paths[i]), FEI "%s", names[i]);
		k->path = paths[i];
		k->value = values[i];
		k->changed = !read_file(k->path, k->saved, sizeof(k->saved)) &&
			     !write_file(k->path, k->value);
	}
}

FIXTURE_TEARDOWN(fail_function)
{
	size_t i;

	write_file(FEI "inject", " ");
	for (i = 0; i < ARRAY_SIZE(self->k); i++)
		if (self->k[i].changed)
			write_file(self->k[i].path, self->k[i].saved);
	mp_fixture_teardown(self->fd, self->floor);
}

#define REQUIRE_FEI() do { \
	if (geteuid() != 0) \
		SKIP(return, "needs root"); \
	if (access(FEI "inject", F_OK)) \
		SKIP(return, "no %s: the kernel has no CONFIG_FAIL_FUNCTION", FEI); \
} while (0)

static void uninject(const char *fn)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "!%s", fn);
	write_file(FEI "inject", buf);
}

/* Is @fn in debugfs' error_injection/list (the whole of it)? */
static bool injectable(const char *fn)
{
	static char list[1 << 20];
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(DEBUGFS "error_injection/list", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;	/* nothing to check against */
	while (len + 1 < sizeof(list) &&
	       (n = read(fd, list + len, sizeof(list) - 1 - len)) > 0)
		len += n;
	close(fd);
	list[len] = '\0';
	return strstr(list, fn);
}

/*
 * should_fail() draws a random number when it fails a function, in the
 * kprobe's int3 context; if the CPU's crng must then be refreshed from
 * base_crng, 6.1's lockdep reports base_crng.lock taken in NMI context
 * ("inconsistent {INITIAL USE} -> {IN-NMI} usage"), the kernel's own
 * problem. Drawing random bytes on each CPU just before makes that
 * refresh happen here, in process context.
 */
static void refresh_crng(void)
{
	cpu_set_t saved, one;
	char buf[64];
	int cpu;

	if (sched_getaffinity(0, sizeof(saved), &saved))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &saved))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (!sched_setaffinity(0, sizeof(one), &one))
			(void)!getentropy(buf, sizeof(buf));
	}
	sched_setaffinity(0, sizeof(saved), &saved);
}

/*
 * Does the kprobe fail_function put on @fn run from ftrace ("[FTRACE]" in
 * debugfs' kprobes/list), not from an int3 trap? 1, 0, or -1 if unknown.
 */
static int kprobe_on_ftrace(const char *fn)
{
	char line[512];
	int found = -1;
	FILE *f;

	f = fopen(DEBUGFS "kprobes/list", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, fn))
			found = !!strstr(line, "[FTRACE]");
	fclose(f);
	return found;
}

/*
 * Make @fn fail. 0, or 4 (KSFT_SKIP) where that cannot be done cleanly:
 * should_fail() draws a random number each time it fails a function, from
 * the kprobe; a kprobe that traps with int3 runs as an NMI, and lockdep
 * reports the crng's lock taken there ("inconsistent {INITIAL USE} ->
 * {IN-NMI} usage", the kernel's own problem, seen on 6.1). Kprobes on
 * function entries run from ftrace instead given CONFIG_FUNCTION_TRACER
 * and CONFIG_DYNAMIC_FTRACE (KPROBES_ON_FTRACE).
 */
static int inject(struct __test_metadata *_metadata, const char *fn)
{
	EXPECT_TRUE(injectable(fn)) TH_LOG("%s is not in error_injection/list", fn);
	refresh_crng();
	if (write_file(FEI "inject", fn))
		return -1;
	/* MINIPROC_FEI_FORCE=1 runs it anyway, lockdep report and all. */
	if (!access("/proc/lockdep", F_OK) && kprobe_on_ftrace(fn) != 1 &&
	    !getenv("MINIPROC_FEI_FORCE")) {
		uninject(fn);
		return KSFT_SKIP;
	}
	return 0;
}

#define INJECT(fn) do { \
	int _ret = inject(_metadata, fn); \
	if (_ret == KSFT_SKIP) \
		SKIP(return, "fail_function's kprobe on %s traps (int3) on a " \
		     "lockdep kernel, where should_fail() splats; needs " \
		     "CONFIG_FUNCTION_TRACER and CONFIG_DYNAMIC_FTRACE", fn); \
	ASSERT_EQ(0, _ret) TH_LOG("inject %s", fn); \
} while (0)

static bool fork_failed(const struct miniproc_info *info, const void *arg)
{
	(void)arg;
	return info->fork_error != 0;
}

static bool forked_at_least(const struct miniproc_info *info, const void *arg)
{
	return info->nr_forks >= *(const __u64 *)arg;
}

/* Processes whose parent is @ppid, or -1. */
static int children_of(int fd, int ppid)
{
	struct miniproc_info *all;
	__u32 i, n;
	int count = 0;

	all = mp_snapshot(fd, &n);
	if (!all)
		return -1;
	for (i = 0; i < n; i++)
		count += all[i].ppid == ppid;
	free(all);
	return count;
}

TEST_F(fail_function, prog_alloc_fails_create_and_fork_cleanly)
{
	const __u64 one = 1;
	struct table_sig before, after;
	struct miniproc_info info;
	int parent, child;

	REQUIRE_FEI();
	/*
	 * `fork(sleep:1h) wait fork(exit:0) sleep:1h`: the second fork comes
	 * when the first child is killed, with the fault armed by then.
	 */
	parent = mp_spawn(self->fd, "parent", OP_FORK, OP_SLEEP(SEC(3600)), OP_END,
			  OP_WAIT, OP_FORK, OP_EXIT(0), OP_END, OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, parent);
	ASSERT_EQ(0, mp_poll(self->fd, parent, forked_at_least, &one, MP_POLL_MS,
			     &info));
	ASSERT_EQ(0, mp_poll_state(self->fd, parent, MINIPROC_SLEEPING, "wait", &info));
	child = mp_find_named(self->fd, "parent", parent);
	ASSERT_LT(0, child);

	ASSERT_EQ(0, table_sig(self->fd, &before));
	INJECT("miniproc_prog_alloc");
	EXPECT_EQ(-ENOMEM, mp_spawn(self->fd, "nope", OP_EXIT(0)));
	ASSERT_EQ(0, table_sig(self->fd, &after));
	EXPECT_TRUE(table_same(&before, &after));
	/* The second fork fails, and the program goes on. */
	ASSERT_EQ(0, mp_destroy(self->fd, child, 0, NULL));
	EXPECT_EQ(0, mp_poll(self->fd, parent, fork_failed, NULL, MP_POLL_MS, &info));
	EXPECT_EQ(0, mp_poll_state(self->fd, parent, MINIPROC_SLEEPING, "sleep", &info));
	uninject("miniproc_prog_alloc");
	EXPECT_EQ(ENOMEM, info.fork_error);
	EXPECT_EQ(1, info.nr_forks);
	EXPECT_EQ(0, info.nr_children);
	EXPECT_EQ(0, children_of(self->fd, parent));
	/* And all is well once the fault is gone. */
	EXPECT_LT(0, mp_spawn(self->fd, "yes", OP_EXIT(0)));
}

static int child_create(int fd, void *arg)
{
	int pid = mp_spawn(fd, "users", OP_SLEEP(SEC(3600)));

	(void)arg;
	return pid < 0 ? -pid : 0;
}

TEST_F(fail_function, user_alloc_fails_a_new_users_create_cleanly)
{
	struct table_sig before, after;

	REQUIRE_FEI();
	ASSERT_EQ(0, table_sig(self->fd, &before));
	INJECT("miniproc_user_alloc");
	/* 'user' has no process, so no record yet: it needs one. */
	EXPECT_EQ(ENOMEM, mp_run_as(1000, child_create, NULL));
	ASSERT_EQ(0, table_sig(self->fd, &after));
	EXPECT_TRUE(table_same(&before, &after));
	uninject("miniproc_user_alloc");
	EXPECT_EQ(0, mp_run_as(1000, child_create, NULL));
	/* With a record, the user needs no new one. */
	INJECT("miniproc_user_alloc");
	EXPECT_EQ(0, mp_run_as(1000, child_create, NULL));
	uninject("miniproc_user_alloc");
}

TEST_F(fail_function, reader_alloc_fails_the_event_stream_cleanly)
{
	struct miniproc_event ev;
	struct pollfd pfd = { .events = POLLIN };
	int fd;

	REQUIRE_FEI();
	fd = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, fd);
	INJECT("miniproc_reader_alloc");
	EXPECT_EQ(-ENOMEM, mp_event_filter(fd, 0));
	EXPECT_EQ(-ENOMEM, mp_read_events(fd, &ev, 1));
	pfd.fd = fd;
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLERR);
	uninject("miniproc_reader_alloc");
	/* The file works once memory is there. */
	EXPECT_EQ(0, mp_event_filter(fd, 0));
	EXPECT_EQ(-EAGAIN, mp_read_events(fd, &ev, 1));
	close(fd);
}

TEST_HARNESS_MAIN
