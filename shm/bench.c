/*
 * bench.c - bench: how fast shared memory moves data between two
 * processes.  A ring of slots in a region of our own (region.c), one
 * process copying messages in and the other copying them out, guarded by
 * a pair of counting semaphores or, for --spin, by flags on cache lines
 * of their own; or, for --latency, one slot each way, ping-pong.  One
 * key=value line on stdout (lib/bench.c), as every chapter's bench.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>

#include <err.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-shm.h"

/* A cache line, so each spin flag has one to itself. */
#define LINE		64
/* --spin: loads of a flag before we offer the CPU to others. */
#define SPINS		4096

/* A flag alone on its cache line, so spinning on it disturbs no neighbour. */
struct flag {
	_Alignas(LINE) atomic_uint full;	/* 1: the slot holds a message */
};

enum { EMPTY, FULL };		/* the stream's semaphores */
enum { PING, PONG };		/* the round trip's */

/*
 * The bench's region: a pair of semaphores, what each side burned, then
 * (for --spin) one flag per slot, then the slots themselves.
 */
struct ring {
	sem_t		 sem[2];
	double		 cpu[2];	/* CPU seconds: sender, receiver */
	struct flag	 flag[];
};

/* CPU seconds, user and system, that this process has burned so far. */
static double
cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		err(1, "getrusage");
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* --spin: wait until FLAG is WANT, yielding once we have spun a while. */
static void
spin_until(atomic_uint *flag, unsigned int want, const struct peer *peer)
{
	unsigned long spins = 0;

	while (atomic_load_explicit(flag, memory_order_acquire) != want) {
		stop_if_signalled();
		if (++spins < SPINS)
			continue;
		/*
		 * Spun long enough: the other process may need our CPU
		 * (both pinned to one, --cpu 0,0) to make progress.
		 */
		sched_yield();
		if (spins % 16384 == 0)
			peer_alive(peer);
	}
}

static void
raise_flag(atomic_uint *flag, unsigned int value)
{
	atomic_store_explicit(flag, value, memory_order_release);
}

/* Slot K: after the header and the flags, on cache lines of its own. */
static char *
slot(struct ring *r, size_t nslots, size_t stride, size_t k)
{
	return (char *)r + sizeof(*r) + nslots * sizeof(struct flag) +
	    k * stride;
}

/* fork(), with nothing left in stdout for the child to print twice. */
static pid_t
fork_flushed(void)
{
	pid_t pid;

	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	if ((pid = fork()) == -1)
		fork_failed();
	return pid;
}

/*
 * Wait for the child WHO, then take the ring down.  EXTRA gets the end
 * of the bench line: "slots=N " when NSLOTS is not 0, the wait and the
 * CPU seconds both sides burned.
 */
static void
finish_ring(const struct opts *o, struct region *reg, pid_t pid,
    const char *who, size_t nslots, char *extra, size_t len)
{
	struct ring *r = reg->addr;
	int n = 0;

	bench_wait(pid, who);
	if (nslots != 0)
		n = snprintf(extra, len, "slots=%zu ", nslots);
	snprintf(extra + n, len - (size_t)n, "wait=%s cpu_s=%.3f",
	    o->spin ? "spin" : "sem", r->cpu[0] + r->cpu[1]);
	if (sem_destroy(&r->sem[0]) == -1 || sem_destroy(&r->sem[1]) == -1)
		err(1, "sem_destroy");
	drop_region(reg);
	cleanup_run();
}

/* The stream's sender, the child: copy each message into the next slot. */
static void
stream_send(const struct opts *o, const struct bench *b, struct ring *r,
    size_t nslots, size_t stride, const char *buf)
{
	struct peer peer = { getppid(), 1, "receiver" };
	long long i, total = b->warmup + b->count;
	size_t k;
	double c0;

	pin_to_cpu(b->cpu[0]);
	c0 = cpu_seconds();
	for (i = 0, k = 0; i < total; i++) {
		if (i == b->warmup)
			c0 = cpu_seconds();
		if (o->spin)
			spin_until(&r->flag[k].full, 0, &peer);
		else
			wait_sem(&r->sem[EMPTY], "empty", &peer);
		memcpy(slot(r, nslots, stride, k), buf, b->size);
		if (o->spin)
			raise_flag(&r->flag[k].full, 1);
		else
			post_sem(&r->sem[FULL], "full");
		if (++k == nslots)
			k = 0;
	}
	r->cpu[0] = cpu_seconds() - c0;
}

