// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc homework: OSTEP's homework simulators, process-run.py and
 * scheduler.py, with their own options and output. --simulate answers as
 * the simulators do under Python 3; --real (a run on the kernel) is to come.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hw_opt.h"
#include "hw_process_run.h"
#include "hw_scheduler.h"
#include "program.h"
#include "pynum.h"

#define HW_ERR_LEN	256
#define HW_NOPTS(opts)	(sizeof(opts) / sizeof((opts)[0]))

static const char homework_usage[] =
"Usage: miniproc homework process-run [OPTIONS] [--simulate | --real]\n"
"       miniproc homework scheduler [OPTIONS] [--simulate | --real]\n"
"       miniproc homework SIMULATOR --help\n"
"\n"
"The homework of OSTEP's chapters on processes and on scheduling, with the\n"
"simulators' own options and output: process-run (cpu-intro/process-run.py)\n"
"and scheduler (cpu-sched/scheduler.py). Options are read as the simulators\n"
"read them (-cp, -s5, --seed=5, --proc 5:50), and --simulate prints what the\n"
"simulator prints under Python 3, the random workloads of -s included.\n"
"\n"
"Options of both:\n"
"      --simulate   answer as the simulator does (the default)\n"
"      --real       run the workload on the kernel (not there yet)\n"
"      --tick DUR   one tick of the real run (like 10ms)\n"
"      --cpu N      the CPU of the real run\n"
"  -h, --help       show this help, or with SIMULATOR, its options\n"
"\n"
"Examples:\n"
"  miniproc homework process-run -l 5:100,5:100 -c -p\n"
"  miniproc homework process-run -l 3:0 -L 5 -S SWITCH_ON_END -cp\n"
"  miniproc homework process-run -s 1 -l 3:50,3:50\n"
"  miniproc homework scheduler -p SJF -j 3 -s 100 -c\n"
"  miniproc homework scheduler -p RR -q 2 -l 10,20,30 -c\n"
"\n"
"Invalid input (a malformed -l or -P, an unknown -S, -I or -p, a seed\n"
"that is not a number) is a usage error, exit status 2.\n";

/* The options every simulator gains: ours, after the simulator's own. */
#define HW_COMMON_OPTS							\
	{ 'h', "help", HW_OPT_HELP, 0, NULL, "show this help", NULL, 0 },	\
	{ 0, "simulate", HW_OPT_FLAG, 1, NULL,				\
	  "answer as the simulator does (the default)", NULL, 0 },		\
	{ 0, "real", HW_OPT_FLAG, 1, NULL,				\
	  "run the workload on the kernel (not there yet)", NULL, 0 },		\
	{ 0, "tick", HW_OPT_STRING, 1, "DUR",				\
	  "one tick of the real run (like 10ms)", NULL, 0 },			\
	{ 0, "cpu", HW_OPT_STRING, 1, "N", "the CPU of the real run", NULL, 0 },	\
	{ 0, NULL, 0, 0, NULL, NULL, NULL, 0 }

/* Indexes into the tables below. */
enum { PR_SEED, PR_PROGRAM, PR_LIST, PR_IOLEN, PR_SWITCH, PR_IODONE, PR_SOLVE,
       PR_STATS, PR_HELP, PR_SIMULATE, PR_REAL, PR_TICK, PR_CPU };
enum { SC_SEED, SC_JOBS, SC_LIST, SC_MAXLEN, SC_POLICY, SC_QUANTUM, SC_SOLVE,
       SC_HELP, SC_SIMULATE, SC_REAL, SC_TICK, SC_CPU };

static const struct hw_opt prun_opts[] = {
	{ 's', "seed", HW_OPT_INT, 0, "SEED", "the random seed (default 0)", NULL, 0 },
	{ 'P', "program", HW_OPT_STRING, 0, "PROGRAM",
	  "more specific controls over programs: c7,i,c1:i,c2 is two processes, 7 ticks of CPU, an IO, 1 tick of CPU; then an IO, 2 ticks (wins over -l)", NULL, 0 },
	{ 'l', "processlist", HW_OPT_STRING, 0, "PROCESS_LIST",
	  "a comma-separated list of processes to run, X1:Y1,X2:Y2,...: X instructions, each using the CPU with a chance of Y percent, else issuing an IO", NULL, 0 },
	{ 'L', "iolength", HW_OPT_INT, 0, "IO_LENGTH",
	  "how long an IO takes (default 5)", NULL, 0 },
	{ 'S', "switch", HW_OPT_STRING, 0, "PROCESS_SWITCH_BEHAVIOR",
	  "when to switch between processes: SWITCH_ON_IO (default), SWITCH_ON_END", NULL, 0 },
	{ 'I', "iodone", HW_OPT_STRING, 0, "IO_DONE_BEHAVIOR",
	  "type of behavior when IO ends: IO_RUN_LATER (default), IO_RUN_IMMEDIATE", NULL, 0 },
	{ 'c', NULL, HW_OPT_FLAG, 0, NULL, "compute answers for me", NULL, 0 },
	{ 'p', "printstats", HW_OPT_FLAG, 0, NULL,
	  "print statistics at end; only useful with -c", NULL, 0 },
	HW_COMMON_OPTS,
};

