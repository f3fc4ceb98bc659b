// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc ps, status, info: print what the table and the module say.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "columns.h"
#include "program.h"
#include "tree.h"

static const char ps_usage[] =
"Usage: miniproc ps [-o LIST | --output-all] [-n] [-r | -P | -J | --tree [--ascii]]\n"
"\n"
"List every mini-process, of every user, in pid order; init (pid 1), the\n"
"module's own process that adopts orphans and reaps them, among them.\n"
"The default columns are PID PPID USER STATE CHAN CPU TIME NAME.\n"
"\n"
"Options:\n"
"  -o, --output LIST  the columns to show, by the names of their headers,\n"
"                     in any case (PID,state,chan); +LIST adds LIST to the\n"
"                     default columns\n"
"      --output-all   every column\n"
"  -n, --noheadings   no header line\n"
"  -r, --raw          values separated by one space, not aligned\n"
"  -P, --pairs        NAME=\"value\" pairs, one line per process (CPU% is\n"
"                     CPU_PCT), for eval in a shell\n"
"  -J, --json         a JSON array of objects, one per process; without -o,\n"
"                     with every key: pid ppid uid name state chan killed\n"
"                     suspended exit_status cpu runtime_ns nvcsw nivcsw tid\n"
"                     autoreap pinned start_time_ns nr_sched_in nr_wakeups\n"
"                     nr_migrations fork_error nr_children nr_forks; with -o,\n"
"                     the keys of those columns, in that order\n"
"  -t, --tree         show each process under its parent, like pstree: the\n"
"                     processes users created, and init with the orphans it\n"
"                     adopted, are the roots; drawn in the NAME column\n"
"      --ascii        draw the tree with ASCII characters even in a UTF-8\n"
"                     locale\n"
"  -h, --help         show this help\n"
"\n"
"Examples:\n"
"  miniproc ps\n"
"  miniproc ps -o pid,state,chan\n"
"  miniproc ps -o +nvcsw,nivcsw\n"
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
"Usage: miniproc status [-o LIST] [-n] [-r | -P | -J] PID\n"
"\n"
"Print everything the module knows about PID, one \"Key: value\" per line.\n"
"\n"
"Options:\n"
"  -o, --output LIST  only these fields, by the names of the columns of\n"
"                     'miniproc ps' (see below), in that order\n"
"      --output-all   every field (the default)\n"
"  -n, --noheadings   values only, without their keys or headers\n"
"  -r, --raw          one line of values, as 'miniproc ps --raw'\n"
"  -P, --pairs        one line of NAME=\"value\" pairs, as 'miniproc ps -P'\n"
"  -J, --json         one JSON object, with the keys of 'miniproc ps --json'\n"
"  -h, --help         show this help\n"
"\n"
"Examples:\n"
"  miniproc status 5\n"
"  miniproc status -o state,chan 5\n"
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

enum { OPT_ASCII = 256, OPT_OUTPUT_ALL };

/* Options of info: help only. */
static const struct option info_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option ps_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "raw", no_argument, NULL, 'r' },
	{ "pairs", no_argument, NULL, 'P' },
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

#define PS_NCOLUMNS	(sizeof(ps_columns) / sizeof(ps_columns[0]))

/**
 * struct show_opts - the output options ps and status share
 * @cols:  the columns, from -o, --output-all or the command's defaults
 * @ncols: how many
 * @set:   -o or --output-all was given
 * @style: table format and headings
 * @json:  -J
 * @tree:  -t (ps)
 * @ascii: --ascii (ps)
 */
struct show_opts {
	enum col_id cols[COLS_MAX];
	unsigned int ncols;
	bool set;
	struct cols_style style;
	bool json;
	bool tree;
	bool ascii;
};

/*
 * Parse the options of ps or status (@tree_ok: ps) into @o, the columns
 * defaulting to @defs. -1 to go on, else the exit code.
 */
