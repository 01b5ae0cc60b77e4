/*
 * benchref - the yardsticks make bench holds the benches against.
 *
 * Not installed: it exists so that a bench's figure can be read against
 * what the machine can do at all (memcpy) and against the plainest loop
 * over the same calls (pipe-ref, fifo-ref, ...), and so that a bench
 * slower than that loop shows its overhead.
 *
 * Each loop is two processes and the calls the program's bench makes,
 * with nothing in between: no narration, no peer watching, no EINTR
 * loops (the only signal we catch ends the run).  Setting up may be
 * done any way that is short (a FIFO opened non-blocking before fork(),
 * a TCP connection made before fork()): only the data path is timed.
 *
 * Teaches: nothing new; it is read(2), write(2), send(2), msgsnd(2),
 * msgrcv(2), mq_send(3), mq_receive(3), sigqueue(3), sigwaitinfo(2),
 * fcntl(2) and memcpy(3) with nothing in between.
 *
 * Try:
 *	$ tests/benchref memcpy
 *	$ tests/benchref pipe --cpu 0,1; pipe/ipc-pipe -q bench --cpu 0,1
 *	$ tests/benchref msgq-posix -s 64 --cpu 0,1
 *	$ tests/benchref signal --cpu 0,0; signal/ipc-signal -q bench --cpu 0,0
 *
 * See also: ipc-pipe(1), ipc-msgq(1), ipclab(7)
 */
#include "config.h"

#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

/* Reap child PID, which must have exited with status 0. */
static void
wait_for(pid_t pid, const char *who)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, who, status), who);
}

/* Through a volatile pointer, so that no copy can be optimized away. */
static void *(*volatile copy)(void *, const void *, size_t) = memcpy;

/*
 * memcpy: COUNT copies of a SIZE-byte buffer (64 MiB, far beyond any
 * cache), after one untimed copy that faults every page in.  Every
 * message through the kernel is at least one such copy, so no bench of
 * a copying mechanism can beat this figure.
 */
static void
ref_memcpy(struct bench *b)
{
	long long i;
	char *src, *dst;
	double t0;

	if ((src = malloc(b->size)) == NULL || (dst = malloc(b->size)) == NULL)
		err(1, "malloc");
	memset(src, 'x', b->size);
	copy(dst, src, b->size);
	t0 = now();
	for (i = 0; i < b->count; i++)
		copy(dst, src, b->size);
	bench_report_throughput(b, now() - t0, NULL);
	free(src);
	free(dst);
}

/* A call failed: if that was a Ctrl-C, clean up and die of it. */
static void __attribute__((noreturn))
fail(const char *what)
{
	stop_if_signalled();
	err(1, "%s", what);
}

/* Read exactly LEN bytes; exit 1 on an error or an early end of file. */
static void
read_exactly(int fd, char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = read(fd, buf, len)) <= 0) {
			if (n == 0)
				errx(1, "early end of file");
			fail("read");
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Write exactly LEN bytes; exit 1 on an error. */
static void
write_exactly(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1)
			fail("write");
		buf += n;
		len -= (size_t)n;
	}
}

/* Send exactly LEN bytes on a socket, as ipc-socket does. */
static void
send_exactly(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = send(fd, buf, len, MSG_NOSIGNAL)) == -1)
			fail("send");
		buf += n;
		len -= (size_t)n;
	}
}

/* Byte streams: pipe, FIFO, Unix stream socket, TCP -------------------- */

/*
 * The four descriptors of a stream loop: the parent writes on PW and
 * reads on PR, the child reads on CR and writes on CW.  A socket carries
 * both ways (PW == PR, CR == CW); a pipe or a FIFO needs one each way.
 */
struct ends {
	int	pw, pr, cr, cw;
	void	(*put)(int, const char *, size_t);
};

/* In the child: close the parent's descriptors, once each. */
static void
keep_child_ends(const struct ends *e)
{
	if (close(e->pw) == -1 || (e->pr != e->pw && close(e->pr) == -1))
		err(1, "close");
}

