// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc top: a refreshing table of the processes, busiest first.
 *
 * CPU% comes from two LIST snapshots: the CPU time (runtime_ns) a process
 * gained between them over the wall time between them, so 100% is one CPU
 * for the whole interval. A process that is new in the second snapshot
 * gained all of its CPU time in the interval.
 *
 * On a terminal the table is redrawn in place with ANSI escapes (cursor
 * home, clear to end of line and of screen) and the keyboard is read in
 * non-canonical mode for 'q'; the terminal is restored on every way out,
 * signals included. Elsewhere (a pipe, a file) each refresh is printed
 * after the last, without escapes, like `top -b`.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "units.h"
#include "cli.h"
#include "columns.h"
#include "cpushare.h"
#include "program.h"

static const char top_usage[] =
"Usage: miniproc top [--once] [--interval DUR] [--iterations N]\n"
"\n"
"Show the mini-processes, busiest first, refreshed every interval: their\n"
"state, their share of a CPU, their context switches and CPU time.\n"
"\n"
"Columns:\n"
"  PID     its pid                  CPU%    share of one CPU over the last\n"
"  USER    its owner                        interval (100 = a whole CPU)\n"
"  STATE   as in ps                 NVCSW   voluntary switches (it blocked)\n"
"  TIME    CPU time used, seconds   NIVCSW  involuntary ones (preempted,\n"
"  NAME    its name                         or yielded)\n"
"\n"
"On a terminal the table is redrawn in place: q (or Ctrl-C) quits. When\n"
"the output is not a terminal, each refresh is printed after the last,\n"
"without escape codes.\n"
"\n"
"Options:\n"
"      --once            print one table, with CPU% measured over 200 ms,\n"
"                        and exit\n"
"  -d, --interval DUR    refresh every DUR (default 1s, at least 10ms)\n"
"  -n, --iterations N    exit after N tables\n"
"  -h, --help            show this help\n"
"\n"
"Examples:\n"
"  miniproc top\n"
"  miniproc top --once\n"
"  miniproc top --interval 250ms --iterations 8 > top.log\n";

/* The first table comes after this long (or the interval, if shorter). */
#define TOP_FIRST_NS	(200 * 1000 * 1000ULL)
#define TOP_MIN_NS	(10 * 1000 * 1000ULL)

static const enum col_id top_columns[] = {
	COL_PID, COL_UID, COL_STATE, COL_PCPU, COL_NVCSW, COL_NIVCSW,
	COL_RUNTIME, COL_NAME,
};

/**
 * struct top_sample - one LIST snapshot
 * @recs: the records, in pid order
 * @n:    how many
 * @at:   CLOCK_MONOTONIC when it was taken, ns
 */
struct top_sample {
	struct miniproc_info *recs;
	unsigned int n;
	uint64_t at;
};

/* The terminal, shared with the signal handlers. */
static struct termios top_saved;
static volatile sig_atomic_t top_raw;		/* stdin is non-canonical */
static volatile sig_atomic_t top_hidden;	/* the cursor is hidden */
static volatile sig_atomic_t top_signal;	/* a signal asked us to end */
static volatile sig_atomic_t top_redraw;	/* resized, or continued */

static uint64_t top_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Give the terminal back as it was. Async-signal-safe. */
static void top_tty_restore(void)
{
	static const char show[] = "\033[?25h";

	if (top_raw) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &top_saved);
		top_raw = 0;
	}
	if (top_hidden) {
		top_hidden = 0;
		if (write(STDOUT_FILENO, show, sizeof(show) - 1) < 0)
			return;
	}
}

/* Keys without Enter and without echo; signals (Ctrl-C) still work. */
static void top_tty_take(bool keys)
{
	static const char hide[] = "\033[?25l";
	struct termios t = top_saved;

	if (keys) {
		t.c_lflag &= ~(ICANON | ECHO);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		if (!tcsetattr(STDIN_FILENO, TCSADRAIN, &t))
			top_raw = 1;
	}
	if (write(STDOUT_FILENO, hide, sizeof(hide) - 1) > 0)
		top_hidden = 1;
}

static void top_on_signal(int sig)
{
	top_signal = sig;
}

static void top_on_winch(int sig)
{
	(void)sig;
	top_redraw = 1;
}

