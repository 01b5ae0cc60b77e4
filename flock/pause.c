/*
 * pause.c - the two ways ipc-flock waits without a lock: a nap of a few
 * microseconds (the demo's pace, deadlock's polling), and a wait for
 * Enter (lock holds its lock until then).  Only a termination signal
 * cuts either short.
 */
#include "config.h"

#include <time.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-flock.h"

void
nap(long usec)
{
	struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000 };

	/* nanosleep leaves what is left in ts: a stray signal only resumes. */
	while (nanosleep(&ts, &ts) == -1)
		retry_if_eintr("nanosleep");
}

void
wait_for_enter(void)
{
	ssize_t n;
	char c;

	for (;;) {
		stop_if_signalled();
		n = read(STDIN_FILENO, &c, 1);
		if (n == -1) {
			retry_if_eintr("read standard input");
			continue;
		}
		if (n == 0 || c == '\n')
			return;
	}
}
