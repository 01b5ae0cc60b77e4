/*
 * atomic.c - several writers on one pipe: what PIPE_BUF promises.
 *
 * POSIX promises that a write of at most PIPE_BUF bytes to a pipe goes in
 * whole, never interleaved with another writer's; a larger one may be
 * split.  Each writer writes records of its own symbol, so the reader can
 * count the torn ones: the PIPE_BUF rule of pipe(7), shown.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-pipe.h"

static int	is_torn(const char *rec, size_t n, size_t size);

/*
 * One symbol per writer, for as many writers as -w allows: two writers
 * with the same one would make a record torn between them look whole.
 */
static const char symbols[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * atomic: several writers share one pipe.  A write of at most PIPE_BUF
 * bytes goes in whole; a larger one may be split and interleaved with the
 * others.  Every record is one writer's symbol repeated, then a newline,
 * so the reader can tell a torn record from a whole one.
 */
int
cmd_atomic(struct opts *o, int argc, char **argv)
{
	size_t size = o->size ? o->size : 4096;
	long long count = o->count ? o->count : 1000, nrec = 0, torn = 0, i;
	long long w;
	char *rec;
	ssize_t n;
	pid_t *pids;
	int fd[2], status;

	(void)argv;
	if (argc > 0)
		usage_error("atomic takes no arguments");
	if (size < 2)
		usage_error("-s: a record needs at least 2 bytes");
	if (o->writers > (long long)sizeof(symbols) - 1)
		usage_error("-w: at most %zu writers", sizeof(symbols) - 1);
	if ((rec = malloc(size)) == NULL ||
	    (pids = calloc((size_t)o->writers, sizeof(*pids))) == NULL)
		err(1, "malloc");
	narrate_role("reader");
	say("%lld writer%s x %lld record%s of %zu bytes; PIPE_BUF is %d: %s",
	    o->writers, o->writers == 1 ? "" : "s", count, count == 1 ? "" :
	    "s", size, PIPE_BUF, size <= PIPE_BUF ? "each write() is atomic" :
	    "the kernel may split each write()");
	if (pipe(fd) == -1)
		err(1, "pipe");
	for (w = 0; w < o->writers; w++) {
		say_fork("writer %lld", w + 1);
		if ((pids[w] = fork()) == -1)
			fork_failed();
		if (pids[w] == 0) {
			narrate_role("writer");
			if (close(fd[0]) == -1)
				err(1, "close(fd[0])");
			memset(rec, symbols[w], size - 1);
			rec[size - 1] = '\n';
			/* One write() per record: that is what PIPE_BUF is about. */
			for (i = 0; i < count; i++)
				if (write_all(fd[1], rec, size) == -1)
					err(1, "write(fd[1])");
			free(rec);
			free(pids);
			_exit(0);
		}
		at_exit_stop_child(pids[w]);
	}
	say("forked %lld writer%s", o->writers, o->writers == 1 ? "" : "s");
	if (close(fd[1]) == -1)
		err(1, "close(fd[1])");
	/* Cut the stream into SIZE-byte records; check each is one symbol. */
	while ((n = read_full(fd[0], rec, size)) > 0) {
		nrec++;
		if (is_torn(rec, (size_t)n, size))
			torn++;
	}
	if (n == -1)
		err(1, "read(fd[0])");
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	for (w = 0; w < o->writers; w++) {
		while (waitpid(pids[w], &status, 0) == -1)
			retry_if_eintr("waitpid %ld", (long)pids[w]);
		require_success(child_reaped(pids[w], "writer", status),
		    "writer");
	}
	printf("torn records: %lld of %lld\n", torn, nrec);
	free(rec);
	free(pids);
	if (nrec != o->writers * count)
		errx(1, "expected %lld record%s, counted %lld",
		    o->writers * count, o->writers * count == 1 ? "" : "s",
		    nrec);
	if (torn > 0 && size <= PIPE_BUF)
		errx(1, "records of at most PIPE_BUF bytes were torn");
	return 0;
}

/* Whether the N bytes read are not SIZE bytes: one symbol, a newline. */
static int
is_torn(const char *rec, size_t n, size_t size)
{
	size_t k;

	if (n < size || rec[size - 1] != '\n')
		return 1;
	for (k = 1; k < size - 1; k++)
		if (rec[k] != rec[0])
			return 1;
	return 0;
}
