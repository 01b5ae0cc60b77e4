/*
 * lookup.c - which semaphore a command means: for counter, one kind of
 * lock at the most; else a POSIX name (-N, or the per-user default) or a
 * System V key (-k, ftok of -f, or of the run directory), opened as it
 * exists, and refused when the default one belongs to someone else.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>

#include <err.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* The project id ftok(3) mixes into this chapter's default key. */
#define SEM_PROJ	's'

/*
 * The options that pick an object belong to one kind: -N to POSIX,
 * -k, -f and -P to System V.  Refuse a mix before anything is touched.
 */
void
check_kind(const struct opts *o, const char *cmd)
{
	if (o->sysv && o->name != NULL)
		usage_error("%s: -N names a POSIX semaphore; --sysv takes -k "
		    "KEY or -f PATH", cmd);
	if (!o->sysv && (o->key != 0 || o->file != NULL || o->proj != 0))
		usage_error("%s: -k, -f and -P name a System V set; add "
		    "--sysv", cmd);
	if (o->key != 0 && (o->file != NULL || o->proj != 0))
		usage_error("%s: give either -k KEY or -f PATH [-P PROJ], not "
		    "both", cmd);
}

/*
 * counter takes no arguments, and one lock at the most: --no-lock,
 * --named or --sysv, or else the classic's unnamed semaphore.
 */
void
check_counter(const struct opts *o, int argc)
{
	if (argc > 0)
		usage_error("counter takes no arguments");
	if (o->no_lock + o->named + o->sysv > 1)
		usage_error("counter: choose one of --no-lock, --named and "
		    "--sysv");
}

/* The POSIX name: -N, or the per-user default "/ipclab-UID-sem". */
const char *
posix_name(const struct opts *o, char *buf, size_t len)
{
	if (o->name != NULL)
		return o->name;
	default_posix_name(buf, len, "sem");
	say("no -N: using your default semaphore %s", buf);
	return buf;
}

/*
 * Where the C library keeps a named semaphore: sem_open("/NAME") is a
 * small file in /dev/shm that every process maps, and its name is the
 * library's choice: glibc's is sem.NAME, musl's plain NAME (the name a
 * POSIX shared memory object would have).  configure made one and looked
 * (SEM_FILE_PREFIX).
 */
const char *
posix_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "/dev/shm/%s%s", SEM_FILE_PREFIX, name + 1);
	return buf;
}

/* Open the existing named semaphore NAME; no O_CREAT, it must be there. */
sem_t *
open_posix(const struct opts *o, const char *name)
{
	sem_t *sem;

	if ((sem = sem_open(name, 0)) == SEM_FAILED)
		sem_open_failed("sem_open", name, o->name == NULL);
	say("sem_open(\"%s\", 0) -> mapped the existing semaphore", name);
	return sem;
}

/* open_posix, for wait, post and value: the default must be ours. */
sem_t *
open_own_posix(const struct opts *o, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	sem_t *sem = open_posix(o, name);

	if (o->name != NULL)
		return sem;
	posix_path(path, sizeof(path), name);
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	/* Someone else's, though its mode let us open it: not ours to use. */
	require_own_default((long)st.st_uid, name, "name", "ipc-sem info",
	    "-N /NAME");
	return sem;
}

/*
 * The System V key: -k, ftok(-f, -P), or by default ftok(3) on this
 * user's private run directory with the chapter's project id 's'.
 * ftok mixes the file's inode and device numbers with the project id,
 * so every user, and every run directory, gets a key of its own.
 */
key_t
sysv_key(const struct opts *o)
{
	int proj = o->proj ? o->proj : SEM_PROJ;
	const char *path;
	key_t key;

	if (o->key != 0)
		return o->key;
	path = o->file != NULL ? o->file : rundir();
	if ((key = ftok(path, proj)) == -1)
		err(1, "ftok %s", path);
	if (proj > ' ' && proj < 0x7f)
		say("ftok(\"%s\", '%c') -> key 0x%08x%s", path, proj,
		    (unsigned)key, o->file == NULL ? ": your default set" : "");
	else
		say("ftok(\"%s\", %d) -> key 0x%08x", path, proj,
		    (unsigned)key);
	return key;
}

/*
 * Find the existing set with KEY: semget with no IPC_CREAT.  WANT asks
 * for permissions now (0400 to read, 0600 to read and alter), so that a
 * set we may not use is refused here, by key, and not later.
 */
int
open_sysv(const struct opts *o, key_t key, int want)
{
	int semid;

	if ((semid = semget(key, 0, want)) == -1)
		semget_failed(o, key);
	say("semget(0x%08x, 0, %04o) -> semid %d: the existing set",
	    (unsigned)key, (unsigned)want, semid);
	return semid;
}

/* open_sysv, for wait, post and value: the default set must be ours. */
int
open_own_sysv(const struct opts *o, key_t key, int want)
{
	int semid = open_sysv(o, key, want);
	struct semid_ds ds;
	union semun arg;
	char what[32];

	if (o->key != 0 || o->file != NULL)
		return semid;
	arg.buf = &ds;
	if (semctl(semid, 0, IPC_STAT, arg) == -1)
		set_failed("semctl IPC_STAT", key, semid);
	snprintf(what, sizeof(what), "key 0x%08x", (unsigned)key);
	/* An owner may give a set away (IPC_SET); its creator stays. */
	require_own_default(ds.sem_perm.uid != geteuid() ?
	    (long)ds.sem_perm.uid : (long)ds.sem_perm.cuid, what, "key",
	    "ipc-sem --sysv info", "-k KEY");
	return semid;
}
