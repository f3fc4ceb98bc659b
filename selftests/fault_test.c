// SPDX-License-Identifier: GPL-2.0
/*
 * -EFAULT where a pointer cannot be followed, and nothing done: a program
 * that cannot be read creates nothing; a struct whose answer cannot be
 * written back creates, kills or reaps nothing. (Arguments that cannot be
 * read at all are in abi_test, LIST buffers in list_test.)
 */
#include "miniproc_util.h"

#include <pthread.h>

static const struct miniproc_op sleep_prog[] = { OP_SLEEP(SEC(3600)) };

/* --- bad program pointers ------------------------------------------------- */

MINIPROC_FIXTURE(unreadable_program);

FIXTURE_VARIANT(unreadable_program) {
	int where;	/* see prog_at() */
};

enum { PROG_NULL, PROG_UNMAPPED, PROG_KERNEL, PROG_STRADDLES_HOLE };

FIXTURE_VARIANT_ADD(unreadable_program, null) { .where = PROG_NULL };
FIXTURE_VARIANT_ADD(unreadable_program, unmapped) { .where = PROG_UNMAPPED };
FIXTURE_VARIANT_ADD(unreadable_program, kernel_address) { .where = PROG_KERNEL };
FIXTURE_VARIANT_ADD(unreadable_program, straddles_a_hole) { .where = PROG_STRADDLES_HOLE };

/* Two ops that cannot both be read, as @where says. */
static __u64 prog_at(int where)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map;

	if (where == PROG_NULL)
		return 0;
	if (where == PROG_KERNEL)
		return (__u64)-4096;
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 0;
	/* The first op is fine, the second lies in an unmapped page. */
	*(struct miniproc_op *)(map + page - sizeof(struct miniproc_op)) =
		OP_SLEEP(SEC(1));
	munmap(map + page, page);
	if (where == PROG_UNMAPPED)
		return (uintptr_t)(map + page);
	return (uintptr_t)(map + page - sizeof(struct miniproc_op));
}

TEST_F(unreadable_program, is_efault_and_creates_nothing)
{
	struct miniproc_create c = {
		.size = sizeof(c), .prog = prog_at(variant->where), .prog_len = 2,
	};
	int total = mp_total(self->fd), used = mp_nr_used(self->fd);

	ASSERT_EQ(-EFAULT, mp_ioctl(self->fd, MINIPROC_IOC_CREATE, &c));
	EXPECT_EQ(total, mp_total(self->fd));
	EXPECT_EQ(used, mp_nr_used(self->fd));
}

/* --- outputs that cannot be written -------------------------------------- */

MINIPROC_FIXTURE(readonly);

/* A page holding a copy of @arg, then made read-only. */
static void *readonly_copy(const void *arg, size_t size)
{
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED)
		return NULL;
	memcpy(page, arg, size);
	mprotect(page, 4096, PROT_READ);
	return page;
}

TEST_F(readonly, create_is_efault_and_creates_nothing)
{
	struct miniproc_create c = {
		.size = sizeof(c), .prog = (uintptr_t)sleep_prog, .prog_len = 1,
	};
	int total = mp_total(self->fd), used = mp_nr_used(self->fd);
	void *ro = readonly_copy(&c, sizeof(c));

	ASSERT_NE(NULL, ro);
	ASSERT_EQ(-EFAULT, mp_ioctl(self->fd, MINIPROC_IOC_CREATE, ro));
	EXPECT_EQ(total, mp_total(self->fd));
	EXPECT_EQ(used, mp_nr_used(self->fd));
}

TEST_F(readonly, wait_is_efault_and_reaps_nothing)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "zombie", OP_EXIT(3));
	struct miniproc_wait w = { .size = sizeof(w), .pid = pid };
	void *ro;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	ro = readonly_copy(&w, sizeof(w));
	ASSERT_NE(NULL, ro);
	ASSERT_EQ(-EFAULT, mp_ioctl(self->fd, MINIPROC_IOC_WAIT, ro));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_ZOMBIE, info.state);
	EXPECT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
}

