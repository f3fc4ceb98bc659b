// SPDX-License-Identifier: GPL-2.0
/*
 * Limits: VERSION reports the header's limits and the module's
 * parameters; a full table, and a user at its max_per_uid, get -EAGAIN and
 * create nothing; exactly as many processes as the limit allows are
 * created; the accounting (VERSION nr_used, LIST total) is exact before,
 * at and after the limit. max_per_uid is a writable module parameter; each
 * test restores it.
 */
#include "miniproc_util.h"

FIXTURE(limits) {
	int fd;
	int floor;
	long saved_limit;	/* max_per_uid before the test, or -errno */
	int nproc;
	int used;		/* VERSION nr_used before the test */
	int total;		/* LIST total before the test */
	int *count;		/* shared with children */
};

FIXTURE_SETUP(limits)
{
	struct miniproc_version v;

	self->saved_limit = -1;
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	ASSERT_EQ(0, mp_version(self->fd, &v));
	self->nproc = v.nproc;
	self->used = v.nr_used;
	self->total = mp_total(self->fd);
	self->count = mp_shared(sizeof(int));
	ASSERT_NE(NULL, self->count);
	if (geteuid() == 0)
		self->saved_limit = mp_param_get("max_per_uid");
}

FIXTURE_TEARDOWN(limits)
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

/*
 * Create up to @max sleeping processes, stopping at the first refusal.
 * Returns how many were created; *why is the refusal, 0 if none.
 */
static int fill(int fd, int max, int *why)
{
	int n = 0, pid;

	*why = 0;
	while (n < max) {
		pid = mp_spawn(fd, "fill", OP_SLEEP(SEC(3600)));
		if (pid < 0) {
			*why = pid;
			break;
		}
		n++;
	}
	return n;
}

static void expect_accounting(struct __test_metadata *_metadata, int fd,
			      int used, int total)
{
	EXPECT_EQ(used, mp_nr_used(fd));
	EXPECT_EQ(total, mp_total(fd));
}

TEST_F_TIMEOUT(limits, full_table_refuses_with_eagain_and_creates_nothing, 120)
{
	int room = self->nproc - self->used;
	int why, n, pid;

	REQUIRE_LIMIT(self->nproc);
	n = fill(self->fd, room + 1, &why);
	EXPECT_EQ(room, n);
	EXPECT_EQ(-EAGAIN, why);
	expect_accounting(_metadata, self->fd, self->nproc, self->total + room);
	/* Refused again, autoreap or not; still nothing created. */
	EXPECT_EQ(-EAGAIN, mp_spawn(self->fd, "more", OP_EXIT(0)));
	EXPECT_EQ(-EAGAIN, mp_spawn_autoreap(self->fd, "more", OP_EXIT(0)));
	expect_accounting(_metadata, self->fd, self->nproc, self->total + room);
	/* Reaping one makes room for one. */
	ASSERT_EQ(0, mp_destroy_wait(self->fd, mp_max_pid(self->fd), NULL));
	pid = mp_spawn(self->fd, "again", OP_SLEEP(SEC(3600)));
	EXPECT_LT(0, pid);
	EXPECT_EQ(-EAGAIN, mp_spawn(self->fd, "more", OP_EXIT(0)));
	/* And emptied, the table is as it was. */
	mp_cleanup_above(self->fd, self->floor);
	expect_accounting(_metadata, self->fd, self->used, self->total);
}

TEST_F(limits, per_uid_limit_allows_exactly_that_many)
{
	struct miniproc_version v;
	int why;

	REQUIRE_LIMIT(3);
	if (self->nproc - self->used < 4)
		SKIP(return, "the table has no room for 4 more");
	ASSERT_EQ(0, mp_version(self->fd, &v));
	EXPECT_EQ(3, v.max_per_uid);
	EXPECT_EQ(3, fill(self->fd, 4, &why));
	EXPECT_EQ(-EAGAIN, why);
	EXPECT_EQ(-EAGAIN, mp_spawn_autoreap(self->fd, "more", OP_EXIT(0)));
	expect_accounting(_metadata, self->fd, self->used + 3, self->total + 3);
	mp_cleanup_above(self->fd, self->floor);
	expect_accounting(_metadata, self->fd, self->used, self->total);
}

