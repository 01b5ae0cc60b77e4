/*
 * failed.c - why a semaphore call failed, in words a student can act on:
 * which limit refused a new set, whose the object is and what its mode
 * allows, that a set was removed under us.  Each explainer ends the
 * program with exit 1.
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
#include "ipc-sem.h"

/*
 * /proc/sys/kernel/sem holds four limits: SEMMSL (semaphores per set),
 * SEMMNS (semaphores in all), SEMOPM (operations per semop) and SEMMNI
 * (sets).  proc_limit() reads only one number, so read them here.
 */
static int
sem_limits(long long v[4])
{
	FILE *f;
	int ok;

	if ((f = fopen("/proc/sys/kernel/sem", "re")) == NULL)
		return 0;
	ok = fscanf(f, "%lld %lld %lld %lld", &v[0], &v[1], &v[2],
	    &v[3]) == 4;
	(void)fclose(f);
	return ok;
}

/* semget failed with ENOSPC: name the limit that refused us. */
void
semget_nospace(key_t key)
{
	long long v[4];

	if (sem_limits(v))
		errx(1, "semget key 0x%08x: %s (/proc/sys/kernel/sem allows "
		    "%lld sets (SEMMNI) and %lld semaphores in all (SEMMNS); "
		    "'ipcs -s' shows who uses them)", (unsigned)key,
		    strerror(ENOSPC), v[3], v[1]);
	errx(1, "semget key 0x%08x: %s (the kernel's limit on semaphore "
	    "sets is reached)", (unsigned)key, strerror(ENOSPC));
}

/*
 * Whose is the set with KEY, and who made it?  /proc/sysvipc/sem lists
 * every set, with its owner, creator and mode, even to those who may not
 * use it.
 */
static int
sysv_owner(key_t key, long *uid, long *cuid, unsigned *mode)
{
	char line[256];
	long k, u, c;
	unsigned m;
	FILE *f;
	int found = 0;

	if ((f = fopen("/proc/sysvipc/sem", "re")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%ld %*d %o %*d %ld %*d %ld", &k, &m, &u,
		    &c) == 4 && (key_t)k == key) {
			*uid = u;
			*cuid = c;
			*mode = m & 0777;
			found = 1;
		}
	(void)fclose(f);
	return found;
}

/*
 * Why the kernel said EACCES, in words: whose the object is and what its
 * mode allows.  IS_DEFAULT: the object has the per-user default name or
 * key, so someone else's object there means a collision.
 */
static const char *
why_denied(long uid, unsigned mode, int is_default, char *buf, size_t len)
{
	if (uid == (long)geteuid())
		snprintf(buf, len, "it is yours, but its mode %04o does not "
		    "allow this", mode);
	else if (is_default)
		snprintf(buf, len, "it belongs to uid %ld, mode %04o: your "
		    "default is in use by someone else; pick another with "
		    "%s", uid, mode, is_default == 'N' ? "-N" : "-k");
	else if ((mode & 077) == 0)
		snprintf(buf, len, "it belongs to uid %ld, mode %04o: only "
		    "its owner may use it", uid, mode);
	else
		snprintf(buf, len, "it belongs to uid %ld, and mode %04o does "
		    "not allow you this", uid, mode);
	return buf;
}

/*
 * sem_open of an existing semaphore failed, or sem_unlink (CALL says
 * which): they fail alike, for a name that is not there or not ours.
 */
void
sem_open_failed(const char *call, const char *name, int is_default)
{
	char path[PATH_MAX], why[160];
	struct stat st;
	int e = errno;

	posix_path(path, sizeof(path), name);
	if (e == ENOENT)
		errx(1, "%s %s: no such semaphore (no %s); make it with "
		    "'ipc-sem create%s%s'", call, name, path,
		    is_default ? "" : " -N ", is_default ? "" : name);
	if (e == EACCES && stat(path, &st) == 0)
		errx(1, "%s %s: %s (%s: %s)", call, name, strerror(e), path,
		    why_denied((long)st.st_uid, (unsigned)(st.st_mode & 0777),
		    is_default ? 'N' : 0, why, sizeof(why)));
	errno = e;
	err(1, "%s %s", call, name);
}

