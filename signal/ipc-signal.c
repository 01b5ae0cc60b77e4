/*
 * ipc-signal - signals between processes: who sent them, which ones merge,
 * which ones queue, and a supervisor that lives on heartbeats.
 *
 * Teaches: kill(2) and sigqueue(3), sigaction(2) with SA_SIGINFO and the
 * siginfo_t that names the sender, the self-pipe trick (a handler that only
 * write(2)s), sigprocmask(2), sigpending(2), sigtimedwait(2) and
 * sigwaitinfo(2) (taking signals without a handler), standard signals that
 * merge versus real-time signals that queue with a value, SIGCHLD and the
 * waitpid(-1, WNOHANG) loop, and stopping children with SIGTERM, then SIGKILL.
 *
 * Try:
 *	$ ipc-signal demo
 *	terminal 1: $ ipc-signal catch
 *	terminal 2: $ kill -USR1 PID; echo $$
 *	terminal 2: $ ipc-signal send PID RTMIN 42
 *	terminal 2: $ kill -TERM PID
 *	$ ipc-signal supervise --interval 0.5 --timeout 2 --hang 2@1 --run 6
 *	$ ipc-signal bench
 *	$ strace -f -e trace=%signal ipc-signal -q demo
 *
 * See also: kill(1), kill(2), sigaction(2), sigqueue(3), sigtimedwait(2),
 * signal(7), ipclab(7)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"

#define MAX_WORKERS	32	/* supervise -w */
#define GRACE		1.0	/* seconds between SIGTERM and SIGKILL */
#define STOP_VALUE	(-1)	/* bench: the value that ends the echo child */
#define MAX_CATCH	64	/* catch: signals on the command line */

struct opts {
	long long	 count;		/* demo: signals of each kind; bench */
	long long	 workers;	/* supervise */
	double		 interval;	/* supervise: seconds between beats */
	double		 timeout;	/* supervise: silence that means dead */
	double		 run;		/* supervise: seconds; 0: until told */
	long long	 hang;		/* supervise: worker that hangs, or 0 */
	double		 hang_after;	/* supervise: ...after these seconds */
	int		 cpu[2];	/* bench: sender, echo CPUs */
};

/* Seconds as a struct timespec, for sigtimedwait() and nanosleep(). */
static struct timespec
to_timespec(double s)
{
	struct timespec ts;

	if (s < 0)
		s = 0;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec > 999999999L)
		ts.tv_nsec = 999999999L;
	return ts;
}

/* Sleep S seconds, going on after an interruption. */
static void
sleep_for(double s)
{
	struct timespec ts = to_timespec(s);

	while (nanosleep(&ts, &ts) == -1) {
		if (errno != EINTR)
			err(1, "nanosleep");
		stop_if_signalled();
	}
}

/*
 * Who sent a signal, from the siginfo_t the kernel filled in.  si_code
 * says how it was sent; only a sender that used sigqueue() attached a value.
 */
static const char *
describe_sender(const siginfo_t *si, char *buf, size_t len)
{
	switch (si->si_code) {
	case SI_USER:
		snprintf(buf, len, "from pid %ld uid %ld (kill)",
		    (long)si->si_pid, (long)si->si_uid);
		break;
	case SI_QUEUE:
		snprintf(buf, len, "from pid %ld uid %ld value %d (sigqueue)",
		    (long)si->si_pid, (long)si->si_uid,
		    si->si_value.sival_int);
		break;
	case SI_TKILL:
		snprintf(buf, len, "from pid %ld uid %ld (tgkill)",
		    (long)si->si_pid, (long)si->si_uid);
		break;
	case SI_KERNEL:
		snprintf(buf, len, "from the kernel (a terminal key or "
		    "hangup, or a fault)");
		break;
	default:
		snprintf(buf, len, "from %s (si_code %d, pid %ld)",
		    si->si_code > 0 ? "the kernel" : "a process",
		    si->si_code, (long)si->si_pid);
		break;
	}
	return buf;
}

/*
 * A signal a program may wait for: not 0, not SIGKILL or SIGSTOP, and
 * not one the C library keeps for its threads.
 */
