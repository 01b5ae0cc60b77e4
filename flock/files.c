/*
 * files.c - the files the experiments lock: private files in the run
 * directory (made with O_EXCL, removed however we end, and the leftovers
 * of killed runs swept away), the FILE that lock opens or creates, its
 * refusals (a FIFO, a socket, a device) and what a lock on it needs, and
 * reading a file whole.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-flock.h"

/*
 * Our private files that a killed run left in the run directory:
 * "flock-WHAT-PID" whose PID is gone (or is ours: pids come round
 * again).  SIGKILL gives a program no chance to remove its files, so
 * the next run does.
 */
static void
remove_leftovers(void)
{
	char path[PATH_MAX], *end;
	const char *dash;
	struct dirent *d;
	long pid;
	DIR *dir;

	/* Tidying only: if this fails, the open() that follows says why. */
	if ((dir = opendir(rundir())) == NULL)
		return;
	for (;;) {
		/*
		 * readdir(3) returns NULL both at the end and on error.  One
		 * thread reads this stream: readdir() is safe here, and
		 * readdir_r() is deprecated.
		 */
		errno = 0;
		/* cppcheck-suppress readdirCalled */
		if ((d = readdir(dir)) == NULL)
			break;
		if (strncmp(d->d_name, "flock-", 6) != 0 ||
		    (dash = strrchr(d->d_name, '-')) == NULL)
			continue;
		errno = 0;
		pid = strtol(dash + 1, &end, 10);
		if (dash[1] == '\0' || *end != '\0' || errno != 0 || pid <= 0 ||
		    pid > INT_MAX)
			continue;
		if (pid != (long)getpid() &&
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		rundir_path(path, sizeof(path), d->d_name);
		if (unlink(path) == -1 && errno != ENOENT)
			err(1, "unlink %s", path);
		say("unlink(\"%s\"): pid %ld left it and is gone (after a "
		    "SIGKILL, a program cannot clean up)", path, pid);
	}
	if (errno != 0)
		err(1, "readdir %s", rundir());
	if (closedir(dir) == -1)
		err(1, "closedir %s", rundir());
}

/* The name carries our pid; O_EXCL, so we never open somebody else's. */
int
private_file(char *path, size_t size, const char *what, int flags)
{
	static int swept;
	char leaf[64];
	int fd;

	/*
	 * "ipc-flock demo 2>&1 | head" closes our stderr early.  SIGPIPE
	 * would kill us before the file is removed; ignored, it turns into
	 * EPIPE from write(), and the program ends by its own exit path,
	 * which removes the file.  No command that makes a file runs exec.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");

	if (!swept) {
		remove_leftovers();
		swept = 1;
	}
	snprintf(leaf, sizeof(leaf), "flock-%s-%ld", what, (long)getpid());
	rundir_path(path, size, leaf);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | flags, 0600);
	if (fd == -1)
		err(1, "open %s", path);
	at_exit_unlink(path);
	/*
	 * The umask takes bits from open()'s mode: under umask 277 or 777
	 * the commands' second open() of their own file would be refused.
	 * fchmod() is not masked.
	 */
	if (fchmod(fd, 0600) == -1)
		err(1, "fchmod %s", path);
	return fd;
}

/* pread(2) leaves the file offset alone: a forked child shares it. */
size_t
read_whole(int fd, char **buf, size_t *cap)
{
	size_t len = 0;
	ssize_t n;
	char *bigger;

	for (;;) {
		if (*cap - len < 4096) {
			*cap = *cap ? *cap * 2 : 65536;
			if ((bigger = realloc(*buf, *cap)) == NULL)
				err(1, "realloc");
			*buf = bigger;
		}
		stop_if_signalled();
		n = pread(fd, *buf + len, *cap - len, (off_t)len);
		if (n == -1) {
			retry_if_eintr("pread");
			continue;
		}
		if (n == 0)
			return len;
		len += (size_t)n;
	}
}

/*
 * A lock guards the records of a data file.  A FIFO, a socket or a device
 * has no records to guard, and opening one is a trap of its own: open()
 * of a FIFO waits for the other end (for ever, if none comes), a socket
 * cannot be opened at all (ENXIO), and opening a device may act on it (a
 * tape rewinds, a watchdog starts).  So refuse them by their kind.  A
 * directory may be locked, as flock(1) users often do.
 */
static void
refuse_kind(const char *path, mode_t mode)
{
	const char *why;

	if (S_ISFIFO(mode))
		why = "opening a FIFO would wait for the other end";
	else if (S_ISSOCK(mode))
		why = "a socket cannot even be opened (ENXIO)";
	else if (S_ISCHR(mode) || S_ISBLK(mode))
		why = "opening a device may act on it";
	else
		return;
	errx(1, "%s is %s, not a regular file: locks are for the records of "
	    "a data file, and %s", path, file_kind(mode), why);
}

/* Before open(): stat(2) tells what PATH is without opening it. */
void
require_lockable(const char *path)
{
	struct stat st;

	/* Missing, or not ours to look at: the open() that follows says why. */
	if (stat(path, &st) == 0)
		refuse_kind(path, st.st_mode);
}

/*
 * Open FILE for a lock, creating it (mode 0600) when it is missing.  An
 * fcntl or OFD write lock needs a descriptor open for writing; a read
 * lock, or any flock(2) lock, needs only reading.  A directory is never
 * open for writing: only --shared or --flock lock one.
 */
int
open_lock_file(const char *path, int writing)
{
	int flags = (writing ? O_RDWR : O_RDONLY) | O_NOCTTY | O_CLOEXEC;
	struct stat st;
	int fd;

	for (;;) {
		stop_if_signalled();
		require_lockable(path);
		if ((fd = open(path, flags)) != -1) {
			/* Swapped for a FIFO or a device since stat()? */
			if (fstat(fd, &st) == -1)
				err(1, "fstat %s", path);
			refuse_kind(path, st.st_mode);
			say("open(\"%s\", %s) -> fd %d", path, writing ?
			    "O_RDWR" : "O_RDONLY", fd);
			return fd;
		}
		/*
		 * open() of a regular file can wait too: for the holder of a
		 * lease (F_SETLEASE) to give it up.  Ctrl-C ends that wait.
		 */
		if (errno == EINTR) {
			stop_if_signalled();
			continue;
		}
		if ((errno == EACCES || errno == EISDIR) && writing)
			err(1, "open %s for writing (an fcntl write lock "
			    "needs it; --shared or --flock would not)", path);
		if (errno != ENOENT)
			err(1, "open %s", path);
		/* Missing: create it, unless someone else just did. */
		fd = open(path, flags | O_CREAT | O_EXCL, 0600);
		if (fd != -1) {
			say("open(\"%s\", %s|O_CREAT|O_EXCL, 0600) -> fd %d: "
			    "created it", path, writing ? "O_RDWR" : "O_RDONLY",
			    fd);
			return fd;
		}
		if (errno == EINTR) {
			stop_if_signalled();
			continue;
		}
		if (errno == EACCES)
			err(1, "create %s (a new file needs write permission "
			    "on its directory)", path);
		if (errno != EEXIST)
			err(1, "create %s", path);
		/*
		 * EEXIST, yet open() said ENOENT: a symbolic link to a file
		 * that is not there.  O_EXCL never creates through one, and
		 * neither do we; looping would spin for ever.
		 */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			errx(1, "%s is a symbolic link to a file that does not "
			    "exist; refusing to create a file through it", path);
	}
}

/*
 * CALL on PATH failed, and not because a lock was in the way.  lock
 * --flock opens FILE for reading only, which is all flock(2) needs here;
 * but over NFS Linux makes a flock lock an fcntl lock on the whole file,
 * and an exclusive one then needs the file open for writing: flock()
 * says EBADF, which alone explains nothing (ipc-flock(1), CAVEATS).
 */
void
lock_failed(enum kind kind, short type, const char *call, const char *path)
{
	if (kind == FLOCK && type == F_WRLCK && errno == EBADF)
		err(1, "%s %s, open for reading only (on NFS a flock lock is "
		    "an fcntl lock underneath, and a write lock needs the "
		    "file open for writing)", call, path);
	err(1, "%s %s", call, path);
}
