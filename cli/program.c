// SPDX-License-Identifier: GPL-2.0
/*
 * The program text notation: parser and formatter. See program.h for the
 * grammar.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "units.h"
#include "program.h"

const struct prog_example prog_examples[] = {
	{ "cpu:5ms sleep:10ms 3*(cpu:1ms yield) exit:7",
	  "run 5 ms, sleep 10 ms, three times run 1 ms and yield, exit with 7" },
	{ "*(cpu:2ms sleep:8ms)",
	  "forever: run 2 ms, then sleep 8 ms (about a fifth of a CPU)" },
	{ "*(cpu:10ms)", "spin forever: always RUNNING or RUNNABLE" },
	{ "sleep:1s exit:3", "sleep a second, then exit with status 3" },
	{ "10*(5*(cpu:100us yield) sleep:1ms)", "groups nest" },
	{ "fork(cpu:5ms exit:2) wait exit:0",
	  "start a child that runs 5 ms and exits with 2; wait for it, reap it" },
	{ "3*(fork(sleep:10ms)) 3*(wait)",
	  "start three children, then reap them one by one" },
	{ "fork(cpu:2ms exit:1) sleep:5s",
	  "a child that ends at once stays a ZOMBIE while its parent sleeps" },
	{ NULL, NULL },
};

static const struct {
	const char *name;
	uint64_t ns;
} prog_units[] = {
	{ "ns", 1 },
	{ "us", NSEC_PER_USEC },
	{ "ms", NSEC_PER_MSEC },
	{ "s", NSEC_PER_SEC },
};

#define PROG_NR_UNITS	(sizeof(prog_units) / sizeof(prog_units[0]))

/**
 * struct prog_parser - where the parser is in the text and in the output
 * @text:     the whole text, for columns
 * @p:        the next character to read
 * @ops:      output array of @max_ops
 * @nops:     ops written so far
 * @depth:    groups open, repetitions and forks alike
 * @forks:    of those, fork groups
 * @open:     for each open group, the index of its LOOP or FORK op in @ops
 * @open_col: for each open group, the column of its '('
 * @err:      where a failure is described
 */
struct prog_parser {
	const char *text;
	const char *p;
	struct miniproc_op *ops;
	unsigned int max_ops;
	unsigned int nops;
	unsigned int depth;
	unsigned int forks;
	unsigned int open[MINIPROC_LOOP_MAX_DEPTH];
	unsigned int open_col[MINIPROC_LOOP_MAX_DEPTH];
	struct prog_error *err;
};

static unsigned int prog_col(const struct prog_parser *ps, const char *at)
{
	return (unsigned int)(at - ps->text) + 1;
}

/* Fill the error at @at and return -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
prog_fail(struct prog_parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	ps->err->column = prog_col(ps, at);
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool prog_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static bool prog_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static bool prog_islower(char c)
{
	return c >= 'a' && c <= 'z';
}

static void prog_skip_space(struct prog_parser *ps)
{
	while (prog_isspace(*ps->p))
		ps->p++;
}

/* Read decimal digits at ps->p into *@val; the caller saw one digit. */
static int prog_number(struct prog_parser *ps, uint64_t *val)
{
	const char *start = ps->p;
	uint64_t v = 0;

	while (prog_isdigit(*ps->p)) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*ps->p - '0'), &v))
			return prog_fail(ps, start, "number too large");
		ps->p++;
	}
	*val = v;
	return 0;
}

/*
 * Read a duration (digits and a unit) at ps->p. @after names what came
 * before it for the message ("'sleep:'"), or is NULL.
 */
static int prog_duration(struct prog_parser *ps, const char *after,
			 uint64_t *ns)
{
	const char *start = ps->p, *unit;
	uint64_t val = 0;
	size_t len, i;
	int ret;

	if (!prog_isdigit(*ps->p))
		return prog_fail(ps, start,
				 "expected a duration%s%s (like 10ms)",
				 after ? " after " : "", after ? after : "");
	ret = prog_number(ps, &val);
	if (ret)
		return ret;
	unit = ps->p;
	while (prog_islower(*ps->p))
		ps->p++;
	len = ps->p - unit;
	if (!len)
		return prog_fail(ps, unit,
				 "expected a unit after '%.*s' (ns, us, ms or s)",
				 (int)(unit - start), start);
	for (i = 0; i < PROG_NR_UNITS; i++)
		if (strlen(prog_units[i].name) == len &&
		    !memcmp(prog_units[i].name, unit, len))
			break;
	if (i == PROG_NR_UNITS)
		return prog_fail(ps, unit,
				 "unknown unit '%.*s'; expected ns, us, ms or s",
				 (int)len, unit);
	if (val == 0)
		return prog_fail(ps, start, "a duration must be at least 1ns");
	if (__builtin_mul_overflow(val, prog_units[i].ns, &val) ||
	    val > MINIPROC_DURATION_MAX_NS)
		return prog_fail(ps, start,
				 "a duration must be at most one hour (3600s)");
	*ns = val;
	return 0;
}

