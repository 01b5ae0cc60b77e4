/*
 * names.c - per-user default names and the private run directory.
 *
 * Two students on one lab server must never meet by accident: every
 * default name carries the user's uid, and FIFOs and sockets live in a
 * directory only its owner can enter.
 */
#include "config.h"

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

const char *
rundir(void)
{
	static char path[PATH_MAX];
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int fd;

	if (path[0] != '\0')
		return path;
	/* A relative or empty XDG_RUNTIME_DIR is ignored, as the spec says. */
	if (base == NULL || base[0] != '/')
		base = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/ipclab-%ld", base,
	    (long)geteuid()) >= sizeof(path))
		errx(1, "run directory under %s: path too long", base);
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		err(1, "mkdir %s", path);
	/*
	 * Whoever made it, check what is there now through a descriptor that
	 * refuses a symlink, so nobody can swap the directory under us.
	 */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/*
	 * Closed to us: someone else's directory, or ours made under umask
	 * 777, say.  Ours is opened up to us and tried once more: nobody
	 * else may swap a name of ours in a sticky /tmp.
	 */
	if (fd == -1 && errno == EACCES) {
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (st.st_uid != geteuid())
				errx(1, "%s belongs to uid %ld, not to you; "
				    "refusing to use it", path,
				    (long)st.st_uid);
			if (chmod(path, 0700) == -1)
				err(1, "chmod 700 %s", path);
			fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
		} else {
			errno = EACCES;	/* the open's error, not lstat's */
		}
	}
	if (fd == -1) {
		if (errno == ELOOP || errno == ENOTDIR)
			errx(1, "%s is not a directory (a symlink or a file is "
			    "there); refusing to use it", path);
		err(1, "open %s", path);
	}
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if (st.st_uid != geteuid())
		errx(1, "%s belongs to uid %ld, not to you; refusing to use it",
		    path, (long)st.st_uid);
	/*
	 * Ours, but too open or too closed (a umask such as 077 or 777 when
	 * mkdir made it, a chmod since): make it 0700 again, or the next
	 * open of a FIFO or socket in it would fail.
	 */
	if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) == -1)
		err(1, "chmod 700 %s", path);
	if (close(fd) == -1)
		err(1, "close %s", path);
	return path;
}

const char *
rundir_path(char *buf, size_t len, const char *leaf)
{
	const char *dir = rundir();

	if ((size_t)snprintf(buf, len, "%s/%s", dir, leaf) >= len)
		errx(1, "%s/%s: path too long", dir, leaf);
	return buf;
}

const char *
default_posix_name(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/ipclab-%ld-%s", (long)geteuid(), what);
	return buf;
}

const char *
private_posix_name(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/ipclab-%ld-%s-%ld", (long)geteuid(), what,
	    (long)getpid());
	return buf;
}

/*
 * An object under the caller's default name or key must be the caller's,
 * whatever its mode: anyone may make one there first, mode 0666, and read
 * what the caller puts in.  UID is whose it is (for System V, the creator
 * when the owner is us: an owner may give an object away with IPC_SET,
 * its creator stays).  Not ours: exit 1 naming WHAT, its uid, the command
 * that shows it (INFO) and the option that picks another (OTHER).
 */
void
require_own_default(long uid, const char *what, const char *kind,
    const char *info, const char *other)
{
	if (uid != (long)geteuid())
		errx(1, "%s belongs to uid %ld, not to you: someone else made "
		    "it with your default %s; refusing to use it ('%s' shows "
		    "it; choose another with %s)", what, uid, kind, info, other);
	say("%s, under your default %s, is yours (uid %ld)", what, kind, uid);
}

const char *
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *pwp = NULL;
	char pwbuf[1024];

	/* Not found and lookup failed look the same here: no name. */
	(void)getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &pwp);
	if (pwp == NULL || (size_t)snprintf(buf, len, "%s", pwp->pw_name) >=
	    len)
		return NULL;
	return buf;
}

const char *
file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "a file of an unknown kind";
}
