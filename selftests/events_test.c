// SPDX-License-Identifier: GPL-2.0
/*
 * What the event stream says: one program's events are exactly what its
 * program does, in order, from UNUSED->EMBRYO to ZOMBIE->UNUSED, with the
 * right pid, name, CPU, wait channel, rising sequence numbers and times;
 * SUSPEND and DESTROY show as they should, flagged; EVENT_FILTER keeps one
 * process's events, 0 every process's, and refuses a negative pid. (How
 * the stream is read is in events_read_test; EVENT_FILTER's size rules in
 * abi_test.)
 *
 * The test runs on one CPU and pins the processes it watches to the other,
 * where nothing else of ours runs.
 */
#include "miniproc_util.h"

#include <limits.h>

static struct mp_event_log log_a, log_b, mine;

/*
 * @pid's events from @log into @out, in order, less what its program did
 * not ask for: preemptions (a kernel thread waking on its CPU shows as
 * RUNNING->RUNNABLE->RUNNING, counted in nivcsw) and waits for the table
 * lock (RUNNING->SLEEPING on "lock", then RUNNABLE and RUNNING again: the
 * rule on debug kernels, whose mutexes do not spin). Returns how many
 * preemptions.
 */
static int own_events(const struct mp_event_log *log, int pid, struct mp_event_log *out)
{
	int i, preempted = 0, lock_wait = 0;

	out->n = 0;
	for (i = 0; i < log->n; i++) {
		const struct miniproc_event *e = &log->ev[i];

		if (e->pid != pid)
			continue;
		if (e->next_state == MINIPROC_SLEEPING && !strcmp(e->chan, "lock")) {
			lock_wait = 1;
			continue;
		}
		if (lock_wait && e->prev_state == MINIPROC_SLEEPING &&
		    e->next_state == MINIPROC_RUNNABLE)
			continue;
		if (lock_wait && e->prev_state == MINIPROC_RUNNABLE &&
		    e->next_state == MINIPROC_RUNNING) {
			lock_wait = 0;
			continue;
		}
		if (out->n && e->prev_state == MINIPROC_RUNNABLE &&
		    e->next_state == MINIPROC_RUNNING &&
		    out->ev[out->n - 1].next_state == MINIPROC_RUNNABLE &&
		    out->ev[out->n - 1].prev_state == MINIPROC_RUNNING) {
			out->n--;
			preempted++;
			continue;
		}
		out->ev[out->n++] = *e;
	}
	return preempted;
}

struct transition {
	__u32 prev, next;
	const char *chan;
};

#define T(p, n)		{ MINIPROC_##p, MINIPROC_##n, "" }
#define STARTS		T(UNUSED, EMBRYO), T(EMBRYO, RUNNABLE), T(RUNNABLE, RUNNING)
#define SLEEPS(chan)	{ MINIPROC_RUNNING, MINIPROC_SLEEPING, chan }, \
			T(SLEEPING, RUNNABLE), T(RUNNABLE, RUNNING)
#define ENDS		T(RUNNING, ZOMBIE), T(ZOMBIE, UNUSED)

/* @got's events are @want (ended by a zeroed one), each with @flags, @name. */
static void expect_transitions(struct __test_metadata *_metadata,
			       const struct mp_event_log *got,
			       const struct transition *want, __u32 flags,
			       const char *name)
{
	int i;

	for (i = 0; want[i].prev || want[i].next; i++) {
		const struct miniproc_event *e = &got->ev[i];

		ASSERT_GT(got->n, i) TH_LOG("only %d events, %s->%s missing", got->n,
					    mp_state_name(want[i].prev),
					    mp_state_name(want[i].next));
		EXPECT_STREQ(mp_state_name(want[i].prev), mp_state_name(e->prev_state))
			TH_LOG("event %d", i);
		EXPECT_STREQ(mp_state_name(want[i].next), mp_state_name(e->next_state))
			TH_LOG("event %d", i);
		EXPECT_STREQ(want[i].chan, e->chan) TH_LOG("event %d", i);
		EXPECT_EQ(flags, e->flags) TH_LOG("event %d", i);
		EXPECT_STREQ(name, e->name) TH_LOG("event %d", i);
		EXPECT_EQ(0, e->lost) TH_LOG("event %d", i);
		if (i) {
			EXPECT_LT(got->ev[i - 1].seq, e->seq) TH_LOG("event %d", i);
			EXPECT_LE(got->ev[i - 1].time_ns, e->time_ns) TH_LOG("event %d", i);
		}
	}
	EXPECT_EQ(i, got->n) TH_LOG("%d events more than the program's", got->n - i);
}

/* What every test here starts from. */
struct env {
	int fd;
	int floor;
	int self_cpu;
	int cpu;	/* where the watched processes run, -1 if no other CPU */
	int sleeper;	/* a process asleep for an hour, its events long past */
};

