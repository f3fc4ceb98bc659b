// SPDX-License-Identifier: GPL-2.0
/*
 * MINIPROC_IOC_LIST: a snapshot of every process in pid order, written at
 * the caller's record size (cut to _SIZE_VER0 or zero-padded), capacity 0
 * for the total alone, at most capacity records, and -EFAULT for a buffer
 * that cannot be written; a LIST waiting on a page fault holds up no other.
 */
#include "miniproc_util.h"

#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stddef.h>

#define NR 3

FIXTURE(list) {
	int fd;
	int floor;
	int pid[NR];	/* asleep, in creation (and so pid) order */
	int total;	/* processes in the table, ours included */
	int first;	/* index of pid[0] in a full snapshot */
};

FIXTURE_SETUP(list)
{
	struct miniproc_info *all;
	__u32 i, n;

	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	for (i = 0; i < NR; i++) {
		self->pid[i] = mp_spawn(self->fd, "listed", OP_SLEEP(SEC(3600)));
		ASSERT_LT(0, self->pid[i]);
	}
	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);
	self->total = n;
	for (i = 0; i < n && all[i].pid != self->pid[0]; i++)
		;
	self->first = i;
	free(all);
	ASSERT_EQ(self->first + NR, self->total) TH_LOG("ours are the last");
}

FIXTURE_TEARDOWN(list)
{
	mp_fixture_teardown(self->fd, self->floor);
}

/* LIST into @buf with @rec_size and @capacity; -errno or 0. */
static int list(int fd, void *buf, __u32 rec_size, __u32 capacity,
		struct miniproc_list *l)
{
	memset(l, 0, sizeof(*l));
	l->size = sizeof(*l);
	l->rec_size = rec_size;
	l->buf = (uintptr_t)buf;
	l->capacity = capacity;
	return mp_ioctl(fd, MINIPROC_IOC_LIST, l);
}

TEST_F(list, capacity_zero_reports_the_total_alone)
{
	struct miniproc_list l;

	ASSERT_EQ(0, list(self->fd, NULL, sizeof(struct miniproc_info), 0, &l));
	EXPECT_EQ(0, l.count);
	EXPECT_EQ(self->total, l.total);
}

TEST_F(list, records_come_in_pid_order_and_match_status)
{
	struct miniproc_info *all, info;
	__u32 i, n;

	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);
	ASSERT_EQ(self->total, n);
	for (i = 0; i < n; i++) {
		if (i)
			EXPECT_LT(all[i - 1].pid, all[i].pid);
		EXPECT_EQ(sizeof(info), all[i].size);
		ASSERT_EQ(0, mp_status(self->fd, all[i].pid, &info));
		EXPECT_EQ(info.ppid, all[i].ppid);
		EXPECT_EQ(info.uid, all[i].uid);
		EXPECT_EQ(info.start_time_ns, all[i].start_time_ns);
		EXPECT_STREQ(info.name, all[i].name);
	}
	for (i = 0; i < NR; i++)
		EXPECT_EQ(self->pid[i], all[self->first + i].pid);
	free(all);
}

TEST_F(list, capacity_below_total_writes_capacity_records)
{
	__u32 cap = self->first + NR - 1;
	struct miniproc_info *buf = calloc(cap + 1, sizeof(*buf));
	struct miniproc_list l;

	ASSERT_NE(NULL, buf);
	memset(&buf[cap], 0xaa, sizeof(buf[cap]));
	ASSERT_EQ(0, list(self->fd, buf, sizeof(*buf), cap, &l));
	EXPECT_EQ(cap, l.count);
	EXPECT_EQ(self->total, l.total);
	/* The lowest pids, and nothing past the last record. */
	EXPECT_EQ(self->pid[NR - 2], buf[cap - 1].pid);
	EXPECT_EQ(0xaaaaaaaa, buf[cap].size);
	free(buf);
}

TEST_F(list, record_size_ver0_packs_records_at_that_stride)
{
	const size_t stride = MINIPROC_INFO_SIZE_VER0;
	unsigned char *buf = malloc((self->total + 1) * stride);
	struct miniproc_info rec;
	struct miniproc_list l;
	int i;

	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, (self->total + 1) * stride);
	ASSERT_EQ(0, list(self->fd, buf, stride, self->total + 1, &l));
	ASSERT_EQ(self->total, l.count);
	for (i = 0; i < NR; i++) {
		memset(&rec, 0, sizeof(rec));
		memcpy(&rec, buf + (self->first + i) * stride, stride);
		EXPECT_EQ(MINIPROC_INFO_SIZE_VER0, rec.size);
		EXPECT_EQ(self->pid[i], rec.pid);
		EXPECT_STREQ("listed", rec.name);
		EXPECT_EQ(0, rec.reserved0);
	}
	/* Room for one more record: left as it was. */
	EXPECT_EQ(0xaa, buf[self->total * stride]);
	EXPECT_EQ(0xaa, buf[(self->total + 1) * stride - 1]);
	free(buf);
}

TEST_F(list, larger_record_size_gets_a_zeroed_tail)
{
	const size_t stride = sizeof(struct miniproc_info) + 40;
	unsigned char *buf = malloc(self->total * stride);
	struct miniproc_info rec;
	struct miniproc_list l;
	size_t j;
	int i;

	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, self->total * stride);
	ASSERT_EQ(0, list(self->fd, buf, stride, self->total, &l));
	ASSERT_EQ(self->total, l.count);
	for (i = 0; i < self->total; i++) {
		unsigned char *r = buf + i * stride;

		memcpy(&rec, r, sizeof(rec));
		EXPECT_EQ(sizeof(rec), rec.size);
		EXPECT_EQ(0, rec.reserved0);
		for (j = 0; j < ARRAY_SIZE(rec.reserved); j++)
			EXPECT_EQ(0, rec.reserved[j]);
		for (j = sizeof(rec); j < stride; j++)
			ASSERT_EQ(0, r[j]) TH_LOG("record %d, byte %zu", i, j);
	}
	memcpy(&rec, buf + (self->first + NR - 1) * stride, sizeof(rec));
	EXPECT_EQ(self->pid[NR - 1], rec.pid);
	free(buf);
}

