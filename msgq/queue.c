/*
 * queue.c - the plumbing around a named queue, which the lessons need
 * and need not show: which queue a command means (key, ftok(3) or name),
 * opening it with msgget(2) or mq_open(3) and saying whether it is new,
 * refusing a default queue that someone else made, removing the
 * private queues of demo and bench at exit, and the limits in /proc.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-msgq.h"

/* Our System V default key is ftok(3) of the run directory and this. */
#define MSGQ_PROJ	'q'

/* What /proc/sys/kernel/msgmax says when it cannot be read. */
#define DEFAULT_MSGMAX	8192

/* A number from /proc, or FALLBACK where the file is missing. */
long long
limit_or(const char *path, long long fallback)
{
	long long v = proc_limit(path);

	return v > 0 ? v : fallback;
}

/* The largest System V message text: /proc/sys/kernel/msgmax. */
size_t
msgmax_sysv(void)
{
	return (size_t)limit_or("/proc/sys/kernel/msgmax", DEFAULT_MSGMAX);
}

/* The mode a new queue gets: -m, or 0600. */
static mode_t
new_mode(const struct opts *o)
{
	return o->mode != MODE_NOT_GIVEN ? o->mode : 0600;
}

/*
 * Which queue the command means.  System V: -k KEY; or ftok(3) of -f PATH
 * and -P PROJ; or, by default, ftok(3) of our private run directory with
 * project 'q', so each user gets a key of their own.  POSIX: -N /NAME, or
 * "/ipclab-UID-msgq".
 */
void
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
 * msgget(2): the id of the queue with our key.  Without IPC_CREAT the
 * permission bits in the flags ask for access (ACCESS: S_IRUSR to
 * receive, S_IWUSR to send), so a queue we may not use is refused here
 * with EACCES.  With CREATE we try IPC_CREAT | IPC_EXCL first, to say
 * whether the queue is new.
 */
int
open_sysv(struct opts *o, int create, int access)
{
	struct msqid_ds ds;
	mode_t mode = new_mode(o);
	int id;

	if (create) {
		/* A queue made with a mode that refuses us helps nobody. */
		if ((mode & (mode_t)access) == 0)
			usage_error("-m %04o: a new queue of that mode would "
			    "refuse this very %s (its owner needs %s "
			    "permission, %04o)", (unsigned int)mode,
			    access == S_IWUSR ? "send" : "recv",
			    access == S_IWUSR ? "write" : "read",
			    (unsigned int)access);
		id = msgget(o->key, IPC_CREAT | IPC_EXCL | (int)mode);
		if (id != -1) {
			say("msgget(%s, IPC_CREAT | IPC_EXCL | 0%03o) -> id "
			    "%d: a new queue; it stays in the kernel until "
			    "someone removes it", o->obj, (unsigned int)mode,
			    id);
			return id;
		}
		if (errno != EEXIST)
			msgget_failed(o);
	}
	if ((id = msgget(o->key, access)) == -1)
		msgget_failed(o);
	say("msgget(%s, 0%03o) -> id %d: the queue exists%s", o->obj,
	    (unsigned int)access, id, access == S_IWUSR ? ", and we may "
	    "write to it" : access == S_IRUSR ? ", and we may read it" : "");
	/* The mode is set once, at creation. */
	if (o->mode != MODE_NOT_GIVEN && msgctl(id, IPC_STAT, &ds) == 0 &&
	    (ds.msg_perm.mode & 0777) != o->mode)
		warnx("%s already exists with mode %04o; -m applies only "
		    "when a queue is created", o->obj,
		    (unsigned int)(ds.msg_perm.mode & 0777));
	return id;
}

/*
 * mq_open(3) the POSIX queue with OFLAG (O_RDONLY, O_WRONLY, and
 * O_NONBLOCK or not).  With CREATE a missing queue is made, with the
 * --maxmsg and --msgsize attributes if given, or the defaults of
 * /proc/sys/fs/mqueue (attr NULL).  NEED is the longest message we are
 * about to send: a queue too small for it is not created at all.
 */
