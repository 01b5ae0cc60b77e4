/*
 * ipc-flock - file locks: processes take turns at a file, in good order.
 *
 * Teaches: fcntl(2) record locks (F_SETLK, F_SETLKW, F_GETLK and struct
 * flock), open file description locks (F_OFD_SETLK, F_OFD_SETLKW,
 * F_OFD_GETLK), flock(2), who owns each kind of lock and when the kernel
 * drops it (fork, close, exit), EDEADLK, O_APPEND, ftruncate(2), and
 * /proc/locks, where the kernel lists every lock it holds.
 *
 * Try:
 *	$ ipc-flock demo; ipc-flock demo --no-lock
 *	$ ipc-flock lock f -- sleep 30 &
 *	$ ipc-flock test f; lslocks; cat /proc/locks
 *	$ ipc-flock lock f --nowait; echo $?
 *	$ ipc-flock lock --flock f -- sleep 9 &
 *	$ flock -n f true; echo $?
 *	$ ipc-flock compare
 *	$ ipc-flock deadlock; ipc-flock deadlock --ofd
 *	$ ipc-flock bench; ipc-flock bench --latency --ofd
 *	$ strace -f -e trace=fcntl,write,ftruncate ipc-flock -q demo -n 5
 *
 * See also: fcntl(2), flock(2), lslocks(8), flock(1), proc(5), ipclab(7)
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"

/* The three kinds of lock, in the order the page teaches them. */
enum kind { FCNTL, OFD, FLOCK };

static const char *const kind_name[] = { "fcntl", "ofd", "flock" };

struct opts {
	long long	 count;		/* demo: numbers; bench: pairs or trips */
	int		 no_lock;	/* demo: leave the lock out */
	int		 shared;	/* lock, test: a read (shared) lock */
	int		 nowait;	/* lock: fail at once if held */
	long long	 start;		/* lock, test: first byte */
	long long	 len;		/* lock, test: bytes; 0 is to EOF */
	int		 range;		/* --start or --len was given */
	enum kind	 kind;		/* --flock, --ofd or the default */
	double		 timeout;	/* deadlock: how long to wait */
	int		 latency;	/* bench: hand a lock back and forth */
	int		 cpu[2];	/* bench: CPUs of the two processes */
};

/* Offsets up to 2^62: far beyond any file, and START + LEN cannot overflow. */
#define OFFSET_LIMIT	((long long)1 << (sizeof(off_t) * CHAR_BIT - 2))

/* Room for a sentence about a lock and its holder. */
#define TEXT_SIZE	320

/* A child's exit status that means "the kernel told me EDEADLK". */
#define EXIT_DEADLOCK	3
/* A child's exit status that means "somebody else holds that lock". */
#define EXIT_HELD	4

/* SIGALRM ends a wait that could last for ever (deadlock --ofd). */
static volatile sig_atomic_t timer_rang;

static void
on_alarm(int sig)
{
	(void)sig;
	timer_rang = 1;
}

/* Sleep for USEC microseconds, cut short only by a termination signal. */
static void
nap(long usec)
{
	struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) == -1) {
		if (errno != EINTR)
			err(1, "nanosleep");
		stop_if_signalled();
	}
}

/* "bytes 0 to EOF", "bytes 10 to 19", "byte 1", as struct flock counts. */
static const char *
range_text(char *buf, size_t size, long long start, long long len)
{
	if (len == 0)
		snprintf(buf, size, "bytes %lld to EOF", start);
	else if (len == 1)
		snprintf(buf, size, "byte %lld", start);
	else
		snprintf(buf, size, "bytes %lld to %lld", start,
		    start + len - 1);
	return buf;
}

static const char *
type_name(short type)
{
	return type == F_WRLCK ? "write" : type == F_RDLCK ? "read" :
	    "no";
}

/* flock(2) says exclusive and shared where fcntl says write and read. */
static const char *
lock_word(enum kind kind, short type)
{
	if (kind == FLOCK)
		return type == F_WRLCK ? "exclusive" : "shared";
	return type_name(type);
}

/* Who holds the lock F_GETLK found: a process, or an open file description. */
static const char *
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

/*
 * Ask for (or give back, with F_UNLCK) one lock: the same request in the
 * three dialects.  WAIT picks the call that sleeps until the lock is free.
 * Returns what the system call returned: 0, or -1 with errno set.
 */
static int
request(enum kind kind, int fd, short type, off_t start, off_t len, int wait)
{
	struct flock fl;
	int op;

	if (kind == FLOCK) {
		/* flock(2) knows whole files only, shared or exclusive. */
		op = type == F_WRLCK ? LOCK_EX : type == F_RDLCK ? LOCK_SH :
		    LOCK_UN;
		return flock(fd, wait ? op : op | LOCK_NB);
	}
	/* l_pid must be 0 for an OFD lock; it is only an answer of F_GETLK. */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	if (kind == OFD) {
#ifdef F_OFD_SETLK
		return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
#else
		errx(1, "--ofd: this system has no open file description "
		    "locks (F_OFD_SETLK)");
#endif
	}
	return fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl);
}

/* The errors a non-blocking request gives when someone else holds the lock. */
static int
is_conflict(int e)
{
	/* POSIX lets F_SETLK say either; flock(2) says EWOULDBLOCK. */
	return e == EAGAIN || e == EACCES || e == EWOULDBLOCK;
}

/* The call a request makes, for narration. */
static const char *
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

/*
 * F_GETLK (or F_OFD_GETLK): which lock would stop a TYPE lock on this
 * range?  The kernel fills in FL; l_type F_UNLCK means none would.
 */
static void
query(enum kind kind, int fd, const char *what, short type, off_t start,
    off_t len, struct flock *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	fl->l_start = start;
	fl->l_len = len;
	if (kind == OFD) {
#ifdef F_OFD_GETLK
		if (fcntl(fd, F_OFD_GETLK, fl) == -1)
			err(1, "fcntl F_OFD_GETLK %s", what);
		return;
#else
		errx(1, "--ofd: this system has no F_OFD_GETLK");
#endif
	}
	if (fcntl(fd, F_GETLK, fl) == -1)
		err(1, "fcntl F_GETLK %s", what);
}

/* One line of /proc/locks, cut into its fields. */
struct proc_lock {
	int		 waiting;	/* "->": a request still waiting */
	char		 class[16];	/* POSIX, OFDLCK, FLOCK, LEASE... */
	char		 type[16];	/* READ, WRITE */
	long		 pid;		/* -1 for an OFD lock */
	char		 start[24];
	char		 end[24];	/* a number, or EOF */
};

