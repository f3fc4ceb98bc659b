// SPDX-License-Identifier: GPL-2.0
/*
 * process-run.py's rules, as facts learnt from its source and its runs
 * under Python 3: which process runs each tick, when I/Os end, what each
 * column shows. Written anew; the simulator's output is the test data.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_process_run.h"
#include "pynum.h"

/* A process's state between ticks (the simulator's four). */
enum prun_state { PRUN_S_READY, PRUN_S_RUNNING, PRUN_S_BLOCKED, PRUN_S_DONE };

static const char *const prun_cell_names[] = {
	[PRUN_READY] = "READY",		[PRUN_RUNNING] = "RUNNING",
	[PRUN_BLOCKED] = "BLOCKED",	[PRUN_DONE] = "DONE",
	[PRUN_RUN_CPU] = "RUN:cpu",	[PRUN_RUN_IO] = "RUN:io",
	[PRUN_RUN_IO_DONE] = "RUN:io_done",
};

static const enum prun_cell prun_state_cells[] = {
	[PRUN_S_READY] = PRUN_READY,		[PRUN_S_RUNNING] = PRUN_RUNNING,
	[PRUN_S_BLOCKED] = PRUN_BLOCKED,	[PRUN_S_DONE] = PRUN_DONE,
};

static const char *const prun_op_names[] = {
	[PRUN_OP_CPU] = "cpu", [PRUN_OP_IO] = "io", [PRUN_OP_IO_DONE] = "io_done",
};

void prun_free(struct prun_workload *w)
{
	size_t i;

	for (i = 0; i < w->nprocs; i++)
		free(w->procs[i].ops);
	free(w->procs);
	w->procs = NULL;
	w->nprocs = 0;
}

/* A new empty process at the end of @w; NULL if out of memory. */
static struct prun_proc *prun_add(struct prun_workload *w)
{
	struct prun_proc *p = realloc(w->procs, (w->nprocs + 1) * sizeof(*p));

	if (!p)
		return NULL;
	w->procs = p;
	p += w->nprocs++;
	p->ops = NULL;
	p->nops = 0;
	return p;
}

/* Append @n instructions @op (an io brings its io_done); 0 or -1. */
static int prun_append(struct prun_proc *p, enum prun_op op, size_t n)
{
	size_t add = op == PRUN_OP_IO ? 2 * n : n, i;
	enum prun_op *ops;

	if (!add)
		return 0;
	ops = realloc(p->ops, (p->nops + add) * sizeof(*ops));
	if (!ops)
		return -1;
	p->ops = ops;
	for (i = 0; i < add; i++)
		ops[p->nops++] = op == PRUN_OP_IO && i % 2 ? PRUN_OP_IO_DONE : op;
	return 0;
}

/* A count in -l or -P: a Python int in [0, PRUN_MAX_OPS]; 0 or -1. */
static int prun_count(const char *text, size_t *n)
{
	struct py_int v;
	int64_t x;
	int ret;

	if (py_int_parse(text, 10, &v))
		return -1;
	ret = py_int_to_i64(&v, &x) || x < 0 || x > PRUN_MAX_OPS ? -1 : 0;
	py_int_free(&v);
	*n = ret ? 0 : (size_t)x;
	return ret;
}

/* Split @text at @sep into a malloc()ed copy; *@next: the rest or NULL. */
static char *prun_split(const char **text, char sep)
{
	const char *end = strchr(*text, sep);
	size_t len = end ? (size_t)(end - *text) : strlen(*text);
	char *part = strndup(*text, len);

	*text = end ? end + 1 : NULL;
	return part;
}

/* One X:Y of -l into @p; @r NULL: check only. 0, or -1 with @err. */
static int prun_load_one(struct prun_proc *p, const char *desc,
			 struct py_random *r, char *err, size_t errlen)
{
	const char *colon = strchr(desc, ':');
	char *x = colon ? strndup(desc, colon - desc) : NULL;
	double y = 0;
	size_t n = 0, i;
	int ret = -1;

	if (!colon || strchr(colon + 1, ':') || prun_count(x, &n) ||
	    py_float_parse(colon + 1, &y) || !(y >= 0 && y <= 100)) {
		snprintf(err, errlen,
			 "bad process '%s' in -l: expected X:Y, X instructions (0 to %d) of which Y percent (0 to 100) use the CPU",
			 desc, PRUN_MAX_OPS);
		goto out;
	}
	for (i = 0; r && i < n; i++)
		if (prun_append(p, py_random_random(r) < y / 100.0 ?
				PRUN_OP_CPU : PRUN_OP_IO, 1))
			goto oom;
	ret = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	free(x);
	return ret;
}

int prun_load_list(struct prun_workload *w, const char *list,
		   struct py_random *r, char *err, size_t errlen)
{
	struct prun_proc dummy = { NULL, 0 }, *p;
	char *desc;
	int ret = 0;