static int
catchable_signal(const char *s)
{
	int sig = parse_signal("SIGNAL", s);

	if (sig == 0)
		usage_error("SIGNAL: 0 is not a signal; 'send PID 0' uses it "
		    "to test a pid");
	if (sig == SIGKILL || sig == SIGSTOP)
		usage_error("SIGNAL: %s cannot be caught, blocked or ignored: "
		    "the kernel never lets a process refuse it", s);
	if (sig > SIGSYS && sig < SIGRTMIN)
		usage_error("SIGNAL: signal %d is kept by the C library for "
		    "its threads; real-time signals start at RTMIN (%d)", sig,
		    SIGRTMIN);
	return sig;
}

/* catch ------------------------------------------------------------------ */

/* The handler reaches these; nothing else is shared with it. */
static int catch_pipe = -1;			/* write end of the self-pipe */
static volatile sig_atomic_t catch_dropped;	/* records the pipe refused */

/*
 * The handler runs between two instructions of the main program, which
 * may be inside printf() or malloc().  So it calls nothing that is not
 * async-signal-safe: it writes the siginfo_t to the self-pipe in one
 * write(2) (under PIPE_BUF, so it goes in whole) and returns.
 */
static void
on_signal(int sig, siginfo_t *si, void *context)
{
	int saved_errno = errno;

	(void)sig;
	(void)context;
	if (write(catch_pipe, si, sizeof(*si)) != (ssize_t)sizeof(*si))
		catch_dropped = 1;
	errno = saved_errno;
}

/*
 * catch: print our pid, then one line for each signal that arrives, with
 * the sender's pid and uid and the sigqueue() value.  SIGINT and SIGTERM
 * are caught too: they end the program, with a count.
 */
static int
cmd_catch(struct opts *o, int argc, char **argv)
{
	static const char *const fallback[] = {
		"USR1", "USR2", "HUP", "RTMIN"
	};
	const char *const *names = (const char *const *)argv;
	int sigs[MAX_CATCH + 2], nsigs = 0, fd[2], flags, i, j;
	char name[32], who[160];
	struct sigaction sa, old;
	long long caught = 0;
	siginfo_t si;
	ssize_t n;

	(void)o;
	if (argc == 0) {
		argc = 4;
		names = fallback;
	}
	if (argc > MAX_CATCH)
		usage_error("catch: at most %d signals", MAX_CATCH);
	for (i = 0; i < argc; i++)
		sigs[nsigs++] = catchable_signal(names[i]);
	/* SIGINT and SIGTERM always stop us, so we catch them too. */
	sigs[nsigs++] = SIGINT;
	sigs[nsigs++] = SIGTERM;

	narrate_role("catch");
	/*
	 * The self-pipe: the handler writes to one end, this loop reads the
	 * other.  The write end is non-blocking, so a handler can never hang
	 * on a full pipe.
	 */
	if (pipe(fd) == -1)
		err(1, "pipe");
	if (fcntl(fd[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fd[1], F_SETFD, FD_CLOEXEC) == -1 ||
	    (flags = fcntl(fd[1], F_GETFL)) == -1 ||
	    fcntl(fd[1], F_SETFL, flags | O_NONBLOCK) == -1)
		err(1, "fcntl");
	catch_pipe = fd[1];
	say("pipe() -> %d, %d: the handler writes each siginfo_t into it, "
	    "this loop reads and prints", fd[0], fd[1]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	/* SA_SIGINFO: the handler gets the siginfo_t naming the sender. */
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	/* While one handler runs, the others wait, so records never nest. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < nsigs; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < nsigs; i++) {
		for (j = 0; j < i; j++)
			if (sigs[j] == sigs[i])
				break;
		if (j < i)
			continue;
		signal_name(sigs[i], name, sizeof(name));
		if (sigaction(sigs[i], &sa, &old) == -1)
			err(1, "sigaction %s", name);
		/* Ignoring survives exec, as in a script's background job. */
		if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN)
			say("%s was ignored when we started; catching it "
			    "anyway", name);
	}
	/* The mask survives fork and exec too: make sure ours are open. */
	if (sigprocmask(SIG_UNBLOCK, &sa.sa_mask, NULL) == -1)
		err(1, "sigprocmask");
	say("sigaction(SA_SIGINFO) for each of them; waiting in read()");

	printf("pid %ld waits for", (long)getpid());
	for (i = 0; i < nsigs - 2; i++)
		printf(" %s", signal_name(sigs[i], name, sizeof(name)));
	printf(" (SIGINT or SIGTERM ends it)\n");
	flush_stdout();

	for (;;) {
		/* A SIGHUP we do not catch lands here as EINTR, and ends us. */
		/*
		 * Each record went in whole (PIPE_BUF), but nothing promises
		 * one read() takes it whole: read_full() loops, and retries
		 * EINTR after stop_if_signalled().
		 */
		if ((n = read_full(fd[0], &si, sizeof(si))) == -1)
			err(1, "read(self-pipe)");
		if (n != (ssize_t)sizeof(si))
			errx(1, "read(self-pipe): a record of %zd bytes", n);
		printf("%s %s\n", signal_name(si.si_signo, name, sizeof(name)),
		    describe_sender(&si, who, sizeof(who)));
		if (catch_dropped) {
			printf("(some signals came while the self-pipe was "
			    "full and are not shown)\n");
			catch_dropped = 0;
		}
		flush_stdout();
		if (si.si_signo == SIGINT || si.si_signo == SIGTERM)
			break;
		caught++;
	}
	printf("caught %lld signal%s before %s\n", caught, caught == 1 ? "" :
	    "s", name);
	return 0;
}