/*
 * Read /proc/locks, the kernel's list of every lock on the system, and
 * keep the lines about the file ST.  Each line names the file by its
 * device (major:minor, in hex) and inode number, as lslocks(8) reads it.
 * Calls FN for each; returns how many there were, or -1 if the file
 * cannot be read.
 */
static int
proc_locks(const struct stat *st, void (*fn)(const struct proc_lock *,
    void *), void *arg)
{
	char line[256], dev[64], *w[8], *word, *save;
	struct proc_lock pl;
	FILE *f;
	int n = 0, nw;

	if ((f = fopen("/proc/locks", "re")) == NULL)
		return -1;
	snprintf(dev, sizeof(dev), "%02x:%02x:%lu", major(st->st_dev),
	    minor(st->st_dev), (unsigned long)st->st_ino);
	while (fgets(line, sizeof(line), f) != NULL) {
		memset(&pl, 0, sizeof(pl));
		nw = 0;
		/* "1: -> POSIX ADVISORY WRITE 4242 fe:00:1234 0 EOF" */
		for (word = strtok_r(line, " \n", &save); word != NULL;
		    word = strtok_r(NULL, " \n", &save)) {
			if (strcmp(word, "->") == 0)
				pl.waiting = 1;
			else if (nw < 8)
				w[nw++] = word;
		}
		/* id: class mode type pid device:inode start end */
		if (nw < 8 || strcmp(w[5], dev) != 0)
			continue;
		snprintf(pl.class, sizeof(pl.class), "%s", w[1]);
		snprintf(pl.type, sizeof(pl.type), "%s", w[3]);
		pl.pid = strtol(w[4], NULL, 10);
		snprintf(pl.start, sizeof(pl.start), "%s", w[6]);
		snprintf(pl.end, sizeof(pl.end), "%s", w[7]);
		n++;
		if (fn != NULL)
			fn(&pl, arg);
	}
	(void)fclose(f);
	return n;
}

/* For proc_locks: narrate a line, rebuilt from its fields. */
static void
say_proc_lock(const struct proc_lock *pl, void *arg)
{
	(void)arg;
	say("  /proc/locks: %s%-6s %-5s pid %ld, bytes %s to %s",
	    pl->waiting ? "(waiting) " : "", pl->class, pl->type, pl->pid,
	    pl->start, pl->end);
}

/* For proc_locks: collect the pids of granted flock(2) locks in a string. */
static void
add_flock_holder(const struct proc_lock *pl, void *arg)
{
	char *list = arg;
	size_t used = strlen(list);

	if (pl->waiting || strcmp(pl->class, "FLOCK") != 0)
		return;
	snprintf(list + used, TEXT_SIZE - used, "%s%s lock held by pid %ld",
	    used > 0 ? "; " : "", strcmp(pl->type, "WRITE") == 0 ?
	    "an exclusive" : "a shared", pl->pid);
}

/*
 * flock(2) has no F_GETLK: to name who holds a flock lock, read
 * /proc/locks as lslocks(8) does.  Fills LIST (TEXT_SIZE bytes).
 */
static const char *
flock_holders(int fd, const char *path, char *list)
{
	struct stat st;

	list[0] = '\0';
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if (proc_locks(&st, add_flock_holder, list) == -1)
		snprintf(list, TEXT_SIZE, "a flock lock (/proc/locks, which "
		    "would name its holder, cannot be read)");
	else if (list[0] == '\0')
		snprintf(list, TEXT_SIZE, "a flock lock whose holder "
		    "/proc/locks does not show");
	return list;
}

/*
 * Our private files that a killed run left in the run directory:
 * "flock-WHAT-PID" whose PID is gone (or is ours: pids come round
 * again).  SIGKILL gives a program no chance to remove its files, so
 * the next run does.
 */
