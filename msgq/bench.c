/*
 * bench.c - how fast a message queue is: a one-way stream (the child
 * sends, the parent receives and times) or round trips (--latency), over
 * a private System V queue or POSIX queues that are unlinked at once.  A
 * payload larger than one message may hold travels as several; the
 * output line says so.  Narration stays out of the timed loops.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-msgq.h"

/* Set by SIGCHLD, so a receiver notices that its peer is gone. */
static volatile sig_atomic_t child_exited;

static void	catch_sigchld(void);
static void	send_payload_sysv(int id, struct message *m, size_t size,
		    size_t chunk, long type);
static void	recv_payload_sysv(int id, struct message *m, size_t size,
		    size_t chunk, long type, pid_t *peer);
static void	send_payload_posix(mqd_t mqd, const char *buf, size_t size,
		    size_t chunk);
static void	recv_payload_posix(mqd_t mqd, char *buf, size_t size,
		    size_t chunk, pid_t *peer);
static mqd_t	make_queue_posix(char *name, size_t len, const char *what,
		    struct mq_attr *attr);

/*
 * The System V bench's child: the sender of the stream, or the echo of
 * the round trips (type 1 carries the ping, type 2 the pong).
 */
static void
bench_sysv_peer(const struct bench *b, int id, struct message *m)
{
	long long i, total = b->warmup + b->count;

	if (b->latency) {
		/* The echo: take each ping whole, send it back. */
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < total; i++) {
			recv_payload_sysv(id, m, b->size, b->chunk, 1, NULL);
			send_payload_sysv(id, m, b->size, b->chunk, 2);
		}
	} else {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++)
			send_payload_sysv(id, m, b->size, b->chunk, 1);
	}
}

/*
 * bench, System V: a private queue.  Throughput: the child sends, the
 * parent receives and times.  Latency: one queue both ways.
 */
static void
bench_sysv(struct bench *b)
{
	static int id = -1;
	long long i, total = b->warmup + b->count;
	struct msqid_ds ds;
	struct message *m;
	double *rtt = NULL, t0, t1 = 0;
	size_t msgmax = msgmax_sysv();
	pid_t parent, pid;
	int status;

	b->mechanism = "msgq-sysv";
	if ((id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
		err(1, "msgget IPC_PRIVATE");
	at_exit_call(remove_sysv, &id);
	if (msgctl(id, IPC_STAT, &ds) == -1)
		err(1, "msgctl id %d IPC_STAT", id);
	/* A larger payload travels as several messages: the line says so. */
	b->chunk = b->size;
	if (b->chunk > msgmax)
		b->chunk = msgmax;
	if (b->chunk > ds.msg_qbytes)
		b->chunk = ds.msg_qbytes;
	say("msgget(IPC_PRIVATE) -> id %d; msgmax %zu, msg_qbytes %lu: "
	    "messages of %zu bytes", id, msgmax, (unsigned long)ds.msg_qbytes,
	    b->chunk);
	if ((m = malloc(sizeof(*m) + b->chunk)) == NULL)
		err(1, "malloc");
	memset(m->mtext, 'x', b->chunk);
	if (b->latency &&
	    (rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	catch_sigchld();
	parent = getpid();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		die_with_parent(parent, SIGKILL);
		bench_sysv_peer(b, id, m);
		_exit(0);
	}
	at_exit_stop_child(pid);
	if (b->latency) {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++) {
			t0 = now();
			send_payload_sysv(id, m, b->size, b->chunk, 1);
			recv_payload_sysv(id, m, b->size, b->chunk, 2, &pid);
			if (i >= b->warmup)
				rtt[i - b->warmup] = now() - t0;
		}
	} else {
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < b->warmup; i++)
			recv_payload_sysv(id, m, b->size, b->chunk, 0, &pid);
		t0 = now();
		for (i = 0; i < b->count; i++)
			recv_payload_sysv(id, m, b->size, b->chunk, 0, &pid);
		t1 = now() - t0;
	}
	if (pid != 0) {
		while (waitpid(pid, &status, 0) == -1)
			retry_if_eintr("waitpid %ld", (long)pid);
		require_success(child_reaped(pid, "peer", status), "peer");
	}
	remove_sysv(&id);
	if (b->latency)
		bench_report_latency(b, rtt, (size_t)b->count, NULL);
	else
		bench_report_throughput(b, t1, NULL);
	free(rtt);
	free(m);
}

/* The POSIX bench's child: as the System V one, over PING and PONG. */
static void
bench_posix_peer(const struct bench *b, mqd_t ping, mqd_t pong, char *buf)
{
	long long i, total = b->warmup + b->count;

	if (b->latency) {
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < total; i++) {
			recv_payload_posix(ping, buf, b->size, b->chunk, NULL);
			send_payload_posix(pong, buf, b->size, b->chunk);
		}
	} else {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++)
			send_payload_posix(ping, buf, b->size, b->chunk);
	}
}

