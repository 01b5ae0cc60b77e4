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

/* The lines about one file that a reading keeps; the rest are left out. */
#define FILE_LOCKS_MAX	64

/*
 * One reading of /proc/locks: the lines about the file DEV ("fe:00:1234",
 * device in hex and inode number, as lslocks(8) reads it), at most MAX of
 * them into PL; how many, or -1 when the list cannot be opened.
 */
static int
read_proc_locks(const char *dev, struct proc_lock *pl, int max)
{
	static char buf[1 << 16];
	char line[256], *w[8], *word, *save;
	FILE *f;
	int n = 0, nw;

	if ((f = fopen("/proc/locks", "re")) == NULL)
		return -1;
	/* A read(2) as large as the kernel's page, not stdio's 1 KiB. */
	(void)setvbuf(f, buf, _IOFBF, sizeof(buf));
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		memset(&pl[n], 0, sizeof(pl[n]));
		nw = 0;
		/* "1: -> POSIX ADVISORY WRITE 4242 fe:00:1234 0 EOF" */
		for (word = strtok_r(line, " \n", &save); word != NULL;
		    word = strtok_r(NULL, " \n", &save)) {
			if (strcmp(word, "->") == 0)
				pl[n].waiting = 1;
			else if (nw < 8)
				w[nw++] = word;
		}
		/* id: class mode type pid device:inode start end */
		if (nw < 8 || strcmp(w[5], dev) != 0)
			continue;
		snprintf(pl[n].class, sizeof(pl[n].class), "%s", w[1]);
		snprintf(pl[n].type, sizeof(pl[n].type), "%s", w[3]);
		pl[n].pid = strtol(w[4], NULL, 10);
		snprintf(pl[n].start, sizeof(pl[n].start), "%s", w[6]);
		snprintf(pl[n].end, sizeof(pl[n].end), "%s", w[7]);
		n++;
	}
	(void)fclose(f);
	return n;
}

/*
 * The device /proc/locks names a file by: its file system's.  fstat's
 * st_dev is that on most file systems, but on btrfs it is a subvolume's,
 * a device of its own, and no line would ever match.  The file's mount
 * (mnt_id in /proc/self/fdinfo/FD) is listed in /proc/self/mountinfo
 * with the file system's device, the MAJ:MIN findmnt(8) shows.  Where
 * those files cannot be read, ST_DEV.
 */
static dev_t
mount_device(int fd, dev_t st_dev)
{
	char path[64], *line = NULL;
	unsigned int maj, min;
	dev_t dev = st_dev;
	int id = -1, mid;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if ((f = fopen(path, "re")) != NULL) {
		while (id == -1 && getline(&line, &cap, f) != -1)
			(void)sscanf(line, "mnt_id: %d", &id);
		(void)fclose(f);
	}
	/* "36 35 0:42 / /home rw - btrfs ...": mount id, parent, device */
	if (id != -1 && (f = fopen("/proc/self/mountinfo", "re")) != NULL) {
		while (getline(&line, &cap, f) != -1)
			if (sscanf(line, "%d %*d %u:%u", &mid, &maj,
			    &min) == 3 && mid == id) {
				dev = makedev(maj, min);
				break;
			}
		(void)fclose(f);
	}
	free(line);
	return dev;
}

void
stat_for_proc_locks(int fd, const char *path, struct stat *st)
{
	if (fstat(fd, st) == -1)
		err(1, "fstat %s", path);
	st->st_dev = mount_device(fd, st->st_dev);
}

/*
 * Pass FN the lines about the file ST; how many, or -1.
 *
 * The list is no snapshot: the kernel writes it afresh for each read(2),
 * a page at most, and resumes at the same line number.  A lock taken or
 * let go elsewhere in between shifts the list, and one line comes twice
 * or not at all.  So read it until two readings agree about this file.
 */
int
proc_locks(const struct stat *st, void (*fn)(const struct proc_lock *,
    void *), void *arg)
{
	struct proc_lock got[FILE_LOCKS_MAX], again[FILE_LOCKS_MAX];
	char dev[64];
	int i, n, m, readings;

	snprintf(dev, sizeof(dev), "%02x:%02x:%lu", major(st->st_dev),
	    minor(st->st_dev), (unsigned long)st->st_ino);
	if ((n = read_proc_locks(dev, got, FILE_LOCKS_MAX)) == -1)
		return -1;
	for (readings = 1; readings < 10; readings++) {
		if ((m = read_proc_locks(dev, again, FILE_LOCKS_MAX)) == -1)
			return -1;
		if (m == n &&
		    memcmp(got, again, (size_t)n * sizeof(got[0])) == 0)
			break;
		memcpy(got, again, (size_t)m * sizeof(got[0]));
		n = m;
	}
	for (i = 0; i < n && fn != NULL; i++)
		fn(&got[i], arg);
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
	stat_for_proc_locks(fd, path, &st);
	if (proc_locks(&st, add_flock_holder, list) == -1)
		snprintf(list, TEXT_SIZE, "a flock lock (/proc/locks, which "
		    "would name its holder, cannot be read)");
	else if (list[0] == '\0')
		snprintf(list, TEXT_SIZE, "a flock lock whose holder "
		    "/proc/locks does not show");
	return list;
}
