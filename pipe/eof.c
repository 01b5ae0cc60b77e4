/*
 * eof.c - end of file on a pipe comes only when every write end is closed.
 *
 * The reader sees EOF when no process holds a write end any more, its own
 * copy included: the mistake behind every pipeline that hangs, and the
 * reason the seed's note says a process "must close the other end".
 * --leave-open makes that mistake and shows the hang, bounded by poll().
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-pipe.h"

static int	eof_never_came(struct opts *o, int fd[2], pid_t pid,
		    size_t total);
static int	writer_has_exited(pid_t pid);

/*
 * eof: a writer writes three lines and exits; the parent reads until
 * end of file.  --leave-open forgets to close the parent's write end.
 */
int
cmd_eof(struct opts *o, int argc, char **argv)
{
	static const char text[] = "line 1\nline 2\nline 3\n";
	struct pollfd pfd;
	char buf[256];
	size_t total = 0;
	ssize_t n;
	pid_t pid;
	int fd[2], r, status, waited = 0;
	int wait_ms = (int)(o->timeout * 1000);

	(void)argv;
	if (argc > 0)
		usage_error("eof takes no arguments");
	narrate_role("parent");
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d, fd[1]=%d", fd[0], fd[1]);
	say_fork("the writer");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("writer");
		if (close(fd[0]) == -1)
			err(1, "close(fd[0])");
		if (write_all(fd[1], text, sizeof(text) - 1) == -1)
			err(1, "write(fd[1])");
		say("wrote %zu bytes; now closing fd[1] and exiting",
		    sizeof(text) - 1);
		if (close(fd[1]) == -1)
			err(1, "close(fd[1])");
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> writer %ld", (long)pid);
	if (o->leave_open) {
		say("--leave-open: NOT closing fd[1] here; this reader keeps a "
		    "write end");
	} else {
		if (close(fd[1]) == -1)
			err(1, "close(fd[1])");
		say("close(fd[1]): the reader keeps no write end");
	}
	pfd.fd = fd[0];
	pfd.events = POLLIN;
	for (;;) {
		stop_if_signalled();
		/* poll() bounds the wait, so a missing EOF cannot hang us. */
		if ((r = poll(&pfd, 1, wait_ms)) == -1) {
			retry_if_eintr("poll");
			continue;
		}
		if (r == 0 && wait_ms == 0)
			return eof_never_came(o, fd, pid, total);
		if (r == 0) {
			/*
			 * No verdict while a slow writer still holds fd[1].
			 * Once it is gone, all it wrote is in the pipe: read
			 * what is waiting, without waiting any more.
			 */
			if (writer_has_exited(pid))
				wait_ms = 0;
			else if (!waited++)
				say("no data for %g s, but the writer still "
				    "runs: waiting on", o->timeout);
			continue;
		}
		if ((n = read(fd[0], buf, sizeof(buf))) == -1) {
			retry_if_eintr("read(fd[0])");
			continue;
		}
		if (n == 0)
			break;
		say("read(fd[0]) -> %zd byte%s", n, n == 1 ? "" : "s");
		fwrite(buf, 1, (size_t)n, stdout);
		total += (size_t)n;
	}
	say("read(fd[0]) -> 0: end of file");
	printf("EOF after %zu bytes\n", total);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "writer", status), "writer");
	return 0;
}

/*
 * The writer has exited and nothing is left to read, yet no EOF.  With
 * --leave-open that is the lesson; close the forgotten end and EOF comes
 * at once.
 */
static int
eof_never_came(struct opts *o, int fd[2], pid_t pid, size_t total)
{
	char buf[256];
	ssize_t n;
	int status;

	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "writer", status), "writer");
	printf("no EOF after %g second%s: the writer has exited, but this "
	    "process still holds fd[1]\n", o->timeout,
	    o->timeout == 1 ? "" : "s");
	if (!o->leave_open)
		errx(1, "no end of file although every write end is closed");
	if (close(fd[1]) == -1)
		err(1, "close(fd[1])");
	say("close(fd[1]): now no write end is left anywhere");
	while ((n = read(fd[0], buf, sizeof(buf))) == -1 && errno == EINTR)
		stop_if_signalled();
	if (n != 0)
		errx(1, "expected end of file after closing fd[1], got %zd", n);
	say("read(fd[0]) -> 0 at once: end of file");
	printf("EOF after %zu bytes, once the reader closed its own fd[1]\n",
	    total);
	return 0;
}

/*
 * Has the writer exited?  waitid() with WNOWAIT only looks: the writer is
 * still there for waitpid() to reap.
 */
static int
writer_has_exited(pid_t pid)
{
	siginfo_t si;

	si.si_pid = 0;
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT)
	    == -1)
		retry_if_eintr("waitid %ld", (long)pid);
	return si.si_pid != 0;
}
