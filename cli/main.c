// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc: create, inspect and control the mini-processes of the miniproc
 * kernel module through /dev/miniproc.
 *
 * This file dispatches to the subcommands (cmd_*.c) and answers --help and
 * --version.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_cmd cli_cmds[] = {
	{ "create", cmd_create, "start a process running a program; print its pid" },
	{ "run", cmd_run, "start a process, wait for it, exit with its status" },
	{ "ps", cmd_ps, "list the processes" },
	{ "status", cmd_status, "show everything about one process" },
	{ "kill", cmd_kill, "kill processes" },
	{ "wait", cmd_wait, "reap a process that ended; say how it ended" },
	{ "suspend", cmd_suspend, "stop processes where they are" },
	{ "resume", cmd_resume, "let suspended processes go on" },
	{ "top", cmd_top, "a live table of the processes, busiest first" },
	{ "trace", cmd_trace, "record state changes; draw them as a timeline" },
	{ "info", cmd_info, "show the module's version, table and limits" },
	{ "homework", cmd_homework, "OSTEP's process-run and scheduler homework" },
	{ NULL, NULL, NULL },
};

static void main_usage(FILE *out)
{
	const struct cli_cmd *cmd;

	fprintf(out,
		"Usage: miniproc COMMAND [OPTIONS] [ARGS]\n"
		"       miniproc COMMAND --help\n"
		"       miniproc --version\n"
		"\n"
		"Create, inspect and control the mini-processes of the miniproc\n"
		"kernel module (%s): kernel threads that run a small program\n"
		"and are kept in an xv6-style process table.\n"
		"\n"
		"Commands:\n", MINIPROC_DEVICE);
	for (cmd = cli_cmds; cmd->name; cmd++)
		fprintf(out, "  %-9s %s\n", cmd->name, cmd->summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -h, --help      show this help\n"
		"  -V, --version   show the version of this command and of the module\n"
		"\n"
		"Examples:\n"
		"  miniproc create -n worker 'cpu:5ms sleep:10ms 3*(cpu:1ms yield) exit:7'\n"
		"  miniproc ps --tree\n"
		"  miniproc wait 5\n"
		"  miniproc run '*(cpu:2ms sleep:8ms)'     (Ctrl-C kills it)\n"
		"  miniproc top\n"
		"  miniproc trace --duration 2s --svg timeline.svg\n"
		"  miniproc homework process-run -l 5:100,5:100 -cp\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error; 'run' exits with the\n"
		"process's own status.\n");
}

/* --version: this command's version, and the module's ABI if it is loaded. */
static int main_version(void)
{
	struct miniproc_version v;
	int fd;

	printf("miniproc %s (ABI %d)\n", MINIPROC_CLI_VERSION,
	       MINIPROC_ABI_VERSION);
	fd = mp_open();
	if (fd < 0)
		return EXIT_OK;
	if (!mp_version(fd, &v))
		printf("module: ABI %u, %u slots\n", v.abi_version, v.nproc);
	close(fd);
	return EXIT_OK;
}

static const struct cli_cmd *main_find(const char *name)
{
	const struct cli_cmd *cmd;

	for (cmd = cli_cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

/* `miniproc help [COMMAND]`: the same as --help. */
static int main_help(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	char *args[] = { NULL, "--help", NULL };

	if (argc < 2) {
		main_usage(stdout);
		return EXIT_OK;
	}
	cmd = main_find(argv[1]);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	args[0] = argv[1];
	return cmd->fn(2, args);
}

/* Flush stdout and say so if that failed (a full disk, a closed pipe). */
static int main_close_stdout(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("write error on standard output");
		return ret ? ret : EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	const char *name;
	int ret;

	if (argc < 2) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
		main_usage(stdout);
		return main_close_stdout(EXIT_OK);
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version"))
		return main_close_stdout(main_version());
	if (!strcmp(name, "help"))
		return main_close_stdout(main_help(argc - 1, argv + 1));
	if (name[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", name);
	cmd = main_find(name);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", name);
	ret = cmd->fn(argc - 1, argv + 1);
	return main_close_stdout(ret);
}
