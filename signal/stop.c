/*
 * stop.c - how the supervisor ends: the signals that may stop it, and
 * stopping its workers in order, SIGTERM first, SIGKILL for any that
 * is still there after a grace period, then the summary.
 *
 * The classic it mirrors: init(8) and every service manager at shutdown
 * (SIGTERM, wait, SIGKILL).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-signal.h"

#define GRACE		1.0	/* seconds between SIGTERM and SIGKILL */

static int	running(const struct supervisor *s);

/*
 * Stop every worker: SIGTERM (and SIGCONT, in case one is stopped), a
 * grace period to reap them, then SIGKILL for any that is still there.
 * Only pids not yet reaped are signalled.  Called once at the end, or by
 * the cleanup registry if the supervisor fails.
 */
void
stop_workers(struct supervisor *s)
{
	sigset_t chld;
	struct timespec tick;
	double deadline, left;
	int i, status;
	pid_t pid;

	if (s->stopped)
		return;
	s->stopping = 1;
	for (i = 0; i < s->n; i++) {
		if (s->w[i].pid <= 0)
			continue;
		if (kill(s->w[i].pid, SIGTERM) == -1)
			warn("kill %ld", (long)s->w[i].pid);
		else
			say("kill(%ld, SIGTERM) -> 0: worker %d, please stop",
			    (long)s->w[i].pid, i + 1);
		/* A stopped process acts on its SIGTERM only once continued. */
		if (kill(s->w[i].pid, SIGCONT) == -1)
			warn("kill %ld", (long)s->w[i].pid);
		else
			say("kill(%ld, SIGCONT) -> 0: worker %d, if stopped, "
			    "runs again to meet its SIGTERM", (long)s->w[i].pid,
			    i + 1);
	}
	/* Wait for SIGCHLD (blocked, so sigtimedwait() takes it), in ticks. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	deadline = now() + GRACE;
	for (;;) {
		reap_workers(s);
		if (running(s) == 0 || (left = deadline - now()) <= 0)
			break;
		tick = to_timespec(left < 0.05 ? left : 0.05);
		(void)sigtimedwait(&chld, NULL, &tick);
	}
	for (i = 0; i < s->n; i++) {
		if ((pid = s->w[i].pid) <= 0)
			continue;
		log_event(s, "worker %d (pid %ld) still runs after %g s: "
		    "SIGKILL", i + 1, (long)pid, GRACE);
		if (kill(pid, SIGKILL) == -1)
			warn("kill %ld", (long)pid);
		else
			say("kill(%ld, SIGKILL) -> 0: worker %d outlived its "
			    "SIGTERM; SIGKILL cannot be caught or ignored",
			    (long)pid, i + 1);
		/* SIGKILL cannot be refused: this wait is short. */
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			continue;
		worker_reaped(s, i, pid, status);
	}
	/* The proof: no child is left, not even a zombie. */
	if (waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD)
		say("waitpid(-1, WNOHANG) -> ECHILD: no child is left, not "
		    "even a zombie");
	s->stopped = 1;
}

static int
running(const struct supervisor *s)
{
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->w[i].pid > 0;
	return n;
}

/* The cleanup registry's way in: the supervisor is failing or dying. */
void
cleanup_workers(void *arg)
{
	struct supervisor *s = arg;

	s->quiet_log = 1;
	stop_workers(s);
}

/*
 * Add to SET the signals that stop the supervisor: SIGHUP, SIGINT and
 * SIGTERM, unless one was ignored when we started (nohup, a script's
 * background job): keep it so.  A blocked signal is queued even if
 * ignored, so we must leave it out of the set, not just out of our mind.
 */
void
add_stop_signals(sigset_t *set)
{
	static const int stops[] = { SIGHUP, SIGINT, SIGTERM };
	struct sigaction old;
	char name[32];
	int i;

	for (i = 0; i < 3; i++) {
		if (sigaction(stops[i], NULL, &old) == -1)
			err(1, "sigaction");
		if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) {
			say("%s was ignored when we started: it will not stop "
			    "us", signal_name(stops[i], name, sizeof(name)));
			continue;
		}
		sigaddset(set, stops[i]);
	}
}

/* SIGHUP, SIGINT or SIGTERM came, SI says from whom: the log says so. */
void
log_stop_signal(const struct supervisor *s, const siginfo_t *si)
{
	char name[32], who[160];

	log_event(s, "%s %s: stopping the workers",
	    signal_name(si->si_signo, name, sizeof(name)),
	    describe_sender(si, who, sizeof(who)));
}

/* The last lines on stdout: how long, and how often each was restarted. */
void
print_summary(const struct supervisor *s)
{
	double t = now() - s->t0;
	int i, restarts = 0;

	for (i = 0; i < s->n; i++)
		restarts += (int)s->w[i].restarts;
	printf("summary: %.2f s, %d worker%s, %d restart%s\n", t, s->n,
	    s->n == 1 ? "" : "s", restarts, restarts == 1 ? "" : "s");
	for (i = 0; i < s->n; i++)
		printf("worker %d: %lld restart%s\n", i + 1, s->w[i].restarts,
		    s->w[i].restarts == 1 ? "" : "s");
}
