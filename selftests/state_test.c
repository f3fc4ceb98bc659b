// SPDX-License-Identifier: GPL-2.0
/*
 * States follow what the scheduler does: a cpu program is seen RUNNING,
 * two competing for one CPU take turns (one RUNNABLE while the other is
 * RUNNING), a sleep program is SLEEPING on "sleep", an ended one is a
 * ZOMBIE with its status, a reaped one is gone. Run time is CPU time, and
 * the switch counters add up.
 *
 * The test pins itself to one CPU and the mini-processes to another, so
 * that polling STATUS never competes with what it watches.
 */
#include "miniproc_util.h"

FIXTURE(state) {
	int fd;
	int floor;
	int self_cpu;
	int cpu;	/* where the mini-processes run, -1 if no other CPU */
};

FIXTURE_SETUP(state)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	if (!mp_pick_cpus(&self->self_cpu, &self->cpu))
		ASSERT_EQ(0, mp_pin_self(self->self_cpu));
}

FIXTURE_TEARDOWN(state)
{
	mp_fixture_teardown(self->fd, self->floor);
}

/* Watching a process run needs a CPU of its own, apart from the test's. */
#define REQUIRE_TWO_CPUS() do { \
	if (self->cpu < 0) \
		SKIP(return, "needs two CPUs"); \
} while (0)

#define EXPECT_BALANCED(info) \
	EXPECT_TRUE(mp_switches_balance(&(info))) \
		TH_LOG("%s: nr_sched_in %llu, nvcsw %llu, nivcsw %llu", \
		       mp_state_name((info).state), (info).nr_sched_in, \
		       (info).nvcsw, (info).nivcsw)

TEST_F(state, cpu_program_is_seen_running)
{
	struct miniproc_info info;
	int pid;

	REQUIRE_TWO_CPUS();
	pid = mp_spawn(self->fd, "spin", OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info))
		TH_LOG("last seen %s", mp_state_name(info.state));
	EXPECT_STREQ("", info.chan);
	EXPECT_EQ(0, info.flags);
	EXPECT_LT(0, info.tid);
	EXPECT_LE(0, info.cpu);
	EXPECT_LE(1, info.nr_sched_in);
	EXPECT_BALANCED(info);
}

TEST_F(state, pinned_cpu_program_is_seen_running_on_its_cpu)
{
	struct miniproc_info info;
	int pid;

	REQUIRE_TWO_CPUS();
	pid = mp_spawn_pinned(self->fd, "spin", self->cpu,
			      OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info))
		TH_LOG("last seen %s", mp_state_name(info.state));
	EXPECT_EQ(self->cpu, info.cpu);
	EXPECT_EQ(MINIPROC_INFO_PINNED, info.flags);
	EXPECT_BALANCED(info);
}

TEST_F(state, two_programs_pinned_to_one_cpu_take_turns)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	struct miniproc_info a, b;
	bool turns = false;
	int pa, pb;

	REQUIRE_TWO_CPUS();
	pa = mp_spawn_pinned(self->fd, "a", self->cpu, OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	pb = mp_spawn_pinned(self->fd, "b", self->cpu, OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, pa);
	ASSERT_LT(0, pb);
	while (mp_now_ns() < deadline) {
		ASSERT_EQ(0, mp_status(self->fd, pa, &a));
		ASSERT_EQ(0, mp_status(self->fd, pb, &b));
		EXPECT_BALANCED(a);
		EXPECT_BALANCED(b);
		turns |= (a.state == MINIPROC_RUNNABLE && b.state == MINIPROC_RUNNING) ||
			 (a.state == MINIPROC_RUNNING && b.state == MINIPROC_RUNNABLE);
		if (turns && a.nivcsw && b.nivcsw)
			break;
		usleep(200);
	}
	EXPECT_TRUE(turns) TH_LOG("last seen %s and %s",
				  mp_state_name(a.state), mp_state_name(b.state));
	EXPECT_LT(0, a.nivcsw);
	EXPECT_LT(0, b.nivcsw);
	EXPECT_EQ(self->cpu, a.cpu);
	EXPECT_EQ(self->cpu, b.cpu);
}

