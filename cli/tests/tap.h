/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few lines of TAP every host-side unit test of the CLI prints: one
 * "ok N - what" line per check, the plan at the end, the exit status.
 * Each test program includes this once.
 */
#ifndef MINIPROC_CLI_TESTS_TAP_H
#define MINIPROC_CLI_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tests, failures;

/* One check: "ok N - what" if @cond holds, else "not ok N - what". */
static void __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	char desc[512], *c;
	va_list ap;

	tests++;
	if (!cond)
		failures++;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	for (c = desc; *c; c++)	/* one TAP line per check */
		if (*c == '\n' || *c == '\t')
			*c = ' ';
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, desc);
}

/* The plan and a summary; the program's exit status. */
static int tap_done(void)
{
	printf("1..%d\n", tests);
	if (failures)
		printf("# %d of %d failed\n", failures, tests);
	return failures ? 1 : 0;
}

#endif /* MINIPROC_CLI_TESTS_TAP_H */
