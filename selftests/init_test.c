// SPDX-License-Identifier: GPL-2.0
/*
 * The init process: pid 1, the module's (uid 0, no parent, named "init"),
 * there from load on, asleep on "wait" for the orphans it will reap, shown
 * by STATUS and LIST; it may not be destroyed, suspended or resumed
 * (-EPERM) nor waited for (-ECHILD), and a refused call leaves it as it
 * was. (How it takes in orphans is in family_test; that it takes none of
 * the slots users share, in unload_test.)
 */
#include "miniproc_util.h"

MINIPROC_FIXTURE(init);

TEST_F(init, is_pid_1_the_modules_asleep_on_wait)
{
	struct miniproc_info info, *all;
	__u32 n;

	ASSERT_EQ(0, mp_poll_state(self->fd, MINIPROC_INIT_PID, MINIPROC_SLEEPING,
				   NULL, &info));
	EXPECT_EQ(MINIPROC_INIT_PID, info.pid);
	EXPECT_EQ(0, info.ppid);
	EXPECT_EQ(0, info.uid);
	EXPECT_STREQ("init", info.name);
	EXPECT_STREQ("wait", info.chan);
	EXPECT_EQ(0, info.flags);
	EXPECT_LT(0, info.tid);
	EXPECT_EQ(0, info.nr_forks);
	EXPECT_EQ(0, info.fork_error);
	/* LIST shows it, first. */
	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);
	ASSERT_LE(1, n);
	EXPECT_EQ(MINIPROC_INIT_PID, all[0].pid);
	EXPECT_STREQ("init", all[0].name);
	free(all);
}

FIXTURE(init_refuses) {
	int fd;
	int floor;
};

FIXTURE_VARIANT(init_refuses) {
	int (*act)(int fd, int pid);
	int err;
};

static int act_destroy(int fd, int pid)
{
	return mp_destroy(fd, pid, 0, NULL);
}

static int act_destroy_wait(int fd, int pid)
{
	return mp_destroy_wait(fd, pid, NULL);
}

static int act_suspend(int fd, int pid)
{
	return mp_suspend(fd, pid);
}

static int act_resume(int fd, int pid)
{
	return mp_resume(fd, pid);
}

static int act_wait(int fd, int pid)
{
	return mp_wait(fd, &pid, 0, SEC(1), NULL);
}

static int act_wait_nohang(int fd, int pid)
{
	return mp_wait(fd, &pid, MINIPROC_WNOHANG, 0, NULL);
}

FIXTURE_VARIANT_ADD(init_refuses, destroy) { .act = act_destroy, .err = EPERM };
FIXTURE_VARIANT_ADD(init_refuses, destroy_wait) { .act = act_destroy_wait, .err = EPERM };
FIXTURE_VARIANT_ADD(init_refuses, suspend) { .act = act_suspend, .err = EPERM };
FIXTURE_VARIANT_ADD(init_refuses, resume) { .act = act_resume, .err = EPERM };
FIXTURE_VARIANT_ADD(init_refuses, wait) { .act = act_wait, .err = ECHILD };
FIXTURE_VARIANT_ADD(init_refuses, wait_nohang) { .act = act_wait_nohang, .err = ECHILD };

FIXTURE_SETUP(init_refuses)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
}

FIXTURE_TEARDOWN(init_refuses)
{
	mp_fixture_teardown(self->fd, self->floor);
}

TEST_F(init_refuses, and_stays_as_it_was)
{
	struct miniproc_info before, after;

	if (geteuid() != 0)
		SKIP(return, "needs root: to anyone else, init is another user's (-EPERM)");
	ASSERT_EQ(0, mp_poll_state(self->fd, MINIPROC_INIT_PID, MINIPROC_SLEEPING,
				   "wait", &before));
	EXPECT_EQ(-variant->err, variant->act(self->fd, MINIPROC_INIT_PID));
	ASSERT_EQ(0, mp_status(self->fd, MINIPROC_INIT_PID, &after));
	EXPECT_EQ(MINIPROC_SLEEPING, after.state);
	EXPECT_STREQ("wait", after.chan);
	EXPECT_EQ(0, after.flags);
	EXPECT_EQ(before.nr_wakeups, after.nr_wakeups);
}

TEST_HARNESS_MAIN
