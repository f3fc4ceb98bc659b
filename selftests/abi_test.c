// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI as uapi/linux/miniproc.h states it for every command:
 * unknown commands, bad pointers, the size-prefixed structs (smaller works,
 * larger works if the tail is zero, else -E2BIG, below _SIZE_VER0 -EINVAL,
 * over a page -E2BIG), reserved fields and unknown flags. (What VERSION
 * reports is in limits_test, what EVENT_FILTER does in events_test.)
 */
#include "miniproc_util.h"

#include <stddef.h>

/* A process to act on: asleep for an hour, so it stays put. */
static const struct miniproc_op sleep_prog[] = { OP_SLEEP(SEC(3600)) };

/* Fill a struct (zeroed, size set by the caller) for a call that works. */
typedef void (*prep_fn)(void *arg, int pid);

static void prep_nothing(void *arg, int pid)
{
	(void)arg;
	(void)pid;
}

static void prep_create(void *arg, int pid)
{
	struct miniproc_create *c = arg;

	(void)pid;
	c->prog = (uintptr_t)sleep_prog;
	c->prog_len = 1;
}

static void prep_destroy(void *arg, int pid)
{
	((struct miniproc_destroy *)arg)->pid = pid;
}

static void prep_wait(void *arg, int pid)
{
	struct miniproc_wait *w = arg;

	w->pid = pid;
	w->options = MINIPROC_WNOHANG;
}

static void prep_ctl(void *arg, int pid)
{
	((struct miniproc_ctl *)arg)->pid = pid;
}

static void prep_status(void *arg, int pid)
{
	((struct miniproc_info *)arg)->pid = pid;
}

static void prep_list(void *arg, int pid)
{
	(void)pid;
	((struct miniproc_list *)arg)->rec_size = sizeof(struct miniproc_info);
}

static void prep_event_filter(void *arg, int pid)
{
	((struct miniproc_event_filter *)arg)->pid = pid;
}

#define MAX_FIELDS 6

/* One ioctl's struct, as this header defines it. */
struct ioctl_case {
	unsigned long cmd;
	size_t ksize;		/* sizeof the struct in this header */
	size_t ver0;		/* its _SIZE_VER0 */
	prep_fn prep;
	size_t reserved[MAX_FIELDS];	/* offsets of reserved fields, 0-ended */
	size_t flags_at;	/* offset of its flags field, 0 if none */
	__u32 bad_flags[2];	/* flags it must refuse */
};

static const struct ioctl_case version_case = {
	.cmd = MINIPROC_IOC_VERSION,
	.ksize = sizeof(struct miniproc_version),
	.ver0 = MINIPROC_VERSION_SIZE_VER0,
	.prep = prep_nothing,
	.reserved = { offsetof(struct miniproc_version, reserved[0]),
		      offsetof(struct miniproc_version, reserved[1]) },
};

static const struct ioctl_case create_case = {
	.cmd = MINIPROC_IOC_CREATE,
	.ksize = sizeof(struct miniproc_create),
	.ver0 = MINIPROC_CREATE_SIZE_VER0,
	.prep = prep_create,
	.reserved = { offsetof(struct miniproc_create, reserved0),
		      offsetof(struct miniproc_create, reserved[0]),
		      offsetof(struct miniproc_create, reserved[1]) },
	.flags_at = offsetof(struct miniproc_create, flags),
	.bad_flags = { MINIPROC_CREATE_FLAGS + 1, 0x80000000 },
};

static const struct ioctl_case destroy_case = {
	.cmd = MINIPROC_IOC_DESTROY,
	.ksize = sizeof(struct miniproc_destroy),
	.ver0 = MINIPROC_DESTROY_SIZE_VER0,
	.prep = prep_destroy,
	.reserved = { offsetof(struct miniproc_destroy, reserved0),
		      offsetof(struct miniproc_destroy, reserved[0]),
		      offsetof(struct miniproc_destroy, reserved[1]) },
	.flags_at = offsetof(struct miniproc_destroy, flags),
	.bad_flags = { MINIPROC_DESTROY_FLAGS + 1, 0x80000000 },
};

static const struct ioctl_case wait_case = {
	.cmd = MINIPROC_IOC_WAIT,
	.ksize = sizeof(struct miniproc_wait),
	.ver0 = MINIPROC_WAIT_SIZE_VER0,
	.prep = prep_wait,
	.reserved = { offsetof(struct miniproc_wait, reserved0),
		      offsetof(struct miniproc_wait, reserved[0]),
		      offsetof(struct miniproc_wait, reserved[1]) },
	.flags_at = offsetof(struct miniproc_wait, options),
	.bad_flags = { MINIPROC_WAIT_OPTIONS + 1, 0x80000000 },
};

