/*
 * ipc-pipe - a pipe between a parent and its child, one experiment at a time.
 *
 * Teaches: pipe(2) and its two ends, fork(2) sharing them, close(2) of the
 * end a process does not use, read(2) until end of file, waitpid(2), SIGPIPE
 * and EPIPE, the pipe's capacity (O_NONBLOCK, EAGAIN, F_GETPIPE_SZ,
 * F_SETPIPE_SZ), the PIPE_BUF atomicity promise, and vmsplice(2) and
 * splice(2), which move pages instead of copying bytes.
 *
 * Try:
 *	$ ipc-pipe demo
 *	$ ipc-pipe demo --reverse 'hello from the parent'
 *	$ ipc-pipe duplex ping pong
 *	$ ipc-pipe eof --leave-open --timeout 1
 *	$ ipc-pipe capacity --set 1M
 *	$ ipc-pipe sigpipe; ipc-pipe sigpipe --ignore
 *	$ ipc-pipe atomic -s 512; ipc-pipe atomic -s 200K -n 50
 *	$ ipc-pipe bench -s 64K; ipc-pipe bench --latency -s 64
 *	$ ipc-pipe bench --splice -s 64K
 *	$ strace -f -e trace=pipe,pipe2,close,read,write ipc-pipe -q demo
 *
 * Where to read:
 *	demo		pipe/demo.c:child_writes (the classic: pipe, fork,
 *			close, write, read, waitpid); --reverse in
 *			parent_writes
 *	duplex		pipe/duplex.c:cmd_duplex
 *	eof		pipe/eof.c:cmd_eof; --leave-open's end in
 *			eof_never_came
 *	capacity	pipe/capacity.c:cmd_capacity
 *	sigpipe		pipe/sigpipe.c:cmd_sigpipe, the writer in
 *			sigpipe_writer
 *	atomic		pipe/atomic.c:cmd_atomic
 *	bench		pipe/bench.c:cmd_bench (bench_stream, bench_pingpong,
 *			bench_splice)
 *	options		pipe/ipc-pipe.h:struct opts, set_option below
 *
 * See also: pipe(2), pipe(7), fork(2), fcntl(2), vmsplice(2), connect2(1),
 *	ipclab(7)
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-pipe.h"

/* One option, in command-line order; run_program calls it. */
static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'I':
		o->ignore = 1;
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'O':
		o->leave_open = 1;
		break;
	case 'P':
		o->splice = 1;
		break;
	case 'S':
		o->set = parse_size("--set", arg, 1, INT_MAX);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 'r':
		o->reverse = 1;
		break;
	case 's':
		o->size = parse_size("-s", arg, 1, 64 << 20);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.001, 3600);
		break;
	case 'w':
		o->writers = parse_count("-w", arg, 1, 64);
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "r", "[MESSAGE] [-r]",
	  "the child writes MESSAGE into a pipe; the parent reads it" },
	{ "duplex", cmd_duplex, "", "[LINE...]",
	  "two pipes: the parent sends lines, the child answers each" },
	{ "eof", cmd_eof, "Ot", "[--leave-open] [-t S]",
	  "EOF comes only when every write end is closed" },
	{ "capacity", cmd_capacity, "S", "[--set BYTES]",
	  "fill a pipe until EAGAIN; PIPE_BUF and F_GETPIPE_SZ" },
	{ "sigpipe", cmd_sigpipe, "I", "[--ignore]",
	  "write with no reader left: SIGPIPE, or EPIPE" },
	{ "atomic", cmd_atomic, "nsw", "[-w W] [-s SIZE] [-n N]",
	  "concurrent writers: torn records above PIPE_BUF" },
	{ "bench", cmd_bench, "CLPns",
	  "[-s SIZE] [-n N] [--latency | --splice] [--cpu A,B]",
	  "measure throughput or round-trip latency" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'C', 0, "cpu", "A,B",
	  "bench: pin the sender to CPU A, receiver to B" },
	{ 'I', 0, "ignore", NULL,
	  "sigpipe: the writer ignores SIGPIPE" },
	{ 'L', 0, "latency", NULL,
	  "bench: round trips instead of a stream" },
	{ 'O', 0, "leave-open", NULL,
	  "eof: the reader keeps its write end open" },
	{ 'P', 0, "splice", NULL,
	  "bench: vmsplice in and splice out, no copies" },
	{ 'S', 0, "set", "BYTES",
	  "capacity: ask F_SETPIPE_SZ for BYTES first" },
	{ 'n', 1, "count", "N",
	  "atomic: records per writer (1000); bench: " "messages" },
	{ 'r', 1, "reverse", NULL,
	  "demo: the parent writes, the child reads" },
	{ 's', 1, "size", "SIZE",
	  "bytes per record or message (K, M suffix)" },
	{ 't', 1, "timeout", "S",
	  "eof: seconds to wait for EOF (3)" },
	{ 'w', 1, "writers", "W",
	  "atomic: concurrent writers (4)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"A pipe between a parent and its child, one experiment at a time.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.timeout = 3;
	o.writers = 4;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
