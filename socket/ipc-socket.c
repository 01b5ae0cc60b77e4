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
 *	terminal 2: $ socat - UNIX-CONNECT:$XDG_RUNTIME_DIR/ipclab-$(id -u)/socket
 *	$ ipc-socket serve --tcp 127.0.0.1:0		(prints the port it got)
 *	$ ipc-socket serve --abstract demo & ipc-socket connect --abstract demo hi
 *	$ ipc-socket pair
 *	$ ipc-socket passfd /etc/hostname
 *	terminal 1: $ ipc-socket recvfd
 *	terminal 2: $ ipc-socket sendfd /etc/hostname
 *	$ ipc-socket cred
 *	$ ipc-socket bench -s 64K; ipc-socket bench --tcp 127.0.0.1:0 --latency
 *	$ strace -f -e trace=socket,bind,listen,accept4,connect,sendmsg,recvmsg \
 *	      ipc-socket -q passfd /etc/hostname
 *
 * See also: socket(2), bind(2), accept(2), sendmsg(2), recvmsg(2),
 * socketpair(2), cmsg(3), socket(7), unix(7), tcp(7), ss(8), socat(1),
 * ipclab(7)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

struct opts {
	int		 dgram;		/* serve, connect: SOCK_DGRAM */
	const char	*abstract;	/* serve, connect...: an abstract name */
	const char	*tcp;		/* serve, connect, bench: HOST:PORT */
	int		 once;		/* serve: one client, then exit */
	size_t		 size;		/* bench; 0 for the default */
	long long	 count;		/* bench; 0 for the default */
	int		 latency;	/* bench: ping-pong */
	int		 cpu[2];	/* bench: sender, receiver CPUs */
};

/* Room in sun_path, with the NUL a path needs at its end. */
#define SUN_PATH_SIZE	sizeof(((struct sockaddr_un *)NULL)->sun_path)

/*
 * Where a socket lives: a path in the file system, an abstract name
 * (Linux: a name with no file, gone with the socket) or a TCP address.
 */
struct endpoint {
	int			 family;	/* AF_UNIX, AF_INET, AF_INET6 */
	int			 type;		/* SOCK_STREAM, SOCK_DGRAM */
	struct sockaddr_storage	 addr;
	socklen_t		 len;
	char			 path[SUN_PATH_SIZE];	/* "" unless a file */
	char			 name[128];		/* for the narration */
};

/* A server's many clients, each with the bytes it still has to get back. */
#define MAX_CLIENTS	64
#define CLIENT_BUF	16384

/* How long a datagram client waits for each reply. */
#define REPLY_TIMEOUT_MS	5000

/*
 * Write all LEN bytes.  A socket may take fewer bytes than asked (a
 * signal, a full buffer), so we loop.  MSG_NOSIGNAL: if the peer has gone,
 * send() fails with EPIPE instead of killing us with SIGPIPE.
 */
static int
send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		stop_if_signalled();
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno != EINTR)
				return -1;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}


/* What kind of file MODE is, for a refusal a student can act on. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a socket";
}

/* A Unix socket address for PATH, refused (usage) when it cannot fit. */
static void
unix_path(struct endpoint *ep, const char *path, int from_user)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&ep->addr;
	size_t len = strlen(path);

	if (len == 0)
		usage_error("the socket PATH is empty");
	/* sun_path is a fixed array: the path and its NUL must fit in it. */
	if (len >= SUN_PATH_SIZE) {
		if (from_user)
			usage_error("%s: the path is %zu bytes; a Unix socket "
			    "address holds at most %zu (sun_path is %zu bytes, "
			    "NUL included)", path, len, SUN_PATH_SIZE - 1,
			    SUN_PATH_SIZE);
		errx(1, "%s: the path is %zu bytes; a Unix socket address "
		    "holds at most %zu: set XDG_RUNTIME_DIR to a shorter "
		    "directory, or name a PATH", path, len, SUN_PATH_SIZE - 1);
	}
	ep->family = AF_UNIX;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len + 1);
	ep->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	memcpy(ep->path, path, len + 1);
	snprintf(ep->name, sizeof(ep->name), "%s", path);
}

/*
 * An abstract address: sun_path starts with a NUL byte and the name
 * follows; its length, not a NUL, says where it ends.  No file is made.
 */
static void
unix_abstract(struct endpoint *ep, const char *name)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&ep->addr;
	size_t len = strlen(name);

	if (len == 0)
		usage_error("--abstract: the NAME is empty");
	if (len > SUN_PATH_SIZE - 1)
		usage_error("--abstract: '%s' is %zu bytes; an abstract name "
		    "holds at most %zu", name, len, SUN_PATH_SIZE - 1);
	ep->family = AF_UNIX;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + 1, name, len);
	ep->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	ep->path[0] = '\0';
	snprintf(ep->name, sizeof(ep->name), "@%s", name);
}

/* ep->name from the address itself: "127.0.0.1:5000", "[::1]:5000". */
static void
inet_name(struct endpoint *ep)
{
	char host[INET6_ADDRSTRLEN];
	const void *a;
	int port;

	if (ep->family == AF_INET) {
		a = &((struct sockaddr_in *)&ep->addr)->sin_addr;
		port = ntohs(((struct sockaddr_in *)&ep->addr)->sin_port);
	} else {
		a = &((struct sockaddr_in6 *)&ep->addr)->sin6_addr;
		port = ntohs(((struct sockaddr_in6 *)&ep->addr)->sin6_port);
	}
	if (inet_ntop(ep->family, a, host, sizeof(host)) == NULL)
		err(1, "inet_ntop");
	snprintf(ep->name, sizeof(ep->name), ep->family == AF_INET6 ?
	    "[%s]:%d" : "%s:%d", host, port);
}

/*
 * HOST:PORT for --tcp ("[::1]:PORT" for IPv6).  A malformed one is a
 * usage error, and so is port 0 where no server can pick the port.
 */
static void
tcp_address(struct endpoint *ep, const char *arg, int passive)
{
	const char *colon = strrchr(arg, ':');
	struct addrinfo hints, *res;
	char host[256];
	size_t hlen;
	long long port;
	int r;

	if (colon == NULL || colon == arg || colon[1] == '\0')
		usage_error("--tcp: '%s' is not HOST:PORT", arg);
	hlen = (size_t)(colon - arg);
	if (arg[0] == '[' && hlen >= 2 && arg[hlen - 1] == ']') {
		arg++;
		hlen -= 2;
	} else if (memchr(arg, ':', hlen) != NULL)
		usage_error("--tcp: '%s': write an IPv6 HOST in brackets, as "
		    "[::1]:PORT", arg);
	if (hlen == 0 || hlen >= sizeof(host))
		usage_error("--tcp: '%s' is not HOST:PORT", arg);
	memcpy(host, arg, hlen);
	host[hlen] = '\0';
	port = parse_count("--tcp PORT", colon + 1, passive ? 0 : 1, 65535);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(host, NULL, &hints, &res)) != 0)
		usage_error("--tcp: host '%s': %s", host, gai_strerror(r));
	memcpy(&ep->addr, res->ai_addr, res->ai_addrlen);
	ep->len = res->ai_addrlen;
	ep->family = res->ai_family;
	freeaddrinfo(res);
	if (ep->family == AF_INET)
		((struct sockaddr_in *)&ep->addr)->sin_port =
		    htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&ep->addr)->sin6_port =
		    htons((uint16_t)port);
	ep->path[0] = '\0';
	inet_name(ep);
}

