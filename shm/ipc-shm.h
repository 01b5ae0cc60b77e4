/*
 * ipc-shm.h - what the files of the shared memory chapter share: the
 * options, the segment write, read, info and rm work on, the region demo
 * and bench make for themselves, and the functions one file lends the
 * others.  Private to shm/; lib/ipclab.h is the plumbing of all chapters.
 */
#ifndef IPC_SHM_H
#define IPC_SHM_H

#include <sys/types.h>
#include <sys/stat.h>

#include <limits.h>
#include <semaphore.h>
#include <stddef.h>

/* ftok(3)'s project id for this chapter: 'm' for memory. */
#define PROJ_SHM	'm'

/*
 * An option not given is 0 (NULL), a value none of them can take; main
 * sets -m's default, 0600, and --cpu's "not given", -1 each.
 */
struct opts {
	int		 posix;		/* --posix: shm_open, not shmget */
	int		 memfd;		/* --memfd: memfd_create (demo, bench) */
	key_t		 key;		/* -k; 0: not given */
	const char	*path;		/* -f: ftok(3)'s file; NULL: none */
	int		 proj;		/* -P: ftok(3)'s project id; 0: 'm' */
	const char	*name;		/* -N: a POSIX name; NULL: none */
	mode_t		 mode;		/* -m: write's new mode; 0600 */
	size_t		 size;		/* -s; 0: not given */
	long long	 count;		/* -n; 0: not given */
	int		 no_sem;	/* demo --no-sem */
	int		 latency;	/* bench --latency */
	int		 spin;		/* bench --spin */
	int		 cpu[2];	/* bench --cpu A,B; -1: not given */
};

/* The commands, each in the file that teaches it. */
int	cmd_write(struct opts *, int argc, char **argv);	/* segment.c */
int	cmd_read(struct opts *, int argc, char **argv);		/* segment.c */
int	cmd_info(struct opts *, int argc, char **argv);		/* segment.c */
int	cmd_rm(struct opts *, int argc, char **argv);		/* segment.c */
int	cmd_demo(struct opts *, int argc, char **argv);		/* handoff.c */
int	cmd_mmap(struct opts *, int argc, char **argv);		/* mmap.c */
int	cmd_bench(struct opts *, int argc, char **argv);	/* bench.c */

/* lookup.c: the segment write, read, info and rm work on. --------------- */

struct segment {
	int		 posix;
	int		 is_default;	/* no -k, -f, -P or -N: the user's own */
	key_t		 key;		/* System V */
	char		 name[NAME_MAX + 2];	/* POSIX: "/NAME" */
	char		 label[NAME_MAX + 16];	/* how messages name it */
};

/* Which segment the options name; usage errors exit 2 here. */
void	pick_segment(const struct opts *o, struct segment *s);
/* Exit 1 if S is our default and UID, whose it is, is not us. */
void	refuse_unless_ours(const struct segment *s, uid_t uid);
/* Exit 1 unless ST is a regular file; if OURS, refuse_unless_ours too. */
void	require_shm_file(const struct segment *s, const struct stat *st,
	    int ours);
/* "uid 1000 (ann)", or "uid 1000" for a uid with no name, in BUF. */
const char *uid_text(long uid, char *buf, size_t len);
/* "uid 1000 (ann), gid 1000 (ann)", in BUF. */
const char *owner_text(uid_t uid, gid_t gid, char *buf, size_t len);

/* failed.c: why a call failed, in words a student can act on; exit 1. --- */

/* LABEL: "key 0x...", "IPC_PRIVATE"; IS_DEFAULT: no -k, -f or -P. */
void	shmget_failed(const char *label, key_t key, int is_default,
	    size_t size) __attribute__((noreturn));
void	shm_open_failed(const char *name, int is_default)
	    __attribute__((noreturn));
void	shmat_failed(const char *label, int id) __attribute__((noreturn));
/* write's -m MODE: exit 2 unless a new one lets its owner read and write. */
void	require_writable_mode(mode_t mode, int posix);

/* region.c: the memory demo and bench make for themselves. ------------- */

enum kind { SYSV, POSIX, MEMFD };

struct region {
	enum kind	 kind;
	void		*addr;		/* where it is mapped in this process */
	size_t		 size;
	int		 shmid;		/* SYSV */
	int		 fd;		/* MEMFD, for the seals; else -1 */
	char		 name[NAME_MAX + 2];	/* POSIX */
};

/* SIZE bytes of the kind the options ask for, mapped, removal registered. */
void	new_region(const struct opts *o, struct region *r, size_t size);
/* Unmap it (or detach it); cleanup_run() then removes it. */
void	drop_region(struct region *r);
/* Seal a MEMFD region's size and show that ftruncate is refused. */
void	seal_memfd(struct region *r);
/* mmap's file: two pages in our run directory, each starting with TEXT. */
int	new_mmap_file(char *path, size_t len, long page, const char *text,
	    size_t size);
/* at_exit_call's function for a System V segment: ARG is its int id. */
void	remove_segment(void *arg);

/* peer.c: waiting on the other process of a demo or bench. -------------- */

struct peer {
	pid_t		 pid;
	int		 is_parent;	/* we are the child; PID is our parent */
	const char	*role;		/* what it does: "writer" */
};

/* Exit 1 if the peer is gone: a dead process never posts or sets a flag. */
void	peer_alive(const struct peer *p);
/* sem_wait(SEM) that notices, once a second, a peer that died. */
void	wait_sem(sem_t *sem, const char *name, const struct peer *peer);
/* sem_post(SEM), exit 1 on failure. */
void	post_sem(sem_t *sem, const char *name);

/* check.c: what the demos got, counted and checked. --------------------- */

struct tally {
	long long	 last;		/* the newest message read so far */
	long long	 received;	/* distinct messages, each once */
	long long	 again;		/* reads of a message read before */
	long long	 torn;		/* reads that caught a half-written one */
};

/* Count one read of the message numbered SEQ, then SEQ_AGAIN. */
void	count_message(struct tally *t, long long seq, long long seq_again);
/* The last line; returns 0, or exits 1 if SEM guarded and it went wrong. */
int	report_tally(const struct tally *t, long long count, int sem);

/* What mmap.c's file, parent and child store. */
#define FROM_FILE	"from the file"
#define FROM_PARENT	"from the parent"
#define FROM_CHILD	"from the child"

/* mmap's table of what each kind showed; exit 1 unless mmap(2) held. */
void	report_mappings(const char *const kind[4], char *const map[4],
	    char before[4][32], char file[2][32]);

#endif /* IPC_SHM_H */
