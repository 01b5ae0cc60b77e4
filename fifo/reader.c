/*
 * reader.c - the classic FIFO reader: open(2) the FIFO for reading, which
 * waits until a writer opens it too, read(2) and copy to standard output
 * until end of file, which comes once every writer has closed, close(2).
 * Mirrors `cat f` in the shell and the reader side of every mkfifo(3)
 * example.
 *
 * After it, the variant --follow: a reader that holds a write end of its
 * own, so that end of file never comes and it serves writer after writer
 * (the trick of TLPI's FIFO server), and that watches that PATH is still
 * the FIFO it serves.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-fifo.h"

static int	keep_write_end(int fd, const char *path, struct stat *st);
static int	follow_wait(int fd, const char *path, const struct stat *st,
		    int *keep, long long *fresh);

/*
 * read: open PATH for reading, which waits for a writer, and copy what
 * comes to standard output until every writer has closed: end of file.
 */
int
cmd_read(struct opts *o, int argc, char **argv)
{
	const char *path = one_path("read", argc, argv);
	static char buf[64 * 1024];
	long long bytes = 0, fresh = 0;
	struct stat st;
	int fd, keep = -1;
	ssize_t n;

	narrate_role("reader");
	make_missing_fifo(path, o->mode);
	/* If the FIFO's mode shuts us out, open() fails at once. */
	if (may_open(path, R_OK))
		say("open(\"%s\", O_RDONLY): waiting for a writer to open "
		    "%s...", path, path);
	watch_for_removal();
	while ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 &&
	    errno == EINTR)
		stop_if_signalled();
	/* A symlink, a file put at PATH, a FIFO removed: see path.c. */
	check_opened(fd, path, "writer");
	say("open -> fd %d: a writer has opened the FIFO too", fd);
	if (o->follow)
		keep = keep_write_end(fd, path, &st);
	for (;;) {
		stop_if_signalled();
		if (keep != -1 && !follow_wait(fd, path, &st, &keep, &fresh))
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n == -1) {
			retry_if_eintr("read %s", path);
			continue;
		}
		if (n == 0)
			break;
		if (bytes == 0)
			say("read(%d) -> %zd byte%s: the first data arrives",
			    fd, n, n == 1 ? "" : "s");
		else if (o->follow && fresh == 0)
			say("read(%d) -> %zd byte%s: data again, after the "
			    "pause", fd, n, n == 1 ? "" : "s");
		bytes += n;
		fresh += n;
		if (write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
			err(1, "write error on standard output");
	}
	say("read(%d) -> 0: end of file, every writer has closed the FIFO "
	    "(%lld byte%s in all)", fd, bytes, bytes == 1 ? "" : "s");
	if (close(fd) == -1)
		err(1, "close %s", path);
	/* --follow was to end only at a signal: PATH went, so it failed. */
	return o->follow ? 1 : 0;
}

/*
 * --follow: a reader exists (us), so this open() need not wait, and with
 * O_NONBLOCK it never does: a FIFO put at PATH since, with no reader,
 * fails it with ENXIO.  ST is the FIFO we serve, for follow_wait() to
 * see it go.
 */
static int
keep_write_end(int fd, const char *path, struct stat *st)
{
	int keep;

	if (fstat(fd, st) == -1)
		err(1, "fstat %s", path);
	while ((keep = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		if (errno != EINTR)
			keep_failed(path);
	if (!still_there(path, st))
		errx(1, "%s was replaced while we opened it", path);
	say("open(\"%s\", O_WRONLY|O_NONBLOCK) -> fd %d: with a write end of "
	    "our own, a writer leaving is no end of file", path, keep);
	return keep;
}

/*
 * --follow, before each read(): nobody else can close our write end, so a
 * FIFO removed or replaced at PATH would leave us waiting for ever.  Wait
 * for data at most a second; after a quiet second, look at PATH.  *FRESH
 * counts the bytes read since the last quiet second.  1: data is there
 * to read; 0: ask again.
 */
static int
follow_wait(int fd, const char *path, const struct stat *st, int *keep,
    long long *fresh)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	r = poll(&pfd, 1, 1000);
	if (r == -1 && errno != EINTR)
		err(1, "poll %s", path);
	/* Nor POLLHUP: a writer leaving wakes nobody, the data just stops. */
	if (r == 0 && *fresh > 0) {
		say("poll(%d, POLLIN, 1000) -> 0: a quiet second after %lld "
		    "byte%s; a writer that has closed gives no end of "
		    "file while we hold fd %d: waiting for the next writer...",
		    fd, *fresh, *fresh == 1 ? "" : "s", *keep);
		*fresh = 0;
	}
	if (r == 0 && !still_there(path, st)) {
		warnx("%s was removed or replaced: no new writer can reach "
		    "this reader", path);
		if (close(*keep) == -1)
			err(1, "close");
		say("close(%d): reading on until the writers still connected "
		    "have closed", *keep);
		*keep = -1;
	}
	return r > 0;
}