/*
 * Which socket COMMAND uses: PATH (when given), --abstract NAME, --tcp
 * HOST:PORT, or the default path LEAF in the private run directory.
 */
static void
endpoint(struct endpoint *ep, const struct opts *o, const char *path,
    const char *leaf, int passive)
{
	char buf[PATH_MAX];

	memset(ep, 0, sizeof(*ep));
	ep->type = o->dgram ? SOCK_DGRAM : SOCK_STREAM;
	if ((o->abstract != NULL) + (o->tcp != NULL) + (path != NULL) > 1)
		usage_error("name one socket: a PATH, --abstract NAME or --tcp "
		    "HOST:PORT");
	if (o->tcp != NULL && o->dgram)
		usage_error("--tcp is a stream; --dgram is for Unix sockets");
	if (o->tcp != NULL)
		tcp_address(ep, o->tcp, passive);
	else if (o->abstract != NULL)
		unix_abstract(ep, o->abstract);
	else if (path != NULL)
		unix_path(ep, path, 1);
	else
		unix_path(ep, rundir_path(buf, sizeof(buf), leaf), 0);
}

/* The peer's credentials as the kernel recorded them at connect time. */
static int
peer_cred(int fd, struct ucred *uc)
{
	socklen_t len = sizeof(*uc);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len);
}

/* The socket file we made, removed when we end (and only if still ours). */
static struct {
	char	path[SUN_PATH_SIZE];
	dev_t	dev;
	ino_t	ino;
} ours;

static void
remove_our_socket(void *arg)
{
	struct stat st;

	(void)arg;
	/* Someone may have replaced it since: then it is not ours to remove. */
	if (lstat(ours.path, &st) == -1 || !S_ISSOCK(st.st_mode) ||
	    st.st_dev != ours.dev || st.st_ino != ours.ino)
		return;
	if (unlink(ours.path) == 0)
		say("unlink(\"%s\"): the socket file goes with its server",
		    ours.path);
}

/*
 * Is our socket file gone?  A client finds a server by its file: once
 * someone removes it (rm(1), or the run directory going at logout), or
 * puts another in its place, no new client can reach us, and a server
 * waiting for one would wait for ever.  Servers on a path look once a
 * second while they wait.
 */
static int
socket_file_gone(void)
{
	struct stat st;

	if (ours.path[0] == '\0')
		return 0;
	return lstat(ours.path, &st) == -1 || st.st_dev != ours.dev ||
	    st.st_ino != ours.ino;
}

/*
 * accept(2) one connection, waiting as long as it takes, but not for
 * ever on a socket file that someone removed.
 */
static int
accept_retry(int lfd, struct sockaddr *sa, socklen_t *len)
{
	struct pollfd pfd;
	int fd, r;

	pfd.fd = lfd;
	pfd.events = POLLIN;
	for (;;) {
		stop_if_signalled();
		if (ours.path[0] != '\0') {
			/* Wait for a client in slices of a second. */
			if ((r = poll(&pfd, 1, 1000)) == -1 && errno != EINTR)
				err(1, "poll");
			if (r == 0 && socket_file_gone())
				errx(1, "%s was removed while we waited for a "
				    "client (rm(1)?); nobody can connect to it "
				    "any more", ours.path);
			if (r <= 0)
				continue;
		}
		fd = accept4(lfd, sa, len, SOCK_CLOEXEC);
		if (fd != -1 || (errno != EINTR && errno != ECONNABORTED))
			return fd;
	}
}

/*
 * Before bind(): make room at a socket PATH, or refuse.  A file that is
 * not a socket is never touched.  A socket file may be stale (its server
 * died without removing it): connect() then says ECONNREFUSED, and we
 * remove it.  If connect() works, a server lives there: we leave it be.
 */
