// SPDX-License-Identifier: GPL-2.0
/*
 * The text picture of a timeline: one row of characters per process, one
 * character per tick, the way OSTEP's process-run.py prints its per-tick
 * states, then a legend, per-process totals and what was lost.
 *
 *  PID NAME          time (ms) 0         50        100       150
 *                              |---------|---------|---------|---------|
 *    1 init                    wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww
 *    5 cpu                     RRRrRRRRrrRRRRRRRRRRRrRRRRRRRRrRRRRRRRRRR
 *    6 io                      sRssssRssssRsssssRsssssRssssRsssssRssssRs
 */
#include <stdlib.h>
#include <string.h>

#include "units.h"
#include "timeline.h"


/* "PID NAME" before the ticks: "%5d %-15s ". */
#define TL_LABEL	22
/* A row is never longer than this many ticks, whatever --tick says. */
#define TL_MAX_TICKS	100000
/* Axis labels go every this many ticks, or a multiple if they need room. */
#define TL_LABEL_EVERY	10

/* @ns as milliseconds with one decimal: "1234.5ms". */
static void tl_fmt_ms(char *buf, size_t len, uint64_t ns)
{
	uint64_t tenths = (ns + 50000) / 100000;

	snprintf(buf, len, "%llu.%llums", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10));
}

/* @ns in its largest exact unit: "5ms", "250us", "2s". */
static void tl_fmt_step(char *buf, size_t len, uint64_t ns)
{
	if (ns % NSEC_PER_SEC == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / NSEC_PER_SEC));
	else if (ns % NSEC_PER_MSEC == 0)
		snprintf(buf, len, "%llums", (unsigned long long)(ns / NSEC_PER_MSEC));
	else if (ns % NSEC_PER_USEC == 0)
		snprintf(buf, len, "%lluus", (unsigned long long)(ns / NSEC_PER_USEC));
	else
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
}

/* The axis: labels every @every ticks in a unit that suits @tick * @every. */
static void tl_axis(FILE *out, uint64_t tick, unsigned int nticks)
{
	unsigned int every = TL_LABEL_EVERY, i, at, len, room;
	uint64_t step, unit;
	const char *uname;
	char *line, num[32];
	int n;

	step = tick * every;
	unit = tl_time_unit(step, true, &uname);
	/* Widen the label step until the longest label fits in it. */
	n = snprintf(num, sizeof(num), "%llu",
		     (unsigned long long)(tick * nticks / unit));
	while ((unsigned int)n + 1 > every)
		every *= 2;

	room = TL_LABEL + nticks + 32;
	line = malloc(room);
	if (!line)
		return;
	memset(line, ' ', room);
	memcpy(line, "  PID NAME", 10);
	n = snprintf(num, sizeof(num), "time (%s)", uname);
	memcpy(line + TL_LABEL - 1 - n, num, n);
	len = TL_LABEL;
	for (i = 0; i <= nticks; i += every) {
		at = TL_LABEL + i;
		n = snprintf(num, sizeof(num), "%llu",
			     (unsigned long long)(tick * i / unit));
		if (at + n + 1 > room)
			break;
		memcpy(line + at, num, n);
		len = at + n;
	}
	fprintf(out, "%.*s\n", (int)len, line);

	/* A mark under each label; the ticks' columns between them. */
	for (i = 0; i < TL_LABEL; i++)
		line[i] = ' ';
	for (i = 0; i <= nticks; i++)
		line[TL_LABEL + i] = i % every == 0 ? '|' : '-';
	fprintf(out, "%.*s\n",
		(int)(TL_LABEL + nticks + (nticks % every == 0)), line);
	free(line);
}

static void tl_legend(FILE *out, const struct timeline *tl)
{
	static const enum tl_mark order[] = {
		TL_RUNNING, TL_RUNNABLE, TL_SLEEP, TL_SUSPENDED, TL_WAIT,
		TL_ZOMBIE, TL_EMBRYO, TL_NONE,
	};
	size_t i;

	fputs("Legend:", out);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		fprintf(out, "%s %c %s", i ? "," : "", tl_marks[order[i]].ch,
			tl_marks[order[i]].name);
	fputs(tl->lost ? ", ? events were lost here\n" : "\n", out);
}

/* One "  123.4ms  45%" cell of the totals: @ns of @whole. */
static void tl_cell(FILE *out, uint64_t ns, uint64_t whole)
{
	char ms[32];

	tl_fmt_ms(ms, sizeof(ms), ns);
	fprintf(out, " %10s %3llu%%", ms,
		(unsigned long long)(whole ? (ns * 100 + whole / 2) / whole : 0));
}