/* send ------------------------------------------------------------------- */

/* A PID for send: one process, never a group or everyone. */
static pid_t
parse_pid(const char *s)
{
	if (s[0] == '-' || strcmp(s, "0") == 0)
		usage_error("PID: '%s': send signals one process; kill(2) "
		    "would take 0 as your process group and -1 as every "
		    "process you may signal", s);
	return (pid_t)parse_count("PID", s, 1, INT_MAX);
}

/*
 * send: kill(2), or sigqueue(3) when a VALUE comes with the signal.
 * Signal 0 sends nothing: the kernel only checks the pid and our right
 * to signal it.
 */
static int
cmd_send(struct opts *o, int argc, char **argv)
{
	char name[32], what[64];
	union sigval value;
	pid_t pid;
	int sig, r;

	(void)o;
	if (argc < 2 || argc > 3)
		usage_error("send takes PID SIGNAL [VALUE]");
	pid = parse_pid(argv[0]);
	sig = parse_signal("SIGNAL", argv[1]);
	memset(&value, 0, sizeof(value));
	if (argc == 3)
		value.sival_int = (int)parse_count("VALUE", argv[2], INT_MIN,
		    INT_MAX);
	narrate_role("send");
	signal_name(sig, name, sizeof(name));
	if (sig == 0)
		snprintf(name, sizeof(name), "0");
	if (argc == 3) {
		snprintf(what, sizeof(what), "sigqueue(%ld, %s, %d)",
		    (long)pid, name, value.sival_int);
		r = sigqueue(pid, sig, value);
	} else {
		snprintf(what, sizeof(what), "kill(%ld, %s)", (long)pid, name);
		r = kill(pid, sig);
	}
	if (r == -1) {
		switch (errno) {
		case ESRCH:
			errx(1, "%s: %s (no process has pid %ld: it has "
			    "exited and been reaped, or never existed)", what,
			    strerror(ESRCH), (long)pid);
		case EPERM:
			errx(1, "%s: %s (you may signal a process only if "
			    "your real or effective uid is its real or saved "
			    "uid, or you have CAP_KILL)", what,
			    strerror(EPERM));
		case EAGAIN:
			errx(1, "%s: %s (your user already has as many "
			    "signals queued as RLIMIT_SIGPENDING allows, "
			    "see ulimit -i)", what, strerror(EAGAIN));
		default:
			err(1, "%s", what);
		}
	}
	if (sig == 0) {
		say("%s -> 0: nothing is sent; the process exists and we may "
		    "signal it", what);
		printf("pid %ld exists and you may signal it\n", (long)pid);
	} else if (argc == 3) {
		say("%s -> 0: queued for pid %ld with its value", what,
		    (long)pid);
		printf("queued %s with value %d for pid %ld\n", name,
		    value.sival_int, (long)pid);
	} else {
		say("%s -> 0: %s is pending in pid %ld until it is "
		    "delivered", what, name, (long)pid);
		printf("sent %s to pid %ld\n", name, (long)pid);
	}
	return 0;
}

/* demo ------------------------------------------------------------------- */

/* What the sender tells the receiver, once it has sent everything. */
struct demo_sent {
	long long	standard;	/* SIGUSR1 sigqueue()s that succeeded */
	long long	realtime;	/* SIGRTMIN ones */
};

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

