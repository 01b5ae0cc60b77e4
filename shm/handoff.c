/*
 * handoff.c - demo: one process writes messages into one slot of shared
 * memory, the other reads them, and two semaphores take turns: the
 * classic producer and consumer over a System V segment, as in TLPI's
 * svshm_xfr_writer and svshm_xfr_reader (chapter 48), here with unnamed
 * POSIX semaphores inside the segment and fork(2).  "empty" lets the
 * writer in only when the slot has been read, "full" lets the reader in
 * only when it has been written, so every message arrives once, in
 * order.  After it, the same
 * handoff in a POSIX object or a memfd (--posix, --memfd), and without
 * the semaphores (--no-sem), to see what goes wrong.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-shm.h"

/* Messages handed over, and how many of them are narrated. */
#define DEMO_COUNT	5000
#define DEMO_NARRATED	2

/*
 * One message.  The writer stores the number, the text, then the number
 * again; a reader that finds two different numbers caught it half
 * written: torn.
 */
struct message {
	long long	 seq;		/* 1, 2 ... COUNT; 0 while none came */
	char		 text[56];	/* "message 17 of 5000" */
	long long	 seq_again;
};

/*
 * The segment holds two semaphores and one slot.  The semaphores live in
 * the shared memory itself (sem_init with pshared 1), so there is
 * nothing else to name, create or remove.
 */
struct handoff {
	sem_t		 empty;		/* 1 while the slot may be filled */
	sem_t		 full;		/* 1 while it holds an unread message */
	struct message	 slot;
};

static void	write_messages(struct handoff *, long long count);
static void	read_messages(struct handoff *, long long count, pid_t pid,
		    struct tally *);

/*
 * The classic: a segment, two semaphores in it, fork, turns, waitpid,
 * remove.  wait_sem() is sem_wait(3) that notices a dead peer (peer.c).
 */
static int
handoff(long long count)
{
	struct shmid_ds ds;
	struct handoff *h;
	struct tally t;
	pid_t pid;
	int id, status;

	narrate_role("reader");
	/* IPC_PRIVATE: a new segment no key leads to; only its id does. */
	if ((id = shmget(IPC_PRIVATE, sizeof(*h), IPC_CREAT | 0600)) == -1)
		shmget_failed("IPC_PRIVATE", IPC_PRIVATE, 0, sizeof(*h));
	/* From now on any way out, even Ctrl-C, removes it. */
	at_exit_call(remove_segment, &id);
	say("shmget(IPC_PRIVATE, %zu, IPC_CREAT|0600) -> shmid %d: "
	    "'ipcs -m' lists it with key 0x00000000", sizeof(*h), id);
	if ((h = shmat(id, NULL, 0)) == (void *)-1)
		err(1, "shmat shmid %d", id);
	say("shmat(%d, NULL, 0) -> %p", id, (void *)h);
	/* pshared 1: processes, not threads, share them. */
	if (sem_init(&h->empty, 1, 1) == -1 || sem_init(&h->full, 1, 0) == -1)
		err(1, "sem_init");
	say("sem_init(empty, pshared 1, 1), sem_init(full, pshared 1, 0): "
	    "inside the shared region, at %p and %p", (void *)&h->empty,
	    (void *)&h->full);
	/* Nothing buffered may be copied into the child and printed twice. */
	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	say_fork("the writer");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		write_messages(h, count);
		_exit(0);
	}
	at_exit_stop_child(pid);
	if (shmctl(id, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d", id);
	say("fork() -> writer %ld; shmctl(IPC_STAT): nattch %lu, the child "
	    "inherited the attachment", (long)pid,
	    (unsigned long)ds.shm_nattch);
	memset(&t, 0, sizeof(t));
	read_messages(h, count, pid, &t);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "writer", status), "writer");
	if (sem_destroy(&h->empty) == -1 || sem_destroy(&h->full) == -1)
		err(1, "sem_destroy");
	if (shmdt(h) == -1)
		err(1, "shmdt shmid %d", id);
	say("shmdt(%p): detached", (void *)h);
	/* Now what at_exit_call() put aside: remove_segment(), below. */
	cleanup_run();
	return report_tally(&t, count, 1);
}

