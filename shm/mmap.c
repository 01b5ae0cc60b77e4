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
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-shm.h"

static const char from_file[] = FROM_FILE, from_parent[] = FROM_PARENT,
    from_child[] = FROM_CHILD;

/*
 * The fd argument of a MAP_ANONYMOUS mmap(2): there is no file, and
 * POSIX asks for -1.  A variable rather than a literal only because
 * cppcheck 2.10's posix.cfg wrongly wants mmap's fd to be >= 0.
 */
static int no_file = -1;

/* The kinds in the order the lesson makes them. */
static const char *const kind[4] = {
	"shared, file-backed", "shared, anonymous", "private, file-backed",
	"private, anonymous"
};

static char	*map_shared_file(int fd, long page);
static char	*map_shared_anonymous(long page);
static char	*map_private_file(int fd, long page);
static char	*map_private_anonymous(long page);

/*
 * The classic: the four kinds made, one fork(), the child stores into
 * each, and the parent looks at what it sees and what reached the file.
 */
static void
mmap_kinds(long page)
{
	char path[PATH_MAX], before[4][32], file[2][32];
	char *map[4];
	pid_t pid;
	int fd, i, status;

	narrate_role("parent");
	/* Page 0 for the shared mapping, page 1 for the private one. */
	fd = new_mmap_file(path, sizeof(path), page, from_file,
	    sizeof(from_file));
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
	say_fork("the child");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0) {
		narrate_role("child");
		/*
		 * The same four mappings.  Shared pages stay shared; private
		 * ones are copied on the first store, for the child alone.
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
	/*
	 * What reached the file?  No msync(2) needed: read(2) and a shared
	 * mapping use the same page-cache pages; msync only pushes them
	 * to the disk.
	 */
	memset(file, 0, sizeof(file));
	if (pread(fd, file[0], sizeof(file[0]) - 1, 0) == -1 ||
	    pread(fd, file[1], sizeof(file[1]) - 1, page) == -1)
		err(1, "read %s", path);
	say("pread(fd %d) of both pages: what the file holds now", fd);
	report_mappings(kind, map, before, file);
	for (i = 0; i < 4; i++)
		if (munmap(map[i], (size_t)page) == -1)
			err(1, "munmap");
	if (close(fd) == -1)
		err(1, "close %s", path);
	/* Remove the file now (the registry would at exit, too). */
	cleanup_run();
	say("removed %s", path);
}

/* Each kind below is one mmap(2) call, P; this checks and narrates it. */
static char *
mapped(char *p, int k, const char *flags, int fd, long offset, long page)
{
	if (p == MAP_FAILED)
		err(1, "mmap %s", kind[k]);
	say("mmap(NULL, %ld, PROT_READ|PROT_WRITE, %s, %d, %ld) -> %p%s", page,
	    flags, fd, offset, (void *)p, fd == -1 ? ": zeros, no file" : "");
	return p;
}

/* Shared, file-backed: the file's own pages; stores reach the file. */
static char *
map_shared_file(int fd, long page)
{
	return mapped(mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0), 0, "MAP_SHARED", fd, 0, page);
}

/* Shared, anonymous: no file; only fork() passes it on. */
static char *
map_shared_anonymous(long page)
{
	return mapped(mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, no_file, 0), 1,
	    "MAP_SHARED|MAP_ANONYMOUS", no_file, 0, page);
}

/* Private, file-backed: the file's second page, ours alone once stored. */
static char *
map_private_file(int fd, long page)
{
	return mapped(mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE, fd, (off_t)page), 2, "MAP_PRIVATE", fd, page, page);
}

/* Private, anonymous: plain memory, as malloc(3) gets for big blocks. */
static char *
map_private_anonymous(long page)
{
	return mapped(mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, no_file, 0), 3,
	    "MAP_PRIVATE|MAP_ANONYMOUS", no_file, 0, page);
}

/* mmap: the classic, which takes no arguments. */
int
cmd_mmap(struct opts *o, int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);

	(void)o;
	(void)argv;
	if (argc > 0)
		usage_error("mmap takes no arguments");
	if (page == -1)
		err(1, "sysconf _SC_PAGESIZE");
	mmap_kinds(page);
	return 0;
}
