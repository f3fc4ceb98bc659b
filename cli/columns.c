// SPDX-License-Identifier: GPL-2.0
/*
 * The fields of a process record and their renderers. See columns.h.
 * Tables, raw lines, pairs and trees are libsmartcols's, as in lsblk;
 * JSON is written here, so that its shape stays the one scripts know.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libsmartcols.h>

#include "units.h"
#include "cli.h"
#include "columns.h"
#include "libminiproc.h"
#include "users.h"


/* Where a value is going: a table cell, a status line, or JSON. */
enum col_style {
	STYLE_TABLE,
	STYLE_STATUS,
	STYLE_JSON,
};

/* What a formatter wrote for STYLE_JSON (the other styles are plain text). */
enum json_kind {
	JSON_NUMBER,	/* a number literal */
	JSON_STRING,	/* raw text, to be quoted and escaped */
	JSON_BOOL,	/* "true" or "false" */
	JSON_NULL,	/* nothing; printed as null */
};

#define COLF_RIGHT	(1U << 0)	/* right-align in a table */

/* Longest text of one cell: a name (15 characters), or a status sentence. */
#define COL_CELL_LEN	256

/* Writes one value of @p (and @x, which may be NULL) for @style. */
typedef enum json_kind col_fmt_t(const struct miniproc_info *p,
				 const struct col_extra *x,
				 enum col_style style, char *buf, size_t len);

/**
 * struct colinfo - one field of a process record
 * @header: text table header
 * @key:    JSON key
 * @label:  label in the "Key: value" list of `miniproc status`
 * @flags:  COLF_* flags
 * @fmt:    writes the value for a style
 * @desc:   what it shows, for --help
 */
struct colinfo {
	const char *header;
	const char *key;
	const char *label;
	unsigned int flags;
	col_fmt_t *fmt;
	const char *desc;
};

#define COL_NUMBER(field, fmtstr, type)					\
static enum json_kind col_##field(const struct miniproc_info *p,	\
				  const struct col_extra *x,		\
				  enum col_style style, char *buf,	\
				  size_t len)				\
{									\
	(void)x;							\
	(void)style;							\
	snprintf(buf, len, fmtstr, (type)p->field);			\
	return JSON_NUMBER;						\
}

COL_NUMBER(pid, "%d", int)
COL_NUMBER(ppid, "%d", int)
COL_NUMBER(nvcsw, "%llu", unsigned long long)
COL_NUMBER(nivcsw, "%llu", unsigned long long)
COL_NUMBER(nr_sched_in, "%llu", unsigned long long)
COL_NUMBER(nr_wakeups, "%llu", unsigned long long)
COL_NUMBER(nr_migrations, "%llu", unsigned long long)
COL_NUMBER(nr_children, "%u", unsigned int)
COL_NUMBER(nr_forks, "%llu", unsigned long long)

#define COL_FLAG(name, flag)						\
static enum json_kind col_##name(const struct miniproc_info *p,	\
				 const struct col_extra *x,		\
				 enum col_style style, char *buf,	\
				 size_t len)				\
{									\
	int set = !!(p->flags & (flag));				\
									\
	(void)x;							\
	if (style == STYLE_JSON)					\
		snprintf(buf, len, "%s", set ? "true" : "false");	\
	else								\
		snprintf(buf, len, "%s", set ? "yes" : "no");		\
	return JSON_BOOL;						\
}

COL_FLAG(killed, MINIPROC_INFO_KILLED)
COL_FLAG(suspended, MINIPROC_INFO_SUSPENDED)
COL_FLAG(autoreap, MINIPROC_INFO_AUTOREAP)
COL_FLAG(pinned, MINIPROC_INFO_PINNED)

/* Copy a kernel string, '?' for anything a terminal should not see. */
static void col_copy_text(char *buf, size_t len, const char *s, size_t max)
{
	size_t i;

	for (i = 0; i + 1 < len && i < max && s[i]; i++)
		buf[i] = (s[i] >= ' ' && s[i] <= '~') ? s[i] : '?';
	buf[i] = '\0';
}

