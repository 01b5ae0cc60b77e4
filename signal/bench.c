/*
 * bench.c - how long a signal takes there and back: a sigqueue(3)
 * ping-pong, taken with sigwaitinfo(2), no handler on either side.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-signal.h"

#define STOP_VALUE	(-1)	/* the value that ends the echo child */

static void	echo_child(const sigset_t *ping, pid_t parent, int cpu)
		    __attribute__((noreturn));

/*
 * bench: ping-pong.  The parent queues SIGRTMIN with a sequence number;
 * the child takes it with sigwaitinfo() and queues it straight back.  The
 * only payload is the 4-byte value, so the line says size=4.
 */
int
cmd_bench(struct opts *o, int argc, char **argv)
{
	long long i, total;
	struct bench b;
	union sigval value;
	sigset_t ping, pong;
	siginfo_t si;
	pid_t pid, parent = getpid();
	double *rtt, t0;
	int sig, status;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	/* The payload is the one int that sigqueue() carries. */
	bench_setup(&b, "signal", sizeof(value.sival_int), o->count, 1,
	    o->cpu);
	total = b.warmup + b.count;
	if (total > INT_MAX)
		usage_error("-n: at most %d round trips", INT_MAX - 10);
	say("%lld round trips of SIGRTMIN after %lld to warm up", b.count,
	    b.warmup);

	/* Blocked before fork(), so neither side has a moment unprotected. */
	sigemptyset(&ping);
	sigaddset(&ping, SIGRTMIN);
	pong = ping;
	/* The sender also wakes if the echo child dies. */
	sigaddset(&pong, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &pong, NULL) == -1)
		err(1, "sigprocmask");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0)
		echo_child(&ping, parent, b.cpu[1]);
	at_exit_stop_child(pid);
	/* Only the parent keeps times. */
	if ((rtt = malloc((size_t)b.count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	pin_to_cpu(b.cpu[0]);
	memset(&value, 0, sizeof(value));
	for (i = 0; i < total; i++) {
		stop_if_signalled();
		value.sival_int = (int)i;
		t0 = now();
		if (sigqueue(pid, SIGRTMIN, value) == -1)
			kill_failed("sigqueue", pid);
		while ((sig = sigwaitinfo(&pong, &si)) == -1)
			retry_if_eintr("sigwaitinfo");
		if (sig == SIGCHLD) {
			/* Ctrl-C reaches the child too: then we die of it. */
			stop_if_signalled();
			errx(1, "the echo child ended early");
		}
		if (si.si_value.sival_int != (int)i)
			errx(1, "round trip %lld came back as %d", i,
			    si.si_value.sival_int);
		if (i >= b.warmup)
			rtt[i - b.warmup] = now() - t0;
	}
	value.sival_int = STOP_VALUE;
	if (sigqueue(pid, SIGRTMIN, value) == -1)
		kill_failed("sigqueue", pid);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	at_exit_forget_child(pid);
	stop_if_signalled();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the echo child did not end well");
	bench_report_latency(&b, rtt, (size_t)b.count, NULL);
	free(rtt);
	return 0;
}

/*
 * The echo child: take each SIGRTMIN (blocked since before fork()) and
 * queue its value straight back, until STOP_VALUE comes.
 */
static void
echo_child(const sigset_t *ping, pid_t parent, int cpu)
{
	static const struct timespec patience = { 5, 0 };
	siginfo_t si;

	pin_to_cpu(cpu);
	for (;;) {
		/* A flag set while we ran: the wait may never fail. */
		stop_if_signalled();
		if (sigtimedwait(ping, &si, &patience) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				err(1, "sigtimedwait");
			stop_if_signalled();
			/* A long silence: is our parent still there? */
			if (getppid() != parent)
				_exit(1);
			continue;
		}
		if (si.si_value.sival_int == STOP_VALUE)
			_exit(0);
		if (sigqueue(parent, SIGRTMIN, si.si_value) == -1)
			kill_failed("sigqueue", parent);
	}
}
