// SPDX-License-Identifier: GPL-2.0
/*
 * Parent and child, as in xv6: the fork op (a child with its parent as
 * ppid, the parent's owner, name and pinning, running its own program; the
 * parent's nr_children and nr_forks); the wait op (SLEEPING on "wait" until
 * a child is a zombie, then reaping it); zombies that wait for their
 * parent; children handed to init when their parent ends, init reaping the
 * zombies; WAIT and DESTROY on a forked child. (init itself is in
 * init_test, fork limits and nesting in fork_limits_test.)
 */
#include "miniproc_util.h"

#define HOUR	SEC(3600)

static bool forked_at_least(const struct miniproc_info *info, const void *arg)
{
	return info->nr_forks >= *(const __u64 *)arg;
}

static bool children_at_most(const struct miniproc_info *info, const void *arg)
{
	return info->nr_children <= *(const __u64 *)arg;
}

/* The pids of @ppid's children in the table, in pid order: how many. */
static int children_of(int fd, int ppid, int *pids, int max)
{
	struct miniproc_info *all;
	int n = 0;
	__u32 i, count;

	all = mp_snapshot(fd, &count);
	for (i = 0; all && i < count; i++)
		if (all[i].ppid == ppid && n < max)
			pids[n++] = all[i].pid;
	free(all);
	return n;
}

/* Once @parent has forked its first child: that child's pid, or -errno. */
static int first_child(int fd, int parent)
{
	const __u64 one = 1;
	struct miniproc_info info;
	int child, ret;

	ret = mp_poll(fd, parent, forked_at_least, &one, MP_POLL_MS, &info);
	if (ret)
		return ret;
	return children_of(fd, parent, &child, 1) == 1 ? child : -ESRCH;
}

/* Poll until @pid is gone (reaped by someone else): 0 or -ETIMEDOUT. */
static int poll_gone(int fd, int pid)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	struct miniproc_info info;

	while (mp_status(fd, pid, &info) != -ESRCH) {
		if (mp_now_ns() > deadline)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

/* --- fork ---------------------------------------------------------------- */

FIXTURE(family) {
	int fd;
	int floor;
	int self_cpu;
	int cpu;		/* another CPU, -1 if none */
	int used;		/* VERSION nr_used before the test */
	int total;		/* LIST total before the test */
	int *shared;		/* with a child running as another user */
};

FIXTURE_SETUP(family)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	mp_pick_cpus(&self->self_cpu, &self->cpu);
	self->used = mp_nr_used(self->fd);
	self->total = mp_total(self->fd);
	self->shared = mp_shared(sizeof(int));
	ASSERT_NE(NULL, self->shared);
}

FIXTURE_TEARDOWN(family)
{
	mp_fixture_teardown(self->fd, self->floor);
}

TEST_F(family, child_has_its_parent_as_ppid_and_its_owner_and_name)
{
	struct miniproc_info parent, child;
	int pid, c;

	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_SLEEP(HOUR), OP_END, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(pid, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &parent));
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_SLEEPING, "sleep", &child));
	EXPECT_EQ(pid, child.ppid);
	EXPECT_EQ(parent.uid, child.uid);
	EXPECT_STREQ("parent", child.name);
	EXPECT_EQ(0, child.flags);
	EXPECT_EQ(0, child.nr_children);
	EXPECT_EQ(0, child.nr_forks);
	EXPECT_EQ(0, parent.ppid);
	EXPECT_EQ(1, parent.nr_children);
	EXPECT_EQ(1, parent.nr_forks);
	EXPECT_EQ(0, parent.fork_error);
	/* Both count in the table. */
	EXPECT_EQ(self->used + 2, mp_nr_used(self->fd));
	EXPECT_EQ(self->total + 2, mp_total(self->fd));
}

