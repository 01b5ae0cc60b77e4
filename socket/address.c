/*
 * address.c - where a socket lives, and what can go wrong there.
 *
 * Plumbing the lessons call but need not show: turning PATH, --abstract
 * NAME or --tcp HOST:PORT into a socket address; the socket file a server
 * made (stale ones probed and replaced, files that are not sockets
 * refused, ours removed at exit only while still ours, a removed one
 * noticed); and what a failed bind() or connect() means.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

/* A Unix socket address for PATH, refused (usage) when it cannot fit. */
void
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
void
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

/* The arguments of socket() for EP, as the narration shows them. */
const char *
socket_args(const struct endpoint *ep)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s, %s", ep->family == AF_UNIX ?
	    "AF_UNIX" : ep->family == AF_INET ? "AF_INET" : "AF_INET6",
	    ep->type == SOCK_STREAM ? "SOCK_STREAM" : ep->type == SOCK_DGRAM ?
	    "SOCK_DGRAM" : "SOCK_SEQPACKET");
	return buf;
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
void
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

/*
 * Before bind(): make room at a socket PATH, or refuse.  A file that is
 * not a socket is never touched.  A stale one (its server died) refuses
 * connect() with ECONNREFUSED, and we remove it.  The probe is a datagram
 * socket: a live stream server would accept one of its own type as a
 * client, maybe the one it waits for.  A live listener answers it with
 * EPROTOTYPE, a live datagram socket lets it connect: we leave it be.
 */
void
clear_stale(const struct endpoint *ep)
{
	struct stat st;
	int fd, r;

	if (lstat(ep->path, &st) == -1) {
		if (errno == ENOENT)
			return;
		/* A directory on the path shuts us out: bind() would fail. */
		if (errno == EACCES)
			bind_failed(ep);
		err(1, "%s", ep->path);
	}
	if (!S_ISSOCK(st.st_mode))
		errx(1, "%s is %s, not a socket; refusing to touch it",
		    ep->path, file_kind(st.st_mode));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	r = connect(fd, (const struct sockaddr *)&ep->addr, ep->len);
	if (r == 0 || errno == EPROTOTYPE)
		errx(1, "%s: a server is listening there (a datagram connect() "
		    "%s); refusing to replace a live socket", ep->path,
		    r == 0 ? "succeeded: a datagram socket is bound there" :
		    "got EPROTOTYPE: a stream or seqpacket socket is bound "
		    "there");
	if (errno != ECONNREFUSED)
		err(1, "connect %s (to see whether a server is there)",
		    ep->path);
	if (close(fd) == -1)
		err(1, "close");
	say("connect(\"%s\") from a datagram socket -> ECONNREFUSED: a stale "
	    "socket file, nobody listens; removing it", ep->path);
	if (unlink(ep->path) == -1 && errno != ENOENT)
		err(1, "unlink %s", ep->path);
}

/* The name of the user who owns ST, or "uid N", in BUF. */
static const char *
owner_of(const struct stat *st, char *buf, size_t len)
{
	if (user_name(st->st_uid, buf, len) == NULL)
		snprintf(buf, len, "uid %ld", (long)st->st_uid);
	return buf;
}

/*
 * CALL ("connect" or "bind") of a socket file said EACCES.  Both need
 * search permission on every directory of the path; connect() needs write
 * permission on the socket file, and bind(), which makes the file, write
 * permission on its directory.  Find the first one that refuses us, with
 * access(2), and say so.
 */
static void __attribute__((noreturn))
path_denied(const struct endpoint *ep, const char *call)
{
	int binding = strcmp(call, "bind") == 0, e = errno;
	const char *way = binding ? "; serve in a directory of your own (the "
	    "default is your private run directory), or on --abstract NAME, "
	    "a name with no permissions" : "; a server meant for other users "
	    "can listen on --abstract NAME instead, a name with no "
	    "permissions";
	char dir[SUN_PATH_SIZE], owner[64], *p;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", ep->path);
	/* Each directory of the path in turn, from the top. */
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (access(dir, X_OK) == -1 && stat(dir, &st) == 0)
			errx(1, "%s %s: %s: the directory %s (mode %04o, "
			    "%s's) does not let you search it, and %s() "
			    "must%s%s", call, ep->name, strerror(e), dir,
			    (unsigned)(st.st_mode & 07777),
			    owner_of(&st, owner, sizeof(owner)), call,
			    binding ? "" : ": a private run directory keeps "
			    "other users out", way);
		*p = '/';
	}
	if (binding) {
		/* The directory the file is to be made in. */
		if ((p = strrchr(dir, '/')) == NULL)
			snprintf(dir, sizeof(dir), ".");
		else if (p == dir)
			dir[1] = '\0';		/* "/NAME": the root */
		else
			*p = '\0';
		if (access(dir, W_OK) == -1 && stat(dir, &st) == 0)
			errx(1, "bind %s: %s: the directory %s (mode %04o, "
			    "%s's) does not let you write to it, and bind() "
			    "must: it makes the socket file there%s", ep->name,
			    strerror(e), dir, (unsigned)(st.st_mode & 07777),
			    owner_of(&st, owner, sizeof(owner)), way);
	} else if (access(ep->path, W_OK) == -1 && stat(ep->path, &st) == 0)
		errx(1, "connect %s: %s: the socket file (mode %04o, %s's) "
		    "does not let you write to it, and connect() must%s",
		    ep->name, strerror(e), (unsigned)(st.st_mode & 07777),
		    owner_of(&st, owner, sizeof(owner)), way);
	errno = e;
	err(1, "%s %s", call, ep->name);
}