static void env_setup(struct __test_metadata *_metadata, struct env *env)
{
	struct miniproc_info info;

	log_a.n = log_b.n = mine.n = 0;
	mp_fixture_setup(_metadata, &env->fd, &env->floor);
	if (!mp_pick_cpus(&env->self_cpu, &env->cpu))
		ASSERT_EQ(0, mp_pin_self(env->self_cpu));
	env->sleeper = mp_spawn(env->fd, "sleeper", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, env->sleeper);
	ASSERT_EQ(0, mp_poll_state(env->fd, env->sleeper, MINIPROC_SLEEPING,
				   "sleep", &info));
}

#define EVENTS_FIXTURE(name)						\
	FIXTURE(name) {							\
		struct env env;						\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		env_setup(_metadata, &self->env);			\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		mp_fixture_teardown(self->env.fd, self->env.floor);	\
	}

EVENTS_FIXTURE(sequence);
EVENTS_FIXTURE(events);

#define REQUIRE_TWO_CPUS() do { \
	if (env->cpu < 0) \
		SKIP(return, "needs two CPUs"); \
} while (0)

/* Create @prog on env->cpu, read its events into log_a until it is reaped. */
static int run_watched(struct __test_metadata *_metadata, struct env *env,
		       int stream, const struct miniproc_op *prog, __u32 len,
		       struct miniproc_exit_info *exit)
{
	int pid = mp_create(env->fd, "watched",
			    prog, len, MINIPROC_CREATE_PIN, env->cpu, NULL);

	EXPECT_LT(0, pid);
	if (pid < 0)
		return pid;
	/* Only the stream is looked at while it runs: no lock it could wait on. */
	EXPECT_EQ(0, mp_read_until(stream, &log_a, pid, MINIPROC_ZOMBIE));
	EXPECT_EQ(pid, mp_waitpid(env->fd, pid, exit));
	EXPECT_EQ(0, mp_read_until(stream, &log_a, pid, MINIPROC_UNUSED));
	return pid;
}

/* --- one program's events ------------------------------------------------- */

FIXTURE_VARIANT(sequence) {
	struct miniproc_op prog[8];
	__u32 len;
	struct transition want[16];
	__u64 sleep_ns;		/* each sleep's least length */
};

FIXTURE_VARIANT_ADD(sequence, exit_3) {
	.prog = { OP_EXIT(3) }, .len = 1,
	.want = { STARTS, ENDS },
};

FIXTURE_VARIANT_ADD(sequence, sleep_10ms_exit_3) {
	.prog = { OP_SLEEP(MSEC(10)), OP_EXIT(3) }, .len = 2,
	.want = { STARTS, SLEEPS("sleep"), ENDS }, .sleep_ns = MSEC(10),
};

FIXTURE_VARIANT_ADD(sequence, twice_sleep_5ms) {
	.prog = { OP_LOOP(2), OP_SLEEP(MSEC(5)), OP_END }, .len = 3,
	.want = { STARTS, SLEEPS("sleep"), SLEEPS("sleep"), ENDS },
	.sleep_ns = MSEC(5),
};

/* Alone on its CPU, it is never switched out: using the CPU is no event. */
FIXTURE_VARIANT_ADD(sequence, cpu_5ms_alone) {
	.prog = { OP_CPU(MSEC(5)), OP_EXIT(0) }, .len = 2,
	.want = { STARTS, ENDS },
};

/* Alone on its CPU, a yield gives the CPU to no one. */
FIXTURE_VARIANT_ADD(sequence, yield_alone) {
	.prog = { OP_YIELD, OP_EXIT(0) }, .len = 2,
	.want = { STARTS, ENDS },
};

TEST_F(sequence, of_one_program_is_exactly_its_programs)
{
	struct env *env = &self->env;
	struct miniproc_exit_info exit;
	__u64 start = mp_now_ns(), end;
	int stream, pid, preempted, i;

	REQUIRE_TWO_CPUS();
	stream = mp_open_stream(0, true);
	ASSERT_LE(0, stream);
	pid = run_watched(_metadata, env, stream, variant->prog, variant->len, &exit);
	ASSERT_LT(0, pid);
	end = mp_now_ns();
	close(stream);

	preempted = own_events(&log_a, pid, &mine);
	expect_transitions(_metadata, &mine, variant->want, 0, "watched");
	EXPECT_EQ(exit.nivcsw, preempted);
	for (i = 0; i < mine.n; i++) {
		struct miniproc_event *e = &mine.ev[i];

		/* No CPU until it first runs, then its own. */
		EXPECT_EQ(i < 2 ? -1 : env->cpu, e->cpu) TH_LOG("event %d", i);
		EXPECT_LE(start, e->time_ns);
		EXPECT_GE(end, e->time_ns);
		/* A sleep ends its length after the run that began it. */
		if (e->prev_state == MINIPROC_SLEEPING)
			EXPECT_LE(mine.ev[i - 2].time_ns + variant->sleep_ns, e->time_ns)
				TH_LOG("sleep ending at event %d", i);
	}
}

