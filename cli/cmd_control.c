// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc kill, wait, suspend, resume: act on processes by pid.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "cli.h"
#include "program.h"

static const char kill_usage[] =
"Usage: miniproc kill [--wait] PID...\n"
"\n"
"Kill each PID. It ends at its next safe point, also from a sleep or a\n"
"suspension, and stays a zombie until it is waited for (unless it was created\n"
"with --autoreap). Killing a zombie changes nothing.\n"
"\n"
"Options:\n"
"  -w, --wait   return once each is gone and reaped, and print how it ended\n"
"  -h, --help   show this help\n"
"\n"
"Examples:\n"
"  miniproc kill 5 6 7\n"
"  miniproc kill --wait 5\n"
"      pid 5 was killed (cpu 3.000 ms, 1 voluntary / 2 involuntary switches)\n";

static const char wait_usage[] =
"Usage: miniproc wait [--nohang] [--timeout DUR] [PID]\n"
"\n"
"Wait until PID, or without PID any of your processes, has ended; reap it\n"
"and print how it ended.\n"
"\n"
"Options:\n"
"      --nohang         do not wait: if none has ended, say so and exit 0\n"
"  -t, --timeout DUR    give up after DUR (like 500ms or 2s) and exit 1\n"
"  -h, --help           show this help\n"
"\n"
"Examples:\n"
"  miniproc wait 5\n"
"      pid 5 exited with status 7 (cpu 8.000 ms, 4 voluntary / 3 involuntary switches)\n"
"  miniproc wait --timeout 2s\n"
"  miniproc wait --nohang\n"
"      no process has exited yet\n";

static const char suspend_usage[] =
"Usage: miniproc suspend PID...\n"
"\n"
"Stop each PID at its next safe point; returns once it is stopped, SLEEPING on\n"
"\"suspended\". A cpu op keeps the CPU time it used; a sleep keeps its deadline\n"
"(time suspended counts). Suspending a suspended process or a zombie changes\n"
"nothing.\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Example:\n"
"  miniproc suspend 5 6\n";

static const char resume_usage[] =
"Usage: miniproc resume PID...\n"
"\n"
"Let each suspended PID go on where it stopped; a sleep whose deadline passed\n"
"meanwhile ends at once. Resuming a process that is not suspended changes\n"
"nothing.\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Example:\n"
"  miniproc resume 5 6\n";

enum { OPT_NOHANG = 256 };

static const struct option kill_longopts[] = {
	{ "wait", no_argument, NULL, 'w' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option wait_longopts[] = {
	{ "nohang", no_argument, NULL, OPT_NOHANG },
	{ "timeout", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option help_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Do @act to each PID left in argv after the options, reporting each
 * failure and going on with the next; the exit status for all of them.
 */
static int for_each_pid(const char *cmd, int argc, char **argv,
			int (*act)(int fd, int pid, void *ctx), void *ctx)
{
	int i, fd, ret, npids, *pids;
	bool failed = false;

	if (cli_parse_pids(cmd, argc, argv, optind, &pids, &npids))
		return EXIT_USAGE;
	fd = cli_open();
	if (fd < 0) {
		free(pids);
		return EXIT_FAIL;
	}
	for (i = 0; i < npids; i++) {
		ret = act(fd, pids[i], ctx);
		if (ret < 0) {
			cli_report(fd, cmd, pids[i], -ret);
			failed = true;
		}
	}
	free(pids);
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* The ioctl wrapper suspend or resume calls on each pid. */
struct ctl_action {
	int (*ctl)(int fd, int pid);
};

static int ctl_one(int fd, int pid, void *ctx)
{
	const struct ctl_action *a = ctx;

	return a->ctl(fd, pid);
}

/* kill's action on one pid; prints how it ended with --wait. */
static int kill_one(int fd, int pid, void *ctx)
{
	unsigned int flags = *(unsigned int *)ctx;
	struct miniproc_exit_info ex;
	int ret;

	ret = mp_destroy(fd, pid, flags, &ex);
	if (!ret && (flags & MINIPROC_DESTROY_WAIT))
		cli_print_exit(stdout, pid, &ex);
	return ret;
}

int cmd_kill(int argc, char **argv)
{
	unsigned int flags = 0;
	int c;

	while ((c = cli_getopt("kill", argc, argv, "wh", kill_longopts)) != -1) {
		switch (c) {
		case 'w':
			flags |= MINIPROC_DESTROY_WAIT;
			break;
		case 'h':
			return cli_help(kill_usage);
		default:
			return EXIT_USAGE;
		}
	}
	return for_each_pid("kill", argc, argv, kill_one, &flags);
}

int cmd_wait(int argc, char **argv)
{
	struct miniproc_exit_info ex;
	struct prog_error err;
	unsigned int options = 0;
	uint64_t timeout = 0;
	int c, fd, ret, pid = MINIPROC_WAIT_ANY, asked;

	while ((c = cli_getopt("wait", argc, argv, "t:h", wait_longopts)) != -1) {
		switch (c) {
		case OPT_NOHANG:
			options |= MINIPROC_WNOHANG;
			break;
		case 't':
			if (prog_parse_duration(optarg, &timeout, &err))
				return cli_usage_error("wait", "bad timeout '%s': %s",
						       optarg, err.msg);
			break;
		case 'h':
			return cli_help(wait_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("wait", "expected at most one PID, got '%s' too",
				       argv[optind + 1]);
	if (optind < argc && cli_parse_pid("wait", argv[optind], &pid))
		return EXIT_USAGE;
	fd = cli_open();
	if (fd < 0)
		return EXIT_FAIL;
	asked = pid;
	ret = mp_wait(fd, &pid, options, timeout, &ex);
	if (ret < 0) {
		cli_report(fd, "wait", asked, -ret);
		return EXIT_FAIL;
	}
	if (!pid) {
		printf("no process has exited yet\n");
		return EXIT_OK;
	}
	cli_print_exit(stdout, pid, &ex);
	return EXIT_OK;
}

/* suspend and resume: the same loop over pids with another ioctl. */
static int ctl_each(const char *cmd, const char *usage, int (*ctl)(int, int),
		    int argc, char **argv)
{
	struct ctl_action action = { .ctl = ctl };
	int c;

	while ((c = cli_getopt(cmd, argc, argv, "h", help_longopts)) != -1) {
		if (c == 'h')
			return cli_help(usage);
		return EXIT_USAGE;
	}
	return for_each_pid(cmd, argc, argv, ctl_one, &action);
}

int cmd_suspend(int argc, char **argv)
{
	return ctl_each("suspend", suspend_usage, mp_suspend, argc, argv);
}

int cmd_resume(int argc, char **argv)
{
	return ctl_each("resume", resume_usage, mp_resume, argc, argv);
}
