/*
 * connect2 - run "CMD1 | CMD2" the way a shell does, every step narrated.
 *
 * Teaches: pipe(2), two fork(2)s, dup2(2) onto standard input and output,
 * closing the spare ends (or CMD2 never sees end of file), execvp(3),
 * waitpid(2) for both, and how a shell turns wait statuses into $?.
 *
 * Try:
 *	$ connect2 ls -l /usr -- wc -l
 *	$ connect2 yes -- head -n 3
 *	$ connect2 false -- true; echo $?
 *	$ connect2 -p false -- true; echo $?
 *	$ strace -f -e trace=pipe,pipe2,dup2,close,execve connect2 -q ls -- wc -l
 *
 * See also: pipe(2), dup2(2), execvp(3), waitpid(2), ipc-pipe(1), sh(1)
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

static void
usage(FILE *f)
{
	fprintf(f, "Usage: %s [-p] [-q] CMD1 [ARG...] -- CMD2 [ARG...]\n"
	    "Run CMD1 | CMD2 as a shell does: a pipe, two forks, dup2, "
	    "execvp.\n\n"
	    "Options (before CMD1; everything after belongs to the "
	    "commands):\n"
	    "  -p, --pipefail   exit with the rightmost non-zero status\n"
	    "  -q, --quiet      no narration on stderr\n"
	    "  -h, --help       show this help and exit\n"
	    "      --version    print the version and exit\n\n"
	    "Exit status: CMD2's (or with -p the rightmost non-zero one); "
	    "128+N when\nsignal N killed it; 127 when a command is not "
	    "found, 126 when it cannot\nbe run; 2 for a usage error.  "
	    "'man connect2' teaches the rest.\n",
	    program_invocation_short_name);
}

/*
 * Whether NAME exists in some directory of PATH.  execvp() reports EACCES
 * when any directory on the way could not be searched, even if NAME is in
 * none of them; a shell calls that "not found", and so do we.
 */
static int
found_in_path(const char *name)
{
	char dir[4096], file[4096 + 256];
	const char *path = getenv("PATH"), *p, *end;
	size_t len;

	if (path == NULL)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len < sizeof(dir)) {
			/* An empty entry means the current directory. */
			memcpy(dir, p, len);
			dir[len] = '\0';
			snprintf(file, sizeof(file), "%s/%s", len ? dir : ".",
			    name);
			if (access(file, F_OK) == 0)
				return 1;
		}
		if (end == NULL)
			return 0;
	}
}

/* Replace this child with CMD; if that fails, exit as a shell would. */
static void
exec_command(char **cmd, pid_t parent)
{
	int e;

	/*
	 * Should connect2 be killed by SIGKILL, which it cannot catch to
	 * stop its children, the kernel sends this process SIGTERM; the
	 * request survives execvp.  Without it, "connect2 yes -- cat"
	 * would run on for ever.  If connect2 died before this line, no
	 * signal will come: look.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		err(126, "prctl PR_SET_PDEATHSIG");
	if (getppid() != parent)
		_exit(128 + SIGTERM);
	/*
	 * An ignored SIGPIPE would be inherited through exec, and then
	 * "yes | head" would never end: CMD1 must die of it, as in a shell.
	 */
	if (signal(SIGPIPE, SIG_DFL) == SIG_ERR)
		err(126, "signal SIGPIPE");
	say("execvp(\"%s\", ...): this process becomes %s", cmd[0], cmd[0]);
	execvp(cmd[0], cmd);
	e = errno;
	if (e == EACCES && strchr(cmd[0], '/') == NULL &&
	    !found_in_path(cmd[0]))
		e = ENOENT;
	if (e == ENOENT)
		warnx("%s: command not found", cmd[0]);
	else
		warnx("%s: %s", cmd[0], strerror(e));
	/* _exit, not exit: nothing of the parent's may run in this child. */
	_exit(e == ENOENT ? 127 : 126);
}

