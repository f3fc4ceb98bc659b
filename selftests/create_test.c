// SPDX-License-Identifier: GPL-2.0
/*
 * MINIPROC_IOC_CREATE: what a new process looks like (pid, name, owner,
 * flags, start time), which names and CPUs are refused, and that a refused
 * CREATE leaves no trace in the table.
 */
#include "miniproc_util.h"

#include <limits.h>

MINIPROC_FIXTURE(create);

TEST_F(create, returns_the_pid_as_value_and_in_the_struct)
{
	const struct miniproc_op prog[] = { OP_SLEEP(SEC(3600)) };
	struct miniproc_create c = {
		.size = sizeof(c), .prog = (uintptr_t)prog, .prog_len = 1,
	};
	int ret = mp_ioctl(self->fd, MINIPROC_IOC_CREATE, &c);

	ASSERT_LT(0, ret);
	EXPECT_EQ(ret, c.pid);
}

TEST_F(create, pids_only_grow_and_are_never_reused)
{
	int a = mp_spawn(self->fd, "a", OP_EXIT(0));
	struct miniproc_info info;
	int b;

	ASSERT_LT(0, a);
	ASSERT_EQ(a, mp_waitpid(self->fd, a, NULL));
	b = mp_spawn(self->fd, "b", OP_SLEEP(SEC(3600)));
	ASSERT_LT(a, b);
	EXPECT_EQ(-ESRCH, mp_status(self->fd, a, &info));
}

TEST_F(create, record_describes_the_new_process)
{
	__u64 before = mp_clock_ns(CLOCK_BOOTTIME), after;
	struct miniproc_info info;
	int pid, i;

	pid = mp_spawn(self->fd, "fresh-1", OP_SLEEP(SEC(3600)));
	after = mp_clock_ns(CLOCK_BOOTTIME);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(pid, info.pid);
	EXPECT_EQ(0, info.ppid);
	EXPECT_EQ(geteuid(), info.uid);
	EXPECT_STREQ("fresh-1", info.name);
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(0, info.exit_status);
	EXPECT_LE(before, info.start_time_ns);
	EXPECT_GE(after, info.start_time_ns);
	EXPECT_EQ(0, info.reserved0);
	/* Created by a user, not forked: no parent, no children, no forks. */
	EXPECT_EQ(0, info.fork_error);
	EXPECT_EQ(0, info.nr_children);
	EXPECT_EQ(0, info.nr_forks);
	for (i = 0; i < (int)ARRAY_SIZE(info.reserved); i++)
		EXPECT_EQ(0, info.reserved[i]);
	/* Once it runs, it has a thread and a CPU. */
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep", &info));
	EXPECT_LT(0, info.tid);
	EXPECT_LE(0, info.cpu);
}

TEST_F(create, empty_name_gives_the_default_name)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_STREQ("miniproc", info.name);
}

TEST_F(create, name_of_fifteen_characters_is_kept_whole)
{
	struct miniproc_info info;
	int pid = mp_spawn(self->fd, "abcdefghijklmn~", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_STREQ("abcdefghijklmn~", info.name);
}

TEST_F(create, autoreap_is_reported_in_the_flags)
{
	struct miniproc_info info;
	int pid = mp_spawn_autoreap(self->fd, "auto", OP_SLEEP(SEC(3600)));

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_INFO_AUTOREAP, info.flags);
}

TEST_F(create, pinned_process_runs_only_on_its_cpu)
{
	struct miniproc_exit_info exit;
	struct miniproc_info info;
	cpu_set_t online;
	int cpu, pid;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(online), &online));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &online))
			continue;
		pid = mp_spawn_pinned(self->fd, "pinned", cpu,
				      OP_LOOP(20), OP_CPU(MSEC(1)), OP_YIELD,
				      OP_SLEEP(MSEC(1)), OP_END);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
		EXPECT_EQ(MINIPROC_INFO_PINNED | MINIPROC_INFO_EXITED, info.flags);
		EXPECT_EQ(cpu, info.cpu);
		EXPECT_EQ(0, info.nr_migrations);
		EXPECT_EQ(pid, mp_waitpid(self->fd, pid, &exit));
	}
}

