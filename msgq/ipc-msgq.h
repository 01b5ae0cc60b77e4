/*
 * ipc-msgq.h - what the files of ipc-msgq share, and nothing else: the
 * options, a System V message, the commands, and the plumbing that
 * queue.c and failed.c lend to the lessons.
 */
#ifndef IPC_MSGQ_H
#define IPC_MSGQ_H

#include <sys/types.h>

#include <limits.h>
#include <mqueue.h>
#include <time.h>

/* What /proc says when it cannot be read: the kernel's usual values. */
#define DEFAULT_MQ_MSGMAX	10
#define DEFAULT_MQ_MSGSIZE	8192

/* Sentinels for options not given: values the option cannot take. */
#define MODE_NOT_GIVEN		((mode_t)-1)
#define TYPE_NOT_GIVEN		LONG_MIN
#define PRIO_NOT_GIVEN		UINT_MAX
#define COUNT_NOT_GIVEN		(-1LL)

struct opts {
	int		 posix;		/* --posix */
	key_t		 key;		/* -k; 0: not given */
	const char	*path;		/* -f: ftok's file; NULL: not given */
	int		 proj;		/* -P: ftok's project; 0: not given */
	const char	*name;		/* -N /NAME; NULL: not given */
	mode_t		 mode;		/* -m, for a new queue;
					   MODE_NOT_GIVEN: 0600 */
	long		 type;		/* -t; TYPE_NOT_GIVEN: send 1, recv 0 */
	unsigned int	 prio;		/* -p; PRIO_NOT_GIVEN: 0 */
	long long	 count;		/* recv -c: messages, 0 for ever;
					   COUNT_NOT_GIVEN: 1 */
	int		 nowait;	/* --nowait */
	int		 all;		/* recv --all */
	int		 truncate;	/* recv --truncate */
	int		 label;		/* recv -l */
	size_t		 size;		/* recv: buffer; bench: payload;
					   0: not given */
	long		 maxmsg;	/* --maxmsg; 0: not given */
	long		 msgsize;	/* --msgsize; 0: not given */
	long long	 nmsgs;		/* bench -n; 0: not given */
	int		 latency;	/* bench --latency */
	int		 cpu[2];	/* bench --cpu; -1 each: not given */
	/* Filled in by which_queue(). */
	int		 is_default;	/* the per-user default queue */
	char		 obj[128];	/* "key 0x71001234", "/ipclab-1000-msgq" */
	char		 namebuf[NAME_MAX + 2];
};

/*
 * A System V message: a type, then the text.  msgsnd() and msgrcv() take
 * a pointer to this; their size argument counts the text only.
 */
struct message {
	long	mtype;
	char	mtext[];
};

/* The commands, each in the file that teaches it. */
int	cmd_demo(struct opts *, int argc, char **argv);		/* demo.c */
int	cmd_send(struct opts *, int argc, char **argv);		/* send.c */
int	cmd_recv(struct opts *, int argc, char **argv);		/* recv.c */
int	cmd_info(struct opts *, int argc, char **argv);		/* info.c */
int	cmd_rm(struct opts *, int argc, char **argv);		/* info.c */
int	cmd_bench(struct opts *, int argc, char **argv);	/* bench.c */

/* queue.c: which queue, opening it, whose it is, and /proc's limits. */
void	which_queue(struct opts *o);
int	open_sysv(struct opts *o, int create, int access);
mqd_t	open_posix(struct opts *o, int oflag, int create, size_t need);
void	refuse_unless_ours_sysv(const struct opts *o, int id);
void	refuse_unless_ours_posix(const struct opts *o, mqd_t mqd);
void	check_name_posix(const struct opts *o, mqd_t mqd,
	    const char *when);
void	remove_sysv(void *id);
void	remove_posix(void *name);
struct timespec	in_one_second(void);
long long	limit_or(const char *path, long long fallback);
size_t	msgmax_sysv(void);

/* failed.c: why a call on the queue failed; each exits 1. */
void	msgget_failed(const struct opts *o) __attribute__((noreturn));
void	msgsnd_failed(const struct opts *o) __attribute__((noreturn));
void	msgrcv_failed(const struct opts *o) __attribute__((noreturn));
void	msgctl_failed(const struct opts *o, const char *cmd)
	    __attribute__((noreturn));
void	mq_open_failed(const struct opts *o, const struct mq_attr *a)
	    __attribute__((noreturn));
void	mq_unlink_failed(const struct opts *o) __attribute__((noreturn));

#endif /* IPC_MSGQ_H */
