/*
 * send.c - sending a signal: kill(2), or sigqueue(3) with a value, and
 * signal 0, which sends nothing and only asks whether we may.
 *
 * The classic it mirrors: kill(1), and TLPI's t_sigqueue.c.
 */
#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-signal.h"

static pid_t	parse_pid(const char *s);

/*
 * send: kill(2), or sigqueue(3) when a VALUE comes with the signal.
 * Signal 0 sends nothing: the kernel only checks the pid and our right
 * to signal it.
 */
int
cmd_send(struct opts *o, int argc, char **argv)
{
	char name[32], what[64];
	union sigval value;
	pid_t pid;
	int sig, r;

	(void)o;
	if (argc < 2 || argc > 3)
		usage_error("send takes PID SIGNAL [VALUE]");
	pid = parse_pid(argv[0]);
	sig = parse_signal("SIGNAL", argv[1]);
	memset(&value, 0, sizeof(value));
	if (argc == 3)
		value.sival_int = (int)parse_count("VALUE", argv[2], INT_MIN,
		    INT_MAX);
	narrate_role("send");
	signal_name(sig, name, sizeof(name));
	if (sig == 0)
		snprintf(name, sizeof(name), "0");
	if (argc == 3) {
		snprintf(what, sizeof(what), "sigqueue(%ld, %s, %d)",
		    (long)pid, name, value.sival_int);
		r = sigqueue(pid, sig, value);
	} else {
		snprintf(what, sizeof(what), "kill(%ld, %s)", (long)pid, name);
		r = kill(pid, sig);
	}
	if (r == -1)
		kill_failed(what, pid);
	if (sig == 0) {
		say("%s -> 0: nothing is sent; the process exists and we may "
		    "signal it", what);
		printf("pid %ld exists and you may signal it\n", (long)pid);
	} else if (argc == 3) {
		say("%s -> 0: queued for pid %ld with its value", what,
		    (long)pid);
		printf("queued %s with value %d for pid %ld\n", name,
		    value.sival_int, (long)pid);
	} else {
		say("%s -> 0: %s is pending in pid %ld until it is "
		    "delivered", what, name, (long)pid);
		printf("sent %s to pid %ld\n", name, (long)pid);
	}
	return 0;
}

/* A PID for send: one process, never a group or everyone. */
static pid_t
parse_pid(const char *s)
{
	if (s[0] == '-' || strcmp(s, "0") == 0)
		usage_error("PID: '%s': send signals one process; kill(2) "
		    "would take 0 as your process group and -1 as every "
		    "process you may signal", s);
	return (pid_t)parse_count("PID", s, 1, INT_MAX);
}

/*
 * kill() or sigqueue(), WHAT, failed: say why, in the student's terms.
 * bench uses it too.
 */
void
kill_failed(const char *what, pid_t pid)
{
	switch (errno) {
	case ESRCH:
		errx(1, "%s: %s (no process has pid %ld: it has exited and "
		    "been reaped, or never existed)", what, strerror(ESRCH),
		    (long)pid);
	case EPERM:
		errx(1, "%s: %s (you may signal a process only if your real "
		    "or effective uid is its real or saved uid, or you have "
		    "CAP_KILL)", what, strerror(EPERM));
	case EAGAIN:
		errx(1, "%s: %s (your user already has as many signals "
		    "queued as RLIMIT_SIGPENDING allows, see ulimit -i)", what,
		    strerror(EAGAIN));
	default:
		err(1, "%s", what);
	}
}
