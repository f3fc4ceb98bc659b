// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of the record printers: the text table, the status list
 * and JSON, from made-up records; user names from a made-up passwd file;
 * the state names. TAP output; exit status 1 if any case fails.
 */
#include <errno.h>
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
		.pid = 100, .ppid = 0, .uid = 1001, .state = MINIPROC_ZOMBIE,
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
	       "PID PPID USER  STATE    CHAN  CPU   TIME NAME\n"
	       "  5    0 root  RUNNING  -       1  0.012 worker\n"
	       " 12    5 4242  SLEEPING sleep   -  0.000 a\"b\\c?\n"
	       "100    0 alice ZOMBIE   -       0 61.500 z\n");

	f = mem(&buf, &len);
	cols_print_table(f, NULL, NULL, 0, ps_cols, 8);
	fclose(f);
	expect("an empty table is the header alone", buf,
	       "PID PPID USER STATE CHAN CPU TIME NAME\n");
}

/* Computed columns: CPU% and a tree before the name, UTF-8 aligned. */
static void test_extra(void)
{
	static const enum col_id cols[] = { COL_PID, COL_PCPU, COL_NAME,
					    COL_STATE };
	static const struct col_extra extra[] = {
		{ .cpu_permille = 1000, .tree = "" },
		{ .cpu_permille = 5, .tree = "\u2514\u2500 " },
		{ .cpu_permille = -1, .tree = "   \u2514\u2500 " },
	};
	char *buf;
	size_t len;
	FILE *f = mem(&buf, &len);

	cols_print_table(f, recs, extra, 3, cols, 4);
	fclose(f);
	expect("CPU% and tree glyphs, padded by characters", buf,
	       "PID  CPU% NAME      STATE\n"
	       "  5 100.0 worker    RUNNING\n"
	       " 12   0.5 \u2514\u2500 a\"b\\c? SLEEPING\n"
	       "100     -    \u2514\u2500 z   ZOMBIE\n");
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
	       "  {\"pid\": 100, \"ppid\": 0, \"uid\": 1001, "
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
	   strstr(buf, "User:                 alice (uid 1001)\n") &&
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

static void test_users(const char *passwd)
{
	ok(user_name(0) && !strcmp(user_name(0), "root"), "uid 0 is root");
	ok(user_name(1001) && !strcmp(user_name(1001), "alice"),
	   "uid 1001 is alice, after a comment and a bad line");
	ok(!user_name(4242), "uid 4242 has no name");
	ok(!user_name(7), "a line with a non-numeric uid is skipped");
	user_set_passwd("/nonexistent/passwd");
	ok(!user_name(0), "no passwd file: no names");
	user_set_passwd(passwd);
	ok(user_name(0) != NULL, "reads the file again when told");
}

/* The group file has the passwd file's first three fields. */
static void test_groups(void)
{
	char group[] = "/tmp/miniproc-test-group-XXXXXX";
	int fd = mkstemp(group);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f) {
		perror("group");
		exit(1);
	}
	fputs("root:x:0:\n"
	      "broken\n"
	      "miniproc:x:999:user,nobody\n"
	      "nogroup:x:65534:\n", f);
	fclose(f);
	group_set_file(group);
	ok(group_name(999) && !strcmp(group_name(999), "miniproc"),
	   "gid 999 is miniproc, with members, after a bad line");
	ok(group_name(65534) && !strcmp(group_name(65534), "nogroup"),
	   "gid 65534 is nogroup");
	ok(!group_name(1000), "gid 1000 has no name");
	group_set_file("/nonexistent/group");
	ok(!group_name(0), "no group file: no names");
	unlink(group);
}

int main(void)
{
	char passwd[] = "/tmp/miniproc-test-passwd-XXXXXX";
	int fd = mkstemp(passwd);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f) {
		perror("passwd");
		return 1;
	}
	fputs("root:x:0:0:root:/root:/bin/sh\n"
	      "# a comment\n"
	      "broken\n"
	      "daemon:x:seven:1::/:/bin/false\n"
	      "alice:x:1001:1001:Alice:/home/alice:/bin/sh\n", f);
	fclose(f);
	user_set_passwd(passwd);

	test_table();
	test_extra();
	test_json();
	test_status();
	test_fork_causes();
	test_states();
	test_users(passwd);
	test_groups();
	unlink(passwd);

	return tap_done();
}