static void
remove_leftovers(void)
{
	char path[PATH_MAX], *end;
	const char *dash;
	struct dirent *d;
	long pid;
	DIR *dir;

	/* Tidying only: if this fails, the open() that follows says why. */
	if ((dir = opendir(rundir())) == NULL)
		return;
	for (;;) {
		/*
		 * readdir(3) returns NULL both at the end and on error.  One
		 * thread reads this stream: readdir() is safe here, and
		 * readdir_r() is deprecated.
		 */
		errno = 0;
		/* cppcheck-suppress readdirCalled */
		if ((d = readdir(dir)) == NULL)
			break;
		if (strncmp(d->d_name, "flock-", 6) != 0 ||
		    (dash = strrchr(d->d_name, '-')) == NULL)
			continue;
		errno = 0;
		pid = strtol(dash + 1, &end, 10);
		if (dash[1] == '\0' || *end != '\0' || errno != 0 || pid <= 0 ||
		    pid > INT_MAX)
			continue;
		if (pid != (long)getpid() &&
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		rundir_path(path, sizeof(path), d->d_name);
		if (unlink(path) == -1 && errno != ENOENT)
			err(1, "unlink %s", path);
		say("unlink(\"%s\"): pid %ld left it and is gone (after a "
		    "SIGKILL, a program cannot clean up)", path, pid);
	}
	if (errno != 0)
		err(1, "readdir %s", rundir());
	if (closedir(dir) == -1)
		err(1, "closedir %s", rundir());
}

/*
 * A private file in the run directory, its name carrying our pid, made
 * with O_EXCL so we never open somebody else's; removed however we end.
 * FLAGS adds to O_RDWR (O_APPEND, say).
 */
static int
private_file(char *path, size_t size, const char *what, int flags)
{
	static int swept;
	char leaf[64];
	int fd;

	/*
	 * "ipc-flock demo 2>&1 | head" closes our stderr early.  SIGPIPE
	 * would kill us before the file is removed; ignored, it turns into
	 * EPIPE from write(), and the program ends by its own exit path,
	 * which removes the file.  No command that makes a file runs exec.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");

	if (!swept) {
		remove_leftovers();
		swept = 1;
	}
	snprintf(leaf, sizeof(leaf), "flock-%s-%ld", what, (long)getpid());
	rundir_path(path, size, leaf);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | flags, 0600);
	if (fd == -1)
		err(1, "open %s", path);
	at_exit_unlink(path);
	return fd;
}

/* Read the whole file with pread(2), which leaves the file offset alone. */
static size_t
read_whole(int fd, char **buf, size_t *cap)
{
	size_t len = 0;
	ssize_t n;
	char *bigger;

	for (;;) {
		if (*cap - len < 4096) {
			*cap = *cap ? *cap * 2 : 65536;
			if ((bigger = realloc(*buf, *cap)) == NULL)
				err(1, "realloc");
			*buf = bigger;
		}
		stop_if_signalled();
		n = pread(fd, *buf + len, *cap - len, (off_t)len);
		if (n == -1) {
			if (errno != EINTR)
				err(1, "pread");
			continue;
		}
		if (n == 0)
			return len;
		len += (size_t)n;
	}
}

/* How many turns of each side the demo narrates before it goes quiet. */
#define DEMO_NARRATED	3
/* The producer takes a moment to make each number (microseconds)... */
#define PRODUCE_USEC	50
/* ...the consumer takes a while over each batch it reads... */
#define CONSUME_USEC	500
/* ...and naps this long when it finds the file empty. */
#define IDLE_USEC	1000

/* demo, the producer: append 1..COUNT, a line each, under the lock. */
static void
demo_produce(const struct opts *o, int fd)
{
	struct flock fl;
	char line[32];
	long long i;
	int len;

	/* A write lock on the whole file: l_start 0, l_len 0 (to EOF). */
	memset(&fl, 0, sizeof(fl));
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;
	for (i = 1; i <= o->count; i++) {
		stop_if_signalled();
		nap(PRODUCE_USEC);
		if (!o->no_lock) {
			fl.l_type = F_WRLCK;
			/* F_SETLKW sleeps while the consumer holds the lock. */
			while (fcntl(fd, F_SETLKW, &fl) == -1) {
				if (errno != EINTR)
					err(1, "fcntl F_SETLKW");
				stop_if_signalled();
			}
			if (i <= DEMO_NARRATED)
				say("fcntl(%d, F_SETLKW, write lock, whole "
				    "file) -> granted", fd);
		}
		len = snprintf(line, sizeof(line), "%lld\n", i);
		/* O_APPEND: each write lands at the end, wherever it is now. */
		if (write_all(fd, line, (size_t)len) == -1)
			err(1, "write the shared file");
		if (i <= DEMO_NARRATED)
			say("write(%d, \"%lld\\n\"): O_APPEND puts it at the "
			    "end of the file", fd, i);
		if (!o->no_lock) {
			fl.l_type = F_UNLCK;
			if (fcntl(fd, F_SETLK, &fl) == -1)
				err(1, "fcntl F_UNLCK");
			if (i <= DEMO_NARRATED)
				say("fcntl(%d, F_SETLK, F_UNLCK) -> released; "
				    "the consumer may have its turn", fd);
		}
		if (i == DEMO_NARRATED && o->count > DEMO_NARRATED)
			say("the other %lld numbers go the same way, without "
			    "narration", o->count - DEMO_NARRATED);
	}
	say("produced %lld numbers; exiting", o->count);
}

/* Tally what one batch held; returns the numbers in it. */
static long long
demo_tally(const struct opts *o, char *buf, size_t len,
    unsigned char *seen, long long *dups, long long *garbled)
{
	long long n = 0, v;
	char *p = buf, *nl, *end;

	while (p < buf + len) {
		/* A last line without its newline is half a write: torn. */
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL) {
			(*garbled)++;
			break;
		}
		*nl = '\0';
		/* Digits only: strtoll alone would take " 7" or "+7". */
		errno = 0;
		v = strtoll(p, &end, 10);
		if (end == p || *end != '\0' || errno != 0 || v < 1 ||
		    v > o->count || p[0] < '0' || p[0] > '9') {
			(*garbled)++;
		} else {
			n++;
			if (seen[v - 1])
				(*dups)++;
			else
				seen[v - 1] = 1;
		}
		p = nl + 1;
	}
	return n;
}

/*
 * demo: the seed's producer and consumer.  The child appends numbers to
 * a file; the parent reads what is there, works on it, and empties the
 * file with ftruncate.  Reading and emptying must be one step: a number
 * appended in between would be destroyed unread.  The lock makes it one.
 */
static int
cmd_demo(struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX], how[96];
	long long consumed = 0, lost = 0, dups = 0, garbled = 0, got, i;
	long long turns = 0, empty = 0, most = 0, least = -1;
	unsigned char *seen;
	struct flock fl;
	size_t len, cap = 0;
	char *buf = NULL;
	int fd, status = 0, done = 0, tell;
	pid_t parent, pid, r;

	(void)argv;
	if (argc > 0)
		usage_error("demo takes no arguments");
	if (o->count == 0)
		o->count = 1000;
	if (o->count > 1000000)
		usage_error("-n: demo counts at most 1000000 numbers");
	if ((seen = calloc((size_t)o->count, 1)) == NULL)
		err(1, "calloc");
	narrate_role("consumer");

	/*
	 * One file for this run only.  O_APPEND, because the consumer empties
	 * the file behind the producer's back: without it the producer's
	 * next write would land at its old offset, past a hole of zeros.
	 */
	fd = private_file(path, sizeof(path), "demo", O_APPEND);
	say("open(\"%s\", O_RDWR|O_APPEND|O_CREAT|O_EXCL, 0600) -> fd %d: "
	    "the shared file", path, fd);
	parent = getpid();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("producer");
		die_with_parent(parent, SIGKILL);
		demo_produce(o, fd);
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> producer %ld.  It shares fd %d, but fcntl locks belong "
	    "to a process, so its lock still shuts this one out", (long)pid,
	    fd);
	if (o->no_lock)
		say("--no-lock: neither side calls fcntl; watch what is lost");

	memset(&fl, 0, sizeof(fl));
	fl.l_whence = SEEK_SET;
	for (;;) {
		stop_if_signalled();
		/*
		 * Has the producer finished?  Ask before reading, so that this
		 * last read sees everything it wrote.
		 */
		if ((r = waitpid(pid, &status, WNOHANG)) == -1)
			err(1, "waitpid %ld", (long)pid);
		if (r == pid) {
			at_exit_forget_child(pid);
			say("waitpid(%ld, WNOHANG) -> the producer %s; one "
			    "last turn", (long)pid, describe_status(status,
			    how, sizeof(how)));
			done = 1;
		}
		if (!o->no_lock) {
			fl.l_type = F_WRLCK;
			while (fcntl(fd, F_SETLKW, &fl) == -1) {
				if (errno != EINTR)
					err(1, "fcntl F_SETLKW");
				stop_if_signalled();
			}
		}
		len = read_whole(fd, &buf, &cap);
		got = demo_tally(o, buf, len, seen, &dups, &garbled);
		/* Narrate the first empty turn, a few full ones, and the last. */
		tell = done || (len > 0 ? turns < DEMO_NARRATED : !empty++);
		if (tell && !o->no_lock)
			say("fcntl(%d, F_SETLKW, write lock, whole file) -> "
			    "granted", fd);
		if (len > 0) {
			if (tell)
				say("pread -> %lld number%s; working on %s for "
				    "%d us %s", got, got == 1 ? "" : "s",
				    got == 1 ? "it" : "them", CONSUME_USEC,
				    o->no_lock ? "(nothing stops the producer)" :
				    "while holding the lock");
			/* The work that makes the race window wide. */
			nap(CONSUME_USEC);
			/* Empty the file: this destroys anything unread. */
			if (ftruncate(fd, 0) == -1)
				err(1, "ftruncate %s", path);
			if (tell)
				say("ftruncate(%d, 0): the file is empty again",
				    fd);
			consumed += got;
			turns++;
			most = got > most ? got : most;
			least = least < 0 || got < least ? got : least;
		} else if (tell) {
			say("pread -> 0 bytes: nothing to read yet");
		}
		if (!o->no_lock) {
			fl.l_type = F_UNLCK;
			if (fcntl(fd, F_SETLK, &fl) == -1)
				err(1, "fcntl F_UNLCK");
			if (tell)
				say("fcntl(%d, F_SETLK, F_UNLCK) -> released%s",
				    fd, len == 0 ? "; napping 1 ms" : "");
		}
		if (len > 0 && turns == DEMO_NARRATED && !done)
			say("the consumer goes on taking turns, without "
			    "narration");
		if (done)
			break;
		if (len == 0)
			nap(IDLE_USEC);
	}
	require_success(status, "producer");
	if (close(fd) == -1)
		err(1, "close %s", path);
	for (i = 0; i < o->count; i++)
		if (!seen[i])
			lost++;
	free(seen);
	free(buf);

	printf("the consumer emptied the file %lld times, %lld to %lld "
	    "numbers at a time\n", turns, least < 0 ? 0 : least, most);
	if (garbled > 0)
		printf("%lld lines were torn (not a whole number)\n", garbled);
	printf("produced %lld, consumed %lld, lost %lld, duplicated %lld\n",
	    o->count, consumed, lost, dups);
	if (o->no_lock) {
		if (lost + dups + garbled == 0)
			say("no damage this time: the race needs unlucky "
			    "timing; run it again, or with a larger -n");
		else
			say("lost numbers were appended after the consumer "
			    "read the file and before it emptied it");
		return 0;
	}
	if (lost + dups + garbled > 0)
		errx(1, "numbers were lost or repeated although both sides "
		    "used the lock");
	return 0;
}