/*
 * demo: the sender sends SIGUSR1 COUNT times, then SIGRTMIN COUNT times,
 * each with a value 1, 2, 3..., while the receiver blocks both.  The
 * standard signal arrives once; the real-time one every time, in order.
 */
static int
cmd_demo(struct opts *o, int argc, char **argv)
{
	long long count = o->count ? o->count : 3, i;
	struct demo_sent sent = { 0, 0 };
	char how[96], rtname[32];
	union sigval value;
	sigset_t set, old;
	int go[2], status;
	size_t off = 0;
	ssize_t n;
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
	if ((pid = fork()) == -1)
		err(1, "fork");
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
	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		value.sival_int = (int)i;
		if (sigqueue(pid, SIGRTMIN, value) == -1) {
			/* Each queued signal counts against a user limit. */
			if (errno != EAGAIN)
				err(1, "sigqueue(%ld, %s, %lld)", (long)pid,
				    rtname, i);
			say("sigqueue(%ld, %s, %lld) -> EAGAIN: your user has "
			    "RLIMIT_SIGPENDING signals queued (ulimit -i)",
			    (long)pid, rtname, i);
			break;
		}
		sent.realtime++;
	}
	say("sigqueue(%ld, %s, 1..%lld): %lld times, each -> 0", (long)pid,
	    rtname, sent.realtime, sent.realtime);
	printf("sent SIGUSR1 %lld times and %s %lld times (values 1, 2, 3...) "
	    "while the receiver blocked both\n", sent.standard, rtname,
	    sent.realtime);
	/* Flush before the receiver prints, so the lines come in order. */
	flush_stdout();
	/*
	 * Short writes looped, EINTR retried; waitpid() below tells how a
	 * receiver that is gone (EPIPE) ended.
	 */
	while (off < sizeof(sent)) {
		n = write(go[1], (char *)&sent + off, sizeof(sent) - off);
		if (n == -1 && errno == EINTR) {
			stop_if_signalled();
			continue;
		}
		if (n == -1 && errno == EPIPE)
			break;
		if (n == -1)
			err(1, "write(go)");
		off += (size_t)n;
	}
	if (close(go[1]) == -1)
		err(1, "close");

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			err(1, "waitpid %ld", (long)pid);
		stop_if_signalled();
	}
	at_exit_forget_child(pid);
	say("waitpid(%ld) -> the receiver %s", (long)pid,
	    describe_status(status, how, sizeof(how)));
	/* A signal to the whole process group ended both of us. */
	stop_if_signalled();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the receiver %s", how);
	return 0;
}

/* supervise -------------------------------------------------------------- */

struct worker {
	pid_t		 pid;		/* 0: not running (already reaped) */
	pid_t		 last_pid;	/* the one before, once reaped */
	int		 killed;	/* we sent SIGKILL for its silence */
	double		 started;
	double		 last_beat;
	double		 restart_at;	/* when a dead one may start again */
	long long	 restarts;
};

struct supervisor {
	struct worker	 w[MAX_WORKERS];
	int		 n;
	pid_t		 self;
	double		 t0;
	double		 interval;
	double		 timeout;
	int		 hang;		/* worker number that hangs; 0: none */
	int		 hang_used;	/* only its first process hangs */
	double		 hang_after;
	int		 stopping;	/* no more restarts */
	int		 stopped;	/* every worker reaped */
	int		 quiet_log;	/* in cleanup: narration only */
};

/* One line of the supervisor's log on stdout, stamped with the time. */
static void __attribute__((format(printf, 2, 3)))
log_event(const struct supervisor *s, const char *fmt, ...)
{
	va_list ap;

	if (s->quiet_log)
		return;
	printf("t=%.2f ", now() - s->t0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	/* Show it now, even when stdout is a file, and before any fork(). */
	flush_stdout();
}

/*
 * A worker: one heartbeat, sigqueue() with the worker's number as the
 * value, every interval.  With --hang it stops beating after a while but
 * stays alive: that is what a hung process looks like from outside.
 */
static void __attribute__((noreturn))
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

/* Fork worker I (numbered I + 1 for people). */
static void
start_worker(struct supervisor *s, int i)
{
	struct worker *w = &s->w[i];
	double hang_after = -1;
	pid_t pid;

	if (s->hang == i + 1 && !s->hang_used) {
		hang_after = s->hang_after;
		s->hang_used = 1;
	}
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0)
		worker_main(s, i + 1, hang_after);
	w->pid = pid;
	w->killed = 0;
	w->started = w->last_beat = now();
	say("fork() -> worker %d is pid %ld", i + 1, (long)pid);
}

