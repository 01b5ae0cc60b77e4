/*
 * recv.c - receiving: msgrcv(2) and its type rules (0: the first message;
 * N: the first of type N; -N: the first of the lowest type up to N),
 * IPC_NOWAIT and MSG_NOERROR; the POSIX way is mq_receive(3), which
 * always gives the oldest message of the highest priority.  This is the
 * classic receiver (Beej's spock.c: msgrcv in a loop, print each).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-msgq.h"

static ssize_t	recv_message_sysv(const struct opts *o, int id,
		    struct message *m, size_t size, int flags);
static ssize_t	recv_message_posix(const struct opts *o, mqd_t mqd, char *buf,
		    size_t size, unsigned int *prio);
static void	print_message(const struct opts *o, long tag,
		    const char *text, size_t len);

/* recv, System V: msgrcv() with -t's type rules. */
static void
recv_sysv(struct opts *o)
{
	size_t size = o->size != 0 ? o->size : msgmax_sysv();
	int id, flags = o->truncate ? MSG_NOERROR : 0;
	struct message *m;
	long long got;
	ssize_t n;

	which_queue(o);
	/* To wait, we need a queue: make it.  Not to wait, there is nothing. */
	id = open_sysv(o, !o->nowait && !o->all, S_IRUSR);
	refuse_unless_ours_sysv(o, id);
	if ((m = malloc(sizeof(*m) + size)) == NULL)
		err(1, "malloc");
	if (o->type > 0)
		say("type %ld: the first message of type %ld", o->type,
		    o->type);
	else if (o->type < 0)
		say("type %ld: the first message of the lowest type up to %ld",
		    o->type, -o->type);
	else
		say("type 0: the first message, whatever its type");
	for (got = 0; o->all || o->count == 0 || got < o->count; got++) {
		/* IPC_NOWAIT first: then we can say when we wait. */
		if ((n = recv_message_sysv(o, id, m, size,
		    flags | IPC_NOWAIT)) == -1) {
			if (o->all)
				break;
			/* Freed before errx(), so LeakSanitizer sees no leak. */
			if (o->nowait) {
				free(m);
				errx(1, "msgrcv %s: no message of the type "
				    "asked for is waiting, and --nowait says "
				    "not to wait (ENOMSG)", o->obj);
			}
			say("msgrcv(id %d, type %ld): nothing yet; waiting...",
			    id, o->type);
			n = recv_message_sysv(o, id, m, size, flags);
		}
		say("msgrcv(id %d, type %ld) -> a message of type %ld, %zd "
		    "byte%s%s", id, o->type, m->mtype, n, n == 1 ? "" : "s",
		    o->truncate &&
		    (size_t)n == size ? " (the buffer is full: with "
		    "MSG_NOERROR anything longer was cut)" : "");
		print_message(o, m->mtype, m->mtext, (size_t)n);
	}
	say("%lld message%s received", got, got == 1 ? "" : "s");
	free(m);
}

/*
 * msgrcv(2) one message of type -t into M.  Returns the text's length,
 * or -1 if FLAGS has IPC_NOWAIT and nothing matches (ENOMSG).
 */
static ssize_t
recv_message_sysv(const struct opts *o, int id, struct message *m,
    size_t size, int flags)
{
	ssize_t n;

	for (;;) {
		stop_if_signalled();
		if ((n = msgrcv(id, m, size, o->type, flags)) >= 0)
			return n;
		switch (errno) {
		case EINTR:
			/* A signal, or Ctrl-Z then fg: just ask again. */
			continue;
		case ENOMSG:
			return -1;
		case E2BIG:
			errx(1, "msgrcv %s: the message is longer than the "
			    "%zu-byte buffer, so it stays in the queue; "
			    "--truncate (MSG_NOERROR) takes it cut short, -s "
			    "SIZE gives a larger buffer", o->obj, size);
		default:
			msgrcv_failed(o);
		}
	}
}

