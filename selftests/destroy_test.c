// SPDX-License-Identifier: GPL-2.0
/*
 * MINIPROC_IOC_DESTROY: a running, sleeping or suspended process ends
 * killed, promptly; a zombie is left as it was; with DESTROY_WAIT the call
 * reaps it and returns its exit information, also for an autoreap process;
 * a signal interrupts that wait and leaves the process killed. Autoreap
 * processes vanish once they end, never seen as zombies.
 */
#include "miniproc_util.h"

#include <pthread.h>

FIXTURE(destroy) {
	int fd;
	int floor;
	int self_cpu;
	int cpu;	/* where pinned mini-processes run, -1 if none */
};

FIXTURE_SETUP(destroy)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	if (!mp_pick_cpus(&self->self_cpu, &self->cpu))
		ASSERT_EQ(0, mp_pin_self(self->self_cpu));
}

FIXTURE_TEARDOWN(destroy)
{
	mp_hog_restore();
	mp_fixture_teardown(self->fd, self->floor);
}

#define REQUIRE_TWO_CPUS() do { \
	if (self->cpu < 0) \
		SKIP(return, "needs two CPUs"); \
} while (0)

/* A SCHED_FIFO task and scheduler knobs: root. */
#define REQUIRE_ROOT() do { \
	if (geteuid() != 0) \
		SKIP(return, "needs root"); \
} while (0)

static void expect_killed(struct __test_metadata *_metadata,
			  const struct miniproc_exit_info *exit)
{
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, exit->exit_status);
	EXPECT_EQ(MINIPROC_EXIT_KILLED, exit->flags);
}

TEST_F(destroy, running_process_ends_killed)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid;

	REQUIRE_TWO_CPUS();
	pid = mp_spawn_pinned(self->fd, "spin", self->cpu,
			      OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info));
	ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(MINIPROC_INFO_EXITED | MINIPROC_INFO_KILLED | MINIPROC_INFO_PINNED,
		  info.flags);
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, info.exit_status);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	expect_killed(_metadata, &exit);
	EXPECT_LT(0, exit.runtime_ns);
}

TEST_F(destroy, sleeping_process_ends_promptly_not_after_its_sleep)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)), OP_EXIT(0));
	__u64 start;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	start = mp_now_ns();
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	EXPECT_GT(start + MSEC(MP_PROMPT_MS), mp_now_ns());
	expect_killed(_metadata, &exit);
}

TEST_F(destroy, suspended_process_ends_killed)
{
	struct miniproc_exit_info exit;
	int pid = mp_spawn(self->fd, "stopped", OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	__u64 start;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(self->fd, pid));
	start = mp_now_ns();
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	EXPECT_GT(start + MSEC(MP_PROMPT_MS), mp_now_ns());
	expect_killed(_metadata, &exit);
}

TEST_F(destroy, zombie_is_left_as_it_was)
{
	struct miniproc_exit_info exit;
	struct miniproc_info before, after;
	int pid = mp_spawn(self->fd, "dead", OP_EXIT(4));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &before));
	ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	ASSERT_EQ(0, mp_status(self->fd, pid, &after));
	EXPECT_EQ(MINIPROC_ZOMBIE, after.state);
	EXPECT_EQ(MINIPROC_INFO_EXITED, after.flags);
	EXPECT_EQ(4, after.exit_status);
	EXPECT_EQ(before.runtime_ns, after.runtime_ns);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	EXPECT_EQ(4, exit.exit_status);
	EXPECT_EQ(0, exit.flags);
}

TEST_F(destroy, twice_is_harmless)
{
	struct miniproc_exit_info exit;
	int pid = mp_spawn(self->fd, "nap", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	expect_killed(_metadata, &exit);
}

TEST_F(destroy, wait_flag_returns_after_reaping_with_exit_info)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	__u64 ran = MSEC(20);
	int pid = mp_spawn(self->fd, "spin", OP_FOREVER, OP_CPU(MSEC(1)), OP_END);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll(self->fd, pid, mp_ran_for, &ran, MP_POLL_MS, &info));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	expect_killed(_metadata, &exit);
	EXPECT_LE(MSEC(20), exit.runtime_ns);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, pid, &info));
	EXPECT_EQ(0, mp_listed(self->fd, pid));
	EXPECT_EQ(-ESRCH, mp_waitpid(self->fd, pid, NULL));
}

struct racer {
	int fd;
	int pid;
	pthread_barrier_t *go;
	int ret;
	struct miniproc_exit_info exit;
};

static void *destroy_wait_racer(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->go);
	r->ret = mp_destroy_wait(r->fd, r->pid, &r->exit);
	return NULL;
}

/*
 * Two DESTROY with WAIT of one process at once: one reaps it, the other
 * waits for that; both return 0 with the same exit (the kill worked for
 * both). A SCHED_FIFO hog on the process's CPU keeps it from ending until
 * both calls wait, so that they meet.
 */
