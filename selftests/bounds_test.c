// SPDX-License-Identifier: GPL-2.0
/*
 * Resource bounds: what an unprivileged user can take. Mini-processes are
 * kernel threads, charged to no cgroup or rlimit of their creator's, so
 * the module bounds them itself:
 *  - max_per_uid is exact: creating until refused stops at the limit, also
 *    with threads creating at once while the user's own processes fork;
 *  - a backing kthread runs at its creator's nice value, SCHED_OTHER (nice
 *    0 and 10 as an unprivileged user, -5 as root; a real-time creator gets
 *    a SCHED_OTHER thread), and a forked child at its parent's;
 *  - restrict_create refuses unprivileged CREATE with -EPERM, root still
 *    creates;
 *  - admin_exempt lets root (CAP_SYS_ADMIN), and its processes' forks, past
 *    max_per_uid, and nobody else.
 * Every parameter is restored afterwards.
 */
#include "miniproc_util.h"

#include <pthread.h>
#include <sys/resource.h>

#define MP_USER		1000

struct shared {
	int created;
	int refused;
	int other;
	int go;
	int pid;
	int tid;
	int nice;
	int policy;
	int stat_nice;
	int stat_policy;
	int child_stat_nice;
	int child_stat_policy;
	int ret;
};

FIXTURE(bounds) {
	int fd;
	int floor;
	struct shared *sh;
	char limit[32];
	char exempt[8];
	char restrict_[8];
};

FIXTURE_SETUP(bounds)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	self->sh = mp_shared(sizeof(*self->sh));
	ASSERT_NE(NULL, self->sh);
	self->limit[0] = self->exempt[0] = self->restrict_[0] = '\0';
	if (geteuid() != 0)
		return;
	mp_param_get_str("max_per_uid", self->limit, sizeof(self->limit));
	mp_param_get_str("admin_exempt", self->exempt, sizeof(self->exempt));
	mp_param_get_str("restrict_create", self->restrict_, sizeof(self->restrict_));
}

FIXTURE_TEARDOWN(bounds)
{
	mp_fixture_teardown(self->fd, self->floor);
	if (self->limit[0])
		mp_param_set_str("max_per_uid", self->limit);
	if (self->exempt[0])
		mp_param_set_str("admin_exempt", self->exempt);
	if (self->restrict_[0])
		mp_param_set_str("restrict_create", self->restrict_);
}

#define REQUIRE_PARAMS() do { \
	if (geteuid() != 0) \
		SKIP(return, "needs root"); \
	if (!self->limit[0] || !self->exempt[0] || !self->restrict_[0]) \
		SKIP(return, "no max_per_uid, admin_exempt, restrict_create in %s", \
		     MP_PARAMS); \
} while (0)

static int count_owned(int fd, __u32 uid)
{
	struct miniproc_info *all;
	__u32 i, n;
	int count = 0;

	all = mp_snapshot(fd, &n);
	if (!all)
		return -1;
	for (i = 0; i < n; i++)
		count += all[i].uid == uid;
	free(all);
	return count;
}

/* --- the exact limit ---------------------------------------------------------- */

static int child_fill(int fd, void *arg)
{
	struct shared *sh = arg;
	int pid;

	for (;;) {
		pid = mp_spawn(fd, "fill", OP_SLEEP(SEC(3600)));
		if (pid < 0)
			return -pid;
		sh->created++;
	}
}

TEST_F(bounds, create_until_refused_stops_at_the_limit)
{
	static const int limits[] = { 1, 3, 7 };
	size_t i;

	REQUIRE_PARAMS();
	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		ASSERT_EQ(0, mp_param_set("max_per_uid", limits[i]));
		self->sh->created = 0;
		EXPECT_EQ(EAGAIN, mp_run_as(MP_NOBODY, child_fill, self->sh));
		EXPECT_EQ(limits[i], self->sh->created);
		EXPECT_EQ(limits[i], count_owned(self->fd, MP_NOBODY));
		mp_cleanup_above(self->fd, self->floor);
	}
}

#define THREADS		4

struct racer {
	int fd;
	struct shared *sh;
};

