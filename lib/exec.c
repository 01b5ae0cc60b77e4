/*
 * exec.c - what a shell does around execvp(3): say why a command could not
 * be run, and turn a wait status into $?.  connect2 and "ipc-flock lock
 * FILE -- CMD" run commands, and both answer as a shell would.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

/*
 * Whether NAME exists in some directory of PATH.  execvp() reports EACCES
 * when any directory on the way could not be searched, even if NAME is in
 * none of them; a shell calls that "not found", and so do we.
 */
static int
found_in_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char file[4096 + 256];
	int len;

	for (p = path ? path : "/bin:/usr/bin";; p = end + 1) {
		end = strchrnul(p, ':');
		/* An empty entry means the current directory. */
		if (end - p < 4096) {
			len = (int)(end - p);
			snprintf(file, sizeof(file), "%.*s/%s", len ? len : 1,
			    len ? p : ".", name);
			if (access(file, F_OK) == 0)
				return 1;
		}
		if (*end == '\0')
			return 0;
	}
}

/* execvp() returned: it failed.  Say why and exit as a shell would. */
void
execvp_failed(const char *name)
{
	int e = errno;

	if (e == EACCES && strchr(name, '/') == NULL && !found_in_path(name))
		e = ENOENT;
	if (e == ENOENT)
		warnx("%s: command not found", name);
	else
		warnx("%s: %s", name, strerror(e));
	/* _exit, not exit: nothing of the parent's may run in this child. */
	_exit(e == ENOENT ? 127 : 126);
}

int
shell_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
