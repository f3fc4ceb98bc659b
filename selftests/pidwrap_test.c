// SPDX-License-Identifier: GPL-2.0
/*
 * Pids that never run out: with the module loaded with a small pid_max,
 * pids are handed out cyclically in [2, pid_max], as the kernel's alloc_pid
 * does, and come round again, many times over, through CREATE and through
 * fork ops alike. Across the wrap:
 *  - no pid is handed out while it is live: init's, a sleeper's, or an
 *    unreaped zombie's;
 *  - the next pid is the first one free after the last handed out;
 *  - STATUS and WAIT always answer about the process that has the pid now
 *    (its name, its exit status), LIST never shows two records of a pid;
 *  - an event filter set on a pid never delivers the events of a later
 *    process given that pid, whether it was set while the old one lived or
 *    after it was reaped;
 *  - a WAIT blocked on a pid whose process another call reaped never reaps
 *    the next process given that pid: a SCHED_FIFO hog keeps the waiter
 *    off its CPU while the pid comes round.
 * Each test reloads the module with nproc=PW_NPROC pid_max=PW_PID_MAX and
 * loads it again afterwards with the parameters it had.
 */
#include "miniproc_util.h"

#include <pthread.h>

#define PW_NPROC	8
#define PW_PID_MAX	24
/* The first pid a user's process may have: init has MINIPROC_INIT_PID. */
#define PW_FIRST_PID	(MINIPROC_INIT_PID + 1)
/* Creations in a test: many times the bound. */
#define PW_ROUNDS	(6 * PW_PID_MAX)
/* Processes a test keeps unreaped while it creates more. */
#define PW_WINDOW	4

FIXTURE(pidwrap) {
	int fd;
	char params[96];	/* what the module was loaded with before */
	bool reloaded;
};

FIXTURE_SETUP(pidwrap)
{
	long pid_max = mp_param_get("pid_max");
	char ours[64];
	int len;

	self->fd = -1;
	self->reloaded = false;
	if (geteuid() != 0)
		SKIP(return, "needs root");
	if (!getenv("MINIPROC_KO"))
		SKIP(return, "set MINIPROC_KO to miniproc.ko to reload it");
	if (!mp_module_loaded())
		SKIP(return, "miniproc is built in");
	len = snprintf(self->params, sizeof(self->params),
		       "nproc=%ld max_per_uid=%ld", mp_param_get("nproc"),
		       mp_param_get("max_per_uid"));
	if (pid_max > 0)
		snprintf(self->params + len, sizeof(self->params) - len,
			 " pid_max=%ld", pid_max);

	snprintf(ours, sizeof(ours), "nproc=%d max_per_uid=%d pid_max=%d",
		 PW_NPROC, PW_NPROC, PW_PID_MAX);
	ASSERT_EQ(0, mp_delete_module(O_NONBLOCK));
	self->reloaded = true;
	ASSERT_EQ(0, mp_load_module(ours)) TH_LOG("insmod %s", ours);
	self->fd = mp_open();
	ASSERT_LE(0, self->fd);
}

/* Unloading kills and reaps whatever a test left. */
FIXTURE_TEARDOWN(pidwrap)
{
	mp_hog_restore();
	if (self->fd >= 0)
		close(self->fd);
	if (!self->reloaded)
		return;
	if (mp_module_loaded())
		mp_delete_module(O_NONBLOCK);
	if (!mp_module_loaded())
		mp_load_module(self->params);
}

/* --- what the test expects of the allocator ----------------------------- */

/*
 * The pids a test knows to be live, to predict the next one: the first pid
 * after @last that none of them has, coming round to PW_FIRST_PID after
 * PW_PID_MAX.
 */
struct pw_live {
	int n;
	int pid[PW_NPROC + 1];
};

static void live_add(struct pw_live *l, int pid)
{
	l->pid[l->n++] = pid;
}

static void live_del(struct pw_live *l, int pid)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (l->pid[i] == pid) {
			l->pid[i] = l->pid[--l->n];
			return;
		}
	}
}

static bool live_has(const struct pw_live *l, int pid)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->pid[i] == pid)
			return true;
	return false;
}