TEST_F(state, sleep_program_is_sleeping_on_sleep)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, NULL, &info));
	EXPECT_STREQ("sleep", info.chan);
	EXPECT_EQ(0, info.flags);
	EXPECT_LE(1, info.nvcsw);
	EXPECT_LT(0, info.tid);
	EXPECT_BALANCED(info);
}

TEST_F(state, io_program_is_sleeping_on_io)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "disk", OP_IO(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, NULL, &info));
	EXPECT_STREQ("io", info.chan);
	EXPECT_LE(1, info.nvcsw);
	EXPECT_BALANCED(info);
}

/*
 * A poll op keeps the CPU for its wall time: seen RUNNING, never SLEEPING,
 * and its run time is about its length when nothing competes; and it ends
 * by the clock, after its length of wall time.
 */
TEST_F(state, poll_program_keeps_the_cpu_for_its_wall_time)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	__u64 start, took;
	int pid;

	REQUIRE_TWO_CPUS();
	start = mp_now_ns();
	pid = mp_spawn_pinned(self->fd, "poller", self->cpu,
			      OP_POLL(MSEC(300)), OP_EXIT(2));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info));
	EXPECT_STREQ("", info.chan);
	/* Never blocked while it polls (STATUS takes no lock it could wait on). */
	for (;;) {
		ASSERT_EQ(0, mp_status(self->fd, pid, &info));
		if (info.state == MINIPROC_ZOMBIE)
			break;
		EXPECT_NE(MINIPROC_SLEEPING, info.state) TH_LOG("on '%s'", info.chan);
		mp_sleep_ms(10);
	}
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	took = mp_now_ns() - start;
	EXPECT_EQ(2, exit.exit_status);
	EXPECT_LE(MSEC(300), took);
	/* Alone on its CPU: most of the 300 ms on it. */
	EXPECT_LE(MSEC(150), exit.runtime_ns) TH_LOG("ran %llu ns", exit.runtime_ns);
	EXPECT_GE(took, exit.runtime_ns);
}

TEST_F(state, suspended_program_is_sleeping_on_suspended)
{
	struct miniproc_info info;
	int pid;

	REQUIRE_TWO_CPUS();
	pid = mp_spawn_pinned(self->fd, "spin", self->cpu,
			      OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_SLEEPING, info.state);
	EXPECT_STREQ("suspended", info.chan);
	EXPECT_EQ(MINIPROC_INFO_SUSPENDED | MINIPROC_INFO_PINNED, info.flags);
	EXPECT_BALANCED(info);
}

TEST_F(state, ended_program_is_a_zombie_with_its_status)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "done", OP_CPU(MSEC(5)), OP_EXIT(42));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(MINIPROC_INFO_EXITED, info.flags);
	EXPECT_EQ(42, info.exit_status);
	EXPECT_EQ(0, info.tid);
	EXPECT_STREQ("", info.chan);
	EXPECT_LE(MSEC(5), info.runtime_ns);
	EXPECT_BALANCED(info);
	/* A zombie stays one until reaped. */
	mp_sleep_ms(100);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_ZOMBIE, info.state);
}

TEST_F(state, reaped_process_is_esrch)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "gone", OP_EXIT(0));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	EXPECT_EQ(-ESRCH, mp_status(self->fd, pid, &info));
	EXPECT_EQ(0, mp_listed(self->fd, pid));
}

TEST_F(state, status_of_a_pid_never_used_is_esrch)
{
	struct miniproc_info info;

	EXPECT_EQ(-ESRCH, mp_status(self->fd, 0x7fffffff, &info));
	EXPECT_EQ(-ESRCH, mp_status(self->fd, 0, &info));
	EXPECT_EQ(-ESRCH, mp_status(self->fd, -1, &info));
}

/*
 * Two cpu:300ms programs on one CPU: each ends only once it has had 300 ms
 * of CPU time, so the pair needs at least 600 ms of wall time.
 */