static enum json_kind col_uid(const struct miniproc_info *p,
			      const struct col_extra *x,
			      enum col_style style, char *buf, size_t len)
{
	const char *name = style == STYLE_JSON ? NULL : user_name(p->uid);

	(void)x;
	if (!name)
		snprintf(buf, len, "%u", p->uid);
	else if (style == STYLE_STATUS)
		snprintf(buf, len, "%s (uid %u)", name, p->uid);
	else
		snprintf(buf, len, "%s", name);
	return JSON_NUMBER;
}

static enum json_kind col_name(const struct miniproc_info *p,
			       const struct col_extra *x,
			       enum col_style style, char *buf, size_t len)
{
	(void)x;
	if (style == STYLE_JSON)
		snprintf(buf, len, "%.*s", (int)sizeof(p->name), p->name);
	else
		col_copy_text(buf, len, p->name, sizeof(p->name));
	return JSON_STRING;
}

static enum json_kind col_state(const struct miniproc_info *p,
				const struct col_extra *x,
				enum col_style style, char *buf, size_t len)
{
	(void)x;
	snprintf(buf, len, "%s", style == STYLE_JSON ?
		 mp_state_name_lower(p->state) : mp_state_name(p->state));
	return JSON_STRING;
}

/* The wait channel means something only while SLEEPING. */
static enum json_kind col_chan(const struct miniproc_info *p,
			       const struct col_extra *x,
			       enum col_style style, char *buf, size_t len)
{
	(void)x;
	if (p->state != MINIPROC_SLEEPING || !p->chan[0])
		snprintf(buf, len, "%s", style == STYLE_JSON ? "" : "-");
	else if (style == STYLE_JSON)
		snprintf(buf, len, "%.*s", (int)sizeof(p->chan), p->chan);
	else
		col_copy_text(buf, len, p->chan, sizeof(p->chan));
	return JSON_STRING;
}

static enum json_kind col_exit_status(const struct miniproc_info *p,
				      const struct col_extra *x,
				      enum col_style style, char *buf,
				      size_t len)
{
	(void)x;
	if (!(p->flags & MINIPROC_INFO_EXITED)) {
		snprintf(buf, len, "-");
		return JSON_NULL;
	}
	if (style == STYLE_STATUS &&
	    p->exit_status == MINIPROC_EXIT_STATUS_KILLED)
		snprintf(buf, len, "%d (killed)", p->exit_status);
	else
		snprintf(buf, len, "%d", p->exit_status);
	return JSON_NUMBER;
}

static enum json_kind col_cpu(const struct miniproc_info *p,
			      const struct col_extra *x,
			      enum col_style style, char *buf, size_t len)
{
	(void)x;
	(void)style;
	if (p->cpu < 0) {
		snprintf(buf, len, "-");
		return JSON_NULL;
	}
	snprintf(buf, len, "%d", p->cpu);
	return JSON_NUMBER;
}

static enum json_kind col_runtime(const struct miniproc_info *p,
				  const struct col_extra *x,
				  enum col_style style, char *buf, size_t len)
{
	unsigned long long ns = p->runtime_ns;

	(void)x;
	if (style == STYLE_JSON)
		snprintf(buf, len, "%llu", ns);
	else if (style == STYLE_STATUS)
		snprintf(buf, len, "%llu.%09llu s", ns / NSEC_PER_SEC,
			 ns % NSEC_PER_SEC);
	else
		snprintf(buf, len, "%llu.%03llu", ns / NSEC_PER_SEC,
			 ns % NSEC_PER_SEC / NSEC_PER_MSEC);
	return JSON_NUMBER;
}