static int next_pid(const struct pw_live *l, int last)
{
	int pid = last, i;

	for (i = 0; i < PW_PID_MAX; i++) {
		pid = pid >= PW_PID_MAX ? PW_FIRST_PID : pid + 1;
		if (!live_has(l, pid))
			return pid;
	}
	return -1;
}

/* The pid the module handed out last: the largest, before any wrap. */
static int last_pid(int fd)
{
	return mp_max_pid(fd);
}

/* LIST: every pid in range, in pid order, none twice. */
static void expect_list_sane(struct __test_metadata *_metadata, int fd)
{
	struct miniproc_info *all;
	__u32 i, n;

	all = mp_snapshot(fd, &n);
	ASSERT_NE(NULL, all);
	for (i = 0; i < n; i++) {
		EXPECT_GE(PW_PID_MAX, all[i].pid) TH_LOG("LIST: pid %d", all[i].pid);
		if (i)
			EXPECT_LT(all[i - 1].pid, all[i].pid)
				TH_LOG("LIST: pid %d after %d", all[i].pid,
				       all[i - 1].pid);
	}
	free(all);
}

static void expect_named(struct __test_metadata *_metadata, int fd, int pid,
			 const char *name, __u32 state)
{
	struct miniproc_info info;

	ASSERT_EQ(0, mp_status(fd, pid, &info)) TH_LOG("STATUS %d (%s)", pid, name);
	EXPECT_EQ(pid, info.pid);
	EXPECT_STREQ(name, info.name) TH_LOG("STATUS %d", pid);
	if (state != MINIPROC_UNUSED)
		EXPECT_EQ(state, info.state) TH_LOG("STATUS %d (%s): %s", pid,
						    name, mp_state_name(info.state));
}

static bool is_zombie(const struct miniproc_info *info, const void *arg)
{
	(void)arg;
	return info->state == MINIPROC_ZOMBIE;
}

/* Poll @pid until it is a zombie, for up to @ms scaled by the slowdown. */
static int poll_zombie(int fd, int pid, unsigned int ms)
{
	struct miniproc_info info;

	return mp_poll(fd, pid, is_zombie, NULL, ms * mp_slowdown(), &info);
}

/* --- CREATE and fork ---------------------------------------------------- */

/* Reap @pid, created in round @round: still itself, and it ended so. */
static void reap_round(struct __test_metadata *_metadata, int fd, int pid,
		       int round)
{
	struct miniproc_exit_info exit;
	char name[MINIPROC_NAME_LEN];

	snprintf(name, sizeof(name), "w%d", round);
	ASSERT_EQ(0, poll_zombie(fd, pid, MP_POLL_MS)) TH_LOG("%s (%d)", name, pid);
	expect_named(_metadata, fd, pid, name, MINIPROC_ZOMBIE);
	EXPECT_EQ(pid, mp_waitpid(fd, pid, &exit)) TH_LOG("WAIT %s (%d)", name, pid);
	EXPECT_EQ(round % (MINIPROC_EXIT_MAX + 1), exit.exit_status)
		TH_LOG("WAIT %s (%d)", name, pid);
}

/*
 * PW_ROUNDS processes, each named for its round and exiting with it, with
 * a window of PW_WINDOW of them unreaped, two sleepers and a zombie kept
 * throughout: every pid is in range, the one the cycle predicts, never a
 * live one's; each STATUS and WAIT is about the process just created.
 */
