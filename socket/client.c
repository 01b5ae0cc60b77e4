/*
 * client.c - the client: socket(), connect(), then send() and recv().
 *
 * It mirrors the classic echo client (UNP's str_cli, the client in
 * unix(7)): client_socket() makes the two calls every client makes
 * (a datagram client binds between them, autobind() in dgram.c);
 * connect_stream() sends the input and prints what comes back, with one
 * poll(2) over both so that a large input cannot deadlock, and
 * shutdown(2) to say "no more".  The datagram client is in dgram.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

/* A client's socket, connected to the endpoint; failures explained. */
int
client_socket(const struct endpoint *ep)
{
	int fd;

	if ((fd = socket(ep->family, ep->type | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	say("socket(%s) -> fd %d: a new socket of our own, at the lowest "
	    "free number", socket_args(ep), fd);
	/* A datagram client needs an address of its own for the replies. */
	if (ep->type == SOCK_DGRAM)
		autobind(fd);
	if (connect(fd, (const struct sockaddr *)&ep->addr, ep->len) == -1)
		connect_failed(ep);
	say("connect(%d, \"%s\"): connected", fd, ep->name);
	return fd;
}

/*
 * The first steps of a client that a server forked, to show both sides
 * in one run: its name in the narration, and the listening socket LFD
 * closed, for accepting is the server's part.  Its number is free then,
 * and the client's own socket() will often get it: the same number, a
 * different socket.
 */
void
forked_client(int lfd)
{
	narrate_role("client");
	if (close(lfd) == -1)
		err(1, "close");
	say("close(%d): the listening socket came with fork(); accepting is "
	    "the server's part, so our copy goes and fd %d is free", lfd, lfd);
}

static char	*join_lines(int argc, char **argv, size_t *lenp);
static void	 connect_stream(int fd, const struct endpoint *ep, char *msg,
		    size_t msglen);

/*
 * connect: send each MESSAGE as a line (or standard input), print what
 * comes back.  The first argument is the PATH if it has a '/' in it and
 * neither --abstract nor --tcp names the socket.
 */
int
cmd_connect(struct opts *o, int argc, char **argv)
{
	const char *path = NULL;
	struct endpoint ep;
	struct ucred uc;
	socklen_t uclen = sizeof(uc);
	char *msg = NULL;
	size_t len = 0;
	int fd;

	if (argc > 0 && strchr(argv[0], '/') != NULL && o->abstract == NULL &&
	    o->tcp == NULL) {
		path = argv[0];
		argc--;
		argv++;
	}
	endpoint(&ep, o, path, "socket", 0);
	narrate_role("client");
	fd = client_socket(&ep);
	if (ep.family == AF_UNIX && ep.type == SOCK_STREAM) {
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &uclen) == -1)
			err(1, "getsockopt SO_PEERCRED");
		say("getsockopt(%d, SO_PEERCRED) -> the server is pid %ld, "
		    "uid %ld", fd, (long)uc.pid, (long)uc.uid);
	}
	if (ep.type == SOCK_DGRAM) {
		connect_dgram(fd, &ep, argc, argv);
	} else {
		if (argc > 0)
			msg = join_lines(argc, argv, &len);
		connect_stream(fd, &ep, msg, len);
		free(msg);
	}
	if (close(fd) == -1)
		err(1, "close");
	return 0;
}

/* The MESSAGE arguments, each ended by a newline, in one buffer. */
static char *
join_lines(int argc, char **argv, size_t *lenp)
{
	size_t len = 0, l;
	char *msg;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((msg = malloc(len)) == NULL)
		err(1, "malloc");
	for (len = 0, i = 0; i < argc; i++) {
		l = strlen(argv[i]);
		memcpy(msg + len, argv[i], l);
		msg[len + l] = '\n';
		len += l + 1;
	}
	*lenp = len;
	return msg;
}

/*
 * The LINE arguments of demo and pair, or their FALLBACK when there are
 * none (*ARGC becomes N).  Each must be one line, as the other side reads
 * lines; WHAT names them in the usage error.
 */
const char *const *
message_lines(int *argc, char **argv, const char *const *fallback, int n,
    const char *what)
{
	const char *const *lines = (const char *const *)argv;
	int i;

	if (*argc == 0) {
		*argc = n;
		lines = fallback;
	}
	for (i = 0; i < *argc; i++)
		if (strchr(lines[i], '\n') != NULL || strlen(lines[i]) > 4000)
			usage_error("%s must be one line of at most 4000 bytes",
			    what);
	return lines;
}

/* What connect_stream has sent and has still to send. */
struct outgoing {
	char		*buf;
	size_t		 len, off;	/* buf[off, len) is still to go */
	long long	 sent, got;
	int		 eof;		/* no more input */
	int		 told;		/* sends narrated so far */
};

static void	send_some(int fd, const struct endpoint *ep,
		    struct outgoing *out);
static int	recv_some(int fd, const struct endpoint *ep,
		    struct outgoing *out);

/*
 * The stream client's pump: what we send comes from MSG (the MESSAGE
 * arguments) or standard input; what comes back goes to standard output.
 * One poll() does both, so a large input never deadlocks against a
 * server whose replies we are not reading.  At the end of the input,
 * shutdown(SHUT_WR) tells the server so; it echoes what is left and
 * closes, and our read sees end of file.
 */
static void
connect_stream(int fd, const struct endpoint *ep, char *msg, size_t msglen)
{
	static char in[65536];
	struct outgoing out = { .buf = msg, .len = msglen, .eof = msg != NULL };
	struct pollfd pfd[2];
	int shut = 0, n, flags;
	ssize_t r;

	/* Non-blocking, so a full socket buffer never stops us reading. */
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		err(1, "fcntl O_NONBLOCK");
	for (;;) {
		stop_if_signalled();
		if (out.eof && out.off == out.len && !shut) {
			if (shutdown(fd, SHUT_WR) == -1)
				err(1, "shutdown %s", ep->name);
			say("shutdown(%d, SHUT_WR): %lld bytes sent, nothing "
			    "more; the server sees end of file", fd, out.sent);
			shut = 1;
		}
		pfd[0].fd = fd;
		pfd[0].events = POLLIN | (out.off < out.len ? POLLOUT : 0);
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		n = !out.eof && out.off == out.len ? 2 : 1;
		if (poll(pfd, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (n == 2 && pfd[1].revents != 0) {
			r = read(STDIN_FILENO, in, sizeof(in));
			if (r == -1 && errno != EINTR)
				err(1, "read standard input");
			if (r == 0)
				out.eof = 1;
			if (r > 0) {
				out.buf = in;
				out.len = (size_t)r;
				out.off = 0;
			}
		}
		if (pfd[0].revents & POLLOUT)
			send_some(fd, ep, &out);
		if ((pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    recv_some(fd, ep, &out) == 0)
			break;
	}
	say("recv(%d) -> 0: the server closed; %lld bytes sent, %lld came "
	    "back", fd, out.sent, out.got);
	if (!out.eof || out.off < out.len)
		errx(1, "%s: the server closed the connection before taking "
		    "all our input", ep->name);
}

/* send() what the socket takes now of what is still to go. */
static void
send_some(int fd, const struct endpoint *ep, struct outgoing *out)
{
	ssize_t r;

	r = send(fd, out->buf + out->off, out->len - out->off,
	    MSG_NOSIGNAL | MSG_DONTWAIT);
	if (r == -1 && (errno == EPIPE || errno == ECONNRESET))
		errx(1, "send %s: %s: the server closed the connection",
		    ep->name, strerror(errno));
	if (r == -1 && errno != EINTR && errno != EAGAIN)
		err(1, "send %s", ep->name);
	if (r > 0) {
		if (out->told++ < 3)
			say("send(%d) -> %zd bytes", fd, r);
		out->off += (size_t)r;
		out->sent += r;
	}
}

/* recv() what has come back and print it; 0 at end of file, else 1. */
static int
recv_some(int fd, const struct endpoint *ep, struct outgoing *out)
{
	static char back[65536];
	ssize_t r;

	r = recv(fd, back, sizeof(back), MSG_DONTWAIT);
	if (r == -1 && errno == ECONNRESET)
		errx(1, "recv %s: %s: the server reset the connection",
		    ep->name, strerror(errno));
	if (r == -1 && errno != EINTR && errno != EAGAIN)
		err(1, "recv %s", ep->name);
	if (r == 0)
		return 0;
	if (r > 0) {
		if (write_all(STDOUT_FILENO, back, (size_t)r) == -1)
			err(1, "write error on standard output");
		out->got += r;
	}
	return 1;
}