mqd_t
open_posix(struct opts *o, int oflag, int create, size_t need)
{
	struct mq_attr attr, *ap = NULL, now;
	struct stat st;
	mode_t mode = new_mode(o);
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
		mq_open_failed(o, NULL);

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
	mqd = mq_open(o->name, oflag | O_CREAT | O_EXCL, mode, ap);
	if (mqd == (mqd_t)-1) {
		if (errno == EEXIST)	/* someone made it just now */
			return open_posix(o, oflag, 0, need);
		mq_open_failed(o, ap);
	}
	/* As for a file, the umask takes bits away from the mode we ask. */
	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->name);
	say("mq_open(\"%s\", O_CREAT | O_EXCL, 0%03o, %s) -> descriptor %d: "
	    "a new queue, mode 0%03o after the umask; it stays until "
	    "mq_unlink", o->name, (unsigned int)mode, ap != NULL ?
	    "&attr" : "NULL", (int)mqd, (unsigned int)(st.st_mode & 0777));
	/*
	 * fchmod() is not masked, and on Linux a queue descriptor is a file
	 * descriptor: -m means the mode, as it does for System V.
	 */
	if ((st.st_mode & 0777) != mode) {
		if (fchmod(mqd, mode) == -1)
			err(1, "fchmod %s", o->name);
		say("fchmod(%d, 0%03o): the mode asked for, which the umask "
		    "does not touch", (int)mqd, (unsigned int)mode);
	}
	return mqd;
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
find_owner_sysv(int id, long *uid, long *cuid)
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
void
refuse_unless_ours_sysv(const struct opts *o, int id)
{
	struct msqid_ds ds;
	long uid, cuid;

	if (!o->is_default)
		return;
	if (msgctl(id, IPC_STAT, &ds) == 0) {
		uid = (long)ds.msg_perm.uid;
		cuid = (long)ds.msg_perm.cuid;
	} else if (errno != EACCES) {
		msgctl_failed(o, "IPC_STAT");
	} else if (!find_owner_sysv(id, &uid, &cuid)) {
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
void
refuse_unless_ours_posix(const struct opts *o, mqd_t mqd)
{
	struct stat st;

	if (!o->is_default)
		return;
	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->obj);
	refuse_unless_ours(o, (long)st.st_uid);
}

/*
 * A POSIX queue lives on while anyone has it open, even after
 * mq_unlink(3) took its name: nobody new can reach it then, a receiver
 * would wait for ever, and what a sender queues nobody would receive.
 * Waiting calls therefore wake once a second, and send looks before each
 * message, at the link count, which drops to 0 when the name goes, as
 * for an unlinked file (on Linux an mqd_t is a file descriptor).  WHEN
 * says since when we hold it: "while we waited".
 */
void
check_name_posix(const struct opts *o, mqd_t mqd, const char *when)
{
	struct stat st;

	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->name);
	if (st.st_nlink == 0)
		errx(1, "%s was removed %s (by 'ipc-msgq --posix rm', "
		    "mq_unlink(3), or logind's RemoveIPC at logout); nobody "
		    "can reach it any more", o->name, when);
}

/* The absolute CLOCK_REALTIME time one second from now, for mq_timed*(). */
struct timespec
in_one_second(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		err(1, "clock_gettime");
	ts.tv_sec += 1;
	return ts;
}

/*
 * For at_exit_call(): remove the demo's or bench's System V queue (ID
 * points to its id, -1 once gone), if it is still there.
 */
void
remove_sysv(void *id)
{
	int *idp = id;

	if (*idp == -1)
		return;
	if (msgctl(*idp, IPC_RMID, NULL) == 0)
		say("msgctl(id %d, IPC_RMID): the queue is gone", *idp);
	*idp = -1;
}

/* For at_exit_call(): remove the demo's or bench's POSIX queue by NAME. */
void
remove_posix(void *name)
{
	if (mq_unlink(name) == 0)
		say("mq_unlink(\"%s\"): the name is gone", (const char *)name);
}