TEST_F_TIMEOUT(pidwrap, create_cycles_through_the_bound_and_skips_live_pids, 120)
{
	int window[PW_WINDOW], keep_a, keep_b, zombie, pid, last, i, j;
	bool seen[PW_PID_MAX + 1] = { false };
	struct miniproc_exit_info exit;
	struct pw_live live = { 0 };
	char name[MINIPROC_NAME_LEN];
	bool wrapped = false;

	EXPECT_EQ(PW_PID_MAX, mp_param_get("pid_max"));
	live_add(&live, MINIPROC_INIT_PID);
	keep_a = mp_spawn(self->fd, "keep-a", OP_SLEEP(SEC(3600)));
	keep_b = mp_spawn(self->fd, "keep-b", OP_SLEEP(SEC(3600)));
	zombie = mp_spawn(self->fd, "keep-z", OP_EXIT(3));
	ASSERT_LT(0, keep_a);
	ASSERT_LT(0, keep_b);
	ASSERT_LT(0, zombie);
	ASSERT_EQ(0, poll_zombie(self->fd, zombie, MP_POLL_MS));
	live_add(&live, keep_a);
	live_add(&live, keep_b);
	live_add(&live, zombie);
	last = last_pid(self->fd);

	for (i = 0; i < PW_ROUNDS; i++) {
		int want = next_pid(&live, last);

		snprintf(name, sizeof(name), "w%d", i);
		pid = mp_create(self->fd, name,
				PROG(OP_EXIT(i % (MINIPROC_EXIT_MAX + 1))), 1, 0, 0, NULL);
		ASSERT_LT(0, pid) TH_LOG("round %d: CREATE: %s", i, strerror(-pid));
		ASSERT_GE(PW_PID_MAX, pid) TH_LOG("round %d: pid %d", i, pid);
		ASSERT_FALSE(live_has(&live, pid))
			TH_LOG("round %d: pid %d handed out while live", i, pid);
		EXPECT_EQ(want, pid) TH_LOG("round %d: after pid %d", i, last);
		wrapped |= seen[pid];
		seen[pid] = true;
		expect_named(_metadata, self->fd, pid, name, MINIPROC_UNUSED);
		live_add(&live, pid);
		last = pid;

		/* The oldest of the window goes, the new one takes its place. */
		j = i % PW_WINDOW;
		if (i >= PW_WINDOW) {
			reap_round(_metadata, self->fd, window[j], i - PW_WINDOW);
			live_del(&live, window[j]);
		}
		window[j] = pid;
	}
	for (i = PW_ROUNDS - PW_WINDOW; i < PW_ROUNDS; i++)
		reap_round(_metadata, self->fd, window[i % PW_WINDOW], i);

	EXPECT_TRUE(wrapped) TH_LOG("no pid came round in %d creations", PW_ROUNDS);
	expect_named(_metadata, self->fd, keep_a, "keep-a", MINIPROC_SLEEPING);
	expect_named(_metadata, self->fd, keep_b, "keep-b", MINIPROC_SLEEPING);
	expect_named(_metadata, self->fd, zombie, "keep-z", MINIPROC_ZOMBIE);
	expect_list_sane(_metadata, self->fd);
	EXPECT_EQ(zombie, mp_waitpid(self->fd, zombie, &exit));
	EXPECT_EQ(3, exit.exit_status);
}

/*
 * A program's fork ops burn pids with no ioctl: `K*(fork(exit:0) wait)`,
 * K many times the bound, runs to its end with every fork done, none
 * failed, beside a sleeper and a zombie that keep their pids. The event
 * stream shows each child's pid in range and never given to a second
 * process before the first was reaped.
 */
