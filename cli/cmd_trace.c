// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc trace: record the event stream of /dev/miniproc and draw it as
 * a timeline (timeline.c holds the model, timeline_text.c and svg.c the
 * pictures).
 *
 * The order matters: the event buffer is started first (the filter ioctl),
 * then the clock is read, then a LIST snapshot gives every process's state
 * at that moment. Events from before the clock reading are already in the
 * snapshot and are ignored; an event between the reading and the snapshot
 * is applied on top of a state that already shows it, which changes
 * nothing. So no state change is missed between the snapshot and the
 * stream.
 *
 * It reads the stream every so often, never woken by each event: a reader
 * woken by every event preempts the processes it shares a CPU with, and
 * each preemption is one more event, so trace would end up watching
 * itself. The period adapts to the rate, to keep the kernel's buffer of
 * MINIPROC_EVENT_BUFFER events from filling up between two reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "units.h"
#include "cli.h"
#include "program.h"
#include "timeline.h"

static const char trace_usage[] =
"Usage: miniproc trace [--duration DUR] [--svg FILE] [--width N] [--tick DUR]\n"
"                      [PID...]\n"
"\n"
"Record every state change of the mini-processes, or of the PIDs given, as\n"
"the scheduler makes them, and draw a timeline: one row per process, time\n"
"across, one character per tick showing the state that held most of it,\n"
"like the per-tick columns of OSTEP's process-run.py. Then the time each\n"
"spent running, runnable, sleeping and as a zombie.\n"
"\n"
"Without PID it records for --duration (default 1s). With PIDs it records\n"
"until each has ended (a zombie for a while, or reaped), or for --duration.\n"
"Ctrl-C stops the recording early and draws what it has. A process that\n"
"existed before the recording starts in the state a snapshot found it in.\n"
"The children of traced PIDs are not traced (trace without PID for them).\n"
"\n"
"  R running    r runnable   s sleeping   S suspended   w waiting for a child\n"
"  Z zombie     E embryo     . not there (not created yet, or reaped)\n"
"  ? events were lost there: the reader fell behind the kernel's buffer\n"
"\n"
"A state held for less than half a tick may not show: give a shorter --tick,\n"
"or look at the --svg picture, which draws every change where it happened.\n"
"\n"
"Options:\n"
"  -d, --duration DUR   record for DUR (like 500ms or 2s)\n"
"      --svg FILE       also write the timeline as an SVG picture to FILE;\n"
"                       '-' writes it to standard output instead of the text\n"
"  -w, --width N        text lines at most N characters (default: the\n"
"                       terminal's width, or 100); ticks are sized to fit\n"
"      --tick DUR       one character per DUR, whatever the width\n"
"  -h, --help           show this help\n"
"\n"
"Examples:\n"
"  miniproc trace\n"
"  miniproc trace --duration 500ms --svg timeline.svg\n"
"  miniproc trace $(miniproc create 'cpu:20ms sleep:30ms cpu:20ms exit:0')\n";

#define TRACE_DEFAULT_NS	NSEC_PER_SEC
/* Time between two reads of the stream: from 1 to 50 ms, 20 at first. */
#define TRACE_PERIOD_MIN_NS	NSEC_PER_MSEC
#define TRACE_PERIOD_MAX_NS	(50 * NSEC_PER_MSEC)
#define TRACE_PERIOD_NS		(20 * NSEC_PER_MSEC)
/* A traced PID that ended is shown a zombie this long, or a tenth more. */
#define TRACE_GRACE_NS		(100 * NSEC_PER_MSEC)
#define TRACE_BATCH		256

/**
 * struct trace_opts - what trace was asked for
 * @duration: record this long, 0 if not given
 * @svg:      --svg FILE, or NULL
 * @width:    --width, 0 if not given
 * @tick:     --tick, 0 if not given
 * @pids:     the PIDs to trace, NULL for all
 * @npids:    how many
 */
struct trace_opts {
	uint64_t duration;
	const char *svg;
	unsigned int width;
	uint64_t tick;
	int *pids;
	int npids;
};

static volatile sig_atomic_t trace_stop;

static void trace_on_signal(int sig)
{
	trace_stop = sig;
	signal(sig, SIG_DFL);	/* a second Ctrl-C ends it at once */
}

static uint64_t trace_now(void)
{
	struct timespec ts;

	/* The clock of miniproc_event.time_ns. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static bool trace_wanted(const struct trace_opts *o, int pid)
{
	int i;

	if (!o->pids)
		return true;
	for (i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

/* Set row @p's name from @name; shown as printable ASCII. */
static void trace_set_name(struct tl_proc *p, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < sizeof(p->name) && i < len && name[i]; i++)
		p->name[i] = name[i] > ' ' && name[i] <= '~' ? name[i] : '?';
	p->name[i] = '\0';
}