	while (list && !ret) {
		desc = prun_split(&list, ',');
		p = r ? prun_add(w) : &dummy;
		if (!desc || !p) {
			snprintf(err, errlen, "out of memory");
			ret = -1;
		} else {
			ret = prun_load_one(p, desc, r, err, errlen);
		}
		free(desc);
	}
	return ret;
}

/* One instruction of -P ("c7" or "i") into @p; 0, or -1 with @err. */
static int prun_load_instr(struct prun_proc *p, const char *instr, char *err,
			   size_t errlen)
{
	size_t n = 0;
	int ret;

	if (instr[0] == 'i' && !instr[1]) {
		ret = prun_append(p, PRUN_OP_IO, 1);
	} else if (instr[0] == 'c' && !prun_count(instr + 1, &n)) {
		ret = prun_append(p, PRUN_OP_CPU, n);
	} else {
		snprintf(err, errlen,
			 "bad instruction '%s' in -P: expected cN (N from 0 to %d ticks of CPU) or i (an I/O)",
			 instr, PRUN_MAX_OPS);
		return -1;
	}
	if (ret)
		snprintf(err, errlen, "out of memory");
	return ret;
}

int prun_load_programs(struct prun_workload *w, const char *text, char *err,
		       size_t errlen)
{
	const char *rest;
	char *prog, *instr;
	struct prun_proc *p;
	int ret = 0;

	while (text && !ret) {
		prog = prun_split(&text, ':');
		p = prun_add(w);
		ret = -1;
		if (!prog || !p)
			snprintf(err, errlen, "out of memory");
		else
			ret = 0;
		for (rest = prog; !ret && rest;) {
			instr = prun_split(&rest, ',');
			ret = instr ? prun_load_instr(p, instr, err, errlen) : -1;
			if (!instr)
				snprintf(err, errlen, "out of memory");
			free(instr);
		}
		free(prog);
	}
	return ret;
}

/**
 * struct prun_sim - the simulation's state between ticks
 * @cfg:       the rules
 * @w:         the workload
 * @state:     each process's state
 * @pc:        each process's next instruction
 * @io_end:    each process's latest I/O's end tick, or -1; a process has
 *             at most one I/O in flight, for it is blocked until it ends
 * @curr:      the process the CPU is given to
 */
struct prun_sim {
	const struct prun_config *cfg;
	const struct prun_workload *w;
	enum prun_state *state;
	size_t *pc;
	int64_t *io_end;
	size_t curr;
};

/* Give the CPU to @pid, which is ready. */
static void prun_run(struct prun_sim *s, size_t pid)
{
	s->curr = pid;
	s->state[pid] = PRUN_S_RUNNING;
}

/* The next ready process after the current one, round the table. */
static void prun_next(struct prun_sim *s)
{
	size_t n = s->w->nprocs, i, pid;

	for (i = 1; i <= n; i++) {
		pid = (s->curr + i) % n;
		if (s->state[pid] == PRUN_S_READY) {
			prun_run(s, pid);
			return;
		}
	}
}

/* Processes ready or running. */
static size_t prun_runnable(const struct prun_sim *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->w->nprocs; i++)
		n += s->state[i] == PRUN_S_READY || s->state[i] == PRUN_S_RUNNING;
	return n;
}

/* Does any process still have to finish? */
static int prun_active(const struct prun_sim *s)
{
	size_t i;

	for (i = 0; i < s->w->nprocs; i++)
		if (s->state[i] != PRUN_S_DONE)
			return 1;
	return 0;
}

/* The current process, out of instructions while on the CPU, is done. */
static void prun_check_done(struct prun_sim *s)
{
	size_t c = s->curr;

	if (s->pc[c] == s->w->procs[c].nops && s->state[c] == PRUN_S_RUNNING) {
		s->state[c] = PRUN_S_DONE;
		prun_next(s);
	}
}

/* The I/O of @pid ended at the start of this tick: who gets the CPU. */
static void prun_io_ended(struct prun_sim *s, size_t pid)
{
	s->state[pid] = PRUN_S_READY;
	if (s->cfg->io_run_immediate) {
		if (s->curr != pid && s->state[s->curr] == PRUN_S_RUNNING)
			s->state[s->curr] = PRUN_S_READY;
		prun_run(s, pid);
	} else {
		/* Under SWITCH_ON_END the process that waited is current. */
		if (s->cfg->switch_on_end && prun_runnable(s) > 1)
			prun_run(s, pid);
		if (prun_runnable(s) == 1)
			prun_run(s, pid);
	}
	prun_check_done(s);
}

/* One tick: I/Os that end, the instruction, the row, its aftermath. */
static void prun_tick(struct prun_sim *s, struct prun_row *row,
		      enum prun_cell *cells, struct prun_stats *st)
{
	const struct prun_proc *p;
	size_t n = s->w->nprocs, i;
	int ran = 0;
	enum prun_op op = PRUN_OP_CPU;

