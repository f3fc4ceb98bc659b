// SPDX-License-Identifier: GPL-2.0
/*
 * The module's whole life, again and again: 100 cycles of load, processes
 * in every state (running, runnable, sleeping, suspended, zombie, a family
 * with a zombie child and a sleeping one, an orphan init holds, autoreap,
 * another user's), then unload. In each cycle:
 *  - rmmod with a file open is refused, and so is it while another thread
 *    is blocked in WAIT on a file this thread has closed; that WAIT goes on
 *    and returns cleanly when its process ends;
 *  - a signal interrupts every blocking call with EINTR: WAIT, DESTROY
 *    with WAIT and SUSPEND (on a process a SCHED_FIFO hog keeps off its
 *    CPU), read() of the event stream and poll(); the requests that stand
 *    (the kill, the suspension) are carried out once the process runs;
 *  - after unload no kthread of the module is left, /dev/miniproc and
 *    /sys/module/miniproc are gone.
 * The module is loaded again at the end with its default parameters.
 */
#include "miniproc_util.h"

#include <pthread.h>

#define CYCLES		100

static const struct miniproc_op spin[] = { OP_FOREVER, OP_CPU(MSEC(1)), OP_END };

/* --- signals ------------------------------------------------------------- */

/*
 * Interrupt a blocking call made by this thread: a helper thread sends it
 * SIGUSR1 (handled, without SA_RESTART) every 2 ms until the call
 * returns. A signal that comes before the call blocks is handled and
 * forgotten; the next one interrupts it.
 */
struct pester {
	pthread_t target;
	pthread_t thread;
	int stop;
};

static void *pester_thread(void *arg)
{
	struct pester *p = arg;

	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
		pthread_kill(p->target, SIGUSR1);
		usleep(2000);
	}
	return NULL;
}

static int pester_start(struct pester *p)
{
	struct sigaction sa = { .sa_handler = mp_on_signal };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return -errno;
	p->target = pthread_self();
	p->stop = 0;
	return -pthread_create(&p->thread, NULL, pester_thread, p);
}

static void pester_stop(struct pester *p)
{
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
	pthread_join(p->thread, NULL);
}

/* --- the blocked waiter on a closed file ---------------------------------- */

struct waiter {
	int fd;
	int pid;
	int ret;
	struct miniproc_exit_info exit;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->ret = mp_waitpid(w->fd, w->pid, &w->exit);
	return NULL;
}

static int waiter_tid;

static void *wait_thread_tid(void *arg)
{
	__atomic_store_n(&waiter_tid, mp_gettid(), __ATOMIC_RELEASE);
	return wait_thread(arg);
}

/* --- one cycle ------------------------------------------------------------ */

FIXTURE(lifecycle) {
	int self_cpu;
	int cpu;
};

FIXTURE_SETUP(lifecycle)
{
	self->self_cpu = self->cpu = -1;
}

/* Whatever happened, leave the module loaded, with default parameters. */
FIXTURE_TEARDOWN(lifecycle)
{
	mp_hog_restore();
	if (!mp_module_loaded())
		mp_load_module("");
}

static bool has_run(const struct miniproc_info *info, const void *arg)
{
	(void)arg;
	return info->nr_sched_in > 0;
}

static bool forked_at_least(const struct miniproc_info *info, const void *arg)
{
	return info->nr_forks >= *(const __u64 *)arg;
}

static int child_leave_process(int fd, void *arg)
{
	(void)arg;
	return mp_spawn(fd, "nobodys", OP_SLEEP(SEC(3600))) < 0;
}