/*
 * Open FILE for a lock, creating it (mode 0600) when it is missing.  An
 * fcntl or OFD write lock needs a descriptor open for writing; a read
 * lock, or any flock(2) lock, needs only reading.
 */
static int
open_lock_file(const char *path, int writing)
{
	int flags = (writing ? O_RDWR : O_RDONLY) | O_NOCTTY | O_CLOEXEC;
	struct stat st;
	int fd;

	for (;;) {
		if ((fd = open(path, flags)) != -1) {
			say("open(\"%s\", %s) -> fd %d", path, writing ?
			    "O_RDWR" : "O_RDONLY", fd);
			return fd;
		}
		if (errno == EACCES && writing)
			err(1, "open %s for writing (an fcntl write lock "
			    "needs it; --shared or --flock would not)", path);
		if (errno != ENOENT)
			err(1, "open %s", path);
		/* Missing: create it, unless someone else just did. */
		fd = open(path, flags | O_CREAT | O_EXCL, 0600);
		if (fd != -1) {
			say("open(\"%s\", %s|O_CREAT|O_EXCL, 0600) -> fd %d: "
			    "created it", path, writing ? "O_RDWR" : "O_RDONLY",
			    fd);
			return fd;
		}
		if (errno != EEXIST)
			err(1, "create %s", path);
		/*
		 * EEXIST, yet open() said ENOENT: a symbolic link to a file
		 * that is not there.  O_EXCL never creates through one, and
		 * neither do we; looping would spin for ever.
		 */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			errx(1, "%s is a symbolic link to a file that does not "
			    "exist; refusing to create a file through it", path);
		stop_if_signalled();
	}
}

/* Describe what stands in our way: F_GETLK, or /proc/locks for flock. */
static const char *
describe_conflict(const struct opts *o, int fd, const char *path,
    short type, char *buf)
{
	struct flock fl;

	if (o->kind == FLOCK)
		return flock_holders(fd, path, buf);
	query(o->kind, fd, path, type, (off_t)o->start, (off_t)o->len, &fl);
	/* Released between the two calls: the next request will tell. */
	if (fl.l_type == F_UNLCK)
		snprintf(buf, TEXT_SIZE, "a lock released a moment ago");
	else
		holder_text(buf, TEXT_SIZE, &fl);
	return buf;
}

