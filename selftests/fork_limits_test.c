// SPDX-License-Identifier: GPL-2.0
/*
 * Limits on forks: a process with MINIPROC_CHILDREN_MAX unreaped children
 * forks no more (fork_error EMLINK) and goes on with its program, until a
 * wait makes room; a fork past the owner's per-user limit fails with
 * EAGAIN; fork groups nested deeper than MINIPROC_FORK_MAX_DEPTH, and other
 * malformed fork and wait ops, are -EINVAL at CREATE and create nothing,
 * while the deepest nesting allowed runs a family of five generations.
 * The table's accounting (VERSION nr_used, LIST total) is exact throughout.
 * max_per_uid is a writable module parameter; each test restores it.
 */
#include "miniproc_util.h"

#define HOUR	SEC(3600)

FIXTURE(fork_limits) {
	int fd;
	int floor;
	long saved_limit;	/* max_per_uid before the test, or -errno */
	int nproc;
	int used;		/* VERSION nr_used before the test */
	int total;		/* LIST total before the test */
};

FIXTURE_SETUP(fork_limits)
{
	struct miniproc_version v;

	self->saved_limit = -1;
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	ASSERT_EQ(0, mp_version(self->fd, &v));
	self->nproc = v.nproc;
	self->used = v.nr_used;
	self->total = mp_total(self->fd);
	if (geteuid() == 0)
		self->saved_limit = mp_param_get("max_per_uid");
}

FIXTURE_TEARDOWN(fork_limits)
{
	mp_fixture_teardown(self->fd, self->floor);
	if (self->saved_limit > 0)
		mp_param_set("max_per_uid", self->saved_limit);
}

#define REQUIRE_LIMIT(n) do { \
	if (self->saved_limit <= 0) \
		SKIP(return, "needs root and %smax_per_uid", MP_PARAMS); \
	ASSERT_EQ(0, mp_param_set("max_per_uid", n)); \
} while (0)

#define EXPECT_ACCOUNTED(more) do { \
	EXPECT_EQ(self->used + (more), mp_nr_used(self->fd)); \
	EXPECT_EQ(self->total + (more), mp_total(self->fd)); \
} while (0)

