/*
 * region.c - memory this run makes for itself, that no one else knows
 * about: for the demo's variants and the bench, a System V segment with
 * no key (IPC_PRIVATE), a POSIX object with our pid in its name
 * (--posix) or a memfd (--memfd); for mmap, a file of two pages in our
 * private run directory.  So nothing here looks up names or owners; the
 * removal of each is registered the moment it exists.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-shm.h"

/*
 * Remove the region's object.  The cleanup registry calls this on exit,
 * on error and on SIGINT, SIGTERM or SIGHUP; the normal path too, through
 * cleanup_run().  Someone may have removed it first (ipcrm): fine.
 */
static void
remove_region(void *arg)
{
	struct region *r = arg;

	switch (r->kind) {
	case SYSV:
		remove_segment(&r->shmid);
		break;
	case POSIX:
		if (shm_unlink(r->name) == 0)
			say("shm_unlink(\"%s\"): the name is removed", r->name);
		else if (errno == ENOENT)
			say("%s was already removed", r->name);
		else
			warn("shm_unlink %s", r->name);
		break;
	case MEMFD:
		/* No name: it goes with its last descriptor and mapping. */
		break;
	}
}

/* A file in no directory: only descriptors reach it. */
static void
new_region_memfd(struct region *r, size_t size)
{
#ifdef HAVE_MEMFD_CREATE
	r->kind = MEMFD;
	r->fd = memfd_create("ipclab-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (r->fd == -1)
		err(1, "memfd_create");
	say("memfd_create(\"ipclab-shm\", MFD_CLOEXEC|"
	    "MFD_ALLOW_SEALING) -> fd %d: a file in memory, in no "
	    "directory", r->fd);
	if (ftruncate(r->fd, (off_t)size) == -1)
		err(1, "ftruncate memfd to %zu bytes", size);
	say("ftruncate(%d, %zu): %zu bytes, all zeros", r->fd, size, size);
	r->addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd,
	    0);
	if (r->addr == MAP_FAILED)
		err(1, "mmap memfd");
	say("mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0) "
	    "-> %p", size, r->fd, r->addr);
#else
	(void)r;
	(void)size;
	errx(1, "--memfd: this system has no memfd_create");
#endif
}

/* A name with our pid in it: two runs never meet. */
static void
new_region_posix(struct region *r, size_t size)
{
	int fd;

	r->kind = POSIX;
	private_posix_name(r->name, sizeof(r->name), "shm");
	fd = shm_open(r->name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd == -1)
		shm_open_failed(r->name, 0);
	at_exit_call(remove_region, r);
	say("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0600) -> fd %d: "
	    "the file /dev/shm%s", r->name, fd, r->name);
	if (ftruncate(fd, (off_t)size) == -1)
		err(1, "ftruncate %s to %zu bytes", r->name, size);
	say("ftruncate(%d, %zu): %zu bytes, all zeros", fd, size, size);
	r->addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->addr == MAP_FAILED)
		err(1, "mmap %s", r->name);
	say("mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0) "
	    "-> %p", size, fd, r->addr);
	if (close(fd) == -1)
		err(1, "close %s", r->name);
	say("close(%d): the mapping keeps the object in use", fd);
}

/* IPC_PRIVATE: a new segment no key leads to; only its id does. */
static void
new_region_sysv(struct region *r, size_t size)
{
	r->kind = SYSV;
	if ((r->shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600)) == -1)
		shmget_failed("IPC_PRIVATE", IPC_PRIVATE, 0, size);
	at_exit_call(remove_region, r);
	say("shmget(IPC_PRIVATE, %zu, IPC_CREAT|0600) -> shmid %d: "
	    "'ipcs -m' lists it with key 0x00000000", size, r->shmid);
	if ((r->addr = shmat(r->shmid, NULL, 0)) == (void *)-1)
		err(1, "shmat shmid %d", r->shmid);
	say("shmat(%d, NULL, 0) -> %p", r->shmid, r->addr);
}

void
new_region(const struct opts *o, struct region *r, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->fd = -1;
	if (o->memfd)
		new_region_memfd(r, size);
	else if (o->posix)
		new_region_posix(r, size);
	else
		new_region_sysv(r, size);
}

void
drop_region(struct region *r)
{
	if (r->kind == SYSV) {
		if (shmdt(r->addr) == -1)
			err(1, "shmdt shmid %d", r->shmid);
		say("shmdt(%p): detached", r->addr);
	} else {
		if (munmap(r->addr, r->size) == -1)
			err(1, "munmap");
		say("munmap(%p, %zu): unmapped", r->addr, r->size);
	}
	if (r->fd != -1 && close(r->fd) == -1)
		err(1, "close memfd");
	r->fd = -1;
}

/*
 * A memfd can be sealed: once F_SEAL_SHRINK and F_SEAL_GROW are on, its
 * size is fixed for good, so a process that receives the descriptor can
 * map it without fearing that the file shrinks under the mapping (a
 * store past the end of a file is SIGBUS).
 */
void
seal_memfd(struct region *r)
{
#ifdef HAVE_MEMFD_CREATE
	off_t bigger = (off_t)r->size * 2;

	if (fcntl(r->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == -1)
		err(1, "fcntl F_ADD_SEALS");
	say("fcntl(%d, F_ADD_SEALS, F_SEAL_SHRINK|F_SEAL_GROW): the size is "
	    "fixed now (F_GET_SEALS -> %#x)", r->fd,
	    (unsigned int)fcntl(r->fd, F_GET_SEALS));
	if (ftruncate(r->fd, bigger) == 0)
		errx(1, "ftruncate of a sealed memfd succeeded");
	if (errno != EPERM)
		err(1, "ftruncate memfd");
	say("ftruncate(%d, %lld) -> -1, errno EPERM", r->fd,
	    (long long)bigger);
	printf("ftruncate to %lld bytes refused: %s (the size is sealed)\n",
	    (long long)bigger, strerror(EPERM));
#else
	(void)r;
#endif
}

/*
 * The file mmap maps: PATH (of LEN bytes) in our private run directory,
 * ours alone (O_EXCL, O_NOFOLLOW), removed at exit.  Two pages, each
 * starting with the SIZE bytes of TEXT.  Returns its descriptor.
 */
int
new_mmap_file(char *path, size_t len, long page, const char *text,
    size_t size)
{
	char leaf[64];
	int fd;

	snprintf(leaf, sizeof(leaf), "shm-mmap-%ld", (long)getpid());
	rundir_path(path, len, leaf);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1)
		err(1, "open %s", path);
	at_exit_unlink(path);
	if (ftruncate(fd, 2 * page) == -1)
		err(1, "ftruncate %s", path);
	if (pwrite(fd, text, size, 0) != (ssize_t)size ||
	    pwrite(fd, text, size, page) != (ssize_t)size)
		err(1, "write %s", path);
	say("open(\"%s\") -> fd %d; wrote \"%s\" at the start of each of its "
	    "two pages", path, fd, text);
	return fd;
}