static void
clear_stale(const struct endpoint *ep)
{
	struct stat st;
	int fd, r;

	if (lstat(ep->path, &st) == -1) {
		if (errno == ENOENT)
			return;
		err(1, "%s", ep->path);
	}
	if (!S_ISSOCK(st.st_mode))
		errx(1, "%s is %s, not a socket; refusing to touch it",
		    ep->path, file_kind(st.st_mode));
	if ((fd = socket(AF_UNIX, ep->type | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	r = connect(fd, (const struct sockaddr *)&ep->addr, ep->len);
	if (r == 0 || errno == EPROTOTYPE || errno == EAGAIN)
		errx(1, "%s: a server is listening there (%s); refusing to "
		    "replace a live socket", ep->path, r == 0 ?
		    "connect() succeeded" : errno == EAGAIN ? "its backlog is "
		    "full" : "it is a socket of another type");
	if (errno != ECONNREFUSED)
		err(1, "connect %s (to see whether a server is there)",
		    ep->path);
	if (close(fd) == -1)
		err(1, "close");
	say("connect(\"%s\") -> ECONNREFUSED: a stale socket file, nobody "
	    "listens; removing it", ep->path);
	if (unlink(ep->path) == -1 && errno != ENOENT)
		err(1, "unlink %s", ep->path);
}

/*
 * A server's socket: socket(), bind() to the endpoint, and listen() for a
 * stream.  Port 0 asks the kernel for a free port; ep->name then says
 * which it gave.
 */
static int
server_socket(struct endpoint *ep)
{
	struct stat st;
	mode_t old;
	int fd, one = 1, r;

	if (ep->path[0] != '\0')
		clear_stale(ep);
	if ((fd = socket(ep->family, ep->type | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	say("socket(%s, %s) -> fd %d", ep->family == AF_UNIX ? "AF_UNIX" :
	    ep->family == AF_INET ? "AF_INET" : "AF_INET6",
	    ep->type == SOCK_STREAM ? "SOCK_STREAM" : ep->type == SOCK_DGRAM ?
	    "SOCK_DGRAM" : "SOCK_SEQPACKET", fd);
	/* A restarted TCP server may bind while old connections linger. */
	if (ep->family != AF_UNIX &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(1, "setsockopt SO_REUSEADDR");
	/* bind() makes the file with 0777 minus the umask: make that 0600. */
	old = umask(0177);
	r = bind(fd, (const struct sockaddr *)&ep->addr, ep->len);
	(void)umask(old);
	if (r == -1 && errno == EADDRINUSE) {
		if (ep->path[0] != '\0')
			errx(1, "bind %s: %s: another process made it just "
			    "now", ep->name, strerror(errno));
		errx(1, "bind %s: %s: another server has it", ep->name,
		    strerror(errno));
	}
	if (r == -1)
		err(1, "bind %s", ep->name);
	if (ep->path[0] != '\0') {
		if (lstat(ep->path, &st) == -1)
			err(1, "lstat %s", ep->path);
		memcpy(ours.path, ep->path, sizeof(ours.path));
		ours.dev = st.st_dev;
		ours.ino = st.st_ino;
		at_exit_call(remove_our_socket, NULL);
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

/* A client's socket, connected to the endpoint; failures explained. */
static int
client_socket(const struct endpoint *ep)
{
	int fd;

	if ((fd = socket(ep->family, ep->type | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	while (connect(fd, (const struct sockaddr *)&ep->addr, ep->len) ==
	    -1) {
		if (errno == EINTR) {
			stop_if_signalled();
			errx(1, "connect %s: interrupted", ep->name);
		}
		if (errno == ENOENT)
			errx(1, "connect %s: no such socket; start 'ipc-socket "
			    "serve' first", ep->name);
		if (errno == ECONNREFUSED)
			errx(1, "connect %s: %s: nobody is listening there%s",
			    ep->name, strerror(errno), ep->path[0] != '\0' ?
			    " (a stale socket file: its server is gone)" : "");
		if (errno == EPROTOTYPE)
			errx(1, "connect %s: %s: the server there is not a "
			    "%s socket", ep->name, strerror(errno),
			    ep->type == SOCK_DGRAM ? "datagram" : "stream");
		err(1, "connect %s", ep->name);
	}
	say("connect(%d, \"%s\"): connected", fd, ep->name);
	return fd;
}

/* "pid 1234 uid 1000 gid 1000" for a Unix peer, its address for TCP. */
static void
describe_peer(int fd, int family, const struct sockaddr_storage *sa,
    char *buf, size_t len)
{
	struct endpoint peer;
	struct ucred uc;

	if (family == AF_UNIX || sa == NULL) {
		if (peer_cred(fd, &uc) == -1)
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

/* One connected client of serve: what it sent that it has not had back. */
struct client {
	int		 fd;
	int		 eof;		/* it has sent all it will send */
	size_t		 len, off;	/* buf[off, len) goes back to it */
	long long	 bytes;
	int		 told;		/* transfers narrated so far */
	char		 who[128];
	char		 buf[CLIENT_BUF];
};

static struct client clients[MAX_CLIENTS];

static void
drop_client(struct client *c, const char *why)
{
	if (close(c->fd) == -1)
		err(1, "close");
	say("client %s %s after %lld bytes; fd %d closed", c->who, why,
	    c->bytes, c->fd);
	c->fd = -1;
}

/*
 * The stream server: one process, one poll() over the listening socket
 * and every client.  A client whose bytes cannot go back yet (it is not
 * reading) is not read from either, so no buffer grows without bound and
 * no other client waits on it.
 */
static int
serve_stream(const struct opts *o, int lfd, const struct endpoint *ep)
{
	struct pollfd pfd[MAX_CLIENTS + 1];
	struct client *slot[MAX_CLIENTS + 1];
	struct sockaddr_storage sa;
	struct client *c;
	socklen_t salen;
	int n, i, fd, listening = 1, served = 0, gone = 0, ready;
	ssize_t r;

	for (i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	for (;;) {
		stop_if_signalled();
		n = 0;
		if (listening) {
			for (i = 0; i < MAX_CLIENTS && clients[i].fd != -1; i++)
				continue;
			/* Full: new clients wait in the backlog for a slot. */
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
		if (n == 0)
			return gone;
		/* Listening on a path: wake once a second to check the file. */
		ready = poll(pfd, (nfds_t)n, listening && ours.path[0] != '\0' ?
		    1000 : -1);
		if (ready == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (ready == 0 && socket_file_gone()) {
			warnx("%s was removed: no new client can connect; "
			    "serving the connected ones until they leave",
			    ours.path);
			if (close(lfd) == -1)
				err(1, "close");
			listening = 0;
			/* serve promised to go on until a signal; it cannot. */
			gone = 1;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if ((c = slot[i]) == NULL) {
				salen = sizeof(sa);
				fd = accept4(lfd, (struct sockaddr *)&sa, &salen,
				    SOCK_CLOEXEC | SOCK_NONBLOCK);
				if (fd == -1 && (errno == EINTR || errno ==
				    EAGAIN || errno == ECONNABORTED))
					continue;
				if (fd == -1)
					err(1, "accept %s", ep->name);
				for (c = clients; c->fd != -1; c++)
					continue;
				memset(c, 0, offsetof(struct client, buf));
				c->fd = fd;
				describe_peer(fd, ep->family, &sa, c->who,
				    sizeof(c->who));
				say("accept() -> fd %d: a client, %s%s", fd,
				    c->who, ep->family == AF_UNIX ? " (the "
				    "kernel's word: SO_PEERCRED)" : "");
				if (o->once) {
					/* One client: nobody else gets in. */
					if (close(lfd) == -1)
						err(1, "close");
					say("close(%d): --once, no more clients",
					    lfd);
					listening = 0;
				}
				continue;
			}
			if (pfd[i].events & POLLOUT) {
				r = send(c->fd, c->buf + c->off, c->len - c->off,
				    MSG_NOSIGNAL | MSG_DONTWAIT);
				if (r == -1 && (errno == EINTR ||
				    errno == EAGAIN))
					continue;
				if (r == -1 && (errno == EPIPE ||
				    errno == ECONNRESET)) {
					drop_client(c, errno == EPIPE ? "hung "
					    "up before its echo (EPIPE, no "
					    "SIGPIPE: we carry on)" : "reset "
					    "the connection");
					served++;
					continue;
				}
				if (r == -1)
					err(1, "send to %s", c->who);
				c->off += (size_t)r;
				if (c->off == c->len)
					c->off = c->len = 0;
			} else {
				r = recv(c->fd, c->buf, sizeof(c->buf),
				    MSG_DONTWAIT);
				if (r == -1 && (errno == EINTR ||
				    errno == EAGAIN))
					continue;
				if (r == -1 && errno == ECONNRESET) {
					drop_client(c, "reset the connection");
					served++;
					continue;
				}
				if (r == -1)
					err(1, "recv from %s", c->who);
				if (r == 0)
					c->eof = 1;
				else if (c->told++ < 3)
					say("recv(%d) -> %zd bytes from %s: "
					    "echoing them%s", c->fd, r, c->who,
					    c->told == 3 ? " (no more of this "
					    "client's transfers narrated)" :
					    "");
				c->len = (size_t)r;
				c->off = 0;
				c->bytes += r;
			}
			if (c->eof && c->off == c->len) {
				drop_client(c, "closed its end (recv -> 0)");
				served++;
			}
		}
		if (o->once && served > 0)
			return 0;
	}
}

/*
 * The datagram server: each recvmsg() returns one whole datagram, with
 * the sender's address (where the reply goes) and, thanks to SO_PASSCRED,
 * its credentials.  No connections, so no accept() and no poll().
 */
static int
serve_dgram(const struct opts *o, int fd, const struct endpoint *ep)
{
	static char buf[256 * 1024];
	union {
		struct cmsghdr	align;
		char		space[CMSG_SPACE(sizeof(struct ucred))];
	} control;
	struct sockaddr_un from;
	struct cmsghdr *cm;
	struct ucred uc;
	struct msghdr msg;
	struct iovec iov;
	struct pollfd pfd;
	char who[64];
	int one = 1, r;
	ssize_t n;

	(void)ep;
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == -1)
		err(1, "setsockopt SO_PASSCRED");
	say("setsockopt(%d, SO_PASSCRED): each datagram comes with its "
	    "sender's pid, uid and gid", fd);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		stop_if_signalled();
		/* On a path: wake once a second to see that the file is ours. */
		if (ours.path[0] != '\0') {
			if ((r = poll(&pfd, 1, 1000)) == -1 && errno != EINTR)
				err(1, "poll");
			if (r == 0 && socket_file_gone())
				errx(1, "%s was removed (rm(1)?): no client can "
				    "send to this server any more", ours.path);
			if (r <= 0)
				continue;
		}
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.space;
		msg.msg_controllen = sizeof(control.space);
		if ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "recvmsg");
		}
		snprintf(who, sizeof(who), "an unknown sender");
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_CREDENTIALS) {
				memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
				snprintf(who, sizeof(who), "pid %ld uid %ld "
				    "gid %ld", (long)uc.pid, (long)uc.uid,
				    (long)uc.gid);
			}
		say("recvmsg(%d) -> a datagram of %zd bytes from %s%s", fd, n,
		    who, msg.msg_flags & MSG_TRUNC ? " (MSG_TRUNC: it was "
		    "longer than our buffer; the rest is lost)" : "");
		if (msg.msg_namelen <= offsetof(struct sockaddr_un, sun_path)) {
			say("the sender has no address (it never bound one), "
			    "so no reply can reach it");
			goto next;
		}
		/*
		 * MSG_DONTWAIT: a sender that does not read would otherwise
		 * stop the whole server once its queue is full.
		 */
		if (sendto(fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL,
		    (struct sockaddr *)&from, msg.msg_namelen) == -1) {
			if (errno == EINTR)
				stop_if_signalled();
			if (errno != EAGAIN && errno != ECONNREFUSED &&
			    errno != ENOENT && errno != EINTR)
				err(1, "sendto");
			say("sendto: %s: the reply to %s is dropped", strerror(
			    errno), who);
			goto next;
		}
		say("sendto(%d) -> the same %zd bytes back, one datagram", fd,
		    n);
next:
		if (o->once)
			return 0;
	}
}

/*
 * serve: an echo server on a path, an abstract name or a TCP port.  The
 * first line on stdout says where it listens, so a script can find a
 * port the kernel picked.
 */
static int
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
		return serve_dgram(o, fd, &ep);
	return serve_stream(o, fd, &ep);
}

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
	static char in[65536], back[65536];
	struct pollfd pfd[2];
	char *out = msg;
	size_t outlen = msglen, off = 0;
	long long sent = 0, got = 0;
	int in_eof = msg != NULL, shut = 0, told = 0, n, flags;
	ssize_t r;

	/* Non-blocking, so a full socket buffer never stops us reading. */
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		err(1, "fcntl O_NONBLOCK");
	for (;;) {
		stop_if_signalled();
		if (in_eof && off == outlen && !shut) {
			if (shutdown(fd, SHUT_WR) == -1)
				err(1, "shutdown %s", ep->name);
			say("shutdown(%d, SHUT_WR): %lld bytes sent, nothing "
			    "more; the server sees end of file", fd, sent);
			shut = 1;
		}
		pfd[0].fd = fd;
		pfd[0].events = POLLIN | (off < outlen ? POLLOUT : 0);
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		n = !in_eof && off == outlen ? 2 : 1;
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
				in_eof = 1;
			if (r > 0) {
				out = in;
				outlen = (size_t)r;
				off = 0;
			}
		}
		if (pfd[0].revents & POLLOUT) {
			r = send(fd, out + off, outlen - off,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
			if (r == -1 && (errno == EPIPE || errno == ECONNRESET))
				errx(1, "send %s: %s: the server closed the "
				    "connection", ep->name, strerror(errno));
			if (r == -1 && errno != EINTR && errno != EAGAIN)
				err(1, "send %s", ep->name);
			if (r > 0) {
				if (told++ < 3)
					say("send(%d) -> %zd bytes", fd, r);
				off += (size_t)r;
				sent += r;
			}
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = recv(fd, back, sizeof(back), MSG_DONTWAIT);
			if (r == -1 && errno == ECONNRESET)
				errx(1, "recv %s: %s: the server reset the "
				    "connection", ep->name, strerror(errno));
			if (r == -1 && errno != EINTR && errno != EAGAIN)
				err(1, "recv %s", ep->name);
			if (r == 0)
				break;
			if (r > 0) {
				if (write_all(STDOUT_FILENO, back, (size_t)r) ==
				    -1)
					err(1, "write error on standard output");
				got += r;
			}
		}
	}
	say("recv(%d) -> 0: the server closed; %lld bytes sent, %lld came "
	    "back", fd, sent, got);
	if (!in_eof || off < outlen)
		errx(1, "%s: the server closed the connection before taking "
		    "all our input", ep->name);
}

/*
 * The datagram client: each line is one datagram, and each reply is one
 * datagram, printed as a line.  We bind an address of our own first
 * (autobind: an abstract name the kernel picks), or the server could not
 * answer.
 */
static void
connect_dgram(int fd, const struct endpoint *ep, int argc, char **argv)
{
	static char reply[256 * 1024];
	struct sockaddr_un me;
	struct pollfd pfd;
	socklen_t len;
	char *line = NULL;
	size_t cap = 0, mlen;
	ssize_t n;
	int i = 0, r;

	memset(&me, 0, sizeof(me));
	me.sun_family = AF_UNIX;
	/* Only the family: the kernel gives us a free abstract name. */
	if (bind(fd, (struct sockaddr *)&me, sizeof(sa_family_t)) == -1)
		err(1, "bind (autobind)");
	len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) == -1)
		err(1, "getsockname");
	say("bind(%d, AF_UNIX only) -> the kernel named us \"@%.*s\", so "
	    "replies can find us", fd, (int)(len - offsetof(struct sockaddr_un,
	    sun_path) - 1), me.sun_path + 1);
	for (;;) {
		if (argc > 0) {
			if (i == argc)
				break;
			line = argv[i++];
			mlen = strlen(line);
		} else {
			stop_if_signalled();
			errno = 0;
			if ((n = getline(&line, &cap, stdin)) == -1) {
				if (errno == EINTR)
					continue;
				if (ferror(stdin))
					err(1, "read standard input");
				break;
			}
			mlen = (size_t)n;
			if (mlen > 0 && line[mlen - 1] == '\n')
				mlen--;
		}
		while (send(fd, line, mlen, MSG_NOSIGNAL) == -1) {
			if (errno == EINTR) {
				stop_if_signalled();
				continue;
			}
			if (errno == EMSGSIZE)
				errx(1, "send %s: %s: a %zu-byte datagram does "
				    "not fit the socket's send buffer "
				    "(SO_SNDBUF)", ep->name, strerror(errno),
				    mlen);
			if (errno == ECONNREFUSED)
				errx(1, "send %s: %s: the server is gone",
				    ep->name, strerror(errno));
			err(1, "send %s", ep->name);
		}
		say("send(%d, %zu bytes): one datagram", fd, mlen);
		pfd.fd = fd;
		pfd.events = POLLIN;
		/* A datagram server may never answer: do not wait for ever. */
		while ((r = poll(&pfd, 1, REPLY_TIMEOUT_MS)) == -1 &&
		    errno == EINTR)
			stop_if_signalled();
		if (r == -1)
			err(1, "poll");
		if (r == 0)
			errx(1, "%s: no reply within %d seconds", ep->name,
			    REPLY_TIMEOUT_MS / 1000);
		while ((n = recv(fd, reply, sizeof(reply), MSG_TRUNC)) == -1 &&
		    errno == EINTR)
			stop_if_signalled();
		if (n == -1)
			err(1, "recv %s", ep->name);
		if ((size_t)n > sizeof(reply))
			errx(1, "a reply of %zd bytes did not fit our buffer",
			    n);
		say("recv(%d) -> %zd bytes: one whole datagram", fd, n);
		reply[n] = '\n';
		if (write_all(STDOUT_FILENO, reply, (size_t)n + 1) == -1)
			err(1, "write error on standard output");
	}
	if (argc == 0)
		free(line);
}

/*
 * connect: send each MESSAGE as a line (or standard input), print what
 * comes back.  The first argument is the PATH if it has a '/' in it.
 */
static int
cmd_connect(struct opts *o, int argc, char **argv)
{
	const char *path = NULL;
	struct endpoint ep;
	struct ucred uc;
	char *msg = NULL;
	size_t len = 0, l;
	int fd, i;

	if (argc > 0 && strchr(argv[0], '/') != NULL) {
		path = argv[0];
		argc--;
		argv++;
	}
	endpoint(&ep, o, path, "socket", 0);
	narrate_role("client");
	fd = client_socket(&ep);
	if (ep.family == AF_UNIX && ep.type == SOCK_STREAM) {
		if (peer_cred(fd, &uc) == -1)
			err(1, "getsockopt SO_PEERCRED");
		say("getsockopt(%d, SO_PEERCRED) -> the server is pid %ld, "
		    "uid %ld", fd, (long)uc.pid, (long)uc.uid);
	}
	if (ep.type == SOCK_DGRAM) {
		connect_dgram(fd, &ep, argc, argv);
	} else {
		if (argc > 0) {
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
		}
		connect_stream(fd, &ep, msg, len);
		free(msg);
	}
	if (close(fd) == -1)
		err(1, "close");
	return 0;
}

/*
 * pair: socketpair() gives two connected sockets at once, no name needed.
 * Each end both reads and writes: one descriptor per process does what
 * two pipes (four descriptors) do in ipc-pipe duplex.
 */
static int
cmd_pair(struct opts *o, int argc, char **argv)
{
	static const char *const fallback[] = { "ping", "hello, child", "bye" };
	const char *const *lines = (const char *const *)argv;
	char line[4096], reply[4096];
	int sv[2], p[2], i;
	ssize_t n;
	pid_t pid;

	(void)o;
	if (argc == 0) {
		argc = 3;
		lines = fallback;
	}
	for (i = 0; i < argc; i++)
		if (strchr(lines[i], '\n') != NULL || strlen(lines[i]) > 4000)
			usage_error("pair: each LINE must be one line of at "
			    "most 4000 bytes");
	narrate_role("parent");
	/* The contrast first: a pipe's read end cannot be written. */
	if (pipe(p) == -1)
		err(1, "pipe");
	if (write(p[0], "x", 1) == -1)
		say("pipe() -> %d, %d; write(%d) -> %s: a pipe goes one way "
		    "only", p[0], p[1], p[0], strerror(errno));
	if (close(p[0]) == -1 || close(p[1]) == -1)
		err(1, "close");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	say("socketpair(AF_UNIX, SOCK_STREAM) -> %d, %d: two connected "
	    "sockets; each end reads and writes", sv[0], sv[1]);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("child");
		if (close(sv[0]) == -1)
			err(1, "close");
		say("close(%d): the child keeps fd %d, for both directions",
		    sv[0], sv[1]);
		/* Answer each line in capitals, on the same descriptor. */
		while ((n = read_line(sv[1], line, sizeof(line))) >= 0) {
			for (i = 0; i < n; i++)
				line[i] = (char)toupper((unsigned char)line[i]);
			line[n] = '\n';
			if (send_all(sv[1], line, (size_t)n + 1) == -1)
				err(1, "send");
			say("read a line of %zd bytes from fd %d, answered on "
			    "fd %d", n, sv[1], sv[1]);
		}
		say("read(%d) -> 0: the parent shut its sending side; exiting",
		    sv[1]);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld", (long)pid);
	if (close(sv[1]) == -1)
		err(1, "close");
	say("close(%d): the parent keeps fd %d, for both directions", sv[1],
	    sv[0]);
	for (i = 0; i < argc; i++) {
		snprintf(line, sizeof(line), "%s\n", lines[i]);
		if (send_all(sv[0], line, strlen(line)) == -1)
			err(1, "send");
		printf("sent: %s\n", lines[i]);
		if (read_line(sv[0], reply, sizeof(reply)) < 0)
			errx(1, "the child hung up before answering");
		printf("got:  %s\n", reply);
		if (fflush(stdout) == EOF)
			err(1, "write error on standard output");
	}
	/* Half close: the child sees end of file; we could still read. */
	if (shutdown(sv[0], SHUT_WR) == -1)
		err(1, "shutdown");
	say("shutdown(%d, SHUT_WR): no more lines; the child sees end of "
	    "file, and this end could still read", sv[0]);
	if (read_line(sv[0], reply, sizeof(reply)) >= 0)
		errx(1, "the child sent an unexpected line: %s", reply);
	if (close(sv[0]) == -1)
		err(1, "close");
	require_success(reap(pid, "child"), "child");
	return 0;
}

/*
 * Send open descriptor FILEFD over the Unix socket SOCK: a few bytes of
 * ordinary data (ancillary data never travels alone on a stream socket;
 * ours say which number the descriptor had here) and an SCM_RIGHTS
 * control message holding the descriptor itself.
 */
static void
send_fd(int sock, int filefd)
{
	union {
		struct cmsghdr	align;
		char		space[CMSG_SPACE(sizeof(int))];
	} control;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	char number[16];

	/* The ordinary data: our number for the descriptor, as text. */
	snprintf(number, sizeof(number), "%d", filefd);
	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	iov.iov_base = number;
	iov.iov_len = strlen(number);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.space;
	msg.msg_controllen = sizeof(control.space);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &filefd, sizeof(int));
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) == -1) {
		if (errno != EINTR)
			err(1, "sendmsg SCM_RIGHTS");
		stop_if_signalled();
	}
	say("sendmsg(%d, \"%s\" + SCM_RIGHTS [fd %d]): the kernel takes a "
	    "reference to our open file and queues it for the receiver", sock,
	    number, filefd);
}

/*
 * Receive one descriptor from SOCK, reading until one comes (a sender
 * may send ordinary data first).  MSG_CMSG_CLOEXEC: the new descriptor is
 * close-on-exec at once.  Returns -1 at end of file with none.  *THEIRS
 * is the number the sender says the descriptor had there, or -1.
 */
static int
recv_fd(int sock, int *theirs)
{
	union {
		struct cmsghdr	align;
		char		space[CMSG_SPACE(8 * sizeof(int))];
	} control;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	char data[256];
	int fds[8], fd = -1;
	size_t i, nfds;
	ssize_t n;

	*theirs = -1;
	while (fd == -1) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = data;
		iov.iov_len = sizeof(data) - 1;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.space;
		msg.msg_controllen = sizeof(control.space);
		stop_if_signalled();
		if ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "recvmsg");
		}
		if (n == 0)
			return -1;
		say("recvmsg(%d) -> %zd byte%s of data, %zu bytes of control "
		    "data", sock, n, n == 1 ? "" : "s",
		    (size_t)msg.msg_controllen);
		/* Our sendfd sends the number it had; others send anything. */
		data[n] = '\0';
		if (n < 8 && strspn(data, "0123456789") == (size_t)n)
			*theirs = (int)strtol(data, NULL, 10);
		/* Too little room: the kernel closed what did not fit. */
		if (msg.msg_flags & MSG_CTRUNC)
			warnx("recvmsg: MSG_CTRUNC: more control data came than "
			    "we had room for; the descriptors that did not "
			    "fit were closed");
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm)) {
			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_RIGHTS)
				continue;
			nfds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			if (nfds > 8)
				nfds = 8;
			memcpy(fds, CMSG_DATA(cm), nfds * sizeof(int));
			for (i = 0; i < nfds; i++) {
				if (fd == -1) {
					fd = fds[i];
					continue;
				}
				/* We asked for one: close any extra. */
				say("an extra descriptor, fd %d: closing it",
				    fds[i]);
				if (close(fds[i]) == -1)
					err(1, "close");
			}
		}
	}
	return fd;
}

