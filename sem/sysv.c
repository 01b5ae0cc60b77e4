/*
 * sysv.c - create, wait, post and value on a System V semaphore set
 * (ipc-sem --sysv), the older API beside named.c's POSIX one.
 *
 * The classic: semget(2) with IPC_CREAT finds or makes a set by key, but
 * a new set starts at 0 and only semctl(SETVAL) gives it a value;
 * semop(2) adds to a semaphore (+1, a post) or takes from it (-1, a
 * wait, sleeping while that would go below 0), and SEM_UNDO asks the
 * kernel to reverse a process's operations when it exits (undo.c shows
 * why).  The set stays until IPC_RMID (info.c: rm).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include <err.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-sem.h"

static int	semop_until(int semid, struct sembuf *op, double timeout,
		    double deadline);

/* create --sysv: a new set of one semaphore, then its VALUE. */
int
create_sysv(const struct opts *o, long long value)
{
	union semun arg;
	key_t key;
	int semid;

	/* SETVAL needs alter permission, which the mode gives or not. */
	if ((o->mode & 0200) == 0)
		usage_error("-m %04o: a new set of that mode would refuse "
		    "you, its owner, the semctl SETVAL that gives it its "
		    "value (alter permission, 0200)", (unsigned)o->mode);
	key = sysv_key(o);
	/* IPC_EXCL: fail rather than take over a set that is there. */
	semid = semget(key, 1, IPC_CREAT | IPC_EXCL | (int)o->mode);
	if (semid == -1 && errno == EEXIST)
		errx(1, "semget key 0x%08x: a set with this key exists "
		    "already ('ipc-sem --sysv info' shows it, 'ipc-sem "
		    "--sysv rm' removes it)", (unsigned)key);
	if (semid == -1 && errno == ENOSPC)
		semget_nospace(key);
	if (semid == -1)
		err(1, "semget key 0x%08x", (unsigned)key);
	say("semget(0x%08x, 1, IPC_CREAT|IPC_EXCL|%04o) -> semid %d: a "
	    "set of one semaphore, value 0 for now", (unsigned)key,
	    (unsigned)o->mode, semid);
	/*
	 * Two calls, and another process could use the set between them;
	 * sem_open(3) sets the value in the same call.
	 */
	arg.val = (int)value;
	if (semctl(semid, 0, SETVAL, arg) == -1)
		set_failed("semctl SETVAL", key, semid);
	say("semctl(%d, 0, SETVAL, %lld): the value is set; the set "
	    "stays until 'ipc-sem --sysv rm' (see 'ipcs -s')", semid,
	    value);
	return 0;
}

/*
 * wait --sysv: semop, or semtimedop, minus one, with SEM_UNDO unless
 * --no-undo: the unit we take comes back when we exit.
 */
int
wait_sysv(const struct opts *o)
{
	struct sembuf op = { 0, -1, SEM_UNDO };
	double deadline = now() + o->timeout;
	int semid, r;
	key_t key;

	key = sysv_key(o);
	semid = open_own_sysv(o, key, 0600);
	if (o->no_undo)
		op.sem_flg = 0;
	/* IPC_NOWAIT: fail with EAGAIN rather than sleep. */
	if (o->try)
		op.sem_flg |= IPC_NOWAIT;
	say("%s(%d, {sem 0, op -1, %s}): takes one unit%s", o->timeout > 0 ?
	    "semtimedop" : "semop", semid, o->try ? (o->no_undo ?
	    "IPC_NOWAIT" : "SEM_UNDO|IPC_NOWAIT") : (o->no_undo ? "0" :
	    "SEM_UNDO"), o->try ? ", or fails at once if the value is 0" :
	    o->timeout > 0 ? ", sleeping at most the timeout" :
	    ", sleeping until the value is above 0");
	for (;;) {
		stop_if_signalled();
		if (semop_until(semid, &op, o->timeout, deadline) == 0)
			break;
		if (errno == EINTR) {
			stop_if_signalled();
			say("semop -> EINTR (a signal, or Ctrl-Z then fg): "
			    "waiting again");
			continue;
		}
		if (errno == EAGAIN && o->try)
			errx(1, "semop key 0x%08x: the value is 0, and --try "
			    "does not wait (EAGAIN)", (unsigned)key);
		if (errno == EAGAIN)
			errx(1, "semtimedop key 0x%08x: timed out (EAGAIN): no "
			    "post came within %g seconds", (unsigned)key,
			    o->timeout);
		set_failed("semop", key, semid);
	}
	if ((r = semctl(semid, 0, GETVAL)) == -1)
		set_failed("semctl GETVAL", key, semid);
	if (o->no_undo)
		say("semop -> 0: took one unit; the value is now %d and stays "
		    "so until a post", r);
	else
		say("semop -> 0: took one unit, value now %d; but SEM_UNDO "
		    "gives it back the moment this process exits, so the "
		    "value is at once %d again (--no-undo keeps it taken)",
		    r, r + 1);
	return 0;
}

/*
 * One semop; with a TIMEOUT, a semtimedop for what is left of it until
 * DEADLINE (a wait interrupted by a signal goes on for the rest only).
 */
static int
semop_until(int semid, struct sembuf *op, double timeout, double deadline)
{
	struct timespec ts;
	double left;

	if (timeout <= 0)
		return semop(semid, op, 1);
	if ((left = deadline - now()) < 0)
		left = 0;
	ts = timeout_of(left);
	return semtimedop(semid, op, 1, &ts);
}

/* post --sysv: semop plus one. */
int
post_sysv(const struct opts *o)
{
	struct sembuf op = { 0, 1, 0 };
	int semid, value;
	key_t key;

	key = sysv_key(o);
	semid = open_own_sysv(o, key, 0600);
	/* No SEM_UNDO: the unit we add must outlive us. */
	while (semop(semid, &op, 1) == -1) {
		if (errno == ERANGE)
			errx(1, "semop key 0x%08x: %s (the value is "
			    "already %d, SEMVMX)", (unsigned)key,
			    strerror(ERANGE), SYSV_VALUE_MAX);
		if (errno != EINTR)
			set_failed("semop", key, semid);
		stop_if_signalled();
	}
	if ((value = semctl(semid, 0, GETVAL)) == -1)
		set_failed("semctl GETVAL", key, semid);
	say("semop(%d, {sem 0, op +1, 0}) -> 0: the value is now %d "
	    "(a waiter, if any, has taken the unit already; no "
	    "SEM_UNDO, so what we added stays after we exit)", semid,
	    value);
	return 0;
}

/* value --sysv: semctl(GETVAL); returns the value. */
int
value_sysv(const struct opts *o)
{
	int semid, value;
	key_t key;

	key = sysv_key(o);
	semid = open_own_sysv(o, key, 0400);
	if ((value = semctl(semid, 0, GETVAL)) == -1)
		set_failed("semctl GETVAL", key, semid);
	say("semctl(%d, 0, GETVAL) -> %d", semid, value);
	return value;
}

/*
 * A cleanup remover for the demos' private sets (counter --sysv, undo):
 * IPC_RMID the set *ARG holds, unless already gone.
 */
void
remove_set(void *arg)
{
	int *semid = arg;

	if (*semid != -1)
		(void)semctl(*semid, 0, IPC_RMID);
	*semid = -1;
}
