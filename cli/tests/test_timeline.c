// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of the timeline of `miniproc trace`: made-up event
 * streams go in, and the spans, the character of each tick, the totals,
 * the lost events and both pictures must come out as the chapter says.
 * TAP output; exit status 1 if any case fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../timeline.h"
#include "tap.h"

#define MS	1000000ULL
#define T0	(1000 * MS)	/* when the made-up recording starts */

/* Feed one event: @pid went from @prev to @next at T0 + @ms. */
static struct tl_proc *feed(struct timeline *tl, int pid, unsigned int prev,
			    unsigned int next, double ms, const char *chan,
			    unsigned int lost, bool *is_new)
{
	static unsigned long long seq;
	struct miniproc_event ev = {
		.seq = ++seq,
		.time_ns = T0 + (uint64_t)(ms * MS),
		.pid = pid,
		.prev_state = prev,
		.next_state = next,
		.lost = lost,
	};
	bool dummy;

	if (chan)
		snprintf(ev.chan, sizeof(ev.chan), "%s", chan);
	return tl_event(tl, &ev, is_new ? is_new : &dummy);
}

/* The characters of @pid's row, one per @tick_ms, into @buf. */
static const char *row(const struct timeline *tl, int pid, uint64_t tick_ms,
		       char *buf, size_t len)
{
	const struct tl_proc *p = tl_find(tl, pid);
	uint64_t t, tick = tick_ms * MS;
	size_t i = 0;

	if (!p)
		return "(no row)";
	for (t = tl->start; t < tl->end && i + 1 < len; t += tick)
		buf[i++] = tl_marks[tl_dominant(p, t, t + tick)].ch;
	buf[i] = '\0';
	return buf;
}

enum { E = MINIPROC_EMBRYO, S = MINIPROC_SLEEPING, RB = MINIPROC_RUNNABLE,
       R = MINIPROC_RUNNING, Z = MINIPROC_ZOMBIE, U = MINIPROC_UNUSED };

/*
 * A process asleep when recording starts: it wakes, waits for a CPU, runs,
 * sleeps, runs, exits; nobody reaps it. And one that is born and reaped
 * during the recording. Ticks of 5 ms over 50 ms.
 */
static void test_lifecycle(void)
{
	struct timeline tl;
	struct tl_proc *p;
	uint64_t ns[TL_NR_MARKS];
	bool is_new = true;
	char buf[64];

	tl_init(&tl, T0);
	p = tl_add(&tl, 5, tl_mark_of(S, "sleep"));
	ok(p && p->mark == TL_SLEEP && p->since == T0,
	   "a process from the snapshot is in its state from the start");
	feed(&tl, 5, S, RB, 10, NULL, 0, &is_new);
	ok(!is_new, "an event of a known process makes no new row");
	feed(&tl, 5, RB, R, 12, NULL, 0, NULL);
	feed(&tl, 5, R, S, 20, "sleep", 0, NULL);
	feed(&tl, 5, S, RB, 30, NULL, 0, NULL);
	feed(&tl, 5, RB, R, 31, NULL, 0, NULL);
	feed(&tl, 5, R, Z, 40, NULL, 0, NULL);

	p = feed(&tl, 9, U, E, 22, NULL, 0, &is_new);
	ok(p && is_new && p->pid == 9, "a new pid gets a row");
	feed(&tl, 9, E, RB, 23, NULL, 0, NULL);
	feed(&tl, 9, RB, R, 24, NULL, 0, NULL);
	feed(&tl, 9, R, Z, 30, NULL, 0, NULL);
	feed(&tl, 9, Z, U, 35, NULL, 0, NULL);
	tl_finish(&tl, T0 + 50 * MS);

	p = tl_find(&tl, 5);
	ok(p && p->nspans == 7 &&
	   p->spans[0].mark == TL_SLEEP && p->spans[0].end == T0 + 10 * MS &&
	   p->spans[1].mark == TL_RUNNABLE && p->spans[2].mark == TL_RUNNING &&
	   p->spans[2].start == T0 + 12 * MS && p->spans[2].end == T0 + 20 * MS &&
	   p->spans[6].mark == TL_ZOMBIE && p->spans[6].end == T0 + 50 * MS,
	   "events become spans, one after the other, up to the end");
	ok(!strcmp(row(&tl, 5, 5, buf, sizeof(buf)), "ssRRssRRZZ"),
	   "each 5 ms tick shows the state that held most of it (%s)", buf);
	ok(!strcmp(row(&tl, 9, 5, buf, sizeof(buf)), ".....RZ..."),
	   "born at 22 ms, reaped at 35 ms: '.' before and after (%s)", buf);
	ok(!strcmp(row(&tl, 5, 1, buf, sizeof(buf)),
		   "ssssssssssrrRRRRRRRRssssssssssrRRRRRRRRRZZZZZZZZZZ"),
	   "1 ms ticks show every state (%s)", buf);

	tl_totals(tl_find(&tl, 5), &tl, ns);
	ok(ns[TL_RUNNING] == 17 * MS && ns[TL_RUNNABLE] == 3 * MS &&
	   ns[TL_SLEEP] == 20 * MS && ns[TL_ZOMBIE] == 10 * MS &&
	   ns[TL_NONE] == 0,
	   "totals: 17 ms running, 3 runnable, 20 sleeping, 10 zombie");
	tl_totals(tl_find(&tl, 9), &tl, ns);
	ok(ns[TL_NONE] == 37 * MS && ns[TL_EMBRYO] == 1 * MS &&
	   ns[TL_RUNNING] == 6 * MS && ns[TL_ZOMBIE] == 5 * MS,
	   "totals of the short life: 37 ms not there, 6 running, 5 zombie");
	ok(tl_find(&tl, 5)->vol == 1 && tl_find(&tl, 5)->invol == 0,
	   "one switch off the CPU to sleep, none while runnable");
	ok(tl.events == 11 && tl.lost == 0, "11 events, none lost");
	tl_free(&tl);
}

