// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of the record printers: the text table, the status list
 * and JSON, from made-up records; user names through NSS;
 * the state names. TAP output; exit status 1 if any case fails.
 */
#include <errno.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli.h"
#include "../columns.h"
#include "../libminiproc.h"
#include "../users.h"
#include "tap.h"

/* Compare printed output with what it must be; show both if different. */
static void expect(const char *what, char *got, const char *want)
{
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("# want:\n%s\n# got:\n%s\n", want, got);
	free(got);
}

static const struct miniproc_info recs[] = {
	{
		.pid = 5, .ppid = 0, .uid = 0, .state = MINIPROC_RUNNING,
		.cpu = 1, .tid = 321, .name = "worker",
		.start_time_ns = 2000000000ULL, .runtime_ns = 12345678,
		.nvcsw = 3, .nivcsw = 2, .nr_sched_in = 6, .nr_wakeups = 4,
		.nr_migrations = 1, .fork_error = EAGAIN, .nr_children = 2,
		.nr_forks = 3,
	},
	{
		.pid = 12, .ppid = 5, .uid = 4242, .state = MINIPROC_SLEEPING,
		.flags = MINIPROC_INFO_SUSPENDED | MINIPROC_INFO_KILLED,
		.cpu = -1, .tid = 322, .name = "a\"b\\c\x01", .chan = "sleep",
	},
	{
		.pid = 100, .ppid = 0, .uid = 65534, .state = MINIPROC_ZOMBIE,
		.flags = MINIPROC_INFO_EXITED | MINIPROC_INFO_AUTOREAP |
			 MINIPROC_INFO_PINNED,
		.exit_status = 7, .cpu = 0, .name = "z", .chan = "stale",
		.runtime_ns = 61500000000ULL,
	},
};

static const enum col_id ps_cols[] = {
	COL_PID, COL_PPID, COL_UID, COL_STATE, COL_CHAN, COL_CPU,
	COL_RUNTIME, COL_NAME,
};

static FILE *mem(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f) {
		perror("open_memstream");
		exit(1);
	}
	return f;
}

static void test_table(void)
{
	char *buf;
	size_t len;
	FILE *f = mem(&buf, &len);

	cols_print_table(f, recs, NULL, 3, ps_cols, 8);
	fclose(f);
	expect("ps table is aligned, numbers to the right", buf,
	       "PID PPID USER   STATE    CHAN  CPU   TIME NAME\n"
	       "  5    0 root   RUNNING  -       1  0.012 worker\n"
	       " 12    5 4242   SLEEPING sleep   -  0.000 a\"b\\c?\n"
	       "100    0 nobody ZOMBIE   -       0 61.500 z\n");

	f = mem(&buf, &len);
	cols_print_table(f, NULL, NULL, 0, ps_cols, 8);
	fclose(f);
	expect("an empty table prints nothing, as util-linux's tools", buf,
	       "");
}

/* Computed columns: CPU%, only where a command computed it. */
static void test_extra(void)
{
	static const enum col_id cols[] = { COL_PID, COL_PCPU, COL_NAME,
					    COL_STATE };
	static const struct col_extra extra[] = {
		{ .cpu_permille = 1000 },
		{ .cpu_permille = 5 },
		{ .cpu_permille = -1 },
	};
	char *buf;
	size_t len;
	FILE *f = mem(&buf, &len);

	cols_print_table(f, recs, extra, 3, cols, 4);
	fclose(f);
	expect("CPU% with one decimal, '-' when unknown", buf,
	       "PID  CPU% NAME   STATE\n"
	       "  5 100.0 worker RUNNING\n"
	       " 12   0.5 a\"b\\c? SLEEPING\n"
	       "100     - z      ZOMBIE\n");
}

