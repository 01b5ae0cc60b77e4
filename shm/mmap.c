/*
 * mmap.c - mmap: the four kinds of mapping, shared or private, backed by
 * a file or anonymous, across fork(2).  The classic table of TLPI's
 * chapter 49 ("Memory Mappings"), shown: the parent makes all four, a
 * child writes into each, and the parent looks at what it sees and at
 * what reached the file.  Each kind is a small function after the lesson.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-shm.h"

static const char from_file[] = "from the file",
    from_parent[] = "from the parent", from_child[] = "from the child";

/* The kinds in the order the lesson makes them. */
static const char *const kind[4] = {
	"shared, file-backed", "shared, anonymous", "private, file-backed",
	"private, anonymous"
};

static char	*map_shared_file(int fd, long page);
static char	*map_shared_anonymous(long page);
static char	*map_private_file(int fd, long page);
static char	*map_private_anonymous(long page);
static void	 show_mappings(int fd, const char *path, long page,
		    char *const map[4], char before[4][32]);

int
cmd_mmap(struct opts *o, int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	char path[PATH_MAX], leaf[64], before[4][32];
	char *map[4];
	pid_t pid;
	int fd, i, status;

	(void)o;
	(void)argv;
	if (argc > 0)
		usage_error("mmap takes no arguments");
	if (page == -1)
		err(1, "sysconf _SC_PAGESIZE");
	narrate_role("parent");
	/* A file of our own, in our private run directory. */
	snprintf(leaf, sizeof(leaf), "shm-mmap-%ld", (long)getpid());
	rundir_path(path, sizeof(path), leaf);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1)
		err(1, "open %s", path);
	at_exit_unlink(path);
	/* Page 0 for the shared mapping, page 1 for the private one. */
	if (ftruncate(fd, 2 * page) == -1)
		err(1, "ftruncate %s", path);
	if (pwrite(fd, from_file, sizeof(from_file), 0) !=
	    (ssize_t)sizeof(from_file) ||
	    pwrite(fd, from_file, sizeof(from_file), page) !=
	    (ssize_t)sizeof(from_file))
		err(1, "write %s", path);
	say("open(\"%s\") -> fd %d; wrote \"%s\" at the start of each of its "
	    "two pages", path, fd, from_file);
	map[0] = map_shared_file(fd, page);
	map[1] = map_shared_anonymous(page);
	map[2] = map_private_file(fd, page);
	map[3] = map_private_anonymous(page);
	/* Anonymous memory starts as zeros; give it a text to compare with. */
	memcpy(map[1], from_parent, sizeof(from_parent));
	memcpy(map[3], from_parent, sizeof(from_parent));
	for (i = 0; i < 4; i++)
		snprintf(before[i], sizeof(before[i]), "%s", map[i]);

	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		narrate_role("child");
		/*
		 * fork() gave the child the same four mappings.  Shared
		 * pages stay shared; private ones are copied on the first
		 * store (copy-on-write), so the copy is the child's alone.
		 */
		for (i = 0; i < 4; i++) {
			memcpy(map[i], from_child, sizeof(from_child));
			say("wrote \"%s\" into the %s mapping%s", from_child,
			    kind[i], i < 2 ? "" : ": the kernel copied the "
			    "page first, for this process only");
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld", (long)pid);
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "child", status), "child");
	show_mappings(fd, path, page, map, before);
	for (i = 0; i < 4; i++)
		if (munmap(map[i], (size_t)page) == -1)
			err(1, "munmap");
	if (close(fd) == -1)
		err(1, "close %s", path);
	/* Remove the file now (the registry would at exit, too). */
	cleanup_run();
	say("removed %s", path);
	return 0;
}

/* Shared, file-backed: the file's own pages; stores reach the file. */
static char *
map_shared_file(int fd, long page)
{
	char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);

	if (p == MAP_FAILED)
		err(1, "mmap %s", kind[0]);
	say("mmap(NULL, %ld, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0) -> %p",
	    page, fd, (void *)p);
	return p;
}

/* Shared, anonymous: no file (fd -1); only fork() passes it on. */
static char *
map_shared_anonymous(long page)
{
	char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		err(1, "mmap %s", kind[1]);
	say("mmap(NULL, %ld, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, "
	    "-1, 0) -> %p: zeros, no file", page, (void *)p);
	return p;
}

/* Private, file-backed: the file's second page, ours alone once stored. */
static char *
map_private_file(int fd, long page)
{
	char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE, fd, (off_t)page);

	if (p == MAP_FAILED)
		err(1, "mmap %s", kind[2]);
	say("mmap(NULL, %ld, PROT_READ|PROT_WRITE, MAP_PRIVATE, %d, %ld) -> "
	    "%p", page, fd, page, (void *)p);
	return p;
}

/* Private, anonymous: plain memory, as malloc(3) gets for big blocks. */
static char *
map_private_anonymous(long page)
{
	char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		err(1, "mmap %s", kind[3]);
	say("mmap(NULL, %ld, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, "
	    "-1, 0) -> %p: zeros, no file", page, (void *)p);
	return p;
}

/*
 * What the parent sees after the child wrote, and what reached the file.
 * No msync(2) needed: read(2) and a shared mapping use the same
 * page-cache pages; msync only pushes them to the disk.
 */
static void
show_mappings(int fd, const char *path, long page, char *const map[4],
    char before[4][32])
{
	char file[2][32];
	int i;

	for (i = 0; i < 2; i++) {
		memset(file[i], 0, sizeof(file[i]));
		if (pread(fd, file[i], sizeof(file[i]) - 1, i * page) == -1)
			err(1, "read %s", path);
	}
	say("pread(fd %d) of both pages: what the file holds now", fd);
	printf("%-22s %-17s %-17s %s\n", "mapping", "before the child",
	    "parent sees", "file holds");
	for (i = 0; i < 4; i++)
		printf("%-22s %-17s %-17s %s\n", kind[i], before[i], map[i],
		    i == 0 ? file[0] : i == 2 ? file[1] : "-");
	/* Linux promises exactly this; anything else is a failure. */
	if (strcmp(map[0], from_child) != 0 ||
	    strcmp(map[1], from_child) != 0 ||
	    strcmp(map[2], from_file) != 0 ||
	    strcmp(map[3], from_parent) != 0 ||
	    strcmp(file[0], from_child) != 0 ||
	    strcmp(file[1], from_file) != 0)
		errx(1, "the mappings did not behave as mmap(2) says");
}