/* Run CMD while we hold the lock; its status is ours, as flock(1) does. */
static int
run_command(char **cmd)
{
	pid_t parent = getpid(), pid;
	int status, e;

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("cmd");
		/*
		 * SIGTERM, the polite request, survives execvp: CMD hears
		 * of it if we die, for then the lock it runs under is gone.
		 */
		die_with_parent(parent, SIGTERM);
		/*
		 * The lock's descriptor is close-on-exec: CMD gets none of
		 * it.  An fcntl lock stays this parent's anyway; a flock or
		 * OFD lock would be shared with CMD through the descriptor.
		 */
		say("execvp(\"%s\", ...): the lock's descriptor is "
		    "close-on-exec, so %s does not get it", cmd[0], cmd[0]);
		execvp(cmd[0], cmd);
		e = errno;
		if (e == ENOENT)
			warnx("%s: command not found", cmd[0]);
		else
			warnx("%s: %s", cmd[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	at_exit_stop_child(pid);
	say("fork() -> %ld runs %s while this process holds the lock",
	    (long)pid, cmd[0]);
	status = reap(pid, cmd[0]);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/* Wait for a line, or end of file, on standard input. */
static void
wait_for_enter(void)
{
	ssize_t n;
	char c;

	for (;;) {
		stop_if_signalled();
		n = read(STDIN_FILENO, &c, 1);
		if (n == -1) {
			if (errno != EINTR)
				err(1, "read standard input");
			continue;
		}
		if (n == 0 || c == '\n')
			return;
	}
}

/*
 * lock: take a lock on FILE and hold it while CMD runs, or until Enter.
 * First a request that does not wait: if it fails, find out who is in
 * the way and say so, then wait for real (unless --nowait).
 */
static int
cmd_lock(struct opts *o, int argc, char **argv)
{
	short type = o->shared ? F_RDLCK : F_WRLCK;
	const char *path;
	char range[64], why[TEXT_SIZE];
	struct stat ours, now;
	int fd, rc = 0, e;

	if (argc < 1)
		usage_error("lock needs a FILE");
	if (o->kind == FLOCK && o->range)
		usage_error("--flock locks whole files: --start and --len do "
		    "not apply");
	path = argv[0];
	/* CMD is handed to execvp, which wants the list to end with NULL. */
	argv[argc] = NULL;
	narrate_role("lock");
	fd = open_lock_file(path, o->kind != FLOCK && !o->shared);
	if (o->kind == FLOCK)
		snprintf(range, sizeof(range), "the whole file");
	else
		range_text(range, sizeof(range), o->start, o->len);

	if (request(o->kind, fd, type, (off_t)o->start, (off_t)o->len,
	    0) == 0) {
		say("%s: %s lock on %s -> granted at once",
		    call_name(o->kind, type, 0), lock_word(o->kind, type),
		    range);
	} else {
		if (!is_conflict(e = errno))
			err(1, "%s %s", call_name(o->kind, type, 0), path);
		describe_conflict(o, fd, path, type, why);
		if (o->nowait)
			errx(1, "%s is locked: %s", path, why);
		say("%s -> %s: %s", call_name(o->kind, type, 0),
		    e == EACCES ? "EACCES" : "EAGAIN", why);
		say("%s: waiting until it is released...",
		    call_name(o->kind, type, 1));
		/* Ctrl-Z and fg, or a stray signal, only restart the wait. */
		while (request(o->kind, fd, type, (off_t)o->start,
		    (off_t)o->len, 1) == -1) {
			if (errno != EINTR)
				err(1, "%s %s", call_name(o->kind, type, 1),
				    path);
			stop_if_signalled();
		}
		say("%s -> granted: %s lock on %s", call_name(o->kind, type,
		    1), lock_word(o->kind, type), range);
	}

	/*
	 * A lock belongs to the open file, not to its name.  If FILE was
	 * removed (or replaced) while we waited, we now hold a lock on a
	 * file nobody can open any more: whoever opens FILE from now on
	 * gets another file and another lock, and ours keeps nobody out.
	 */
	if (fstat(fd, &ours) == -1)
		err(1, "fstat %s", path);
	if (stat(path, &now) == -1 ? errno == ENOENT :
	    now.st_dev != ours.st_dev || now.st_ino != ours.st_ino)
		errx(1, "%s was removed or replaced while we waited for its "
		    "lock: the lock we got is on the old file, which nobody "
		    "can open any more, so it would keep nobody out; giving "
		    "it up", path);

	if (argc > 1) {
		rc = run_command(argv + 1);
	} else {
		printf("locked %s: %s lock (%s) on %s\n", path,
		    lock_word(o->kind, type), kind_name[o->kind], range);
		flush_stdout();
		say("holding it; press Enter (or Ctrl-C) to release");
		wait_for_enter();
	}
	/* Exit would release it too; say it aloud instead. */
	if (request(o->kind, fd, F_UNLCK, (off_t)o->start, (off_t)o->len,
	    0) == -1)
		err(1, "unlock %s", path);
	say("%s: released", o->kind == FLOCK ? "flock(LOCK_UN)" :
	    o->kind == OFD ? "fcntl(F_OFD_SETLK, F_UNLCK)" :
	    "fcntl(F_SETLK, F_UNLCK)");
	if (close(fd) == -1)
		err(1, "close %s", path);
	return rc;
}

/* For test --flock: print each flock(2) lock /proc/locks shows. */
static void
print_flock_lock(const struct proc_lock *pl, void *arg)
{
	int *n = arg;

	if (strcmp(pl->class, "FLOCK") != 0)
		return;
	printf("%s %s lock (flock) %s pid %ld\n", pl->waiting ?
	    "waiting:" : "locked:", strcmp(pl->type, "WRITE") == 0 ?
	    "an exclusive" : "a shared", pl->waiting ? "wanted by" :
	    "held by", pl->pid);
	(*n)++;
}

/*
 * test: ask the kernel, without taking anything, whether a lock on the
 * range would be granted and, if not, whose lock is in the way.
 */
static int
cmd_test(struct opts *o, int argc, char **argv)
{
	short type = o->shared ? F_RDLCK : F_WRLCK;
	char range[64], who[TEXT_SIZE];
	const char *path;
	struct flock fl;
	struct stat st;
	int fd, n = 0;

	if (argc != 1)
		usage_error("test takes one FILE");
	if (o->kind == FLOCK && o->range)
		usage_error("--flock locks whole files: --start and --len do "
		    "not apply");
	path = argv[0];
	narrate_role("test");
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (o->kind == FLOCK) {
		/* There is no F_GETLK for flock(2): the kernel's list tells. */
		if (fstat(fd, &st) == -1)
			err(1, "fstat %s", path);
		say("flock(2) has no query call; reading /proc/locks for "
		    "device %02x:%02x inode %lu", major(st.st_dev),
		    minor(st.st_dev), (unsigned long)st.st_ino);
		if (proc_locks(&st, print_flock_lock, &n) == -1)
			err(1, "open /proc/locks");
		if (n == 0)
			printf("unlocked: no flock lock on %s\n", path);
	} else {
		range_text(range, sizeof(range), o->start, o->len);
		query(o->kind, fd, path, type, (off_t)o->start, (off_t)o->len,
		    &fl);
		say("fcntl(%d, %s, %s lock on %s) -> l_type %s", fd,
		    o->kind == OFD ? "F_OFD_GETLK" : "F_GETLK",
		    type_name(type), range, fl.l_type == F_UNLCK ? "F_UNLCK" :
		    fl.l_type == F_WRLCK ? "F_WRLCK" : "F_RDLCK");
		if (fl.l_type == F_UNLCK)
			printf("unlocked: no lock stops a %s lock on %s\n",
			    type_name(type), range);
		else
			printf("locked: %s\n", holder_text(who, sizeof(who),
			    &fl));
	}
	if (close(fd) == -1)
		err(1, "close %s", path);
	return 0;
}

/* compare, in a child: try the lock through FD; the exit status answers. */
static void
compare_try(enum kind kind, int fd, const char *which)
{
	narrate_role("child");
	if (request(kind, fd, F_WRLCK, 0, 0, 0) == 0) {
		say("%s through %s fd %d -> granted; exit 0",
		    call_name(kind, F_WRLCK, 0), which, fd);
		_exit(0);
	}
	if (!is_conflict(errno))
		err(1, "%s", call_name(kind, F_WRLCK, 0));
	say("%s through %s fd %d -> %s: another owner holds it; exit %d",
	    call_name(kind, F_WRLCK, 0), which, fd, kind == FLOCK ?
	    "EWOULDBLOCK" : "EAGAIN", EXIT_HELD);
	_exit(EXIT_HELD);
}

/*
 * compare, one kind: does a child made by fork share the lock, and does
 * the lock survive closing another descriptor of the same file?  Each
 * answer comes from a child that tries to take the lock itself.
 */
static void
compare_kind(enum kind kind, const char *path, int *inherited, int *kept)
{
	int fd, fd2, status;
	pid_t pid;

	narrate_role(kind_name[kind]);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (request(kind, fd, F_WRLCK, 0, 0, 0) == -1)
		err(1, "%s %s", call_name(kind, F_WRLCK, 0), path);
	say("%s on fd %d -> this process holds an %s lock",
	    call_name(kind, F_WRLCK, 0), fd, kind == FLOCK ? "exclusive" :
	    "exclusive (write)");

	/* 1. The child tries a lock through the descriptor it inherited. */
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0)
		compare_try(kind, fd, "the inherited");
	at_exit_stop_child(pid);
	status = reap(pid, "child");
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_HELD)
		*inherited = 0;
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		*inherited = 1;
	else
		require_success(status, "child");
	say("after fork, the child's request through the same descriptor %s",
	    *inherited ? "succeeds: it owns the same lock" :
	    "fails: the lock is its parent's, not its own");

	/* 2. Open the file again, close that new descriptor at once. */
	if ((fd2 = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (close(fd2) == -1)
		err(1, "close %s", path);
	say("open() -> fd %d, close(%d): another descriptor of the file "
	    "came and went", fd2, fd2);
	/* A child that opens the file for itself: can it lock it now? */
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((fd2 = open(path, O_RDWR | O_CLOEXEC)) == -1)
			err(1, "open %s", path);
		compare_try(kind, fd2, "its own");
	}
	at_exit_stop_child(pid);
	status = reap(pid, "child");
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_HELD)
		*kept = 1;
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		*kept = 0;
	else
		require_success(status, "child");
	say("a new process %s the lock: %s", *kept ? "cannot take" : "takes",
	    *kept ? "it is still held" : "the close() dropped it");
	if (close(fd) == -1)
		err(1, "close %s", path);
}

/*
 * compare: the three kinds side by side, each put through the same two
 * questions.  The table is what this kernel did, not what a book says.
 */
static int
cmd_compare(struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX];
	int fd, inherited[3], kept[3];
	enum kind k;

	(void)o;
	(void)argv;
	if (argc > 0)
		usage_error("compare takes no arguments");
	fd = private_file(path, sizeof(path), "compare", 0);
	if (close(fd) == -1)
		err(1, "close %s", path);
	for (k = FCNTL; k <= FLOCK; k++)
		compare_kind(k, path, &inherited[k], &kept[k]);
	printf("%-7s %-24s %s\n", "lock", "child after fork",
	    "after closing another fd");
	for (k = FCNTL; k <= FLOCK; k++)
		printf("%-7s %-24s %s\n", kind_name[k], inherited[k] ?
		    "shares the lock" : "does not hold it", kept[k] ?
		    "still held" : "released");
	return 0;
}