static const struct hw_opt sched_opts[] = {
	{ 's', "seed", HW_OPT_INT, 0, "SEED", "the random seed (default 0)", NULL, 0 },
	{ 'j', "jobs", HW_OPT_INT, 0, "JOBS",
	  "number of jobs in the system (default 3)", NULL, 0 },
	{ 'l', "jlist", HW_OPT_STRING, 0, "JLIST",
	  "instead of random jobs, provide a comma-separated list of run times", NULL, 0 },
	{ 'm', "maxlen", HW_OPT_INT, 0, "MAXLEN", "max length of job (default 10)", NULL, 0 },
	{ 'p', "policy", HW_OPT_STRING, 0, "POLICY",
	  "sched policy to use: SJF, FIFO (default), RR", NULL, 0 },
	{ 'q', "quantum", HW_OPT_INT, 0, "QUANTUM",
	  "length of time slice for RR policy (default 1)", NULL, 0 },
	{ 'c', NULL, HW_OPT_FLAG, 0, NULL, "compute answers for me", NULL, 0 },
	HW_COMMON_OPTS,
};

/* --help of one simulator. */
static int hw_help(const char *name, const char *script, const struct hw_opt *o)
{
	printf("Usage: miniproc homework %s [OPTIONS] [--simulate | --real]\n\n"
	       "OSTEP's %s, with its options; --simulate prints what it\n"
	       "prints under Python 3.\n\nOptions:\n", name, script);
	hw_opt_print_help(stdout, o);
	printf("\nSee 'miniproc homework --help' for examples.\n");
	return EXIT_OK;
}

/* The options of both: --real is to come; --tick and --cpu must parse. */
static int hw_check_common(const char *cmd, const struct hw_opt *simulate,
			   const struct hw_opt *real, const struct hw_opt *tick,
			   const struct hw_opt *cpu)
{
	struct prog_error err;
	uint64_t ns;
	int n;

	if (real->given && simulate->given)
		return cli_usage_error(cmd, "--simulate and --real do not go together");
	if (tick->value && prog_parse_duration(tick->value, &ns, &err))
		return cli_usage_error(cmd, "bad tick '%s': %s", tick->value,
				       err.msg);
	if (cpu->value && cli_parse_cpu(cmd, cpu->value, &n))
		return EXIT_USAGE;
	if (real->given)
		return cli_usage_error(cmd, "--real is not there yet: this miniproc can only --simulate");
	return 0;
}

/* An int option as an int64_t in [min, max]; EXIT_USAGE if not. */
static int hw_int(const char *cmd, const struct hw_opt *o, const char *dflt,
		  int64_t min, int64_t max, int64_t *out)
{
	const char *text = o->value ? o->value : dflt;
	struct py_int v;
	int bad;

	if (py_int_parse_option(text, &v))
		return cli_usage_error(cmd, "'%s' is not an integer", text);
	bad = py_int_to_i64(&v, out) || *out < min || *out > max;
	py_int_free(&v);
	if (bad && max == INT64_MAX)
		return cli_usage_error(cmd, "option '-%c': %s is out of range: expected at least %lld",
				       o->short_name, text, (long long)min);
	if (bad)
		return cli_usage_error(cmd, "option '-%c': %s is out of range: expected %lld to %lld",
				       o->short_name, text, (long long)min,
				       (long long)max);
	return 0;
}

/* Seed @r from -s as random.seed(int) does; keeps the int in @seed. */
static int hw_seed(const char *cmd, const struct hw_opt *o, struct py_random *r,
		   struct py_int *seed)
{
	const char *text = o->value ? o->value : "0";
	uint32_t zero = 0;

	if (py_int_parse_option(text, seed))
		return cli_usage_error(cmd, "'%s' is not an integer seed", text);
	py_random_seed_words(r, seed->n ? seed->w : &zero, seed->n ? seed->n : 1);
	return 0;
}

/* The simulation's rows, printed as they come. */
static void prun_emit(const struct prun_row *row, size_t nprocs, void *arg)
{
	prun_print_row(arg, row, nprocs);
}

