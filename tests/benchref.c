/*
 * benchref - the yardsticks make bench holds the benches against.
 *
 * Not installed: it exists so that a bench's figure can be read against
 * what the machine can do at all (memcpy) and against the plainest loop
 * over the same calls (pipe-ref), and so that a bench slower than that
 * loop shows its overhead.
 *
 * Teaches: nothing new; it is pipe(2), fork(2), read(2), write(2) and
 * memcpy(3) with nothing in between.
 *
 * Try:
 *	$ tests/benchref memcpy
 *	$ tests/benchref pipe --cpu 0,1; pipe/ipc-pipe -q bench --cpu 0,1
 *	$ tests/benchref pipe --latency --cpu 0,0
 *	$ pipe/ipc-pipe -q bench --latency --cpu 0,0
 *
 * See also: ipc-pipe(1), ipclab(7)
 */
#include "config.h"

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

/* Through a volatile pointer, so that no copy can be optimized away. */
static void *(*volatile copy)(void *, const void *, size_t) = memcpy;

/*
 * memcpy: COUNT copies of a SIZE-byte buffer (64 MiB, far beyond any
 * cache), after one untimed copy that faults every page in.  Every
 * message through the kernel is at least one such copy, so no bench of
 * a copying mechanism can beat this figure.
 */
static void
ref_memcpy(struct bench *b)
{
	long long i;
	char *src, *dst;
	double t0;

	if ((src = malloc(b->size)) == NULL || (dst = malloc(b->size)) == NULL)
		err(1, "malloc");
	memset(src, 'x', b->size);
	copy(dst, src, b->size);
	t0 = now();
	for (i = 0; i < b->count; i++)
		copy(dst, src, b->size);
	bench_report_throughput(b, now() - t0, NULL);
	free(src);
	free(dst);
}

/* Read exactly LEN bytes; exit 1 on an error or an early end of file. */
static void
read_exactly(int fd, char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = read(fd, buf, len)) <= 0) {
			if (n == 0)
				errx(1, "early end of file");
			err(1, "read");
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Write exactly LEN bytes; exit 1 on an error. */
static void
write_exactly(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1)
			err(1, "write");
		buf += n;
		len -= (size_t)n;
	}
}

/*
 * pipe-ref, throughput: the child writes warm-up plus COUNT messages of
 * SIZE bytes; the parent reads at most SIZE bytes a call and times the
 * COUNT messages after the warm-up, as ipc-pipe bench does.
 */
static void
ref_stream(struct bench *b, char *buf)
{
	unsigned long long left;
	long long i;
	double t0;
	ssize_t n;
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
		for (i = 0; i < b->warmup + b->count; i++)
			write_exactly(fd[1], buf, b->size);
		_exit(0);
	}
	pin_to_cpu(b->cpu[1]);
	if (close(fd[1]) == -1)
		err(1, "close");
	for (i = 0; i < b->warmup; i++)
		read_exactly(fd[0], buf, b->size);
	t0 = now();
	left = (unsigned long long)b->count * b->size;
	while (left > 0) {
		n = read(fd[0], buf, left < b->size ? left : b->size);
		if (n <= 0)
			errx(1, "the sender stopped early");
		left -= (unsigned long long)n;
	}
	bench_report_throughput(b, now() - t0, NULL);
	if (close(fd[0]) == -1)
		err(1, "close");
	require_success(reap(pid, "sender"), "sender");
}

/* pipe-ref --latency: the parent sends SIZE bytes, the child echoes them. */
static void
ref_pingpong(struct bench *b, char *buf)
{
	int down[2], up[2];
	double *rtt, t0;
	long long i;
	pid_t pid;

	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	if (pipe(down) == -1 || pipe(up) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[1]);
		if (close(down[1]) == -1 || close(up[0]) == -1)
			err(1, "close");
		for (i = 0; i < b->warmup + b->count; i++) {
			read_exactly(down[0], buf, b->size);
			write_exactly(up[1], buf, b->size);
		}
		_exit(0);
	}
	pin_to_cpu(b->cpu[0]);
	if (close(down[0]) == -1 || close(up[1]) == -1)
		err(1, "close");
	for (i = 0; i < b->warmup + b->count; i++) {
		t0 = now();
		write_exactly(down[1], buf, b->size);
		read_exactly(up[0], buf, b->size);
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(down[1]) == -1 || close(up[0]) == -1)
		err(1, "close");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	require_success(reap(pid, "echo child"), "echo child");
	free(rtt);
}

#define USAGE	"benchref memcpy|pipe [--latency] [--cpu A,B] [-n N] [-s SIZE]"

static void
usage(void)
{
	usage_error("usage: " USAGE);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cpu",	required_argument,	NULL,	'C' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "latency",	no_argument,		NULL,	'L' },
		{ NULL,		0,			NULL,	0 }
	};
	int c, cpu[2] = { -1, -1 }, latency = 0;
	long long count = 0;
	size_t size = 0;
	struct bench b;
	char *buf;

	narrate_quiet(1);
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "--help") == 0) {
		printf("Usage: %s\n", USAGE);
		close_stdout();
		return 0;
	}
	/* The mode comes first, so options follow it in any getopt. */
	optind = 2;
	while ((c = getopt_long(argc, argv, "C:Lhn:s:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'C':
			parse_cpu_pair("--cpu", optarg, cpu);
			break;
		case 'L':
			latency = 1;
			break;
		case 'h':
			printf("Usage: %s\n", USAGE);
			close_stdout();
			return 0;
		case 'n':
			count = parse_count("-n", optarg, 1, 100000000);
			break;
		case 's':
			size = parse_size("-s", optarg, 1, 64 << 20);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (strcmp(argv[1], "memcpy") == 0) {
		bench_setup(&b, "memcpy", size ? size : (size_t)64 << 20,
		    count ? count : 8, 0, cpu);
		pin_to_cpu(cpu[0]);
		ref_memcpy(&b);
		return 0;
	}
	if (strcmp(argv[1], "pipe") != 0)
		usage();
	bench_setup(&b, "pipe-ref", size, count, latency, cpu);
	if ((buf = malloc(b.size)) == NULL)
		err(1, "malloc");
	memset(buf, 'x', b.size);
	if (latency)
		ref_pingpong(&b, buf);
	else
		ref_stream(&b, buf);
	free(buf);
	return 0;
}
