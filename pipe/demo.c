/*
 * demo.c - the classic: one pipe between a parent and its child.
 *
 * The child writes a message into the pipe and the parent reads it, as in
 * every first lesson on pipes (TLPI's simple_pipe.c is one): pipe(),
 * fork(), each side closes the end it does not use, write(), read() until
 * end of file, waitpid().  --reverse, after it, swaps the roles.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-pipe.h"

static char	*more_room(char **text, size_t *cap, size_t len);

/*
 * The classic: the child writes MSG into the pipe, the parent reads it
 * until end of file and prints it.
 */
static int
child_writes(const char *msg)
{
	size_t len = strlen(msg), got = 0, cap = 0;
	char *text = NULL, *buf;
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	narrate_role("parent");
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d is the read end, fd[1]=%d the write end",
	    fd[0], fd[1]);
	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("child");
		/* A process closes the end it does not use. */
		if (close(fd[0]) == -1)
			err(1, "close(fd[0])");
		say("close(fd[0]): the child only writes, so it drops the read "
		    "end");
		if (write_all(fd[1], msg, len) == -1)
			err(1, "write(fd[1])");
		say("write(fd[1], \"%.60s%s\", %zu) -> %zu byte%s written",
		    msg, len > 60 ? "..." : "", len, len, len == 1 ? "" : "s");
		/* Closing the last write end is what lets the reader see EOF. */
		if (close(fd[1]) == -1)
			err(1, "close(fd[1])");
		say("close(fd[1]): done writing; the reader will see end of file");
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld; parent and child now both hold both ends",
	    (long)pid);
	/* Keep no write end: while one is open anywhere, read() cannot see EOF. */
	if (close(fd[1]) == -1)
		err(1, "close(fd[1])");
	say("close(fd[1]): the parent only reads; an open write end would hide "
	    "EOF");
	say("read(fd[0]) blocks until the writer writes...");
	/* A read() returns what has arrived so far: read until end of file. */
	for (;;) {
		buf = more_room(&text, &cap, got);
		stop_if_signalled();
		if ((n = read(fd[0], buf, cap - got)) == -1) {
			retry_if_eintr("read(fd[0])");
			continue;
		}
		if (n == 0)
			break;
		say("read(fd[0]) -> %zd byte%s", n, n == 1 ? "" : "s");
		got += (size_t)n;
	}
	say("read(fd[0]) -> 0: end of file, no write end is left open");
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	printf("received string: %.*s\n", (int)got, text);
	free(text);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "child", status), "child");
	return 0;
}

/*
 * demo --reverse: the same pipe the other way.  The parent writes MSG,
 * the child reads it until end of file and prints it.
 */
static int
parent_writes(const char *msg)
{
	size_t len = strlen(msg), got = 0, cap = 0;
	char *text = NULL, *buf;
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	narrate_role("parent");
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d is the read end, fd[1]=%d the write end",
	    fd[0], fd[1]);
	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("child");
		/* The child's copy of the write end would hide EOF from it. */
		if (close(fd[1]) == -1)
			err(1, "close(fd[1])");
		say("close(fd[1]): the child only reads; an open write end "
		    "would hide EOF");
		say("read(fd[0]) blocks until the writer writes...");
		for (;;) {
			buf = more_room(&text, &cap, got);
			stop_if_signalled();
			if ((n = read(fd[0], buf, cap - got)) == -1) {
				retry_if_eintr("read(fd[0])");
				continue;
			}
			if (n == 0)
				break;
			say("read(fd[0]) -> %zd byte%s", n, n == 1 ? "" : "s");
			got += (size_t)n;
		}
		say("read(fd[0]) -> 0: end of file, no write end is left open");
		if (close(fd[0]) == -1)
			err(1, "close(fd[0])");
		printf("received string: %.*s\n", (int)got, text);
		free(text);
		flush_stdout();
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld; parent and child now both hold both ends",
	    (long)pid);
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	say("close(fd[0]): the parent only writes, so it drops the read end");
	if (write_all(fd[1], msg, len) == -1)
		err(1, "write(fd[1])");
	say("write(fd[1], \"%.60s%s\", %zu) -> %zu byte%s written", msg,
	    len > 60 ? "..." : "", len, len, len == 1 ? "" : "s");
	/* Closing the last write end is what lets the child see EOF. */
	if (close(fd[1]) == -1)
		err(1, "close(fd[1])");
	say("close(fd[1]): done writing; the reader will see end of file");
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "child", status), "child");
	return 0;
}

/* demo: the classic, or with --reverse its mirror. */
int
cmd_demo(struct opts *o, int argc, char **argv)
{
	const char *msg = argc > 0 ? argv[0] : "i am the child";

	if (argc > 1)
		usage_error("demo takes one MESSAGE; quote it if it has spaces");
	return o->reverse ? parent_writes(msg) : child_writes(msg);
}

/* TEXT + LEN, with at least 4096 bytes free behind it: the buffer grows. */
static char *
more_room(char **text, size_t *cap, size_t len)
{
	char *bigger;

	if (*cap - len < 4096) {
		*cap = *cap ? *cap * 2 : 4096;
		if ((bigger = realloc(*text, *cap)) == NULL)
			err(1, "realloc");
		*text = bigger;
	}
	return *text + len;
}
