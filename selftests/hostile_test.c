// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile users, as unprivileged uids (the test forks and drops to
 * 'user', 1000, and 'nobody', 65534, with setgroups/setresgid/setresuid):
 *  - one user cannot destroy, suspend, resume or wait on another's
 *    processes (-EPERM, nothing changes), in whatever state they are, but
 *    may STATUS, LIST and watch them;
 *  - the per-uid limit holds exactly when several processes of one user
 *    race to create: never one over;
 *  - every struct the kernel hands back (STATUS, LIST records, WAIT,
 *    DESTROY with WAIT, VERSION, event records) is written whole: buffers
 *    filled with 0xAA first come back with no byte left unwritten, padding,
 *    reserved fields and the bytes after a string's NUL zero (also when the
 *    slot last held a process with a longer name);
 *  - nothing that looks like a kernel address reaches userspace: ioctl
 *    outputs, read() records, /proc/miniproc, the CLI's error messages;
 *  - an input struct changed by another thread while the ioctl runs is
 *    read once: every call ends with a clean errno or a result consistent
 *    with one version of it, and what CREATE made runs a valid program.
 */
#include "miniproc_util.h"

#include <ctype.h>
#include <pthread.h>

#define MP_USER		1000

#define REQUIRE_ROOT() do { \
	if (geteuid() != 0) \
		SKIP(return, "needs root"); \
} while (0)

/* --- kernel addresses ----------------------------------------------------- */

/*
 * Does @v look like an x86-64 kernel address: the direct map, vmalloc
 * and vmemmap (0xffff8... to 0xffffe...), or kernel text and modules
 * (0xffffffff80000000 up)? -1 and small negative numbers do not.
 */
static bool kernel_address(__u64 v)
{
	__u64 top = v >> 44;

	if (top >= 0xffff8 && top <= 0xffffe)
		return true;
	return v >= 0xffffffff80000000ULL && v < 0xffffffffff000000ULL;
}

/* The offset of the first aligned word of @buf that looks like one, or -1. */
static long scan_words(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t i;

	for (i = 0; i + 8 <= len; i += 4) {
		__u64 v;

		memcpy(&v, b + i, sizeof(v));
		if (kernel_address(v))
			return i;
	}
	return -1;
}

/*
 * In text: a number, hex (16 digits, with or without 0x) or decimal, that
 * looks like a kernel address. Returns where it starts, or NULL.
 */
static const char *scan_text(const char *s)
{
	const char *p = s;

	while (*p) {
		const char *start = p;
		size_t hex = 0, dec = 0;

		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		while (isxdigit((unsigned char)p[hex]))
			hex++;
		while (isdigit((unsigned char)p[dec]))
			dec++;
		if (hex >= 12 && hex <= 16) {
			char num[17];

			memcpy(num, p, hex);
			num[hex] = '\0';
			if (kernel_address(strtoull(num, NULL, 16)))
				return start;
		}
		if (dec >= 19 && dec <= 20 && start == p) {
			char num[21];

			memcpy(num, p, dec);
			num[dec] = '\0';
			errno = 0;
			if (kernel_address(strtoull(num, NULL, 10)) && !errno)
				return start;
		}
		p += hex ? hex : 1;
	}
	return NULL;
}

#define EXPECT_NO_KADDR(buf, len) do { \
	long _at = scan_words(buf, len); \
	EXPECT_EQ(-1, _at) TH_LOG("%s: a kernel address at offset %ld", #buf, _at); \
} while (0)

/* --- bytes left unwritten --------------------------------------------------- */

#define POISON		0xAA
#define POISON32	0xAAAAAAAAU

/* The offset of the first aligned 4-byte word still 0xAAAAAAAA, or -1. */
static long scan_poison(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		__u32 v;

		memcpy(&v, b + i, sizeof(v));
		if (v == POISON32)
			return i;
	}
	return -1;
}

/* Are the bytes of a string field after its NUL all zero? */
static bool string_tail_zero(const char *s, size_t len)
{
	size_t n = strnlen(s, len);

	if (n == len)
		return false;
	while (++n < len)
		if (s[n])
			return false;
	return true;
}

