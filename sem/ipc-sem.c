/*
 * ipc-sem - semaphores: a shared counter, named POSIX semaphores between
 * terminals, System V semaphore sets, and what SEM_UNDO is for.
 *
 * Teaches: mmap(2) of a MAP_SHARED|MAP_ANONYMOUS region that forked
 * children share; sem_init(3) with pshared=1 on an unnamed semaphore inside
 * it; sem_wait(3) and sem_post(3) around a critical section, and the lost
 * updates without them; sem_open(3), sem_unlink(3) and the file under
 * /dev/shm; sem_trywait(3), sem_timedwait(3) and sem_getvalue(3); ftok(3),
 * semget(2), semop(2), semtimedop(2) and semctl(2); SEM_UNDO, and what
 * happens to a semaphore whose holder dies.
 *
 * Try:
 *	$ ipc-sem counter
 *	$ ipc-sem -q counter --no-lock -w 4 -n 100000
 *	$ ipc-sem -q counter --sysv -w 4 -n 100000
 *	terminal 1: $ ipc-sem create -V 0; ipc-sem wait
 *	terminal 2: $ ls -l /dev/shm; ipc-sem post; ipc-sem rm
 *	$ ipc-sem --sysv create; ipcs -s; ipc-sem --sysv info
 *	$ ipc-sem --sysv wait; ipc-sem --sysv value; ipc-sem --sysv rm
 *	$ ipc-sem undo
 *	$ strace -f -e trace=semget,semop,semtimedop,semctl,kill ipc-sem -q undo
 *
 * Where to read:
 *	counter		sem/counter.c:cmd_counter and work (the classic:
 *			mmap, sem_init, fork, sem_wait, cnt++, sem_post,
 *			waitpid), its lock in make_unnamed, take_unnamed ...;
 *			--no-lock, --named, --sysv in make_none, make_named
 *			..., make_sysv ...
 *	create		sem/named.c:create_posix; --sysv: sem/sysv.c:create_sysv
 *	wait		sem/named.c:wait_posix; --sysv: sem/sysv.c:wait_sysv
 *	post		sem/named.c:post_posix; --sysv: sem/sysv.c:post_sysv
 *	value		sem/named.c:value_posix; --sysv: sem/sysv.c:value_sysv
 *	info		sem/info.c:info_posix; --sysv: info_sysv
 *	rm		sem/info.c:rm_posix; --sysv: rm_sysv
 *	undo		sem/undo.c:undo_sysv (SEM_UNDO, and without), then
 *			undo_posix
 *	gate		sem/gate.c: how counter's workers start together
 *	ready		sem/ready.c: how undo's holder says it holds the unit
 *	lookups		sem/lookup.c: which semaphore a name or key means,
 *			and refusing someone else's default
 *	failures	sem/failed.c: why a call failed, in words
 *	timeouts	sem/clock.c: what sem_timedwait and semtimedop want
 *	options		sem/ipc-sem.h:struct opts, set_option below
 *
 * See also: sem_overview(7), sem_init(3), sem_open(3), sem_wait(3),
 * semget(2), semop(2), semctl(2), ftok(3), ipcs(1), ipc-shm(1), ipclab(7)
 */
#include "config.h"

#include <limits.h>
#include <semaphore.h>
#include <stddef.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-sem.h"

/* One option, in command-line order; run_program calls it. */
static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'L':
		o->no_lock = 1;
		break;
	case 'N':
		o->name = parse_posix_name("-N", arg);
		break;
	case 'O':
		o->named = 1;
		break;
	case 'P':
		o->proj = parse_proj(arg);
		break;
	case 'S':
		o->sysv = 1;
		break;
	case 'T':
		o->try = 1;
		break;
	case 'U':
		o->no_undo = 1;
		break;
	case 'V':
		o->value = parse_count("-V", arg, 0, SEM_VALUE_MAX);
		break;
	case 'f':
		o->file = arg;
		break;
	case 'k':
		o->key = parse_key("-k", arg);
		break;
	case 'm':
		o->mode = parse_mode("-m", arg);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.001, 86400);
		break;
	case 'w':
		o->workers = parse_count("-w", arg, 1, WORKERS_MAX);
		break;
	}
}

static const struct command commands[] = {
	{ "counter", cmd_counter, "LOSnw",
	  "[-w W] [-n N] [--no-lock | --named | --sysv]",
	  "workers add to a shared count under a semaphore" },
	{ "create", cmd_create, "NPSfkmV", "[-V VALUE] [-m MODE]",
	  "make the named semaphore (or --sysv set), value 1" },
	{ "wait", cmd_wait, "NPSTUfkt", "[--try | -t S] [--no-undo]",
	  "take one unit, sleeping while the value is 0" },
	{ "post", cmd_post, "NPSfk", "",
	  "add one unit, waking one waiter" },
	{ "value", cmd_value, "NPSfk", "",
	  "print the semaphore's value" },
	{ "info", cmd_info, "NPSfk", "",
	  "what the kernel knows: key, owner, mode, value..." },
	{ "rm", cmd_rm, "NPSfk", "",
	  "remove the semaphore" },
	{ "undo", cmd_undo, "t", "[-t S]",
	  "a holder is killed: SEM_UNDO gives the unit back" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'L', 0, "no-lock", NULL,
	  "counter: no semaphore; updates get lost" },
	{ 'N', 1, "name", "/NAME",
	  "the POSIX semaphore (/ipclab-UID-sem)" },
	{ 'O', 0, "named", NULL,
	  "counter: lock with a named semaphore" },
	{ 'P', 1, "proj", "PROJ",
	  "--sysv: ftok project id (s)" },
	{ 'S', 0, "sysv", NULL,
	  "a System V semaphore set instead of POSIX" },
	{ 'T', 0, "try", NULL,
	  "wait: fail at once if the value is 0" },
	{ 'U', 0, "no-undo", NULL,
	  "wait --sysv: no SEM_UNDO; the unit stays taken" },
	{ 'V', 1, "value", "VALUE",
	  "create: the initial value (1)" },
	{ 'f', 1, "file", "PATH",
	  "--sysv: the key is ftok(PATH, PROJ)" },
	{ 'k', 1, "key", "KEY",
	  "--sysv: the set's key (ftok of your run " "directory)" },
	{ 'm', 1, "mode", "MODE",
	  "create: permissions, octal (600)" },
	{ 'n', 1, "count", "N",
	  "counter: increments per worker (1000)" },
	{ 't', 1, "timeout", "S",
	  "wait: give up after S seconds; undo: the " "timed wait (0.5)" },
	{ 'w', 1, "workers", "W",
	  "counter: worker processes (2)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"Semaphores: a shared counter, named and System V semaphores, "
	"SEM_UNDO.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.workers = 2;
	o.count = 1000;
	o.mode = 0600;
	o.value = -1;
	return run_program(&program, &o, argc, argv);
}