TEST_F(family, child_of_a_pinned_parent_runs_on_its_cpu)
{
	struct miniproc_info child;
	int pid, c;

	if (self->cpu < 0)
		SKIP(return, "needs two CPUs");
	pid = mp_spawn_pinned(self->fd, "pinned", self->cpu,
			      OP_FORK, OP_SLEEP(HOUR), OP_END, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_SLEEPING, "sleep", &child));
	EXPECT_EQ(MINIPROC_INFO_PINNED, child.flags);
	EXPECT_EQ(self->cpu, child.cpu);
}

static int child_make_parent(int fd, void *arg)
{
	*(int *)arg = mp_spawn(fd, "nobodys", OP_FORK, OP_SLEEP(HOUR), OP_END,
			       OP_SLEEP(HOUR));
	return *(int *)arg < 0 ? -*(int *)arg : 0;
}

TEST_F(family, child_of_another_users_process_is_that_users)
{
	struct miniproc_info child;
	int c;

	if (geteuid() != 0)
		SKIP(return, "switching to uid %d needs root", MP_NOBODY);
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_make_parent, self->shared));
	c = first_child(self->fd, *self->shared);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_status(self->fd, c, &child));
	EXPECT_EQ(MP_NOBODY, child.uid);
	EXPECT_STREQ("nobodys", child.name);
}

TEST_F(family, child_runs_its_own_program)
{
	struct miniproc_info parent, child;
	int pid, c;

	/*
	 * The child's CPU time is far over what a fork costs the parent
	 * (a few ms under KASAN and emulation), so the parent's run time
	 * tells whether it ran the group.
	 */
	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_CPU(MSEC(100)), OP_EXIT(2), OP_END,
		       OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_ZOMBIE, NULL, &child));
	EXPECT_EQ(MINIPROC_INFO_EXITED, child.flags);
	EXPECT_EQ(2, child.exit_status);
	EXPECT_LE(MSEC(100), child.runtime_ns);
	/* The parent went on after the group, not into it. */
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &parent));
	EXPECT_GT(MSEC(100), parent.runtime_ns);
	EXPECT_EQ(1, parent.nr_children);	/* a zombie is a child still */
}

TEST_F(family, nr_forks_counts_every_child_and_nr_children_the_unreaped)
{
	struct miniproc_info parent;
	int pid;

	pid = mp_spawn(self->fd, "parent", OP_LOOP(3), OP_FORK, OP_EXIT(0), OP_END, OP_END,
		       OP_WAIT, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &parent));
	EXPECT_EQ(3, parent.nr_forks);
	EXPECT_EQ(2, parent.nr_children);	/* its wait reaped one */
	EXPECT_EQ(0, parent.fork_error);
}

/* --- the wait op ----------------------------------------------------------- */

/* The child is held suspended, so that the parent's wait lasts. */
TEST_F(family, wait_op_sleeps_on_wait_until_the_child_ends_then_reaps_it)
{
	struct miniproc_info parent, child;
	int pid, c;

	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_SLEEP(MSEC(100)), OP_EXIT(2), OP_END,
		       OP_WAIT, OP_EXIT(5));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_suspend(self->fd, c));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "wait", &parent));
	mp_sleep_ms(200);
	ASSERT_EQ(0, mp_status(self->fd, pid, &parent));
	EXPECT_EQ(MINIPROC_SLEEPING, parent.state);
	EXPECT_STREQ("wait", parent.chan);
	EXPECT_EQ(1, parent.nr_children);

	ASSERT_EQ(0, mp_resume(self->fd, c));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &parent));
	EXPECT_EQ(5, parent.exit_status);
	EXPECT_EQ(0, parent.nr_children);
	EXPECT_EQ(1, parent.nr_forks);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, c, &child));
	EXPECT_EQ(self->used + 1, mp_nr_used(self->fd));
	EXPECT_EQ(self->total + 1, mp_total(self->fd));
}

TEST_F(family, wait_op_without_children_goes_on_at_once)
{
	struct miniproc_exit_info exit;
	__u64 start = mp_now_ns();
	int pid = mp_spawn(self->fd, "childless", OP_WAIT, OP_EXIT(6));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(6, exit.exit_status);
	EXPECT_GT(start + MSEC(MP_PROMPT_MS), mp_now_ns());
}

