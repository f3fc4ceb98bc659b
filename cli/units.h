/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time units, in nanoseconds, for everything in the CLI that converts or
 * prints times.
 */
#ifndef MINIPROC_CLI_UNITS_H
#define MINIPROC_CLI_UNITS_H

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

#endif /* MINIPROC_CLI_UNITS_H */
