/*
 * named.c - a named POSIX semaphore between terminals: create, wait,
 * post and value, each a separate run of ipc-sem.
 *
 * The classic: sem_open(3) with O_CREAT makes the semaphore and gives it
 * its value in one call; any process that knows the name opens it;
 * sem_wait(3) takes a unit, sleeping while there is none; sem_post(3)
 * gives one, waking a sleeper; sem_close(3) lets go, and only
 * sem_unlink(3) (info.c: rm) removes the name.  The semaphore outlives
 * every process that used it.  create_posix, wait_posix and post_posix
 * are those steps (on_posix opens the semaphore for wait, post and
 * value, and closes it); cmd_create, cmd_wait, cmd_post and cmd_value,
 * at the end, send --sysv to the same commands on a System V set
 * (sysv.c).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* How often a POSIX wait looks whether its name is still there. */
#define WATCH_SECONDS	0.25

static void	trywait_posix(sem_t *sem, const char *name);
static void	timedwait_posix(const struct opts *o, sem_t *sem,
		    const char *name);

/*
 * create: make the semaphore with an initial VALUE.  It stays after we
 * exit, until rm removes it.
 */
static int
create_posix(const struct opts *o, long long value)
{
	char buf[NAME_MAX + 1], path[PATH_MAX];
	const char *name;
	mode_t old;
	sem_t *sem;

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

/*
 * wait: take one unit, sleeping while the value is 0 (or, with --try,
 * not sleeping at all).  Another terminal's post wakes us.
 */
static int
wait_posix(const struct opts *o, sem_t *sem, const char *name)
{
	int value;

	if (o->try)
		trywait_posix(sem, name);
	else
		timedwait_posix(o, sem, name);
	if (sem_getvalue(sem, &value) == -1)
		err(1, "sem_getvalue %s", name);
	say("the value is now %d; nothing gives the unit back but a post",
	    value);
	return 0;
}

/* post: add one unit, waking one sleeper if there is one. */
static int
post_posix(const struct opts *o, sem_t *sem, const char *name)
{
	int value;

	(void)o;
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
	return 0;
}

/* value: the semaphore's value, as sem_getvalue(3) reads it. */
static int
value_posix(const struct opts *o, sem_t *sem, const char *name)
{
	int value;

	(void)o;
	if (sem_getvalue(sem, &value) == -1)
		err(1, "sem_getvalue %s", name);
	say("sem_getvalue(\"%s\") -> %d", name, value);
	return value;
}

/* wait --try: sem_trywait never sleeps, and fails with EAGAIN at 0. */
static void
trywait_posix(sem_t *sem, const char *name)
{
	while (sem_trywait(sem) == -1) {
		if (errno == EAGAIN)
			errx(1, "sem_trywait %s: the value is 0, and --try "
			    "does not wait (EAGAIN)", name);
		retry_if_eintr("sem_trywait %s", name);
	}
	say("sem_trywait(\"%s\") -> 0: took one unit", name);
}

/* Is PATH gone, or another file now than the one WAS describes? */
static int
name_removed(const char *path, const struct stat *was)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return errno == ENOENT;
	return st.st_ino != was->st_ino || st.st_dev != was->st_dev;
}

/*
 * wait, sleeping: sem_timedwait sleeps until the value is above 0 and
 * takes one, or until the deadline.  Removing a name sends its waiters
 * no sign, so we sleep in slices and look between them whether the name
 * is still there: a waiter for a semaphore nobody can open any more
 * would otherwise sleep for ever.
 */
static void
timedwait_posix(const struct opts *o, sem_t *sem, const char *name)
{
	struct timespec deadline = { 0, 0 }, slice;	/* deadline: with -t */
	char path[PATH_MAX];
	struct stat was;
	int watch;

	posix_path(path, sizeof(path), name);
	/* Remember which file we opened, to notice when it is removed. */
	watch = stat(path, &was) == 0;
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
			stop_if_signalled();
			say("sem_timedwait -> EINTR (a signal, or Ctrl-Z then "
			    "fg): waiting again");
			continue;
		}
		if (errno != ETIMEDOUT)
			err(1, "sem_timedwait %s", name);
		if (o->timeout > 0 && !ts_before(&slice, &deadline))
			errx(1, "sem_timedwait %s: timed out (ETIMEDOUT): no "
			    "post came within %g seconds", name, o->timeout);
		if (watch && name_removed(path, &was)) {
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
}

/*
 * What wait, post and value share: open the semaphore -N names (or our
 * default, refused if someone else's), do OP on it, and sem_close it.
 * Closing lets go of our mapping only; the semaphore stays, and so does
 * the unit a wait took.  Returns what OP returns.
 */
static int
on_posix(const struct opts *o,
    int (*op)(const struct opts *, sem_t *, const char *))
{
	char buf[NAME_MAX + 1];
	const char *name;
	sem_t *sem;
	int r;

	name = posix_name(o, buf, sizeof(buf));
	sem = open_own_posix(o, name);
	r = op(o, sem, name);
	if (sem_close(sem) == -1)
		err(1, "sem_close %s", name);
	return r;
}

/* The commands: check the arguments, then POSIX or --sysv (sysv.c). */

int
cmd_create(struct opts *o, int argc, char **argv)
{
	long long value = o->value >= 0 ? o->value : 1;

	(void)argv;
	if (argc > 0)
		usage_error("create takes no arguments");
	check_kind(o, "create");
	if (o->sysv && value > SYSV_VALUE_MAX)
		usage_error("-V: %lld is above %d, the largest value of a "
		    "System V semaphore (SEMVMX)", value, SYSV_VALUE_MAX);
	return o->sysv ? create_sysv(o, value) : create_posix(o, value);
}

int
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
	return o->sysv ? wait_sysv(o) : on_posix(o, wait_posix);
}

int
cmd_post(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("post takes no arguments");
	check_kind(o, "post");
	return o->sysv ? post_sysv(o) : on_posix(o, post_posix);
}

/* value: a number alone on a line, for scripts. */
int
cmd_value(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("value takes no arguments");
	check_kind(o, "value");
	printf("%d\n", o->sysv ? value_sysv(o) : on_posix(o, value_posix));
	return 0;
}
