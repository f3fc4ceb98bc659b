// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of struct miniproc_info, proven against the kernel's own
 * records of the same kthread (the tid STATUS gives):
 *
 *   ours                     the kernel's
 *   nvcsw                    voluntary_ctxt_switches     /proc/<tid>/status
 *   nivcsw                   nonvoluntary_ctxt_switches  /proc/<tid>/status
 *   nr_sched_in              timeslices (pcount)         /proc/<tid>/schedstat
 *                            (which may miss a few: see expect_timeslices())
 *   runtime_ns               run time (sum_exec_runtime) /proc/<tid>/schedstat
 *   time RUNNABLE (events)   wait time (run_delay)       /proc/<tid>/schedstat
 *   cpu                      processor                   /proc/<tid>/stat
 *
 * for a CPU-bound, a sleeping, a yielding and two competing programs, each
 * pinned to a CPU where nothing else of ours runs. Both sides are read
 * while the process is frozen (suspended), so that neither moves meanwhile.
 * What each comparison allows, and why, is said where it is made: anything
 * beyond that is a bug in miniproc.
 */
#include "miniproc_util.h"

#define RUN_MS		300
#define NR_MAX		2
#define LOG_MAX		32768

/* What the kernel says of a task. */
struct kernel_view {
	__u64 nvcsw, nivcsw;		/* /proc/<tid>/status */
	__u64 runtime_ns;		/* /proc/<tid>/schedstat */
	__u64 run_delay_ns;
	__u64 timeslices;
	int cpu;			/* /proc/<tid>/stat */
};

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int read_kernel_view(int tid, struct kernel_view *k)
{
	char path[64], buf[4096], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "\nvoluntary_ctxt_switches:");
	if (!p || sscanf(p, "\nvoluntary_ctxt_switches: %llu", &k->nvcsw) != 1)
		return -1;
	p = strstr(buf, "\nnonvoluntary_ctxt_switches:");
	if (!p || sscanf(p, "\nnonvoluntary_ctxt_switches: %llu", &k->nivcsw) != 1)
		return -1;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", tid);
	if (read_file(path, buf, sizeof(buf)) ||
	    sscanf(buf, "%llu %llu %llu", &k->runtime_ns, &k->run_delay_ns,
		   &k->timeslices) != 3)
		return -1;

	/* Field 39; the name before it, in parentheses, may hold spaces. */
	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	p = strrchr(buf, ')');	/* the end of field 2 */
	for (i = 2; i < 39 && p; i++)
		p = strchr(p + 1, ' ');
	return p && sscanf(p, " %d", &k->cpu) == 1 ? 0 : -1;
}

/* One process seen from both sides at a frozen moment. */
struct view {
	struct miniproc_info ours;
	struct kernel_view kernel;
};

/* What the event stream says of one process over a stretch of time. */
struct times {
	__u64 running;		/* RUNNING */
	__u64 runnable;		/* RUNNABLE */
	__u64 woken;		/* RUNNABLE after a wakeup, not after a preemption */
};

static struct miniproc_event ev_log[LOG_MAX];

FIXTURE(counters) {
	int fd;
	int floor;
	int self_cpu;
	int cpu;		/* where the programs run */
	int nr;
	int pid[NR_MAX];
	int stream;		/* every event since before the first was created */
	int nr_events;
	struct view v[NR_MAX];
};

FIXTURE_VARIANT(counters) {
	struct miniproc_op prog[6];
	__u32 len;
	int nr;			/* instances, all on one CPU */
};

/* cpu:1ms again and again, alone on its CPU: hardly ever switched out. */
FIXTURE_VARIANT_ADD(counters, cpu_bound) {
	.prog = { OP_FOREVER, OP_CPU(MSEC(1)), OP_END }, .len = 3, .nr = 1,
};

