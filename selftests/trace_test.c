// SPDX-License-Identifier: GPL-2.0
/*
 * The module's tracepoints: tracefs lists events/miniproc/miniproc_state,
 * miniproc_create and miniproc_exit; enabled, they record in the trace
 * buffer a program's state changes in order ("pid=N prev=RUNNING
 * next=SLEEPING cpu=C chan=sleep"), its creation (pid, parent, owner, name)
 * and its end (status, killed, run time); disabled, nothing. Each test
 * records in a tracing instance of its own (instances/), so it neither
 * disturbs nor depends on the main trace buffer, and removes it after.
 */
#include "miniproc_util.h"

#include <sys/stat.h>

#define TRACEFS		"/sys/kernel/tracing"
#define EVENTS		"events/miniproc/"

/* A tracing instance of a test's own, and the table as it was. */
struct tracer {
	int fd;
	int floor;
	int self_cpu;
	int cpu;		/* where the traced processes run, -1 if no other CPU */
	char instance[96];	/* its directory, "" until made */
	char *text;		/* what the trace buffer held, malloc()ed */
};

/* Write @value to @file under @dir: 0 or -errno. */
static int write_to(const char *dir, const char *file, const char *value)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		ret = -errno;
	close(fd);
	return ret;
}

/* All of @dir/@file, NUL-terminated, in a malloc()ed buffer; NULL if not. */
static char *read_all(const char *dir, const char *file)
{
	size_t size = 65536, len = 0;
	char path[256], *buf = malloc(size);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && buf && (n = read(fd, buf + len, size - len - 1)) > 0) {
		len += n;
		if (len + 1 == size) {
			char *more = realloc(buf, size *= 2);

			if (!more)
				free(buf);
			buf = more;
		}
	}
	if (fd >= 0)
		close(fd);
	if (fd < 0 || !buf) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static void tracer_setup(struct __test_metadata *_metadata, struct tracer *t)
{
	struct stat st;

	mp_fixture_setup(_metadata, &t->fd, &t->floor);
	if (!mp_pick_cpus(&t->self_cpu, &t->cpu))
		ASSERT_EQ(0, mp_pin_self(t->self_cpu));
	if (geteuid() != 0)
		SKIP(return, "tracefs needs root");
	if (stat(TRACEFS "/instances", &st))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (stat(TRACEFS "/instances", &st))
		SKIP(return, "no tracefs at %s", TRACEFS);
	snprintf(t->instance, sizeof(t->instance),
		 TRACEFS "/instances/miniproc_test.%d", getpid());
	ASSERT_EQ(0, mkdir(t->instance, 0700)) TH_LOG("%s: %s", t->instance,
						       strerror(errno));
	/* One clock for all CPUs, so that the buffer's order is the events'. */
	ASSERT_EQ(0, write_to(t->instance, "trace_clock", "global"));
}

static void tracer_teardown(struct tracer *t)
{
	if (t->instance[0]) {
		write_to(t->instance, EVENTS "enable", "0");
		write_to(t->instance, "tracing_on", "0");
		if (rmdir(t->instance))
			perror(t->instance);
	}
	free(t->text);
	mp_fixture_teardown(t->fd, t->floor);
}

#define TRACE_FIXTURE(name)						\
	FIXTURE(name) {							\
		struct tracer t;					\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		tracer_setup(_metadata, &self->t);			\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		tracer_teardown(&self->t);				\
	}

TRACE_FIXTURE(tracefs);
TRACE_FIXTURE(trace);

static void enable(struct __test_metadata *_metadata, struct tracer *t,
		   const char *event, bool on)
{
	char file[96];

	snprintf(file, sizeof(file), EVENTS "%s/enable", event);
	ASSERT_EQ(0, write_to(t->instance, file, on ? "1" : "0"))
		TH_LOG("%s/%s", t->instance, file);
}

/*
 * Run @prog on t->cpu and reap it. Its end is awaited on the event
 * stream, not with WAIT or STATUS, whose table lock it could meet on its
 * way out and block on, a state change of its own. Returns the pid.
 */
static int run_traced(struct __test_metadata *_metadata, struct tracer *t,
		      const struct miniproc_op *prog, __u32 len,
		      struct miniproc_exit_info *exit)
{
	static struct mp_event_log log;
	int stream = mp_open_stream(0, true);
	int pid;

	EXPECT_LE(0, stream);
	log.n = 0;
	pid = mp_create(t->fd, "traced", prog, len, t->cpu < 0 ? 0 : MINIPROC_CREATE_PIN,
			t->cpu < 0 ? 0 : t->cpu, NULL);
	EXPECT_LT(0, pid);
	EXPECT_EQ(0, mp_read_until(stream, &log, pid, MINIPROC_ZOMBIE));
	close(stream);
	EXPECT_EQ(pid, mp_waitpid(t->fd, pid, exit));
	t->text = read_all(t->instance, "trace");
	EXPECT_NE(NULL, t->text);
	return pid;
}

