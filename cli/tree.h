/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process tree of `miniproc ps --tree`: which row goes where, and the
 * glyphs drawn before each name, like pstree or `ps f`.
 */
#ifndef MINIPROC_TREE_H
#define MINIPROC_TREE_H

#include <stdbool.h>
#include <linux/miniproc.h>

/* Room for one row's glyphs: TREE_MAX_LEVELS levels of up to 9 bytes. */
#define TREE_MAX_LEVELS		12
#define TREE_PREFIX_LEN		(TREE_MAX_LEVELS * 9 + 1)

/**
 * tree_order() - lay processes out as a forest
 * @recs:   the processes, in any order
 * @n:      how many
 * @utf8:   draw with box-drawing characters ("├─ "), else ASCII ("|- ")
 * @order:  out: the @n indexes into @recs, in the order to print them
 * @prefix: out: for each printed row (in @order's order), its glyphs
 *
 * Every process goes under its parent (@ppid); a process whose parent is
 * not in @recs (a user created it: ppid 0; or its parent went between two
 * looks) is a root. Roots, and the children of each process, come in pid
 * order, so init (pid 1) and the orphans it adopted come first. Levels past
 * TREE_MAX_LEVELS are drawn as the last one.
 *
 * Return: 0, or -ENOMEM.
 */
int tree_order(const struct miniproc_info *recs, unsigned int n, bool utf8,
	       unsigned int *order, char (*prefix)[TREE_PREFIX_LEN]);

/* Does the environment's locale (LC_ALL, LC_CTYPE, LANG) use UTF-8? */
bool tree_locale_utf8(void);

#endif /* MINIPROC_TREE_H */
