// SPDX-License-Identifier: GPL-2.0
/*
 * pty_run: run a command on a pseudo-terminal, as a user at a terminal
 * would, for shell tests where there is no `script` (busybox in the VM).
 *
 *   pty_run [-a MS] [-k KEYS] [-s SIGNAL] [-t MS] COMMAND [ARG]...
 *
 * COMMAND gets a new pseudo-terminal of 24 rows and 80 columns as its
 * controlling terminal, standard input, output and error. What it writes is
 * copied to standard output. After -a MS milliseconds (default 500) pty_run
 * types KEYS (-k, as they are) or sends it SIGNAL (-s, a number); after -t
 * MS (default 10000) it gives up and kills it.
 *
 * Then it says on standard error, on one line, how the command ended and
 * whether the terminal's modes (input, output and local flags, VMIN and
 * VTIME) are as they were before it started:
 *
 *   pty_run: exit 0, terminal restored
 *   pty_run: signal 15, terminal changed (lflag 0x8a31 -> 0x8a01)
 *   pty_run: timed out, terminal restored
 *
 * Exit status: 0 if it exited with status 0 and the terminal is restored,
 * 1 otherwise, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr, "usage: pty_run [-a MS] [-k KEYS] [-s SIGNAL] [-t MS] COMMAND [ARG]...\n");
	exit(2);
}

/* Copy what the master has to stdout; -1 once the other side is gone. */
static int drain(int master)
{
	char buf[4096];
	ssize_t n = read(master, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && errno == EAGAIN ? 0 : -1;
	if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
		return -1;
	fflush(stdout);
	return 0;
}

static int same_modes(const struct termios *a, const struct termios *b,
		      char *why, size_t len)
{
	if (a->c_lflag != b->c_lflag)
		snprintf(why, len, "lflag 0x%x -> 0x%x", a->c_lflag, b->c_lflag);
	else if (a->c_iflag != b->c_iflag)
		snprintf(why, len, "iflag 0x%x -> 0x%x", a->c_iflag, b->c_iflag);
	else if (a->c_oflag != b->c_oflag)
		snprintf(why, len, "oflag 0x%x -> 0x%x", a->c_oflag, b->c_oflag);
	else if (a->c_cc[VMIN] != b->c_cc[VMIN] || a->c_cc[VTIME] != b->c_cc[VTIME])
		snprintf(why, len, "VMIN/VTIME %d/%d -> %d/%d", a->c_cc[VMIN],
			 a->c_cc[VTIME], b->c_cc[VMIN], b->c_cc[VTIME]);
	else
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	long long after = 500, limit = 10000, start;
	const char *keys = NULL;
	struct termios before, later;
	int master, slave, sig = 0, c, status = 0, done = 0, acted = 0;
	int timed_out = 0, ok;
	char why[128];
	pid_t pid;

	while ((c = getopt(argc, argv, "+a:k:s:t:")) != -1) {
		switch (c) {
		case 'a':
			after = atoll(optarg);
			break;
		case 'k':
			keys = optarg;
			break;
		case 's':
			sig = atoi(optarg);
			break;
		case 't':
			limit = atoll(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		perror("pty_run: posix_openpt");
		return 1;
	}
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || tcgetattr(slave, &before) ||
	    ioctl(slave, TIOCSWINSZ, &ws)) {
		perror("pty_run: the terminal");
		return 1;
	}

	pid = fork();
	if (pid < 0) {
		perror("pty_run: fork");
		return 1;
	}
	if (!pid) {
		setsid();
		if (ioctl(slave, TIOCSCTTY, 0) || dup2(slave, 0) < 0 ||
		    dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
			_exit(127);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}

	fcntl(master, F_SETFL, O_NONBLOCK);
	start = now_ms();
	while (!done) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		long long t = now_ms() - start;

		if (!acted && t >= after) {
			acted = 1;
			if (keys && write(master, keys, strlen(keys)) < 0)
				perror("pty_run: typing");
			if (sig)
				kill(pid, sig);
		}
		if (t >= limit && !timed_out) {
			timed_out = 1;
			kill(pid, SIGKILL);
		}
		if (poll(&pfd, 1, 20) > 0)
			drain(master);
		if (waitpid(pid, &status, WNOHANG) == pid)
			done = 1;
	}
	/* What it wrote last. */
	while (drain(master) == 0) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };

		if (poll(&pfd, 1, 50) <= 0)
			break;
	}

	if (tcgetattr(slave, &later)) {
		perror("pty_run: the terminal after");
		return 1;
	}
	ok = same_modes(&before, &later, why, sizeof(why));
	if (timed_out)
		fprintf(stderr, "pty_run: timed out");
	else if (WIFSIGNALED(status))
		fprintf(stderr, "pty_run: signal %d", WTERMSIG(status));
	else
		fprintf(stderr, "pty_run: exit %d", WEXITSTATUS(status));
	if (ok)
		fprintf(stderr, ", terminal restored\n");
	else
		fprintf(stderr, ", terminal changed (%s)\n", why);
	return ok && !timed_out && WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}
