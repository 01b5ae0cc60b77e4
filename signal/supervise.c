/*
 * supervise.c - the heartbeat supervisor.  Each worker sigqueue()s a
 * heartbeat, SIGRTMIN with its number, every interval; the supervisor,
 * with no handler at all, takes every signal with sigtimedwait(), kills
 * a worker that falls silent and starts it again.
 *
 * The classic it mirrors: the signal example of seed 002, a supervisor
 * that monitors its processes' heartbeats and restarts the unresponsive
 * ones (there with a handler, a thread and pause()).  A worker's life,
 * fork() to waitpid() to SIGKILL and restart, is in worker.c; how it all
 * ends, SIGTERM then SIGKILL, in stop.c; the clock and the log in clock.c.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-signal.h"

static void	heartbeat(struct supervisor *s, const siginfo_t *si);

/*
 * supervise: block every signal we care about, so each waits as pending,
 * and take them one at a time with sigtimedwait(), whose timeout is also
 * the clock that finds the silent.
 */
int
cmd_supervise(struct opts *o, int argc, char **argv)
{
	static const struct timespec zero = { 0, 0 };
	static struct supervisor s;
	struct timespec ts;
	double t, end = 0;
	siginfo_t si;
	sigset_t set;
	int i, sig, stop_sig = 0;

	(void)argv;
	if (argc > 0)
		usage_error("supervise takes no arguments");
	init_workers(&s, o);
	narrate_role("supervisor");

	/*
	 * Before the first fork(): unblocked, a heartbeat would kill us (a
	 * real-time signal's default action).  SIGCONT resumes us even when
	 * blocked; we block it only to learn that we were stopped.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGCONT);
	add_stop_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		err(1, "sigprocmask");
	/* One that came before the mask was set ends us, as anywhere else. */
	stop_if_signalled();
	say("sigprocmask(SIG_BLOCK, {RTMIN, CHLD, CONT, HUP, INT, TERM}): "
	    "they wait as pending for sigtimedwait()");
	at_exit_call(cleanup_workers, &s);

	s.t0 = now();
	if (o->run > 0)
		end = s.t0 + o->run;
	log_event(&s, "supervisor %ld: %d worker%s, a heartbeat (SIGRTMIN) "
	    "every %g s, timeout %g s", (long)s.self, s.n, s.n == 1 ? "" : "s",
	    s.interval, s.timeout);
	for (i = 0; i < s.n; i++) {
		start_worker(&s, i);
		log_event(&s, "worker %d started: pid %ld", i + 1,
		    (long)s.w[i].pid);
	}

	for (;;) {
		stop_if_signalled();
		t = now();
		ts = to_timespec(next_deadline(&s, t, end) - t);
		sig = sigtimedwait(&set, &si, &ts);
		/*
		 * Take all that is pending before judging anyone silent, after
		 * a timeout too: a stop (Ctrl-Z) lets beats pile up meanwhile.
		 */
		if (sig == -1 && (errno == EAGAIN || errno == EINTR))
			sig = sigtimedwait(&set, &si, &zero);
		for (; sig > 0; sig = sigtimedwait(&set, &si, &zero)) {
			if (sig == SIGRTMIN) {
				heartbeat(&s, &si);
			} else if (sig == SIGCHLD) {
				reap_workers(&s);
			} else if (sig == SIGCONT) {
				workers_continued(&s);
			} else if (stop_sig == 0) {
				stop_sig = sig;
				log_stop_signal(&s, &si);
			}
		}
		if (errno != EAGAIN && errno != EINTR)
			err(1, "sigtimedwait");
		if (stop_sig != 0)
			break;
		t = now();
		if (end > 0 && t >= end) {
			log_event(&s, "--run %g s is over: stopping the "
			    "workers", o->run);
			break;
		}
		check_workers(&s, t);
	}
	/* The mask stays: a queued heartbeat would kill us unblocked. */
	stop_workers(&s);
	print_summary(&s);
	return 0;
}

/* A heartbeat arrived: believe it only if it comes from that worker. */
static void
heartbeat(struct supervisor *s, const siginfo_t *si)
{
	int n = si->si_value.sival_int;
	struct worker *w = NULL;

	if (si->si_code == SI_QUEUE && n >= 1 && n <= s->n)
		w = &s->w[n - 1];
	if (w == NULL || si->si_pid <= 0 ||
	    (si->si_pid != w->pid && si->si_pid != w->last_pid)) {
		log_event(s, "ignored a heartbeat for worker %d from pid %ld: "
		    "not that worker's process", n, (long)si->si_pid);
		return;
	}
	/*
	 * Queued before its sender was killed.  SIGCHLD, a lower number, is
	 * delivered before pending real-time signals, so this comes late.
	 */
	if (si->si_pid != w->pid || w->killed) {
		say("a late heartbeat from pid %ld, worker %d's process that "
		    "we killed: ignored", (long)si->si_pid, n);
		return;
	}
	w->last_beat = now();
	say("sigtimedwait() -> SIGRTMIN from pid %ld value %d: worker %d is "
	    "alive", (long)si->si_pid, n, n);
}
