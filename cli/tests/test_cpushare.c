// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of top's CPU share: made-up LIST samples, the per mille
 * each process must get, also when a pid has gone to another process
 * between the samples. TAP output; exit status 1 if any case fails.
 */
#include <string.h>

#include "../cpushare.h"
#include "tap.h"

#define MS	1000000ULL

static struct miniproc_info rec(int pid, uint64_t start_ms, uint64_t run_ms)
{
	struct miniproc_info r;

	memset(&r, 0, sizeof(r));
	r.pid = pid;
	r.start_time_ns = start_ms * MS;
	r.runtime_ns = run_ms * MS;
	return r;
}

/* @p's share since @prev[0..@n) over @dt must be @want per mille. */
static void expect(const struct miniproc_info *prev, unsigned int n,
		   const struct miniproc_info *p, uint64_t dt, int want,
		   const char *what)
{
	int got = cpushare_permille(prev, n, p, dt);

	ok(got == want, "%s: %d per mille (got %d)", what, want, got);
}

int main(void)
{
	struct miniproc_info prev[3] = {
		rec(2, 10, 100), rec(5, 20, 900), rec(9, 30, 40),
	};
	struct miniproc_info p;
	const uint64_t dt = 100 * MS;

	p = rec(2, 10, 150);
	expect(prev, 3, &p, dt, 500, "the same process, 50 ms more of 100");
	ok(cpushare_find(prev, 3, &p) == &prev[0],
	   "found by pid and creation time");

	p = rec(5, 60, 10);
	ok(!cpushare_find(prev, 3, &p),
	   "pid 5 given to a process created since: not the old record");
	expect(prev, 3, &p, dt, 100,
	       "the new pid 5 ran 10 ms of 100, not 0 against the old one's 900 ms");

	p = rec(9, 70, 60);
	expect(prev, 3, &p, dt, 600,
	       "the new pid 9 ran 60 ms, not the 200 the old one's 40 ms would leave");

	p = rec(7, 50, 30);
	expect(prev, 3, &p, dt, 300, "a pid not in the sample: all of its run time");

	p = rec(2, 10, 300);
	expect(prev, 3, &p, dt, 1000, "more than the interval is jitter: at most");
	expect(prev, 3, &p, 0, 0, "no time passed");
	expect(NULL, 0, &p, dt, 1000, "no sample before: all of it, at most");
	return tap_done();
}