/* For proc_locks: is a request waiting on this file? */
static void
count_waiting(const struct proc_lock *pl, void *arg)
{
	if (pl->waiting)
		(*(int *)arg)++;
}

/* deadlock: the child's side.  Hold byte 1, then want byte 0. */
static void
deadlock_child(const struct opts *o, const char *path)
{
	int fd;

	narrate_role("child");
	/* Its own open: an OFD lock belongs to the open file description. */
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (request(o->kind, fd, F_WRLCK, 1, 1, 0) == -1)
		err(1, "lock byte 1");
	say("%s: byte 1 -> granted", call_name(o->kind, F_WRLCK, 0));
	say("%s: byte 0, which the parent holds: waiting...",
	    call_name(o->kind, F_WRLCK, 1));
	while (request(o->kind, fd, F_WRLCK, 0, 1, 1) == -1) {
		if (errno == EDEADLK) {
			say("-> EDEADLK: the kernel refuses to let this wait "
			    "close a circle; exiting releases byte 1");
			_exit(EXIT_DEADLOCK);
		}
		if (errno != EINTR)
			err(1, "lock byte 0");
		stop_if_signalled();
	}
	say("-> granted: the child holds bytes 0 and 1, and lets go of both");
	_exit(0);
}

/*
 * deadlock: two processes, two byte ranges, taken in opposite order.
 * Each holds what the other wants.  For fcntl locks the kernel follows
 * the chain of waiters, sees the circle, and fails the request that
 * would close it with EDEADLK.  OFD locks have no owning process to
 * follow: with --ofd both wait until our timer gives up.
 */
