// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the event stream: read() takes whole records (a count below one
 * is -EINVAL), blocks until an event comes, or says -EAGAIN when
 * O_NONBLOCK; poll(), select() and epoll say when there is something to
 * read, and not before; each open file has its own place in the shared
 * ring, from its first read, poll or filter, not from open; a reader that
 * falls a ring behind loses the oldest events and is told how many in
 * @lost (exactly without a filter, at most with one), without ever holding
 * the processes up; a buffer read() cannot write is -EFAULT and loses
 * nothing; records come in the size each reader asked for, old and new
 * readers side by side; a user's readers are bounded, and cost the kernel
 * little memory. (What the events say is in events_test.)
 */
#include "miniproc_util.h"

#include <assert.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/select.h>

#define EV_SIZE		sizeof(struct miniproc_event)

static struct mp_event_log log_a, log_b;

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

	log_a.n = log_b.n = 0;
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

EVENTS_FIXTURE(stream);
EVENTS_FIXTURE(readiness);

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

/* --- read() --------------------------------------------------------------- */

TEST_F(stream, read_below_one_record_is_einval_and_takes_nothing)
{
	struct env *env = &self->env;
	const size_t counts[] = { 0, 1, EV_SIZE - 1 };
	struct miniproc_event ev[2];
	struct pollfd pfd;
	size_t i;

	pfd.fd = mp_open_stream(0, true);
	pfd.events = POLLIN;
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(0, mp_destroy(env->fd, env->sleeper, 0, NULL));
	ASSERT_EQ(1, poll(&pfd, 1, MP_POLL_MS));
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		size_t count = counts[i];

		EXPECT_EQ(-1, read(pfd.fd, ev, count)) TH_LOG("count %zu", count);
		EXPECT_EQ(EINVAL, errno) TH_LOG("count %zu", count);
	}
	/* Half a record more than one: exactly one, the first. */
	ASSERT_EQ(EV_SIZE, read(pfd.fd, ev, EV_SIZE + EV_SIZE / 2));
	EXPECT_EQ(env->sleeper, ev[0].pid);
	EXPECT_EQ(MINIPROC_SLEEPING, ev[0].prev_state);
	close(pfd.fd);
}

TEST_F(stream, nonblocking_read_with_nothing_to_read_is_eagain)
{
	struct env *env = &self->env;
	struct miniproc_event ev;
	int stream = mp_open_stream(env->sleeper, true);

	ASSERT_LE(0, stream);
	EXPECT_EQ(-EAGAIN, mp_read_events(stream, &ev, 1));
	close(stream);
}

TEST_F(stream, buffer_starts_at_first_use_not_at_open)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = { OP_EXIT(0) };
	struct miniproc_event ev;
	int stream = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	int pid;

	ASSERT_LE(0, stream);
	pid = mp_create(env->fd, "before", prog, 1, 0, 0, NULL);
	ASSERT_EQ(pid, mp_waitpid(env->fd, pid, NULL));
	ASSERT_EQ(0, mp_event_filter(stream, 0));
	EXPECT_EQ(-EAGAIN, mp_read_events(stream, &ev, 1));
	close(stream);
}

struct blocked_reader {
	int stream;
	bool done;	/* __atomic */
	int n;		/* records read, or -errno */
	struct miniproc_event ev[8];
};

static void *read_blocking(void *arg)
{
	struct blocked_reader *r = arg;

	r->n = mp_read_events(r->stream, r->ev, ARRAY_SIZE(r->ev));
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	return NULL;
}

TEST_F(stream, blocking_read_returns_when_an_event_arrives)
{
	struct env *env = &self->env;
	struct blocked_reader r = { .stream = mp_open_stream(env->sleeper, false) };
	__u64 deadline;
	pthread_t t;

	ASSERT_LE(0, r.stream);
	ASSERT_EQ(0, pthread_create(&t, NULL, read_blocking, &r));
	mp_sleep_ms(300);
	EXPECT_FALSE(__atomic_load_n(&r.done, __ATOMIC_ACQUIRE));
	ASSERT_EQ(0, mp_destroy(env->fd, env->sleeper, 0, NULL));
	deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	while (!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE) && mp_now_ns() < deadline)
		usleep(1000);
	if (!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE)) {
		/* Unblock it to end the test: the signal interrupts read(). */
		signal(SIGUSR1, mp_on_signal);
		pthread_kill(t, SIGUSR1);
	}
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_LT(0, r.n) TH_LOG("read: %d", r.n);
	EXPECT_EQ(env->sleeper, r.ev[0].pid);
	EXPECT_EQ(MINIPROC_SLEEPING, r.ev[0].prev_state);
	EXPECT_EQ(MINIPROC_RUNNABLE, r.ev[0].next_state);
	close(r.stream);
}