TEST_F(readonly, destroy_wait_is_efault_and_kills_nothing)
{
	int pid = mp_create(self->fd, "victim", sleep_prog, 1, 0, 0, NULL);
	struct miniproc_destroy d = {
		.size = sizeof(d), .pid = pid, .flags = MINIPROC_DESTROY_WAIT,
	};
	struct miniproc_info info;
	void *ro;

	ASSERT_LT(0, pid);
	ro = readonly_copy(&d, sizeof(d));
	ASSERT_NE(NULL, ro);
	ASSERT_EQ(-EFAULT, mp_ioctl(self->fd, MINIPROC_IOC_DESTROY, ro));
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(0, info.flags & MINIPROC_INFO_KILLED);
	EXPECT_NE(MINIPROC_ZOMBIE, info.state);
}

TEST_F(readonly, status_version_and_list_are_efault)
{
	int pid = mp_create(self->fd, "status", sleep_prog, 1, 0, 0, NULL);
	struct miniproc_info info = { .size = sizeof(info), .pid = pid };
	struct miniproc_version v = { .size = sizeof(v) };
	struct miniproc_list l = {
		.size = sizeof(l), .rec_size = sizeof(struct miniproc_info),
	};

	ASSERT_LT(0, pid);
	EXPECT_EQ(-EFAULT, mp_ioctl(self->fd, MINIPROC_IOC_STATUS,
				    readonly_copy(&info, sizeof(info))));
	EXPECT_EQ(-EFAULT, mp_ioctl(self->fd, MINIPROC_IOC_VERSION,
				    readonly_copy(&v, sizeof(v))));
	EXPECT_EQ(-EFAULT, mp_ioctl(self->fd, MINIPROC_IOC_LIST,
				    readonly_copy(&l, sizeof(l))));
}

/*
 * A CREATE whose pid cannot be written back has put the pid in the table
 * for a moment, an EMBRYO, before it releases the slot. A DESTROY with WAIT
 * that finds it then must not reap the slot once it is released, nor later
 * when another process has it: the answer is -ESRCH. (It used to reap the
 * slot, whoever held it by then, and return 0; found by selftests/fuzz.)
 */
#define FAILED_CREATES	300

struct chaser {
	int fd;
	int first;		/* the pid the first failed CREATE takes */
	int round;		/* __atomic: the CREATE under way */
	bool stop;		/* __atomic */
	int reaped;		/* DESTROY with WAIT that returned 0 */
	int other;		/* ... or neither 0 nor -ESRCH */
};

static void *chase(void *arg)
{
	struct chaser *ch = arg;

	while (!__atomic_load_n(&ch->stop, __ATOMIC_RELAXED)) {
		int pid = ch->first + __atomic_load_n(&ch->round, __ATOMIC_RELAXED);
		int ret = mp_destroy_wait(ch->fd, pid, NULL);

		if (ret == 0)
			ch->reaped++;
		else if (ret != -ESRCH)
			ch->other++;
	}
	return NULL;
}

TEST_F(readonly, destroy_wait_never_reaps_the_pid_of_a_failed_create)
{
	struct miniproc_create c = {
		.size = sizeof(c), .prog = (uintptr_t)sleep_prog, .prog_len = 1,
	};
	int total = mp_total(self->fd), used = mp_nr_used(self->fd);
	struct chaser ch = { .fd = self->fd };
	void *ro = readonly_copy(&c, sizeof(c));
	int i, pid, efaults = 0;
	pthread_t t;

	ASSERT_NE(NULL, ro);
	/* pids only grow: the next CREATE takes the one after this. */
	pid = mp_spawn(self->fd, "probe", OP_EXIT(0));
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	ch.first = pid + 1;
	ASSERT_EQ(0, pthread_create(&t, NULL, chase, &ch));
	for (i = 0; i < FAILED_CREATES; i++) {
		__atomic_store_n(&ch.round, i, __ATOMIC_RELAXED);
		efaults += mp_ioctl(self->fd, MINIPROC_IOC_CREATE, ro) == -EFAULT;
	}
	__atomic_store_n(&ch.stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	EXPECT_EQ(FAILED_CREATES, efaults);
	EXPECT_EQ(0, ch.reaped);
	EXPECT_EQ(0, ch.other);
	EXPECT_EQ(total, mp_total(self->fd));
	EXPECT_EQ(used, mp_nr_used(self->fd));
}

TEST_HARNESS_MAIN
