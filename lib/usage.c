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
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
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