static int
cmd_deadlock(struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX], ms[32], who[TEXT_SIZE];
	struct itimerval it;
	struct sigaction sa;
	struct flock fl;
	struct stat st;
	int fd, status, waiting = 0, i, deadlock = 0;
	pid_t pid;

	(void)argv;
	if (argc > 0)
		usage_error("deadlock takes no arguments");
	if (o->kind == FLOCK)
		usage_error("deadlock locks two byte ranges, and flock(2) "
		    "locks whole files; use the default or --ofd");
	narrate_role("parent");
	fd = private_file(path, sizeof(path), "deadlock", 0);
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if (request(o->kind, fd, F_WRLCK, 0, 1, 0) == -1)
		err(1, "lock byte 0");
	say("%s: byte 0 -> granted", call_name(o->kind, F_WRLCK, 0));

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		/* Its copy of fd goes first: it holds no lock yet to lose. */
		if (close(fd) == -1)
			err(1, "close");
		deadlock_child(o, path);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld; %s", (long)pid, o->kind == OFD ?
	    "it opens the file for itself: sharing our open file "
	    "description would mean sharing our lock" :
	    "it does not inherit our lock on byte 0");

	/* Wait (bounded) until the child holds byte 1: F_GETLK tells. */
	for (i = 0;; i++) {
		stop_if_signalled();
		query(o->kind, fd, path, F_WRLCK, 1, 1, &fl);
		if (fl.l_type != F_UNLCK)
			break;
		if (i == 500)
			errx(1, "the child never took byte 1");
		nap(10000);
	}
	say("%s on byte 1 -> %s", o->kind == OFD ? "F_OFD_GETLK" : "F_GETLK",
	    holder_text(who, sizeof(who), &fl));

	/* And until its request for byte 0 waits: /proc/locks shows "->". */
	for (i = 0; i < 200; i++) {
		stop_if_signalled();
		waiting = 0;
		if (proc_locks(&st, count_waiting, &waiting) == -1) {
			nap(200000);
			break;
		}
		if (waiting > 0)
			break;
		nap(10000);
	}
	if (waiting > 0) {
		say("/proc/locks now shows both locks and the child's wait:");
		(void)proc_locks(&st, say_proc_lock, NULL);
	}

	/* Our wait would close the circle.  A timer bounds it. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) == -1)
		err(1, "sigaction SIGALRM");
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)o->timeout;
	it.it_value.tv_usec = (suseconds_t)((o->timeout -
	    (double)(time_t)o->timeout) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	/*
	 * Then again every 50 ms: an alarm that comes just before the call
	 * starts to wait interrupts nothing, and the next one must.
	 */
	it.it_interval.tv_usec = 50000;
	if (setitimer(ITIMER_REAL, &it, NULL) == -1)
		err(1, "setitimer");
	say("%s: byte 1, which the child holds while it waits for ours...",
	    call_name(o->kind, F_WRLCK, 1));
	while (request(o->kind, fd, F_WRLCK, 1, 1, 1) == -1) {
		if (errno == EDEADLK) {
			deadlock = 1;
			break;
		}
		if (errno != EINTR)
			err(1, "lock byte 1");
		stop_if_signalled();
		if (timer_rang)
			break;
	}
	memset(&it, 0, sizeof(it));
	if (setitimer(ITIMER_REAL, &it, NULL) == -1)
		err(1, "setitimer");

	snprintf(ms, sizeof(ms), "%g second%s", o->timeout,
	    o->timeout == 1 ? "" : "s");
	if (deadlock) {
		say("-> EDEADLK (%s): waiting would never end",
		    strerror(EDEADLK));
		printf("parent %ld holds byte 0 and wants byte 1; child %ld "
		    "holds byte 1 and wants byte 0\n", (long)getpid(),
		    (long)pid);
		printf("the kernel refused the parent's F_SETLKW with EDEADLK "
		    "(%s)\n", strerror(EDEADLK));
	} else if (timer_rang) {
		say("-> still waiting after %s; giving up", ms);
		if (o->kind != OFD)
			errx(1, "no EDEADLK after %s", ms);
		printf("no EDEADLK after %s: the kernel does not look for "
		    "deadlocks among OFD locks, which belong to no process\n",
		    ms);
		printf("the parent stopped waiting and let go of byte 0; "
		    "without the timer both would wait for ever\n");
	}
	/* Give up byte 0: the child's wait ends (if it still waits). */
	if (request(o->kind, fd, F_UNLCK, 0, 0, 0) == -1)
		err(1, "unlock");
	say("released everything; the child can go on");
	status = reap(pid, "child");
	if (!deadlock && !timer_rang) {
		/* Ours was granted: the child's wait was the one refused. */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_DEADLOCK)
			require_success(status, "child");
		if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_DEADLOCK) {
			printf("parent %ld holds byte 0 and wants byte 1; "
			    "child %ld holds byte 1 and wants byte 0\n",
			    (long)getpid(), (long)pid);
			printf("the kernel refused the child's F_SETLKW with "
			    "EDEADLK (%s)\n", strerror(EDEADLK));
		} else {
			errx(1, "both processes got both locks: there was no "
			    "deadlock to see");
		}
	} else {
		require_success(status, "child");
	}
	if (close(fd) == -1)
		err(1, "close");
	return 0;
}

/* Take (waiting if need be) or give back a lock; EINTR only retries. */
static void
must(enum kind kind, int fd, short type, off_t start, off_t len)
{
	while (request(kind, fd, type, start, len, 1) == -1) {
		if (errno != EINTR)
			err(1, "%s", call_name(kind, type, 1));
		stop_if_signalled();
	}
}

/* N lock+unlock pairs on the whole file. */
static void
pairs(enum kind kind, int fd, long long n)
{
	long long i;

	for (i = 0; i < n; i++) {
		stop_if_signalled();
		must(kind, fd, F_WRLCK, 0, 0);
		must(kind, fd, F_UNLCK, 0, 0);
	}
}

/* bench, throughput: lock and unlock, over and over, nobody in the way. */
static void
bench_pairs(const struct opts *o, struct bench *b, const char *path)
{
	double t0, t1;
	int fd;

	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	pin_to_cpu(b->cpu[0]);
	pairs(o->kind, fd, b->warmup);
	t0 = now();
	pairs(o->kind, fd, b->count);
	t1 = now();
	if (close(fd) == -1)
		err(1, "close");
	bench_report_throughput(b, t1 - t0, NULL);
}

/*
 * One process's three locks for the hand-off: bytes 0, 1 and 2 of one
 * file, or, since flock(2) cannot lock part of a file, three files.
 */
static void
open_three(enum kind kind, char paths[3][PATH_MAX], int fd[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		if (kind != FLOCK && i > 0) {
			fd[i] = fd[0];
			continue;
		}
		if ((fd[i] = open(paths[i], O_RDWR | O_CLOEXEC)) == -1)
			err(1, "open %s", paths[i]);
	}
}

/* Take (waiting) or give back lock I of the three. */
static void
handoff(enum kind kind, int fd[3], int i, short type)
{
	stop_if_signalled();
	must(kind, fd[i], type, kind == FLOCK ? 0 : i, kind == FLOCK ? 0 : 1);
}

/*
 * bench --latency: a lock handed back and forth.  One lock alone cannot
 * do it (whoever lets go may take it straight back), three can: each
 * side holds two, lets one go (which wakes the other) and waits for the
 * one the other holds.  Parent step k gives back lock k%3 and waits for
 * (k+2)%3; the child, after taking 0, gives back (k+2)%3 and waits for
 * (k+1)%3.  Every wait ends with the other side's release: one step of
 * the parent is one round trip.
 */
