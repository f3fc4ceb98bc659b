/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OSTEP's scheduler.py: jobs that only compute, scheduled FIFO, SJF or RR,
 * and their response, turnaround and wait times. The model is apart from
 * the printers, which take slices and figures from anywhere: the
 * simulation here, or a run on a real kernel.
 */
#ifndef MINIPROC_CLI_HW_SCHEDULER_H
#define MINIPROC_CLI_HW_SCHEDULER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pyrandom.h"

/* The most jobs -j may ask for. */
#define SCHEDSIM_MAX_JOBS	1000000
/*
 * -j times -m at most 2^53: every sum of random lengths is then exact in a
 * double, as it is in the simulator's Python ints.
 */
#define SCHEDSIM_MAX_WORK	9007199254740992.0
/* The longest job -l takes: far from overflowing a sum of a million. */
#define SCHEDSIM_MAX_LEN	1e300

enum schedsim_policy { SCHEDSIM_FIFO, SCHEDSIM_SJF, SCHEDSIM_RR };

/**
 * struct schedsim_job - one job
 * @num: its number, from 0 in the order given
 * @len: its run time
 */
struct schedsim_job {
	long num;
	double len;
};

/**
 * struct schedsim_slice - one line of the execution trace
 * @start:   when the job got the CPU
 * @job:     which
 * @ran:     for how long
 * @done:    it ended then
 * @done_at: when, if @done
 */
struct schedsim_slice {
	double start;
	long job;
	double ran;
	int done;
	double done_at;
};

/**
 * struct schedsim_stat - one job's line of the final statistics
 * @job:        which
 * @response:   first run minus arrival (all arrive at 0)
 * @turnaround: end minus arrival
 * @wait:       time ready but not running
 */
struct schedsim_stat {
	long job;
	double response, turnaround, wait;
};

/* @n random jobs of at most @maxlen as the simulator draws them from @r. */
void schedsim_draw_jobs(struct schedsim_job *jobs, long n, int64_t maxlen,
			struct py_random *r);

/*
 * Parse -l ("10,15.5,20") into a malloc()ed array: float() of each, finite,
 * 0 to SCHEDSIM_MAX_LEN. 0, or -1 with a sentence in @err.
 */
int schedsim_parse_list(const char *list, struct schedsim_job **jobs,
			long *n, char *err, size_t errlen);

/*
 * Run @jobs under @policy (RR slices of @quantum) as scheduler.py -c does:
 * each slice to @emit, the statistics into @stats (@n of them, in the
 * order the simulator prints them). 0, or -1 if out of memory.
 */
int schedsim_simulate(enum schedsim_policy policy, double quantum,
		      const struct schedsim_job *jobs, long n,
		      void (*emit)(const struct schedsim_slice *sl, void *arg),
		      void *arg, struct schedsim_stat *stats);

/* "  Job 0 ( length = 8 )" for each; @ints: lengths drawn, not given. */
void schedsim_print_jobs(FILE *out, const struct schedsim_job *jobs, long n,
			 int ints);

/* One line of the trace; @rr: as the RR trace, else as FIFO and SJF's. */
void schedsim_print_slice(FILE *out, const struct schedsim_slice *sl, int rr);

/* "Final statistics:", a line a job, the averages; @n > 0. */
void schedsim_print_stats(FILE *out, const struct schedsim_stat *stats,
			  long n);

#endif /* MINIPROC_CLI_HW_SCHEDULER_H */
