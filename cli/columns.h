/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fields of a process record, declared once (columns.c) with their
 * text header, JSON key and status label, and the renderers that print
 * records from that one table: an aligned text table, a "Key: value" list
 * and JSON.
 */
#ifndef MINIPROC_COLUMNS_H
#define MINIPROC_COLUMNS_H

#include <stdio.h>
#include <linux/miniproc.h>

/*
 * In JSON order: the first thirteen are the JSON contract
 * (pid .. nivcsw), the rest may only be added after them. The columns
 * past COL_NR are not fields of a record but computed by a command for its
 * table (struct col_extra): status and JSON leave them out.
 */
enum col_id {
	COL_PID,
	COL_PPID,
	COL_UID,
	COL_NAME,
	COL_STATE,
	COL_CHAN,
	COL_KILLED,
	COL_SUSPENDED,
	COL_EXIT_STATUS,
	COL_CPU,
	COL_RUNTIME,
	COL_NVCSW,
	COL_NIVCSW,
	COL_TID,
	COL_AUTOREAP,
	COL_PINNED,
	COL_START_TIME,
	COL_NR_SCHED_IN,
	COL_NR_WAKEUPS,
	COL_NR_MIGRATIONS,
	COL_FORK_ERROR,
	COL_NR_CHILDREN,
	COL_NR_FORKS,
	COL_NR,			/* the fields of a record */
	COL_PCPU = COL_NR,	/* CPU%: struct col_extra.cpu_permille */
	COL_ALL
};

/**
 * struct col_extra - what a command computed for one row of its table
 * @cpu_permille: share of one CPU over the last interval, in tenths of a
 *                percent (COL_PCPU); negative if unknown
 * @tree:         drawn before the name (COL_NAME) to show the row's place
 *                in the process tree, or NULL
 */
struct col_extra {
	int cpu_permille;
	const char *tree;
};

/* The text header of a column ("PID"), and its JSON key ("pid"). */
const char *col_header(enum col_id id);
const char *col_key(enum col_id id);

/*
 * An aligned table of @cols, one row per record, with a header line.
 * @extra is NULL, or has one entry per record for the computed columns.
 */
void cols_print_table(FILE *out, const struct miniproc_info *recs,
		      const struct col_extra *extra, unsigned int nrecs,
		      const enum col_id *cols, unsigned int ncols);

/* Every field of one record, as aligned "Label: value" lines. */
void cols_print_status(FILE *out, const struct miniproc_info *p);

/* Every field of one record as a JSON object on one line, no newline. */
void cols_print_json_object(FILE *out, const struct miniproc_info *p);

/* A JSON array of objects, one per line, then a newline. */
void cols_print_json_array(FILE *out, const struct miniproc_info *recs,
			   unsigned int nrecs);

/* @s as a JSON string literal, quotes and escapes included. */
void json_print_string(FILE *out, const char *s);

#endif /* MINIPROC_COLUMNS_H */