/* Name and parent of row @p from @info. */
static void trace_name(struct tl_proc *p, const struct miniproc_info *info)
{
	trace_set_name(p, info->name, sizeof(info->name));
	p->ppid = info->ppid;
}

/* Rows for the processes there now, in their states. 0 or -errno. */
static int trace_snapshot(int fd, struct timeline *tl,
			  const struct trace_opts *o)
{
	struct miniproc_info *recs;
	unsigned int n, i;
	struct tl_proc *p;
	int ret, k;

	ret = mp_list(fd, &recs, &n);
	if (ret < 0) {
		cli_report(fd, "trace", 0, -ret);
		return ret;
	}
	for (i = 0; i < n; i++) {
		if (!trace_wanted(o, recs[i].pid))
			continue;
		p = tl_add(tl, recs[i].pid,
			   tl_mark_of(recs[i].state, recs[i].chan));
		if (!p) {
			ret = -ENOMEM;
			cli_report(fd, "trace", 0, ENOMEM);
			break;
		}
		trace_name(p, &recs[i]);
	}
	free(recs);
	for (k = 0; !ret && k < o->npids; k++) {
		if (!tl_find(tl, o->pids[k])) {
			cli_report(fd, "trace", o->pids[k], ESRCH);
			ret = -ESRCH;
		}
	}
	return ret;
}

/*
 * With PIDs and no --duration: have they all ended? Then stop a grace time
 * after they did (*@ended_at remembers when), so the zombie shows.
 */
static bool trace_done(const struct timeline *tl, const struct trace_opts *o,
		       uint64_t now, uint64_t *ended_at)
{
	uint64_t grace;
	int i;

	for (i = 0; i < o->npids; i++) {
		const struct tl_proc *p = tl_find(tl, o->pids[i]);

		if (p && p->mark != TL_ZOMBIE && p->mark != TL_NONE) {
			*ended_at = 0;
			return false;
		}
	}
	if (!*ended_at)
		*ended_at = now;
	grace = (*ended_at - tl->start) / 10;
	if (grace < TRACE_GRACE_NS)
		grace = TRACE_GRACE_NS;
	return now >= *ended_at + grace;
}

/*
 * Apply a batch of events; new rows get their name from the event and
 * their parent from STATUS, if it is still there to ask. Events after
 * @until (if not 0), the end of --duration, are left out.
 */
static int trace_apply(int fd, struct timeline *tl, const struct trace_opts *o,
		       const struct miniproc_event *ev, int n, uint64_t until)
{
	struct miniproc_info info;
	struct tl_proc *p;
	bool is_new;
	int i;

	for (i = 0; i < n; i++) {
		if (until && ev[i].time_ns > until)
			continue;
		if (!trace_wanted(o, ev[i].pid)) {
			tl_skip(tl, &ev[i]);
			continue;
		}
		p = tl_event(tl, &ev[i], &is_new);
		if (!p && ev[i].time_ns >= tl->start)
			return -ENOMEM;
		if (!p || !is_new)
			continue;
		p = tl_find(tl, ev[i].pid);
		trace_set_name(p, ev[i].name, sizeof(ev[i].name));
		/* Ask while it is there: a short life may be over soon. */
		if (!mp_status(fd, ev[i].pid, &info))
			trace_name(p, &info);
	}
	return 0;
}

/*
 * Read and apply whatever is in the stream now; @fd is O_NONBLOCK. Returns
 * how many events there were, or -errno after a report.
 */
static int trace_drain(int fd, struct timeline *tl, const struct trace_opts *o,
		       uint64_t until)
{
	static struct miniproc_event ev[TRACE_BATCH];
	int n, total = 0;

	for (;;) {
		n = mp_read_events(fd, ev, TRACE_BATCH);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			break;
		if (trace_apply(fd, tl, o, ev, n, until) < 0) {
			n = -ENOMEM;
			break;
		}
		total += n;
	}
	if (n < 0 && n != -EAGAIN) {
		cli_report(fd, "trace", 0, -n);
		return n;
	}
	return total;
}

/* Sleep @ns, or less if a signal comes. */
static void trace_nap(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / NSEC_PER_SEC),
		.tv_nsec = (long)(ns % NSEC_PER_SEC),
	};

	nanosleep(&ts, NULL);
}

