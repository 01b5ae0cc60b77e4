/*
 * ipc-msgq - message queues: the kernel keeps whole messages for you.
 *
 * Teaches: System V msgget(2), msgsnd(2), msgrcv(2) and msgctl(2) (keys
 * from ftok(3), IPC_PRIVATE, message types and msgrcv's type rules,
 * IPC_NOWAIT, MSG_NOERROR, IPC_STAT, IPC_RMID), and POSIX mq_open(3),
 * mq_send(3), mq_receive(3), mq_getattr(3) and mq_unlink(3) (names,
 * priorities, mq_maxmsg and mq_msgsize); queues outlive the processes
 * that made them, until someone removes them.
 *
 * Try:
 *	$ ipc-msgq demo
 *	$ ipc-msgq send -t 2 hello; ipc-msgq send -t 1 world
 *	$ ipcs -q
 *	$ ipc-msgq info
 *	$ ipc-msgq recv -t 2; ipc-msgq recv --all -l
 *	terminal 1: $ ipc-msgq recv -t 3 -c 0
 *	terminal 2: $ ipc-msgq send -t 1 ignored; ipc-msgq send -t 3 taken
 *	$ ipc-msgq rm
 *	$ ipc-msgq --posix send -p 5 urgent; ipc-msgq --posix send calm
 *	$ ipc-msgq --posix recv -c 2 -l; ipc-msgq --posix rm
 *	$ ipc-msgq bench -s 64K; ipc-msgq --posix bench --latency -s 64
 *	$ strace -f -e trace=msgget,msgsnd,msgrcv,msgctl ipc-msgq -q demo
 *
 * See also: msgget(2), msgsnd(2), msgctl(2), ftok(3), mq_open(3),
 * mq_send(3), mq_receive(3), mq_overview(7), sysvipc(7), ipcs(1), ipclab(7)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
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

/* Our System V default key is ftok(3) of the run directory and this. */
#define MSGQ_PROJ	'q'

/* What /proc says when it cannot be read: the kernel's usual values. */
#define DEFAULT_MSGMAX		8192
#define DEFAULT_MQ_MSGMAX	10
#define DEFAULT_MQ_MSGSIZE	8192

/* The hard ceilings even CAP_SYS_RESOURCE cannot pass (ipc/mqueue.c). */
#define HARD_MSGMAX		65536
#define HARD_MSGSIZEMAX		(16 * 1024 * 1024)

struct opts {
	int		 posix;		/* --posix */
	key_t		 key;		/* -k, 0 for none */
	const char	*path;		/* -f: ftok's file */
	int		 proj;		/* -P: ftok's project, 0 for none */
	const char	*name;		/* -N /NAME */
	mode_t		 mode;		/* -m, for a new queue */
	int		 mode_set;
	long		 type;		/* -t */
	int		 type_set;
	unsigned int	 prio;		/* -p */
	int		 prio_set;
	long long	 count;		/* recv -c: messages; 0 for ever */
	int		 count_set;
	int		 nowait;	/* --nowait */
	int		 all;		/* recv --all */
	int		 truncate;	/* recv --truncate */
	int		 label;		/* recv -l */
	size_t		 size;		/* recv: buffer; bench: payload */
	long		 maxmsg;	/* --maxmsg, 0 for the default */
	long		 msgsize;	/* --msgsize, 0 for the default */
	long long	 nmsgs;		/* bench -n */
	int		 latency;	/* bench --latency */
	int		 cpu[2];	/* bench --cpu */
	/* Filled in by which_queue(). */
	int		 is_default;	/* the per-user default queue */
	char		 obj[128];	/* "key 0x71001234", "/ipclab-1000-msgq" */
	char		 namebuf[NAME_MAX + 2];
};

/*
 * A System V message: a type, then the text.  msgsnd() and msgrcv() take
 * a pointer to this; their size argument counts the text only.
 */
struct message {
	long	mtype;
	char	mtext[];
};

/* Set by SIGCHLD in bench, so a receiver notices that its peer is gone. */
static volatile sig_atomic_t child_exited;

/* A number from /proc, or FALLBACK where the file is missing. */
static long long
limit_or(const char *path, long long fallback)
{
	long long v = proc_limit(path);

	return v > 0 ? v : fallback;
}

/* The largest System V message text: /proc/sys/kernel/msgmax. */
static size_t
sysv_msgmax(void)
{
	return (size_t)limit_or("/proc/sys/kernel/msgmax", DEFAULT_MSGMAX);
}

/*
 * Which queue the command means.  System V: -k KEY; or ftok(3) of -f PATH
 * and -P PROJ; or, by default, ftok(3) of our private run directory with
 * project 'q', so each user gets a key of their own.  POSIX: -N /NAME, or
 * "/ipclab-UID-msgq".
 */
static void
which_queue(struct opts *o)
{
	const char *path;
	int proj;

	if (o->posix) {
		if (o->key != 0 || o->path != NULL || o->proj != 0)
			usage_error("-k, -f and -P choose a System V key; a "
			    "POSIX queue has a name: -N /NAME");
		if (o->name == NULL) {
			o->name = default_posix_name(o->namebuf,
			    sizeof(o->namebuf), "msgq");
			o->is_default = 1;
		}
		snprintf(o->obj, sizeof(o->obj), "%s", o->name);
		return;
	}
	if (o->name != NULL)
		usage_error("-N names a POSIX queue: add --posix, or choose a "
		    "System V key with -k KEY");
	if (o->key != 0 && o->path != NULL)
		usage_error("-k and -f both choose the key; give one of them");
	if (o->proj != 0 && o->path == NULL)
		usage_error("-P goes with -f PATH");
	if (o->key == 0) {
		o->is_default = (o->path == NULL);
		path = o->path != NULL ? o->path : rundir();
		proj = o->proj != 0 ? o->proj : MSGQ_PROJ;
		/*
		 * ftok(3) mixes the file's inode and device numbers with the
		 * project id.  Everyone who names the same file and project
		 * gets the same key: that is how unrelated programs meet.
		 */
		if ((o->key = ftok(path, proj)) == -1)
			err(1, "ftok %s", path);
		if (isprint(proj))
			say("ftok(\"%s\", '%c') -> key 0x%08x", path, proj,
			    (unsigned int)o->key);
		else
			say("ftok(\"%s\", %d) -> key 0x%08x", path, proj,
			    (unsigned int)o->key);
	}
	snprintf(o->obj, sizeof(o->obj), "key 0x%08x", (unsigned int)o->key);
}

/*
 * Die after a failed System V call on the queue, with the usual
 * "ipc-msgq: CALL key 0x...: strerror" and, where we can tell, why.
 */
