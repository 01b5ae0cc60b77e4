/*
 * cred.c - who is at the other end?  The kernel answers twice.
 *
 * SO_PEERCRED says who connected (recorded at connect() time);
 * SCM_CREDENTIALS, with SO_PASSCRED on, comes with each message and says
 * who sent it.  A sender may state its own credentials, but the kernel
 * checks them: an ordinary process cannot claim to be another.  The
 * classic it mirrors is the credentials example of unix(7) and TLPI's
 * scm_cred_send.c and scm_cred_recv.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

/*
 * Room for one SCM_CREDENTIALS control message, in a union so that it is
 * aligned as a struct cmsghdr must be.
 */
union cred_control {
	struct cmsghdr	align;
	char		space[CMSG_SPACE(sizeof(struct ucred))];
};

static void	cred_client(const struct endpoint *ep)
		    __attribute__((noreturn));
static void	recv_cred(int sock, char *buf, size_t size, struct ucred *uc);

/*
 * cred: a server and its client in one run.  A SOCK_SEQPACKET socket
 * keeps each message apart, as a datagram would, over a connection.
 */
int
cmd_cred(struct opts *o, int argc, char **argv)
{
	struct endpoint ep;
	struct ucred uc;
	socklen_t len = sizeof(uc);
	char path[PATH_MAX], leaf[64], text[64];
	int lfd, fd, one = 1, status;
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
	say_fork("the client");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		forked_client(lfd);
		cred_client(&ep);
	}
	at_exit_stop_child(pid);
	say("fork() -> client %ld", (long)pid);
	printf("the client is pid %ld, uid %ld, gid %ld\n", (long)pid,
	    (long)getuid(), (long)getgid());
	if ((fd = accept_retry(lfd)) == -1)
		err(1, "accept");
	if (close(lfd) == -1)
		err(1, "close");
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
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
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "client", status), "client");
	return 0;
}

static int	send_cred(int sock, const char *text, const struct ucred *uc);

/*
 * The client: a message with no credentials (the kernel adds them), one
 * with its own, and one claiming to be pid 1.
 */
static void
cred_client(const struct endpoint *ep)
{
	struct ucred me;
	int fd;

	fd = client_socket(ep);
	if (send_cred(fd, "plain", NULL) == -1)
		err(1, "sendmsg");
	say("sendmsg(\"plain\"), no control data: the kernel adds our "
	    "credentials itself");
	me.pid = getpid();
	me.uid = getuid();
	me.gid = getgid();
	if (send_cred(fd, "stated", &me) == -1)
		err(1, "sendmsg SCM_CREDENTIALS");
	say("sendmsg(\"stated\", SCM_CREDENTIALS pid %ld uid %ld gid %ld): "
	    "our own, which the kernel checks and lets through", (long)me.pid,
	    (long)me.uid, (long)me.gid);
	me.pid = 1;
	if (send_cred(fd, "claim", &me) == 0) {
		say("sendmsg(\"claim\", SCM_CREDENTIALS pid 1): allowed: we "
		    "have CAP_SYS_ADMIN, which may speak for others");
	} else {
		if (errno != EPERM)
			err(1, "sendmsg SCM_CREDENTIALS");
		say("sendmsg(\"claim\", SCM_CREDENTIALS pid 1) -> %s: we may "
		    "not claim to be another process", strerror(errno));
		if (send_cred(fd, "refused", NULL) == -1)
			err(1, "sendmsg");
	}
	_exit(0);
}

/*
 * Send TEXT on SOCK; with UC, an SCM_CREDENTIALS message claiming those
 * credentials.  Returns -1 with errno when the kernel refuses the claim.
 */
static int
send_cred(int sock, const char *text, const struct ucred *uc)
{
	union cred_control control;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)text,
	    .iov_len = strlen(text) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t r;

	if (uc != NULL) {
		memset(&control, 0, sizeof(control));
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
	union cred_control control;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = control.space,
	    .msg_controllen = sizeof(control.space) };
	struct cmsghdr *cm;
	ssize_t n;

	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -1)
		retry_if_eintr("recvmsg");
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
