/*
 * path.c - what stands between a path and the FIFO a lesson opens there.
 *
 * A FIFO is met by name, and a name can hold anything: a regular file
 * someone put there, a symlink to one, a FIFO removed while we wait on
 * it.  The lessons (writer.c, reader.c) call what is here and read fine
 * without it: the refusals of anything that is not a FIFO, the watch that
 * ends an open() waiting on a FIFO nobody can open any more, the
 * explanations of a failed open() or write(), and of a mkfifo() or
 * unlink() that the directory refuses.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-fifo.h"

const char *
one_path(const char *command, int argc, char **argv)
{
	if (argc == 0)
		usage_error("%s needs a PATH", command);
	if (argc > 1)
		usage_error("%s takes one PATH", command);
	return argv[0];
}

/*
 * Refuse PATH, which is something else than a FIFO; it stays untouched.
 * A writer must not pour data into a file that someone put at PATH.
 */
void
refuse(const char *path, mode_t mode)
{
	if (S_ISLNK(mode))
		errx(1, "%s is a symbolic link; ipc-fifo never follows one "
		    "(name the FIFO itself)", path);
	errx(1, "%s is %s, not a FIFO; refusing to touch it", path,
	    file_kind(mode));
}

/* "alice, uid 1000", or "uid 1000" for a uid without a name, in BUF. */
static const char *
owner_text(uid_t uid, char *buf, size_t len)
{
	char user[64];

	if (user_name(uid, user, sizeof(user)) != NULL)
		snprintf(buf, len, "%s, uid %ld", user, (long)uid);
	else
		snprintf(buf, len, "uid %ld", (long)uid);
	return buf;
}

/* "you, its owner," or "you (uid 1000)": who was refused by ST's mode. */
static const char *
you_text(const struct stat *st, char *buf, size_t len)
{
	if (st->st_uid == geteuid())
		snprintf(buf, len, "you, its owner,");
	else
		snprintf(buf, len, "you (uid %ld)", (long)geteuid());
	return buf;
}

/*
 * CALL (the path, or "open PATH for writing") said E, EACCES.  To reach a
 * name the kernel wants search permission (x) on every directory of the
 * path: if one of them refuses us, name it, its owner and its mode, and
 * exit 1.  faccessat(2) checks our effective ids, as open() does.
 */
static void
search_denied(const char *call, int e, const char *path)
{
	char dir[PATH_MAX], owner[96], you[48], *p;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	/* Each directory of the path in turn, from the top. */
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (faccessat(AT_FDCWD, dir, X_OK, AT_EACCESS) == -1 &&
		    errno == EACCES && stat(dir, &st) == 0)
			errx(1, "%s: %s: the directory %s (owner %s, mode "
			    "%04o) gives %s no search permission (x), which "
			    "every directory on the path to a FIFO must give",
			    call, strerror(e), dir, owner_text(st.st_uid,
			    owner, sizeof(owner)),
			    (unsigned)(st.st_mode & 07777),
			    you_text(&st, you, sizeof(you)));
		*p = '/';
	}
}

/*
 * CALL said EACCES.  Past the directories, opening the FIFO wants read or
 * write permission (WANT: R_OK or W_OK; 0 when nothing was opened) on it.
 * Name what refused us; exit 1.
 */
static void __attribute__((noreturn))
denied(const char *call, const char *path, int want)
{
	char owner[96], you[48];
	struct stat st;
	int e = errno;

	search_denied(call, e, path);
	if (want != 0 && faccessat(AT_FDCWD, path, want, AT_EACCESS) == -1 &&
	    errno == EACCES && stat(path, &st) == 0)
		errx(1, "%s: %s: the FIFO (owner %s, mode %04o) gives %s no "
		    "%s permission, which opening it for %s needs", call,
		    strerror(e), owner_text(st.st_uid, owner, sizeof(owner)),
		    (unsigned)(st.st_mode & 07777),
		    you_text(&st, you, sizeof(you)),
		    want == W_OK ? "write" : "read",
		    want == W_OK ? "writing" : "reading");
	errno = e;
	err(1, "%s", call);
}

/*
 * A name is an entry in its directory, so making one (mkfifo) or removing
 * one (unlink) writes the directory: it needs write permission (w) there,
 * past search permission on the way.  In a sticky directory, such as
 * /tmp, only the owner of the name or of the directory may remove it
 * (EPERM).  Name what refused us; exit 1.
 */
void
name_failed(const char *call, const char *path)
{
	char what[PATH_MAX + 16], dir[PATH_MAX], owner[96], you[48], *slash;
	int e = errno, removing = strcmp(call, "unlink") == 0;
	struct stat st, fst;

	snprintf(what, sizeof(what), "%s %s", call, path);
	if (e == EACCES)
		search_denied(what, e, path);
	/* The directory the name is in: "." for a name without a slash. */
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';		/* "/NAME": the root directory */
	else
		*slash = '\0';
	if (e == EACCES && faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) == -1 &&
	    errno == EACCES && stat(dir, &st) == 0)
		errx(1, "%s: %s: the directory %s (owner %s, mode %04o) gives "
		    "%s no write permission (w), which %s needs", what,
		    strerror(e), dir, owner_text(st.st_uid, owner,
		    sizeof(owner)), (unsigned)(st.st_mode & 07777),
		    you_text(&st, you, sizeof(you)), removing ?
		    "removing a name from it" : "making a name in it");
	if (e == EPERM && removing && stat(dir, &st) == 0 &&
	    (st.st_mode & S_ISVTX) && st.st_uid != geteuid() &&
	    lstat(path, &fst) == 0 && fst.st_uid != geteuid())
		errx(1, "%s: %s: the directory %s is sticky (mode %04o): only "
		    "the FIFO's owner (%s) or the directory's may remove it",
		    what, strerror(e), dir, (unsigned)(st.st_mode & 07777),
		    owner_text(fst.st_uid, owner, sizeof(owner)));
	errno = e;
	err(1, "%s", what);
}