static void __attribute__((noreturn))
sysv_fail(const struct opts *o, const char *call)
{
	int e = errno;

	switch (e) {
	case EACCES:
		if (o->is_default)
			errx(1, "%s %s: %s; a queue with your default key "
			    "exists but shuts you out: it belongs to someone "
			    "else (ftok(3) keys can collide), or its mode was "
			    "changed; choose another key with -k KEY", call,
			    o->obj, strerror(e));
		errx(1, "%s %s: %s; the queue's mode does not let you do "
		    "that ('ipc-msgq info' or 'ipcs -q' shows it)", call,
		    o->obj, strerror(e));
	case EIDRM:
	case EINVAL:
		/* A removed queue's id is invalid: EINVAL, or EIDRM if we slept. */
		errx(1, "%s %s: the queue was removed (by 'ipc-msgq rm', "
		    "ipcrm(1), or logind's RemoveIPC at logout)", call,
		    o->obj);
	case ENOENT:
		errx(1, "%s %s: no queue has this key ('ipc-msgq send' "
		    "creates one)", call, o->obj);
	case ENOSPC:
		errx(1, "%s %s: %s; the system has as many queues as "
		    "/proc/sys/kernel/msgmni allows (%lld)", call, o->obj,
		    strerror(e), proc_limit("/proc/sys/kernel/msgmni"));
	case EPERM:
		errx(1, "%s %s: %s; only the queue's owner, its creator or a "
		    "privileged process may do that", call, o->obj,
		    strerror(e));
	default:
		errno = e;
		err(1, "%s %s", call, o->obj);
	}
}

/*
 * msgget(2): the id of the queue with our key.  Without IPC_CREAT the
 * permission bits in the flags ask for access (ACCESS: S_IRUSR to
 * receive, S_IWUSR to send), so a queue we may not use is refused here
 * with EACCES.  With CREATE we try IPC_CREAT | IPC_EXCL first, to say
 * whether the queue is new.
 */
static int
sysv_get(struct opts *o, int create, int access)
{
	struct msqid_ds ds;
	int id;

	if (create) {
		id = msgget(o->key, IPC_CREAT | IPC_EXCL | (int)o->mode);
		if (id != -1) {
			say("msgget(%s, IPC_CREAT | IPC_EXCL | 0%03o) -> id "
			    "%d: a new queue; it stays in the kernel until "
			    "someone removes it", o->obj, (unsigned int)o->mode,
			    id);
			return id;
		}
		if (errno != EEXIST)
			sysv_fail(o, "msgget");
	}
	if ((id = msgget(o->key, access)) == -1)
		sysv_fail(o, "msgget");
	say("msgget(%s, 0%03o) -> id %d: the queue exists%s", o->obj,
	    (unsigned int)access, id, access == S_IWUSR ? ", and we may "
	    "write to it" : access == S_IRUSR ? ", and we may read it" : "");
	/* The mode is set once, at creation. */
	if (o->mode_set && msgctl(id, IPC_STAT, &ds) == 0 &&
	    (ds.msg_perm.mode & 0777) != o->mode)
		warnx("%s already exists with mode %04o; -m applies only "
		    "when a queue is created", o->obj,
		    (unsigned int)(ds.msg_perm.mode & 0777));
	return id;
}

/*
 * A queue with our default key or name that someone else made is not
 * ours, whatever its mode lets us do: its maker could read what we send
 * or slip us what we receive.  send and recv refuse it (info shows it,
 * rm removes it if we may); a queue named with -k, -f or -N is the
 * user's own choice and may well be shared on purpose.  UID is whose
 * it is: its owner, or for System V the creator if that is not us.
 */
static void
refuse_unless_ours(const struct opts *o, long uid)
{
	if (o->is_default)
		require_own_default(uid, o->obj, o->posix ? "name" : "key",
		    o->posix ? "ipc-msgq --posix info" : "ipc-msgq info",
		    o->posix ? "-N /NAME" : "-k KEY");
}

/*
 * The owner and creator of the queue with id ID, from /proc/sysvipc/msg,
 * which lists every queue to everyone, even to those IPC_STAT refuses.
 */
static int
sysv_owner(int id, long *uid, long *cuid)
{
	char line[256];
	int found = 0, i;
	FILE *f;

	if ((f = fopen("/proc/sysvipc/msg", "re")) == NULL)
		return 0;
	/* key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid ... */
	while (!found && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%*d %d %*o %*u %*u %*d %*d %ld %*d %ld", &i,
		    uid, cuid) == 3 && i == id)
			found = 1;
	(void)fclose(f);
	return found;
}

/* The same for a System V queue: IPC_STAT says whose it is. */
static void
sysv_refuse_unless_ours(const struct opts *o, int id)
{
	struct msqid_ds ds;
	long uid, cuid;

	if (!o->is_default)
		return;
	if (msgctl(id, IPC_STAT, &ds) == 0) {
		uid = (long)ds.msg_perm.uid;
		cuid = (long)ds.msg_perm.cuid;
	} else if (errno != EACCES) {
		sysv_fail(o, "msgctl IPC_STAT");
	} else if (!sysv_owner(id, &uid, &cuid)) {
		/* Allowed to send, not to look (mode 0200, say). */
		errx(1, "msgctl IPC_STAT %s: %s, and /proc/sysvipc/msg does "
		    "not say whose the queue with your default key is; "
		    "refusing to use it (choose another key with -k KEY)",
		    o->obj, strerror(EACCES));
	}
	/* An owner may give a queue away (IPC_SET); its creator stays. */
	refuse_unless_ours(o, uid != (long)geteuid() ? uid : cuid);
}

/* The same for a POSIX queue: on Linux an mqd_t is a descriptor. */
static void
posix_refuse_unless_ours(const struct opts *o, mqd_t mqd)
{
	struct stat st;

	if (!o->is_default)
		return;
	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->obj);
	refuse_unless_ours(o, (long)st.st_uid);
}

/* Remove the demo's or bench's System V queue, if it is still there. */
static void
sysv_remove(void *arg)
{
	int *id = arg;

	if (*id == -1)
		return;
	if (msgctl(*id, IPC_RMID, NULL) == 0)
		say("msgctl(id %d, IPC_RMID): the queue is gone", *id);
	*id = -1;
}

/*
 * mq_open(3)'s refusals, explained.  Where a limit of /proc/sys/fs/mqueue
 * or RLIMIT_MSGQUEUE is the cause, say which and its value.
 */
