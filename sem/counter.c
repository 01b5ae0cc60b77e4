/*
 * counter.c - processes share a count in memory, and a semaphore keeps
 * their cnt++ from losing updates.
 *
 * The classic: the shared counter of seed 004 and of every course on
 * semaphores.  A struct with a sem_t and a count lives in a
 * MAP_SHARED|MAP_ANONYMOUS mapping made before fork(), so the children
 * share it; sem_init(pshared=1) makes the sem_t a lock between
 * processes; each child does sem_wait, cnt++, sem_post; the parent
 * waits for them and prints the total.  cmd_counter and work are that
 * (gate.c starts the workers together, so that they race).  Each kind
 * of lock is four small functions (make, take, give, destroy): the
 * classic's unnamed semaphore first, then the variants, no lock at all
 * (--no-lock), a named semaphore (--named) and a System V set (--sysv).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* The fd of a MAP_ANONYMOUS mmap (ipc-sem.h says why a variable). */
int no_file = -1;

/*
 * What the workers share: the count, and the classic's lock right beside
 * it, in one mapping every worker sees.
 */
struct counter {
	sem_t		 sem;
	long long	 cnt;
};

/* A lock: make it, take it (P, "down"), give it back (V, "up"), destroy it. */
struct lock {
	void	(*make)(struct counter *);
	void	(*take)(struct counter *);
	void	(*give)(struct counter *);
	void	(*destroy)(struct counter *);
};

/* The classic's lock and the variants', defined at the end of the file. */
static const struct lock lock_unnamed, lock_none, lock_named, lock_sysv;

static void work(struct counter *, const struct lock *, long long count,
    int n, const int gate[2], pid_t parent) __attribute__((noreturn));

/*
 * counter: WORKERS processes each add 1 to a shared count COUNT times.
 * With a semaphore as a lock the total is exact; --no-lock loses updates.
 */
int
cmd_counter(struct opts *o, int argc, char **argv)
{
	long long w, total, expected = o->workers * o->count;
	pid_t parent = getpid(), pids[WORKERS_MAX];
	const struct lock *l;
	struct counter *c;
	int gate[2], status;

	(void)argv;
	check_counter(o, argc);
	l = o->no_lock ? &lock_none : o->named ? &lock_named :
	    o->sysv ? &lock_sysv : &lock_unnamed;
	narrate_role("parent");

	/* One shared page: what a child writes there, the parent sees. */
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, no_file, 0);
	if (c == MAP_FAILED)
		err(1, "mmap");
	say("mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, "
	    "-1, 0) -> %p: shared with every child forked from now on; cnt starts "
	    "at 0", sizeof(*c), (void *)c);
	l->make(c);

	/* The gate (gate.c) holds the workers until all exist: they race. */
	make_gate(gate);
	for (w = 0; w < o->workers; w++) {
		say_fork("worker %lld", w + 1);
		if ((pids[w] = fork()) == -1)
			fork_failed();
		if (pids[w] == 0)
			work(c, l, o->count, (int)w + 1, gate, parent);
		at_exit_stop_child(pids[w]);
	}
	say("forked %lld workers; each will do cnt++ %lld times (read, "
	    "sched_yield, write)%s", o->workers, o->count,
	    o->no_lock ? "" : " holding the semaphore");
	open_gate(gate);
	for (w = 0; w < o->workers; w++) {
		while (waitpid(pids[w], &status, 0) == -1)
			retry_if_eintr("waitpid %ld", (long)pids[w]);
		require_success(child_reaped(pids[w], "worker", status),
		    "worker");
	}

	total = c->cnt;
	printf("Total count: %lld, Expected: %lld\n", total, expected);
	if (o->no_lock)
		printf("Lost updates: %lld%s\n", expected - total,
		    total == expected ? " (the workers never collided this "
		    "time; run it again, or raise -n)" : " (workers read the "
		    "same value, and each wrote back that value plus one)");
	l->destroy(c);
	if (munmap(c, sizeof(*c)) == -1)
		err(1, "munmap");
	if (!o->no_lock && total != expected)
		errx(1, "%lld updates were lost although every worker held the "
		    "semaphore", expected - total);
	return 0;
}

/*
 * Worker N, in its child: wait at the gate, then COUNT times cnt++ under
 * the lock.  cnt++ is three steps (read, add, write); a sched_yield()
 * between the read and the write invites another worker in, so the race
 * shows every time, even on one core.  Under the lock nobody may enter.
 */
static void
work(struct counter *c, const struct lock *l, long long count, int n,
    const int gate[2], pid_t parent)
{
	volatile long long *cnt = &c->cnt;
	long long i, v;

	wait_at_gate(n, gate, parent);
	for (i = 0; i < count; i++) {
		stop_if_signalled();
		l->take(c);
		v = *cnt;
		(void)sched_yield();
		*cnt = v + 1;
		l->give(c);
	}
	say("done: %lld increments", count);
	_exit(0);
}

/* The classic's lock.  pshared=1: processes, not threads, share it. */
static void
make_unnamed(struct counter *c)
{
	if (sem_init(&c->sem, 1, 1) == -1)
		err(1, "sem_init");
	say("sem_init(&c->sem, pshared=1, 1): an unnamed semaphore "
	    "inside the shared mapping, value 1: a lock");
}