/* Ctrl-Z: give the terminal back, stop, take it again when continued. */
static void top_on_tstp(int sig)
{
	int saved = errno, keys = top_raw;
	sigset_t set;

	top_tty_restore();
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* Continued. */
	signal(sig, top_on_tstp);
	top_tty_take(keys);
	top_redraw = 1;
	errno = saved;
}

static void top_catch_signals(bool tty)
{
	static const int ends[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = top_on_signal;	/* no SA_RESTART: poll() returns */
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		sigaction(ends[i], &sa, NULL);
	if (!tty)
		return;
	sa.sa_handler = top_on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = top_on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
}

static int top_take_sample(int fd, struct top_sample *s)
{
	int ret;

	free(s->recs);
	ret = mp_list(fd, &s->recs, &s->n);
	s->at = top_now();
	return ret;
}

/* A row of the table while it is sorted. */
struct top_row {
	const struct miniproc_info *p;
	struct col_extra x;
};

/* Busiest first, then most CPU time, then by pid. */
static int top_busier(const void *a, const void *b)
{
	const struct top_row *ra = a, *rb = b;

	if (ra->x.cpu_permille != rb->x.cpu_permille)
		return rb->x.cpu_permille - ra->x.cpu_permille;
	if (ra->p->runtime_ns != rb->p->runtime_ns)
		return ra->p->runtime_ns < rb->p->runtime_ns ? 1 : -1;
	return (ra->p->pid > rb->p->pid) - (ra->p->pid < rb->p->pid);
}

/* One table, with its summary lines, from two samples into @out. */
static int top_render(FILE *out, const struct top_sample *prev,
		      const struct top_sample *cur, bool tty)
{
	unsigned int n = cur->n, i, states[MINIPROC_NR_STATES] = { 0 };
	uint64_t dt = cur->at - prev->at;
	struct miniproc_info *recs = calloc(n ? n : 1, sizeof(*recs));
	struct col_extra *extra = calloc(n ? n : 1, sizeof(*extra));
	struct top_row *rows = calloc(n ? n : 1, sizeof(*rows));
	long busy = 0, ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (!recs || !extra || !rows) {
		free(recs);
		free(extra);
		free(rows);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		rows[i].p = &cur->recs[i];
		rows[i].x.cpu_permille = cpushare_permille(prev->recs, prev->n,
							    rows[i].p, dt);
		busy += rows[i].x.cpu_permille;
		if (rows[i].p->state < MINIPROC_NR_STATES)
			states[rows[i].p->state]++;
	}
	qsort(rows, n, sizeof(*rows), top_busier);
	for (i = 0; i < n; i++) {
		recs[i] = *rows[i].p;
		extra[i] = rows[i].x;
	}
	fprintf(out, "miniproc top: %u process%s: %u running, %u runnable, %u sleeping, %u zombie",
		n, n == 1 ? "" : "es", states[MINIPROC_RUNNING],
		states[MINIPROC_RUNNABLE], states[MINIPROC_SLEEPING],
		states[MINIPROC_ZOMBIE]);
	if (states[MINIPROC_EMBRYO])
		fprintf(out, ", %u embryo", states[MINIPROC_EMBRYO]);
	fputc('\n', out);
	fprintf(out, "CPU use: %ld.%02ld of %ld CPU%s over the last %llu.%02llu s%s\n\n",
		busy / 1000, busy % 1000 / 10, ncpu, ncpu == 1 ? "" : "s",
		(unsigned long long)(dt / NSEC_PER_SEC),
		(unsigned long long)(dt % NSEC_PER_SEC / (10 * NSEC_PER_MSEC)),
		tty ? "; q quits" : "");
	cols_print_table(out, recs, extra, n, top_columns,
			 sizeof(top_columns) / sizeof(top_columns[0]));
	free(recs);
	free(extra);
	free(rows);
	return 0;
}

/* Draw @frame over the last one, cut to the terminal's size. */
static void top_draw(const char *frame)
{
	struct winsize ws = { 0 };
	unsigned int rows = 24, cols = 80, row = 0;
	const char *line = frame, *nl;
	size_t len;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		rows = ws.ws_row;
		cols = ws.ws_col;
	}
	fputs("\033[H", stdout);
	/* The last row stays free: writing there could scroll. */
	while (*line && row + 1 < rows) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		fprintf(stdout, "%.*s\033[K\n", (int)(len < cols ? len : cols),
			line);
		line += len + (nl ? 1 : 0);
		row++;
	}
	fputs("\033[J", stdout);
	fflush(stdout);
}