/*
 * What the receiver can tell about a descriptor it never opened: the
 * file it leads to (fstat, /proc/self/fd), and its number here.
 */
static void
describe_received(int fd, int sender_fd)
{
	char link[64], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) == -1)
		err(1, "fstat received fd %d", fd);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, target, sizeof(target) - 1)) == -1)
		snprintf(target, sizeof(target), "(unknown)");
	else
		target[n] = '\0';
	if (sender_fd == fd)
		say("got fd %d, and the sender's was fd %d too, by chance: each "
		    "process has its own table, and the kernel put the open file "
		    "at our lowest free slot", fd, sender_fd);
	else if (sender_fd >= 0)
		say("got fd %d; the sender's was fd %d: a descriptor is an "
		    "index into each process's own table, and the kernel put "
		    "the same open file at our lowest free slot", fd, sender_fd);
	else
		say("got fd %d, the lowest free slot in our own descriptor "
		    "table; the sender's number means nothing here", fd);
	say("fd %d -> %s (inode %lu, %s): a file this process never opened",
	    fd, target, (unsigned long)st.st_ino, file_kind(st.st_mode)[0] ==
	    'n' ? "a socket or other" : file_kind(st.st_mode));
}

/* Copy everything readable through FD to standard output. */
static long long
copy_out(int fd)
{
	static char buf[65536];
	long long total = 0;
	ssize_t n;

	for (;;) {
		stop_if_signalled();
		n = read(fd, buf, sizeof(buf));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "read the received descriptor");
		}
		if (n == 0)
			break;
		if (write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
			err(1, "write error on standard output");
		total += n;
	}
	return total;
}