/* The formats util-linux's tools share: -o, -n, -r, -P, a tree. */
static void test_formats(void)
{
	static const enum col_id cols[] = { COL_PID, COL_STATE, COL_NAME };
	static const int parent[] = { -1, 0, 1 };
	struct cols_style st = { .format = COLS_RAW };
	char *buf;
	size_t len;
	FILE *f = mem(&buf, &len);

	cols_print(f, recs, NULL, 3, cols, 3, &st);
	fclose(f);
	expect("raw: one space between values, a header, \\ encoded", buf,
	       "PID STATE NAME\n"
	       "5 RUNNING worker\n"
	       "12 SLEEPING a\"b\\x5cc?\n"
	       "100 ZOMBIE z\n");

	st.noheadings = true;
	f = mem(&buf, &len);
	cols_print(f, recs, NULL, 3, cols, 3, &st);
	fclose(f);
	expect("raw, no headings", buf,
	       "5 RUNNING worker\n"
	       "12 SLEEPING a\"b\\x5cc?\n"
	       "100 ZOMBIE z\n");

	st = (struct cols_style){ .format = COLS_PAIRS };
	f = mem(&buf, &len);
	cols_print(f, recs, NULL, 2, cols, 3, &st);
	fclose(f);
	expect("pairs: NAME=\"value\", quotes and \\ encoded as lsblk -P", buf,
	       "PID=\"5\" STATE=\"RUNNING\" NAME=\"worker\"\n"
	       "PID=\"12\" STATE=\"SLEEPING\" NAME=\"a\\x22b\\x5cc?\"\n");

	{
		static const enum col_id pc[] = { COL_PID, COL_PCPU };
		static const struct col_extra x[] = { { .cpu_permille = 5 } };

		f = mem(&buf, &len);
		cols_print(f, recs, x, 1, pc, 2, &st);
		fclose(f);
		expect("pairs: CPU% is CPU_PCT, a shell variable", buf,
		       "PID=\"5\" CPU_PCT=\"0.5\"\n");
	}

	st = (struct cols_style){ .parent = parent };
	f = mem(&buf, &len);
	cols_print(f, recs, NULL, 3, cols, 3, &st);
	fclose(f);
	expect("tree: ASCII glyphs in the NAME column", buf,
	       "PID STATE    NAME\n"
	       "  5 RUNNING  worker\n"
	       " 12 SLEEPING `-a\"b\\c?\n"
	       "100 ZOMBIE     `-z\n");

	st.utf8 = true;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C.utf8");
	f = mem(&buf, &len);
	cols_print(f, recs, NULL, 3, cols, 3, &st);
	fclose(f);
	expect("tree: box-drawing glyphs, aligned by characters", buf,
	       "PID STATE    NAME\n"
	       "  5 RUNNING  worker\n"
	       " 12 SLEEPING \u2514\u2500a\"b\\c?\n"
	       "100 ZOMBIE     \u2514\u2500z\n");
	setlocale(LC_CTYPE, "C");
}

/* -o lists: names in any case, +LIST, unknown and empty names. */
static void test_parse(void)
{
	static const enum col_id defs[] = { COL_PID, COL_NAME };
	enum col_id cols[COLS_MAX];
	unsigned int n = 0;
	char why[128] = "";

	ok(!cols_parse("pid,State,CHAN", defs, 2, COL_NR, cols, &n, why,
		       sizeof(why)) && n == 3 && cols[0] == COL_PID &&
	   cols[1] == COL_STATE && cols[2] == COL_CHAN,
	   "-o pid,State,CHAN: three columns, any case");
	ok(!cols_parse("+time", defs, 2, COL_NR, cols, &n, why, sizeof(why)) &&
	   n == 3 && cols[0] == COL_PID && cols[1] == COL_NAME &&
	   cols[2] == COL_RUNTIME, "-o +time: the defaults, then TIME");
	ok(cols_parse("pid,bogus", defs, 2, COL_NR, cols, &n, why,
		      sizeof(why)) &&
	   !strcmp(why, "unknown column 'bogus' (--help lists them)"),
	   "-o pid,bogus: unknown column (%s)", why);
	ok(cols_parse("pid,,name", defs, 2, COL_NR, cols, &n, why,
		      sizeof(why)) && strstr(why, "an empty column name"),
	   "-o pid,,name: an empty name (%s)", why);
	ok(cols_parse("cpu%", defs, 2, COL_NR, cols, &n, why, sizeof(why)),
	   "CPU%% is not a column of records (ps)");
	ok(!cols_parse("cpu%", defs, 2, COL_ALL, cols, &n, why, sizeof(why)) &&
	   n == 1 && cols[0] == COL_PCPU, "CPU%% is one of top's");
	ok(cols_all(COL_NR, cols) == COL_NR && cols[COL_NR - 1] == COL_NR - 1,
	   "--output-all: every field, in order");
}

