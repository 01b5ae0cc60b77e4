/*
 * ipc-fifo - a pipe with a name: unrelated processes meet at a path.
 *
 * Teaches: mkfifo(3) and the FIFO special file, open(2) of a FIFO waiting
 * until the other side opens it too (and O_NONBLOCK's ENXIO when no reader
 * is there; setitimer(2) interrupting that wait once a second, so that a
 * FIFO removed meanwhile ends it), end of file once the last writer
 * closes, a reader that keeps a write end of its own to serve writer after
 * writer, PIPE_BUF keeping lines whole, O_NOFOLLOW, unlink(2), and a FIFO
 * whose size stays 0 while data passes through it.
 *
 * Try:
 *	$ ipc-fifo demo
 *	terminal 1: $ ipc-fifo make f; ipc-fifo read f
 *	terminal 2: $ ipc-fifo write f hello 'second line'
 *	$ ipc-fifo -q read f & echo 12345 > f		(the shell writes too)
 *	$ ipc-fifo -q write f one two & cat f		(and reads)
 *	terminal 1: $ ipc-fifo read --follow f
 *	terminal 2: $ ipc-fifo write f a; ipc-fifo write f b; date > f
 *	$ ipc-fifo write --nonblock f hi		(no reader: ENXIO at once)
 *	$ ipc-fifo rm f
 *	$ ipc-fifo bench -s 64K; ipc-fifo bench --latency -s 64
 *	$ strace -f -e trace=mknodat,openat,read,write,unlink ipc-fifo -q demo
 *
 * See also: mkfifo(1), mkfifo(3), open(2), fifo(7), pipe(7), ipc-pipe(1),
 * ipclab(7)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

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
	mode_t		 mode;		/* make, read, write: a new FIFO's mode */
	int		 nonblock;	/* write: do not wait for a reader */
	int		 follow;	/* read: serve writer after writer */
	size_t		 size;		/* bench; 0 for the default */
	long long	 count;		/* bench; 0 for the default */
	int		 latency;	/* bench: ping-pong */
	int		 cpu[2];	/* bench: sender, receiver CPUs */
};

/* The longest MESSAGE demo takes: with its newline, one atomic write. */
#define DEMO_MAX	(PIPE_BUF - 1)

/*
 * open(2), again when a signal interrupts the wait.  Opening a FIFO
 * waits for the other side, so it can take as long as the user likes.
 */
static int
open_retry(const char *path, int flags)
{
	int fd;

	while ((fd = open(path, flags)) == -1 && errno == EINTR)
		stop_if_signalled();
	return fd;
}

/* SIGALRM only has to interrupt open(): the handler does nothing. */
static void
on_alarm(int sig)
{
	(void)sig;
}

/*
 * open(2) of a FIFO, which waits for the other side, watched: a FIFO
 * removed meanwhile can never be opened by anybody again, so that wait
 * would last for ever.  An interval timer interrupts the open() once a
 * second (SIGALRM, EINTR) and we open PATH anew: if it was removed, the
 * new open() fails with ENOENT, and we say so.  The kernel counts
 * readers and writers under the pipe's lock, so a partner who comes
 * while we retry is never missed.
 */
static int
open_watching(const char *path, int flags, const char *other)
{
	struct itimerval tick = { { 1, 0 }, { 1, 0 } }, off;
	struct sigaction sa;
	int fd, e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the open() must come back to us with EINTR. */
	if (sigaction(SIGALRM, &sa, NULL) == -1)
		err(1, "sigaction SIGALRM");
	memset(&off, 0, sizeof(off));
	if (setitimer(ITIMER_REAL, &tick, NULL) == -1)
		err(1, "setitimer");
	while ((fd = open(path, flags)) == -1 && errno == EINTR)
		stop_if_signalled();
	e = errno;
	if (setitimer(ITIMER_REAL, &off, NULL) == -1)
		err(1, "setitimer");
	if (fd == -1 && e == ENOENT)
		errx(1, "%s was removed while we waited for a %s to open it "
		    "('ipc-fifo rm' or rm(1)); nobody can open it any more",
		    path, other);
	errno = e;
	return fd;
}

