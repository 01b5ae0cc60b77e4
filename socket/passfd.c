/*
 * passfd.c - SCM_RIGHTS: an open file passed from one process to another.
 *
 * The classic it mirrors is the descriptor passing of cmsg(3), TLPI's
 * scm_rights_send.c and scm_rights_recv.c, and UNP's write_fd/read_fd:
 * sendmsg(2) with a control message of type SCM_RIGHTS holding the
 * descriptor, recvmsg(2) on the other side, where the kernel installs
 * the same open file at a free slot of the receiver's own table.
 * passfd does it over a socketpair in one run; recvfd and sendfd do it
 * between two programs that meet at a socket path.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

/*
 * Room for the control data of up to FDS_MAX descriptors, in a union so
 * that it is aligned as a struct cmsghdr must be.
 */
#define FDS_MAX	8
union fd_control {
	struct cmsghdr	align;
	char		space[CMSG_SPACE(FDS_MAX * sizeof(int))];
};

static void	open_failed(const char *file) __attribute__((noreturn));
static void	refuse_fifo(const char *file);
static void	send_fd(int sock, int filefd);
static ssize_t	recv_fd(int sock, int *fd, int *theirs);

/*
 * passfd: the child opens FILE and passes the open descriptor over a
 * socketpair; the parent, which never opened FILE, reads it and prints it.
 */
int
cmd_passfd(struct opts *o, int argc, char **argv)
{
	const char *file;
	int sv[2], fd, status, theirs = -1;
	long long bytes;
	pid_t pid;

	(void)o;
	if (argc != 1)
		usage_error("passfd takes one FILE");
	file = argv[0];
	refuse_fifo(file);
	narrate_role("receiver");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	say("socketpair(AF_UNIX, SOCK_STREAM) -> %d, %d", sv[0], sv[1]);
	say_fork("the sender");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("sender");
		if (close(sv[0]) == -1)
			err(1, "close");
		/* Opened after fork(): the parent has no copy of it. */
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
			open_failed(file);
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
	/* Wait for the sender first: its copy is closed before we use ours. */
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "sender", status), "sender");
	if (recv_fd(sv[0], &fd, &theirs) == 0 || fd == -1)
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
 * FILE is about to be opened for reading.  A FIFO's open() waits for a
 * writer, for ever if none comes: refuse it unopened.
 */
static void
refuse_fifo(const char *file)
{
	struct stat st;

	if (stat(file, &st) == 0 && S_ISFIFO(st.st_mode))
		errx(1, "%s is a FIFO: opening it would wait for a writer, "
		    "perhaps for ever; pass a regular file", file);
}

/*
 * The sender's open() of FILE failed.  A passed descriptor carries the
 * sender's access, so the sender must be allowed to read FILE; the
 * receiver need not be.
 */
static void
open_failed(const char *file)
{
	if (errno == EACCES)
		err(1, "open %s for reading (the sender needs that "
		    "permission; the receiver gets the descriptor, "
		    "and needs none)", file);
	err(1, "open %s", file);
}

/*
 * Send FILEFD over SOCK in an SCM_RIGHTS control message, with its number
 * here as the data: control data never travels alone on a stream socket.
 */
static void
send_fd(int sock, int filefd)
{
	union fd_control control = { .space = { 0 } };
	char number[16];
	struct iovec iov = { .iov_base = number };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = control.space };
	struct cmsghdr *cm;

	iov.iov_len = (size_t)snprintf(number, sizeof(number), "%d", filefd);
	msg.msg_controllen = CMSG_SPACE(sizeof(int));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &filefd, sizeof(int));
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) == -1)
		retry_if_eintr("sendmsg SCM_RIGHTS");
	say("sendmsg(%d, \"%s\" + SCM_RIGHTS [fd %d]): the kernel takes a "
	    "reference to our open file and queues it for the receiver", sock,
	    number, filefd);
}

/*
 * Receive one message from SOCK: in *FD the descriptor it carries, or -1
 * (MSG_CMSG_CLOEXEC: close-on-exec at once); in *THEIRS its number at the
 * sender, if the data says.  Returns what recvmsg() does: 0 at end of file.
 */
static ssize_t
recv_fd(int sock, int *fd, int *theirs)
{
	union fd_control control;
	char data[256];
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = control.space,
	    .msg_controllen = sizeof(control.space) };
	struct cmsghdr *cm;
	ssize_t n;

	*fd = -1;
	stop_if_signalled();
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -1)
		retry_if_eintr("recvmsg");
	if (n == 0)
		return 0;
	say("recvmsg(%d) -> %zd byte%s of data, %zu bytes of control data",
	    sock, n, n == 1 ? "" : "s", (size_t)msg.msg_controllen);
	sender_number(data, (size_t)n, theirs);
	warn_if_truncated(&msg);
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS)
			*fd = keep_first_fd(CMSG_DATA(cm),
			    (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int), *fd);
	return n;
}

/*
 * recvfd: listen at PATH, accept one sender, receive one descriptor,
 * print what it reads through it.  Any SCM_RIGHTS sender will do.
 */
int
cmd_recvfd(struct opts *o, int argc, char **argv)
{
	struct endpoint ep;
	long long bytes;
	char who[128];
	int lfd, cfd, fd, theirs = -1;

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
	/* poll() first: if someone removes the socket file, stop waiting. */
	do {
		wait_for_peer(lfd, NO_CLIENT_NOW);
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	} while (cfd == -1 && (errno == EINTR || errno == ECONNABORTED));
	if (cfd == -1)
		err(1, "accept %s", ep.name);
	describe_peer(cfd, AF_UNIX, NULL, who, sizeof(who));
	say("accept() -> fd %d: a sender, %s", cfd, who);
	/* One sender only: the name can go now. */
	if (close(lfd) == -1)
		err(1, "close");
	cleanup_run();
	/* Any sender will do: it may send data before the descriptor. */
	do {
		if (recv_fd(cfd, &fd, &theirs) == 0)
			errx(1, "the sender closed the connection without "
			    "sending a descriptor");
	} while (fd == -1);
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
int
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
	refuse_fifo(file);
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		open_failed(file);
	say("open(\"%s\", O_RDONLY) -> fd %d", file, fd);
	sock = client_socket(&ep);
	send_fd(sock, fd);
	if (close(fd) == -1 || close(sock) == -1)
		err(1, "close");
	say("close: we have exited our side; the descriptor waits in the "
	    "receiver's queue, held by the kernel");
	return 0;
}
