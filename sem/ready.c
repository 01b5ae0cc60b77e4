/*
 * ready.c - the pipe on which undo's holder tells the parent that it
 * holds the unit.  The parent must not kill it sooner: a holder killed
 * before its semop() has taken nothing, and the lesson would show
 * nothing.  One byte is the whole message; the holder then sleeps until
 * the SIGKILL comes.
 */
#include "config.h"

#include <err.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* The parent, before fork(): the pipe READY. */
void
make_ready(int ready[2])
{
	if (pipe(ready) == -1)
		err(1, "pipe");
	say("pipe() -> fds %d, %d: the holder will write a byte on %d once it "
	    "holds the unit", ready[0], ready[1], ready[1]);
}

/* The holder: tell the parent it holds the unit, then wait to die. */
void
hold_until_killed(int fd)
{
	if (write_all(fd, "x", 1) == -1)
		err(1, "write(ready)");
	for (;;) {
		(void)pause();
		stop_if_signalled();
	}
}

/*
 * The parent: wait for the holder's byte.  Our write end is closed
 * first, so that a holder dead before it wrote gives end of file here,
 * not a wait for ever.
 */
void
wait_until_ready(int ready[2])
{
	char byte;

	if (close(ready[1]) == -1)
		err(1, "close");
	if (read_full(ready[0], &byte, 1) != 1)
		errx(1, "the holder ended before it took the unit");
	if (close(ready[0]) == -1)
		err(1, "close");
}
