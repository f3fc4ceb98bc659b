// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of the program notation: tables of texts that parse (with
 * the ops they must give and the canonical text they format back to) and of
 * texts that do not (with the column and the words the message must have).
 * TAP output; exit status 1 if any case fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../program.h"
#include "tap.h"

#define MS	1000000ULL
#define S	1000000000ULL

#define CPU(ns)		{ MINIPROC_OP_CPU, 0, (ns) }
#define SLEEP(ns)	{ MINIPROC_OP_SLEEP, 0, (ns) }
#define YIELD		{ MINIPROC_OP_YIELD, 0, 0 }
#define EXIT(n)		{ MINIPROC_OP_EXIT, 0, (n) }
#define LOOP(n)		{ MINIPROC_OP_LOOP, 0, (n) }
#define END		{ MINIPROC_OP_END, 0, 0 }
#define FORK		{ MINIPROC_OP_FORK, 0, 0 }
#define WAIT		{ MINIPROC_OP_WAIT, 0, 0 }
#define IO(ns)		{ MINIPROC_OP_IO, 0, (ns) }
#define POLL(ns)	{ MINIPROC_OP_POLL, 0, (ns) }

#define MAX_CASE_OPS	20

/**
 * struct good_case - a text that parses
 * @text:      the program
 * @canonical: what prog_format() gives back; NULL if @text already is
 * @nops:      how many ops
 * @ops:       the ops
 */
struct good_case {
	const char *text;
	const char *canonical;
	unsigned int nops;
	struct miniproc_op ops[MAX_CASE_OPS];
};

static const struct good_case good_cases[] = {
	{ "cpu:5ms sleep:10ms 3*(cpu:1ms yield) exit:7", NULL, 7,
	  { CPU(5 * MS), SLEEP(10 * MS), LOOP(3), CPU(MS), YIELD, END,
	    EXIT(7) } },
	{ "*(cpu:2ms sleep:8ms)", NULL, 4,
	  { LOOP(0), CPU(2 * MS), SLEEP(8 * MS), END } },
	{ "yield", NULL, 1, { YIELD } },
	{ "exit:0", NULL, 1, { EXIT(0) } },
	{ "exit:255", NULL, 1, { EXIT(255) } },
	{ "cpu:1ns", NULL, 1, { CPU(1) } },
	{ "sleep:250us", NULL, 1, { SLEEP(250000) } },
	{ "sleep:2s", NULL, 1, { SLEEP(2 * S) } },
	{ "cpu:3600s", NULL, 1, { CPU(3600 * S) } },
	{ "cpu:3600000ms", "cpu:3600s", 1, { CPU(3600 * S) } },
	{ "cpu:1000us", "cpu:1ms", 1, { CPU(MS) } },
	{ "cpu:1500us", NULL, 1, { CPU(1500000) } },
	{ "cpu:1001ns", NULL, 1, { CPU(1001) } },
	{ "  yield\t\nyield  ", "yield yield", 2, { YIELD, YIELD } },
	{ "3 * ( yield )", "3*(yield)", 3, { LOOP(3), YIELD, END } },
	{ "*( yield)", "*(yield)", 3, { LOOP(0), YIELD, END } },
	{ "1000000*(yield)", NULL, 3, { LOOP(1000000), YIELD, END } },
	{ "2*(3*(yield) cpu:1ms) exit:1", NULL, 7,
	  { LOOP(2), LOOP(3), YIELD, END, CPU(MS), END, EXIT(1) } },
	{ "1*(1*(1*(1*(1*(1*(1*(1*(yield))))))))", NULL, 17,
	  { LOOP(1), LOOP(1), LOOP(1), LOOP(1), LOOP(1), LOOP(1), LOOP(1),
	    LOOP(1), YIELD, END, END, END, END, END, END, END, END } },
	{ "exit:3 cpu:1ms", NULL, 2, { EXIT(3), CPU(MS) } },
	{ "*(yield) exit:1", NULL, 4, { LOOP(0), YIELD, END, EXIT(1) } },
	{ "wait", NULL, 1, { WAIT } },
	{ "io:5ms", NULL, 1, { IO(5 * MS) } },
	{ "poll:250us", NULL, 1, { POLL(250000) } },
	{ "cpu:1ms io:3600s poll:1ns exit:1", NULL, 4,
	  { CPU(MS), IO(3600 * S), POLL(1), EXIT(1) } },
	{ "fork(cpu:5ms exit:2) wait exit:0", NULL, 6,
	  { FORK, CPU(5 * MS), EXIT(2), END, WAIT, EXIT(0) } },
	{ "3*(fork(sleep:10ms) ) 3*(wait)", "3*(fork(sleep:10ms)) 3*(wait)", 8,
	  { LOOP(3), FORK, SLEEP(10 * MS), END, END, LOOP(3), WAIT, END } },
	{ "fork ( yield )", "fork(yield)", 3, { FORK, YIELD, END } },
	{ "fork(fork(exit:1) wait) wait", NULL, 7,
	  { FORK, FORK, EXIT(1), END, WAIT, END, WAIT } },
	{ "fork(fork(fork(fork(yield))))", NULL, 9,
	  { FORK, FORK, FORK, FORK, YIELD, END, END, END, END } },
	{ "*(fork(*(cpu:1ms)) sleep:1s)", NULL, 8,
	  { LOOP(0), FORK, LOOP(0), CPU(MS), END, END, SLEEP(S), END } },
	{ "1*(1*(1*(1*(fork(fork(fork(fork(yield))))))))", NULL, 17,
	  { LOOP(1), LOOP(1), LOOP(1), LOOP(1), FORK, FORK, FORK, FORK,
	    YIELD, END, END, END, END, END, END, END, END } },
};