static bool all_zero(const void *buf, size_t len)
{
	const unsigned char *b = buf;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* A record as STATUS and LIST give it: written whole, clean. */
static void expect_clean_info(struct __test_metadata *_metadata,
			      const struct miniproc_info *info)
{
	EXPECT_EQ(-1, scan_poison(info, sizeof(*info)))
		TH_LOG("pid %d: byte %ld left unwritten", info->pid,
		       scan_poison(info, sizeof(*info)));
	EXPECT_EQ(0, info->reserved0);
	EXPECT_TRUE(all_zero(info->reserved, sizeof(info->reserved)));
	EXPECT_TRUE(string_tail_zero(info->name, sizeof(info->name)))
		TH_LOG("pid %d: name \"%s\" has bytes after its NUL", info->pid,
		       info->name);
	EXPECT_TRUE(string_tail_zero(info->chan, sizeof(info->chan)))
		TH_LOG("pid %d: chan \"%s\" has bytes after its NUL", info->pid,
		       info->chan);
	EXPECT_EQ(0, info->flags & ~0x1fU);
	EXPECT_NO_KADDR(info, sizeof(*info));
}

static void expect_clean_exit(struct __test_metadata *_metadata,
			      const struct miniproc_exit_info *exit)
{
	EXPECT_EQ(-1, scan_poison(exit, sizeof(*exit)));
	EXPECT_EQ(0, exit->flags & ~MINIPROC_EXIT_KILLED);
	EXPECT_NO_KADDR(exit, sizeof(*exit));
}

static void expect_clean_event(struct __test_metadata *_metadata,
			       const struct miniproc_event *ev)
{
	EXPECT_EQ(-1, scan_poison(ev, sizeof(*ev)))
		TH_LOG("event %llu: byte %ld left unwritten",
		       (unsigned long long)ev->seq, scan_poison(ev, sizeof(*ev)));
	EXPECT_TRUE(string_tail_zero(ev->name, sizeof(ev->name)))
		TH_LOG("event of pid %d: name \"%s\" has bytes after its NUL",
		       ev->pid, ev->name);
	EXPECT_TRUE(string_tail_zero(ev->chan, sizeof(ev->chan)));
	EXPECT_EQ(0, ev->flags & ~0x3U);
	EXPECT_NO_KADDR(ev, sizeof(*ev));
}

/* --- one user against another's processes ----------------------------------- */

struct shared {
	int pids[8];
	int npids;
	int ret[8][8];
	struct miniproc_info info[8];
	int listed[8];
	int go;
	int created;
	int refused;
	int other;
};

FIXTURE(hostile) {
	int fd;
	int floor;
	struct shared *sh;
	long saved_limit;
};

FIXTURE_SETUP(hostile)
{
	self->saved_limit = -1;
	mp_fixture_setup(_metadata, &self->fd, &self->floor);
	self->sh = mp_shared(sizeof(*self->sh));
	ASSERT_NE(NULL, self->sh);
	if (geteuid() == 0)
		self->saved_limit = mp_param_get("max_per_uid");
}

FIXTURE_TEARDOWN(hostile)
{
	mp_fixture_teardown(self->fd, self->floor);
	if (self->saved_limit > 0)
		mp_param_set("max_per_uid", self->saved_limit);
}

/* As nobody: processes in several states, for 'user' to attack. */
static int child_victims(int fd, void *arg)
{
	static const struct miniproc_op spin[] = {
		OP_FOREVER, OP_CPU(MSEC(1)), OP_END,
	};
	struct shared *sh = arg;
	struct miniproc_info info;
	int pid;

	sh->npids = 0;
	pid = mp_spawn(fd, "sleeper", OP_SLEEP(SEC(3600)));
	if (pid < 0)
		return -pid;
	sh->pids[sh->npids++] = pid;
	pid = mp_create(fd, "spinner", spin, ARRAY_SIZE(spin), 0, 0, NULL);
	if (pid < 0)
		return -pid;
	sh->pids[sh->npids++] = pid;
	pid = mp_create(fd, "stopped", spin, ARRAY_SIZE(spin), 0, 0, NULL);
	if (pid < 0)
		return -pid;
	if (mp_suspend(fd, pid))
		return 101;
	sh->pids[sh->npids++] = pid;
	pid = mp_spawn(fd, "zombie", OP_EXIT(9));
	if (pid < 0)
		return -pid;
	if (mp_poll_state(fd, pid, MINIPROC_ZOMBIE, NULL, &info))
		return 102;
	sh->pids[sh->npids++] = pid;
	pid = mp_spawn(fd, "parent", OP_FORK, OP_SLEEP(SEC(3600)), OP_END,
		       OP_SLEEP(SEC(3600)));
	if (pid < 0)
		return -pid;
	sh->pids[sh->npids++] = pid;
	/* The sleepers asleep, so that their state stands still. */
	if (mp_poll_state(fd, sh->pids[0], MINIPROC_SLEEPING, "sleep", &info) ||
	    mp_poll_state(fd, pid, MINIPROC_SLEEPING, "sleep", &info))
		return 103;
	return 0;
}

enum { A_DESTROY, A_DESTROY_WAIT, A_SUSPEND, A_RESUME, A_WAIT, A_WAIT_NOHANG,
       A_NR };

static int attack(int fd, int op, int pid)
{
	switch (op) {
	case A_DESTROY:
		return mp_destroy(fd, pid, 0, NULL);
	case A_DESTROY_WAIT:
		return mp_destroy_wait(fd, pid, NULL);
	case A_SUSPEND:
		return mp_suspend(fd, pid);
	case A_RESUME:
		return mp_resume(fd, pid);
	case A_WAIT:
		return mp_wait(fd, &pid, 0, SEC(1), NULL);
	case A_WAIT_NOHANG:
		return mp_wait(fd, &pid, MINIPROC_WNOHANG, 0, NULL);
	}
	return -EINVAL;
}

/* As 'user': every forbidden act on each of nobody's processes, then look. */
static int child_attack(int fd, void *arg)
{
	struct shared *sh = arg;
	int i, op, any = MINIPROC_WAIT_ANY, stream;

	for (i = 0; i < sh->npids; i++)
		for (op = 0; op < A_NR; op++)
			sh->ret[i][op] = attack(fd, op, sh->pids[i]);
	/* Its WAIT for any process finds none of its own. */
	sh->other = mp_wait(fd, &any, MINIPROC_WNOHANG, 0, NULL);
	for (i = 0; i < sh->npids; i++) {
		if (mp_status(fd, sh->pids[i], &sh->info[i]))
			return 100 + i;
		sh->listed[i] = mp_listed(fd, sh->pids[i]);
	}
	/* Watching another user's process is allowed. */
	stream = mp_open_stream(sh->pids[0], true);
	if (stream < 0)
		return 120;
	close(stream);
	return 0;
}

TEST_F_TIMEOUT(hostile, user_cannot_act_on_another_users_processes, 60)
{
	struct miniproc_info before[8], after;
	int i, op;

	REQUIRE_ROOT();
	ASSERT_EQ(0, mp_run_as(MP_NOBODY, child_victims, self->sh));
	for (i = 0; i < self->sh->npids; i++)
		ASSERT_EQ(0, mp_status(self->fd, self->sh->pids[i], &before[i]));
	ASSERT_EQ(0, mp_run_as(MP_USER, child_attack, self->sh));
	for (i = 0; i < self->sh->npids; i++) {
		for (op = 0; op < A_NR; op++)
			EXPECT_EQ(-EPERM, self->sh->ret[i][op])
				TH_LOG("pid %d (%s), act %d", self->sh->pids[i],
				       before[i].name, op);
		EXPECT_EQ(1, self->sh->listed[i]);
		EXPECT_EQ(MP_NOBODY, self->sh->info[i].uid);
		EXPECT_STREQ(before[i].name, self->sh->info[i].name);
		ASSERT_EQ(0, mp_status(self->fd, self->sh->pids[i], &after));
		EXPECT_EQ(before[i].flags, after.flags);
		/* The spinner (1) moves between states by itself. */
		if (i == 1) {
			EXPECT_NE(MINIPROC_ZOMBIE, after.state);
		} else {
			EXPECT_EQ(before[i].state, after.state);
		}
		EXPECT_STREQ(before[i].chan, after.chan);
	}
	EXPECT_EQ(-ECHILD, self->sh->other);
}

/* --- the per-uid limit under a race ----------------------------------------- */

#define RACERS		8
#define RACE_LIMIT	5
#define RACE_ROUNDS	10
#define RACE_TRIES	3

static int racer(struct shared *sh)
{
	int fd, i, pid;

	if (mp_become(MP_NOBODY))
		return 1;
	fd = mp_open();
	if (fd < 0)
		return 1;
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		;
	for (i = 0; i < RACE_TRIES; i++) {
		pid = mp_spawn(fd, "racer", OP_SLEEP(SEC(3600)));
		if (pid > 0)
			__atomic_add_fetch(&sh->created, 1, __ATOMIC_RELAXED);
		else if (pid == -EAGAIN)
			__atomic_add_fetch(&sh->refused, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&sh->other, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static int count_owned(int fd, __u32 uid)
{
	struct miniproc_info *all;
	__u32 i, n;
	int count = 0;

	all = mp_snapshot(fd, &n);
	if (!all)
		return -1;
	for (i = 0; i < n; i++)
		count += all[i].uid == uid;
	free(all);
	return count;
}

TEST_F_TIMEOUT(hostile, per_uid_limit_holds_when_processes_race, 120)
{
	struct miniproc_version v;
	pid_t kids[RACERS];
	int round, i, status;

	REQUIRE_ROOT();
	if (self->saved_limit <= 0)
		SKIP(return, "no %smax_per_uid", MP_PARAMS);
	ASSERT_EQ(0, mp_version(self->fd, &v));
	if (v.nproc - v.nr_used < RACE_LIMIT + 1)
		SKIP(return, "the table has no room");
	if (count_owned(self->fd, MP_NOBODY))
		SKIP(return, "nobody already has processes");
	ASSERT_EQ(0, mp_param_set("max_per_uid", RACE_LIMIT));

	for (round = 0; round < RACE_ROUNDS; round++) {
		memset(self->sh, 0, sizeof(*self->sh));
		fflush(NULL);
		for (i = 0; i < RACERS; i++) {
			kids[i] = fork();
			ASSERT_LE(0, kids[i]);
			if (!kids[i])
				_exit(racer(self->sh));
		}
		usleep(20000);
		__atomic_store_n(&self->sh->go, 1, __ATOMIC_RELEASE);
		for (i = 0; i < RACERS; i++) {
			ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
			EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
		}
		EXPECT_EQ(RACE_LIMIT, self->sh->created) TH_LOG("round %d", round);
		EXPECT_EQ(RACERS * RACE_TRIES - RACE_LIMIT, self->sh->refused);
		EXPECT_EQ(0, self->sh->other);
		EXPECT_EQ(RACE_LIMIT, count_owned(self->fd, MP_NOBODY));
		mp_cleanup_above(self->fd, self->floor);
		EXPECT_EQ(0, count_owned(self->fd, MP_NOBODY));
		if (MP_TEST_FAILED(_metadata))
			break;
	}
}

/* --- every byte of what the kernel returns ---------------------------------- */

static int status_poisoned(int fd, int pid, struct miniproc_info *info)
{
	memset(info, POISON, sizeof(*info));
	info->size = sizeof(*info);
	info->pid = pid;
	info->reserved0 = 0;
	memset(info->reserved, 0, sizeof(info->reserved));
	return mp_ioctl(fd, MINIPROC_IOC_STATUS, info);
}

TEST_F(hostile, status_is_written_whole_even_in_a_reused_slot)
{
	static const char short_names[4][MINIPROC_NAME_LEN] = { "", "x", "ab", "y" };
	struct miniproc_info info;
	int pid, i;

	/* A long name first, so that a slot reused with a short one shows. */
	for (i = 0; i < 4; i++) {
		pid = mp_spawn(self->fd, "abcdefghijklmno", OP_EXIT(0));
		ASSERT_LT(0, pid);
		ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
		pid = mp_spawn(self->fd, short_names[i], OP_SLEEP(SEC(3600)));
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_SLEEPING, "sleep",
					   &info));
		ASSERT_EQ(0, status_poisoned(self->fd, pid, &info));
		EXPECT_EQ(sizeof(info), info.size);
		expect_clean_info(_metadata, &info);
		ASSERT_EQ(0, mp_destroy_wait(self->fd, pid, NULL));
	}
	/* init, and a zombie. */
	ASSERT_EQ(0, status_poisoned(self->fd, MINIPROC_INIT_PID, &info));
	expect_clean_info(_metadata, &info);
	pid = mp_spawn(self->fd, "z", OP_EXIT(1));
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_poll_state(self->fd, pid, MINIPROC_ZOMBIE, NULL, &info));
	ASSERT_EQ(0, status_poisoned(self->fd, pid, &info));
	expect_clean_info(_metadata, &info);
}

TEST_F(hostile, list_records_are_written_whole_and_padded_with_zeros)
{
	const size_t pad = 24, rec = sizeof(struct miniproc_info) + pad;
	unsigned char *buf;
	struct miniproc_list l;
	__u32 i;
	int pid;

	pid = mp_spawn(self->fd, "abcdefghijklmno", OP_EXIT(0));
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	ASSERT_LT(0, mp_spawn(self->fd, "s", OP_SLEEP(SEC(3600))));
	ASSERT_LT(0, mp_spawn(self->fd, "zz", OP_EXIT(0)));
	buf = malloc(rec * 256);
	ASSERT_NE(NULL, buf);
	memset(buf, POISON, rec * 256);
	memset(&l, POISON, sizeof(l));
	l.size = sizeof(l);
	l.rec_size = rec;
	l.buf = (uintptr_t)buf;
	l.capacity = 256;
	l.reserved0 = 0;
	memset(l.reserved, 0, sizeof(l.reserved));
	ASSERT_EQ(0, mp_ioctl(self->fd, MINIPROC_IOC_LIST, &l));
	EXPECT_LE(3, l.count);
	EXPECT_EQ(l.count, l.total);
	EXPECT_EQ(-1, scan_poison(&l, sizeof(l)));
	EXPECT_NO_KADDR(&l, sizeof(l));
	for (i = 0; i < l.count; i++) {
		const struct miniproc_info *info = (void *)(buf + i * rec);

		EXPECT_EQ(sizeof(*info), info->size);
		expect_clean_info(_metadata, info);
		EXPECT_TRUE(all_zero(buf + i * rec + sizeof(*info), pad));
	}
	/* Nothing past the last record. */
	EXPECT_EQ(POISON, buf[l.count * rec]);
	free(buf);
}

TEST_F(hostile, wait_destroy_and_version_answers_are_written_whole)
{
	struct miniproc_destroy d;
	struct miniproc_version v;
	struct miniproc_wait w;
	int pid;

	pid = mp_spawn(self->fd, "w", OP_EXIT(7));
	ASSERT_LT(0, pid);
	memset(&w, POISON, sizeof(w));
	w.size = sizeof(w);
	w.pid = pid;
	w.options = 0;
	w.reserved0 = 0;
	w.timeout_ns = 0;
	memset(w.reserved, 0, sizeof(w.reserved));
	ASSERT_EQ(0, mp_ioctl(self->fd, MINIPROC_IOC_WAIT, &w));
	EXPECT_EQ(pid, w.pid);
	EXPECT_EQ(7, w.exit.exit_status);
	expect_clean_exit(_metadata, &w.exit);
	EXPECT_NO_KADDR(&w, sizeof(w));

	pid = mp_spawn(self->fd, "d", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	memset(&d, POISON, sizeof(d));
	d.size = sizeof(d);
	d.pid = pid;
	d.flags = MINIPROC_DESTROY_WAIT;
	d.reserved0 = 0;
	memset(d.reserved, 0, sizeof(d.reserved));
	ASSERT_EQ(0, mp_ioctl(self->fd, MINIPROC_IOC_DESTROY, &d));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, d.exit.exit_status);
	expect_clean_exit(_metadata, &d.exit);
	EXPECT_NO_KADDR(&d, sizeof(d));

	memset(&v, POISON, sizeof(v));
	v.size = sizeof(v);
	memset(v.reserved, 0, sizeof(v.reserved));
	ASSERT_EQ(0, mp_ioctl(self->fd, MINIPROC_IOC_VERSION, &v));
	EXPECT_EQ(-1, scan_poison(&v, sizeof(v)));
	EXPECT_TRUE(all_zero(v.reserved, sizeof(v.reserved)));
	EXPECT_NO_KADDR(&v, sizeof(v));
}

TEST_F(hostile, event_records_are_written_whole)
{
	struct miniproc_event ev[64];
	int stream, pid, n, i, got = 0;
	__u64 deadline;
	unsigned char *end;

	pid = mp_spawn(self->fd, "abcdefghijklmno", OP_EXIT(0));
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	stream = mp_open_stream(0, true);
	ASSERT_LE(0, stream);
	pid = mp_spawn(self->fd, "e", OP_SLEEP(MSEC(5)), OP_CPU(MSEC(2)), OP_EXIT(0));
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, mp_waitpid(self->fd, pid, NULL));
	deadline = mp_now_ns() + MSEC(MP_POLL_MS);
	while (got < 6 && mp_now_ns() < deadline) {
		memset(ev, POISON, sizeof(ev));
		n = mp_read_events(stream, ev, ARRAY_SIZE(ev) - 1);
		if (n == -EAGAIN) {
			usleep(10000);
			continue;
		}
		ASSERT_LT(0, n);
		for (i = 0; i < n; i++)
			expect_clean_event(_metadata, &ev[i]);
		end = (unsigned char *)&ev[n];
		EXPECT_EQ(POISON, end[0]);
		got += n;
	}
	EXPECT_LE(6, got);
	close(stream);
}