static void
bench_handoff(const struct opts *o, struct bench *b, char paths[3][PATH_MAX])
{
	long long k, total = b->warmup + b->count;
	int fd[3], ready[2];
	double *rtt, t0;
	char c = 'r';
	ssize_t n;
	pid_t parent = getpid(), pid;

	open_three(o->kind, paths, fd);
	handoff(o->kind, fd, 0, F_WRLCK);
	handoff(o->kind, fd, 1, F_WRLCK);
	/* A byte says "the child holds lock 2"; the timing uses locks only. */
	if (pipe(ready) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		die_with_parent(parent, SIGKILL);
		pin_to_cpu(b->cpu[1]);
		/* Drop the parent's descriptors: this side opens its own. */
		if (close(fd[0]) == -1 || (o->kind == FLOCK &&
		    (close(fd[1]) == -1 || close(fd[2]) == -1)))
			err(1, "close");
		open_three(o->kind, paths, fd);
		if (request(o->kind, fd[2], F_WRLCK, 2, 1, 0) == -1)
			err(1, "take lock 2");
		while ((n = write(ready[1], &c, 1)) == -1 && errno == EINTR)
			stop_if_signalled();
		if (n != 1)
			err(1, "write");
		if (close(ready[0]) == -1 || close(ready[1]) == -1)
			err(1, "close");
		handoff(o->kind, fd, 0, F_WRLCK);
		for (k = 0; k < total - 1; k++) {
			handoff(o->kind, fd, (int)((k + 2) % 3), F_UNLCK);
			handoff(o->kind, fd, (int)((k + 1) % 3), F_WRLCK);
		}
		handoff(o->kind, fd, (int)((k + 2) % 3), F_UNLCK);
		_exit(0);
	}
	at_exit_stop_child(pid);
	pin_to_cpu(b->cpu[0]);
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	if (close(ready[1]) == -1)
		err(1, "close");
	while ((n = read(ready[0], &c, 1)) == -1 && errno == EINTR)
		stop_if_signalled();
	if (n != 1)
		errx(1, "the child could not take its lock");
	if (close(ready[0]) == -1)
		err(1, "close");
	for (k = 0; k < total; k++) {
		t0 = now();
		handoff(o->kind, fd, (int)(k % 3), F_UNLCK);
		handoff(o->kind, fd, (int)((k + 2) % 3), F_WRLCK);
		if (k >= b->warmup)
			rtt[k - b->warmup] = now() - t0;
	}
	require_success(reap(pid, "child"), "child");
	if (close(fd[0]) == -1 || (o->kind == FLOCK &&
	    (close(fd[1]) == -1 || close(fd[2]) == -1)))
		err(1, "close");
	bench_report_latency(b, rtt, (size_t)b->count, NULL);
	free(rtt);
}

/* bench: what a lock costs; one key=value line on stdout. */
static int
cmd_bench(struct opts *o, int argc, char **argv)
{
	static const char *const mechanism[] = {
		"flock-fcntl", "flock-ofd", "flock-flock"
	};
	char paths[3][PATH_MAX], what[32];
	struct bench b;
	int i, fd;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	/* Without --latency, one process does all the work: one CPU. */
	if (!o->latency && o->cpu[0] != o->cpu[1])
		usage_error("--cpu A,B pins two processes, and only bench "
		    "--latency has two; use --cpu A,A");
	/* A lock carries no data: size 0; a "message" is one lock+unlock. */
	bench_setup(&b, mechanism[o->kind], BENCH_NO_DATA, o->count,
	    o->latency, o->cpu);
	for (i = 0; i < (o->kind == FLOCK && o->latency ? 3 : 1); i++) {
		snprintf(what, sizeof(what), "bench%d", i);
		fd = private_file(paths[i], sizeof(paths[i]), what, 0);
		if (close(fd) == -1)
			err(1, "close %s", paths[i]);
	}
	say("%s, %lld %s after %lld to warm up", kind_name[o->kind], b.count,
	    b.latency ? "hand-offs between two processes" :
	    "lock+unlock pairs in one process", b.warmup);
	if (b.latency)
		bench_handoff(o, &b, paths);
	else
		bench_pairs(o, &b, paths[0]);
	return 0;
}

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'B':
		o->start = parse_count("--start", arg, 0, OFFSET_LIMIT);
		o->range = 1;
		break;
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'E':
		o->len = parse_count("--len", arg, 0, OFFSET_LIMIT);
		o->range = 1;
		break;
	case 'F':
		if (o->kind == OFD)
			usage_error("--flock and --ofd exclude each other");
		o->kind = FLOCK;
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'N':
		o->no_lock = 1;
		break;
	case 'O':
		if (o->kind == FLOCK)
			usage_error("--flock and --ofd exclude each other");
		o->kind = OFD;
		break;
	case 'S':
		o->shared = 1;
		break;
	case 'W':
		o->nowait = 1;
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 't':
		o->timeout = parse_seconds("-t", arg, 0.001, 3600);
		break;
	}
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "Nn", "[-n COUNT] [--no-lock]",
	  "a producer appends to a file, a consumer empties it, locked" },
	{ "lock", cmd_lock, "BEFOSW",
	  "FILE [--shared] [--nowait] [--start N --len N] [--flock | --ofd] "
	  "[-- CMD...]",
	  "hold a lock while CMD runs (or until Enter)" },
	{ "test", cmd_test, "BEFOS",
	  "FILE [--start N --len N] [--shared] [--flock | --ofd]",
	  "who holds a lock that would conflict (F_GETLK)" },
	{ "compare", cmd_compare, "", "",
	  "fcntl, OFD and flock locks after fork and close" },
	{ "deadlock", cmd_deadlock, "Ot", "[--ofd] [-t S]",
	  "two processes, two ranges, opposite order: EDEADLK" },
	{ "bench", cmd_bench, "CFLOn",
	  "[-n N] [--latency] [--cpu A,B] [--flock | --ofd]",
	  "lock+unlock pairs per second, or a lock handed back and forth" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_help option_help[] = {
	{ 'B', "--start N", "lock, test: the first byte of the range (0)" },
	{ 'C', "--cpu A,B", "bench: pin the two processes to CPUs A and B" },
	{ 'E', "--len N", "lock, test: bytes in the range; 0 is to EOF (0)" },
	{ 'F', "--flock", "use flock(2) locks, as flock(1) does" },
	{ 'L', "--latency", "bench: hand a lock between two processes" },
	{ 'N', "--no-lock", "demo: no lock at all, to see the damage" },
	{ 'O', "--ofd", "use open file description locks (F_OFD_*)" },
	{ 'S', "--shared", "lock, test: a read (shared) lock" },
	{ 'W', "--nowait", "lock: fail at once (exit 1) if it is held" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'n', "-n, --count N", "demo: numbers (1000); bench: repetitions" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 't', "-t, --timeout S", "deadlock: seconds to wait (1)" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "flock", no_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ "latency", no_argument, NULL, 'L' },
	{ "len", required_argument, NULL, 'E' },
	{ "no-lock", no_argument, NULL, 'N' },
	{ "nowait", no_argument, NULL, 'W' },
	{ "ofd", no_argument, NULL, 'O' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "shared", no_argument, NULL, 'S' },
	{ "start", required_argument, NULL, 'B' },
	{ "timeout", required_argument, NULL, 't' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"File locks: fcntl record locks, OFD locks and flock(2), one "
	"experiment at a time.",
	"hn:qt:", longopts, commands, option_help, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.kind = FCNTL;
	o.timeout = 1;
	o.cpu[0] = o.cpu[1] = -1;
	return run_program(&program, &o, argc, argv);
}