/* Sleeping is told apart by its channel. */
/*
 * Pids wrap: pid 9 is reaped at 20 ms and given to a new process at 30 ms.
 * Each process has its own row, in the order they came.
 */
static void test_pid_reuse(void)
{
	struct timeline tl;
	struct tl_proc *first, *second;
	bool is_new = false;

	tl_init(&tl, T0);
	feed(&tl, 9, U, E, 2, NULL, 0, NULL);
	feed(&tl, 9, E, R, 3, NULL, 0, NULL);
	feed(&tl, 9, R, Z, 10, NULL, 0, NULL);
	feed(&tl, 9, Z, U, 20, NULL, 0, NULL);
	feed(&tl, 4, U, E, 25, NULL, 0, NULL);
	second = feed(&tl, 9, U, E, 30, NULL, 0, &is_new);
	ok(second && is_new, "a reused pid's new process gets a new row");
	feed(&tl, 9, E, R, 31, NULL, 0, NULL);
	feed(&tl, 9, R, S, 40, "sleep", 0, NULL);
	tl_finish(&tl, T0 + 50 * MS);

	ok(tl.nprocs == 3 && tl.procs[0].pid == 4 && tl.procs[1].pid == 9 &&
	   tl.procs[2].pid == 9,
	   "rows in pid order, the two processes of pid 9 in the order they came");
	first = &tl.procs[1];
	second = &tl.procs[2];
	ok(tl_find(&tl, 9) == second, "tl_find() gives the latest process of a pid");
	ok(tl_dominant(first, T0 + 30 * MS, T0 + 50 * MS) == TL_NONE &&
	   tl_dominant(first, T0 + 3 * MS, T0 + 10 * MS) == TL_RUNNING,
	   "the first row ends with its process: not there after its reaping");
	ok(tl_dominant(second, T0, T0 + 30 * MS) == TL_NONE &&
	   tl_dominant(second, T0 + 31 * MS, T0 + 40 * MS) == TL_RUNNING &&
	   tl_dominant(second, T0 + 40 * MS, T0 + 50 * MS) == TL_SLEEP,
	   "the second row begins with its process at 30 ms");
	tl_free(&tl);
}

static void test_marks(void)
{
	ok(tl_mark_of(S, "sleep") == TL_SLEEP &&
	   tl_mark_of(S, "suspended") == TL_SUSPENDED &&
	   tl_mark_of(S, "wait") == TL_WAIT && tl_mark_of(S, NULL) == TL_SLEEP &&
	   tl_mark_of(S, "frob") == TL_SLEEP,
	   "SLEEPING: on sleep 's', suspended 'S', wait 'w', anything else 's'");
	ok(tl_mark_of(R, NULL) == TL_RUNNING && tl_mark_of(RB, NULL) == TL_RUNNABLE &&
	   tl_mark_of(E, NULL) == TL_EMBRYO && tl_mark_of(Z, NULL) == TL_ZOMBIE &&
	   tl_mark_of(U, NULL) == TL_NONE && tl_mark_of(99, NULL) == TL_NONE,
	   "the other states, and an unknown one as not there");
	ok(tl_marks[TL_RUNNING].ch == 'R' && tl_marks[TL_RUNNABLE].ch == 'r' &&
	   tl_marks[TL_SLEEP].ch == 's' && tl_marks[TL_SUSPENDED].ch == 'S' &&
	   tl_marks[TL_WAIT].ch == 'w' && tl_marks[TL_ZOMBIE].ch == 'Z' &&
	   tl_marks[TL_EMBRYO].ch == 'E' && tl_marks[TL_NONE].ch == '.',
	   "the characters of the legend");
}