static void
keep_parent_ends(const struct ends *e)
{
	if (close(e->cr) == -1 || (e->cw != e->cr && close(e->cw) == -1))
		err(1, "close");
}

/*
 * Throughput: the child writes warm-up plus COUNT messages of SIZE bytes
 * on CW; the parent reads them on PR, at most SIZE bytes a call, and
 * times the COUNT messages after the warm-up, as the benches do.
 */
static void
ref_stream(struct bench *b, char *buf, const struct ends *e)
{
	unsigned long long left;
	long long i;
	double t0;
	ssize_t n;
	pid_t pid;

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[0]);
		keep_child_ends(e);
		for (i = 0; i < b->warmup + b->count; i++)
			e->put(e->cw, buf, b->size);
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[1]);
	keep_parent_ends(e);
	for (i = 0; i < b->warmup; i++)
		read_exactly(e->pr, buf, b->size);
	t0 = now();
	left = (unsigned long long)b->count * b->size;
	while (left > 0) {
		n = read(e->pr, buf, left < b->size ? left : b->size);
		if (n <= 0)
			errx(1, "the sender stopped early");
		left -= (unsigned long long)n;
	}
	bench_report_throughput(b, now() - t0, NULL);
	if (close(e->pr) == -1 || (e->pw != e->pr && close(e->pw) == -1))
		err(1, "close");
	wait_for(pid, "sender");
}

/* --latency: the parent sends SIZE bytes, the child echoes them. */
static void
ref_pingpong(struct bench *b, char *buf, const struct ends *e)
{
	double *rtt, t0;
	long long i;
	pid_t pid;

	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[1]);
		keep_child_ends(e);
		for (i = 0; i < b->warmup + b->count; i++) {
			read_exactly(e->cr, buf, b->size);
			e->put(e->cw, buf, b->size);
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[0]);
	keep_parent_ends(e);
	for (i = 0; i < b->warmup + b->count; i++) {
		t0 = now();
		e->put(e->pw, buf, b->size);
		read_exactly(e->pr, buf, b->size);
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	if (close(e->pr) == -1 || (e->pw != e->pr && close(e->pw) == -1))
		err(1, "close");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	wait_for(pid, "echo child");
	free(rtt);
}

/*
 * pipe-ref: one pipe for the stream (the child writes, the parent
 * reads), two for the round trip.
 */
static void
pipe_ends(struct ends *e, int latency)
{
	int down[2], up[2];

	if (pipe(down) == -1)
		err(1, "pipe");
	if (!latency) {
		e->pr = e->pw = down[0];
		e->cw = e->cr = down[1];
		return;
	}
	if (pipe(up) == -1)
		err(1, "pipe");
	e->pw = down[1];
	e->cr = down[0];
	e->cw = up[1];
	e->pr = up[0];
}

/*
 * fifo-ref: the same through a FIFO in the run directory.  Opening the
 * read end non-blocking first lets one process open both ends; the name
 * goes at once, so nothing is left behind.
 */
