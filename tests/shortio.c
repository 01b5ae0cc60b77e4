/*
 * shortio.so - an LD_PRELOAD shim for the tests: short reads and writes,
 * and EINTR, all the time instead of once in a blue moon.
 *
 * DESIGN.md promises that every program loops short reads and writes and
 * retries a call that a signal interrupted (EINTR).  On a quiet machine
 * the kernel almost never shows either, so running the programs proves
 * nothing about those loops.  Preloaded, this shim makes both happen on
 * nearly every call, and tests/shortio.sh checks that the data still
 * arrives byte for byte.  It is built for make check only, never
 * installed, and no program knows about it.
 *
 * Settings, from the environment:
 *	SHORTIO_MAX=N		a call moves at most N bytes (0 or unset:
 *				no limit)
 *	SHORTIO_EINTR=K		about one call in K fails with EINTR (0 or
 *				unset: never)
 *	SHORTIO_SEED=S		the seed of the choice of those calls (1);
 *				the same seed and the same calls fail the
 *				same calls
 *	SHORTIO_SPLIT_ATOMIC=1	split pipe writes of PIPE_BUF bytes or less
 *				too (see below)
 *	SHORTIO_REPORT=FILE	at exit, append "capped=C eintr=E prog=NAME"
 *				to FILE: how many calls the limit cut short
 *				and how many failed with EINTR, so a test can
 *				tell that the shim really bit
 *
 * Which calls: read, write, readv, writev, recv, send, recvfrom, sendto,
 * recvmsg and sendmsg, and the _FORTIFY_SOURCE forms a program may call
 * instead (__read_chk, __recv_chk, __recvfrom_chk).  poll, ppoll and
 * __poll_chk may fail with EINTR too, since that is where a program that
 * multiplexes really waits.  Not covered: splice, vmsplice, sendfile,
 * select and epoll, which no test relies on here.
 *
 * Which descriptors: only those where a short transfer is legal and the
 * program must cope with it: pipes, FIFOs and stream sockets, above 2.
 * Standard input, output and error belong to the test's shell, and
 * regular files, datagram and seqpacket sockets keep their whole-message
 * semantics: cutting those short would be a bug of the shim, not of the
 * program.  fstat(2) and getsockopt(SO_TYPE) tell the kinds apart on
 * every call, since descriptor numbers are reused.
 *
 * What is legal:
 *  - A read or recv may return fewer bytes than asked for: from a stream
 *    socket at any time, from a pipe whenever fewer have arrived, and no
 *    reader can tell a cut read from a writer that is slow.
 *  - A write or send to a stream socket may move part of the buffer (a
 *    signal in the middle, or a non-blocking socket with little room).
 *  - A write to a pipe or FIFO of more than PIPE_BUF bytes may be cut
 *    short the same way; one of PIPE_BUF bytes or less never is: the
 *    kernel writes it whole, and several writers rely on that to keep
 *    their records apart.  So the shim leaves those whole, unless
 *    SHORTIO_SPLIT_ATOMIC=1 asks it to split them as well: harsher than
 *    any kernel, for one-writer runs of programs that promise to loop
 *    every write anyway.
 *  - EINTR comes only to a call that could have waited: not on a
 *    non-blocking descriptor, nor with MSG_DONTWAIT, nor to a poll with a
 *    zero timeout.  The failed call does nothing at all, as if the signal
 *    had come before any data moved: the real call is not made.
 *
 * Processes: the counts live in a shared anonymous mapping, so a child
 * made by fork() adds to its parent's counts (children often end with
 * _exit(), which runs no destructor); the process that loaded the shim
 * writes the report.  A program it executes loads the shim afresh and
 * reports for itself.  The choice of failing calls uses a small
 * pseudo-random generator rather than "every K-th call", which could
 * fail the same call of a retry loop every time and never end.
 * Programs here are single-threaded; the generator is not thread-safe,
 * the counts are.
 */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The fortified entry points; glibc's headers declare them only sometimes. */
ssize_t	__read_chk(int, void *, size_t, size_t);
ssize_t	__recv_chk(int, void *, size_t, size_t, int);
ssize_t	__recvfrom_chk(int, void *, size_t, size_t, int, struct sockaddr *,
	    socklen_t *);
int	__poll_chk(struct pollfd *, nfds_t, int, size_t);

/* The most iovec entries one call may carry (Linux's UIO_MAXIOV). */
#define SHORTIO_IOV_MAX	1024

struct counts {
	unsigned long	capped;		/* calls the limit cut short */
	unsigned long	eintr;		/* calls failed with EINTR */
};