static const struct ioctl_case suspend_case = {
	.cmd = MINIPROC_IOC_SUSPEND,
	.ksize = sizeof(struct miniproc_ctl),
	.ver0 = MINIPROC_CTL_SIZE_VER0,
	.prep = prep_ctl,
	.reserved = { offsetof(struct miniproc_ctl, reserved0),
		      offsetof(struct miniproc_ctl, reserved[0]),
		      offsetof(struct miniproc_ctl, reserved[1]) },
	.flags_at = offsetof(struct miniproc_ctl, flags),
	.bad_flags = { 0x1, 0x80000000 },	/* "must be zero" */
};

static const struct ioctl_case resume_case = {
	.cmd = MINIPROC_IOC_RESUME,
	.ksize = sizeof(struct miniproc_ctl),
	.ver0 = MINIPROC_CTL_SIZE_VER0,
	.prep = prep_ctl,
	.reserved = { offsetof(struct miniproc_ctl, reserved0),
		      offsetof(struct miniproc_ctl, reserved[0]),
		      offsetof(struct miniproc_ctl, reserved[1]) },
	.flags_at = offsetof(struct miniproc_ctl, flags),
	.bad_flags = { 0x1, 0x80000000 },
};

static const struct ioctl_case status_case = {
	.cmd = MINIPROC_IOC_STATUS,
	.ksize = sizeof(struct miniproc_info),
	.ver0 = MINIPROC_INFO_SIZE_VER0,
	.prep = prep_status,
	.reserved = { offsetof(struct miniproc_info, reserved0),
		      offsetof(struct miniproc_info, reserved[0]),
		      offsetof(struct miniproc_info, reserved[1]) },
};

static const struct ioctl_case list_case = {
	.cmd = MINIPROC_IOC_LIST,
	.ksize = sizeof(struct miniproc_list),
	.ver0 = MINIPROC_LIST_SIZE_VER0,
	.prep = prep_list,
	.reserved = { offsetof(struct miniproc_list, reserved0),
		      offsetof(struct miniproc_list, reserved[0]),
		      offsetof(struct miniproc_list, reserved[1]) },
};

static const struct ioctl_case event_filter_case = {
	.cmd = MINIPROC_IOC_EVENT_FILTER,
	.ksize = sizeof(struct miniproc_event_filter),
	.ver0 = MINIPROC_EVENT_FILTER_SIZE_VER0,
	.prep = prep_event_filter,
	.reserved = { offsetof(struct miniproc_event_filter, reserved[0]),
		      offsetof(struct miniproc_event_filter, reserved[1]) },
	.flags_at = offsetof(struct miniproc_event_filter, flags),
	.bad_flags = { 0x1, 0x80000000 },	/* "must be zero" */
};

/* A process to act on, and the table as it was, for both fixtures below. */
struct ioctl_env {
	int fd;
	int floor;
	int pid;	/* asleep, not to be disturbed by a refused call */
	int total;
	unsigned char buf[512];
};

static void env_setup(struct __test_metadata *_metadata, struct ioctl_env *env)
{
	struct miniproc_info info;

	mp_fixture_setup(_metadata, &env->fd, &env->floor);
	env->pid = mp_create(env->fd, "abi", sleep_prog, 1, 0, 0, NULL);
	ASSERT_LT(0, env->pid);
	ASSERT_EQ(0, mp_poll_state(env->fd, env->pid, MINIPROC_SLEEPING,
				   "sleep", &info));
	env->total = mp_total(env->fd);
	ASSERT_LE(1, env->total);
}

/* Build the struct in env->buf: @size in front, @fill past the kernel's. */
static unsigned char *build(struct ioctl_env *env, const struct ioctl_case *c,
			    __u32 size, int fill)
{
	memset(env->buf, 0, sizeof(env->buf));
	c->prep(env->buf, env->pid);
	memset(env->buf + c->ksize, fill, sizeof(env->buf) - c->ksize);
	memcpy(env->buf, &size, sizeof(size));
	return env->buf;
}

/* A refused call changed nothing: no process came or went, ours sleeps on. */
static void assert_nothing_done(struct __test_metadata *_metadata,
				struct ioctl_env *env)
{
	struct miniproc_info info;

	ASSERT_EQ(env->total, mp_total(env->fd));
	ASSERT_EQ(0, mp_status(env->fd, env->pid, &info));
	EXPECT_EQ(0, info.flags);
	EXPECT_STREQ("sleep", info.chan);
}

/* --- every ioctl: sizes, reserved fields, pointers ------------------------ */

FIXTURE(ioctl) {
	struct ioctl_env env;
};

FIXTURE_VARIANT(ioctl) {
	const struct ioctl_case *c;
};

