/*
 * demo.c - the classic: a producer and a consumer take turns at a file
 * under an fcntl(2) write lock.
 *
 * Seed 002's example: the child appends numbers to a shared file, the
 * parent reads what is there and empties it with ftruncate(2), each side
 * between F_SETLKW (a write lock on the whole file, waiting for it) and
 * F_SETLK with F_UNLCK.  Reading and emptying must be one step: a number
 * appended in between would be destroyed unread.  The lock makes it one;
 * --no-lock leaves it out to show the damage, which tally.c counts.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-flock.h"

/* Microseconds: making a number, working on a batch, idling when empty. */
#define PRODUCE_USEC	50
#define CONSUME_USEC	500
#define IDLE_USEC	1000

/*
 * The lock both sides take in turn: a write lock on the whole file
 * (l_start 0, l_len 0: to EOF), and the request that gives it back.
 */
static const struct flock write_lock = {
	.l_type = F_WRLCK, .l_whence = SEEK_SET
};
static const struct flock unlock = {
	.l_type = F_UNLCK, .l_whence = SEEK_SET
};

static void	produce(int, int, long long);
static void	consume(int, const char *, int, int, struct tally *);

/* demo: one shared file, a producer child, and the parent consuming. */
int
cmd_demo(struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX], how[96];
	struct tally t;
	int fd, status = 0;
	pid_t parent, pid, r;

	tally_start(&t, demo_count(o, argc, argv));
	narrate_role("consumer");

	/* O_APPEND: each write goes to the end, even after ftruncate. */
	fd = private_file(path, sizeof(path), "demo", O_APPEND);
	say("open(\"%s\", O_RDWR|O_APPEND|O_CREAT|O_EXCL, 0600) -> fd %d: "
	    "the shared file", path, fd);
	parent = getpid();
	say_fork("the producer");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("producer");
		die_with_parent(parent, SIGKILL);
		produce(fd, !o->no_lock, t.count);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> producer %ld.  It shares fd %d, but fcntl locks belong "
	    "to a process, so its lock still shuts this one out", (long)pid,
	    fd);
	if (o->no_lock)
		say("--no-lock: neither side calls fcntl; watch what is lost");

	for (;;) {
		stop_if_signalled();
		/* Asked before reading, the last read sees all it wrote. */
		if ((r = waitpid(pid, &status, WNOHANG)) == -1)
			err(1, "waitpid %ld", (long)pid);
		if (r == pid)
			break;
		consume(fd, path, !o->no_lock, 0, &t);
	}
	at_exit_forget_child(pid);
	say("waitpid(%ld, WNOHANG) -> the producer %s; one last turn",
	    (long)pid, describe_status(status, how, sizeof(how)));
	consume(fd, path, !o->no_lock, 1, &t);
	require_success(status, "producer");
	if (close(fd) == -1)
		err(1, "close %s", path);
	return tally_report(o, &t);
}

/* The producer, in the child: append 1..COUNT, a line each, locked. */
static void
produce(int fd, int lock, long long count)
{
	char line[32];
	long long i;
	int len;

	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		nap(PRODUCE_USEC);
		/* F_SETLKW sleeps while the consumer holds the lock. */
		while (lock && fcntl(fd, F_SETLKW, &write_lock) == -1)
			retry_if_eintr("fcntl F_SETLKW");
		say_if(i <= NARRATED && lock, "fcntl(%d, F_SETLKW, write lock, "
		    "whole file) -> granted", fd);
		len = snprintf(line, sizeof(line), "%lld\n", i);
		if (write_all(fd, line, (size_t)len) == -1)
			err(1, "write the shared file");
		say_if(i <= NARRATED, "write(%d, \"%lld\\n\"): O_APPEND puts "
		    "it at the end of the file", fd, i);
		if (lock && fcntl(fd, F_SETLK, &unlock) == -1)
			err(1, "fcntl F_UNLCK");
		say_if(i <= NARRATED && lock, "fcntl(%d, F_SETLK, F_UNLCK) -> "
		    "released; the consumer may have its turn", fd);
		producer_goes_quiet(i, count);
	}
	say("produced %lld numbers; exiting", count);
}

/* A turn of the consumer (LAST: the producer is gone, none follows). */
static void
consume(int fd, const char *path, int lock, int last, struct tally *t)
{
	size_t got, len;
	int tell;

	while (lock && fcntl(fd, F_SETLKW, &write_lock) == -1)
		retry_if_eintr("fcntl F_SETLKW");
	/* With pread(2) (files.c): the file offset is the producer's too. */
	len = read_whole(fd, &t->buf, &t->cap);
	tell = tally_turn(t, len, last, &got);
	say_if(tell && lock, "fcntl(%d, F_SETLKW, write lock, whole file) -> "
	    "granted", fd);
	say_if(tell && len == 0, "pread -> 0 bytes: nothing to read yet");
	if (len > 0) {
		say_if(tell, "pread -> a batch of %zu; working on it for %d us "
		    "%s", got, CONSUME_USEC, lock ? "while holding the lock" :
		    "(nothing stops the producer)");
		/* The work that makes the race window wide. */
		nap(CONSUME_USEC);
		/* Empty the file: this destroys anything unread. */
		if (ftruncate(fd, 0) == -1)
			err(1, "ftruncate %s", path);
		say_if(tell, "ftruncate(%d, 0): the file is empty again", fd);
	}
	if (lock && fcntl(fd, F_SETLK, &unlock) == -1)
		err(1, "fcntl F_UNLCK");
	say_if(tell && lock, "fcntl(%d, F_SETLK, F_UNLCK) -> released%s", fd,
	    len == 0 && !last ? "; napping 1 ms" : "");
	consumer_goes_quiet(t, len, last);
	if (len == 0 && !last)
		nap(IDLE_USEC);
}
