// SPDX-License-Identifier: GPL-2.0
/*
 * The timeline model: events in, per-process spans out. See timeline.h.
 */
#include <stdlib.h>
#include <string.h>

#include "units.h"
#include "timeline.h"

const struct tl_mark_info tl_marks[TL_NR_MARKS] = {
	[TL_NONE]	= { '.', "not there", "#ffffff" },
	[TL_EMBRYO]	= { 'E', "embryo", "#bbbbbb" },
	[TL_RUNNING]	= { 'R', "running", "#009e73" },
	[TL_RUNNABLE]	= { 'r', "runnable", "#e69f00" },
	[TL_SLEEP]	= { 's', "sleeping", "#56b4e9" },
	[TL_SUSPENDED]	= { 'S', "suspended", "#cc79a7" },
	[TL_WAIT]	= { 'w', "waiting for a child", "#0072b2" },
	[TL_ZOMBIE]	= { 'Z', "zombie", "#d55e00" },
};

void tl_init(struct timeline *tl, uint64_t start)
{
	memset(tl, 0, sizeof(*tl));
	tl->start = start;
	tl->last = start;
}

void tl_free(struct timeline *tl)
{
	unsigned int i;

	for (i = 0; i < tl->nprocs; i++)
		free(tl->procs[i].spans);
	free(tl->procs);
	free(tl->gaps);
	memset(tl, 0, sizeof(*tl));
}

enum tl_mark tl_mark_of(unsigned int state, const char *chan)
{
	switch (state) {
	case MINIPROC_EMBRYO:
		return TL_EMBRYO;
	case MINIPROC_RUNNING:
		return TL_RUNNING;
	case MINIPROC_RUNNABLE:
		return TL_RUNNABLE;
	case MINIPROC_SLEEPING:
		if (chan && !strncmp(chan, "suspended", MINIPROC_CHAN_LEN))
			return TL_SUSPENDED;
		if (chan && !strncmp(chan, "wait", MINIPROC_CHAN_LEN))
			return TL_WAIT;
		return TL_SLEEP;
	case MINIPROC_ZOMBIE:
		return TL_ZOMBIE;
	default:
		return TL_NONE;
	}
}

/*
 * Where a new row of @pid goes in the rows, in pid order and, for one pid,
 * in the order its processes came: after every row of @pid there is.
 */