/*
 * A reader blocked in read() holds the file's read lock while it waits; a
 * non-blocking read() of the same file then says -EAGAIN at once, instead
 * of queueing behind it (and turning a signal into -EINTR).
 */
TEST_F(stream, nonblocking_read_beside_a_blocked_reader_is_eagain)
{
	struct env *env = &self->env;
	struct blocked_reader r = { .stream = mp_open_stream(env->sleeper, false) };
	struct miniproc_event ev;
	__u64 start, took;
	sigset_t alrm;
	pthread_t t;
	int flags;

	ASSERT_LE(0, r.stream);
	/* The reader never takes the SIGALRM meant for this thread. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &alrm, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, read_blocking, &r));
	ASSERT_EQ(0, pthread_sigmask(SIG_UNBLOCK, &alrm, NULL));
	mp_sleep_ms(300);
	ASSERT_FALSE(__atomic_load_n(&r.done, __ATOMIC_ACQUIRE));
	/* O_NONBLOCK is the open file's: the blocked reader is past it. */
	flags = fcntl(r.stream, F_GETFL);
	ASSERT_LE(0, flags);
	ASSERT_EQ(0, fcntl(r.stream, F_SETFL, flags | O_NONBLOCK));
	/* Were it to queue for the lock, the alarm ends the wait: -EINTR. */
	ASSERT_EQ(0, mp_alarm_ms(MP_POLL_MS));
	start = mp_now_ns();
	EXPECT_EQ(-EAGAIN, mp_read_events(r.stream, &ev, 1));
	took = mp_now_ns() - start;
	ASSERT_EQ(0, mp_alarm_ms(0));
	EXPECT_GT(MSEC(MP_POLL_MS / 2), took) TH_LOG("read took %llu ns",
						 (unsigned long long)took);
	EXPECT_FALSE(__atomic_load_n(&r.done, __ATOMIC_ACQUIRE));
	/* An event ends the blocked read; it gets it, nothing was lost. */
	ASSERT_EQ(0, mp_destroy(env->fd, env->sleeper, 0, NULL));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_LT(0, r.n) TH_LOG("read: %d", r.n);
	EXPECT_EQ(env->sleeper, r.ev[0].pid);
	close(r.stream);
}

TEST_F(stream, each_open_file_has_its_own_buffer)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = { OP_SLEEP(MSEC(10)), OP_EXIT(3) };
	int a = mp_open_stream(0, true), b = mp_open_stream(0, true);
	struct miniproc_exit_info exit;
	int pid, i;

	REQUIRE_TWO_CPUS();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	/* Read all of a's first: b's must still be all there. */
	pid = run_watched(_metadata, env, a, prog, ARRAY_SIZE(prog), &exit);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_drain_events(b, &log_b));
	ASSERT_EQ(log_a.n, log_b.n);
	for (i = 0; i < log_a.n; i++) {
		EXPECT_EQ(log_a.ev[i].seq, log_b.ev[i].seq);
		EXPECT_EQ(log_a.ev[i].next_state, log_b.ev[i].next_state);
	}
	close(a);
	close(b);
}