TEST_F(destroy, two_wait_flags_at_once_both_succeed_with_the_same_exit)
{
	static const struct miniproc_op spin[] = {
		OP_FOREVER, OP_CPU(MSEC(1)), OP_END,
	};
	struct miniproc_info info;
	pthread_barrier_t go;
	struct racer r[2];
	pthread_t t[2];
	int i, pid;
	pid_t hog;

	REQUIRE_TWO_CPUS();
	REQUIRE_ROOT();
	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, 2));
	pid = mp_create(self->fd, "victim",
			spin, ARRAY_SIZE(spin), MINIPROC_CREATE_PIN, self->cpu, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_RUNNING, NULL, &info));
	hog = mp_hog_start(self->cpu, 600);
	ASSERT_LT(0, hog) TH_LOG("cannot run a SCHED_FIFO task: %d", hog);
	for (i = 0; i < 2; i++) {
		r[i] = (struct racer){ .fd = self->fd, .pid = pid, .go = &go };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, destroy_wait_racer, &r[i]));
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(0, mp_hog_finish(hog));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, r[i].ret) TH_LOG("caller %d", i);
		expect_killed(_metadata, &r[i].exit);
	}
	EXPECT_EQ(0, memcmp(&r[0].exit, &r[1].exit, sizeof(r[0].exit)));
	EXPECT_EQ(-ESRCH, mp_waitpid(self->fd, pid, NULL));
	pthread_barrier_destroy(&go);
}

TEST_F(destroy, wait_flag_on_a_zombie_reaps_it_with_its_own_status)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "dead", OP_EXIT(6));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	EXPECT_EQ(6, exit.exit_status);
	EXPECT_EQ(0, exit.flags);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, pid, &info));
}

TEST_F(destroy, wait_flag_works_for_an_autoreap_process)
{
	int used = mp_nr_used(self->fd);
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid = mp_spawn_autoreap(self->fd, "auto", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	expect_killed(_metadata, &exit);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, pid, &info));
	EXPECT_EQ(used, mp_nr_used(self->fd));
}

TEST_F(destroy, pid_that_names_no_process_is_esrch)
{
	int pid = mp_spawn(self->fd, "once", OP_EXIT(0));

	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	EXPECT_EQ(-ESRCH, mp_destroy(self->fd, pid, 0, NULL));
	EXPECT_EQ(-ESRCH, mp_destroy_wait(self->fd, pid, NULL));
	EXPECT_EQ(-ESRCH, mp_destroy(self->fd, 0x7fffffff, 0, NULL));
	EXPECT_EQ(-ESRCH, mp_destroy(self->fd, 0, 0, NULL));
}

/* --- autoreap ------------------------------------------------------------- */

/*
 * Watch @pid with STATUS and LIST until it is gone: it must never be seen
 * as a ZOMBIE, and WAIT must never reap it.
 */
static void expect_vanishes(struct __test_metadata *_metadata, int fd, int pid)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	struct miniproc_info info, *all;
	int ret, got;
	__u32 i, n;

	for (;;) {
		ret = mp_status(fd, pid, &info);
		if (ret == -ESRCH)
			break;
		ASSERT_EQ(0, ret);
		ASSERT_NE(MINIPROC_ZOMBIE, info.state);
		all = mp_snapshot(fd, &n);
		ASSERT_NE(NULL, all);
		for (i = 0; i < n; i++)
			if (all[i].pid == pid)
				ASSERT_NE(MINIPROC_ZOMBIE, all[i].state);
		free(all);
		got = pid;
		ret = mp_wait(fd, &got, MINIPROC_WNOHANG, 0, NULL);
		ASSERT_TRUE(ret == -ECHILD || ret == -ESRCH) TH_LOG("WAIT: %d", ret);
		ASSERT_GT(deadline, mp_now_ns()) TH_LOG("still there");
	}
	EXPECT_EQ(0, mp_listed(fd, pid));
}

TEST_F(destroy, autoreap_process_vanishes_when_it_ends)
{
	int used = mp_nr_used(self->fd);
	int pid = mp_spawn_autoreap(self->fd, "auto", OP_CPU(MSEC(30)), OP_EXIT(3));

	ASSERT_LT(0, pid);
	expect_vanishes(_metadata, self->fd, pid);
	/* Its slot is freed soon after, by the module. */
	EXPECT_EQ(0, mp_poll_nr_used(self->fd, used));
}

TEST_F(destroy, killed_autoreap_process_vanishes)
{
	int used = mp_nr_used(self->fd);
	int pid = mp_spawn_autoreap(self->fd, "auto", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_destroy(self->fd, pid, 0, NULL));
	expect_vanishes(_metadata, self->fd, pid);
	/* Its slot is freed soon after, by the module. */
	EXPECT_EQ(0, mp_poll_nr_used(self->fd, used));
}

/* Watches the process being killed, from a thread and a CPU of its own. */
struct watcher {
	int fd;
	int cpu;	/* where to watch from */
	int pid;	/* __atomic: the process to watch, 0 for none */
	bool stop;	/* __atomic */
	int zombies;	/* times it was seen as a zombie */
	int first;	/* the pid of the first seen so */
};