/*
 * bench --posix: throughput over one queue; latency over two, since a
 * POSIX receiver cannot choose which messages it takes.
 */
static void
bench_posix(struct bench *b)
{
	static char name[2][NAME_MAX + 2];
	long long i, total = b->warmup + b->count;
	double *rtt = NULL, t0, t1 = 0;
	struct mq_attr attr;
	mqd_t ping, pong = (mqd_t)-1;
	char *buf, extra[32];
	pid_t parent, pid;
	int status;

	b->mechanism = "msgq-posix";
	memset(&attr, 0, sizeof(attr));
	/*
	 * At most 10 messages wait in the queue (msg_max, the most an
	 * ordinary user may ask for, is 10 by default): at 64 bytes the
	 * sender stops every 10 messages until the receiver wakes, where
	 * a System V queue takes 256.  The line says maxmsg=10.
	 */
	attr.mq_maxmsg = limit_or("/proc/sys/fs/mqueue/msg_max",
	    DEFAULT_MQ_MSGMAX);
	if (attr.mq_maxmsg > 10)
		attr.mq_maxmsg = 10;
	snprintf(extra, sizeof(extra), "maxmsg=%ld", attr.mq_maxmsg);
	/* A larger payload travels as several messages: the line says so. */
	b->chunk = (size_t)limit_or("/proc/sys/fs/mqueue/msgsize_max",
	    DEFAULT_MQ_MSGSIZE);
	if (b->chunk > b->size)
		b->chunk = b->size;
	attr.mq_msgsize = (long)b->chunk;
	ping = make_queue_posix(name[0], sizeof(name[0]), "msgq", &attr);
	if (b->latency) {
		pong = make_queue_posix(name[1], sizeof(name[1]), "msgq-pong",
		    &attr);
		if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
			err(1, "malloc");
	}
	buf = bench_buffer(b->size);
	catch_sigchld();
	parent = getpid();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		die_with_parent(parent, SIGKILL);
		bench_posix_peer(b, ping, pong, buf);
		_exit(0);
	}
	at_exit_stop_child(pid);
	if (b->latency) {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++) {
			t0 = now();
			send_payload_posix(ping, buf, b->size, b->chunk);
			recv_payload_posix(pong, buf, b->size, b->chunk, &pid);
			if (i >= b->warmup)
				rtt[i - b->warmup] = now() - t0;
		}
	} else {
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < b->warmup; i++)
			recv_payload_posix(ping, buf, b->size, b->chunk, &pid);
		t0 = now();
		for (i = 0; i < b->count; i++)
			recv_payload_posix(ping, buf, b->size, b->chunk, &pid);
		t1 = now() - t0;
	}
	if (pid != 0) {
		while (waitpid(pid, &status, 0) == -1)
			retry_if_eintr("waitpid %ld", (long)pid);
		require_success(child_reaped(pid, "peer", status), "peer");
	}
	if (mq_close(ping) == -1 || (b->latency && mq_close(pong) == -1))
		err(1, "mq_close");
	if (b->latency)
		bench_report_latency(b, rtt, (size_t)b->count, extra);
	else
		bench_report_throughput(b, t1, extra);
	free(rtt);
	free(buf);
}

/* bench: measure the queue; one key=value line on stdout. */
int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	bench_setup(&b, o->posix ? "msgq-posix" : "msgq-sysv", o->size,
	    o->nmsgs, o->latency, o->cpu);
	bench_announce(&b, "one-way stream");
	if (o->posix)
		bench_posix(&b);
	else
		bench_sysv(&b);
	return 0;
}

/* SIGCHLD only marks that the peer is gone; it interrupts a wait. */
static void
on_sigchld(int sig)
{
	(void)sig;
	child_exited = 1;
}

/* Catch SIGCHLD without SA_RESTART, so a receive waiting for a dead peer ends. */
static void
catch_sigchld(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) == -1)
		err(1, "sigaction SIGCHLD");
}

/*
 * The peer of a bench has exited: if that was a failure, stop.  If it
 * finished, whatever it sent is already queued, so the receiver stops
 * waiting (*NOWAIT) and fails if something is missing.
 */