/* Record into @tl until the time is up, the PIDs ended, or a signal. */
static int trace_record(int fd, struct timeline *tl, const struct trace_opts *o)
{
	uint64_t duration = o->duration, now, end, period = TRACE_PERIOD_NS;
	uint64_t ended_at = 0;
	struct sigaction sa;
	int n, ret;

	if (!duration && !o->pids)
		duration = TRACE_DEFAULT_NS;
	/* One PID: the kernel filters. Several: all events, filtered here. */
	ret = mp_event_filter(fd, o->npids == 1 ? o->pids[0] : 0);
	if (ret < 0) {
		cli_report(fd, "trace", 0, -ret);
		return ret;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		cli_report(fd, "trace", 0, errno);
		return -errno;
	}
	tl_init(tl, trace_now());
	ret = trace_snapshot(fd, tl, o);
	if (ret < 0)
		return ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = trace_on_signal;	/* no SA_RESTART: poll returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	end = duration ? tl->start + duration : 0;
	while (!trace_stop) {
		now = trace_now();
		if (end && now >= end)
			break;
		trace_nap(end && end - now < period ? end - now : period);
		n = trace_drain(fd, tl, o, end);
		if (n < 0)
			return n;
		/* A quarter of the buffer in one period: read twice as often. */
		if (n > MINIPROC_EVENT_BUFFER / 4)
			period = period / 2 > TRACE_PERIOD_MIN_NS ?
				 period / 2 : TRACE_PERIOD_MIN_NS;
		else if (n < MINIPROC_EVENT_BUFFER / 16)
			period = period * 2 < TRACE_PERIOD_MAX_NS ?
				 period * 2 : TRACE_PERIOD_MAX_NS;
		if (!duration && trace_done(tl, o, trace_now(), &ended_at))
			break;
	}
	/* What is buffered happened before now: take it too. */
	now = trace_now();
	n = trace_drain(fd, tl, o, end);
	if (n < 0)
		return n;
	tl_finish(tl, end && end < now ? end : now);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return 0;
}

/* The SVG to @path ("-": standard output). 0, or 1 after a message. */
static int trace_write_svg(const struct timeline *tl, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	int err;

	if (!f) {
		cli_error("trace: cannot write %s: %s", path, strerror(errno));
		return 1;
	}
	tl_print_svg(f, tl);
	if (f == stdout)
		return 0;
	err = ferror(f);
	if (fclose(f) || err) {
		cli_error("trace: cannot write %s: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

static unsigned int trace_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_col >= 40)
		return ws.ws_col;
	return 100;
}

/* Options into @o; -1 to go on, else the exit code. */
static int trace_parse_opts(int argc, char **argv, struct trace_opts *o)
{
	enum { OPT_SVG = 256, OPT_TICK };
	static const struct option longopts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "width", required_argument, NULL, 'w' },
		{ "tick", required_argument, NULL, OPT_TICK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct prog_error err;
	char *end;
	long width;
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = cli_getopt("trace", argc, argv, "d:w:h", longopts)) != -1) {
		switch (c) {
		case 'd':
			if (prog_parse_duration(optarg, &o->duration, &err))
				return cli_usage_error("trace", "bad duration '%s': %s",
						       optarg, err.msg);
			break;
		case OPT_SVG:
			if (!*optarg)
				return cli_usage_error("trace", "--svg needs a file name, or - for standard output");
			o->svg = optarg;
			break;
		case 'w':
			errno = 0;
			width = strtol(optarg, &end, 10);
			if (errno || *end || *optarg < '0' || *optarg > '9' ||
			    width < 40 || width > 100000)
				return cli_usage_error("trace", "'%s' is not a width (40 to 100000 characters)",
						       optarg);
			o->width = (unsigned int)width;
			break;
		case OPT_TICK:
			if (prog_parse_duration(optarg, &o->tick, &err))
				return cli_usage_error("trace", "bad tick '%s': %s",
						       optarg, err.msg);
			break;
		case 'h':
			return cli_help(trace_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc &&
	    cli_parse_pids("trace", argc, argv, optind, &o->pids, &o->npids))
		return EXIT_USAGE;
	return -1;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o;
	struct timeline tl;
	int fd, ret, status = EXIT_OK;

	ret = trace_parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	fd = cli_open();
	if (fd < 0) {
		free(o.pids);
		return EXIT_FAIL;
	}
	memset(&tl, 0, sizeof(tl));
	if (trace_record(fd, &tl, &o) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	if (!o.svg || strcmp(o.svg, "-"))
		tl_print_text(stdout, &tl, o.width ? o.width : trace_width(),
			      o.tick);
	if (o.svg && trace_write_svg(&tl, o.svg))
		status = EXIT_FAIL;
	else if (o.svg && strcmp(o.svg, "-"))
		printf("\nThe timeline as a picture: %s\n", o.svg);
out:
	tl_free(&tl);
	free(o.pids);
	close(fd);
	return status;
}
