// SPDX-License-Identifier: GPL-2.0
/*
 * MINIPROC_IOC_SUSPEND and MINIPROC_IOC_RESUME: SUSPEND returns only once
 * the process is stopped (SLEEPING on "suspended"); both are idempotent and
 * succeed on a zombie; a suspended cpu op uses no CPU time and keeps what it
 * used; a suspended sleep keeps its deadline; a signal interrupts SUSPEND
 * and the request stands.
 */
#include "miniproc_util.h"

FIXTURE(suspend) {
	int fd;
	int floor;
	int self_cpu;
	int cpu;	/* where pinned mini-processes run, -1 if none */
};

FIXTURE_SETUP(suspend)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	if (!mp_pick_cpus(&self->self_cpu, &self->cpu))
		ASSERT_EQ(0, mp_pin_self(self->self_cpu));
}

FIXTURE_TEARDOWN(suspend)
{
	mp_hog_restore();
	mp_fixture_teardown(self->fd, self->floor);
}

static const struct miniproc_op spin[] = { OP_FOREVER, OP_CPU(MSEC(1)), OP_END };

/* A process spinning on self->cpu (any CPU if there is one), seen RUNNING. */
static int start_spinner(struct __test_metadata *_metadata,
			 FIXTURE_DATA(suspend) *self)
{
	struct miniproc_info info;
	int pid;

	if (self->cpu >= 0)
		pid = mp_create(self->fd, "spin",
				spin, ARRAY_SIZE(spin), MINIPROC_CREATE_PIN, self->cpu, NULL);
	else
		pid = mp_create(self->fd, "spin", spin, ARRAY_SIZE(spin), 0, 0, NULL);
	if (pid <= 0 || self->cpu < 0)
		return pid;
	if (mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info))
		TH_LOG("pid %d never seen RUNNING", pid);
	return pid;
}

/* Right after SUSPEND returned: stopped, and saying so. */
#define EXPECT_SUSPENDED(fd, pid) do { \
	struct miniproc_info __i; \
	ASSERT_EQ(0, mp_status(fd, pid, &__i)); \
	EXPECT_EQ(MINIPROC_SLEEPING, __i.state) \
		TH_LOG("state %s", mp_state_name(__i.state)); \
	EXPECT_STREQ("suspended", __i.chan); \
	EXPECT_TRUE(__i.flags & MINIPROC_INFO_SUSPENDED); \
} while (0)

TEST_F(suspend, returns_once_a_running_process_is_stopped)
{
	int pid = start_spinner(_metadata, self);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	EXPECT_SUSPENDED(self->fd, pid);
}

TEST_F(suspend, returns_once_a_sleeping_process_is_stopped)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	EXPECT_SUSPENDED(self->fd, pid);
}

TEST_F(suspend, right_after_create_stops_it)
{
	int pid = mp_spawn(self->fd, "newborn", OP_FOREVER, OP_CPU(MSEC(1)), OP_END);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	EXPECT_SUSPENDED(self->fd, pid);
}

/*
 * MINIPROC_CREATE_SUSPENDED: stopped before its first op. SUSPEND returns
 * once it is stopped, with none of its program run; RESUME starts it.
 */
TEST_F(suspend, created_suspended_runs_no_op_until_resumed)
{
	static const struct miniproc_op prog[] = { OP_CPU(MSEC(20)), OP_EXIT(5) };
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_create(self->fd, "gated",
			    prog, ARRAY_SIZE(prog), MINIPROC_CREATE_SUSPENDED, 0, NULL);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	EXPECT_SUSPENDED(self->fd, pid);
	mp_sleep_ms(100);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_SLEEPING, info.state);
	EXPECT_STREQ("suspended", info.chan);
	EXPECT_GT(MSEC(5), info.runtime_ns) TH_LOG("ran %llu ns", info.runtime_ns);
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(5, exit.exit_status);
	EXPECT_LE(MSEC(20), exit.runtime_ns);
}

TEST_F(suspend, created_suspended_can_be_killed_before_it_starts)
{
	static const struct miniproc_op prog[] = { OP_EXIT(5) };
	struct miniproc_exit_info exit;
	int pid = mp_create(self->fd, "gated",
			    prog, ARRAY_SIZE(prog), MINIPROC_CREATE_SUSPENDED, 0, NULL);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, exit.exit_status);
}

/*
 * A start gate: three processes created suspended, each stopped before its
 * first op, then resumed; each runs its whole program after its RESUME.
 */
