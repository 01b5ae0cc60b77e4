/*
 * peer.c - waiting on the other process of a demo or bench.  A process
 * that dies never posts a semaphore or sets a flag, and its peer would
 * wait for ever; so every wait stops now and then to ask whether the
 * other process is still there.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <semaphore.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-shm.h"

void
peer_alive(const struct peer *p)
{
	char how[96];
	int status;
	pid_t r;

	if (p->is_parent) {
		/* An orphan is adopted by another process. */
		if (getppid() != p->pid)
			errx(1, "the %s (pid %ld) is gone; stopping", p->role,
			    (long)p->pid);
		return;
	}
	r = waitpid(p->pid, &status, WNOHANG);
	if (r == -1 && errno != EINTR)
		err(1, "waitpid %ld", (long)p->pid);
	if (r == p->pid) {
		at_exit_forget_child(p->pid);
		errx(1, "the %s %s before it was done", p->role,
		    describe_status(status, how, sizeof(how)));
	}
}

/*
 * sem_wait, cut into one-second slices.  sem_trywait first: when the
 * semaphore is already up, that is all it takes, and no clock is read.
 * EINTR (a signal, or Ctrl-Z and fg) only means: look at the signal
 * flag, then wait again.
 */
void
wait_sem(sem_t *sem, const char *name, const struct peer *peer)
{
	struct timespec limit;

	for (;;) {
		stop_if_signalled();
		if (sem_trywait(sem) == 0)
			return;
		if (errno != EAGAIN && errno != EINTR)
			err(1, "sem_trywait(%s)", name);
		if (clock_gettime(CLOCK_REALTIME, &limit) == -1)
			err(1, "clock_gettime");
		limit.tv_sec += 1;
		if (sem_timedwait(sem, &limit) == 0)
			return;
		if (errno == ETIMEDOUT)
			peer_alive(peer);
		else if (errno != EINTR)
			err(1, "sem_timedwait(%s)", name);
	}
}

void
post_sem(sem_t *sem, const char *name)
{
	if (sem_post(sem) == -1)
		err(1, "sem_post(%s)", name);
}
