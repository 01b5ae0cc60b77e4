/*
 * kinds.c - the three kinds of file lock, one small function each.
 *
 * The same request in three dialects: an fcntl(2) record lock belongs to
 * the process (F_SETLK, F_SETLKW), an open file description lock to the
 * open file (F_OFD_SETLK, F_OFD_SETLKW), and a flock(2) lock, whole files
 * only, to the open file too.  fcntl and OFD locks can be asked who is in
 * the way (F_GETLK, F_OFD_GETLK); flock(2) cannot, see proclocks.c.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-flock.h"

const char *const kind_name[] = { "fcntl", "ofd", "flock" };

/*
 * What fcntl and OFD locks ask for: TYPE (F_RDLCK, F_WRLCK, F_UNLCK) on
 * LEN bytes from START, LEN 0 meaning to the end of the file however
 * long it grows.
 */
static struct flock
byte_range(short type, off_t start, off_t len)
{
	struct flock fl;

	/* l_pid must be 0 for an OFD lock; it is only an answer of F_GETLK. */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	return fl;
}

/* An fcntl record lock, which belongs to this process. */
static int
request_fcntl(int fd, short type, off_t start, off_t len, int wait)
{
	struct flock fl = byte_range(type, start, len);

	return fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl);
}

/*
 * The same request as an open file description lock, which belongs to
 * the open file: every descriptor inherited or dup'ed from it shares it.
 */
static int
request_ofd(int fd, short type, off_t start, off_t len, int wait)
{
#ifdef F_OFD_SETLK
	struct flock fl = byte_range(type, start, len);

	return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
#else
	(void)fd, (void)type, (void)start, (void)len, (void)wait;
	errx(1, "--ofd: this system has no open file description "
	    "locks (F_OFD_SETLK)");
#endif
}

/* flock(2) knows whole files only, shared or exclusive. */
static int
request_flock(int fd, short type, int wait)
{
	int op;

	op = type == F_WRLCK ? LOCK_EX : type == F_RDLCK ? LOCK_SH : LOCK_UN;
	return flock(fd, wait ? op : op | LOCK_NB);
}

int
request(enum kind kind, int fd, short type, off_t start, off_t len, int wait)
{
	if (kind == FLOCK)
		return request_flock(fd, type, wait);
	if (kind == OFD)
		return request_ofd(fd, type, start, len, wait);
	return request_fcntl(fd, type, start, len, wait);
}

int
is_conflict(int e)
{
	/* POSIX lets F_SETLK say either; flock(2) says EWOULDBLOCK. */
	return e == EAGAIN || e == EACCES || e == EWOULDBLOCK;
}

const char *
call_name(enum kind kind, short type, int wait)
{
	if (kind == FLOCK)
		return type == F_UNLCK ? "flock(LOCK_UN)" : type == F_WRLCK ?
		    (wait ? "flock(LOCK_EX)" : "flock(LOCK_EX|LOCK_NB)") :
		    (wait ? "flock(LOCK_SH)" : "flock(LOCK_SH|LOCK_NB)");
	if (kind == OFD)
		return wait ? "fcntl(F_OFD_SETLKW)" : "fcntl(F_OFD_SETLK)";
	return wait ? "fcntl(F_SETLKW)" : "fcntl(F_SETLK)";
}

/* F_GETLK: the kernel answers in FL, a holder's pid in l_pid. */
static void
query_fcntl(int fd, const char *what, struct flock *fl)
{
	if (fcntl(fd, F_GETLK, fl) == -1)
		err(1, "fcntl F_GETLK %s", what);
}

/* F_OFD_GETLK: the same question; an OFD holder's l_pid is -1. */
static void
query_ofd(int fd, const char *what, struct flock *fl)
{
#ifdef F_OFD_GETLK
	if (fcntl(fd, F_OFD_GETLK, fl) == -1)
		err(1, "fcntl F_OFD_GETLK %s", what);
#else
	(void)fd, (void)what, (void)fl;
	errx(1, "--ofd: this system has no F_OFD_GETLK");
#endif
}

void
query(enum kind kind, int fd, const char *what, short type, off_t start,
    off_t len, struct flock *fl)
{
	*fl = byte_range(type, start, len);
	if (kind == OFD)
		query_ofd(fd, what, fl);
	else
		query_fcntl(fd, what, fl);
}

const char *
type_name(short type)
{
	return type == F_WRLCK ? "write" : type == F_RDLCK ? "read" :
	    "no";
}

/* flock(2) says exclusive and shared where fcntl says write and read. */
const char *
lock_word(enum kind kind, short type)
{
	if (kind == FLOCK)
		return type == F_WRLCK ? "exclusive" : "shared";
	return type_name(type);
}

const char *
range_text(char *buf, size_t size, long long start, long long len)
{
	/* The last byte is START + (LEN - 1): START + LEN may overflow. */
	if (len == 0)
		snprintf(buf, size, "bytes %lld to EOF", start);
	else if (len == 1)
		snprintf(buf, size, "byte %lld", start);
	else
		snprintf(buf, size, "bytes %lld to %lld", start,
		    start + (len - 1));
	return buf;
}

const char *
holder_text(char *buf, size_t size, const struct flock *fl)
{
	char range[64];

	if (fl->l_pid == -1)
		snprintf(buf, size, "a %s lock on %s, held through an open "
		    "file description (an OFD lock belongs to no process: "
		    "pid -1)", type_name(fl->l_type), range_text(range,
		    sizeof(range), (long long)fl->l_start,
		    (long long)fl->l_len));
	else
		snprintf(buf, size, "a %s lock on %s, held by pid %ld",
		    type_name(fl->l_type), range_text(range, sizeof(range),
		    (long long)fl->l_start, (long long)fl->l_len),
		    (long)fl->l_pid);
	return buf;
}
