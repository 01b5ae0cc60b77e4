/*
 * ipclab.h - the plumbing every ipclab program shares.
 *
 * Nothing here makes an IPC system call: pipe(), fork(), msgsnd(), mmap()
 * and their friends stay in the programs, where the student reads them.
 * This is only what nine programs would otherwise each write again:
 * narration, argument parsing, per-user names, cleanup on signals, and
 * bench timing and output.
 */
#ifndef IPCLAB_H
#define IPCLAB_H

#include <sys/types.h>

#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Narration (narrate.c) ------------------------------------------------ */

/* Set this process's role ("parent", "child", "writer 2") for narration. */
void	narrate_role(const char *role);
/* Turn narration off (-q) or on. */
void	narrate_quiet(int quiet);
/*
 * Start the narration's clock, and make stdout line-buffered so that
 * results and narration keep their order in a pipe or a file too.  Call
 * it first thing in main(); children inherit the clock through fork().
 */
void	narrate_start(void);
/* --timestamps: begin each line with the seconds since narrate_start(). */
void	narrate_timestamps(int on);
/*
 * One line "[role pid] ..." on stderr, unless quiet; one write(2), after
 * whatever stdout holds.
 */
void	say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Say "fork(): making WHO..." just before a fork(): a child may run,
 * and speak, before fork() returns in its parent, so this line is the one
 * that comes first in every run.  WHO is a printf format: "the child".
 */