/**
 * struct bad_case - a text that must not parse
 * @text:   the program
 * @column: where the message must point (1-based)
 * @words:  text the message must contain
 */
struct bad_case {
	const char *text;
	unsigned int column;
	const char *words;
};

static const struct bad_case bad_cases[] = {
	{ "", 1, "expected an op" },
	{ "   ", 4, "expected an op" },
	{ "cpu:5ms sleep: 3*(yield)", 15, "expected a duration after 'sleep:' (like 10ms)" },
	{ "sleep:", 7, "expected a duration after 'sleep:'" },
	{ "io:", 4, "expected a duration after 'io:'" },
	{ "poll", 5, "expected ':' after 'poll' (like poll:10ms)" },
	{ "io:0ms", 4, "at least 1ns" },
	{ "poll:3601s", 6, "at most one hour" },
	{ "cpu:5", 6, "expected a unit after '5'" },
	{ "cpu:5 yield", 6, "expected a unit" },
	{ "cpu:5m", 6, "unknown unit 'm'" },
	{ "cpu:5sec", 6, "unknown unit 'sec'" },
	{ "cpu:5MS", 6, "expected a unit" },
	{ "cpu:0ms", 5, "at least 1ns" },
	{ "cpu:3601s", 5, "at most one hour" },
	{ "sleep:3600000000001ns", 7, "at most one hour" },
	{ "cpu:99999999999999999999999ns", 5, "number too large" },
	{ "cpu:-5ms", 5, "expected a duration" },
	{ "cpu 5ms", 4, "expected ':' after 'cpu'" },
	{ "cpu", 4, "expected ':' after 'cpu'" },
	{ "yield:1", 6, "'yield' takes no argument" },
	{ "exit", 5, "expected ':' after 'exit'" },
	{ "exit:", 6, "expected an exit status" },
	{ "exit:256", 6, "exit status must be 0 to 255" },
	{ "exit:-1", 6, "expected an exit status" },
	{ "spin:5ms", 1, "unknown op 'spin'" },
	{ "yield Cpu:1ms", 7, "unexpected 'C'" },
	{ "cpu:5msyield", 6, "unknown unit 'msyield'" },
	{ "yield#", 6, "expected a space after 'yield'" },
	{ "cpu:1ms3*(yield)", 8, "expected a space after 'cpu:1ms'" },
	{ "2*(yield)3*(yield)", 10, "expected a space after ')'" },
	{ "3*(yield", 9, "expected ')' to close the group opened at column 3" },
	{ "2*(yield 3*(yield)", 19, "opened at column 3" },
	{ "yield)", 6, "no group is open" },
	{ "3*()", 4, "empty group" },
	{ "*( )", 4, "empty group" },
	{ "0*(yield)", 1, "repeat count must be 1 to 1000000" },
	{ "1000001*(yield)", 1, "repeat count must be 1 to 1000000" },
	{ "3(yield)", 2, "expected '*(' after the repeat count '3'" },
	{ "5ms", 2, "expected '*(' after the repeat count '5'" },
	{ "3*yield", 3, "expected '(' after '*'" },
	{ "1*(1*(1*(1*(1*(1*(1*(1*(1*(yield)))))))))", 27, "nest at most 8 deep" },
	{ "fork()", 6, "empty fork: expected the child's program" },
	{ "fork( )", 7, "empty fork" },
	{ "fork", 5, "expected '(' after 'fork'" },
	{ "fork yield", 6, "expected '(' after 'fork'" },
	{ "fork:1", 5, "expected '(' after 'fork'" },
	{ "fork(yield", 11, "expected ')' to close the group opened at column 5" },
	{ "fork(yield)wait", 12, "expected a space after ')'" },
	{ "wait:1", 5, "'wait' takes no argument" },
	{ "waitx", 1, "unknown op 'waitx'" },
	{ "fork(fork(fork(fork(fork(yield)))))", 21, "forks nest at most 4 deep" },
	{ "1*(1*(1*(1*(1*(fork(fork(fork(fork(yield)))))))))", 35,
	  "nest at most 8 deep" },
	{ "fork(1*(fork(1*(fork(fork(fork(yield)))))))", 27,
	  "forks nest at most 4 deep" },
	{ "spin:5ms", 1, "expected cpu:DUR, sleep:DUR, io:DUR, poll:DUR, yield, exit:N, wait, fork( ... ) or N*( ... )" },
};