/* The parent is held suspended before its wait, for as long as we look. */
TEST_F(family, child_that_ends_first_stays_a_zombie_until_the_parents_wait)
{
	const __u64 none = 0;
	struct miniproc_info parent, child;
	int pid, c;

	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_EXIT(7), OP_END,
		       OP_SLEEP(SEC(1)), OP_WAIT, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &parent));
	ASSERT_EQ(1, parent.nr_children) TH_LOG("its wait came within a second");
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_ZOMBIE, NULL, &child));
	mp_sleep_ms(300);
	ASSERT_EQ(0, mp_status(self->fd, c, &child));
	EXPECT_EQ(MINIPROC_ZOMBIE, child.state);
	EXPECT_EQ(7, child.exit_status);
	EXPECT_EQ(pid, child.ppid);

	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(0, mp_poll(self->fd, pid, children_at_most, &none, MP_POLL_MS, &parent));
	EXPECT_EQ(-ESRCH, mp_status(self->fd, c, &child));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &parent));
}

TEST_F(family, childs_end_does_not_wake_a_parent_in_a_sleep_op)
{
	struct miniproc_info before, after, child;
	int pid, c;

	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_SLEEP(MSEC(500)), OP_EXIT(1), OP_END,
		       OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &before));
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_ZOMBIE, NULL, &child));
	ASSERT_EQ(0, mp_status(self->fd, pid, &after));
	EXPECT_EQ(MINIPROC_SLEEPING, after.state);
	EXPECT_STREQ("sleep", after.chan);
	EXPECT_EQ(before.nr_wakeups, after.nr_wakeups);
	EXPECT_EQ(before.nr_sched_in, after.nr_sched_in);
}

/* --- orphans and init -------------------------------------------------------- */

/* The parent is held suspended until its child is seen a zombie. */
TEST_F(family, zombie_children_of_an_ended_parent_are_reaped_by_init)
{
	struct miniproc_info info;
	int pid, c;

	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_EXIT(7), OP_END,
		       OP_SLEEP(MSEC(300)), OP_EXIT(0));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(0, info.nr_children);
	EXPECT_EQ(0, poll_gone(self->fd, c));
	/*
	 * Only the parent is left, a zombie for our WAIT. Init reaps the child
	 * in its own thread: STATUS loses the pid a moment before VERSION's
	 * count drops (both under the table lock, read without it), so poll.
	 */
	EXPECT_EQ(0, mp_poll_nr_used(self->fd, self->used + 1));
	EXPECT_EQ(self->total + 1, mp_total(self->fd));
	EXPECT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
}

TEST_F(family, children_of_an_ended_parent_are_inits)
{
	struct miniproc_info init0, init1, child;
	int pid, c;

	ASSERT_EQ(0, mp_status(self->fd, MINIPROC_INIT_PID, &init0));
	pid = mp_spawn(self->fd, "orphaner", OP_FORK, OP_SLEEP(HOUR), OP_END, OP_EXIT(0));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &child));
	EXPECT_EQ(1, child.nr_forks);
	c = mp_find_named(self->fd, "orphaner", pid);	/* its child has its name */
	ASSERT_LT(pid, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_SLEEPING, "sleep", &child));
	EXPECT_EQ(MINIPROC_INIT_PID, child.ppid);
	ASSERT_EQ(0, mp_status(self->fd, MINIPROC_INIT_PID, &init1));
	EXPECT_EQ(init0.nr_children + 1, init1.nr_children);
	/* Killed, it ends a zombie of init's, which reaps it. */
	ASSERT_EQ(0, mp_destroy(self->fd, c, 0, NULL));
	EXPECT_EQ(0, poll_gone(self->fd, c));
	/*
	 * The child is gone once init has reaped it; init itself may still be
	 * on its way back to its wait then (seen on a debug kernel): poll.
	 */
	ASSERT_EQ(0, mp_poll_state(self->fd, MINIPROC_INIT_PID, MINIPROC_SLEEPING,
				   "wait", &init1));
	EXPECT_EQ(init0.nr_children, init1.nr_children);
	EXPECT_STREQ("wait", init1.chan);
}