/* A buffer read() cannot write: -EFAULT, and the events stay for later. */
TEST_F(stream, unwritable_buffer_is_efault_and_loses_nothing)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = { OP_EXIT(0) };
	long page = sysconf(_SC_PAGESIZE);
	int ref = mp_open_stream(0, true), stream = mp_open_stream(0, true);
	char *map = mmap(NULL, 2 * page, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *bad[] = { NULL, map, map + page, (void *)-4096L };
	struct miniproc_exit_info exit;
	size_t i;
	int pid;

	REQUIRE_TWO_CPUS();
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_LE(0, ref);
	ASSERT_LE(0, stream);
	munmap(map + page, page);
	pid = run_watched(_metadata, env, ref, prog, ARRAY_SIZE(prog), &exit);
	ASSERT_LT(0, pid);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, read(stream, bad[i], 4 * EV_SIZE)) TH_LOG("buffer %zu", i);
		EXPECT_EQ(EFAULT, errno) TH_LOG("buffer %zu", i);
	}
	ASSERT_EQ(0, mp_drain_events(stream, &log_b));
	ASSERT_EQ(log_a.n, log_b.n);
	EXPECT_EQ(log_a.ev[0].seq, log_b.ev[0].seq);
	EXPECT_EQ(log_a.ev[log_a.n - 1].seq, log_b.ev[log_b.n - 1].seq);
	munmap(map, page);
	close(ref);
	close(stream);
}

/* --- a buffer that fills up ------------------------------------------------ */

static int wait_poll(int fd, int ms);

static __u64 sched_ins(int fd, const int *pid, int n)
{
	struct miniproc_info info;
	__u64 sum = 0;
	int i;

	for (i = 0; i < n; i++)
		if (!mp_status(fd, pid[i], &info))
			sum += info.nr_sched_in;
	return sum;
}

static bool sched_in_at_least(const struct miniproc_info *info, const void *arg)
{
	return info->nr_sched_in >= *(const __u64 *)arg;
}

/*
 * Two yielders on one CPU switch to each other at every yield: two events
 * a switch. Two readers start once both run, one of every event and one
 * of the first yielder's only, and neither reads until the yielders have
 * switched MINIPROC_EVENT_BUFFER times: twice the ring's worth of events.
 */
TEST_F(stream, full_ring_loses_the_oldest_and_counts_them_in_lost)
{
	static const struct miniproc_op yielder[] = { OP_FOREVER, OP_YIELD, OP_END };
	struct env *env = &self->env;
	const __u64 switched = 2;
	struct miniproc_event *ev = log_a.ev, *mine = log_b.ev;
	__u64 start, before, deadline, gap;
	struct miniproc_info info;
	int pid[2], all, one, i, n, m, gaps = 0, over = 0;

	REQUIRE_TWO_CPUS();
	for (i = 0; i < 2; i++) {
		pid[i] = mp_create(env->fd, "yielder",
				   yielder, ARRAY_SIZE(yielder), MINIPROC_CREATE_PIN, env->cpu, NULL);
		ASSERT_LT(0, pid[i]);
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, mp_poll(env->fd, pid[i], sched_in_at_least, &switched,
				     MP_POLL_MS, &info));
	all = mp_open_stream(0, true);
	ASSERT_LE(0, all);
	one = mp_open_stream(pid[0], true);
	ASSERT_LE(0, one);
	start = sched_ins(env->fd, pid, 2);
	deadline = mp_now_ns() + SEC(60);
	while (sched_ins(env->fd, pid, 2) < start + MINIPROC_EVENT_BUFFER) {
		ASSERT_GT(deadline, mp_now_ns()) TH_LOG("switched only %llu times",
							sched_ins(env->fd, pid, 2) - start);
		usleep(10000);
	}
	/* The ring has wrapped for a while: they have gone on all the same. */
	before = sched_ins(env->fd, pid, 2);
	mp_sleep_ms(100);
	EXPECT_LT(before, sched_ins(env->fd, pid, 2));

	n = mp_read_events(all, ev, MP_EVENT_LOG_MAX);
	ASSERT_LT(0, n);
	m = mp_read_events(one, mine, MP_EVENT_LOG_MAX);
	ASSERT_LT(0, m);
	/* The oldest went; the first record left says how many. */
	EXPECT_LT(0, ev[0].lost);
	EXPECT_LT(ev[0].lost, ev[0].seq);
	/* Exactly, for the reader of all: seq skips what was lost, nothing else. */
	for (i = 1; i < n; i++)
		gaps += ev[i].seq != ev[i - 1].seq + 1 + ev[i].lost;
	EXPECT_EQ(0, gaps);
	/* It got the newest: no more than a ring's worth, and what came on. */
	EXPECT_GE(MINIPROC_EVENT_BUFFER + n / 2, n);
	/*
	 * The filtered reader: its own process's events only, the loss said
	 * too, and never more lost than the gap in seq holds (the rest of a
	 * gap is the other yielder's events, skipped, not lost).
	 */
	EXPECT_LT(0, mine[0].lost);
	for (i = 0; i < m; i++) {
		EXPECT_EQ(pid[0], mine[i].pid) TH_LOG("event %d", i);
		if (!i)
			continue;
		gap = mine[i].seq - mine[i - 1].seq - 1;
		over += mine[i].lost > gap;
	}
	EXPECT_EQ(0, over);
	close(all);
	close(one);
}