/*
 * Wait @ns, reading keys if @keys. Returns 1 to go on, 0 if 'q' or a signal
 * ended top. Redraws @frame on the way if the terminal asks for it.
 */
static int top_wait(uint64_t ns, bool keys, bool tty, const char *frame)
{
	uint64_t end = top_now() + ns, now;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;
	int ret;

	while (!top_signal && (now = top_now()) < end) {
		ret = poll(&pfd, keys ? 1 : 0,
			   (int)((end - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC));
		if (top_redraw && tty && frame) {
			top_redraw = 0;
			fputs("\033[2J", stdout);
			top_draw(frame);
		}
		if (ret > 0 && (pfd.revents & POLLIN)) {
			if (read(STDIN_FILENO, &c, 1) <= 0)
				keys = false;	/* end of input: no keys */
			else if (c == 'q' || c == 'Q')
				return 0;
		} else if (ret > 0) {
			keys = false;		/* a hangup: no keys either */
		}
	}
	return !top_signal;
}

/* Options into *@once, *@interval, *@iterations; -1 to go on. */
static int top_parse_opts(int argc, char **argv, bool *once,
			  uint64_t *interval, long *iterations)
{
	enum { OPT_ONCE = 256 };
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "interval", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct prog_error err;
	char *end;
	int c;

	while ((c = cli_getopt("top", argc, argv, "d:n:h", longopts)) != -1) {
		switch (c) {
		case OPT_ONCE:
			*once = true;
			break;
		case 'd':
			if (prog_parse_duration(optarg, interval, &err))
				return cli_usage_error("top", "bad interval '%s': %s",
						       optarg, err.msg);
			if (*interval < TOP_MIN_NS)
				return cli_usage_error("top", "the interval must be at least 10ms");
			break;
		case 'n':
			errno = 0;
			*iterations = strtol(optarg, &end, 10);
			if (errno || *end || *optarg < '1' || *optarg > '9' ||
			    *iterations < 1)
				return cli_usage_error("top", "'%s' is not a number of tables (1 or more)",
						       optarg);
			break;
		case 'h':
			return cli_help(top_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("top", "unexpected argument '%s'",
				       argv[optind]);
	return -1;
}

int cmd_top(int argc, char **argv)
{
	struct top_sample a = { 0 }, b = { 0 }, *prev = &a, *cur = &b, *t;
	uint64_t interval = NSEC_PER_SEC, wait;
	bool once = false, tty, keys;
	long iterations = 0, shown = 0;
	char *frame = NULL;
	size_t frame_len;
	int fd, ret, status = EXIT_OK;
	FILE *f;

	ret = top_parse_opts(argc, argv, &once, &interval, &iterations);
	if (ret >= 0)
		return ret;
	if (once)
		iterations = 1;
	fd = cli_open();
	if (fd < 0)
		return EXIT_FAIL;
	tty = !once && isatty(STDOUT_FILENO);
	keys = tty && isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &top_saved);
	top_catch_signals(tty);
	if (tty)
		top_tty_take(keys);
	if (tty)
		fputs("\033[H\033[2J", stdout);

	ret = top_take_sample(fd, prev);
	wait = once || interval > TOP_FIRST_NS ? TOP_FIRST_NS : interval;
	while (!ret && top_wait(wait, keys, tty, frame)) {
		ret = top_take_sample(fd, cur);
		if (ret)
			break;
		free(frame);
		frame = NULL;
		f = open_memstream(&frame, &frame_len);
		ret = f ? top_render(f, prev, cur, tty) : -ENOMEM;
		if (f)
			fclose(f);
		if (ret)
			break;
		if (tty) {
			top_draw(frame);
		} else {
			/* A blank line between tables, like top -b. */
			printf("%s%s", shown++ ? "\n" : "", frame);
			if (fflush(stdout) || ferror(stdout))
				break;
		}
		if (iterations && !--iterations)
			break;
		t = prev;
		prev = cur;
		cur = t;
		wait = interval;
	}
	if (tty)
		top_tty_restore();
	if (ret < 0) {
		cli_report(fd, "top", 0, -ret);
		status = EXIT_FAIL;
	} else if (top_signal && top_signal != SIGINT) {
		status = 128 + top_signal;
	}
	free(frame);
	free(a.recs);
	free(b.recs);
	close(fd);
	return status;
}
