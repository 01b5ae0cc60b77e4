/*
 * worker.c - a supervised worker's life: fork(), a heartbeat with
 * sigqueue(3) every interval, waitpid(-1, WNOHANG) when SIGCHLD says it
 * ended, SIGKILL when it falls silent, and a restart.
 *
 * The classic it mirrors: the workers of seed 002's signal example,
 * which send their parent a signal every second, and the supervisor's
 * SIGCHLD loop (TLPI's multi_SIGCHLD.c).  supervise.c calls all of it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-signal.h"

static void	worker_main(const struct supervisor *s, int number,
		    double hang_after) __attribute__((noreturn));

/*
 * Fork worker I (numbered I + 1 for people).  With --hang, worker N's
 * first process stops beating after a while but stays alive: that is
 * what a hung process looks like from outside.
 */
void
start_worker(struct supervisor *s, int i)
{
	struct worker *w = &s->w[i];
	double hang_after = -1;
	pid_t pid;

	if (s->hang == i + 1 && !s->hang_used) {
		hang_after = s->hang_after;
		s->hang_used = 1;
	}
	say_fork("worker %d", i + 1);
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0)
		worker_main(s, i + 1, hang_after);
	w->pid = pid;
	w->killed = 0;
	w->started = w->last_beat = now();
	say("fork() -> worker %d is pid %ld", i + 1, (long)pid);
}

/*
 * A worker: one heartbeat, sigqueue() with the worker's number as the
 * value, every interval, until SIGTERM ends it.
 */
static void
worker_main(const struct supervisor *s, int number, double hang_after)
{
	static char role[32];
	union sigval value;
	double t0 = now();
	sigset_t none;
	int hung = 0;

	snprintf(role, sizeof(role), "worker %d", number);
	narrate_role(role);
	/*
	 * Ctrl-C and a hangup reach the whole process group; a worker leaves
	 * them to its supervisor, which stops it in order with SIGTERM.
	 * SIGTERM itself gets its default action back: it ends us.
	 */
	if (signal(SIGINT, SIG_IGN) == SIG_ERR ||
	    signal(SIGHUP, SIG_IGN) == SIG_ERR ||
	    signal(SIGTERM, SIG_DFL) == SIG_ERR)
		err(1, "signal");
	/* fork() copied the supervisor's mask; a worker blocks nothing. */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) == -1)
		err(1, "sigprocmask");
	memset(&value, 0, sizeof(value));
	value.sival_int = number;
	say("started: sigqueue(%ld, SIGRTMIN, %d) every %g s", (long)s->self,
	    number, s->interval);
	for (;;) {
		stop_if_signalled();
		/* Orphaned (the supervisor was SIGKILLed): do not linger. */
		if (getppid() != s->self) {
			say("my supervisor is gone; exiting");
			_exit(0);
		}
		if (!hung && hang_after >= 0 && now() - t0 >= hang_after) {
			say("--hang: I stop beating now, but stay alive");
			hung = 1;
		}
		if (!hung && sigqueue(s->self, SIGRTMIN, value) == -1) {
			if (errno == ESRCH)
				_exit(0);
			if (errno != EAGAIN)
				err(1, "sigqueue(%ld)", (long)s->self);
			say("sigqueue -> EAGAIN: too many signals queued for "
			    "this user; this beat is lost");
		}
		sleep_for(s->interval);
	}
}

/*
 * Reap every child that has ended.  SIGCHLD is a standard signal: two
 * children dying together may raise it once, so one SIGCHLD means "one
 * or more": ask waitpid(-1, WNOHANG) until it answers 0 (none ended) or
 * ECHILD (no child at all).
 */
void
reap_workers(struct supervisor *s)
{
	int status, i;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0)
			return;
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				warn("waitpid");
			return;
		}
		for (i = 0; i < s->n; i++)
			if (s->w[i].pid == pid)
				break;
		if (i == s->n) {
			say("waitpid -> %ld, a child that is no worker",
			    (long)pid);
			continue;
		}
		worker_reaped(s, i, pid, status);
	}
}

/* Record that worker I's process ended with STATUS. */
void
worker_reaped(struct supervisor *s, int i, pid_t pid, int status)
{
	struct worker *w = &s->w[i];
	char how[96];

	/* From here on we never signal this pid: it is free for reuse. */
	w->pid = 0;
	w->last_pid = pid;
	describe_status(status, how, sizeof(how));
	say("waitpid -> %ld: worker %d %s", (long)pid, i + 1, how);
	if (s->stopping) {
		log_event(s, "worker %d (pid %ld) ended: %s", i + 1,
		    (long)pid, how);
		return;
	}
	if (w->killed)
		log_event(s, "worker %d (pid %ld) reaped: %s", i + 1,
		    (long)pid, how);
	else
		log_event(s, "worker %d (pid %ld) died: %s", i + 1, (long)pid,
		    how);
	/* A worker that dies at once must not make us fork in a tight loop. */
	w->restart_at = w->started + s->interval;
}

/* Kill the silent, restart the dead whose time has come. */
void
check_workers(struct supervisor *s, double t)
{
	struct worker *w;
	int i;

	for (i = 0; i < s->n; i++) {
		w = &s->w[i];
		if (w->pid == 0 && t >= w->restart_at) {
			start_worker(s, i);
			w->restarts++;
			log_event(s, "worker %d restarted: pid %ld", i + 1,
			    (long)w->pid);
		} else if (w->pid > 0 && !w->killed &&
		    t - w->last_beat > s->timeout) {
			/* A hung process may ignore SIGTERM, not SIGKILL. */
			log_event(s, "worker %d (pid %ld) silent for %.2f s "
			    "(timeout %g s): SIGKILL", i + 1, (long)w->pid,
			    t - w->last_beat, s->timeout);
			if (kill(w->pid, SIGKILL) == -1)
				err(1, "kill %ld", (long)w->pid);
			say("kill(%ld, SIGKILL) -> 0: worker %d is silent; it "
			    "may ignore SIGTERM, not this", (long)w->pid,
			    i + 1);
			w->killed = 1;
		}
	}
}

/* We were stopped (Ctrl-Z) and continued: beats may be missing. */
void
workers_continued(struct supervisor *s)
{
	int i;

	say("continued after a stop: silence counts from now");
	for (i = 0; i < s->n; i++)
		s->w[i].last_beat = now();
}

/*
 * The workers' table from the options, once they make sense together:
 * the usage errors of supervise.
 */
void
init_workers(struct supervisor *s, const struct opts *o)
{
	if (o->timeout <= o->interval)
		usage_error("--timeout (%g s) must be longer than --interval "
		    "(%g s), or every worker would look dead", o->timeout,
		    o->interval);
	if (o->hang > o->workers)
		usage_error("--hang %lld: there are only %lld workers",
		    o->hang, o->workers);
	memset(s, 0, sizeof(*s));
	s->n = (int)o->workers;
	s->self = getpid();
	s->interval = o->interval;
	s->timeout = o->timeout;
	s->hang = (int)o->hang;
	s->hang_after = o->hang_after;
}
