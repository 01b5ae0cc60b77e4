/*
 * sigpipe.c - writing to a pipe that nobody can read any more.
 *
 * The kernel sends such a writer SIGPIPE, which kills it: that is how
 * "yes | head" ends.  A writer that ignores the signal gets EPIPE from
 * write() instead, as pipe(7) says.  A second pipe, go, only tells
 * the writer that the reader has closed its end.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-pipe.h"

static void	sigpipe_writer(struct opts *o, int fd[2], int go[2])
		    __attribute__((noreturn));

/*
 * sigpipe: the reader takes one line, closes the only read end, and
 * waits to see how the writer's next write() ends.
 */
int
cmd_sigpipe(struct opts *o, int argc, char **argv)
{
	char buf[64], how[96], sig[32];
	int fd[2], go[2], status;
	pid_t pid;

	(void)argv;
	if (argc > 0)
		usage_error("sigpipe takes no arguments");
	narrate_role("reader");
	/* fd carries the data; go only tells the writer the reader is gone. */
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d, fd[1]=%d: the writer's lines go through it",
	    fd[0], fd[1]);
	if (pipe(go) == -1)
		err(1, "pipe");
	say("pipe(go) -> go[0]=%d, go[1]=%d: no data, only its end of file",
	    go[0], go[1]);
	say_fork("the writer");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0)
		sigpipe_writer(o, fd, go);
	at_exit_stop_child(pid);
	say("fork() -> writer %ld", (long)pid);
	if (close(fd[1]) == -1 || close(go[0]) == -1)
		err(1, "close");
	say("close(fd[1]), close(go[0]): the reader keeps fd[0] to read and "
	    "go[1] to close");
	if (read_full(fd[0], buf, 6) != 6)
		errx(1, "expected \"first\\n\" from the writer");
	say("read(fd[0]) -> \"first\\n\"");
	/* Now leave: close the only read end, then tell the writer. */
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	say("close(fd[0]): no read end is left anywhere");
	if (close(go[1]) == -1)
		err(1, "close(go[1])");
	say("close(go[1]): the writer's read(go[0]) now returns 0");
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	status = child_reaped(pid, "writer", status);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE && !o->ignore) {
		printf("writer: killed by %s, as the kernel does to a writer "
		    "with no reader\n", signal_name(SIGPIPE, sig, sizeof(sig)));
		return 0;
	}
	if (o->ignore && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* It failed, and has said why (a full disk on its stdout...). */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		exit(1);
	errx(1, "the writer %s, which is not what should happen",
	    describe_status(status, how, sizeof(how)));
}

/*
 * The child: write a line while the reader is there, wait until it has
 * gone, write again.  Either SIGPIPE kills it on that write, or (with
 * --ignore) write() fails with EPIPE and it says so.
 */
static void
sigpipe_writer(struct opts *o, int fd[2], int go[2])
{
	char buf[64];
	sigset_t pipe_only;
	ssize_t n;

	narrate_role("writer");
	/*
	 * A disposition of SIG_IGN survives fork and exec, so a writer
	 * started from a program that ignores SIGPIPE would never die
	 * of it.  Set it explicitly, one way or the other.
	 */
	if (signal(SIGPIPE, o->ignore ? SIG_IGN : SIG_DFL) == SIG_ERR)
		err(1, "signal SIGPIPE");
	/*
	 * The signal mask survives fork and exec too: a blocked SIGPIPE
	 * would only wait, and write() fail with EPIPE.  Unblock it.
	 */
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	if (sigprocmask(SIG_UNBLOCK, &pipe_only, NULL) == -1)
		err(1, "sigprocmask");
	say("SIGPIPE is %s", o->ignore ? "ignored" : "left to its "
	    "default action: terminate");
	/* Drop the read end, or this writer would be a reader of its own. */
	if (close(fd[0]) == -1 || close(go[1]) == -1)
		err(1, "close");
	say("close(fd[0]), close(go[1]): the reader's fd[0] is now the only "
	    "read end");
	if (write_all(fd[1], "first\n", 6) == -1)
		err(1, "write");
	say("write(fd[1], \"first\\n\") -> 6: the reader is still there");
	/* Wait until the reader has closed its end: go reaches EOF. */
	while ((n = read(go[0], buf, sizeof(buf))) != 0) {
		if (n == -1 && errno != EINTR)
			err(1, "read(go)");
		stop_if_signalled();
	}
	say("the reader is gone; writing again...");
	/* A signal may interrupt the write before it starts: again. */
	while ((n = write(fd[1], "second\n", 7)) == -1 && errno == EINTR)
		stop_if_signalled();
	if (n == -1) {
		if (errno != EPIPE)
			err(1, "write");
		say("write(fd[1]) -> -1, errno EPIPE");
		printf("writer: write() failed with EPIPE (%s)\n",
		    strerror(EPIPE));
		flush_stdout();
		_exit(0);
	}
	errx(1, "the second write succeeded; no reader should exist");
}