static void __attribute__((noreturn))
posix_fail(const struct opts *o, const char *call, const struct mq_attr *a)
{
	struct rlimit rl;
	int e = errno;

	switch (e) {
	case EACCES:
		if (o->is_default)
			errx(1, "%s %s: %s; a queue with your default name "
			    "exists but shuts you out: someone else made it "
			    "first, or its mode was changed; choose another "
			    "name with -N /NAME", call, o->obj, strerror(e));
		errx(1, "%s %s: %s; the queue's mode does not let you do "
		    "that ('ipc-msgq --posix info' shows it)", call, o->obj,
		    strerror(e));
	case EINVAL:
		if (a != NULL && a->mq_maxmsg >
		    limit_or("/proc/sys/fs/mqueue/msg_max", DEFAULT_MQ_MSGMAX))
			errx(1, "%s %s: %s; --maxmsg %ld is above "
			    "/proc/sys/fs/mqueue/msg_max, which is %lld (only "
			    "a process with CAP_SYS_RESOURCE may go above it, "
			    "and never above %d)", call, o->obj, strerror(e),
			    a->mq_maxmsg,
			    proc_limit("/proc/sys/fs/mqueue/msg_max"),
			    HARD_MSGMAX);
		if (a != NULL && a->mq_msgsize > limit_or(
		    "/proc/sys/fs/mqueue/msgsize_max", DEFAULT_MQ_MSGSIZE))
			errx(1, "%s %s: %s; --msgsize %ld is above "
			    "/proc/sys/fs/mqueue/msgsize_max, which is %lld "
			    "(only a process with CAP_SYS_RESOURCE may go "
			    "above it, and never above %d)", call, o->obj,
			    strerror(e), a->mq_msgsize,
			    proc_limit("/proc/sys/fs/mqueue/msgsize_max"),
			    HARD_MSGSIZEMAX);
		break;
	case EMFILE:
		/* Linux says EMFILE when RLIMIT_MSGQUEUE refuses the bytes. */
		if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0 &&
		    rl.rlim_cur != RLIM_INFINITY)
			errx(1, "%s %s: %s; either this process has too many "
			    "descriptors open, or your queues would need more "
			    "than RLIMIT_MSGQUEUE ('ulimit -q') allows: %llu "
			    "bytes", call, o->obj, strerror(e),
			    (unsigned long long)rl.rlim_cur);
		break;
	case ENOENT:
		errx(1, "%s %s: no queue has this name ('ipc-msgq --posix "
		    "send' creates one)", call, o->obj);
	case ENOSPC:
		errx(1, "%s %s: %s; the system has as many queues as "
		    "/proc/sys/fs/mqueue/queues_max allows (%lld)", call,
		    o->obj, strerror(e),
		    proc_limit("/proc/sys/fs/mqueue/queues_max"));
	}
	errno = e;
	err(1, "%s %s", call, o->obj);
}

/*
 * Open the POSIX queue with OFLAG (O_RDONLY, O_WRONLY, and O_NONBLOCK or
 * not).  With CREATE a missing queue is made, with the --maxmsg and
 * --msgsize attributes if given, or the defaults of
 * /proc/sys/fs/mqueue (attr NULL).  NEED is the longest message we are
 * about to send: a queue too small for it is not created at all.
 */
static mqd_t
posix_get(struct opts *o, int oflag, int create, size_t need)
{
	struct mq_attr attr, *ap = NULL, now;
	struct stat st;
	mqd_t mqd;

	if ((mqd = mq_open(o->name, oflag)) != (mqd_t)-1) {
		say("mq_open(\"%s\", %s) -> descriptor %d: the queue exists",
		    o->name, (oflag & O_ACCMODE) == O_RDONLY ? "O_RDONLY" :
		    "O_WRONLY", (int)mqd);
		if ((o->maxmsg != 0 || o->msgsize != 0) &&
		    mq_getattr(mqd, &now) == 0 &&
		    ((o->maxmsg != 0 && now.mq_maxmsg != o->maxmsg) ||
		    (o->msgsize != 0 && now.mq_msgsize != o->msgsize)))
			warnx("%s already exists with mq_maxmsg %ld and "
			    "mq_msgsize %ld; --maxmsg and --msgsize apply only "
			    "when a queue is created", o->name, now.mq_maxmsg,
			    now.mq_msgsize);
		return mqd;
	}
	if (errno != ENOENT || !create)
		posix_fail(o, "mq_open", NULL);

	/* What a new queue gets: ours if given, else the kernel's defaults. */
	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = o->maxmsg != 0 ? o->maxmsg :
	    limit_or("/proc/sys/fs/mqueue/msg_default", DEFAULT_MQ_MSGMAX);
	attr.mq_msgsize = o->msgsize;
	if (attr.mq_msgsize == 0) {
		attr.mq_msgsize = limit_or("/proc/sys/fs/mqueue/msgsize_default",
		    DEFAULT_MQ_MSGSIZE);
		if (attr.mq_msgsize > limit_or("/proc/sys/fs/mqueue/msgsize_max",
		    DEFAULT_MQ_MSGSIZE))
			attr.mq_msgsize = limit_or(
			    "/proc/sys/fs/mqueue/msgsize_max",
			    DEFAULT_MQ_MSGSIZE);
	}
	if (need > (size_t)attr.mq_msgsize)
		errx(1, "a message of %zu bytes would not fit in a new queue "
		    "with mq_msgsize %ld%s; ask for a larger one with "
		    "--msgsize (up to /proc/sys/fs/mqueue/msgsize_max, %lld)",
		    need, attr.mq_msgsize, o->msgsize != 0 ? "" :
		    " (/proc/sys/fs/mqueue/msgsize_default)",
		    limit_or("/proc/sys/fs/mqueue/msgsize_max",
		    DEFAULT_MQ_MSGSIZE));
	/* NULL asks for the defaults; our own numbers only when given. */
	if (o->maxmsg != 0 || o->msgsize != 0)
		ap = &attr;
	mqd = mq_open(o->name, oflag | O_CREAT | O_EXCL, o->mode, ap);
	if (mqd == (mqd_t)-1) {
		if (errno == EEXIST)	/* someone made it just now */
			return posix_get(o, oflag, 0, need);
		posix_fail(o, "mq_open", ap);
	}
	/* As for a file, the umask takes bits away from the mode we ask. */
	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->name);
	say("mq_open(\"%s\", O_CREAT | O_EXCL, 0%03o, %s) -> descriptor %d: "
	    "a new queue, mode 0%03o after the umask; it stays until "
	    "mq_unlink", o->name, (unsigned int)o->mode, ap != NULL ?
	    "&attr" : "NULL", (int)mqd, (unsigned int)(st.st_mode & 0777));
	return mqd;
}

/* Remove the demo's or bench's POSIX queue by name, if it is still there. */
static void
posix_remove(void *arg)
{
	const char *name = arg;

	if (mq_unlink(name) == 0)
		say("mq_unlink(\"%s\"): the name is gone", name);
}

/*
 * A POSIX queue lives on while anyone has it open, even after
 * mq_unlink(3) took its name: nobody new can reach it then, and a
 * receiver would wait for ever.  Waiting calls therefore wake once a
 * second and look at the link count, which drops to 0 when the name goes,
 * as for an unlinked file (on Linux an mqd_t is a file descriptor).
 */
static void
posix_check_name(const struct opts *o, mqd_t mqd)
{
	struct stat st;

	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->name);
	if (st.st_nlink == 0)
		errx(1, "%s was removed while we waited (by 'ipc-msgq --posix "
		    "rm', mq_unlink(3), or logind's RemoveIPC at logout); "
		    "nobody can reach it any more", o->name);
}

/* The absolute CLOCK_REALTIME time one second from now, for mq_timed*(). */
static struct timespec
in_one_second(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		err(1, "clock_gettime");
	ts.tv_sec += 1;
	return ts;
}

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