static void test_good(const struct good_case *c)
{
	struct miniproc_op ops[MINIPROC_PROG_MAX_OPS];
	const char *canonical = c->canonical ? c->canonical : c->text;
	struct prog_error err;
	unsigned int nops;
	char text[1024];
	int ret;

	ret = prog_parse(c->text, ops, MINIPROC_PROG_MAX_OPS, &nops, &err);
	if (ret) {
		ok(0, "parse '%s': program:%u: %s", c->text, err.column,
		   err.msg);
		return;
	}
	ok(nops == c->nops &&
	   !memcmp(ops, c->ops, nops * sizeof(ops[0])),
	   "parse '%s' gives %u ops", c->text, c->nops);
	ret = prog_format(ops, nops, text, sizeof(text));
	ok(ret == (int)strlen(canonical) && !strcmp(text, canonical),
	   "format '%s' gives '%s' (got '%s')", c->text, canonical, text);
}

static void test_bad(const struct bad_case *c)
{
	struct miniproc_op ops[MINIPROC_PROG_MAX_OPS];
	struct prog_error err;
	unsigned int nops = 99;
	int ret;

	ret = prog_parse(c->text, ops, MINIPROC_PROG_MAX_OPS, &nops, &err);
	ok(ret == -EINVAL && nops == 0 && err.column == c->column &&
	   strstr(err.msg, c->words),
	   "'%s' fails at column %u with \"%s\" (got %d, program:%u: %s)",
	   c->text, c->column, c->words, ret, err.column, err.msg);
}

/* Too many ops: the limit, and the limit the caller passes. */
static void test_limits(void)
{
	struct miniproc_op ops[MINIPROC_PROG_MAX_OPS];
	struct prog_error err;
	unsigned int nops, i;
	char text[MINIPROC_PROG_MAX_OPS * 6 + 16];
	int ret;

	text[0] = '\0';
	for (i = 0; i < MINIPROC_PROG_MAX_OPS; i++)
		strcat(text, "yield ");
	ret = prog_parse(text, ops, MINIPROC_PROG_MAX_OPS, &nops, &err);
	ok(ret == 0 && nops == MINIPROC_PROG_MAX_OPS, "%d ops parse",
	   MINIPROC_PROG_MAX_OPS);
	strcat(text, "exit:1");
	ret = prog_parse(text, ops, MINIPROC_PROG_MAX_OPS, &nops, &err);
	ok(ret == -EINVAL && err.column == MINIPROC_PROG_MAX_OPS * 6 + 1 &&
	   strstr(err.msg, "at most 256 ops"),
	   "op %d is refused where it starts (program:%u: %s)",
	   MINIPROC_PROG_MAX_OPS + 1, err.column, err.msg);
	ret = prog_parse("yield 2*(yield)", ops, 3, &nops, &err);
	ok(ret == -EINVAL && err.column == 15 && strstr(err.msg, "at most 3"),
	   "a group's END counts against max_ops (program:%u: %s)",
	   err.column, err.msg);
}

