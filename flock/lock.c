/*
 * lock.c - take a lock on a file and hold it, as flock(1) does; and ask
 * who holds one (test).
 *
 * The classic shape of a polite locker: try without waiting (F_SETLK);
 * if someone is in the way, ask who (F_GETLK, or /proc/locks for
 * flock(2)) and say so; then wait for real (F_SETLKW).  Run the
 * experiment with two terminals: "lock f" in one, "test f" in the other.
 * The three kinds of request are in kinds.c.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-flock.h"

static void	check_range(struct opts *);
static void	take_lock(const struct opts *, int, const char *, short,
		    const char *);
static void	require_same_file(int, const char *);
static int	run_command(char **);
static void	test_flock(int, const char *);

/*
 * lock: take a lock on FILE and hold it while CMD runs, or until Enter.
 * Exit would release it too; we release it aloud instead.
 */
int
cmd_lock(struct opts *o, int argc, char **argv)
{
	short type = o->shared ? F_RDLCK : F_WRLCK;
	const char *path;
	char range[64];
	int fd, rc = 0;

	if (argc < 1)
		usage_error("lock needs a FILE");
	check_range(o);
	path = argv[0];
	/* CMD is handed to execvp, which wants the list to end with NULL. */
	argv[argc] = NULL;
	narrate_role("lock");
	fd = open_lock_file(path, o->kind != FLOCK && !o->shared);
	if (o->kind == FLOCK)
		snprintf(range, sizeof(range), "the whole file");
	else
		range_text(range, sizeof(range), o->start, o->len);
	take_lock(o, fd, path, type, range);
	require_same_file(fd, path);

	if (argc > 1) {
		rc = run_command(argv + 1);
	} else {
		printf("locked %s: %s lock (%s) on %s\n", path,
		    lock_word(o->kind, type), kind_name[o->kind], range);
		flush_stdout();
		say("holding it; press Enter (or Ctrl-C) to release");
		wait_for_enter();
	}
	if (request(o->kind, fd, F_UNLCK, (off_t)o->start, (off_t)o->len,
	    0) == -1)
		err(1, "unlock %s", path);
	say("%s: released", o->kind == FLOCK ? "flock(LOCK_UN)" :
	    o->kind == OFD ? "fcntl(F_OFD_SETLK, F_UNLCK)" :
	    "fcntl(F_SETLK, F_UNLCK)");
	if (close(fd) == -1)
		err(1, "close %s", path);
	return rc;
}

/* --start and --len: not for flock(2), which locks whole files; 0 unset. */
static void
check_range(struct opts *o)
{
	if (o->kind == FLOCK && (o->start != -1 || o->len != -1))
		usage_error("--flock locks whole files: --start and --len do "
		    "not apply");
	if (o->start == -1)
		o->start = 0;
	if (o->len == -1)
		o->len = 0;
}

/* Describe what stands in our way: F_GETLK, or /proc/locks for flock. */
static const char *
describe_conflict(const struct opts *o, int fd, const char *path,
    short type, char *buf)
{
	struct flock fl;

	if (o->kind == FLOCK)
		return flock_holders(fd, path, buf);
	query(o->kind, fd, path, type, (off_t)o->start, (off_t)o->len, &fl);
	/* Released between the two calls: the next request will tell. */
	if (fl.l_type == F_UNLCK)
		snprintf(buf, TEXT_SIZE, "a lock released a moment ago");
	else
		holder_text(buf, TEXT_SIZE, &fl);
	return buf;
}

/*
 * First a request that does not wait: if it fails, find out who is in
 * the way and say so, then wait for real (unless --nowait).
 */
static void
take_lock(const struct opts *o, int fd, const char *path, short type,
    const char *range)
{
	const char *now = call_name(o->kind, type, 0),
	    *waiting = call_name(o->kind, type, 1);
	char why[TEXT_SIZE];
	int e;

	if (request(o->kind, fd, type, (off_t)o->start, (off_t)o->len,
	    0) == 0) {
		say("%s: %s lock on %s -> granted at once", now,
		    lock_word(o->kind, type), range);
		return;
	}
	if (!is_conflict(e = errno))
		lock_failed(o->kind, type, now, path);
	describe_conflict(o, fd, path, type, why);
	if (o->nowait)
		errx(1, "%s is locked: %s", path, why);
	say("%s -> %s: %s", now, e == EACCES ? "EACCES" : "EAGAIN", why);
	say("%s: waiting until it is released...", waiting);
	/*
	 * A Ctrl-C that came before the wait began would not cut it short:
	 * look first.  Ctrl-Z and fg, or a stray signal, only restart it.
	 */
	stop_if_signalled();
	while (request(o->kind, fd, type, (off_t)o->start, (off_t)o->len,
	    1) == -1)
		retry_if_eintr("%s %s", waiting, path);
	say("%s -> granted: %s lock on %s", waiting, lock_word(o->kind, type),
	    range);
}

