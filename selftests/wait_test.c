// SPDX-License-Identifier: GPL-2.0
/*
 * MINIPROC_IOC_WAIT: for one pid or any of the caller's, blocking, with
 * WNOHANG, with a timeout, interrupted by a signal, raced by two waiters;
 * -ECHILD when there is nothing to wait for; and the exit information it
 * returns.
 */
#include "miniproc_util.h"

#include <pthread.h>

MINIPROC_FIXTURE(wait);

/*
 * WAIT_ANY tests need the caller to own nothing else. init shows uid 0 but
 * belongs to the module: it is nobody's to wait for.
 */
static bool owns_processes(int fd)
{
	struct miniproc_info *all;
	bool mine = false;
	__u32 i, n;

	all = mp_snapshot(fd, &n);
	for (i = 0; all && i < n; i++)
		mine |= all[i].uid == geteuid() && all[i].pid != MINIPROC_INIT_PID;
	free(all);
	return mine;
}

#define REQUIRE_NOTHING_OWNED(fd) do { \
	if (owns_processes(fd)) \
		SKIP(return, "the caller already owns mini-processes"); \
} while (0)

TEST_F(wait, for_a_pid_returns_its_exit_status_and_reaps_it)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "seven", OP_EXIT(7));
	int got = pid;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_wait(self->fd, &got, 0, 0, &exit));
	EXPECT_EQ(pid, got);
	EXPECT_EQ(7, exit.exit_status);
	EXPECT_EQ(0, exit.flags);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, pid, &info));
}

TEST_F(wait, blocks_until_the_process_ends)
{
	struct miniproc_exit_info exit;
	__u64 start = mp_now_ns();
	int pid = mp_spawn(self->fd, "later", OP_SLEEP(MSEC(300)), OP_EXIT(5));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_LE(start + MSEC(300), mp_now_ns());
	EXPECT_EQ(5, exit.exit_status);
}

TEST_F(wait, any_reaps_each_of_the_callers_processes_once)
{
	struct miniproc_exit_info exit;
	int pid[3], seen[3] = { 0 };
	int i, j, got;

	REQUIRE_NOTHING_OWNED(self->fd);
	for (i = 0; i < 3; i++) {
		pid[i] = mp_spawn(self->fd, "any", OP_SLEEP(MSEC(10 * i + 1)), OP_EXIT(i + 1));
		ASSERT_LT(0, pid[i]);
	}
	for (i = 0; i < 3; i++) {
		got = MINIPROC_WAIT_ANY;
		ASSERT_EQ(0, mp_wait(self->fd, &got, 0, 0, &exit));
		for (j = 0; j < 3 && pid[j] != got; j++)
			;
		ASSERT_GT(3, j) TH_LOG("reaped pid %d is not ours", got);
		EXPECT_EQ(j + 1, exit.exit_status);
		seen[j]++;
	}
	for (j = 0; j < 3; j++)
		EXPECT_EQ(1, seen[j]);
	got = MINIPROC_WAIT_ANY;
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, 0, 0, &exit));
}

TEST_F(wait, any_blocks_until_one_ends)
{
	struct miniproc_exit_info exit;
	int got = MINIPROC_WAIT_ANY;
	int sleeper, quick;

	REQUIRE_NOTHING_OWNED(self->fd);
	sleeper = mp_spawn(self->fd, "sleeper", OP_SLEEP(SEC(3600)));
	quick = mp_spawn(self->fd, "quick", OP_SLEEP(MSEC(200)), OP_EXIT(9));
	ASSERT_LT(0, sleeper);
	ASSERT_LT(0, quick);
	ASSERT_EQ(0, mp_wait(self->fd, &got, 0, 0, &exit));
	EXPECT_EQ(quick, got);
	EXPECT_EQ(9, exit.exit_status);
}

