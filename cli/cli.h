/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the miniproc subcommands share: exit codes, messages, argument
 * parsing. The subcommands only parse their arguments and print; the ioctls
 * are in libminiproc, the notation in program, the fields in columns.
 */
#ifndef MINIPROC_CLI_H
#define MINIPROC_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "libminiproc.h"

/* The Makefile passes the package version, from the top-level VERSION. */
#ifndef MINIPROC_CLI_VERSION
#error "MINIPROC_CLI_VERSION is not defined: build with cli/Makefile (it reads ../VERSION)"
#endif

/* Exit codes: also the return values of the cmd_* functions. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* A number macro as a string literal, for help texts: CLI_STR(8) is "8". */
#define CLI_STR_(x)	#x
#define CLI_STR(x)	CLI_STR_(x)

/* A killed process's exit code in `miniproc run`, as a shell shows SIGKILL. */
#define EXIT_RUN_KILLED	(128 + 9)

/**
 * struct cli_cmd - one subcommand
 * @name:    as typed
 * @fn:      runs it with argv[0] == @name; returns the exit code
 * @summary: one line for the top-level --help
 */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* cmd_create.c */
int cmd_create(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* cmd_control.c */
int cmd_kill(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_suspend(int argc, char **argv);
int cmd_resume(int argc, char **argv);

/* cmd_show.c */
int cmd_ps(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_info(int argc, char **argv);

/* cmd_top.c */
int cmd_top(int argc, char **argv);

/* cmd_trace.c */
int cmd_trace(int argc, char **argv);

/* cmd_homework.c */
int cmd_homework(int argc, char **argv);

/* errors.c */

/*
 * The cause of @err when @cmd ("create", "kill", ..., or "open") failed on
 * @pid (0 or MINIPROC_WAIT_ANY: none), as words: "no such process". @fd,
 * if not negative, may be asked for more (who owns the table, for EAGAIN).
 * The one place an errno becomes a sentence.
 */
void cli_cause(char *buf, size_t len, int fd, const char *cmd, int pid,
	       int err);

/*
 * @err, a process's &miniproc_info.fork_error, as a sentence for `status`:
 * "last failed fork: the process table was full or ... (EAGAIN)".
 */
void cli_fork_cause(char *buf, size_t len, int err);

/* "miniproc: CMD PID: cause" on stderr, from cli_cause(). */
void cli_report(int fd, const char *cmd, int pid, int err);

/* cli.c */

/* "miniproc: " and the message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A usage error: the message, a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * getopt_long() for subcommand @cmd, quiet: an unknown option or a missing
 * argument is reported here and returned as '?'.
 */
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* Open the device, or report why not; returns the fd or -1. */
int cli_open(void);

/* Parse a pid ("42"); reports a usage error and returns -1 if it is not. */
int cli_parse_pid(const char *cmd, const char *text, int *pid);

/* Parse all of argv[first..argc) as pids into a malloc()ed array. */
int cli_parse_pids(const char *cmd, int argc, char **argv, int first,
		   int **pids, int *npids);

/* Parse --cpu's argument; -1 and a usage error if it is not a CPU number. */
int cli_parse_cpu(const char *cmd, const char *text, int *cpu);

/* Check a -n NAME; a usage error and -1 if the kernel would refuse it. */
int cli_check_name(const char *cmd, const char *name);

/*
 * argv[first..argc) joined by spaces, parsed as a program into @ops (room
 * for MINIPROC_PROG_MAX_OPS). On a parse error prints the message and the
 * text with a caret under the mistake, and returns -1.
 */
int cli_parse_program(const char *cmd, int argc, char **argv, int first,
		      struct miniproc_op *ops, unsigned int *nops);

/* "pid 5 exited with status 7 (cpu 5.012 ms, ...)" and a newline. */
void cli_print_exit(FILE *out, int pid, const struct miniproc_exit_info *ex);

/* --help text of a subcommand, to stdout; returns EXIT_OK. */
int cli_help(const char *text);

#endif /* MINIPROC_CLI_H */
