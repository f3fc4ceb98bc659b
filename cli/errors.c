// SPDX-License-Identifier: GPL-2.0
/*
 * From (command, errno) to a sentence a user can act on. Every failure the
 * command reports goes through cli_cause(), so the wording lives here only.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "users.h"

static int is(const char *cmd, const char *name)
{
	return !strcmp(cmd, name);
}

/* EAGAIN on create: a full table or the caller's limit; VERSION says which. */
static void cause_eagain(char *buf, size_t len, int fd)
{
	struct miniproc_version v;

	if (fd >= 0 && !mp_version(fd, &v)) {
		if (v.nr_used >= v.nproc)
			snprintf(buf, len,
				 "the process table is full (%u of %u slots in use)",
				 v.nr_used, v.nproc);
		else
			snprintf(buf, len,
				 "you already have %u live processes, the per-user limit",
				 v.max_per_uid);
		return;
	}
	snprintf(buf, len,
		 "the process table is full or you reached the per-user limit of live processes");
}

/*
 * EACCES from open(): the device is given to a group (the udev rule's,
 * miniproc) the caller is not in; or, with no rule installed, it is still
 * root's alone, as the module creates it.
 */
static void cause_access(char *buf, size_t len)
{
	const char *user = user_name(getuid()), *group;
	char gid[16];
	struct stat st;

	if (stat(MINIPROC_DEVICE, &st) || st.st_gid == 0 ||
	    (st.st_mode & (S_IRGRP | S_IWGRP)) != (S_IRGRP | S_IWGRP)) {
		snprintf(buf, len,
			 "permission denied: it is root's alone, as the module creates it; ask the administrator to install miniproc's udev rule, which gives it to the miniproc group (make install, or the miniproc-utils package)");
		return;
	}
	group = group_name(st.st_gid);
	if (!group) {
		snprintf(gid, sizeof(gid), "%u", (unsigned int)st.st_gid);
		group = gid;
	}
	if (!user)
		user = getenv("USER");
	snprintf(buf, len,
		 "permission denied; ask the administrator to add you to the %s group (adduser %s %s), then log in again",
		 group, user && *user ? user : "$USER", group);
}

static void cause_open(char *buf, size_t len, int err)
{
	switch (err) {
	case ENOENT:
		snprintf(buf, len,
			 "the miniproc module is not loaded (try: sudo modprobe miniproc)");
		break;
	case ENODEV:
	case ENXIO:
		snprintf(buf, len,
			 "no driver behind the device node: the miniproc module is not loaded (try: sudo modprobe miniproc)");
		break;
	case EACCES:
	case EPERM:
		cause_access(buf, len);
		break;
	default:
		cli_cause(buf, len, -1, "", 0, err);
	}
}

/* EMFILE from the event stream: the user's readers, at their limit. */
static void cause_emfile(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/miniproc/parameters/max_readers_per_uid", "r");
	unsigned int max = 0;

	if (f) {
		if (fscanf(f, "%u", &max) != 1)
			max = 0;
		fclose(f);
	}
	if (max)
		snprintf(buf, len,
			 "you already read events from %u file%s at once, the per-user limit (module parameter max_readers_per_uid): end another 'miniproc trace' first, or ask an administrator to raise it",
			 max, max == 1 ? "" : "s");
	else
		snprintf(buf, len,
			 "you already read events from as many files as one user may (module parameter max_readers_per_uid): end another 'miniproc trace' first, or ask an administrator to raise it");
}

/* Why WAIT may not reap @pid (ECHILD): it is init, a forked child, or autoreap. */
static void cause_echild(char *buf, size_t len, int fd, int pid)
{
	struct miniproc_info info;

	if (pid == MINIPROC_INIT_PID) {
		snprintf(buf, len,
			 "no process to wait for: process %d is init, which never ends",
			 pid);
		return;
	}
	if (fd >= 0 && !mp_status(fd, pid, &info) && info.ppid > 0) {
		snprintf(buf, len,
			 "no process to wait for: process %d is a child of process %d, which reaps it with its wait op (or init does, once its parent has ended)",
			 pid, info.ppid);
		return;
	}
	snprintf(buf, len,
		 "no process to wait for: process %d was created with --autoreap and reaps itself",
		 pid);
}