static void test_json(void)
{
	char *buf;
	size_t len;
	FILE *f = mem(&buf, &len);

	cols_print_json_object(f, &recs[0]);
	fclose(f);
	expect("JSON object: contract keys first, in order, typed", buf,
	       "{\"pid\": 5, \"ppid\": 0, \"uid\": 0, \"name\": \"worker\", "
	       "\"state\": \"running\", \"chan\": \"\", \"killed\": false, "
	       "\"suspended\": false, \"exit_status\": null, \"cpu\": 1, "
	       "\"runtime_ns\": 12345678, \"nvcsw\": 3, \"nivcsw\": 2, "
	       "\"tid\": 321, \"autoreap\": false, \"pinned\": false, "
	       "\"start_time_ns\": 2000000000, \"nr_sched_in\": 6, "
	       "\"nr_wakeups\": 4, \"nr_migrations\": 1, \"fork_error\": 11, "
	       "\"nr_children\": 2, \"nr_forks\": 3}");

	f = mem(&buf, &len);
	cols_print_json_array(f, &recs[1], 2);
	fclose(f);
	expect("JSON array: escapes, null cpu, booleans, exit status", buf,
	       "[\n"
	       "  {\"pid\": 12, \"ppid\": 5, \"uid\": 4242, "
	       "\"name\": \"a\\\"b\\\\c\\u0001\", \"state\": \"sleeping\", "
	       "\"chan\": \"sleep\", \"killed\": true, \"suspended\": true, "
	       "\"exit_status\": null, \"cpu\": null, \"runtime_ns\": 0, "
	       "\"nvcsw\": 0, \"nivcsw\": 0, \"tid\": 322, "
	       "\"autoreap\": false, \"pinned\": false, "
	       "\"start_time_ns\": 0, \"nr_sched_in\": 0, "
	       "\"nr_wakeups\": 0, \"nr_migrations\": 0, \"fork_error\": 0, "
	       "\"nr_children\": 0, \"nr_forks\": 0},\n"
	       "  {\"pid\": 100, \"ppid\": 0, \"uid\": 65534, "
	       "\"name\": \"z\", \"state\": \"zombie\", \"chan\": \"\", "
	       "\"killed\": false, \"suspended\": false, "
	       "\"exit_status\": 7, \"cpu\": 0, \"runtime_ns\": 61500000000, "
	       "\"nvcsw\": 0, \"nivcsw\": 0, \"tid\": 0, "
	       "\"autoreap\": true, \"pinned\": true, "
	       "\"start_time_ns\": 0, \"nr_sched_in\": 0, "
	       "\"nr_wakeups\": 0, \"nr_migrations\": 0, \"fork_error\": 0, "
	       "\"nr_children\": 0, \"nr_forks\": 0}\n"
	       "]\n");

	f = mem(&buf, &len);
	cols_print_json_array(f, NULL, 0);
	fclose(f);
	expect("empty JSON array", buf, "[]\n");

	f = mem(&buf, &len);
	json_print_string(f, "tab\there\nnl \x7f\xc3\xa9");
	fclose(f);
	expect("JSON string escapes control and non-ASCII bytes", buf,
	       "\"tab\\there\\nnl \\u007f\\u00c3\\u00a9\"");
}