TEST_F_TIMEOUT(fork_limits, fork_past_children_max_fails_with_emlink_and_goes_on, 60)
{
	struct miniproc_info info;
	int pid;

	if (self->nproc - self->used < MINIPROC_CHILDREN_MAX + 1)
		SKIP(return, "the table has no room for %d more", MINIPROC_CHILDREN_MAX + 1);
	REQUIRE_LIMIT(MINIPROC_CHILDREN_MAX + 1);
	pid = mp_spawn(self->fd, "parent", OP_LOOP(MINIPROC_CHILDREN_MAX + 1),
		       OP_FORK, OP_SLEEP(HOUR), OP_END, OP_END, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	/* Past its forks, asleep: the failed one did not stop it. */
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	EXPECT_EQ(EMLINK, info.fork_error);
	EXPECT_EQ(MINIPROC_CHILDREN_MAX, info.nr_forks);
	EXPECT_EQ(MINIPROC_CHILDREN_MAX, info.nr_children);
	EXPECT_ACCOUNTED(1 + MINIPROC_CHILDREN_MAX);
	mp_cleanup_above(self->fd, self->floor);
	EXPECT_ACCOUNTED(0);
}

TEST_F_TIMEOUT(fork_limits, wait_makes_room_for_another_child, 60)
{
	struct miniproc_info info;
	int pid;

	if (self->nproc - self->used < MINIPROC_CHILDREN_MAX + 1)
		SKIP(return, "the table has no room for %d more", MINIPROC_CHILDREN_MAX + 1);
	REQUIRE_LIMIT(MINIPROC_CHILDREN_MAX + 1);
	/* Zombies count as children until reaped. */
	pid = mp_spawn(self->fd, "parent", OP_LOOP(MINIPROC_CHILDREN_MAX + 1),
		       OP_FORK, OP_EXIT(0), OP_END, OP_END,
		       OP_WAIT, OP_FORK, OP_SLEEP(HOUR), OP_END, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	EXPECT_EQ(MINIPROC_CHILDREN_MAX + 1, info.nr_forks);
	EXPECT_EQ(MINIPROC_CHILDREN_MAX, info.nr_children);
	/* The last failure is kept, though a fork has worked since. */
	EXPECT_EQ(EMLINK, info.fork_error);
	EXPECT_ACCOUNTED(1 + MINIPROC_CHILDREN_MAX);
}

TEST_F(fork_limits, fork_past_the_per_user_limit_fails_with_eagain_and_goes_on)
{
	struct miniproc_info info;
	int pid;

	REQUIRE_LIMIT(3);
	if (self->nproc - self->used < 4)
		SKIP(return, "the table has no room for 4 more");
	pid = mp_spawn(self->fd, "parent", OP_LOOP(3), OP_FORK, OP_SLEEP(HOUR), OP_END,
		       OP_END, OP_SLEEP(HOUR));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	EXPECT_EQ(EAGAIN, info.fork_error);
	EXPECT_EQ(2, info.nr_forks);
	EXPECT_EQ(2, info.nr_children);
	EXPECT_ACCOUNTED(3);
	/* The user's limit holds for CREATE as well. */
	EXPECT_EQ(-EAGAIN, mp_spawn(self->fd, "more", OP_EXIT(0)));
	mp_cleanup_above(self->fd, self->floor);
	EXPECT_ACCOUNTED(0);
}

/*
 * fork(fork(fork(fork(exit:1) wait exit:2) wait exit:3) wait exit:4) wait
 * exit:5: four fork groups, as deep as they may nest. Each generation
 * waits for the next, so all are reaped and only the first is left.
 */
TEST_F(fork_limits, deepest_fork_nesting_runs_five_generations)
{
	struct miniproc_op ops[4 * MINIPROC_FORK_MAX_DEPTH + 2];
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int i, n = 0, pid;

	for (i = 0; i < MINIPROC_FORK_MAX_DEPTH; i++)
		ops[n++] = OP_FORK;
	ops[n++] = OP_EXIT(1);
	for (i = 0; i < MINIPROC_FORK_MAX_DEPTH; i++) {
		ops[n++] = OP_END;
		ops[n++] = OP_WAIT;
		ops[n++] = OP_EXIT(i + 2);
	}
	pid = mp_create(self->fd, "generations", ops, n, 0, 0, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(MINIPROC_FORK_MAX_DEPTH + 1, info.exit_status);
	EXPECT_EQ(1, info.nr_forks);
	EXPECT_EQ(0, info.nr_children);
	EXPECT_ACCOUNTED(1);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_ACCOUNTED(0);
}

/* --- programs with fork and wait that are refused --------------------------- */

FIXTURE(bad_fork_program) {
	int fd;
	int floor;
};

FIXTURE_VARIANT(bad_fork_program) {
	struct miniproc_op ops[8];
	__u32 len;
	int forks;		/* generated: this many nested forks ... */
	int loops;		/* ... around this many nested loops, and a yield */
};

FIXTURE_VARIANT_ADD(bad_fork_program, fork_without_end) {
	.ops = { OP_FORK, OP_EXIT(0) }, .len = 2,
};

FIXTURE_VARIANT_ADD(bad_fork_program, empty_fork_group) {
	.ops = { OP_FORK, OP_END, OP_EXIT(0) }, .len = 3,
};

FIXTURE_VARIANT_ADD(bad_fork_program, fork_with_argument) {
	.ops = { OP(MINIPROC_OP_FORK, 1), OP_EXIT(0), OP_END }, .len = 3,
};

FIXTURE_VARIANT_ADD(bad_fork_program, wait_with_argument) {
	.ops = { OP(MINIPROC_OP_WAIT, 1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_fork_program, one_end_too_many_after_a_fork) {
	.ops = { OP_FORK, OP_EXIT(0), OP_END, OP_END }, .len = 4,
};

FIXTURE_VARIANT_ADD(bad_fork_program, nonzero_reserved_in_a_fork) {
	.ops = { { .code = MINIPROC_OP_FORK, .reserved = 1 }, OP_EXIT(0), OP_END },
	.len = 3,
};

FIXTURE_VARIANT_ADD(bad_fork_program, forks_nested_deeper_than_max) {
	.forks = MINIPROC_FORK_MAX_DEPTH + 1,
};

/* Fork groups count towards the nesting of loops too. */
FIXTURE_VARIANT_ADD(bad_fork_program, forks_and_loops_nested_deeper_than_max) {
	.forks = MINIPROC_FORK_MAX_DEPTH,
	.loops = MINIPROC_LOOP_MAX_DEPTH - MINIPROC_FORK_MAX_DEPTH + 1,
};

FIXTURE_SETUP(bad_fork_program)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
}

FIXTURE_TEARDOWN(bad_fork_program)
{
	mp_fixture_teardown(self->fd, self->floor);
}

TEST_F(bad_fork_program, is_einval_and_creates_nothing)
{
	struct miniproc_op ops[2 * (MINIPROC_LOOP_MAX_DEPTH + 2) + 1];
	int total = mp_total(self->fd), used = mp_nr_used(self->fd);
	__u32 len = 0;
	int i;

	if (variant->forks) {
		for (i = 0; i < variant->forks; i++)
			ops[len++] = OP_FORK;
		for (i = 0; i < variant->loops; i++)
			ops[len++] = OP_LOOP(1);
		ops[len++] = OP_YIELD;
		for (i = 0; i < variant->forks + variant->loops; i++)
			ops[len++] = OP_END;
	} else {
		len = variant->len;
		memcpy(ops, variant->ops, len * sizeof(ops[0]));
	}
	ASSERT_EQ(-EINVAL, mp_create(self->fd, "bad", ops, len, 0, 0, NULL));
	EXPECT_EQ(total, mp_total(self->fd));
	EXPECT_EQ(used, mp_nr_used(self->fd));
}

TEST_HARNESS_MAIN
