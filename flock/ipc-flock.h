/*
 * ipc-flock.h - what the files of ipc-flock share, and nothing more: the
 * options, the three lock kinds, the commands, and the plumbing the
 * lessons call (kinds.c, proclocks.c, files.c, pause.c, tally.c).
 */
#ifndef IPC_FLOCK_H
#define IPC_FLOCK_H

#include <sys/types.h>

#include <fcntl.h>
#include <stddef.h>

/* The three kinds of lock, in the order the page teaches them. */
enum kind { FCNTL, OFD, FLOCK };

/* "fcntl", "ofd", "flock": indexed by enum kind. */
extern const char *const kind_name[];

/* The options; a value an option cannot take marks one not given. */
struct opts {
	long long	 count;		/* demo: numbers; bench: repetitions
					 * (0: not given) */
	int		 no_lock;	/* demo: leave the lock out */
	int		 shared;	/* lock, test: a read (shared) lock */
	int		 nowait;	/* lock: fail at once if held */
	long long	 start;		/* lock, test: first byte (-1: not
					 * given, 0) */
	long long	 len;		/* lock, test: bytes, 0 to EOF (-1: not
					 * given, 0) */
	enum kind	 kind;		/* --flock, --ofd or the default */
	double		 timeout;	/* deadlock: how long to wait (1) */
	int		 latency;	/* bench: hand a lock back and forth */
	int		 cpu[2];	/* bench: CPUs of the two processes
					 * (-1: not given) */
};

/* Room for a sentence about a lock and its holder. */
#define TEXT_SIZE	320

/* The commands, each in the file that teaches it. */
int	cmd_demo(struct opts *, int, char **);		/* demo.c */
int	cmd_lock(struct opts *, int, char **);		/* lock.c */
int	cmd_test(struct opts *, int, char **);		/* lock.c */
int	cmd_compare(struct opts *, int, char **);	/* compare.c */
int	cmd_deadlock(struct opts *, int, char **);	/* deadlock.c */
int	cmd_bench(struct opts *, int, char **);		/* bench.c */

/* The three kinds (kinds.c) --------------------------------------------- */

/*
 * Ask for (or give back, with F_UNLCK) one lock of KIND: the same request
 * in the three dialects.  WAIT picks the call that sleeps until the lock
 * is free.  Returns what the system call returned: 0, or -1 with errno.
 */
int	request(enum kind kind, int fd, short type, off_t start, off_t len,
	    int wait);
/* The errors a non-blocking request gives when someone else holds it. */
int	is_conflict(int e);
/* The call a request makes, for narration: "fcntl(F_SETLKW)" ... */
const char *call_name(enum kind kind, short type, int wait);
/*
 * F_GETLK (or F_OFD_GETLK): which lock would stop a TYPE lock on this
 * range?  The kernel fills in FL; l_type F_UNLCK means none would.
 */
void	query(enum kind kind, int fd, const char *what, short type,
	    off_t start, off_t len, struct flock *fl);
/* "write", "read" or "no". */
const char *type_name(short type);
/* The word KIND uses: exclusive and shared for flock(2). */
const char *lock_word(enum kind kind, short type);
/* "bytes 0 to EOF", "bytes 10 to 19", "byte 1", as struct flock counts. */
const char *range_text(char *buf, size_t size, long long start,
	    long long len);
/* Who holds the lock F_GETLK found: a process, or an open file description. */
const char *holder_text(char *buf, size_t size, const struct flock *fl);

/* /proc/locks (proclocks.c) ---------------------------------------------- */

/* One line of /proc/locks, cut into its fields. */
struct proc_lock {
	int		 waiting;	/* "->": a request still waiting */
	char		 class[16];	/* POSIX, OFDLCK, FLOCK, LEASE... */
	char		 type[16];	/* READ, WRITE */
	long		 pid;		/* -1 for an OFD lock */
	char		 start[24];
	char		 end[24];	/* a number, or EOF */
};

