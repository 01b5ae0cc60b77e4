/*
 * bench.c - how fast a pipe is: a stream, ping-pong round trips, and the
 * zero-copy stream of vmsplice(2) and splice(2).
 *
 * Each measure forks a child, times the parent's side with the lib's
 * bench support, and prints one key=value line (see ipclab(7)).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-pipe.h"

/*
 * bench, throughput: the child streams COUNT messages of SIZE bytes after
 * an untimed warm-up; the parent times from the end of the warm-up until
 * the last byte has arrived.
 */
static void
bench_stream(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	pid_t pid;
	int fd[2];

	if (pipe(fd) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[0]);
		if (close(fd[0]) == -1)
			err(1, "close");
		for (i = 0; i < total; i++)
			if (write_all(fd[1], buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	if (close(fd[1]) == -1)
		err(1, "close");
	bench_stream_end(b, fd[0], buf, pid);
}

/*
 * bench --latency: ping-pong.  The parent sends SIZE bytes, the child
 * sends the same SIZE bytes back; one round trip is timed each time.
 */
static void
bench_pingpong(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	int down[2], up[2];
	double *rtt, t0;
	pid_t pid;

	if (pipe(down) == -1 || pipe(up) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[1]);
		if (close(down[1]) == -1 || close(up[0]) == -1)
			err(1, "close");
		/* Echo every message whole, until the parent closes down[1]. */
		while (read_full(down[0], buf, b->size) == (ssize_t)b->size)
			if (write_all(up[1], buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	/* The times are the parent's alone: made after fork(). */
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	pin_to_cpu(b->cpu[0]);
	if (close(down[0]) == -1 || close(up[1]) == -1)
		err(1, "close");
	for (i = 0; i < total; i++) {
		t0 = now();
		if (write_all(down[1], buf, b->size) == -1)
			err(1, "write");
		if (read_full(up[0], buf, b->size) != (ssize_t)b->size)
			errx(1, "the echo child stopped early");
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(down[1]) == -1 || close(up[0]) == -1)
		err(1, "close");
	bench_wait(pid, "echo child");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}

#ifdef HAVE_VMSPLICE
/*
 * Move BYTES bytes from the pipe FD to NUL with splice(), at most SIZE a
 * call: the pages go from the pipe to /dev/null and never through our
 * memory.  Returns -1 on an early EOF.
 */
static int
splice_drain(int fd, int nul, size_t size, unsigned long long bytes)
{
	ssize_t n;

	while (bytes > 0) {
		stop_if_signalled();
		n = splice(fd, NULL, nul, NULL, bytes < size ? bytes : size,
		    SPLICE_F_MOVE);
		if (n > 0) {
			bytes -= (unsigned long long)n;
			continue;
		}
		if (n == 0)
			return -1;
		retry_if_eintr("splice");
	}
	return 0;
}

/*
 * bench --splice: the stream of bench_stream without the two copies.
 * vmsplice() puts references to the sender's own pages in the pipe
 * instead of copying the bytes in; splice() hands the pipe's pages to
 * /dev/null instead of copying them out.  The catch: until the reader
 * has consumed them, the pipe holds the sender's pages themselves, so
 * the sender must not change BUF meanwhile; this one never writes it.
 */
static void
bench_splice(struct bench *b, char *buf)
{
	long long i, max, total = b->warmup + b->count;
	struct iovec iov;
	char extra[32];
	int fd[2], nul, pipesz;
	double t0, t1;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) == -1)
		err(1, "pipe");
	/* A bigger pipe holds more pages in flight: fewer wake-ups. */
	max = proc_limit("/proc/sys/fs/pipe-max-size");
	pipesz = max > 0 && max < (1 << 20) ? (int)max : 1 << 20;
	if ((pipesz = fcntl(fd[1], F_SETPIPE_SZ, pipesz)) == -1) {
		if (errno != EPERM)
			err(1, "fcntl F_SETPIPE_SZ");
		/* Over this user's pipe-user-pages-soft: keep the default. */
		if ((pipesz = fcntl(fd[1], F_GETPIPE_SZ)) == -1)
			err(1, "fcntl F_GETPIPE_SZ");
	}
	if ((nul = open("/dev/null", O_WRONLY)) == -1)
		err(1, "open /dev/null");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[0]);
		if (close(fd[0]) == -1)
			err(1, "close");
		for (i = 0; i < total; i++) {
			iov.iov_base = buf;
			iov.iov_len = b->size;
			/* Like write(), vmsplice() may move part of it. */
			while (iov.iov_len > 0) {
				stop_if_signalled();
				if ((n = vmsplice(fd[1], &iov, 1, 0)) == -1) {
					retry_if_eintr("vmsplice");
					continue;
				}
				iov.iov_base = (char *)iov.iov_base + n;
				iov.iov_len -= (size_t)n;
			}
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	if (close(fd[1]) == -1)
		err(1, "close");
	if (splice_drain(fd[0], nul, b->size,
	    (unsigned long long)b->warmup * b->size) == -1)
		errx(1, "the sender stopped early");
	t0 = now();
	if (splice_drain(fd[0], nul, b->size,
	    (unsigned long long)b->count * b->size) == -1)
		errx(1, "the sender stopped early");
	t1 = now();
	if (close(fd[0]) == -1 || close(nul) == -1)
		err(1, "close");
	bench_wait(pid, "sender");
	snprintf(extra, sizeof(extra), "pipe_size=%d", pipesz);
	bench_report_throughput(b, t1 - t0, extra);
}
#endif /* HAVE_VMSPLICE */

/* bench: measure the pipe; one key=value line on stdout. */
int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	if (o->splice && o->latency)
		usage_error("--splice measures a stream; not with --latency");
#ifndef HAVE_VMSPLICE
	if (o->splice)
		errx(1, "--splice: this system has no vmsplice");
#endif
	bench_setup(&b, o->splice ? "pipe-splice" : "pipe", o->size, o->count,
	    o->latency, o->cpu);
	buf = bench_buffer(b.size);
	bench_announce(&b, o->splice ?
	    "one-way stream, vmsplice in and splice out" : "one-way stream");
	if (b.latency)
		bench_pingpong(&b, buf);
#ifdef HAVE_VMSPLICE
	else if (o->splice)
		bench_splice(&b, buf);
#endif
	else
		bench_stream(&b, buf);
	free(buf);
	return 0;
}