void	say_fork(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Usage errors (usage.c) ------------------------------------------------ */

/* "PROG: message" and "Try 'PROG --help'..." on stderr; exit 2. */
void	usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/*
 * The usage error for getopt's ':' (no argument) or '?' (unknown); exit 2.
 * AT: optind before that getopt call; NARGS: the operands so far (-1: the
 * program takes no dashed arguments).  An argument-like word gets the
 * hint of "--".
 */
void	bad_option(int ch, char **argv, int at, int nargs)
	    __attribute__((noreturn));
/* "PROG (ipclab) VERSION" on stdout; exit 0. */
void	print_version(void) __attribute__((noreturn));
/* Flush stdout now; exit 1 with a message if writing it failed. */
void	flush_stdout(void);

/* The command line (command.c) ---------------------------------------- */

/*
 * Every program is "PROG [OPTION...] COMMAND [ARG...]", with options
 * anywhere (GNU order, even under POSIXLY_CORRECT) and "--" ending them.
 * Each program defines its own struct opts; this file only passes it on.
 */
struct opts;

struct command {
	const char	*name;
	int		(*run)(struct opts *, int argc, char **argv);
	const char	*opts;		/* option characters it takes */
	const char	*args;		/* "[MESSAGE]": the synopsis after the name */
	const char	*summary;	/* one line */
};

/*
 * One option, said once: getopt's string, its long options and the help
 * text are all made from this.  { 's', 1, "size", "SIZE", "..." } is
 * "-s, --size SIZE"; { 'C', 0, "cpu", "A,B", ... } is "--cpu A,B" alone
 * (VAL is then only the code set() gets); a NULL NAME has no long form.
 * A table is sorted by VAL, as --help lists it, and ends with VAL 0.
 */
struct option_def {
	int		 val;		/* the letter; what set() gets */
	int		 has_short;	/* 1: -VAL works too */
	const char	*name;		/* the long name, or NULL */
	const char	*arg;		/* the argument's word, or NULL: none */
	const char	*text;		/* what it does */
};

#define OPT_VERSION	0x100		/* --version has no short form */
/* Hidden, for the bash completion: the words a command line may take. */
#define OPT_LIST_COMMANDS 0x101		/* --list-commands */
#define OPT_LIST_OPTIONS  0x102		/* --list-options [COMMAND] */
#define OPT_TIMESTAMPS	0x103		/* --timestamps, every program's */

struct program {
	const char			*summary;	/* what it teaches */
	const struct command		*commands;	/* ends with name NULL */
	const struct option_def		*options;	/* -h, -q, --version
							   are lib's own */
	/* Set one option's value in OPTS; called in command-line order. */
	void				(*set)(struct opts *, int c,
					    const char *arg);
};

/*
 * -q, --timestamps, --version: what every program's getopt loop hands
 * here; 1 if CH was one of them (--version exits).
 */
int	common_option(int ch);
/* Parse, dispatch, run the command; returns its exit status. */
int	run_program(const struct program *p, struct opts *o, int argc,
	    char **argv);

/* Strict parsing (parse.c): junk, overflow and range are usage errors. ---- */

/* A whole number in [min, max]; WHAT names the option in the error. */
long long	parse_count(const char *what, const char *s, long long min,
		    long long max);
/* A size in bytes with an optional K, M or G suffix (powers of 1024). */
size_t	parse_size(const char *what, const char *s, size_t min, size_t max);
/* A duration in seconds, decimals allowed ("0.5"), in [min, max]. */
double	parse_seconds(const char *what, const char *s, double min, double max);
/* A signal: "USR1", "SIGUSR1", "10", "RTMIN+2". */
int	parse_signal(const char *what, const char *s);
/* The signal's name ("SIGUSR1", "SIGRTMIN+2"), or "signal N". */
const char *signal_name(int sig, char *buf, size_t len);
/* A System V key: decimal or 0x hex, 1 to 0xffffffff. */
key_t	parse_key(const char *what, const char *s);
/* A POSIX IPC name: one leading '/', no other '/', not too long. */
const char *parse_posix_name(const char *what, const char *s);
/* -P PROJ for ftok(3): one character such as q, or a number 1 to 255. */
int	parse_proj(const char *s);
/* An octal file mode such as 600 or 0640; no set-id or sticky bits. */
mode_t	parse_mode(const char *what, const char *s);
/* "A,B": two CPU numbers for bench pinning. */
void	parse_cpu_pair(const char *what, const char *s, int cpu[2]);

/* Names (names.c): every user gets their own. ----------------------------- */

/*
 * The private run directory ${XDG_RUNTIME_DIR:-/tmp}/ipclab-UID, made
 * with mode 0700 when missing; refused (exit 1) if it is a symlink, not a
 * directory, or not ours.  Returns a static string.
 */
const char *rundir(void);
/* PATH inside the run directory, in BUF. */
const char *rundir_path(char *buf, size_t len, const char *leaf);
/* The default POSIX name "/ipclab-UID-WHAT", in BUF. */
const char *default_posix_name(char *buf, size_t len, const char *what);
/* A pid-unique POSIX name "/ipclab-UID-WHAT-PID", in BUF. */
const char *private_posix_name(char *buf, size_t len, const char *what);
/* Exit 1 unless UID, the owner of WHAT under our default KIND, is us. */
void	require_own_default(long uid, const char *what, const char *kind,
	    const char *info, const char *other);

/* UID's login name in BUF, or NULL if it has none (or it does not fit). */
const char *user_name(uid_t uid, char *buf, size_t len);

/* What kind of file MODE is ("a directory"), for a refusal to name it. */
const char *file_kind(mode_t mode);

/* The number in a /proc file such as /proc/sys/fs/pipe-max-size, or -1. */
long long	proc_limit(const char *path);
/*
 * fork() returned -1: "fork: strerror" and exit 1; for EAGAIN, which
 * limit on processes was reached (ulimit -u, RLIMIT_NPROC, most often).
 */
void		fork_failed(void) __attribute__((noreturn));
/* In a child after fork(): get SIG when the parent dies (prctl). */
void		die_with_parent(pid_t parent, int sig);
/*
 * Catch SIG with HANDLER and no SA_RESTART, so that a blocking call it
 * arrives in returns EINTR: how a timer or SIGCHLD ends a wait.
 */
void		interrupt_with(int sig, void (*handler)(int));

/* Cleanup (cleanup.c) ------------------------------------------------- */

/*
 * Catch SIGINT, SIGTERM and SIGHUP: the handler only records which one
 * came, in ipclab_signal.  A blocked call then fails with EINTR; a busy
 * loop never blocks, so every loop calls stop_if_signalled() once a turn
 * (one load and a branch), which cleans up and dies of that signal.
 */
void	catch_termination(void);
/*
 * In a child about to exec a command: SIGHUP, SIGINT and SIGTERM back at
 * their default action (the ignored ones stay so), so that none that
 * comes before the exec is noted and then forgotten; one that came
 * already ends the child now.  Exits 126, as a shell, if sigaction fails.
 */
void	uncatch_termination(void);
extern volatile sig_atomic_t ipclab_signal;
/* Run the cleanup and die of the signal that came. */
void	stop_now(void) __attribute__((noreturn));

static inline void
stop_if_signalled(void)
{
	if (ipclab_signal != 0)
		stop_now();
}

/*
 * Registering is not doing: each at_exit_* only writes down what to do
 * later, at exit and on a termination signal, in the process that said it.
 */
/* Remove PATH (unlink) then... */
void	at_exit_unlink(const char *path);
/* ...unless the program unlinked it itself: forget it. */
void	at_exit_forget_unlink(const char *path);
/* Call FN(ARG) then. */
void	at_exit_call(void (*fn)(void *), void *arg);
/* Stop child PID then (SIGTERM, SIGKILL after a second) and reap it... */
void	at_exit_stop_child(pid_t pid);
/* ...unless the program reaped it itself: forget it. */
void	at_exit_forget_child(pid_t pid);
/* Do all that was registered now, once, newest first. */
void	cleanup_run(void);

/* Describe a wait status: "exited with status 0", "killed by SIGPIPE". */
const char *describe_status(int status, char *buf, size_t len);
/*
 * After the program's own waitpid(PID) returned STATUS: forget PID in the
 * at-exit list, narrate "waitpid(PID) -> the WHO exited with status 0"
 * and return STATUS.  A termination signal that came meanwhile (Ctrl-C
 * reaches the child too) stops us here: that, not the child's death, is
 * the news.
 */
int	child_reaped(pid_t pid, const char *who, int status);
/*
 * The same for a command a program ran (connect2's, ipc-flock's):
 * "waitpid(PID) -> ls exited with status 0"; returns $? as a shell has it.
 */
int	command_reaped(pid_t pid, const char *name, int status);
/*
 * In a child whose execvp(NAME) returned: "NAME: command not found" and
 * _exit(127), or "NAME: strerror" and _exit(126), as a shell says it.
 */
void	execvp_failed(const char *name) __attribute__((noreturn));
/* A wait status as a shell's $? shows it: the exit status, or 128+N. */
int	shell_status(int status);
/*
 * Exit 1 unless STATUS is exit 0: with "the WHO was killed by ..." or
 * "the WHO exited with status N", but silently after exit status 1, with
 * which our children end once they have said what failed.
 */
void	require_success(int status, const char *who);

/* I/O loops (io.c): the plumbing around read(2) and write(2). ----------- */

/* Write all LEN bytes; 0, or -1 with errno set.  EINTR is retried. */
int	write_all(int fd, const void *buf, size_t len);
/*
 * write_all for a socket: send(2) with MSG_NOSIGNAL, so a peer that has
 * gone gives EPIPE, not SIGPIPE.
 */
int	send_all(int fd, const void *buf, size_t len);
/*
 * Read until LEN bytes arrived or end of file: returns the bytes read
 * (less than LEN only at end of file), or -1 with errno set.
 */
ssize_t	read_full(int fd, void *buf, size_t len);
/*
 * One line into BUF, without its newline, NUL-terminated (a longer line
 * is cut to SIZE - 1 bytes).  Returns its length, or -1 at end of file
 * before any byte; exit 1 when read() fails.
 */
ssize_t	read_line(int fd, char *buf, size_t size);
/*
 * Read and drop BYTES bytes, at most SIZE per read(), as a receiver that
 * handles one message at a time would.  -1 on an early end of file;
 * exit 1 when read() fails.
 */
int	drain(int fd, char *buf, size_t size, unsigned long long bytes);
/*
 * After a failed call in a retry loop: if errno is EINTR, stop now if a
 * termination signal came, else return so the loop calls again; any
 * other errno ends the program: err(1, FMT, ...).
 *	while (waitpid(pid, &status, 0) == -1)
 *		retry_if_eintr("waitpid %ld", (long)pid);
 */
void	retry_if_eintr(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* Kernel objects (sysv.c): what msgq, shm and sem print alike. ---------- */

/* A kernel time as "2026-11-23 10:45:00", or "never" for 0. */
const char *format_time(time_t t, char *buf, size_t len);

/* Bench support (bench.c) ----------------------------------------------- */

struct bench {
	const char	*mechanism;	/* "pipe", "fifo", "msgq-sysv" ... */
	size_t		 size;		/* payload bytes per message */
	long long	 count;		/* messages (or round trips) timed */
	long long	 warmup;	/* untimed messages before them */
	size_t		 chunk;		/* largest single transfer, if < size */
	int		 cpu[2];	/* sender, receiver; -1 when unpinned */
	int		 latency;	/* 1: ping-pong round trips */
};

/* A lock carries no data: bench_setup's SIZE for "a message is 0 bytes". */
#define BENCH_NO_DATA	((size_t)-1)

/*
 * Fill B the same way for every bench: SIZE bytes a message (0: 64 for
 * LATENCY, else 65536), COUNT messages (0: about a second's worth), a
 * tenth of that (at least 10) untimed first, CPU the sender and the
 * receiver (-1 each when unpinned).
 */
void	bench_setup(struct bench *b, const char *mechanism, size_t size,
	    long long count, int latency, const int cpu[2]);
/* SIZE bytes of 'x' on a page boundary, for free(); exit 1 on failure. */
char	*bench_buffer(size_t size);
/* Monotonic time in seconds. */
double	now(void);
/* Pin the calling process to CPU (no-op for -1); exit 1 on failure. */
void	pin_to_cpu(int cpu);
/* Narrate what is measured: "round trips", or STREAM, and the counts. */
void	bench_announce(const struct bench *b, const char *stream);
/*
 * The receiving end of a stream bench: drain the warm-up untimed, then
 * the COUNT messages of SIZE bytes; the seconds those took.  Exit 1 if
 * the sender stopped early.
 */
double	drain_timed(int fd, char *buf, const struct bench *b);
/*
 * Wait for a bench's child WHO and exit 1 unless it succeeded.  A bench's
 * waitpid() is plumbing; the lessons write theirs out.
 */
void	bench_wait(pid_t pid, const char *who);
/*
 * The end of a stream bench, in the receiver: drain_timed() FD, close it,
 * wait for the sender SENDER and print the throughput line.
 */
void	bench_stream_end(const struct bench *b, int fd, char *buf,
	    pid_t sender);
/* The throughput line: seconds for count messages of size bytes. */
void	bench_report_throughput(const struct bench *b, double seconds,
	    const char *extra);
/* The latency line from per-round-trip seconds (sorted in place). */
void	bench_report_latency(const struct bench *b, double *rtt,
	    size_t n, const char *extra);

#endif /* IPCLAB_H */
