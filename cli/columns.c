// SPDX-License-Identifier: GPL-2.0
/*
 * The fields of a process record and their renderers. See columns.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/*
 * Longest text of one cell: a name (15 characters) after tree glyphs (three
 * characters, up to three bytes each, per level), or a status sentence.
 */
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
 */
struct colinfo {
	const char *header;
	const char *key;
	const char *label;
	unsigned int flags;
	col_fmt_t *fmt;
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
	size_t pre = 0;

	if (style == STYLE_JSON) {
		snprintf(buf, len, "%.*s", (int)sizeof(p->name), p->name);
		return JSON_STRING;
	}
	if (style == STYLE_TABLE && x && x->tree)
		pre = (size_t)snprintf(buf, len, "%s", x->tree);
	if (pre < len)
		col_copy_text(buf + pre, len - pre, p->name, sizeof(p->name));
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
	[COL_PID]	  = { "PID", "pid", "Pid", COLF_RIGHT, col_pid },
	[COL_PPID]	  = { "PPID", "ppid", "Parent pid", COLF_RIGHT, col_ppid },
	[COL_UID]	  = { "USER", "uid", "User", 0, col_uid },
	[COL_NAME]	  = { "NAME", "name", "Name", 0, col_name },
	[COL_STATE]	  = { "STATE", "state", "State", 0, col_state },
	[COL_CHAN]	  = { "CHAN", "chan", "Wait channel", 0, col_chan },
	[COL_KILLED]	  = { "KILLED", "killed", "Killed", 0, col_killed },
	[COL_SUSPENDED]	  = { "SUSP", "suspended", "Suspended", 0,
			      col_suspended },
	[COL_EXIT_STATUS] = { "EXIT", "exit_status", "Exit status", COLF_RIGHT,
			      col_exit_status },
	[COL_CPU]	  = { "CPU", "cpu", "CPU", COLF_RIGHT, col_cpu },
	[COL_RUNTIME]	  = { "TIME", "runtime_ns", "Runtime", COLF_RIGHT,
			      col_runtime },
	[COL_NVCSW]	  = { "NVCSW", "nvcsw", "Voluntary switches",
			      COLF_RIGHT, col_nvcsw },
	[COL_NIVCSW]	  = { "NIVCSW", "nivcsw", "Involuntary switches",
			      COLF_RIGHT, col_nivcsw },
	[COL_TID]	  = { "TID", "tid", "Thread id", COLF_RIGHT, col_tid },
	[COL_AUTOREAP]	  = { "AUTOREAP", "autoreap", "Autoreap", 0,
			      col_autoreap },
	[COL_PINNED]	  = { "PINNED", "pinned", "Pinned", 0, col_pinned },
	[COL_START_TIME]  = { "START", "start_time_ns", "Start time",
			      COLF_RIGHT, col_start_time },
	[COL_NR_SCHED_IN] = { "SCHEDIN", "nr_sched_in", "Times scheduled in",
			      COLF_RIGHT, col_nr_sched_in },
	[COL_NR_WAKEUPS]  = { "WAKEUPS", "nr_wakeups", "Wakeups", COLF_RIGHT,
			      col_nr_wakeups },
	[COL_NR_MIGRATIONS] = { "MIGR", "nr_migrations", "Migrations",
				COLF_RIGHT, col_nr_migrations },
	[COL_FORK_ERROR]  = { "FORKERR", "fork_error", "Fork error", COLF_RIGHT,
			      col_fork_error },
	[COL_NR_CHILDREN] = { "CHILDREN", "nr_children", "Children (unreaped)",
			      COLF_RIGHT, col_nr_children },
	[COL_NR_FORKS]	  = { "FORKS", "nr_forks", "Children started",
			      COLF_RIGHT, col_nr_forks },
	[COL_PCPU]	  = { "CPU%", NULL, NULL, COLF_RIGHT, col_pcpu },
};

const char *col_header(enum col_id id)
{
	return colinfos[id].header;
}

const char *col_key(enum col_id id)
{
	return colinfos[id].key;
}

/* Display width of UTF-8 text: bytes that do not continue a character. */
static size_t col_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

void cols_print_table(FILE *out, const struct miniproc_info *recs,
		      const struct col_extra *extra, unsigned int nrecs,
		      const enum col_id *cols, unsigned int ncols)
{
	char (*cells)[COL_CELL_LEN];
	size_t width[COL_ALL] = { 0 };
	unsigned int r, c;
	const char *text;
	int w, last;

	if (ncols > COL_ALL)
		ncols = COL_ALL;
	cells = calloc((size_t)(nrecs + 1) * ncols, sizeof(*cells));
	if (!cells)
		return;
	for (c = 0; c < ncols; c++) {
		snprintf(cells[c], COL_CELL_LEN, "%s", colinfos[cols[c]].header);
		width[c] = strlen(cells[c]);
	}
	for (r = 1; r <= nrecs; r++) {
		for (c = 0; c < ncols; c++) {
			char *cell = cells[r * ncols + c];

			colinfos[cols[c]].fmt(&recs[r - 1],
					      extra ? &extra[r - 1] : NULL,
					      STYLE_TABLE, cell, COL_CELL_LEN);
			if (col_width(cell) > width[c])
				width[c] = col_width(cell);
		}
	}
	for (r = 0; r <= nrecs; r++) {
		for (c = 0; c < ncols; c++) {
			text = cells[r * ncols + c];
			w = (int)width[c];
			last = c + 1 == ncols;
			/* printf pads by bytes; pad by characters. */
			w -= (int)col_width(text);
			if (colinfos[cols[c]].flags & COLF_RIGHT)
				fprintf(out, "%*s%s", w, "", text);
			else
				fprintf(out, "%s%*s", text, last ? 0 : w, "");
			fputs(last ? "\n" : " ", out);
		}
	}
	free(cells);
}

void cols_print_status(FILE *out, const struct miniproc_info *p)
{
	char buf[COL_CELL_LEN];
	int width = 0, len;
	unsigned int c;

	for (c = 0; c < COL_NR; c++) {
		len = (int)strlen(colinfos[c].label);
		if (len > width)
			width = len;
	}
	for (c = 0; c < COL_NR; c++) {
		colinfos[c].fmt(p, NULL, STYLE_STATUS, buf, sizeof(buf));
		fprintf(out, "%s:%*s %s\n", colinfos[c].label,
			width - (int)strlen(colinfos[c].label), "", buf);
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

void cols_print_json_object(FILE *out, const struct miniproc_info *p)
{
	char buf[COL_CELL_LEN];
	enum json_kind kind;
	unsigned int c;

	fputc('{', out);
	for (c = 0; c < COL_NR; c++) {
		kind = colinfos[c].fmt(p, NULL, STYLE_JSON, buf, sizeof(buf));
		fprintf(out, "%s\"%s\": ", c ? ", " : "", colinfos[c].key);
		if (kind == JSON_STRING)
			json_print_string(out, buf);
		else if (kind == JSON_NULL)
			fputs("null", out);
		else
			fputs(buf, out);
	}
	fputc('}', out);
}

void cols_print_json_array(FILE *out, const struct miniproc_info *recs,
			   unsigned int nrecs)
{
	unsigned int r;

	if (!nrecs) {
		fputs("[]\n", out);
		return;
	}
	fputs("[\n", out);
	for (r = 0; r < nrecs; r++) {
		fputs("  ", out);
		cols_print_json_object(out, &recs[r]);
		fputs(r + 1 < nrecs ? ",\n" : "\n", out);
	}
	fputs("]\n", out);
}
