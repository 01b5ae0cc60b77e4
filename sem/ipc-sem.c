/*
 * ipc-sem - semaphores: a shared counter, named POSIX semaphores between
 * terminals, System V semaphore sets, and what SEM_UNDO is for.
 *
 * Teaches: mmap(2) of a MAP_SHARED|MAP_ANONYMOUS region that forked
 * children share; sem_init(3) with pshared=1 on an unnamed semaphore inside
 * it; sem_wait(3) and sem_post(3) around a critical section, and the lost
 * updates without them; sem_open(3), sem_unlink(3) and the file under
 * /dev/shm; sem_trywait(3), sem_timedwait(3) and sem_getvalue(3); ftok(3),
 * semget(2), semop(2), semtimedop(2) and semctl(2); SEM_UNDO, and what
 * happens to a semaphore whose holder dies.
 *
 * Try:
 *	$ ipc-sem counter
 *	$ ipc-sem -q counter --no-lock -w 4 -n 100000
 *	$ ipc-sem -q counter --sysv -w 4 -n 100000
 *	terminal 1: $ ipc-sem create -V 0; ipc-sem wait
 *	terminal 2: $ ls -l /dev/shm; ipc-sem post; ipc-sem rm
 *	$ ipc-sem --sysv create; ipcs -s; ipc-sem --sysv info
 *	$ ipc-sem --sysv wait; ipc-sem --sysv value; ipc-sem --sysv rm
 *	$ ipc-sem undo
 *	$ strace -f -e trace=semget,semop,semtimedop,semctl,kill ipc-sem -q undo
 *
 * See also: sem_overview(7), sem_init(3), sem_open(3), sem_wait(3),
 * semget(2), semop(2), semctl(2), ftok(3), ipcs(1), ipc-shm(1), ipclab(7)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"

/* The largest value a System V semaphore can hold (SEMVMX in the kernel). */
#define SYSV_VALUE_MAX	32767
/* The project id ftok(3) mixes into this chapter's default key. */
#define SEM_PROJ	's'
/* How often a POSIX wait looks whether its name is still there. */
#define WATCH_SECONDS	0.25

/*
 * The fd argument of a MAP_ANONYMOUS mmap(2): there is no file, and
 * POSIX asks for -1.  A variable rather than a literal only because
 * cppcheck 2.10's posix.cfg wrongly wants mmap's fd to be >= 0.
 */
static int no_file = -1;

struct opts {
	long long	 workers;	/* counter: worker processes */
	long long	 count;		/* counter: increments per worker */
	int		 no_lock;	/* counter --no-lock */
	int		 named;		/* counter --named */
	int		 sysv;		/* System V instead of POSIX */
	const char	*name;		/* -N: POSIX name; NULL: the default */
	key_t		 key;		/* -k: System V key; 0: not given */
	const char	*file;		/* -f: ftok(3) path; NULL: not given */
	int		 proj;		/* -P: ftok(3) project id; 0: not given */
	mode_t		 mode;		/* -m: permissions of a new object */
	long long	 value;		/* -V: initial value; -1: not given */
	int		 try;		/* wait --try */
	double		 timeout;	/* wait, undo: seconds; 0: none */
	int		 no_undo;	/* wait --no-undo */
};

/*
 * semctl(2) takes this union as its fourth argument, and the caller must
 * define it: <sys/sem.h> does not.
 */
union semun {
	int		 val;
	struct semid_ds	*buf;
	unsigned short	*array;
};

/* ------------------------------------------------------------------ */
/* Small helpers: time, the cleanup removers, and the words for errors. */

