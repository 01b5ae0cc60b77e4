/*
 * clock.c - time, the plumbing the supervisor runs on: seconds as a
 * struct timespec, a sleep that goes on after a signal, the next moment
 * the supervisor must look even if no signal comes, and its log on
 * stdout, each line stamped with the time since it started.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "ipclab.h"
#include "ipc-signal.h"

/* Seconds as a struct timespec, for sigtimedwait() and nanosleep(). */
struct timespec
to_timespec(double s)
{
	struct timespec ts;

	if (s < 0)
		s = 0;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec > 999999999L)
		ts.tv_nsec = 999999999L;
	return ts;
}

/* Sleep S seconds, going on after an interruption. */
void
sleep_for(double s)
{
	struct timespec ts = to_timespec(s);

	while (nanosleep(&ts, &ts) == -1)
		retry_if_eintr("nanosleep");
}

/* When the loop must look again, even if no signal comes. */
double
next_deadline(const struct supervisor *s, double t, double end)
{
	const struct worker *w;
	double next = t + 60;
	int i;

	if (end > 0 && end < next)
		next = end;
	for (i = 0; i < s->n; i++) {
		w = &s->w[i];
		if (w->pid == 0 && w->restart_at < next)
			next = w->restart_at;
		/* "Longer than the timeout": look just after it. */
		if (w->pid > 0 && !w->killed &&
		    w->last_beat + s->timeout + 0.001 < next)
			next = w->last_beat + s->timeout + 0.001;
	}
	return next;
}

/* One line of the supervisor's log on stdout, stamped with the time. */
void
log_event(const struct supervisor *s, const char *fmt, ...)
{
	va_list ap;

	if (s->quiet_log)
		return;
	printf("t=%.2f ", now() - s->t0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	/* Show it now, even when stdout is a file, and before any fork(). */
	flush_stdout();
}