static enum json_kind col_tid(const struct miniproc_info *p,
			      const struct col_extra *x,
			      enum col_style style, char *buf, size_t len)
{
	(void)x;
	if (style != STYLE_JSON && !p->tid)
		snprintf(buf, len, "- (ended)");
	else
		snprintf(buf, len, "%d", p->tid);
	return JSON_NUMBER;
}

static enum json_kind col_start_time(const struct miniproc_info *p,
				     const struct col_extra *x,
				     enum col_style style, char *buf,
				     size_t len)
{
	unsigned long long ns = p->start_time_ns, now, ago;
	struct timespec ts;

	(void)x;
	if (style != STYLE_STATUS) {
		snprintf(buf, len, "%llu", ns);
		return JSON_NUMBER;
	}
	clock_gettime(CLOCK_BOOTTIME, &ts);
	now = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	ago = now > ns ? now - ns : 0;
	snprintf(buf, len, "%llu.%06llu s after boot (%llu.%03llu s ago)",
		 ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000,
		 ago / NSEC_PER_SEC, ago % NSEC_PER_SEC / NSEC_PER_MSEC);
	return JSON_NUMBER;
}

static enum json_kind col_fork_error(const struct miniproc_info *p,
				     const struct col_extra *x,
				     enum col_style style, char *buf,
				     size_t len)
{
	(void)x;
	if (style == STYLE_STATUS && !p->fork_error)
		snprintf(buf, len, "none");
	else if (style == STYLE_STATUS)
		cli_fork_cause(buf, len, p->fork_error);
	else
		snprintf(buf, len, "%d", p->fork_error);
	return JSON_NUMBER;
}

/* CPU% with one decimal: "12.5"; "-" before there are two samples. */
static enum json_kind col_pcpu(const struct miniproc_info *p,
			       const struct col_extra *x,
			       enum col_style style, char *buf, size_t len)
{
	(void)p;
	(void)style;
	if (!x || x->cpu_permille < 0) {
		snprintf(buf, len, "-");
		return JSON_NULL;
	}
	snprintf(buf, len, "%d.%d", x->cpu_permille / 10,
		 x->cpu_permille % 10);
	return JSON_NUMBER;
}

