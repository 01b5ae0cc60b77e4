/*
 * proc.c - process plumbing: read a kernel limit from /proc, to name it
 * in an error; say why fork() failed; make a forked child die with its
 * parent; let a signal interrupt a blocking call.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

long long
proc_limit(const char *path)
{
	long long v;
	FILE *f;
	int ok;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	ok = fscanf(f, "%lld", &v) == 1;
	(void)fclose(f);
	return ok ? v : -1;
}

/*
 * A shared lab server often caps how many processes each user may run at
 * once, and a demo's workers count against it: say so.  The limit counts
 * every process of the user's real uid, in all its terminals.
 */
void
fork_failed(void)
{
	struct rlimit rl;

	if (errno != EAGAIN)
		err(1, "fork");
	/* Root passes RLIMIT_NPROC (CAP_SYS_RESOURCE); a student does not. */
	if (geteuid() != 0 && getrlimit(RLIMIT_NPROC, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY)
		errx(1, "fork: %s (a limit on processes is reached, most "
		    "often your user's: RLIMIT_NPROC, see ulimit -u, lets you "
		    "run %llu at once in all your terminals; or a cgroup's "
		    "pids.max)", strerror(EAGAIN),
		    (unsigned long long)rl.rlim_cur);
	errx(1, "fork: %s (a limit on processes is reached: a cgroup's "
	    "pids.max, or the system's kernel.threads-max or "
	    "kernel.pid_max)", strerror(EAGAIN));
}

/*
 * In a child, right after fork(): should the parent die, the kernel sends
 * this child SIG.  A parent killed by SIGKILL cleans nothing up, and a
 * child waiting for a partner that is gone (a message, a post, a lock), or
 * counting on to a large -n, would run on for long or for ever.  PARENT
 * is getpid() from before fork(): if the parent is gone already, no
 * signal will come, so look.
 */
void
die_with_parent(pid_t parent, int sig)
{
	if (prctl(PR_SET_PDEATHSIG, sig) == -1)
		err(1, "prctl PR_SET_PDEATHSIG");
	if (getppid() != parent)
		_exit(1);
}

void
interrupt_with(int sig, void (*handler)(int))
{
	struct sigaction sa;
	char name[32];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) == -1)
		err(1, "sigaction %s", signal_name(sig, name, sizeof(name)));
}