static void test_status(void)
{
	char *buf;
	size_t len;
	FILE *f = mem(&buf, &len);

	cols_print_status(f, &recs[2]);
	fclose(f);
	ok(strstr(buf, "Pid:                  100\n") &&
	   strstr(buf, "User:                 nobody (uid 65534)\n") &&
	   strstr(buf, "State:                ZOMBIE\n") &&
	   strstr(buf, "Wait channel:         -\n") &&
	   strstr(buf, "Exit status:          7\n") &&
	   strstr(buf, "Autoreap:             yes\n") &&
	   strstr(buf, "Killed:               no\n") &&
	   strstr(buf, "Runtime:              61.500000000 s\n") &&
	   strstr(buf, "Thread id:            - (ended)\n") &&
	   strstr(buf, "Start time:           0.000000 s after boot"),
	   "status lists every field as aligned Key: value lines");
	if (!strstr(buf, "Pid:                  100\n"))
		printf("# got:\n%s", buf);
	ok(strstr(buf, "Migrations:") && strstr(buf, "Times scheduled in:") &&
	   strstr(buf, "Wakeups:") && strstr(buf, "Voluntary switches:") &&
	   strstr(buf, "Involuntary switches:"),
	   "status has the scheduling counters");
	ok(strstr(buf, "Fork error:           none\n") &&
	   strstr(buf, "Children (unreaped):  0\n") &&
	   strstr(buf, "Children started:     0\n"),
	   "status: no fork error, no children");
	free(buf);

	f = mem(&buf, &len);
	cols_print_status(f, &recs[0]);
	fclose(f);
	ok(strstr(buf, "Fork error:           last failed fork: the process table was full or the owner was at the per-user limit (EAGAIN)\n") &&
	   strstr(buf, "Children (unreaped):  2\n") &&
	   strstr(buf, "Children started:     3\n"),
	   "status: the fork error as a sentence, the children");
	if (!strstr(buf, "(EAGAIN)"))
		printf("# got:\n%s", buf);
	free(buf);
}

/* Every fork error the module documents has its own sentence. */
static void test_fork_causes(void)
{
	char buf[256];

	cli_fork_cause(buf, sizeof(buf), EMLINK);
	ok(strstr(buf, "32 children not yet reaped") && strstr(buf, "(EMLINK)"),
	   "EMLINK: too many children (%s)", buf);
	cli_fork_cause(buf, sizeof(buf), ENOMEM);
	ok(!strcmp(buf, "last failed fork: the kernel was out of memory (ENOMEM)"),
	   "ENOMEM: out of memory (%s)", buf);
	cli_fork_cause(buf, sizeof(buf), EINVAL);
	ok(!strcmp(buf, "last failed fork: invalid argument (errno 22)"),
	   "any other errno: its text and number (%s)", buf);
}

static void test_states(void)
{
	ok(!strcmp(mp_state_name(MINIPROC_UNUSED), "UNUSED") &&
	   !strcmp(mp_state_name(MINIPROC_EMBRYO), "EMBRYO") &&
	   !strcmp(mp_state_name(MINIPROC_SLEEPING), "SLEEPING") &&
	   !strcmp(mp_state_name(MINIPROC_RUNNABLE), "RUNNABLE") &&
	   !strcmp(mp_state_name(MINIPROC_RUNNING), "RUNNING") &&
	   !strcmp(mp_state_name(MINIPROC_ZOMBIE), "ZOMBIE"),
	   "state names follow the enum");
	ok(!strcmp(mp_state_name_lower(MINIPROC_RUNNABLE), "runnable") &&
	   !strcmp(mp_state_name(MINIPROC_NR_STATES), "?") &&
	   !strcmp(mp_state_name_lower(1000), "unknown"),
	   "lower-case names, and unknown states");
}

/* Names come from NSS: whatever getpwuid() says, looked up once. */
static void test_users(void)
{
	struct passwd *pw = getpwuid(0);

	ok(pw && user_name(0) && !strcmp(user_name(0), pw->pw_name),
	   "uid 0 has the name getpwuid() gives (%s)",
	   user_name(0) ? user_name(0) : "none");
	ok(user_name(0) == user_name(0), "a uid is looked up once");
	ok(!getpwuid(2147483000) == !user_name(2147483000),
	   "a uid NSS does not know has no name");
}

int main(void)
{
	test_table();
	test_extra();
	test_formats();
	test_parse();
	test_json();
	test_status();
	test_fork_causes();
	test_states();
	test_users();

	return tap_done();
}