/* --- text: /proc/miniproc and the CLI --------------------------------------- */

/* Run @cmd with sh, stdout and stderr together, into @buf. */
static int run_cmd(const char *cmd, char *buf, size_t len)
{
	char full[512];
	size_t n = 0;
	FILE *f;

	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	f = popen(full, "r");
	if (!f)
		return -errno;
	while (n + 1 < len && fgets(buf + n, len - n, f))
		n += strlen(buf + n);
	buf[n] = '\0';
	return pclose(f);
}

TEST_F(hostile, proc_miniproc_shows_no_kernel_address)
{
	char buf[16384];
	const char *at;
	ssize_t n;
	int fd;

	ASSERT_LT(0, mp_spawn(self->fd, "p", OP_SLEEP(SEC(3600))));
	ASSERT_LT(0, mp_spawn(self->fd, "q", OP_EXIT(0)));
	fd = open("/proc/miniproc", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "no /proc/miniproc");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	at = scan_text(buf);
	EXPECT_EQ(NULL, at) TH_LOG("/proc/miniproc: %.40s", at);
}

TEST_F(hostile, cli_errors_show_no_kernel_address)
{
	static const char *const cmds[] = {
		"%s status 2147483000", "%s kill 2147483000", "%s wait 2147483000",
		"%s suspend 1", "%s resume 1", "%s kill 1", "%s wait 1 --nohang",
		"%s create 'bogus:1'", "%s create 'sleep:99h'", "%s status -5",
		"%s ps", "%s info", "%s status 1", "%s status 1 --json",
		"su -s /bin/sh nobody -c '%s kill 1'",
	};
	const char *cli = getenv("MINIPROC_CLI");
	char cmd[256], out[8192];
	const char *at;
	size_t i;

	if (!cli || access(cli, X_OK))
		SKIP(return, "set MINIPROC_CLI to the miniproc command");
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		snprintf(cmd, sizeof(cmd), cmds[i], cli);
		run_cmd(cmd, out, sizeof(out));
		at = scan_text(out);
		EXPECT_EQ(NULL, at) TH_LOG("%s: %.60s", cmd, at);
	}
}