/* sem_wait sleeps while another worker holds the lock; sem_post wakes one. */
static void
take_unnamed(struct counter *c)
{
	while (sem_wait(&c->sem) == -1)
		retry_if_eintr("sem_wait");
}

static void
give_unnamed(struct counter *c)
{
	if (sem_post(&c->sem) == -1)
		err(1, "sem_post");
}

static void
destroy_unnamed(struct counter *c)
{
	if (sem_destroy(&c->sem) == -1)
		err(1, "sem_destroy");
	say("sem_destroy(&c->sem)");
}

/* --no-lock: take, give and destroy do nothing. */
static void
make_none(struct counter *c)
{
	(void)c;
	say("--no-lock: the workers do cnt++ with no lock at all");
}

static void
do_nothing(struct counter *c)
{
	(void)c;
}

/*
 * --named: a named semaphore, opened before fork(); the children
 * inherit its mapping, and sem_wait and sem_post work on it as on the
 * unnamed one.
 */
static char name[NAME_MAX + 1];
static sem_t *named;

/* A cleanup remover: sem_unlink the name in ARG, unless already done. */
static void
unlink_name(void *arg)
{
	char *n = arg;

	if (n[0] != '\0')
		(void)sem_unlink(n);
	n[0] = '\0';
}

static void
make_named(struct counter *c)
{
	char path[PATH_MAX];

	(void)c;
	/* A name of our own (it carries our pid): no other run meets it. */
	private_posix_name(name, sizeof(name), "counter");
	if ((named = sem_open(name, O_CREAT | O_EXCL, 0600, 1)) == SEM_FAILED)
		err(1, "sem_open %s", name);
	at_exit_call(unlink_name, name);
	say("sem_open(\"%s\", O_CREAT|O_EXCL, 0600, 1) -> a named "
	    "semaphore, the file %s; the children inherit its mapping", name,
	    posix_path(path, sizeof(path), name));
}

static void
take_named(struct counter *c)
{
	(void)c;
	while (sem_wait(named) == -1)
		retry_if_eintr("sem_wait");
}

static void
give_named(struct counter *c)
{
	(void)c;
	if (sem_post(named) == -1)
		err(1, "sem_post");
}

static void
destroy_named(struct counter *c)
{
	(void)c;
	if (sem_close(named) == -1)
		err(1, "sem_close %s", name);
	/*
	 * Someone may have removed the name meanwhile (rm in /dev/shm,
	 * logind's RemoveIPC): the workers kept their mapping and never
	 * noticed, and there is nothing left to do.
	 */
	if (sem_unlink(name) == -1 && errno != ENOENT)
		err(1, "sem_unlink %s", name);
	say("sem_close, sem_unlink(\"%s\"): the name is gone", name);
	name[0] = '\0';
}

/* --sysv: a System V set of one semaphore; semop takes and gives. */
static int semid = -1;

static void
make_sysv(struct counter *c)
{
	union semun arg;

	(void)c;
	/* IPC_PRIVATE: a new set no other process can find by key. */
	if ((semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600)) == -1) {
		if (errno == ENOSPC)
			semget_nospace(IPC_PRIVATE);
		err(1, "semget IPC_PRIVATE");
	}
	at_exit_call(remove_set, &semid);
	arg.val = 1;
	if (semctl(semid, 0, SETVAL, arg) == -1)
		set_failed("semctl SETVAL", IPC_PRIVATE, semid);
	say("semget(IPC_PRIVATE, 1, 0600) -> semid %d; semctl(SETVAL, 1)"
	    ": a System V set of one semaphore, value 1; workers use "
	    "SEM_UNDO", semid);
}

static void
take_sysv(struct counter *c)
{
	struct sembuf down = { 0, -1, SEM_UNDO };

	(void)c;
	while (semop(semid, &down, 1) == -1) {
		if (errno != EINTR)
			set_failed("semop", IPC_PRIVATE, semid);
		stop_if_signalled();
	}
}

static void
give_sysv(struct counter *c)
{
	struct sembuf up = { 0, 1, SEM_UNDO };

	(void)c;
	/* An up never sleeps, but a signal may still interrupt it. */
	while (semop(semid, &up, 1) == -1) {
		if (errno != EINTR)
			set_failed("semop", IPC_PRIVATE, semid);
		stop_if_signalled();
	}
}

static void
destroy_sysv(struct counter *c)
{
	(void)c;
	if (semctl(semid, 0, IPC_RMID) == -1)
		set_failed("semctl IPC_RMID", IPC_PRIVATE, semid);
	say("semctl(%d, 0, IPC_RMID): the set is gone", semid);
	semid = -1;
}

/* The four locks cmd_counter chooses from. */
static const struct lock lock_unnamed = { make_unnamed, take_unnamed,
    give_unnamed, destroy_unnamed };
static const struct lock lock_none = { make_none, do_nothing, do_nothing,
    do_nothing };
static const struct lock lock_named = { make_named, take_named,
    give_named, destroy_named };
static const struct lock lock_sysv = { make_sysv, take_sysv, give_sysv,
    destroy_sysv };
