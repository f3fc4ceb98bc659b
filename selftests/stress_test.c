// SPDX-License-Identifier: GPL-2.0
/*
 * Everything at once: threads creating (processes that fork among them),
 * destroying, suspending, resuming, waiting, listing and asking STATUS of
 * the newest pids, each with a file of its own, for a few seconds.
 * Every call must give one of the answers the header allows, every record
 * seen must be consistent in itself and be of the process asked for (STATUS
 * takes no table lock: a slot reaped and reused meanwhile must not show
 * through), and afterwards the table must be as it was: no process and no
 * slot lost.
 */
#include "miniproc_util.h"

#include <pthread.h>
#include <stdarg.h>

#define RUN_MS		3000
/* Pids a run can reach, more than enough: a CREATE takes tens of us. */
#define MAX_PID		(1 << 20)
/* How far below the newest pid the prober asks. */
#define PROBE_WINDOW	64

struct stress {
	bool stop;		/* __atomic: read by every thread */
	pthread_mutex_t lock;
	int errors;
	char first[256];	/* the first error */
	unsigned long calls;
	int floor;		/* pids up to this one are not the run's */
	int newest;		/* __atomic: a pid a creator got lately */
	unsigned char *prog_of;	/* __atomic: pid -> 1 + its program, 0 unknown */
};

static void fail(struct stress *st, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&st->lock);
	if (!st->errors++) {
		va_start(ap, fmt);
		vsnprintf(st->first, sizeof(st->first), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&st->lock);
}

#define CHECK(st, cond, ...) do { \
	if (!(cond)) \
		fail(st, __VA_ARGS__); \
} while (0)

/* What any record must say of itself, whenever it was taken. */
static void check_record(struct stress *st, const struct miniproc_info *i)
{
	bool zombie = i->state == MINIPROC_ZOMBIE;

	CHECK(st, i->state >= MINIPROC_EMBRYO && i->state <= MINIPROC_ZOMBIE,
	      "pid %d: state %u", i->pid, i->state);
	CHECK(st, zombie == !!(i->flags & MINIPROC_INFO_EXITED),
	      "pid %d: %s with flags %#x", i->pid, mp_state_name(i->state), i->flags);
	CHECK(st, !zombie || (i->tid == 0 && !i->chan[0]),
	      "pid %d: zombie with tid %d, chan '%s'", i->pid, i->tid, i->chan);
	CHECK(st, !zombie || !(i->flags & MINIPROC_INFO_AUTOREAP),
	      "pid %d: autoreap process seen as a zombie", i->pid);
	CHECK(st, !zombie || (i->flags & MINIPROC_INFO_KILLED ?
			      i->exit_status == MINIPROC_EXIT_STATUS_KILLED :
			      i->exit_status >= 0 && i->exit_status <= MINIPROC_EXIT_MAX),
	      "pid %d: flags %#x, exit status %d", i->pid, i->flags, i->exit_status);
	CHECK(st, !(i->flags & MINIPROC_INFO_SUSPENDED) ||
		  (i->state == MINIPROC_SLEEPING && !strcmp(i->chan, "suspended")),
	      "pid %d: suspended, but %s on '%s'", i->pid, mp_state_name(i->state), i->chan);
	CHECK(st, !i->chan[0] || i->state == MINIPROC_SLEEPING,
	      "pid %d: %s on '%s'", i->pid, mp_state_name(i->state), i->chan);
	CHECK(st, i->state != MINIPROC_RUNNING || i->cpu >= 0,
	      "pid %d: running on cpu %d", i->pid, i->cpu);
	CHECK(st, mp_switches_balance(i),
	      "pid %d: %s, nr_sched_in %llu, nvcsw %llu, nivcsw %llu", i->pid,
	      mp_state_name(i->state), i->nr_sched_in, i->nvcsw, i->nivcsw);
}

struct worker {
	struct stress *st;
	unsigned int seed;
	int fd;
};