static int show_parse_opts(const char *cmd, const char *usage, int argc,
			   char **argv, bool tree_ok, const enum col_id *defs,
			   unsigned int ndefs, struct show_opts *o)
{
	const char *shortopts = tree_ok ? "o:nrPJth" : "o:nrPJh";
	unsigned int formats;
	char why[128];
	int c;

	memset(o, 0, sizeof(*o));
	for (o->ncols = 0; o->ncols < ndefs; o->ncols++)
		o->cols[o->ncols] = defs[o->ncols];
	while ((c = cli_getopt(cmd, argc, argv, shortopts, ps_longopts)) != -1) {
		switch (c) {
		case 'o':
			if (cols_parse(optarg, defs, ndefs, COL_NR, o->cols,
				       &o->ncols, why, sizeof(why)))
				return cli_usage_error(cmd, "-o %s: %s", optarg,
						       why);
			o->set = true;
			break;
		case OPT_OUTPUT_ALL:
			o->ncols = cols_all(COL_NR, o->cols);
			o->set = true;
			break;
		case 'n':
			o->style.noheadings = true;
			break;
		case 'r':
			o->style.format = COLS_RAW;
			break;
		case 'P':
			o->style.format = COLS_PAIRS;
			break;
		case 'J':
			o->json = true;
			break;
		case 't':
			if (!tree_ok)
				return cli_usage_error(cmd, "unknown option '--tree'");
			o->tree = true;
			break;
		case OPT_ASCII:
			if (!tree_ok)
				return cli_usage_error(cmd, "unknown option '--ascii'");
			o->ascii = true;
			break;
		case 'h':
			cli_help(usage);
			cols_print_help(stdout, COL_NR);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	formats = (o->style.format == COLS_RAW) +
		  (o->style.format == COLS_PAIRS) + o->json;
	if (formats > 1 || (o->style.format != COLS_TABLE && o->json))
		return cli_usage_error(cmd, "--raw, --pairs and --json do not go together");
	if (o->json && o->tree)
		return cli_usage_error(cmd, "--tree and --json do not go together (each JSON object has its ppid)");
	if (o->tree && o->style.format != COLS_TABLE)
		return cli_usage_error(cmd, "--tree goes with the aligned table, not --raw or --pairs");
	if (o->ascii && !o->tree)
		return cli_usage_error(cmd, "--ascii goes with --tree");
	return -1;
}

/* The parent row of each row of a tree, from tree.c's order. */
static void ps_tree_parents(const struct miniproc_info *rows, unsigned int n,
			    int *parent)
{
	unsigned int i, j;

	/*
	 * tree_order() puts a process after its parent, and a row whose
	 * ppid is not an earlier row is a root (its parent is not listed,
	 * or a loop of ppids was cut there).
	 */
	for (i = 0; i < n; i++) {
		parent[i] = -1;
		if (rows[i].ppid <= 0 || rows[i].ppid == rows[i].pid)
			continue;
		for (j = i; j-- > 0;)
			if (rows[j].pid == rows[i].ppid) {
				parent[i] = (int)j;
				break;
			}
	}
}

/* The table of ps --tree: rows under their parents. */
static int ps_print_tree(const struct miniproc_info *recs, unsigned int n,
			 struct show_opts *o)
{
	char (*prefix)[TREE_PREFIX_LEN] = calloc(n ? n : 1, sizeof(*prefix));
	struct miniproc_info *rows = calloc(n ? n : 1, sizeof(*rows));
	unsigned int *order = calloc(n ? n : 1, sizeof(*order));
	int *parent = calloc(n ? n : 1, sizeof(*parent));
	unsigned int i;
	int ret = -ENOMEM;

	if (prefix && rows && order && parent)
		ret = tree_order(recs, n, false, order, prefix);
	if (!ret) {
		for (i = 0; i < n; i++)
			rows[i] = recs[order[i]];
		ps_tree_parents(rows, n, parent);
		o->style.parent = parent;
		o->style.utf8 = !o->ascii && tree_locale_utf8();
		ret = cols_print(stdout, rows, NULL, n, o->cols, o->ncols,
				 &o->style);
		o->style.parent = NULL;
	}
	free(prefix);
	free(rows);
	free(order);
	free(parent);
	return ret;
}

/* Is @id among the columns of @o? */
static bool show_has(const struct show_opts *o, enum col_id id)
{
	unsigned int c;

	for (c = 0; c < o->ncols; c++)
		if (o->cols[c] == id)
			return true;
	return false;
}

int cmd_ps(int argc, char **argv)
{
	struct miniproc_info *recs;
	struct show_opts o;
	unsigned int count;
	int fd, ret;

	ret = show_parse_opts("ps", ps_usage, argc, argv, true, ps_columns,
			      PS_NCOLUMNS, &o);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		return cli_usage_error("ps", "unexpected argument '%s'",
				       argv[optind]);
	if (o.tree && !show_has(&o, COL_NAME))
		return cli_usage_error("ps", "--tree is drawn in the NAME column: add it to -o");
	fd = cli_open();
	if (fd < 0)
		return EXIT_FAIL;
	ret = mp_list(fd, &recs, &count);
	if (ret < 0) {
		cli_report(fd, "ps", 0, -ret);
		return EXIT_FAIL;
	}
	ret = 0;
	if (o.json && o.set)
		cols_print_json_array_cols(stdout, recs, count, o.cols, o.ncols);
	else if (o.json)
		cols_print_json_array(stdout, recs, count);
	else if (o.tree)
		ret = ps_print_tree(recs, count, &o);
	else
		ret = cols_print(stdout, recs, NULL, count, o.cols, o.ncols,
				 &o.style);
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
	enum col_id all[COL_NR];
	struct show_opts o;
	int fd, ret, pid;

	ret = show_parse_opts("status", status_usage, argc, argv, false, all,
			      cols_all(COL_NR, all), &o);
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
	ret = 0;
	if (o.json && o.set) {
		cols_print_json_cols(stdout, &info, o.cols, o.ncols);
		putchar('\n');
	} else if (o.json) {
		cols_print_json_object(stdout, &info);
		putchar('\n');
	} else if (o.style.format != COLS_TABLE) {
		ret = cols_print(stdout, &info, NULL, 1, o.cols, o.ncols,
				 &o.style);
	} else {
		cols_print_status_cols(stdout, &info, o.cols, o.ncols,
				       !o.style.noheadings);
	}
	if (ret < 0) {
		cli_report(fd, "status", pid, -ret);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_info(int argc, char **argv)
{
	struct miniproc_version v;
	char dur[32];
	int c, fd, ret;

	while ((c = cli_getopt("info", argc, argv, "h", info_longopts)) != -1) {
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
