/*
 * usage.c - usage errors, --version, and the fate of stdout.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipclab.h"

void
usage_error(const char *fmt, ...)
{
	char msg[4096];
	const unsigned char *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/*
	 * The message quotes what was typed, which may hold a newline or an
	 * escape sequence: shown as \n or \033, it stays one line and
	 * cannot repaint the terminal.
	 */
	fprintf(stderr, "%s: ", program_invocation_short_name);
	for (p = (const unsigned char *)msg; *p != '\0'; p++)
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\t')
			fputs("\\t", stderr);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\%03o", *p);
		else
			putc(*p, stderr);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
	    program_invocation_short_name);
	exit(2);
}

void
print_version(void)
{
	printf("%s (%s) %s\n", program_invocation_short_name, PACKAGE_NAME,
	    PACKAGE_VERSION);
	flush_stdout();
	exit(0);
}

/* Like coreutils: a full disk or a closed pipe must not pass in silence. */
void
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "write error on standard output");
}