/*
 * passfd: the child opens FILE and passes the open descriptor over a
 * socketpair; the parent, which never opened FILE, reads it and prints it.
 */
static int
cmd_passfd(struct opts *o, int argc, char **argv)
{
	const char *file;
	int sv[2], fd, status, theirs;
	long long bytes;
	pid_t pid;

	(void)o;
	if (argc != 1)
		usage_error("passfd takes one FILE");
	file = argv[0];
	narrate_role("receiver");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	say("socketpair(AF_UNIX, SOCK_STREAM) -> %d, %d", sv[0], sv[1]);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("sender");
		if (close(sv[0]) == -1)
			err(1, "close");
		/* Opened after fork(): the parent has no copy of it. */
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
			err(1, "open %s", file);
		say("open(\"%s\", O_RDONLY) -> fd %d", file, fd);
		send_fd(sv[1], fd);
		if (close(fd) == -1)
			err(1, "close");
		say("close(%d): our copy is gone; the one in flight lives on",
		    fd);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> sender %ld; it opens %s, we do not", (long)pid, file);
	if (close(sv[1]) == -1)
		err(1, "close");
	/* Wait for the sender first, so we can name its descriptor. */
	status = reap(pid, "sender");
	require_success(status, "sender");
	if ((fd = recv_fd(sv[0], &theirs)) == -1)
		errx(1, "the sender sent no descriptor");
	describe_received(fd, theirs);
	say("the sender has exited and closed its copy, yet the file is "
	    "still open: the descriptor we got keeps it so");
	bytes = copy_out(fd);
	say("read(%d) -> 0: end of file after %lld bytes, read through a "
	    "descriptor we never opened", fd, bytes);
	if (close(fd) == -1 || close(sv[0]) == -1)
		err(1, "close");
	return 0;
}