TEST_F(suspend, created_suspended_processes_start_together_when_resumed)
{
	static const struct miniproc_op prog[] = { OP_CPU(MSEC(10)), OP_EXIT(1) };
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pids[3], i;

	for (i = 0; i < 3; i++) {
		pids[i] = mp_create(self->fd, "gated",
				    prog, ARRAY_SIZE(prog), MINIPROC_CREATE_SUSPENDED, 0, NULL);
		ASSERT_LT(0, pids[i]);
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, mp_suspend(self->fd, pids[i]));
		ASSERT_EQ(0, mp_status(self->fd, pids[i], &info));
		EXPECT_FALSE(info.flags & MINIPROC_INFO_EXITED);
		EXPECT_GT(MSEC(5), info.runtime_ns);
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, mp_resume(self->fd, pids[i]));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pids[i], mp_waitpid(self->fd, pids[i], &exit));
		EXPECT_EQ(1, exit.exit_status);
		EXPECT_LE(MSEC(10), exit.runtime_ns);
	}
}

/*
 * RESUME then SUSPEND at once, many times: each SUSPEND must still return
 * only once the process is stopped again, never while the wakeup RESUME
 * started is under way. A process that was really stopped says so and is
 * neither woken nor put on a CPU afterwards, until the next RESUME.
 */
#define CYCLES 1000

TEST_F(suspend, every_cycle_of_resume_and_suspend_ends_stopped)
{
	int pid = start_spinner(_metadata, self);
	int i, bad = 0, first_bad = -1;
	struct miniproc_info a, b, seen_a, seen_b;

	ASSERT_LT(0, pid);
	for (i = 0; i < CYCLES; i++) {
		ASSERT_EQ(0, mp_resume(self->fd, pid));
		ASSERT_EQ(0, mp_suspend(self->fd, pid));
		ASSERT_EQ(0, mp_status(self->fd, pid, &a));
		usleep(1000);
		ASSERT_EQ(0, mp_status(self->fd, pid, &b));
		if (a.state != MINIPROC_SLEEPING || !(a.flags & MINIPROC_INFO_SUSPENDED) ||
		    b.nr_wakeups != a.nr_wakeups || b.nr_sched_in != a.nr_sched_in) {
			if (!bad++) {
				first_bad = i;
				seen_a = a;
				seen_b = b;
			}
		}
	}
	EXPECT_EQ(0, bad)
		TH_LOG("%d of %d SUSPENDs returned before it was stopped; first in cycle %d: "
		       "%s, chan '%s', flags %#x, then woken %llu and run %llu more times",
		       bad, CYCLES, first_bad, mp_state_name(seen_a.state), seen_a.chan,
		       seen_a.flags, seen_b.nr_wakeups - seen_a.nr_wakeups,
		       seen_b.nr_sched_in - seen_a.nr_sched_in);
}

TEST_F(suspend, repeated_suspend_succeeds_and_changes_nothing)
{
	int pid = start_spinner(_metadata, self);
	struct miniproc_info a, b;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &a));
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &b));
	EXPECT_SUSPENDED(self->fd, pid);
	EXPECT_EQ(a.runtime_ns, b.runtime_ns);
	EXPECT_EQ(a.nr_wakeups, b.nr_wakeups);
	EXPECT_EQ(a.nr_sched_in, b.nr_sched_in);
	EXPECT_EQ(a.nvcsw, b.nvcsw);
}

TEST_F(suspend, repeated_resume_succeeds_and_changes_nothing)
{
	int pid = start_spinner(_metadata, self);
	struct miniproc_info info;
	__u64 more;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_FALSE(info.flags & MINIPROC_INFO_SUSPENDED);
	/* It runs on. */
	more = info.runtime_ns + MSEC(20);
	ASSERT_EQ(0, mp_poll(self->fd, pid, mp_ran_for, &more, MP_POLL_MS, &info));
	EXPECT_STRNE("suspended", info.chan);
}

TEST_F(suspend, resume_of_a_process_never_suspended_leaves_it_undisturbed)
{
	struct miniproc_info a, b;
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &a));
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	mp_sleep_ms(50);
	ASSERT_EQ(0, mp_status(self->fd, pid, &b));
	EXPECT_EQ(MINIPROC_SLEEPING, b.state);
	EXPECT_STREQ("sleep", b.chan);
	EXPECT_EQ(a.nr_wakeups, b.nr_wakeups);
	EXPECT_EQ(a.nr_sched_in, b.nr_sched_in);
}