/* Record that worker I's process ended with STATUS. */
static void
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

/*
 * Reap every child that has ended.  SIGCHLD is a standard signal: two
 * children dying together may raise it once, so one SIGCHLD means "one
 * or more": ask waitpid(-1, WNOHANG) until it answers 0 (none ended) or
 * ECHILD (no child at all).
 */
static void
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

static int
running(const struct supervisor *s)
{
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->w[i].pid > 0;
	return n;
}

/*
 * Stop every worker: SIGTERM (and SIGCONT, in case one is stopped), a
 * grace period to reap them, then SIGKILL for any that is still there.
 * Only pids not yet reaped are signalled.  Called once at the end, or by
 * the cleanup registry if the supervisor fails.
 */
static void
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
		if (kill(s->w[i].pid, SIGTERM) == -1 ||
		    kill(s->w[i].pid, SIGCONT) == -1)
			warn("kill %ld", (long)s->w[i].pid);
		say("kill(%ld, SIGTERM): worker %d, please stop",
		    (long)s->w[i].pid, i + 1);
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

/* The cleanup registry's way in: the supervisor is failing or dying. */
static void
cleanup_workers(void *arg)
{
	struct supervisor *s = arg;

	s->quiet_log = 1;
	stop_workers(s);
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

/* Kill the silent, restart the dead whose time has come. */
static void
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
			w->killed = 1;
		}
	}
}

/* When the loop must look again, even if no signal comes. */
static double
next_deadline(const struct supervisor *s, double t, double end)
{
	const struct worker *w;
	double next = t + 60;
	int i;

	if (end > 0 && end < next)
		next = end;
	for (i = 0; i < s->n; i++) {
		w = &s->w[i];
		if (w->pid == 0 && w->restart_at < next)
			next = w->restart_at;
		/* "Longer than the timeout": look just after it. */
		if (w->pid > 0 && !w->killed &&
		    w->last_beat + s->timeout + 0.001 < next)
			next = w->last_beat + s->timeout + 0.001;
	}
	return next;
}

/*
 * supervise: the seed's heartbeat supervisor.  Workers beat with
 * SIGRTMIN; the supervisor blocks every signal it cares about and takes
 * them one at a time with sigtimedwait(), so it has no handler at all and
 * the timeout of the wait is its clock.
 */
