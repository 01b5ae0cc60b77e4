/*
 * proclocks.c - /proc/locks, the kernel's list of every lock on the
 * system.
 *
 * flock(2) has no F_GETLK: the only way to learn who holds a flock lock
 * is to read this list, as lslocks(8) does.  deadlock reads it too, to
 * see the child's request waiting ("->").
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-flock.h"

/*
 * Keep the lines about the file ST.  Each line names the file by its
 * device (major:minor, in hex) and inode number, as lslocks(8) reads it.
 */
int
proc_locks(const struct stat *st, void (*fn)(const struct proc_lock *,
    void *), void *arg)
{
	char line[256], dev[64], *w[8], *word, *save;
	struct proc_lock pl;
	FILE *f;
	int n = 0, nw;

	if ((f = fopen("/proc/locks", "re")) == NULL)
		return -1;
	snprintf(dev, sizeof(dev), "%02x:%02x:%lu", major(st->st_dev),
	    minor(st->st_dev), (unsigned long)st->st_ino);
	while (fgets(line, sizeof(line), f) != NULL) {
		memset(&pl, 0, sizeof(pl));
		nw = 0;
		/* "1: -> POSIX ADVISORY WRITE 4242 fe:00:1234 0 EOF" */
		for (word = strtok_r(line, " \n", &save); word != NULL;
		    word = strtok_r(NULL, " \n", &save)) {
			if (strcmp(word, "->") == 0)
				pl.waiting = 1;
			else if (nw < 8)
				w[nw++] = word;
		}
		/* id: class mode type pid device:inode start end */
		if (nw < 8 || strcmp(w[5], dev) != 0)
			continue;
		snprintf(pl.class, sizeof(pl.class), "%s", w[1]);
		snprintf(pl.type, sizeof(pl.type), "%s", w[3]);
		pl.pid = strtol(w[4], NULL, 10);
		snprintf(pl.start, sizeof(pl.start), "%s", w[6]);
		snprintf(pl.end, sizeof(pl.end), "%s", w[7]);
		n++;
		if (fn != NULL)
			fn(&pl, arg);
	}
	(void)fclose(f);
	return n;
}

void
say_proc_lock(const struct proc_lock *pl, void *arg)
{
	(void)arg;
	say("  /proc/locks: %s%-6s %-5s pid %ld, bytes %s to %s",
	    pl->waiting ? "(waiting) " : "", pl->class, pl->type, pl->pid,
	    pl->start, pl->end);
}

/* For proc_locks: collect the pids of granted flock(2) locks in a string. */
static void
add_flock_holder(const struct proc_lock *pl, void *arg)
{
	char *list = arg;
	size_t used = strlen(list);

	if (pl->waiting || strcmp(pl->class, "FLOCK") != 0)
		return;
	snprintf(list + used, TEXT_SIZE - used, "%s%s lock held by pid %ld",
	    used > 0 ? "; " : "", strcmp(pl->type, "WRITE") == 0 ?
	    "an exclusive" : "a shared", pl->pid);
}

/* flock(2) has no F_GETLK: read /proc/locks as lslocks(8) does. */
const char *
flock_holders(int fd, const char *path, char *list)
{
	struct stat st;

	list[0] = '\0';
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if (proc_locks(&st, add_flock_holder, list) == -1)
		snprintf(list, TEXT_SIZE, "a flock lock (/proc/locks, which "
		    "would name its holder, cannot be read)");
	else if (list[0] == '\0')
		snprintf(list, TEXT_SIZE, "a flock lock whose holder "
		    "/proc/locks does not show");
	return list;
}