/* --- refused -------------------------------------------------------------- */

MINIPROC_FIXTURE(bad_create);

FIXTURE_VARIANT(bad_create) {
	char name[MINIPROC_NAME_LEN];
	__u32 flags;
	int cpu;		/* INT_MIN: as many as there are possible CPUs */
};

FIXTURE_VARIANT_ADD(bad_create, name_without_nul) {
	.name = "0123456789abcdef",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_space) {
	.name = "two words",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_tab) {
	.name = "tab\there",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_newline) {
	.name = "line\n",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_control_char) {
	.name = "bell\a",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_del) {
	.name = "del\x7f",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_latin1_byte) {
	.name = "caf\xe9",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_utf8) {
	.name = "caf\xc3\xa9",
};

FIXTURE_VARIANT_ADD(bad_create, name_with_high_control_byte) {
	.name = "x\x85",
};

FIXTURE_VARIANT_ADD(bad_create, cpu_without_pin) {
	.name = "cpu", .cpu = 1,
};

FIXTURE_VARIANT_ADD(bad_create, pin_to_negative_cpu) {
	.name = "pin", .flags = MINIPROC_CREATE_PIN, .cpu = -1,
};

FIXTURE_VARIANT_ADD(bad_create, pin_past_the_possible_cpus) {
	.name = "pin", .flags = MINIPROC_CREATE_PIN, .cpu = INT_MIN,
};

FIXTURE_VARIANT_ADD(bad_create, pin_to_cpu_4096) {
	.name = "pin", .flags = MINIPROC_CREATE_PIN, .cpu = 4096,
};

FIXTURE_VARIANT_ADD(bad_create, pin_to_int_max) {
	.name = "pin", .flags = MINIPROC_CREATE_PIN, .cpu = INT_MAX,
};

TEST_F(bad_create, is_einval_and_creates_nothing)
{
	const struct miniproc_op prog[] = { OP_SLEEP(SEC(3600)) };
	struct miniproc_create c = {
		.size = sizeof(c), .flags = variant->flags, .cpu = variant->cpu,
		.prog = (uintptr_t)prog, .prog_len = 1, .pid = -1,
	};
	int total = mp_total(self->fd), used = mp_nr_used(self->fd);

	memcpy(c.name, variant->name, sizeof(c.name));
	if (c.cpu == INT_MIN)
		c.cpu = sysconf(_SC_NPROCESSORS_CONF);
	ASSERT_EQ(-EINVAL, mp_ioctl(self->fd, MINIPROC_IOC_CREATE, &c));
	EXPECT_EQ(-1, c.pid);
	EXPECT_EQ(total, mp_total(self->fd));
	EXPECT_EQ(used, mp_nr_used(self->fd));
}

/* --- a CPU taken offline -------------------------------------------------- */

FIXTURE(offline_cpu) {
	int fd;
	int floor;
	char online[64];	/* the sysfs file that took it offline, or "" */
};

FIXTURE_SETUP(offline_cpu)
{
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
}

FIXTURE_TEARDOWN(offline_cpu)
{
	int fd;

	if (self->online[0]) {
		fd = open(self->online, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "1", 1) != 1)
			perror(self->online);
		close(fd);
	}
	mp_fixture_teardown(self->fd, self->floor);
}

TEST_F(offline_cpu, pin_to_it_is_einval)
{
	const struct miniproc_op prog[] = { OP_EXIT(0) };
	int self_cpu, cpu, fd, total;
	char path[64];

	if (geteuid() != 0 || mp_pick_cpus(&self_cpu, &cpu))
		SKIP(return, "needs root and two CPUs");
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "cpu%d cannot go offline", cpu);
	if (write(fd, "0", 1) != 1) {
		close(fd);
		SKIP(return, "cpu%d cannot go offline: %s", cpu, strerror(errno));
	}
	close(fd);
	memcpy(self->online, path, sizeof(path));
	total = mp_total(self->fd);
	EXPECT_EQ(-EINVAL, mp_create(self->fd, "pin", prog, 1, MINIPROC_CREATE_PIN, cpu, NULL));
	EXPECT_EQ(total, mp_total(self->fd));
}

TEST_HARNESS_MAIN