static const struct colinfo colinfos[COL_ALL] = {
	[COL_PID]	  = { "PID", "pid", "Pid", COLF_RIGHT, col_pid,
			      "its pid" },
	[COL_PPID]	  = { "PPID", "ppid", "Parent pid", COLF_RIGHT, col_ppid,
			      "its parent's pid (0: created by a user)" },
	[COL_UID]	  = { "USER", "uid", "User", 0, col_uid,
			      "its owner, by name if the system knows one (JSON: uid)" },
	[COL_NAME]	  = { "NAME", "name", "Name", 0, col_name,
			      "its name" },
	[COL_STATE]	  = { "STATE", "state", "State", 0, col_state,
			      "EMBRYO, SLEEPING, RUNNABLE, RUNNING or ZOMBIE" },
	[COL_CHAN]	  = { "CHAN", "chan", "Wait channel", 0, col_chan,
			      "what it sleeps on, while SLEEPING" },
	[COL_KILLED]	  = { "KILLED", "killed", "Killed", 0, col_killed,
			      "killed, and not yet exited: yes or no" },
	[COL_SUSPENDED]	  = { "SUSP", "suspended", "Suspended", 0,
			      col_suspended,
			      "suspended: yes or no" },
	[COL_EXIT_STATUS] = { "EXIT", "exit_status", "Exit status", COLF_RIGHT,
			      col_exit_status,
			      "its exit status, once a zombie" },
	[COL_CPU]	  = { "CPU", "cpu", "CPU", COLF_RIGHT, col_cpu,
			      "the CPU it is on or last ran on" },
	[COL_RUNTIME]	  = { "TIME", "runtime_ns", "Runtime", COLF_RIGHT,
			      col_runtime,
			      "CPU time used, in seconds" },
	[COL_NVCSW]	  = { "NVCSW", "nvcsw", "Voluntary switches",
			      COLF_RIGHT, col_nvcsw,
			      "voluntary context switches (it blocked)" },
	[COL_NIVCSW]	  = { "NIVCSW", "nivcsw", "Involuntary switches",
			      COLF_RIGHT, col_nivcsw,
			      "involuntary context switches (preempted, or yielded)" },
	[COL_TID]	  = { "TID", "tid", "Thread id", COLF_RIGHT, col_tid,
			      "the id of its kernel thread" },
	[COL_AUTOREAP]	  = { "AUTOREAP", "autoreap", "Autoreap", 0,
			      col_autoreap,
			      "reaped by the module when it exits: yes or no" },
	[COL_PINNED]	  = { "PINNED", "pinned", "Pinned", 0, col_pinned,
			      "pinned to a CPU: yes or no" },
	[COL_START_TIME]  = { "START", "start_time_ns", "Start time",
			      COLF_RIGHT, col_start_time,
			      "when it started, in ns after boot" },
	[COL_NR_SCHED_IN] = { "SCHEDIN", "nr_sched_in", "Times scheduled in",
			      COLF_RIGHT, col_nr_sched_in,
			      "times it was scheduled in" },
	[COL_NR_WAKEUPS]  = { "WAKEUPS", "nr_wakeups", "Wakeups", COLF_RIGHT,
			      col_nr_wakeups,
			      "times it was woken up" },
	[COL_NR_MIGRATIONS] = { "MIGR", "nr_migrations", "Migrations",
				COLF_RIGHT, col_nr_migrations,
			      "times it moved to another CPU" },
	[COL_FORK_ERROR]  = { "FORKERR", "fork_error", "Fork error", COLF_RIGHT,
			      col_fork_error,
			      "errno of its last failed fork, or 0" },
	[COL_NR_CHILDREN] = { "CHILDREN", "nr_children", "Children (unreaped)",
			      COLF_RIGHT, col_nr_children,
			      "children not yet reaped" },
	[COL_NR_FORKS]	  = { "FORKS", "nr_forks", "Children started",
			      COLF_RIGHT, col_nr_forks,
			      "children it started" },
	[COL_PCPU]	  = { "CPU%", NULL, NULL, COLF_RIGHT, col_pcpu,
			      "share of one CPU over the last interval (top only)" },
};

const char *col_header(enum col_id id)
{
	return colinfos[id].header;
}

const char *col_key(enum col_id id)
{
	return colinfos[id].key;
}

enum col_id col_find(const char *name, size_t len, enum col_id max)
{
	unsigned int c;

	for (c = 0; c < (unsigned int)max && c < COL_ALL; c++)
		if (strlen(colinfos[c].header) == len &&
		    !strncasecmp(colinfos[c].header, name, len))
			return (enum col_id)c;
	return COL_ALL;
}

int cols_parse(const char *list, const enum col_id *defs, unsigned int ndefs,
	       enum col_id max, enum col_id *cols, unsigned int *ncols,
	       char *why, size_t whylen)
{
	const char *name = list, *end;
	unsigned int n = 0;
	enum col_id id;
	size_t len;

	if (*name == '+') {
		for (n = 0; n < ndefs && n < COLS_MAX; n++)
			cols[n] = defs[n];
		name++;
	}
	for (;;) {
		end = strchr(name, ',');
		len = end ? (size_t)(end - name) : strlen(name);
		if (!len) {
			snprintf(why, whylen, "an empty column name in '%s'",
				 list);
			return -1;
		}
		id = col_find(name, len, max);
		if (id == COL_ALL) {
			snprintf(why, whylen, "unknown column '%.*s' (--help lists them)",
				 (int)len, name);
			return -1;
		}
		if (n == COLS_MAX) {
			snprintf(why, whylen, "more than %d columns in '%s'",
				 COLS_MAX, list);
			return -1;
		}
		cols[n++] = id;
		if (!end)
			break;
		name = end + 1;
	}
	*ncols = n;
	return 0;
}