/* process-run's options into @cfg and @w; 0 or EXIT_USAGE. */
static int prun_setup(const char *cmd, struct hw_opt *o, struct prun_config *cfg,
		      struct prun_workload *w)
{
	const char *sw = o[PR_SWITCH].value, *io = o[PR_IODONE].value;
	const char *prog = o[PR_PROGRAM].value, *list = o[PR_LIST].value;
	char err[HW_ERR_LEN];
	struct py_random r;
	struct py_int seed;
	int ret;

	ret = hw_seed(cmd, &o[PR_SEED], &r, &seed);
	py_int_free(&seed);
	if (ret)
		return ret;
	if (sw && strcmp(sw, "SWITCH_ON_IO") && strcmp(sw, "SWITCH_ON_END"))
		return cli_usage_error(cmd, "unknown -S '%s': expected SWITCH_ON_IO or SWITCH_ON_END",
				       sw);
	if (io && strcmp(io, "IO_RUN_LATER") && strcmp(io, "IO_RUN_IMMEDIATE"))
		return cli_usage_error(cmd, "unknown -I '%s': expected IO_RUN_LATER or IO_RUN_IMMEDIATE",
				       io);
	cfg->switch_on_end = sw && !strcmp(sw, "SWITCH_ON_END");
	cfg->io_run_immediate = io && !strcmp(io, "IO_RUN_IMMEDIATE");
	if (hw_int(cmd, &o[PR_IOLEN], "5", 0, PRUN_MAX_IO_LENGTH,
		   &cfg->io_length))
		return EXIT_USAGE;
	if (prog && *prog) {
		/* -P wins; a -l beside it must still be well formed. */
		if (list && *list && prun_load_list(w, list, NULL, err, sizeof(err)))
			return cli_usage_error(cmd, "%s", err);
		if (prun_load_programs(w, prog, err, sizeof(err)))
			return cli_usage_error(cmd, "%s", err);
		return 0;
	}
	if (!list || !*list)
		return cli_usage_error(cmd, "expected processes: -l X:Y,... or -P PROGRAM");
	if (prun_load_list(w, list, &r, err, sizeof(err)))
		return cli_usage_error(cmd, "%s", err);
	return 0;
}

/* miniproc homework process-run. */
static int hw_process_run(int argc, char **argv)
{
	const char *cmd = "homework process-run";
	struct hw_opt o[HW_NOPTS(prun_opts)];
	struct prun_workload w = { NULL, 0 };
	struct prun_config cfg;
	struct prun_stats st;
	int ret;

	memcpy(o, prun_opts, sizeof(o));
	ret = hw_opt_parse(cmd, o, argc, argv);
	if (ret == HW_OPT_HELP_ASKED)
		return hw_help("process-run", "cpu-intro/process-run.py", o);
	if (!ret)
		ret = hw_check_common(cmd, &o[PR_SIMULATE], &o[PR_REAL],
				      &o[PR_TICK], &o[PR_CPU]);
	if (!ret)
		ret = prun_setup(cmd, o, &cfg, &w);
	if (ret)
		goto out;
	if (!o[PR_SOLVE].given) {
		prun_print_problem(stdout, &cfg, &w);
		goto out;
	}
	prun_print_header(stdout, w.nprocs);
	if (prun_simulate(&cfg, &w, prun_emit, stdout, &st)) {
		cli_error("%s: out of memory", cmd);
		ret = EXIT_FAIL;
	} else if (o[PR_STATS].given) {
		prun_print_stats(stdout, &st);
	}
out:
	prun_free(&w);
	return ret;
}

/* The trace's slices, printed as they come; @arg says RR or not. */
static void sched_emit(const struct schedsim_slice *sl, void *arg)
{
	schedsim_print_slice(stdout, sl, *(int *)arg);
}

/**
 * struct sched_setup - scheduler's options, checked
 * @policy:  -p
 * @quantum: -q
 * @maxlen:  -m
 * @jobs:    the jobs, from -l or drawn from -s, -j and -m
 * @n:       how many
 * @drawn:   they were drawn (lengths are ints)
 * @seed:    -s as str() prints it, for ARG seed
 */
struct sched_setup {
	enum schedsim_policy policy;
	int64_t quantum, maxlen;
	struct schedsim_job *jobs;
	long n;
	int drawn;
	char *seed;
};

/* scheduler's options into @st; 0 or EXIT_USAGE. */
static int sched_prepare(const char *cmd, struct hw_opt *o,
			 struct sched_setup *st)
{
	const char *policy = o[SC_POLICY].value ? o[SC_POLICY].value : "FIFO";
	const char *list = o[SC_LIST].value;
	char err[HW_ERR_LEN];
	int64_t jobs;
	struct py_random r;
	struct py_int seed;
	int ret;