static int
cmd_supervise(struct opts *o, int argc, char **argv)
{
	static const struct timespec zero = { 0, 0 };
	static const int stops[] = { SIGHUP, SIGINT, SIGTERM };
	static struct supervisor s;
	char name[32], who[160];
	struct sigaction old;
	struct timespec ts;
	double t, end = 0;
	siginfo_t si;
	sigset_t set;
	int i, sig, stop_sig = 0;

	(void)argv;
	if (argc > 0)
		usage_error("supervise takes no arguments");
	if (o->timeout <= o->interval)
		usage_error("--timeout (%g s) must be longer than --interval "
		    "(%g s), or every worker would look dead", o->timeout,
		    o->interval);
	if (o->hang > o->workers)
		usage_error("--hang %lld: there are only %lld workers",
		    o->hang, o->workers);
	memset(&s, 0, sizeof(s));
	s.n = (int)o->workers;
	s.self = getpid();
	s.interval = o->interval;
	s.timeout = o->timeout;
	s.hang = (int)o->hang;
	s.hang_after = o->hang_after;
	narrate_role("supervisor");

	/*
	 * Block them all before the first fork().  A blocked signal waits as
	 * pending until sigtimedwait() takes it.  Unblocked, a heartbeat
	 * would kill us: the default action of a real-time signal is to
	 * terminate.  SIGCONT still resumes us when blocked; we block it only
	 * to learn that we were stopped.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGCONT);
	for (i = 0; i < 3; i++) {
		if (sigaction(stops[i], NULL, &old) == -1)
			err(1, "sigaction");
		/*
		 * Ignored when we started (nohup, a script's background job):
		 * keep it so.  A blocked signal is queued even if ignored, so
		 * we must leave it out of the set, not just out of our mind.
		 */
		if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) {
			say("%s was ignored when we started: it will not stop "
			    "us", signal_name(stops[i], name, sizeof(name)));
			continue;
		}
		sigaddset(&set, stops[i]);
	}
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
		 * Take everything pending before judging anyone silent: after
		 * a timeout too, for if we were stopped (Ctrl-Z), heartbeats
		 * and SIGCONT have queued meanwhile.
		 */
		if (sig == -1 && (errno == EAGAIN || errno == EINTR))
			sig = sigtimedwait(&set, &si, &zero);
		while (sig > 0) {
			if (sig == SIGRTMIN) {
				heartbeat(&s, &si);
			} else if (sig == SIGCHLD) {
				reap_workers(&s);
			} else if (sig == SIGCONT) {
				/* We were stopped: beats may be missing. */
				say("continued after a stop: silence counts "
				    "from now");
				for (i = 0; i < s.n; i++)
					s.w[i].last_beat = now();
			} else if (stop_sig == 0) {
				stop_sig = sig;
				log_event(&s, "%s %s: stopping the workers",
				    signal_name(sig, name, sizeof(name)),
				    describe_sender(&si, who, sizeof(who)));
			}
			sig = sigtimedwait(&set, &si, &zero);
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
	/*
	 * The mask stays as it is: a heartbeat still queued would kill us the
	 * moment SIGRTMIN was unblocked.
	 */
	stop_workers(&s);
	t = now() - s.t0;
	for (sig = 0, i = 0; i < s.n; i++)
		sig += (int)s.w[i].restarts;
	printf("summary: %.2f s, %d worker%s, %d restart%s\n", t, s.n,
	    s.n == 1 ? "" : "s", sig, sig == 1 ? "" : "s");
	for (i = 0; i < s.n; i++)
		printf("worker %d: %lld restart%s\n", i + 1, s.w[i].restarts,
		    s.w[i].restarts == 1 ? "" : "s");
	return 0;
}

/* bench ------------------------------------------------------------------ */

/*
 * bench: ping-pong.  The parent queues SIGRTMIN with a sequence number;
 * the child takes it with sigwaitinfo() and queues it straight back.  The
 * only payload is the 4-byte value, so the line says size=4.
 */