/* Append one op; @at is where its text starts, for the message. */
static int prog_emit(struct prog_parser *ps, const char *at, uint32_t code,
		     uint64_t arg)
{
	if (ps->nops == ps->max_ops)
		return prog_fail(ps, at,
				 "the program is too long: at most %u ops, a group counting as two",
				 ps->max_ops);
	ps->ops[ps->nops].code = code;
	ps->ops[ps->nops].reserved = 0;
	ps->ops[ps->nops].arg = arg;
	ps->nops++;
	return 0;
}

/*
 * The '(' at ps->p opens a group whose op is @code (LOOP or FORK) with
 * @arg; @start is where the group's text starts.
 */
static int prog_open(struct prog_parser *ps, const char *start,
		     uint32_t code, uint64_t arg)
{
	int ret;

	if (ps->depth == MINIPROC_LOOP_MAX_DEPTH)
		return prog_fail(ps, ps->p,
				 "groups (repetitions and forks) nest at most %u deep",
				 MINIPROC_LOOP_MAX_DEPTH);
	if (code == MINIPROC_OP_FORK && ps->forks == MINIPROC_FORK_MAX_DEPTH)
		return prog_fail(ps, start, "forks nest at most %u deep",
				 MINIPROC_FORK_MAX_DEPTH);
	ret = prog_emit(ps, start, code, arg);
	if (ret)
		return ret;
	ps->open[ps->depth] = ps->nops - 1;
	ps->open_col[ps->depth] = prog_col(ps, ps->p);
	ps->depth++;
	ps->forks += code == MINIPROC_OP_FORK;
	ps->p++;	/* the '(' */
	return 0;
}

/* "N*(" or "*(" at ps->p: open a repetition. */
static int prog_group_open(struct prog_parser *ps)
{
	const char *start = ps->p, *count_end;
	uint64_t count = 0;
	int ret;

	if (prog_isdigit(*ps->p)) {
		ret = prog_number(ps, &count);
		if (ret)
			return ret;
		count_end = ps->p;
		prog_skip_space(ps);
		if (*ps->p != '*')
			return prog_fail(ps, ps->p,
					 "expected '*(' after the repeat count '%.*s', or an op",
					 (int)(count_end - start), start);
		if (count < 1 || count > MINIPROC_LOOP_MAX_COUNT)
			return prog_fail(ps, start,
					 "a repeat count must be 1 to %u; write *( ... ) to repeat forever",
					 MINIPROC_LOOP_MAX_COUNT);
	}
	ps->p++;	/* the '*' */
	prog_skip_space(ps);
	if (*ps->p != '(')
		return prog_fail(ps, ps->p, "expected '(' after '*'");
	return prog_open(ps, start, MINIPROC_OP_LOOP, count);
}

/* ")" at ps->p: close the innermost group. */
static int prog_group_close(struct prog_parser *ps)
{
	unsigned int top;

	if (!ps->depth)
		return prog_fail(ps, ps->p, "unexpected ')': no group is open");
	top = ps->open[ps->depth - 1];
	if (top == ps->nops - 1)
		return prog_fail(ps, ps->p, "%s",
				 ps->ops[top].code == MINIPROC_OP_FORK ?
				 "empty fork: expected the child's program before ')'" :
				 "empty group: expected an op before ')'");
	ps->forks -= ps->ops[top].code == MINIPROC_OP_FORK;
	ps->depth--;
	ps->p++;
	return prog_emit(ps, ps->p - 1, MINIPROC_OP_END, 0);
}

/* The notation's name of a timed op. */
static const char *prog_op_name(uint32_t code)
{
	switch (code) {
	case MINIPROC_OP_CPU:
		return "cpu";
	case MINIPROC_OP_IO:
		return "io";
	case MINIPROC_OP_POLL:
		return "poll";
	default:
		return "sleep";
	}
}