/*
 * The next line of @text, from *@pos on, of @event, whose text after
 * "@event: " begins with @head (or holds it, if !@at_start): that text up
 * to the end of the line, into @out. *@pos moves past it. False if none.
 */
static bool find_line(const char *text, const char **pos, const char *event,
		      const char *head, bool at_start, char *out, size_t size)
{
	const char *p, *end;
	char key[64];

	snprintf(key, sizeof(key), " %s: ", event);
	for (p = *pos ? *pos : text; (p = strstr(p, key)); p = end) {
		p += strlen(key);
		end = strchrnul(p, '\n');
		if (at_start ? strncmp(p, head, strlen(head)) :
		    !memmem(p, end - p, head, strlen(head)))
			continue;
		snprintf(out, size, "%.*s", (int)(end - p), p);
		*pos = end;
		return true;
	}
	return false;
}

/* The next line of @event for @pid, as find_line(). */
static bool next_line(const char *text, const char **pos, const char *event,
		      int pid, char *out, size_t size)
{
	char head[32];

	snprintf(head, sizeof(head), "pid=%d ", pid);
	return find_line(text, pos, event, head, true, out, size);
}

/* --- what tracefs lists ---------------------------------------------------- */

FIXTURE_VARIANT(tracefs) {
	const char *event;
	const char *fields[5];	/* in its format file */
};

FIXTURE_VARIANT_ADD(tracefs, miniproc_state) {
	.event = "miniproc_state",
	.fields = { "pid", "prev", "next", "cpu", "chan" },
};

FIXTURE_VARIANT_ADD(tracefs, miniproc_create) {
	.event = "miniproc_create",
	.fields = { "pid", "ppid", "uid", "name" },
};

FIXTURE_VARIANT_ADD(tracefs, miniproc_exit) {
	.event = "miniproc_exit",
	.fields = { "pid", "status", "killed", "runtime_ns" },
};

TEST_F(tracefs, event_is_listed_with_its_fields)
{
	char dir[128], field[32];
	size_t i;

	snprintf(dir, sizeof(dir), TRACEFS "/" EVENTS "%s", variant->event);
	self->t.text = read_all(dir, "format");
	ASSERT_NE(NULL, self->t.text) TH_LOG("%s/format", dir);
	for (i = 0; i < ARRAY_SIZE(variant->fields) && variant->fields[i]; i++) {
		const char *name = variant->fields[i];

		/* Declared as a field ("char chan[16];" for an array)... */
		snprintf(field, sizeof(field), " %s;", name);
		if (!strstr(self->t.text, field))
			snprintf(field, sizeof(field), " %s[", name);
		EXPECT_NE(NULL, strstr(self->t.text, field)) TH_LOG("field %s", name);
		/* ...and printed as name=value. */
		snprintf(field, sizeof(field), "%s=", name);
		EXPECT_NE(NULL, strstr(self->t.text, field)) TH_LOG("print fmt %s", name);
	}
}

TEST_F(tracefs, disabled_event_records_nothing)
{
	static const struct miniproc_op prog[] = { OP_SLEEP(MSEC(10)), OP_EXIT(3) };
	struct tracer *t = &self->t;
	const char *pos = NULL;
	char line[256];
	int pid;

	enable(_metadata, t, variant->event, true);
	enable(_metadata, t, variant->event, false);
	pid = run_traced(_metadata, t, prog, ARRAY_SIZE(prog), NULL);
	ASSERT_NE(NULL, t->text);
	EXPECT_FALSE(next_line(t->text, &pos, variant->event, pid, line, sizeof(line)))
		TH_LOG("recorded: %s", line);
}

/* --- what the events record ------------------------------------------------- */

/*
 * sleep:10ms exit:3, pinned where nothing else of ours runs: its states in
 * order, as in events_test, and nothing else but a preemption by a kernel
 * thread (RUNNING->RUNNABLE->RUNNING), which it counts in nivcsw.
 */