/* --- control, as the stream shows it -------------------------------------- */

TEST_F(events, suspend_and_resume_show_a_stop_on_suspended)
{
	struct env *env = &self->env;
	static const struct transition stop[] = {
		T(SLEEPING, RUNNABLE), T(RUNNABLE, RUNNING),
		{ MINIPROC_RUNNING, MINIPROC_SLEEPING, "suspended" }, {}
	};
	static const struct transition go_on[] = {
		T(SLEEPING, RUNNABLE), T(RUNNABLE, RUNNING),
		{ MINIPROC_RUNNING, MINIPROC_SLEEPING, "sleep" }, {}
	};
	int stream = mp_open_stream(env->sleeper, true);

	ASSERT_LE(0, stream);
	ASSERT_EQ(0, mp_suspend(env->fd, env->sleeper));
	ASSERT_EQ(0, mp_drain_events(stream, &log_a));
	own_events(&log_a, env->sleeper, &mine);
	expect_transitions(_metadata, &mine, stop, MINIPROC_EVENT_SUSPENDED, "sleeper");

	/* It goes back to its sleep, which has an hour to go. */
	log_a.n = 0;
	ASSERT_EQ(0, mp_resume(env->fd, env->sleeper));
	ASSERT_EQ(0, mp_read_until(stream, &log_a, env->sleeper, MINIPROC_SLEEPING));
	own_events(&log_a, env->sleeper, &mine);
	expect_transitions(_metadata, &mine, go_on, 0, "sleeper");
	close(stream);
}

/*
 * SUSPEND of a zombie succeeds and changes nothing: no request is left set
 * to show in STATUS or in the flags of its last event, when it is reaped.
 */
TEST_F(events, suspend_of_a_zombie_leaves_no_request_behind)
{
	struct env *env = &self->env;
	struct miniproc_info info;
	const struct miniproc_event *last;
	int pid = mp_spawn(env->fd, "ends", OP_EXIT(4));
	int stream;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(env->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	stream = mp_open_stream(pid, true);
	ASSERT_LE(0, stream);
	ASSERT_EQ(0, mp_suspend(env->fd, pid));
	ASSERT_EQ(0, mp_status(env->fd, pid, &info));
	EXPECT_EQ(0, info.flags & MINIPROC_INFO_SUSPENDED);
	ASSERT_EQ(pid, mp_waitpid(env->fd, pid, NULL));
	ASSERT_EQ(0, mp_read_until(stream, &log_a, pid, MINIPROC_UNUSED));
	close(stream);
	last = &log_a.ev[log_a.n - 1];
	EXPECT_EQ(MINIPROC_ZOMBIE, last->prev_state);
	EXPECT_EQ(MINIPROC_UNUSED, last->next_state);
	EXPECT_EQ(0, last->flags & MINIPROC_EVENT_SUSPENDED) TH_LOG("flags %#x", last->flags);
}

TEST_F(events, destroy_shows_the_end_flagged_killed)
{
	struct env *env = &self->env;
	static const struct transition killed[] = {
		T(SLEEPING, RUNNABLE), T(RUNNABLE, RUNNING), ENDS, {}
	};
	int stream = mp_open_stream(env->sleeper, true);

	ASSERT_LE(0, stream);
	ASSERT_EQ(0, mp_destroy_wait(env->fd, env->sleeper, NULL));
	ASSERT_EQ(0, mp_drain_events(stream, &log_a));
	close(stream);
	own_events(&log_a, env->sleeper, &mine);
	expect_transitions(_metadata, &mine, killed, MINIPROC_EVENT_KILLED, "sleeper");
}

/* --- EVENT_FILTER ----------------------------------------------------------- */

TEST_F(events, filter_keeps_only_that_processs_events)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = { OP_SLEEP(MSEC(50)), OP_EXIT(1) };
	int all = mp_open_stream(0, true), one = mp_open_stream(0, true);
	int a, b, i, j;

	ASSERT_LE(0, all);
	ASSERT_LE(0, one);
	a = mp_create(env->fd, "a", prog, ARRAY_SIZE(prog), 0, 0, NULL);
	ASSERT_EQ(0, mp_event_filter(one, a));
	b = mp_create(env->fd, "b", prog, ARRAY_SIZE(prog), 0, 0, NULL);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	ASSERT_EQ(0, mp_read_until(all, &log_a, a, MINIPROC_ZOMBIE));
	ASSERT_EQ(0, mp_read_until(all, &log_a, b, MINIPROC_ZOMBIE));
	ASSERT_EQ(0, mp_drain_events(one, &log_b));
	ASSERT_LE(3, log_b.n);	/* its sleep's end and its exit, at least */
	for (i = 0; i < log_b.n; i++)
		EXPECT_EQ(a, log_b.ev[i].pid) TH_LOG("event %d", i);
	/*
	 * The same as the unfiltered file's for a, from where it began: all
	 * of them, preemptions and lock waits too (own_events() drops those).
	 */
	mine.n = 0;
	for (i = 0; i < log_a.n; i++)
		if (log_a.ev[i].pid == a)
			mine.ev[mine.n++] = log_a.ev[i];
	for (i = 0; i < mine.n && mine.ev[i].seq != log_b.ev[0].seq; i++)
		;
	ASSERT_EQ(log_b.n, mine.n - i);
	for (j = 0; j < log_b.n; j++)
		EXPECT_EQ(mine.ev[i + j].seq, log_b.ev[j].seq) TH_LOG("event %d", j);
	EXPECT_TRUE(mp_has_entered(&log_a, b, MINIPROC_ZOMBIE));
	close(all);
	close(one);
}

