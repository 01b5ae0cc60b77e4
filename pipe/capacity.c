/*
 * capacity.c - a pipe is a buffer in the kernel, and it has a size.
 *
 * Make the write end non-blocking and write until the kernel answers
 * EAGAIN: what went in is the capacity, the classic way to measure it.
 * Beside it the two numbers POSIX and Linux name: PIPE_BUF, the largest
 * atomic write, and F_GETPIPE_SZ / F_SETPIPE_SZ, the size.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-pipe.h"

#ifdef F_GETPIPE_SZ
static void	fcntl_setpipe_sz_failed(size_t size) __attribute__((noreturn));
#endif

/* capacity: fill a pipe with non-blocking writes until EAGAIN. */
int
cmd_capacity(struct opts *o, int argc, char **argv)
{
	static const char page[4096];
	size_t filled = 0, chunk;
	ssize_t n;
	int fd[2], flags, size;

	(void)argv;
	if (argc > 0)
		usage_error("capacity takes no arguments");
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d, fd[1]=%d", fd[0], fd[1]);
	printf("PIPE_BUF: %d bytes (a write of at most this many is atomic)\n",
	    PIPE_BUF);
#ifdef F_GETPIPE_SZ
	if ((size = fcntl(fd[1], F_GETPIPE_SZ)) == -1)
		err(1, "fcntl F_GETPIPE_SZ");
	printf("F_GETPIPE_SZ: %d bytes (the size of a new pipe)\n", size);
	if (o->set != 0) {
		if ((size = fcntl(fd[1], F_SETPIPE_SZ, (int)o->set)) == -1)
			fcntl_setpipe_sz_failed(o->set);
		/* The kernel rounds up, never down: larger means rounded. */
		printf("F_SETPIPE_SZ %zu: granted %d bytes (%s)\n", o->set,
		    size, (size_t)size > o->set ? "rounded up to a "
		    "power-of-two number of pages" : "as asked: already a "
		    "power-of-two number of pages");
	}
#else
	(void)size;
	if (o->set != 0)
		errx(1, "--set: this system has no F_SETPIPE_SZ");
#endif
	/* Non-blocking, so a full pipe answers EAGAIN instead of waiting. */
	if ((flags = fcntl(fd[1], F_GETFL)) == -1 ||
	    fcntl(fd[1], F_SETFL, flags | O_NONBLOCK) == -1)
		err(1, "fcntl O_NONBLOCK");
	say("fcntl(fd[1], F_SETFL, O_NONBLOCK): a full pipe now fails with "
	    "EAGAIN");
	/*
	 * Whole pages while they fit (a page is at most PIPE_BUF, so such a
	 * write goes in whole or not at all), then single bytes.
	 */
	for (chunk = sizeof(page);;) {
		n = write(fd[1], page, chunk);
		if (n >= 0) {
			filled += (size_t)n;
			continue;
		}
		if (errno != EAGAIN)
			err(1, "write(fd[1])");
		if (chunk == 1)
			break;
		chunk = 1;
	}
	say("write(fd[1]) -> EAGAIN after %zu bytes: the pipe is full", filled);
	printf("capacity: %zu bytes (written before EAGAIN)\n", filled);
	if (close(fd[0]) == -1 || close(fd[1]) == -1)
		err(1, "close");
	return 0;
}

#ifdef F_GETPIPE_SZ
/*
 * F_SETPIPE_SZ refused SIZE.  EPERM has two causes, told apart here: the
 * size is over pipe-max-size, or the user's pipes already hold more pages
 * than pipe-user-pages-soft or -hard allow.
 */
static void
fcntl_setpipe_sz_failed(size_t size)
{
	long long max;

	if (errno != EPERM)
		err(1, "fcntl F_SETPIPE_SZ %zu", size);
	max = proc_limit("/proc/sys/fs/pipe-max-size");
	if (max >= 0 && (long long)size > max)
		errx(1, "fcntl F_SETPIPE_SZ %zu: %s "
		    "(/proc/sys/fs/pipe-max-size is %lld; only "
		    "a process with CAP_SYS_RESOURCE may go "
		    "above it)", size, strerror(EPERM), max);
	errx(1, "fcntl F_SETPIPE_SZ %zu: %s (your pipes "
	    "already use more pages than "
	    "/proc/sys/fs/pipe-user-pages-soft (%lld) or "
	    "pipe-user-pages-hard (%lld, 0 for no limit) "
	    "allow)", size, strerror(EPERM),
	    proc_limit("/proc/sys/fs/pipe-user-pages-soft"),
	    proc_limit("/proc/sys/fs/pipe-user-pages-hard"));
}
#endif
