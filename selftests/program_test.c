// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: every way to be invalid is -EINVAL and creates nothing; every
 * limit of the header is accepted at its value; and a valid program runs
 * as the header describes its ops (exit status, loops, running off the end).
 * (The fork and wait ops, valid and not, are in family_test.)
 */
#include "miniproc_util.h"

#define MAX_OPS		(MINIPROC_PROG_MAX_OPS + 1)

FIXTURE_VARIANT(bad_program) {
	struct miniproc_op ops[16];
	__u32 len;
	/* Generated programs, too long to write out: */
	int nest;		/* this many LOOP(1), a cpu op, this many END */
	int ops_total;		/* this many ops: yields, then exit */
};

MINIPROC_FIXTURE(bad_program);

FIXTURE_VARIANT_ADD(bad_program, unknown_op_code) {
	.ops = { OP(MINIPROC_OP_MAX + 1, 0) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, op_code_zero) {
	.ops = { OP(0, 0) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, huge_op_code) {
	.ops = { OP(0xffffffff, 0) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, cpu_zero) {
	.ops = { OP_CPU(0) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, sleep_zero) {
	.ops = { OP_SLEEP(0) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, io_zero) {
	.ops = { OP(MINIPROC_OP_IO, 0) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, poll_zero) {
	.ops = { OP(MINIPROC_OP_POLL, 0) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, io_above_max_duration) {
	.ops = { OP(MINIPROC_OP_IO, MINIPROC_DURATION_MAX_NS + 1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, poll_above_max_duration) {
	.ops = { OP(MINIPROC_OP_POLL, MINIPROC_DURATION_MAX_NS + 1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, cpu_above_max_duration) {
	.ops = { OP_CPU(MINIPROC_DURATION_MAX_NS + 1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, sleep_above_max_duration) {
	.ops = { OP_SLEEP(MINIPROC_DURATION_MAX_NS + 1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, yield_with_argument) {
	.ops = { OP(MINIPROC_OP_YIELD, 1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, exit_256) {
	.ops = { OP_EXIT(MINIPROC_EXIT_MAX + 1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, exit_minus_one) {
	.ops = { OP_EXIT((__u64)-1) }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, nonzero_op_reserved) {
	.ops = { { .code = MINIPROC_OP_EXIT, .reserved = 1 } }, .len = 1,
};

FIXTURE_VARIANT_ADD(bad_program, nonzero_reserved_in_a_later_op) {
	.ops = { OP_YIELD, { .code = MINIPROC_OP_YIELD, .reserved = 0x80000000 } },
	.len = 2,
};

FIXTURE_VARIANT_ADD(bad_program, loop_without_end) {
	.ops = { OP_LOOP(2), OP_YIELD }, .len = 2,
};

FIXTURE_VARIANT_ADD(bad_program, end_without_loop) {
	.ops = { OP_YIELD, OP_END }, .len = 2,
};

FIXTURE_VARIANT_ADD(bad_program, end_before_loop) {
	.ops = { OP_END, OP_LOOP(2), OP_YIELD }, .len = 3,
};

FIXTURE_VARIANT_ADD(bad_program, end_with_argument) {
	.ops = { OP_LOOP(2), OP_YIELD, OP(MINIPROC_OP_END, 1) }, .len = 3,
};

FIXTURE_VARIANT_ADD(bad_program, empty_group) {
	.ops = { OP_LOOP(2), OP_END }, .len = 2,
};

FIXTURE_VARIANT_ADD(bad_program, empty_endless_group) {
	.ops = { OP_FOREVER, OP_END }, .len = 2,
};

FIXTURE_VARIANT_ADD(bad_program, empty_inner_group) {
	.ops = { OP_LOOP(2), OP_YIELD, OP_LOOP(2), OP_END, OP_END }, .len = 5,
};

FIXTURE_VARIANT_ADD(bad_program, one_end_too_many) {
	.ops = { OP_LOOP(2), OP_YIELD, OP_END, OP_END }, .len = 4,
};

FIXTURE_VARIANT_ADD(bad_program, loop_count_above_max) {
	.ops = { OP_LOOP(MINIPROC_LOOP_MAX_COUNT + 1), OP_YIELD, OP_END },
	.len = 3,
};

FIXTURE_VARIANT_ADD(bad_program, nesting_deeper_than_max) {
	.nest = MINIPROC_LOOP_MAX_DEPTH + 1,
};

FIXTURE_VARIANT_ADD(bad_program, prog_len_zero) {
	.ops = { OP_EXIT(0) }, .len = 0,
};

FIXTURE_VARIANT_ADD(bad_program, prog_len_above_max) {
	.ops_total = MINIPROC_PROG_MAX_OPS + 1,
};

/*
 * The variant's program in @ops: written out, or generated. Returns its
 * length.
 */
static __u32 build_program(const FIXTURE_VARIANT(bad_program) *v,
			   struct miniproc_op *ops)
{
	__u32 n = 0;
	int i;

	if (v->nest) {
		for (i = 0; i < v->nest; i++)
			ops[n++] = OP_LOOP(1);
		ops[n++] = OP_CPU(1);
		for (i = 0; i < v->nest; i++)
			ops[n++] = OP_END;
		return n;
	}
	if (v->ops_total) {
		for (n = 0; n < (__u32)v->ops_total - 1; n++)
			ops[n] = OP_YIELD;
		ops[n++] = OP_EXIT(0);
		return n;
	}
	memcpy(ops, v->ops, sizeof(v->ops));
	return v->len;
}

TEST_F(bad_program, is_einval_and_creates_nothing)
{
	static struct miniproc_op ops[MAX_OPS];
	__u32 len = build_program(variant, ops);
	int total = mp_total(self->fd), used = mp_nr_used(self->fd);

	ASSERT_EQ(-EINVAL, mp_create(self->fd, "bad", ops, len, 0, 0, NULL));
	EXPECT_EQ(total, mp_total(self->fd));
	EXPECT_EQ(used, mp_nr_used(self->fd));
}

TEST_F(bad_program, is_einval_also_for_an_autoreap_process)
{
	static struct miniproc_op ops[MAX_OPS];
	__u32 len = build_program(variant, ops);
	int total = mp_total(self->fd);

	ASSERT_EQ(-EINVAL, mp_create(self->fd, "bad", ops, len, MINIPROC_CREATE_AUTOREAP,
				     0, NULL));
	EXPECT_EQ(total, mp_total(self->fd));
}

/* --- limits, accepted at their value --------------------------------------- */

MINIPROC_FIXTURE(at_limit);

/* Create @ops, which must end with exit:@status, and reap it. */
static void run_to_exit(struct __test_metadata *_metadata, int fd,
			const struct miniproc_op *ops, __u32 len, int status)
{
	struct miniproc_exit_info exit;
	int pid = mp_create(fd, "limit", ops, len, 0, 0, NULL);

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(fd, pid, &exit));
	EXPECT_EQ(status, exit.exit_status);
	EXPECT_EQ(0, exit.flags);
}

TEST_F(at_limit, max_ops_are_accepted)
{
	static struct miniproc_op ops[MINIPROC_PROG_MAX_OPS];
	int i;

	for (i = 0; i < MINIPROC_PROG_MAX_OPS - 1; i++)
		ops[i] = OP_YIELD;
	ops[i] = OP_EXIT(9);
	run_to_exit(_metadata, self->fd, ops, MINIPROC_PROG_MAX_OPS, 9);
}

TEST_F(at_limit, max_nesting_depth_is_accepted)
{
	struct miniproc_op ops[2 * MINIPROC_LOOP_MAX_DEPTH + 2];
	__u32 n = 0;
	int i;

	for (i = 0; i < MINIPROC_LOOP_MAX_DEPTH; i++)
		ops[n++] = OP_LOOP(2);
	ops[n++] = OP_YIELD;
	for (i = 0; i < MINIPROC_LOOP_MAX_DEPTH; i++)
		ops[n++] = OP_END;
	ops[n++] = OP_EXIT(8);
	run_to_exit(_metadata, self->fd, ops, n, 8);
}

TEST_F(at_limit, max_loop_count_is_accepted)
{
	const struct miniproc_op ops[] = {
		OP_LOOP(MINIPROC_LOOP_MAX_COUNT), OP_EXIT(7), OP_END,
	};

	run_to_exit(_metadata, self->fd, ops, ARRAY_SIZE(ops), 7);
}

TEST_F(at_limit, max_exit_status_is_accepted)
{
	const struct miniproc_op ops[] = { OP_EXIT(MINIPROC_EXIT_MAX) };

	run_to_exit(_metadata, self->fd, ops, 1, MINIPROC_EXIT_MAX);
}

TEST_F(at_limit, max_and_min_durations_are_accepted)
{
	const struct miniproc_op ops[] = {
		OP_CPU(1), OP_SLEEP(1), OP_IO(1), OP_POLL(1), OP_EXIT(6),
		OP_CPU(MINIPROC_DURATION_MAX_NS), OP_SLEEP(MINIPROC_DURATION_MAX_NS),
		OP_IO(MINIPROC_DURATION_MAX_NS), OP_POLL(MINIPROC_DURATION_MAX_NS),
	};

	run_to_exit(_metadata, self->fd, ops, ARRAY_SIZE(ops), 6);
}

/* --- what programs do ------------------------------------------------------- */

MINIPROC_FIXTURE(run);

TEST_F(run, running_off_the_end_exits_with_status_zero)
{
	struct miniproc_exit_info exit;
	int pid = mp_spawn(self->fd, "off-end", OP_YIELD, OP_CPU(MSEC(1)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(0, exit.exit_status);
	EXPECT_EQ(0, exit.flags);
}

TEST_F(run, exit_ends_the_program_at_once)
{
	struct miniproc_exit_info exit;
	__u64 start = mp_now_ns();
	int pid = mp_spawn(self->fd, "exit", OP_EXIT(42), OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(42, exit.exit_status);
	EXPECT_GT(start + MSEC(MP_PROMPT_MS), mp_now_ns());
}

TEST_F(run, exit_inside_an_endless_loop_ends_it)
{
	struct miniproc_exit_info exit;
	int pid = mp_spawn(self->fd, "loop-exit",
			   OP_FOREVER, OP_YIELD, OP_EXIT(5), OP_END);

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(5, exit.exit_status);
}

/*
 * Loop counts, seen through CPU time: N passes of cpu:T use at least N*T
 * and, with a margin of one T, less than (N+1)*T.
 */
#define T_MS 50

static void expect_passes(struct __test_metadata *_metadata, int fd, int pid,
			  int passes)
{
	struct miniproc_exit_info exit;

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(fd, pid, &exit));
	EXPECT_EQ(3, exit.exit_status);
	EXPECT_LE(MSEC(T_MS) * passes, exit.runtime_ns);
	EXPECT_GT(MSEC(T_MS) * (passes + 1), exit.runtime_ns)
		TH_LOG("runtime %llu ns for %d passes of %d ms",
		       exit.runtime_ns, passes, T_MS);
}

TEST_F(run, loop_runs_its_group_count_times)
{
	int pid = mp_spawn(self->fd, "loop3",
			   OP_LOOP(3), OP_CPU(MSEC(T_MS)), OP_END, OP_EXIT(3));

	expect_passes(_metadata, self->fd, pid, 3);
}

TEST_F(run, nested_loops_multiply)
{
	int pid = mp_spawn(self->fd, "loop2x3",
			   OP_LOOP(2), OP_LOOP(3), OP_CPU(MSEC(T_MS)), OP_END,
			   OP_END, OP_EXIT(3));

	expect_passes(_metadata, self->fd, pid, 6);
}

TEST_F(run, loop_of_one_runs_once)
{
	int pid = mp_spawn(self->fd, "loop1",
			   OP_LOOP(1), OP_CPU(MSEC(T_MS)), OP_END, OP_EXIT(3));

	expect_passes(_metadata, self->fd, pid, 1);
}

TEST_F(run, endless_loop_runs_until_destroyed)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	__u64 ran = MSEC(200);
	int pid = mp_spawn(self->fd, "forever",
			   OP_FOREVER, OP_CPU(MSEC(1)), OP_SLEEP(MSEC(1)), OP_END);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll(self->fd, pid, mp_ran_for, &ran, MP_POLL_MS, &info));
	EXPECT_NE(MINIPROC_ZOMBIE, info.state);
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, exit.exit_status);
	EXPECT_EQ(MINIPROC_EXIT_KILLED, exit.flags);
}

TEST_F(run, sleep_takes_wall_time_not_cpu_time)
{
	struct miniproc_exit_info exit;
	__u64 start = mp_now_ns();
	int pid = mp_spawn(self->fd, "sleeper", OP_SLEEP(MSEC(300)), OP_EXIT(1));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_LE(start + MSEC(300), mp_now_ns());
	EXPECT_GT(MSEC(150), exit.runtime_ns);
	EXPECT_LE(1, exit.nvcsw);
}

TEST_HARNESS_MAIN