TEST_F_TIMEOUT(pidwrap, fork_ops_wrap_too, 120)
{
	static const struct miniproc_op forker[] = {
		OP_LOOP(PW_ROUNDS), OP_FORK, OP_EXIT(0), OP_END, OP_WAIT, OP_END,
		OP_EXIT(7),
	};
	static struct mp_event_log log;
	bool alive[PW_PID_MAX + 1] = { false };
	int keep, zombie, pid, stream, i, births = 0;
	struct miniproc_exit_info exit;
	struct miniproc_info info;

	keep = mp_spawn(self->fd, "keep", OP_SLEEP(SEC(3600)));
	zombie = mp_spawn(self->fd, "keep-z", OP_EXIT(3));
	ASSERT_LT(0, keep);
	ASSERT_LT(0, zombie);
	ASSERT_EQ(0, poll_zombie(self->fd, zombie, MP_POLL_MS));
	stream = mp_open_stream(0, true);
	ASSERT_LE(0, stream);
	alive[MINIPROC_INIT_PID] = alive[keep] = alive[zombie] = true;

	pid = mp_create(self->fd, "forker", forker, ARRAY_SIZE(forker), 0, 0, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, poll_zombie(self->fd, pid, 60000)) TH_LOG("forker %d", pid);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(PW_ROUNDS, info.nr_forks);
	EXPECT_EQ(0, info.fork_error) TH_LOG("%s", strerror(info.fork_error));
	EXPECT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(7, exit.exit_status);

	log.n = 0;
	ASSERT_EQ(0, mp_drain_events(stream, &log));
	close(stream);
	for (i = 0; i < log.n; i++) {
		const struct miniproc_event *ev = &log.ev[i];

		ASSERT_EQ(0, ev->lost) TH_LOG("event %d: %u lost", i, ev->lost);
		ASSERT_LT(0, ev->pid);
		ASSERT_GE(PW_PID_MAX, ev->pid) TH_LOG("event %d: pid %d", i, ev->pid);
		if (ev->prev_state == MINIPROC_UNUSED) {
			EXPECT_FALSE(alive[ev->pid])
				TH_LOG("event %d: pid %d (%s) born while live", i,
				       ev->pid, ev->name);
			alive[ev->pid] = true;
			births++;
		} else if (ev->next_state == MINIPROC_UNUSED) {
			alive[ev->pid] = false;
		}
	}
	/* The forker and every child it started. */
	EXPECT_EQ(PW_ROUNDS + 1, births);

	expect_named(_metadata, self->fd, keep, "keep", MINIPROC_SLEEPING);
	expect_named(_metadata, self->fd, zombie, "keep-z", MINIPROC_ZOMBIE);
	pid = mp_spawn(self->fd, "after", OP_EXIT(0));
	ASSERT_LT(0, pid);
	EXPECT_GE(PW_PID_MAX, pid);
	EXPECT_NE(keep, pid);
	EXPECT_NE(zombie, pid);
	expect_named(_metadata, self->fd, pid, "after", MINIPROC_UNUSED);
}

/* --- the event filter ---------------------------------------------------- */

/*
 * Create and reap processes named "new" until one is given @pid; each is
 * reaped before the next is created. True if one was.
 */
static bool come_round(struct __test_metadata *_metadata, int fd, int pid)
{
	int i, got;

	for (i = 0; i < 4 * PW_PID_MAX; i++) {
		got = mp_spawn(fd, "new", OP_SLEEP(MSEC(1)), OP_EXIT(0));
		if (got < 0) {
			TH_LOG("CREATE: %s", strerror(-got));
			return false;
		}
		if (mp_waitpid(fd, got, NULL) != got) {
			TH_LOG("WAIT %d failed", got);
			return false;
		}
		if (got == pid)
			return true;
	}
	return false;
}

/* Every event on @stream is @pid's and names @name; how many there were. */
static int expect_only(struct __test_metadata *_metadata, int stream, int pid,
		       const char *name)
{
	static struct mp_event_log log;
	int i;

	log.n = 0;
	EXPECT_EQ(0, mp_drain_events(stream, &log));
	for (i = 0; i < log.n; i++) {
		EXPECT_EQ(pid, log.ev[i].pid);
		EXPECT_STREQ(name, log.ev[i].name)
			TH_LOG("event %d of pid %d: %s -> %s", i, log.ev[i].pid,
			       mp_state_name(log.ev[i].prev_state),
			       mp_state_name(log.ev[i].next_state));
	}
	return log.n;
}

/*
 * A filter set on a live process's pid follows that process: once it is
 * reaped and its pid given to another, the other's events are not
 * delivered.
 */
TEST_F_TIMEOUT(pidwrap, filter_set_on_a_live_pid_never_gets_its_successor, 120)
{
	int old, stream;

	old = mp_spawn(self->fd, "old", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, old);
	stream = mp_open_stream(old, true);
	ASSERT_LE(0, stream);
	ASSERT_EQ(0, mp_destroy_wait(self->fd, old, NULL));
	ASSERT_TRUE(come_round(_metadata, self->fd, old))
		TH_LOG("pid %d did not come round", old);
	/* The old one's end (ZOMBIE, UNUSED), nothing of the new one. */
	EXPECT_LE(2, expect_only(_metadata, stream, old, "old"));
	close(stream);
}

/*
 * A filter set on a pid after its process was reaped still gets that
 * process's events that are waiting, and never those of the next process
 * given the pid.
 */