/* Mostly asleep: a voluntary switch, and a wakeup onto an idle CPU, a round. */
FIXTURE_VARIANT_ADD(counters, sleeping) {
	.prog = { OP_FOREVER, OP_CPU(MSEC(1)), OP_SLEEP(MSEC(4)), OP_END },
	.len = 4, .nr = 1,
};

/* Two yielders on one CPU: each yield switches to the other, involuntarily. */
FIXTURE_VARIANT_ADD(counters, yielding) {
	.prog = { OP_FOREVER, OP_CPU(100000), OP_YIELD, OP_END },
	.len = 4, .nr = 2,
};

/* Two CPU-bound programs on one CPU: the scheduler preempts each in turn. */
FIXTURE_VARIANT_ADD(counters, competing) {
	.prog = { OP_FOREVER, OP_CPU(MSEC(1)), OP_END }, .len = 3, .nr = 2,
};

/* Read what the stream has into ev_log. */
static void drain(FIXTURE_DATA(counters) *self)
{
	int n;

	while (self->nr_events < LOG_MAX &&
	       (n = mp_read_events(self->stream, ev_log + self->nr_events,
				   LOG_MAX - self->nr_events)) > 0)
		self->nr_events += n;
}

/* Let the programs run for @ms, reading the stream meanwhile. */
static void run_for(FIXTURE_DATA(counters) *self, unsigned int ms)
{
	struct pollfd pfd = { .fd = self->stream, .events = POLLIN };
	__u64 end = mp_now_ns() + MSEC(ms);

	while (mp_now_ns() < end) {
		poll(&pfd, 1, 20);
		drain(self);
	}
}

FIXTURE_SETUP(counters)
{
	int i;

	self->stream = -1;
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	if (mp_pick_cpus(&self->self_cpu, &self->cpu))
		SKIP(return, "needs two CPUs");
	if (access("/proc/self/schedstat", R_OK))
		SKIP(return, "no /proc/<pid>/schedstat (CONFIG_SCHED_INFO)");
	ASSERT_EQ(0, mp_pin_self(self->self_cpu));
	self->stream = mp_open_stream(0, true);
	ASSERT_LE(0, self->stream);
	self->nr = variant->nr;
	for (i = 0; i < self->nr; i++) {
		self->pid[i] = mp_create(self->fd, "counted", variant->prog, variant->len, MINIPROC_CREATE_PIN,
					 self->cpu, NULL);
		ASSERT_LT(0, self->pid[i]);
	}
}

FIXTURE_TEARDOWN(counters)
{
	if (self->stream >= 0)
		close(self->stream);
	mp_fixture_teardown(self->fd, self->floor);
}

/*
 * Suspend every instance, then read both sides of each. Stopping is a
 * voluntary switch of the kthread (it blocks, SLEEPING on "suspended"),
 * and resuming a wakeup: both sides see them alike.
 */
static void freeze_and_read(struct __test_metadata *_metadata,
			    FIXTURE_DATA(counters) *self)
{
	int i;

	for (i = 0; i < self->nr; i++)
		ASSERT_EQ(0, mp_suspend(self->fd, self->pid[i]));
	for (i = 0; i < self->nr; i++) {
		struct view *v = &self->v[i];

		ASSERT_EQ(0, mp_status(self->fd, self->pid[i], &v->ours));
		ASSERT_EQ(MINIPROC_INFO_SUSPENDED | MINIPROC_INFO_PINNED,
			  v->ours.flags);
		ASSERT_LT(0, v->ours.tid);
		ASSERT_EQ(0, read_kernel_view(v->ours.tid, &v->kernel));
	}
	drain(self);
	ASSERT_GT(LOG_MAX, self->nr_events) TH_LOG("too many events to keep");
	for (i = 0; i < self->nr_events; i++)
		ASSERT_EQ(0, ev_log[i].lost);
}

/* Time @pid spent in each state by the events from index @from on. */
static struct times times_of(FIXTURE_DATA(counters) *self, int pid, int from)
{
	struct times t = {};
	__u64 since = 0;
	bool woken = false;
	int i;