static void
fifo_open(int fd[2])
{
	char leaf[64], path[PATH_MAX];
	int flags;

	snprintf(leaf, sizeof(leaf), "benchref-%ld", (long)getpid());
	rundir_path(path, sizeof(path), leaf);
	if (mkfifo(path, 0600) == -1)
		err(1, "mkfifo %s", path);
	if ((fd[0] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    (fd[1] = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (unlink(path) == -1)
		err(1, "unlink %s", path);
	if ((flags = fcntl(fd[0], F_GETFL)) == -1 ||
	    fcntl(fd[0], F_SETFL, flags & ~O_NONBLOCK) == -1)
		err(1, "fcntl");
}

static void
fifo_ends(struct ends *e, int latency)
{
	int down[2], up[2];

	fifo_open(down);
	if (!latency) {
		e->pr = e->pw = down[0];
		e->cw = e->cr = down[1];
		return;
	}
	fifo_open(up);
	e->pw = down[1];
	e->cr = down[0];
	e->cw = up[1];
	e->pr = up[0];
}

/* unix-stream-ref: a socketpair, both ways on one connection. */
static void
unix_ends(struct ends *e)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	e->pw = e->pr = sv[0];
	e->cr = e->cw = sv[1];
}

/*
 * tcp-ref: a connection over 127.0.0.1 to a port the kernel picks, made
 * before fork() (the kernel completes it from the listen queue), with
 * TCP_NODELAY on both ends as ipc-socket sets it.
 */
static void
tcp_ends(struct ends *e)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int lfd, c, s, one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 1) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) == -1)
		err(1, "bind, listen 127.0.0.1");
	if ((c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(c, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "connect");
	if ((s = accept(lfd, NULL, NULL)) == -1)
		err(1, "accept");
	if (setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1 ||
	    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		err(1, "setsockopt TCP_NODELAY");
	if (close(lfd) == -1)
		err(1, "close");
	e->pw = e->pr = s;
	e->cr = e->cw = c;
}

/* System V message queue ----------------------------------------------- */

struct message {
	long	mtype;
	char	mtext[];
};

static int msqid = -1;

static void
msq_remove(void *arg)
{
	(void)arg;
	if (msqid != -1 && msgctl(msqid, IPC_RMID, NULL) == -1)
		warn("msgctl IPC_RMID");
	msqid = -1;
}

/* SIZE bytes as messages of at most CHUNK, of type TYPE. */
static void
msq_put(struct message *m, size_t size, size_t chunk, long type)
{
	size_t off, len;

	m->mtype = type;
	for (off = 0; off < size; off += len) {
		len = size - off < chunk ? size - off : chunk;
		if (msgsnd(msqid, m, len, 0) == -1)
			fail("msgsnd");
	}
}

static void
msq_get(struct message *m, size_t size, size_t chunk, long type)
{
	ssize_t n;

	for (; size > 0; size -= (size_t)n)
		if ((n = msgrcv(msqid, m, chunk, type, 0)) == -1)
			fail("msgrcv");
}

/*
 * msgq-sysv-ref: a private queue, messages of at most msgmax bytes (and
 * at most the queue's msg_qbytes), as ipc-msgq bench does.  Throughput
 * takes any type; the round trip is type 1 there, type 2 back.
 */
static void
ref_msgq_sysv(struct bench *b)
{
	long long i, msgmax = proc_limit("/proc/sys/kernel/msgmax");
	struct msqid_ds ds;
	struct message *m;
	double *rtt = NULL, t0;
	pid_t pid;

	if ((msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
		err(1, "msgget");
	at_exit_call(msq_remove, NULL);
	if (msgctl(msqid, IPC_STAT, &ds) == -1)
		err(1, "msgctl IPC_STAT");
	b->chunk = b->size;
	if (msgmax > 0 && b->chunk > (size_t)msgmax)
		b->chunk = (size_t)msgmax;
	if (b->chunk > ds.msg_qbytes)
		b->chunk = ds.msg_qbytes;
	if ((m = malloc(sizeof(*m) + b->chunk)) == NULL ||
	    (rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	memset(m->mtext, 'x', b->chunk);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[b->latency ? 1 : 0]);
		for (i = 0; i < b->warmup + b->count; i++) {
			if (b->latency)
				msq_get(m, b->size, b->chunk, 1);
			msq_put(m, b->size, b->chunk, b->latency ? 2 : 1);
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[b->latency ? 0 : 1]);
	if (b->latency) {
		for (i = 0; i < b->warmup + b->count; i++) {
			t0 = now();
			msq_put(m, b->size, b->chunk, 1);
			msq_get(m, b->size, b->chunk, 2);
			if (i >= b->warmup)
				rtt[i - b->warmup] = now() - t0;
		}
		bench_report_latency(b, rtt, (size_t)b->count, NULL);
	} else {
		for (i = 0; i < b->warmup; i++)
			msq_get(m, b->size, b->chunk, 0);
		t0 = now();
		for (i = 0; i < b->count; i++)
			msq_get(m, b->size, b->chunk, 0);
		bench_report_throughput(b, now() - t0, NULL);
	}
	wait_for(pid, "peer");
	msq_remove(NULL);
	free(rtt);
	free(m);
}

/* POSIX message queue --------------------------------------------------- */

static void
mq_put(mqd_t q, const char *buf, size_t size, size_t chunk)
{
	size_t off, len;

	for (off = 0; off < size; off += len) {
		len = size - off < chunk ? size - off : chunk;
		if (mq_send(q, buf + off, len, 0) == -1)
			fail("mq_send");
	}
}

static void
mq_get(mqd_t q, char *buf, size_t size, size_t chunk)
{
	ssize_t n;

	for (; size > 0; size -= (size_t)n)
		if ((n = mq_receive(q, buf, chunk, NULL)) == -1)
			fail("mq_receive");
}

/*
 * A queue with ipc-msgq bench's attributes: at most 10 messages (or
 * msg_max, if lower), each at most msgsize_max bytes.  Unlinked at once:
 * both processes hold it across fork(), and no name is left behind.
 */
static mqd_t
mq_private(struct bench *b, const char *what, char *extra, size_t len)
{
	long long maxmsg = proc_limit("/proc/sys/fs/mqueue/msg_max");
	long long msgsize = proc_limit("/proc/sys/fs/mqueue/msgsize_max");
	char name[NAME_MAX + 2];
	struct mq_attr attr;
	mqd_t q;

	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = maxmsg > 0 && maxmsg < 10 ? (long)maxmsg : 10;
	b->chunk = msgsize > 0 && (size_t)msgsize < b->size ?
	    (size_t)msgsize : b->size;
	attr.mq_msgsize = (long)b->chunk;
	private_posix_name(name, sizeof(name), what);
	if ((q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr)) ==
	    (mqd_t)-1)
		err(1, "mq_open %s", name);
	if (mq_unlink(name) == -1)
		err(1, "mq_unlink %s", name);
	snprintf(extra, len, "maxmsg=%ld", attr.mq_maxmsg);
	return q;
}

/* msgq-posix-ref: one queue for the stream, one each way for round trips. */
static void
ref_msgq_posix(struct bench *b, char *buf)
{
	mqd_t ping, pong = (mqd_t)-1;
	double *rtt, t0;
	char extra[32];
	long long i;
	pid_t pid;

	ping = mq_private(b, "benchref", extra, sizeof(extra));
	if (b->latency)
		pong = mq_private(b, "benchref-pong", extra, sizeof(extra));
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[b->latency ? 1 : 0]);
		for (i = 0; i < b->warmup + b->count; i++) {
			if (b->latency) {
				mq_get(ping, buf, b->size, b->chunk);
				mq_put(pong, buf, b->size, b->chunk);
			} else {
				mq_put(ping, buf, b->size, b->chunk);
			}
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[b->latency ? 0 : 1]);
	if (b->latency) {
		for (i = 0; i < b->warmup + b->count; i++) {
			t0 = now();
			mq_put(ping, buf, b->size, b->chunk);
			mq_get(pong, buf, b->size, b->chunk);
			if (i >= b->warmup)
				rtt[i - b->warmup] = now() - t0;
		}
		bench_report_latency(b, rtt, (size_t)b->count, extra);
	} else {
		for (i = 0; i < b->warmup; i++)
			mq_get(ping, buf, b->size, b->chunk);
		t0 = now();
		for (i = 0; i < b->count; i++)
			mq_get(ping, buf, b->size, b->chunk);
		bench_report_throughput(b, now() - t0, extra);
	}
	wait_for(pid, "peer");
	if (mq_close(ping) == -1 || (b->latency && mq_close(pong) == -1))
		err(1, "mq_close");
	free(rtt);
}

/* Signals --------------------------------------------------------------- */

/*
 * signal-ref: the parent queues SIGRTMIN carrying a number, the child
 * takes it with sigwaitinfo() and queues it back.  SIGRTMIN is blocked
 * before fork(), so it only ever waits in the queue, never runs a handler.
 * The value -1 ends the child.
 */
static void
ref_signal(struct bench *b)
{
	union sigval v;
	siginfo_t si;
	sigset_t set;
	double *rtt, t0;
	long long i;
	pid_t pid, parent = getpid();

	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		err(1, "sigprocmask");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[1]);
		for (;;) {
			if (sigwaitinfo(&set, &si) == -1)
				fail("sigwaitinfo");
			if (si.si_value.sival_int == -1)
				_exit(0);
			if (sigqueue(parent, SIGRTMIN, si.si_value) == -1)
				fail("sigqueue");
		}
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[0]);
	memset(&v, 0, sizeof(v));
	for (i = 0; i < b->warmup + b->count; i++) {
		v.sival_int = (int)i;
		t0 = now();
		if (sigqueue(pid, SIGRTMIN, v) == -1)
			fail("sigqueue");
		if (sigwaitinfo(&set, &si) == -1)
			fail("sigwaitinfo");
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	v.sival_int = -1;
	if (sigqueue(pid, SIGRTMIN, v) == -1)
		fail("sigqueue");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	wait_for(pid, "echo child");
	free(rtt);
}

/* fcntl record locks ------------------------------------------------------ */

/* F_SETLKW (wait) a write lock on byte I, or F_SETLK an unlock; LEN 0: all. */
static void
lock(int fd, short type, off_t i, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = i;
	fl.l_len = len;
	if (fcntl(fd, type == F_UNLCK ? F_SETLK : F_SETLKW, &fl) == -1)
		fail("fcntl");
}

/*
 * flock-fcntl-ref.  Throughput: lock and unlock the whole file, one
 * process, as ipc-flock bench does.  --latency: the three-lock hand-off
 * of ipc-flock bench --latency (bytes 0, 1, 2 of one file: each side
 * lets one go, which wakes the other, and waits for one the other
 * holds).  fcntl locks belong to the process, so parent and child may
 * share the descriptor, and the file is unlinked at once.
 */
static void
ref_flock(struct bench *b)
{
	char leaf[64], path[PATH_MAX], c = 'r';
	int fd, ready[2];
	long long k, total = b->warmup + b->count;
	double *rtt, t0;
	pid_t pid;

	snprintf(leaf, sizeof(leaf), "benchref-%ld", (long)getpid());
	rundir_path(path, sizeof(path), leaf);
	if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1)
		err(1, "open %s", path);
	if (unlink(path) == -1)
		err(1, "unlink %s", path);
	if (!b->latency) {
		pin_to_cpu(b->cpu[0]);
		for (k = 0; k < b->warmup; k++) {
			lock(fd, F_WRLCK, 0, 0);
			lock(fd, F_UNLCK, 0, 0);
		}
		t0 = now();
		for (k = 0; k < b->count; k++) {
			lock(fd, F_WRLCK, 0, 0);
			lock(fd, F_UNLCK, 0, 0);
		}
		bench_report_throughput(b, now() - t0, NULL);
		return;
	}
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	lock(fd, F_WRLCK, 0, 1);
	lock(fd, F_WRLCK, 1, 1);
	if (pipe(ready) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		pin_to_cpu(b->cpu[1]);
		lock(fd, F_WRLCK, 2, 1);
		write_exactly(ready[1], &c, 1);
		lock(fd, F_WRLCK, 0, 1);
		for (k = 0; k < total - 1; k++) {
			lock(fd, F_UNLCK, (k + 2) % 3, 1);
			lock(fd, F_WRLCK, (k + 1) % 3, 1);
		}
		lock(fd, F_UNLCK, (k + 2) % 3, 1);
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[0]);
	read_exactly(ready[0], &c, 1);
	for (k = 0; k < total; k++) {
		t0 = now();
		lock(fd, F_UNLCK, k % 3, 1);
		lock(fd, F_WRLCK, (k + 2) % 3, 1);
		if (k >= b->warmup)
			rtt[k - b->warmup] = now() - t0;
	}
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	wait_for(pid, "child");
	free(rtt);
}

/* The command line -------------------------------------------------------- */

#define USAGE	"benchref memcpy|pipe|fifo|msgq-sysv|msgq-posix|" \
		"unix-stream|tcp|signal|flock [--latency] [--cpu A,B] " \
		"[-n N] [-s SIZE]"

static void __attribute__((noreturn))
usage(void)
{
	usage_error("usage: " USAGE);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cpu",	required_argument,	NULL,	'C' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "latency",	no_argument,		NULL,	'L' },
		{ NULL,		0,			NULL,	0 }
	};
	int c, cpu[2] = { -1, -1 }, latency = 0;
	const char *mode;
	char mechanism[32];
	long long count = 0;
	size_t size = 0;
	struct ends e;
	struct bench b;
	char *buf;

	narrate_quiet(1);
	if (argc < 2 || (mode = argv[1]) == NULL)
		usage();
	if (strcmp(mode, "--help") == 0) {
		printf("Usage: %s\n", USAGE);
		flush_stdout();
		return 0;
	}
	/* The mode comes first, so options follow it in any getopt. */
	optind = 2;
	while ((c = getopt_long(argc, argv, "C:Lhn:s:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'C':
			parse_cpu_pair("--cpu", optarg, cpu);
			break;
		case 'L':
			latency = 1;
			break;
		case 'h':
			printf("Usage: %s\n", USAGE);
			flush_stdout();
			return 0;
		case 'n':
			count = parse_count("-n", optarg, 1, 100000000);
			break;
		case 's':
			size = parse_size("-s", optarg, 1, 64 << 20);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	catch_termination();
	if (strcmp(mode, "memcpy") == 0) {
		bench_setup(&b, "memcpy", size ? size : (size_t)64 << 20,
		    count ? count : 8, 0, cpu);
		pin_to_cpu(cpu[0]);
		ref_memcpy(&b);
		return 0;
	}
	/* The lines say flock-fcntl-ref, as ipc-flock's say flock-fcntl. */
	snprintf(mechanism, sizeof(mechanism), "%s%s-ref", mode,
	    strcmp(mode, "flock") == 0 ? "-fcntl" : "");
	if (strcmp(mode, "signal") == 0) {
		/* The payload is the one int sigqueue() carries; always trips. */
		bench_setup(&b, mechanism, sizeof(int), count, 1, cpu);
		ref_signal(&b);
		return 0;
	}
	if (strcmp(mode, "flock") == 0) {
		if (!latency && cpu[0] != cpu[1])
			usage_error("flock without --latency is one process: "
			    "--cpu A,A");
		bench_setup(&b, mechanism, BENCH_NO_DATA, count, latency, cpu);
		ref_flock(&b);
		return 0;
	}
	bench_setup(&b, mechanism, size, count, latency, cpu);
	buf = bench_buffer(b.size);
	if (strcmp(mode, "msgq-sysv") == 0)
		ref_msgq_sysv(&b);
	else if (strcmp(mode, "msgq-posix") == 0)
		ref_msgq_posix(&b, buf);
	else {
		e.put = write_exactly;
		if (strcmp(mode, "pipe") == 0)
			pipe_ends(&e, latency);
		else if (strcmp(mode, "fifo") == 0)
			fifo_ends(&e, latency);
		else if (strcmp(mode, "unix-stream") == 0)
			unix_ends(&e);
		else if (strcmp(mode, "tcp") == 0)
			tcp_ends(&e);
		else
			usage();
		if (strcmp(mode, "unix-stream") == 0 || strcmp(mode, "tcp") == 0)
			e.put = send_exactly;
		if (latency)
			ref_pingpong(&b, buf, &e);
		else
			ref_stream(&b, buf, &e);
	}
	free(buf);
	return 0;
}
