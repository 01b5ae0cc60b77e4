/*
 * ipc-pipe - a pipe between a parent and its child, one experiment at a time.
 *
 * Teaches: pipe(2) and its two ends, fork(2) sharing them, close(2) of the
 * end a process does not use, read(2) until end of file, waitpid(2), SIGPIPE
 * and EPIPE, the pipe's capacity (O_NONBLOCK, EAGAIN, F_GETPIPE_SZ,
 * F_SETPIPE_SZ), the PIPE_BUF atomicity promise, and vmsplice(2) and
 * splice(2), which move pages instead of copying bytes.
 *
 * Try:
 *	$ ipc-pipe demo
 *	$ ipc-pipe demo --reverse 'hello from the parent'
 *	$ ipc-pipe duplex ping pong
 *	$ ipc-pipe eof --leave-open --timeout 1
 *	$ ipc-pipe capacity --set 1M
 *	$ ipc-pipe sigpipe; ipc-pipe sigpipe --ignore
 *	$ ipc-pipe atomic -s 512; ipc-pipe atomic -s 200K -n 50
 *	$ ipc-pipe bench -s 64K; ipc-pipe bench --latency -s 64
 *	$ ipc-pipe bench --splice -s 64K
 *	$ strace -f -e trace=pipe,pipe2,close,read,write ipc-pipe -q demo
 *
 * See also: pipe(2), pipe(7), fork(2), fcntl(2), vmsplice(2), connect2(1),
 *	ipclab(7)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

struct opts {
	int		 reverse;	/* demo: the parent writes */
	int		 leave_open;	/* eof: the reader keeps a write end */
	double		 timeout;	/* eof: seconds to wait for EOF */
	size_t		 set;		/* capacity: F_SETPIPE_SZ, 0 for none */
	int		 ignore;	/* sigpipe: ignore SIGPIPE */
	long long	 writers;	/* atomic */
	size_t		 size;		/* atomic, bench; 0 for the default */
	long long	 count;		/* atomic, bench; 0 for the default */
	int		 latency;	/* bench: ping-pong */
	int		 splice;	/* bench: vmsplice in, splice out */
	int		 cpu[2];	/* bench: sender, receiver CPUs */
};

/* The writing side of demo: close the read end, write, close. */
static void
demo_write(int fd[2], const char *who, const char *msg)
{
	size_t len = strlen(msg);

	/* A process closes the end it does not use. */
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	say("close(fd[0]): the %s only writes, so it drops the read end", who);
	if (write_all(fd[1], msg, len) == -1)
		err(1, "write(fd[1])");
	say("write(fd[1], \"%.60s%s\", %zu) -> %zu bytes written", msg,
	    len > 60 ? "..." : "", len, len);
	/* Closing the last write end is what lets the reader see EOF. */
	if (close(fd[1]) == -1)
		err(1, "close(fd[1])");
	say("close(fd[1]): done writing; the reader will see end of file");
}

/* The reading side of demo: close the write end, read until EOF, print. */
static void
demo_read(int fd[2], const char *who)
{
	char *text = NULL, *bigger;
	size_t len = 0, cap = 0;
	ssize_t n;

	/* Keep no write end: while one is open anywhere, read() cannot see EOF. */
	if (close(fd[1]) == -1)
		err(1, "close(fd[1])");
	say("close(fd[1]): the %s only reads; an open write end would hide EOF",
	    who);
	say("read(fd[0]) blocks until the writer writes...");
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 4096;
			if ((bigger = realloc(text, cap)) == NULL)
				err(1, "realloc");
			text = bigger;
		}
		stop_if_signalled();
		n = read(fd[0], text + len, cap - len);
		if (n == -1) {
			if (errno != EINTR)
				err(1, "read(fd[0])");
			continue;
		}
		if (n == 0) {
			say("read(fd[0]) -> 0: end of file, no write end is "
			    "left open");
			break;
		}
		say("read(fd[0]) -> %zd bytes", n);
		len += (size_t)n;
	}
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	printf("received string: ");
	fwrite(text, 1, len, stdout);
	printf("\n");
	free(text);
}

/*
 * demo: the classic.  The child writes a message into the pipe, the
 * parent reads it (--reverse swaps the roles).
 */