	ret = hw_seed(cmd, &o[SC_SEED], &r, &seed);
	if (!ret)
		st->seed = py_int_str(&seed);
	py_int_free(&seed);
	if (ret)
		return ret;
	if (!strcmp(policy, "FIFO"))
		st->policy = SCHEDSIM_FIFO;
	else if (!strcmp(policy, "SJF"))
		st->policy = SCHEDSIM_SJF;
	else if (!strcmp(policy, "RR"))
		st->policy = SCHEDSIM_RR;
	else
		return cli_usage_error(cmd, "unknown policy '%s': expected SJF, FIFO or RR",
				       policy);
	if (hw_int(cmd, &o[SC_JOBS], "3", 1, SCHEDSIM_MAX_JOBS, &jobs) ||
	    hw_int(cmd, &o[SC_MAXLEN], "10", 1, INT64_MAX, &st->maxlen) ||
	    hw_int(cmd, &o[SC_QUANTUM], "1", 1, INT64_MAX, &st->quantum))
		return EXIT_USAGE;
	if (list && *list) {
		if (schedsim_parse_list(list, &st->jobs, &st->n, err, sizeof(err)))
			return cli_usage_error(cmd, "%s", err);
		return 0;
	}
	if ((double)jobs * (double)st->maxlen > SCHEDSIM_MAX_WORK)
		return cli_usage_error(cmd, "-j %lld jobs of up to -m %lld ticks: at most 2^53 ticks in all",
				       (long long)jobs, (long long)st->maxlen);
	if (!st->seed)
		return cli_usage_error(cmd, "the seed is too large to print (more than %d digits)",
				       PY_INT_MAX_STR_DIGITS);
	st->jobs = calloc(jobs, sizeof(*st->jobs));
	if (!st->jobs) {
		cli_error("%s: out of memory", cmd);
		return EXIT_FAIL;
	}
	st->n = jobs;
	st->drawn = 1;
	schedsim_draw_jobs(st->jobs, jobs, st->maxlen, &r);
	return 0;
}

/* What scheduler.py prints before the answers: its arguments, the jobs. */
static void sched_print_problem(const struct hw_opt *o,
				const struct sched_setup *st)
{
	printf("ARG policy %s\n", o[SC_POLICY].value ? o[SC_POLICY].value : "FIFO");
	if (st->drawn)
		printf("ARG jobs %ld\nARG maxlen %lld\nARG seed %s\n", st->n,
		       (long long)st->maxlen, st->seed);
	else
		printf("ARG jlist %s\n", o[SC_LIST].value);
	printf("\nHere is the job list, with the run time of each job: \n");
	schedsim_print_jobs(stdout, st->jobs, st->n, st->drawn);
	printf("\n\n");
}

/* miniproc homework scheduler. */
static int hw_scheduler(int argc, char **argv)
{
	const char *cmd = "homework scheduler";
	struct sched_setup st = { .jobs = NULL, .seed = NULL };
	struct hw_opt o[HW_NOPTS(sched_opts)];
	struct schedsim_stat *stats = NULL;
	int ret, rr;

	memcpy(o, sched_opts, sizeof(o));
	ret = hw_opt_parse(cmd, o, argc, argv);
	if (ret == HW_OPT_HELP_ASKED)
		return hw_help("scheduler", "cpu-sched/scheduler.py", o);
	if (!ret)
		ret = hw_check_common(cmd, &o[SC_SIMULATE], &o[SC_REAL],
				      &o[SC_TICK], &o[SC_CPU]);
	if (!ret)
		ret = sched_prepare(cmd, o, &st);
	if (ret)
		goto out;
	sched_print_problem(o, &st);
	if (!o[SC_SOLVE].given) {
		printf("Compute the turnaround time, response time, and wait time for each job.\n"
		       "When you are done, run this program again, with the same arguments,\n"
		       "but with -c, which will thus provide you with the answers. You can use\n"
		       "-s <somenumber> or your own job list (-l 10,15,20 for example)\n"
		       "to generate different problems for yourself.\n\n");
		goto out;
	}
	printf("** Solutions **\n\nExecution trace:\n");
	rr = st.policy == SCHEDSIM_RR;
	stats = calloc(st.n, sizeof(*stats));
	if (!stats || schedsim_simulate(st.policy, (double)st.quantum, st.jobs,
					st.n, sched_emit, &rr, stats)) {
		cli_error("%s: out of memory", cmd);
		ret = EXIT_FAIL;
		goto out;
	}
	schedsim_print_stats(stdout, stats, st.n);
out:
	free(stats);
	free(st.jobs);
	free(st.seed);
	return ret;
}

int cmd_homework(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("homework", "expected a simulator: process-run or scheduler");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cli_help(homework_usage);
	if (!strcmp(argv[1], "process-run"))
		return hw_process_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "scheduler"))
		return hw_scheduler(argc - 1, argv + 1);
	return cli_usage_error("homework", "unknown simulator '%s': expected process-run or scheduler",
			       argv[1]);
}