TEST_F(list, record_size_below_ver0_is_einval)
{
	struct miniproc_info buf[1];
	const __u32 sizes[] = { 0, 8, MINIPROC_INFO_SIZE_VER0 - 1 };
	struct miniproc_list l;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		__u32 size = sizes[i];

		EXPECT_EQ(-EINVAL, list(self->fd, buf, size, 1, &l))
			TH_LOG("rec_size %u", size);
	}
}

TEST_F(list, buffer_that_cannot_be_written_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct miniproc_list l;
	char *map;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-EFAULT, list(self->fd, NULL, sizeof(struct miniproc_info), 1, &l));
	EXPECT_EQ(-EFAULT, list(self->fd, (void *)-4096L,
				sizeof(struct miniproc_info), 1, &l));
	/* Room for one record before a hole, capacity for all. */
	munmap(map + page, page);
	EXPECT_EQ(-EFAULT, list(self->fd, map + page - sizeof(struct miniproc_info),
				sizeof(struct miniproc_info), NR, &l));
	EXPECT_EQ(-EFAULT, list(self->fd, map + page,
				sizeof(struct miniproc_info), 1, &l));
	mprotect(map, page, PROT_READ);
	EXPECT_EQ(-EFAULT, list(self->fd, map, sizeof(struct miniproc_info), 1, &l));
	munmap(map, page);
	/* Nothing was lost on the way. */
	EXPECT_EQ(self->total, mp_total(self->fd));
}

TEST_F(list, reaped_processes_are_gone_and_zombies_are_listed)
{
	struct miniproc_info *all, info;
	int zombie = mp_spawn(self->fd, "zombie", OP_EXIT(2));
	__u32 i, n;

	ASSERT_LT(0, zombie);
	ASSERT_EQ(0, mp_poll_state(self->fd, zombie, MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, self->pid[1], NULL));
	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);
	ASSERT_EQ(self->total, n);	/* one reaped, one new */
	for (i = 0; i < n; i++) {
		EXPECT_NE(self->pid[1], all[i].pid);
		EXPECT_NE(MINIPROC_UNUSED, all[i].state);
	}
	EXPECT_EQ(zombie, all[n - 1].pid);
	EXPECT_EQ(MINIPROC_ZOMBIE, all[n - 1].state);
	EXPECT_EQ(2, all[n - 1].exit_status);
	free(all);
}

TEST_F(list, count_and_total_follow_creation_and_reaping)
{
	int extra = mp_spawn(self->fd, "extra", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, extra);
	EXPECT_EQ(self->total + 1, mp_total(self->fd));
	EXPECT_EQ(1, mp_listed(self->fd, extra));
	ASSERT_EQ(0, mp_destroy_wait(self->fd, extra, NULL));
	EXPECT_EQ(self->total, mp_total(self->fd));
	EXPECT_EQ(0, mp_listed(self->fd, extra));
}

struct stuck_list {
	int fd;
	void *buf;
	__u32 capacity;
	struct miniproc_list l;
	int ret;
};

static void *stuck_list(void *arg)
{
	struct stuck_list *s = arg;

	s->ret = list(s->fd, s->buf, sizeof(struct miniproc_info), s->capacity,
		      &s->l);
	return NULL;
}

/*
 * A LIST whose copy out waits on a page fault, here one that userfaultfd
 * leaves unresolved for as long as this test likes, holds the table's
 * snapshot buffer meanwhile. Another LIST must not wait for it: it answers
 * from a buffer of its own. (Were it to wait, this thread, the only one to
 * resolve the fault, would never get there: the test would time out.)
 */
TEST_F_TIMEOUT(list, a_list_stuck_in_a_fault_holds_up_no_other, 60)
{
	size_t page = sysconf(_SC_PAGESIZE);
	size_t len = (self->total * sizeof(struct miniproc_info) + page - 1) /
		     page * page;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_zeropage zero = { .mode = 0 };
	struct stuck_list s = { .capacity = self->total };
	struct miniproc_info *all, *stuck;
	struct uffd_msg msg;
	pthread_t t;
	int uffd, i;
	__u32 n;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	s.buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s.buf);
	reg.range.start = (uintptr_t)s.buf;
	reg.range.len = len;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	s.fd = mp_open();
	ASSERT_LE(0, s.fd);

	ASSERT_EQ(0, pthread_create(&t, NULL, stuck_list, &s));
	/* The LIST's first store into the buffer faults, and waits. */
	ASSERT_EQ(sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);

	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);
	EXPECT_EQ(self->total, n);
	for (i = 0; i < NR; i++)
		EXPECT_EQ(self->pid[i], all[self->first + i].pid);

	/* Let the stuck one go on: it gets the same processes. */
	zero.range.start = (uintptr_t)s.buf;
	zero.range.len = len;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zero));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, s.ret);
	EXPECT_EQ(self->total, s.l.count);
	stuck = s.buf;
	for (i = 0; i < (int)n && i < (int)s.l.count; i++)
		EXPECT_EQ(all[i].pid, stuck[i].pid);
	free(all);
	close(s.fd);
	close(uffd);
	munmap(s.buf, len);
}

TEST_HARNESS_MAIN