TEST_F_TIMEOUT(pidwrap, filter_set_on_a_reaped_pid_never_gets_its_successor, 120)
{
	int old, stream;

	stream = mp_open_stream(0, true);
	ASSERT_LE(0, stream);
	old = mp_spawn(self->fd, "old", OP_EXIT(5));
	ASSERT_LT(0, old);
	ASSERT_EQ(old, mp_waitpid(self->fd, old, NULL));
	ASSERT_EQ(0, mp_event_filter(stream, old));
	ASSERT_TRUE(come_round(_metadata, self->fd, old))
		TH_LOG("pid %d did not come round", old);
	/* EMBRYO, RUNNABLE, RUNNING, ZOMBIE, UNUSED at least. */
	EXPECT_LE(4, expect_only(_metadata, stream, old, "old"));
	close(stream);
}

/* --- a WAIT blocked across the wrap -------------------------------------- */

struct pw_waiter {
	int fd;
	int pid;
	int cpu;
	int tid;
	int done;
	int ret;
	struct miniproc_exit_info exit;
};

static void *waiter_thread(void *arg)
{
	struct pw_waiter *w = arg;

	if (mp_pin_self(w->cpu))
		w->ret = -EINVAL;
	__atomic_store_n(&w->tid, mp_gettid(), __ATOMIC_RELEASE);
	if (!w->ret)
		w->ret = mp_waitpid(w->fd, w->pid, &w->exit);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A WAIT for pid X blocks; another call reaps X, which wakes the waiter,
 * but a SCHED_FIFO hog on its CPU keeps it from looking again until X has
 * been given to a new process that has ended. The waiter then finds its
 * process gone (-ESRCH): it never reaps the new one, whose exit stays for
 * its own WAIT.
 */
TEST_F_TIMEOUT(pidwrap, wait_blocked_on_a_reaped_pid_never_reaps_its_successor, 120)
{
	struct pw_waiter w = { 0 };
	struct miniproc_exit_info exit;
	int self_cpu, other_cpu, old, got, i;
	__u64 deadline;
	bool came = false;
	pthread_t t;
	pid_t hog;

	if (mp_pick_cpus(&self_cpu, &other_cpu))
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, mp_pin_self(self_cpu));
	old = mp_spawn_pinned(self->fd, "old", self_cpu, OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, old);

	w = (struct pw_waiter){ .fd = self->fd, .pid = old, .cpu = other_cpu };
	ASSERT_EQ(0, pthread_create(&t, NULL, waiter_thread, &w));
	deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	while (!__atomic_load_n(&w.tid, __ATOMIC_ACQUIRE) ||
	       !mp_thread_blocked(w.tid)) {
		ASSERT_GT(deadline, mp_now_ns()) TH_LOG("the waiter never blocked");
		usleep(1000);
	}
	hog = mp_hog_start(other_cpu, 3000 * mp_slowdown());
	ASSERT_LT(0, hog) TH_LOG("cannot run a SCHED_FIFO task: %d", hog);

	ASSERT_EQ(0, mp_destroy_wait(self->fd, old, &exit));
	for (i = 0; i < 4 * PW_PID_MAX && !came; i++) {
		got = mp_spawn_pinned(self->fd, "new", self_cpu, OP_EXIT(42));
		ASSERT_LT(0, got) TH_LOG("CREATE: %s", strerror(-got));
		came = got == old;
		if (!came)
			ASSERT_EQ(got, mp_waitpid(self->fd, got, NULL));
	}
	ASSERT_TRUE(came) TH_LOG("pid %d did not come round", old);
	ASSERT_EQ(0, poll_zombie(self->fd, old, MP_POLL_MS));
	if (__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
		mp_hog_finish(hog);
		pthread_join(t, NULL);
		SKIP(return, "the waiter ran before pid %d came round", old);
	}
	EXPECT_EQ(0, mp_hog_finish(hog));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-ESRCH, w.ret) TH_LOG("the waiter for the old %d got %d, status %d",
					old, w.ret, w.exit.exit_status);
	expect_named(_metadata, self->fd, old, "new", MINIPROC_ZOMBIE);
	EXPECT_EQ(old, mp_waitpid(self->fd, old, &exit));
	EXPECT_EQ(42, exit.exit_status);
}

TEST_HARNESS_MAIN