struct stat;

/*
 * fstat(2) FD (opened from PATH), with st_dev the device /proc/locks
 * names the file by: its file system's, which on btrfs is not st_dev.
 */
void	stat_for_proc_locks(int fd, const char *path, struct stat *st);
/*
 * Call FN for each line of /proc/locks about the file ST (from
 * stat_for_proc_locks); returns how many there were, or -1 if
 * /proc/locks cannot be read.
 */
int	proc_locks(const struct stat *st,
	    void (*fn)(const struct proc_lock *, void *), void *arg);
/* For proc_locks: narrate a line, rebuilt from its fields. */
void	say_proc_lock(const struct proc_lock *pl, void *arg);
/* Who holds a flock(2) lock on FD, from /proc/locks, in LIST (TEXT_SIZE). */
const char *flock_holders(int fd, const char *path, char *list);

/* Files (files.c) --------------------------------------------------------- */

/*
 * A private file "flock-WHAT-PID" in the run directory, made with O_EXCL
 * and removed however we end; FLAGS adds to O_RDWR.  The first call also
 * removes what killed runs left behind.
 */
int	private_file(char *path, size_t size, const char *what, int flags);
/*
 * Exit 1 if PATH is a FIFO, a socket or a device: no file to lock, and a
 * trap to open.  A missing PATH passes: open() will say.
 */
void	require_lockable(const char *path);
/*
 * Open FILE for a lock (for writing if WRITING), creating it if missing,
 * after require_lockable().
 */
int	open_lock_file(const char *path, int writing);
/*
 * Exit 1: CALL (call_name's) on PATH failed, not for a conflict; says why
 * when that needs words (EBADF from flock(2) on NFS).
 */
void	lock_failed(enum kind kind, short type, const char *call,
	    const char *path) __attribute__((noreturn));
/* Read the whole file with pread(2) into *BUF (grown as need be). */
size_t	read_whole(int fd, char **buf, size_t *cap);

/* Pauses (pause.c) -------------------------------------------------------- */

/* Sleep for USEC microseconds, cut short only by a termination signal. */
void	nap(long usec);
/* Wait for a line, or end of file, on standard input. */
void	wait_for_enter(void);

/* The demo's bookkeeping (tally.c) ---------------------------------------- */

/* What the demo's consumer found, turn after turn. */
struct tally {
	long long	 count;		/* numbers the producer makes */
	unsigned char	*seen;		/* seen[v - 1]: number v arrived */
	long long	 consumed;	/* numbers read, duplicates too */
	long long	 dups, garbled;	/* read twice; torn lines */
	long long	 turns;		/* batches read and emptied */
	long long	 empty;		/* turns that found nothing */
	long long	 most, least;	/* a batch's numbers; least -1: none */
	char		*buf;		/* the file, read whole */
	size_t		 cap;
};

/* How many turns of each side the demo narrates before it goes quiet. */
#define NARRATED	3

/* How many numbers demo makes (-n, or 1000); usage errors end it. */
long long	demo_count(const struct opts *o, int argc, char **argv);
/* Start counting for COUNT numbers. */
void	tally_start(struct tally *t, long long count);
/*
 * Tally a turn of the consumer, which read LEN bytes into t->buf (LAST:
 * the producer is gone): *GOT is the numbers in them.  Returns whether
 * the demo narrates this turn.
 */
int	tally_turn(struct tally *t, size_t len, int last, size_t *got);
/* Say, once, that the consumer (or the producer) goes on unnarrated. */
void	consumer_goes_quiet(const struct tally *t, size_t len, int last);
void	producer_goes_quiet(long long i, long long count);
/* say() if TELL: the demo narrates only a few turns of each side. */
void	say_if(int tell, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The closing lines on stdout and the verdict: the exit status. */
int	tally_report(const struct opts *o, struct tally *t);

#endif /* IPC_FLOCK_H */