/* The child: wait until the slot is empty, fill it, say it is full. */
static void
write_messages(struct handoff *h, long long count)
{
	struct peer reader = { getppid(), 1, "reader" };
	long long i;

	narrate_role("writer");
	for (i = 1; i <= count; i++) {
		wait_sem(&h->empty, "empty", &reader);
		h->slot.seq = i;
		snprintf(h->slot.text, sizeof(h->slot.text),
		    "message %lld of %lld", i, count);
		h->slot.seq_again = i;
		if (i <= DEMO_NARRATED)
			say("sem_wait(empty) -> the slot is free; wrote "
			    "\"%s\"; sem_post(full)", h->slot.text);
		if (sem_post(&h->full) == -1)
			err(1, "sem_post(full)");
	}
	if (count > DEMO_NARRATED)
		say("... and %lld more the same way, not narrated",
		    count - DEMO_NARRATED);
}

/* The parent: wait until the slot is full, copy it out, say it is empty. */
static void
read_messages(struct handoff *h, long long count, pid_t pid,
    struct tally *t)
{
	struct peer writer = { pid, 0, "writer" };
	struct message m;
	long long i;

	for (i = 1; i <= count; i++) {
		wait_sem(&h->full, "full", &writer);
		m = h->slot;
		if (i <= DEMO_NARRATED)
			say("sem_wait(full) -> a message is there; read "
			    "\"%s\"; sem_post(empty)", m.text);
		if (sem_post(&h->empty) == -1)
			err(1, "sem_post(empty)");
		count_message(t, m.seq, m.seq_again);
	}
	if (count > DEMO_NARRATED)
		say("... and %lld more reads the same way, not narrated",
		    count - DEMO_NARRATED);
}

/*
 * Remove the segment whose id ARG points to, unless ipcrm did first: then
 * it is gone if we had detached, or still here, marked "dest", if we are
 * stopped while attached, and IPC_RMID would succeed again and say
 * nothing new.
 */
void
remove_segment(void *arg)
{
	int id = *(int *)arg;
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_DEST))
		say("shmid %d was already marked for removal (ipcrm?); it goes "
		    "with its last detach", id);
	else if (shmctl(id, IPC_RMID, NULL) == 0)
		say("shmctl(%d, IPC_RMID): the segment is removed", id);
	else if (errno == EINVAL || errno == EIDRM)
		say("shmid %d was already removed", id);
	else
		warn("shmctl IPC_RMID shmid %d", id);
}

/* The variants ------------------------------------------------------------ */

/*
 * --no-sem.  volatile: the compiler must make each of these stores and
 * loads, in this order, with no semaphore between two messages.  It does
 * not make the handoff safe; the semaphores do that.
 */
static void
put_message(volatile struct message *m, long long seq, long long count)
{
	char text[sizeof(m->text)];
	size_t i;

	snprintf(text, sizeof(text), "message %lld of %lld", seq, count);
	m->seq = seq;
	for (i = 0; i < sizeof(text); i++)
		m->text[i] = text[i];
	m->seq_again = seq;
}

/* --no-sem, the child: store each message and go on, asking nobody. */
static void
write_unguarded(struct handoff *h, long long count)
{
	long long i;

	narrate_role("writer");
	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		put_message(&h->slot, i, count);
		if (i <= DEMO_NARRATED)
			say("wrote \"message %lld of %lld\" into the slot, "
			    "asking nobody", i, count);
	}
	if (count > DEMO_NARRATED)
		say("... and %lld more the same way, not narrated",
		    count - DEMO_NARRATED);
}