static void test_durations(void)
{
	static const struct {
		const char *text;
		int ret;
		uint64_t ns;
	} cases[] = {
		{ "500ms", 0, 500 * MS },
		{ "2s", 0, 2 * S },
		{ "1ns", 0, 1 },
		{ "5", -EINVAL, 0 },
		{ "0s", -EINVAL, 0 },
		{ "5ms ", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "1h", -EINVAL, 0 },
	};
	struct prog_error err;
	uint64_t ns;
	char buf[32];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns = 0;
		ret = prog_parse_duration(cases[i].text, &ns, &err);
		ok(ret == cases[i].ret && (ret || ns == cases[i].ns),
		   "duration '%s' -> %d %llu (%s)", cases[i].text, ret,
		   (unsigned long long)ns, ret ? err.msg : "ok");
	}
	prog_format_duration(90 * S, buf, sizeof(buf));
	ok(!strcmp(buf, "90s"), "90s formats as 90s (got %s)", buf);
	prog_format_duration(1, buf, sizeof(buf));
	ok(!strcmp(buf, "1ns"), "1ns formats as 1ns (got %s)", buf);
}

/* The formatter refuses what is not a program, and never overflows. */
static void test_format_bad(void)
{
	static const struct miniproc_op unbalanced[] = { LOOP(2), YIELD };
	static const struct miniproc_op stray_end[] = { YIELD, END };
	static const struct miniproc_op unknown[] = { { 99, 0, 0 } };
	static const struct miniproc_op exit_big[] = { EXIT(300) };
	static const struct miniproc_op prog[] = { CPU(5 * MS), YIELD };
	static const struct miniproc_op open_fork[] = { FORK, YIELD };
	char buf[8];
	int ret;

	ok(prog_format(unbalanced, 2, buf, sizeof(buf)) == -EINVAL,
	   "unclosed group does not format");
	ok(prog_format(stray_end, 2, buf, sizeof(buf)) == -EINVAL,
	   "stray END does not format");
	ok(prog_format(open_fork, 2, buf, sizeof(buf)) == -EINVAL,
	   "unclosed fork does not format");
	ok(prog_format(unknown, 1, buf, sizeof(buf)) == -EINVAL,
	   "unknown op does not format");
	ok(prog_format(exit_big, 1, buf, sizeof(buf)) == -EINVAL,
	   "exit status 300 does not format");
	ret = prog_format(prog, 2, buf, sizeof(buf));
	ok(ret == (int)strlen("cpu:5ms yield") && !strcmp(buf, "cpu:5ms"),
	   "a short buffer truncates and reports the length needed (%d '%s')",
	   ret, buf);
}

/* Every example --help shows parses and formats back to itself. */
static void test_examples(void)
{
	struct miniproc_op ops[MINIPROC_PROG_MAX_OPS];
	const struct prog_example *ex;
	struct prog_error err;
	unsigned int nops;
	char text[1024];

	for (ex = prog_examples; ex->text; ex++) {
		ok(!prog_parse(ex->text, ops, MINIPROC_PROG_MAX_OPS, &nops,
			       &err) &&
		   prog_format(ops, nops, text, sizeof(text)) > 0 &&
		   !strcmp(text, ex->text),
		   "help example '%s' round-trips", ex->text);
	}
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++)
		test_good(&good_cases[i]);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		test_bad(&bad_cases[i]);
	test_limits();
	test_durations();
	test_format_bad();
	test_examples();
	return tap_done();
}
