/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options parsed as Python's optparse parses them, so that a command line
 * written for OSTEP's simulators works unchanged: clustered short flags
 * (-cp), a short option's value attached or next (-s5, -s 5), --opt=value
 * and --opt value, a unique prefix of a long option (--proc), the value
 * taken even if it starts with '-', the last of repeated options winning.
 */
#ifndef MINIPROC_CLI_HW_OPT_H
#define MINIPROC_CLI_HW_OPT_H

#include <stdio.h>

enum hw_opt_type {
	HW_OPT_FLAG,	/* store_true */
	HW_OPT_STRING,	/* type="string" */
	HW_OPT_INT,	/* type="int": Python's int with optparse's bases */
	HW_OPT_HELP,	/* -h, --help */
};

/* hw_opt_parse()'s answer when -h or --help came first. */
#define HW_OPT_HELP_ASKED	(-1)

/**
 * struct hw_opt - one option of a simulator, or of miniproc
 * @short_name: the letter after '-', or 0
 * @long_name:  the name after "--", or NULL
 * @type:       what it takes
 * @ours:       miniproc's, not the simulator's: a prefix matches it only if
 *              it matches none of the simulator's, so that every prefix
 *              the simulator takes means what it means there
 * @metavar:    the value's name in --help
 * @help:       one line for --help
 * @value:      set by hw_opt_parse(): the last value given, or NULL
 * @given:      set by hw_opt_parse(): how many times it was given
 */
struct hw_opt {
	char short_name;
	const char *long_name;
	enum hw_opt_type type;
	int ours;
	const char *metavar;
	const char *help;
	const char *value;
	int given;
};

/*
 * Parse argv[1..argc) into @opts (ended by an entry with neither name).
 * Returns 0, HW_OPT_HELP_ASKED, or EXIT_USAGE after saying why for @cmd
 * (an unknown or ambiguous option, a missing value, a value that is not an
 * int, an argument that is no option).
 */
int hw_opt_parse(const char *cmd, struct hw_opt *opts, int argc, char **argv);

/* The options' lines of --help: "  -s SEED, --seed=SEED  the random seed". */
void hw_opt_print_help(FILE *out, const struct hw_opt *opts);

#endif /* MINIPROC_CLI_HW_OPT_H */
