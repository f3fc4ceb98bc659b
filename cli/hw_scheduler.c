// SPDX-License-Identifier: GPL-2.0
/*
 * scheduler.py's rules, as facts learnt from its source and its runs under
 * Python 3: how it draws jobs, orders them, slices them, adds up the
 * times, in the same order of floating-point additions, so that every
 * figure prints the same. Written anew; its output is the test data.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw_scheduler.h"
#include "pynum.h"

void schedsim_draw_jobs(struct schedsim_job *jobs, long n, int64_t maxlen,
			struct py_random *r)
{
	long i;

	for (i = 0; i < n; i++) {
		jobs[i].num = i;
		jobs[i].len = (double)((int64_t)((double)maxlen *
						 py_random_random(r)) + 1);
	}
}

int schedsim_parse_list(const char *list, struct schedsim_job **jobs,
			long *n, char *err, size_t errlen)
{
	const char *c, *end;
	long count = 1, i = 0;
	char *text;
	double x;

	for (c = list; *c; c++)
		count += *c == ',';
	*n = 0;
	*jobs = calloc(count, sizeof(**jobs));
	if (!*jobs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (c = list; c; c = *end ? end + 1 : NULL, i++) {
		end = c + strcspn(c, ",");
		text = strndup(c, end - c);
		if (!text || py_float_parse(text, &x) ||
		    !(x >= 0 && x <= SCHEDSIM_MAX_LEN)) {
			snprintf(err, errlen,
				 "bad run time '%.*s' in -l: expected a number from 0 to %g",
				 (int)(end - c), c, SCHEDSIM_MAX_LEN);
			free(text);
			free(*jobs);
			*jobs = NULL;
			return -1;
		}
		free(text);
		(*jobs)[i].num = i;
		(*jobs)[i].len = x;
	}
	*n = count;
	return 0;
}

/* Shortest first; equal lengths keep their order (Python's sort is stable). */
static int schedsim_by_len(const void *a, const void *b)
{
	const struct schedsim_job *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}

/* FIFO over @jobs in their order: each runs to its end. */
static void schedsim_fifo(const struct schedsim_job *jobs, long n,
			  void (*emit)(const struct schedsim_slice *sl, void *arg),
			  void *arg, struct schedsim_stat *stats)
{
	struct schedsim_slice sl = { .done = 1 };
	double t = 0;
	long i;

	for (i = 0; i < n; i++) {
		sl.start = t;
		sl.job = jobs[i].num;
		sl.ran = jobs[i].len;
		sl.done_at = t + jobs[i].len;
		emit(&sl, arg);
		stats[i].job = jobs[i].num;
		stats[i].response = t;
		stats[i].turnaround = t + jobs[i].len;
		stats[i].wait = t;
		t += jobs[i].len;
	}
}

/* RR: a queue of jobs, each in turn for at most @q; @jobs numbered 0..n-1. */
static int schedsim_rr(double q, const struct schedsim_job *jobs, long n,
		       void (*emit)(const struct schedsim_slice *sl, void *arg),
		       void *arg, struct schedsim_stat *stats)
{
	struct schedsim_job *queue = malloc(n * sizeof(*queue)), job;
	double *lastran = calloc(n, sizeof(*lastran)), t = 0;
	char *started = calloc(n, 1);
	long head = 0, len = n, left = n, i;
	struct schedsim_slice sl;
	int ret = -1;

	if (!queue || !lastran || !started)
		goto out;
	memcpy(queue, jobs, n * sizeof(*queue));
	for (i = 0; i < n; i++)
		stats[i] = (struct schedsim_stat){ .job = i };
	while (left > 0) {
		job = queue[head];
		head = (head + 1) % n;
		len--;
		if (!started[job.num]) {
			started[job.num] = 1;
			stats[job.num].response = t;
		}
		stats[job.num].wait += t - lastran[job.num];
		sl = (struct schedsim_slice){ .start = t, .job = job.num };
		if (job.len > q) {
			job.len -= q;
			sl.ran = q;
			queue[(head + len++) % n] = job;
		} else {
			sl.ran = job.len;
			sl.done = 1;
			sl.done_at = t + sl.ran;
			stats[job.num].turnaround = t + sl.ran;
			left--;
		}
		emit(&sl, arg);
		t += sl.ran;
		lastran[job.num] = t;
	}
	ret = 0;
out:
	free(queue);
	free(lastran);
	free(started);
	return ret;
}

int schedsim_simulate(enum schedsim_policy policy, double quantum,
		      const struct schedsim_job *jobs, long n,
		      void (*emit)(const struct schedsim_slice *sl, void *arg),
		      void *arg, struct schedsim_stat *stats)
{
	struct schedsim_job *sorted;

	if (policy == SCHEDSIM_RR)
		return schedsim_rr(quantum, jobs, n, emit, arg, stats);
	if (policy == SCHEDSIM_FIFO) {
		schedsim_fifo(jobs, n, emit, arg, stats);
		return 0;
	}
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -1;
	memcpy(sorted, jobs, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), schedsim_by_len);
	schedsim_fifo(sorted, n, emit, arg, stats);
	free(sorted);
	return 0;
}

void schedsim_print_jobs(FILE *out, const struct schedsim_job *jobs, long n,
			 int ints)
{
	char len[PY_FLOAT_REPR_LEN];
	long i;

	for (i = 0; i < n; i++) {
		if (ints)
			snprintf(len, sizeof(len), "%lld", (long long)jobs[i].len);
		else
			py_float_repr(jobs[i].len, len);
		fprintf(out, "  Job %ld ( length = %s )\n", jobs[i].num, len);
	}
}

void schedsim_print_slice(FILE *out, const struct schedsim_slice *sl, int rr)
{
	char start[400];

	/* '%3d' of a float in Python truncates it, however large. */
	if (!py_format_d(sl->start, 3, start, sizeof(start)))
		snprintf(start, sizeof(start), "%3.0f", sl->start);
	fprintf(out, "  [ time %s ] Run job %*ld for %.2f secs", start,
		rr ? 3 : 0, sl->job, sl->ran);
	if (sl->done)
		fprintf(out, " ( DONE at %.2f )", sl->done_at);
	fprintf(out, "\n");
}

void schedsim_print_stats(FILE *out, const struct schedsim_stat *stats,
			  long n)
{
	double response = 0, turnaround = 0, wait = 0;
	long i;

	fprintf(out, "\nFinal statistics:\n");
	for (i = 0; i < n; i++) {
		fprintf(out, "  Job %3ld -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n",
			stats[i].job, stats[i].response, stats[i].turnaround,
			stats[i].wait);
		response += stats[i].response;
		turnaround += stats[i].turnaround;
		wait += stats[i].wait;
	}
	fprintf(out, "\n  Average -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n\n",
		response / n, turnaround / n, wait / n);
}