/* What kind of file MODE is, for a refusal a student can act on. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a FIFO";
}

/* Refuse PATH, which is something else than a FIFO; it stays untouched. */
static void __attribute__((noreturn))
refuse(const char *path, mode_t mode)
{
	if (S_ISLNK(mode))
		errx(1, "%s is a symbolic link; ipc-fifo never follows one "
		    "(name the FIFO itself)", path);
	errx(1, "%s is %s, not a FIFO; refusing to touch it", path,
	    file_kind(mode));
}

/*
 * mkfifo() with exactly MODE, as mkfifo(1) -m does: the umask would
 * otherwise take bits away from what was asked for.
 */
static int
make_fifo(const char *path, mode_t mode)
{
	mode_t old = umask(0);
	int r = mkfifo(path, mode);

	(void)umask(old);
	if (r == 0)
		say("mkfifo(\"%s\", %04o): a FIFO special file, a name with "
		    "no storage behind it", path, (unsigned)mode);
	return r;
}

/*
 * Open the FIFO at PATH with FLAGS (O_RDONLY or O_WRONLY, maybe
 * O_NONBLOCK), making it first when it is missing.  Anything that is not
 * a FIFO is refused and left as it is, and a symlink is never followed:
 * a writer must not pour data into a file that someone put at PATH.
 */
static int
open_fifo(const char *path, int flags, mode_t mode)
{
	const char *how = (flags & O_ACCMODE) == O_RDONLY ? "O_RDONLY" :
	    "O_WRONLY";
	const char *other = (flags & O_ACCMODE) == O_RDONLY ? "writer" :
	    "reader";
	struct stat st;
	int fd;

	if (lstat(path, &st) == -1) {
		if (errno != ENOENT)
			err(1, "%s", path);
		/* Two of us may race to make it; either FIFO will do. */
		if (make_fifo(path, mode) == -1 && errno != EEXIST)
			err(1, "mkfifo %s", path);
	} else if (!S_ISFIFO(st.st_mode))
		refuse(path, st.st_mode);
	if (flags & O_NONBLOCK)
		say("open(\"%s\", %s | O_NONBLOCK): no waiting; it fails at "
		    "once if no reader has the FIFO open", path, how);
	else
		say("open(\"%s\", %s): waiting for a %s to open %s...", path,
		    how, other, path);
	/* O_NOFOLLOW: a symlink put there since lstat() fails with ELOOP. */
	fd = open_watching(path, flags | O_NOFOLLOW | O_CLOEXEC, other);
	if (fd == -1 && errno == ELOOP)
		refuse(path, S_IFLNK);
	if (fd == -1 && errno == ENXIO)
		errx(1, "open %s for writing: no process has the FIFO open "
		    "for reading (ENXIO); without --nonblock the writer "
		    "waits for one", path);
	if (fd == -1)
		err(1, "open %s", path);
	/* Whatever lstat() saw, what we opened is what counts. */
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if (!S_ISFIFO(st.st_mode))
		refuse(path, st.st_mode);
	say("open -> fd %d: %s", fd, flags & O_NONBLOCK ? "a reader is "
	    "there" : (flags & O_ACCMODE) == O_RDONLY ? "a writer has "
	    "opened the FIFO too" : "a reader has opened the FIFO too");
	return fd;
}

/* PATH is the one argument of COMMAND. */
static const char *
one_path(const char *command, int argc, char **argv)
{
	if (argc == 0)
		usage_error("%s needs a PATH", command);
	if (argc > 1)
		usage_error("%s takes one PATH", command);
	return argv[0];
}

/* make: a FIFO at PATH, as mkfifo(1) makes it. */
static int
cmd_make(struct opts *o, int argc, char **argv)
{
	const char *path = one_path("make", argc, argv);

	if (make_fifo(path, o->mode) == -1)
		err(1, "mkfifo %s", path);
	return 0;
}

/* rm: remove the FIFO at PATH, and nothing that is not a FIFO. */
static int
cmd_rm(struct opts *o, int argc, char **argv)
{
	const char *path = one_path("rm", argc, argv);
	struct stat st;

	(void)o;
	if (lstat(path, &st) == -1)
		err(1, "%s", path);
	if (!S_ISFIFO(st.st_mode))
		refuse(path, st.st_mode);
	if (unlink(path) == -1)
		err(1, "unlink %s", path);
	say("unlink(\"%s\"): the name is gone; a process that has the FIFO "
	    "open keeps using it until it closes it", path);
	return 0;
}

