/*
 * undo.c - what becomes of a semaphore whose holder is killed.
 *
 * The classic: SEM_UNDO, as semop(2) and TLPI's svsem_op -u show it.  A
 * child takes the one unit of a System V set with semop(SEM_UNDO); the
 * kernel writes down, in the child's semadj, +1 to give back when it
 * exits.  The child is killed with SIGKILL, no handler runs, and still
 * the value is 1 again.  undo_sysv is that; with flags 0 the unit is
 * lost, and undo_posix shows that a POSIX semaphore, which has no undo,
 * loses it too.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-sem.h"

static pid_t	fork_holder(int ready[2]);
static void	kill_holder(pid_t pid, int ready[2]);
static int	report_undo(const char *what, int value, int took, double t);

/*
 * undo, System V: in a new set of value 1, a child takes the unit with
 * SEM_UNDO (or without) and is killed; then the parent looks at the
 * value and tries a timed wait.  Returns the value; *TOOK: the wait won.
 */
static int
undo_sysv(int flags, double t, int *took)
{
	static int semids[2] = { -1, -1 };
	int *semid = &semids[flags == SEM_UNDO], ready[2], value, waited;
	struct sembuf down = { 0, -1, 0 };
	struct timespec ts;
	union semun arg;
	pid_t pid;

	if ((*semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600)) == -1) {
		if (errno == ENOSPC)
			semget_nospace(IPC_PRIVATE);
		err(1, "semget IPC_PRIVATE");
	}
	at_exit_call(remove_set, semid);
	arg.val = 1;
	if (semctl(*semid, 0, SETVAL, arg) == -1)
		set_failed("semctl SETVAL", IPC_PRIVATE, *semid);
	say("semget(IPC_PRIVATE) -> semid %d, value 1; the holder will take "
	    "it %s", *semid, flags == SEM_UNDO ? "with SEM_UNDO" :
	    "without SEM_UNDO");
	if ((pid = fork_holder(ready)) == 0) {
		down.sem_flg = (short)flags;
		while (semop(*semid, &down, 1) == -1) {
			if (errno != EINTR)
				set_failed("semop", IPC_PRIVATE, *semid);
			stop_if_signalled();
		}
		say("semop(%d, {0, -1, %s}) -> 0: I hold the unit%s", *semid,
		    flags == SEM_UNDO ? "SEM_UNDO" : "0", flags == SEM_UNDO ?
		    ", and the kernel notes +1 to give back when I exit (my "
		    "semadj)" : "; nobody notes it");
		hold_until_killed(ready[1]);
	}
	kill_holder(pid, ready);
	if ((value = semctl(*semid, 0, GETVAL)) == -1)
		set_failed("semctl GETVAL", IPC_PRIVATE, *semid);
	say("semctl(%d, 0, GETVAL) -> %d after the holder died%s", *semid,
	    value, flags == SEM_UNDO ? ": the kernel applied its semadj" :
	    "");
	ts = timeout_of(t);
	down.sem_flg = 0;
	while ((waited = semtimedop(*semid, &down, 1, &ts)) == -1 &&
	    errno == EINTR)
		stop_if_signalled();
	if (waited == -1 && errno != EAGAIN)
		set_failed("semtimedop", IPC_PRIVATE, *semid);
	say("semtimedop(%d, {0, -1, 0}, %g s) -> %s", *semid, t,
	    waited == 0 ? "0: took it" : "EAGAIN: timed out");
	if (semctl(*semid, 0, IPC_RMID) == -1)
		set_failed("semctl IPC_RMID", IPC_PRIVATE, *semid);
	*semid = -1;
	*took = waited == 0;
	return value;
}

/*
 * fork() the holder, with a pipe READY on which it says it holds the
 * unit.  Returns 0 in the child, which dies if we die; its pid to us.
 */
static pid_t
fork_holder(int ready[2])
{
	pid_t parent = getpid(), pid;

	make_ready(ready);
	say_fork("the holder");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("holder");
		die_with_parent(parent, SIGKILL);
		if (close(ready[0]) == -1)
			err(1, "close");
		return 0;
	}
	at_exit_stop_child(pid);
	return pid;
}