	for (i = from; i < self->nr_events; i++) {
		const struct miniproc_event *e = &ev_log[i];

		if (e->pid != pid)
			continue;
		if (since && e->prev_state == MINIPROC_RUNNING)
			t.running += e->time_ns - since;
		if (since && e->prev_state == MINIPROC_RUNNABLE) {
			t.runnable += e->time_ns - since;
			if (woken)
				t.woken += e->time_ns - since;
		}
		woken = e->prev_state == MINIPROC_SLEEPING ||
			e->prev_state == MINIPROC_EMBRYO;
		since = e->time_ns;
	}
	return t;
}

/*
 * Times are compared within 1% plus 10 ms plus 10 us a timeslice. The two
 * sides read their clocks at different points of each switch: the kernel
 * at __schedule()'s update of the runqueue clock, before the switch, we in
 * the preempt notifiers around it, and a switch takes microseconds in the
 * emulated VM (10 us a timeslice). The runqueue clock also lags: after a
 * wakeup asks for a switch, the kernel skips the next update
 * (rq_clock_skip_update() in wakeup_preempt(), check_preempt_curr() on
 * 6.1), and a kthread switches only at its next safe point
 * (PREEMPT_VOLUNTARY), up to 1 ms later. And the VM's CPUs are emulated:
 * one may stand still for milliseconds between the two sides' readings
 * while the host runs something else: on a host busy with two more VMs,
 * the yielding processes' run time differed by 19.7 ms where 5 ms of this
 * allowed 18.7 ms (2026-12-03), hence 10 ms.
 */
static __u64 slack(__u64 total_ns, __u64 timeslices)
{
	/* A debug kernel (KASAN, lockdep) takes several times longer a switch. */
	return total_ns / 100 + mp_slowdown() * (MSEC(10) + timeslices * 10000);
}

#define EXPECT_WITHIN(lo, diff, hi, what) \
	EXPECT_TRUE((diff) >= -(long long)(lo) && (diff) <= (long long)(hi)) \
		TH_LOG("%s: %lld ns, allowed %lld to %lld", what, (long long)(diff), \
		       -(long long)(lo), (long long)(hi))

/*
 * Run time and wait time of one process over a stretch: ours (counter,
 * and the event stream) against the kernel's (deltas of @k0 to @k).
 */
static void expect_times(struct __test_metadata *_metadata,
			 const struct times *t, __u64 ours_runtime,
			 __u64 k_runtime, __u64 k_delay, __u64 timeslices)
{
	__u64 s = slack(k_runtime + k_delay, timeslices);

	/* How long it was not asleep: the same on both sides. */
	EXPECT_WITHIN(s, (long long)(k_runtime + k_delay) -
		      (long long)(t->running + t->runnable), s, "time not asleep");
	/*
	 * Its run time, but for one thing: a task woken onto an idle CPU is
	 * charged from its wakeup (the update skipped, as above), while we
	 * count it RUNNABLE until it is on the CPU: the kernel's run time
	 * may exceed ours, and its wait time fall short of ours, by that.
	 */
	EXPECT_WITHIN(s, (long long)k_runtime - (long long)ours_runtime,
		      t->woken + s, "kernel's run time - ours");
	EXPECT_WITHIN(s, (long long)t->runnable - (long long)k_delay,
		      t->woken + s, "our wait time - the kernel's");
	/* The counter and the stream are stamped by the same hooks. */
	EXPECT_WITHIN(s, (long long)t->running - (long long)ours_runtime, s,
		      "run time by the events - the counter");
}

/*
 * Timeslices: our sched-ins against the kernel's pcount. The kernel's count
 * misses one case: a task preempted after it set a sleeping state but
 * before it called schedule() stays queued, yet sched_info_depart() stamps
 * its wait only if task_is_running(), and sched_info_arrive() counts only
 * a stamped arrival (kernel/sched/stats.h): it runs again without a counted
 * timeslice, while our notifier sees that switch-in. Full preemption (the
 * debug kernels) makes the window reachable. Each such stint follows an
 * involuntary switch, so the kernel's count may fall short of ours by at
 * most the involuntary switches, and never exceed it.
 */
