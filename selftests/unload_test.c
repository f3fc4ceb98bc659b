// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading the module: refused while a file is open; with no file open it
 * kills and reaps every process, in every state, also families forking as
 * it happens and orphans init holds, and leaves nothing behind (no device,
 * no kthread, init's included). The module is loaded again afterwards,
 * with the same parameters, from $MINIPROC_KO, so that later tests still
 * run; the unloading tests skip without it.
 */
#include "miniproc_util.h"

FIXTURE(unload) {
	char params[64];	/* the parameters it was loaded with */
};

FIXTURE_SETUP(unload)
{
	snprintf(self->params, sizeof(self->params), "nproc=%ld max_per_uid=%ld",
		 mp_param_get("nproc"), mp_param_get("max_per_uid"));
}

/* Whatever happened, leave the module loaded for the tests that follow. */
FIXTURE_TEARDOWN(unload)
{
	if (!mp_module_loaded())
		mp_load_module(self->params);
}

#define REQUIRE_UNLOAD() do { \
	if (geteuid() != 0) \
		SKIP(return, "needs root"); \
	if (!getenv("MINIPROC_KO")) \
		SKIP(return, "set MINIPROC_KO to miniproc.ko to reload it"); \
	if (!mp_module_loaded()) \
		SKIP(return, "miniproc is built in"); \
} while (0)

TEST_F(unload, is_refused_while_a_file_is_open)
{
	struct miniproc_version v;
	int fd;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	fd = mp_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, mp_delete_module(O_NONBLOCK));
	EXPECT_TRUE(mp_module_loaded());
	EXPECT_EQ(0, access(MINIPROC_DEVICE, F_OK));
	EXPECT_EQ(0, mp_version(fd, &v));
	close(fd);
}

TEST_F(unload, is_refused_while_a_wait_is_blocked)
{
	int fd, pid, ret = 0;
	pid_t child;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	fd = mp_open();
	ASSERT_LE(0, fd);
	pid = mp_spawn(fd, "waited", OP_SLEEP(MSEC(1500)), OP_EXIT(2));
	ASSERT_LT(0, pid);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(mp_waitpid(fd, pid, NULL) == pid ? 0 : 1);
	close(fd);
	mp_sleep_ms(200);
	/* The waiter's file keeps the module. */
	EXPECT_EQ(-EWOULDBLOCK, mp_delete_module(O_NONBLOCK));
	ASSERT_EQ(child, waitpid(child, &ret, 0));
	EXPECT_TRUE(WIFEXITED(ret) && WEXITSTATUS(ret) == 0);
	EXPECT_TRUE(mp_module_loaded());
}

/*
 * With no file open: unload, check that nothing is left (no device, no
 * kthread, init's included), load again and check that the new table holds
 * init alone. init takes none of the nproc slots users share, so VERSION
 * counts no slot in use while LIST shows it.
 */
static void unload_and_reload(struct __test_metadata *_metadata,
			      const char *params)
{
	struct miniproc_info info;
	struct miniproc_version v;
	int fd, n, tids[64];

	ASSERT_EQ(0, mp_delete_module(O_NONBLOCK));
	EXPECT_FALSE(mp_module_loaded());
	EXPECT_EQ(-1, access(MINIPROC_DEVICE, F_OK));
	/* Stopped threads are gone from /proc once they are released. */
	n = mp_kthreads_gone(tids, ARRAY_SIZE(tids));
	EXPECT_EQ(0, n) TH_LOG("%d miniproc/ threads left, e.g. tid %d", n, tids[0]);

	ASSERT_EQ(0, mp_load_module(params));
	fd = mp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mp_version(fd, &v));
	EXPECT_EQ(0, v.nr_used);
	EXPECT_EQ(1, mp_total(fd));
	EXPECT_EQ(0, mp_status(fd, MINIPROC_INIT_PID, &info));
	EXPECT_STREQ("init", info.name);
	close(fd);
}

static int child_leave_process(int fd, void *arg)
{
	(void)arg;
	return mp_spawn(fd, "nobodys", OP_SLEEP(SEC(3600))) < 0;
}

static bool take_turns(const struct miniproc_info *a, const struct miniproc_info *b)
{
	return (a->state == MINIPROC_RUNNING && b->state == MINIPROC_RUNNABLE) ||
	       (a->state == MINIPROC_RUNNABLE && b->state == MINIPROC_RUNNING);
}