static struct counts	 own_counts;
static struct counts	*counts = &own_counts;
static int		 ready;
static pid_t		 owner;		/* the process that reports */
static size_t		 max_bytes;	/* 0: no limit */
static unsigned long	 one_in;	/* 0: no EINTR */
static int		 split_atomic;
static const char	*report;
static uint64_t		 rng;
/* mmap's fd for MAP_ANONYMOUS; a variable because cppcheck wants >= 0. */
static int		 no_file = -1;

/* A message on standard error that goes around every wrapper. */
static void
complain(const char *what, const char *detail)
{
	char line[256];
	int n;

	n = snprintf(line, sizeof(line), "shortio: %s%s\n", what, detail);
	if (n > 0)
		(void)syscall(SYS_write, STDERR_FILENO, line,
		    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The next definition of NAME after ours: libc's, or a sanitizer's. */
static void *
next_symbol(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL) {
		/* Nothing to pass the call on to: stop at once. */
		complain("dlsym(RTLD_NEXT) found no ", name);
		abort();
	}
	return p;
}

/* Look up the real NAME once, into the function pointer VAR. */
#define REAL(var, name) do {						\
	if ((var) == NULL)						\
		*(void **)&(var) = next_symbol(name);			\
} while (0)

/* A whole number from the environment variable NAME, or DEFAULT. */
static unsigned long
setting(const char *name, unsigned long dflt)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *s == '-') {
		/* A test that misspells a setting must not pass quietly. */
		complain("not a whole number: ", name);
		_exit(125);
	}
	return v;
}

/* Read the settings; in the constructor, or at the first call before it. */
static void
setup(void)
{
	void *page;
	int saved = errno;

	if (ready)
		return;
	ready = 1;
	owner = getpid();
	max_bytes = setting("SHORTIO_MAX", 0);
	one_in = setting("SHORTIO_EINTR", 0);
	rng = setting("SHORTIO_SEED", 1);
	split_atomic = setting("SHORTIO_SPLIT_ATOMIC", 0) != 0;
	report = getenv("SHORTIO_REPORT");
	if (report != NULL && *report == '\0')
		report = NULL;
	/* Shared, so that children made by fork() count for us too. */
	page = mmap(NULL, sizeof(struct counts), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, no_file, 0);
	if (page != MAP_FAILED)
		counts = page;
	errno = saved;
}

__attribute__((constructor)) static void
shortio_init(void)
{
	setup();
}

