/*
 * dgram.c - datagrams: serve --dgram and connect --dgram.
 *
 * A SOCK_DGRAM socket keeps each message whole and apart, and has no
 * connections: no listen(), no accept().  The server learns from each
 * recvmsg(2) who sent the datagram (its address, where the reply goes,
 * and with SO_PASSCRED its credentials) and answers with sendto(2).  The
 * client must bind an address of its own before it connects, or no reply
 * could reach it.
 * The classic this mirrors is the datagram echo pair of UNP (dg_echo,
 * dg_cli) on a Unix socket.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

/* How long a datagram client waits for each reply. */
#define REPLY_TIMEOUT_MS	5000

static void	sender_of(struct msghdr *msg, char *who, size_t len);
static void	reply(int fd, const char *buf, ssize_t n, struct msghdr *msg,
		    const char *who);

/*
 * The datagram server: each recvmsg() returns one whole datagram, with
 * the sender's address (where the reply goes) and, thanks to SO_PASSCRED,
 * its credentials.  No connections, so no accept().
 */
int
serve_dgram(const struct opts *o, int fd)
{
	static char buf[256 * 1024];
	union {
		struct cmsghdr	align;
		char		space[CMSG_SPACE(sizeof(struct ucred))];
	} control;
	struct sockaddr_un from;
	struct msghdr msg;
	struct iovec iov;
	char who[64];
	int one = 1;
	ssize_t n;

	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == -1)
		err(1, "setsockopt SO_PASSCRED");
	say("setsockopt(%d, SO_PASSCRED): each datagram comes with its "
	    "sender's pid, uid and gid", fd);
	for (;;) {
		wait_for_peer(fd, " (rm(1)?): no client can send to this "
		    "server any more");
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
		sender_of(&msg, who, sizeof(who));
		say("recvmsg(%d) -> a datagram of %zd bytes from %s%s", fd, n,
		    who, msg.msg_flags & MSG_TRUNC ? " (MSG_TRUNC: it was "
		    "longer than our buffer; the rest is lost)" : "");
		reply(fd, buf, n, &msg, who);
		if (o->once)
			return 0;
	}
}

/* "pid 1234 uid 1000 gid 1000" from the SCM_CREDENTIALS in MSG. */
static void
sender_of(struct msghdr *msg, char *who, size_t len)
{
	struct cmsghdr *cm;
	struct ucred uc;

	snprintf(who, len, "an unknown sender");
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS) {
			memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
			snprintf(who, len, "pid %ld uid %ld gid %ld",
			    (long)uc.pid, (long)uc.uid, (long)uc.gid);
		}
}

/* Send the N bytes back to the address the datagram in MSG came from. */
static void
reply(int fd, const char *buf, ssize_t n, struct msghdr *msg,
    const char *who)
{
	if (msg->msg_namelen <= offsetof(struct sockaddr_un, sun_path)) {
		say("the sender has no address (it never bound one), so no "
		    "reply can reach it");
		return;
	}
	/*
	 * MSG_DONTWAIT: a sender that does not read would otherwise stop the
	 * whole server once its queue is full.
	 */
	if (sendto(fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL,
	    (struct sockaddr *)msg->msg_name, msg->msg_namelen) == -1) {
		if (errno == EINTR)
			stop_if_signalled();
		if (errno != EAGAIN && errno != ECONNREFUSED &&
		    errno != ENOENT && errno != EINTR)
			err(1, "sendto");
		say("sendto: %s: the reply to %s is dropped", strerror(errno),
		    who);
		return;
	}
	say("sendto(%d) -> the same %zd bytes back, one datagram", fd, n);
}

static void	send_datagram(int fd, const struct endpoint *ep,
		    const char *line, size_t mlen);
static void	print_reply(int fd, const struct endpoint *ep);

/*
 * Before a datagram client connects: bind an address of our own, or no
 * reply could find us.  Only the family, no name (autobind): the kernel
 * picks a free abstract one.  Binding first, as a server does, means the
 * socket has its name before it has a peer or sends anything.
 */
void
autobind(int fd)
{
	struct sockaddr_un me;
	socklen_t len;

	memset(&me, 0, sizeof(me));
	me.sun_family = AF_UNIX;
	if (bind(fd, (struct sockaddr *)&me, sizeof(sa_family_t)) == -1)
		err(1, "bind (autobind)");
	len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) == -1)
		err(1, "getsockname");
	say("bind(%d, AF_UNIX only) -> the kernel named us \"@%.*s\", so "
	    "replies can find us", fd, (int)(len - offsetof(struct sockaddr_un,
	    sun_path) - 1), me.sun_path + 1);
}

/*
 * The datagram client, once client_socket() has bound (autobind) and
 * connected: each line is one datagram, and each reply is one datagram,
 * printed as a line.
 */
void
connect_dgram(int fd, const struct endpoint *ep, int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0, mlen;
	ssize_t n;
	int i = 0;

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
		send_datagram(fd, ep, line, mlen);
		print_reply(fd, ep);
	}
	if (argc == 0)
		free(line);
}

/* One line, one datagram: it goes whole or not at all. */
static void
send_datagram(int fd, const struct endpoint *ep, const char *line,
    size_t mlen)
{
	while (send(fd, line, mlen, MSG_NOSIGNAL) == -1) {
		if (errno == EINTR) {
			stop_if_signalled();
			continue;
		}
		if (errno == EMSGSIZE)
			errx(1, "send %s: %s: a %zu-byte datagram does not fit "
			    "the socket's send buffer (SO_SNDBUF)", ep->name,
			    strerror(errno), mlen);
		if (errno == ECONNREFUSED)
			errx(1, "send %s: %s: the server is gone", ep->name,
			    strerror(errno));
		err(1, "send %s", ep->name);
	}
	say("send(%d, %zu bytes): one datagram", fd, mlen);
}

/* Wait for the reply datagram, for a while, and print it as a line. */
static void
print_reply(int fd, const struct endpoint *ep)
{
	/* One byte more than a reply may have: room for its newline. */
	static char buf[256 * 1024 + 1];
	struct pollfd pfd;
	ssize_t n;
	int r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	/* A datagram server may never answer: do not wait for ever. */
	while ((r = poll(&pfd, 1, REPLY_TIMEOUT_MS)) == -1 && errno == EINTR)
		stop_if_signalled();
	if (r == -1)
		err(1, "poll");
	if (r == 0)
		errx(1, "%s: no reply within %d seconds", ep->name,
		    REPLY_TIMEOUT_MS / 1000);
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_TRUNC)) == -1 &&
	    errno == EINTR)
		stop_if_signalled();
	if (n == -1)
		err(1, "recv %s", ep->name);
	if ((size_t)n > sizeof(buf) - 1)
		errx(1, "a reply of %zd bytes did not fit our buffer", n);
	say("recv(%d) -> %zd bytes: one whole datagram", fd, n);
	buf[n] = '\n';
	if (write_all(STDOUT_FILENO, buf, (size_t)n + 1) == -1)
		err(1, "write error on standard output");
}
