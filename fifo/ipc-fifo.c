/*
 * ipc-fifo - a pipe with a name: unrelated processes meet at a path.
 *
 * Teaches: mkfifo(3) and the FIFO special file, open(2) of a FIFO waiting
 * until the other side opens it too (and O_NONBLOCK's ENXIO when no reader
 * is there; setitimer(2) interrupting that wait once a second, so that a
 * FIFO removed meanwhile ends it), end of file once the last writer
 * closes, a reader that keeps a write end of its own to serve writer after
 * writer, PIPE_BUF keeping lines whole, O_NOFOLLOW, unlink(2), and a FIFO
 * whose size stays 0 while data passes through it.
 *
 * Try:
 *	$ ipc-fifo demo
 *	terminal 1: $ ipc-fifo make f; ipc-fifo read f
 *	terminal 2: $ ipc-fifo write f hello 'second line'
 *	$ ipc-fifo -q read f & echo 12345 > f		(the shell writes too)
 *	$ ipc-fifo -q write f one two & cat f		(and reads)
 *	terminal 1: $ ipc-fifo read --follow f
 *	terminal 2: $ ipc-fifo write f a; ipc-fifo write f b; date > f
 *	$ ipc-fifo write --nonblock f hi		(no reader: ENXIO at once)
 *	$ ipc-fifo rm f
 *	$ ipc-fifo bench -s 64K; ipc-fifo bench --latency -s 64
 *	$ strace -f -e trace=mknodat,openat,read,write,unlink ipc-fifo -q demo
 *
 * Where to read:
 *	make	fifo/name.c: cmd_make, and make_fifo (mkfifo with exact mode)
 *	rm	fifo/name.c: cmd_rm
 *	write	fifo/writer.c: cmd_write, the classic writer;
 *		--nonblock: open_nonblock; standard input: fifo/lines.c:
 *		copy_lines (whole lines per write, PIPE_BUF)
 *	read	fifo/reader.c: cmd_read, the classic reader;
 *		--follow: keep_write_end, follow_wait
 *	demo	fifo/demo.c: cmd_demo, and demo_writer (the child)
 *	bench	fifo/bench.c: cmd_bench, bench_stream, bench_pingpong
 *	What a lesson need not show, fifo/path.c: the refusal of what is
 *	not a FIFO (refuse, fifo_exists), a missing FIFO made for write and
 *	read, and removed if their open fails (make_missing_fifo), the
 *	watch on a waiting open()
 *	(watch_for_removal, check_opened), a refused open() (may_open,
 *	denied), a refused mkfifo or unlink (name_failed), still_there,
 *	write_failed, keep_failed (read --follow's FIFO gone or replaced
 *	before it held its own write end).
 *	What the files share: fifo/ipc-fifo.h.
 *
 * See also: mkfifo(1), mkfifo(3), open(2), fifo(7), pipe(7), ipc-pipe(1),
 * ipclab(7)
 */
#include "config.h"

#include <string.h>

#include "ipclab.h"
#include "ipc-fifo.h"

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
	case 'N':
		o->nonblock = 1;
		break;
	case 'f':
		o->follow = 1;
		break;
	case 'm':
		o->mode = parse_mode("-m", arg);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 's':
		o->size = parse_size("-s", arg, 1, 64 << 20);
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "", "[MESSAGE]",
	  "a writer and a reader meet at a path; its size stays 0" },
	{ "make", cmd_make, "m", "PATH [-m MODE]",
	  "make a FIFO at PATH, as mkfifo(1) does" },
	{ "write", cmd_write, "Nm", "PATH [MESSAGE...]",
	  "wait for a reader, then send each MESSAGE (or stdin) as lines" },
	{ "read", cmd_read, "fm", "PATH [--follow]",
	  "wait for a writer, then copy to stdout until the writers close" },
	{ "rm", cmd_rm, "", "PATH",
	  "remove the FIFO at PATH" },
	{ "bench", cmd_bench, "CLns", "[-s SIZE] [-n N] [--latency] [--cpu A,B]",
	  "measure throughput or round-trip latency" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'C', 0, "cpu", "A,B",
	  "bench: pin the sender to CPU A, receiver to B" },
	{ 'L', 0, "latency", NULL,
	  "bench: round trips instead of a stream" },
	{ 'N', 0, "nonblock", NULL,
	  "write: fail at once if no reader (ENXIO)" },
	{ 'f', 1, "follow", NULL,
	  "read: serve writer after writer, never EOF" },
	{ 'm', 1, "mode", "MODE",
	  "make, read, write: a new FIFO's mode (600)" },
	{ 'n', 1, "count", "N",
	  "bench: messages or round trips" },
	{ 's', 1, "size", "SIZE",
	  "bench: bytes per message (K, M suffix)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"A pipe with a name: unrelated processes meet at a path.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.mode = 0600;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
