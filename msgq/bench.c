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

/*
 * What the timed loops move the payload through.  System V: one queue,
 * each message tagged with its direction as its type.  POSIX: a queue
 * each way, since a POSIX receiver cannot choose which messages it takes.
 */
struct queues {
	int		 posix;
	int		 id;		/* System V: the queue */
	struct message	*m;		/* System V: a type, chunk bytes */
	mqd_t		 ping, pong;	/* POSIX: a queue each way */
	char		*buf;		/* POSIX: the payload */
};

/*
 * Which way a message goes, which is its System V type.  ANY: the
 * stream's receiver takes whatever comes first (POSIX: from PING's queue).
 */
enum { ANY = 0, PING = 1, PONG = 2 };

/* What the parent measured: the stream's seconds, or each round trip's. */
struct timing {
	double		 seconds;
	double		*rtt;
};

static void	time_with_peer(const struct bench *b, const struct queues *q,
		    struct timing *t);
static void	bench_peer(const struct bench *b, const struct queues *q);
static void	report(const struct bench *b, struct timing *t,
		    const char *extra);
static void	on_sigchld(int);
static void	send_payload(const struct queues *q, const struct bench *b,
		    int way, pid_t *peer);
static int	send_chunk(const struct queues *q, int way, size_t len);
static void	recv_payload(const struct queues *q, const struct bench *b,
		    int way, pid_t *peer);
static ssize_t	recv_chunk(const struct queues *q, int way, size_t chunk,
		    int nowait);
static mqd_t	make_queue_posix(char *name, size_t len, const char *what,
		    struct mq_attr *attr);

/*
 * bench, System V: a private queue.  Throughput: the child sends, the
 * parent receives and times.  Latency: one queue both ways, the ping as
 * type 1, the pong as type 2.
 */
static void
bench_sysv(struct bench *b)
{
	static struct queues q = { .id = -1 };
	size_t msgmax = msgmax_sysv();
	struct msqid_ds ds;
	struct timing t;

	b->mechanism = "msgq-sysv";
	if ((q.id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
		err(1, "msgget IPC_PRIVATE");
	at_exit_call(remove_sysv, &q.id);
	if (msgctl(q.id, IPC_STAT, &ds) == -1)
		err(1, "msgctl id %d IPC_STAT", q.id);
	/* A larger payload travels as several messages: the line says so. */
	b->chunk = b->size;
	if (b->chunk > msgmax)
		b->chunk = msgmax;
	if (b->chunk > ds.msg_qbytes)
		b->chunk = ds.msg_qbytes;
	say("msgget(IPC_PRIVATE) -> id %d; msgmax %zu, msg_qbytes %lu: "
	    "messages of %zu bytes", q.id, msgmax,
	    (unsigned long)ds.msg_qbytes, b->chunk);
	if ((q.m = malloc(sizeof(*q.m) + b->chunk)) == NULL)
		err(1, "malloc");
	memset(q.m->mtext, 'x', b->chunk);
	time_with_peer(b, &q, &t);
	remove_sysv(&q.id);
	report(b, &t, NULL);
	free(q.m);
}

/*
 * bench --posix: throughput over one queue; latency over two, PING's and
 * PONG's.
 */
static void
bench_posix(struct bench *b)
{
	static char name[2][NAME_MAX + 2];
	struct queues q = { .posix = 1, .pong = (mqd_t)-1 };
	struct mq_attr attr;
	struct timing t;
	char extra[32];

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
	q.ping = make_queue_posix(name[0], sizeof(name[0]), "msgq", &attr);
	if (b->latency)
		q.pong = make_queue_posix(name[1], sizeof(name[1]), "msgq-pong",
		    &attr);
	q.buf = bench_buffer(b->size);
	time_with_peer(b, &q, &t);
	if (mq_close(q.ping) == -1 || (b->latency && mq_close(q.pong) == -1))
		err(1, "mq_close");
	report(b, &t, extra);
	free(q.buf);
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

/*
 * Fork the peer, then time what crosses the queues Q: the stream, after
 * its warm-up, or each round trip.  Reap the peer.
 */
static void
time_with_peer(const struct bench *b, const struct queues *q,
    struct timing *t)
{
	long long i, total = b->warmup + b->count;
	pid_t parent, pid;
	double t0;
	int status;

	t->seconds = 0;
	t->rtt = NULL;
	if (b->latency &&
	    (t->rtt = malloc((size_t)b->count * sizeof(*t->rtt))) == NULL)
		err(1, "malloc");
	/* A receive waiting for a dead peer must end: EINTR. */
	interrupt_with(SIGCHLD, on_sigchld);
	parent = getpid();
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		die_with_parent(parent, SIGKILL);
		bench_peer(b, q);
		_exit(0);
	}
	at_exit_stop_child(pid);
	if (b->latency) {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++) {
			t0 = now();
			send_payload(q, b, PING, &pid);
			recv_payload(q, b, PONG, &pid);
			if (i >= b->warmup)
				t->rtt[i - b->warmup] = now() - t0;
		}
	} else {
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < b->warmup; i++)
			recv_payload(q, b, ANY, &pid);
		t0 = now();
		for (i = 0; i < b->count; i++)
			recv_payload(q, b, ANY, &pid);
		t->seconds = now() - t0;
	}
	if (pid != 0) {
		while (waitpid(pid, &status, 0) == -1)
			retry_if_eintr("waitpid %ld", (long)pid);
		require_success(child_reaped(pid, "peer", status), "peer");
	}
}

