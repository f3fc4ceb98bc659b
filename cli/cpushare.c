// SPDX-License-Identifier: GPL-2.0
/*
 * cpushare: how much of a CPU each process used between two LIST samples.
 */
#include <stddef.h>

#include "cpushare.h"

const struct miniproc_info *cpushare_find(const struct miniproc_info *recs,
					  unsigned int n,
					  const struct miniproc_info *p)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (recs[mid].pid == p->pid)
			return recs[mid].start_time_ns == p->start_time_ns ?
			       &recs[mid] : NULL;
		if (recs[mid].pid < p->pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int cpushare_permille(const struct miniproc_info *recs, unsigned int n,
		      const struct miniproc_info *p, uint64_t dt)
{
	const struct miniproc_info *old = cpushare_find(recs, n, p);
	uint64_t before = old ? old->runtime_ns : 0, permille;

	if (!dt || p->runtime_ns <= before)
		return 0;
	permille = (p->runtime_ns - before) * 1000 / dt;
	return permille > 1000 ? 1000 : (int)permille;
}
