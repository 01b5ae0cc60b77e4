/*
 * bench.c - how fast is a socket?  Throughput of a one-way stream, or
 * round-trip latency, over a Unix stream socketpair or TCP on --tcp.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <err.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

static void	bench_stream(struct bench *b, struct endpoint *ep, char *buf);
static void	bench_pingpong(struct bench *b, struct endpoint *ep, char *buf);

/* bench: a Unix stream socket, or TCP on --tcp; one key=value line. */
int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct endpoint ep;
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	if (o->dgram || o->abstract != NULL)
		usage_error("bench: a Unix stream socket, or --tcp HOST:PORT");
	if (o->tcp != NULL)
		endpoint(&ep, o, NULL, "socket", 1);
	bench_setup(&b, o->tcp != NULL ? "tcp" : "unix-stream", o->size,
	    o->count, o->latency, o->cpu);
	buf = bench_buffer(b.size);
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	say("%s over %s, %lld messages of %zu bytes after %lld to warm up",
	    b.latency ? "round trips" : "one-way stream", o->tcp != NULL ?
	    "TCP" : "a Unix stream socketpair", b.count, b.size, b.warmup);
	if (b.latency)
		bench_pingpong(&b, o->tcp != NULL ? &ep : NULL, buf);
	else
		bench_stream(&b, o->tcp != NULL ? &ep : NULL, buf);
	free(buf);
	return 0;
}

/*
 * A connected pair for bench: Unix (socketpair) or TCP on EP.  The child
 * returns with *CHILD_SIDE 1 and its end in sv[1]; the parent with 0, its
 * end in sv[0] and the child in *PIDP.
 */
static void
bench_pair(const struct bench *b, struct endpoint *ep, int sv[2],
    int *child_side, pid_t *pidp, int sender_cpu_in_child)
{
	int lfd, one = 1;
	pid_t pid;

	if (ep == NULL) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
			err(1, "socketpair");
		pin_to_cpu(b->cpu[sender_cpu_in_child ? 0 : 1]);
		if ((pid = fork()) == -1)
			fork_failed();
		if (pid == 0) {
			if (close(sv[0]) == -1)
				err(1, "close");
			*child_side = 1;
			*pidp = 0;
			return;
		}
		if (close(sv[1]) == -1)
			err(1, "close");
		at_exit_stop_child(pid);
		*child_side = 0;
		*pidp = pid;
		return;
	}
	lfd = server_socket(ep);
	pin_to_cpu(b->cpu[sender_cpu_in_child ? 0 : 1]);
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_quiet(1);
		if (close(lfd) == -1)
			err(1, "close");
		sv[1] = client_socket(ep);
		/* Small messages go at once, not held to fill a segment. */
		if (setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one)) == -1)
			err(1, "setsockopt TCP_NODELAY");
		*child_side = 1;
		*pidp = 0;
		return;
	}
	at_exit_stop_child(pid);
	if ((sv[0] = accept_retry(lfd)) == -1)
		err(1, "accept");
	if (setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ==
	    -1)
		err(1, "setsockopt TCP_NODELAY");
	if (close(lfd) == -1)
		err(1, "close");
	*child_side = 0;
	*pidp = pid;
}

/*
 * bench, throughput: the child streams warm-up plus COUNT messages of
 * SIZE bytes; the parent times from the end of the warm-up until the
 * last byte has arrived.
 */
static void
bench_stream(struct bench *b, struct endpoint *ep, char *buf)
{
	long long i, total = b->warmup + b->count;
	int sv[2], child;
	pid_t pid;

	bench_pair(b, ep, sv, &child, &pid, 1);
	if (child) {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++)
			if (send_all(sv[1], buf, b->size) == -1)
				err(1, "send");
		_exit(0);
	}
	pin_to_cpu(b->cpu[1]);
	bench_stream_end(b, sv[0], buf, pid);
}

/* bench --latency: ping-pong, the full payload both ways. */
static void
bench_pingpong(struct bench *b, struct endpoint *ep, char *buf)
{
	long long i, total = b->warmup + b->count;
	double *rtt, t0;
	int sv[2], child;
	pid_t pid;

	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	bench_pair(b, ep, sv, &child, &pid, 0);
	if (child) {
		free(rtt);
		pin_to_cpu(b->cpu[1]);
		/* Echo every message whole, until the parent closes. */
		while (read_full(sv[1], buf, b->size) == (ssize_t)b->size)
			if (send_all(sv[1], buf, b->size) == -1)
				err(1, "send");
		_exit(0);
	}
	pin_to_cpu(b->cpu[0]);
	for (i = 0; i < total; i++) {
		t0 = now();
		if (send_all(sv[0], buf, b->size) == -1)
			err(1, "send");
		if (read_full(sv[0], buf, b->size) != (ssize_t)b->size)
			errx(1, "the echo child stopped early");
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(sv[0]) == -1)
		err(1, "close");
	bench_wait(pid, "echo child");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}