static int
cmd_demo(struct opts *o, int argc, char **argv)
{
	const char *msg = argc > 0 ? argv[0] : "i am the child";
	int fd[2];
	pid_t pid;

	if (argc > 1)
		usage_error("demo takes one MESSAGE; quote it if it has spaces");
	narrate_role("parent");
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d is the read end, fd[1]=%d the write end",
	    fd[0], fd[1]);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("child");
		if (o->reverse)
			demo_read(fd, "child");
		else
			demo_write(fd, "child", msg);
		flush_stdout();
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld; parent and child now both hold both ends",
	    (long)pid);
	if (o->reverse)
		demo_write(fd, "parent", msg);
	else
		demo_read(fd, "parent");
	require_success(reap(pid, "child"), "child");
	return 0;
}

/*
 * duplex: a pipe carries data one way only, so a conversation needs two.
 * The parent sends each line down one pipe; the child answers on the other.
 */
static int
cmd_duplex(struct opts *o, int argc, char **argv)
{
	static const char *const fallback[] = { "ping", "hello, child", "bye" };
	const char *const *lines = (const char *const *)argv;
	char line[4096], reply[4096];
	int down[2], up[2], i;
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
	if ((pid = fork()) == -1)
		err(1, "fork");
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
			say("answered a line of %zd bytes", n);
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
	require_success(reap(pid, "child"), "child");
	return 0;
}

/*
 * eof: the reader sees end of file only when every write end is closed,
 * its own copy included.  --leave-open forgets to close it.
 */
static int
cmd_eof(struct opts *o, int argc, char **argv)
{
	static const char text[] = "line 1\nline 2\nline 3\n";
	struct pollfd pfd;
	char buf[256];
	size_t total = 0;
	ssize_t n;
	pid_t pid;
	int fd[2], r;

	(void)argv;
	if (argc > 0)
		usage_error("eof takes no arguments");
	narrate_role("parent");
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d, fd[1]=%d", fd[0], fd[1]);
	if ((pid = fork()) == -1)
		err(1, "fork");
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
		r = poll(&pfd, 1, (int)(o->timeout * 1000));
		if (r == -1) {
			if (errno != EINTR)
				err(1, "poll");
			continue;
		}
		if (r == 0)
			break;
		n = read(fd[0], buf, sizeof(buf));
		if (n == -1) {
			if (errno != EINTR)
				err(1, "read(fd[0])");
			continue;
		}
		if (n == 0) {
			say("read(fd[0]) -> 0: end of file");
			printf("EOF after %zu bytes\n", total);
			require_success(reap(pid, "writer"), "writer");
			return 0;
		}
		say("read(fd[0]) -> %zd bytes", n);
		fwrite(buf, 1, (size_t)n, stdout);
		total += (size_t)n;
	}

	/* The wait timed out: no EOF although the writer is long gone. */
	require_success(reap(pid, "writer"), "writer");
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
 * capacity: a pipe is a buffer in the kernel.  Fill it with non-blocking
 * writes until the kernel answers EAGAIN, and count what fitted.
 */
