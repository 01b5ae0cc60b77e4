/*
 * ipc-pipe.h - what the files of ipc-pipe share: the options every
 * command sees and the commands themselves, one lesson file each.
 */
#ifndef IPC_PIPE_H
#define IPC_PIPE_H

#include <stddef.h>

struct opts {
	int		 reverse;	/* demo: the parent writes */
	int		 leave_open;	/* eof: the reader keeps a write end */
	double		 timeout;	/* eof: seconds to wait for EOF (3) */
	size_t		 set;		/* capacity: F_SETPIPE_SZ; 0: not given */
	int		 ignore;	/* sigpipe: ignore SIGPIPE */
	long long	 writers;	/* atomic: concurrent writers (4) */
	size_t		 size;		/* atomic, bench; 0: not given */
	long long	 count;		/* atomic, bench; 0: not given */
	int		 latency;	/* bench: ping-pong */
	int		 splice;	/* bench: vmsplice in, splice out */
	int		 cpu[2];	/* bench: sender, receiver; -1: not given */
};

/* The commands, each in the lesson file named after it (demo.c ...). */
int	cmd_demo(struct opts *, int argc, char **argv);
int	cmd_duplex(struct opts *, int argc, char **argv);
int	cmd_eof(struct opts *, int argc, char **argv);
int	cmd_capacity(struct opts *, int argc, char **argv);
int	cmd_sigpipe(struct opts *, int argc, char **argv);
int	cmd_atomic(struct opts *, int argc, char **argv);
int	cmd_bench(struct opts *, int argc, char **argv);

#endif /* IPC_PIPE_H */