/* bind() failed: say why, where a student would not guess it. */
void
bind_failed(const struct endpoint *ep)
{
	if (errno == EADDRINUSE && ep->path[0] != '\0')
		errx(1, "bind %s: %s: another process made it just now",
		    ep->name, strerror(errno));
	if (errno == EADDRINUSE)
		errx(1, "bind %s: %s: another server has it", ep->name,
		    strerror(errno));
	if (errno == EACCES && ep->path[0] != '\0')
		path_denied(ep, "bind");
	err(1, "bind %s", ep->name);
}

/* connect() failed: say what it means and what to do. */
void
connect_failed(const struct endpoint *ep)
{
	if (errno == EINTR) {
		stop_if_signalled();
		errx(1, "connect %s: interrupted", ep->name);
	}
	if (errno == ENOENT)
		errx(1, "connect %s: no such socket; start 'ipc-socket serve' "
		    "first", ep->name);
	if (errno == ECONNREFUSED)
		errx(1, "connect %s: %s: nobody is listening there%s",
		    ep->name, strerror(errno), ep->path[0] != '\0' ?
		    " (a stale socket file: its server is gone)" : "");
	if (errno == EACCES && ep->path[0] != '\0')
		path_denied(ep, "connect");
	if (errno == EPROTOTYPE)
		errx(1, "connect %s: %s: the server there is not a %s socket",
		    ep->name, strerror(errno), ep->type == SOCK_DGRAM ?
		    "datagram" : "stream");
	err(1, "connect %s", ep->name);
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
 * bind() just made the socket file PATH: lstat() it into *ST, which tells
 * the mode bind() gave it, and remove it when we end (if still ours).
 */
void
socket_file_made(const char *path, struct stat *st)
{
	if (lstat(path, st) == -1)
		err(1, "lstat %s", path);
	snprintf(ours.path, sizeof(ours.path), "%s", path);
	ours.dev = st->st_dev;
	ours.ino = st->st_ino;
	at_exit_call(remove_our_socket, NULL);
}

/* The socket file this process bound, or NULL. */
const char *
our_socket_file(void)
{
	return ours.path[0] != '\0' ? ours.path : NULL;
}

/*
 * Is our socket file gone (rm(1), logout), or another in its place?  No
 * new client can find us then.  Asked at most once a second, so that a
 * busy server asks too, but not with an lstat() per message.
 */
int
socket_file_gone(void)
{
	static long long last = -1000;
	struct timespec now;
	struct stat st;
	long long ms;

	if (ours.path[0] == '\0')
		return 0;
	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		err(1, "clock_gettime");
	if ((ms = now.tv_sec * 1000LL + now.tv_nsec / 1000000) - last < 1000)
		return 0;
	last = ms;
	return lstat(ours.path, &st) == -1 || st.st_dev != ours.dev ||
	    st.st_ino != ours.ino;
}

/*
 * Wait until FD is readable: at once for a socket with no file, else in
 * slices of a second, ending the program ("PATH was removed" and GONE)
 * if our socket file goes meanwhile, busy or not.
 */
void
wait_for_peer(int fd, const char *gone)
{
	struct pollfd pfd;
	int r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		stop_if_signalled();
		if (ours.path[0] == '\0')
			return;
		if ((r = poll(&pfd, 1, 1000)) == -1 && errno != EINTR)
			err(1, "poll");
		if (r != -1 && socket_file_gone())
			errx(1, "%s was removed%s", ours.path, gone);
		if (r > 0)
			return;
	}
}

/* accept(2) one connection, but not for ever on a removed socket file. */
int
accept_retry(int lfd)
{
	int fd;

	for (;;) {
		wait_for_peer(lfd, NO_CLIENT_NOW);
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd != -1 || (errno != EINTR && errno != ECONNABORTED))
			return fd;
	}
}
