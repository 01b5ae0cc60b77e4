/*
 * bench.c - what a lock costs: lock+unlock pairs in one process, or a
 * lock handed back and forth between two (--latency), for each kind.
 */
#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-flock.h"

/* Take (waiting if need be) or give back a lock; EINTR only retries. */
static void
must(enum kind kind, int fd, short type, off_t start, off_t len)
{
	while (request(kind, fd, type, start, len, 1) == -1)
		retry_if_eintr("%s", call_name(kind, type, 1));
}

/* N lock+unlock pairs on the whole file. */
static void
pairs(enum kind kind, int fd, long long n)
{
	long long i;

	for (i = 0; i < n; i++) {
		stop_if_signalled();
		must(kind, fd, F_WRLCK, 0, 0);
		must(kind, fd, F_UNLCK, 0, 0);
	}
}

/* bench, throughput: lock and unlock, over and over, nobody in the way. */
static void
bench_pairs(const struct opts *o, struct bench *b, const char *path)
{
	double t0, t1;
	int fd;

	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	pin_to_cpu(b->cpu[0]);
	pairs(o->kind, fd, b->warmup);
	t0 = now();
	pairs(o->kind, fd, b->count);
	t1 = now();
	if (close(fd) == -1)
		err(1, "close");
	bench_report_throughput(b, t1 - t0, NULL);
}

/*
 * One process's three locks for the hand-off: bytes 0, 1 and 2 of one
 * file, or, since flock(2) cannot lock part of a file, three files.
 */
static void
open_three(enum kind kind, char paths[3][PATH_MAX], int fd[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		if (kind != FLOCK && i > 0) {
			fd[i] = fd[0];
			continue;
		}
		if ((fd[i] = open(paths[i], O_RDWR | O_CLOEXEC)) == -1)
			err(1, "open %s", paths[i]);
	}
}

/* Take (waiting) or give back lock I of the three. */
static void
handoff(enum kind kind, int fd[3], int i, short type)
{
	stop_if_signalled();
	must(kind, fd[i], type, kind == FLOCK ? 0 : i, kind == FLOCK ? 0 : 1);
}

/*
 * The child's side of the hand-off: its own descriptors, lock 2 taken
 * before it tells the parent so, then the steps in the other phase.
 */
static void
handoff_child(const struct opts *o, const struct bench *b,
    char paths[3][PATH_MAX], int fd[3], const int ready[2], pid_t parent)
{
	long long k, total = b->warmup + b->count;
	char c = 'r';

	die_with_parent(parent, SIGKILL);
	pin_to_cpu(b->cpu[1]);
	/* Drop the parent's descriptors: this side opens its own. */
	if (close(fd[0]) == -1 || (o->kind == FLOCK &&
	    (close(fd[1]) == -1 || close(fd[2]) == -1)))
		err(1, "close");
	open_three(o->kind, paths, fd);
	if (request(o->kind, fd[2], F_WRLCK, 2, 1, 0) == -1)
		err(1, "take lock 2");
	if (write_all(ready[1], &c, 1) == -1)
		err(1, "write");
	if (close(ready[0]) == -1 || close(ready[1]) == -1)
		err(1, "close");
	handoff(o->kind, fd, 0, F_WRLCK);
	for (k = 0; k < total - 1; k++) {
		handoff(o->kind, fd, (int)((k + 2) % 3), F_UNLCK);
		handoff(o->kind, fd, (int)((k + 1) % 3), F_WRLCK);
	}
	handoff(o->kind, fd, (int)((k + 2) % 3), F_UNLCK);
	_exit(0);
}

/*
 * bench --latency: a lock handed back and forth.  One lock alone cannot
 * do it (whoever lets go may take it straight back), three can: each
 * side holds two, lets one go (which wakes the other) and waits for the
 * one the other holds.  Parent step k gives back lock k%3 and waits for
 * (k+2)%3; the child, after taking 0, gives back (k+2)%3 and waits for
 * (k+1)%3.  Every wait ends with the other side's release: one step of
 * the parent is one round trip.
 */
static void
bench_handoff(const struct opts *o, struct bench *b, char paths[3][PATH_MAX])
{
	long long k, total = b->warmup + b->count;
	int fd[3], ready[2];
	double *rtt, t0;
	char c;
	pid_t parent = getpid(), pid;

	open_three(o->kind, paths, fd);
	handoff(o->kind, fd, 0, F_WRLCK);
	handoff(o->kind, fd, 1, F_WRLCK);
	/* A byte says "the child holds lock 2"; the timing uses locks only. */
	if (pipe(ready) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0)
		handoff_child(o, b, paths, fd, ready, parent);
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[0]);
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	if (close(ready[1]) == -1)
		err(1, "close");
	if (read_full(ready[0], &c, 1) != 1)
		errx(1, "the child could not take its lock");
	if (close(ready[0]) == -1)
		err(1, "close");
	for (k = 0; k < total; k++) {
		t0 = now();
		handoff(o->kind, fd, (int)(k % 3), F_UNLCK);
		handoff(o->kind, fd, (int)((k + 2) % 3), F_WRLCK);
		if (k >= b->warmup)
			rtt[k - b->warmup] = now() - t0;
	}
	bench_wait(pid, "child");
	if (close(fd[0]) == -1 || (o->kind == FLOCK &&
	    (close(fd[1]) == -1 || close(fd[2]) == -1)))
		err(1, "close");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}

/* bench: what a lock costs; one key=value line on stdout. */
int
cmd_bench(struct opts *o, int argc, char **argv)
{
	static const char *const mechanism[] = {
		"flock-fcntl", "flock-ofd", "flock-flock"
	};
	char paths[3][PATH_MAX], what[32];
	struct bench b;
	int i, fd;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	/* Without --latency, one process does all the work: one CPU. */
	if (!o->latency && o->cpu[0] != o->cpu[1])
		usage_error("--cpu A,B pins two processes, and only bench "
		    "--latency has two; use --cpu A,A");
	/* A lock carries no data: size 0; a "message" is one lock+unlock. */
	bench_setup(&b, mechanism[o->kind], BENCH_NO_DATA, o->count,
	    o->latency, o->cpu);
	for (i = 0; i < (o->kind == FLOCK && o->latency ? 3 : 1); i++) {
		snprintf(what, sizeof(what), "bench%d", i);
		fd = private_file(paths[i], sizeof(paths[i]), what, 0);
		if (close(fd) == -1)
			err(1, "close %s", paths[i]);
	}
	say("%s, %lld %s after %lld to warm up", kind_name[o->kind], b.count,
	    b.latency ? "hand-offs between two processes" :
	    "lock+unlock pairs in one process", b.warmup);
	if (b.latency)
		bench_handoff(o, &b, paths);
	else
		bench_pairs(o, &b, paths[0]);
	return 0;
}
