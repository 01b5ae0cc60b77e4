/*
 * ipc-socket - sockets: a server, its clients, and what only local sockets
 * can carry (open files and credentials).
 *
 * Teaches: socket(2), bind(2) to a path, an abstract name or a TCP port,
 * listen(2), accept(2), connect(2), one server serving many clients with
 * poll(2), SO_PEERCRED, stream versus datagram sockets, shutdown(2) for a
 * half close, socketpair(2), sendmsg(2) and recvmsg(2) with ancillary data
 * (struct cmsghdr): SCM_RIGHTS to pass an open descriptor, SCM_CREDENTIALS
 * with SO_PASSCRED for credentials the kernel vouches for; and the socket
 * file: stale ones, live ones, and paths that are not sockets at all.
 *
 * Try:
 *	$ ipc-socket demo
 *	terminal 1: $ ipc-socket serve
 *	terminal 2: $ ipc-socket connect hello 'second line'
 *	terminal 2: $ socat - \
 *	    UNIX-CONNECT:${XDG_RUNTIME_DIR:-/tmp}/ipclab-$(id -u)/socket
 *	$ ipc-socket serve --tcp 127.0.0.1:0		(prints the port it got)
 *	terminal 1: $ ipc-socket serve --abstract demo-$(id -u)
 *	terminal 2: $ ipc-socket connect --abstract demo-$(id -u) hi
 *	$ ipc-socket pair
 *	$ ipc-socket passfd /etc/hostname
 *	terminal 1: $ ipc-socket recvfd
 *	terminal 2: $ ipc-socket sendfd /etc/hostname
 *	$ ipc-socket cred
 *	$ ipc-socket bench -s 64K; ipc-socket bench --tcp 127.0.0.1:0 --latency
 *	$ strace -f -e trace=socket,bind,listen,accept4,connect,sendmsg,recvmsg \
 *	      ipc-socket -q passfd /etc/hostname
 *
 * Where to read:
 *	demo		socket/demo.c: cmd_demo, the classic server and client
 *			(demo_client) in one run
 *	serve		socket/server.c: server_socket (socket, bind, listen),
 *			cmd_serve, serve_stream (the accept loop, the echo);
 *			--dgram: socket/dgram.c: serve_dgram
 *	connect		socket/client.c: client_socket (socket, connect),
 *			cmd_connect, connect_stream;
 *			--dgram: socket/dgram.c: autobind (bind before
 *			connect), connect_dgram
 *	pair		socket/pair.c: cmd_pair
 *	passfd		socket/passfd.c: cmd_passfd, send_fd, recv_fd
 *			(SCM_RIGHTS)
 *	recvfd, sendfd	socket/passfd.c: cmd_recvfd, cmd_sendfd
 *	cred		socket/cred.c: cmd_cred, send_cred, recv_cred
 *	bench		socket/bench.c: cmd_bench
 *	PATH, --abstract, --tcp, stale and removed socket files, failed
 *	bind() and connect() explained: socket/address.c
 *
 * See also: socket(2), bind(2), accept(2), sendmsg(2), recvmsg(2),
 * socketpair(2), cmsg(3), socket(7), unix(7), tcp(7), ss(8), socat(1),
 * ipclab(7)
 */
#include "config.h"

#include <string.h>

#include "ipclab.h"
#include "ipc-socket.h"

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'A':
		o->abstract = arg;
		break;
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'D':
		o->dgram = 1;
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'O':
		o->once = 1;
		break;
	case 'T':
		o->tcp = arg;
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
	{ "demo", cmd_demo, "", "[MESSAGE...]",
	  "a server and its client meet at a path; the server echoes" },
	{ "serve", cmd_serve, "ADOT", "[PATH] [--dgram|--abstract N|--tcp H:P]",
	  "an echo server for many clients at once; --once: one" },
	{ "connect", cmd_connect, "ADT", "[PATH] [MESSAGE...]",
	  "send each MESSAGE (or stdin), print what comes back" },
	{ "pair", cmd_pair, "", "[LINE...]",
	  "socketpair(2): one descriptor each, both directions" },
	{ "passfd", cmd_passfd, "", "FILE",
	  "a child opens FILE and passes the descriptor (SCM_RIGHTS)" },
	{ "recvfd", cmd_recvfd, "A", "[PATH]",
	  "accept one sender, receive a descriptor, print the file" },
	{ "sendfd", cmd_sendfd, "A", "[PATH] FILE",
	  "open FILE and send its descriptor to recvfd" },
	{ "cred", cmd_cred, "", "",
	  "SO_PEERCRED and SCM_CREDENTIALS: the kernel vouches" },
	{ "bench", cmd_bench, "CLTns",
	  "[-s SIZE] [-n N] [--latency] [--tcp H:P]",
	  "measure throughput or round-trip latency" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_def options[] = {
	{ 'A', 0, "abstract", "NAME",
	  "an abstract Unix name, no file (Linux)" },
	{ 'C', 0, "cpu", "A,B",
	  "bench: pin the sender to CPU A, receiver to B" },
	{ 'D', 0, "dgram", NULL,
	  "serve, connect: datagrams instead of a stream" },
	{ 'L', 0, "latency", NULL,
	  "bench: round trips instead of a stream" },
	{ 'O', 0, "once", NULL,
	  "serve: one client (or datagram), then exit" },
	{ 'T', 0, "tcp", "HOST:PORT",
	  "TCP instead (serve: port 0 picks one)" },
	{ 'n', 1, "count", "N",
	  "bench: messages or round trips" },
	{ 's', 1, "size", "SIZE",
	  "bench: bytes per message (K, M suffix)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct program program = {
	"Sockets: servers, clients, and passing files and credentials.",
	commands, options, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