/* The parent: wait until the child holds the unit, then SIGKILL it. */
static void
kill_holder(pid_t pid, int ready[2])
{
	char how[96];
	int status;

	wait_until_ready(ready);
	/* SIGKILL: no handler, no cleanup, no chance to post. */
	if (kill(pid, SIGKILL) == -1)
		err(1, "kill %ld", (long)pid);
	say("read(%d) -> 1 byte: the holder holds the unit; "
	    "kill(%ld, SIGKILL): it dies without posting", ready[0],
	    (long)pid);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	child_reaped(pid, "holder", status);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		errx(1, "the holder %s, not killed by SIGKILL", describe_status(
		    status, how, sizeof(how)));
}

/* One line of undo's report; returns 1 when the value came back. */
static int
report_undo(const char *what, int value, int took, double t)
{
	printf("%-22s holder killed; value %d, ", what, value);
	if (took)
		printf("a timed wait succeeds at once");
	else
		printf("a timed wait of %g s times out", t);
	printf(": %s\n", value > 0 || took ?
	    "the kernel gave the unit back" : "the unit is lost for good");
	return value > 0 && took;
}

/*
 * undo, POSIX: the same with an unnamed semaphore in a shared mapping.
 * POSIX semaphores have no undo, named or not.
 */
static int
undo_posix(double t, int *took)
{
	struct timespec deadline;
	int ready[2], value, r;
	sem_t *sem;
	pid_t pid;

	sem = mmap(NULL, sizeof(*sem), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, no_file, 0);
	if (sem == MAP_FAILED)
		err(1, "mmap");
	if (sem_init(sem, 1, 1) == -1)
		err(1, "sem_init");
	say("sem_init(pshared=1, 1) in a shared mapping; the holder will take "
	    "it with sem_wait");
	if ((pid = fork_holder(ready)) == 0) {
		while (sem_wait(sem) == -1)
			retry_if_eintr("sem_wait");
		say("sem_wait -> 0: I hold the unit; POSIX keeps no note of "
		    "who took it");
		hold_until_killed(ready[1]);
	}
	kill_holder(pid, ready);
	if (sem_getvalue(sem, &value) == -1)
		err(1, "sem_getvalue");
	say("sem_getvalue -> %d after the holder died", value);
	deadline = realtime_after(t);
	while ((r = sem_timedwait(sem, &deadline)) == -1 && errno == EINTR)
		stop_if_signalled();
	if (r == -1 && errno != ETIMEDOUT)
		err(1, "sem_timedwait");
	say("sem_timedwait(now + %g s) -> %s", t, r == 0 ? "0: took it" :
	    "ETIMEDOUT: timed out");
	if (sem_destroy(sem) == -1)
		err(1, "sem_destroy");
	if (munmap(sem, sizeof(*sem)) == -1)
		err(1, "munmap");
	*took = r == 0;
	return value;
}

/*
 * undo: three times, a child takes a semaphore of value 1 and is killed
 * holding it.  Only System V with SEM_UNDO gets the unit back.
 */
int
cmd_undo(struct opts *o, int argc, char **argv)
{
	double t = o->timeout > 0 ? o->timeout : 0.5;
	int value, took, with, without, posix;

	(void)argv;
	if (argc > 0)
		usage_error("undo takes no arguments");
	narrate_role("parent");
	value = undo_sysv(SEM_UNDO, t, &took);
	with = report_undo("System V, SEM_UNDO:", value, took, t);
	value = undo_sysv(0, t, &took);
	without = report_undo("System V, no SEM_UNDO:", value, took, t);
	value = undo_posix(t, &took);
	posix = report_undo("POSIX, sem_wait:", value, took, t);
	if (!with || without || posix)
		errx(1, "undo: the kernel did not do what semop(2) and "
		    "sem_overview(7) describe");
	return 0;
}
