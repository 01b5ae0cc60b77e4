/*
 * demo.c - a server and its client meet at a path: the classic pair.
 *
 * It mirrors the Unix-socket echo server and client every tutorial
 * starts with (unix(7), TLPI's us_xfr_sv.c and us_xfr_cl.c, the LinuxIPC
 * Socket example): the server calls socket(), bind(), listen() and
 * accept(), the client socket() and connect(), and the two then talk
 * with send() and read().  Here one run does both sides: the server
 * forks its client.  Its path holds our pid, in our private run
 * directory, so no other server can be there; the hardened server of
 * ipc-socket serve is in server.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

static void	demo_client(const struct endpoint *ep, int argc,
		    const char *const *lines) __attribute__((noreturn));

/*
 * demo: the server binds its path, listens, forks the client, accepts
 * it, learns who it is, and echoes what it sends until it closes.
 */
int
cmd_demo(struct opts *o, int argc, char **argv)
{
	static const char *const fallback[] = { "hello, socket",
	    "one server, one client" };
	const char *const *lines;
	char path[PATH_MAX], leaf[64], buf[4096];
	struct endpoint ep = { .type = SOCK_STREAM };
	struct ucred uc;
	socklen_t len = sizeof(uc);
	struct stat st;
	long long total = 0;
	int lfd, fd, status;
	ssize_t n;
	mode_t old;
	pid_t pid;

	(void)o;
	lines = message_lines(&argc, argv, fallback, 2, "demo: each MESSAGE");
	narrate_role("server");
	/* The address: AF_UNIX and the path in sun_path, if it fits. */
	snprintf(leaf, sizeof(leaf), "socket-demo-%ld", (long)getpid());
	unix_path(&ep, rundir_path(path, sizeof(path), leaf), 0);
	if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	say("socket(AF_UNIX, SOCK_STREAM) -> fd %d", lfd);
	/* bind() makes the file with 0777 minus the umask: make that 0600. */
	old = umask(0177);
	if (bind(lfd, (struct sockaddr *)&ep.addr, ep.len) == -1)
		err(1, "bind %s", path);
	(void)umask(old);
	/* The file outlives the socket: we remove it when we end. */
	socket_file_made(path, &st);
	say("bind(%d, \"%s\"): a socket file now, mode %04o", lfd, path,
	    (unsigned)(st.st_mode & 07777));
	if (listen(lfd, SOMAXCONN) == -1)
		err(1, "listen %s", path);
	say("listen(%d, %d): clients may connect now", lfd, SOMAXCONN);
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	say("stat(\"%s\") -> %s, size %lld: a name to meet at, no storage",
	    path, S_ISSOCK(st.st_mode) ? "a socket ('s' in ls -l)" :
	    "not a socket", (long long)st.st_size);
	say_fork("the client");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		forked_client(lfd);
		demo_client(&ep, argc, lines);
	}
	at_exit_stop_child(pid);
	say("fork() -> client %ld; it will close its copy of fd %d and meet "
	    "us by the path", (long)pid, lfd);
	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		retry_if_eintr("accept");
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		err(1, "getsockopt SO_PEERCRED");
	say("accept() -> fd %d, a new socket for this client; SO_PEERCRED: "
	    "pid %ld uid %ld gid %ld", fd, (long)uc.pid, (long)uc.uid,
	    (long)uc.gid);
	for (;;) {
		stop_if_signalled();
		while ((n = read(fd, buf, sizeof(buf))) == -1)
			retry_if_eintr("read");
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
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "client", status), "client");
	return 0;
}

/*
 * The client: only the name joins it to the server; it makes its own
 * socket, connects, and sends each line and reads its echo in turn.
 */
static void
demo_client(const struct endpoint *ep, int argc, const char *const *lines)
{
	char buf[4096];
	int fd, i;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	say("socket(AF_UNIX, SOCK_STREAM) -> fd %d: a new socket of our own, "
	    "at the lowest free number", fd);
	if (connect(fd, (const struct sockaddr *)&ep->addr, ep->len) == -1)
		connect_failed(ep);
	say("connect(%d, \"%s\"): connected", fd, ep->path);
	for (i = 0; i < argc; i++) {
		snprintf(buf, sizeof(buf), "%s\n", lines[i]);
		if (send_all(fd, buf, strlen(buf)) == -1)
			err(1, "send");
		say("send(%d, \"%s\\n\")", fd, lines[i]);
		if (read_line(fd, buf, sizeof(buf)) < 0)
			errx(1, "the server closed before answering");
		say("read(%d) -> the echo", fd);
		if (write_all(STDOUT_FILENO, "echo: ", 6) == -1 ||
		    write_all(STDOUT_FILENO, buf, strlen(buf)) == -1 ||
		    write_all(STDOUT_FILENO, "\n", 1) == -1)
			err(1, "write error on standard output");
	}
	if (close(fd) == -1)
		err(1, "close");
	say("close(%d): the server will read end of file", fd);
	_exit(0);
}