static const struct miniproc_op prog_exit[] = { OP_EXIT(1) };
static const struct miniproc_op prog_cpu[] = { OP_CPU(MSEC(1)), OP_EXIT(2) };
static const struct miniproc_op prog_nap[] = { OP_SLEEP(MSEC(2)), OP_EXIT(3) };
static const struct miniproc_op prog_yield[] = { OP_LOOP(20), OP_YIELD, OP_END };
static const struct miniproc_op prog_spin[] = { OP_FOREVER, OP_CPU(MSEC(1)), OP_END };
static const struct miniproc_op prog_sleep[] = { OP_SLEEP(SEC(3600)) };
/* A parent that reaps its child; one that leaves orphans to init. */
static const struct miniproc_op prog_family[] = {
	OP_FORK, OP_CPU(MSEC(1)), OP_EXIT(4), OP_END, OP_WAIT, OP_EXIT(5),
};
static const struct miniproc_op prog_orphans[] = {
	OP_LOOP(2), OP_FORK, OP_SLEEP(MSEC(2)), OP_END, OP_END, OP_EXIT(6),
};
static const struct { const struct miniproc_op *ops; __u32 len; } progs[] = {
	{ prog_exit, ARRAY_SIZE(prog_exit) },
	{ prog_cpu, ARRAY_SIZE(prog_cpu) },
	{ prog_nap, ARRAY_SIZE(prog_nap) },
	{ prog_yield, ARRAY_SIZE(prog_yield) },
	{ prog_spin, ARRAY_SIZE(prog_spin) },
	{ prog_sleep, ARRAY_SIZE(prog_sleep) },
	{ prog_family, ARRAY_SIZE(prog_family) },
	{ prog_orphans, ARRAY_SIZE(prog_orphans) },
};