/* The stream's receiver, the parent: the seconds the timed part took. */
static double
stream_receive(const struct opts *o, const struct bench *b, struct ring *r,
    size_t nslots, size_t stride, char *buf, pid_t pid)
{
	struct peer peer = { pid, 0, "sender" };
	long long i, total = b->warmup + b->count;
	double t0, t1, c0;
	size_t k;

	pin_to_cpu(b->cpu[1]);
	t0 = now();
	c0 = cpu_seconds();
	for (i = 0, k = 0; i < total; i++) {
		if (i == b->warmup) {
			t0 = now();
			c0 = cpu_seconds();
		}
		if (o->spin)
			spin_until(&r->flag[k].full, 1, &peer);
		else
			wait_sem(&r->sem[FULL], "full", &peer);
		memcpy(buf, slot(r, nslots, stride, k), b->size);
		if (o->spin)
			raise_flag(&r->flag[k].full, 0);
		else
			post_sem(&r->sem[EMPTY], "empty");
		if (++k == nslots)
			k = 0;
	}
	t1 = now();
	r->cpu[1] = cpu_seconds() - c0;
	return t1 - t0;
}

/*
 * bench, throughput: the child (the sender) copies COUNT messages into
 * a ring of slots, the parent (the receiver) copies each out again, as
 * a pipe's write and read would.  Either a pair of counting semaphores
 * guards the slots (empty: slots free, full: slots filled), or --spin
 * flags on their own cache lines.
 */
static void
bench_stream(const struct opts *o, struct bench *b, char *buf)
{
	size_t stride = (b->size + LINE - 1) / LINE * LINE, nslots;
	struct region reg;
	struct ring *r;
	double seconds;
	char extra[96];
	pid_t pid;

	/*
	 * About 4 MiB of slots, between 2 and 1024 of them: a deep ring
	 * lets either side run ahead, so they seldom wait on each other.
	 */
	nslots = ((size_t)4 << 20) / stride;
	nslots = nslots < 2 ? 2 : nslots > 1024 ? 1024 : nslots;
	new_region(o, &reg, sizeof(*r) + nslots * (sizeof(struct flag) +
	    stride));
	r = reg.addr;
	if (sem_init(&r->sem[EMPTY], 1, (unsigned int)nslots) == -1 ||
	    sem_init(&r->sem[FULL], 1, 0) == -1)
		err(1, "sem_init");
	say("a ring of %zu slots of %zu bytes; waiting by %s", nslots, b->size,
	    o->spin ? "spinning on flags" : "semaphores");
	if ((pid = fork_flushed()) == 0) {
		stream_send(o, b, r, nslots, stride, buf);
		_exit(0);
	}
	at_exit_stop_child(pid);
	seconds = stream_receive(o, b, r, nslots, stride, buf, pid);
	finish_ring(o, &reg, pid, "sender", nslots, extra, sizeof(extra));
	bench_report_throughput(b, seconds, extra);
}

/* The round trip's echo, the child: copy ping out and into pong. */
static void
pingpong_echo(const struct opts *o, const struct bench *b, struct ring *r,
    char *ping, char *pong, char *buf)
{
	struct peer peer = { getppid(), 1, "pinger" };
	long long i, total = b->warmup + b->count;
	double c0;

	pin_to_cpu(b->cpu[1]);
	c0 = cpu_seconds();
	for (i = 0; i < total; i++) {
		if (i == b->warmup)
			c0 = cpu_seconds();
		if (o->spin)
			spin_until(&r->flag[PING].full, 1, &peer);
		else
			wait_sem(&r->sem[PING], "ping", &peer);
		memcpy(buf, ping, b->size);
		if (o->spin)
			raise_flag(&r->flag[PING].full, 0);
		memcpy(pong, buf, b->size);
		if (o->spin)
			raise_flag(&r->flag[PONG].full, 1);
		else
			post_sem(&r->sem[PONG], "pong");
	}
	r->cpu[1] = cpu_seconds() - c0;
}