/* The same quoted with its colon, as the error messages put it. */
static const char *prog_op_word(uint32_t code)
{
	switch (code) {
	case MINIPROC_OP_CPU:
		return "'cpu:'";
	case MINIPROC_OP_IO:
		return "'io:'";
	case MINIPROC_OP_POLL:
		return "'poll:'";
	default:
		return "'sleep:'";
	}
}

#define PROG_OPS_HELP \
	"cpu:DUR, sleep:DUR, io:DUR, poll:DUR, yield, exit:N, wait, fork( ... ) or N*( ... )"

/* A named op at ps->p: "cpu:DUR", "sleep:DUR", "io:DUR", "poll:DUR", "yield", ... */
static int prog_op(struct prog_parser *ps)
{
	const char *start = ps->p, *num;
	uint64_t arg = 0;
	uint32_t code;
	size_t len;
	int ret;

	while (prog_islower(*ps->p))
		ps->p++;
	len = ps->p - start;
	if (!len)
		return prog_fail(ps, start,
				 "unexpected '%c'; expected an op: " PROG_OPS_HELP,
				 *start);
#define IS(word) (len == strlen(word) && !memcmp(start, word, len))
	if (IS("cpu"))
		code = MINIPROC_OP_CPU;
	else if (IS("sleep"))
		code = MINIPROC_OP_SLEEP;
	else if (IS("io"))
		code = MINIPROC_OP_IO;
	else if (IS("poll"))
		code = MINIPROC_OP_POLL;
	else if (IS("yield"))
		code = MINIPROC_OP_YIELD;
	else if (IS("exit"))
		code = MINIPROC_OP_EXIT;
	else if (IS("wait"))
		code = MINIPROC_OP_WAIT;
	else if (IS("fork"))
		code = MINIPROC_OP_FORK;
	else
		return prog_fail(ps, start,
				 "unknown op '%.*s'; expected " PROG_OPS_HELP,
				 (int)len, start);
#undef IS
	if (code == MINIPROC_OP_FORK) {
		prog_skip_space(ps);
		if (*ps->p != '(')
			return prog_fail(ps, ps->p,
					 "expected '(' after 'fork' (like fork(cpu:5ms exit:2))");
		return prog_open(ps, start, code, 0);
	}
	if (code == MINIPROC_OP_YIELD || code == MINIPROC_OP_WAIT) {
		if (*ps->p == ':')
			return prog_fail(ps, ps->p, "'%.*s' takes no argument",
					 (int)len, start);
		return prog_emit(ps, start, code, 0);
	}
	if (*ps->p != ':')
		return prog_fail(ps, ps->p,
				 "expected ':' after '%.*s' (like %s)", (int)len,
				 start,
				 code == MINIPROC_OP_EXIT ? "exit:0" :
				 code == MINIPROC_OP_CPU ? "cpu:5ms" :
				 code == MINIPROC_OP_IO ? "io:10ms" :
				 code == MINIPROC_OP_POLL ? "poll:10ms" :
				 "sleep:10ms");
	ps->p++;
	if (code == MINIPROC_OP_EXIT) {
		num = ps->p;
		if (!prog_isdigit(*ps->p))
			return prog_fail(ps, num,
					 "expected an exit status (0 to %u) after 'exit:'",
					 MINIPROC_EXIT_MAX);
		ret = prog_number(ps, &arg);
		if (ret || arg > MINIPROC_EXIT_MAX)
			return prog_fail(ps, num,
					 "an exit status must be 0 to %u",
					 MINIPROC_EXIT_MAX);
	} else {
		ret = prog_duration(ps, prog_op_word(code), &arg);
		if (ret)
			return ret;
	}
	return prog_emit(ps, start, code, arg);
}

/* After an item: whitespace, ')' or the end must follow. */
static int prog_separator(struct prog_parser *ps, const char *item)
{
	char c = *ps->p;

	if (!c || c == ')' || prog_isspace(c))
		return 0;
	return prog_fail(ps, ps->p, "expected a space after '%.*s'",
			 (int)(ps->p - item), item);
}

int prog_parse(const char *text, struct miniproc_op *ops,
	       unsigned int max_ops, unsigned int *nops,
	       struct prog_error *err)
{
	struct prog_parser ps = {
		.text = text,
		.p = text,
		.ops = ops,
		.max_ops = max_ops,
		.err = err,
	};
	const char *item;
	int ret;