/*
 * recvfd: listen at PATH, accept one sender, receive one descriptor,
 * print what it reads through it.  Any SCM_RIGHTS sender will do.
 */
static int
cmd_recvfd(struct opts *o, int argc, char **argv)
{
	struct endpoint ep;
	long long bytes;
	char who[128];
	int lfd, cfd, fd, theirs;

	if (argc > 1)
		usage_error("recvfd takes at most one PATH");
	if (o->dgram || o->tcp != NULL)
		usage_error("recvfd: descriptors travel over Unix stream "
		    "sockets only");
	endpoint(&ep, o, argc == 1 ? argv[0] : NULL, "socket-fd", 1);
	narrate_role("receiver");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	lfd = server_socket(&ep);
	printf("listening on %s\n", ep.name);
	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	say("accept(%d): waiting for a sender...", lfd);
	if ((cfd = accept_retry(lfd, NULL, NULL)) == -1)
		err(1, "accept %s", ep.name);
	describe_peer(cfd, AF_UNIX, NULL, who, sizeof(who));
	say("accept() -> fd %d: a sender, %s", cfd, who);
	/* One sender only: the name can go now. */
	if (close(lfd) == -1)
		err(1, "close");
	cleanup_run();
	if ((fd = recv_fd(cfd, &theirs)) == -1)
		errx(1, "the sender closed the connection without sending a "
		    "descriptor");
	describe_received(fd, theirs);
	if (close(cfd) == -1)
		err(1, "close");
	bytes = copy_out(fd);
	say("read(%d) -> 0: end of file after %lld bytes", fd, bytes);
	if (close(fd) == -1)
		err(1, "close");
	return 0;
}

/* sendfd: open FILE, connect to PATH, send the open descriptor. */
static int
cmd_sendfd(struct opts *o, int argc, char **argv)
{
	const char *path = NULL, *file;
	struct endpoint ep;
	int sock, fd;

	if (argc < 1 || argc > 2)
		usage_error("sendfd takes [PATH] FILE");
	if (o->dgram || o->tcp != NULL)
		usage_error("sendfd: descriptors travel over Unix stream "
		    "sockets only");
	if (argc == 2)
		path = argv[0];
	file = argv[argc - 1];
	endpoint(&ep, o, path, "socket-fd", 0);
	narrate_role("sender");
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open %s", file);
	say("open(\"%s\", O_RDONLY) -> fd %d", file, fd);
	sock = client_socket(&ep);
	send_fd(sock, fd);
	if (close(fd) == -1 || close(sock) == -1)
		err(1, "close");
	say("close: we have exited our side; the descriptor waits in the "
	    "receiver's queue, held by the kernel");
	return 0;
}

/*
 * Send TEXT on SOCK; with UC, an SCM_CREDENTIALS message claiming those
 * credentials.  Returns -1 with errno when the kernel refuses the claim.
 */
static int
send_cred(int sock, const char *text, const struct ucred *uc)
{
	union {
		struct cmsghdr	align;
		char		space[CMSG_SPACE(sizeof(struct ucred))];
	} control;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	ssize_t r;

	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	iov.iov_base = (void *)(uintptr_t)text;
	iov.iov_len = strlen(text);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (uc != NULL) {
		msg.msg_control = control.space;
		msg.msg_controllen = sizeof(control.space);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_CREDENTIALS;
		cm->cmsg_len = CMSG_LEN(sizeof(*uc));
		memcpy(CMSG_DATA(cm), uc, sizeof(*uc));
	}
	while ((r = sendmsg(sock, &msg, MSG_NOSIGNAL)) == -1 && errno == EINTR)
		stop_if_signalled();
	return r == -1 ? -1 : 0;
}

