// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc create, miniproc run: start a process from program text.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "program.h"

static const char create_usage[] =
"Usage: miniproc create [-n NAME] [--autoreap] [--suspended] [--cpu N] [--dry-run]\n"
"                       PROGRAM\n"
"\n"
"Start a mini-process running PROGRAM and print its pid.\n"
"\n"
"Options:\n"
"  -n, --name NAME  name it: up to 15 printable ASCII characters, no spaces\n"
"                   (default \"miniproc\")\n"
"      --autoreap   reap it as soon as it ends: it never becomes a zombie and\n"
"                   cannot be waited for\n"
"      --suspended  start it suspended, before its first op, until resumed\n"
"      --cpu N      run it only on CPU N\n"
"      --dry-run    check PROGRAM and print it in canonical form; start nothing\n"
"  -h, --help       show this help\n";

static const char run_usage[] =
"Usage: miniproc run [-n NAME] [--cpu N] PROGRAM\n"
"\n"
"Start a mini-process running PROGRAM, wait for it to end and exit with its\n"
"exit status: 137 if it was killed. Interrupting run (Ctrl-C) kills it.\n"
"\n"
"Options:\n"
"  -n, --name NAME  name it: up to 15 printable ASCII characters, no spaces\n"
"                   (default \"miniproc\")\n"
"      --cpu N      run it only on CPU N\n"
"  -h, --help       show this help\n";

static const char program_help[] =
"PROGRAM is a list of ops separated by spaces:\n"
"  cpu:DUR     use DUR of CPU time (time spent preempted does not count)\n"
"  sleep:DUR   block for DUR of wall time, SLEEPING on \"sleep\"\n"
"  yield       give up the CPU and stay runnable\n"
"  exit:N      end with exit status N (0 to 255)\n"
"  N*( ... )   repeat the ops inside N times (1 to 1000000); groups nest\n"
"  *( ... )    repeat the ops inside forever\n"
"  fork( ... ) start a child process that runs the ops inside, then go on;\n"
"              the child has the same owner, name and CPU pinning\n"
"  wait        if it has children, sleep (on \"wait\") until one is a zombie,\n"
"              then reap it; without children, go on at once\n"
"DUR is a whole number and a unit: ns, us, ms or s (250us, 5ms, 2s; at most\n"
"3600s). A program that runs off its end exits with status 0. Groups nest at\n"
"most " CLI_STR(MINIPROC_LOOP_MAX_DEPTH) " deep, forks at most " CLI_STR(MINIPROC_FORK_MAX_DEPTH) " of them. A process's children that outlive it\n"
"go to init (pid 1), which reaps them; 'miniproc wait' reaps only processes\n"
"created from the command line. PROGRAM may be several words, joined with\n"
"spaces; quote it, as the shell treats '*' and '(' specially.\n";

/* Usage, the notation, and examples built from prog_examples[]. */
static int create_help(const char *usage, const char *cmd)
{
	const struct prog_example *ex;

	cli_help(usage);
	printf("\n%s\nExamples:\n", program_help);
	for (ex = prog_examples; ex->text; ex++)
		printf("  miniproc %s '%s'\n      %s\n", cmd, ex->text, ex->what);
	if (!strcmp(cmd, "create"))
		printf("  miniproc create -n spinner --autoreap --cpu 0 '*(cpu:10ms)'\n"
		       "      a named, pinned process that never becomes a zombie\n");
	else
		printf("  miniproc run 'cpu:20ms exit:3'; echo $?\n"
		       "      prints 3\n");
	return EXIT_OK;
}

/**
 * struct create_opts - what create and run were asked for
 * @name:    -n NAME, or NULL
 * @flags:   MINIPROC_CREATE_* flags
 * @cpu:     --cpu N, with MINIPROC_CREATE_PIN
 * @dry_run: --dry-run: parse and print the program only
 */
struct create_opts {
	const char *name;
	unsigned int flags;
	int cpu;
	bool dry_run;
};

enum { OPT_AUTOREAP = 256, OPT_SUSPENDED, OPT_CPU, OPT_DRY_RUN };

static const struct option create_longopts[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "autoreap", no_argument, NULL, OPT_AUTOREAP },
	{ "suspended", no_argument, NULL, OPT_SUSPENDED },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option run_longopts[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Options of create or run into @o. Returns -1 to go on, else the exit code
 * (--help, or a usage error).
 */
static int create_parse_opts(const char *cmd, int argc, char **argv,
			     const struct option *longopts,
			     const char *usage, struct create_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = cli_getopt(cmd, argc, argv, "n:h", longopts)) != -1) {
		switch (c) {
		case 'n':
			if (cli_check_name(cmd, optarg))
				return EXIT_USAGE;
			o->name = optarg;
			break;
		case OPT_AUTOREAP:
			o->flags |= MINIPROC_CREATE_AUTOREAP;
			break;
		case OPT_SUSPENDED:
			o->flags |= MINIPROC_CREATE_SUSPENDED;
			break;
		case OPT_CPU:
			if (cli_parse_cpu(cmd, optarg, &o->cpu))
				return EXIT_USAGE;
			o->flags |= MINIPROC_CREATE_PIN;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case 'h':
			return create_help(usage, cmd);
		default:
			return EXIT_USAGE;
		}
	}
	return -1;
}