/* Processes in every state; returns the sleeper's pid in *sleeper. */
static void populate(struct __test_metadata *_metadata, int fd, int cpu,
		     int *sleeper, int *running, int *zombie_out)
{
	const __u64 two = 2;
	struct miniproc_info info;
	int pid, a, b, zombie, orphaner;

	/* RUNNING and RUNNABLE: two spinners sharing one CPU. */
	a = mp_create(fd, "running", spin, ARRAY_SIZE(spin), MINIPROC_CREATE_PIN, cpu, NULL);
	b = mp_create(fd, "runnable", spin, ARRAY_SIZE(spin), MINIPROC_CREATE_PIN, cpu, NULL);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	*running = a;
	*sleeper = mp_spawn(fd, "sleeping", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, *sleeper);
	pid = mp_create(fd, "suspended", spin, ARRAY_SIZE(spin), 0, 0, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_suspend(fd, pid));
	zombie = mp_spawn(fd, "zombie", OP_EXIT(3));
	ASSERT_LT(0, zombie);
	/* A parent holding a zombie child and a sleeping one. */
	pid = mp_spawn(fd, "holder", OP_FORK, OP_EXIT(2), OP_END,
		       OP_FORK, OP_SLEEP(SEC(3600)), OP_END, OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll(fd, pid, forked_at_least, &two, MP_POLL_MS, &info));
	/* A parent that ended at once: its child is init's. */
	orphaner = mp_spawn(fd, "orphaner", OP_FORK, OP_SLEEP(SEC(3600)), OP_END,
			    OP_EXIT(0));
	ASSERT_LT(0, orphaner);
	ASSERT_LT(0, mp_spawn_autoreap(fd, "autoreap", OP_SLEEP(SEC(3600))));
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_leave_process, NULL));

	ASSERT_EQ(0, mp_poll(fd, a, has_run, NULL, MP_POLL_MS, &info));
	ASSERT_EQ(0, mp_poll(fd, b, has_run, NULL, MP_POLL_MS, &info));
	ASSERT_EQ(0, mp_poll_state(fd, *sleeper, MINIPROC_SLEEPING, "sleep", &info));
	ASSERT_EQ(0, mp_poll_state(fd, zombie, MINIPROC_ZOMBIE, NULL, &info));
	*zombie_out = zombie;
	ASSERT_EQ(0, mp_poll_state(fd, orphaner, MINIPROC_ZOMBIE, NULL, &info));
}

/*
 * A signal interrupts every blocking call with EINTR, and what stands
 * after it (the kill, the suspension) is done once the process runs.
 */
static void interrupt_every_blocking_call(struct __test_metadata *_metadata,
					  int fd, int cpu, int sleeper,
					  int running, int zombie)
{
	struct pollfd pfd;
	struct miniproc_event ev = { 0 };
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	struct pester pester;
	int victim, stream, got, ret;
	pid_t hog;

	/* WAIT on a sleeping process, and on a running one. */
	ASSERT_EQ(0, pester_start(&pester));
	got = sleeper;
	EXPECT_EQ(-EINTR, mp_wait(fd, &got, 0, 0, NULL));
	got = running;
	EXPECT_EQ(-EINTR, mp_wait(fd, &got, 0, 0, NULL));
	pester_stop(&pester);
	ASSERT_EQ(0, mp_status(fd, sleeper, &info));
	EXPECT_EQ(MINIPROC_SLEEPING, info.state);

	/* read() and poll() of a stream that has nothing to say: a zombie's. */
	stream = mp_open_stream(zombie, false);
	ASSERT_LE(0, stream);
	ASSERT_EQ(0, pester_start(&pester));
	ret = mp_read_events(stream, &ev, 1);
	EXPECT_EQ(-EINTR, ret) TH_LOG("event: pid %d %s -> %s", ev.pid,
				      mp_state_name(ev.prev_state),
				      mp_state_name(ev.next_state));
	pfd = (struct pollfd){ .fd = stream, .events = POLLIN };
	EXPECT_EQ(-1, poll(&pfd, 1, -1));
	EXPECT_EQ(EINTR, errno);
	pester_stop(&pester);
	close(stream);

	/* SUSPEND and DESTROY with WAIT of a process that cannot run. */
	victim = mp_create(fd, "victim", spin,
			   ARRAY_SIZE(spin), MINIPROC_CREATE_PIN, cpu, NULL);
	ASSERT_LT(0, victim);
	ASSERT_EQ(0, mp_poll(fd, victim, has_run, NULL, MP_POLL_MS, &info));
	hog = mp_hog_start(cpu, 5000);
	ASSERT_LT(0, hog) TH_LOG("cannot run a SCHED_FIFO task: %d", hog);
	ASSERT_EQ(0, pester_start(&pester));
	EXPECT_EQ(-EINTR, mp_suspend(fd, victim));
	EXPECT_EQ(-EINTR, mp_destroy_wait(fd, victim, NULL));
	pester_stop(&pester);
	EXPECT_EQ(0, mp_status(fd, victim, &info));
	EXPECT_TRUE(info.flags & MINIPROC_INFO_KILLED);
	EXPECT_NE(MINIPROC_ZOMBIE, info.state);
	kill(hog, SIGKILL);
	while (waitpid(hog, NULL, 0) < 0 && errno == EINTR)
		;
	mp_hog_restore();
	/* The kill stands and wins over the suspension: it ends killed. */
	EXPECT_EQ(victim, mp_waitpid(fd, victim, &exit));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, exit.exit_status);
	EXPECT_EQ(MINIPROC_EXIT_KILLED, exit.flags);
}