/* Receive one message on SOCK: its text in BUF, the credentials in UC. */
static void
recv_cred(int sock, char *buf, size_t size, struct ucred *uc)
{
	union {
		struct cmsghdr	align;
		char		space[CMSG_SPACE(sizeof(struct ucred))];
	} control;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = size - 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.space;
	msg.msg_controllen = sizeof(control.space);
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -1 &&
	    errno == EINTR)
		stop_if_signalled();
	if (n == -1)
		err(1, "recvmsg");
	if (n == 0)
		errx(1, "the client closed before sending all its messages");
	buf[n] = '\0';
	uc->pid = 0;
	uc->uid = uc->gid = (uid_t)-1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS)
			memcpy(uc, CMSG_DATA(cm), sizeof(*uc));
}

/*
 * cred: who is at the other end?  The kernel answers twice: SO_PEERCRED
 * (who connected) and SCM_CREDENTIALS on each message (who sent it).  A
 * sender may state its own credentials, but the kernel checks them: an
 * ordinary process cannot claim to be another.  A SOCK_SEQPACKET socket
 * keeps each message apart, as a datagram would, over a connection.
 */
static int
cmd_cred(struct opts *o, int argc, char **argv)
{
	struct endpoint ep;
	struct ucred uc, me;
	char path[PATH_MAX], leaf[64], text[64];
	int lfd, fd, one = 1;
	pid_t pid;

	(void)o;
	(void)argv;
	if (argc > 0)
		usage_error("cred takes no arguments");
	memset(&ep, 0, sizeof(ep));
	ep.type = SOCK_SEQPACKET;
	snprintf(leaf, sizeof(leaf), "socket-cred-%ld", (long)getpid());
	unix_path(&ep, rundir_path(path, sizeof(path), leaf), 0);
	narrate_role("server");
	lfd = server_socket(&ep);
	/* Before the client connects: its socket inherits the option. */
	if (setsockopt(lfd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == -1)
		err(1, "setsockopt SO_PASSCRED");
	say("setsockopt(%d, SO_PASSCRED): every message will carry its "
	    "sender's credentials", lfd);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("client");
		if (close(lfd) == -1)
			err(1, "close");
		fd = client_socket(&ep);
		if (send_cred(fd, "plain", NULL) == -1)
			err(1, "sendmsg");
		say("sendmsg(\"plain\"), no control data: the kernel adds our "
		    "credentials itself");
		me.pid = getpid();
		me.uid = getuid();
		me.gid = getgid();
		if (send_cred(fd, "stated", &me) == -1)
			err(1, "sendmsg SCM_CREDENTIALS");
		say("sendmsg(\"stated\", SCM_CREDENTIALS pid %ld uid %ld gid "
		    "%ld): our own, which the kernel checks and lets through",
		    (long)me.pid, (long)me.uid, (long)me.gid);
		me.pid = 1;
		if (send_cred(fd, "claim", &me) == 0) {
			say("sendmsg(\"claim\", SCM_CREDENTIALS pid 1): allowed: "
			    "we have CAP_SYS_ADMIN, which may speak for others");
		} else {
			if (errno != EPERM)
				err(1, "sendmsg SCM_CREDENTIALS");
			say("sendmsg(\"claim\", SCM_CREDENTIALS pid 1) -> %s: "
			    "we may not claim to be another process",
			    strerror(errno));
			if (send_cred(fd, "refused", NULL) == -1)
				err(1, "sendmsg");
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> client %ld", (long)pid);
	printf("the client is pid %ld, uid %ld, gid %ld\n", (long)pid,
	    (long)getuid(), (long)getgid());
	if ((fd = accept_retry(lfd, NULL, NULL)) == -1)
		err(1, "accept");
	if (close(lfd) == -1)
		err(1, "close");
	if (peer_cred(fd, &uc) == -1)
		err(1, "getsockopt SO_PEERCRED");
	say("accept() -> fd %d; getsockopt(SO_PEERCRED): recorded by the "
	    "kernel when the client called connect()", fd);
	printf("SO_PEERCRED: pid %ld uid %ld gid %ld\n", (long)uc.pid,
	    (long)uc.uid, (long)uc.gid);
	recv_cred(fd, text, sizeof(text), &uc);
	printf("SCM_CREDENTIALS on \"%s\" (added by the kernel): pid %ld "
	    "uid %ld gid %ld\n", text, (long)uc.pid, (long)uc.uid,
	    (long)uc.gid);
	recv_cred(fd, text, sizeof(text), &uc);
	printf("SCM_CREDENTIALS on \"%s\" (stated by the client, checked): "
	    "pid %ld uid %ld gid %ld\n", text, (long)uc.pid, (long)uc.uid,
	    (long)uc.gid);
	recv_cred(fd, text, sizeof(text), &uc);
	if (strcmp(text, "claim") == 0)
		printf("a claim to be pid 1: accepted, the client has "
		    "CAP_SYS_ADMIN (SCM_CREDENTIALS says pid %ld)\n",
		    (long)uc.pid);
	else
		printf("a claim to be pid 1: refused by the kernel (EPERM)\n");
	if (close(fd) == -1)
		err(1, "close");
	require_success(reap(pid, "client"), "client");
	return 0;
}

/*
 * demo: a server and its client in one run.  The server binds a path
 * (its own, with our pid in it), listens, forks the client, accepts it,
 * learns who it is, and echoes what it sends until it closes.
 */
static int
cmd_demo(struct opts *o, int argc, char **argv)
{
	static const char *const fallback[] = { "hello, socket",
	    "one server, one client" };
	const char *const *lines = (const char *const *)argv;
	char path[PATH_MAX], leaf[64], buf[4096];
	struct endpoint ep;
	struct ucred uc;
	struct stat st;
	long long total = 0;
	int lfd, fd, i;
	ssize_t n;
	pid_t pid;

	(void)o;
	if (argc == 0) {
		argc = 2;
		lines = fallback;
	}
	for (i = 0; i < argc; i++)
		if (strchr(lines[i], '\n') != NULL || strlen(lines[i]) > 4000)
			usage_error("demo: each MESSAGE must be one line of at "
			    "most 4000 bytes");
	narrate_role("server");
	memset(&ep, 0, sizeof(ep));
	ep.type = SOCK_STREAM;
	snprintf(leaf, sizeof(leaf), "socket-demo-%ld", (long)getpid());
	unix_path(&ep, rundir_path(path, sizeof(path), leaf), 0);
	lfd = server_socket(&ep);
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	say("stat(\"%s\") -> %s, size %lld: a name to meet at, no storage",
	    path, S_ISSOCK(st.st_mode) ? "a socket ('s' in ls -l)" :
	    "not a socket", (long long)st.st_size);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("client");
		if (close(lfd) == -1)
			err(1, "close");
		/* Only the name joins us: the client makes its own socket. */
		fd = client_socket(&ep);
		for (i = 0; i < argc; i++) {
			snprintf(buf, sizeof(buf), "%s\n", lines[i]);
			if (send_all(fd, buf, strlen(buf)) == -1)
				err(1, "send");
			say("send(%d, \"%s\\n\")", fd, lines[i]);
			if (read_line(fd, buf, sizeof(buf)) < 0)
				errx(1, "the server closed before answering");
			say("read(%d) -> the echo", fd);
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "\n");
			if (write_all(STDOUT_FILENO, "echo: ", 6) == -1 ||
			    write_all(STDOUT_FILENO, buf, strlen(buf)) == -1)
				err(1, "write error on standard output");
		}
		if (close(fd) == -1)
			err(1, "close");
		say("close(%d): the server will read end of file", fd);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> client %ld; it gets only the path", (long)pid);
	if ((fd = accept_retry(lfd, NULL, NULL)) == -1)
		err(1, "accept");
	if (peer_cred(fd, &uc) == -1)
		err(1, "getsockopt SO_PEERCRED");
	say("accept() -> fd %d, a new socket for this client; SO_PEERCRED: "
	    "pid %ld uid %ld gid %ld", fd, (long)uc.pid, (long)uc.uid,
	    (long)uc.gid);
	for (;;) {
		stop_if_signalled();
		n = read(fd, buf, sizeof(buf));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "read");
		}
		if (n == 0)
			break;
		say("read(%d) -> %zd bytes; sending them back", fd, n);
		if (send_all(fd, buf, (size_t)n) == -1)
			err(1, "send");
		total += n;
	}
	say("read(%d) -> 0: the client closed, after %lld bytes", fd, total);
	if (close(fd) == -1 || close(lfd) == -1)
		err(1, "close");
	require_success(reap(pid, "client"), "client");
	return 0;
}