/*
 * The demo's child: receive by type, in the order of asks[], and show
 * what each rule of msgrcv(2) picks.
 */
static void
demo_sysv_child(const struct opts *o, int id)
{
	struct message *m;
	size_t i;
	ssize_t n;

	if ((m = malloc(sizeof(*m) + 256)) == NULL)
		err(1, "malloc");
	for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		stop_if_signalled();
		say("msgrcv(id %d, type %ld): %s", id, asks[i].type,
		    asks[i].why);
		while ((n = msgrcv(id, m, 256, asks[i].type, 0)) == -1) {
			if (errno != EINTR)
				sysv_fail(o, "msgrcv");
			stop_if_signalled();
		}
		printf("asked for type %ld, got type %ld: %.*s\n",
		    asks[i].type, m->mtype, (int)n, m->mtext);
		flush_stdout();
	}
	/* IPC_NOWAIT: rather than wait, tell us the queue has nothing. */
	if (msgrcv(id, m, 256, 0, IPC_NOWAIT) != -1 || errno != ENOMSG)
		errx(1, "msgrcv IPC_NOWAIT: the queue should be empty now");
	say("msgrcv(id %d, type 0, IPC_NOWAIT) -> ENOMSG: nothing is left", id);
	printf("asked for type 0, got nothing: the queue is empty (ENOMSG)\n");
	free(m);
}

/*
 * demo (System V): the parent sends log lines tagged by type; the child
 * picks them out by type, as msgrcv(2)'s rules say.
 */
static void
demo_sysv(struct opts *o)
{
	static int id = -1;
	struct message *m;
	size_t i, len;
	pid_t parent, pid;

	narrate_role("parent");
	/* IPC_PRIVATE: a new queue no key leads to; only our child knows its id. */
	if ((id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
		err(1, "msgget IPC_PRIVATE");
	at_exit_call(sysv_remove, &id);
	snprintf(o->obj, sizeof(o->obj), "id %d", id);
	say("msgget(IPC_PRIVATE, 0600) -> id %d: a queue of our own ('ipcs -q' "
	    "shows key 0x00000000)", id);
	parent = getpid();
	if ((pid = fork()) == -1)
		err(1, "fork");
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

	if ((m = malloc(sizeof(*m) + 256)) == NULL)
		err(1, "malloc");
	for (i = 0; i <= NBATCH; i++) {
		stop_if_signalled();
		/* Last, the end marker: the child waits for that type. */
		m->mtype = i < NBATCH ? batch[i].type : END_TYPE;
		snprintf(m->mtext, 256, "%s", i < NBATCH ? batch[i].text :
		    "that was all");
		len = strlen(m->mtext);
		/* Printed first: the child answers the marker at once. */
		if (i == NBATCH) {
			printf("sent type %ld: %s\n", m->mtype, m->mtext);
			flush_stdout();
		}
		while (msgsnd(id, m, len, 0) == -1) {
			if (errno != EINTR)
				sysv_fail(o, "msgsnd");
			stop_if_signalled();
		}
		say("msgsnd(id %d, type %ld, \"%s\", %zu) -> queued", id,
		    m->mtype, m->mtext, len);
		if (i < NBATCH) {
			printf("sent type %ld: %s\n", m->mtype, m->mtext);
			flush_stdout();
		}
	}
	free(m);
	require_success(reap(pid, "child"), "child");
	/* A System V queue outlives us unless removed: remove it. */
	if (msgctl(id, IPC_RMID, NULL) == -1)
		sysv_fail(o, "msgctl IPC_RMID");
	say("msgctl(id %d, IPC_RMID): the queue is removed", id);
	id = -1;
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
	char buf[64];
	unsigned int prio;
	mqd_t mqd;
	ssize_t n;
	size_t i;
	pid_t pid;

	narrate_role("parent");
	/* The pid in the name keeps two demos apart. */
	o->name = private_posix_name(name, sizeof(name), "msgq");
	snprintf(o->obj, sizeof(o->obj), "%s", o->name);
	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = NBATCH;
	attr.mq_msgsize = sizeof(buf);
	mqd = mq_open(name, O_WRONLY | O_CREAT | O_EXCL, 0600, &attr);
	if (mqd == (mqd_t)-1)
		posix_fail(o, "mq_open", &attr);
	at_exit_call(posix_remove, name);
	say("mq_open(\"%s\", O_CREAT | O_EXCL, 0600, {mq_maxmsg %ld, "
	    "mq_msgsize %ld}) -> descriptor %d", name, attr.mq_maxmsg,
	    attr.mq_msgsize, (int)mqd);
	for (i = 0; i < NBATCH; i++) {
		stop_if_signalled();
		prio = (unsigned int)batch[i].type;
		while (mq_send(mqd, batch[i].text, strlen(batch[i].text),
		    prio) == -1) {
			if (errno != EINTR)
				err(1, "mq_send %s", name);
			stop_if_signalled();
		}
		say("mq_send(\"%s\", priority %u)", batch[i].text, prio);
		printf("sent priority %u: %s\n", prio, batch[i].text);
	}
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", name);
	say("mq_close: the parent is done; the %zu messages stay queued",
	    NBATCH);
	flush_stdout();

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("child");
		/* By name, as an unrelated process would; O_NONBLOCK to stop. */
		if ((mqd = mq_open(name, O_RDONLY | O_NONBLOCK)) == (mqd_t)-1)
			posix_fail(o, "mq_open", NULL);
		say("mq_open(\"%s\", O_RDONLY | O_NONBLOCK) -> descriptor %d",
		    name, (int)mqd);
		for (;;) {
			stop_if_signalled();
			n = mq_receive(mqd, buf, sizeof(buf), &prio);
			if (n == -1) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN)
					err(1, "mq_receive %s", name);
				say("mq_receive -> EAGAIN: the queue is empty");
				printf("nothing left: the queue is empty "
				    "(EAGAIN)\n");
				break;
			}
			say("mq_receive -> priority %u, the highest waiting",
			    prio);
			printf("received priority %u: %.*s\n", prio, (int)n,
			    buf);
		}
		flush_stdout();
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld", (long)pid);
	require_success(reap(pid, "child"), "child");
	/* The name would outlive us, like a file's: remove it. */
	if (mq_unlink(name) == -1)
		posix_fail(o, "mq_unlink", NULL);
	say("mq_unlink(\"%s\"): the queue is removed", name);
}

/* demo: a private queue, tagged messages, the receiver picks. */
static int
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

/*
 * msgsnd(2) one message.  IPC_NOWAIT first, so we can say when the queue
 * is full; then, unless --nowait, wait for room.
 */
static void
sysv_send(const struct opts *o, int id, struct message *m, size_t len)
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
			sysv_fail(o, "msgsnd");
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
				sysv_fail(o, "msgsnd");
			stop_if_signalled();
		}
		return;
	}
}

