/*
 * name.c - a FIFO is a name in the file system, with no storage behind
 * it: mkfifo(3) makes the name, unlink(2) removes it, and a process that
 * has the FIFO open goes on using it.  Mirrors mkfifo(1) -m MODE and
 * rm(1), except that rm here removes a FIFO and nothing else.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-fifo.h"

/*
 * mkfifo() with exactly MODE, as mkfifo(1) -m does: the umask would
 * otherwise take bits away from what was asked for.
 */
int
make_fifo(const char *path, mode_t mode)
{
	mode_t old = umask(0);
	int r = mkfifo(path, mode);

	(void)umask(old);
	if (r == 0)
		say("mkfifo(\"%s\", %04o): a FIFO special file, a name with "
		    "no storage behind it", path, (unsigned)mode);
	return r;
}

/* make: a FIFO at PATH, as mkfifo(1) makes it. */
int
cmd_make(struct opts *o, int argc, char **argv)
{
	const char *path = one_path("make", argc, argv);

	if (make_fifo(path, o->mode) == -1)
		name_failed("mkfifo", path);
	return 0;
}

/* rm: remove the FIFO at PATH, and nothing that is not a FIFO. */
int
cmd_rm(struct opts *o, int argc, char **argv)
{
	const char *path = one_path("rm", argc, argv);
	struct stat st;

	(void)o;
	if (lstat(path, &st) == -1)
		err(1, "%s", path);
	if (!S_ISFIFO(st.st_mode))
		refuse(path, st.st_mode);
	if (unlink(path) == -1)
		name_failed("unlink", path);
	say("unlink(\"%s\"): the name is gone; a process that has the FIFO "
	    "open keeps using it until it closes it", path);
	return 0;
}