TEST_F(limits, reaping_makes_room_under_the_per_uid_limit)
{
	int why, pid;

	REQUIRE_LIMIT(2);
	ASSERT_EQ(2, fill(self->fd, 3, &why));
	pid = mp_max_pid(self->fd);
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, NULL));
	EXPECT_LT(pid, mp_spawn(self->fd, "again", OP_SLEEP(SEC(3600))));
	EXPECT_EQ(-EAGAIN, mp_spawn(self->fd, "more", OP_EXIT(0)));
}

TEST_F(limits, lowering_the_limit_keeps_processes_but_refuses_new_ones)
{
	struct miniproc_info info;
	int why, pid;

	REQUIRE_LIMIT(4);
	ASSERT_EQ(3, fill(self->fd, 3, &why));
	pid = mp_max_pid(self->fd);
	ASSERT_EQ(0, mp_param_set("max_per_uid", 2));
	EXPECT_EQ(-EAGAIN, mp_spawn(self->fd, "more", OP_EXIT(0)));
	EXPECT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	expect_accounting(_metadata, self->fd, self->used + 3, self->total + 3);
}

static int child_fill(int fd, void *arg)
{
	int why;

	*(int *)arg = fill(fd, 3, &why);
	return -why;
}

TEST_F(limits, per_uid_limit_holds_for_an_unprivileged_user)
{
	REQUIRE_LIMIT(2);
	EXPECT_EQ(EAGAIN, mp_run_as(MP_NOBODY, child_fill, self->count));
	EXPECT_EQ(2, *self->count);
	expect_accounting(_metadata, self->fd, self->used + 2, self->total + 2);
}

TEST_F(limits, per_uid_limit_counts_each_user_apart)
{
	int why;

	REQUIRE_LIMIT(2);
	if (self->nproc - self->used < 5)
		SKIP(return, "the table has no room for 5 more");
	/* Root fills its share first: the other user still gets all of its own. */
	EXPECT_EQ(2, fill(self->fd, 3, &why));
	EXPECT_EQ(-EAGAIN, why);
	EXPECT_EQ(EAGAIN, mp_run_as(MP_NOBODY, child_fill, self->count));
	EXPECT_EQ(2, *self->count);
	expect_accounting(_metadata, self->fd, self->used + 4, self->total + 4);
}

/* --- VERSION: the limits as the module reports them ----------------------- */

MINIPROC_FIXTURE(version);

TEST_F(version, reports_abi_version_and_limits_of_the_header)
{
	struct miniproc_version v;

	ASSERT_EQ(0, mp_version(self->fd, &v));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(MINIPROC_ABI_VERSION, v.abi_version);
	EXPECT_EQ(MINIPROC_PROG_MAX_OPS, v.max_prog_ops);
	EXPECT_EQ(MINIPROC_LOOP_MAX_DEPTH, v.max_loop_depth);
	EXPECT_EQ(MINIPROC_LOOP_MAX_COUNT, v.max_loop_count);
	EXPECT_EQ(MINIPROC_DURATION_MAX_NS, v.max_duration_ns);
	EXPECT_EQ(0, v.reserved[0]);
	EXPECT_EQ(0, v.reserved[1]);
}

TEST_F(version, reports_the_module_parameters)
{
	long nproc = mp_param_get("nproc"), limit = mp_param_get("max_per_uid");
	struct miniproc_version v;

	if (nproc < 0 || limit < 0)
		SKIP(return, "no %s", MP_PARAMS);
	ASSERT_EQ(0, mp_version(self->fd, &v));
	EXPECT_EQ(nproc, v.nproc);
	EXPECT_EQ(limit, v.max_per_uid);
	EXPECT_GE(v.nproc, v.nr_used);
}

TEST_F(version, nr_used_counts_created_and_reaped_processes)
{
	int used = mp_nr_used(self->fd), total = mp_total(self->fd);
	int a = mp_spawn(self->fd, "a", OP_SLEEP(SEC(3600)));
	int b = mp_spawn(self->fd, "b", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	EXPECT_EQ(used + 2, mp_nr_used(self->fd));
	EXPECT_EQ(total + 2, mp_total(self->fd));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, a, NULL));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, b, NULL));
	EXPECT_EQ(used, mp_nr_used(self->fd));
	EXPECT_EQ(total, mp_total(self->fd));
}

TEST_HARNESS_MAIN