/* send, System V: each message a msgsnd() of type -t (1). */
static void
send_sysv(struct opts *o, int argc, char **argv)
{
	size_t msgmax = sysv_msgmax(), limit, len, cap = 0;
	struct msqid_ds ds;
	struct message *m;
	char *line = NULL;
	long long sent = 0;
	ssize_t got;
	int i, id;

	/* Check the sizes first: a refused send creates nothing. */
	for (i = 0; i < argc; i++)
		if (strlen(argv[i]) > msgmax)
			errx(1, "message %d is %zu bytes, more than a System V "
			    "message may hold: /proc/sys/kernel/msgmax is %zu",
			    i + 1, strlen(argv[i]), msgmax);
	which_queue(o);
	id = sysv_get(o, 1, S_IWUSR);
	sysv_refuse_unless_ours(o, id);
	/* A message larger than the whole queue would wait for ever. */
	limit = msgmax;
	if (msgctl(id, IPC_STAT, &ds) == 0) {
		if (ds.msg_qbytes < limit)
			limit = ds.msg_qbytes;
	} else if (errno == EACCES) {
		/* Allowed to write, not to read: we cannot see msg_qbytes. */
		say("msgctl IPC_STAT -> EACCES: we may send, not look");
	} else {
		sysv_fail(o, "msgctl IPC_STAT");
	}
	for (i = 0; i < argc; i++)
		if (strlen(argv[i]) > limit)
			errx(1, "message %d is %zu bytes; %s can never hold it "
			    "(msg_qbytes is %zu)", i + 1, strlen(argv[i]),
			    o->obj, limit);
	if ((m = malloc(sizeof(*m) + limit)) == NULL)
		err(1, "malloc");
	/* The type is the message's tag; msgrcv can choose by it. */
	m->mtype = o->type_set ? o->type : 1;
	if (argc == 0)
		say("no MESSAGE: each line of standard input is one message");
	for (i = 0;; i++) {
		if (argc > 0) {
			if (i == argc)
				break;
			len = strlen(argv[i]);
			memcpy(m->mtext, argv[i], len);
		} else {
			if ((got = getline(&line, &cap, stdin)) == -1)
				break;
			len = (size_t)got;
			if (len > 0 && line[len - 1] == '\n')
				len--;
			if (len > limit)
				errx(1, "line %d is %zu bytes; a message on %s "
				    "may have at most %zu (/proc/sys/kernel/"
				    "msgmax is %zu); %lld sent", i + 1, len,
				    o->obj, limit, msgmax, sent);
			memcpy(m->mtext, line, len);
		}
		sysv_send(o, id, m, len);
		sent++;
		say("msgsnd(id %d, type %ld, \"%.*s%s\", %zu) -> queued", id,
		    m->mtype, len > 40 ? 40 : (int)len, m->mtext,
		    len > 40 ? "..." : "", len);
	}
	if (ferror(stdin))
		err(1, "reading standard input");
	say("%lld message%s sent; %s in the kernel for a receiver", sent,
	    sent == 1 ? "" : "s", sent == 1 ? "it waits" : "they wait");
	free(line);
	free(m);
}

/*
 * mq_send(3) one message, waiting for room unless the descriptor is
 * O_NONBLOCK; mq_timedsend wakes once a second to see that the queue
 * still has its name.
 */
static void
posix_send(const struct opts *o, mqd_t mqd, const char *text, size_t len)
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
			posix_check_name(o, mqd);
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

/* send, POSIX: each message an mq_send() of priority -p (0). */
static void
send_posix(struct opts *o, int argc, char **argv)
{
	char *line = NULL;
	size_t need = 0, len, cap = 0;
	long long sent = 0;
	struct mq_attr a;
	ssize_t got;
	mqd_t mqd;
	int i;

	which_queue(o);
	for (i = 0; i < argc; i++)
		if (strlen(argv[i]) > need)
			need = strlen(argv[i]);
	mqd = posix_get(o, O_WRONLY | (o->nowait ? O_NONBLOCK : 0), 1, need);
	posix_refuse_unless_ours(o, mqd);
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
	if (argc == 0)
		say("no MESSAGE: each line of standard input is one message");
	for (i = 0;; i++) {
		if (argc > 0) {
			if (i == argc)
				break;
			line = argv[i];
			len = strlen(line);
		} else {
			if ((got = getline(&line, &cap, stdin)) == -1)
				break;
			len = (size_t)got;
			if (len > 0 && line[len - 1] == '\n')
				len--;
			if ((long)len > a.mq_msgsize)
				errx(1, "line %d is %zu bytes; %s takes at most "
				    "mq_msgsize %ld; %lld sent", i + 1, len,
				    o->obj, a.mq_msgsize, sent);
		}
		posix_send(o, mqd, line, len);
		sent++;
		say("mq_send(\"%.*s%s\", %zu, priority %u) -> queued",
		    len > 40 ? 40 : (int)len, line, len > 40 ? "..." : "", len,
		    o->prio);
	}
	if (ferror(stdin))
		err(1, "reading standard input");
	if (argc == 0)
		free(line);
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", o->obj);
	say("%lld message%s sent; %s in the kernel for a receiver", sent,
	    sent == 1 ? "" : "s", sent == 1 ? "it waits" : "they wait");
}

/* send: queue each MESSAGE (or each line of stdin); create the queue. */
static int
cmd_send(struct opts *o, int argc, char **argv)
{
	narrate_role("sender");
	if (o->posix) {
		if (o->type_set)
			usage_error("-t: POSIX messages have no type; give a "
			    "priority with -p PRIO");
		send_posix(o, argc, argv);
		return 0;
	}
	if (o->prio_set)
		usage_error("-p is a POSIX priority (add --posix); a System V "
		    "message has a type: -t TYPE");
	if (o->maxmsg != 0 || o->msgsize != 0)
		usage_error("--maxmsg and --msgsize size a POSIX queue (add "
		    "--posix); a System V queue is bounded by msg_qbytes");
	if (o->type_set && o->type < 1)
		usage_error("-t: a message's type must be 1 or more; 0 and "
		    "negative types are for recv");
	send_sysv(o, argc, argv);
	return 0;
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

/*
 * msgrcv(2) one message of type TYPE into M.  Returns the text's length,
 * or -1 if FLAGS has IPC_NOWAIT and nothing matches (ENOMSG).
 */
static ssize_t
sysv_receive(const struct opts *o, int id, struct message *m, size_t size,
    int flags)
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
			sysv_fail(o, "msgrcv");
		}
	}
}