/* Suspension, waiting, ties, stray and lost events. */
static void test_edges(void)
{
	struct timeline tl;
	struct tl_proc *p;
	char buf[64];

	tl_init(&tl, T0);
	tl_add(&tl, 3, TL_RUNNING);
	feed(&tl, 3, R, S, 5, "suspended", 0, NULL);
	feed(&tl, 3, S, RB, 10, NULL, 0, NULL);
	feed(&tl, 3, RB, R, 11, NULL, 0, NULL);
	feed(&tl, 3, R, S, 12, "wait", 0, NULL);
	/* Ties: half running, half runnable; half zombie, half gone. */
	tl_add(&tl, 4, TL_RUNNING);
	feed(&tl, 4, R, RB, 2.5, NULL, 0, NULL);
	feed(&tl, 4, RB, Z, 5, NULL, 0, NULL);
	feed(&tl, 4, Z, U, 7.5, NULL, 0, NULL);
	ok(feed(&tl, 4, R, RB, -1, NULL, 0, NULL) == NULL,
	   "an event from before the start is ignored");
	/* Out of order for one pid: time never runs back. */
	feed(&tl, 3, S, RB, 11, NULL, 0, NULL);
	feed(&tl, 3, RB, S, 16, "wait", 7, NULL);
	tl_finish(&tl, T0 + 20 * MS);

	ok(!strcmp(row(&tl, 3, 5, buf, sizeof(buf)), "RSrw"),
	   "suspended is 'S', waiting for a child 'w' (%s)", buf);
	ok(!strcmp(row(&tl, 4, 5, buf, sizeof(buf)), "RZ.."),
	   "ties go to running over runnable, to zombie over not there (%s)",
	   buf);
	p = tl_find(&tl, 3);
	ok(p && p->spans[p->nspans - 1].end == T0 + 20 * MS &&
	   p->spans[3].start >= p->spans[2].end,
	   "an event older than the row's last one is moved to that time");
	ok(tl.lost == 7 && tl.ngaps == 1 && tl.gaps[0].from == T0 + 12 * MS &&
	   tl.gaps[0].to == T0 + 16 * MS,
	   "lost events are counted, with the stretch they were lost in");
	ok(tl_lost_overlap(&tl, T0, T0 + 20 * MS) == 4 * MS &&
	   tl_lost_overlap(&tl, T0 + 14 * MS, T0 + 20 * MS) == 2 * MS &&
	   tl_lost_overlap(&tl, T0, T0 + 12 * MS) == 0,
	   "how much of a stretch of time lies where events were lost");
	tl_free(&tl);
}

static void test_steps(void)
{
	ok(tl_nice_step(1000 * MS, 80) == 20 * MS, "1 s in 80 ticks: 20 ms");
	ok(tl_nice_step(1000 * MS, 100) == 10 * MS, "1 s in 100 ticks: 10 ms");
	ok(tl_nice_step(300 * MS, 78) == 5 * MS, "300 ms in 78 ticks: 5 ms");
	ok(tl_nice_step(7, 1) == 10 && tl_nice_step(100, 100) == 1 &&
	   tl_nice_step(0, 10) == 1, "small steps");
}

static char *render(const struct timeline *tl, bool svg, unsigned int width,
		    uint64_t tick)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		exit(1);
	if (svg)
		tl_print_svg(f, tl);
	else
		tl_print_text(f, tl, width, tick);
	fclose(f);
	return buf;
}

