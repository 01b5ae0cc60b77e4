/*
 * failed.c - why a shared memory call failed, in words a student can act
 * on: the key or name, and where a kernel limit is the cause, the /proc
 * file that sets it.  Each ends the program with exit 1; and, before
 * anything is made, a -m that write could not use, with exit 2.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/*
 * The owner, creator and mode of the segment KEY names, from
 * /proc/sysvipc/shm: IPC_STAT would need the read permission we may have
 * just been refused.  0 if it is not listed (or gone meanwhile).
 */
static int
sysv_owner(key_t key, long *uid, long *cuid, unsigned int *mode)
{
	char line[512];
	FILE *f;
	int k, found = 0;

	if ((f = fopen("/proc/sysvipc/shm", "re")) == NULL)
		return 0;
	/* key shmid perms size cpid lpid nattch uid gid cuid ... */
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "%d %*d %o %*s %*s %*s %*s %ld %*s %ld",
		    &k, mode, uid, cuid) == 4 && k == (int)key;
	(void)fclose(f);
	return found;
}

/*
 * shmget refused us the segment KEY (EACCES): is it ours, with a mode
 * that shuts us out too, or someone else's?  Exit 1 saying which.
 */
static void __attribute__((noreturn))
segment_refused(const char *label, key_t key, int is_default)
{
	unsigned int mode;
	long uid, cuid;
	char who[300];
	int e = errno;

	if (!sysv_owner(key, &uid, &cuid, &mode))
		errx(1, "shmget %s: %s (its mode does not let you in; 'ipcs "
		    "-m' shows its owner and perms)", label, strerror(e));
	/* Owner and creator get the owner's bits, as a file's owner does. */
	if (uid == (long)geteuid() || cuid == (long)geteuid()) {
		who[0] = '\0';
		if (!is_default)
			snprintf(who, sizeof(who), " -k 0x%08x",
			    (unsigned int)key);
		errx(1, "shmget %s: %s (the segment is yours, but its mode "
		    "%04o does not let you in; 'ipc-shm rm%s' removes it)",
		    label, strerror(e), mode & 0777, who);
	}
	if (is_default)
		errx(1, "shmget %s: %s (a segment with your default key "
		    "exists but belongs to %s, not you; choose another key "
		    "with -k KEY)", label, strerror(e),
		    uid_text(uid, who, sizeof(who)));
	errx(1, "shmget %s: %s (it belongs to %s, and its mode %04o does "
	    "not let you in)", label, strerror(e),
	    uid_text(uid, who, sizeof(who)), mode & 0777);
}

/* SIZE: what we asked for, 0 when only looking a segment up. */
void
shmget_failed(const char *label, key_t key, int is_default, size_t size)
{
	int e = errno;

	switch (e) {
	case ENOENT:
		errx(1, "shmget %s: %s (no segment has this key; 'ipc-shm "
		    "write TEXT' makes one)", label, strerror(e));
	case EACCES:
		segment_refused(label, key, is_default);
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

/*
 * shm_open refused us NAME (EACCES): the file under /dev/shm says whose
 * it is and its mode.
 */
static void __attribute__((noreturn))
object_refused(const char *name, int is_default)
{
	char path[NAME_MAX + 16], who[300];
	struct stat st;
	int e = errno;

	snprintf(path, sizeof(path), "/dev/shm%s", name);
	if (stat(path, &st) == -1)
		errx(1, "shm_open %s: %s (its mode does not let you in; 'ls -l "
		    "%s' shows its owner)", name, strerror(e), path);
	if (st.st_uid == geteuid())
		errx(1, "shm_open %s: %s (%s is yours, but its mode %04o does "
		    "not let you in; 'ipc-shm --posix rm%s%s' removes it)",
		    name, strerror(e), path, (unsigned int)(st.st_mode & 07777),
		    is_default ? "" : " -N ", is_default ? "" : name);
	if (is_default)
		errx(1, "shm_open %s: %s (%s belongs to %s, not you; choose "
		    "another name with -N)", name, strerror(e), path,
		    uid_text((long)st.st_uid, who, sizeof(who)));
	errx(1, "shm_open %s: %s (%s belongs to %s, and its mode %04o does "
	    "not let you in)", name, strerror(e), path,
	    uid_text((long)st.st_uid, who, sizeof(who)),
	    (unsigned int)(st.st_mode & 07777));
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
		object_refused(name, is_default);
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