/*
 * Another thread blocks in WAIT on a file this thread then closes: the
 * file lives on in the WAIT (and keeps the module), which returns cleanly
 * once the process ends.
 */
static void close_under_a_blocked_wait(struct __test_metadata *_metadata,
				       int fd, int sleeper)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	struct waiter w = { .pid = sleeper };
	pthread_t t;
	int tid;

	w.fd = mp_open();
	ASSERT_LE(0, w.fd);
	__atomic_store_n(&waiter_tid, 0, __ATOMIC_RELEASE);
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_thread_tid, &w));
	while (!(tid = __atomic_load_n(&waiter_tid, __ATOMIC_ACQUIRE)) ||
	       !mp_thread_blocked(tid)) {
		ASSERT_GT(deadline, mp_now_ns());
		usleep(1000);
	}
	EXPECT_EQ(0, close(w.fd));
	close(fd);
	/* The blocked WAIT's file still holds the module. */
	EXPECT_EQ(-EWOULDBLOCK, mp_delete_module(O_NONBLOCK));
	fd = mp_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, mp_destroy(fd, sleeper, 0, NULL));
	close(fd);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(sleeper, w.ret);
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, w.exit.exit_status);
}

static void one_cycle(struct __test_metadata *_metadata, int cpu, int cycle)
{
	struct miniproc_version v;
	int fd, sleeper, running, zombie, n, tids[128];

	ASSERT_EQ(0, mp_load_module("")) TH_LOG("cycle %d: insmod", cycle);
	ASSERT_EQ(0, access(MINIPROC_DEVICE, F_OK));
	fd = mp_open();
	ASSERT_LE(0, fd);
	populate(_metadata, fd, cpu, &sleeper, &running, &zombie);
	if (MP_TEST_FAILED(_metadata))
		return;

	/* A file open: rmmod is refused, and nothing changes. */
	EXPECT_EQ(-EWOULDBLOCK, mp_delete_module(O_NONBLOCK));
	EXPECT_TRUE(mp_module_loaded());
	ASSERT_EQ(0, mp_version(fd, &v));
	EXPECT_EQ(12, v.nr_used);

	interrupt_every_blocking_call(_metadata, fd, cpu, sleeper, running,
				      zombie);
	if (MP_TEST_FAILED(_metadata))
		return;
	/* Every one has its kthread but the zombies, and so has init. */
	EXPECT_LE(10, mp_kthreads(tids, ARRAY_SIZE(tids)));
	close_under_a_blocked_wait(_metadata, fd, sleeper);
	if (MP_TEST_FAILED(_metadata))
		return;

	ASSERT_EQ(0, mp_delete_module(O_NONBLOCK)) TH_LOG("cycle %d: rmmod", cycle);
	EXPECT_FALSE(mp_module_loaded());
	EXPECT_EQ(-1, access(MINIPROC_DEVICE, F_OK));
	n = mp_kthreads_gone(tids, ARRAY_SIZE(tids));
	EXPECT_EQ(0, n) TH_LOG("cycle %d: %d miniproc kthreads left, e.g. tid %d",
			       cycle, n, tids[0]);
}

TEST_F_TIMEOUT(lifecycle, load_populate_unload_100_times, 3600)
{
	__u64 start = mp_now_ns();
	int i;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	if (!getenv("MINIPROC_KO"))
		SKIP(return, "set MINIPROC_KO to miniproc.ko to reload it");
	if (!mp_module_loaded())
		SKIP(return, "miniproc is built in");
	if (mp_pick_cpus(&self->self_cpu, &self->cpu))
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, mp_pin_self(self->self_cpu));
	ASSERT_EQ(0, mp_delete_module(O_NONBLOCK));

	for (i = 0; i < CYCLES && !MP_TEST_FAILED(_metadata); i++)
		one_cycle(_metadata, self->cpu, i);
	EXPECT_EQ(CYCLES, i);
	ksft_print_msg("%d cycles of load, populate, unload in %llu ms\n", i,
		       (unsigned long long)(mp_now_ns() - start) / NSEC_PER_MSEC);
	if (!MP_TEST_FAILED(_metadata))
		ksft_print_msg("FIGURE lifecycle cycles: %d, no kthread left\n", i);

	if (!mp_module_loaded())
		ASSERT_EQ(0, mp_load_module(""));
}

TEST_HARNESS_MAIN
