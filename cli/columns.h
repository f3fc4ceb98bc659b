/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fields of a process record, declared once (columns.c) with their
 * text header, JSON key, status label and description, and the renderers
 * that print records from that one table: a table (aligned, raw, pairs or a
 * tree, through libsmartcols), a "Key: value" list and JSON.
 */
#ifndef MINIPROC_COLUMNS_H
#define MINIPROC_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
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
 *
 * A tree is not drawn by a column but by the table: struct cols_style.
 */
struct col_extra {
	int cpu_permille;
};

/* The text header of a column ("PID"), and its JSON key ("pid"). */
const char *col_header(enum col_id id);
const char *col_key(enum col_id id);

/* Most columns one -o list may name (a column may be named twice). */
#define COLS_MAX	64

/* The column whose header is @name (@len bytes, any case) below @max, or COL_ALL. */
enum col_id col_find(const char *name, size_t len, enum col_id max);

/**
 * cols_parse() - the columns of an -o/--output list
 * @list:   "PID,name,State", or "+LIST": @defs, then LIST
 * @defs:   the command's default columns
 * @ndefs:  how many
 * @max:    the columns past this one are not the command's (COL_NR for ps)
 * @cols:   out: room for COLS_MAX
 * @ncols:  out: how many
 * @why:    out: on error, what is wrong, as words
 * @whylen: its size
 *
 * Return: 0, or -1 with @why set (an unknown or empty name, too many).
 */
int cols_parse(const char *list, const enum col_id *defs, unsigned int ndefs,
	       enum col_id max, enum col_id *cols, unsigned int *ncols,
	       char *why, size_t whylen);

/* Every column below @max, in order, into @cols; returns how many. */
unsigned int cols_all(enum col_id max, enum col_id *cols);

/* "Columns:" and a line per column below @max, for --help. */
void cols_print_help(FILE *out, enum col_id max);

/* How cols_print() lays a table out. */
enum cols_format {
	COLS_TABLE,	/* aligned columns, like lsblk */
	COLS_RAW,	/* values separated by one space, like lsblk -r */
	COLS_PAIRS,	/* NAME="value" pairs, like lsblk -P */
};

/**
 * struct cols_style - the options of a table
 * @format:     one of enum cols_format
 * @noheadings: no header line
 * @parent:     NULL, or a tree: for each row, the index of its parent row
 *              (an earlier one) or -1 for a root; drawn in the NAME column
 * @utf8:       draw the tree with box-drawing characters, else ASCII
 */
struct cols_style {
	enum cols_format format;
	bool noheadings;
	const int *parent;
	bool utf8;
};

/*
 * @recs as a table of @cols, one row per record. @extra is NULL, or has one
 * entry per record for the computed columns. Returns 0 or -errno.
 */
int cols_print(FILE *out, const struct miniproc_info *recs,
	       const struct col_extra *extra, unsigned int nrecs,
	       const enum col_id *cols, unsigned int ncols,
	       const struct cols_style *st);

/* cols_print() as an aligned table with its header line. */
void cols_print_table(FILE *out, const struct miniproc_info *recs,
		      const struct col_extra *extra, unsigned int nrecs,
		      const enum col_id *cols, unsigned int ncols);

/* Every field of one record, as aligned "Label: value" lines. */
void cols_print_status(FILE *out, const struct miniproc_info *p);

/*
 * The fields @cols of one record, as aligned "Label: value" lines, or
 * the values alone (!@labels).
 */
void cols_print_status_cols(FILE *out, const struct miniproc_info *p,
			    const enum col_id *cols, unsigned int ncols,
			    bool labels);

/*
 * The fields @cols (those with a JSON key) of one record as a JSON object
 * on one line, no newline; and an array of them, as below.
 */
void cols_print_json_cols(FILE *out, const struct miniproc_info *p,
			  const enum col_id *cols, unsigned int ncols);
void cols_print_json_array_cols(FILE *out, const struct miniproc_info *recs,
				unsigned int nrecs, const enum col_id *cols,
				unsigned int ncols);

/* Every field of one record as a JSON object on one line, no newline. */
void cols_print_json_object(FILE *out, const struct miniproc_info *p);

/* A JSON array of objects, one per line, then a newline. */
void cols_print_json_array(FILE *out, const struct miniproc_info *recs,
			   unsigned int nrecs);

/* @s as a JSON string literal, quotes and escapes included. */
void json_print_string(FILE *out, const char *s);

#endif /* MINIPROC_COLUMNS_H */