TEST_F(wait, nohang_returns_zero_with_pid_zero_while_running)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "busy", OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	int got = pid;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_wait(self->fd, &got, MINIPROC_WNOHANG, 0, &exit));
	EXPECT_EQ(0, got);
	EXPECT_EQ(0, exit.exit_status);
	EXPECT_EQ(0, exit.runtime_ns);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_NE(MINIPROC_ZOMBIE, info.state);
}

TEST_F(wait, nohang_any_returns_zero_while_none_has_ended)
{
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)));
	int got = MINIPROC_WAIT_ANY;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_wait(self->fd, &got, MINIPROC_WNOHANG, 0, NULL));
	EXPECT_EQ(0, got);
}

TEST_F(wait, nohang_reaps_a_zombie)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "dead", OP_EXIT(12));
	int got = pid;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(0, mp_wait(self->fd, &got, MINIPROC_WNOHANG, 0, &exit));
	EXPECT_EQ(pid, got);
	EXPECT_EQ(12, exit.exit_status);
}

TEST_F(wait, timeout_is_etimedout_after_at_least_the_timeout)
{
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)));
	struct miniproc_info info;
	int targets[2] = { pid, MINIPROC_WAIT_ANY };
	int i;

	ASSERT_LT(0, pid);
	for (i = 0; i < 2; i++) {
		__u64 start = mp_now_ns();
		int got = targets[i];

		ASSERT_EQ(-ETIMEDOUT, mp_wait(self->fd, &got, 0, MSEC(250), NULL));
		EXPECT_LE(start + MSEC(250), mp_now_ns());
		ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	}
}

/*
 * The largest timeouts are as long as they say, not wrapped into a tick or
 * two by the rounding up to whole ticks: the process, done after 300 ms,
 * is reaped, not timed out on.
 */
TEST_F(wait, a_timeout_near_the_largest_is_not_cut_short)
{
	const __u64 timeouts[] = { UINT64_MAX, UINT64_MAX - 1, UINT64_MAX / 2 };
	struct miniproc_exit_info exit;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(timeouts); i++) {
		int pid = mp_spawn(self->fd, "late", OP_SLEEP(MSEC(300)), OP_EXIT(6));
		int got = pid;

		ASSERT_LT(0, pid);
		ASSERT_EQ(0, mp_wait(self->fd, &got, 0, timeouts[i], &exit))
			TH_LOG("timeout %llu", (unsigned long long)timeouts[i]);
		EXPECT_EQ(pid, got);
		EXPECT_EQ(6, exit.exit_status);
	}
}

TEST_F(wait, timeout_does_not_delay_a_process_that_ends_in_time)
{
	struct miniproc_exit_info exit;
	__u64 start = mp_now_ns();
	int pid = mp_spawn(self->fd, "soon", OP_SLEEP(MSEC(100)), OP_EXIT(4));
	int got = pid;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_wait(self->fd, &got, 0, SEC(20), &exit));
	EXPECT_EQ(pid, got);
	EXPECT_EQ(4, exit.exit_status);
	EXPECT_GT(start + SEC(10), mp_now_ns());
}

TEST_F(wait, signal_interrupts_with_eintr_and_reaps_nothing)
{
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(MSEC(1500)), OP_EXIT(1));
	int targets[2] = { pid, MINIPROC_WAIT_ANY };
	struct miniproc_info info;
	int i;

	ASSERT_LT(0, pid);
	for (i = 0; i < 2; i++) {
		__u64 start = mp_now_ns();
		int got = targets[i];

		ASSERT_EQ(0, mp_alarm_ms(100));
		ASSERT_EQ(-EINTR, mp_wait(self->fd, &got, 0, 0, NULL));
		EXPECT_LE(start + MSEC(100), mp_now_ns());
		EXPECT_EQ(targets[i], got);
		ASSERT_EQ(0, mp_status(self->fd, pid, &info));
		EXPECT_EQ(MINIPROC_SLEEPING, info.state);
	}
	/* The process was left to be reaped as usual. */
	EXPECT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
}

struct waiter {
	int fd;
	int pid;
	int ret;	/* the pid reaped, or -errno */
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->ret = mp_waitpid(w->fd, w->pid, NULL);
	return NULL;
}