FIXTURE_VARIANT_ADD(ioctl, version) { .c = &version_case };
FIXTURE_VARIANT_ADD(ioctl, create) { .c = &create_case };
FIXTURE_VARIANT_ADD(ioctl, destroy) { .c = &destroy_case };
FIXTURE_VARIANT_ADD(ioctl, wait) { .c = &wait_case };
FIXTURE_VARIANT_ADD(ioctl, suspend) { .c = &suspend_case };
FIXTURE_VARIANT_ADD(ioctl, resume) { .c = &resume_case };
FIXTURE_VARIANT_ADD(ioctl, status) { .c = &status_case };
FIXTURE_VARIANT_ADD(ioctl, list) { .c = &list_case };
FIXTURE_VARIANT_ADD(ioctl, event_filter) { .c = &event_filter_case };

FIXTURE_SETUP(ioctl)
{
	env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN(ioctl)
{
	mp_fixture_teardown(self->env.fd, self->env.floor);
}

TEST_F(ioctl, size_ver0_is_accepted_and_nothing_is_written_past_it)
{
	const struct ioctl_case *c = variant->c;
	unsigned char *arg = build(&self->env, c, c->ver0, 0);
	size_t i;

	memset(arg + c->ver0, 0x5a, c->ksize - c->ver0);
	ASSERT_LE(0, mp_ioctl(self->env.fd, c->cmd, arg));
	for (i = c->ver0; i < c->ksize; i++)
		ASSERT_EQ(0x5a, arg[i]) TH_LOG("byte %zu written", i);
}

TEST_F(ioctl, size_larger_with_zero_tail_is_accepted)
{
	const struct ioctl_case *c = variant->c;
	unsigned char *arg = build(&self->env, c, c->ksize + 8, 0);
	size_t i;

	ASSERT_LE(0, mp_ioctl(self->env.fd, c->cmd, arg));
	for (i = c->ksize; i < c->ksize + 8; i++)
		ASSERT_EQ(0, arg[i]) TH_LOG("byte %zu written", i);
}

TEST_F(ioctl, size_larger_with_nonzero_tail_is_e2big)
{
	const struct ioctl_case *c = variant->c;
	unsigned char *arg = build(&self->env, c, c->ksize + 8, 0);

	arg[c->ksize + 7] = 1;
	ASSERT_EQ(-E2BIG, mp_ioctl(self->env.fd, c->cmd, arg));
	assert_nothing_done(_metadata, &self->env);
}

TEST_F(ioctl, size_above_a_page_is_e2big_even_with_zero_tail)
{
	const struct ioctl_case *c = variant->c;
	long page = sysconf(_SC_PAGESIZE);
	const __u32 sizes[] = { page + 1, 2 * page };
	unsigned char *big;
	size_t i;

	big = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, big);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		__u32 size = sizes[i];

		memcpy(big, build(&self->env, c, size, 0), c->ksize);
		EXPECT_EQ(-E2BIG, mp_ioctl(self->env.fd, c->cmd, big))
			TH_LOG("size %u", size);
	}
	munmap(big, 3 * page);
	assert_nothing_done(_metadata, &self->env);
}

TEST_F(ioctl, size_below_ver0_is_einval)
{
	const struct ioctl_case *c = variant->c;
	const __u32 sizes[] = { 0, 4, c->ver0 - 8, c->ver0 - 1 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		__u32 size = sizes[i];
		unsigned char *arg = build(&self->env, c, size, 0);

		EXPECT_EQ(-EINVAL, mp_ioctl(self->env.fd, c->cmd, arg))
			TH_LOG("size %u", size);
	}
	assert_nothing_done(_metadata, &self->env);
}

TEST_F(ioctl, nonzero_reserved_field_is_einval)
{
	const struct ioctl_case *c = variant->c;
	size_t i;

	for (i = 0; i < MAX_FIELDS && c->reserved[i]; i++) {
		unsigned char *arg = build(&self->env, c, c->ksize, 0);
		size_t at = c->reserved[i];

		arg[at] = 1;
		EXPECT_EQ(-EINVAL, mp_ioctl(self->env.fd, c->cmd, arg))
			TH_LOG("reserved field at offset %zu", at);
	}
	assert_nothing_done(_metadata, &self->env);
}

TEST_F(ioctl, size_bits_of_the_command_number_are_ignored)
{
	const struct ioctl_case *c = variant->c;
	unsigned long cmd = c->cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT);
	unsigned char *arg = build(&self->env, c, c->ver0, 0);

	/* A program built against an older header: its sizes are VER0. */
	ASSERT_LE(0, mp_ioctl(self->env.fd, cmd | _IOC(0, 0, 0, c->ver0), arg));
}

TEST_F(ioctl, null_argument_is_efault)
{
	ASSERT_EQ(-EFAULT, mp_ioctl(self->env.fd, variant->c->cmd, NULL));
	assert_nothing_done(_metadata, &self->env);
}

