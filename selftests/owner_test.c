// SPDX-License-Identifier: GPL-2.0
/*
 * Ownership: a mini-process belongs to its creator's effective uid. Another
 * user may STATUS and LIST it, like ps, but not destroy, suspend, resume or
 * wait on it (-EPERM); it may create and control its own. Root, with
 * CAP_KILL, may act on anyone's. The unprivileged user is uid/gid 65534
 * with the miniproc group alone (which the device belongs to), in a child
 * process.
 */
#include "miniproc_util.h"

/* What a child running as the unprivileged user shares with the test. */
struct shared {
	int pid;		/* in: root's process; out: the child's */
	struct miniproc_info info;
	int listed;
};

static void shared_setup(struct __test_metadata *_metadata, int *fd, int *floor,
			 struct shared **sh)
{
	mp_fixture_setup(_metadata, fd, floor);
	*sh = mp_shared(sizeof(**sh));
	ASSERT_NE(NULL, *sh);
}

/* Switching users, and acting on another user's process, need root. */
#define REQUIRE_ROOT() do { \
	if (geteuid() != 0) \
		SKIP(return, "needs root"); \
} while (0)

#define OWNER_FIXTURE(name)						\
	FIXTURE(name) {							\
		int fd;							\
		int floor;						\
		struct shared *sh;					\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		shared_setup(_metadata, &self->fd, &self->floor, &self->sh); \
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		mp_fixture_teardown(self->fd, self->floor);		\
	}

OWNER_FIXTURE(forbidden);
OWNER_FIXTURE(owner);

/* --- what another user may not do ------------------------------------------ */

enum action { DO_DESTROY, DO_DESTROY_WAIT, DO_SUSPEND, DO_RESUME, DO_WAIT, DO_WAIT_NOHANG };

FIXTURE_VARIANT(forbidden) {
	enum action op;
};

FIXTURE_VARIANT_ADD(forbidden, destroy) { .op = DO_DESTROY };
FIXTURE_VARIANT_ADD(forbidden, destroy_wait) { .op = DO_DESTROY_WAIT };
FIXTURE_VARIANT_ADD(forbidden, suspend) { .op = DO_SUSPEND };
FIXTURE_VARIANT_ADD(forbidden, resume) { .op = DO_RESUME };
FIXTURE_VARIANT_ADD(forbidden, wait) { .op = DO_WAIT };
FIXTURE_VARIANT_ADD(forbidden, wait_nohang) { .op = DO_WAIT_NOHANG };

static int do_op(int fd, enum action op, int pid)
{
	switch (op) {
	case DO_DESTROY:
		return mp_destroy(fd, pid, 0, NULL);
	case DO_DESTROY_WAIT:
		return mp_destroy_wait(fd, pid, NULL);
	case DO_SUSPEND:
		return mp_suspend(fd, pid);
	case DO_RESUME:
		return mp_resume(fd, pid);
	case DO_WAIT:
		return mp_wait(fd, &pid, 0, SEC(1), NULL);
	case DO_WAIT_NOHANG:
		return mp_wait(fd, &pid, MINIPROC_WNOHANG, 0, NULL);
	}
	return -EINVAL;
}

static enum action child_op;

static int child_do_op(int fd, void *arg)
{
	struct shared *sh = arg;

	return -do_op(fd, child_op, sh->pid);
}

TEST_F(forbidden, to_another_user_is_eperm_and_changes_nothing)
{
	struct miniproc_info before, after;
	int pid;

	REQUIRE_ROOT();
	pid = mp_spawn(self->fd, "roots", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	/* A suspended one, so that RESUME would visibly change something. */
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &before));
	self->sh->pid = pid;
	child_op = variant->op;
	EXPECT_EQ(EPERM, mp_run_as(MP_NOBODY, child_do_op, self->sh));
	ASSERT_EQ(0, mp_status(self->fd, pid, &after));
	EXPECT_EQ(before.state, after.state);
	EXPECT_EQ(before.flags, after.flags);
	EXPECT_STREQ(before.chan, after.chan);
	EXPECT_EQ(before.nr_wakeups, after.nr_wakeups);
}