/*
 * Where the next write() may end, in the LEN bytes at P: as many whole
 * lines as fit in PIPE_BUF bytes, which the kernel keeps in one piece, so
 * another writer's lines never land inside them.  A single line longer
 * than PIPE_BUF goes alone, with no such promise.  0: wait for the rest
 * of the line, unless FLUSH says no more is coming or there is no room.
 */
static size_t
lines_end(const char *p, size_t len, int flush)
{
	const char *nl;

	nl = memrchr(p, '\n', len < PIPE_BUF ? len : PIPE_BUF);
	if (nl == NULL)
		nl = memchr(p, '\n', len);
	if (nl != NULL)
		return (size_t)(nl - p) + 1;
	return flush ? len : 0;
}

/*
 * Copy standard input into the FIFO, whole lines per write(), as soon as
 * they come: a line typed at a terminal reaches the reader at once.
 */
static void
copy_lines(int fd, const char *path)
{
	static char buf[64 * 1024];
	size_t len = 0, off, n;
	long long writes = 0, bytes = 0;
	int eof = 0;
	ssize_t r;

	while (!eof || len > 0) {
		if (!eof) {
			stop_if_signalled();
			r = read(STDIN_FILENO, buf + len, sizeof(buf) - len);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1)
				err(1, "read standard input");
			if (r == 0)
				eof = 1;
			len += (size_t)r;
		}
		for (off = 0; off < len; off += n) {
			n = lines_end(&buf[off], len - off,
			    eof || len - off == sizeof(buf));
			if (n == 0)
				break;
			if (write_all(fd, buf + off, n) == -1)
				goto failed;
			if (++writes <= 3)
				say("write(%d, %zu bytes) -> %zu: %s", fd, n, n,
				    n <= PIPE_BUF ? "whole lines, one atomic "
				    "write" : "a line longer than PIPE_BUF");
			bytes += (long long)n;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
	}
	say("standard input ended: %lld bytes in %lld writes", bytes, writes);
	return;
failed:
	if (errno == EPIPE)
		errx(1, "write %s: %s: every reader has closed the FIFO",
		    path, strerror(EPIPE));
	err(1, "write %s", path);
}

/*
 * write: open PATH for writing (which waits for a reader), then send
 * each MESSAGE as a line, or standard input when there is none.
 */
static int
cmd_write(struct opts *o, int argc, char **argv)
{
	const char *path;
	char *line;
	size_t len;
	int fd, flags, i;

	if (argc == 0)
		usage_error("write needs a PATH");
	path = argv[0];
	narrate_role("writer");
	/* If the reader leaves, write() fails with EPIPE; no silent death. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	fd = open_fifo(path, O_WRONLY | (o->nonblock ? O_NONBLOCK : 0),
	    o->mode);
	if (o->nonblock) {
		/* --nonblock is about the open; a full FIFO may still wait. */
		if ((flags = fcntl(fd, F_GETFL)) == -1 ||
		    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
			err(1, "fcntl %s", path);
		say("fcntl(%d, F_SETFL): writes block again when the FIFO is "
		    "full", fd);
	}
	if (argc == 1)
		copy_lines(fd, path);
	for (i = 1; i < argc; i++) {
		len = strlen(argv[i]);
		if ((line = malloc(len + 1)) == NULL)
			err(1, "malloc");
		memcpy(line, argv[i], len);
		line[len++] = '\n';
		/* One write() per line: up to PIPE_BUF bytes it stays whole. */
		if (write_all(fd, line, len) == -1) {
			if (errno == EPIPE)
				errx(1, "write %s: %s: every reader has closed "
				    "the FIFO", path, strerror(EPIPE));
			err(1, "write %s", path);
		}
		say("write(%d, \"%.60s%s\\n\", %zu) -> %zu", fd, argv[i],
		    len > 61 ? "..." : "", len, len);
		free(line);
	}
	if (close(fd) == -1)
		err(1, "close %s", path);
	say("close(%d): once every writer has closed, the reader sees end of "
	    "file", fd);
	return 0;
}