/* The wait status as a shell reports it in $?. */
static int
shell_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/* Wait for a command and turn its wait status into a shell's $?. */
static int
wait_command(pid_t pid, const char *name)
{
	char how[96];
	int status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			err(1, "waitpid %ld", (long)pid);
		stop_if_signalled();
	}
	at_exit_forget_child(pid);
	/*
	 * Ctrl-C reaches the whole process group: the child may have died of
	 * it first.  Then we are stopping too, not failing.
	 */
	stop_if_signalled();
	say("waitpid(%ld) -> %s %s", (long)pid, name,
	    describe_status(status, how, sizeof(how)));
	return shell_status(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "pipefail", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	char **cmd1, **cmd2;
	int ch, fd[2], i, pipefail = 0, s1, s2;
	pid_t self = getpid(), pid1, pid2;

	/* '+': stop at CMD1, so its own options stay its own. */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:hpq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			flush_stdout();
			return 0;
		case 'p':
			pipefail = 1;
			break;
		case 'q':
			narrate_quiet(1);
			break;
		case OPT_VERSION:
			print_version();
		default:
			bad_option(ch, argv);
		}
	}
	if (optind == argc) {
		fprintf(stderr, "%s: missing CMD1 -- CMD2\n",
		    program_invocation_short_name);
		usage(stderr);
		return 2;
	}
	cmd1 = argv + optind;
	for (i = optind; i < argc && strcmp(argv[i], "--") != 0; i++)
		continue;
	if (i == optind)
		usage_error("missing CMD1");
	if (i == argc)
		usage_error("missing '--' between CMD1 and CMD2");
	if (i == argc - 1)
		usage_error("missing CMD2 after '--'");
	/* Cut argv in two: execvp wants each list to end with NULL. */
	argv[i] = NULL;
	cmd2 = argv + i + 1;

	narrate_role("connect2");
	catch_termination();
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d (read end), fd[1]=%d (write end)", fd[0],
	    fd[1]);

	if ((pid1 = fork()) == -1)
		err(1, "fork");
	if (pid1 == 0) {
		narrate_role("cmd1");
		/* CMD1 only writes: it has no use for the read end. */
		if (close(fd[0]) == -1)
			err(126, "close(fd[0])");
		/* Its standard output becomes the pipe's write end... */
		if (fd[1] != STDOUT_FILENO) {
			if (dup2(fd[1], STDOUT_FILENO) == -1)
				err(126, "dup2");
			/* ...and the original descriptor is a spare: close it. */
			if (close(fd[1]) == -1)
				err(126, "close(fd[1])");
		}
		say("close(fd[0]); dup2(fd[1], 1); close(fd[1]): stdout is the "
		    "pipe");
		exec_command(cmd1, self);
	}
	at_exit_stop_child(pid1);
	say("fork() -> %ld will run %s", (long)pid1, cmd1[0]);

	if ((pid2 = fork()) == -1)
		err(1, "fork");
	if (pid2 == 0) {
		narrate_role("cmd2");
		/*
		 * CMD2 only reads.  Its copy of the write end must go, or it
		 * would wait for ever for an end of file that never comes.
		 */
		if (close(fd[1]) == -1)
			err(126, "close(fd[1])");
		if (fd[0] != STDIN_FILENO) {
			if (dup2(fd[0], STDIN_FILENO) == -1)
				err(126, "dup2");
			if (close(fd[0]) == -1)
				err(126, "close(fd[0])");
		}
		say("close(fd[1]); dup2(fd[0], 0); close(fd[0]): stdin is the "
		    "pipe");
		exec_command(cmd2, self);
	}
	at_exit_stop_child(pid2);
	say("fork() -> %ld will run %s", (long)pid2, cmd2[0]);

	/* The shell itself uses neither end; keeping them would hide EOF. */
	if (close(fd[0]) == -1 || close(fd[1]) == -1)
		err(1, "close");
	say("close(fd[0]); close(fd[1]): only the two commands hold the pipe");

	s1 = wait_command(pid1, cmd1[0]);
	s2 = wait_command(pid2, cmd2[0]);
	if (pipefail && s2 == 0)
		return s1;
	return s2;
}
