/*
 * duplex.c - a conversation needs two pipes.
 *
 * A pipe carries bytes one way only.  For a request and its answer the
 * parent and the child need a pipe each way, and each closes the two ends
 * it does not use: the classic two-pipe client and server of UNP2's
 * mainpipe.c, with a child that answers each line in capitals.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-pipe.h"

/*
 * duplex: a pipe carries data one way only, so a conversation needs two.
 * The parent sends each line down one pipe; the child answers on the other.
 */
int
cmd_duplex(struct opts *o, int argc, char **argv)
{
	static const char *const fallback[] = { "ping", "hello, child", "bye" };
	const char *const *lines = (const char *const *)argv;
	char line[4096], reply[4096];
	int down[2], up[2], i, status;
	ssize_t n;
	pid_t pid;

	(void)o;
	if (argc == 0) {
		argc = 3;
		lines = fallback;
	}
	for (i = 0; i < argc; i++)
		if (strchr(lines[i], '\n') != NULL || strlen(lines[i]) > 4000)
			usage_error("duplex: each LINE must be one line of at "
			    "most 4000 bytes");
	narrate_role("parent");
	if (pipe(down) == -1 || pipe(up) == -1)
		err(1, "pipe");
	say("pipe(down) -> %d, %d: parent to child", down[0], down[1]);
	say("pipe(up) -> %d, %d: child to parent", up[0], up[1]);
	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("child");
		if (close(down[1]) == -1 || close(up[0]) == -1)
			err(1, "close");
		say("close(down[1]), close(up[0]): read down, write up");
		/* Answer each line in capitals until the parent closes its end. */
		while ((n = read_line(down[0], line, sizeof(line))) >= 0) {
			for (i = 0; i < n; i++)
				line[i] = (char)toupper((unsigned char)line[i]);
			line[n] = '\n';
			if (write_all(up[1], line, (size_t)n + 1) == -1)
				err(1, "write(up[1])");
			say("answered a line of %zd byte%s", n, n == 1 ? "" : "s");
		}
		say("read(down[0]) -> 0: the parent closed its end; exiting");
		if (close(down[0]) == -1 || close(up[1]) == -1)
			err(1, "close");
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld", (long)pid);
	if (close(down[0]) == -1 || close(up[1]) == -1)
		err(1, "close");
	say("close(down[0]), close(up[1]): write down, read up");
	for (i = 0; i < argc; i++) {
		snprintf(line, sizeof(line), "%s\n", lines[i]);
		if (write_all(down[1], line, strlen(line)) == -1)
			err(1, "write(down[1])");
		printf("sent: %s\n", lines[i]);
		if (read_line(up[0], reply, sizeof(reply)) < 0)
			errx(1, "the child hung up before answering");
		printf("got:  %s\n", reply);
		/* Show each exchange as it happens, not all at the end. */
		if (fflush(stdout) == EOF)
			err(1, "write error on standard output");
	}
	if (close(down[1]) == -1)
		err(1, "close(down[1])");
	say("close(down[1]): no more lines; the child will see end of file");
	if (read_line(up[0], reply, sizeof(reply)) >= 0)
		errx(1, "the child sent an unexpected line: %s", reply);
	if (close(up[0]) == -1)
		err(1, "close(up[0])");
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "child", status), "child");
	return 0;
}