/* A connected pair for bench: Unix (socketpair) or TCP on ep. */
static void
bench_pair(const struct bench *b, struct endpoint *ep, int sv[2],
    int *child_side, pid_t *pidp, int sender_cpu_in_child)
{
	int lfd, one = 1;
	pid_t pid;

	if (ep == NULL) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
			err(1, "socketpair");
		pin_to_cpu(b->cpu[sender_cpu_in_child ? 0 : 1]);
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			if (close(sv[0]) == -1)
				err(1, "close");
			*child_side = 1;
			*pidp = 0;
			return;
		}
		if (close(sv[1]) == -1)
			err(1, "close");
		at_exit_stop_child(pid);
		*child_side = 0;
		*pidp = pid;
		return;
	}
	lfd = server_socket(ep);
	pin_to_cpu(b->cpu[sender_cpu_in_child ? 0 : 1]);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_quiet(1);
		if (close(lfd) == -1)
			err(1, "close");
		sv[1] = client_socket(ep);
		/* Small messages go at once, not held to fill a segment. */
		if (setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one)) == -1)
			err(1, "setsockopt TCP_NODELAY");
		*child_side = 1;
		*pidp = 0;
		return;
	}
	at_exit_stop_child(pid);
	if ((sv[0] = accept_retry(lfd, NULL, NULL)) == -1)
		err(1, "accept");
	if (setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ==
	    -1)
		err(1, "setsockopt TCP_NODELAY");
	if (close(lfd) == -1)
		err(1, "close");
	*child_side = 0;
	*pidp = pid;
}

/*
 * bench, throughput: the child streams warm-up plus COUNT messages of
 * SIZE bytes; the parent times from the end of the warm-up until the
 * last byte has arrived.
 */
static void
bench_stream(struct bench *b, struct endpoint *ep, char *buf)
{
	long long i, total = b->warmup + b->count;
	double t0, t1;
	int sv[2], child;
	pid_t pid;

	bench_pair(b, ep, sv, &child, &pid, 1);
	if (child) {
		pin_to_cpu(b->cpu[0]);
		for (i = 0; i < total; i++)
			if (send_all(sv[1], buf, b->size) == -1)
				err(1, "send");
		_exit(0);
	}
	pin_to_cpu(b->cpu[1]);
	if (drain(sv[0], buf, b->size,
	    (unsigned long long)b->warmup * b->size) == -1)
		errx(1, "the sender stopped early");
	t0 = now();
	if (drain(sv[0], buf, b->size,
	    (unsigned long long)b->count * b->size) == -1)
		errx(1, "the sender stopped early");
	t1 = now();
	if (close(sv[0]) == -1)
		err(1, "close");
	require_success(reap(pid, "sender"), "sender");
	bench_report_throughput(b, t1 - t0, NULL);
}

/* bench --latency: ping-pong, the full payload both ways. */
static void
bench_pingpong(struct bench *b, struct endpoint *ep, char *buf)
{
	long long i, total = b->warmup + b->count;
	double *rtt, t0;
	int sv[2], child;
	pid_t pid;

	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	bench_pair(b, ep, sv, &child, &pid, 0);
	if (child) {
		free(rtt);
		pin_to_cpu(b->cpu[1]);
		/* Echo every message whole, until the parent closes. */
		while (read_full(sv[1], buf, b->size) == (ssize_t)b->size)
			if (send_all(sv[1], buf, b->size) == -1)
				err(1, "send");
		_exit(0);
	}
	pin_to_cpu(b->cpu[0]);
	for (i = 0; i < total; i++) {
		t0 = now();
		if (send_all(sv[0], buf, b->size) == -1)
			err(1, "send");
		if (read_full(sv[0], buf, b->size) != (ssize_t)b->size)
			errx(1, "the echo child stopped early");
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(sv[0]) == -1)
		err(1, "close");
	require_success(reap(pid, "echo child"), "echo child");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}

/* bench: a Unix stream socket, or TCP on --tcp; one key=value line. */
static int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct endpoint ep;
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	if (o->dgram || o->abstract != NULL)
		usage_error("bench: a Unix stream socket, or --tcp HOST:PORT");
	if (o->tcp != NULL)
		endpoint(&ep, o, NULL, "socket", 1);
	bench_setup(&b, o->tcp != NULL ? "tcp" : "unix-stream", o->size,
	    o->count, o->latency, o->cpu);
	buf = bench_buffer(b.size);
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	say("%s over %s, %lld messages of %zu bytes after %lld to warm up",
	    b.latency ? "round trips" : "one-way stream", o->tcp != NULL ?
	    "TCP" : "a Unix stream socketpair", b.count, b.size, b.warmup);
	if (b.latency)
		bench_pingpong(&b, o->tcp != NULL ? &ep : NULL, buf);
	else
		bench_stream(&b, o->tcp != NULL ? &ep : NULL, buf);
	free(buf);
	return 0;
}

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

static const struct option_help option_help[] = {
	{ 'A', "--abstract NAME", "an abstract Unix name, no file (Linux)" },
	{ 'C', "--cpu A,B", "bench: pin the sender to CPU A, receiver to B" },
	{ 'D', "--dgram", "serve, connect: datagrams instead of a stream" },
	{ 'L', "--latency", "bench: round trips instead of a stream" },
	{ 'O', "--once", "serve: one client (or datagram), then exit" },
	{ 'T', "--tcp HOST:PORT", "TCP instead (serve: port 0 picks one)" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'n', "-n, --count N", "bench: messages or round trips" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 's', "-s, --size SIZE", "bench: bytes per message (K, M suffix)" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "abstract", required_argument, NULL, 'A' },
	{ "count", required_argument, NULL, 'n' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "dgram", no_argument, NULL, 'D' },
	{ "help", no_argument, NULL, 'h' },
	{ "latency", no_argument, NULL, 'L' },
	{ "once", no_argument, NULL, 'O' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "size", required_argument, NULL, 's' },
	{ "tcp", required_argument, NULL, 'T' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"Sockets: servers, clients, and passing files and credentials.",
	"hn:qs:", longopts, commands, option_help, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
