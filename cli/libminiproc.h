/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libminiproc: one thin wrapper per /dev/miniproc ioctl, the one library
 * of them: the miniproc command and the selftests (selftests/miniproc_util.h
 * builds its helpers on it) both link it.
 *
 * Every function returns 0 (or a pid, or a file descriptor) on success and
 * -errno on failure; none prints anything. The wrappers fill the size field
 * of each argument struct and zero its reserved fields, so callers only deal
 * with what they want to say or learn.
 */
#ifndef MINIPROC_LIB_H
#define MINIPROC_LIB_H

#include <stdint.h>
#include <linux/miniproc.h>

/*
 * Open MINIPROC_DEVICE read-write, close-on-exec: a fd or -errno; -EACCES
 * for a user outside the group the device is given to (miniproc).
 */
int mp_open(void);

/* MINIPROC_IOC_VERSION: the running module's ABI version, table and limits. */
int mp_version(int fd, struct miniproc_version *ver);

/*
 * MINIPROC_IOC_CREATE: start a process running @ops[0..@nops). @name may be
 * NULL or "" for the default name; longer than MINIPROC_NAME_LEN - 1 is
 * -ENAMETOOLONG. @cpu is used with MINIPROC_CREATE_PIN only. Stores the new
 * pid in *@pid (if not NULL) and returns it.
 */
int mp_create(int fd, const char *name, const struct miniproc_op *ops,
	      unsigned int nops, unsigned int flags, int cpu, int *pid);

/*
 * MINIPROC_IOC_DESTROY: kill @pid. With MINIPROC_DESTROY_WAIT in @flags,
 * returns once it is reaped and fills *@exit (if not NULL).
 */
int mp_destroy(int fd, int pid, unsigned int flags,
	       struct miniproc_exit_info *exit);

/*
 * MINIPROC_IOC_WAIT: reap *@pid, or any of the caller's processes if *@pid
 * is MINIPROC_WAIT_ANY. On success *@pid is the pid reaped (0 if
 * MINIPROC_WNOHANG found none ended) and *@exit (if not NULL) how it ended.
 * @timeout_ns 0 waits forever. A signal is -EINTR: the wrapper never
 * restarts a wait, so the caller decides.
 */
int mp_wait(int fd, int *pid, unsigned int options, uint64_t timeout_ns,
	    struct miniproc_exit_info *exit);

/* MINIPROC_IOC_SUSPEND / MINIPROC_IOC_RESUME @pid. */
int mp_suspend(int fd, int pid);
int mp_resume(int fd, int pid);

/* MINIPROC_IOC_STATUS: the full record of @pid into *@info. */
int mp_status(int fd, int pid, struct miniproc_info *info);

/*
 * MINIPROC_IOC_LIST: a snapshot of every process, in pid order, in a
 * malloc()ed array the caller frees (NULL when *@count is 0). Retries with a
 * larger buffer if the table grew between sizing and taking the snapshot.
 */
int mp_list(int fd, struct miniproc_info **recs, unsigned int *count);

/*
 * MINIPROC_IOC_LIST once, into the caller's @buf of @capacity records (NULL
 * with 0 asks only how many there are): *@count (if not NULL) is how many
 * it holds now, *@total (if not NULL) how many the table had. @buf is left
 * as the kernel wrote it.
 */
int mp_list_into(int fd, struct miniproc_info *buf, unsigned int capacity,
		 unsigned int *count, unsigned int *total);

/*
 * MINIPROC_IOC_EVENT_FILTER: from now on deliver on @fd only the events of
 * @pid, or of every process if @pid is 0. Also starts @fd's event buffer:
 * events are kept from this call on.
 */
int mp_event_filter(int fd, int pid);

/*
 * read() whole struct miniproc_event records from @fd into @ev (room for
 * @max). Blocks until there is one, unless @fd is O_NONBLOCK: then -EAGAIN.
 * Returns how many were read, or -errno (-EINTR on a signal); -EIO if the
 * kernel returned a partial record.
 */
int mp_read_events(int fd, struct miniproc_event *ev, unsigned int max);

/*
 * Wait at most @timeout_ms (-1: forever) for events with poll(), then read
 * what is there without blocking. Returns how many were read, 0 if none
 * came in time, or -errno (-EINTR on a signal).
 */
int mp_poll_events(int fd, struct miniproc_event *ev, unsigned int max,
		   int timeout_ms);

/*
 * The one table of state names every printer uses: "UNUSED" .. "ZOMBIE",
 * and the lower-case form for JSON. Unknown states are "?" / "unknown".
 */
const char *mp_state_name(unsigned int state);
const char *mp_state_name_lower(unsigned int state);

#endif /* MINIPROC_LIB_H */