	row->tick = ++st->ticks;
	row->io_done = 0;
	for (i = 0; i < n; i++) {
		if (s->io_end[i] == row->tick) {
			row->io_done = 1;
			prun_io_ended(s, i);
		}
	}
	p = &s->w->procs[s->curr];
	if (s->state[s->curr] == PRUN_S_RUNNING && s->pc[s->curr] < p->nops) {
		op = p->ops[s->pc[s->curr]++];
		ran = 1;
		st->cpu_busy++;
	}
	row->ios = 0;
	for (i = 0; i < n; i++) {
		cells[i] = prun_state_cells[s->state[i]];
		row->ios += s->io_end[i] > row->tick;
	}
	if (ran)
		cells[s->curr] = op == PRUN_OP_CPU ? PRUN_RUN_CPU :
				 op == PRUN_OP_IO ? PRUN_RUN_IO : PRUN_RUN_IO_DONE;
	row->cpu = ran;
	st->io_busy += row->ios > 0;
	if (ran && op == PRUN_OP_IO) {
		s->state[s->curr] = PRUN_S_BLOCKED;
		s->io_end[s->curr] = row->tick + s->cfg->io_length + 1;
		if (!s->cfg->switch_on_end)
			prun_next(s);
	}
	prun_check_done(s);
}

int prun_simulate(const struct prun_config *cfg, const struct prun_workload *w,
		  void (*emit)(const struct prun_row *row, size_t nprocs,
			       void *arg),
		  void *arg, struct prun_stats *stats)
{
	struct prun_sim s = { .cfg = cfg, .w = w };
	size_t n = w->nprocs, i;
	enum prun_cell *cells;
	struct prun_row row;
	int ret = -1;

	memset(stats, 0, sizeof(*stats));
	s.state = calloc(n, sizeof(*s.state));
	s.pc = calloc(n, sizeof(*s.pc));
	s.io_end = calloc(n, sizeof(*s.io_end));
	cells = calloc(n, sizeof(*cells));
	if (!n || !s.state || !s.pc || !s.io_end || !cells)
		goto out;
	for (i = 0; i < n; i++)
		s.io_end[i] = -1;
	prun_run(&s, 0);
	row.cells = cells;
	while (prun_active(&s)) {
		prun_tick(&s, &row, cells, stats);
		emit(&row, n, arg);
	}
	ret = 0;
out:
	free(s.state);
	free(s.pc);
	free(s.io_end);
	free(cells);
	return ret;
}

void prun_print_problem(FILE *out, const struct prun_config *cfg,
			const struct prun_workload *w)
{
	size_t pid, i;

	fprintf(out, "Produce a trace of what would happen when you run these processes:\n");
	for (pid = 0; pid < w->nprocs; pid++) {
		fprintf(out, "Process %zu\n", pid);
		for (i = 0; i < w->procs[pid].nops; i++)
			fprintf(out, "  %s\n", prun_op_names[w->procs[pid].ops[i]]);
		fprintf(out, "\n");
	}
	fprintf(out, "Important behaviors:\n  System will switch when %s\n",
		cfg->switch_on_end ? "the current process is FINISHED" :
		"the current process is FINISHED or ISSUES AN IO");
	fprintf(out, "  After IOs, the process issuing the IO will %s\n\n",
		cfg->io_run_immediate ? "run IMMEDIATELY" :
		"run LATER (when it is its turn)");
}

void prun_print_header(FILE *out, size_t nprocs)
{
	char pid[32];
	size_t i;

	fprintf(out, "Time");
	for (i = 0; i < nprocs; i++) {
		snprintf(pid, sizeof(pid), "PID:%2zu", i);
		fprintf(out, "%14s", pid);
	}
	fprintf(out, "%14s%14s\n", "CPU", "IOs");
}

void prun_print_row(FILE *out, const struct prun_row *row, size_t nprocs)
{
	size_t i;

	fprintf(out, "%3lld%c", (long long)row->tick, row->io_done ? '*' : ' ');
	for (i = 0; i < nprocs; i++)
		fprintf(out, "%14s", prun_cell_names[row->cells[i]]);
	fprintf(out, "%14s", row->cpu ? "1" : " ");
	if (row->ios > 0)
		fprintf(out, "%14lld\n", (long long)row->ios);
	else
		fprintf(out, "%10s\n", " ");
}

void prun_print_stats(FILE *out, const struct prun_stats *st)
{
	fprintf(out, "\nStats: Total Time %lld\n", (long long)st->ticks);
	fprintf(out, "Stats: CPU Busy %lld (%.2f%%)\n", (long long)st->cpu_busy,
		100.0 * (double)st->cpu_busy / (double)st->ticks);
	fprintf(out, "Stats: IO Busy  %lld (%.2f%%)\n\n", (long long)st->io_busy,
		100.0 * (double)st->io_busy / (double)st->ticks);
}
