/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OSTEP's process-run.py: processes that compute or do I/O, one
 * instruction a tick, on one CPU. The model (loading the workload,
 * simulating it tick by tick) is apart from the printers, which take rows
 * from anywhere: the simulation here, or a run on a real kernel.
 */
#ifndef MINIPROC_CLI_HW_PROCESS_RUN_H
#define MINIPROC_CLI_HW_PROCESS_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pyrandom.h"

/* Instructions of one process in -l X:Y, so that a typo cannot eat memory. */
#define PRUN_MAX_OPS	1000000
/* The longest -L. */
#define PRUN_MAX_IO_LENGTH	1000000000

enum prun_op {
	PRUN_OP_CPU,		/* "cpu" */
	PRUN_OP_IO,		/* "io": starts an I/O */
	PRUN_OP_IO_DONE,	/* "io_done": the CPU work after an I/O */
};

/* A process in one tick of the trace, as its column shows it. */
enum prun_cell {
	PRUN_READY,
	PRUN_RUNNING,		/* on the CPU but with nothing left to run */
	PRUN_BLOCKED,
	PRUN_DONE,
	PRUN_RUN_CPU,		/* "RUN:cpu" */
	PRUN_RUN_IO,
	PRUN_RUN_IO_DONE,
};

/**
 * struct prun_proc - one process's instructions
 * @ops:  what it runs, in order
 * @nops: how many
 */
struct prun_proc {
	enum prun_op *ops;
	size_t nops;
};

/**
 * struct prun_workload - the processes, pid 0 first
 * @procs:  the processes
 * @nprocs: how many
 */
struct prun_workload {
	struct prun_proc *procs;
	size_t nprocs;
};

/**
 * struct prun_config - the simulator's rules
 * @switch_on_end:    -S SWITCH_ON_END (else SWITCH_ON_IO)
 * @io_run_immediate: -I IO_RUN_IMMEDIATE (else IO_RUN_LATER)
 * @io_length:        -L: ticks an I/O takes
 */
struct prun_config {
	int switch_on_end;
	int io_run_immediate;
	int64_t io_length;
};

/**
 * struct prun_row - one tick of the trace
 * @tick:    1, 2, ...
 * @io_done: an I/O ended at the start of this tick ("*")
 * @cells:   each process's cell, @nprocs of them
 * @cpu:     an instruction ran
 * @ios:     I/Os in flight after this tick's instruction started
 */
struct prun_row {
	int64_t tick;
	int io_done;
	const enum prun_cell *cells;
	int cpu;
	int64_t ios;
};

/**
 * struct prun_stats - the Stats: lines
 * @ticks:    total time
 * @cpu_busy: ticks an instruction ran
 * @io_busy:  ticks an I/O was in flight
 */
struct prun_stats {
	int64_t ticks, cpu_busy, io_busy;
};

/* Free @w's processes. */
void prun_free(struct prun_workload *w);

/*
 * Add -l's processes ("X:Y,..."), drawing each instruction from @r; with
 * @r NULL only check the text. 0, or -1 with a sentence in @err.
 */
int prun_load_list(struct prun_workload *w, const char *list,
		   struct py_random *r, char *err, size_t errlen);

/* Add -P's processes ("c7,i,c1:i,c2"). 0, or -1 with a sentence in @err. */
int prun_load_programs(struct prun_workload *w, const char *text, char *err,
		       size_t errlen);

/*
 * Run @w under @cfg as process-run.py -c does, handing each tick to
 * @emit. Fills @stats; 0, or -1 if out of memory.
 */
int prun_simulate(const struct prun_config *cfg, const struct prun_workload *w,
		  void (*emit)(const struct prun_row *row, size_t nprocs,
			       void *arg),
		  void *arg, struct prun_stats *stats);

/* The output without -c: each process's instructions, then the rules. */
void prun_print_problem(FILE *out, const struct prun_config *cfg,
			const struct prun_workload *w);

/* The trace's heading line: Time, PID: 0 ..., CPU, IOs. */
void prun_print_header(FILE *out, size_t nprocs);

/* One line of the trace. */
void prun_print_row(FILE *out, const struct prun_row *row, size_t nprocs);

/* The -p lines, a blank line before and after. */
void prun_print_stats(FILE *out, const struct prun_stats *stats);

#endif /* MINIPROC_CLI_HW_PROCESS_RUN_H */
