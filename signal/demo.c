/*
 * demo.c - standard signals merge, real-time signals queue: a sender
 * sigqueue()s SIGUSR1 and SIGRTMIN to a child that blocks both, and the
 * child, with sigpending(2) and sigtimedwait(2), sees what is left.
 *
 * The classic it mirrors: TLPI's sig_sender.c and sig_receiver.c (a
 * blocked standard signal sent many times is delivered once) and its
 * t_sigqueue.c and catch_rtsigs.c (real-time signals queue with a value).
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

/* What the sender tells the receiver, once it has sent everything. */
struct demo_sent {
	long long	standard;	/* SIGUSR1 sigqueue()s that succeeded */
	long long	realtime;	/* SIGRTMIN ones */
};

static long long	send_realtime(pid_t pid, long long count);
static void		demo_receive(int go, long long count);

/*
 * demo: the sender sends SIGUSR1 COUNT times, then SIGRTMIN COUNT times,
 * each with a value 1, 2, 3..., while the receiver blocks both.  The
 * standard signal arrives once; the real-time one every time, in order.
 */
int
cmd_demo(struct opts *o, int argc, char **argv)
{
	long long count = o->count ? o->count : 3, i;
	struct demo_sent sent = { 0, 0 };
	char rtname[32];
	union sigval value;
	sigset_t set, old;
	int go[2], status;
	pid_t pid;

	(void)argv;
	if (argc > 0)
		usage_error("demo takes no arguments");
	if (count > 100000)
		usage_error("-n: at most 100000 for demo");
	signal_name(SIGRTMIN, rtname, sizeof(rtname));
	narrate_role("sender");

	/*
	 * Block both before fork(): the child inherits the mask, so there is
	 * no moment when a signal could reach it unblocked (and the default
	 * action of both is to terminate).
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	if (sigprocmask(SIG_BLOCK, &set, &old) == -1)
		err(1, "sigprocmask");
	say("sigprocmask(SIG_BLOCK, {SIGUSR1, %s}): the child will be born "
	    "with them blocked", rtname);
	/* The pipe only says "I am done sending"; signals carry the rest. */
	if (pipe(go) == -1)
		err(1, "pipe");
	say_fork("the receiver");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("receiver");
		if (close(go[1]) == -1)
			err(1, "close");
		demo_receive(go[0], count);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> receiver %ld", (long)pid);
	if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
		err(1, "sigprocmask");
	if (close(go[0]) == -1)
		err(1, "close");
	/* A receiver that dies early must not take us along: EPIPE will do. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");

	memset(&value, 0, sizeof(value));
	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		value.sival_int = (int)i;
		if (sigqueue(pid, SIGUSR1, value) == -1)
			err(1, "sigqueue(%ld, SIGUSR1, %lld)", (long)pid, i);
		sent.standard++;
	}
	say("sigqueue(%ld, SIGUSR1, 1..%lld): %lld times, each -> 0",
	    (long)pid, count, count);
	sent.realtime = send_realtime(pid, count);
	printf("sent SIGUSR1 %lld times and %s %lld times (values 1, 2, 3...) "
	    "while the receiver blocked both\n", sent.standard, rtname,
	    sent.realtime);
	/* Flush before the receiver prints, so the lines come in order. */
	flush_stdout();
	/* If the receiver is gone (EPIPE), waitpid() tells how it ended. */
	if (write_all(go[1], &sent, sizeof(sent)) == -1 && errno != EPIPE)
		err(1, "write(go)");
	if (close(go[1]) == -1)
		err(1, "close");

	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	/* A signal to the whole process group may have ended both of us. */
	require_success(child_reaped(pid, "receiver", status), "receiver");
	return 0;
}

/*
 * SIGRTMIN COUNT times to PID, values 1, 2, 3...  Each queued signal
 * counts against a per-user limit: stop at the first refusal.  Returns
 * how many were queued.
 */
static long long
send_realtime(pid_t pid, long long count)
{
	union sigval value;
	long long i, sent = 0;
	char rtname[32];

	signal_name(SIGRTMIN, rtname, sizeof(rtname));
	memset(&value, 0, sizeof(value));
	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		value.sival_int = (int)i;
		if (sigqueue(pid, SIGRTMIN, value) == -1) {
			if (errno != EAGAIN)
				err(1, "sigqueue(%ld, %s, %lld)", (long)pid,
				    rtname, i);
			say("sigqueue(%ld, %s, %lld) -> EAGAIN: your user has "
			    "RLIMIT_SIGPENDING signals queued (ulimit -i)",
			    (long)pid, rtname, i);
			break;
		}
		sent++;
	}
	say("sigqueue(%ld, %s, 1..%lld): %lld times, each -> 0", (long)pid,
	    rtname, sent, sent);
	return sent;
}

/*
 * The receiving side of demo: both signals have been blocked since before
 * it was born, so everything the sender sends waits as pending.  Once the
 * sender says it is done, look at what is pending and take it all.
 */
static void
demo_receive(int go, long long count)
{
	static const struct timespec zero = { 0, 0 };
	long long usr1 = 0, rt = 0, disorder = 0;
	struct demo_sent sent;
	sigset_t set, pending;
	char name[32], rtname[32];
	siginfo_t si;
	int sig;

	signal_name(SIGRTMIN, rtname, sizeof(rtname));
	if (read_full(go, &sent, sizeof(sent)) != (ssize_t)sizeof(sent))
		errx(1, "the sender went away before it was done");
	if (close(go) == -1)
		err(1, "close");
	say("the sender is done; nothing has been delivered yet: both "
	    "signals are blocked");
	if (sigpending(&pending) == -1)
		err(1, "sigpending");
	say("sigpending() -> SIGUSR1 %s, %s %s",
	    sigismember(&pending, SIGUSR1) ? "pending" : "not pending",
	    rtname, sigismember(&pending, SIGRTMIN) ? "pending" :
	    "not pending");

	/*
	 * Take each pending signal with sigtimedwait() and a zero timeout:
	 * no handler runs, and EAGAIN says nothing is left.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	while ((sig = sigtimedwait(&set, &si, &zero)) != -1) {
		printf("received %s with value %d\n",
		    signal_name(sig, name, sizeof(name)),
		    si.si_value.sival_int);
		if (sig == SIGUSR1) {
			usr1++;
		} else if (si.si_value.sival_int != ++rt) {
			disorder++;
		}
	}
	if (errno != EAGAIN)
		err(1, "sigtimedwait");
	say("sigtimedwait() -> EAGAIN: nothing more is pending");

	printf("SIGUSR1: sent %lld, received %lld: a standard signal is only "
	    "a pending bit, so the copies merged\n", sent.standard, usr1);
	printf("%s: sent %lld, received %lld, %s: real-time signals queue, "
	    "each with its value\n", rtname, sent.realtime, rt,
	    disorder == 0 ? "in order" : "OUT OF ORDER");
	if (sent.realtime < count)
		printf("%s: the kernel refused the other %lld (the "
		    "RLIMIT_SIGPENDING limit)\n", rtname,
		    count - sent.realtime);
	flush_stdout();
	if (usr1 != (sent.standard > 0) || rt != sent.realtime || disorder)
		errx(1, "the signals did not arrive as the kernel promises");
}
