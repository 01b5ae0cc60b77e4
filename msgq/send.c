/*
 * send.c - sending: msgget(2) with IPC_CREAT, then msgsnd(2) of each
 * message with its type; the POSIX way is mq_open(3) with O_CREAT and
 * mq_send(3) with a priority.  The queue keeps the messages after we
 * exit, for whoever receives them later: what a pipe cannot do.  This is
 * the classic sender (Beej's kirk.c: a line of stdin, one msgsnd).
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
#include <string.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-msgq.h"

static const char	*next_message(int argc, char **argv, int i,
			    char **line, size_t *cap, size_t *len);
static size_t	queue_limit_sysv(const struct opts *o, int id, size_t msgmax);
static void	send_message_sysv(const struct opts *o, int id,
		    struct message *m, size_t len);
static void	send_message_posix(const struct opts *o, mqd_t mqd,
		    const char *text, size_t len);

/* send, System V: each message a msgsnd() of type -t (1). */
static void
send_sysv(struct opts *o, int argc, char **argv)
{
	size_t msgmax = msgmax_sysv(), limit, len, cap = 0;
	struct message *m;
	const char *text;
	char *line = NULL;
	long long sent = 0;
	int i, id;

	/* Check the sizes first: a refused send creates nothing. */
	for (i = 0; i < argc; i++)
		if (strlen(argv[i]) > msgmax)
			errx(1, "message %d is %zu bytes, more than a System V "
			    "message may hold: /proc/sys/kernel/msgmax is %zu",
			    i + 1, strlen(argv[i]), msgmax);
	which_queue(o);
	id = open_sysv(o, 1, S_IWUSR);
	refuse_unless_ours_sysv(o, id);
	limit = queue_limit_sysv(o, id, msgmax);
	for (i = 0; i < argc; i++)
		if (strlen(argv[i]) > limit)
			errx(1, "message %d is %zu bytes; %s can never hold it "
			    "(msg_qbytes is %zu)", i + 1, strlen(argv[i]),
			    o->obj, limit);
	if ((m = malloc(sizeof(*m) + limit)) == NULL)
		err(1, "malloc");
	/* The type is the message's tag; msgrcv can choose by it. */
	m->mtype = o->type;
	for (i = 0;
	    (text = next_message(argc, argv, i, &line, &cap, &len)) != NULL;
	    i++) {
		/* Only a line can be too long: each MESSAGE was checked. */
		if (len > limit)
			errx(1, "line %d is %zu bytes; a message on %s may have "
			    "at most %zu (/proc/sys/kernel/msgmax is %zu); "
			    "%lld sent", i + 1, len, o->obj, limit, msgmax,
			    sent);
		memcpy(m->mtext, text, len);
		send_message_sysv(o, id, m, len);
		sent++;
		say("msgsnd(id %d, type %ld, \"%.*s%s\", %zu) -> queued", id,
		    m->mtype, len > 40 ? 40 : (int)len, m->mtext,
		    len > 40 ? "..." : "", len);
	}
	say("%lld message%s sent; %s in the kernel for a receiver", sent,
	    sent == 1 ? "" : "s", sent == 1 ? "it waits" : "they wait");
	free(line);
	free(m);
}

/*
 * Message I: argv[I], or with no MESSAGE at all the next line of standard
 * input, read into *LINE (CAP bytes, grown by getline) and without its
 * newline.  Its length in *LEN; NULL when there are no more.
 */
static const char *
next_message(int argc, char **argv, int i, char **line, size_t *cap,
    size_t *len)
{
	ssize_t got;

	if (argc > 0) {
		if (i == argc)
			return NULL;
		*len = strlen(argv[i]);
		return argv[i];
	}
	if (i == 0)
		say("no MESSAGE: each line of standard input is one message");
	/*
	 * Ctrl-C while we wait for a line interrupts the read(2) under
	 * getline: EINTR, which stdio does not retry.  Ask again, unless
	 * a termination signal came: then stop as it says, before sending
	 * a line it may have cut short.
	 */
	while ((got = getline(line, cap, stdin)) == -1) {
		if (!ferror(stdin))
			return NULL;
		if (errno != EINTR)
			err(1, "reading standard input");
		clearerr(stdin);
		stop_if_signalled();
	}
	stop_if_signalled();
	*len = (size_t)got;
	if (*len > 0 && (*line)[*len - 1] == '\n')
		(*len)--;
	return *line;
}

/*
 * A message larger than the whole queue would wait for ever: the longest
 * we may send is msgmax or the queue's msg_qbytes, whichever is smaller.
 */
static size_t
queue_limit_sysv(const struct opts *o, int id, size_t msgmax)
{
	struct msqid_ds ds;

	if (msgctl(id, IPC_STAT, &ds) == 0)
		return ds.msg_qbytes < msgmax ? ds.msg_qbytes : msgmax;
	if (errno != EACCES)
		msgctl_failed(o, "IPC_STAT");
	/* Allowed to write, not to read: we cannot see msg_qbytes. */
	say("msgctl IPC_STAT -> EACCES: we may send, not look");
	return msgmax;
}

/*
 * msgsnd(2) one message.  IPC_NOWAIT first, so we can say when the queue
 * is full; then, unless --nowait, wait for room.
 */
