/*
 * ipc-sem.h - what the files of ipc-sem share: the options, the union
 * semctl(2) wants, the commands, and the lookups and explainers the
 * lessons call.  Private to this chapter; lib/ipclab.h is the rest.
 */
#ifndef IPC_SEM_H
#define IPC_SEM_H

#include <sys/types.h>
#include <sys/sem.h>

#include <semaphore.h>
#include <time.h>

/* The largest value a System V semaphore can hold (SEMVMX in the kernel). */
#define SYSV_VALUE_MAX	32767

/* The most worker processes counter forks (-w). */
#define WORKERS_MAX	64

struct opts {
	long long	 workers;	/* counter: worker processes */
	long long	 count;		/* counter: increments per worker */
	int		 no_lock;	/* counter --no-lock */
	int		 named;		/* counter --named */
	int		 sysv;		/* System V instead of POSIX */
	const char	*name;		/* -N: POSIX name; NULL: the default */
	key_t		 key;		/* -k: System V key; 0: not given */
	const char	*file;		/* -f: ftok(3) path; NULL: not given */
	int		 proj;		/* -P: ftok(3) project id; 0: not given */
	mode_t		 mode;		/* -m: permissions of a new object */
	long long	 value;		/* -V: initial value; -1: not given */
	int		 try;		/* wait --try */
	double		 timeout;	/* wait, undo: seconds; 0: none */
	int		 no_undo;	/* wait --no-undo */
};

/*
 * semctl(2) takes this union as its fourth argument, and the caller must
 * define it: <sys/sem.h> does not.
 */
union semun {
	int		 val;
	struct semid_ds	*buf;
	unsigned short	*array;
};

/*
 * The fd argument of a MAP_ANONYMOUS mmap(2): there is no file, and
 * POSIX asks for -1.  A variable rather than a literal only because
 * cppcheck 2.10's posix.cfg wrongly wants mmap's fd to be >= 0.
 * (counter.c)
 */
extern int no_file;

/* The commands. */
int	cmd_counter(struct opts *, int argc, char **argv);	/* counter.c */
int	cmd_create(struct opts *, int argc, char **argv);	/* named.c */
int	cmd_wait(struct opts *, int argc, char **argv);		/* named.c */
int	cmd_post(struct opts *, int argc, char **argv);		/* named.c */
int	cmd_value(struct opts *, int argc, char **argv);	/* named.c */
int	cmd_info(struct opts *, int argc, char **argv);		/* info.c */
int	cmd_rm(struct opts *, int argc, char **argv);		/* info.c */
int	cmd_undo(struct opts *, int argc, char **argv);		/* undo.c */

/* The System V side of create, wait, post and value (sysv.c). */
int	create_sysv(const struct opts *, long long value);
int	wait_sysv(const struct opts *);
int	post_sysv(const struct opts *);
int	value_sysv(const struct opts *);
/* A cleanup remover: IPC_RMID the set *ARG holds, unless already gone. */
void	remove_set(void *arg);

/* Timeouts (clock.c): absolute for sem_timedwait, relative for semtimedop. */
struct timespec	realtime_after(double seconds);
struct timespec	timeout_of(double seconds);
int		ts_before(const struct timespec *a, const struct timespec *b);

/* counter's start gate: all the workers go at once (gate.c). */
void	make_gate(int gate[2]);
void	wait_at_gate(int n, const int gate[2], pid_t parent);
void	open_gate(int gate[2]);

/* undo's holder says on a pipe that it holds the unit (ready.c). */
void	make_ready(int ready[2]);
void	hold_until_killed(int fd) __attribute__((noreturn));
void	wait_until_ready(int ready[2]);

/* Which semaphore: names, keys, ownership (lookup.c). */
void		 check_counter(const struct opts *, int argc);
void		 check_kind(const struct opts *, const char *cmd);
const char	*posix_name(const struct opts *, char *buf, size_t len);
const char	*posix_path(char *buf, size_t len, const char *name);
sem_t		*open_posix(const struct opts *, const char *name);
sem_t		*open_own_posix(const struct opts *, const char *name);
key_t		 sysv_key(const struct opts *);
int		 open_sysv(const struct opts *, key_t key, int want);
int		 open_own_sysv(const struct opts *, key_t key, int want);

/* Why a call failed, in words; each ends the program (failed.c). */
void	sem_open_failed(const char *call, const char *name, int is_default)
	    __attribute__((noreturn));
void	semget_failed(const struct opts *, key_t key)
	    __attribute__((noreturn));
void	semget_nospace(key_t key) __attribute__((noreturn));
void	set_failed(const char *call, key_t key, int semid)
	    __attribute__((noreturn));
void	rmid_failed(key_t key, int semid) __attribute__((noreturn));
void	unlink_failed(const char *name, int is_default)
	    __attribute__((noreturn));

#endif /* IPC_SEM_H */