/*
 * A lock belongs to the open file, not to its name.  If FILE was removed
 * (or replaced) while we waited, we now hold a lock on a file nobody can
 * open any more: whoever opens FILE from now on gets another file and
 * another lock, and ours keeps nobody out.
 */
static void
require_same_file(int fd, const char *path)
{
	struct stat ours, now;

	if (fstat(fd, &ours) == -1)
		err(1, "fstat %s", path);
	if (stat(path, &now) == -1 ? errno == ENOENT :
	    now.st_dev != ours.st_dev || now.st_ino != ours.st_ino)
		errx(1, "%s was removed or replaced while we waited for its "
		    "lock: the lock we got is on the old file, which nobody "
		    "can open any more, so it would keep nobody out; giving "
		    "it up", path);
}

/* Run CMD while we hold the lock; its status is ours, as flock(1) does. */
static int
run_command(char **cmd)
{
	pid_t parent = getpid(), pid;
	char who[64];
	int status;

	say_fork("the process that runs %s", cmd[0]);
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("cmd");
		/* Our handlers only note a signal; execvp() would forget it. */
		uncatch_termination();
		/*
		 * SIGTERM, the polite request, survives execvp: CMD hears
		 * of it if we die, for then the lock it runs under is gone.
		 */
		die_with_parent(parent, SIGTERM);
		/*
		 * The lock's descriptor is close-on-exec: CMD gets none of
		 * it.  An fcntl lock stays this parent's anyway; a flock or
		 * OFD lock would be shared with CMD through the descriptor.
		 */
		say("execvp(\"%s\", ...): the lock's descriptor is "
		    "close-on-exec, so %s does not get it", cmd[0], cmd[0]);
		execvp(cmd[0], cmd);
		execvp_failed(cmd[0]);
	}
	at_exit_stop_child(pid);
	say("fork() -> %ld runs %s while this process holds the lock",
	    (long)pid, cmd[0]);
	stop_if_signalled();
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	(void)snprintf(who, sizeof(who), "process that ran %s", cmd[0]);
	return shell_status(child_reaped(pid, who, status));
}

/*
 * test: ask the kernel, without taking anything, whether a lock on the
 * range would be granted and, if not, whose lock is in the way.
 */
int
cmd_test(struct opts *o, int argc, char **argv)
{
	short type = o->shared ? F_RDLCK : F_WRLCK;
	char range[64], who[TEXT_SIZE];
	const char *path;
	struct flock fl;
	int fd;

	if (argc != 1)
		usage_error("test takes one FILE");
	check_range(o);
	path = argv[0];
	narrate_role("test");
	/* Not a FIFO, whose open() would wait for a writer (files.c). */
	require_lockable(path);
	while ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) == -1) {
		if (errno == EACCES)
			err(1, "open %s for reading (all that test needs, "
			    "even to ask about a write lock)", path);
		retry_if_eintr("open %s", path);
	}
	if (o->kind == FLOCK) {
		test_flock(fd, path);
	} else {
		range_text(range, sizeof(range), o->start, o->len);
		query(o->kind, fd, path, type, (off_t)o->start, (off_t)o->len,
		    &fl);
		say("fcntl(%d, %s, %s lock on %s) -> l_type %s", fd,
		    o->kind == OFD ? "F_OFD_GETLK" : "F_GETLK",
		    type_name(type), range, fl.l_type == F_UNLCK ? "F_UNLCK" :
		    fl.l_type == F_WRLCK ? "F_WRLCK" : "F_RDLCK");
		if (fl.l_type == F_UNLCK)
			printf("unlocked: no lock stops a %s lock on %s\n",
			    type_name(type), range);
		else
			printf("locked: %s\n", holder_text(who, sizeof(who),
			    &fl));
	}
	if (close(fd) == -1)
		err(1, "close %s", path);
	return 0;
}

/* For test --flock: print each flock(2) lock /proc/locks shows. */
static void
print_flock_lock(const struct proc_lock *pl, void *arg)
{
	int *n = arg;

	if (strcmp(pl->class, "FLOCK") != 0)
		return;
	printf("%s %s lock (flock) %s pid %ld\n", pl->waiting ?
	    "waiting:" : "locked:", strcmp(pl->type, "WRITE") == 0 ?
	    "an exclusive" : "a shared", pl->waiting ? "wanted by" :
	    "held by", pl->pid);
	(*n)++;
}

/* test --flock: there is no F_GETLK for flock(2); the kernel's list tells. */
static void
test_flock(int fd, const char *path)
{
	struct stat st;
	int n = 0;

	stat_for_proc_locks(fd, path, &st);
	say("flock(2) has no query call; reading /proc/locks for "
	    "device %02x:%02x inode %lu", major(st.st_dev),
	    minor(st.st_dev), (unsigned long)st.st_ino);
	if (proc_locks(&st, print_flock_lock, &n) == -1)
		err(1, "open /proc/locks");
	if (n == 0)
		printf("unlocked: no flock lock on %s\n", path);
}
