/*
 * ipc-shm - shared memory: the same pages of memory in two processes.
 *
 * Teaches: System V segments (ftok(3), shmget(2), shmat(2), shmdt(2),
 * shmctl(2) with IPC_STAT and IPC_RMID); POSIX shared memory objects
 * (shm_open(3), ftruncate(2), mmap(2), munmap(2), shm_unlink(3)), which
 * are files under /dev/shm; memfd_create(2) and its seals (F_ADD_SEALS);
 * MAP_SHARED against MAP_PRIVATE and file-backed against anonymous
 * mappings across fork(2); and why shared memory needs synchronisation of
 * its own: unnamed POSIX semaphores inside the segment (sem_init(3) with
 * pshared, sem_wait(3), sem_post(3)), or flags spun on.
 *
 * Try:
 *	$ ipc-shm write 'hello, segment'; ipc-shm read; ipc-shm info
 *	$ ipcs -m; ipc-shm rm
 *	$ ipc-shm --posix write hi; cat /dev/shm/ipclab-$(id -u)-shm; echo
 *	$ ipc-shm --posix rm
 *	$ ipc-shm demo; ipc-shm demo --no-sem; ipc-shm demo --memfd
 *	$ ipc-shm mmap
 *	$ ipc-shm bench -s 64K; ipc-shm bench --latency --spin
 *	$ strace -f -e trace=shmget,shmat,shmdt,shmctl,futex ipc-shm demo -n 3
 *
 * Where to read:
 *	demo		shm/handoff.c:handoff (the classic: shmget, shmat,
 *			sem_init, fork, sem_wait, sem_post, waitpid,
 *			IPC_RMID), its writer and reader in write_messages,
 *			read_messages; --posix, --memfd: handoff_in_region,
 *			the same turns in memory that shm/region.c makes
 *			(new_region_posix: shm_open, ftruncate, mmap;
 *			new_region_memfd: memfd_create, ftruncate, mmap;
 *			seal_memfd: F_ADD_SEALS); --no-sem in
 *			write_unguarded, read_unguarded
 *	mmap		shm/mmap.c:mmap_kinds (the classic: four mappings,
 *			fork, a store into each, waitpid, pread), each kind
 *			in map_shared_file, map_shared_anonymous,
 *			map_private_file, map_private_anonymous
 *	write		shm/segment.c:write_sysv; --posix: write_posix
 *	read		shm/segment.c:read_sysv; --posix: read_posix
 *	info		shm/segment.c:info_sysv; --posix: info_posix
 *	rm		shm/segment.c:rm_sysv; --posix: rm_posix
 *	bench		shm/bench.c:cmd_bench (bench_stream, bench_pingpong)
 *	regions		shm/region.c: the memory demo's variants and bench
 *			make for themselves, each call in plain sight
 *			(new_region_sysv, new_region_posix, new_region_memfd,
 *			seal_memfd, drop_region; mmap's file: new_mmap_file)
 *	lookups		shm/lookup.c: which segment a key or name means,
 *			refusing someone else's default, owners' names
 *	failures	shm/failed.c: why a call failed, in words
 *	waiting		shm/peer.c: a sem_wait that notices a dead peer
 *			(wait_sem, post_sem)
 *	checks		shm/check.c: what the demos got, counted and checked
 *	options		shm/ipc-shm.h:struct opts, set_option below
 *
 * See also: shmget(2), shmat(2), shmctl(2), shm_open(3), mmap(2),
 * memfd_create(2), sem_init(3), shm_overview(7), sysvipc(7), ipclab(7)
 */
#include "config.h"

#include <err.h>
#include <signal.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-shm.h"

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'M':
		o->memfd = 1;
		break;
	case 'N':
		o->name = parse_posix_name("-N", arg);
		break;
	case 'P':
		o->proj = parse_proj(arg);
		break;
	case 'U':
		o->no_sem = 1;
		break;
	case 'W':
		o->spin = 1;
		break;
	case 'X':
		o->posix = 1;
		break;
	case 'f':
		if (arg[0] == '\0')
			usage_error("-f: the path is empty");
		o->path = arg;
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
	case 's':
		o->size = parse_size("-s", arg, 1, (size_t)1 << 30);
		break;
	}
}

static const struct command commands[] = {
	{ "write", cmd_write, "NPXfkms", "TEXT [-s SIZE]",
	  "put TEXT into the segment, making it if missing" },
	{ "read", cmd_read, "NPXfk", "",
	  "print the text in the segment" },
	{ "info", cmd_info, "NPXfk", "",
	  "what the kernel records about the segment" },
	{ "rm", cmd_rm, "NPXfk", "",
	  "remove the segment" },
	{ "demo", cmd_demo, "MUXn", "[-n N] [--no-sem]",
	  "a writer and a reader hand messages over, guarded" },
	{ "mmap", cmd_mmap, "", "",
	  "shared vs private, file vs anonymous, across fork" },
	{ "bench", cmd_bench, "CLMWXns", "[-s SIZE] [-n N]",
	  "measure a shared ring: throughput or round trips" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'C', 0, "cpu", "A,B",
	  "bench: pin the sender to CPU A, receiver to B" },
	{ 'L', 0, "latency", NULL,
	  "bench: round trips instead of a stream" },
	{ 'M', 0, "memfd", NULL,
	  "demo, bench: memfd_create instead of System V" },
	{ 'N', 1, "name", "/NAME",
	  "the POSIX object (/ipclab-UID-shm)" },
	{ 'P', 1, "proj", "PROJ",
	  "ftok project id, 1-255 or a letter (m)" },
	{ 'U', 0, "no-sem", NULL,
	  "demo: no semaphores; see what goes wrong" },
	{ 'W', 0, "spin", NULL,
	  "bench: spin on flags instead of semaphores" },
	{ 'X', 0, "posix", NULL,
	  "POSIX shm_open instead of System V" },
	{ 'f', 1, "file", "PATH",
	  "System V: the key is ftok(PATH, PROJ)" },
	{ 'k', 1, "key", "KEY",
	  "System V: the key (default: ftok of the " "run directory)" },
	{ 'm', 1, "mode", "MODE",
	  "write: the mode of a new segment (600)" },
	{ 'n', 1, "count", "N",
	  "demo: messages (5000); bench: messages" },
	{ 's', 1, "size", "SIZE",
	  "write: size of a new segment (4096); " "bench: bytes per message" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"Shared memory: System V segments, POSIX objects, memfd and mmap.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.mode = 0600;
	o.cpu[0] = o.cpu[1] = -1;
	/*
	 * A reader of our output that goes away ("ipc-shm demo | head")
	 * must not kill us before we remove what we made: write(2) fails
	 * with EPIPE instead, we say so, and the cleanup runs.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	return run_program(&program, &o, argc, argv);
}
