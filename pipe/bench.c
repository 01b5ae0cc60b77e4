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

static pid_t	fork_sender(const struct bench *b, int fd[2], char *buf,
		    void (*send_one)(int, char *, size_t));
static void	send_write(int fd, char *buf, size_t size);
#ifdef HAVE_VMSPLICE
static void	send_vmsplice(int fd, char *buf, size_t size);
#endif

/*
 * bench, throughput: the child streams COUNT messages of SIZE bytes after
 * an untimed warm-up; the parent times from the end of the warm-up until
 * the last byte has arrived.
 */
static void
bench_stream(struct bench *b, char *buf)
{
	pid_t pid;
	int fd[2];

	if (pipe(fd) == -1)
		err(1, "pipe");
	pid = fork_sender(b, fd, buf, send_write);
	bench_stream_end(b, fd[0], buf, pid);
}

/*
 * The two ends of a stream, bench's and --splice's: the child, on the
 * sender's CPU, keeps the write end and calls SEND_ONE for each message of
 * the warm-up and of the count; the parent, on the receiver's, keeps the
 * read end.  Returns the child's pid.
 */
static pid_t
fork_sender(const struct bench *b, int fd[2], char *buf,
    void (*send_one)(int, char *, size_t))
{
	long long i, total = b->warmup + b->count;
	pid_t pid;

	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		pin_to_cpu(b->cpu[0]);
		if (close(fd[0]) == -1)
			err(1, "close");
		for (i = 0; i < total; i++)
			send_one(fd[1], buf, b->size);
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	if (close(fd[1]) == -1)
		err(1, "close");
	return pid;
}

/* bench's message: write() copies SIZE bytes of BUF into the pipe. */
static void
send_write(int fd, char *buf, size_t size)
{
	if (write_all(fd, buf, size) == -1)
		err(1, "write");
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
		fork_failed();
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
 * --splice's message: vmsplice() puts references to BUF's pages in the
 * pipe.  Like write(), it may move part of it.
 */
static void
send_vmsplice(int fd, char *buf, size_t size)
{
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	ssize_t n;

	while (iov.iov_len > 0) {
		stop_if_signalled();
		if ((n = vmsplice(fd, &iov, 1, 0)) == -1) {
			retry_if_eintr("vmsplice");
			continue;
		}
		iov.iov_base = (char *)iov.iov_base + n;
		iov.iov_len -= (size_t)n;
	}
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
	long long max;
	char extra[32];
	int fd[2], nul, pipesz;
	double t0, t1;
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
	pid = fork_sender(b, fd, buf, send_vmsplice);
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