/* At exit, the loading process appends its counts to SHORTIO_REPORT. */
__attribute__((destructor)) static void
shortio_report(void)
{
	char line[128];
	int fd, n, saved = errno;

	if (report == NULL || getpid() != owner)
		return;
	n = snprintf(line, sizeof(line), "capped=%lu eintr=%lu prog=%s\n",
	    __atomic_load_n(&counts->capped, __ATOMIC_RELAXED),
	    __atomic_load_n(&counts->eintr, __ATOMIC_RELAXED),
	    program_invocation_short_name);
	/* A regular file, which the wrappers would leave alone anyway. */
	fd = (int)syscall(SYS_openat, AT_FDCWD, report,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		complain("cannot open SHORTIO_REPORT ", report);
	} else {
		if (n > 0 && syscall(SYS_write, fd, line,
		    (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1) == -1)
			complain("cannot write SHORTIO_REPORT ", report);
		(void)syscall(SYS_close, fd);
	}
	errno = saved;
}

static void
bump(unsigned long *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/* True about once in ONE_IN calls (xorshift64*; never a fixed rhythm). */
static int
time_to_fail(void)
{
	if (one_in == 0)
		return 0;
	if (rng == 0)
		rng = 0x9e3779b97f4a7c15ULL;
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dULL >> 32) % one_in == 0;
}

/* What FD is, as far as the shim cares. */
enum kind {
	OTHER,		/* left alone */
	PIPE,		/* a pipe or a FIFO: PIPE_BUF counts */
	STREAM		/* a stream socket */
};

static enum kind
kind_of(int fd)
{
	struct stat st;
	socklen_t len;
	int type;

	if (fd <= STDERR_FILENO || fstat(fd, &st) == -1)
		return OTHER;
	if (S_ISFIFO(st.st_mode))
		return PIPE;
	len = sizeof(type);
	if (S_ISSOCK(st.st_mode) &&
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_STREAM)
		return STREAM;
	return OTHER;
}

/* One call under way: how much it asked for, how much it may move. */
struct call {
	size_t	len;
	size_t	limit;
};

/*
 * Decide about a call moving LEN bytes through FD (WRITING or not;
 * DONTWAIT when its flags say MSG_DONTWAIT).  Returns 1 when it must fail
 * with EINTR at once, without being made; else sets C->limit.
 */
static int
start(struct call *c, int fd, size_t len, int writing, int dontwait)
{
	enum kind k;
	int flags, saved = errno;

	setup();
	c->len = c->limit = len;
	if ((max_bytes == 0 && one_in == 0) || len == 0 ||
	    (k = kind_of(fd)) == OTHER) {
		errno = saved;
		return 0;
	}
	/* A signal can only interrupt a call that may wait. */
	if (one_in != 0 && !dontwait && (flags = fcntl(fd, F_GETFL)) != -1 &&
	    (flags & O_NONBLOCK) == 0 && time_to_fail()) {
		bump(&counts->eintr);
		errno = EINTR;
		return 1;
	}
	if (max_bytes != 0 && len > max_bytes &&
	    !(writing && k == PIPE && len <= PIPE_BUF && !split_atomic))
		c->limit = max_bytes;
	errno = saved;
	return 0;
}

/* The call returned N: count it if the limit is what made it short. */
static ssize_t
finish(const struct call *c, ssize_t n)
{
	if (c->limit < c->len && n == (ssize_t)c->limit)
		bump(&counts->capped);
	return n;
}

/* The bytes IOV's CNT buffers hold, or 0 when CNT is out of range. */
static size_t
iov_bytes(const struct iovec *iov, long cnt)
{
	size_t total = 0;
	long i;

	if (iov == NULL || cnt <= 0 || cnt > SHORTIO_IOV_MAX)
		return 0;
	for (i = 0; i < cnt; i++)
		total += iov[i].iov_len;
	return total;
}

/* Copy IOV into OUT, cut to LIMIT bytes; returns the entries used. */
static int
iov_cut(struct iovec *out, const struct iovec *iov, long cnt, size_t limit)
{
	int n = 0;

	for (; n < cnt && limit > 0; n++) {
		out[n] = iov[n];
		if (out[n].iov_len > limit)
			out[n].iov_len = limit;
		limit -= out[n].iov_len;
	}
	return n;
}

ssize_t
read(int fd, void *buf, size_t len)
{
	static ssize_t (*real)(int, void *, size_t);
	struct call c;

	REAL(real, "read");
	if (start(&c, fd, len, 0, 0))
		return -1;
	return finish(&c, real(fd, buf, c.limit));
}

ssize_t
__read_chk(int fd, void *buf, size_t len, size_t buflen)
{
	static ssize_t (*real)(int, void *, size_t, size_t);
	struct call c;

	REAL(real, "__read_chk");
	/* An overflow the check must catch: let the real one abort. */
	if (len > buflen)
		return real(fd, buf, len, buflen);
	if (start(&c, fd, len, 0, 0))
		return -1;
	return finish(&c, real(fd, buf, c.limit, buflen));
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);
	struct call c;

	REAL(real, "write");
	if (start(&c, fd, len, 1, 0))
		return -1;
	return finish(&c, real(fd, buf, c.limit));
}

ssize_t
readv(int fd, const struct iovec *iov, int cnt)
{
	static ssize_t (*real)(int, const struct iovec *, int);
	struct iovec cut[SHORTIO_IOV_MAX];
	struct call c;

	REAL(real, "readv");
	if (start(&c, fd, iov_bytes(iov, cnt), 0, 0))
		return -1;
	if (c.limit == c.len)
		return real(fd, iov, cnt);
	return finish(&c, real(fd, cut, iov_cut(cut, iov, cnt, c.limit)));
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	static ssize_t (*real)(int, const struct iovec *, int);
	struct iovec cut[SHORTIO_IOV_MAX];
	struct call c;

	REAL(real, "writev");
	if (start(&c, fd, iov_bytes(iov, cnt), 1, 0))
		return -1;
	if (c.limit == c.len)
		return real(fd, iov, cnt);
	return finish(&c, real(fd, cut, iov_cut(cut, iov, cnt, c.limit)));
}

ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, void *, size_t, int);
	struct call c;

	REAL(real, "recv");
	if (start(&c, fd, len, 0, flags & MSG_DONTWAIT))
		return -1;
	return finish(&c, real(fd, buf, c.limit, flags));
}

ssize_t
__recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
	static ssize_t (*real)(int, void *, size_t, size_t, int);
	struct call c;

	REAL(real, "__recv_chk");
	if (len > buflen)
		return real(fd, buf, len, buflen, flags);
	if (start(&c, fd, len, 0, flags & MSG_DONTWAIT))
		return -1;
	return finish(&c, real(fd, buf, c.limit, buflen, flags));
}

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, const void *, size_t, int);
	struct call c;

	REAL(real, "send");
	if (start(&c, fd, len, 1, flags & MSG_DONTWAIT))
		return -1;
	return finish(&c, real(fd, buf, c.limit, flags));
}