/* The child: the sender of the stream, or the echo of the round trips. */
static void
bench_peer(const struct bench *b, const struct queues *q)
{
	long long i, total = b->warmup + b->count;

	if (b->latency) {
		/* The echo: take each ping whole, send it back. */
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < total; i++) {
			recv_payload(q, b, PING, NULL);
			send_payload(q, b, PONG, NULL);
		}
	} else {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++)
			send_payload(q, b, PING, NULL);
	}
}

/* The bench's line on stdout, from what T measured. */
static void
report(const struct bench *b, struct timing *t, const char *extra)
{
	if (b->latency)
		bench_report_latency(b, t->rtt, (size_t)b->count, extra);
	else
		bench_report_throughput(b, t->seconds, extra);
	free(t->rtt);
}

/* SIGCHLD only marks that the peer is gone; it interrupts a wait. */
static void
on_sigchld(int sig)
{
	(void)sig;
	child_exited = 1;
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

/*
 * A bench's call on its queue failed.  A System V queue was most likely
 * removed under us; the POSIX ones lost their names at once.
 */
static void __attribute__((noreturn))
bench_call_failed(const struct queues *q, const char *call)
{
	if (q->posix)
		err(1, "%s", call);
	if (errno == EIDRM || errno == EINVAL)
		errx(1, "%s id %d: the queue was removed under the bench "
		    "(ipcrm(1), or logind's RemoveIPC at logout)", call, q->id);
	err(1, "%s id %d", call, q->id);
}

/*
 * The data paths: send SIZE bytes WAY (PING or PONG), as messages of at
 * most CHUNK, and receive them; PEER, the child that answers, or NULL
 * in the child.  No narration, no stdio.
 */
static void
send_payload(const struct queues *q, const struct bench *b, int way,
    pid_t *peer)
{
	int finished = 0;
	size_t off, len;

	for (off = 0; off < b->size; off += len) {
		len = b->size - off < b->chunk ? b->size - off : b->chunk;
		for (;;) {
			stop_if_signalled();
			/* A full queue whose reader is gone never drains. */
			if (child_exited)
				check_peer(peer, &finished, "peer");
			if (finished)
				errx(1, "the peer finished, but messages are "
				    "still to be sent");
			if (send_chunk(q, way, len) == 0)
				break;
			if (errno != EINTR)
				bench_call_failed(q, q->posix ? "mq_send" :
				    "msgsnd");
		}
	}
}

/* One message of LEN bytes, sent WAY: 0, or -1 and errno. */
static int
send_chunk(const struct queues *q, int way, size_t len)
{
	if (q->posix)
		return mq_send(way == PONG ? q->pong : q->ping, q->buf, len,
		    0);
	q->m->mtype = way;
	return msgsnd(q->id, q->m, len, 0);
}

static void
recv_payload(const struct queues *q, const struct bench *b, int way,
    pid_t *peer)
{
	int nowait = peer != NULL && *peer == 0;
	size_t got = 0;
	ssize_t n;

	while (got < b->size) {
		stop_if_signalled();
		if (child_exited)
			check_peer(peer, &nowait, "peer");
		if ((n = recv_chunk(q, way, b->chunk, nowait)) >= 0) {
			got += (size_t)n;
			continue;
		}
		/* Nothing waits, and the peer that would send it is gone. */
		if (errno == ENOMSG || errno == ETIMEDOUT)
			errx(1, "the peer finished, but messages are missing");
		if (errno != EINTR)
			bench_call_failed(q, q->posix ? "mq_receive" :
			    "msgrcv");
		stop_if_signalled();
		check_peer(peer, &nowait, "peer");
	}
}

/*
 * One message of at most CHUNK bytes, received WAY: its length, or -1 and
 * errno.  NOWAIT: if none waits, ENOMSG (System V) or ETIMEDOUT (POSIX).
 */
static ssize_t
recv_chunk(const struct queues *q, int way, size_t chunk, int nowait)
{
	struct timespec past = { 0, 0 };
	mqd_t mqd = way == PONG ? q->pong : q->ping;

	if (!q->posix)
		return msgrcv(q->id, q->m, chunk, way,
		    nowait ? IPC_NOWAIT : 0);
	/* A deadline long past makes the receive not wait. */
	if (nowait)
		return mq_timedreceive(mqd, q->buf, chunk, NULL, &past);
	return mq_receive(mqd, q->buf, chunk, NULL);
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
