/*
 * clock.c - the timeouts the semaphore calls want, from seconds in a
 * double: sem_timedwait(3) an absolute CLOCK_REALTIME time, semtimedop(2)
 * a relative one.
 */
#include "config.h"

#include <err.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* The CLOCK_REALTIME time SECONDS from now, as sem_timedwait(3) wants. */
struct timespec
realtime_after(double seconds)
{
	struct timespec ts;
	time_t whole = (time_t)seconds;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		err(1, "clock_gettime");
	ts.tv_sec += whole;
	ts.tv_nsec += (long)((seconds - (double)whole) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* SECONDS as a relative timeout, as semtimedop(2) wants. */
struct timespec
timeout_of(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	return ts;
}

/* Is A earlier than B? */
int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}