TEST_F_TIMEOUT(unload, kills_and_reaps_processes_in_every_state, 120)
{
	static const struct miniproc_op spin[] = { OP_FOREVER, OP_CPU(MSEC(1)), OP_END };
	__u64 deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	int fd, self_cpu, cpu, a, b, pid, used, tids[64];
	struct miniproc_info ia, ib, info;
	struct miniproc_version v;

	REQUIRE_UNLOAD();
	if (mp_pick_cpus(&self_cpu, &cpu))
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, mp_pin_self(self_cpu));
	fd = mp_open();
	ASSERT_LE(0, fd);
	used = mp_nr_used(fd);

	/* RUNNING and RUNNABLE: two spinners taking turns on one CPU. */
	a = mp_create(fd, "running", spin, ARRAY_SIZE(spin), MINIPROC_CREATE_PIN, cpu, NULL);
	b = mp_create(fd, "runnable", spin, ARRAY_SIZE(spin), MINIPROC_CREATE_PIN, cpu, NULL);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	do {
		ASSERT_EQ(0, mp_status(fd, a, &ia));
		ASSERT_EQ(0, mp_status(fd, b, &ib));
		ASSERT_GT(deadline, mp_now_ns()) TH_LOG("never took turns");
	} while (!take_turns(&ia, &ib));

	pid = mp_spawn(fd, "sleeping", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(fd, pid, MINIPROC_SLEEPING, "sleep", &info));

	pid = mp_create(fd, "suspended", spin, ARRAY_SIZE(spin), 0, 0, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(fd, pid));

	pid = mp_spawn(fd, "zombie", OP_EXIT(3));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(fd, pid, MINIPROC_ZOMBIE, NULL, &info));

	pid = mp_spawn_autoreap(fd, "autoreap", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	pid = mp_spawn_autoreap(fd, "autospin", OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_leave_process, NULL));

	ASSERT_EQ(0, mp_version(fd, &v));
	EXPECT_EQ(used + 8, v.nr_used);
	/* Every one but the zombie has its kthread, and so has init. */
	EXPECT_LE(8, mp_kthreads(tids, ARRAY_SIZE(tids)));
	close(fd);

	unload_and_reload(_metadata, self->params);
}

static bool forked_at_least(const struct miniproc_info *info, const void *arg)
{
	return info->nr_forks >= *(const __u64 *)arg;
}

TEST_F_TIMEOUT(unload, kills_and_reaps_families_while_they_fork, 120)
{
	static const struct miniproc_op forker[] = {
		OP_FOREVER, OP_FORK, OP_CPU(100000), OP_END, OP_WAIT, OP_END,
	};
	const __u64 two = 2, ten = 10;
	struct miniproc_info info;
	int fd, i, holder, orphaner, orphan, pid[2];

	REQUIRE_UNLOAD();
	fd = mp_open();
	ASSERT_LE(0, fd);
	/* A parent holding a zombie child and a sleeping one. */
	holder = mp_spawn(fd, "holder", OP_FORK, OP_EXIT(2), OP_END,
			  OP_FORK, OP_SLEEP(SEC(3600)), OP_END, OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, holder);
	ASSERT_EQ(0, mp_poll(fd, holder, forked_at_least, &two, MP_POLL_MS, &info));
	EXPECT_EQ(2, info.nr_children);
	/* A parent that ended: its sleeping child is init's now. */
	orphaner = mp_spawn(fd, "orphaner", OP_FORK, OP_SLEEP(SEC(3600)), OP_END,
			    OP_EXIT(0));
	ASSERT_LT(0, orphaner);
	ASSERT_EQ(0, mp_poll_state(fd, orphaner, MINIPROC_ZOMBIE, NULL, &info));
	orphan = mp_find_named(fd, "orphaner", orphaner);
	ASSERT_LT(0, orphan);
	ASSERT_EQ(0, mp_status(fd, orphan, &info));
	EXPECT_EQ(MINIPROC_INIT_PID, info.ppid);

	/* `*(fork(cpu:100us) wait)`: two of them, forking as the module goes. */
	for (i = 0; i < 2; i++) {
		pid[i] = mp_create(fd, "forker", forker, ARRAY_SIZE(forker), 0, 0, NULL);
		ASSERT_LT(0, pid[i]);
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, mp_poll(fd, pid[i], forked_at_least, &ten, MP_POLL_MS,
				     &info));
	close(fd);

	unload_and_reload(_metadata, self->params);
}

TEST_HARNESS_MAIN
