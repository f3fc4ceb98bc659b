/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpushare: how much of a CPU each process used between two LIST samples,
 * for `miniproc top`.
 */
#ifndef MINIPROC_CPUSHARE_H
#define MINIPROC_CPUSHARE_H

#include <stdint.h>
#include <linux/miniproc.h>

/*
 * The record in @recs[0..@n) (in pid order, as LIST gives them) of the
 * process @p is: the same pid and the same creation time. Pids wrap, so a
 * record of @p's pid from before may be of another process: then NULL.
 */
const struct miniproc_info *cpushare_find(const struct miniproc_info *recs,
					  unsigned int n,
					  const struct miniproc_info *p);

/*
 * Per mille of one CPU that @p used over the @dt ns since the sample
 * @recs[0..@n) was taken: all of its run time if it is not in that sample
 * (it was created since). At most 1000: one process runs on one CPU at a
 * time, and more is jitter between the samples' clocks.
 */
int cpushare_permille(const struct miniproc_info *recs, unsigned int n,
		      const struct miniproc_info *p, uint64_t dt);

#endif /* MINIPROC_CPUSHARE_H */
