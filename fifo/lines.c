/*
 * lines.c - whole lines per write(2), so that many writers can share one
 * FIFO: the kernel keeps a write of up to PIPE_BUF bytes in one piece
 * (pipe(7), "PIPE_BUF"), and another writer's bytes never land inside
 * it.  This is what `ipc-fifo write PATH` does with standard input, as a
 * logger writing to a FIFO must.
 */
#include "config.h"

#include <err.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-fifo.h"

static size_t	lines_end(const char *p, size_t len, int flush);

/*
 * Copy standard input into the FIFO, whole lines per write(), as soon as
 * they come: a line typed at a terminal reaches the reader at once.
 */
void
copy_lines(int fd, const char *path)
{
	static char buf[64 * 1024];
	size_t len = 0, off, n;
	long long writes = 0, bytes = 0;
	int eof = 0;
	ssize_t r;

	while (!eof || len > 0) {
		if (!eof) {
			stop_if_signalled();
			r = read(STDIN_FILENO, buf + len, sizeof(buf) - len);
			if (r == -1) {
				retry_if_eintr("read standard input");
				continue;
			}
			if (r == 0)
				eof = 1;
			len += (size_t)r;
		}
		for (off = 0; off < len; off += n) {
			n = lines_end(&buf[off], len - off,
			    eof || len - off == sizeof(buf));
			if (n == 0)
				break;
			if (write_all(fd, buf + off, n) == -1)
				write_failed(path);
			if (++writes <= 3)
				say("write(%d, %zu byte%s) -> %zu: %s", fd, n,
				    n == 1 ? "" : "s", n, n <= PIPE_BUF ?
				    "whole lines, one atomic write" :
				    "a line longer than PIPE_BUF");
			bytes += (long long)n;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
	}
	say("standard input ended: %lld byte%s in %lld write%s", bytes,
	    bytes == 1 ? "" : "s", writes, writes == 1 ? "" : "s");
}

/*
 * Where the next write() may end, in the LEN bytes at P: as many whole
 * lines as fit in PIPE_BUF bytes.  A single line longer than PIPE_BUF
 * goes alone, with no such promise.  0: wait for the rest of the line,
 * unless FLUSH says no more is coming or there is no room.
 */
static size_t
lines_end(const char *p, size_t len, int flush)
{
	const char *nl;

	nl = memrchr(p, '\n', len < PIPE_BUF ? len : PIPE_BUF);
	if (nl == NULL)
		nl = memchr(p, '\n', len);
	if (nl != NULL)
		return (size_t)(nl - p) + 1;
	return flush ? len : 0;
}
