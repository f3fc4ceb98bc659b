// SPDX-License-Identifier: GPL-2.0
/*
 * The process tree of `miniproc ps --tree`. See tree.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"

/* What is drawn for one level, ASCII and UTF-8. */
static const char *const tree_glyphs[2][4] = {
	/* a child that has a next sibling, the last child, below them */
	{ "|- ", "`- ", "|  ", "   " },
	{ "\u251c\u2500 ", "\u2514\u2500 ", "\u2502  ", "   " },
};

enum { TREE_TEE, TREE_LAST, TREE_BAR, TREE_BLANK };

/**
 * struct tree_node - one process while the forest is built
 * @rec:    its index in the records
 * @first:  its first child (a node index), or -1
 * @next:   its next sibling, or -1
 * @placed: already given a row (guards against a loop of ppids)
 */
struct tree_node {
	unsigned int rec;
	int first;
	int next;
	bool placed;
};

static const struct miniproc_info *tree_sort_recs;

static int tree_by_pid(const void *a, const void *b)
{
	int pa = tree_sort_recs[*(const unsigned int *)a].pid;
	int pb = tree_sort_recs[*(const unsigned int *)b].pid;

	return (pa > pb) - (pa < pb);
}

/* The node of @pid in @byp (node indexes sorted by pid), or -1. */
static int tree_find(const struct miniproc_info *recs,
		     const unsigned int *byp, unsigned int n, int pid)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int p = recs[byp[mid]].pid;

		if (p == pid)
			return (int)mid;
		if (p < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/**
 * struct tree_ctx - the forest being laid out
 * @nodes:  one per record, sorted by pid
 * @byp:    record indexes sorted by pid
 * @n:      how many
 * @utf8:   which glyphs
 * @order:  out: the rows, as record indexes
 * @prefix: out: each row's glyphs
 * @rows:   rows given so far
 * @last:   for each depth on the current path, whether its node is the
 *          last of its siblings: what the levels below draw
 */
struct tree_ctx {
	struct tree_node *nodes;
	unsigned int *byp;
	unsigned int n;
	bool utf8;
	unsigned int *order;
	char (*prefix)[TREE_PREFIX_LEN];
	unsigned int rows;
	bool *last;
};

/* The next sibling from @node on (itself included) not yet placed, or -1. */
static int tree_unplaced(const struct tree_ctx *c, int node)
{
	while (node >= 0 && c->nodes[node].placed)
		node = c->nodes[node].next;
	return node;
}

/* Give @node a row at @depth, then its subtree. */
static void tree_place(struct tree_ctx *c, int node, unsigned int depth)
{
	struct tree_node *t = &c->nodes[node];
	char *pre = c->prefix[c->rows];
	unsigned int d, from;
	int child;

	t->placed = true;
	pre[0] = '\0';
	/* Levels 1..depth; past the limit, only the deepest ones. */
	from = depth > TREE_MAX_LEVELS ? depth - TREE_MAX_LEVELS + 1 : 1;
	for (d = from; d < depth; d++)
		strcat(pre, tree_glyphs[c->utf8][c->last[d] ? TREE_BLANK :
							       TREE_BAR]);
	if (depth)
		strcat(pre, tree_glyphs[c->utf8][c->last[depth] ? TREE_LAST :
								   TREE_TEE]);
	c->order[c->rows++] = t->rec;

	for (child = tree_unplaced(c, t->first); child >= 0;
	     child = tree_unplaced(c, c->nodes[child].next)) {
		c->last[depth + 1] =
			tree_unplaced(c, c->nodes[child].next) < 0;
		tree_place(c, child, depth + 1);
	}
}

/* Is the parent of node @i in the forest? Its node, or -1. */
static int tree_parent(const struct tree_ctx *c, const struct miniproc_info *recs,
		       unsigned int i)
{
	const struct miniproc_info *r = &recs[c->byp[i]];

	if (r->ppid <= 0 || r->ppid == r->pid)
		return -1;
	return tree_find(recs, c->byp, c->n, r->ppid);
}

int tree_order(const struct miniproc_info *recs, unsigned int n, bool utf8,
	       unsigned int *order, char (*prefix)[TREE_PREFIX_LEN])
{
	struct tree_ctx c = {
		.n = n, .utf8 = utf8, .order = order, .prefix = prefix,
	};
	unsigned int i;
	int parent;

	if (!n)
		return 0;
	c.nodes = calloc(n, sizeof(*c.nodes));
	c.byp = calloc(n, sizeof(*c.byp));
	c.last = calloc(n + 1, sizeof(*c.last));
	if (!c.nodes || !c.byp || !c.last) {
		free(c.nodes);
		free(c.byp);
		free(c.last);
		return -ENOMEM;
	}
	/* Nodes in pid order, so that children are linked in pid order. */
	for (i = 0; i < n; i++)
		c.byp[i] = i;
	tree_sort_recs = recs;
	qsort(c.byp, n, sizeof(*c.byp), tree_by_pid);
	for (i = 0; i < n; i++) {
		c.nodes[i].rec = c.byp[i];
		c.nodes[i].first = -1;
		c.nodes[i].next = -1;
	}
	/* Link each to its parent, the last first, so lists come sorted. */
	for (i = n; i-- > 0;) {
		parent = tree_parent(&c, recs, i);
		if (parent < 0)
			continue;
		c.nodes[i].next = c.nodes[parent].first;
		c.nodes[parent].first = (int)i;
	}
	/* Roots: no parent here. Then whatever a loop of ppids left out. */
	for (i = 0; i < n; i++)
		if (tree_parent(&c, recs, i) < 0)
			tree_place(&c, (int)i, 0);
	for (i = 0; i < n; i++)
		if (!c.nodes[i].placed)
			tree_place(&c, (int)i, 0);
	free(c.nodes);
	free(c.byp);
	free(c.last);
	return 0;
}

bool tree_locale_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char *v;
	size_t i;

	char low[64];
	size_t j;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		v = getenv(vars[i]);
		if (!v || !*v)
			continue;
		/* "en_US.UTF-8", "C.utf8": the codeset, in any case. */
		for (j = 0; j + 1 < sizeof(low) && v[j]; j++)
			low[j] = (char)tolower((unsigned char)v[j]);
		low[j] = '\0';
		return strstr(low, "utf-8") || strstr(low, "utf8");
	}
	return false;
}
