// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc ps, status, info: print what the table and the module say.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "cli.h"
#include "columns.h"
#include "program.h"
#include "tree.h"

static const char ps_usage[] =
"Usage: miniproc ps [--json | --tree [--ascii]]\n"
"\n"
"List every mini-process, of every user, in pid order; init (pid 1), the\n"
"module's own process that adopts orphans and reaps them, among them.\n"
"\n"
"Columns:\n"
"  PID    its pid               STATE  EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE\n"
"  PPID   its parent's pid      CHAN   what it sleeps on, while SLEEPING\n"
"         (0: created by a user)\n"
"  USER   its owner             CPU    the CPU it is on or last ran on\n"
"  NAME   its name              TIME   CPU time used, in seconds\n"
"\n"
"Options:\n"
"  -t, --tree   show each process under its parent, like pstree: processes\n"
"               created by users, and init with the orphans it adopted, are\n"
"               the roots\n"
"      --ascii  draw the tree with ASCII characters even in a UTF-8 locale\n"
"  -J, --json   print a JSON array of objects, one per process, with the keys\n"
"               pid ppid uid name state chan killed suspended exit_status cpu\n"
"               runtime_ns nvcsw nivcsw tid autoreap pinned start_time_ns\n"
"               nr_sched_in nr_wakeups nr_migrations fork_error nr_children\n"
"               nr_forks\n"
"  -h, --help   show this help\n"
"\n"
"Examples:\n"
"  miniproc ps\n"
"  miniproc ps --json\n"
"  miniproc ps --tree\n"
"      PID PPID USER STATE    CHAN  CPU  TIME NAME\n"
"        1    0 root SLEEPING wait    1 0.000 init\n"
"        9    1 root ZOMBIE   -       0 0.002 `- worker\n"
"        5    0 root SLEEPING sleep   1 0.001 worker\n"
"        6    5 root RUNNING  -       0 0.120 |- worker\n"
"        7    5 root SLEEPING wait    1 0.001 `- worker\n"
"        8    7 root RUNNABLE -       1 0.050    `- worker\n";

static const char status_usage[] =
"Usage: miniproc status [--json] PID\n"
"\n"
"Print everything the module knows about PID, one \"Key: value\" per line.\n"
"\n"
"Options:\n"
"  -J, --json   print one JSON object, with the keys of 'miniproc ps --json'\n"
"  -h, --help   show this help\n"
"\n"
"Examples:\n"
"  miniproc status 5\n"
"  miniproc status --json 5\n";

static const char info_usage[] =
"Usage: miniproc info\n"
"\n"
"Print the module's ABI version, the size and use of its process table, the\n"
"per-user limit and the limits on programs.\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Example:\n"
"  miniproc info\n"
"      Module ABI version: 1\n"
"      Process table:      3 of 64 slots in use\n"
"      Per-user limit:     32 live processes\n"
"      Program limits:     256 ops, groups nested 8 deep, ...\n";

enum { OPT_ASCII = 256 };

