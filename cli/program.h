/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The program text notation, and its translation to and from the
 * struct miniproc_op arrays the kernel runs.
 *
 *   program  := item { sep item }
 *   item     := "cpu:" DUR | "sleep:" DUR | "yield" | "exit:" STATUS
 *             | "wait" | "fork(" program ")"
 *             | [COUNT] "*(" program ")"
 *   DUR      := digits unit,   unit := "ns" | "us" | "ms" | "s"
 *   STATUS   := 0 .. MINIPROC_EXIT_MAX
 *   COUNT    := 1 .. MINIPROC_LOOP_MAX_COUNT (no count: forever)
 *
 * Items are separated by whitespace; whitespace is also allowed around
 * "*", "(" and ")". Example: "cpu:5ms sleep:10ms 3*(cpu:1ms yield) exit:7".
 * A fork group is the child's program, "fork(cpu:5ms exit:2) wait exit:0":
 * it becomes MINIPROC_OP_FORK, the child's ops, MINIPROC_OP_END. Groups,
 * repetitions and forks alike, nest at most MINIPROC_LOOP_MAX_DEPTH deep,
 * forks at most MINIPROC_FORK_MAX_DEPTH; no group is empty.
 *
 * The parser checks the limits the kernel checks so users get a message that
 * points at the mistake, but the kernel's validation stays the authority.
 */
#ifndef MINIPROC_PROGRAM_H
#define MINIPROC_PROGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/miniproc.h>

/**
 * struct prog_error - why and where a text did not parse
 * @column: 1-based column of the mistake; one past the end for "ended early"
 * @msg:    what was expected, without the position
 */
struct prog_error {
	unsigned int column;
	char msg[160];
};

/**
 * prog_parse() - translate program text into ops
 * @text:    the program, NUL-terminated
 * @ops:     room for @max_ops ops
 * @max_ops: capacity of @ops; MINIPROC_PROG_MAX_OPS is what the kernel takes
 * @nops:    out: number of ops written
 * @err:     out on failure: the column and the message
 *
 * Return: 0, or -EINVAL with @err filled.
 */
int prog_parse(const char *text, struct miniproc_op *ops,
	       unsigned int max_ops, unsigned int *nops,
	       struct prog_error *err);

/**
 * prog_format() - translate ops back into canonical program text
 *
 * Durations are written in the largest unit that is exact ("1500us", "2s").
 * prog_parse() of the result gives back the same ops.
 *
 * Return: like snprintf(), the length the text needs; -EINVAL if @ops is not
 * a well-formed program (unknown op, unbalanced group), with "?" in @buf
 * where the problem is.
 */
int prog_format(const struct miniproc_op *ops, unsigned int nops, char *buf,
		size_t len);

/**
 * prog_parse_duration() - parse a whole string as one duration ("250us")
 *
 * Also used for command-line options such as --timeout. Checks the range
 * 1 ns .. MINIPROC_DURATION_MAX_NS.
 *
 * Return: 0, or -EINVAL with @err filled (columns relative to @text).
 */
int prog_parse_duration(const char *text, uint64_t *ns,
			struct prog_error *err);

/* Write @ns in the largest exact unit ("5ms"); returns like snprintf(). */
int prog_format_duration(uint64_t ns, char *buf, size_t len);

/**
 * struct prog_example - a program shown in --help, with what it does
 *
 * The unit tests check that each parses and formats back to itself.
 */
struct prog_example {
	const char *text;
	const char *what;
};

extern const struct prog_example prog_examples[];

#endif /* MINIPROC_PROGRAM_H */