TEST_F(state, cpu_op_counts_own_cpu_time_even_when_competing)
{
	struct miniproc_exit_info ea, eb;
	__u64 start = mp_now_ns();
	int pa, pb;

	REQUIRE_TWO_CPUS();
	pa = mp_spawn_pinned(self->fd, "a", self->cpu, OP_CPU(MSEC(300)), OP_EXIT(1));
	pb = mp_spawn_pinned(self->fd, "b", self->cpu, OP_CPU(MSEC(300)), OP_EXIT(2));
	ASSERT_LT(0, pa);
	ASSERT_LT(0, pb);
	ASSERT_EQ(pa, mp_waitpid(self->fd, pa, &ea));
	ASSERT_EQ(pb, mp_waitpid(self->fd, pb, &eb));
	EXPECT_LE(start + MSEC(600), mp_now_ns());
	EXPECT_EQ(1, ea.exit_status);
	EXPECT_EQ(2, eb.exit_status);
	EXPECT_LE(MSEC(300), ea.runtime_ns);
	EXPECT_LE(MSEC(300), eb.runtime_ns);
	EXPECT_LT(0, ea.nivcsw + eb.nivcsw);
}

TEST_F(state, runtime_never_decreases_and_never_exceeds_wall_time)
{
	struct miniproc_info info;
	__u64 last = 0;
	int i, pid;

	REQUIRE_TWO_CPUS();
	pid = mp_spawn_pinned(self->fd, "spin", self->cpu,
			      OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, pid);
	/*
	 * On its CPU first. Under single-threaded TCG, a vCPU that never
	 * idles (this loop of STATUS) keeps the other from running until
	 * the round robin's kick, every 100 ms: the whole loop could pass
	 * before the process first ran.
	 */
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info));
	for (i = 0; i < 2000; i++) {
		ASSERT_EQ(0, mp_status(self->fd, pid, &info));
		ASSERT_LE(last, info.runtime_ns) TH_LOG("poll %d", i);
		/* Two clocks (sched_clock, CLOCK_BOOTTIME): allow some skew. */
		ASSERT_GE(mp_clock_ns(CLOCK_BOOTTIME) - info.start_time_ns + MSEC(50),
			  info.runtime_ns);
		last = info.runtime_ns;
	}
	EXPECT_LT(0, last);
}

TEST_F(state, sleeping_process_uses_no_cpu_time)
{
	struct miniproc_info before, after;
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &before));
	mp_sleep_ms(300);
	ASSERT_EQ(0, mp_status(self->fd, pid, &after));
	EXPECT_EQ(MINIPROC_SLEEPING, after.state);
	EXPECT_EQ(before.runtime_ns, after.runtime_ns);
	EXPECT_EQ(before.nr_sched_in, after.nr_sched_in);
}

TEST_F(state, switch_counters_add_up_at_exit)
{
	struct miniproc_info info;
	int pa, pb;

	REQUIRE_TWO_CPUS();
	pa = mp_spawn_pinned(self->fd, "mixed", self->cpu,
			     OP_LOOP(3), OP_CPU(MSEC(10)), OP_YIELD,
			     OP_SLEEP(MSEC(5)), OP_END, OP_EXIT(0));
	pb = mp_spawn_pinned(self->fd, "rival", self->cpu, OP_CPU(MSEC(100)));
	ASSERT_LT(0, pa);
	ASSERT_LT(0, pb);
	ASSERT_EQ(0, mp_poll_state(self->fd, pa, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_BALANCED(info);
	EXPECT_LE(3, info.nvcsw);
	EXPECT_LE(info.nvcsw, info.nr_wakeups);
	ASSERT_EQ(0, mp_poll_state(self->fd, pb, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_BALANCED(info);
}

/*
 * The counters start when the program does: the wakeup that starts the
 * kthread is not one of the process's. A program that never blocks is
 * never woken.
 */
/*
 * The counters start with the wakeup that starts the program: that one is
 * counted, the kthread's start-up before it (its first sleep) is not. So a
 * program that never blocks was woken exactly once.
 */
TEST_F(state, start_wakeup_is_counted_and_start_up_is_not)
{
	struct miniproc_info info;
	int pid;

	REQUIRE_TWO_CPUS();
	pid = mp_spawn_pinned(self->fd, "noblock", self->cpu,
			      OP_CPU(MSEC(20)), OP_EXIT(0));
	ASSERT_LT(0, pid);
	/* Leave it alone (not even the table lock) until it is done. */
	mp_sleep_ms(1000);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(0, info.nvcsw);
	EXPECT_EQ(1, info.nr_wakeups);
	EXPECT_BALANCED(info);
}

TEST_HARNESS_MAIN
