/*
 * compare.c - who owns a lock: the three kinds side by side.
 *
 * An fcntl(2) record lock belongs to a process: a child made by fork(2)
 * does not hold it, and closing any descriptor of the file drops it (the
 * trap POSIX locks are famous for).  An OFD lock and a flock(2) lock
 * belong to the open file description: the child shares it, and only
 * closing the last descriptor of that description drops it.  Each answer
 * comes from a child that tries to take the lock itself; the table is
 * what this kernel did, not what a book says.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-flock.h"

/* A child's exit status that means "somebody else holds that lock". */
#define EXIT_HELD	4

static void	compare_kind(enum kind, const char *, int *, int *);
static int	after_fork(enum kind, int);
static int	after_close(enum kind, const char *);
static int	held_by_another(int, const char *);
static void	child_try(const char *, enum kind, int, const char *)
		    __attribute__((noreturn));

/* compare: each kind put through the same two questions, then a table. */
int
cmd_compare(struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX];
	int fd, inherited[3], kept[3];
	enum kind k;

	(void)o;
	(void)argv;
	if (argc > 0)
		usage_error("compare takes no arguments");
	narrate_role("parent");
	fd = private_file(path, sizeof(path), "compare", 0);
	if (close(fd) == -1)
		err(1, "close %s", path);
	for (k = FCNTL; k <= FLOCK; k++)
		compare_kind(k, path, &inherited[k], &kept[k]);
	printf("%-7s %-24s %s\n", "lock", "child after fork",
	    "after closing another fd");
	for (k = FCNTL; k <= FLOCK; k++)
		printf("%-7s %-24s %s\n", kind_name[k], inherited[k] ?
		    "shares the lock" : "does not hold it", kept[k] ?
		    "still held" : "released");
	return 0;
}

/* One kind: take a write lock on the whole file, then ask. */
static void
compare_kind(enum kind kind, const char *path, int *inherited, int *kept)
{
	int fd;

	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (request(kind, fd, F_WRLCK, 0, 0, 0) == -1)
		err(1, "%s %s", call_name(kind, F_WRLCK, 0), path);
	say("%s lock: open() -> fd %d, %s on it -> this process holds an %s "
	    "lock", kind_name[kind], fd, call_name(kind, F_WRLCK, 0),
	    kind == FLOCK ? "exclusive" : "exclusive (write)");
	*inherited = after_fork(kind, fd);
	*kept = after_close(kind, path);
	if (close(fd) == -1)
		err(1, "close %s", path);
	say("close(%d): no %s lock of ours is left on the file", fd,
	    kind_name[kind]);
}

/* 1. Does a child hold the lock through the descriptor it inherited? */
static int
after_fork(enum kind kind, int fd)
{
	char label[32];
	int status, inherited;
	pid_t pid;

	(void)snprintf(label, sizeof(label), "%s heir", kind_name[kind]);
	say_fork("the %s, a child that inherits fd %d", label, fd);
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0)
		child_try(label, kind, fd, "the inherited");
	at_exit_stop_child(pid);
	say("fork() -> %s is %ld", label, (long)pid);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	inherited = !held_by_another(child_reaped(pid, label, status), label);
	say("the %s's request through the same descriptor %s", label,
	    inherited ? "succeeds: it owns the same lock" :
	    "fails: the lock is its parent's, not its own");
	return inherited;
}

/* 2. Does the lock survive closing another descriptor of the file? */
static int
after_close(enum kind kind, const char *path)
{
	char label[32];
	int fd2, status, kept;
	pid_t pid;

	if ((fd2 = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (close(fd2) == -1)
		err(1, "close %s", path);
	say("open() -> fd %d, close(%d): another descriptor of the file "
	    "came and went", fd2, fd2);
	/* A child that opens the file for itself: can it lock it now? */
	(void)snprintf(label, sizeof(label), "%s newcomer", kind_name[kind]);
	say_fork("the %s, a child that opens the file for itself", label);
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		if ((fd2 = open(path, O_RDWR | O_CLOEXEC)) == -1)
			err(1, "open %s", path);
		child_try(label, kind, fd2, "its own");
	}
	at_exit_stop_child(pid);
	say("fork() -> %s is %ld", label, (long)pid);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	kept = held_by_another(child_reaped(pid, label, status), label);
	say("the %s %s the lock: %s", label, kept ? "cannot take" : "takes",
	    kept ? "it is still held" : "the close() dropped it");
	return kept;
}

/* What child_try's exit STATUS says: was the lock another owner's? */
static int
held_by_another(int status, const char *who)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_HELD)
		return 1;
	/* Anything but "granted" (exit 0) ends the experiment here. */
	require_success(status, who);
	return 0;
}

/* In the child LABEL: try the lock through FD; the exit status answers. */
static void
child_try(const char *label, enum kind kind, int fd, const char *which)
{
	narrate_role(label);
	if (request(kind, fd, F_WRLCK, 0, 0, 0) == 0) {
		say("%s through %s fd %d -> granted; exit 0",
		    call_name(kind, F_WRLCK, 0), which, fd);
		_exit(0);
	}
	if (!is_conflict(errno))
		err(1, "%s", call_name(kind, F_WRLCK, 0));
	say("%s through %s fd %d -> %s: another owner holds it; exit %d",
	    call_name(kind, F_WRLCK, 0), which, fd, kind == FLOCK ?
	    "EWOULDBLOCK" : "EAGAIN", EXIT_HELD);
	_exit(EXIT_HELD);
}