/*
 * sem_unlink failed.  Removing the name is removing the file
 * /dev/shm/sem.NAME, and /dev/shm is sticky (mode 1777): in such a
 * directory only the file's owner, the directory's owner or root may
 * remove a file, whatever the file's mode says.  The kernel refuses
 * with EPERM, which glibc's sem_unlink reports as EACCES.
 */
void
unlink_failed(const char *name, int is_default)
{
	struct stat st, dir;
	char path[PATH_MAX];
	int e = errno;

	posix_path(path, sizeof(path), name);
	if ((e == EACCES || e == EPERM) && stat(path, &st) == 0 &&
	    stat("/dev/shm", &dir) == 0 && (dir.st_mode & S_ISVTX) &&
	    st.st_uid != geteuid() && dir.st_uid != geteuid())
		errx(1, "sem_unlink %s: %s (%s belongs to uid %ld, and "
		    "/dev/shm has the sticky bit (mode %04o): only the file's "
		    "owner, the directory's owner or root may remove a name "
		    "there, whatever the file's mode (%04o))", name,
		    strerror(e), path, (long)st.st_uid,
		    (unsigned)(dir.st_mode & 07777),
		    (unsigned)(st.st_mode & 0777));
	errno = e;
	sem_open_failed("sem_unlink", name, is_default);
}

/*
 * semctl IPC_RMID failed.  EPERM is not about the mode: only the set's
 * owner, its creator or root may remove a set, whatever its mode allows.
 */
void
rmid_failed(key_t key, int semid)
{
	unsigned mode;
	long uid, cuid;

	if (errno == EPERM && sysv_owner(key, &uid, &cuid, &mode))
		errx(1, "semctl IPC_RMID key 0x%08x: %s (only the set's "
		    "owner (uid %ld), its creator (uid %ld) or root may remove "
		    "it, whatever its mode (%04o) allows; you are uid %ld)",
		    (unsigned)key, strerror(EPERM), uid, cuid, mode,
		    (long)geteuid());
	if (errno == EPERM)
		errx(1, "semctl IPC_RMID key 0x%08x: %s (only the set's "
		    "owner, its creator or root may remove it)", (unsigned)key,
		    strerror(EPERM));
	set_failed("semctl IPC_RMID", key, semid);
}

/* semget of an existing set failed: say why in plain words. */
void
semget_failed(const struct opts *o, key_t key)
{
	int e = errno, is_default = o->key == 0 && o->file == NULL;
	char why[160];
	unsigned mode;
	long uid, cuid;

	if (e == ENOENT)
		errx(1, "semget key 0x%08x: no such set; make it with "
		    "'ipc-sem --sysv create%s'", (unsigned)key,
		    is_default ? "" : o->file != NULL ? " -f PATH [-P PROJ]" :
		    " -k KEY");
	if (e == EACCES && sysv_owner(key, &uid, &cuid, &mode))
		errx(1, "semget key 0x%08x: %s (%s)", (unsigned)key,
		    strerror(e), why_denied(uid, mode, is_default ? 'k' : 0,
		    why, sizeof(why)));
	errno = e;
	err(1, "semget key 0x%08x", (unsigned)key);
}

/*
 * An operation on a set failed (semop, semtimedop or semctl: CALL).  A
 * set removed under us (EIDRM while we slept, EINVAL for an id that is
 * gone) ends the program with a clear message rather than a retry.
 */
void
set_failed(const char *call, key_t key, int semid)
{
	char obj[64];

	if (key == IPC_PRIVATE)
		snprintf(obj, sizeof(obj), "semid %d", semid);
	else
		snprintf(obj, sizeof(obj), "key 0x%08x (semid %d)",
		    (unsigned)key, semid);
	if (errno == EIDRM || errno == EINVAL)
		errx(1, "%s %s: the set was removed (%s), by 'ipc-sem --sysv "
		    "rm', ipcrm(1), or logind's RemoveIPC at logout", call, obj,
		    errno == EIDRM ? "EIDRM" : "EINVAL: the id is no longer "
		    "valid");
	err(1, "%s %s", call, obj);
}