static const struct option show_longopts[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option ps_longopts[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "tree", no_argument, NULL, 't' },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The columns of `miniproc ps`, in the order they are shown. */
static const enum col_id ps_columns[] = {
	COL_PID, COL_PPID, COL_UID, COL_STATE, COL_CHAN, COL_CPU,
	COL_RUNTIME, COL_NAME,
};

/* Options of status; -1 to go on, else the exit code. */
static int show_parse_opts(const char *cmd, const char *usage, int argc,
			   char **argv, bool *json)
{
	int c;

	*json = false;
	while ((c = cli_getopt(cmd, argc, argv, "Jh", show_longopts)) != -1) {
		switch (c) {
		case 'J':
			*json = true;
			break;
		case 'h':
			return cli_help(usage);
		default:
			return EXIT_USAGE;
		}
	}
	return -1;
}

/* The table of ps --tree: rows under their parents, glyphs before names. */
static int ps_print_tree(const struct miniproc_info *recs, unsigned int n,
			 bool utf8)
{
	char (*prefix)[TREE_PREFIX_LEN] = calloc(n ? n : 1, sizeof(*prefix));
	struct miniproc_info *rows = calloc(n ? n : 1, sizeof(*rows));
	struct col_extra *extra = calloc(n ? n : 1, sizeof(*extra));
	unsigned int *order = calloc(n ? n : 1, sizeof(*order));
	unsigned int i;
	int ret = -ENOMEM;

	if (prefix && rows && extra && order)
		ret = tree_order(recs, n, utf8, order, prefix);
	if (!ret) {
		for (i = 0; i < n; i++) {
			rows[i] = recs[order[i]];
			extra[i].cpu_permille = -1;
			extra[i].tree = prefix[i];
		}
		cols_print_table(stdout, rows, extra, n, ps_columns,
				 sizeof(ps_columns) / sizeof(ps_columns[0]));
	}
	free(prefix);
	free(rows);
	free(extra);
	free(order);
	return ret;
}

int cmd_ps(int argc, char **argv)
{
	struct miniproc_info *recs;
	bool json = false, tree = false, ascii = false;
	unsigned int count;
	int c, fd, ret;

	while ((c = cli_getopt("ps", argc, argv, "Jth", ps_longopts)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 't':
			tree = true;
			break;
		case OPT_ASCII:
			ascii = true;
			break;
		case 'h':
			return cli_help(ps_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("ps", "unexpected argument '%s'",
				       argv[optind]);
	if (json && tree)
		return cli_usage_error("ps", "--tree and --json do not go together (each JSON object has its ppid)");
	if (ascii && !tree)
		return cli_usage_error("ps", "--ascii goes with --tree");
	fd = cli_open();
	if (fd < 0)
		return EXIT_FAIL;
	ret = mp_list(fd, &recs, &count);
	if (ret < 0) {
		cli_report(fd, "ps", 0, -ret);
		return EXIT_FAIL;
	}
	ret = 0;
	if (json)
		cols_print_json_array(stdout, recs, count);
	else if (tree)
		ret = ps_print_tree(recs, count, !ascii && tree_locale_utf8());
	else
		cols_print_table(stdout, recs, NULL, count, ps_columns,
				 sizeof(ps_columns) / sizeof(ps_columns[0]));
	free(recs);
	if (ret < 0) {
		cli_report(fd, "ps", 0, -ret);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_status(int argc, char **argv)
{
	struct miniproc_info info;
	bool json;
	int fd, ret, pid;

	ret = show_parse_opts("status", status_usage, argc, argv, &json);
	if (ret >= 0)
		return ret;
	if (optind >= argc)
		return cli_usage_error("status", "expected a PID");
	if (argc - optind > 1)
		return cli_usage_error("status", "expected one PID, got '%s' too",
				       argv[optind + 1]);
	if (cli_parse_pid("status", argv[optind], &pid))
		return EXIT_USAGE;
	fd = cli_open();
	if (fd < 0)
		return EXIT_FAIL;
	ret = mp_status(fd, pid, &info);
	if (ret < 0) {
		cli_report(fd, "status", pid, -ret);
		return EXIT_FAIL;
	}
	if (json) {
		cols_print_json_object(stdout, &info);
		putchar('\n');
	} else {
		cols_print_status(stdout, &info);
	}
	return EXIT_OK;
}

int cmd_info(int argc, char **argv)
{
	struct miniproc_version v;
	char dur[32];
	int c, fd, ret;

	while ((c = cli_getopt("info", argc, argv, "h", show_longopts + 1)) != -1) {
		if (c == 'h')
			return cli_help(info_usage);
		return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error("info", "unexpected argument '%s'",
				       argv[optind]);
	fd = cli_open();
	if (fd < 0)
		return EXIT_FAIL;
	ret = mp_version(fd, &v);
	if (ret < 0) {
		cli_report(fd, "info", 0, -ret);
		return EXIT_FAIL;
	}
	prog_format_duration(v.max_duration_ns, dur, sizeof(dur));
	printf("Module ABI version: %u%s\n", v.abi_version,
	       v.abi_version == MINIPROC_ABI_VERSION ? "" :
	       " (this command was built for another version)");
	printf("Process table:      %u of %u slots in use\n", v.nr_used,
	       v.nproc);
	printf("Per-user limit:     %u live processes\n", v.max_per_uid);
	printf("Program limits:     %u ops, groups nested %u deep, repeat counts up to %u, durations up to %s\n",
	       v.max_prog_ops, v.max_loop_depth, v.max_loop_count, dur);
	return EXIT_OK;
}
