/*
 * catch.c - catching signals with a handler: sigaction(2) with
 * SA_SIGINFO, the siginfo_t that names the sender, and the self-pipe
 * trick that lets a handler do nothing but write(2).
 *
 * The classic it mirrors: the SA_SIGINFO handler of the seed's heartbeat
 * supervisor, which prints the si_pid of each signal, made safe with
 * D. J. Bernstein's self-pipe trick (TLPI, chapter 63): the handler only
 * writes, the main loop reads and prints.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-signal.h"

#define MAX_CATCH	64	/* signals on the command line */

static void	on_signal(int sig, siginfo_t *si, void *context);
static int	list_signals(int argc, char **argv, int *sigs);

/* The handler reaches these; nothing else is shared with it. */
static int catch_pipe = -1;			/* write end of the self-pipe */
static volatile sig_atomic_t catch_dropped;	/* records the pipe refused */

/*
 * catch: print our pid, then one line for each signal that arrives, with
 * the sender's pid and uid and the sigqueue() value.  SIGINT and SIGTERM
 * are caught too: they end the program, with a count.
 */
int
cmd_catch(struct opts *o, int argc, char **argv)
{
	int sigs[MAX_CATCH + 2], nsigs, fd[2], flags, i, j;
	char name[32], who[160];
	struct sigaction sa, old;
	long long caught = 0;
	siginfo_t si;
	ssize_t n;

	(void)o;
	nsigs = list_signals(argc, argv, sigs);
	narrate_role("catch");
	/*
	 * The write end is non-blocking, so a handler can never hang on a
	 * full pipe.
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
		for (j = 0; j < i && sigs[j] != sigs[i]; j++)
			continue;
		if (j < i)
			continue;	/* named twice */
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
		/*
		 * Each record went in whole (PIPE_BUF), but nothing promises
		 * one read() takes it whole.  A SIGHUP we do not catch ends
		 * us in there.
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

/*
 * The signals to catch, into SIGS: those on the command line (USR1, USR2,
 * HUP and RTMIN if none), then SIGINT and SIGTERM, which always stop us,
 * so we catch them too.  Returns how many.
 */
static int
list_signals(int argc, char **argv, int *sigs)
{
	static const char *const fallback[] = {
		"USR1", "USR2", "HUP", "RTMIN"
	};
	const char *const *names = (const char *const *)argv;
	int i, n = 0;

	if (argc == 0) {
		argc = 4;
		names = fallback;
	}
	if (argc > MAX_CATCH)
		usage_error("catch: at most %d signals", MAX_CATCH);
	for (i = 0; i < argc; i++)
		sigs[n++] = catchable_signal(names[i]);
	sigs[n++] = SIGINT;
	sigs[n++] = SIGTERM;
	return n;
}

/*
 * Who sent a signal, from the siginfo_t the kernel filled in.  si_code
 * says how it was sent; only a sender that used sigqueue() attached a value.
 */
const char *
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