/* recv, System V: msgrcv() with -t's type rules. */
static void
recv_sysv(struct opts *o)
{
	size_t size = o->size != 0 ? o->size : sysv_msgmax();
	int id, flags = o->truncate ? MSG_NOERROR : 0;
	struct message *m;
	long long got;
	ssize_t n;

	which_queue(o);
	/* To wait, we need a queue: make it.  Not to wait, there is nothing. */
	id = sysv_get(o, !o->nowait && !o->all, S_IRUSR);
	sysv_refuse_unless_ours(o, id);
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
		if ((n = sysv_receive(o, id, m, size, flags | IPC_NOWAIT)) ==
		    -1) {
			if (o->all)
				break;
			if (o->nowait)
				errx(1, "msgrcv %s: no message of the type "
				    "asked for is waiting, and --nowait says "
				    "not to wait (ENOMSG)", o->obj);
			say("msgrcv(id %d, type %ld): nothing yet; waiting...",
			    id, o->type);
			n = sysv_receive(o, id, m, size, flags);
		}
		say("msgrcv(id %d, type %ld) -> a message of type %ld, %zd "
		    "bytes%s", id, o->type, m->mtype, n, o->truncate &&
		    (size_t)n == size ? " (the buffer is full: with "
		    "MSG_NOERROR anything longer was cut)" : "");
		print_message(o, m->mtype, m->mtext, (size_t)n);
	}
	say("%lld message%s received", got, got == 1 ? "" : "s");
	free(m);
}

/* recv, POSIX: mq_receive(), the highest priority first. */
static void
recv_posix(struct opts *o)
{
	int wait = !o->nowait && !o->all;
	struct timespec ts;
	struct mq_attr a;
	unsigned int prio;
	long long got;
	char *buf;
	mqd_t mqd;
	ssize_t n;

	which_queue(o);
	mqd = posix_get(o, O_RDONLY | (wait ? 0 : O_NONBLOCK), wait, 0);
	posix_refuse_unless_ours(o, mqd);
	if (mq_getattr(mqd, &a) == -1)
		err(1, "mq_getattr %s", o->obj);
	/* mq_receive insists on room for the largest message the queue takes. */
	if ((buf = malloc((size_t)a.mq_msgsize)) == NULL)
		err(1, "malloc");
	say("mq_getattr -> mq_msgsize %ld: the buffer must be that large; "
	    "%ld messages wait", a.mq_msgsize, a.mq_curmsgs);
	if (wait && a.mq_curmsgs == 0)
		say("the queue is empty: mq_receive waits for a message...");
	for (got = 0; o->all || o->count == 0 || got < o->count; got++) {
		for (;;) {
			stop_if_signalled();
			ts = in_one_second();
			n = mq_timedreceive(mqd, buf, (size_t)a.mq_msgsize,
			    &prio, &ts);
			if (n >= 0)
				break;
			if (errno == EINTR)
				continue;
			if (errno == ETIMEDOUT) {
				/* Still waiting: is the queue still there? */
				posix_check_name(o, mqd);
				continue;
			}
			if (errno != EAGAIN)
				err(1, "mq_receive %s", o->obj);
			if (o->all)
				break;
			errx(1, "mq_receive %s: the queue is empty, and "
			    "--nowait says not to wait (EAGAIN)", o->obj);
		}
		if (n < 0)
			break;
		say("mq_receive -> %zd bytes of priority %u", n, prio);
		print_message(o, (long)prio, buf, (size_t)n);
	}
	say("%lld message%s received", got, got == 1 ? "" : "s");
	free(buf);
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", o->obj);
}

/* recv: print COUNT messages (1; 0 for ever), each on its own line. */
static int
cmd_recv(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("recv takes no arguments (did you mean send?)");
	if (o->all && o->count_set)
		usage_error("--all takes every message there is; it does not "
		    "mix with -c");
	if (o->nowait && o->count_set && o->count == 0)
		usage_error("-c 0 waits for ever; it does not mix with "
		    "--nowait (--all takes what is there)");
	narrate_role("receiver");
	if (o->posix) {
		if (o->type_set)
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
	recv_sysv(o);
	return 0;
}

/* info, System V: msgctl(IPC_STAT), the kernel's struct msqid_ds. */
static void
info_sysv(struct opts *o)
{
	struct msqid_ds ds;
	char t[3][32];
	int id;

	which_queue(o);
	id = sysv_get(o, 0, S_IRUSR);
	if (msgctl(id, IPC_STAT, &ds) == -1)
		sysv_fail(o, "msgctl IPC_STAT");
	say("msgctl(id %d, IPC_STAT) -> the kernel's struct msqid_ds", id);
	printf("key:     0x%08x\n", (unsigned int)o->key);
	printf("id:      %d\n", id);
	printf("owner:   uid %ld, gid %ld\n", (long)ds.msg_perm.uid,
	    (long)ds.msg_perm.gid);
	printf("creator: uid %ld, gid %ld\n", (long)ds.msg_perm.cuid,
	    (long)ds.msg_perm.cgid);
	printf("mode:    %04o\n", (unsigned int)(ds.msg_perm.mode & 0777));
	printf("qnum:    %lu message%s\n", (unsigned long)ds.msg_qnum,
	    ds.msg_qnum == 1 ? "" : "s");
	printf("cbytes:  %lu bytes in them\n", (unsigned long)ds.msg_cbytes);
	printf("qbytes:  %lu bytes at most\n", (unsigned long)ds.msg_qbytes);
	printf("lspid:   %ld (the last to send)\n", (long)ds.msg_lspid);
	printf("lrpid:   %ld (the last to receive)\n", (long)ds.msg_lrpid);
	printf("stime:   %s (the last msgsnd)\n", format_time(ds.msg_stime, t[0],
	    sizeof(t[0])));
	printf("rtime:   %s (the last msgrcv)\n", format_time(ds.msg_rtime, t[1],
	    sizeof(t[1])));
	printf("ctime:   %s (created or last changed)\n", format_time(ds.msg_ctime,
	    t[2], sizeof(t[2])));
}

/* info, POSIX: mq_getattr(3), and the file in /dev/mqueue if mounted. */
static void
info_posix(struct opts *o)
{
	char path[NAME_MAX + 16], line[256];
	struct mq_attr a;
	struct stat st;
	size_t i, j;
	FILE *f;
	mqd_t mqd;

	which_queue(o);
	mqd = posix_get(o, O_RDONLY, 0, 0);
	if (mq_getattr(mqd, &a) == -1)
		err(1, "mq_getattr %s", o->obj);
	say("mq_getattr -> the queue's struct mq_attr");
	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->obj);
	printf("name:    %s\n", o->name);
	printf("owner:   uid %ld, gid %ld\n", (long)st.st_uid, (long)st.st_gid);
	printf("mode:    %04o\n", (unsigned int)(st.st_mode & 0777));
	printf("maxmsg:  %ld messages at most\n", a.mq_maxmsg);
	printf("msgsize: %ld bytes at most in each\n", a.mq_msgsize);
	printf("curmsgs: %ld message%s\n", a.mq_curmsgs,
	    a.mq_curmsgs == 1 ? "" : "s");
	/* With the mqueue file system mounted, each queue is a file there. */
	snprintf(path, sizeof(path), "/dev/mqueue%s", o->name);
	if ((f = fopen(path, "re")) != NULL) {
		if (fgets(line, sizeof(line), f) != NULL) {
			/* The kernel pads its fields with spaces: squeeze them. */
			for (i = j = 0; line[i] != '\0' && line[i] != '\n'; i++)
				if (line[i] != ' ' || (j > 0 &&
				    line[j - 1] != ' '))
					line[j++] = line[i];
			while (j > 0 && line[j - 1] == ' ')
				j--;
			line[j] = '\0';
			printf("file:    %s: %s\n", path, line);
		}
		(void)fclose(f);
	} else {
		say("no %s: the mqueue file system is not mounted there", path);
	}
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", o->obj);
}

