/*
 * io.c - the loops around read(2) and write(2) that every stream needs.
 *
 * A pipe, a FIFO and a stream socket carry bytes, not messages: one
 * read() may return less than one write() put in, and a signal may cut a
 * write short.  These loops finish the job, retry after EINTR, and call
 * stop_if_signalled() once a turn, so Ctrl-C still ends the program.
 * The lessons keep their own read() and write() where the call is the
 * point; these are for the plumbing around it.
 */
#include "config.h"

#include <sys/socket.h>

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "ipclab.h"

/*
 * write_all and send_all: loop until all LEN bytes are out, for a
 * descriptor may take fewer than asked (a signal, a full buffer).  FLAGS
 * -1 means write(2); otherwise send(2) with FLAGS.
 */
static int
out_all(int fd, const void *buf, size_t len, int flags)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		stop_if_signalled();
		if (flags == -1)
			n = write(fd, p, len);
		else
			n = send(fd, p, len, flags);
		if (n == -1) {
			if (errno != EINTR)
				return -1;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
write_all(int fd, const void *buf, size_t len)
{
	return out_all(fd, buf, len, -1);
}

int
send_all(int fd, const void *buf, size_t len)
{
	return out_all(fd, buf, len, MSG_NOSIGNAL);
}

ssize_t
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		stop_if_signalled();
		n = read(fd, p + got, len - got);
		if (n == -1) {
			if (errno != EINTR)
				return -1;
			continue;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * A byte at a time, so that nothing after the newline is taken from the
 * stream: the next reader (or the next call) finds it there.
 */
ssize_t
read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	char c;

	for (;;) {
		stop_if_signalled();
		n = read(fd, &c, 1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "read");
		}
		if (n == 0) {
			if (len == 0)
				return -1;
			break;
		}
		if (c == '\n')
			break;
		if (len < size - 1)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

int
drain(int fd, char *buf, size_t size, unsigned long long bytes)
{
	ssize_t n;

	while (bytes > 0) {
		stop_if_signalled();
		n = read(fd, buf, bytes < size ? bytes : size);
		if (n > 0) {
			bytes -= (unsigned long long)n;
			continue;
		}
		if (n == 0)
			return -1;
		if (errno != EINTR)
			err(1, "read");
	}
	return 0;
}

void
retry_if_eintr(const char *fmt, ...)
{
	va_list ap;

	if (errno == EINTR) {
		stop_if_signalled();
		return;
	}
	va_start(ap, fmt);
	verr(1, fmt, ap);
}
