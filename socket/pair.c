/*
 * pair.c - socketpair(2): two connected sockets at once, no name needed.
 *
 * The classic it mirrors is the socketpair() example of APUE and TLPI: a
 * parent and its child each keep one end, and each end both reads and
 * writes, where a pipe needs two pipes (four descriptors) for the same.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

static void	answer_in_capitals(int fd) __attribute__((noreturn));

/*
 * pair: the parent sends each LINE on its end; the child answers it in
 * capitals on the same descriptor it reads from.
 */
int
cmd_pair(struct opts *o, int argc, char **argv)
{
	static const char *const fallback[] = { "ping", "hello, child", "bye" };
	const char *const *lines;
	char line[4096], reply[4096];
	int sv[2], p[2], i, status;
	pid_t pid;

	(void)o;
	lines = message_lines(&argc, argv, fallback, 3, "pair: each LINE");
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
	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("child");
		if (close(sv[0]) == -1)
			err(1, "close");
		say("close(%d): the child keeps fd %d, for both directions",
		    sv[0], sv[1]);
		answer_in_capitals(sv[1]);
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
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "child", status), "child");
	return 0;
}

/* The child: answer each line in capitals, on the same descriptor. */
static void
answer_in_capitals(int fd)
{
	char line[4096];
	ssize_t n, i;

	while ((n = read_line(fd, line, sizeof(line))) >= 0) {
		for (i = 0; i < n; i++)
			line[i] = (char)toupper((unsigned char)line[i]);
		line[n] = '\n';
		if (send_all(fd, line, (size_t)n + 1) == -1)
			err(1, "send");
		say("read a line of %zd bytes from fd %d, answered on fd %d",
		    n, fd, fd);
	}
	say("read(%d) -> 0: the parent shut its sending side; exiting", fd);
	_exit(0);
}
