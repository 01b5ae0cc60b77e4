/*
 * demo.c - the classic message queue: a parent sends, its child receives.
 *
 * The parent makes a queue of its own with msgget(IPC_PRIVATE), forks,
 * and sends log lines tagged by type with msgsnd(); the child picks them
 * out with msgrcv() by type, as msgrcv(2)'s rules say; the parent waits
 * for it with waitpid() and removes the queue with msgctl(IPC_RMID).
 * This is the sender and receiver of every tutorial's msgget example
 * (Beej's kirk.c and spock.c), in one program.  After it, the same with
 * a POSIX queue, where priorities take the place of types.
 *
 * Both queues are private to this run (IPC_PRIVATE, a name with our
 * pid): nobody else can have made them, so the demo skips queue.c's
 * lookups and ownership checks.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-msgq.h"

/* The demo's batch: log lines tagged by level, 1 info, 2 warning, 3 error. */
static const struct {
	long		 type;
	const char	*text;
} batch[] = {
	{ 1, "info: the backup started" },
	{ 3, "error: disk 2 is failing" },
	{ 2, "warning: disk 1 is 90% full" },
	{ 1, "info: the backup finished" },
	{ 3, "error: the fan stopped" },
	{ 2, "warning: the room is warm" },
};
#define NBATCH		(sizeof(batch) / sizeof(batch[0]))
#define END_TYPE	99	/* the parent's "that was all" */
#define POSIX_MSGSIZE	64	/* the POSIX demo's longest message */

/* A System V message as the classic examples declare it. */
struct demo_message {
	long	mtype;
	char	mtext[256];
};

static void	demo_sysv_child(const struct opts *o, int id);
static void	demo_posix_child(const struct opts *o, const char *name);

/*
 * demo (System V): the parent sends log lines tagged by type; the child
 * picks them out by type.
 */
static void
demo_sysv(struct opts *o)
{
	static int id = -1;	/* static: remove_sysv reads it at exit */
	struct demo_message m;
	size_t i, len;
	pid_t parent, pid;
	int status;

	narrate_role("parent");
	/* IPC_PRIVATE: a new queue no key leads to; only our child knows its id. */
	if ((id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
		err(1, "msgget IPC_PRIVATE");
	at_exit_call(remove_sysv, &id);
	snprintf(o->obj, sizeof(o->obj), "id %d", id);
	say("msgget(IPC_PRIVATE, 0600) -> id %d: a queue of our own ('ipcs -q' "
	    "shows key 0x00000000)", id);
	parent = getpid();
	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("child");
		die_with_parent(parent, SIGKILL);
		demo_sysv_child(o, id);
		flush_stdout();
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld; the id %d is all it needs to use the queue",
	    (long)pid, id);

	for (i = 0; i < NBATCH; i++) {
		stop_if_signalled();
		m.mtype = batch[i].type;
		snprintf(m.mtext, sizeof(m.mtext), "%s", batch[i].text);
		len = strlen(m.mtext);
		while (msgsnd(id, &m, len, 0) == -1) {
			if (errno != EINTR)
				msgsnd_failed(o);
			stop_if_signalled();
		}
		say("msgsnd(id %d, type %ld, \"%s\", %zu) -> queued", id,
		    m.mtype, m.mtext, len);
		printf("sent type %ld: %s\n", m.mtype, m.mtext);
		flush_stdout();
	}
	/*
	 * Last, the type the child waits for.  Told before it is sent: the
	 * child answers it at once, and a line said after msgsnd() could
	 * come after the child's.  A failure still ends in err().
	 */
	stop_if_signalled();
	m.mtype = END_TYPE;
	snprintf(m.mtext, sizeof(m.mtext), "that was all");
	len = strlen(m.mtext);
	say("msgsnd(id %d, type %ld, \"%s\", %zu): the type the child waits "
	    "for; its msgrcv returns with it", id, m.mtype, m.mtext, len);
	printf("sent type %ld: %s\n", m.mtype, m.mtext);
	flush_stdout();
	while (msgsnd(id, &m, len, 0) == -1) {
		if (errno != EINTR)
			msgsnd_failed(o);
		stop_if_signalled();
	}
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "child", status), "child");
	/* A System V queue outlives us unless removed: remove it. */
	if (msgctl(id, IPC_RMID, NULL) == -1)
		msgctl_failed(o, "IPC_RMID");
	say("msgctl(id %d, IPC_RMID): the queue is removed", id);
	id = -1;
}

/* What the demo's child asks msgrcv() for, in turn, and why. */
static const struct {
	long		 type;
	const char	*why;
} asks[] = {
	{ END_TYPE, "takes only type 99, the parent's last message; until "
	  "it comes, msgrcv waits and the others queue up" },
	{ 3, "the first message of type 3, wherever it is in the queue" },
	{ 3, "again: the next message of type 3" },
	{ -2, "the first of the lowest type up to 2: the infos (type 1) "
	  "come before the warnings" },
	{ -2, "again: the other info" },
	{ -2, "once more: no type 1 is left, so the first warning" },
	{ 0, "simply the first message in the queue, whatever its type" },
};

