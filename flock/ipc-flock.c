/*
 * ipc-flock - file locks: processes take turns at a file, in good order.
 *
 * Teaches: fcntl(2) record locks (F_SETLK, F_SETLKW, F_GETLK and struct
 * flock), open file description locks (F_OFD_SETLK, F_OFD_SETLKW,
 * F_OFD_GETLK), flock(2), who owns each kind of lock and when the kernel
 * drops it (fork, close, exit), EDEADLK, O_APPEND, ftruncate(2), and
 * /proc/locks, where the kernel lists every lock it holds.
 *
 * Try:
 *	$ ipc-flock demo; ipc-flock demo --no-lock
 *	$ ipc-flock lock f -- sleep 30 &
 *	$ ipc-flock test f; lslocks; cat /proc/locks
 *	$ ipc-flock lock f --nowait; echo $?
 *	$ ipc-flock lock --flock f -- sleep 9 &
 *	$ flock -n f true; echo $?
 *	$ ipc-flock compare
 *	$ ipc-flock deadlock; ipc-flock deadlock --ofd
 *	$ ipc-flock bench; ipc-flock bench --latency --ofd
 *	$ strace -f -e trace=fcntl,write,ftruncate ipc-flock -q demo -n 5
 *
 * Where to read:
 *	demo		flock/demo.c:cmd_demo, the classic, with its
 *			producer and consumer (produce, consume);
 *			flock/tally.c counts
 *	lock		flock/lock.c:cmd_lock, take_lock, run_command
 *	test		flock/lock.c:cmd_test, test_flock
 *	compare		flock/compare.c:cmd_compare, compare_kind, after_fork,
 *			after_close
 *	deadlock	flock/deadlock.c:cmd_deadlock, deadlock_child
 *	bench		flock/bench.c:cmd_bench, bench_pairs, bench_handoff
 *	--ofd, --flock	flock/kinds.c:request_fcntl, request_ofd, request_flock,
 *			query_fcntl, query_ofd
 *	/proc/locks	flock/proclocks.c:proc_locks, flock_holders
 *	the files	flock/files.c:private_file, remove_leftovers,
 *			open_lock_file
 *
 * See also: fcntl(2), flock(2), lslocks(8), flock(1), proc(5), ipclab(7)
 */
#include "config.h"

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-flock.h"

/*
 * Offsets up to 2^62 (a 64-bit off_t): far beyond any file, and the last
 * byte of a range, START + (LEN - 1), is at most the largest off_t.
 */
#define OFFSET_LIMIT	((long long)1 << (sizeof(off_t) * CHAR_BIT - 2))

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'B':
		o->start = parse_count("--start", arg, 0, OFFSET_LIMIT);
		break;
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'E':
		o->len = parse_count("--len", arg, 0, OFFSET_LIMIT);
		break;
	case 'F':
		if (o->kind == OFD)
			usage_error("--flock and --ofd exclude each other");
		o->kind = FLOCK;
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'N':
		o->no_lock = 1;
		break;
	case 'O':
		if (o->kind == FLOCK)
			usage_error("--flock and --ofd exclude each other");
		o->kind = OFD;
		break;
	case 'S':
		o->shared = 1;
		break;
	case 'W':
		o->nowait = 1;
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.001, 3600);
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "Nn", "[-n COUNT] [--no-lock]",
	  "a producer appends to a file, a consumer empties it, locked" },
	{ "lock", cmd_lock, "BEFOSW",
	  "FILE [--shared] [--nowait] [--start N --len N] [--flock | --ofd] "
	  "[-- CMD...]",
	  "hold a lock while CMD runs (or until Enter)" },
	{ "test", cmd_test, "BEFOS",
	  "FILE [--start N --len N] [--shared] [--flock | --ofd]",
	  "who holds a lock that would conflict (F_GETLK)" },
	{ "compare", cmd_compare, "", "",
	  "fcntl, OFD and flock locks after fork and close" },
	{ "deadlock", cmd_deadlock, "Ot", "[--ofd] [-t S]",
	  "two processes, two ranges, opposite order: EDEADLK" },
	{ "bench", cmd_bench, "CFLOn",
	  "[-n N] [--latency] [--cpu A,B] [--flock | --ofd]",
	  "lock+unlock pairs per second, or a lock handed back and forth" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'B', 0, "start", "N",
	  "lock, test: the first byte of the range (0)" },
	{ 'C', 0, "cpu", "A,B",
	  "bench: pin the two processes to CPUs A and B" },
	{ 'E', 0, "len", "N",
	  "lock, test: bytes in the range; 0 is to EOF (0)" },
	{ 'F', 0, "flock", NULL,
	  "use flock(2) locks, as flock(1) does" },
	{ 'L', 0, "latency", NULL,
	  "bench: hand a lock between two processes" },
	{ 'N', 0, "no-lock", NULL,
	  "demo: no lock at all, to see the damage" },
	{ 'O', 0, "ofd", NULL,
	  "use open file description locks (F_OFD_*)" },
	{ 'S', 0, "shared", NULL,
	  "lock, test: a read (shared) lock" },
	{ 'W', 0, "nowait", NULL,
	  "lock: fail at once (exit 1) if it is held" },
	{ 'n', 1, "count", "N",
	  "demo: numbers (1000); bench: repetitions" },
	{ 't', 1, "timeout", "S",
	  "deadlock: seconds to wait (1)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"File locks: fcntl record locks, OFD locks and flock(2), one "
	"experiment at a time.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.start = o.len = -1;
	o.kind = FCNTL;
	o.timeout = 1;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