static unsigned int tl_slot(const struct timeline *tl, int pid)
{
	unsigned int lo = 0, hi = tl->nprocs;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (tl->procs[mid].pid <= pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct tl_proc *tl_find(const struct timeline *tl, int pid)
{
	unsigned int i = tl_slot(tl, pid);

	return i && tl->procs[i - 1].pid == pid ? &tl->procs[i - 1] : NULL;
}

/* A new row for @pid, after any it has; NULL if out of memory. */
static struct tl_proc *tl_insert(struct timeline *tl, int pid,
				 enum tl_mark mark)
{
	unsigned int i = tl_slot(tl, pid);
	struct tl_proc *more, *p;

	if (tl->nprocs == tl->cap) {
		more = realloc(tl->procs,
			       (tl->cap ? tl->cap * 2 : 16) * sizeof(*more));
		if (!more)
			return NULL;
		tl->procs = more;
		tl->cap = tl->cap ? tl->cap * 2 : 16;
	}
	memmove(&tl->procs[i + 1], &tl->procs[i],
		(tl->nprocs - i) * sizeof(*tl->procs));
	tl->nprocs++;
	p = &tl->procs[i];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	strcpy(p->name, "?");
	p->mark = mark;
	p->since = tl->start;
	return p;
}

struct tl_proc *tl_add(struct timeline *tl, int pid, enum tl_mark mark)
{
	struct tl_proc *p = tl_find(tl, pid);

	return p ? p : tl_insert(tl, pid, mark);
}

/* End @p's open span at @t and begin one in @mark. */
static int tl_switch(struct tl_proc *p, uint64_t t, enum tl_mark mark)
{
	struct tl_span *last = p->nspans ? &p->spans[p->nspans - 1] : NULL;

	if (t > p->since) {
		if (last && last->mark == p->mark && last->end == p->since) {
			last->end = t;
		} else {
			if (p->nspans == p->cap) {
				unsigned int cap = p->cap ? p->cap * 2 : 16;
				struct tl_span *more;

				more = realloc(p->spans, cap * sizeof(*more));
				if (!more)
					return -1;
				p->spans = more;
				p->cap = cap;
			}
			p->spans[p->nspans++] = (struct tl_span){
				.start = p->since, .end = t, .mark = p->mark,
			};
		}
		p->since = t;
	}
	p->mark = mark;
	return 0;
}

/* The kernel missed @ev->lost events for us just before @ev. */
static void tl_note_lost(struct timeline *tl, const struct miniproc_event *ev)
{
	struct tl_gap *more;

	tl->lost += ev->lost;
	more = realloc(tl->gaps, (tl->ngaps + 1) * sizeof(*more));
	if (!more)
		return;
	tl->gaps = more;
	tl->gaps[tl->ngaps++] = (struct tl_gap){
		.from = tl->last,
		.to = ev->time_ns > tl->last ? ev->time_ns : tl->last,
		.lost = ev->lost,
	};
}

void tl_skip(struct timeline *tl, const struct miniproc_event *ev)
{
	if (ev->lost)
		tl_note_lost(tl, ev);
	if (ev->time_ns > tl->last)
		tl->last = ev->time_ns;
}

struct tl_proc *tl_event(struct timeline *tl, const struct miniproc_event *ev,
			 bool *is_new)
{
	struct tl_proc *p;
	uint64_t t;

	*is_new = false;
	if (ev->lost)
		tl_note_lost(tl, ev);
	if (ev->time_ns < tl->start)
		return NULL;
	if (ev->time_ns > tl->last)
		tl->last = ev->time_ns;
	p = tl_find(tl, ev->pid);
	/*
	 * Pids wrap: UNUSED -> EMBRYO of a pid whose row has had a process
	 * is another process, and gets a row of its own.
	 */
	if (!p || (ev->prev_state == MINIPROC_UNUSED &&
		   (p->nspans || p->mark != TL_NONE))) {
		p = tl_insert(tl, ev->pid, tl_mark_of(ev->prev_state, NULL));
		if (!p)
			return NULL;
		*is_new = true;
	}
	/* Events of one process come in order; never let time run back. */
	t = ev->time_ns > p->since ? ev->time_ns : p->since;
	if (ev->prev_state == MINIPROC_RUNNING &&
	    ev->next_state == MINIPROC_SLEEPING)
		p->vol++;
	if (ev->prev_state == MINIPROC_RUNNING &&
	    ev->next_state == MINIPROC_RUNNABLE)
		p->invol++;
	if (tl_switch(p, t, tl_mark_of(ev->next_state, ev->chan)))
		return NULL;
	tl->events++;
	return p;
}

void tl_finish(struct timeline *tl, uint64_t end)
{
	unsigned int i;

	if (end < tl->last)
		end = tl->last;
	for (i = 0; i < tl->nprocs; i++) {
		struct tl_proc *p = &tl->procs[i];

		tl_switch(p, end > p->since ? end : p->since, p->mark);
	}
	tl->end = end;
}

void tl_totals(const struct tl_proc *p, const struct timeline *tl,
	       uint64_t ns[TL_NR_MARKS])
{
	uint64_t covered = 0;
	unsigned int i;

	memset(ns, 0, TL_NR_MARKS * sizeof(ns[0]));
	for (i = 0; i < p->nspans; i++) {
		ns[p->spans[i].mark] += p->spans[i].end - p->spans[i].start;
		covered += p->spans[i].end - p->spans[i].start;
	}
	if (tl->end > tl->start && tl->end - tl->start > covered)
		ns[TL_NONE] += tl->end - tl->start - covered;
}

enum tl_mark tl_dominant(const struct tl_proc *p, uint64_t from, uint64_t to)
{
	uint64_t ns[TL_NR_MARKS] = { 0 }, covered = 0, a, b;
	unsigned int lo = 0, hi = p->nspans, i;
	enum tl_mark best = TL_NONE;
	int m;

	if (to <= from)
		return TL_NONE;
	/* The first span that ends after @from. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (p->spans[mid].end <= from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < p->nspans && p->spans[i].start < to; i++) {
		a = p->spans[i].start > from ? p->spans[i].start : from;
		b = p->spans[i].end < to ? p->spans[i].end : to;
		ns[p->spans[i].mark] += b - a;
		covered += b - a;
	}
	ns[TL_NONE] += to - from - covered;
	/* Ties go to the first mark after TL_NONE; TL_NONE loses them. */
	for (m = 1; m < TL_NR_MARKS; m++)
		if (ns[m] > ns[best] || (best == TL_NONE && ns[m] &&
					 ns[m] == ns[best]))
			best = (enum tl_mark)m;
	return best;
}

uint64_t tl_lost_overlap(const struct timeline *tl, uint64_t from, uint64_t to)
{
	uint64_t ns = 0, a, b;
	unsigned int i;

	for (i = 0; i < tl->ngaps; i++) {
		a = tl->gaps[i].from > from ? tl->gaps[i].from : from;
		b = tl->gaps[i].to < to ? tl->gaps[i].to : to;
		if (b > a)
			ns += b - a;
	}
	return ns;
}

bool tl_visible(const struct tl_proc *p)
{
	unsigned int i;

	for (i = 0; i < p->nspans; i++)
		if (p->spans[i].mark != TL_NONE)
			return true;
	return p->mark != TL_NONE;
}

uint64_t tl_nice_step(uint64_t ns, unsigned int parts)
{
	static const uint64_t mult[] = { 1, 2, 5 };
	uint64_t want = parts ? (ns + parts - 1) / parts : ns, pow = 1;
	unsigned int i;

	if (!want)
		return 1;
	for (;;) {
		for (i = 0; i < 3; i++)
			if (mult[i] * pow >= want)
				return mult[i] * pow;
		pow *= 10;
	}
}

uint64_t tl_time_unit(uint64_t step, bool ascii, const char **name)
{
	if (step % NSEC_PER_SEC == 0) {
		*name = "s";
		return NSEC_PER_SEC;
	}
	if (step % NSEC_PER_MSEC == 0) {
		*name = "ms";
		return NSEC_PER_MSEC;
	}
	if (step % NSEC_PER_USEC == 0) {
		*name = ascii ? "us" : "\u00b5s";
		return NSEC_PER_USEC;
	}
	*name = "ns";
	return 1;
}