/* info: what the kernel knows about the queue. */
static int
cmd_info(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("info takes no arguments");
	if (o->posix)
		info_posix(o);
	else
		info_sysv(o);
	return 0;
}

/* rm: remove the queue and whatever messages are still in it. */
static int
cmd_rm(struct opts *o, int argc, char **argv)
{
	int id;

	(void)argv;
	if (argc > 0)
		usage_error("rm takes no arguments");
	which_queue(o);
	if (o->posix) {
		/* The name goes now; the queue once nobody has it open. */
		if (mq_unlink(o->name) == -1)
			posix_fail(o, "mq_unlink", NULL);
		say("mq_unlink(\"%s\"): the name is gone; the queue follows "
		    "when its last descriptor closes", o->name);
		return 0;
	}
	id = sysv_get(o, 0, 0);
	/* At once: its messages are lost, and waiting processes get EIDRM. */
	if (msgctl(id, IPC_RMID, NULL) == -1)
		sysv_fail(o, "msgctl IPC_RMID");
	say("msgctl(id %d, IPC_RMID): removed, with any messages in it", id);
	return 0;
}

/* bench: SIGCHLD only marks that the peer is gone; it interrupts a wait. */
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
bench_peer_check(pid_t *pid, int *nowait, const char *who)
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

/* A bench's queue call failed: most likely ipcrm(1) removed the queue. */
static void __attribute__((noreturn))
bench_sysv_fail(const char *call, int id)
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
sysv_send_payload(int id, struct message *m, size_t size, size_t chunk,
    long type)
{
	size_t off, len;

	m->mtype = type;
	for (off = 0; off < size; off += len) {
		stop_if_signalled();
		len = size - off < chunk ? size - off : chunk;
		while (msgsnd(id, m, len, 0) == -1) {
			if (errno != EINTR)
				bench_sysv_fail("msgsnd", id);
			stop_if_signalled();
		}
	}
}

static void
sysv_recv_payload(int id, struct message *m, size_t size, size_t chunk,
    long type, pid_t *peer)
{
	int nowait = peer != NULL && *peer == 0;
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		stop_if_signalled();
		if (child_exited)
			bench_peer_check(peer, &nowait, "peer");
		n = msgrcv(id, m, chunk, type, nowait ? IPC_NOWAIT : 0);
		if (n >= 0) {
			got += (size_t)n;
			continue;
		}
		if (errno == ENOMSG)
			errx(1, "the peer finished, but messages are missing");
		if (errno != EINTR)
			bench_sysv_fail("msgrcv", id);
		stop_if_signalled();
		bench_peer_check(peer, &nowait, "peer");
	}
}

/*
 * bench, System V: a private queue.  Throughput: the child sends, the
 * parent receives and times.  Latency: one queue both ways, type 1
 * carrying the ping and type 2 the pong.
 */
static void
bench_sysv(struct bench *b)
{
	static int id = -1;
	long long i, total = b->warmup + b->count;
	struct msqid_ds ds;
	struct message *m;
	double *rtt = NULL, t0, t1 = 0;
	size_t msgmax = sysv_msgmax();
	pid_t parent, pid;

	b->mechanism = "msgq-sysv";
	if ((id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
		err(1, "msgget IPC_PRIVATE");
	at_exit_call(sysv_remove, &id);
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
		if (b->latency) {
			/* The echo: take each ping whole, send it back. */
			pin_to_cpu(b->cpu[1]);
			for (i = 0; i < total; i++) {
				sysv_recv_payload(id, m, b->size, b->chunk, 1,
				    NULL);
				sysv_send_payload(id, m, b->size, b->chunk, 2);
			}
		} else {
			pin_to_cpu(b->cpu[0]);
			for (i = 0; i < total; i++)
				sysv_send_payload(id, m, b->size, b->chunk, 1);
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	if (b->latency) {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++) {
			t0 = now();
			sysv_send_payload(id, m, b->size, b->chunk, 1);
			sysv_recv_payload(id, m, b->size, b->chunk, 2, &pid);
			if (i >= b->warmup)
				rtt[i - b->warmup] = now() - t0;
		}
	} else {
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < b->warmup; i++)
			sysv_recv_payload(id, m, b->size, b->chunk, 0, &pid);
		t0 = now();
		for (i = 0; i < b->count; i++)
			sysv_recv_payload(id, m, b->size, b->chunk, 0, &pid);
		t1 = now() - t0;
	}
	if (pid != 0)
		require_success(reap(pid, "peer"), "peer");
	sysv_remove(&id);
	if (b->latency)
		bench_report_latency(b, rtt, (size_t)b->count, NULL);
	else
		bench_report_throughput(b, t1, NULL);
	free(rtt);
	free(m);
}

/* The POSIX bench's data paths, as the System V ones. */
static void
posix_send_payload(mqd_t mqd, const char *buf, size_t size, size_t chunk)
{
	size_t off, len;

	for (off = 0; off < size; off += len) {
		stop_if_signalled();
		len = size - off < chunk ? size - off : chunk;
		while (mq_send(mqd, buf, len, 0) == -1) {
			if (errno != EINTR)
				err(1, "mq_send");
			stop_if_signalled();
		}
	}
}

static void
posix_recv_payload(mqd_t mqd, char *buf, size_t size, size_t chunk,
    pid_t *peer)
{
	struct timespec past = { 0, 0 };
	int nowait = peer != NULL && *peer == 0;
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		stop_if_signalled();
		if (child_exited)
			bench_peer_check(peer, &nowait, "peer");
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
		bench_peer_check(peer, &nowait, "peer");
	}
}

/*
 * Make one of the bench's POSIX queues.  Both processes hold its
 * descriptor across fork(), so the name can go at once: the queue lives
 * while open, and nothing is left behind even if we are killed.
 */
static mqd_t
bench_posix_queue(char *name, size_t len, const char *what,
    struct mq_attr *attr)
{
	struct opts o;
	mqd_t mqd;

