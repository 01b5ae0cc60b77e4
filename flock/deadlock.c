/*
 * deadlock.c - two processes, two byte ranges, taken in opposite order.
 *
 * The classic deadlock: each holds what the other wants.  For fcntl(2)
 * record locks the kernel follows the chain of waiters from process to
 * process, sees the circle, and fails the request that would close it
 * with EDEADLK.  OFD locks have no owning process to follow: with --ofd
 * both wait, and only our timer ends it.  flock(2) locks whole files, so
 * it cannot take part.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-flock.h"

/* A child's exit status that means "the kernel told me EDEADLK". */
#define EXIT_DEADLOCK	3

/* SIGALRM ends a wait that could last for ever (deadlock --ofd). */
static volatile sig_atomic_t timer_rang;

static void	deadlock_child(const struct opts *, const char *)
		    __attribute__((noreturn));
static void	watch_child(const struct opts *, int, const char *,
		    const struct stat *);
static void	start_timer(double);
static void	stop_timer(void);
static void	parent_verdict(const struct opts *, int, pid_t);
static void	child_verdict(pid_t, int);

/* deadlock: the parent holds byte 0, the child byte 1; each wants more. */
int
cmd_deadlock(struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, status, deadlock = 0;
	pid_t pid;

	(void)argv;
	if (argc > 0)
		usage_error("deadlock takes no arguments");
	if (o->kind == FLOCK)
		usage_error("deadlock locks two byte ranges, and flock(2) "
		    "locks whole files; use the default or --ofd");
	narrate_role("parent");
	fd = private_file(path, sizeof(path), "deadlock", 0);
	stat_for_proc_locks(fd, path, &st);
	if (request(o->kind, fd, F_WRLCK, 0, 1, 0) == -1)
		err(1, "lock byte 0");
	say("%s: byte 0 -> granted", call_name(o->kind, F_WRLCK, 0));

	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		/* Its copy of fd goes first: it holds no lock yet to lose. */
		if (close(fd) == -1)
			err(1, "close");
		deadlock_child(o, path);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld; %s", (long)pid, o->kind == OFD ?
	    "it opens the file for itself: sharing our open file "
	    "description would mean sharing our lock" :
	    "it does not inherit our lock on byte 0");
	watch_child(o, fd, path, &st);

	/* Our wait would close the circle.  A timer bounds it. */
	start_timer(o->timeout);
	say("%s: byte 1, which the child holds while it waits for ours...",
	    call_name(o->kind, F_WRLCK, 1));
	while (request(o->kind, fd, F_WRLCK, 1, 1, 1) == -1) {
		if (errno == EDEADLK) {
			deadlock = 1;
			break;
		}
		retry_if_eintr("lock byte 1");
		if (timer_rang)
			break;
	}
	stop_timer();
	parent_verdict(o, deadlock, pid);

	/* Give up byte 0: the child's wait ends (if it still waits). */
	if (request(o->kind, fd, F_UNLCK, 0, 0, 0) == -1)
		err(1, "unlock");
	say("fcntl(%s, F_UNLCK) on the whole file -> released; the child "
	    "can go on", o->kind == OFD ? "F_OFD_SETLK" : "F_SETLK");
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	child_reaped(pid, "child", status);
	if (!deadlock && !timer_rang)
		child_verdict(pid, status);
	else
		require_success(status, "child");
	if (close(fd) == -1)
		err(1, "close");
	return 0;
}

/* The child's side: hold byte 1, then want byte 0. */
static void
deadlock_child(const struct opts *o, const char *path)
{
	int fd;

	narrate_role("child");
	/* Its own open: an OFD lock belongs to the open file description. */
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (request(o->kind, fd, F_WRLCK, 1, 1, 0) == -1)
		err(1, "lock byte 1");
	say("%s: byte 1 -> granted", call_name(o->kind, F_WRLCK, 0));
	say("%s: byte 0, which the parent holds: waiting...",
	    call_name(o->kind, F_WRLCK, 1));
	while (request(o->kind, fd, F_WRLCK, 0, 1, 1) == -1) {
		if (errno == EDEADLK) {
			say("%s on byte 0 -> EDEADLK: the kernel refuses "
			    "to let this wait close a circle; exiting "
			    "releases byte 1", call_name(o->kind, F_WRLCK, 1));
			_exit(EXIT_DEADLOCK);
		}
		retry_if_eintr("lock byte 0");
	}
	say("%s on byte 0 -> granted at last: the child holds bytes 0 and 1, "
	    "and exiting lets go of both", call_name(o->kind, F_WRLCK, 1));
	_exit(0);
}