static void *race_thread(void *arg)
{
	struct racer *r = arg;
	int i, pid;

	while (!__atomic_load_n(&r->sh->go, __ATOMIC_ACQUIRE))
		;
	for (i = 0; i < 8; i++) {
		pid = mp_spawn(r->fd, "thr", OP_SLEEP(SEC(3600)));
		if (pid > 0)
			__atomic_add_fetch(&r->sh->created, 1, __ATOMIC_RELAXED);
		else if (pid == -EAGAIN)
			__atomic_add_fetch(&r->sh->refused, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&r->sh->other, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * As nobody: a process that forks forever (each child sleeps) and threads
 * that create at once, all against one limit.
 */
static int child_race_with_forks(int fd, void *arg)
{
	static const struct miniproc_op forker[] = {
		OP_FOREVER, OP_FORK, OP_SLEEP(SEC(3600)), OP_END, OP_CPU(50000),
		OP_END,
	};
	struct shared *sh = arg;
	struct racer r[THREADS];
	pthread_t t[THREADS];
	int i, pid;

	pid = mp_create(fd, "forker", forker, ARRAY_SIZE(forker), 0, 0, NULL);
	if (pid < 0)
		return -pid;
	sh->pid = pid;
	sh->created = 1;
	for (i = 0; i < THREADS; i++) {
		r[i].fd = fd;
		r[i].sh = sh;
		if (pthread_create(&t[i], NULL, race_thread, &r[i]))
			return 100;
	}
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}

static bool fork_failed(const struct miniproc_info *info, const void *arg)
{
	(void)arg;
	return info->fork_error != 0;
}

TEST_F_TIMEOUT(bounds, limit_is_exact_while_threads_create_and_processes_fork, 90)
{
	const int limit = 12;
	struct miniproc_version v;
	struct miniproc_info info;
	int i;

	REQUIRE_PARAMS();
	ASSERT_EQ(0, mp_version(self->fd, &v));
	if ((int)(v.nproc - v.nr_used) < limit + 1)
		SKIP(return, "the table has no room");
	ASSERT_EQ(0, mp_param_set("max_per_uid", limit));
	for (i = 0; i < 3; i++) {
		memset(self->sh, 0, sizeof(*self->sh));
		ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_race_with_forks, self->sh));
		EXPECT_EQ(0, self->sh->other);
		/* The forker keeps trying: at the limit, every fork fails. */
		ASSERT_EQ(0, mp_poll(self->fd, self->sh->pid, fork_failed, NULL,
				     MP_POLL_MS, &info));
		EXPECT_EQ(EAGAIN, info.fork_error);
		mp_sleep_ms(50);
		EXPECT_EQ(limit, count_owned(self->fd, MP_NOBODY))
			TH_LOG("round %d: %d created by threads, %d forked", i,
			       self->sh->created, (int)info.nr_forks);
		ASSERT_EQ(0, mp_status(self->fd, self->sh->pid, &info));
		EXPECT_EQ(limit, self->sh->created + (int)info.nr_forks);
		mp_cleanup_above(self->fd, self->floor);
		EXPECT_EQ(0, count_owned(self->fd, MP_NOBODY));
	}
}

/* --- nice and policy ------------------------------------------------------------ */

/* Fields 19 (nice) and 41 (policy) of /proc/<tid>/stat: 0, or -errno. */
static int stat_nice_policy(int tid, int *nice, int *policy)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	/* Field 3, the state, follows ") ". */
	p += 2;
	for (field = 3; field < 41 && p; field++) {
		if (field == 19)
			*nice = atoi(p);
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return -EIO;
	*policy = atoi(p);
	return 0;
}

/* Create a process that forks one child, both asleep; their kthreads' nice. */
static int create_and_look(int fd, struct shared *sh)
{
	struct miniproc_info info, child;

	sh->pid = mp_spawn(fd, "niced", OP_FORK, OP_SLEEP(SEC(3600)), OP_END,
			   OP_SLEEP(SEC(3600)));
	if (sh->pid < 0)
		return -sh->pid;
	if (mp_poll_state(fd, sh->pid, MINIPROC_SLEEPING, "sleep", &info))
		return 101;
	if (mp_poll_state(fd, sh->pid + 1, MINIPROC_SLEEPING, "sleep", &child))
		return 102;
	if (child.ppid != sh->pid)
		return 103;
	sh->tid = info.tid;
	sh->policy = sched_getscheduler(info.tid);
	if (stat_nice_policy(info.tid, &sh->stat_nice, &sh->stat_policy))
		return 104;
	if (stat_nice_policy(child.tid, &sh->child_stat_nice,
			     &sh->child_stat_policy))
		return 105;
	return 0;
}

static int child_niced(int fd, void *arg)
{
	struct shared *sh = arg;

	errno = 0;
	if (setpriority(PRIO_PROCESS, 0, sh->nice))
		return 110;
	return create_and_look(fd, sh);
}

static void expect_nice(struct __test_metadata *_metadata, struct shared *sh,
			int nice)
{
	EXPECT_EQ(nice, sh->stat_nice) TH_LOG("creator at nice %d", nice);
	EXPECT_EQ(nice, sh->child_stat_nice) TH_LOG("its forked child");
	EXPECT_EQ(SCHED_OTHER, sh->stat_policy);
	EXPECT_EQ(SCHED_OTHER, sh->policy);
	EXPECT_EQ(SCHED_OTHER, sh->child_stat_policy);
}

TEST_F(bounds, kthread_runs_at_an_unprivileged_creators_nice)
{
	static const int nices[] = { 0, 10, 19 };
	size_t i;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	for (i = 0; i < ARRAY_SIZE(nices); i++) {
		memset(self->sh, 0, sizeof(*self->sh));
		self->sh->nice = nices[i];
		ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_niced, self->sh));
		expect_nice(_metadata, self->sh, nices[i]);
		mp_cleanup_above(self->fd, self->floor);
	}
}