/* 12 ms in ticks of 5 ms: the last tick is 2 ms long, all of it running. */
static void test_last_tick(void)
{
	struct timeline tl;
	char *text;

	tl_init(&tl, T0);
	strcpy(tl_add(&tl, 5, TL_SLEEP)->name, "short");
	feed(&tl, 5, S, R, 9, NULL, 0, NULL);
	tl_finish(&tl, T0 + 12 * MS);
	text = render(&tl, false, 100, 5 * MS);
	ok(strstr(text, "    5 short           ssR\n") != NULL,
	   "text: the last tick ends with the recording, not after it");
	free(text);
	tl_free(&tl);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

static void test_pictures(void)
{
	struct timeline tl;
	struct tl_proc *p;
	char *text, *svg;
	size_t len;

	tl_init(&tl, T0);
	p = tl_add(&tl, 5, TL_RUNNING);
	strcpy(p->name, "cpu");
	p = tl_add(&tl, 6, TL_SLEEP);
	strcpy(p->name, "a<b&c\"d");
	tl_add(&tl, 7, TL_NONE);	/* never there: no row */
	feed(&tl, 5, R, RB, 20, NULL, 0, NULL);
	feed(&tl, 6, S, RB, 20, NULL, 0, NULL);
	feed(&tl, 6, RB, R, 21, NULL, 0, NULL);
	feed(&tl, 5, RB, R, 30, NULL, 3, NULL);
	feed(&tl, 6, R, S, 30, "sleep", 0, NULL);
	tl_finish(&tl, T0 + 50 * MS);

	text = render(&tl, false, 100, 5 * MS);
	ok(strstr(text, "    5 cpu             RRRR??RRRR\n") &&
	   strstr(text, "    6 a<b&c\"d         ssss??ssss\n") &&
	   !strstr(text, "    7 "),
	   "text: one row per process that was there, one character a tick, '?' where events were lost");
	ok(strstr(text, "one character is 5ms") &&
	   strstr(text, "  PID NAME  time (ms) 0         50\n") &&
	   strstr(text, "                      |---------|\n"),
	   "text: the tick, and an axis labelled every 10 ticks");
	if (!strstr(text, "  PID NAME  time (ms) 0"))
		printf("# got:\n%s", text);
	ok(strstr(text, "Legend: R running, r runnable, s sleeping, S suspended, w waiting for a child, Z zombie, E embryo, . not there, ? events were lost here\n") != NULL,
	   "text: the legend");
	ok(strstr(text, "  PID NAME                    RUNNING        RUNNABLE        SLEEPING          ZOMBIE  NVCSW NIVCSW\n"
			"    5 cpu                 40.0ms  80%     10.0ms  20%      0.0ms   0%      0.0ms   0%      0      1\n"
			"    6 a<b&c\"d              9.0ms  18%      1.0ms   2%     40.0ms  80%      0.0ms   0%      1      0\n") != NULL,
	   "text: totals per process");
	ok(strstr(text, "Events lost: 3") && strstr(text, "21.0ms to 30.0ms: 3 events"),
	   "text: lost events and where");
	free(text);

	text = render(&tl, false, 73, 0);
	ok(strstr(text, "one character is 1ms") &&
	   strstr(text, "RRRRRRRRRRRRRRRRRRRRr?????????RRRRRRRRRRRRRRRRRRRR\n"),
	   "text: with no tick given, ticks are sized to the width");
	free(text);

	svg = render(&tl, true, 0, 0);
	len = strlen(svg);
	ok(!strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) &&
	   len > 7 && !strcmp(svg + len - 7, "</svg>\n"),
	   "svg: one <svg> element, the whole document");
	ok(strstr(svg, "<g id=\"pid-5\">") && strstr(svg, "<g id=\"pid-6\">") &&
	   !strstr(svg, "pid-7"), "svg: a group per row, by pid");
	ok(count(svg, "<g") == count(svg, "</g>") &&
	   count(svg, "<text") == count(svg, "</text>"),
	   "svg: elements are closed");
	ok(strstr(svg, "a&lt;b&amp;c&quot;d") && !strstr(svg, "a<b"),
	   "svg: names are escaped");
	ok(strstr(svg, "fill=\"#009e73\"") && strstr(svg, "fill=\"#e69f00\"") &&
	   strstr(svg, ">running</text>") && strstr(svg, "time (ms)"),
	   "svg: colours of the states, a legend, an axis in ms");
	ok(strstr(svg, "<rect x=\"166.00\" y=\"74.0\" width=\"304.00\" height=\"16\" fill=\"#009e73\"/>") != NULL,
	   "svg: a bar from 0 to 20 ms is 2/5 of the 760 wide chart");
	ok(strstr(svg, "3 events were lost") && strstr(svg, "fill-opacity"),
	   "svg: lost events are shown");
	free(svg);
	tl_free(&tl);
}

int main(void)
{
	test_lifecycle();
	test_pid_reuse();
	test_marks();
	test_edges();
	test_steps();
	test_last_tick();
	test_pictures();
	return tap_done();
}
