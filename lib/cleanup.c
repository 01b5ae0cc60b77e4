/*
 * cleanup.c - remove what we made, whatever way the program ends.
 *
 * A demo registers each object as it creates it.  The registry runs at
 * exit (a normal return or an err() on failure) and when SIGINT, SIGTERM
 * or SIGHUP arrives.  The signal handler does nothing but record the
 * signal; the blocking call it interrupts fails with EINTR, and the
 * program's loops call stop_if_signalled() (ipclab.h), which cleans up in
 * ordinary code and then dies of the same signal, so the shell sees
 * 128+N just as if we had not caught it.
 *
 * Entries remember the pid that registered them: a forked child that
 * exits never removes its parent's objects.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"

enum kind { UNLINK, CALL, CHILD };

struct entry {
	enum kind	  kind;
	pid_t		  owner;
	char		 *path;
	void		(*fn)(void *);
	void		 *arg;
	pid_t		  child;
};

/*
 * The most one process registers: 64 children (ipc-sem counter -w 64,
 * ipc-pipe atomic -w 64) and the objects they share.  Twice that is room.
 */
#define MAX_ENTRIES 128

static struct entry entries[MAX_ENTRIES];
static size_t nentries;
volatile sig_atomic_t ipclab_signal;

static void
on_termination(int sig)
{
	if (ipclab_signal == 0)
		ipclab_signal = sig;
}

/*
 * SIGPIPE (our output's reader went away: "ipc-msgq demo | true") and
 * SIGXFSZ (past the file size limit) would kill us as surely as the
 * others, and leave what we made: caught, the write fails instead (EPIPE,
 * EFBIG) and we end by the same cleanup.
 */
static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGXFSZ };
/* The first three come from outside; the last two, of our own writes. */
#define FROM_OUTSIDE 3

void
catch_termination(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_termination;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked call must return EINTR so we notice. */
	sa.sa_flags = 0;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) == -1)
			err(1, "sigaction");
		/* Ignored on entry (nohup, a script's background job): keep it so. */
		if (old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(sigs[i], &sa, NULL) == -1)
			err(1, "sigaction");
	}
}

void
uncatch_termination(void)
{
	struct sigaction sa;
	size_t i;

	/*
	 * execvp() would give them their default action anyway, but forget
	 * a signal our handler noted in between: do it now, then die of
	 * one that came already.  SIGPIPE and SIGXFSZ stay caught until the
	 * exec: only our own narration could raise them here.
	 */
	for (i = 0; i < FROM_OUTSIDE; i++) {
		if (sigaction(sigs[i], NULL, &sa) == -1)
			err(126, "sigaction");
		if (sa.sa_handler != SIG_IGN && signal(sigs[i], SIG_DFL) ==
		    SIG_ERR)
			err(126, "signal");
	}
	stop_if_signalled();
}

void
stop_now(void)
{
	int sig = ipclab_signal;
	char name[32];
	sigset_t set;

	say("%s: cleaning up, then dying of it, as if uncaught (status %d)",
	    signal_name(sig, name, sizeof(name)), 128 + sig);
	cleanup_run();
	/* Die of the same signal, so our parent sees what really happened. */
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static struct entry *
new_entry(enum kind kind)
{
	static int registered;
	struct entry *e;

	if (!registered) {
		if (atexit(cleanup_run) != 0)
			errx(1, "atexit failed");
		registered = 1;
	}
	if (nentries == MAX_ENTRIES)
		errx(1, "internal error: too many cleanup entries");
	e = &entries[nentries++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->owner = getpid();
	return e;
}

void
at_exit_unlink(const char *path)
{
	char *copy = strdup(path);

	if (copy == NULL)
		err(1, "strdup");
	new_entry(UNLINK)->path = copy;
}

void
at_exit_forget_unlink(const char *path)
{
	size_t i;

	for (i = 0; i < nentries; i++)
		if (entries[i].kind == UNLINK && entries[i].path != NULL &&
		    entries[i].owner == getpid() &&
		    strcmp(entries[i].path, path) == 0) {
			free(entries[i].path);
			entries[i].path = NULL;
		}
}

void
at_exit_call(void (*fn)(void *), void *arg)
{
	struct entry *e = new_entry(CALL);

	e->fn = fn;
	e->arg = arg;
}

void
at_exit_stop_child(pid_t pid)
{
	new_entry(CHILD)->child = pid;
}

void
at_exit_forget_child(pid_t pid)
{
	size_t i;

	for (i = 0; i < nentries; i++)
		if (entries[i].kind == CHILD && entries[i].child == pid &&
		    entries[i].owner == getpid())
			entries[i].child = 0;
}

/*
 * Ask a child to stop, give it a second, then insist.  SIGCONT wakes one
 * that Ctrl-Z stopped, or SIGTERM would wait for ever.
 */
static void
stop_child(pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	(void)kill(pid, SIGTERM);
	(void)kill(pid, SIGCONT);
	say("kill(%ld, SIGTERM), kill(%ld, SIGCONT): asking child %ld to stop",
	    (long)pid, (long)pid, (long)pid);
	for (i = 0; i < 100; i++) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r == pid || (r == -1 && errno != EINTR))
			return;
		(void)nanosleep(&tick, NULL);
	}
	(void)kill(pid, SIGKILL);
	say("kill(%ld, SIGKILL): child %ld still ran after a second",
	    (long)pid, (long)pid);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		continue;
}

void
cleanup_run(void)
{
	int saved_errno = errno;
	struct entry *e;

	/* Newest first: a child may still be using an object made before it. */
	while (nentries > 0) {
		e = &entries[--nentries];
		if (e->owner != getpid())
			continue;
		switch (e->kind) {
		case CHILD:
			if (e->child > 0)
				stop_child(e->child);
			break;
		case CALL:
			e->fn(e->arg);
			break;
		case UNLINK:
			if (e->path != NULL)
				(void)unlink(e->path);
			break;
		}
		free(e->path);
		e->path = NULL;
	}
	errno = saved_errno;
}

/* child_reaped and command_reaped: "waitpid(PID) -> ARTICLE WHO ...". */
static int
reaped(pid_t pid, const char *article, const char *who, int status)
{
	char how[96];

	at_exit_forget_child(pid);
	stop_if_signalled();
	say("waitpid(%ld) -> %s%s %s", (long)pid, article, who,
	    describe_status(status, how, sizeof(how)));
	return status;
}

int
child_reaped(pid_t pid, const char *who, int status)
{
	return reaped(pid, "the ", who, status);
}

int
command_reaped(pid_t pid, const char *name, int status)
{
	return shell_status(reaped(pid, "", name, status));
}

void
require_success(int status, const char *who)
{
	char how[96];

	/*
	 * A child of ours that fails says why and exits 1: one line is
	 * enough, so we end the same way without a second.  Anything else
	 * (a signal, another status) nobody has explained yet.
	 */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		exit(1);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the %s %s", who, describe_status(status, how,
		    sizeof(how)));
}

const char *
describe_status(int status, char *buf, size_t len)
{
	char name[32];

	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s (signal %d)%s",
		    signal_name(WTERMSIG(status), name, sizeof(name)),
		    WTERMSIG(status),
		    WCOREDUMP(status) ? ", core dumped" : "");
	else
		snprintf(buf, len, "changed state (status %#x)", status);
	return buf;
}