/* As root in a child: nice -5, or SCHED_FIFO; nothing of the test changes. */
static int run_as_root_with(struct shared *sh, int nice, bool fifo)
{
	pid_t child;
	int status, fd;

	fflush(NULL);
	child = fork();
	if (child < 0)
		return -1;
	if (!child) {
		struct sched_param sp = { .sched_priority = 1 };

		if (setpriority(PRIO_PROCESS, 0, nice))
			_exit(120);
		if (fifo && sched_setscheduler(0, SCHED_FIFO, &sp))
			_exit(121);
		fd = mp_open();
		if (fd < 0)
			_exit(122);
		_exit(create_and_look(fd, sh));
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F(bounds, kthread_of_a_negative_nice_root_is_no_stronger)
{
	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(0, run_as_root_with(self->sh, -5, false));
	/* No stronger than its creator: exactly as strong. */
	EXPECT_LE(-5, self->sh->stat_nice);
	expect_nice(_metadata, self->sh, -5);
}

TEST_F(bounds, kthread_of_a_realtime_creator_is_sched_other)
{
	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(0, run_as_root_with(self->sh, 0, true));
	expect_nice(_metadata, self->sh, 0);
}

/* --- restrict_create ------------------------------------------------------------ */

static int child_create_one(int fd, void *arg)
{
	int pid = mp_spawn(fd, "one", OP_SLEEP(SEC(3600)));

	(void)arg;
	return pid < 0 ? -pid : 0;
}

TEST_F(bounds, restrict_create_refuses_unprivileged_users_with_eperm)
{
	int used;

	REQUIRE_PARAMS();
	ASSERT_EQ(0, mp_param_set_str("restrict_create", "Y"));
	used = mp_nr_used(self->fd);
	EXPECT_EQ(EPERM, mp_run_as(MP_NOBODY, child_create_one, NULL));
	EXPECT_EQ(EPERM, mp_run_as(MP_USER, child_create_one, NULL));
	EXPECT_EQ(used, mp_nr_used(self->fd));
	/* Root still creates. */
	EXPECT_LT(0, mp_spawn(self->fd, "roots", OP_SLEEP(SEC(3600))));
	EXPECT_EQ(used + 1, mp_nr_used(self->fd));
	/* Lifted, the user creates again. */
	ASSERT_EQ(0, mp_param_set_str("restrict_create", "N"));
	EXPECT_EQ(0, mp_run_as(MP_NOBODY, child_create_one, NULL));
}

/* --- admin_exempt ------------------------------------------------------------------ */

static bool forked_at_least(const struct miniproc_info *info, const void *arg)
{
	return info->nr_forks >= *(const __u64 *)arg;
}

TEST_F(bounds, admin_exempt_lets_root_past_the_limit_and_nobody_else)
{
	const __u64 three = 3;
	struct miniproc_info info;
	int i, pid;

	REQUIRE_PARAMS();
	if (count_owned(self->fd, 0) > 1)
		SKIP(return, "root already owns mini-processes");
	ASSERT_EQ(0, mp_param_set("max_per_uid", 2));

	/* Not exempt: root is held to the limit too. */
	ASSERT_EQ(0, mp_param_set_str("admin_exempt", "N"));
	EXPECT_LT(0, mp_spawn(self->fd, "r", OP_SLEEP(SEC(3600))));
	EXPECT_LT(0, mp_spawn(self->fd, "r", OP_SLEEP(SEC(3600))));
	EXPECT_EQ(-EAGAIN, mp_spawn(self->fd, "r", OP_SLEEP(SEC(3600))));

	/* Exempt: root goes past it, and so do its process's forks. */
	ASSERT_EQ(0, mp_param_set_str("admin_exempt", "Y"));
	for (i = 0; i < 3; i++)
		EXPECT_LT(0, mp_spawn(self->fd, "r", OP_SLEEP(SEC(3600))));
	pid = mp_spawn(self->fd, "rf", OP_LOOP(3), OP_FORK, OP_SLEEP(SEC(3600)),
		       OP_END, OP_END, OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll(self->fd, pid, forked_at_least, &three, MP_POLL_MS,
			     &info));
	EXPECT_EQ(0, info.fork_error);
	EXPECT_EQ(2 + 3 + 1 + 3, count_owned(self->fd, 0) - 1);
	/* But an unprivileged user is not. */
	self->sh->created = 0;
	EXPECT_EQ(EAGAIN, mp_run_as(MP_NOBODY, child_fill, self->sh));
	EXPECT_EQ(2, self->sh->created);

	/* Exemption withdrawn: root, far over, creates nothing more. */
	ASSERT_EQ(0, mp_param_set_str("admin_exempt", "N"));
	EXPECT_EQ(-EAGAIN, mp_spawn(self->fd, "r", OP_SLEEP(SEC(3600))));
}

TEST_HARNESS_MAIN