	*nops = 0;
	memset(err, 0, sizeof(*err));
	for (;;) {
		prog_skip_space(&ps);
		item = ps.p;
		if (!*ps.p)
			break;
		if (*ps.p == ')')
			ret = prog_group_close(&ps);
		else if (*ps.p == '*' || prog_isdigit(*ps.p))
			ret = prog_group_open(&ps);
		else
			ret = prog_op(&ps);
		if (ret)
			return ret;
		/* An open group needs no space after its '('. */
		if (ps.ops[ps.nops - 1].code != MINIPROC_OP_LOOP &&
		    ps.ops[ps.nops - 1].code != MINIPROC_OP_FORK) {
			ret = prog_separator(&ps, item);
			if (ret)
				return ret;
		}
	}
	if (ps.depth)
		return prog_fail(&ps, ps.p,
				 "expected ')' to close the group opened at column %u",
				 ps.open_col[ps.depth - 1]);
	if (!ps.nops)
		return prog_fail(&ps, ps.p, "expected an op: " PROG_OPS_HELP);
	*nops = ps.nops;
	return 0;
}

int prog_parse_duration(const char *text, uint64_t *ns,
			struct prog_error *err)
{
	struct prog_parser ps = { .text = text, .p = text, .err = err };
	uint64_t val;
	int ret;

	memset(err, 0, sizeof(*err));
	ret = prog_duration(&ps, NULL, &val);
	if (ret)
		return ret;
	if (*ps.p)
		return prog_fail(&ps, ps.p, "unexpected '%s' after the duration",
				 ps.p);
	*ns = val;
	return 0;
}

int prog_format_duration(uint64_t ns, char *buf, size_t len)
{
	size_t i = PROG_NR_UNITS - 1;

	while (i > 0 && ns % prog_units[i].ns)
		i--;
	return snprintf(buf, len, "%llu%s",
			(unsigned long long)(ns / prog_units[i].ns),
			prog_units[i].name);
}

/* An output buffer that counts what did not fit, like snprintf(). */
struct prog_out {
	char *buf;
	size_t len;
	size_t pos;
};

static void __attribute__((format(printf, 2, 3)))
prog_put(struct prog_out *o, const char *fmt, ...)
{
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += n;
}

int prog_format(const struct miniproc_op *ops, unsigned int nops, char *buf,
		size_t len)
{
	struct prog_out o = { .buf = buf, .len = len };
	unsigned int i, depth = 0;
	bool space = false, bad = false;
	char dur[32];

	if (len)
		buf[0] = '\0';
	for (i = 0; i < nops; i++) {
		const struct miniproc_op *op = &ops[i];

		if (space && op->code != MINIPROC_OP_END)
			prog_put(&o, " ");
		space = true;
		switch (op->code) {
		case MINIPROC_OP_CPU:
		case MINIPROC_OP_SLEEP:
		case MINIPROC_OP_IO:
		case MINIPROC_OP_POLL:
			prog_format_duration(op->arg, dur, sizeof(dur));
			prog_put(&o, "%s:%s", prog_op_name(op->code), dur);
			break;
		case MINIPROC_OP_YIELD:
			prog_put(&o, "yield");
			break;
		case MINIPROC_OP_WAIT:
			prog_put(&o, "wait");
			break;
		case MINIPROC_OP_FORK:
			prog_put(&o, "fork(");
			depth++;
			space = false;
			break;
		case MINIPROC_OP_EXIT:
			prog_put(&o, "exit:%llu", (unsigned long long)op->arg);
			bad |= op->arg > MINIPROC_EXIT_MAX;
			break;
		case MINIPROC_OP_LOOP:
			if (op->arg)
				prog_put(&o, "%llu",
					 (unsigned long long)op->arg);
			prog_put(&o, "*(");
			depth++;
			space = false;
			break;
		case MINIPROC_OP_END:
			if (!depth) {
				prog_put(&o, " ?");
				bad = true;
				break;
			}
			prog_put(&o, ")");
			depth--;
			break;
		default:
			prog_put(&o, "?");
			bad = true;
			break;
		}
	}
	if (depth) {
		prog_put(&o, " ?");
		bad = true;
	}
	return bad ? -EINVAL : (int)o.pos;
}