static int
cmd_capacity(struct opts *o, int argc, char **argv)
{
	static const char page[4096];
	size_t filled = 0, chunk;
	ssize_t n;
	int fd[2], flags, size;

	(void)argv;
	if (argc > 0)
		usage_error("capacity takes no arguments");
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d, fd[1]=%d", fd[0], fd[1]);
	printf("PIPE_BUF: %d bytes (a write of at most this many is atomic)\n",
	    PIPE_BUF);
#ifdef F_GETPIPE_SZ
	if ((size = fcntl(fd[1], F_GETPIPE_SZ)) == -1)
		err(1, "fcntl F_GETPIPE_SZ");
	printf("F_GETPIPE_SZ: %d bytes (the size of a new pipe)\n", size);
	if (o->set != 0) {
		size = fcntl(fd[1], F_SETPIPE_SZ, (int)o->set);
		if (size == -1 && errno == EPERM) {
			long long max = proc_limit("/proc/sys/fs/pipe-max-size");

			/* Two limits can refuse: the size, or the user's total. */
			if (max >= 0 && (long long)o->set > max)
				errx(1, "fcntl F_SETPIPE_SZ %zu: %s "
				    "(/proc/sys/fs/pipe-max-size is %lld; only "
				    "a process with CAP_SYS_RESOURCE may go "
				    "above it)", o->set, strerror(EPERM), max);
			errx(1, "fcntl F_SETPIPE_SZ %zu: %s (your pipes "
			    "already use more pages than "
			    "/proc/sys/fs/pipe-user-pages-soft (%lld) or "
			    "pipe-user-pages-hard (%lld, 0 for no limit) "
			    "allow)", o->set, strerror(EPERM),
			    proc_limit("/proc/sys/fs/pipe-user-pages-soft"),
			    proc_limit("/proc/sys/fs/pipe-user-pages-hard"));
		}
		if (size == -1)
			err(1, "fcntl F_SETPIPE_SZ %zu", o->set);
		printf("F_SETPIPE_SZ %zu: granted %d bytes (rounded up to a "
		    "power-of-two number of pages)\n", o->set, size);
	}
#else
	(void)size;
	if (o->set != 0)
		errx(1, "--set: this system has no F_SETPIPE_SZ");
#endif
	/* Non-blocking, so a full pipe answers EAGAIN instead of waiting. */
	if ((flags = fcntl(fd[1], F_GETFL)) == -1 ||
	    fcntl(fd[1], F_SETFL, flags | O_NONBLOCK) == -1)
		err(1, "fcntl O_NONBLOCK");
	say("fcntl(fd[1], F_SETFL, O_NONBLOCK): a full pipe now fails with "
	    "EAGAIN");
	/*
	 * Whole pages while they fit (a page is at most PIPE_BUF, so such a
	 * write goes in whole or not at all), then single bytes.
	 */
	for (chunk = sizeof(page);;) {
		n = write(fd[1], page, chunk);
		if (n >= 0) {
			filled += (size_t)n;
			continue;
		}
		if (errno != EAGAIN)
			err(1, "write(fd[1])");
		if (chunk == 1)
			break;
		chunk = 1;
	}
	say("write(fd[1]) -> EAGAIN after %zu bytes: the pipe is full", filled);
	printf("capacity: %zu bytes (written before EAGAIN)\n", filled);
	if (close(fd[0]) == -1 || close(fd[1]) == -1)
		err(1, "close");
	return 0;
}

/*
 * sigpipe: writing to a pipe that nobody can read any more.  The kernel
 * sends the writer SIGPIPE, which kills it; a writer that ignores the
 * signal gets EPIPE from write() instead.
 */
