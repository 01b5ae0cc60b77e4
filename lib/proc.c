/*
 * proc.c - read a kernel limit from /proc, to name it in an error.
 */
#include "config.h"

#include <stdio.h>

#include "ipclab.h"

long long
proc_limit(const char *path)
{
	long long v;
	FILE *f;
	int ok;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	ok = fscanf(f, "%lld", &v) == 1;
	(void)fclose(f);
	return ok ? v : -1;
}