/* For proc_locks: is a request waiting on this file? */
static void
count_waiting(const struct proc_lock *pl, void *arg)
{
	if (pl->waiting)
		(*(int *)arg)++;
}

/*
 * Wait (bounded) until the child holds byte 1, which F_GETLK tells, and
 * until its request for byte 0 waits, which /proc/locks shows ("->").
 */
static void
watch_child(const struct opts *o, int fd, const char *path,
    const struct stat *st)
{
	char who[TEXT_SIZE];
	struct flock fl;
	int i, waiting = 0;

	for (i = 0;; i++) {
		stop_if_signalled();
		query(o->kind, fd, path, F_WRLCK, 1, 1, &fl);
		if (fl.l_type != F_UNLCK)
			break;
		if (i == 500)
			errx(1, "the child never took byte 1");
		nap(10000);
	}
	say("%s on byte 1 -> %s", o->kind == OFD ? "F_OFD_GETLK" : "F_GETLK",
	    holder_text(who, sizeof(who), &fl));

	for (i = 0; i < 200; i++) {
		stop_if_signalled();
		waiting = 0;
		if (proc_locks(st, count_waiting, &waiting) == -1) {
			nap(200000);
			break;
		}
		if (waiting > 0)
			break;
		nap(10000);
	}
	if (waiting > 0) {
		say("/proc/locks now shows both locks and the child's wait:");
		(void)proc_locks(st, say_proc_lock, NULL);
	}
}

static void
on_alarm(int sig)
{
	(void)sig;
	timer_rang = 1;
}

/* SIGALRM after TIMEOUT seconds interrupts the wait with EINTR. */
static void
start_timer(double timeout)
{
	struct itimerval it;

	interrupt_with(SIGALRM, on_alarm);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)timeout;
	it.it_value.tv_usec = (suseconds_t)((timeout -
	    (double)(time_t)timeout) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	/*
	 * Then again every 50 ms: an alarm that comes just before the call
	 * starts to wait interrupts nothing, and the next one must.
	 */
	it.it_interval.tv_usec = 50000;
	if (setitimer(ITIMER_REAL, &it, NULL) == -1)
		err(1, "setitimer");
}

static void
stop_timer(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	if (setitimer(ITIMER_REAL, &it, NULL) == -1)
		err(1, "setitimer");
}

/* The circle on stdout, and WHO the kernel refused. */
static void
print_circle(pid_t pid, const char *who)
{
	printf("parent %ld holds byte 0 and wants byte 1; child %ld holds "
	    "byte 1 and wants byte 0\n", (long)getpid(), (long)pid);
	printf("the kernel refused the %s's F_SETLKW with EDEADLK (%s)\n",
	    who, strerror(EDEADLK));
}

/* The parent's own wait ended: refused (EDEADLK), or the timer rang. */
static void
parent_verdict(const struct opts *o, int deadlock, pid_t pid)
{
	char ms[32];

	snprintf(ms, sizeof(ms), "%g second%s", o->timeout,
	    o->timeout == 1 ? "" : "s");
	if (deadlock) {
		say("-> EDEADLK (%s): waiting would never end",
		    strerror(EDEADLK));
		print_circle(pid, "parent");
	} else if (timer_rang) {
		say("-> still waiting after %s; giving up", ms);
		if (o->kind != OFD)
			errx(1, "no EDEADLK after %s", ms);
		printf("no EDEADLK after %s: the kernel does not look for "
		    "deadlocks among OFD locks, which belong to no process\n",
		    ms);
		printf("the parent stopped waiting and let go of byte 0; "
		    "without the timer both would wait for ever\n");
	}
}

/* Ours was granted: the child's wait must be the one refused. */
static void
child_verdict(pid_t pid, int status)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_DEADLOCK)
		require_success(status, "child");
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_DEADLOCK) {
		print_circle(pid, "child");
	} else {
		errx(1, "both processes got both locks: there was no "
		    "deadlock to see");
	}
}
