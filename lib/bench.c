/*
 * bench.c - clock, CPU pinning, statistics and the one output line.
 *
 * The programs own their data paths; this file only times them and
 * reports what they measured in one line of key=value fields:
 *
 *   mechanism=pipe size=65536 count=4096 seconds=0.11 mib_per_s=2270.3 ...
 *   mechanism=pipe size=64 count=20000 rtt_p50_us=4.1 rtt_p99_us=9.0
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"

double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#ifdef HAVE_SCHED_SETAFFINITY
/* The CPUs in SET into BUF as "1" or "0-3,6"; how many there are. */
static int
cpu_list(char *buf, size_t len, const cpu_set_t *set)
{
	const char *sep;
	size_t used = 0;
	int cpu, first, n = 0, w;

	buf[0] = '\0';
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, set))
			continue;
		first = cpu;
		while (cpu + 1 < CPU_SETSIZE && CPU_ISSET(cpu + 1, set))
			cpu++;
		n += cpu - first + 1;
		if (used >= len)
			continue;
		sep = used > 0 ? "," : "";
		if (first == cpu)
			w = snprintf(buf + used, len - used, "%s%d", sep, cpu);
		else
			w = snprintf(buf + used, len - used, "%s%d-%d", sep,
			    first, cpu);
		used += w > 0 ? (size_t)w : 0;
	}
	return n;
}
#endif

void
pin_to_cpu(int cpu)
{
#ifdef HAVE_SCHED_SETAFFINITY
	cpu_set_t set;
	char list[256];
	int n;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == -1) {
		if (errno != EINVAL)
			err(1, "sched_setaffinity CPU %d", cpu);
		/*
		 * Offline, missing, or outside our cpuset (taskset(1) does
		 * not make one; docker --cpuset-cpus does): say where we
		 * run, not every CPU the machine has.
		 */
		if (sched_getaffinity(0, sizeof(set), &set) == -1)
			errx(1, "cannot pin to CPU %d: not one this process "
			    "may use here", cpu);
		n = cpu_list(list, sizeof(list), &set);
		errx(1, "cannot pin to CPU %d: not one this process may use "
		    "here (it runs on CPU%s %s)", cpu, n == 1 ? "" : "s",
		    list);
	}
#else
	if (cpu >= 0)
		errx(1, "--cpu: this system has no sched_setaffinity");
#endif
}

/* Default counts that keep a run near a second on a typical machine. */
static long long
bench_default_count(size_t size, int latency)
{
	long long n;

	if (latency)
		return 20000;
	/* About 256 MiB in all, between a thousand and a million messages. */
	n = (long long)((256ULL << 20) / (size ? size : 1));
	if (n < 1000)
		n = 1000;
	if (n > 1000000)
		n = 1000000;
	return n;
}

void
bench_setup(struct bench *b, const char *mechanism, size_t size,
    long long count, int latency, const int cpu[2])
{
	memset(b, 0, sizeof(*b));
	b->mechanism = mechanism;
	b->latency = latency;
	if (size == BENCH_NO_DATA)
		b->size = 0;
	else
		b->size = size != 0 ? size : latency ? 64 : 65536;
	b->count = count != 0 ? count : bench_default_count(b->size, latency);
	b->warmup = b->count / 10 > 10 ? b->count / 10 : 10;
	b->cpu[0] = cpu[0];
	b->cpu[1] = cpu[1];
}

/*
 * The one buffer a bench sends from and receives into: SIZE bytes of 'x'
 * that start on a page.  Where malloc() happened to put a 64-byte buffer
 * held ipc-fifo's 64 B stream across CPUs at two thirds of its loop's,
 * with the same calls, so every bench and tests/benchref take theirs here.
 */
char *
bench_buffer(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;
	int e;

	if (page <= 0)
		page = 4096;
	if ((e = posix_memalign(&p, (size_t)page, size > 0 ? size : 1)) != 0) {
		errno = e;
		err(1, "posix_memalign %zu bytes", size);
	}
	memset(p, 'x', size);
	return p;
}

static void
print_common(const struct bench *b)
{
	printf("mechanism=%s size=%zu count=%lld", b->mechanism, b->size,
	    b->count);
	if (b->chunk != 0 && b->chunk < b->size)
		printf(" chunk=%zu", b->chunk);
}

static void
print_tail(const struct bench *b, const char *extra)
{
	if (b->cpu[0] >= 0)
		printf(" cpu=%d,%d", b->cpu[0], b->cpu[1]);
	if (extra != NULL && extra[0] != '\0')
		printf(" %s", extra);
	printf("\n");
	flush_stdout();
}

void
bench_report_throughput(const struct bench *b, double seconds,
    const char *extra)
{
	double bytes = (double)b->size * (double)b->count;

	if (seconds <= 0)
		seconds = 1e-9;
	print_common(b);
	printf(" seconds=%.3f mib_per_s=%.1f msgs_per_s=%.0f", seconds,
	    bytes / seconds / (1024.0 * 1024.0), (double)b->count / seconds);
	print_tail(b, extra);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted V. */
static double
percentile(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

void
bench_report_latency(const struct bench *b, double *rtt, size_t n,
    const char *extra)
{
	if (n == 0)
		errx(1, "no round trips were measured");
	qsort(rtt, n, sizeof(rtt[0]), cmp_double);
	print_common(b);
	printf(" rtt_p50_us=%.1f rtt_p99_us=%.1f",
	    percentile(rtt, n, 50) * 1e6, percentile(rtt, n, 99) * 1e6);
	print_tail(b, extra);
}

void
bench_announce(const struct bench *b, const char *stream)
{
	say("%s, %lld message%s of %zu byte%s after %lld to warm up",
	    b->latency ? "round trips" : stream, b->count,
	    b->count == 1 ? "" : "s", b->size, b->size == 1 ? "" : "s",
	    b->warmup);
}

double
drain_timed(int fd, char *buf, const struct bench *b)
{
	double t0;

	if (drain(fd, buf, b->size,
	    (unsigned long long)b->warmup * b->size) == -1)
		errx(1, "the sender stopped early");
	t0 = now();
	if (drain(fd, buf, b->size,
	    (unsigned long long)b->count * b->size) == -1)
		errx(1, "the sender stopped early");
	return now() - t0;
}

void
bench_wait(pid_t pid, const char *who)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, who, status), who);
}

void
bench_stream_end(const struct bench *b, int fd, char *buf, pid_t sender)
{
	double seconds;

	seconds = drain_timed(fd, buf, b);
	if (close(fd) == -1)
		err(1, "close");
	bench_wait(sender, "sender");
	bench_report_throughput(b, seconds, NULL);
}