static int
cmd_bench(struct opts *o, int argc, char **argv)
{
	static const struct timespec patience = { 5, 0 };
	long long i, total;
	struct bench b;
	union sigval value;
	sigset_t ping, pong;
	siginfo_t si;
	pid_t pid, parent = getpid();
	double *rtt, t0;
	int sig, status;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	/* The payload is the one int that sigqueue() carries. */
	bench_setup(&b, "signal", sizeof(value.sival_int), o->count, 1,
	    o->cpu);
	total = b.warmup + b.count;
	if (total > INT_MAX)
		usage_error("-n: at most %d round trips", INT_MAX - 10);
	say("%lld round trips of SIGRTMIN after %lld to warm up", b.count,
	    b.warmup);

	/* Blocked before fork(), so neither side has a moment unprotected. */
	sigemptyset(&ping);
	sigaddset(&ping, SIGRTMIN);
	pong = ping;
	/* The sender also wakes if the echo child dies. */
	sigaddset(&pong, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &pong, NULL) == -1)
		err(1, "sigprocmask");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b.cpu[1]);
		for (;;) {
			/* A flag set while we ran: the wait may never fail. */
			stop_if_signalled();
			sig = sigtimedwait(&ping, &si, &patience);
			if (sig == -1) {
				if (errno != EAGAIN && errno != EINTR)
					err(1, "sigtimedwait");
				stop_if_signalled();
				/* A long silence: is our parent still there? */
				if (getppid() != parent)
					_exit(1);
				continue;
			}
			if (si.si_value.sival_int == STOP_VALUE)
				_exit(0);
			if (sigqueue(parent, SIGRTMIN, si.si_value) == -1)
				err(1, "sigqueue");
		}
	}
	at_exit_stop_child(pid);
	/* Only the parent keeps times. */
	if ((rtt = malloc((size_t)b.count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	pin_to_cpu(b.cpu[0]);
	memset(&value, 0, sizeof(value));
	for (i = 0; i < total; i++) {
		stop_if_signalled();
		value.sival_int = (int)i;
		t0 = now();
		if (sigqueue(pid, SIGRTMIN, value) == -1)
			err(1, "sigqueue");
		while ((sig = sigwaitinfo(&pong, &si)) == -1) {
			if (errno != EINTR)
				err(1, "sigwaitinfo");
			stop_if_signalled();
		}
		if (sig == SIGCHLD) {
			/* Ctrl-C reaches the child too: then we die of it. */
			stop_if_signalled();
			errx(1, "the echo child ended early");
		}
		if (si.si_value.sival_int != (int)i)
			errx(1, "round trip %lld came back as %d", i,
			    si.si_value.sival_int);
		if (i >= b.warmup)
			rtt[i - b.warmup] = now() - t0;
	}
	value.sival_int = STOP_VALUE;
	if (sigqueue(pid, SIGRTMIN, value) == -1)
		err(1, "sigqueue");
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			err(1, "waitpid %ld", (long)pid);
		stop_if_signalled();
	}
	at_exit_forget_child(pid);
	stop_if_signalled();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the echo child did not end well");
	bench_report_latency(&b, rtt, (size_t)b.count, NULL);
	free(rtt);
	return 0;
}

/* The table, the options and main ---------------------------------------- */

/* --hang N[@S]: worker N stops beating S seconds after it starts. */
static void
parse_hang(struct opts *o, const char *arg)
{
	const char *at = strchr(arg, '@');
	char number[32];
	size_t n = at ? (size_t)(at - arg) : strlen(arg);

	if (n >= sizeof(number))
		usage_error("--hang: '%s' is not N or N@SECONDS", arg);
	memcpy(number, arg, n);
	number[n] = '\0';
	o->hang = parse_count("--hang", number, 1, MAX_WORKERS);
	if (at != NULL)
		o->hang_after = parse_seconds("--hang", at + 1, 0, 3600);
}

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'H':
		parse_hang(o, arg);
		break;
	case 'I':
		o->interval = parse_seconds("--interval", arg, 0.01, 60);
		break;
	case 'L':
		/* A signal bench is always a round trip; taken for symmetry. */
		break;
	case 'R':
		o->run = parse_seconds("--run", arg, 0.01, 86400);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.02, 3600);
		break;
	case 'w':
		o->workers = parse_count("-w", arg, 1, MAX_WORKERS);
		break;
	}
}

static const struct command commands[] = {
	{ "catch", cmd_catch, "", "[SIGNAL...]",
	  "print each signal that arrives, with its sender's pid and uid" },
	{ "send", cmd_send, "", "PID SIGNAL [VALUE]",
	  "kill(2) PID, or sigqueue(3) it with VALUE" },
	{ "demo", cmd_demo, "n", "[-n N]",
	  "a standard signal sent 3 times arrives once; a real-time one 3 "
	  "times" },
	{ "supervise", cmd_supervise, "HIRtw",
	  "[-w W] [--interval S] [-t S] [--hang N[@S]] [--run S]",
	  "restart workers whose heartbeat signals stop" },
	{ "bench", cmd_bench, "CLn", "[-n N] [--cpu A,B]",
	  "measure the round trip of a signal ping-pong" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_help option_help[] = {
	{ 'C', "--cpu A,B", "bench: pin the sender to CPU A, the echo to B" },
	{ 'H', "--hang N[@S]", "supervise: worker N stops beating after S "
	  "seconds (2)" },
	{ 'I', "--interval S", "supervise: seconds between heartbeats (1)" },
	{ 'L', "--latency", "bench: accepted; a signal bench is always a "
	  "round trip" },
	{ 'R', "--run S", "supervise: stop after S seconds (default: at "
	  "SIGINT/SIGTERM)" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'n', "-n, --count N", "demo: signals of each kind (3); bench: "
	  "round trips" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 't', "-t, --timeout S", "supervise: silence that means a worker "
	  "hangs (3)" },
	{ 'w', "-w, --workers W", "supervise: workers to start (3)" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "hang", required_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "interval", required_argument, NULL, 'I' },
	{ "latency", no_argument, NULL, 'L' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "run", required_argument, NULL, 'R' },
	{ "timeout", required_argument, NULL, 't' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "workers", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"Signals between processes: merging, queueing, a heartbeat supervisor.",
	"hn:qt:w:", longopts, commands, option_help, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.workers = 3;
	o.interval = 1;
	o.timeout = 3;
	o.hang_after = 2;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
