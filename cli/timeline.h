/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timeline of `miniproc trace`: from the event stream of
 * /dev/miniproc to, for each process, the spans of time it spent in each
 * state (timeline.c), and two pictures of that one model: rows of
 * characters, one per tick (timeline_text.c), and an SVG drawing (svg.c).
 *
 * A span's "mark" is the process's state as the chapter tells it apart:
 * the six states of the enum, with SLEEPING split by what it sleeps on
 * (suspended, waiting for a child, anything else) and UNUSED shown as "not
 * there". One table, tl_marks[], names and colours them for both pictures.
 */
#ifndef MINIPROC_TIMELINE_H
#define MINIPROC_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/miniproc.h>

enum tl_mark {
	TL_NONE,	/* not there: not yet created, or reaped */
	TL_EMBRYO,
	TL_RUNNING,
	TL_RUNNABLE,
	TL_SLEEP,	/* SLEEPING on "sleep" (or any other channel) */
	TL_SUSPENDED,	/* SLEEPING on "suspended" */
	TL_WAIT,	/* SLEEPING on "wait": for a child to end */
	TL_ZOMBIE,
	TL_NR_MARKS
};

/**
 * struct tl_mark_info - how both pictures show a mark
 * @ch:    its character in the text timeline
 * @name:  a word for legends ("running")
 * @color: its colour in the SVG, "#rrggbb"
 */
struct tl_mark_info {
	char ch;
	const char *name;
	const char *color;
};

extern const struct tl_mark_info tl_marks[TL_NR_MARKS];

/* A span of time [@start, @end) in one mark, ns on CLOCK_MONOTONIC. */
struct tl_span {
	uint64_t start;
	uint64_t end;
	enum tl_mark mark;
};

/**
 * struct tl_proc - one process's row
 * @pid:    its pid
 * @ppid:   its parent's, if known (else 0)
 * @name:   its name, "?" if it was gone before it could be asked
 * @spans:  the closed spans, in time order, next to each other
 * @nspans: how many
 * @cap:    room in @spans
 * @mark:   its mark now, since @since (the open span)
 * @since:  when @mark began
 * @vol:    switches off a CPU to sleep during the trace (voluntary)
 * @invol:  switches off a CPU still runnable (involuntary)
 */
struct tl_proc {
	int pid;
	int ppid;
	char name[MINIPROC_NAME_LEN];
	struct tl_span *spans;
	unsigned int nspans;
	unsigned int cap;
	enum tl_mark mark;
	uint64_t since;
	unsigned int vol;
	unsigned int invol;
};

/* Events lost (@lost of them) somewhere between @from and @to. */
struct tl_gap {
	uint64_t from;
	uint64_t to;
	unsigned int lost;
};

/**
 * struct timeline - every row, over [@start, @end)
 * @start:   when recording began; earlier events are already in the
 *           initial states and are ignored
 * @end:     when it ended (0 until tl_finish())
 * @procs:   the rows, in pid order; a pid that went to a new process
 *           while recording has a row for each, in the order they came
 * @nprocs:  how many
 * @cap:     room in @procs
 * @events:  events applied
 * @lost:    events the kernel said this reader missed
 * @gaps:    where they were missed
 * @ngaps:   how many gaps
 * @last:    time of the last event seen: where the next gap starts
 */
struct timeline {
	uint64_t start;
	uint64_t end;
	struct tl_proc *procs;
	unsigned int nprocs;
	unsigned int cap;
	uint64_t events;
	uint64_t lost;
	struct tl_gap *gaps;
	unsigned int ngaps;
	uint64_t last;
};

/* timeline.c: the model */

/* An empty timeline that begins at @start. */
void tl_init(struct timeline *tl, uint64_t start);
void tl_free(struct timeline *tl);

/* The mark of @state, sleeping on @chan (NULL or "" if unknown). */
enum tl_mark tl_mark_of(unsigned int state, const char *chan);

/*
 * A row for @pid, in @mark since the start: for processes that exist when
 * recording begins (from a LIST snapshot). Returns the row, or NULL if out
 * of memory. A row that exists already is returned as it is.
 */
struct tl_proc *tl_add(struct timeline *tl, int pid, enum tl_mark mark);

/* The row of @pid, its latest process's if it had several, or NULL. */
struct tl_proc *tl_find(const struct timeline *tl, int pid);

/*
 * Apply one event. A pid not seen before gets a row whose mark before the
 * event is its @prev_state. Returns the row (NULL for an event from before
 * @start, which is ignored, or if out of memory); *@is_new says whether the
 * row was made by this event.
 */
struct tl_proc *tl_event(struct timeline *tl, const struct miniproc_event *ev,
			 bool *is_new);

/*
 * An event of a process that is not traced: only what it says about the
 * stream (events lost before it, the time) counts.
 */
void tl_skip(struct timeline *tl, const struct miniproc_event *ev);

/* End every row at @end (no earlier than the last event). */
void tl_finish(struct timeline *tl, uint64_t end);

/* Time @p spent in each mark within the timeline, into @ns. */
void tl_totals(const struct tl_proc *p, const struct timeline *tl,
	       uint64_t ns[TL_NR_MARKS]);

/*
 * The mark that held most of [@from, @to) for @p; time outside its spans
 * counts as TL_NONE. On a tie the mark that comes first in the enum after
 * TL_NONE wins (running before runnable before sleeping...).
 */
enum tl_mark tl_dominant(const struct tl_proc *p, uint64_t from, uint64_t to);

/* How much of [@from, @to) lies in stretches where events were lost. */
uint64_t tl_lost_overlap(const struct timeline *tl, uint64_t from, uint64_t to);

/* Was @p ever anything but TL_NONE? Rows that were not are not drawn. */
bool tl_visible(const struct tl_proc *p);

/*
 * A "nice" step (1, 2 or 5 times a power of ten, in ns) of at least
 * @ns / @parts: for ticks and axis labels.
 */
uint64_t tl_nice_step(uint64_t ns, unsigned int parts);

/*
 * The unit to label times that are multiples of @step in: s, ms, us or ns
 * (the micro sign instead of "us" where @ascii is false). Returns the unit
 * in ns and its name in *@name.
 */
uint64_t tl_time_unit(uint64_t step, bool ascii, const char **name);

/* timeline_text.c: the text picture */

/*
 * Rows of characters, one per @tick ns (0: chosen so that a line is at
 * most @width characters), with a time axis above, a legend, per-process
 * totals and what was lost, on @out.
 */
void tl_print_text(FILE *out, const struct timeline *tl, unsigned int width,
		   uint64_t tick);

/* svg.c: the picture */

/* The same timeline as a standalone SVG document on @out. */
void tl_print_svg(FILE *out, const struct timeline *tl);

#endif /* MINIPROC_TIMELINE_H */