/* The CLOCK_REALTIME time SECONDS from now, as sem_timedwait(3) wants. */
static struct timespec
realtime_after(double seconds)
{
	struct timespec ts;
	time_t whole = (time_t)seconds;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		err(1, "clock_gettime");
	ts.tv_sec += whole;
	ts.tv_nsec += (long)((seconds - (double)whole) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* A cleanup remover: IPC_RMID the set *ARG holds, unless already gone. */
static void
remove_set(void *arg)
{
	int *semid = arg;

	if (*semid != -1)
		(void)semctl(*semid, 0, IPC_RMID);
	*semid = -1;
}

/* A cleanup remover: sem_unlink the name in ARG, unless already done. */
static void
unlink_name(void *arg)
{
	char *name = arg;

	if (name[0] != '\0')
		(void)sem_unlink(name);
	name[0] = '\0';
}

/* Read one whole byte from FD, retrying EINTR; 0 at end of file. */
static ssize_t
read_byte(int fd, char *c)
{
	ssize_t n;

	for (;;) {
		stop_if_signalled();
		if ((n = read(fd, c, 1)) != -1 || errno != EINTR)
			return n;
	}
}

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
static void __attribute__((noreturn))
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
 * Whose is the set with KEY?  /proc/sysvipc/sem lists every set, with
 * its owner and mode, even to those who may not use it.
 */
static int
sysv_owner(key_t key, long *uid, unsigned *mode)
{
	char line[256];
	long k, u;
	unsigned m;
	FILE *f;
	int found = 0;

	if ((f = fopen("/proc/sysvipc/sem", "re")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%ld %*d %o %*d %ld", &k, &m, &u) == 3 &&
		    (key_t)k == key) {
			*uid = u;
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

/* ------------------------------------------------------------------ */
/* Which semaphore: a POSIX name, or a System V key.                  */

/*
 * The options that pick an object belong to one kind: -N to POSIX,
 * -k, -f and -P to System V.  Refuse a mix before anything is touched.
 */
static void
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

/* The POSIX name: -N, or the per-user default "/ipclab-UID-sem". */
static const char *
posix_name(const struct opts *o, char *buf, size_t len)
{
	if (o->name != NULL)
		return o->name;
	default_posix_name(buf, len, "sem");
	say("no -N: using your default semaphore %s", buf);
	return buf;
}

/*
 * Where Linux keeps a named semaphore: glibc's sem_open("/NAME") is a
 * small file /dev/shm/sem.NAME that every process maps.
 */
static const char *
posix_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "/dev/shm/sem.%s", name + 1);
	return buf;
}

/* sem_open of an existing semaphore failed: say why in plain words. */
static void __attribute__((noreturn))
open_failed(const char *call, const char *name, int is_default)
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

/* Open the existing named semaphore NAME; no O_CREAT, it must be there. */
static sem_t *
open_named(const struct opts *o, const char *name)
{
	sem_t *sem;

	if ((sem = sem_open(name, 0)) == SEM_FAILED)
		open_failed("sem_open", name, o->name == NULL);
	say("sem_open(\"%s\", 0) -> mapped the existing semaphore", name);
	return sem;
}

/* open_named, for wait, post and value: the default must be ours. */
static sem_t *
open_ours(const struct opts *o, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	sem_t *sem = open_named(o, name);

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
static key_t
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

/* semget of an existing set failed: say why in plain words. */
static void __attribute__((noreturn))
semget_failed(const struct opts *o, key_t key)
{
	int e = errno, is_default = o->key == 0 && o->file == NULL;
	char why[160];
	unsigned mode;
	long uid;

	if (e == ENOENT)
		errx(1, "semget key 0x%08x: no such set; make it with "
		    "'ipc-sem --sysv create%s'", (unsigned)key,
		    is_default ? "" : o->file != NULL ? " -f PATH [-P PROJ]" :
		    " -k KEY");
	if (e == EACCES && sysv_owner(key, &uid, &mode))
		errx(1, "semget key 0x%08x: %s (%s)", (unsigned)key,
		    strerror(e), why_denied(uid, mode, is_default ? 'k' : 0,
		    why, sizeof(why)));
	errno = e;
	err(1, "semget key 0x%08x", (unsigned)key);
}

/*
 * Find the existing set with KEY: semget with no IPC_CREAT.  WANT asks
 * for permissions now (0400 to read, 0600 to read and alter), so that a
 * set we may not use is refused here, by key, and not later.
 */
static int
open_set(const struct opts *o, key_t key, int want)
{
	int semid;

	if ((semid = semget(key, 0, want)) == -1)
		semget_failed(o, key);
	say("semget(0x%08x, 0, %04o) -> semid %d: the existing set",
	    (unsigned)key, (unsigned)want, semid);
	return semid;
}

/*
 * An operation on a set failed.  A set removed under us (EIDRM while we
 * slept, EINVAL for an id that is gone) ends the program with a clear
 * message rather than a retry.
 */
static void __attribute__((noreturn))
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

/* open_set, for wait, post and value: the default set must be ours. */
static int
open_set_ours(const struct opts *o, key_t key, int want)
{
	int semid = open_set(o, key, want);
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

/* ------------------------------------------------------------------ */
/* counter                                                            */

/*
 * What the workers share.  It lives in one MAP_SHARED|MAP_ANONYMOUS
 * mapping made before fork(), so every worker sees the same bytes; the
 * default lock is an unnamed semaphore right beside the count.
 */
struct counter {
	sem_t		 sem;
	long long	 cnt;
};

enum lock_kind { LOCK_NONE, LOCK_UNNAMED, LOCK_NAMED, LOCK_SYSV };

struct lock {
	enum lock_kind	 kind;
	sem_t		*sem;		/* LOCK_UNNAMED, LOCK_NAMED */
	int		 semid;		/* LOCK_SYSV */
};

/* P, "down": take the lock, sleeping while another worker holds it. */
static void
take(const struct lock *l)
{
	struct sembuf down = { 0, -1, SEM_UNDO };

	switch (l->kind) {
	case LOCK_NONE:
		break;
	case LOCK_UNNAMED:
	case LOCK_NAMED:
		while (sem_wait(l->sem) == -1) {
			if (errno != EINTR)
				err(1, "sem_wait");
			stop_if_signalled();
		}
		break;
	case LOCK_SYSV:
		while (semop(l->semid, &down, 1) == -1) {
			if (errno != EINTR)
				set_failed("semop", IPC_PRIVATE, l->semid);
			stop_if_signalled();
		}
		break;
	}
}

/* V, "up": give the lock back, waking one sleeper if there is one. */
static void
give(const struct lock *l)
{
	struct sembuf up = { 0, 1, SEM_UNDO };

	switch (l->kind) {
	case LOCK_NONE:
		break;
	case LOCK_UNNAMED:
	case LOCK_NAMED:
		if (sem_post(l->sem) == -1)
			err(1, "sem_post");
		break;
	case LOCK_SYSV:
		/* An up never sleeps, but a signal may still interrupt it. */
		while (semop(l->semid, &up, 1) == -1) {
			if (errno != EINTR)
				set_failed("semop", IPC_PRIVATE, l->semid);
			stop_if_signalled();
		}
		break;
	}
}

/*
 * One worker: COUNT times, cnt++ under the lock.  cnt++ is three steps
 * (read, add, write), and the sched_yield() between the read and the
 * write invites another worker to run there, so a race that might hide
 * on an idle machine shows up every time, even on one or two cores.
 * Under the lock the yield is harmless: nobody else may enter.
 */
static void
work(struct counter *c, const struct lock *l, long long count)
{
	volatile long long *cnt = &c->cnt;
	long long i, v;

	for (i = 0; i < count; i++) {
		stop_if_signalled();
		take(l);
		v = *cnt;
		(void)sched_yield();
		*cnt = v + 1;
		give(l);
	}
}

/*
 * counter: WORKERS processes each add 1 to a shared count COUNT times.
 * With a semaphore as a lock the total is exact; --no-lock loses updates.
 */
static int
cmd_counter(struct opts *o, int argc, char **argv)
{
	static char name[NAME_MAX + 1];
	static int semid = -1;
	static char role[32];
	union semun arg;
	struct counter *c;
	struct lock l;
	long long w, total, expected = o->workers * o->count;
	pid_t parent = getpid(), *pids;
	int gate[2];
	char byte;

	(void)argv;
	if (argc > 0)
		usage_error("counter takes no arguments");
	if (o->no_lock + o->named + o->sysv > 1)
		usage_error("counter: choose one of --no-lock, --named and "
		    "--sysv");
	if ((pids = calloc((size_t)o->workers, sizeof(*pids))) == NULL)
		err(1, "calloc");
	narrate_role("parent");

	/* One shared page: what a child writes there, the parent sees. */
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, no_file, 0);
	if (c == MAP_FAILED)
		err(1, "mmap");
	say("mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, "
	    "-1, 0) -> %p: shared with every child forked from now on; cnt starts "
	    "at 0", sizeof(*c), (void *)c);

	memset(&l, 0, sizeof(l));
	if (o->no_lock) {
		l.kind = LOCK_NONE;
		say("--no-lock: the workers do cnt++ with no lock at all");
	} else if (o->named) {
		/* A name of our own (it carries our pid): no other run meets it. */
		l.kind = LOCK_NAMED;
		private_posix_name(name, sizeof(name), "counter");
		l.sem = sem_open(name, O_CREAT | O_EXCL, 0600, 1);
		if (l.sem == SEM_FAILED)
			err(1, "sem_open %s", name);
		at_exit_call(unlink_name, name);
		say("sem_open(\"%s\", O_CREAT|O_EXCL, 0600, 1) -> a named "
		    "semaphore, the file /dev/shm/sem.%s; the children inherit "
		    "its mapping", name, name + 1);
	} else if (o->sysv) {
		/* IPC_PRIVATE: a new set no other process can find by key. */
		l.kind = LOCK_SYSV;
		if ((semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600)) == -1) {
			if (errno == ENOSPC)
				semget_nospace(IPC_PRIVATE);
			err(1, "semget IPC_PRIVATE");
		}
		at_exit_call(remove_set, &semid);
		l.semid = semid;
		arg.val = 1;
		if (semctl(semid, 0, SETVAL, arg) == -1)
			set_failed("semctl SETVAL", IPC_PRIVATE, semid);
		say("semget(IPC_PRIVATE, 1, 0600) -> semid %d; semctl(SETVAL, 1)"
		    ": a System V set of one semaphore, value 1; workers use "
		    "SEM_UNDO", semid);
	} else {
		/* pshared=1: processes, not threads, will share it. */
		l.kind = LOCK_UNNAMED;
		l.sem = &c->sem;
		if (sem_init(&c->sem, 1, 1) == -1)
			err(1, "sem_init");
		say("sem_init(&c->sem, pshared=1, 1): an unnamed semaphore "
		    "inside the shared mapping, value 1: a lock");
	}

	/*
	 * A gate: each worker blocks reading a pipe until the parent closes
	 * the write end, so all of them start together, not one by one as
	 * fork() makes them.  Otherwise a quick worker could finish before
	 * the next one exists, and no race would show.
	 */
	if (pipe(gate) == -1)
		err(1, "pipe");
	for (w = 0; w < o->workers; w++) {
		if ((pids[w] = fork()) == -1)
			err(1, "fork");
		if (pids[w] == 0) {
			/* Each child has its own copy of role[]. */
			snprintf(role, sizeof(role), "worker %d", (int)w + 1);
			narrate_role(role);
			die_with_parent(parent, SIGKILL);
			if (close(gate[1]) == -1)
				err(1, "close");
			if (read_byte(gate[0], &byte) == -1)
				err(1, "read(gate)");
			say("the gate opened: %lld increments start", o->count);
			work(c, &l, o->count);
			say("done: %lld increments", o->count);
			free(pids);	/* the parent's list; a copy here */
			_exit(0);
		}
		at_exit_stop_child(pids[w]);
	}
	say("forked %lld workers; each will do cnt++ %lld times (read, "
	    "sched_yield, write)%s", o->workers, o->count,
	    o->no_lock ? "" : " holding the semaphore");
	if (close(gate[0]) == -1 || close(gate[1]) == -1)
		err(1, "close");
	say("close(gate): the workers start together");
	for (w = 0; w < o->workers; w++)
		require_success(reap(pids[w], "worker"), "worker");

	total = c->cnt;
	printf("Total count: %lld, Expected: %lld\n", total, expected);
	if (o->no_lock)
		printf("Lost updates: %lld%s\n", expected - total,
		    total == expected ? " (the workers never collided this "
		    "time; run it again, or raise -n)" : " (workers read the "
		    "same value, and each wrote back that value plus one)");

	/* Tear down what we made, in plain sight. */
	if (l.kind == LOCK_UNNAMED) {
		if (sem_destroy(&c->sem) == -1)
			err(1, "sem_destroy");
		say("sem_destroy(&c->sem)");
	} else if (l.kind == LOCK_NAMED) {
		if (sem_close(l.sem) == -1)
			err(1, "sem_close %s", name);
		/*
		 * Someone may have removed the name meanwhile (rm in
		 * /dev/shm, logind's RemoveIPC): the workers kept their
		 * mapping and never noticed, and there is nothing left to do.
		 */
		if (sem_unlink(name) == -1 && errno != ENOENT)
			err(1, "sem_unlink %s", name);
		say("sem_close, sem_unlink(\"%s\"): the name is gone", name);
		name[0] = '\0';
	} else if (l.kind == LOCK_SYSV) {
		if (semctl(semid, 0, IPC_RMID) == -1)
			set_failed("semctl IPC_RMID", IPC_PRIVATE, semid);
		say("semctl(%d, 0, IPC_RMID): the set is gone", semid);
		semid = -1;
	}
	if (munmap(c, sizeof(*c)) == -1)
		err(1, "munmap");
	free(pids);
	if (!o->no_lock && total != expected)
		errx(1, "%lld updates were lost although every worker held the "
		    "semaphore", expected - total);
	return 0;
}

/* ------------------------------------------------------------------ */
/* create, wait, post, value, info, rm: one semaphore, many terminals. */

/*
 * create: make the semaphore with an initial VALUE (default 1).  It
 * stays in the kernel after we exit, until rm removes it.
 */
static int
cmd_create(struct opts *o, int argc, char **argv)
{
	long long value = o->value >= 0 ? o->value : 1;
	char buf[NAME_MAX + 1], path[PATH_MAX];
	union semun arg;
	const char *name;
	mode_t old;
	key_t key;
	sem_t *sem;
	int semid;

	(void)argv;
	if (argc > 0)
		usage_error("create takes no arguments");
	check_kind(o, "create");
	if (o->sysv && value > SYSV_VALUE_MAX)
		usage_error("-V: %lld is above %d, the largest value of a "
		    "System V semaphore (SEMVMX)", value, SYSV_VALUE_MAX);

	if (o->sysv) {
		key = sysv_key(o);
		/* IPC_EXCL: fail rather than take over a set that is there. */
		semid = semget(key, 1, IPC_CREAT | IPC_EXCL | (int)o->mode);
		if (semid == -1 && errno == EEXIST)
			errx(1, "semget key 0x%08x: a set with this key exists "
			    "already ('ipc-sem --sysv info' shows it, 'ipc-sem "
			    "--sysv rm' removes it)", (unsigned)key);
		if (semid == -1 && errno == ENOSPC)
			semget_nospace(key);
		if (semid == -1)
			err(1, "semget key 0x%08x", (unsigned)key);
		say("semget(0x%08x, 1, IPC_CREAT|IPC_EXCL|%04o) -> semid %d: a "
		    "set of one semaphore, value 0 for now", (unsigned)key,
		    (unsigned)o->mode, semid);
		/*
		 * A new set starts at 0 and only SETVAL gives it a value:
		 * two calls, and another process could use the set between
		 * them.  sem_open(3) sets the value in the same call.
		 */
		arg.val = (int)value;
		if (semctl(semid, 0, SETVAL, arg) == -1)
			set_failed("semctl SETVAL", key, semid);
		say("semctl(%d, 0, SETVAL, %lld): the value is set; the set "
		    "stays until 'ipc-sem --sysv rm' (see 'ipcs -s')", semid,
		    value);
		return 0;
	}

	name = posix_name(o, buf, sizeof(buf));
	/*
	 * The kernel filters sem_open's mode through the umask (System V
	 * ignores it); clear the umask for this one call so -m means what
	 * it says.
	 */
	old = umask(0);
	sem = sem_open(name, O_CREAT | O_EXCL, o->mode, (unsigned)value);
	(void)umask(old);
	if (sem == SEM_FAILED && errno == EEXIST)
		errx(1, "sem_open %s: it exists already ('ipc-sem value%s%s' "
		    "reads it, 'ipc-sem rm%s%s' removes it)", name,
		    o->name ? " -N " : "", o->name ? name : "",
		    o->name ? " -N " : "", o->name ? name : "");
	if (sem == SEM_FAILED)
		err(1, "sem_open %s", name);
	say("sem_open(\"%s\", O_CREAT|O_EXCL, %04o, %lld) -> created; it is "
	    "the file %s and stays until 'ipc-sem rm'", name,
	    (unsigned)o->mode, value, posix_path(path, sizeof(path), name));
	if (sem_close(sem) == -1)
		err(1, "sem_close %s", name);
	return 0;
}

/* wait, POSIX: sem_trywait, or sem_timedwait in watchful slices. */
static int
wait_posix(struct opts *o)
{
	struct timespec deadline = { 0, 0 }, slice;	/* deadline: with -t */
	char buf[NAME_MAX + 1], path[PATH_MAX];
	struct stat was, st;
	const char *name;
	int watch, value;
	sem_t *sem;

	name = posix_name(o, buf, sizeof(buf));
	sem = open_ours(o, name);
	posix_path(path, sizeof(path), name);
	/* Remember which file we opened, to notice when it is removed. */
	watch = stat(path, &was) == 0;

	if (o->try) {
		/* sem_trywait never sleeps: EAGAIN when the value is 0. */
		while (sem_trywait(sem) == -1) {
			if (errno == EAGAIN)
				errx(1, "sem_trywait %s: the value is 0, and "
				    "--try does not wait (EAGAIN)", name);
			if (errno != EINTR)
				err(1, "sem_trywait %s", name);
			stop_if_signalled();
		}
		say("sem_trywait(\"%s\") -> 0: took one unit", name);
		goto taken;
	}

	/*
	 * sem_timedwait sleeps until the value is above 0 and takes one, or
	 * until the deadline.  Removing a name sends its waiters no sign, so
	 * we sleep in slices and look between them whether the name is
	 * still there: a waiter for a semaphore nobody can open any more
	 * would otherwise sleep for ever.
	 */
	if (o->timeout > 0) {
		deadline = realtime_after(o->timeout);
		say("sem_timedwait(\"%s\", now + %g s): sleeps until a post, "
		    "or gives up with ETIMEDOUT", name, o->timeout);
	} else {
		say("sem_timedwait(\"%s\"): sleeps until a post (it wakes "
		    "every %g s only to check that %s is still there)", name,
		    WATCH_SECONDS, path);
	}
	for (;;) {
		stop_if_signalled();
		slice = realtime_after(WATCH_SECONDS);
		if (o->timeout > 0 && ts_before(&deadline, &slice))
			slice = deadline;
		if (sem_timedwait(sem, &slice) == 0)
			break;
		if (errno == EINTR) {
			say("sem_timedwait -> EINTR (a signal, or Ctrl-Z then "
			    "fg): waiting again");
			continue;
		}
		if (errno != ETIMEDOUT)
			err(1, "sem_timedwait %s", name);
		if (o->timeout > 0 && !ts_before(&slice, &deadline))
			errx(1, "sem_timedwait %s: timed out (ETIMEDOUT): no "
			    "post came within %g seconds", name, o->timeout);
		if (watch && (stat(path, &st) == -1 ? errno == ENOENT :
		    st.st_ino != was.st_ino || st.st_dev != was.st_dev)) {
			/* A post may have come just before the removal. */
			if (sem_trywait(sem) == 0)
				break;
			errx(1, "sem_timedwait %s: the semaphore was removed "
			    "while we waited ('ipc-sem rm', sem_unlink, or "
			    "logind's RemoveIPC at logout): nobody can open "
			    "it to post any more", name);
		}
	}
	say("sem_timedwait -> 0: a unit was there, and it is ours");
taken:
	if (sem_getvalue(sem, &value) == -1)
		err(1, "sem_getvalue %s", name);
	say("the value is now %d; nothing gives the unit back but a post",
	    value);
	if (sem_close(sem) == -1)
		err(1, "sem_close %s", name);
	return 0;
}

/* wait, System V: semop, or semtimedop, minus one, with SEM_UNDO. */
static int
wait_sysv(struct opts *o)
{
	struct sembuf op = { 0, -1, SEM_UNDO };
	double deadline = now() + o->timeout, left;
	struct timespec ts;
	int semid, r;
	key_t key;

	key = sysv_key(o);
	semid = open_set_ours(o, key, 0600);
	if (o->no_undo)
		op.sem_flg = 0;
	/* IPC_NOWAIT: fail with EAGAIN rather than sleep. */
	if (o->try)
		op.sem_flg |= IPC_NOWAIT;
	say("%s(%d, {sem 0, op -1, %s}): takes one unit%s", o->timeout > 0 ?
	    "semtimedop" : "semop", semid, o->try ? (o->no_undo ?
	    "IPC_NOWAIT" : "SEM_UNDO|IPC_NOWAIT") : (o->no_undo ? "0" :
	    "SEM_UNDO"), o->try ? ", or fails at once if the value is 0" :
	    o->timeout > 0 ? ", sleeping at most the timeout" :
	    ", sleeping until the value is above 0");
	for (;;) {
		stop_if_signalled();
		if (o->timeout > 0) {
			/* After EINTR, only what is left of the timeout. */
			if ((left = deadline - now()) < 0)
				left = 0;
			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
			r = semtimedop(semid, &op, 1, &ts);
		} else {
			r = semop(semid, &op, 1);
		}
		if (r == 0)
			break;
		if (errno == EINTR) {
			say("semop -> EINTR (a signal, or Ctrl-Z then fg): "
			    "waiting again");
			continue;
		}
		if (errno == EAGAIN && o->try)
			errx(1, "semop key 0x%08x: the value is 0, and --try "
			    "does not wait (EAGAIN)", (unsigned)key);
		if (errno == EAGAIN)
			errx(1, "semtimedop key 0x%08x: timed out (EAGAIN): no "
			    "post came within %g seconds", (unsigned)key,
			    o->timeout);
		set_failed("semop", key, semid);
	}
	if ((r = semctl(semid, 0, GETVAL)) == -1)
		set_failed("semctl GETVAL", key, semid);
	if (o->no_undo)
		say("semop -> 0: took one unit; the value is now %d and stays "
		    "so until a post", r);
	else
		say("semop -> 0: took one unit, value now %d; but SEM_UNDO "
		    "gives it back the moment this process exits, so the "
		    "value is at once %d again (--no-undo keeps it taken)",
		    r, r + 1);
	return 0;
}

/*
 * wait: take one unit, sleeping while the value is 0.  Another
 * terminal's post wakes us.
 */
static int
cmd_wait(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("wait takes no arguments");
	check_kind(o, "wait");
	if (o->try && o->timeout > 0)
		usage_error("wait: choose --try or --timeout, not both");
	if (o->no_undo && !o->sysv)
		usage_error("wait: --no-undo is for --sysv; POSIX semaphores "
		    "have no undo");
	return o->sysv ? wait_sysv(o) : wait_posix(o);
}

/* post: add one unit, waking one sleeper if there is one. */
static int
cmd_post(struct opts *o, int argc, char **argv)
{
	struct sembuf op = { 0, 1, 0 };
	char buf[NAME_MAX + 1];
	const char *name;
	int semid, value;
	sem_t *sem;
	key_t key;

	(void)argv;
	if (argc > 0)
		usage_error("post takes no arguments");
	check_kind(o, "post");
	if (o->sysv) {
		key = sysv_key(o);
		semid = open_set_ours(o, key, 0600);
		/* No SEM_UNDO: the unit we add must outlive us. */
		while (semop(semid, &op, 1) == -1) {
			if (errno == ERANGE)
				errx(1, "semop key 0x%08x: %s (the value is "
				    "already %d, SEMVMX)", (unsigned)key,
				    strerror(ERANGE), SYSV_VALUE_MAX);
			if (errno != EINTR)
				set_failed("semop", key, semid);
			stop_if_signalled();
		}
		if ((value = semctl(semid, 0, GETVAL)) == -1)
			set_failed("semctl GETVAL", key, semid);
		say("semop(%d, {sem 0, op +1, 0}) -> 0: the value is now %d "
		    "(a waiter, if any, has taken the unit already; no "
		    "SEM_UNDO, so what we added stays after we exit)", semid,
		    value);
		return 0;
	}
	name = posix_name(o, buf, sizeof(buf));
	sem = open_ours(o, name);
	if (sem_post(sem) == -1) {
		if (errno == EOVERFLOW)
			errx(1, "sem_post %s: %s (the value is already %d, "
			    "SEM_VALUE_MAX)", name, strerror(EOVERFLOW),
			    SEM_VALUE_MAX);
		err(1, "sem_post %s", name);
	}
	if (sem_getvalue(sem, &value) == -1)
		err(1, "sem_getvalue %s", name);
	say("sem_post(\"%s\") -> 0: the value is now %d (a waiter, if any, "
	    "has taken the unit already)", name, value);
	if (sem_close(sem) == -1)
		err(1, "sem_close %s", name);
	return 0;
}

/* value: print the semaphore's value, a number alone on a line. */
static int
cmd_value(struct opts *o, int argc, char **argv)
{
	char buf[NAME_MAX + 1];
	const char *name;
	int semid, value;
	sem_t *sem;
	key_t key;

	(void)argv;
	if (argc > 0)
		usage_error("value takes no arguments");
	check_kind(o, "value");
	if (o->sysv) {
		key = sysv_key(o);
		semid = open_set_ours(o, key, 0400);
		if ((value = semctl(semid, 0, GETVAL)) == -1)
			set_failed("semctl GETVAL", key, semid);
		say("semctl(%d, 0, GETVAL) -> %d", semid, value);
	} else {
		name = posix_name(o, buf, sizeof(buf));
		sem = open_ours(o, name);
		if (sem_getvalue(sem, &value) == -1)
			err(1, "sem_getvalue %s", name);
		say("sem_getvalue(\"%s\") -> %d", name, value);
		if (sem_close(sem) == -1)
			err(1, "sem_close %s", name);
	}
	printf("%d\n", value);
	return 0;
}

/* info: what the kernel knows about the semaphore. */
static int
cmd_info(struct opts *o, int argc, char **argv)
{
	char buf[NAME_MAX + 1], path[PATH_MAX], t1[32], t2[32];
	struct semid_ds ds;
	union semun arg;
	struct stat st;
	const char *name;
	int semid, value, pid, ncnt, zcnt;
	sem_t *sem;
	key_t key;

	(void)argv;
	if (argc > 0)
		usage_error("info takes no arguments");
	check_kind(o, "info");
	if (o->sysv) {
		key = sysv_key(o);
		semid = open_set(o, key, 0400);
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
	name = posix_name(o, buf, sizeof(buf));
	sem = open_named(o, name);
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

/*
 * rm: remove the semaphore.  A System V set goes at once and its
 * sleepers wake with EIDRM; a POSIX name goes, but processes that have
 * it open keep using it until they close it.
 */
static int
cmd_rm(struct opts *o, int argc, char **argv)
{
	char buf[NAME_MAX + 1];
	const char *name;
	int semid;
	key_t key;

	(void)argv;
	if (argc > 0)
		usage_error("rm takes no arguments");
	check_kind(o, "rm");
	if (o->sysv) {
		key = sysv_key(o);
		semid = open_set(o, key, 0600);
		if (semctl(semid, 0, IPC_RMID) == -1) {
			if (errno == EPERM)
				errx(1, "semctl IPC_RMID key 0x%08x: %s (only "
				    "the set's owner, its creator or root may "
				    "remove it)", (unsigned)key,
				    strerror(EPERM));
			set_failed("semctl IPC_RMID", key, semid);
		}
		say("semctl(%d, 0, IPC_RMID) -> 0: the set is gone; anyone "
		    "sleeping in semop on it wakes with EIDRM", semid);
		return 0;
	}
	name = posix_name(o, buf, sizeof(buf));
	if (sem_unlink(name) == -1)
		open_failed("sem_unlink", name, o->name == NULL);
	say("sem_unlink(\"%s\") -> 0: the name is gone; processes that have "
	    "it open may go on using it", name);
	return 0;
}

/* ------------------------------------------------------------------ */
/* undo: what becomes of a semaphore whose holder is killed.           */

/* The child's half of undo: tell the parent it holds the unit, then wait to die. */
static void __attribute__((noreturn))
hold_until_killed(int fd)
{
	ssize_t n;

	/* A signal may interrupt the write before it starts: again. */
	while ((n = write(fd, "x", 1)) == -1 && errno == EINTR)
		stop_if_signalled();
	if (n != 1)
		err(1, "write(ready)");
	for (;;) {
		(void)pause();
		stop_if_signalled();
	}
}

/* The parent's half: wait until the child holds the unit, then SIGKILL it. */
static void
kill_holder(pid_t pid, int ready[2])
{
	char byte, how[96];
	int status;

	if (close(ready[1]) == -1)
		err(1, "close");
	if (read_byte(ready[0], &byte) != 1)
		errx(1, "the child ended before it took the unit");
	if (close(ready[0]) == -1)
		err(1, "close");
	/* SIGKILL: no handler, no cleanup, no chance to post. */
	if (kill(pid, SIGKILL) == -1)
		err(1, "kill %ld", (long)pid);
	say("kill(%ld, SIGKILL): the holder dies without posting", (long)pid);
	status = reap(pid, "child");
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		errx(1, "the child %s, not killed by SIGKILL", describe_status(
		    status, how, sizeof(how)));
}

/* One line of undo's report; returns 1 when the value came back. */
static int
report_undo(const char *what, int value, int waited, double t)
{
	char wait_words[64];

	if (waited)
		snprintf(wait_words, sizeof(wait_words), "a timed wait "
		    "succeeds at once");
	else
		snprintf(wait_words, sizeof(wait_words), "a timed wait of "
		    "%g s times out", t);
	printf("%-22s holder killed; value %d, %s: %s\n", what, value,
	    wait_words, value > 0 || waited ? "the kernel gave the unit back" :
	    "the unit is lost for good");
	return value > 0 && waited;
}

/*
 * undo, System V: in a new set of value 1, a child takes the unit with
 * SEM_UNDO (or without) and is killed; then the parent looks at the
 * value and tries a timed wait.  Returns 1 if the unit came back.
 */
static int
undo_sysv(int flags, double t)
{
	static int semids[2] = { -1, -1 };
	int *semid = &semids[flags == SEM_UNDO], ready[2], value, waited;
	struct sembuf down = { 0, -1, 0 };
	struct timespec ts;
	union semun arg;
	pid_t parent = getpid(), pid;

	if ((*semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600)) == -1) {
		if (errno == ENOSPC)
			semget_nospace(IPC_PRIVATE);
		err(1, "semget IPC_PRIVATE");
	}
	at_exit_call(remove_set, semid);
	arg.val = 1;
	if (semctl(*semid, 0, SETVAL, arg) == -1)
		set_failed("semctl SETVAL", IPC_PRIVATE, *semid);
	say("semget(IPC_PRIVATE) -> semid %d, value 1; the child will take "
	    "it %s", *semid, flags == SEM_UNDO ? "with SEM_UNDO" :
	    "without SEM_UNDO");
	if (pipe(ready) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("child");
		die_with_parent(parent, SIGKILL);
		if (close(ready[0]) == -1)
			err(1, "close");
		down.sem_flg = (short)flags;
		while (semop(*semid, &down, 1) == -1) {
			if (errno != EINTR)
				set_failed("semop", IPC_PRIVATE, *semid);
			stop_if_signalled();
		}
		if (flags == SEM_UNDO)
			say("semop(%d, {0, -1, SEM_UNDO}) -> 0: I hold the "
			    "unit, and the kernel notes +1 to give back when "
			    "I exit (my semadj)", *semid);
		else
			say("semop(%d, {0, -1, 0}) -> 0: I hold the unit; "
			    "nobody notes it", *semid);
		hold_until_killed(ready[1]);
	}
	at_exit_stop_child(pid);
	kill_holder(pid, ready);
	if ((value = semctl(*semid, 0, GETVAL)) == -1)
		set_failed("semctl GETVAL", IPC_PRIVATE, *semid);
	say("semctl(%d, 0, GETVAL) -> %d after the holder died%s", *semid,
	    value, flags == SEM_UNDO ? ": the kernel applied its semadj" :
	    "");
	/* Now try to take it ourselves, waiting at most T seconds. */
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	down.sem_flg = 0;
	while ((waited = semtimedop(*semid, &down, 1, &ts)) == -1 &&
	    errno == EINTR)
		stop_if_signalled();
	if (waited == -1 && errno != EAGAIN)
		set_failed("semtimedop", IPC_PRIVATE, *semid);
	say("semtimedop(%d, {0, -1, 0}, %g s) -> %s", *semid, t,
	    waited == 0 ? "0: took it" : "EAGAIN: timed out");
	if (semctl(*semid, 0, IPC_RMID) == -1)
		set_failed("semctl IPC_RMID", IPC_PRIVATE, *semid);
	*semid = -1;
	return report_undo(flags == SEM_UNDO ? "System V, SEM_UNDO:" :
	    "System V, no SEM_UNDO:", value, waited == 0, t);
}

/*
 * undo, POSIX: the same with an unnamed semaphore in a shared mapping.
 * POSIX semaphores have no undo, named or not.
 */
static int
undo_posix(double t)
{
	struct timespec deadline;
	int ready[2], value, r;
	sem_t *sem;
	pid_t parent = getpid(), pid;

	sem = mmap(NULL, sizeof(*sem), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, no_file, 0);
	if (sem == MAP_FAILED)
		err(1, "mmap");
	if (sem_init(sem, 1, 1) == -1)
		err(1, "sem_init");
	say("sem_init(pshared=1, 1) in a shared mapping; the child will take "
	    "it with sem_wait");
	if (pipe(ready) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("child");
		die_with_parent(parent, SIGKILL);
		if (close(ready[0]) == -1)
			err(1, "close");
		while (sem_wait(sem) == -1) {
			if (errno != EINTR)
				err(1, "sem_wait");
			stop_if_signalled();
		}
		say("sem_wait -> 0: I hold the unit; POSIX keeps no note of "
		    "who took it");
		hold_until_killed(ready[1]);
	}
	at_exit_stop_child(pid);
	kill_holder(pid, ready);
	if (sem_getvalue(sem, &value) == -1)
		err(1, "sem_getvalue");
	say("sem_getvalue -> %d after the holder died", value);
	deadline = realtime_after(t);
	while ((r = sem_timedwait(sem, &deadline)) == -1 && errno == EINTR)
		stop_if_signalled();
	if (r == -1 && errno != ETIMEDOUT)
		err(1, "sem_timedwait");
	say("sem_timedwait(now + %g s) -> %s", t, r == 0 ? "0: took it" :
	    "ETIMEDOUT: timed out");
	if (sem_destroy(sem) == -1)
		err(1, "sem_destroy");
	if (munmap(sem, sizeof(*sem)) == -1)
		err(1, "munmap");
	return report_undo("POSIX, sem_wait:", value, r == 0, t);
}

/*
 * undo: three times, a child takes a semaphore of value 1 and is killed
 * holding it.  Only System V with SEM_UNDO gets the unit back.
 */
static int
cmd_undo(struct opts *o, int argc, char **argv)
{
	double t = o->timeout > 0 ? o->timeout : 0.5;
	int with, without, posix;

	(void)argv;
	if (argc > 0)
		usage_error("undo takes no arguments");
	narrate_role("parent");
	with = undo_sysv(SEM_UNDO, t);
	without = undo_sysv(0, t);
	posix = undo_posix(t);
	if (!with || without || posix)
		errx(1, "undo: the kernel did not do what semop(2) and "
		    "sem_overview(7) describe");
	return 0;
}

/* ------------------------------------------------------------------ */

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'L':
		o->no_lock = 1;
		break;
	case 'N':
		o->name = parse_posix_name("-N", arg);
		break;
	case 'O':
		o->named = 1;
		break;
	case 'P':
		o->proj = parse_proj(arg);
		break;
	case 'S':
		o->sysv = 1;
		break;
	case 'T':
		o->try = 1;
		break;
	case 'U':
		o->no_undo = 1;
		break;
	case 'V':
		o->value = parse_count("-V", arg, 0, SEM_VALUE_MAX);
		break;
	case 'f':
		o->file = arg;
		break;
	case 'k':
		o->key = parse_key("-k", arg);
		break;
	case 'm':
		o->mode = parse_mode("-m", arg);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.001, 86400);
		break;
	case 'w':
		o->workers = parse_count("-w", arg, 1, 64);
		break;
	}
}

static const struct command commands[] = {
	{ "counter", cmd_counter, "LOSnw",
	  "[-w W] [-n N] [--no-lock | --named | --sysv]",
	  "workers add to a shared count under a semaphore" },
	{ "create", cmd_create, "NPSfkmV", "[-V VALUE] [-m MODE]",
	  "make the named semaphore (or --sysv set), value 1" },
	{ "wait", cmd_wait, "NPSTUfkt", "[--try | -t S] [--no-undo]",
	  "take one unit, sleeping while the value is 0" },
	{ "post", cmd_post, "NPSfk", "",
	  "add one unit, waking one waiter" },
	{ "value", cmd_value, "NPSfk", "",
	  "print the semaphore's value" },
	{ "info", cmd_info, "NPSfk", "",
	  "what the kernel knows: key, owner, mode, value..." },
	{ "rm", cmd_rm, "NPSfk", "",
	  "remove the semaphore" },
	{ "undo", cmd_undo, "t", "[-t S]",
	  "a holder is killed: SEM_UNDO gives the unit back" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_help option_help[] = {
	{ 'L', "--no-lock", "counter: no semaphore; updates get lost" },
	{ 'N', "-N, --name /NAME", "the POSIX semaphore (/ipclab-UID-sem)" },
	{ 'O', "--named", "counter: lock with a named semaphore" },
	{ 'P', "-P, --proj PROJ", "--sysv: ftok project id (s)" },
	{ 'S', "--sysv", "a System V semaphore set instead of POSIX" },
	{ 'T', "--try", "wait: fail at once if the value is 0" },
	{ 'U', "--no-undo", "wait --sysv: no SEM_UNDO; the unit stays taken" },
	{ 'V', "-V, --value VALUE", "create: the initial value (1)" },
	{ 'f', "-f, --file PATH", "--sysv: the key is ftok(PATH, PROJ)" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'k', "-k, --key KEY", "--sysv: the set's key (ftok of your run "
	  "directory)" },
	{ 'm', "-m, --mode MODE", "create: permissions, octal (600)" },
	{ 'n', "-n, --count N", "counter: increments per worker (1000)" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 't', "-t, --timeout S", "wait: give up after S seconds; undo: the "
	  "timed wait (0.5)" },
	{ 'w', "-w, --workers W", "counter: worker processes (2)" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "file", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "key", required_argument, NULL, 'k' },
	{ "mode", required_argument, NULL, 'm' },
	{ "name", required_argument, NULL, 'N' },
	{ "named", no_argument, NULL, 'O' },
	{ "no-lock", no_argument, NULL, 'L' },
	{ "no-undo", no_argument, NULL, 'U' },
	{ "proj", required_argument, NULL, 'P' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "sysv", no_argument, NULL, 'S' },
	{ "timeout", required_argument, NULL, 't' },
	{ "try", no_argument, NULL, 'T' },
	{ "value", required_argument, NULL, 'V' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "workers", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"Semaphores: a shared counter, named and System V semaphores, "
	"SEM_UNDO.",
	"N:P:V:f:hk:m:n:qt:w:", longopts, commands, option_help, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.workers = 2;
	o.count = 1000;
	o.mode = 0600;
	o.value = -1;
	return run_program(&program, &o, argc, argv);
}