TEST_F(suspend, suspend_and_resume_of_a_zombie_succeed_and_change_nothing)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "dead", OP_EXIT(3));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_ZOMBIE, info.state);
	EXPECT_EQ(MINIPROC_INFO_EXITED, info.flags);
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(3, exit.exit_status);
	EXPECT_EQ(0, exit.flags);
}

TEST_F(suspend, pid_that_names_no_process_is_esrch)
{
	int pid = mp_spawn(self->fd, "once", OP_EXIT(0));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	EXPECT_EQ(-ESRCH, mp_suspend(self->fd, pid));
	EXPECT_EQ(-ESRCH, mp_resume(self->fd, pid));
	EXPECT_EQ(-ESRCH, mp_suspend(self->fd, 0x7fffffff));
	EXPECT_EQ(-ESRCH, mp_resume(self->fd, 0x7fffffff));
}

TEST_F(suspend, suspended_cpu_op_uses_no_cpu_time)
{
	int pid = start_spinner(_metadata, self);
	struct miniproc_info a, b;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &a));
	mp_sleep_ms(300);
	ASSERT_EQ(0, mp_status(self->fd, pid, &b));
	EXPECT_EQ(a.runtime_ns, b.runtime_ns);
	EXPECT_EQ(a.nr_sched_in, b.nr_sched_in);
	EXPECT_EQ(MINIPROC_SLEEPING, b.state);
}

/*
 * cpu:400ms, suspended after 200 ms for 300 ms: it still uses 400 ms in
 * all, not 200 ms more than that (a restarted op) and not less.
 */
TEST_F(suspend, resumed_cpu_op_keeps_the_time_it_used)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	__u64 ran = MSEC(200);
	int pid = mp_spawn(self->fd, "worker", OP_CPU(MSEC(400)), OP_EXIT(8));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll(self->fd, pid, mp_ran_for, &ran, MP_POLL_MS, &info));
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	mp_sleep_ms(300);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_GT(MSEC(400), info.runtime_ns);
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(8, exit.exit_status);
	EXPECT_LE(MSEC(400), exit.runtime_ns);
	EXPECT_GT(MSEC(580), exit.runtime_ns);
}

/*
 * sleep:2s, suspended for 1 s of it: time suspended counts towards the
 * sleep, so it ends 2 s after it began, not 3 s.
 */
TEST_F(suspend, suspended_sleep_keeps_its_deadline)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	__u64 start = mp_now_ns();
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(2)), OP_EXIT(6));
	__u64 took;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	mp_sleep_ms(1000);
	EXPECT_SUSPENDED(self->fd, pid);
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	took = mp_now_ns() - start;
	EXPECT_EQ(6, exit.exit_status);
	EXPECT_LE(SEC(2), took);
	EXPECT_GT(MSEC(2800), took) TH_LOG("took %llu ms", took / NSEC_PER_MSEC);
}

/* sleep:1s, suspended for 2 s: the deadline passed, it ends on resume. */
TEST_F(suspend, sleep_whose_deadline_passed_ends_at_resume)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(1)), OP_EXIT(6));
	__u64 resumed;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	mp_sleep_ms(2000);
	/* Past its deadline, still stopped: it does not end while suspended. */
	EXPECT_SUSPENDED(self->fd, pid);
	resumed = mp_now_ns();
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(6, exit.exit_status);
	EXPECT_GT(resumed + MSEC(500), mp_now_ns());
}

TEST_F(suspend, signal_interrupts_suspend_and_the_request_stands)
{
	struct miniproc_info info;
	pid_t hog;
	int pid;

	if (self->cpu < 0 || geteuid() != 0)
		SKIP(return, "needs two CPUs and root");
	pid = start_spinner(_metadata, self);
	ASSERT_LT(0, pid);
	/* While a SCHED_FIFO task holds its CPU it cannot reach a safe point. */
	hog = mp_hog_start(self->cpu, 600);
	ASSERT_LT(0, hog) TH_LOG("cannot run a SCHED_FIFO task: %d", hog);
	ASSERT_EQ(0, mp_alarm_ms(150));
	EXPECT_EQ(-EINTR, mp_suspend(self->fd, pid));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_RUNNABLE, info.state);
	EXPECT_EQ(0, mp_hog_finish(hog));
	/* Once it runs again, it stops, without being asked twice. */
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "suspended", &info));
	EXPECT_TRUE(info.flags & MINIPROC_INFO_SUSPENDED);
	ASSERT_EQ(0, mp_resume(self->fd, pid));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info));
}

TEST_HARNESS_MAIN
