/*
 * ipc-msgq - message queues: the kernel keeps whole messages for you.
 *
 * Teaches: System V msgget(2), msgsnd(2), msgrcv(2) and msgctl(2) (keys
 * from ftok(3), IPC_PRIVATE, message types and msgrcv's type rules,
 * IPC_NOWAIT, MSG_NOERROR, IPC_STAT, IPC_RMID), and POSIX mq_open(3),
 * mq_send(3), mq_receive(3), mq_getattr(3) and mq_unlink(3) (names,
 * priorities, mq_maxmsg and mq_msgsize); queues outlive the processes
 * that made them, until someone removes them.
 *
 * Try:
 *	$ ipc-msgq demo
 *	$ ipc-msgq send -t 2 hello; ipc-msgq send -t 1 world
 *	$ ipcs -q
 *	$ ipc-msgq info
 *	$ ipc-msgq recv -t 2; ipc-msgq recv --all -l
 *	terminal 1: $ ipc-msgq recv -t 3 -c 0
 *	terminal 2: $ ipc-msgq send -t 1 ignored; ipc-msgq send -t 3 taken
 *	$ ipc-msgq rm
 *	$ ipc-msgq --posix send -p 5 urgent; ipc-msgq --posix send calm
 *	$ ipc-msgq --posix recv -c 2 -l; ipc-msgq --posix rm
 *	$ ipc-msgq bench -s 64K; ipc-msgq --posix bench --latency -s 64
 *	$ strace -f -e trace=msgget,msgsnd,msgrcv,msgctl ipc-msgq -q demo
 *
 * Where to read:
 *	demo		msgq/demo.c:demo_sysv, then demo_posix
 *	send		msgq/send.c:send_sysv, then send_posix
 *	recv		msgq/recv.c:recv_sysv, then recv_posix
 *	info		msgq/info.c:info_sysv, then info_posix
 *	rm		msgq/info.c:rm_sysv, then rm_posix
 *	bench		msgq/bench.c:bench_sysv, then bench_posix
 *	(which queue)	msgq/queue.c:which_queue, open_sysv, open_posix,
 *			refuse_unless_ours_sysv
 *	(why it failed)	msgq/failed.c:msgget_failed, mq_open_failed
 *	(shared)	msgq/ipc-msgq.h: struct opts, the prototypes
 *
 * See also: msgget(2), msgsnd(2), msgctl(2), ftok(3), mq_open(3),
 * mq_send(3), mq_receive(3), mq_overview(7), sysvipc(7), ipcs(1), ipclab(7)
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-msgq.h"

/* One option into O; run_program calls it in command-line order. */
static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'A':
		o->all = 1;
		break;
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'M':
		o->maxmsg = (long)parse_count("--maxmsg", arg, 1, 1000000000);
		break;
	case 'N':
		o->name = parse_posix_name("-N", arg);
		break;
	case 'P':
		o->proj = parse_proj(arg);
		break;
	case 'S':
		o->msgsize = (long)parse_size("--msgsize", arg, 1, 1 << 30);
		break;
	case 'T':
		o->truncate = 1;
		break;
	case 'W':
		o->nowait = 1;
		break;
	case 'X':
		o->posix = 1;
		break;
	case 'c':
		o->count = parse_count("-c", arg, 0, LLONG_MAX);
		break;
	case 'f':
		o->path = arg;
		break;
	case 'k':
		o->key = parse_key("-k", arg);
		break;
	case 'l':
		o->label = 1;
		break;
	case 'm':
		o->mode = parse_mode("-m", arg);
		break;
	case 'n':
		o->nmsgs = parse_count("-n", arg, 1, 100000000);
		break;
	case 'p':
		o->prio = (unsigned int)parse_count("-p", arg, 0,
		    sysconf(_SC_MQ_PRIO_MAX) - 1);
		break;
	case 's':
		o->size = parse_size("-s", arg, 1, 64 << 20);
		break;
	case 't':
		o->type = (long)parse_count("-t", arg, -LONG_MAX, LONG_MAX);
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "X", "[--posix]",
	  "a parent sends tagged messages; its child picks them by type" },
	{ "send", cmd_send, "MNPSWXfkmpt",
	  "[-t TYPE | -p PRIO] [--nowait] [MESSAGE...]",
	  "queue each MESSAGE (or stdin line); create the queue if missing" },
	{ "recv", cmd_recv, "AMNPSTWXcfklmst",
	  "[-t TYPE] [-c N] [--nowait] [--all] [--truncate] [-l]",
	  "receive and print messages (one by default), waiting for them" },
	{ "info", cmd_info, "NPXfk", "",
	  "the kernel's view of the queue: key, mode, messages, pids" },
	{ "rm", cmd_rm, "NPXfk", "",
	  "remove the queue and any messages in it" },
	{ "bench", cmd_bench, "CLXns", "[-s SIZE] [-n N] [--latency] [--cpu A,B]",
	  "measure throughput or round-trip latency" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'A', 0, "all", NULL,
	  "recv: take every message waiting, do not wait" },
	{ 'C', 0, "cpu", "A,B",
	  "bench: pin the sender to CPU A, receiver to B" },
	{ 'L', 0, "latency", NULL,
	  "bench: round trips instead of a stream" },
	{ 'M', 0, "maxmsg", "N",
	  "POSIX: a new queue holds N messages" },
	{ 'N', 1, "name", "/NAME",
	  "POSIX: the queue's name (/ipclab-UID-msgq)" },
	{ 'P', 1, "proj", "PROJ",
	  "System V: ftok's project id for -f ('q')" },
	{ 'S', 0, "msgsize", "SIZE",
	  "POSIX: a new queue's largest message" },
	{ 'T', 0, "truncate", NULL,
	  "recv: cut a message too long (MSG_NOERROR)" },
	{ 'W', 0, "nowait", NULL,
	  "fail at once if the queue is full or empty" },
	{ 'X', 0, "posix", NULL,
	  "POSIX message queues instead of System V" },
	{ 'c', 1, "count", "N",
	  "recv: messages to receive (1); 0 for ever" },
	{ 'f', 1, "file", "PATH",
	  "System V: the key is ftok(PATH, PROJ)" },
	{ 'k', 1, "key", "KEY",
	  "System V: the queue's key (default: ftok)" },
	{ 'l', 1, "label", NULL,
	  "recv: put the type or priority first" },
	{ 'm', 1, "mode", "MODE",
	  "a new queue's permissions (600)" },
	{ 'n', 1, NULL, "N",
	  "bench: messages to time" },
	{ 'p', 1, "priority", "PRIO",
	  "POSIX send: the priority (0)" },
	{ 's', 1, "size", "SIZE",
	  "recv: buffer (msgmax); bench: payload" },
	{ 't', 1, "type", "TYPE",
	  "System V: send's type (1); recv's choice (0)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"Message queues, System V and POSIX: the kernel keeps whole messages.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.mode = MODE_NOT_GIVEN;
	o.type = TYPE_NOT_GIVEN;
	o.prio = PRIO_NOT_GIVEN;
	o.count = COUNT_NOT_GIVEN;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