TEST_F(events, filter_zero_delivers_every_process_again)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = { OP_EXIT(1) };
	int stream = mp_open_stream(env->sleeper, true), pid;

	ASSERT_LE(0, stream);
	ASSERT_EQ(0, mp_event_filter(stream, 0));
	pid = mp_create(env->fd, "any", prog, 1, 0, 0, NULL);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, mp_read_until(stream, &log_a, pid, MINIPROC_ZOMBIE));
	close(stream);
}

TEST_F(events, filter_with_a_negative_pid_is_einval_and_changes_nothing)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = { OP_EXIT(1) };
	struct miniproc_event_filter f = { .size = sizeof(f) };
	const int pids[] = { -1, -2, INT_MIN };
	int stream = mp_open_stream(0, true), pid;
	size_t i;

	ASSERT_LE(0, stream);
	for (i = 0; i < ARRAY_SIZE(pids); i++) {
		f.pid = pids[i];
		EXPECT_EQ(-EINVAL, mp_ioctl(stream, MINIPROC_IOC_EVENT_FILTER, &f))
			TH_LOG("pid %d", pids[i]);
	}
	/* Still every process's. */
	pid = mp_create(env->fd, "any", prog, 1, 0, 0, NULL);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, mp_read_until(stream, &log_a, pid, MINIPROC_ZOMBIE));
	close(stream);
}

/* --- wait channels ----------------------------------------------------------- */

/*
 * A blocked mini-process always says on what. Forking starts a kthread
 * (kthread_create() waits for kthreadd), a wait op that reaps a child
 * stops that child's kthread (kthread_stop() waits for it to end), and
 * creating, exiting and reaping take the table lock: each of these
 * blocks the thread for real, so each must show in its SLEEPING event's
 * chan. Three parents fork and reap at once so that the lock is
 * contended too.
 */
TEST_F(events, every_sleep_names_its_wait_channel)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = {
		OP_LOOP(30), OP_FORK, OP_EXIT(0), OP_END, OP_WAIT, OP_END,
		OP_EXIT(0)
	};
	int stream = mp_open_stream(0, true), pids[3], sleeps = 0, unnamed = 0, i;
	const struct miniproc_event *ev;

	ASSERT_LE(0, stream);
	for (i = 0; i < 3; i++) {
		pids[i] = mp_create(env->fd, "forker", prog, ARRAY_SIZE(prog), 0, 0, NULL);
		ASSERT_LT(0, pids[i]);
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, mp_read_until(stream, &log_a, pids[i], MINIPROC_ZOMBIE));
	for (i = 0; i < log_a.n; i++) {
		ev = &log_a.ev[i];
		if (ev->next_state != MINIPROC_SLEEPING)
			continue;
		sleeps++;
		/* "kernel" names what the module does not: none of these. */
		if (ev->chan[0] && strcmp(ev->chan, "kernel"))
			continue;
		if (unnamed++ < 3)
			TH_LOG("pid %d (%s) slept from %s on \"%s\" (event %d of %d)",
			       ev->pid, ev->name, mp_state_name(ev->prev_state),
			       ev->chan, i, log_a.n);
	}
	EXPECT_EQ(0, unnamed) TH_LOG("of %d sleeps", sleeps);
	/* kthread_create() alone blocks: the test saw sleeps. */
	EXPECT_LT(0, sleeps);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(pids[i], mp_waitpid(env->fd, pids[i], NULL));
	close(stream);
}

TEST_HARNESS_MAIN