/*
 * Is @cpu online? 1 or 0 from /sys/devices/system/cpu/online ("0-3,6"),
 * -1 if that cannot be read: then the kernel alone decides.
 */
static int cpu_online(int cpu)
{
	char list[256], *p, *end;
	long lo, hi;
	FILE *f;

	f = fopen("/sys/devices/system/cpu/online", "re");
	if (!f)
		return -1;
	p = fgets(list, sizeof(list), f);
	fclose(f);
	if (!p)
		return -1;
	while (*p >= '0' && *p <= '9') {
		lo = strtol(p, &end, 10);
		hi = *end == '-' ? strtol(end + 1, &end, 10) : lo;
		if (cpu >= lo && cpu <= hi)
			return 1;
		if (*end != ',')
			break;
		p = end + 1;
	}
	return 0;
}

/* Open the device and create the process; the fd, or -1 after a report. */
static int create_start(const char *cmd, const struct create_opts *o,
			const struct miniproc_op *ops, unsigned int nops,
			int *pid)
{
	int fd, ret;

	if ((o->flags & MINIPROC_CREATE_PIN) && cpu_online(o->cpu) == 0) {
		cli_error("%s: CPU %d is not online", cmd, o->cpu);
		return -1;
	}
	fd = cli_open();
	if (fd < 0)
		return -1;
	ret = mp_create(fd, o->name, ops, nops, o->flags, o->cpu, pid);
	if (ret < 0) {
		cli_report(fd, cmd, 0, -ret);
		return -1;
	}
	return fd;
}

int cmd_create(int argc, char **argv)
{
	struct miniproc_op ops[MINIPROC_PROG_MAX_OPS];
	struct create_opts o;
	unsigned int nops;
	char text[8192];
	int ret, pid;

	ret = create_parse_opts("create", argc, argv, create_longopts,
				create_usage, &o);
	if (ret >= 0)
		return ret;
	if (cli_parse_program("create", argc, argv, optind, ops, &nops))
		return EXIT_USAGE;
	if (o.dry_run) {
		if (prog_format(ops, nops, text, sizeof(text)) < 0)
			return EXIT_FAIL;
		printf("%s\n", text);
		return EXIT_OK;
	}
	if (create_start("create", &o, ops, nops, &pid) < 0)
		return EXIT_FAIL;
	printf("%d\n", pid);
	return EXIT_OK;
}

/* What run's signal handler needs: it kills the process it runs. */
static volatile sig_atomic_t run_signal;
static volatile sig_atomic_t run_pid;
static int run_fd = -1;

/* Kill the process; its wait then returns. Only an ioctl: signal-safe. */
static void run_on_signal(int sig)
{
	int saved = errno;

	run_signal = sig;
	if (run_pid > 0)
		mp_destroy(run_fd, run_pid, 0, NULL);
	errno = saved;
}

/*
 * Catch the signals that end a foreground command, except those ignored on
 * entry (as a shell ignores SIGINT for background jobs): run obeys them.
 */
static void run_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);	/* no SA_RESTART: WAIT returns EINTR */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) || old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

int cmd_run(int argc, char **argv)
{
	struct miniproc_op ops[MINIPROC_PROG_MAX_OPS];
	struct miniproc_exit_info ex;
	struct create_opts o;
	unsigned int nops;
	int ret, pid, reaped;

	ret = create_parse_opts("run", argc, argv, run_longopts, run_usage, &o);
	if (ret >= 0)
		return ret;
	if (cli_parse_program("run", argc, argv, optind, ops, &nops))
		return EXIT_USAGE;
	run_catch_signals();
	run_fd = create_start("run", &o, ops, nops, &pid);
	if (run_fd < 0)
		return EXIT_FAIL;
	run_pid = pid;
	if (run_signal)		/* it came before run_pid was set */
		mp_destroy(run_fd, pid, 0, NULL);
	do {
		reaped = pid;
		ret = mp_wait(run_fd, &reaped, 0, 0, &ex);
	} while (ret == -EINTR);
	if (ret < 0) {
		cli_report(run_fd, "run", pid, -ret);
		return EXIT_FAIL;
	}
	if (run_signal) {
		cli_error("run: interrupted by %s; pid %d was killed",
			  run_signal == SIGINT ? "SIGINT" :
			  run_signal == SIGTERM ? "SIGTERM" : "SIGHUP", pid);
		return 128 + run_signal;
	}
	if (ex.flags & MINIPROC_EXIT_KILLED) {
		cli_error("run: pid %d was killed before it ended", pid);
		return EXIT_RUN_KILLED;
	}
	return ex.exit_status;
}
