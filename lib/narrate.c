/*
 * narrate.c - the "[role pid] what happens and why" lines on stderr.
 *
 * Each line goes out in one write(2), so lines from a parent and its
 * children never mix, and nothing is left in a stdio buffer that fork()
 * would copy.  Whatever stdout holds goes out first, so that a result and
 * the narration around it keep their order in a lab report too.
 * Narration never changes what the program does.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"

static const char *role = "main";
static int quiet, timestamps;
/* One clock for the program and every child it forks. */
static struct timespec start;

void
narrate_role(const char *r)
{
	role = r;
}

void
narrate_quiet(int q)
{
	quiet = q;
}

void
narrate_start(void)
{
	(void)clock_gettime(CLOCK_MONOTONIC, &start);
	/* Full buffering in a pipe would hold results back till exit. */
	(void)setvbuf(stdout, NULL, _IOLBF, 0);
}

void
narrate_timestamps(int on)
{
	timestamps = on;
}

/* "  0.001234 ": seconds since narrate_start(), to the microsecond. */
static int
stamp(char *buf, size_t len)
{
	struct timespec now;
	long long us;

	if (!timestamps || clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		return 0;
	us = (long long)(now.tv_sec - start.tv_sec) * 1000000 +
	    (now.tv_nsec - start.tv_nsec) / 1000;
	return snprintf(buf, len, "%3lld.%06lld ", us / 1000000,
	    us % 1000000);
}

void
say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t len, off;
	int n, saved_errno = errno, signalled;

	if (quiet)
		return;
	(void)fflush(stdout);
	n = stamp(line, sizeof(line));
	n += snprintf(line + n, sizeof(line) - (size_t)n, "[%s %ld] ", role,
	    (long)getpid());
	if (n < 0)
		n = 0;
	va_start(ap, fmt);
	(void)vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	len = strlen(line);
	line[len++] = '\n';
	/* Narration is best effort: a closed stderr must not stop the lesson. */
	signalled = ipclab_signal;
	for (off = 0; off < len;) {
		ssize_t w = write(STDERR_FILENO, line + off, len - off);

		if (w == -1 && errno == EINTR)
			continue;
		/*
		 * Nobody reads the narration any more ("2>&1 >out | head"):
		 * the SIGPIPE this write raised is the narration's, not the
		 * lesson's, which goes on, untold.
		 */
		if (w == -1 && errno == EPIPE) {
			if (signalled == 0 && ipclab_signal == SIGPIPE)
				ipclab_signal = 0;
			quiet = 1;
		}
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	errno = saved_errno;
}

void
say_fork(const char *fmt, ...)
{
	char who[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(who, sizeof(who), fmt, ap);
	va_end(ap);
	say("fork(): making %s; it may run before fork() returns here", who);
}
