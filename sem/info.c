/*
 * info.c - what the kernel knows about a semaphore, and how it goes.
 *
 * A System V set carries its own bookkeeping, read with semctl(2):
 * IPC_STAT for owner, mode and times, GETVAL, GETPID, GETNCNT and
 * GETZCNT for each semaphore.  A named POSIX semaphore is a small file
 * in /dev/shm: sem_getvalue(3) reads the value and stat(2) the rest.
 * Removing differs as much: IPC_RMID ends a set at once and wakes its
 * sleepers with EIDRM; sem_unlink(3) only takes the name away.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* info --sysv: the set's semid_ds, then semaphore 0's own counters. */
static int
info_sysv(const struct opts *o)
{
	int semid, value, pid, ncnt, zcnt;
	struct semid_ds ds;
	union semun arg;
	char t1[32], t2[32];
	key_t key;

	key = sysv_key(o);
	semid = open_sysv(o, key, 0400);
	arg.buf = &ds;
	if (semctl(semid, 0, IPC_STAT, arg) == -1)
		set_failed("semctl IPC_STAT", key, semid);
	if ((value = semctl(semid, 0, GETVAL)) == -1 ||
	    (pid = semctl(semid, 0, GETPID)) == -1 ||
	    (ncnt = semctl(semid, 0, GETNCNT)) == -1 ||
	    (zcnt = semctl(semid, 0, GETZCNT)) == -1)
		set_failed("semctl", key, semid);
	say("semctl(%d, 0, IPC_STAT), then GETVAL, GETPID, GETNCNT and "
	    "GETZCNT on semaphore 0", semid);
	printf("key:       0x%08x\n", (unsigned)key);
	printf("semid:     %d\n", semid);
	printf("owner:     uid %ld gid %ld (creator uid %ld gid %ld)\n",
	    (long)ds.sem_perm.uid, (long)ds.sem_perm.gid,
	    (long)ds.sem_perm.cuid, (long)ds.sem_perm.cgid);
	printf("mode:      %04o\n", (unsigned)(ds.sem_perm.mode & 0777));
	printf("nsems:     %lu\n", (unsigned long)ds.sem_nsems);
	printf("value:     %d (semval)\n", value);
	printf("semncnt:   %d (processes waiting for a post)\n", ncnt);
	printf("semzcnt:   %d (processes waiting for zero)\n", zcnt);
	printf("sempid:    %d (the last process to change the value)\n",
	    pid);
	printf("otime:     %s (the last semop)\n",
	    format_time(ds.sem_otime, t1, sizeof(t1)));
	printf("ctime:     %s (created, or the last SETVAL or "
	    "IPC_SET)\n", format_time(ds.sem_ctime, t2, sizeof(t2)));
	return 0;
}

/* info, POSIX: the value, and the file's owner, mode and time. */
static int
info_posix(const struct opts *o)
{
	char buf[NAME_MAX + 1], path[PATH_MAX], t1[32];
	const char *name;
	struct stat st;
	sem_t *sem;
	int value;

	name = posix_name(o, buf, sizeof(buf));
	sem = open_posix(o, name);
	if (sem_getvalue(sem, &value) == -1)
		err(1, "sem_getvalue %s", name);
	posix_path(path, sizeof(path), name);
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	say("sem_getvalue(\"%s\"), and stat(\"%s\") for the rest", name, path);
	printf("name:      %s\n", name);
	printf("file:      %s (%lld bytes)\n", path, (long long)st.st_size);
	printf("owner:     uid %ld gid %ld\n", (long)st.st_uid,
	    (long)st.st_gid);
	printf("mode:      %04o\n", (unsigned)(st.st_mode & 0777));
	printf("value:     %d\n", value);
	printf("changed:   %s\n", format_time(st.st_mtime, t1, sizeof(t1)));
	if (sem_close(sem) == -1)
		err(1, "sem_close %s", name);
	return 0;
}

/* rm --sysv: IPC_RMID, which only the owner, the creator or root may. */
static int
rm_sysv(const struct opts *o)
{
	key_t key;
	int semid;

	key = sysv_key(o);
	/*
	 * Ask for no permission: removing is not reading or altering, and
	 * the kernel's own rule for IPC_RMID (owner, creator or root) is
	 * the one to meet, whatever the mode.
	 */
	semid = open_sysv(o, key, 0);
	if (semctl(semid, 0, IPC_RMID) == -1)
		rmid_failed(key, semid);
	say("semctl(%d, 0, IPC_RMID) -> 0: the set is gone; anyone "
	    "sleeping in semop on it wakes with EIDRM", semid);
	return 0;
}

/* rm, POSIX: sem_unlink, which removes the file in /dev/shm. */
static int
rm_posix(const struct opts *o)
{
	char buf[NAME_MAX + 1];
	const char *name;

	name = posix_name(o, buf, sizeof(buf));
	if (sem_unlink(name) == -1)
		unlink_failed(name, o->name == NULL);
	say("sem_unlink(\"%s\") -> 0: the name is gone; processes that have "
	    "it open may go on using it", name);
	return 0;
}

/* info: what the kernel knows about the semaphore. */
int
cmd_info(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("info takes no arguments");
	check_kind(o, "info");
	return o->sysv ? info_sysv(o) : info_posix(o);
}

/*
 * rm: remove the semaphore.  A System V set goes at once and its
 * sleepers wake with EIDRM; a POSIX name goes, but processes that have
 * it open keep using it until they close it.
 */
int
cmd_rm(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("rm takes no arguments");
	check_kind(o, "rm");
	return o->sysv ? rm_sysv(o) : rm_posix(o);
}