	memset(&o, 0, sizeof(o));
	o.name = private_posix_name(name, len, what);
	snprintf(o.obj, sizeof(o.obj), "%s", name);
	if ((mqd = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, attr)) ==
	    (mqd_t)-1)
		posix_fail(&o, "mq_open", attr);
	at_exit_call(posix_remove, name);
	if (mq_unlink(name) == -1)
		err(1, "mq_unlink %s", name);
	say("mq_open(\"%s\") -> descriptor %d, {mq_maxmsg %ld, mq_msgsize "
	    "%ld}; unlinked at once: both processes hold it", name, (int)mqd,
	    attr->mq_maxmsg, attr->mq_msgsize);
	return mqd;
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
	ping = bench_posix_queue(name[0], sizeof(name[0]), "msgq", &attr);
	if (b->latency) {
		pong = bench_posix_queue(name[1], sizeof(name[1]), "msgq-pong",
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
		if (b->latency) {
			pin_to_cpu(b->cpu[1]);
			for (i = 0; i < total; i++) {
				posix_recv_payload(ping, buf, b->size,
				    b->chunk, NULL);
				posix_send_payload(pong, buf, b->size,
				    b->chunk);
			}
		} else {
			pin_to_cpu(b->cpu[0]);
			for (i = 0; i < total; i++)
				posix_send_payload(ping, buf, b->size,
				    b->chunk);
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	if (b->latency) {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++) {
			t0 = now();
			posix_send_payload(ping, buf, b->size, b->chunk);
			posix_recv_payload(pong, buf, b->size, b->chunk, &pid);
			if (i >= b->warmup)
				rtt[i - b->warmup] = now() - t0;
		}
	} else {
		pin_to_cpu(b->cpu[1]);
		for (i = 0; i < b->warmup; i++)
			posix_recv_payload(ping, buf, b->size, b->chunk, &pid);
		t0 = now();
		for (i = 0; i < b->count; i++)
			posix_recv_payload(ping, buf, b->size, b->chunk, &pid);
		t1 = now() - t0;
	}
	if (pid != 0)
		require_success(reap(pid, "peer"), "peer");
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
static int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	bench_setup(&b, o->posix ? "msgq-posix" : "msgq-sysv", o->size,
	    o->nmsgs, o->latency, o->cpu);
	say("%s, %lld messages of %zu bytes after %lld to warm up",
	    b.latency ? "round trips" : "one-way stream", b.count, b.size,
	    b.warmup);
	if (o->posix)
		bench_posix(&b);
	else
		bench_sysv(&b);
	return 0;
}

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'A':
		o->all = 1;
		break;
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'M':
		o->maxmsg = (long)parse_count("--maxmsg", arg, 1, 1000000000);
		break;
	case 'N':
		o->name = parse_posix_name("-N", arg);
		break;
	case 'P':
		o->proj = parse_proj(arg);
		break;
	case 'S':
		o->msgsize = (long)parse_size("--msgsize", arg, 1, 1 << 30);
		break;
	case 'T':
		o->truncate = 1;
		break;
	case 'W':
		o->nowait = 1;
		break;
	case 'X':
		o->posix = 1;
		break;
	case 'c':
		o->count = parse_count("-c", arg, 0, LLONG_MAX);
		o->count_set = 1;
		break;
	case 'f':
		o->path = arg;
		break;
	case 'k':
		o->key = parse_key("-k", arg);
		break;
	case 'l':
		o->label = 1;
		break;
	case 'm':
		o->mode = parse_mode("-m", arg);
		o->mode_set = 1;
		break;
	case 'n':
		o->nmsgs = parse_count("-n", arg, 1, 100000000);
		break;
	case 'p':
		o->prio = (unsigned int)parse_count("-p", arg, 0,
		    sysconf(_SC_MQ_PRIO_MAX) - 1);
		o->prio_set = 1;
		break;
	case 's':
		o->size = parse_size("-s", arg, 1, 64 << 20);
		break;
	case 't':
		o->type = (long)parse_count("-t", arg, -LONG_MAX, LONG_MAX);
		o->type_set = 1;
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "X", "[--posix]",
	  "a parent sends tagged messages; its child picks them by type" },
	{ "send", cmd_send, "MNPSWXfkmpt",
	  "[-t TYPE | -p PRIO] [--nowait] [MESSAGE...]",
	  "queue each MESSAGE (or stdin line); create the queue if missing" },
	{ "recv", cmd_recv, "AMNPSTWXcfklmst",
	  "[-t TYPE] [-c N] [--nowait] [--all] [--truncate] [-l]",
	  "receive and print messages (one by default), waiting for them" },
	{ "info", cmd_info, "NPXfk", "",
	  "the kernel's view of the queue: key, mode, messages, pids" },
	{ "rm", cmd_rm, "NPXfk", "",
	  "remove the queue and any messages in it" },
	{ "bench", cmd_bench, "CLXns", "[-s SIZE] [-n N] [--latency] [--cpu A,B]",
	  "measure throughput or round-trip latency" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_help option_help[] = {
	{ 'A', "--all", "recv: take every message waiting, do not wait" },
	{ 'C', "--cpu A,B", "bench: pin the sender to CPU A, receiver to B" },
	{ 'L', "--latency", "bench: round trips instead of a stream" },
	{ 'M', "--maxmsg N", "POSIX: a new queue holds N messages" },
	{ 'N', "-N, --name /NAME", "POSIX: the queue's name (/ipclab-UID-msgq)" },
	{ 'P', "-P, --proj PROJ", "System V: ftok's project id for -f ('q')" },
	{ 'S', "--msgsize SIZE", "POSIX: a new queue's largest message" },
	{ 'T', "--truncate", "recv: cut a message too long (MSG_NOERROR)" },
	{ 'W', "--nowait", "fail at once if the queue is full or empty" },
	{ 'X', "--posix", "POSIX message queues instead of System V" },
	{ 'c', "-c, --count N", "recv: messages to receive (1); 0 for ever" },
	{ 'f', "-f, --file PATH", "System V: the key is ftok(PATH, PROJ)" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'k', "-k, --key KEY", "System V: the queue's key (default: ftok)" },
	{ 'l', "-l, --label", "recv: put the type or priority first" },
	{ 'm', "-m, --mode MODE", "a new queue's permissions (600)" },
	{ 'n', "-n N", "bench: messages to time" },
	{ 'p', "-p, --priority PRIO", "POSIX send: the priority (0)" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 's', "-s, --size SIZE", "recv: buffer (msgmax); bench: payload" },
	{ 't', "-t, --type TYPE", "System V: send's type (1); recv's choice (0)" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'A' },
	{ "count", required_argument, NULL, 'c' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "file", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "key", required_argument, NULL, 'k' },
	{ "label", no_argument, NULL, 'l' },
	{ "latency", no_argument, NULL, 'L' },
	{ "maxmsg", required_argument, NULL, 'M' },
	{ "mode", required_argument, NULL, 'm' },
	{ "msgsize", required_argument, NULL, 'S' },
	{ "name", required_argument, NULL, 'N' },
	{ "nowait", no_argument, NULL, 'W' },
	{ "posix", no_argument, NULL, 'X' },
	{ "priority", required_argument, NULL, 'p' },
	{ "proj", required_argument, NULL, 'P' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "size", required_argument, NULL, 's' },
	{ "truncate", no_argument, NULL, 'T' },
	{ "type", required_argument, NULL, 't' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"Message queues, System V and POSIX: the kernel keeps whole messages.",
	"N:P:c:f:hk:lm:n:p:qs:t:", longopts, commands, option_help,
	set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.mode = 0600;
	o.count = 1;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