/* --- record sizes ----------------------------------------------------------- */

/* struct miniproc_event as the first header had it: what old programs read. */
struct event_ver0 {
	__u64 seq;
	__u64 time_ns;
	__s32 pid;
	__u32 prev_state;
	__u32 next_state;
	__s32 cpu;
	__u32 lost;
	__u32 flags;
	char chan[MINIPROC_CHAN_LEN];
	char name[MINIPROC_NAME_LEN];
};

static_assert(sizeof(struct event_ver0) == MINIPROC_EVENT_SIZE_VER0, "VER0");

static int set_rec_size(int fd, __u32 rec_size)
{
	struct miniproc_event_filter f = { .size = sizeof(f), .rec_size = rec_size };

	return mp_ioctl(fd, MINIPROC_IOC_EVENT_FILTER, &f);
}

TEST_F(stream, record_size_out_of_range_is_einval_and_changes_nothing)
{
	long page = sysconf(_SC_PAGESIZE);
	const __u32 bad[] = { 1, MINIPROC_EVENT_SIZE_VER0 - 1, (__u32)page + 1, 1u << 31 };
	int fd = mp_open_stream(0, true);
	size_t i;

	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		__u32 size = bad[i];

		EXPECT_EQ(-EINVAL, set_rec_size(fd, size)) TH_LOG("size %u", size);
	}
	EXPECT_EQ(0, set_rec_size(fd, MINIPROC_EVENT_SIZE_VER0));
	EXPECT_EQ(0, set_rec_size(fd, (__u32)page));
	EXPECT_EQ(0, set_rec_size(fd, 0));
	close(fd);
}

/* Read @fd (O_NONBLOCK) until @pid's UNUSED event, in records of @rec. */
static int read_records(int fd, size_t rec, int pid, unsigned char *buf,
			size_t max)
{
	__u64 deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	size_t n = 0;
	ssize_t got;

	while (n < max && mp_now_ns() < deadline) {
		got = read(fd, buf + n * rec, (max - n) * rec);
		if (got < 0 && errno == EAGAIN) {
			usleep(5000);
			continue;
		}
		if (got <= 0 || got % rec)
			return -1;
		n += got / rec;
		{
			const struct event_ver0 *last =
				(const void *)(buf + (n - 1) * rec);

			if (last->pid == pid && last->next_state == MINIPROC_UNUSED)
				return (int)n;
		}
	}
	return -1;
}

/*
 * Four readers of one stream: a file that never states a size (an old
 * program) and one that states 0 read VER0 records; one states this
 * header's size, one more than the kernel knows (zero past it). All see
 * the same events, and the fields each knows agree.
 */
