// SPDX-License-Identifier: GPL-2.0
/*
 * libminiproc: the /dev/miniproc ioctl wrappers. See libminiproc.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libminiproc.h"

/* Room for this many more records than the table held when we sized it. */
#define MP_LIST_SLACK	16
/* Give up if the table keeps outgrowing the buffer this many times. */
#define MP_LIST_TRIES	8

static const char *const mp_state_names[MINIPROC_NR_STATES][2] = {
	[MINIPROC_UNUSED]	= { "UNUSED", "unused" },
	[MINIPROC_EMBRYO]	= { "EMBRYO", "embryo" },
	[MINIPROC_SLEEPING]	= { "SLEEPING", "sleeping" },
	[MINIPROC_RUNNABLE]	= { "RUNNABLE", "runnable" },
	[MINIPROC_RUNNING]	= { "RUNNING", "running" },
	[MINIPROC_ZOMBIE]	= { "ZOMBIE", "zombie" },
};

const char *mp_state_name(unsigned int state)
{
	return state < MINIPROC_NR_STATES ? mp_state_names[state][0] : "?";
}

const char *mp_state_name_lower(unsigned int state)
{
	return state < MINIPROC_NR_STATES ? mp_state_names[state][1] : "unknown";
}

/* ioctl() returning its result or -errno. */
static int mp_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

int mp_open(void)
{
	int fd = open(MINIPROC_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int mp_version(int fd, struct miniproc_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	return mp_ioctl(fd, MINIPROC_IOC_VERSION, ver);
}

int mp_create(int fd, const char *name, const struct miniproc_op *ops,
	      unsigned int nops, unsigned int flags, int cpu, int *pid)
{
	struct miniproc_create c = {
		.size = sizeof(c),
		.flags = flags,
		.prog = (uintptr_t)ops,
		.prog_len = nops,
		.cpu = cpu,
	};
	int ret;

	if (name) {
		if (strlen(name) >= sizeof(c.name))
			return -ENAMETOOLONG;
		strcpy(c.name, name);
	}
	ret = mp_ioctl(fd, MINIPROC_IOC_CREATE, &c);
	if (ret < 0)
		return ret;
	if (pid)
		*pid = c.pid;
	return c.pid;
}

int mp_destroy(int fd, int pid, unsigned int flags,
	       struct miniproc_exit_info *exit)
{
	struct miniproc_destroy d = {
		.size = sizeof(d),
		.pid = pid,
		.flags = flags,
	};
	int ret = mp_ioctl(fd, MINIPROC_IOC_DESTROY, &d);

	if (ret < 0)
		return ret;
	if (exit)
		*exit = d.exit;
	return 0;
}

int mp_wait(int fd, int *pid, unsigned int options, uint64_t timeout_ns,
	    struct miniproc_exit_info *exit)
{
	struct miniproc_wait w = {
		.size = sizeof(w),
		.pid = *pid,
		.options = options,
		.timeout_ns = timeout_ns,
	};
	int ret = mp_ioctl(fd, MINIPROC_IOC_WAIT, &w);

	if (ret < 0)
		return ret;
	*pid = w.pid;
	if (exit)
		*exit = w.exit;
	return 0;
}

static int mp_ctl(int fd, unsigned long cmd, int pid)
{
	struct miniproc_ctl c = {
		.size = sizeof(c),
		.pid = pid,
	};
	int ret = mp_ioctl(fd, cmd, &c);

	return ret < 0 ? ret : 0;
}

int mp_suspend(int fd, int pid)
{
	return mp_ctl(fd, MINIPROC_IOC_SUSPEND, pid);
}

int mp_resume(int fd, int pid)
{
	return mp_ctl(fd, MINIPROC_IOC_RESUME, pid);
}

int mp_status(int fd, int pid, struct miniproc_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->pid = pid;
	ret = mp_ioctl(fd, MINIPROC_IOC_STATUS, info);
	return ret < 0 ? ret : 0;
}

/* One LIST call into @buf (may be NULL with @capacity 0). */
static int mp_list_once(int fd, struct miniproc_info *buf,
			unsigned int capacity, struct miniproc_list *l)
{
	memset(l, 0, sizeof(*l));
	l->size = sizeof(*l);
	l->rec_size = sizeof(struct miniproc_info);
	l->buf = (uintptr_t)buf;
	l->capacity = capacity;
	if (buf)
		memset(buf, 0, capacity * sizeof(*buf));
	return mp_ioctl(fd, MINIPROC_IOC_LIST, l);
}

int mp_list_into(int fd, struct miniproc_info *buf, unsigned int capacity,
		 unsigned int *count, unsigned int *total)
{
	struct miniproc_list l = {
		.size = sizeof(l),
		.rec_size = sizeof(*buf),
		.buf = (uintptr_t)buf,
		.capacity = capacity,
	};
	int ret = mp_ioctl(fd, MINIPROC_IOC_LIST, &l);

	if (count)
		*count = l.count;
	if (total)
		*total = l.total;
	return ret < 0 ? ret : 0;
}

int mp_list(int fd, struct miniproc_info **recs, unsigned int *count)
{
	struct miniproc_info *buf = NULL, *bigger;
	struct miniproc_list l;
	unsigned int capacity;
	int tries, ret;

	*recs = NULL;
	*count = 0;
	ret = mp_list_once(fd, NULL, 0, &l);
	if (ret < 0)
		return ret;
	for (tries = 0; tries < MP_LIST_TRIES; tries++) {
		capacity = l.total + MP_LIST_SLACK;
		bigger = realloc(buf, capacity * sizeof(*buf));
		if (!bigger) {
			free(buf);
			return -ENOMEM;
		}
		buf = bigger;
		ret = mp_list_once(fd, buf, capacity, &l);
		if (ret < 0)
			break;
		if (l.total <= capacity) {
			if (l.count == 0) {
				free(buf);
				buf = NULL;
			}
			*recs = buf;
			*count = l.count;
			return 0;
		}
	}
	free(buf);
	return ret < 0 ? ret : -EAGAIN;
}

int mp_event_filter(int fd, int pid)
{
	struct miniproc_event_filter f = {
		.size = sizeof(f),
		.pid = pid,
		.rec_size = sizeof(struct miniproc_event),
	};
	int ret = mp_ioctl(fd, MINIPROC_IOC_EVENT_FILTER, &f);

	return ret < 0 ? ret : 0;
}

int mp_read_events(int fd, struct miniproc_event *ev, unsigned int max)
{
	ssize_t n;

	if (!max)
		return 0;
	n = read(fd, ev, (size_t)max * sizeof(*ev));
	if (n < 0)
		return -errno;
	if (n % sizeof(*ev))
		return -EIO;
	return (int)(n / sizeof(*ev));
}

int mp_poll_events(int fd, struct miniproc_event *ev, unsigned int max,
		   int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret, flags;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (!ret)
		return 0;
	if (pfd.revents & (POLLERR | POLLNVAL))
		return pfd.revents & POLLNVAL ? -EBADF : -EIO;
	/* Readable, but read without blocking in case another reader won. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		return -errno;
	if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	ret = mp_read_events(fd, ev, max);
	if (!(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, flags);
	return ret == -EAGAIN ? 0 : ret;
}