static void
send_message_sysv(const struct opts *o, int id, struct message *m,
    size_t len)
{
	struct msqid_ds ds;
	char full[128] = "";

	for (;;) {
		stop_if_signalled();
		if (msgsnd(id, m, len, IPC_NOWAIT) == 0)
			return;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			msgsnd_failed(o);
		/* How full, if we may look (a write-only user may not). */
		if (msgctl(id, IPC_STAT, &ds) == 0)
			snprintf(full, sizeof(full), " (%lu bytes in %lu "
			    "messages; msg_qbytes is %lu)",
			    (unsigned long)ds.msg_cbytes,
			    (unsigned long)ds.msg_qnum,
			    (unsigned long)ds.msg_qbytes);
		if (o->nowait)
			errx(1, "msgsnd %s: the queue is full%s, and --nowait "
			    "says not to wait (EAGAIN)", o->obj, full);
		say("msgsnd IPC_NOWAIT -> EAGAIN: the queue is full%s; waiting "
		    "until a receiver makes room...", full);
		while (msgsnd(id, m, len, 0) == -1) {
			if (errno != EINTR)
				msgsnd_failed(o);
			stop_if_signalled();
		}
		return;
	}
}

/* send, POSIX: each message an mq_send() of priority -p (0). */
static void
send_posix(struct opts *o, int argc, char **argv)
{
	size_t need = 0, len, cap = 0;
	const char *text;
	char *line = NULL;
	long long sent = 0;
	struct mq_attr a;
	mqd_t mqd;
	int i;

	which_queue(o);
	for (i = 0; i < argc; i++)
		if (strlen(argv[i]) > need)
			need = strlen(argv[i]);
	mqd = open_posix(o, O_WRONLY | (o->nowait ? O_NONBLOCK : 0), 1, need);
	refuse_unless_ours_posix(o, mqd);
	if (mq_getattr(mqd, &a) == -1)
		err(1, "mq_getattr %s", o->obj);
	say("mq_getattr -> mq_maxmsg %ld, mq_msgsize %ld, mq_curmsgs %ld",
	    a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
	/* Checked before the first send, so a refusal sends nothing. */
	for (i = 0; i < argc; i++)
		if ((long)strlen(argv[i]) > a.mq_msgsize)
			errx(1, "message %d is %zu bytes; %s takes at most "
			    "mq_msgsize %ld (set when it was created)", i + 1,
			    strlen(argv[i]), o->obj, a.mq_msgsize);
	for (i = 0;
	    (text = next_message(argc, argv, i, &line, &cap, &len)) != NULL;
	    i++) {
		/* Only a line can be too long: each MESSAGE was checked. */
		if ((long)len > a.mq_msgsize)
			errx(1, "line %d is %zu bytes; %s takes at most "
			    "mq_msgsize %ld; %lld sent", i + 1, len, o->obj,
			    a.mq_msgsize, sent);
		/* Without its name the queue takes messages nobody gets. */
		check_name_posix(o, mqd, "since we opened it");
		send_message_posix(o, mqd, text, len);
		sent++;
		say("mq_send(\"%.*s%s\", %zu, priority %u) -> queued",
		    len > 40 ? 40 : (int)len, text, len > 40 ? "..." : "", len,
		    o->prio);
	}
	free(line);
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", o->obj);
	say("%lld message%s sent; %s in the kernel for a receiver", sent,
	    sent == 1 ? "" : "s", sent == 1 ? "it waits" : "they wait");
}

/*
 * mq_send(3) one message, waiting for room unless the descriptor is
 * O_NONBLOCK; mq_timedsend wakes once a second to see that the queue
 * still has its name.
 */
static void
send_message_posix(const struct opts *o, mqd_t mqd, const char *text,
    size_t len)
{
	struct mq_attr a;
	struct timespec ts;

	if (!o->nowait && mq_getattr(mqd, &a) == 0 &&
	    a.mq_curmsgs >= a.mq_maxmsg)
		say("the queue is full (%ld of mq_maxmsg %ld); mq_send waits "
		    "until a receiver makes room...", a.mq_curmsgs,
		    a.mq_maxmsg);
	for (;;) {
		stop_if_signalled();
		ts = in_one_second();
		if (mq_timedsend(mqd, text, len, o->prio, &ts) == 0)
			return;
		switch (errno) {
		case EINTR:
			continue;
		case ETIMEDOUT:
			check_name_posix(o, mqd, "while we waited");
			continue;
		case EAGAIN:
			if (mq_getattr(mqd, &a) == -1)
				memset(&a, 0, sizeof(a));
			errx(1, "mq_send %s: the queue is full (%ld messages; "
			    "mq_maxmsg is %ld), and --nowait says not to "
			    "wait (EAGAIN)", o->obj, a.mq_curmsgs,
			    a.mq_maxmsg);
		default:
			err(1, "mq_send %s", o->obj);
		}
	}
}

/* send: queue each MESSAGE (or each line of stdin); create the queue. */
int
cmd_send(struct opts *o, int argc, char **argv)
{
	narrate_role("sender");
	if (o->posix && o->type != TYPE_NOT_GIVEN)
		usage_error("-t: POSIX messages have no type; give a "
		    "priority with -p PRIO");
	if (!o->posix && o->prio != PRIO_NOT_GIVEN)
		usage_error("-p is a POSIX priority (add --posix); a System V "
		    "message has a type: -t TYPE");
	if (!o->posix && (o->maxmsg != 0 || o->msgsize != 0))
		usage_error("--maxmsg and --msgsize size a POSIX queue (add "
		    "--posix); a System V queue is bounded by msg_qbytes");
	if (o->type != TYPE_NOT_GIVEN && o->type < 1)
		usage_error("-t: a message's type must be 1 or more; 0 and "
		    "negative types are for recv");
	/* Not given: type 1, priority 0.  Each kind reads only its own. */
	if (o->type == TYPE_NOT_GIVEN)
		o->type = 1;
	if (o->prio == PRIO_NOT_GIVEN)
		o->prio = 0;
	if (o->posix)
		send_posix(o, argc, argv);
	else
		send_sysv(o, argc, argv);
	return 0;
}
