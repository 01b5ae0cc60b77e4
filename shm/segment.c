/*
 * segment.c - write, read, info and rm: a segment that outlives us.  The
 * classic System V sequence, one command at a time: shmget(2) finds or
 * makes the segment by its key, shmat(2) maps it, plain stores and loads
 * move the text, shmdt(2) unmaps it, and the text stays in the kernel
 * until rm's shmctl(2) IPC_RMID.  Each command's POSIX variant (--posix:
 * shm_open(3), mmap(2), shm_unlink(3)) follows its System V one.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-shm.h"

/* The size write gives a segment it creates. */
#define DEFAULT_SIZE	4096

static int	open_sysv(const struct opts *, const struct segment *,
		    size_t len);
static int	open_posix(const struct opts *, const struct segment *,
		    size_t len);
static void	check_room(const struct opts *, const struct segment *,
		    size_t len, size_t size);
static int	find_sysv(const struct segment *, int mode);

/*
 * write TEXT: put TEXT and a NUL into the segment, making it if it is
 * missing.  The text stays there after we exit: the segment belongs to
 * the kernel, not to the process that made it.
 */
static void
write_sysv(const struct opts *o, const struct segment *s, const char *text)
{
	size_t len = strlen(text);
	struct shmid_ds ds;
	char *p;
	int id;

	id = open_sysv(o, s, len);
	/* The kernel's record of the segment: its size, among much else. */
	if (shmctl(id, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d (%s)", id, s->label);
	refuse_unless_ours(s, ds.shm_perm.uid != geteuid() ? ds.shm_perm.uid :
	    ds.shm_perm.cuid);
	check_room(o, s, len, ds.shm_segsz);
	/* Attach: the segment's pages appear in our address space. */
	if ((p = shmat(id, NULL, 0)) == (void *)-1)
		shmat_failed(s->label, id);
	say("shmat(%d, NULL, 0) -> %p: the segment is part of our memory now",
	    id, (void *)p);
	/*
	 * Writing is plain stores to memory: no system call, no copy by
	 * the kernel.  Clear what is left of a longer, older text, so a
	 * reader sees ours alone.
	 */
	memcpy(p, text, len);
	memset(p + len, 0, strnlen(p + len, ds.shm_segsz - len));
	say("copied %zu bytes and a NUL into it with memcpy: ordinary stores",
	    len);
	if (shmdt(p) == -1)
		err(1, "shmdt %s", s->label);
	say("shmdt(%p): detached; the text stays in the kernel until "
	    "'ipc-shm rm'", (void *)p);
}

/*
 * The segment's id: look it up, or make it with -s SIZE bytes (LEN, the
 * text's, must fit with its NUL) and -m MODE.
 */
static int
open_sysv(const struct opts *o, const struct segment *s, size_t len)
{
	size_t size = o->size ? o->size : DEFAULT_SIZE;
	int id, tries;

	for (tries = 0;; tries++) {
		/*
		 * Look it up first.  On a segment that exists, the mode bits
		 * ask for access: 0600 asks to read and write, so a segment
		 * that is not ours is refused here, by its key.
		 */
		if ((id = shmget(s->key, 0, 0600)) != -1) {
			say("shmget(0x%08x, 0, 0600) -> shmid %d: the segment "
			    "exists", (unsigned int)s->key, id);
			break;
		}
		if (errno != ENOENT)
			shmget_failed(s->label, s->key, s->is_default, 0);
		if (len + 1 > size)
			usage_error("TEXT needs %zu bytes with its NUL; a new "
			    "segment gets %zu (-s SIZE for more)", len + 1,
			    size);
		/* IPC_EXCL: if someone made it since we looked, look again. */
		id = shmget(s->key, size, IPC_CREAT | IPC_EXCL | o->mode);
		if (id != -1) {
			say("shmget(0x%08x, %zu, IPC_CREAT|IPC_EXCL|0%03o) -> "
			    "shmid %d: a new segment, full of zeros",
			    (unsigned int)s->key, size, (unsigned int)o->mode,
			    id);
			break;
		}
		if (errno != EEXIST || tries > 0)
			shmget_failed(s->label, s->key, s->is_default, size);
	}
	return id;
}

/* The same for a POSIX object: a file under /dev/shm, mapped. */
static void
write_posix(const struct opts *o, const struct segment *s, const char *text)
{
	size_t len = strlen(text);
	struct stat st;
	char *p;
	int fd;

	fd = open_posix(o, s, len);
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", s->label);
	require_shm_file(s, &st, 1);
	check_room(o, s, len, (size_t)st.st_size);
	/* MAP_SHARED: our stores go to the object, for everyone to see. */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap %s", s->label);
	say("mmap(NULL, %lld, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0) -> %p",
	    (long long)st.st_size, fd, (void *)p);
	/* The mapping keeps the object in use; the descriptor can go. */
	if (close(fd) == -1)
		err(1, "close %s", s->label);
	memcpy(p, text, len);
	memset(p + len, 0, strnlen(p + len, (size_t)st.st_size - len));
	say("copied %zu bytes and a NUL into it with memcpy: ordinary stores",
	    len);
	if (munmap(p, (size_t)st.st_size) == -1)
		err(1, "munmap %s", s->label);
	say("munmap: unmapped; the text stays in /dev/shm%s until "
	    "'ipc-shm --posix rm'", s->name);
}

/* The object's descriptor: open it, or make it, as open_sysv does. */
static int
open_posix(const struct opts *o, const struct segment *s, size_t len)
{
	size_t size = o->size ? o->size : DEFAULT_SIZE;
	int fd, tries;

	for (tries = 0;; tries++) {
		if ((fd = shm_open(s->name, O_RDWR, 0)) != -1) {
			say("shm_open(\"%s\", O_RDWR) -> fd %d: the object "
			    "exists", s->name, fd);
			break;
		}
		if (errno != ENOENT)
			shm_open_failed(s->name, s->is_default);
		if (len + 1 > size)
			usage_error("TEXT needs %zu bytes with its NUL; a new "
			    "object gets %zu (-s SIZE for more)", len + 1,
			    size);
		fd = shm_open(s->name, O_RDWR | O_CREAT | O_EXCL, o->mode);
		if (fd != -1) {
			say("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0%03o) -> "
			    "fd %d: a new file, /dev/shm%s, 0 bytes long",
			    s->name, (unsigned int)o->mode, fd, s->name);
			/* The mode went through the umask, as open(2)'s does. */
			if (fchmod(fd, o->mode) == -1)
				err(1, "fchmod %s", s->label);
			/* A new object is empty: give it its size. */
			if (ftruncate(fd, (off_t)size) == -1)
				err(1, "ftruncate %s to %zu bytes", s->label,
				    size);
			say("ftruncate(%d, %zu): now it has %zu bytes, all "
			    "zeros", fd, size, size);
			break;
		}
		if (errno != EEXIST || tries > 0)
			shm_open_failed(s->name, s->is_default);
	}
	return fd;
}

/*
 * Whether TEXT, LEN bytes and a NUL, fits the SIZE bytes the segment or
 * object has: -s only sizes a new one, and a full one is an error.
 */
static void
check_room(const struct opts *o, const struct segment *s, size_t len,
    size_t size)
{
	const char *what = s->posix ? "object" : "segment";

	if (o->size != 0 && o->size != size)
		say("the %s already has %zu bytes; -s applies only when write "
		    "makes it", what, size);
	if (len + 1 > size)
		errx(1, "%s: TEXT needs %zu bytes with its NUL; the %s holds "
		    "%zu ('ipc-shm %srm', then write with -s)", s->label,
		    len + 1, what, size, s->posix ? "--posix " : "");
}

int
cmd_write(struct opts *o, int argc, char **argv)
{
	struct segment s;

	if (argc != 1)
		usage_error("write takes one TEXT; quote it if it has spaces");
	if (o->size != 0 && strlen(argv[0]) + 1 > o->size)
		usage_error("-s %zu: TEXT needs %zu bytes with its NUL", o->size,
		    strlen(argv[0]) + 1);
	/* What write makes, its owner must be able to use: 0600 at least. */
	require_writable_mode(o->mode, o->posix);
	pick_segment(o, &s);
	if (s.posix)
		write_posix(o, &s, argv[0]);
	else
		write_sysv(o, &s, argv[0]);
	return 0;
}

/* read, info and rm take no arguments; --posix picks the kind. */
static int
on_segment(struct opts *o, int argc, char **argv, const char *cmd,
    void (*sysv)(const struct segment *),
    void (*posix)(const struct segment *))
{
	struct segment s;

	(void)argv;
	if (argc > 0)
		usage_error("%s takes no arguments", cmd);
	pick_segment(o, &s);
	if (s.posix)
		posix(&s);
	else
		sysv(&s);
	return 0;
}

/*
 * The id of the segment S names, which must exist: shmget(2) without
 * IPC_CREAT, asking for the access MODE.
 */
static int
find_sysv(const struct segment *s, int mode)
{
	int id;

	if ((id = shmget(s->key, 0, mode)) == -1)
		shmget_failed(s->label, s->key, s->is_default, 0);
	say("shmget(0x%08x, 0, %#o) -> shmid %d", (unsigned int)s->key,
	    (unsigned int)mode, id);
	return id;
}

/* Print the text at P: the bytes up to the first NUL, then a newline. */
static void
print_text(const char *p, size_t size)
{
	fwrite(p, 1, strnlen(p, size), stdout);
	putchar('\n');
}

/* read: attach read-only and print the text up to the first NUL. */
static void
read_sysv(const struct segment *s)
{
	struct shmid_ds ds;
	char *p;
	int id;

	/* 0400: we ask to read, and only to read. */
	id = find_sysv(s, 0400);
	if (shmctl(id, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d (%s)", id, s->label);
	refuse_unless_ours(s, ds.shm_perm.uid != geteuid() ? ds.shm_perm.uid :
	    ds.shm_perm.cuid);
	if ((p = shmat(id, NULL, SHM_RDONLY)) == (void *)-1)
		shmat_failed(s->label, id);
	say("shmat(%d, NULL, SHM_RDONLY) -> %p: a store there would be a "
	    "segmentation fault", id, (void *)p);
	print_text(p, ds.shm_segsz);
	if (shmdt(p) == -1)
		err(1, "shmdt %s", s->label);
	say("shmdt(%p): detached", (void *)p);
}

/* read --posix: map the object read-only. */
static void
read_posix(const struct segment *s)
{
	struct stat st;
	char *p;
	int fd;

	/* O_NONBLOCK: a FIFO put under the name would block the open. */
	if ((fd = shm_open(s->name, O_RDONLY | O_NONBLOCK, 0)) == -1)
		shm_open_failed(s->name, s->is_default);
	say("shm_open(\"%s\", O_RDONLY|O_NONBLOCK) -> fd %d", s->name, fd);
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", s->label);
	require_shm_file(s, &st, 1);
	if (st.st_size == 0) {
		say("the object is 0 bytes long: nothing to map");
		putchar('\n');
		if (close(fd) == -1)
			err(1, "close %s", s->label);
		return;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap %s", s->label);
	say("mmap(NULL, %lld, PROT_READ, MAP_SHARED, %d, 0) -> %p",
	    (long long)st.st_size, fd, (void *)p);
	if (close(fd) == -1)
		err(1, "close %s", s->label);
	print_text(p, (size_t)st.st_size);
	if (munmap(p, (size_t)st.st_size) == -1)
		err(1, "munmap %s", s->label);
}

int
cmd_read(struct opts *o, int argc, char **argv)
{
	return on_segment(o, argc, argv, "read", read_sysv, read_posix);
}

/* info: what the kernel records about the segment, its struct shmid_ds. */
static void
info_sysv(const struct segment *s)
{
	char buf[128], t[64];
	struct shmid_ds ds;
	int id;

	/* IPC_STAT needs read permission, so we ask for it (0400). */
	id = find_sysv(s, 0400);
	if (shmctl(id, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d (%s)", id, s->label);
	say("shmctl(%d, IPC_STAT) -> the kernel's struct shmid_ds", id);
	printf("key      0x%08x\n", (unsigned int)s->key);
	printf("shmid    %d\n", id);
	printf("size     %zu bytes\n", (size_t)ds.shm_segsz);
	printf("mode     %04o%s\n", (unsigned int)(ds.shm_perm.mode & 0777),
	    (ds.shm_perm.mode & SHM_DEST) ? " (marked for removal)" : "");
	printf("owner    %s\n", owner_text(ds.shm_perm.uid, ds.shm_perm.gid,
	    buf, sizeof(buf)));
	printf("creator  %s\n", owner_text(ds.shm_perm.cuid,
	    ds.shm_perm.cgid, buf, sizeof(buf)));
	printf("nattch   %lu\n", (unsigned long)ds.shm_nattch);
	printf("cpid     %ld\n", (long)ds.shm_cpid);
	printf("lpid     %ld\n", (long)ds.shm_lpid);
	printf("atime    %s\n", format_time(ds.shm_atime, t, sizeof(t)));
	printf("dtime    %s\n", format_time(ds.shm_dtime, t, sizeof(t)));
	printf("ctime    %s\n", format_time(ds.shm_ctime, t, sizeof(t)));
}

/* info --posix: a POSIX object is a file; fstat says all the kernel keeps. */
static void
info_posix(const struct segment *s)
{
	char buf[128];
	struct stat st;
	int fd;

	if ((fd = shm_open(s->name, O_RDONLY | O_NONBLOCK, 0)) == -1)
		shm_open_failed(s->name, s->is_default);
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", s->label);
	require_shm_file(s, &st, 0);
	say("fstat(%d): the object is a file on the tmpfs at /dev/shm", fd);
	if (close(fd) == -1)
		err(1, "close %s", s->label);
	printf("name     %s\n", s->name);
	printf("file     /dev/shm%s\n", s->name);
	printf("size     %lld bytes\n", (long long)st.st_size);
	printf("mode     %04o\n", (unsigned int)(st.st_mode & 07777));
	printf("owner    %s\n", owner_text(st.st_uid, st.st_gid, buf,
	    sizeof(buf)));
	say("no attach count is kept for a POSIX object: "
	    "/proc/PID/maps shows who has it mapped");
}

int
cmd_info(struct opts *o, int argc, char **argv)
{
	return on_segment(o, argc, argv, "info", info_sysv, info_posix);
}

/* rm: remove the segment; memory still attached lives on until detached. */
static void
rm_sysv(const struct segment *s)
{
	struct shmid_ds ds;
	int id;

	/* Removal asks no mode bits: only the owner or creator may do it. */
	id = find_sysv(s, 0);
	/* Only to narrate the attach count; a stranger may not read it. */
	if (shmctl(id, IPC_STAT, &ds) == -1)
		ds.shm_nattch = 0;
	if (shmctl(id, IPC_RMID, NULL) == -1) {
		if (errno == EPERM)
			errx(1, "shmctl IPC_RMID shmid %d (%s): %s (only its "
			    "owner or creator may remove it)", id, s->label,
			    strerror(errno));
		err(1, "shmctl IPC_RMID shmid %d (%s)", id, s->label);
	}
	if (ds.shm_nattch > 0)
		say("shmctl(%d, IPC_RMID): %lu processes still have it "
		    "attached; it lives on, its key 0 and marked 'dest' in "
		    "ipcs -m, until the last one detaches", id,
		    (unsigned long)ds.shm_nattch);
	else
		say("shmctl(%d, IPC_RMID): nobody had it attached, so it is "
		    "gone at once", id);
}

/* rm --posix: like unlink(2), the name goes; mappings keep the memory. */
static void
rm_posix(const struct segment *s)
{
	if (shm_unlink(s->name) == -1) {
		if (errno == ENOENT)
			errx(1, "shm_unlink %s: %s (there is no such object)",
			    s->label, strerror(errno));
		err(1, "shm_unlink %s", s->label);
	}
	say("shm_unlink(\"%s\"): /dev/shm%s is gone", s->name, s->name);
}

int
cmd_rm(struct opts *o, int argc, char **argv)
{
	return on_segment(o, argc, argv, "rm", rm_sysv, rm_posix);
}
