/*
 * failed.c - why a shared memory call failed, in words a student can act
 * on: the key or name, and where a kernel limit is the cause, the /proc
 * file that sets it.  Each ends the program with exit 1; and, before
 * anything is made, a -m that write could not use, with exit 2.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-shm.h"

/*
 * A new segment or object of MODE would refuse its owner what write
 * needs: System V's IPC_STAT and shmat() for writing ask to read and to
 * write (0600); a POSIX object's creator may write it once, but every
 * later write opens it O_RDWR and read O_RDONLY.  A usage error (exit
 * 2), before anything is made.
 */
void
require_writable_mode(mode_t mode, int posix)
{
	if ((mode & 0600) == 0600)
		return;
	if (posix)
		usage_error("-m %04o: a new object of that mode would refuse "
		    "you, its owner, the shm_open() with O_RDWR that the next "
		    "write needs, or the O_RDONLY one of read (read and write "
		    "permission, 0600)", (unsigned int)mode);
	usage_error("-m %04o: a new segment of that mode would refuse you, "
	    "its owner, the shmat() for writing and the IPC_STAT that write "
	    "needs (read and write permission, 0600)", (unsigned int)mode);
}

/* SIZE: what we asked for, 0 when only looking a segment up. */
void
shmget_failed(const char *label, int is_default, size_t size)
{
	int e = errno;

	switch (e) {
	case ENOENT:
		errx(1, "shmget %s: %s (no segment has this key; 'ipc-shm "
		    "write TEXT' makes one)", label, strerror(e));
	case EACCES:
		if (is_default)
			errx(1, "shmget %s: %s (a segment with your default "
			    "key exists but belongs to someone else; choose "
			    "another key with -k KEY)", label, strerror(e));
		errx(1, "shmget %s: %s (its mode does not let you in; "
		    "'ipcs -m' shows its owner and perms)", label,
		    strerror(e));
	case EINVAL:
		errx(1, "shmget %s, %zu bytes: %s (/proc/sys/kernel/shmmax "
		    "is %lld)", label, size, strerror(e),
		    proc_limit("/proc/sys/kernel/shmmax"));
	case ENOSPC:
		errx(1, "shmget %s: %s (/proc/sys/kernel/shmmni allows %lld "
		    "segments and /proc/sys/kernel/shmall %lld pages in "
		    "all; one of them is used up)", label, strerror(e),
		    proc_limit("/proc/sys/kernel/shmmni"),
		    proc_limit("/proc/sys/kernel/shmall"));
	default:
		errno = e;
		err(1, "shmget %s", label);
	}
}

/* The same, for a POSIX name. */
void
shm_open_failed(const char *name, int is_default)
{
	int e = errno;

	switch (e) {
	case ENOENT:
		errx(1, "shm_open %s: %s (no such object; 'ipc-shm --posix "
		    "write TEXT' makes one)", name, strerror(e));
	case EACCES:
		if (is_default)
			errx(1, "shm_open %s: %s (/dev/shm%s belongs to "
			    "someone else; choose another name with -N)",
			    name, strerror(e), name);
		errx(1, "shm_open %s: %s (its mode does not let you in; "
		    "'ls -l /dev/shm%s' shows its owner)", name,
		    strerror(e), name);
	default:
		errno = e;
		err(1, "shm_open %s", name);
	}
}

/* A segment can vanish between shmget and shmat. */
void
shmat_failed(const char *label, int id)
{
	if (errno == EIDRM || errno == EINVAL)
		errx(1, "shmat shmid %d (%s): %s (it was removed meanwhile)",
		    id, label, strerror(errno));
	err(1, "shmat shmid %d (%s)", id, label);
}