TEST_F(stream, old_and_new_record_sizes_read_one_stream_side_by_side)
{
	struct env *env = &self->env;
	static const struct miniproc_op prog[] = {
		OP_CPU(MSEC(3)), OP_SLEEP(MSEC(10)), OP_EXIT(0),
	};
	const size_t big = sizeof(struct miniproc_event) + 40;
	static unsigned char raw[4][64 * 256];
	const size_t rec[4] = { MINIPROC_EVENT_SIZE_VER0, MINIPROC_EVENT_SIZE_VER0,
				sizeof(struct miniproc_event), big };
	int fd[4], n[4], i, j, pid;
	bool slept = false;
	struct event_ver0 v0;

	for (i = 0; i < 4; i++) {
		fd[i] = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		ASSERT_LE(0, fd[i]);
	}
	/* fd[0]: its first read starts it, as an old program's would. */
	EXPECT_EQ(-EAGAIN, mp_read_events(fd[0], (void *)raw[0], 1));
	ASSERT_EQ(0, set_rec_size(fd[1], 0));
	ASSERT_EQ(0, set_rec_size(fd[2], sizeof(struct miniproc_event)));
	ASSERT_EQ(0, set_rec_size(fd[3], big));
	pid = mp_create(env->fd, "sizes", prog, ARRAY_SIZE(prog), 0, 0, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(env->fd, pid, NULL));
	for (i = 0; i < 4; i++) {
		n[i] = read_records(fd[i], rec[i], pid, raw[i], 64);
		ASSERT_LT(0, n[i]) TH_LOG("reader %d", i);
	}
	for (i = 1; i < 4; i++)
		ASSERT_EQ(n[0], n[i]) TH_LOG("reader %d", i);
	for (j = 0; j < n[0]; j++) {
		const struct miniproc_event *e = (const void *)(raw[2] + j * rec[2]);
		const unsigned char *b = raw[3] + j * rec[3];

		memcpy(&v0, raw[0] + j * rec[0], sizeof(v0));
		/* The old records are the new ones' first bytes. */
		EXPECT_EQ(0, memcmp(&v0, raw[1] + j * rec[1], sizeof(v0)));
		EXPECT_EQ(0, memcmp(&v0, e, sizeof(v0))) TH_LOG("event %d", j);
		EXPECT_EQ(0, memcmp(e, b, sizeof(*e))) TH_LOG("event %d", j);
		for (i = sizeof(*e); i < (int)big; i++)
			EXPECT_EQ(0, b[i]) TH_LOG("event %d, byte %d", j, i);
		/* And the new fields say true things. */
		EXPECT_EQ(0, e->reserved);
		if (e->pid != pid)
			continue;
		EXPECT_GT(ARRAY_SIZE(prog), e->pc);
		if (e->next_state == MINIPROC_SLEEPING && !strcmp(e->chan, "sleep")) {
			slept = true;
			EXPECT_EQ(1, e->pc);
			/* The cpu op before it ran 3 ms. */
			EXPECT_LE(MSEC(3), e->runtime_ns);
		}
	}
	EXPECT_TRUE(slept);
	for (i = 0; i < 4; i++)
		close(fd[i]);
}

/* --- readers per user --------------------------------------------------------- */

/* Kernel memory in KiB that a reader could pin: slab and vmalloc. */
static long kernel_kib(void)
{
	char line[128];
	long kib, sum = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kib) == 1 ||
		    sscanf(line, "VmallocUsed: %ld kB", &kib) == 1)
			sum += kib;
	fclose(f);
	return sum;
}

struct reader_bound {
	long limit;
	int readers;		/* files made readers before the refusal */
	int err;		/* errno of the refusal */
	int read_err;		/* errno of read() on the refused file */
	int poll_revents;	/* poll() on it */
	long kib_before, kib_after;
	int again;		/* one more reader once all were closed: 0 */
};

static int open_readers_until_refused(int fd, void *arg)
{
	struct reader_bound *r = arg;
	struct rlimit rl = { r->limit + 64, r->limit + 64 };
	struct miniproc_event ev;
	struct pollfd pfd = { .events = POLLIN };
	int *fds = calloc(r->limit + 1, sizeof(int)), i, ret, extra;

	if (!fds)
		return ENOMEM;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)r->limit + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	r->kib_before = kernel_kib();
	for (i = 0; i <= r->limit; i++) {
		fds[i] = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		if (fds[i] < 0)
			return errno;
		ret = mp_event_filter(fds[i], 0);
		if (ret) {
			r->err = -ret;
			break;
		}
		r->readers++;
	}
	r->kib_after = kernel_kib();
	if (i <= r->limit) {
		r->read_err = -mp_read_events(fds[i], &ev, 1);
		pfd.fd = fds[i];
		if (poll(&pfd, 1, 0) >= 0)
			r->poll_revents = pfd.revents;
	}
	for (; i >= 0; i--)
		if (i <= r->limit && fds[i] >= 0)
			close(fds[i]);
	extra = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	r->again = extra < 0 ? errno : -mp_event_filter(extra, 0);
	close(extra);
	free(fds);
	(void)fd;
	return 0;
}

