// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of the process tree of `ps --tree`: made-up tables of
 * processes and the rows and glyphs they must give. TAP output; exit status
 * 1 if any case fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tree.h"
#include "tap.h"

#define MAX_RECS	32

/*
 * Lay out @n processes given as pid/ppid pairs and compare with @want: one
 * "PID PREFIX" line per row, e.g. "9 `- ".
 */
static void expect(const char *what, const int (*pp)[2], unsigned int n,
		   int utf8, const char *want)
{
	static char prefix[MAX_RECS][TREE_PREFIX_LEN];
	struct miniproc_info recs[MAX_RECS];
	unsigned int order[MAX_RECS], i;
	char got[4096];
	size_t len = 0;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < n; i++) {
		recs[i].pid = pp[i][0];
		recs[i].ppid = pp[i][1];
	}
	if (tree_order(recs, n, utf8, order, prefix)) {
		ok(0, "%s: tree_order failed", what);
		return;
	}
	got[0] = '\0';
	for (i = 0; i < n; i++)
		len += snprintf(got + len, sizeof(got) - len, "%d %s\n",
				recs[order[i]].pid, prefix[i]);
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("# want:\n%s# got:\n%s", want, got);
}

int main(void)
{
	static const int forest[][2] = {
		{ 1, 0 }, { 5, 0 }, { 6, 5 }, { 7, 5 }, { 8, 7 }, { 9, 1 },
		{ 10, 0 }, { 12, 99 }, { 13, 7 }, { 14, 6 },
	};
	static const int shuffled[][2] = {
		{ 14, 6 }, { 9, 1 }, { 7, 5 }, { 1, 0 }, { 13, 7 }, { 6, 5 },
		{ 10, 0 }, { 5, 0 }, { 12, 99 }, { 8, 7 },
	};
	static const int loop[][2] = {
		{ 1, 0 }, { 20, 21 }, { 21, 20 }, { 22, 22 },
	};
	int chain[20][2];
	char want[2048];
	size_t len = 0;
	int i, j;

	expect("a forest: init and its orphan first, then user roots, children in pid order",
	       forest, 10, 0,
	       "1 \n"
	       "9 `- \n"
	       "5 \n"
	       "6 |- \n"
	       "14 |  `- \n"
	       "7 `- \n"
	       "8    |- \n"
	       "13    `- \n"
	       "10 \n"
	       "12 \n");
	expect("the same from records in any order", shuffled, 10, 0,
	       "1 \n"
	       "9 `- \n"
	       "5 \n"
	       "6 |- \n"
	       "14 |  `- \n"
	       "7 `- \n"
	       "8    |- \n"
	       "13    `- \n"
	       "10 \n"
	       "12 \n");
	expect("UTF-8 box drawing", forest, 5, 1,
	       "1 \n"
	       "5 \n"
	       "6 \u251c\u2500 \n"
	       "7 \u2514\u2500 \n"
	       "8    \u2514\u2500 \n");
	expect("a loop of ppids and a process its own parent still get rows",
	       loop, 4, 0,
	       "1 \n"
	       "22 \n"
	       "20 \n"
	       "21 `- \n");

	/* 20 levels: the glyphs stop growing at TREE_MAX_LEVELS. */
	for (i = 0; i < 20; i++) {
		chain[i][0] = i + 2;
		chain[i][1] = i ? i + 1 : 0;
		len += snprintf(want + len, sizeof(want) - len, "%d ", i + 2);
		for (j = 1; j < (i < TREE_MAX_LEVELS ? i : TREE_MAX_LEVELS); j++)
			len += snprintf(want + len, sizeof(want) - len, "   ");
		len += snprintf(want + len, sizeof(want) - len, "%s\n",
				i ? "`- " : "");
	}
	expect("a chain deeper than the limit is drawn at the limit", chain,
	       20, 0, want);
	expect("no processes: no rows", forest, 0, 0, "");
	ok(TREE_PREFIX_LEN > TREE_MAX_LEVELS * strlen("\u2502  "),
	   "the prefix has room for the deepest UTF-8 glyphs");

	return tap_done();
}
