// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/miniproc, the procdump of xv6: anyone may read it (here uid 65534,
 * in a child, as in owner_test); it has a header naming its columns and a
 * row per process, init included, in pid order, as LIST has them, each
 * with its pid, state, wait channel and name; and it shows no kernel
 * address anywhere.
 */
#include "miniproc_util.h"

#include <ctype.h>
#include <sys/stat.h>

#define PROCDUMP	"/proc/miniproc"
#define DUMP_MAX	65536
#define COLS_MAX	16

/* What the child reading the file as another user hands back. */
struct dump {
	int err;		/* errno of open() or read(), 0 if it worked */
	char text[DUMP_MAX];
};

static int read_dump(struct dump *d)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	d->err = 0;
	fd = open(PROCDUMP, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return d->err = errno;
	while ((n = read(fd, d->text + len, DUMP_MAX - 1 - len)) > 0)
		len += n;
	if (n < 0)
		d->err = errno;
	close(fd);
	d->text[len] = '\0';
	return d->err;
}

static int child_read_dump(int fd, void *arg)
{
	(void)fd;
	return read_dump(arg);
}

/* A line cut into its whitespace-separated words, at most COLS_MAX. */
struct row {
	int n;
	char col[COLS_MAX][MINIPROC_NAME_LEN + 8];
};

/* Split @line (up to a newline) into @r; returns the start of the next line. */
static const char *split(const char *line, struct row *r)
{
	const char *p = line;
	int len;

	r->n = 0;
	while (*p && *p != '\n') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		for (len = 0; p[len] && !isspace((unsigned char)p[len]); len++)
			;
		if (r->n < COLS_MAX)
			snprintf(r->col[r->n++], sizeof(r->col[0]), "%.*s", len, p);
		p += len;
	}
	return *p ? p + 1 : p;
}

FIXTURE(procfs) {
	int fd;
	int floor;
	struct dump *dump;	/* shared with the child that reads it */
	int pid[3];		/* asleep, a zombie, suspended */
};

FIXTURE_SETUP(procfs)
{
	struct miniproc_info info;

	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	self->dump = mp_shared(sizeof(*self->dump));
	ASSERT_NE(NULL, self->dump);
	self->pid[0] = mp_spawn(self->fd, "asleep", OP_SLEEP(SEC(3600)));
	self->pid[1] = mp_spawn(self->fd, "zombie", OP_EXIT(4));
	self->pid[2] = mp_spawn(self->fd, "stopped", OP_FOREVER, OP_CPU(MSEC(1)), OP_END);
	ASSERT_LT(0, self->pid[0]);
	ASSERT_LT(0, self->pid[1]);
	ASSERT_LT(0, self->pid[2]);
	ASSERT_EQ(0, mp_poll_state(self->fd, self->pid[0], MINIPROC_SLEEPING, "sleep", &info));
	ASSERT_EQ(0, mp_poll_state(self->fd, self->pid[1], MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(0, mp_suspend(self->fd, self->pid[2]));
	/* And init, asleep in its wait for orphans. */
	ASSERT_EQ(0, mp_poll_state(self->fd, MINIPROC_INIT_PID, MINIPROC_SLEEPING, "wait",
				   &info));
}

FIXTURE_TEARDOWN(procfs)
{
	mp_fixture_teardown(self->fd, self->floor);
}

TEST_F(procfs, is_readable_by_anyone)
{
	struct stat st;

	ASSERT_EQ(0, stat(PROCDUMP, &st));
	EXPECT_EQ(0444, st.st_mode & 0777);
	if (geteuid() != 0)
		SKIP(return, "switching to uid %d needs root", MP_NOBODY);
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_read_dump, self->dump));
	EXPECT_EQ(0, self->dump->err) TH_LOG("%s", strerror(self->dump->err));
	EXPECT_NE(NULL, strstr(self->dump->text, "init"));
}

/* Where in a row each column of the header is. */
struct columns {
	int pid, state, chan, name, n;
};