/* The parent: one timed round trip a turn, into RTT. */
static void
pingpong_ping(const struct opts *o, const struct bench *b, struct ring *r,
    char *ping, char *pong, char *buf, pid_t pid, double *rtt)
{
	struct peer peer = { pid, 0, "echo child" };
	long long i, total = b->warmup + b->count;
	double t0, c0;

	pin_to_cpu(b->cpu[0]);
	c0 = cpu_seconds();
	for (i = 0; i < total; i++) {
		if (i == b->warmup)
			c0 = cpu_seconds();
		t0 = now();
		memcpy(ping, buf, b->size);
		if (o->spin)
			raise_flag(&r->flag[PING].full, 1);
		else
			post_sem(&r->sem[PING], "ping");
		if (o->spin)
			spin_until(&r->flag[PONG].full, 1, &peer);
		else
			wait_sem(&r->sem[PONG], "pong", &peer);
		memcpy(buf, pong, b->size);
		if (o->spin)
			raise_flag(&r->flag[PONG].full, 0);
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	r->cpu[0] = cpu_seconds() - c0;
}

/*
 * bench --latency: ping-pong.  The parent copies SIZE bytes into the
 * ping slot and says so; the child copies them out, copies them into the
 * pong slot and says so; the parent copies them out.  One round trip is
 * timed each time.
 */
static void
bench_pingpong(const struct opts *o, struct bench *b, char *buf)
{
	size_t stride = (b->size + LINE - 1) / LINE * LINE;
	struct region reg;
	struct ring *r;
	double *rtt;
	char extra[96], *ping, *pong;
	pid_t pid;

	new_region(o, &reg, sizeof(*r) + 2 * (sizeof(struct flag) + stride));
	r = reg.addr;
	ping = slot(r, 2, stride, 0);
	pong = slot(r, 2, stride, 1);
	if (sem_init(&r->sem[PING], 1, 0) == -1 ||
	    sem_init(&r->sem[PONG], 1, 0) == -1)
		err(1, "sem_init");
	say("round trips of %zu bytes each way; waiting by %s", b->size,
	    o->spin ? "spinning on flags" : "semaphores");
	if ((pid = fork_flushed()) == 0) {
		pingpong_echo(o, b, r, ping, pong, buf);
		free(buf);	/* our copy of the caller's buffer */
		_exit(0);
	}
	at_exit_stop_child(pid);
	/* The times are the parent's alone: made after fork(). */
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	pingpong_ping(o, b, r, ping, pong, buf, pid, rtt);
	finish_ring(o, &reg, pid, "echo child", 0, extra, sizeof(extra));
	bench_report_latency(b, rtt, (size_t)b->count, extra);
	free(rtt);
}

/* bench: measure shared memory; one key=value line on stdout. */
int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	if (o->posix && o->memfd)
		usage_error("--posix and --memfd: choose one");
	if (o->size > (size_t)64 << 20)
		usage_error("-s: %zu is out of range for bench (1 to %zu "
		    "bytes)", o->size, (size_t)64 << 20);
	bench_setup(&b, o->memfd ? "shm-memfd" : o->posix ? "shm-posix" :
	    "shm-sysv", o->size, o->count, o->latency, o->cpu);
	buf = bench_buffer(b.size);
	bench_announce(&b, "one-way stream");
	if (b.latency)
		bench_pingpong(o, &b, buf);
	else
		bench_stream(o, &b, buf);
	free(buf);
	return 0;
}
