/*
 * sysv.c - what the System V chapters (msgq, shm, sem) print alike when
 * they show the kernel's view of an object.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "ipclab.h"

const char *
format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0)
		return "never";
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}