TEST_F(trace, state_event_records_a_programs_states_in_order)
{
	static const struct miniproc_op prog[] = { OP_SLEEP(MSEC(10)), OP_EXIT(3) };
	static const char *const want[] = {
		"prev=UNUSED next=EMBRYO cpu=-1 chan=",
		"prev=EMBRYO next=RUNNABLE cpu=-1 chan=",
		"prev=RUNNABLE next=RUNNING cpu=%d chan=",
		"prev=RUNNING next=SLEEPING cpu=%d chan=sleep",
		"prev=SLEEPING next=RUNNABLE cpu=%d chan=",
		"prev=RUNNABLE next=RUNNING cpu=%d chan=",
		"prev=RUNNING next=ZOMBIE cpu=%d chan=",
		"prev=ZOMBIE next=UNUSED cpu=%d chan=",
	};
	struct tracer *t = &self->t;
	char got[16][256], expected[128], line[256];
	struct miniproc_exit_info exit;
	const char *pos = NULL;
	int pid, n = 0, preempted = 0, skip;
	size_t i;

	if (t->cpu < 0)
		SKIP(return, "needs two CPUs");
	enable(_metadata, t, "miniproc_state", true);
	pid = run_traced(_metadata, t, prog, ARRAY_SIZE(prog), &exit);
	ASSERT_NE(NULL, t->text);
	skip = snprintf(expected, sizeof(expected), "pid=%d ", pid);
	while (n < 16 && next_line(t->text, &pos, "miniproc_state", pid, line,
				   sizeof(line))) {
		snprintf(got[n], sizeof(got[n]), "%s", line + skip);
		if (n && !strncmp(got[n], "prev=RUNNABLE next=RUNNING", 26) &&
		    !strncmp(got[n - 1], "prev=RUNNING next=RUNNABLE", 26)) {
			n--;
			preempted++;
			continue;
		}
		n++;
	}
	EXPECT_EQ(exit.nivcsw, preempted);
	ASSERT_EQ(ARRAY_SIZE(want), n) TH_LOG("%d lines for pid %d", n, pid);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(expected, sizeof(expected), want[i], t->cpu);
		EXPECT_STREQ(expected, got[i]);
	}
}

TEST_F(trace, create_and_exit_events_record_who_and_how)
{
	static const struct miniproc_op prog[] = {
		OP_FORK, OP_EXIT(1), OP_END, OP_WAIT, OP_CPU(MSEC(5)), OP_EXIT(7),
	};
	struct tracer *t = &self->t;
	char line[256], want[256];
	struct miniproc_exit_info exit;
	const char *pos = NULL;
	int pid, child;

	enable(_metadata, t, "miniproc_create", true);
	enable(_metadata, t, "miniproc_exit", true);
	pid = run_traced(_metadata, t, prog, ARRAY_SIZE(prog), &exit);
	ASSERT_NE(NULL, t->text);

	ASSERT_TRUE(next_line(t->text, &pos, "miniproc_create", pid, line, sizeof(line)));
	snprintf(want, sizeof(want), "pid=%d ppid=0 uid=%u name=traced", pid, geteuid());
	EXPECT_STREQ(want, line);
	/* Its child: forked by it, with its owner and its name. */
	snprintf(want, sizeof(want), " ppid=%d ", pid);
	ASSERT_TRUE(find_line(t->text, &pos, "miniproc_create", want, false, line,
			      sizeof(line)));
	ASSERT_EQ(1, sscanf(line, "pid=%d ", &child));
	snprintf(want, sizeof(want), "pid=%d ppid=%d uid=%u name=traced", child, pid,
		 geteuid());
	EXPECT_STREQ(want, line);
	ASSERT_TRUE(next_line(t->text, &pos, "miniproc_exit", child, line, sizeof(line)));
	snprintf(want, sizeof(want), "pid=%d status=1 killed=0 runtime_ns=", child);
	EXPECT_EQ(0, strncmp(want, line, strlen(want))) TH_LOG("%s", line);
	/* Then the parent's own end, with the run time WAIT reports. */
	ASSERT_TRUE(next_line(t->text, &pos, "miniproc_exit", pid, line, sizeof(line)));
	snprintf(want, sizeof(want), "pid=%d status=7 killed=0 runtime_ns=%llu", pid,
		 exit.runtime_ns);
	EXPECT_STREQ(want, line);
}

TEST_F(trace, exit_event_records_a_kill)
{
	static const struct miniproc_op prog[] = { OP_SLEEP(SEC(3600)) };
	struct tracer *t = &self->t;
	struct miniproc_exit_info exit;
	const char *pos = NULL;
	char line[256], want[256];
	int pid;

	enable(_metadata, t, "miniproc_exit", true);
	pid = mp_create(t->fd, "victim", prog, 1, 0, 0, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mp_destroy_wait(t->fd, pid, &exit));
	t->text = read_all(t->instance, "trace");
	ASSERT_NE(NULL, t->text);
	ASSERT_TRUE(next_line(t->text, &pos, "miniproc_exit", pid, line, sizeof(line)));
	snprintf(want, sizeof(want), "pid=%d status=%d killed=1 runtime_ns=%llu", pid,
		 MINIPROC_EXIT_STATUS_KILLED, exit.runtime_ns);
	EXPECT_STREQ(want, line);
}

TEST_HARNESS_MAIN
