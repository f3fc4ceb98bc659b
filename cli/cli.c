// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers the subcommands share: messages, options, pids, programs.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "program.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("miniproc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "miniproc: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'miniproc %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char opts[64];
	int c;

	/* A leading ':' tells a missing argument (':') from an unknown option. */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == ':') {
		cli_usage_error(cmd, "option '%s' needs an argument",
				argv[optind - 1]);
		return '?';
	}
	if (c == '?') {
		/* Long options here all have values past ASCII. */
		if (optopt > 0 && optopt < 128)
			cli_usage_error(cmd, "unknown option '-%c'", optopt);
		else
			cli_usage_error(cmd, "unknown option '%s'",
					argv[optind - 1]);
	}
	return c;
}

int cli_open(void)
{
	int fd = mp_open();

	if (fd < 0) {
		cli_report(-1, "open", 0, -fd);
		return -1;
	}
	return fd;
}

/* A decimal number in [min, max], nothing else: 0 or -1. */
static int cli_parse_int(const char *text, long min, long max, int *val)
{
	char *end;
	long v;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*val = (int)v;
	return 0;
}

int cli_parse_pid(const char *cmd, const char *text, int *pid)
{
	if (cli_parse_int(text, 1, INT_MAX, pid)) {
		cli_usage_error(cmd, "'%s' is not a valid pid (a positive number)",
				text);
		return -1;
	}
	return 0;
}

int cli_parse_pids(const char *cmd, int argc, char **argv, int first,
		   int **pids, int *npids)
{
	int i, n = argc - first;

	*pids = NULL;
	*npids = 0;
	if (n <= 0) {
		cli_usage_error(cmd, "expected at least one PID");
		return -1;
	}
	*pids = calloc(n, sizeof(**pids));
	if (!*pids) {
		cli_error("%s: out of memory", cmd);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (cli_parse_pid(cmd, argv[first + i], &(*pids)[i])) {
			free(*pids);
			*pids = NULL;
			return -1;
		}
	}
	*npids = n;
	return 0;
}

int cli_parse_cpu(const char *cmd, const char *text, int *cpu)
{
	if (cli_parse_int(text, 0, INT_MAX, cpu)) {
		cli_usage_error(cmd, "'%s' is not a CPU number", text);
		return -1;
	}
	return 0;
}

int cli_check_name(const char *cmd, const char *name)
{
	const char *c;

	if (strlen(name) >= MINIPROC_NAME_LEN) {
		cli_usage_error(cmd, "the name '%s' is too long: at most %d characters",
				name, MINIPROC_NAME_LEN - 1);
		return -1;
	}
	/* As the module checks it: isgraph(), so ps columns stay apart. */
	for (c = name; *c; c++) {
		if (*c <= ' ' || *c > '~') {
			cli_usage_error(cmd, "the name '%s' may only hold printable ASCII characters, no spaces",
					name);
			return -1;
		}
	}
	return 0;
}

/* The program text, then a caret under @column. */
static void cli_show_caret(const char *text, unsigned int column)
{
	const char *c;

	fputs("    ", stderr);
	for (c = text; *c; c++)	/* a tab or newline would move the caret */
		fputc(*c == '\t' || *c == '\n' || *c == '\r' ? ' ' : *c,
		      stderr);
	fprintf(stderr, "\n    %*s^\n", (int)column - 1, "");
}

int cli_parse_program(const char *cmd, int argc, char **argv, int first,
		      struct miniproc_op *ops, unsigned int *nops)
{
	struct prog_error err;
	size_t len = 0;
	char *text;
	int i, ret;

	if (first >= argc) {
		cli_usage_error(cmd, "expected a PROGRAM, like 'cpu:5ms sleep:10ms exit:0'");
		return -1;
	}
	for (i = first; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = malloc(len);
	if (!text) {
		cli_error("%s: out of memory", cmd);
		return -1;
	}
	text[0] = '\0';
	for (i = first; i < argc; i++) {
		if (i > first)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	ret = prog_parse(text, ops, MINIPROC_PROG_MAX_OPS, nops, &err);
	if (ret) {
		cli_error("program:%u: %s", err.column, err.msg);
		cli_show_caret(text, err.column);
		fprintf(stderr, "Try 'miniproc %s --help'.\n", cmd);
	}
	free(text);
	return ret ? -1 : 0;
}

void cli_print_exit(FILE *out, int pid, const struct miniproc_exit_info *ex)
{
	unsigned long long us = ex->runtime_ns / 1000;

	if (ex->flags & MINIPROC_EXIT_KILLED)
		fprintf(out, "pid %d was killed", pid);
	else
		fprintf(out, "pid %d exited with status %d", pid,
			ex->exit_status);
	fprintf(out, " (cpu %llu.%03llu ms, %llu voluntary / %llu involuntary switches)\n",
		us / 1000, us % 1000, (unsigned long long)ex->nvcsw,
		(unsigned long long)ex->nivcsw);
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return EXIT_OK;
}