/*
 * An unprivileged user opens readers until refused: refused at the
 * module's limit with EMFILE (read and poll say so too), kernel memory
 * grew by little for all of them, and closing them gives the room back.
 */
TEST_F(stream, a_users_readers_are_bounded_and_small)
{
	struct reader_bound *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long per_reader;

	ASSERT_NE(MAP_FAILED, r);
	memset(r, 0, sizeof(*r));
	r->limit = mp_param_get("max_readers_per_uid");
	ASSERT_LT(0, r->limit);
	ASSERT_EQ(0, mp_run_as(1000, open_readers_until_refused, r));
	EXPECT_EQ(r->limit, r->readers);
	EXPECT_EQ(EMFILE, r->err);
	EXPECT_EQ(EMFILE, r->read_err);
	EXPECT_TRUE(r->poll_revents & POLLERR);
	EXPECT_EQ(0, r->again);
	/*
	 * A reader is a small struct and the file's own: 8 KiB each is a
	 * generous bound (a ring per reader, as before, was 288 KiB), with
	 * 2 MiB for whatever else the kernel did meanwhile.
	 */
	per_reader = (r->kib_after - r->kib_before) / r->limit;
	ksft_print_msg("FIGURE kernel memory per event reader: %ld KiB (%ld readers, %ld KiB in all)\n",
		       per_reader, r->limit, r->kib_after - r->kib_before);
	EXPECT_GT(8 * r->limit + 2048, r->kib_after - r->kib_before);
	munmap(r, sizeof(*r));
}

/* --- poll(), select() and epoll ---------------------------------------------- */

/* Wait up to @ms for @fd to be readable: 1 if it is, 0 if not, or -errno. */
typedef int (*wait_fn)(int fd, int ms);

static int wait_poll(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, ms);

	return n < 0 ? -errno : n == 1 && (pfd.revents & POLLIN);
}

static int wait_select(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	fd_set readable;
	int n;

	FD_ZERO(&readable);
	FD_SET(fd, &readable);
	n = select(fd + 1, &readable, NULL, NULL, &tv);
	return n < 0 ? -errno : n == 1 && FD_ISSET(fd, &readable);
}

static int wait_epoll(int fd, int ms)
{
	struct epoll_event want = { .events = EPOLLIN }, got;
	int ep = epoll_create1(EPOLL_CLOEXEC), n;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &want)) {
		n = -errno;
		close(ep);
		return n;
	}
	n = epoll_wait(ep, &got, 1, ms);
	n = n < 0 ? -errno : n == 1 && (got.events & EPOLLIN);
	close(ep);
	return n;
}

FIXTURE_VARIANT(readiness) {
	wait_fn wait;
};

FIXTURE_VARIANT_ADD(readiness, poll) { .wait = wait_poll };
FIXTURE_VARIANT_ADD(readiness, select) { .wait = wait_select };
FIXTURE_VARIANT_ADD(readiness, epoll) { .wait = wait_epoll };

TEST_F(readiness, idle_stream_is_not_readable)
{
	struct env *env = &self->env;
	int stream = mp_open_stream(env->sleeper, false);
	__u64 start = mp_now_ns();

	ASSERT_LE(0, stream);
	EXPECT_EQ(0, variant->wait(stream, 0));
	EXPECT_EQ(0, variant->wait(stream, 200));
	EXPECT_LE(start + MSEC(200), mp_now_ns());
	close(stream);
}

TEST_F(readiness, event_makes_the_stream_readable_until_read)
{
	struct env *env = &self->env;
	int stream = mp_open_stream(env->sleeper, true);

	ASSERT_LE(0, stream);
	ASSERT_EQ(0, variant->wait(stream, 0));
	ASSERT_EQ(0, mp_destroy(env->fd, env->sleeper, 0, NULL));
	EXPECT_EQ(1, variant->wait(stream, MP_POLL_MS));
	/* Still readable: looking takes nothing. */
	EXPECT_EQ(1, variant->wait(stream, 0));
	ASSERT_EQ(0, mp_read_until(stream, &log_a, env->sleeper, MINIPROC_ZOMBIE));
	EXPECT_EQ(0, variant->wait(stream, 0));
	close(stream);
}

TEST_HARNESS_MAIN