TEST_F(ioctl, unmapped_argument_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(-EFAULT, mp_ioctl(self->env.fd, variant->c->cmd, hole));
	ASSERT_EQ(-EFAULT, mp_ioctl(self->env.fd, variant->c->cmd, (void *)-4096L));
	munmap(hole, page);
	assert_nothing_done(_metadata, &self->env);
}

/* --- the ioctls with flags: every bit the header leaves undefined --------- */

FIXTURE(flags) {
	struct ioctl_env env;
};

FIXTURE_VARIANT(flags) {
	const struct ioctl_case *c;
};

FIXTURE_VARIANT_ADD(flags, create) { .c = &create_case };
FIXTURE_VARIANT_ADD(flags, destroy) { .c = &destroy_case };
FIXTURE_VARIANT_ADD(flags, wait) { .c = &wait_case };
FIXTURE_VARIANT_ADD(flags, suspend) { .c = &suspend_case };
FIXTURE_VARIANT_ADD(flags, resume) { .c = &resume_case };
FIXTURE_VARIANT_ADD(flags, event_filter) { .c = &event_filter_case };

FIXTURE_SETUP(flags)
{
	env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN(flags)
{
	mp_fixture_teardown(self->env.fd, self->env.floor);
}

TEST_F(flags, unknown_flag_is_einval)
{
	const struct ioctl_case *c = variant->c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c->bad_flags); i++) {
		unsigned char *arg = build(&self->env, c, c->ksize, 0);
		__u32 flags;

		memcpy(&flags, arg + c->flags_at, sizeof(flags));
		flags |= c->bad_flags[i];
		memcpy(arg + c->flags_at, &flags, sizeof(flags));
		EXPECT_EQ(-EINVAL, mp_ioctl(self->env.fd, c->cmd, arg))
			TH_LOG("flags %#x", flags);
	}
	assert_nothing_done(_metadata, &self->env);
}

/* --- unknown commands ---------------------------------------------------- */

MINIPROC_FIXTURE(command);

FIXTURE_VARIANT(command) {
	unsigned long cmd;
};

FIXTURE_VARIANT_ADD(command, wrong_magic) {
	.cmd = _IOWR(MINIPROC_IOC_MAGIC + 1, 0x00, struct miniproc_version),
};

FIXTURE_VARIANT_ADD(command, next_unused_number) {
	.cmd = _IOWR(MINIPROC_IOC_MAGIC, 0x09, struct miniproc_version),
};

FIXTURE_VARIANT_ADD(command, last_number) {
	.cmd = _IOWR(MINIPROC_IOC_MAGIC, 0xff, struct miniproc_version),
};

FIXTURE_VARIANT_ADD(command, event_filter_with_wrong_direction) {
	.cmd = _IOWR(MINIPROC_IOC_MAGIC, 0x08, struct miniproc_event_filter),
};

FIXTURE_VARIANT_ADD(command, wrong_direction) {
	.cmd = _IOR(MINIPROC_IOC_MAGIC, 0x00, struct miniproc_version),
};

FIXTURE_VARIANT_ADD(command, no_direction) {
	.cmd = _IO(MINIPROC_IOC_MAGIC, 0x06),
};

FIXTURE_VARIANT_ADD(command, terminal_ioctl) {
	.cmd = TCGETS,
};

TEST_F(command, is_enotty)
{
	struct miniproc_version v = { .size = sizeof(v) };

	ASSERT_EQ(-ENOTTY, mp_ioctl(self->fd, variant->cmd, &v));
}

/* --- STATUS says how much it filled ------------------------------------- */

MINIPROC_FIXTURE(status_size);

TEST_F(status_size, is_the_callers_size_up_to_the_kernels)
{
	const __u32 sizes[] = {
		MINIPROC_INFO_SIZE_VER0, sizeof(struct miniproc_info),
		sizeof(struct miniproc_info) + 8,
	};
	const __u32 filled[] = {
		MINIPROC_INFO_SIZE_VER0, sizeof(struct miniproc_info),
		sizeof(struct miniproc_info),
	};
	int pid = mp_spawn(self->fd, "sized", OP_SLEEP(SEC(3600)));
	unsigned char buf[sizeof(struct miniproc_info) + 8];
	struct miniproc_info *info = (void *)buf;
	size_t i;

	ASSERT_LT(0, pid);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(buf, 0, sizeof(buf));
		info->size = sizes[i];
		info->pid = pid;
		ASSERT_EQ(0, mp_ioctl(self->fd, MINIPROC_IOC_STATUS, buf));
		EXPECT_EQ(filled[i], info->size);
		EXPECT_EQ(pid, info->pid);
		EXPECT_STREQ("sized", info->name);
	}
}

TEST_HARNESS_MAIN
