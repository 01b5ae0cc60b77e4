/*
 * server.c - the server: socket(), bind(), listen(), then accept() and
 * echo, for many clients at once.
 *
 * It mirrors the classic echo server (UNP's str_echo, the example in
 * unix(7)): server_socket() makes the three calls every server makes, in
 * their order; serve_stream() is its accept loop, one process serving
 * many clients with poll(2) instead of one fork() per client.  The
 * datagram server is in dgram.c, the address and socket-file plumbing in
 * address.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

/*
 * A server's socket: socket(), bind() to the endpoint, and listen() for a
 * stream.  Port 0 asks the kernel for a free port; ep->name then says
 * which it gave.
 */
int
server_socket(struct endpoint *ep)
{
	struct stat st;
	mode_t old;
	int fd, one = 1, r;

	if (ep->path[0] != '\0')
		clear_stale(ep);
	if ((fd = socket(ep->family, ep->type | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	say("socket(%s) -> fd %d", socket_args(ep), fd);
	/* A restarted TCP server may bind while old connections linger. */
	if (ep->family != AF_UNIX &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(1, "setsockopt SO_REUSEADDR");
	/* bind() makes the file with 0777 minus the umask: make that 0600. */
	old = umask(0177);
	r = bind(fd, (const struct sockaddr *)&ep->addr, ep->len);
	(void)umask(old);
	if (r == -1)
		bind_failed(ep);
	if (ep->path[0] != '\0') {
		socket_file_made(ep->path, &st);
		say("bind(%d, \"%s\"): a socket file now, mode %04o", fd,
		    ep->path, (unsigned)(st.st_mode & 07777));
	} else if (ep->family == AF_UNIX) {
		say("bind(%d, \"%s\"): an abstract name, no file; it goes "
		    "when the socket closes", fd, ep->name);
	} else {
		ep->len = sizeof(ep->addr);
		if (getsockname(fd, (struct sockaddr *)&ep->addr, &ep->len) ==
		    -1)
			err(1, "getsockname");
		inet_name(ep);
		say("bind(%d) then getsockname() -> %s", fd, ep->name);
	}
	if (ep->type != SOCK_DGRAM) {
		if (listen(fd, SOMAXCONN) == -1)
			err(1, "listen %s", ep->name);
		say("listen(%d, %d): clients may connect now", fd, SOMAXCONN);
	}
	return fd;
}

static int	serve_stream(const struct opts *o, int lfd,
		    const struct endpoint *ep);

/*
 * serve: an echo server on a path, an abstract name or a TCP port.  The
 * first line on stdout says where it listens, so a script can find a
 * port the kernel picked.
 */
int
cmd_serve(struct opts *o, int argc, char **argv)
{
	struct endpoint ep;
	int fd;

	if (argc > 1)
		usage_error("serve takes at most one PATH");
	endpoint(&ep, o, argc == 1 ? argv[0] : NULL, "socket", 1);
	narrate_role("server");
	/* A client that hangs up mid-line must never kill the server. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	say("signal(SIGPIPE, SIG_IGN): a client that hangs up gives EPIPE, "
	    "not a dead server");
	fd = server_socket(&ep);
	printf("listening on %s\n", ep.name);
	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	if (ep.type == SOCK_DGRAM)
		return serve_dgram(o, fd);
	return serve_stream(o, fd, &ep);
}

/* A server's many clients, each with the bytes it still has to get back. */
#define MAX_CLIENTS	64
#define CLIENT_BUF	16384

/* One connected client of serve: what it sent that it has not had back. */
struct client {
	int		 fd;		/* -1: a free slot */
	int		 eof;		/* it has sent all it will send */
	size_t		 len, off;	/* buf[off, len) goes back to it */
	long long	 bytes;
	int		 told;		/* transfers narrated so far */
	char		 who[128];
	char		 buf[CLIENT_BUF];
};

static struct client clients[MAX_CLIENTS];

static int	accept_client(const struct opts *o, int lfd,
		    const struct endpoint *ep);
static int	echo_step(struct client *c, short events);
static int	watch_list(struct pollfd *pfd, struct client **slot, int lfd);

/*
 * The stream server: one process, one poll() over the listening socket
 * and every client.  A client whose bytes cannot go back yet (it is not
 * reading) is not read from either, so no buffer grows without bound and
 * no other client waits on it.  LFD becomes -1 once we stop listening.
 */
static int
serve_stream(const struct opts *o, int lfd, const struct endpoint *ep)
{
	struct pollfd pfd[MAX_CLIENTS + 1];
	struct client *slot[MAX_CLIENTS + 1];
	int n, i, served = 0, gone = 0, failed = 0, ready, r;

	for (i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	for (;;) {
		stop_if_signalled();
		if ((n = watch_list(pfd, slot, lfd)) == 0)
			return gone;
		/* Listening on a path: wake once a second to check the file. */
		ready = poll(pfd, (nfds_t)n, lfd != -1 &&
		    our_socket_file() != NULL ? 1000 : -1);
		if (ready == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (lfd != -1 && socket_file_gone()) {
			warnx("%s was removed: no new client can connect; "
			    "serving the connected ones until they leave",
			    our_socket_file());
			if (close(lfd) == -1)
				err(1, "close");
			lfd = -1;
			/* serve promised to go on until a signal; it cannot. */
			gone = 1;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (slot[i] == NULL) {
				lfd = accept_client(o, lfd, ep);
				continue;
			}
			/* A client that failed goes; the server goes on. */
			if ((r = echo_step(slot[i], pfd[i].events)) == -1)
				failed = 1;
			served += r != 0;
		}
		if (o->once && served > 0)
			return failed;
	}
}

/*
 * What poll() watches: the listening socket LFD while there is a free
 * slot (a full server leaves new clients waiting in the backlog), and
 * each client, for room to send its echo or, with none owed, for input.
 */
static int
watch_list(struct pollfd *pfd, struct client **slot, int lfd)
{
	struct client *c;
	int i, n = 0;

	if (lfd != -1) {
		for (i = 0; i < MAX_CLIENTS && clients[i].fd != -1; i++)
			continue;
		if (i < MAX_CLIENTS) {
			pfd[n].fd = lfd;
			pfd[n].events = POLLIN;
			slot[n++] = NULL;
		}
	}
	for (i = 0; i < MAX_CLIENTS; i++) {
		c = &clients[i];
		if (c->fd == -1)
			continue;
		pfd[n].fd = c->fd;
		pfd[n].events = c->off < c->len ? POLLOUT : POLLIN;
		slot[n++] = c;
	}
	return n;
}

/*
 * accept() a new client into a free slot and say who it is.  Returns the
 * listening socket, or -1 once --once has closed it.
 */
static int
accept_client(const struct opts *o, int lfd, const struct endpoint *ep)
{
	struct sockaddr_storage sa;
	struct client *c;
	socklen_t salen;
	int fd;

	salen = sizeof(sa);
	fd = accept4(lfd, (struct sockaddr *)&sa, &salen,
	    SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd == -1 && (errno == EINTR || errno == EAGAIN ||
	    errno == ECONNABORTED))
		return lfd;
	if (fd == -1)
		err(1, "accept %s", ep->name);
	for (c = clients; c->fd != -1; c++)
		continue;
	memset(c, 0, offsetof(struct client, buf));
	c->fd = fd;
	describe_peer(fd, ep->family, &sa, c->who, sizeof(c->who));
	say("accept() -> fd %d: a client, %s%s", fd, c->who,
	    ep->family == AF_UNIX ? " (the kernel's word: SO_PEERCRED)" : "");
	if (!o->once)
		return lfd;
	/* One client: nobody else gets in. */
	if (close(lfd) == -1)
		err(1, "close");
	say("close(%d): --once, no more clients", lfd);
	return -1;
}

static void
drop_client(struct client *c, const char *why)
{
	if (close(c->fd) == -1)
		err(1, "close");
	say("client %s %s after %lld bytes; fd %d closed", c->who, why,
	    c->bytes, c->fd);
	c->fd = -1;
}

/* CALL to or from client C failed: warn, and let that client go. */
static int
client_failed(struct client *c, const char *call)
{
	warn("%s %s", call, c->who);
	drop_client(c, "failed (see above) and is dropped");
	return -1;
}

/*
 * One step for client C, as poll() found it ready for EVENTS: send back
 * what it has not had yet, or recv() more.  Returns 1 when C has gone,
 * -1 when it failed and was dropped.
 */
static int
echo_step(struct client *c, short events)
{
	ssize_t r;

	if (events & POLLOUT) {
		r = send(c->fd, c->buf + c->off, c->len - c->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			return 0;
		if (r == -1 && (errno == EPIPE || errno == ECONNRESET)) {
			drop_client(c, errno == EPIPE ? "hung up before its "
			    "echo (EPIPE, no SIGPIPE: we carry on)" : "reset "
			    "the connection");
			return 1;
		}
		if (r == -1)
			return client_failed(c, "send to");
		c->off += (size_t)r;
		if (c->off == c->len)
			c->off = c->len = 0;
	} else {
		r = recv(c->fd, c->buf, sizeof(c->buf), MSG_DONTWAIT);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			return 0;
		if (r == -1 && errno == ECONNRESET) {
			drop_client(c, "reset the connection");
			return 1;
		}
		if (r == -1)
			return client_failed(c, "recv from");
		if (r == 0)
			c->eof = 1;
		else if (c->told++ < 3)
			say("recv(%d) -> %zd bytes from %s: echoing them%s",
			    c->fd, r, c->who, c->told == 3 ? " (no more of "
			    "this client's transfers narrated)" : "");
		c->len = (size_t)r;
		c->off = 0;
		c->bytes += r;
	}
	if (c->eof && c->off == c->len) {
		drop_client(c, "closed its end (recv -> 0)");
		return 1;
	}
	return 0;
}

/* "pid 1234 uid 1000 gid 1000" for a Unix peer, its address for TCP. */
void
describe_peer(int fd, int family, const struct sockaddr_storage *sa,
    char *buf, size_t len)
{
	struct endpoint peer;
	struct ucred uc;
	socklen_t uclen = sizeof(uc);

	if (family == AF_UNIX || sa == NULL) {
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &uclen) == -1)
			err(1, "getsockopt SO_PEERCRED");
		snprintf(buf, len, "pid %ld uid %ld gid %ld", (long)uc.pid,
		    (long)uc.uid, (long)uc.gid);
		return;
	}
	memset(&peer, 0, sizeof(peer));
	memcpy(&peer.addr, sa, sizeof(peer.addr));
	peer.family = sa->ss_family;
	inet_name(&peer);
	snprintf(buf, len, "%s", peer.name);
}