TEST_F(forbidden, to_the_owner_is_allowed)
{
	int pid;

	REQUIRE_ROOT();
	pid = mp_spawn(self->fd, "mine", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	if (variant->op == DO_WAIT || variant->op == DO_WAIT_NOHANG)
		ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	EXPECT_EQ(0, do_op(self->fd, variant->op, pid));
}

/* --- what another user may do ---------------------------------------------- */

static int child_status_and_list(int fd, void *arg)
{
	struct shared *sh = arg;
	int ret = mp_status(fd, sh->pid, &sh->info);

	if (ret)
		return -ret;
	ret = mp_listed(fd, sh->pid);
	if (ret < 0)
		return -ret;
	sh->listed = ret;
	return 0;
}

TEST_F(owner, other_user_may_status_and_list_it)
{
	int pid;

	REQUIRE_ROOT();
	pid = mp_spawn(self->fd, "roots", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	self->sh->pid = pid;
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_status_and_list, self->sh));
	EXPECT_EQ(pid, self->sh->info.pid);
	EXPECT_EQ(0, self->sh->info.uid);
	EXPECT_STREQ("roots", self->sh->info.name);
	EXPECT_EQ(1, self->sh->listed);
}

/* As the unprivileged user: the whole life of a process of its own. */
static int child_own_process(int fd, void *arg)
{
	struct shared *sh = arg;
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid;

	pid = mp_spawn(fd, "nobodys", OP_SLEEP(SEC(3600)));
	if (pid < 0)
		return -pid;
	if (mp_status(fd, pid, &sh->info))
		return 101;
	if (mp_suspend(fd, pid))
		return 102;
	if (mp_status(fd, pid, &info) || !(info.flags & MINIPROC_INFO_SUSPENDED))
		return 103;
	if (mp_resume(fd, pid))
		return 104;
	if (mp_destroy(fd, pid, 0, NULL))
		return 105;
	if (mp_waitpid(fd, pid, &exit) != pid)
		return 106;
	if (exit.exit_status != MINIPROC_EXIT_STATUS_KILLED)
		return 107;
	return 0;
}

TEST_F(owner, user_may_create_and_control_its_own)
{
	REQUIRE_ROOT();
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_own_process, self->sh));
	EXPECT_EQ(MP_NOBODY, self->sh->info.uid);
	EXPECT_STREQ("nobodys", self->sh->info.name);
}

static int child_wait_any(int fd, void *arg)
{
	int pid = MINIPROC_WAIT_ANY;

	(void)arg;
	return -mp_wait(fd, &pid, MINIPROC_WNOHANG, 0, NULL);
}

TEST_F(owner, wait_any_of_another_user_ignores_roots_zombie)
{
	struct miniproc_info info;
	int pid;

	REQUIRE_ROOT();
	pid = mp_spawn(self->fd, "roots", OP_EXIT(5));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(ECHILD, mp_run_as(MP_NOBODY, child_wait_any, NULL));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_ZOMBIE, info.state);
}

/* --- root over another user's process ---------------------------------------- */

/* As the unprivileged user: leave a process behind, for root to handle. */
static int child_leave_process(int fd, void *arg)
{
	struct shared *sh = arg;

	sh->pid = mp_spawn(fd, "nobodys", OP_SLEEP(SEC(3600)), OP_EXIT(5));
	return sh->pid < 0 ? -sh->pid : 0;
}

TEST_F(owner, root_may_act_on_another_users_process)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid;

	REQUIRE_ROOT();
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_leave_process, self->sh));
	pid = self->sh->pid;
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MP_NOBODY, info.uid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_TRUE(info.flags & MINIPROC_INFO_SUSPENDED);
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, exit.exit_status);
}

TEST_F(owner, roots_wait_any_does_not_reap_another_users_zombie)
{
	struct miniproc_exit_info exit;
	struct miniproc_info *all;
	int pid, got = MINIPROC_WAIT_ANY;
	__u32 i, n;

	REQUIRE_ROOT();
	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);
	/* init shows uid 0 but is the module's, not root's to wait for. */
	for (i = 0; i < n; i++)
		if (all[i].uid == 0 && all[i].pid != MINIPROC_INIT_PID)
			SKIP(return, "root already owns mini-processes");
	free(all);
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_leave_process, self->sh));
	pid = self->sh->pid;
	ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, 0, 0, NULL));
	/* But root may reap it by its pid. */
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(MINIPROC_EXIT_KILLED, exit.flags);
}

TEST_HARNESS_MAIN