/* --- WAIT and DESTROY on a forked child ------------------------------------------ */

TEST_F(family, wait_ioctl_on_a_forked_child_is_echild)
{
	struct miniproc_info child;
	int pid, c, got;

	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_EXIT(1), OP_END, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_ZOMBIE, NULL, &child));
	got = c;
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, 0, SEC(1), NULL));
	got = c;
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, MINIPROC_WNOHANG, 0, NULL));
	/* WAIT for any finds the parent, still running, and not the child. */
	got = MINIPROC_WAIT_ANY;
	EXPECT_EQ(0, mp_wait(self->fd, &got, MINIPROC_WNOHANG, 0, NULL));
	EXPECT_EQ(0, got);
	ASSERT_EQ(0, mp_status(self->fd, c, &child));
	EXPECT_EQ(MINIPROC_ZOMBIE, child.state);
}

TEST_F(family, destroyed_child_is_reaped_by_the_parents_wait)
{
	struct miniproc_info parent, child;
	int pid, c;

	pid = mp_spawn(self->fd, "parent", OP_FORK, OP_SLEEP(HOUR), OP_END, OP_WAIT, OP_EXIT(4));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "wait", &parent));
	ASSERT_EQ(0, mp_poll_state(self->fd, c, MINIPROC_SLEEPING, "sleep", &child));
	ASSERT_EQ(0, mp_destroy(self->fd, c, 0, NULL));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &parent));
	EXPECT_EQ(4, parent.exit_status);
	EXPECT_EQ(0, parent.nr_children);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, c, &child));
}

/*
 * DESTROY with WAIT reaps the child itself; the parent's wait then finds
 * no child and goes on, whether it was already waiting or came to it later.
 */
FIXTURE(destroy_wait_child) {
	int fd;
	int floor;
};

FIXTURE_VARIANT(destroy_wait_child) {
	bool parent_waiting;
};

FIXTURE_VARIANT_ADD(destroy_wait_child, before_the_parents_wait) {
	.parent_waiting = false,
};

FIXTURE_VARIANT_ADD(destroy_wait_child, during_the_parents_wait) {
	.parent_waiting = true,
};

FIXTURE_SETUP(destroy_wait_child)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
}

FIXTURE_TEARDOWN(destroy_wait_child)
{
	mp_fixture_teardown(self->fd, self->floor);
}

TEST_F(destroy_wait_child, reaps_it_and_the_parents_wait_finds_none)
{
	struct miniproc_exit_info exit;
	struct miniproc_info parent, child;
	int pid, c;

	if (variant->parent_waiting)
		pid = mp_spawn(self->fd, "parent", OP_FORK, OP_SLEEP(HOUR), OP_END,
			       OP_WAIT, OP_EXIT(4));
	else
		pid = mp_spawn(self->fd, "parent", OP_FORK, OP_SLEEP(HOUR), OP_END,
			       OP_SLEEP(MSEC(500)), OP_WAIT, OP_EXIT(4));
	ASSERT_LT(0, pid);
	c = first_child(self->fd, pid);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING,
				   variant->parent_waiting ? "wait" : "sleep", &parent));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, c, &exit));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, exit.exit_status);
	EXPECT_EQ(MINIPROC_EXIT_KILLED, exit.flags);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, c, &child));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &parent))
		TH_LOG("parent %s on '%s' with %u children", mp_state_name(parent.state),
		       parent.chan, parent.nr_children);
	EXPECT_EQ(4, parent.exit_status);
	EXPECT_EQ(0, parent.nr_children);
}

TEST_HARNESS_MAIN
