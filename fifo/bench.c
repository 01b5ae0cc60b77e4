/*
 * bench.c - how fast a FIFO carries data: a one-way stream, or ping-pong
 * round trips over two FIFOs.  The FIFOs are this run's own (pid in the
 * name) and are unlinked as soon as both ends are open: after that the
 * name has done its job, and what is measured is the pipe behind it.
 */
#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-fifo.h"

/* A FIFO of this run's own, removed however the run ends. */
static void
bench_fifo(char *buf, size_t len, const char *what)
{
	private_fifo_name(buf, len, what);
	if (make_fifo(buf, 0600) == -1)
		err(1, "mkfifo %s", buf);
	at_exit_unlink(buf);
}

/*
 * bench, throughput: the child opens the FIFO by name and streams COUNT
 * messages of SIZE bytes after an untimed warm-up; the parent times from
 * the end of the warm-up until the last byte has arrived.
 */
static void
bench_stream(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	char path[PATH_MAX];
	int fd;
	pid_t pid;

	bench_fifo(path, sizeof(path), "bench");
	/*
	 * The child inherits this pinning.  Done before fork(), a CPU we
	 * cannot use fails here, not in a child the parent's open() waits on.
	 */
	pin_to_cpu(b->cpu[0]);
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		while ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
			retry_if_eintr("open %s", path);
		for (i = 0; i < total; i++)
			if (write_all(fd, buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	while ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		retry_if_eintr("open %s", path);
	/* Both ends are open: the name has done its job. */
	if (unlink(path) == -1)
		err(1, "unlink %s", path);
	at_exit_forget_unlink(path);
	bench_stream_end(b, fd, buf, pid);
}

/*
 * bench --latency: ping-pong over two FIFOs, one each way.  Both sides
 * open "down" first, then "up", or each would wait for the other for ever.
 */
static void
bench_pingpong(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	char down[PATH_MAX], up[PATH_MAX];
	double *rtt, t0;
	int dfd, ufd;
	pid_t pid;

	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	bench_fifo(down, sizeof(down), "bench-down");
	bench_fifo(up, sizeof(up), "bench-up");
	/* The echo child inherits this pinning (see bench_stream). */
	pin_to_cpu(b->cpu[1]);
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		while ((dfd = open(down, O_RDONLY | O_CLOEXEC)) == -1)
			retry_if_eintr("open %s", down);
		while ((ufd = open(up, O_WRONLY | O_CLOEXEC)) == -1)
			retry_if_eintr("open %s", up);
		/* Echo every message whole, until the parent closes down. */
		while (read_full(dfd, buf, b->size) == (ssize_t)b->size)
			if (write_all(ufd, buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[0]);
	while ((dfd = open(down, O_WRONLY | O_CLOEXEC)) == -1)
		retry_if_eintr("open %s", down);
	while ((ufd = open(up, O_RDONLY | O_CLOEXEC)) == -1)
		retry_if_eintr("open %s", up);
	if (unlink(down) == -1)
		err(1, "unlink %s", down);
	if (unlink(up) == -1)
		err(1, "unlink %s", up);
	at_exit_forget_unlink(down);
	at_exit_forget_unlink(up);
	for (i = 0; i < total; i++) {
		t0 = now();
		if (write_all(dfd, buf, b->size) == -1)
			err(1, "write");
		if (read_full(ufd, buf, b->size) != (ssize_t)b->size)
			errx(1, "the echo child stopped early");
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(dfd) == -1 || close(ufd) == -1)
		err(1, "close");
	bench_wait(pid, "echo child");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}

/* bench: measure the FIFO; one key=value line on stdout. */
int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	bench_setup(&b, "fifo", o->size, o->count, o->latency, o->cpu);
	buf = bench_buffer(b.size);
	bench_announce(&b, "one-way stream");
	if (b.latency)
		bench_pingpong(&b, buf);
	else
		bench_stream(&b, buf);
	free(buf);
	return 0;
}