TEST_F(wait, of_two_threads_waiting_on_one_pid_exactly_one_reaps)
{
	int pid = mp_spawn(self->fd, "contested", OP_SLEEP(MSEC(500)), OP_EXIT(3));
	struct waiter w[2] = { { self->fd, pid, 0 }, { self->fd, pid, 0 } };
	pthread_t t[2];
	int i;

	ASSERT_LT(0, pid);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, wait_thread, &w[i]));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_TRUE((w[0].ret == pid && w[1].ret == -ESRCH) ||
		    (w[0].ret == -ESRCH && w[1].ret == pid))
		TH_LOG("waiters got %d and %d", w[0].ret, w[1].ret);
}

TEST_F(wait, of_two_processes_waiting_on_one_pid_exactly_one_reaps)
{
	int pid = mp_spawn(self->fd, "contested", OP_SLEEP(MSEC(500)), OP_EXIT(3));
	int *ret = mp_shared(2 * sizeof(int));
	pid_t child[2];
	int i;

	ASSERT_LT(0, pid);
	ASSERT_NE(NULL, ret);
	for (i = 0; i < 2; i++) {
		child[i] = fork();
		ASSERT_LE(0, child[i]);
		if (child[i] == 0) {
			int fd = mp_open();	/* a file of its own */

			ret[i] = mp_waitpid(fd, pid, NULL);
			_exit(0);
		}
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(child[i], waitpid(child[i], NULL, 0));
	EXPECT_TRUE((ret[0] == pid && ret[1] == -ESRCH) ||
		    (ret[0] == -ESRCH && ret[1] == pid))
		TH_LOG("waiters got %d and %d", ret[0], ret[1]);
}

TEST_F(wait, nothing_to_wait_for_is_echild)
{
	int got = MINIPROC_WAIT_ANY;

	REQUIRE_NOTHING_OWNED(self->fd);
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, 0, 0, NULL));
	got = MINIPROC_WAIT_ANY;
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, MINIPROC_WNOHANG, 0, NULL));
	got = MINIPROC_WAIT_ANY;
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, 0, SEC(1), NULL));
}

TEST_F(wait, only_autoreap_processes_is_echild)
{
	int got = MINIPROC_WAIT_ANY;
	int pid;

	REQUIRE_NOTHING_OWNED(self->fd);
	pid = mp_spawn_autoreap(self->fd, "auto", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, 0, 0, NULL));
}

TEST_F(wait, on_an_autoreap_pid_is_echild)
{
	int pid = mp_spawn_autoreap(self->fd, "auto", OP_SLEEP(SEC(3600)));
	int got = pid;

	ASSERT_LT(0, pid);
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, 0, 0, NULL));
	got = pid;
	EXPECT_EQ(-ECHILD, mp_wait(self->fd, &got, MINIPROC_WNOHANG, 0, NULL));
}

TEST_F(wait, on_a_pid_that_names_no_process_is_esrch)
{
	int pid = mp_spawn(self->fd, "once", OP_EXIT(0));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	EXPECT_EQ(-ESRCH, mp_waitpid(self->fd, pid, NULL));
	EXPECT_EQ(-ESRCH, mp_waitpid(self->fd, 0x7fffffff, NULL));
}

TEST_F(wait, exit_info_is_the_zombies_last_record)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "worker",
			   OP_LOOP(3), OP_CPU(MSEC(5)), OP_SLEEP(MSEC(5)), OP_END,
			   OP_EXIT(11));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(11, exit.exit_status);
	EXPECT_EQ(0, exit.flags);
	EXPECT_EQ(info.runtime_ns, exit.runtime_ns);
	EXPECT_EQ(info.nvcsw, exit.nvcsw);
	EXPECT_EQ(info.nivcsw, exit.nivcsw);
	EXPECT_LE(MSEC(15), exit.runtime_ns);
	EXPECT_LE(3, exit.nvcsw);
}

TEST_HARNESS_MAIN
