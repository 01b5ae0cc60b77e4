/*
 * ipc-fifo.h - what the files of ipc-fifo share, and nothing more.
 *
 * Each command is taught in its own file (see the map in ipc-fifo.c);
 * path.c holds what a lesson need not show: the refusals of whatever is
 * not a FIFO, the watch on an open() that waits, the failure explainers.
 */
#ifndef IPC_FIFO_H
#define IPC_FIFO_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

struct opts {
	mode_t		 mode;		/* make, read, write: a new FIFO's mode */
	int		 nonblock;	/* write: 1 not to wait for a reader */
	int		 follow;	/* read: 1 to serve writer after writer */
	size_t		 size;		/* bench; 0: not given, the default */
	long long	 count;		/* bench; 0: not given, the default */
	int		 latency;	/* bench: 1 for ping-pong */
	int		 cpu[2];	/* bench: sender, receiver; -1: unpinned */
};

/* The commands, each in the file that teaches it. */
int	cmd_make(struct opts *, int argc, char **argv);		/* name.c */
int	cmd_rm(struct opts *, int argc, char **argv);		/* name.c */
int	cmd_write(struct opts *, int argc, char **argv);	/* writer.c */
int	cmd_read(struct opts *, int argc, char **argv);		/* reader.c */
int	cmd_demo(struct opts *, int argc, char **argv);		/* demo.c */
int	cmd_bench(struct opts *, int argc, char **argv);	/* bench.c */

/* name.c: mkfifo() with exactly MODE, narrated; -1 with errno on failure. */
int	make_fifo(const char *path, mode_t mode);

/* lines.c: copy standard input into FD, whole lines per write(). */
void	copy_lines(int fd, const char *path);

/* path.c ------------------------------------------------------------- */

/* PATH is the one argument of COMMAND; a usage error otherwise. */
const char *one_path(const char *command, int argc, char **argv);
/* Refuse PATH, of MODE, which is not a FIFO: exit 1, touching nothing. */
void	refuse(const char *path, mode_t mode) __attribute__((noreturn));
/*
 * Make a FIFO at PATH with MODE unless one is there (anything else there
 * is refused, and a directory on the path that we may not search named).
 * If the open() that follows fails, check_opened() removes what we made.
 */
void	make_missing_fifo(const char *path, mode_t mode);
/*
 * mkfifo() or unlink() (CALL) of PATH failed: explain errno, naming the
 * directory that refuses us (EACCES, or EPERM in a sticky one); exit 1.
 */
void	name_failed(const char *call, const char *path)
	    __attribute__((noreturn));
/*
 * 1 unless the permissions refuse us the open() of PATH that WANT (R_OK,
 * W_OK) names: such an open() waits for nobody, it fails with EACCES.
 */
int	may_open(const char *path, int want);
/* Have SIGALRM interrupt a waiting open() once a second, from now on. */
void	watch_for_removal(void);
/*
 * After open() of PATH returned FD: stop the watch; if FD is -1, explain
 * errno and exit 1 (OTHER, "reader" or "writer", is who we waited for;
 * EACCES names the FIFO's or a directory's owner and mode); else refuse
 * what is not a FIFO.
 */
void	check_opened(int fd, const char *path, const char *other);
/* 1 if PATH is still the file OURS describes (same device and inode). */
int	still_there(const char *path, const struct stat *ours);
/* A write to the FIFO at PATH failed: say why (EPIPE: no reader); exit 1. */
void	write_failed(const char *path) __attribute__((noreturn));
/*
 * read --follow's open() of its own write end of PATH failed: say why
 * (ENXIO, ENOENT: the FIFO we read is no longer at PATH); exit 1.
 */
void	keep_failed(const char *path) __attribute__((noreturn));
/* "fifo-WHAT-PID" in the private run directory, in BUF: ours alone. */
const char *private_fifo_name(char *buf, size_t len, const char *what);

#endif /* IPC_FIFO_H */
