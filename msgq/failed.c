/*
 * failed.c - why a call on the queue failed, in words: the *_failed
 * explainers.  Each prints "ipc-msgq: CALL QUEUE: ..." with, where we can
 * tell, the cause (someone else's queue, a removed one, a limit of /proc
 * or of RLIMIT_MSGQUEUE and its value), and exits 1.  The lessons call
 * them where a plain err(1, ...) would leave the student guessing.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-msgq.h"

/* The hard ceilings even CAP_SYS_RESOURCE cannot pass (ipc/mqueue.c). */
#define HARD_MSGMAX		65536
#define HARD_MSGSIZEMAX		(16 * 1024 * 1024)

/*
 * Die after a failed System V call on the queue, with the usual
 * "ipc-msgq: CALL key 0x...: strerror" and, where we can tell, why.
 */
static void __attribute__((noreturn))
sysv_call_failed(const struct opts *o, const char *call)
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
		/* IPC_RMID and IPC_SET look at who you are, not at the mode. */
		errx(1, "%s %s: %s; only the queue's owner or its creator "
		    "(or a process with CAP_SYS_ADMIN) may remove or change "
		    "it, whatever its mode says ('ipcs -q -c' shows both)",
		    call, o->obj, strerror(e));
	default:
		errno = e;
		err(1, "%s %s", call, o->obj);
	}
}

void
msgget_failed(const struct opts *o)
{
	sysv_call_failed(o, "msgget");
}

void
msgsnd_failed(const struct opts *o)
{
	sysv_call_failed(o, "msgsnd");
}

void
msgrcv_failed(const struct opts *o)
{
	sysv_call_failed(o, "msgrcv");
}

/* CMD is msgctl's command: "IPC_STAT", "IPC_RMID". */
void
msgctl_failed(const struct opts *o, const char *cmd)
{
	char call[32];
	int e = errno;

	snprintf(call, sizeof(call), "msgctl %s", cmd);
	errno = e;
	sysv_call_failed(o, call);
}

/*
 * The same for POSIX calls.  Where a limit of /proc/sys/fs/mqueue or
 * RLIMIT_MSGQUEUE is the cause of mq_open's refusal (A: the attributes
 * it was given, or NULL), say which and its value.
 */
static void __attribute__((noreturn))
posix_call_failed(const struct opts *o, const char *call,
    const struct mq_attr *a)
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

/* A: the attributes mq_open was given, or NULL. */
void
mq_open_failed(const struct opts *o, const struct mq_attr *a)
{
	posix_call_failed(o, "mq_open", a);
}

/*
 * The kernel refuses with EPERM, and glibc's mq_unlink() reports it as
 * EACCES, as POSIX asks: the queues' directory has the sticky bit (mode
 * 1777, as /tmp), so only the queue's owner or the directory's may take
 * its name, whatever the queue's own mode lets others do.
 */
void
mq_unlink_failed(const struct opts *o)
{
	char path[NAME_MAX + 16], whose[NAME_MAX + 64] = "";
	struct stat st;
	int e = errno;

	if (e == EACCES || e == EPERM) {
		snprintf(path, sizeof(path), "/dev/mqueue%s", o->name);
		if (stat(path, &st) == 0)
			snprintf(whose, sizeof(whose), " (%s is uid %ld's)",
			    path, (long)st.st_uid);
		errx(1, "mq_unlink %s: %s; the queue is not yours%s, and the "
		    "queues' directory has the sticky bit, as /tmp has: only "
		    "a queue's owner or the directory's (root) may remove "
		    "its name, whatever the queue's mode says", o->obj,
		    strerror(e), whose);
	}
	posix_call_failed(o, "mq_unlink", NULL);
}