static void
check_peer(pid_t *pid, int *nowait, const char *who)
{
	char how[96];
	int status;
	pid_t r;

	if (!child_exited || pid == NULL || *pid == 0)
		return;
	/* A Ctrl-C kills the whole group: die of it rather than blame the peer. */
	stop_if_signalled();
	child_exited = 0;
	while ((r = waitpid(*pid, &status, WNOHANG)) == -1 && errno == EINTR)
		continue;
	if (r != *pid)
		return;
	at_exit_forget_child(*pid);
	*pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the %s %s", who, describe_status(status, how,
		    sizeof(how)));
	*nowait = 1;
}

/* A bench's queue call failed: most likely ipcrm(1) removed the queue. */
static void __attribute__((noreturn))
bench_call_failed(const char *call, int id)
{
	if (errno == EIDRM || errno == EINVAL)
		errx(1, "%s id %d: the queue was removed under the bench "
		    "(ipcrm(1), or logind's RemoveIPC at logout)", call, id);
	err(1, "%s id %d", call, id);
}

/*
 * The System V bench's two data paths: send SIZE bytes as chunks of at
 * most CHUNK (type TYPE), and receive them.  No narration, no stdio.
 */
static void
send_payload_sysv(int id, struct message *m, size_t size, size_t chunk,
    long type)
{
	size_t off, len;

	m->mtype = type;
	for (off = 0; off < size; off += len) {
		stop_if_signalled();
		len = size - off < chunk ? size - off : chunk;
		while (msgsnd(id, m, len, 0) == -1) {
			if (errno != EINTR)
				bench_call_failed("msgsnd", id);
			stop_if_signalled();
		}
	}
}

static void
recv_payload_sysv(int id, struct message *m, size_t size, size_t chunk,
    long type, pid_t *peer)
{
	int nowait = peer != NULL && *peer == 0;
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		stop_if_signalled();
		if (child_exited)
			check_peer(peer, &nowait, "peer");
		n = msgrcv(id, m, chunk, type, nowait ? IPC_NOWAIT : 0);
		if (n >= 0) {
			got += (size_t)n;
			continue;
		}
		if (errno == ENOMSG)
			errx(1, "the peer finished, but messages are missing");
		if (errno != EINTR)
			bench_call_failed("msgrcv", id);
		stop_if_signalled();
		check_peer(peer, &nowait, "peer");
	}
}

/* The POSIX bench's data paths, as the System V ones. */
static void
send_payload_posix(mqd_t mqd, const char *buf, size_t size, size_t chunk)
{
	size_t off, len;

	for (off = 0; off < size; off += len) {
		stop_if_signalled();
		len = size - off < chunk ? size - off : chunk;
		while (mq_send(mqd, buf, len, 0) == -1)
			retry_if_eintr("mq_send");
	}
}

static void
recv_payload_posix(mqd_t mqd, char *buf, size_t size, size_t chunk,
    pid_t *peer)
{
	struct timespec past = { 0, 0 };
	int nowait = peer != NULL && *peer == 0;
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		stop_if_signalled();
		if (child_exited)
			check_peer(peer, &nowait, "peer");
		/* A deadline long past makes the receive not wait. */
		n = nowait ? mq_timedreceive(mqd, buf, chunk, NULL, &past) :
		    mq_receive(mqd, buf, chunk, NULL);
		if (n >= 0) {
			got += (size_t)n;
			continue;
		}
		if (errno == ETIMEDOUT)
			errx(1, "the peer finished, but messages are missing");
		if (errno != EINTR)
			err(1, "mq_receive");
		stop_if_signalled();
		check_peer(peer, &nowait, "peer");
	}
}

/*
 * Make one of the bench's POSIX queues.  Both processes hold its
 * descriptor across fork(), so the name can go at once: the queue lives
 * while open, and nothing is left behind even if we are killed.
 */
static mqd_t
make_queue_posix(char *name, size_t len, const char *what,
    struct mq_attr *attr)
{
	struct opts o;
	mqd_t mqd;

	memset(&o, 0, sizeof(o));
	o.name = private_posix_name(name, len, what);
	snprintf(o.obj, sizeof(o.obj), "%s", name);
	if ((mqd = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, attr)) ==
	    (mqd_t)-1)
		mq_open_failed(&o, attr);
	at_exit_call(remove_posix, name);
	if (mq_unlink(name) == -1)
		err(1, "mq_unlink %s", name);
	say("mq_open(\"%s\") -> descriptor %d, {mq_maxmsg %ld, mq_msgsize "
	    "%ld}; unlinked at once: both processes hold it", name, (int)mqd,
	    attr->mq_maxmsg, attr->mq_msgsize);
	return mqd;
}