/* The demo's child: receive in the order of asks[], by msgrcv's rules. */
static void
demo_sysv_child(const struct opts *o, int id)
{
	struct demo_message m;
	size_t i;
	ssize_t n;

	for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		stop_if_signalled();
		say("msgrcv(id %d, type %ld): %s", id, asks[i].type,
		    asks[i].why);
		while ((n = msgrcv(id, &m, sizeof(m.mtext), asks[i].type,
		    0)) == -1) {
			if (errno != EINTR)
				msgrcv_failed(o);
			stop_if_signalled();
		}
		printf("asked for type %ld, got type %ld: %.*s\n",
		    asks[i].type, m.mtype, (int)n, m.mtext);
		flush_stdout();
	}
	/* IPC_NOWAIT: rather than wait, tell us the queue has nothing. */
	if (msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT) != -1 ||
	    errno != ENOMSG)
		errx(1, "msgrcv IPC_NOWAIT: the queue should be empty now");
	say("msgrcv(id %d, type 0, IPC_NOWAIT) -> ENOMSG: nothing is left", id);
	printf("asked for type 0, got nothing: the queue is empty (ENOMSG)\n");
}

/*
 * demo --posix: no types, but priorities.  The parent queues the batch
 * first (a queue holds messages with nobody reading), then a child opens
 * the queue by name and receives: the highest priority first, and in
 * order of arrival within one priority.
 */
static void
demo_posix(struct opts *o)
{
	static char name[NAME_MAX + 2];
	struct mq_attr attr;
	unsigned int prio;
	mqd_t mqd;
	size_t i;
	pid_t pid;
	int status;

	narrate_role("parent");
	/* The pid in the name keeps two demos apart. */
	o->name = private_posix_name(name, sizeof(name), "msgq");
	snprintf(o->obj, sizeof(o->obj), "%s", o->name);
	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = NBATCH;
	attr.mq_msgsize = POSIX_MSGSIZE;
	mqd = mq_open(name, O_WRONLY | O_CREAT | O_EXCL, 0600, &attr);
	if (mqd == (mqd_t)-1)
		mq_open_failed(o, &attr);
	at_exit_call(remove_posix, name);
	/*
	 * The umask takes bits from the mode (umask 277 would shut the child
	 * out); fchmod() is not masked, and on Linux a queue descriptor is a
	 * file descriptor.
	 */
	if (fchmod(mqd, 0600) == -1)
		err(1, "fchmod %s", name);
	say("mq_open(\"%s\", O_CREAT | O_EXCL, 0600, {mq_maxmsg %ld, "
	    "mq_msgsize %ld}) -> descriptor %d", name, attr.mq_maxmsg,
	    attr.mq_msgsize, (int)mqd);
	for (i = 0; i < NBATCH; i++) {
		stop_if_signalled();
		prio = (unsigned int)batch[i].type;
		while (mq_send(mqd, batch[i].text, strlen(batch[i].text),
		    prio) == -1)
			retry_if_eintr("mq_send %s", name);
		say("mq_send(\"%s\", priority %u)", batch[i].text, prio);
		printf("sent priority %u: %s\n", prio, batch[i].text);
	}
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", name);
	say("mq_close: the parent is done; the %zu messages stay queued",
	    NBATCH);
	flush_stdout();

	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("child");
		demo_posix_child(o, name);
		flush_stdout();
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld", (long)pid);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "child", status), "child");
	/* The name would outlive us, like a file's: remove it. */
	if (mq_unlink(name) == -1)
		mq_unlink_failed(o);
	say("mq_unlink(\"%s\"): the queue is removed", name);
}

/* The POSIX demo's child: take what is queued, highest priority first. */
static void
demo_posix_child(const struct opts *o, const char *name)
{
	char buf[POSIX_MSGSIZE];
	unsigned int prio;
	mqd_t mqd;
	ssize_t n;

	/* By name, as an unrelated process would; O_NONBLOCK to stop. */
	if ((mqd = mq_open(name, O_RDONLY | O_NONBLOCK)) == (mqd_t)-1)
		mq_open_failed(o, NULL);
	say("mq_open(\"%s\", O_RDONLY | O_NONBLOCK) -> descriptor %d", name,
	    (int)mqd);
	for (;;) {
		stop_if_signalled();
		n = mq_receive(mqd, buf, sizeof(buf), &prio);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				err(1, "mq_receive %s", name);
			say("mq_receive -> EAGAIN: the queue is empty");
			printf("nothing left: the queue is empty (EAGAIN)\n");
			break;
		}
		say("mq_receive -> priority %u, the highest waiting", prio);
		printf("received priority %u: %.*s\n", prio, (int)n, buf);
	}
}

/* demo: a private queue, tagged messages, the receiver picks. */
int
cmd_demo(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("demo takes no arguments");
	if (o->posix)
		demo_posix(o);
	else
		demo_sysv(o);
	return 0;
}