/* --- inputs changed while the ioctl runs ------------------------------------ */

#define FLIPS		20000

struct flipper {
	volatile __u32 *word;		/* the field to flip */
	__u32 values[4];
	int nvalues;
	volatile __u32 *word2;		/* and another, or NULL */
	__u32 values2[2];
	int stop;
};

static void *flip_thread(void *arg)
{
	struct flipper *f = arg;
	unsigned int i = 0, x = 2463534242U;
	volatile unsigned int spin;

	while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		*f->word = f->values[i % f->nvalues];
		if (f->word2)
			*f->word2 = f->values2[(i / 3) & 1];
		i++;
		/*
		 * Dwell a random while, from nothing to a few microseconds:
		 * some calls see the fields change while they run, others
		 * see each value at rest.
		 */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		for (spin = x % 4096; spin; spin--)
			;
	}
	return NULL;
}

static void flip_start(struct flipper *f, pthread_t *t)
{
	f->stop = 0;
	pthread_create(t, NULL, flip_thread, f);
}

static void flip_stop(struct flipper *f, pthread_t t)
{
	__atomic_store_n(&f->stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
}

TEST_F_TIMEOUT(hostile, create_reads_its_struct_and_program_once, 120)
{
	/* Big enough for the largest size flipped to, a page. */
	static union {
		struct miniproc_create c;
		unsigned char bytes[8192];
	} arg;
	static struct miniproc_op prog[2];
	struct miniproc_info *all;
	struct flipper fs = {}, fp = {};
	pthread_t ts, tp;
	int i, r, ret, created = 0, live = 0, bad = 0, einval = 0, e2big = 0;
	int last_bad = 0;
	__u32 n, j, mine = 0;

	memset(&arg, 0, sizeof(arg));
	arg.c.size = sizeof(arg.c);
	mp_set_name(arg.c.name, "flip");
	arg.c.prog = (uintptr_t)prog;
	arg.c.prog_len = 1;
	prog[0] = OP_SLEEP(SEC(3600));
	prog[1] = OP_EXIT(0);

	/* At rest, the struct is good. */
	ret = mp_ioctl(self->fd, MINIPROC_IOC_CREATE, &arg);
	ASSERT_LT(0, ret) TH_LOG("CREATE at rest: %d", ret);
	ASSERT_EQ(0, mp_destroy_wait(self->fd, ret, NULL));

	/* The size: full, the first version's, too small, beyond a page. */
	fs.word = &arg.c.size;
	fs.values[0] = sizeof(arg.c);
	fs.values[1] = MINIPROC_CREATE_SIZE_VER0;
	fs.values[2] = 8;
	fs.values[3] = 4100;
	fs.nvalues = 4;
	/* prog_len 1 or 300 (too long). */
	fs.word2 = &arg.c.prog_len;
	fs.values2[0] = 1;
	fs.values2[1] = 300;
	/* The program's op: a sleep, or an unknown code. */
	fp.word = &prog[0].code;
	fp.values[0] = MINIPROC_OP_SLEEP;
	fp.values[1] = 0x7777;
	fp.nvalues = 2;
	flip_start(&fs, &ts);
	flip_start(&fp, &tp);
	for (i = 0; i < FLIPS / 20; i++) {
		/*
		 * The flippers may not run for a while (under emulation,
		 * for many calls): start each call from values of our own.
		 */
		r = rand();
		*(volatile __u32 *)&arg.c.size = fs.values[r % 4];
		*(volatile __u32 *)&arg.c.prog_len = fs.values2[(r >> 2) & 1];
		*(volatile __u32 *)&prog[0].code = fp.values[(r >> 3) & 1];
		ret = mp_ioctl(self->fd, MINIPROC_IOC_CREATE, &arg);
		if (ret > 0)
			created++, live++;
		else if (ret == -EINVAL)
			einval++;
		else if (ret == -E2BIG)
			e2big++;
		else
			bad++;
		/* Well below max_per_uid and the table. */
		if (live >= 16) {
			mp_cleanup_above(self->fd, self->floor);
			live = 0;
		}
	}
	flip_stop(&fs, ts);
	flip_stop(&fp, tp);
	EXPECT_EQ(0, bad) TH_LOG("%d calls failed otherwise, last with %d", bad, last_bad);
	EXPECT_LT(0, created);
	EXPECT_LT(0, einval);
	EXPECT_LT(0, e2big);
	ksft_print_msg("CREATE with flipping inputs: %d of %d created, %d EINVAL, %d E2BIG\n",
		       created, FLIPS / 20, einval, e2big);

	/* What was created runs the program that was checked: it sleeps. */
	all = mp_snapshot(self->fd, &n);
	ASSERT_NE(NULL, all);
	for (j = 0; j < n; j++) {
		if (all[j].pid <= self->floor)
			continue;
		mine++;
		EXPECT_STREQ("flip", all[j].name);
		EXPECT_NE(MINIPROC_ZOMBIE, all[j].state) TH_LOG("pid %d", all[j].pid);
	}
	free(all);
	EXPECT_GE(16u, mine);
}

/* STATUS, LIST, VERSION, WAIT, DESTROY, SUSPEND, RESUME, EVENT_FILTER. */
static const struct {
	const char *name;
	unsigned long cmd;
	__u32 full;
	__u32 ver0;
} flipped[] = {
	{ "STATUS", MINIPROC_IOC_STATUS, sizeof(struct miniproc_info),
	  MINIPROC_INFO_SIZE_VER0 },
	{ "LIST", MINIPROC_IOC_LIST, sizeof(struct miniproc_list),
	  MINIPROC_LIST_SIZE_VER0 },
	{ "VERSION", MINIPROC_IOC_VERSION, sizeof(struct miniproc_version),
	  MINIPROC_VERSION_SIZE_VER0 },
	{ "WAIT", MINIPROC_IOC_WAIT, sizeof(struct miniproc_wait),
	  MINIPROC_WAIT_SIZE_VER0 },
	{ "DESTROY", MINIPROC_IOC_DESTROY, sizeof(struct miniproc_destroy),
	  MINIPROC_DESTROY_SIZE_VER0 },
	{ "SUSPEND", MINIPROC_IOC_SUSPEND, sizeof(struct miniproc_ctl),
	  MINIPROC_CTL_SIZE_VER0 },
	{ "RESUME", MINIPROC_IOC_RESUME, sizeof(struct miniproc_ctl),
	  MINIPROC_CTL_SIZE_VER0 },
	{ "EVENT_FILTER", MINIPROC_IOC_EVENT_FILTER,
	  sizeof(struct miniproc_event_filter), MINIPROC_EVENT_FILTER_SIZE_VER0 },
};

TEST_F_TIMEOUT(hostile, every_ioctl_survives_its_struct_changing_under_it, 120)
{
	static union {
		struct miniproc_info info;
		struct miniproc_list list;
		struct miniproc_wait wait;
		struct miniproc_destroy destroy;
		struct miniproc_ctl ctl;
		struct miniproc_event_filter filter;
		unsigned char bytes[8192];
	} arg;
	static struct miniproc_info recs[8];
	struct miniproc_info info;
	struct flipper f = {};
	size_t k;
	pthread_t t;
	int i, r, ret, pid, stopped, victim;

	victim = mp_spawn(self->fd, "victim", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, victim);
	pid = mp_spawn(self->fd, "target", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, pid);
	stopped = mp_spawn(self->fd, "stopped", OP_SLEEP(SEC(3600)));
	ASSERT_LT(0, stopped);
	ASSERT_EQ(0, mp_suspend(self->fd, stopped));
	for (k = 0; k < ARRAY_SIZE(flipped); k++) {
		int ok = 0, bad = 0, last_bad = 0;

		memset(&arg, 0, sizeof(arg));
		arg.info.size = flipped[k].full;
		arg.info.pid = pid;
		if (flipped[k].cmd == MINIPROC_IOC_SUSPEND)
			arg.info.pid = stopped;
		if (flipped[k].cmd == MINIPROC_IOC_DESTROY)
			arg.info.pid = victim;
		if (flipped[k].cmd == MINIPROC_IOC_LIST) {
			arg.list.rec_size = sizeof(recs[0]);
			arg.list.buf = (uintptr_t)recs;
			arg.list.capacity = ARRAY_SIZE(recs);
		}
		if (flipped[k].cmd == MINIPROC_IOC_WAIT)
			arg.wait.options = MINIPROC_WNOHANG;
		f.word = &arg.info.size;
		f.values[0] = flipped[k].full;
		f.values[1] = flipped[k].ver0;
		f.values[2] = 2;
		f.values[3] = 4097;
		f.nvalues = 4;
		/* The pid, or for LIST the record size, flips too. */
		f.word2 = flipped[k].cmd == MINIPROC_IOC_LIST ?
			  &arg.list.rec_size : (volatile __u32 *)&arg.info.pid;
		f.values2[0] = flipped[k].cmd == MINIPROC_IOC_LIST ?
			       sizeof(recs[0]) : (__u32)arg.info.pid;
		f.values2[1] = flipped[k].cmd == MINIPROC_IOC_LIST ? 8 : 0x7ffffff0;
		flip_start(&f, &t);
		for (i = 0; i < FLIPS / 4; i++) {
			/* As for CREATE: each call starts from values of ours. */
			r = rand();
			*f.word = f.values[r % 4];
			*f.word2 = f.values2[(r >> 2) & 1];
			ret = mp_ioctl(self->fd, flipped[k].cmd, &arg);
			if (ret >= 0 || ret == -EINVAL || ret == -E2BIG ||
			    ret == -ESRCH) {
				ok++;
				continue;
			}
			bad++;
			last_bad = ret;
		}
		flip_stop(&f, t);
		EXPECT_EQ(0, bad) TH_LOG("%s: %d calls failed unexpectedly, last %d",
					 flipped[k].name, bad, last_bad);
		EXPECT_LT(0, ok);
	}
	/* Both processes are as they were: asleep, one suspended. */
	ASSERT_EQ(0, mp_status(self->fd, pid, &info));
	EXPECT_EQ(MINIPROC_SLEEPING, info.state);
	EXPECT_FALSE(info.flags & (MINIPROC_INFO_KILLED | MINIPROC_INFO_SUSPENDED));
	ASSERT_EQ(0, mp_status(self->fd, stopped, &info));
	EXPECT_EQ(0, info.flags & MINIPROC_INFO_KILLED);
	EXPECT_TRUE(info.flags & MINIPROC_INFO_SUSPENDED);
	/* The victim was killed by a DESTROY, and ended so. */
	ASSERT_EQ(0, mp_poll_state(self->fd, victim, MINIPROC_ZOMBIE, NULL, &info));
	EXPECT_EQ(MINIPROC_EXIT_STATUS_KILLED, info.exit_status);
}

TEST_HARNESS_MAIN