ssize_t
recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *sa,
    socklen_t *salen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *,
	    socklen_t *);
	struct call c;

	REAL(real, "recvfrom");
	if (start(&c, fd, len, 0, flags & MSG_DONTWAIT))
		return -1;
	return finish(&c, real(fd, buf, c.limit, flags, sa, salen));
}

ssize_t
__recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
    struct sockaddr *sa, socklen_t *salen)
{
	static ssize_t (*real)(int, void *, size_t, size_t, int,
	    struct sockaddr *, socklen_t *);
	struct call c;

	REAL(real, "__recvfrom_chk");
	if (len > buflen)
		return real(fd, buf, len, buflen, flags, sa, salen);
	if (start(&c, fd, len, 0, flags & MSG_DONTWAIT))
		return -1;
	return finish(&c, real(fd, buf, c.limit, buflen, flags, sa, salen));
}

ssize_t
sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *sa, socklen_t salen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
	    const struct sockaddr *, socklen_t);
	struct call c;

	REAL(real, "sendto");
	if (start(&c, fd, len, 1, flags & MSG_DONTWAIT))
		return -1;
	return finish(&c, real(fd, buf, c.limit, flags, sa, salen));
}

ssize_t
recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	struct iovec cut[SHORTIO_IOV_MAX];
	struct msghdr m;
	struct call c;
	ssize_t n;

	REAL(real, "recvmsg");
	if (msg == NULL)
		return real(fd, msg, flags);
	if (start(&c, fd, iov_bytes(msg->msg_iov, (long)msg->msg_iovlen), 0,
	    flags & MSG_DONTWAIT))
		return -1;
	if (c.limit == c.len)
		return real(fd, msg, flags);
	/* The same header with fewer bytes of room; give back what changed. */
	m = *msg;
	m.msg_iov = cut;
	m.msg_iovlen = (size_t)iov_cut(cut, msg->msg_iov,
	    (long)msg->msg_iovlen, c.limit);
	n = real(fd, &m, flags);
	msg->msg_namelen = m.msg_namelen;
	msg->msg_controllen = m.msg_controllen;
	msg->msg_flags = m.msg_flags;
	return finish(&c, n);
}

ssize_t
sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	struct iovec cut[SHORTIO_IOV_MAX];
	struct msghdr m;
	struct call c;

	REAL(real, "sendmsg");
	if (msg == NULL)
		return real(fd, msg, flags);
	if (start(&c, fd, iov_bytes(msg->msg_iov, (long)msg->msg_iovlen), 1,
	    flags & MSG_DONTWAIT))
		return -1;
	if (c.limit == c.len)
		return real(fd, msg, flags);
	/* Ancillary data goes with the first byte, as with a real cut. */
	m = *msg;
	m.msg_iov = cut;
	m.msg_iovlen = (size_t)iov_cut(cut, msg->msg_iov,
	    (long)msg->msg_iovlen, c.limit);
	return finish(&c, real(fd, &m, flags));
}

/*
 * A poll that MAY_WAIT (its timeout is not zero) on a descriptor of ours
 * may be interrupted by a signal: EINTR, once in a while.
 */
static int
poll_interrupted(const struct pollfd *fds, nfds_t nfds, int may_wait)
{
	int saved = errno;
	nfds_t i;

	setup();
	if (one_in == 0 || !may_wait || fds == NULL)
		return 0;
	for (i = 0; i < nfds; i++)
		if (kind_of(fds[i].fd) != OTHER)
			break;
	errno = saved;
	if (i == nfds || !time_to_fail())
		return 0;
	bump(&counts->eintr);
	errno = EINTR;
	return 1;
}

int
poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	static int (*real)(struct pollfd *, nfds_t, int);

	REAL(real, "poll");
	if (poll_interrupted(fds, nfds, timeout != 0))
		return -1;
	return real(fds, nfds, timeout);
}

int
__poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen)
{
	static int (*real)(struct pollfd *, nfds_t, int, size_t);

	REAL(real, "__poll_chk");
	if (fdslen / sizeof(*fds) < nfds)
		return real(fds, nfds, timeout, fdslen);
	if (poll_interrupted(fds, nfds, timeout != 0))
		return -1;
	return real(fds, nfds, timeout, fdslen);
}

int
ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
    const sigset_t *mask)
{
	static int (*real)(struct pollfd *, nfds_t, const struct timespec *,
	    const sigset_t *);

	REAL(real, "ppoll");
	if (poll_interrupted(fds, nfds, timeout == NULL ||
	    timeout->tv_sec != 0 || timeout->tv_nsec != 0))
		return -1;
	return real(fds, nfds, timeout, mask);
}