static void expect_timeslices(struct __test_metadata *_metadata, __u64 ours,
			      __u64 kernel, __u64 nivcsw)
{
	EXPECT_LE(kernel, ours) TH_LOG("timeslices: the kernel's %llu, ours %llu",
				       (unsigned long long)kernel,
				       (unsigned long long)ours);
	EXPECT_GE(kernel + nivcsw, ours) TH_LOG("timeslices: the kernel's %llu, ours %llu, %llu involuntary",
						(unsigned long long)kernel,
						(unsigned long long)ours,
						(unsigned long long)nivcsw);
}

/*
 * From creation on, the kernel has seen more of the kthread than we have:
 * it was created, ran and slept (one voluntary switch and one timeslice)
 * before the wakeup that starts the program, and until the program
 * registered its notifier nothing could tell us of a preemption (s of
 * them, counted involuntary and as timeslices). s is almost always 0:
 * that stretch lasts microseconds. Past that, every count is equal.
 */
TEST_F(counters, agree_with_the_kernels_but_for_the_start_up)
{
	int i;

	run_for(self, RUN_MS);
	freeze_and_read(_metadata, self);
	for (i = 0; i < self->nr; i++) {
		const struct miniproc_info *o = &self->v[i].ours;
		const struct kernel_view *k = &self->v[i].kernel;
		struct times t = times_of(self, o->pid, 0);
		long long s = (long long)k->nivcsw - (long long)o->nivcsw;

		EXPECT_EQ(o->nvcsw + 1, k->nvcsw);
		EXPECT_TRUE(s >= 0 && s <= 2) TH_LOG("nivcsw %llu, the kernel's %llu",
						     o->nivcsw, k->nivcsw);
		expect_timeslices(_metadata, o->nr_sched_in + 1 + s, k->timeslices,
				  k->nivcsw);
		EXPECT_EQ(o->cpu, k->cpu);
		/* The start-up ran for microseconds: within the slack. */
		expect_times(_metadata, &t, o->runtime_ns, k->runtime_ns,
			     k->run_delay_ns, k->timeslices);
	}
}

/* Between two frozen moments, the start-up is behind both: all equal. */
TEST_F(counters, agree_with_the_kernels_exactly_between_two_freezes)
{
	struct view before[NR_MAX];
	int i, from;

	run_for(self, 50);
	freeze_and_read(_metadata, self);
	memcpy(before, self->v, sizeof(before));
	from = self->nr_events;
	for (i = 0; i < self->nr; i++)
		ASSERT_EQ(0, mp_resume(self->fd, self->pid[i]));
	run_for(self, RUN_MS);
	freeze_and_read(_metadata, self);
	for (i = 0; i < self->nr; i++) {
		const struct miniproc_info *o0 = &before[i].ours, *o = &self->v[i].ours;
		const struct kernel_view *k0 = &before[i].kernel, *k = &self->v[i].kernel;
		struct times t = times_of(self, o->pid, from);

		EXPECT_EQ(k->nvcsw - k0->nvcsw, o->nvcsw - o0->nvcsw);
		EXPECT_EQ(k->nivcsw - k0->nivcsw, o->nivcsw - o0->nivcsw);
		expect_timeslices(_metadata, o->nr_sched_in - o0->nr_sched_in,
				  k->timeslices - k0->timeslices,
				  k->nivcsw - k0->nivcsw);
		EXPECT_EQ(k->cpu, o->cpu);
		expect_times(_metadata, &t, o->runtime_ns - o0->runtime_ns,
			     k->runtime_ns - k0->runtime_ns,
			     k->run_delay_ns - k0->run_delay_ns,
			     k->timeslices - k0->timeslices);
	}
}

TEST_HARNESS_MAIN
