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
 * Where to read: run_pipeline, first below, is the lesson (pipe, fork,
 * dup2, execvp, waitpid).  before_exec is what each child sets up first;
 * lib/cleanup.c: command_reaped says how a wait status becomes $?.  When
 * execvp() returns, the child ends as a shell would: lib/exec.c:
 * execvp_failed.  main only reads the command line.
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

static void	before_exec(pid_t parent, const char *name);

/* CMD1 | CMD2: one pipe, a child on each end, the parent waits for both. */
static int
run_pipeline(char **cmd1, char **cmd2, int pipefail)
{
	pid_t self = getpid(), pid1, pid2;
	int fd[2], status, s1, s2;

	narrate_role("connect2");
	catch_termination();
	if (pipe(fd) == -1)
		err(1, "pipe");
	say("pipe(fd) -> fd[0]=%d (read end), fd[1]=%d (write end)", fd[0],
	    fd[1]);

	say_fork("the process for %s", cmd1[0]);
	if ((pid1 = fork()) == -1)
		fork_failed();
	if (pid1 == 0) {
		narrate_role("cmd1");
		/* CMD1 only writes: it has no use for the read end. */
		if (close(fd[0]) == -1)
			err(126, "close(fd[0])");
		if (fd[1] != STDOUT_FILENO) {
			if (dup2(fd[1], STDOUT_FILENO) == -1)
				err(126, "dup2");
			/* Left open, this spare copy would pass into CMD1. */
			if (close(fd[1]) == -1)
				err(126, "close(fd[1])");
			say("close(fd[0]); dup2(fd[1], 1); close(fd[1]): stdout "
			    "is the pipe");
		} else
			say("close(fd[0]); fd[1] is 1 already, so no dup2() and "
			    "no close(): stdout is the pipe");
		before_exec(self, cmd1[0]);
		execvp(cmd1[0], cmd1);
		execvp_failed(cmd1[0]);
	}
	at_exit_stop_child(pid1);
	say("fork() -> %ld will run %s", (long)pid1, cmd1[0]);

	say_fork("the process for %s", cmd2[0]);
	if ((pid2 = fork()) == -1)
		fork_failed();
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
			say("close(fd[1]); dup2(fd[0], 0); close(fd[0]): stdin "
			    "is the pipe");
		} else
			say("close(fd[1]); fd[0] is 0 already, so no dup2() and "
			    "no close(): stdin is the pipe");
		before_exec(self, cmd2[0]);
		execvp(cmd2[0], cmd2);
		execvp_failed(cmd2[0]);
	}
	at_exit_stop_child(pid2);
	say("fork() -> %ld will run %s", (long)pid2, cmd2[0]);

	/* The shell itself uses neither end; keeping them would hide EOF. */
	if (close(fd[0]) == -1 || close(fd[1]) == -1)
		err(1, "close");
	say("close(fd[0]); close(fd[1]): only the two commands hold the pipe");

	while (waitpid(pid1, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid1);
	s1 = command_reaped(pid1, cmd1[0], status);
	while (waitpid(pid2, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid2);
	s2 = command_reaped(pid2, cmd2[0], status);
	if (pipefail && s2 == 0)
		return s1;
	return s2;
}

/*
 * In each child, before execvp().  Should connect2 die of SIGKILL, which it
 * cannot catch to stop its children, the kernel sends this one SIGTERM
 * (the request survives execvp), or "connect2 yes -- cat" would run on for
 * ever.  If connect2 died before this line, no signal will come: look.
 */
static void
before_exec(pid_t parent, const char *name)
{
	sigset_t pipe_only;

	/* connect2's handlers only note a signal; execvp() would forget it. */
	uncatch_termination();
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		err(126, "prctl PR_SET_PDEATHSIG");
	if (getppid() != parent)
		_exit(128 + SIGTERM);
	/*
	 * An ignored SIGPIPE would be inherited through exec, and then
	 * "yes | head" would never end: CMD1 must die of it, as in a shell.
	 * So would a blocked one, the signal mask being inherited too.
	 */
	if (signal(SIGPIPE, SIG_DFL) == SIG_ERR)
		err(126, "signal SIGPIPE");
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	if (sigprocmask(SIG_UNBLOCK, &pipe_only, NULL) == -1)
		err(126, "sigprocmask");
	say("execvp(\"%s\", ...): this process becomes %s", name, name);
}

/* The --help text, on F. */
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
	    "      --timestamps begin each narration line with the seconds "
	    "since start\n"
	    "  -h, --help       show this help and exit\n"
	    "      --version    print the version and exit\n\n"
	    "Exit status: CMD2's (or with -p the rightmost non-zero one); "
	    "128+N when\nsignal N killed it; 127 when a command is not "
	    "found, 126 when it cannot\nbe run; 2 for a usage error.  "
	    "'man connect2' teaches the rest.\n",
	    program_invocation_short_name);
}

/*
 * The options before CMD1, then CMD1 and CMD2 cut apart at "--".  Returns
 * whether -p was given; exits for --help, --version and usage errors.
 */
static int
parse_command_line(int argc, char **argv, char ***cmd1, char ***cmd2)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "pipefail", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "timestamps", no_argument, NULL, OPT_TIMESTAMPS },
		{ "list-options", no_argument, NULL, OPT_LIST_OPTIONS },
		{ NULL, 0, NULL, 0 }
	};
	int at, ch, i, pipefail = 0;

	/* '+': stop at CMD1, so its own options stay its own. */
	opterr = 0;
	for (;;) {
		at = optind;
		if ((ch = getopt_long(argc, argv, "+:hpq", longopts,
		    NULL)) == -1)
			break;
		switch (ch) {
		case 'h':
			usage(stdout);
			flush_stdout();
			exit(0);
		case 'p':
			pipefail = 1;
			break;
		case OPT_LIST_OPTIONS:
			/* Hidden: the words the bash completion offers. */
			for (i = 0; longopts[i].val != OPT_LIST_OPTIONS; i++) {
				if (longopts[i].val < 0x100)
					printf("-%c\n", longopts[i].val);
				printf("--%s\n", longopts[i].name);
			}
			flush_stdout();
			exit(0);
		default:
			if (!common_option(ch))
				bad_option(ch, argv, at, -1);
		}
	}
	if (optind == argc) {
		fprintf(stderr, "%s: missing CMD1 -- CMD2\n",
		    program_invocation_short_name);
		usage(stderr);
		exit(2);
	}
	*cmd1 = argv + optind;
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
	*cmd2 = argv + i + 1;
	return pipefail;
}

int
main(int argc, char **argv)
{
	char **cmd1, **cmd2;
	int pipefail;

	narrate_start();
	pipefail = parse_command_line(argc, argv, &cmd1, &cmd2);
	return run_pipeline(cmd1, cmd2, pipefail);
}