/* Load in the opposite order: a torn message shows two numbers. */
static void
get_message(const volatile struct message *m, struct message *copy)
{
	size_t i;

	copy->seq_again = m->seq_again;
	for (i = 0; i < sizeof(copy->text); i++)
		copy->text[i] = m->text[i];
	copy->seq = m->seq;
	copy->text[sizeof(copy->text) - 1] = '\0';
}

/* --no-sem, the parent: read the slot COUNT times at its own pace. */
static void
read_unguarded(struct handoff *h, long long count, pid_t pid,
    struct tally *t)
{
	struct peer writer = { pid, 0, "writer" };
	volatile struct message *slot = &h->slot;
	struct message m;
	long long i, turns = 0;

	say("no semaphores: polling the slot until the first message is "
	    "there, then reading it %lld times at our own pace", count);
	while (slot->seq == 0) {
		stop_if_signalled();
		/* Give the writer the CPU if it shares ours. */
		sched_yield();
		if (++turns % 1024 == 0)
			peer_alive(&writer);
	}
	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		get_message(slot, &m);
		if (i <= DEMO_NARRATED)
			say("read \"%s\" from the slot, asking nobody", m.text);
		count_message(t, m.seq, m.seq_again);
	}
	if (count > DEMO_NARRATED)
		say("... and %lld more reads the same way, not narrated",
		    count - DEMO_NARRATED);
}

/* What fork() gave the child: a System V attachment, or a mapping. */
static void
say_forked(const struct region *r, pid_t pid)
{
	struct shmid_ds ds;

	if (r->kind != SYSV) {
		say("fork() -> writer %ld; the child inherited the mapping",
		    (long)pid);
		return;
	}
	if (shmctl(r->shmid, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d", r->shmid);
	say("fork() -> writer %ld; shmctl(IPC_STAT): nattch %lu, the child "
	    "inherited the attachment", (long)pid,
	    (unsigned long)ds.shm_nattch);
}

/*
 * The handoff in a region of the kind the options ask for (region.c: a
 * POSIX object, a memfd, or the System V segment again), with the
 * semaphores or, for --no-sem, without.
 */
static int
handoff_in_region(const struct opts *o, long long count)
{
	struct region r;
	struct handoff *h;
	struct tally t;
	pid_t pid;
	int status, sem = !o->no_sem;

	narrate_role("reader");
	new_region(o, &r, sizeof(*h));
	if (r.kind == MEMFD)
		seal_memfd(&r);
	h = r.addr;
	if (sem && (sem_init(&h->empty, 1, 1) == -1 ||
	    sem_init(&h->full, 1, 0) == -1))
		err(1, "sem_init");
	if (sem)
		say("sem_init(empty, pshared 1, 1), sem_init(full, pshared 1, "
		    "0): inside the shared region, at %p and %p",
		    (void *)&h->empty, (void *)&h->full);
	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	say_fork("the writer");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		if (sem)
			write_messages(h, count);
		else
			write_unguarded(h, count);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say_forked(&r, pid);
	memset(&t, 0, sizeof(t));
	if (sem)
		read_messages(h, count, pid, &t);
	else
		read_unguarded(h, count, pid, &t);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "writer", status), "writer");
	if (sem && (sem_destroy(&h->empty) == -1 ||
	    sem_destroy(&h->full) == -1))
		err(1, "sem_destroy");
	drop_region(&r);
	/* Remove the object now (the registry would at exit, too). */
	cleanup_run();
	return report_tally(&t, count, sem);
}

/* demo: the classic unless an option asks for a variant. */
int
cmd_demo(struct opts *o, int argc, char **argv)
{
	long long count = o->count ? o->count : DEMO_COUNT;

	(void)argv;
	if (argc > 0)
		usage_error("demo takes no arguments");
	if (o->posix && o->memfd)
		usage_error("--posix and --memfd: choose one");
	if (!o->posix && !o->memfd && !o->no_sem)
		return handoff(count);
	return handoff_in_region(o, count);
}