/* recv, POSIX: mq_receive(), the highest priority first. */
static void
recv_posix(struct opts *o)
{
	int wait = !o->nowait && !o->all;
	struct mq_attr a;
	unsigned int prio;
	long long got;
	char *buf;
	mqd_t mqd;
	ssize_t n;

	which_queue(o);
	mqd = open_posix(o, O_RDONLY | (wait ? 0 : O_NONBLOCK), wait, 0);
	refuse_unless_ours_posix(o, mqd);
	if (mq_getattr(mqd, &a) == -1)
		err(1, "mq_getattr %s", o->obj);
	/* mq_receive insists on room for the largest message the queue takes. */
	if ((buf = malloc((size_t)a.mq_msgsize)) == NULL)
		err(1, "malloc");
	say("mq_getattr -> mq_msgsize %ld: the buffer must be that large; "
	    "%ld message%s", a.mq_msgsize, a.mq_curmsgs,
	    a.mq_curmsgs == 1 ? " waits" : "s wait");
	if (wait && a.mq_curmsgs == 0)
		say("the queue is empty: mq_receive waits for a message...");
	for (got = 0; o->all || o->count == 0 || got < o->count; got++) {
		n = recv_message_posix(o, mqd, buf, (size_t)a.mq_msgsize,
		    &prio);
		if (n < 0)
			break;
		say("mq_receive -> %zd byte%s of priority %u", n,
		    n == 1 ? "" : "s", prio);
		print_message(o, (long)prio, buf, (size_t)n);
	}
	say("%lld message%s received", got, got == 1 ? "" : "s");
	free(buf);
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", o->obj);
}

/*
 * mq_timedreceive(3) one message into BUF; it wakes once a second to see
 * that the queue still has its name.  Returns the message's length, or
 * -1 when --all finds the queue empty.
 */
static ssize_t
recv_message_posix(const struct opts *o, mqd_t mqd, char *buf, size_t size,
    unsigned int *prio)
{
	struct timespec ts;
	ssize_t n;

	for (;;) {
		stop_if_signalled();
		ts = in_one_second();
		if ((n = mq_timedreceive(mqd, buf, size, prio, &ts)) >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno == ETIMEDOUT) {
			/* Still waiting: is the queue still there? */
			check_name_posix(o, mqd, "while we waited");
			continue;
		}
		if (errno != EAGAIN)
			err(1, "mq_receive %s", o->obj);
		if (o->all)
			return -1;
		errx(1, "mq_receive %s: the queue is empty, and --nowait says "
		    "not to wait (EAGAIN)", o->obj);
	}
}

/* Print one received message on its own line; -l puts its tag first. */
static void
print_message(const struct opts *o, long tag, const char *text, size_t len)
{
	if (o->label)
		printf("%ld\t", tag);
	fwrite(text, 1, len, stdout);
	putchar('\n');
	flush_stdout();
}

/* recv: print COUNT messages (1; 0 for ever), each on its own line. */
int
cmd_recv(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("recv takes no arguments (did you mean send?)");
	if (o->all && o->count != COUNT_NOT_GIVEN)
		usage_error("--all takes every message there is; it does not "
		    "mix with -c");
	if (o->nowait && o->count == 0)
		usage_error("-c 0 waits for ever; it does not mix with "
		    "--nowait (--all takes what is there)");
	if (o->count == COUNT_NOT_GIVEN)
		o->count = 1;
	narrate_role("receiver");
	if (o->posix) {
		if (o->type != TYPE_NOT_GIVEN)
			usage_error("-t: a POSIX queue has no types; it always "
			    "gives the oldest message of the highest priority");
		if (o->truncate)
			usage_error("--truncate: mq_receive always has room "
			    "for mq_msgsize bytes, so a POSIX message is never "
			    "cut (or too long)");
		if (o->size != 0)
			usage_error("-s: a POSIX receiver's buffer is always "
			    "the queue's mq_msgsize");
		recv_posix(o);
		return 0;
	}
	if (o->maxmsg != 0 || o->msgsize != 0)
		usage_error("--maxmsg and --msgsize size a POSIX queue (add "
		    "--posix); a System V queue is bounded by msg_qbytes");
	if (o->type == TYPE_NOT_GIVEN)
		o->type = 0;
	recv_sysv(o);
	return 0;
}