void cli_fork_cause(char *buf, size_t len, int err)
{
	char what[128];

	switch (err) {
	case EAGAIN:
		snprintf(buf, len,
			 "last failed fork: the process table was full or the owner was at the per-user limit (EAGAIN)");
		return;
	case EMLINK:
		snprintf(buf, len,
			 "last failed fork: it already had %d children not yet reaped, the most a process may have (EMLINK)",
			 MINIPROC_CHILDREN_MAX);
		return;
	case ENOMEM:
		snprintf(buf, len,
			 "last failed fork: the kernel was out of memory (ENOMEM)");
		return;
	}
	snprintf(what, sizeof(what), "%s", strerror(err));
	what[0] = (char)tolower((unsigned char)what[0]);
	snprintf(buf, len, "last failed fork: %s (errno %d)", what, err);
}

void cli_cause(char *buf, size_t len, int fd, const char *cmd, int pid,
	       int err)
{
	int has_pid = pid > 0;

	if (is(cmd, "open")) {
		cause_open(buf, len, err);
		return;
	}
	switch (err) {
	case ESRCH:
		snprintf(buf, len, "%s", is(cmd, "wait") && has_pid ?
			 "no such process (it never existed, or it was already reaped)" :
			 "no such process");
		return;
	case EPERM:
		if (pid == MINIPROC_INIT_PID)
			snprintf(buf, len,
				 "operation not permitted: process %d is init, which may not be killed, suspended or resumed",
				 pid);
		else if (has_pid)
			snprintf(buf, len,
				 "operation not permitted: process %d belongs to another user",
				 pid);
		else
			snprintf(buf, len, "operation not permitted");
		return;
	case EAGAIN:
		if (is(cmd, "create") || is(cmd, "run")) {
			cause_eagain(buf, len, fd);
			return;
		}
		break;
	case ECHILD:
		if (has_pid)
			cause_echild(buf, len, fd, pid);
		else
			snprintf(buf, len, "no process to wait for");
		return;
	case ETIMEDOUT:
		snprintf(buf, len, "timed out before %s ended",
			 has_pid ? "it" : "any process");
		return;
	case EINTR:
		if (is(cmd, "suspend"))
			snprintf(buf, len,
				 "interrupted by a signal; the suspend request stands");
		else if (is(cmd, "kill"))
			snprintf(buf, len,
				 "interrupted by a signal; it is killed and 'miniproc wait' will reap it");
		else
			snprintf(buf, len, "interrupted by a signal");
		return;
	case EINVAL:
		if (is(cmd, "create") || is(cmd, "run"))
			snprintf(buf, len,
				 "the kernel rejected the program or arguments");
		else
			snprintf(buf, len,
				 "the kernel rejected the request as invalid (is the module the same version as this command?)");
		return;
	case E2BIG:
		snprintf(buf, len,
			 "the miniproc module is older than this command and refused its request");
		return;
	case ENOTTY:
		snprintf(buf, len,
			 "the device does not know this request (is it the miniproc module, of the same version as this command?)");
		return;
	case EMFILE:
		cause_emfile(buf, len);
		return;
	case ENAMETOOLONG:
		snprintf(buf, len, "the name is longer than %d characters",
			 MINIPROC_NAME_LEN - 1);
		return;
	case ENOMEM:
		snprintf(buf, len, "out of memory");
		return;
	case EFAULT:
		snprintf(buf, len,
			 "the kernel could not read or write our buffer (a bug in miniproc)");
		return;
	}
	snprintf(buf, len, "%s", strerror(err));
	buf[0] = (char)tolower((unsigned char)buf[0]);
}

void cli_report(int fd, const char *cmd, int pid, int err)
{
	char cause[256];

	cli_cause(cause, sizeof(cause), fd, cmd, pid, err);
	if (is(cmd, "open"))
		cli_error("cannot open %s: %s", MINIPROC_DEVICE, cause);
	else if (pid > 0)
		cli_error("%s %d: %s", cmd, pid, cause);
	else
		cli_error("%s: %s", cmd, cause);
}
