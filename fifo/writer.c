/*
 * writer.c - the classic FIFO writer: make the FIFO unless it is there,
 * open(2) it for writing, which waits until a reader opens it too,
 * write(2) each message as a line, close(2); once the last writer has
 * closed, the reader sees end of file.  Mirrors `echo 12345 > f` in the
 * shell and the writer side of every mkfifo(3) example.
 *
 * After it, the variant --nonblock: an open() that does not wait, and
 * fails with ENXIO when no reader is there.  With no MESSAGE the writer
 * copies standard input instead, whole lines per write() (lines.c).
 */
#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-fifo.h"

static int	open_nonblock(const char *path);

/*
 * write: open PATH for writing (which waits for a reader), then send
 * each MESSAGE as a line, or standard input when there is none.
 */
int
cmd_write(struct opts *o, int argc, char **argv)
{
	const char *path;
	char *line;
	size_t len;
	int fd, i;

	if (argc == 0)
		usage_error("write needs a PATH");
	path = argv[0];
	narrate_role("writer");
	/* If the reader leaves, write() fails with EPIPE; no silent death. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	make_missing_fifo(path, o->mode);
	if (o->nonblock)
		fd = open_nonblock(path);
	else {
		/* If the FIFO's mode shuts us out, open() fails at once. */
		if (may_open(path, W_OK))
			say("open(\"%s\", O_WRONLY): waiting for a reader to "
			    "open %s...", path, path);
		/* A FIFO removed while we wait must not leave us here. */
		watch_for_removal();
		/* O_NOFOLLOW: never write into the file a symlink names. */
		while ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) ==
		    -1 && errno == EINTR)
			stop_if_signalled();
		check_opened(fd, path, "reader");
		say("open -> fd %d: a reader has opened the FIFO too", fd);
	}
	if (argc == 1)
		copy_lines(fd, path);
	for (i = 1; i < argc; i++) {
		len = strlen(argv[i]);
		if ((line = malloc(len + 1)) == NULL)
			err(1, "malloc");
		memcpy(line, argv[i], len);
		line[len++] = '\n';
		/* One write() per line: up to PIPE_BUF bytes it stays whole. */
		if (write_all(fd, line, len) == -1)
			write_failed(path);
		say("write(%d, \"%.60s%s\\n\", %zu) -> %zu", fd, argv[i],
		    len > 61 ? "..." : "", len, len);
		free(line);
	}
	if (close(fd) == -1)
		err(1, "close %s", path);
	say("close(%d): once every writer has closed, the reader sees end of "
	    "file", fd);
	return 0;
}

/*
 * --nonblock: O_NONBLOCK makes the open() of a FIFO for writing return at
 * once, with ENXIO when no process has it open for reading.
 */
static int
open_nonblock(const char *path)
{
	int fd, flags;

	say("open(\"%s\", O_WRONLY | O_NONBLOCK): no waiting; it fails at "
	    "once if no reader has the FIFO open", path);
	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	check_opened(fd, path, "reader");
	say("open -> fd %d: a reader is there", fd);
	/* --nonblock is about the open; a full FIFO may still wait. */
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
		err(1, "fcntl %s", path);
	say("fcntl(%d, F_SETFL): writes block again when the FIFO is full",
	    fd);
	return fd;
}