static void find_columns(struct __test_metadata *_metadata, const struct row *header,
			 struct columns *c)
{
	int i;

	c->pid = c->state = c->chan = c->name = -1;
	c->n = header->n;
	for (i = 0; i < header->n; i++) {
		if (!strcmp(header->col[i], "PID"))
			c->pid = i;
		else if (!strcmp(header->col[i], "STATE"))
			c->state = i;
		else if (!strcmp(header->col[i], "CHAN"))
			c->chan = i;
		else if (!strcmp(header->col[i], "NAME"))
			c->name = i;
	}
	ASSERT_EQ(0, c->pid) TH_LOG("PID first");
	ASSERT_LT(c->pid, c->state);
	ASSERT_LT(c->state, c->chan);
	ASSERT_EQ(header->n - 1, c->name) TH_LOG("NAME last");
}

TEST_F(procfs, has_a_header_and_a_row_per_process_like_list)
{
	struct miniproc_info *all;
	struct columns c;
	struct row r;
	const char *line;
	__u32 i, n;

	if (geteuid() == 0) {
		ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_read_dump, self->dump));
	} else {
		ASSERT_EQ(0, read_dump(self->dump));
	}
	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);

	line = split(self->dump->text, &r);
	find_columns(_metadata, &r, &c);
	for (i = 0; i < n; i++) {
		const struct miniproc_info *info = &all[i];

		line = split(line, &r);
		ASSERT_EQ(c.n, r.n) TH_LOG("row %u: %d columns", i, r.n);
		EXPECT_EQ(info->pid, atoi(r.col[c.pid])) TH_LOG("row %u", i);
		/* Every process here keeps still: asleep, a zombie or stopped. */
		EXPECT_STREQ(mp_state_name(info->state), r.col[c.state])
			TH_LOG("pid %d", info->pid);
		EXPECT_STREQ(info->chan[0] ? info->chan : "-", r.col[c.chan])
			TH_LOG("pid %d", info->pid);
		EXPECT_STREQ(info->name, r.col[c.name]) TH_LOG("pid %d", info->pid);
	}
	EXPECT_STREQ("", line) TH_LOG("rows past LIST's %u", n);
	free(all);
}

TEST_F(procfs, init_row_is_pid_1_asleep_on_wait)
{
	struct columns c;
	struct row r;
	const char *line;

	ASSERT_EQ(0, read_dump(self->dump));
	line = split(self->dump->text, &r);
	find_columns(_metadata, &r, &c);
	split(line, &r);
	EXPECT_STREQ("1", r.col[c.pid]);
	EXPECT_STREQ("SLEEPING", r.col[c.state]);
	EXPECT_STREQ("wait", r.col[c.chan]);
	EXPECT_STREQ("init", r.col[c.name]);
}

TEST_F(procfs, reaped_process_has_no_row)
{
	char needle[32];

	ASSERT_EQ(self->pid[1], mp_waitpid(self->fd, self->pid[1], NULL));
	ASSERT_EQ(0, read_dump(self->dump));
	snprintf(needle, sizeof(needle), "\n%d ", self->pid[1]);
	EXPECT_EQ(NULL, strstr(self->dump->text, needle));
	snprintf(needle, sizeof(needle), "\n%d ", self->pid[0]);
	EXPECT_NE(NULL, strstr(self->dump->text, needle));
}

/* "0xffff...", or any word of 16 hex digits: a kernel pointer printed raw. */
static const char *kernel_address(const char *text)
{
	const char *p;
	int run = 0;

	for (p = text; *p; p++) {
		if (!strncasecmp(p, "0xffff", 6))
			return p;
		run = isxdigit((unsigned char)*p) ? run + 1 : 0;
		if (run >= 16)
			return p - 15;
	}
	return NULL;
}

TEST_F(procfs, shows_no_kernel_address)
{
	const char *at;

	ASSERT_EQ(0, read_dump(self->dump));
	at = kernel_address(self->dump->text);
	EXPECT_EQ(NULL, at) TH_LOG("at: %.40s", at);
}

TEST_HARNESS_MAIN