unsigned int cols_all(enum col_id max, enum col_id *cols)
{
	unsigned int c;

	for (c = 0; c < (unsigned int)max && c < COL_ALL; c++)
		cols[c] = (enum col_id)c;
	return c;
}

void cols_print_help(FILE *out, enum col_id max)
{
	unsigned int c;

	fputs("\nColumns (for -o; names in any case):\n", out);
	for (c = 0; c < (unsigned int)max && c < COL_ALL; c++)
		fprintf(out, "  %-9s %s\n", colinfos[c].header,
			colinfos[c].desc);
}

/* The tree glyphs, lsblk's: two columns a level. */
static int cols_set_tree_symbols(struct libscols_table *tb, bool utf8)
{
	struct libscols_symbols *sy = scols_new_symbols();
	int ret;

	if (!sy)
		return -ENOMEM;
	if (utf8)
		ret = scols_symbols_set_branch(sy, "\u251c\u2500") ?:
		      scols_symbols_set_right(sy, "\u2514\u2500") ?:
		      scols_symbols_set_vertical(sy, "\u2502 ");
	else
		ret = scols_symbols_set_branch(sy, "|-") ?:
		      scols_symbols_set_right(sy, "`-") ?:
		      scols_symbols_set_vertical(sy, "| ");
	if (!ret)
		ret = scols_table_set_symbols(tb, sy);
	scols_unref_symbols(sy);
	return ret;
}

/* The table with its columns and its style, no lines yet; or NULL. */
static struct libscols_table *cols_new_table(FILE *out,
					     const enum col_id *cols,
					     unsigned int ncols,
					     const struct cols_style *st)
{
	struct libscols_table *tb = scols_new_table();
	unsigned int c;
	int flags;

	if (!tb)
		return NULL;
	scols_table_set_stream(tb, out);
	scols_table_enable_noheadings(tb, st->noheadings);
	scols_table_enable_raw(tb, st->format == COLS_RAW);
	scols_table_enable_export(tb, st->format == COLS_PAIRS);
	/* CPU% and the like as CPU_PCT="..." in pairs, like lsblk -P. */
	scols_table_enable_shellvar(tb, st->format == COLS_PAIRS);
	if (st->parent && cols_set_tree_symbols(tb, st->utf8))
		goto fail;
	for (c = 0; c < ncols; c++) {
		flags = colinfos[cols[c]].flags & COLF_RIGHT ? SCOLS_FL_RIGHT : 0;
		if (st->parent && cols[c] == COL_NAME)
			flags |= SCOLS_FL_TREE;
		if (!scols_table_new_column(tb, colinfos[cols[c]].header, 0,
					    flags))
			goto fail;
	}
	return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}

int cols_print(FILE *out, const struct miniproc_info *recs,
	       const struct col_extra *extra, unsigned int nrecs,
	       const enum col_id *cols, unsigned int ncols,
	       const struct cols_style *st)
{
	struct libscols_line **lines = calloc(nrecs ? nrecs : 1,
					      sizeof(*lines));
	struct libscols_table *tb = NULL;
	char cell[COL_CELL_LEN];
	unsigned int r, c;
	int ret = -ENOMEM, up;

	if (!lines)
		return -ENOMEM;
	tb = cols_new_table(out, cols, ncols, st);
	if (!tb)
		goto out;
	for (r = 0; r < nrecs; r++) {
		up = st->parent ? st->parent[r] : -1;
		lines[r] = scols_table_new_line(tb, up >= 0 && (unsigned int)up < r ?
						lines[up] : NULL);
		if (!lines[r])
			goto out;
		for (c = 0; c < ncols; c++) {
			colinfos[cols[c]].fmt(&recs[r], extra ? &extra[r] : NULL,
					      STYLE_TABLE, cell, sizeof(cell));
			if (scols_line_set_data(lines[r], c, cell))
				goto out;
		}
	}
	ret = scols_print_table(tb);
	if (ret > 0)
		ret = -ret;
out:
	scols_unref_table(tb);
	free(lines);
	return ret;
}