static void *creator(void *arg)
{
	struct worker *w = arg;
	int pid, k;

	char name[MINIPROC_NAME_LEN];

	while (!__atomic_load_n(&w->st->stop, __ATOMIC_RELAXED)) {
		k = rand_r(&w->seed) % ARRAY_SIZE(progs);
		snprintf(name, sizeof(name), "stress%d", k);
		pid = mp_create(w->fd, name, progs[k].ops, progs[k].len, rand_r(&w->seed) % 3 ? 0 :
				MINIPROC_CREATE_AUTOREAP, 0, NULL);
		CHECK(w->st, pid > 0 || pid == -EAGAIN, "CREATE: %d", pid);
		if (pid == -EAGAIN)
			usleep(1000);
		if (pid > 0 && pid < MAX_PID) {
			__atomic_store_n(&w->st->prog_of[pid], k + 1, __ATOMIC_RELAXED);
			__atomic_store_n(&w->st->newest, pid, __ATOMIC_RELAXED);
		}
		__atomic_fetch_add(&w->st->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *reaper(void *arg)
{
	struct worker *w = arg;
	int pid, ret;

	while (!__atomic_load_n(&w->st->stop, __ATOMIC_RELAXED)) {
		pid = MINIPROC_WAIT_ANY;
		ret = mp_wait(w->fd, &pid, 0, MSEC(10), NULL);
		CHECK(w->st, !ret || ret == -ECHILD || ret == -ETIMEDOUT, "WAIT: %d", ret);
		if (ret == -ECHILD)
			usleep(1000);
		__atomic_fetch_add(&w->st->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *controller(void *arg)
{
	struct worker *w = arg;
	struct miniproc_info *all, info;
	int pid, ret, op;
	__u32 n;

	while (!__atomic_load_n(&w->st->stop, __ATOMIC_RELAXED)) {
		all = mp_snapshot(w->fd, &n);
		CHECK(w->st, all, "LIST: %d", -errno);
		if (!all || !n) {
			free(all);
			usleep(1000);
			continue;
		}
		pid = all[rand_r(&w->seed) % n].pid;
		free(all);
		switch (op = rand_r(&w->seed) % 6) {
		case 0:
			ret = mp_suspend(w->fd, pid);
			break;
		case 1:
		case 2:
			ret = mp_resume(w->fd, pid);
			break;
		case 3:
			ret = mp_destroy(w->fd, pid, 0, NULL);
			break;
		case 4:
			ret = mp_destroy_wait(w->fd, pid, NULL);
			break;
		default:
			ret = mp_status(w->fd, pid, &info);
			if (!ret)
				check_record(w->st, &info);
			break;
		}
		/* init is listed like any process, but may not be controlled. */
		if (pid == MINIPROC_INIT_PID && op < 5)
			CHECK(w->st, ret == -EPERM, "op %d on init: %d", op, ret);
		else
			CHECK(w->st, !ret || ret == -ESRCH, "op %d on pid %d: %d",
			      op, pid, ret);
		__atomic_fetch_add(&w->st->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * STATUS of pids near the newest, the ones being created, reaped and their
 * slots reused: a record must be of the pid asked for, and of the program
 * that pid was created with (a fork's child bears its parent's name).
 */
static void *prober(void *arg)
{
	struct worker *w = arg;
	struct miniproc_info info;
	char want[MINIPROC_NAME_LEN];
	int newest, pid, ret, k;

	while (!__atomic_load_n(&w->st->stop, __ATOMIC_RELAXED)) {
		newest = __atomic_load_n(&w->st->newest, __ATOMIC_RELAXED);
		pid = newest - (int)(rand_r(&w->seed) % PROBE_WINDOW);
		if (pid <= w->st->floor) {
			usleep(1000);
			continue;
		}
		ret = mp_status(w->fd, pid, &info);
		CHECK(w->st, !ret || ret == -ESRCH, "STATUS of %d: %d", pid, ret);
		if (!ret) {
			check_record(w->st, &info);
			CHECK(w->st, info.pid == pid, "STATUS of %d: record of %d",
			      pid, info.pid);
			CHECK(w->st, !strncmp(info.name, "stress", strlen("stress")),
			      "STATUS of %d: named '%s'", pid, info.name);
			k = __atomic_load_n(&w->st->prog_of[pid], __ATOMIC_RELAXED);
			snprintf(want, sizeof(want), "stress%d", k - 1);
			CHECK(w->st, !k || !strcmp(info.name, want),
			      "STATUS of %d: named '%s', created as '%s'", pid,
			      info.name, want);
		}
		__atomic_fetch_add(&w->st->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *lister(void *arg)
{
	struct worker *w = arg;
	struct miniproc_info *all;
	__u32 i, n;

	while (!__atomic_load_n(&w->st->stop, __ATOMIC_RELAXED)) {
		all = mp_snapshot(w->fd, &n);
		CHECK(w->st, all, "LIST: %d", -errno);
		for (i = 0; all && i < n; i++) {
			check_record(w->st, &all[i]);
			CHECK(w->st, !i || all[i - 1].pid < all[i].pid,
			      "LIST out of order: %d after %d", all[i].pid, all[i - 1].pid);
		}
		free(all);
		__atomic_fetch_add(&w->st->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

MINIPROC_FIXTURE(stress);

TEST_F_TIMEOUT(stress, concurrent_calls_keep_the_table_consistent, 120)
{
	void *(*const roles[])(void *) = {
		creator, creator, reaper, controller, controller, lister, lister,
		prober,
	};
	int used = mp_nr_used(self->fd), total = mp_total(self->fd);
	struct worker w[ARRAY_SIZE(roles)];
	pthread_t t[ARRAY_SIZE(roles)];
	struct stress st = { .lock = PTHREAD_MUTEX_INITIALIZER };
	size_t i;

	st.floor = self->floor;
	st.newest = self->floor;
	st.prog_of = calloc(MAX_PID, sizeof(*st.prog_of));
	ASSERT_NE(NULL, st.prog_of);
	for (i = 0; i < ARRAY_SIZE(roles); i++) {
		w[i].st = &st;
		w[i].seed = 1234 + i;
		w[i].fd = mp_open();
		ASSERT_LE(0, w[i].fd);
		ASSERT_EQ(0, pthread_create(&t[i], NULL, roles[i], &w[i]));
	}
	mp_sleep_ms(RUN_MS);
	__atomic_store_n(&st.stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < ARRAY_SIZE(roles); i++) {
		ASSERT_EQ(0, pthread_join(t[i], NULL));
		close(w[i].fd);
	}
	TH_LOG("%lu calls", st.calls);
	free(st.prog_of);
	EXPECT_EQ(0, st.errors) TH_LOG("%d errors, the first: %s", st.errors, st.first);

	/* Everything created is destroyed and reaped: back to the start. */
	mp_cleanup_above(self->fd, self->floor);
	EXPECT_EQ(0, mp_poll_nr_used(self->fd, used));
	EXPECT_EQ(total, mp_total(self->fd));
}

TEST_HARNESS_MAIN