/*
 * Under --follow, nobody else can close our write end, so a FIFO removed
 * or replaced at PATH would leave us waiting for ever: look now and then.
 */
static int
still_there(const char *path, const struct stat *ours)
{
	struct stat st;

	return lstat(path, &st) == 0 && st.st_dev == ours->st_dev &&
	    st.st_ino == ours->st_ino;
}

/*
 * read: open PATH for reading (which waits for a writer) and copy what
 * comes to standard output until end of file: until every writer has
 * closed.  --follow keeps a write end open here, so that moment never
 * comes, and serves writer after writer.
 */
static int
cmd_read(struct opts *o, int argc, char **argv)
{
	const char *path = one_path("read", argc, argv);
	static char buf[64 * 1024];
	long long bytes = 0;
	struct pollfd pfd;
	struct stat st;
	int fd, keep = -1, gone = 0, r;
	ssize_t n;

	narrate_role("reader");
	fd = open_fifo(path, O_RDONLY, o->mode);
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if (o->follow) {
		/*
		 * A reader exists (us), so this open does not wait.  While we
		 * hold a write end, read() cannot return end of file.
		 */
		keep = open_retry(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		if (keep == -1)
			err(1, "open %s for writing", path);
		if (!still_there(path, &st))
			errx(1, "%s was replaced while we opened it", path);
		say("open(\"%s\", O_WRONLY) -> fd %d: with a write end of our "
		    "own, a writer leaving is no end of file", path, keep);
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		stop_if_signalled();
		if (keep != -1) {
			/* Wake once a second to see that PATH is still ours. */
			r = poll(&pfd, 1, 1000);
			if (r == -1 && errno != EINTR)
				err(1, "poll %s", path);
			if (r == 0 && !still_there(path, &st)) {
				warnx("%s was removed or replaced: no new writer "
				    "can reach this reader", path);
				if (close(keep) == -1)
					err(1, "close");
				say("close(%d): reading on until the writers "
				    "still connected have closed", keep);
				keep = -1;
				gone = 1;
			}
			if (r <= 0)
				continue;
		}
		n = read(fd, buf, sizeof(buf));
		if (n == -1) {
			if (errno != EINTR)
				err(1, "read %s", path);
			continue;
		}
		if (n == 0)
			break;
		if (bytes == 0)
			say("read(%d) -> %zd bytes: the first data arrives", fd,
			    n);
		bytes += n;
		if (write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
			err(1, "write error on standard output");
	}
	say("read(%d) -> 0: end of file, every writer has closed the FIFO "
	    "(%lld bytes in all)", fd, bytes);
	if (close(fd) == -1)
		err(1, "close %s", path);
	/* --follow promised to go on until a signal; it could not. */
	return gone ? 1 : 0;
}

/*
 * A FIFO of this run's own in the private run directory, its name
 * carrying our pid, removed however the run ends.
 */
static const char *
private_fifo(char *buf, size_t len, const char *what)
{
	char leaf[64];

	snprintf(leaf, sizeof(leaf), "fifo-%s-%ld", what, (long)getpid());
	rundir_path(buf, len, leaf);
	if (make_fifo(buf, 0600) == -1)
		err(1, "mkfifo %s", buf);
	at_exit_unlink(buf);
	return buf;
}

/*
 * demo: a writer and a reader meet at a path.  The writer inherits no
 * descriptor, only knows the name; it writes, closes and exits, and while
 * its bytes wait in the kernel the FIFO's size is still 0.
 */
static int
cmd_demo(struct opts *o, int argc, char **argv)
{
	const char *msg = argc > 0 ? argv[0] : "12345";
	char path[PATH_MAX], line[PIPE_BUF + 1], got[PIPE_BUF + 1];
	size_t len = strlen(msg), total = 0;
	struct stat st;
	int fd, waiting;
	ssize_t n;
	pid_t pid;

	(void)o;
	if (argc > 1)
		usage_error("demo takes one MESSAGE; quote it if it has spaces");
	if (len > DEMO_MAX)
		usage_error("demo: MESSAGE is %zu bytes; at most %d fit in one "
		    "atomic write with its newline", len, DEMO_MAX);
	narrate_role("parent");
	private_fifo(path, sizeof(path), "demo");
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	say("stat(\"%s\") -> %s, mode %04o, size %lld", path,
	    S_ISFIFO(st.st_mode) ? "a FIFO ('p' in ls -l)" : "not a FIFO",
	    (unsigned)(st.st_mode & 07777), (long long)st.st_size);

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("writer");
		/* No descriptor came with fork(): only the name is shared. */
		say("open(\"%s\", O_WRONLY): waiting for a reader to open "
		    "it...", path);
		if ((fd = open_retry(path, O_WRONLY | O_CLOEXEC)) == -1)
			err(1, "open %s", path);
		say("open -> fd %d: a reader is there, so the open returns", fd);
		memcpy(line, msg, len);
		line[len] = '\n';
		if (write_all(fd, line, len + 1) == -1)
			err(1, "write %s", path);
		say("write(%d, \"%.60s%s\\n\", %zu) -> %zu: the bytes wait in "
		    "the kernel, not in the file", fd, msg, len > 60 ? "..." :
		    "", len + 1, len + 1);
		if (close(fd) == -1)
			err(1, "close %s", path);
		say("close(%d): no writer is left; the reader will see end of "
		    "file", fd);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> writer %ld; it gets no descriptor, only the name",
	    (long)pid);
	say("open(\"%s\", O_RDONLY): waiting for a writer to open it...", path);
	if ((fd = open_retry(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	say("open -> fd %d: both ends are open, one pipe in the kernel joins "
	    "them", fd);
	/* Let the writer finish: its bytes are then in the kernel, unread. */
	require_success(reap(pid, "writer"), "writer");
	if (ioctl(fd, FIONREAD, &waiting) == -1)
		err(1, "ioctl FIONREAD %s", path);
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	say("ioctl(%d, FIONREAD) -> %d bytes wait to be read; stat(\"%s\") "
	    "-> size %lld", fd, waiting, path, (long long)st.st_size);
	printf("size of the FIFO while %d bytes wait in it: %lld\n", waiting,
	    (long long)st.st_size);
	while ((n = read(fd, got + total, sizeof(got) - 1 - total)) != 0) {
		if (n == -1) {
			if (errno != EINTR)
				err(1, "read %s", path);
			stop_if_signalled();
			continue;
		}
		say("read(%d) -> %zd bytes", fd, n);
		total += (size_t)n;
	}
	say("read(%d) -> 0: end of file, the writer has closed", fd);
	if (close(fd) == -1)
		err(1, "close %s", path);
	if (unlink(path) == -1)
		err(1, "unlink %s", path);
	say("unlink(\"%s\"): the name is gone; nothing was ever stored there",
	    path);
	if (total > 0 && got[total - 1] == '\n')
		total--;
	printf("received string: %.*s\n", (int)total, got);
	return 0;
}

/*
 * bench, throughput: the child opens the FIFO by name and streams COUNT
 * messages of SIZE bytes after an untimed warm-up; the parent times from
 * the end of the warm-up until the last byte has arrived.
 */
static void
bench_stream(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	char path[PATH_MAX];
	double t0, t1;
	pid_t pid;
	int fd;

	private_fifo(path, sizeof(path), "bench");
	/*
	 * The child inherits this pinning.  Done before fork(), a CPU we
	 * cannot use fails here, not in a child the parent's open() waits on.
	 */
	pin_to_cpu(b->cpu[0]);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((fd = open_retry(path, O_WRONLY | O_CLOEXEC)) == -1)
			err(1, "open %s", path);
		for (i = 0; i < total; i++)
			if (write_all(fd, buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	if ((fd = open_retry(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	/* Both ends are open: the name has done its job. */
	if (unlink(path) == -1)
		err(1, "unlink %s", path);
	if (drain(fd, buf, b->size,
	    (unsigned long long)b->warmup * b->size) == -1)
		errx(1, "the sender stopped early");
	t0 = now();
	if (drain(fd, buf, b->size,
	    (unsigned long long)b->count * b->size) == -1)
		errx(1, "the sender stopped early");
	t1 = now();
	if (close(fd) == -1)
		err(1, "close");
	require_success(reap(pid, "sender"), "sender");
	bench_report_throughput(b, t1 - t0, NULL);
}

/*
 * bench --latency: ping-pong over two FIFOs, one each way.  Both sides
 * open "down" first, then "up", or each would wait for the other for ever.
 */
static void
bench_pingpong(struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	char down[PATH_MAX], up[PATH_MAX];
	double *rtt, t0;
	int dfd, ufd;
	pid_t pid;

	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	private_fifo(down, sizeof(down), "bench-down");
	private_fifo(up, sizeof(up), "bench-up");
	/* The echo child inherits this pinning (see bench_stream). */
	pin_to_cpu(b->cpu[1]);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((dfd = open_retry(down, O_RDONLY | O_CLOEXEC)) == -1 ||
		    (ufd = open_retry(up, O_WRONLY | O_CLOEXEC)) == -1)
			err(1, "open");
		/* Echo every message whole, until the parent closes down. */
		while (read_full(dfd, buf, b->size) == (ssize_t)b->size)
			if (write_all(ufd, buf, b->size) == -1)
				err(1, "write");
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[0]);
	if ((dfd = open_retry(down, O_WRONLY | O_CLOEXEC)) == -1 ||
	    (ufd = open_retry(up, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open");
	if (unlink(down) == -1 || unlink(up) == -1)
		err(1, "unlink");
	for (i = 0; i < total; i++) {
		t0 = now();
		if (write_all(dfd, buf, b->size) == -1)
			err(1, "write");
		if (read_full(ufd, buf, b->size) != (ssize_t)b->size)
			errx(1, "the echo child stopped early");
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(dfd) == -1 || close(ufd) == -1)
		err(1, "close");
	require_success(reap(pid, "echo child"), "echo child");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}

/* bench: measure the FIFO; one key=value line on stdout. */
static int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	bench_setup(&b, "fifo", o->size, o->count, o->latency, o->cpu);
	buf = bench_buffer(b.size);
	say("%s, %lld messages of %zu bytes after %lld to warm up",
	    b.latency ? "round trips" : "one-way stream", b.count, b.size,
	    b.warmup);
	if (b.latency)
		bench_pingpong(&b, buf);
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
	case 'L':
		o->latency = 1;
		break;
	case 'N':
		o->nonblock = 1;
		break;
	case 'f':
		o->follow = 1;
		break;
	case 'm':
		o->mode = parse_mode("-m", arg);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 's':
		o->size = parse_size("-s", arg, 1, 64 << 20);
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "", "[MESSAGE]",
	  "a writer and a reader meet at a path; its size stays 0" },
	{ "make", cmd_make, "m", "PATH [-m MODE]",
	  "make a FIFO at PATH, as mkfifo(1) does" },
	{ "write", cmd_write, "Nm", "PATH [MESSAGE...]",
	  "wait for a reader, then send each MESSAGE (or stdin) as lines" },
	{ "read", cmd_read, "fm", "PATH [--follow]",
	  "wait for a writer, then copy to stdout until the writers close" },
	{ "rm", cmd_rm, "", "PATH",
	  "remove the FIFO at PATH" },
	{ "bench", cmd_bench, "CLns", "[-s SIZE] [-n N] [--latency] [--cpu A,B]",
	  "measure throughput or round-trip latency" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_help option_help[] = {
	{ 'C', "--cpu A,B", "bench: pin the sender to CPU A, receiver to B" },
	{ 'L', "--latency", "bench: round trips instead of a stream" },
	{ 'N', "--nonblock", "write: fail at once if no reader (ENXIO)" },
	{ 'f', "-f, --follow", "read: serve writer after writer, never EOF" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'm', "-m, --mode MODE", "make, read, write: a new FIFO's mode (600)" },
	{ 'n', "-n, --count N", "bench: messages or round trips" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 's', "-s, --size SIZE", "bench: bytes per message (K, M suffix)" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "follow", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "latency", no_argument, NULL, 'L' },
	{ "mode", required_argument, NULL, 'm' },
	{ "nonblock", no_argument, NULL, 'N' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "size", required_argument, NULL, 's' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"A pipe with a name: unrelated processes meet at a path.",
	"fhm:n:qs:", longopts, commands, option_help, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.mode = 0600;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