static void tl_totals_table(FILE *out, const struct timeline *tl)
{
	uint64_t ns[TL_NR_MARKS], whole = tl->end - tl->start;
	unsigned int i;

	fprintf(out, "%5s %-15s%16s%16s%16s%16s %6s %6s\n", "PID", "NAME",
		"RUNNING", "RUNNABLE", "SLEEPING", "ZOMBIE", "NVCSW", "NIVCSW");
	for (i = 0; i < tl->nprocs; i++) {
		const struct tl_proc *p = &tl->procs[i];

		if (!tl_visible(p))
			continue;
		tl_totals(p, tl, ns);
		fprintf(out, "%5d %-15.15s", p->pid, p->name);
		tl_cell(out, ns[TL_RUNNING], whole);
		tl_cell(out, ns[TL_RUNNABLE], whole);
		tl_cell(out, ns[TL_SLEEP] + ns[TL_SUSPENDED] + ns[TL_WAIT],
			whole);
		tl_cell(out, ns[TL_ZOMBIE], whole);
		fprintf(out, " %6u %6u\n", p->vol, p->invol);
	}
	fputs("SLEEPING includes suspended and waiting for a child; NVCSW and NIVCSW count\n"
	      "the switches off a CPU during the trace: to sleep, and while still runnable.\n",
	      out);
}

static void tl_lost(FILE *out, const struct timeline *tl)
{
	char from[32], to[32];
	unsigned int i;

	if (!tl->lost) {
		fputs("Events lost: none.\n", out);
		return;
	}
	fprintf(out, "Events lost: %llu: this reader fell behind the kernel's buffer of %d events.\n"
		"The rows show '?' and the totals count the state before in these stretches:\n",
		(unsigned long long)tl->lost, MINIPROC_EVENT_BUFFER);
	for (i = 0; i < tl->ngaps && i < 10; i++) {
		tl_fmt_ms(from, sizeof(from), tl->gaps[i].from > tl->start ?
			  tl->gaps[i].from - tl->start : 0);
		tl_fmt_ms(to, sizeof(to), tl->gaps[i].to > tl->start ?
			  tl->gaps[i].to - tl->start : 0);
		fprintf(out, "  %s to %s: %u events\n", from, to,
			tl->gaps[i].lost);
	}
	if (tl->ngaps > 10)
		fprintf(out, "  and %u more\n", tl->ngaps - 10);
}

void tl_print_text(FILE *out, const struct timeline *tl, unsigned int width,
		   uint64_t tick)
{
	uint64_t dur = tl->end > tl->start ? tl->end - tl->start : 1;
	unsigned int nticks, i, visible = 0;
	char d[32], t[32];
	char *row;

	if (!tick) {
		unsigned int cols = width > TL_LABEL + 20 ? width - TL_LABEL - 1 : 20;

		tick = tl_nice_step(dur, cols);
	}
	if (dur / tick >= TL_MAX_TICKS)
		tick = tl_nice_step(dur, TL_MAX_TICKS - 1);
	nticks = (unsigned int)((dur + tick - 1) / tick);
	for (i = 0; i < tl->nprocs; i++)
		visible += tl_visible(&tl->procs[i]);

	tl_fmt_ms(d, sizeof(d), dur);
	tl_fmt_step(t, sizeof(t), tick);
	fprintf(out, "miniproc trace: %s, %u process%s, %llu events; one character is %s,\n"
		"showing the state that held most of it.\n\n",
		d, visible, visible == 1 ? "" : "es",
		(unsigned long long)tl->events, t);
	tl_axis(out, tick, nticks);

	row = malloc(nticks + 1);
	if (!row)
		return;
	for (i = 0; i < tl->nprocs; i++) {
		const struct tl_proc *p = &tl->procs[i];
		unsigned int k;

		if (!tl_visible(p))
			continue;
		/*
		 * The last tick ends with the recording. A tick mostly in a
		 * stretch where events were lost is '?': its state is a guess.
		 */
		for (k = 0; k < nticks; k++) {
			uint64_t from = tl->start + k * tick;
			uint64_t to = from + tick < tl->end ? from + tick : tl->end;

			if (tl->lost && tl_lost_overlap(tl, from, to) * 2 > to - from)
				row[k] = '?';
			else
				row[k] = tl_marks[tl_dominant(p, from, to)].ch;
		}
		row[nticks] = '\0';
		fprintf(out, "%5d %-15.15s %s\n", p->pid, p->name, row);
	}
	free(row);
	fputc('\n', out);
	tl_legend(out, tl);
	fputc('\n', out);
	tl_totals_table(out, tl);
	fputc('\n', out);
	tl_lost(out, tl);
}