static void *watch_for_zombie(void *arg)
{
	struct watcher *w = arg;
	struct miniproc_info info;
	int pid;

	mp_pin_self(w->cpu);
	while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED)) {
		pid = __atomic_load_n(&w->pid, __ATOMIC_RELAXED);
		if (pid && !mp_status(w->fd, pid, &info) &&
		    info.state == MINIPROC_ZOMBIE && !w->zombies++)
			w->first = pid;
	}
	return NULL;
}

/*
 * DESTROY with WAIT reaps an autoreap process itself; until it has, the
 * process must look as gone as any autoreap process that ended: never a
 * zombie. To give that moment some length, the killer runs SCHED_IDLE on a
 * CPU a busy child holds: woken by the end of its victim (on the other
 * CPU), it waits a long while for the CPU before it can reap. Meanwhile a
 * thread on the other CPU looks at the victim without pause.
 */
TEST_F(destroy, autoreap_process_killed_with_wait_is_never_seen_as_a_zombie)
{
	static const struct miniproc_op nap[] = { OP_SLEEP(SEC(3600)) };
	struct watcher w = { .fd = mp_open(), .cpu = self->cpu };
	struct sched_param idle = { .sched_priority = 0 };
	struct miniproc_exit_info exit;
	pid_t busy;
	pthread_t t;
	int pid;

	REQUIRE_TWO_CPUS();
	ASSERT_LE(0, w.fd);
	pid = mp_create(self->fd, "auto", nap, 1, MINIPROC_CREATE_AUTOREAP | MINIPROC_CREATE_PIN,
			self->cpu, NULL);
	ASSERT_LT(0, pid);
	w.pid = pid;
	ASSERT_EQ(0, pthread_create(&t, NULL, watch_for_zombie, &w));
	fflush(NULL);
	busy = fork();
	ASSERT_LE(0, busy);
	if (busy == 0) {
		__u64 end = mp_now_ns() + SEC(20);	/* killed long before */

		while (mp_now_ns() < end)
			;	/* on self_cpu, inherited */
		_exit(0);
	}
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_IDLE, &idle));
	EXPECT_EQ(0, mp_destroy_wait(self->fd, pid, &exit));
	kill(busy, SIGKILL);
	waitpid(busy, NULL, 0);
	__atomic_store_n(&w.stop, true, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_join(t, NULL));
	close(w.fd);
	expect_killed(_metadata, &exit);
	EXPECT_EQ(0, w.zombies)
		TH_LOG("STATUS showed the autoreap process as a zombie %d times", w.zombies);
}

/* --- while it cannot run ---------------------------------------------------- */

/*
 * A SCHED_FIFO hog on the process's CPU keeps it from reaching a safe
 * point, so a DESTROY_WAIT blocks until the alarm interrupts it.
 */
static void interrupt_destroy_wait(struct __test_metadata *_metadata,
				   FIXTURE_DATA(destroy) *self, __u32 flags,
				   int *pid)
{
	static const struct miniproc_op spin[] = {
		OP_FOREVER, OP_CPU(MSEC(1)), OP_END,
	};
	struct miniproc_info info;
	pid_t hog;

	*pid = mp_create(self->fd, "victim", spin, ARRAY_SIZE(spin), MINIPROC_CREATE_PIN | flags,
			 self->cpu, NULL);
	ASSERT_LT(0, *pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, *pid, MINIPROC_RUNNING, NULL, &info));
	hog = mp_hog_start(self->cpu, 600);
	ASSERT_LT(0, hog) TH_LOG("cannot run a SCHED_FIFO task: %d", hog);
	ASSERT_EQ(0, mp_alarm_ms(150));
	EXPECT_EQ(-EINTR, mp_destroy_wait(self->fd, *pid, NULL));
	/* Killed, but not yet ended: it has not run since. */
	EXPECT_EQ(0, mp_status(self->fd, *pid, &info));
	EXPECT_EQ(MINIPROC_RUNNABLE, info.state);
	EXPECT_TRUE(info.flags & MINIPROC_INFO_KILLED);
	EXPECT_EQ(0, mp_hog_finish(hog));
}

TEST_F(destroy, signal_interrupts_wait_flag_and_leaves_it_killed)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	int pid;

	REQUIRE_TWO_CPUS();
	REQUIRE_ROOT();
	interrupt_destroy_wait(_metadata, self, 0, &pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, info.exit_status);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	expect_killed(_metadata, &exit);
}

TEST_F(destroy, signal_interrupts_wait_flag_and_autoreap_still_reaps)
{
	int used = mp_nr_used(self->fd);
	int pid;

	REQUIRE_TWO_CPUS();
	REQUIRE_ROOT();
	interrupt_destroy_wait(_metadata, self, MINIPROC_CREATE_AUTOREAP, &pid);
	expect_vanishes(_metadata, self->fd, pid);
	/* Its slot is freed soon after, by the module. */
	EXPECT_EQ(0, mp_poll_nr_used(self->fd, used));
}

TEST_HARNESS_MAIN
