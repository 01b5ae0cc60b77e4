/*
 * gate.c - the start gate of counter's workers: a pipe that every worker
 * blocks reading until the parent closes its write end, so that all of
 * them start together, not one by one as fork() makes them.  Without it
 * a quick worker could finish before the next one exists, and no race
 * would show.
 */
#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* The parent, before the first fork(): a closed gate. */
void
make_gate(int gate[2])
{
	if (pipe(gate) == -1)
		err(1, "pipe");
	say("pipe() -> fds %d, %d: the start gate; each worker will block in "
	    "read(%d) until no write end is left open, then all start at once",
	    gate[0], gate[1], gate[0]);
}

/*
 * Worker N, first thing in its child: narrate as "worker N", die with
 * PARENT, and block at the gate.  read() returns, at end of file, only
 * once every write end is closed: ours here, the parent's in open_gate.
 */
void
wait_at_gate(int n, const int gate[2], pid_t parent)
{
	static char role[32];
	char byte;

	snprintf(role, sizeof(role), "worker %d", n);
	narrate_role(role);
	die_with_parent(parent, SIGKILL);
	if (close(gate[1]) == -1)
		err(1, "close");
	if (read_full(gate[0], &byte, 1) == -1)
		err(1, "read(gate)");
	say("close(%d), my write end; read(%d) -> 0, end of file: the gate "
	    "opened, I start", gate[1], gate[0]);
}

/*
 * The parent, once every worker is forked: let them all go at once.  Said
 * before the close() calls, as say_fork() says a fork(): a worker may
 * start, and say so, before close() returns here.
 */
void
open_gate(int gate[2])
{
	say("close(%d), close(%d): the parent closes its ends; once every "
	    "worker has closed its write end too, read(%d) returns 0 (end of "
	    "file) in all of them: they start together", gate[0], gate[1],
	    gate[0]);
	if (close(gate[0]) == -1 || close(gate[1]) == -1)
		err(1, "close");
}