void cols_print_table(FILE *out, const struct miniproc_info *recs,
		      const struct col_extra *extra, unsigned int nrecs,
		      const enum col_id *cols, unsigned int ncols)
{
	const struct cols_style st = { .format = COLS_TABLE };

	cols_print(out, recs, extra, nrecs, cols, ncols, &st);
}

void cols_print_status(FILE *out, const struct miniproc_info *p)
{
	enum col_id cols[COL_NR];

	cols_print_status_cols(out, p, cols, cols_all(COL_NR, cols), true);
}

void cols_print_status_cols(FILE *out, const struct miniproc_info *p,
			    const enum col_id *cols, unsigned int ncols,
			    bool labels)
{
	char buf[COL_CELL_LEN];
	int width = 0, len;
	unsigned int c;

	for (c = 0; c < ncols; c++) {
		len = (int)strlen(colinfos[cols[c]].label);
		if (len > width)
			width = len;
	}
	for (c = 0; c < ncols; c++) {
		colinfos[cols[c]].fmt(p, NULL, STYLE_STATUS, buf, sizeof(buf));
		if (!labels) {
			fprintf(out, "%s\n", buf);
			continue;
		}
		fprintf(out, "%s:%*s %s\n", colinfos[cols[c]].label,
			width - (int)strlen(colinfos[cols[c]].label), "", buf);
	}
}

void json_print_string(FILE *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	fputc('"', out);
	for (; *u; u++) {
		switch (*u) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			/* Bytes past ASCII as code points: always valid JSON. */
			if (*u < 0x20 || *u >= 0x7f)
				fprintf(out, "\\u%04x", *u);
			else
				fputc(*u, out);
		}
	}
	fputc('"', out);
}

void cols_print_json_cols(FILE *out, const struct miniproc_info *p,
			  const enum col_id *cols, unsigned int ncols)
{
	char buf[COL_CELL_LEN];
	enum json_kind kind;
	unsigned int c, shown = 0;

	fputc('{', out);
	for (c = 0; c < ncols; c++) {
		if (!colinfos[cols[c]].key)
			continue;	/* computed by a command: no key */
		kind = colinfos[cols[c]].fmt(p, NULL, STYLE_JSON, buf,
					     sizeof(buf));
		fprintf(out, "%s\"%s\": ", shown++ ? ", " : "",
			colinfos[cols[c]].key);
		if (kind == JSON_STRING)
			json_print_string(out, buf);
		else if (kind == JSON_NULL)
			fputs("null", out);
		else
			fputs(buf, out);
	}
	fputc('}', out);
}

void cols_print_json_object(FILE *out, const struct miniproc_info *p)
{
	enum col_id cols[COL_NR];

	cols_print_json_cols(out, p, cols, cols_all(COL_NR, cols));
}

void cols_print_json_array_cols(FILE *out, const struct miniproc_info *recs,
				unsigned int nrecs, const enum col_id *cols,
				unsigned int ncols)
{
	unsigned int r;

	if (!nrecs) {
		fputs("[]\n", out);
		return;
	}
	fputs("[\n", out);
	for (r = 0; r < nrecs; r++) {
		fputs("  ", out);
		cols_print_json_cols(out, &recs[r], cols, ncols);
		fputs(r + 1 < nrecs ? ",\n" : "\n", out);
	}
	fputs("]\n", out);
}

void cols_print_json_array(FILE *out, const struct miniproc_info *recs,
			   unsigned int nrecs)
{
	enum col_id cols[COL_NR];

	cols_print_json_array_cols(out, recs, nrecs, cols,
				   cols_all(COL_NR, cols));
}
