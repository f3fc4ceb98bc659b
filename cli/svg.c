// SPDX-License-Identifier: GPL-2.0
/*
 * The SVG picture of a timeline: one bar per process across a time axis in
 * milliseconds, each stretch coloured by the state it was in (the colours
 * of tl_marks[]), labels with pid and name, each row's share of running,
 * runnable and sleeping on the right, a legend, and a grey band with a
 * note wherever events were lost. A standalone document: no scripts, no
 * external fonts or styles, so it shows the same in a browser or a report.
 */
#include <string.h>

#include "units.h"
#include "timeline.h"


/* Layout, in SVG user units (pixels). */
#define SVG_MARGIN	16
#define SVG_LABEL_W	150	/* pid and name */
#define SVG_CHART_W	760	/* the time axis */
#define SVG_RIGHT_W	230	/* the shares */
#define SVG_TOP		70	/* title lines and column headers */
#define SVG_ROW_H	24
#define SVG_BAR_H	16
#define SVG_WIDTH	(2 * SVG_MARGIN + SVG_LABEL_W + SVG_CHART_W + SVG_RIGHT_W)

#define SVG_CHART_X	(SVG_MARGIN + SVG_LABEL_W)

/* @s as XML character data: the five special characters escaped. */
static void svg_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			fputc((unsigned char)*s < ' ' ? '?' : *s, out);
		}
	}
}

/* The x of time @t. */
static double svg_x(const struct timeline *tl, uint64_t t)
{
	uint64_t dur = tl->end > tl->start ? tl->end - tl->start : 1;

	if (t < tl->start)
		t = tl->start;
	if (t > tl->end)
		t = tl->end;
	return SVG_CHART_X + (double)(t - tl->start) * SVG_CHART_W / dur;
}

static unsigned int svg_pct(uint64_t ns, uint64_t whole)
{
	return whole ? (unsigned int)((ns * 100 + whole / 2) / whole) : 0;
}

static void svg_row(FILE *out, const struct timeline *tl,
		    const struct tl_proc *p, unsigned int row)
{
	double y = SVG_TOP + row * SVG_ROW_H, x0, x1;
	uint64_t ns[TL_NR_MARKS], whole = tl->end - tl->start;
	unsigned int i;

	fprintf(out, "<g id=\"pid-%d\">\n", p->pid);
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>",
		SVG_MARGIN + 40, y + 16, p->pid);
	fprintf(out, "<text x=\"%d\" y=\"%.1f\">", SVG_MARGIN + 48, y + 16);
	svg_text(out, p->name);
	fputs("</text>\n", out);
	for (i = 0; i < p->nspans; i++) {
		const struct tl_span *s = &p->spans[i];

		if (s->mark == TL_NONE)
			continue;
		x0 = svg_x(tl, s->start);
		x1 = svg_x(tl, s->end);
		fprintf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>\n",
			x0, y + (SVG_ROW_H - SVG_BAR_H) / 2.0, x1 - x0,
			SVG_BAR_H, tl_marks[s->mark].color);
	}
	tl_totals(p, tl, ns);
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" fill=\"#333333\">%u%% / %u%% / %u%%</text>\n",
		SVG_CHART_X + SVG_CHART_W + 12, y + 16,
		svg_pct(ns[TL_RUNNING], whole), svg_pct(ns[TL_RUNNABLE], whole),
		svg_pct(ns[TL_SLEEP] + ns[TL_SUSPENDED] + ns[TL_WAIT], whole));
	fputs("</g>\n", out);
}

/* Grid lines and labels every nice step, in the unit that suits it. */
static void svg_axis(FILE *out, const struct timeline *tl, double y_top,
		     double y_axis)
{
	uint64_t dur = tl->end > tl->start ? tl->end - tl->start : 1;
	uint64_t step = tl_nice_step(dur, 8), unit, t;
	const char *uname;
	double x;

	unit = tl_time_unit(step, false, &uname);
	fputs("<g id=\"axis\" fill=\"#333333\" text-anchor=\"middle\">\n", out);
	for (t = 0; t <= dur; t += step) {
		x = svg_x(tl, tl->start + t);
		fprintf(out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#cccccc\" stroke-width=\"0.5\"/>\n",
			x, y_top, x, y_axis);
		fprintf(out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#333333\"/>\n",
			x, y_axis, x, y_axis + 5);
		fprintf(out, "<text x=\"%.2f\" y=\"%.1f\">%llu</text>\n", x,
			y_axis + 18, (unsigned long long)(t / unit));
	}
	fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333333\"/>\n",
		SVG_CHART_X, y_axis, SVG_CHART_X + SVG_CHART_W, y_axis);
	fprintf(out, "<text x=\"%d\" y=\"%.1f\">time (%s)</text>\n",
		SVG_CHART_X + SVG_CHART_W / 2, y_axis + 36, uname);
	fputs("</g>\n", out);
}