int
may_open(const char *path, int want)
{
	return faccessat(AT_FDCWD, path, want, AT_EACCESS) == 0 ||
	    errno != EACCES;
}

static int
fifo_exists(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1) {
		if (errno == EACCES)
			denied(path, path, 0);
		if (errno != ENOENT)
			err(1, "%s", path);
		return 0;
	}
	if (!S_ISFIFO(st.st_mode))
		refuse(path, st.st_mode);
	return 1;
}

/*
 * The FIFO that write or read made, since none was at PATH: if the open()
 * it was made for fails, nobody will use it, so open_failed() has it
 * removed as we exit (if it is still the one we made).  A failed run
 * leaves nothing.
 */
static const char *made_path;
static struct stat made;

void
make_missing_fifo(const char *path, mode_t mode)
{
	if (fifo_exists(path))
		return;
	if (make_fifo(path, mode) == 0) {
		if (lstat(path, &made) == 0)
			made_path = path;
		return;
	}
	/* Another writer or the reader may make it first: either will do. */
	if (errno != EEXIST)
		name_failed("mkfifo", path);
}

static void
unmake_fifo(void *unused)
{
	(void)unused;
	if (made_path != NULL && still_there(made_path, &made) &&
	    unlink(made_path) == 0)
		say("unlink(\"%s\"): the FIFO we made goes, unused", made_path);
	made_path = NULL;
}

/* SIGALRM only has to interrupt open(): the handler does nothing. */
static void
on_alarm(int sig)
{
	(void)sig;
}

/*
 * A FIFO removed while we wait in open() can never be opened by anybody
 * again, so that wait would last for ever.  An interval timer interrupts
 * the open() once a second (SIGALRM, EINTR) and the lesson opens PATH
 * anew: if it was removed, the new open() fails with ENOENT, and
 * check_opened() says so.  The kernel counts readers and writers under
 * the pipe's lock, so a partner who comes while we retry is never missed.
 */
void
watch_for_removal(void)
{
	struct itimerval tick = { { 1, 0 }, { 1, 0 } };

	/* The open() must come back to us with EINTR. */
	interrupt_with(SIGALRM, on_alarm);
	if (setitimer(ITIMER_REAL, &tick, NULL) == -1)
		err(1, "setitimer");
}

/*
 * open() of PATH failed with E: explain, and exit 1.  OTHER is who we
 * waited for: a "reader" when we opened PATH for writing.
 */
static void __attribute__((noreturn))
open_failed(const char *path, int e, const char *other)
{
	int writing = strcmp(other, "reader") == 0;
	char call[PATH_MAX + 32];

	/* After the explanation, which may look at the FIFO. */
	at_exit_call(unmake_fifo, NULL);

	if (e == ENOENT)
		errx(1, "%s was removed while we waited for a %s to open it "
		    "('ipc-fifo rm' or rm(1)); nobody can open it any more",
		    path, other);
	/* O_NOFOLLOW: a symlink put there since lstat() fails with ELOOP. */
	if (e == ELOOP)
		refuse(path, S_IFLNK);
	if (e == ENXIO)
		errx(1, "open %s for writing: no process has the FIFO open "
		    "for reading (ENXIO); without --nonblock the writer "
		    "waits for one", path);
	errno = e;
	if (e == EACCES) {
		snprintf(call, sizeof(call), "open %s for %s", path,
		    writing ? "writing" : "reading");
		denied(call, path, writing ? W_OK : R_OK);
	}
	err(1, "open %s", path);
}

void
check_opened(int fd, const char *path, const char *other)
{
	struct itimerval off;
	struct stat st;
	int e = errno;

	memset(&off, 0, sizeof(off));
	if (setitimer(ITIMER_REAL, &off, NULL) == -1)
		err(1, "setitimer");
	if (fd == -1)
		open_failed(path, e, other);
	/* Whatever lstat() saw, what we opened is what counts. */
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if (!S_ISFIFO(st.st_mode))
		refuse(path, st.st_mode);
}

int
still_there(const char *path, const struct stat *ours)
{
	struct stat st;

	return lstat(path, &st) == 0 && st.st_dev == ours->st_dev &&
	    st.st_ino == ours->st_ino;
}

void
write_failed(const char *path)
{
	if (errno == EPIPE)
		errx(1, "write %s: %s: every reader has closed the FIFO",
		    path, strerror(EPIPE));
	err(1, "write %s", path);
}

void
keep_failed(const char *path)
{
	if (errno == ENXIO)
		errx(1, "open %s for writing: no process has the FIFO now at "
		    "that path open for reading (ENXIO), so it is not the one "
		    "we read: it was replaced", path);
	if (errno == ENOENT)
		errx(1, "open %s for writing: the FIFO we read was removed "
		    "(ENOENT)", path);
	if (errno == ELOOP)
		refuse(path, S_IFLNK);
	err(1, "open %s for writing", path);
}

const char *
private_fifo_name(char *buf, size_t len, const char *what)
{
	char leaf[64];

	snprintf(leaf, sizeof(leaf), "fifo-%s-%ld", what, (long)getpid());
	return rundir_path(buf, len, leaf);
}
