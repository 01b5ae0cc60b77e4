/*
 * ipc-signal.h - what the files of ipc-signal share, and nothing else:
 * the options, the commands, the supervisor's state (supervise.c,
 * worker.c and stop.c all work on it) and the helpers more than one file
 * calls.  Private to this chapter.
 */
#ifndef IPC_SIGNAL_H
#define IPC_SIGNAL_H

#include <sys/types.h>

#include <signal.h>
#include <stddef.h>
#include <time.h>

#define MAX_WORKERS	32	/* supervise -w */

struct opts {
	long long	 count;		/* demo: signals of each kind; bench;
					   0: not given */
	long long	 workers;	/* supervise (3) */
	double		 interval;	/* supervise: seconds between beats (1) */
	double		 timeout;	/* supervise: silence that means dead (3) */
	double		 run;		/* supervise: seconds; 0: not given,
					   run until told */
	long long	 hang;		/* supervise: worker that hangs;
					   0: not given, none */
	double		 hang_after;	/* supervise: ...after these seconds (2) */
	int		 cpu[2];	/* bench: sender, echo CPUs;
					   -1: not given */
};

/* The commands, each in the file that teaches it. */
int	cmd_catch(struct opts *, int argc, char **argv);	/* catch.c */
int	cmd_send(struct opts *, int argc, char **argv);		/* send.c */
int	cmd_demo(struct opts *, int argc, char **argv);		/* demo.c */
int	cmd_supervise(struct opts *, int argc, char **argv);	/* supervise.c */
int	cmd_bench(struct opts *, int argc, char **argv);	/* bench.c */

/* Why kill() or sigqueue(), WHAT, to PID failed; exits 1 (send.c). */
void	kill_failed(const char *what, pid_t pid) __attribute__((noreturn));

/* Who sent a signal, from its siginfo_t (catch.c). */
const char *describe_sender(const siginfo_t *si, char *buf, size_t len);

/* The supervisor's state ------------------------------------------------ */

struct worker {
	pid_t		 pid;		/* 0: not running (already reaped) */
	pid_t		 last_pid;	/* the one before, once reaped */
	int		 killed;	/* we sent SIGKILL for its silence */
	double		 started;
	double		 last_beat;
	double		 restart_at;	/* when a dead one may start again */
	long long	 restarts;
};

struct supervisor {
	struct worker	 w[MAX_WORKERS];
	int		 n;
	pid_t		 self;
	double		 t0;
	double		 interval;
	double		 timeout;
	int		 hang;		/* worker number that hangs; 0: none */
	int		 hang_used;	/* only its first process hangs */
	double		 hang_after;
	int		 stopping;	/* no more restarts */
	int		 stopped;	/* every worker reaped */
	int		 quiet_log;	/* in cleanup: narration only */
};

/* A worker's life (worker.c): born, reaped, killed when silent, reborn. */
void	init_workers(struct supervisor *s, const struct opts *o);
void	start_worker(struct supervisor *s, int i);
void	reap_workers(struct supervisor *s);
void	worker_reaped(struct supervisor *s, int i, pid_t pid, int status);
void	check_workers(struct supervisor *s, double t);
void	workers_continued(struct supervisor *s);

/* The end (stop.c): what stops the supervisor, and how it stops them. */
void	add_stop_signals(sigset_t *set);
void	log_stop_signal(const struct supervisor *s, const siginfo_t *si);
void	stop_workers(struct supervisor *s);
void	cleanup_workers(void *s);
void	print_summary(const struct supervisor *s);

/* Time (clock.c). */
struct timespec	to_timespec(double s);
void	sleep_for(double s);
double	next_deadline(const struct supervisor *s, double t, double end);
void	log_event(const struct supervisor *s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* IPC_SIGNAL_H */