static void svg_legend(FILE *out, double y)
{
	static const enum tl_mark order[] = {
		TL_RUNNING, TL_RUNNABLE, TL_SLEEP, TL_SUSPENDED, TL_WAIT,
		TL_ZOMBIE, TL_EMBRYO,
	};
	double x = SVG_CHART_X;
	size_t i;

	fputs("<g id=\"legend\">\n", out);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct tl_mark_info *m = &tl_marks[order[i]];

		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>",
			x, y - 10, m->color);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 16,
			y, m->name);
		/* About 6.5 units a character at this size, and a gap. */
		x += 16 + 6.5 * strlen(m->name) + 20;
	}
	fputs("</g>\n", out);
}

/* Grey bands where events were lost, and a note under the legend. */
static void svg_lost(FILE *out, const struct timeline *tl, double y_top,
		     double y_bottom, double y_note)
{
	double x0, x1;
	unsigned int i;

	if (!tl->lost)
		return;
	fputs("<g id=\"lost\">\n", out);
	for (i = 0; i < tl->ngaps; i++) {
		x0 = svg_x(tl, tl->gaps[i].from);
		x1 = svg_x(tl, tl->gaps[i].to);
		fprintf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"#000000\" fill-opacity=\"0.25\"/>\n",
			x0, y_top, x1 - x0 > 1 ? x1 - x0 : 1, y_bottom - y_top);
	}
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" fill=\"#b00000\">%llu events were lost (the reader fell behind); the rows may be wrong in the grey bands.</text>\n",
		SVG_CHART_X, y_note, (unsigned long long)tl->lost);
	fputs("</g>\n", out);
}

void tl_print_svg(FILE *out, const struct timeline *tl)
{
	uint64_t dur = tl->end > tl->start ? tl->end - tl->start : 0;
	unsigned int i, rows = 0;
	double y_axis, height;

	for (i = 0; i < tl->nprocs; i++)
		rows += tl_visible(&tl->procs[i]);
	y_axis = SVG_TOP + rows * SVG_ROW_H + 4;
	height = y_axis + 90 + (tl->lost ? 22 : 0);

	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"12\">\n",
		SVG_WIDTH, height, SVG_WIDTH, height);
	fputs("<title>miniproc trace: the state of each mini-process over time</title>\n", out);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", out);
	fprintf(out, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">miniproc trace: %llu.%03llu s, %u process%s</text>\n",
		SVG_MARGIN, (unsigned long long)(dur / NSEC_PER_SEC),
		(unsigned long long)(dur % NSEC_PER_SEC / NSEC_PER_MSEC), rows,
		rows == 1 ? "" : "es");
	fprintf(out, "<text x=\"%d\" y=\"42\" fill=\"#555555\">%llu state changes recorded from /dev/miniproc, %s lost; each bar is one process, its colour the state it was in</text>\n",
		SVG_MARGIN, (unsigned long long)tl->events,
		tl->lost ? "some" : "none");
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" text-anchor=\"end\">PID</text>"
		"<text x=\"%d\" y=\"%d\" font-weight=\"bold\">NAME</text>"
		"<text x=\"%d\" y=\"%d\" font-weight=\"bold\">running / runnable / sleeping</text>\n",
		SVG_MARGIN + 40, SVG_TOP - 6, SVG_MARGIN + 48, SVG_TOP - 6,
		SVG_CHART_X + SVG_CHART_W + 12, SVG_TOP - 6);

	/* Stripes, then the grid, then the bars over both. */
	for (i = 1; i < rows; i += 2)
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f3f3f3\"/>\n",
			SVG_MARGIN, SVG_TOP + i * SVG_ROW_H,
			SVG_WIDTH - 2 * SVG_MARGIN, SVG_ROW_H);
	svg_axis(out, tl, SVG_TOP, y_axis);
	rows = 0;
	for (i = 0; i < tl->nprocs; i++)
		if (tl_visible(&tl->procs[i]))
			svg_row(out, tl, &tl->procs[i], rows++);
	svg_legend(out, y_axis + 66);
	svg_lost(out, tl, SVG_TOP, y_axis, y_axis + 90);
	fputs("</svg>\n", out);
}
