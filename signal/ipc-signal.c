/*
 * ipc-signal - signals between processes: who sent them, which ones merge,
 * which ones queue, and a supervisor that lives on heartbeats.
 *
 * Teaches: kill(2) and sigqueue(3), sigaction(2) with SA_SIGINFO and the
 * siginfo_t that names the sender, the self-pipe trick (a handler that only
 * write(2)s), sigprocmask(2), sigpending(2), sigtimedwait(2) and
 * sigwaitinfo(2) (taking signals without a handler), standard signals that
 * merge versus real-time signals that queue with a value, SIGCHLD and the
 * waitpid(-1, WNOHANG) loop, and stopping children with SIGTERM, then SIGKILL.
 *
 * Try:
 *	$ ipc-signal demo
 *	terminal 1: $ ipc-signal catch
 *	terminal 2: $ kill -USR1 PID; echo $$
 *	terminal 2: $ ipc-signal send PID RTMIN 42
 *	terminal 2: $ kill -TERM PID
 *	$ ipc-signal supervise --interval 0.5 --timeout 2 --hang 2@1 --run 6
 *	$ ipc-signal bench
 *	$ strace -f -e trace=%signal ipc-signal -q demo
 *
 * Where to read:
 *	catch		signal/catch.c:cmd_catch; the handler, on_signal
 *	send		signal/send.c:cmd_send
 *	demo		signal/demo.c:cmd_demo; the receiver, demo_receive
 *	supervise	signal/supervise.c:cmd_supervise; a worker's life (fork,
 *			heartbeat, waitpid, SIGKILL, restart),
 *			signal/worker.c:start_worker, worker_main, reap_workers,
 *			check_workers; the end, signal/stop.c:stop_workers; time
 *			and the log, signal/clock.c
 *	bench		signal/bench.c:cmd_bench
 *	shared		signal/ipc-signal.h: the options, the supervisor's state
 *
 * See also: kill(1), kill(2), sigaction(2), sigqueue(3), sigtimedwait(2),
 * signal(7), ipclab(7)
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-signal.h"

static void
set_option(struct opts *o, int c, const char *arg)
{
	const char *at;
	char number[32];
	size_t n;

	switch (c) {
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'H':
		/* N[@S]: worker N stops beating S seconds after it starts. */
		at = strchr(arg, '@');
		n = at ? (size_t)(at - arg) : strlen(arg);
		if (n >= sizeof(number))
			usage_error("--hang: '%s' is not N or N@SECONDS", arg);
		memcpy(number, arg, n);
		number[n] = '\0';
		o->hang = parse_count("--hang", number, 1, MAX_WORKERS);
		if (at != NULL)
			o->hang_after = parse_seconds("--hang", at + 1, 0, 3600);
		break;
	case 'I':
		o->interval = parse_seconds("--interval", arg, 0.01, 60);
		break;
	case 'L':
		/* A signal bench is always a round trip; taken for symmetry. */
		break;
	case 'R':
		o->run = parse_seconds("--run", arg, 0.01, 86400);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.02, 3600);
		break;
	case 'w':
		o->workers = parse_count("-w", arg, 1, MAX_WORKERS);
		break;
	}
}

static const struct command commands[] = {
	{ "catch", cmd_catch, "", "[SIGNAL...]",
	  "print each signal that arrives, with its sender's pid and uid" },
	{ "send", cmd_send, "", "PID SIGNAL [VALUE]",
	  "kill(2) PID, or sigqueue(3) it with VALUE" },
	{ "demo", cmd_demo, "n", "[-n N]",
	  "a standard signal sent 3 times arrives once; a real-time one 3 "
	  "times" },
	{ "supervise", cmd_supervise, "HIRtw",
	  "[-w W] [--interval S] [-t S] [--hang N[@S]] [--run S]",
	  "restart workers whose heartbeat signals stop" },
	{ "bench", cmd_bench, "CLn", "[-n N] [--cpu A,B]",
	  "measure the round trip of a signal ping-pong" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'C', 0, "cpu", "A,B",
	  "bench: pin the sender to CPU A, the echo to B" },
	{ 'H', 0, "hang", "N[@S]",
	  "supervise: worker N stops beating after S " "seconds (2)" },
	{ 'I', 0, "interval", "S",
	  "supervise: seconds between heartbeats (1)" },
	{ 'L', 0, "latency", NULL,
	  "bench: accepted; a signal bench is always a " "round trip" },
	{ 'R', 0, "run", "S",
	  "supervise: stop after S seconds (default: at " "SIGINT/SIGTERM)" },
	{ 'n', 1, "count", "N",
	  "demo: signals of each kind (3); bench: " "round trips" },
	{ 't', 1, "timeout", "S",
	  "supervise: silence that means a worker " "hangs (3)" },
	{ 'w', 1, "workers", "W",
	  "supervise: workers to start (3)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"Signals between processes: merging, queueing, a heartbeat supervisor.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o = {
		.count = 0, .workers = 3, .interval = 1, .timeout = 3,
		.run = 0, .hang = 0, .hang_after = 2, .cpu = { -1, -1 }
	};

	return run_program(&program, &o, argc, argv);
}
