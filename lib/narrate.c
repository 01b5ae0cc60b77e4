/*
 * narrate.c - the "[role pid] what happens and why" lines on stderr.
 *
 * Each line goes out in one write(2), so lines from a parent and its
 * children never mix, and nothing is left in a stdio buffer that fork()
 * would copy.  Narration never changes what the program does.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

static const char *role = "main";
static int quiet;

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
say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t len, off;
	int n, saved_errno = errno;

	if (quiet)
		return;
	n = snprintf(line, sizeof(line), "[%s %ld] ", role, (long)getpid());
	if (n < 0)
		n = 0;
	va_start(ap, fmt);
	(void)vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	len = strlen(line);
	line[len++] = '\n';
	/* Narration is best effort: a closed stderr must not stop the lesson. */
	for (off = 0; off < len;) {
		ssize_t w = write(STDERR_FILENO, line + off, len - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	errno = saved_errno;
}