static int
cmd_sigpipe(struct opts *o, int argc, char **argv)
{
	char buf[64], how[96], sig[32];
	int fd[2], go[2], status;
	ssize_t n;
	pid_t pid;

	(void)argv;
	if (argc > 0)
		usage_error("sigpipe takes no arguments");
	narrate_role("reader");
	/* fd carries the data; go only tells the writer the reader is gone. */
	if (pipe(fd) == -1 || pipe(go) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("writer");
		/*
		 * A disposition of SIG_IGN survives fork and exec, so a writer
		 * started from a program that ignores SIGPIPE would never die
		 * of it.  Set it explicitly, one way or the other.
		 */
		if (signal(SIGPIPE, o->ignore ? SIG_IGN : SIG_DFL) == SIG_ERR)
			err(1, "signal SIGPIPE");
		say("SIGPIPE is %s", o->ignore ? "ignored" : "left to its "
		    "default action: terminate");
		if (close(fd[0]) == -1 || close(go[1]) == -1)
			err(1, "close");
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
		while ((n = write(fd[1], "second\n", 7)) == -1 &&
		    errno == EINTR)
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
	at_exit_stop_child(pid);
	say("fork() -> writer %ld", (long)pid);
	if (close(fd[1]) == -1 || close(go[0]) == -1)
		err(1, "close");
	if ((n = read_full(fd[0], buf, 6)) != 6)
		errx(1, "expected \"first\\n\" from the writer");
	say("read(fd[0]) -> \"first\\n\"");
	/* Now leave: close the only read end, then tell the writer. */
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	say("close(fd[0]): no read end is left anywhere");
	if (close(go[1]) == -1)
		err(1, "close(go[1])");
	status = reap(pid, "writer");
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE && !o->ignore) {
		printf("writer: killed by %s, as the kernel does to a writer "
		    "with no reader\n", signal_name(SIGPIPE, sig, sizeof(sig)));
		return 0;
	}
	if (o->ignore && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	errx(1, "the writer %s, which is not what should happen",
	    describe_status(status, how, sizeof(how)));
}

/*
 * atomic: several writers share one pipe.  A write of at most PIPE_BUF
 * bytes goes in whole; a larger one may be split and interleaved with the
 * others.  Every record is one writer's letter repeated, then a newline,
 * so the reader can tell a torn record from a whole one.
 */
static int
cmd_atomic(struct opts *o, int argc, char **argv)
{
	size_t size = o->size ? o->size : 4096, k;
	long long count = o->count ? o->count : 1000, nrec = 0, torn = 0, i;
	long long w;
	char *rec;
	ssize_t n;
	pid_t *pids;
	int fd[2];

	(void)argv;
	if (argc > 0)
		usage_error("atomic takes no arguments");
	if (size < 2)
		usage_error("-s: a record needs at least 2 bytes");
	if ((rec = malloc(size)) == NULL ||
	    (pids = calloc((size_t)o->writers, sizeof(*pids))) == NULL)
		err(1, "malloc");
	narrate_role("reader");
	say("%lld writers x %lld records of %zu bytes; PIPE_BUF is %d: %s",
	    o->writers, count, size, PIPE_BUF, size <= PIPE_BUF ?
	    "each write() is atomic" : "the kernel may split each write()");
	if (pipe(fd) == -1)
		err(1, "pipe");
	for (w = 0; w < o->writers; w++) {
		if ((pids[w] = fork()) == -1)
			err(1, "fork");
		if (pids[w] == 0) {
			narrate_role("writer");
			if (close(fd[0]) == -1)
				err(1, "close(fd[0])");
			memset(rec, 'A' + (int)(w % 26), size - 1);
			rec[size - 1] = '\n';
			/* One write() per record: that is what PIPE_BUF is about. */
			for (i = 0; i < count; i++)
				if (write_all(fd[1], rec, size) == -1)
					err(1, "write(fd[1])");
			free(rec);
			free(pids);
			_exit(0);
		}
		at_exit_stop_child(pids[w]);
	}
	say("forked %lld writers", o->writers);
	if (close(fd[1]) == -1)
		err(1, "close(fd[1])");
	/* Cut the stream into records of SIZE bytes; check each is one letter. */
	while ((n = read_full(fd[0], rec, size)) > 0) {
		nrec++;
		if ((size_t)n < size || rec[size - 1] != '\n') {
			torn++;
			continue;
		}
		for (k = 1; k < size - 1; k++)
			if (rec[k] != rec[0]) {
				torn++;
				break;
			}
	}
	if (n == -1)
		err(1, "read(fd[0])");
	if (close(fd[0]) == -1)
		err(1, "close(fd[0])");
	for (w = 0; w < o->writers; w++)
		require_success(reap(pids[w], "writer"), "writer");
	printf("torn records: %lld of %lld\n", torn, nrec);
	free(rec);
	free(pids);
	if (nrec != o->writers * count)
		errx(1, "expected %lld records, counted %lld",
		    o->writers * count, nrec);
	if (torn > 0 && size <= PIPE_BUF)
		errx(1, "records of at most PIPE_BUF bytes were torn");
	return 0;
}

/*
 * bench, throughput: the child streams COUNT messages of SIZE bytes after
 * an untimed warm-up; the parent times from the end of the warm-up until
 * the last byte has arrived.
 */
static void
bench_stream(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	double t0, t1;
	pid_t pid;
	int fd[2];

	if (pipe(fd) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[0]);
		if (close(fd[0]) == -1)
			err(1, "close");
		for (i = 0; i < total; i++)
			if (write_all(fd[1], buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	if (close(fd[1]) == -1)
		err(1, "close");
	if (drain(fd[0], buf, b->size,
	    (unsigned long long)b->warmup * b->size) == -1)
		errx(1, "the sender stopped early");
	t0 = now();
	if (drain(fd[0], buf, b->size,
	    (unsigned long long)b->count * b->size) == -1)
		errx(1, "the sender stopped early");
	t1 = now();
	if (close(fd[0]) == -1)
		err(1, "close");
	require_success(reap(pid, "sender"), "sender");
	bench_report_throughput(b, t1 - t0, NULL);
}

/*
 * bench --latency: ping-pong.  The parent sends SIZE bytes, the child
 * sends the same SIZE bytes back; one round trip is timed each time.
 */
static void
bench_pingpong(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	int down[2], up[2];
	double *rtt, t0;
	pid_t pid;

	if (pipe(down) == -1 || pipe(up) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[1]);
		if (close(down[1]) == -1 || close(up[0]) == -1)
			err(1, "close");
		/* Echo every message whole, until the parent closes down[1]. */
		while (read_full(down[0], buf, b->size) == (ssize_t)b->size)
			if (write_all(up[1], buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	/* The times are the parent's alone: made after fork(). */
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	pin_to_cpu(b->cpu[0]);
	if (close(down[0]) == -1 || close(up[1]) == -1)
		err(1, "close");
	for (i = 0; i < total; i++) {
		t0 = now();
		if (write_all(down[1], buf, b->size) == -1)
			err(1, "write");
		if (read_full(up[0], buf, b->size) != (ssize_t)b->size)
			errx(1, "the echo child stopped early");
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(down[1]) == -1 || close(up[0]) == -1)
		err(1, "close");
	require_success(reap(pid, "echo child"), "echo child");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}

#ifdef HAVE_VMSPLICE
/*
 * Move BYTES bytes from the pipe FD to NUL with splice(), at most SIZE a
 * call: the pages go from the pipe to /dev/null and never through our
 * memory.  Returns -1 on an early EOF.
 */
static int
splice_drain(int fd, int nul, size_t size, unsigned long long bytes)
{
	ssize_t n;

	while (bytes > 0) {
		stop_if_signalled();
		n = splice(fd, NULL, nul, NULL, bytes < size ? bytes : size,
		    SPLICE_F_MOVE);
		if (n > 0) {
			bytes -= (unsigned long long)n;
			continue;
		}
		if (n == 0)
			return -1;
		if (errno != EINTR)
			err(1, "splice");
	}
	return 0;
}

/*
 * bench --splice: the stream of bench_stream without the two copies.
 * vmsplice() puts references to the sender's own pages in the pipe
 * instead of copying the bytes in; splice() hands the pipe's pages to
 * /dev/null instead of copying them out.  The catch: until the reader
 * has consumed them, the pipe holds the sender's pages themselves, so
 * the sender must not change BUF meanwhile; this one never writes it.
 */
static void
bench_splice(struct bench *b, char *buf)
{
	long long i, max, total = b->warmup + b->count;
	struct iovec iov;
	char extra[32];
	int fd[2], nul, pipesz;
	double t0, t1;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) == -1)
		err(1, "pipe");
	/* A bigger pipe holds more pages in flight: fewer wake-ups. */
	max = proc_limit("/proc/sys/fs/pipe-max-size");
	pipesz = max > 0 && max < (1 << 20) ? (int)max : 1 << 20;
	if ((pipesz = fcntl(fd[1], F_SETPIPE_SZ, pipesz)) == -1) {
		if (errno != EPERM)
			err(1, "fcntl F_SETPIPE_SZ");
		/* Over this user's pipe-user-pages-soft: keep the default. */
		if ((pipesz = fcntl(fd[1], F_GETPIPE_SZ)) == -1)
			err(1, "fcntl F_GETPIPE_SZ");
	}
	if ((nul = open("/dev/null", O_WRONLY)) == -1)
		err(1, "open /dev/null");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[0]);
		if (close(fd[0]) == -1)
			err(1, "close");
		for (i = 0; i < total; i++) {
			iov.iov_base = buf;
			iov.iov_len = b->size;
			/* Like write(), vmsplice() may move part of it. */
			while (iov.iov_len > 0) {
				stop_if_signalled();
				if ((n = vmsplice(fd[1], &iov, 1, 0)) == -1) {
					if (errno != EINTR)
						err(1, "vmsplice");
					continue;
				}
				iov.iov_base = (char *)iov.iov_base + n;
				iov.iov_len -= (size_t)n;
			}
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	if (close(fd[1]) == -1)
		err(1, "close");
	if (splice_drain(fd[0], nul, b->size,
	    (unsigned long long)b->warmup * b->size) == -1)
		errx(1, "the sender stopped early");
	t0 = now();
	if (splice_drain(fd[0], nul, b->size,
	    (unsigned long long)b->count * b->size) == -1)
		errx(1, "the sender stopped early");
	t1 = now();
	if (close(fd[0]) == -1 || close(nul) == -1)
		err(1, "close");
	require_success(reap(pid, "sender"), "sender");
	snprintf(extra, sizeof(extra), "pipe_size=%d", pipesz);
	bench_report_throughput(b, t1 - t0, extra);
}
#endif /* HAVE_VMSPLICE */

/* bench: measure the pipe; one key=value line on stdout. */
static int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	if (o->splice && o->latency)
		usage_error("--splice measures a stream; not with --latency");
#ifndef HAVE_VMSPLICE
	if (o->splice)
		errx(1, "--splice: this system has no vmsplice");
#endif
	bench_setup(&b, o->splice ? "pipe-splice" : "pipe", o->size, o->count,
	    o->latency, o->cpu);
	buf = bench_buffer(b.size);
	say("%s, %lld messages of %zu bytes after %lld to warm up",
	    b.latency ? "round trips" : o->splice ?
	    "one-way stream, vmsplice in and splice out" : "one-way stream",
	    b.count, b.size, b.warmup);
	if (b.latency)
		bench_pingpong(&b, buf);
#ifdef HAVE_VMSPLICE
	else if (o->splice)
		bench_splice(&b, buf);
#endif
	else
		bench_stream(&b, buf);
	free(buf);
	return 0;
}

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'I':
		o->ignore = 1;
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'O':
		o->leave_open = 1;
		break;
	case 'P':
		o->splice = 1;
		break;
	case 'S':
		o->set = parse_size("--set", arg, 1, INT_MAX);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 'r':
		o->reverse = 1;
		break;
	case 's':
		o->size = parse_size("-s", arg, 1, 64 << 20);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.001, 3600);
		break;
	case 'w':
		o->writers = parse_count("-w", arg, 1, 64);
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "r", "[MESSAGE] [-r]",
	  "the child writes MESSAGE into a pipe; the parent reads it" },
	{ "duplex", cmd_duplex, "", "[LINE...]",
	  "two pipes: the parent sends lines, the child answers each" },
	{ "eof", cmd_eof, "Ot", "[--leave-open] [-t S]",
	  "EOF comes only when every write end is closed" },
	{ "capacity", cmd_capacity, "S", "[--set BYTES]",
	  "fill a pipe until EAGAIN; PIPE_BUF and F_GETPIPE_SZ" },
	{ "sigpipe", cmd_sigpipe, "I", "[--ignore]",
	  "write with no reader left: SIGPIPE, or EPIPE" },
	{ "atomic", cmd_atomic, "nsw", "[-w W] [-s SIZE] [-n N]",
	  "concurrent writers: torn records above PIPE_BUF" },
	{ "bench", cmd_bench, "CLPns",
	  "[-s SIZE] [-n N] [--latency | --splice] [--cpu A,B]",
	  "measure throughput or round-trip latency" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_help option_help[] = {
	{ 'C', "--cpu A,B", "bench: pin the sender to CPU A, receiver to B" },
	{ 'I', "--ignore", "sigpipe: the writer ignores SIGPIPE" },
	{ 'L', "--latency", "bench: round trips instead of a stream" },
	{ 'O', "--leave-open", "eof: the reader keeps its write end open" },
	{ 'P', "--splice", "bench: vmsplice in and splice out, no copies" },
	{ 'S', "--set BYTES", "capacity: ask F_SETPIPE_SZ for BYTES first" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'n', "-n, --count N", "atomic: records per writer (1000); bench: "
	  "messages" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 'r', "-r, --reverse", "demo: the parent writes, the child reads" },
	{ 's', "-s, --size SIZE", "bytes per record or message (K, M suffix)" },
	{ 't', "-t, --timeout S", "eof: seconds to wait for EOF (3)" },
	{ 'w', "-w, --writers W", "atomic: concurrent writers (4)" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "help", no_argument, NULL, 'h' },
	{ "ignore", no_argument, NULL, 'I' },
	{ "latency", no_argument, NULL, 'L' },
	{ "leave-open", no_argument, NULL, 'O' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "reverse", no_argument, NULL, 'r' },
	{ "set", required_argument, NULL, 'S' },
	{ "size", required_argument, NULL, 's' },
	{ "splice", no_argument, NULL, 'P' },
	{ "timeout", required_argument, NULL, 't' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "writers", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"A pipe between a parent and its child, one experiment at a time.",
	"hn:qrs:t:w:", longopts, commands, option_help, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.timeout = 3;
	o.writers = 4;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
