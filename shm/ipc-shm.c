/*
 * ipc-shm - shared memory: the same pages of memory in two processes.
 *
 * Teaches: System V segments (ftok(3), shmget(2), shmat(2), shmdt(2),
 * shmctl(2) with IPC_STAT and IPC_RMID); POSIX shared memory objects
 * (shm_open(3), ftruncate(2), mmap(2), munmap(2), shm_unlink(3)), which
 * are files under /dev/shm; memfd_create(2) and its seals (F_ADD_SEALS);
 * MAP_SHARED against MAP_PRIVATE and file-backed against anonymous
 * mappings across fork(2); and why shared memory needs synchronisation of
 * its own: unnamed POSIX semaphores inside the segment (sem_init(3) with
 * pshared, sem_wait(3), sem_post(3)), or flags spun on.
 *
 * Try:
 *	$ ipc-shm write 'hello, segment'; ipc-shm read; ipc-shm info
 *	$ ipcs -m; ipc-shm rm
 *	$ ipc-shm --posix write hi; cat /dev/shm/ipclab-$(id -u)-shm; echo
 *	$ ipc-shm --posix rm
 *	$ ipc-shm demo; ipc-shm demo --no-sem; ipc-shm demo --memfd
 *	$ ipc-shm mmap
 *	$ ipc-shm bench -s 64K; ipc-shm bench --latency --spin
 *	$ strace -f -e trace=shmget,shmat,shmdt,shmctl,futex ipc-shm demo -n 3
 *
 * See also: shmget(2), shmat(2), shmctl(2), shm_open(3), mmap(2),
 * memfd_create(2), sem_init(3), shm_overview(7), sysvipc(7), ipclab(7)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipclab.h"

/* ftok(3)'s project id for this chapter: 'm' for memory. */
#define PROJ_SHM	'm'
/* The size write gives a segment it creates. */
#define DEFAULT_SIZE	4096
/* demo: messages handed over, and how many of them are narrated. */
#define DEMO_COUNT	5000
#define DEMO_NARRATED	2
/* bench: a cache line, so each spin flag has one to itself. */
#define LINE		64
/* bench --spin: loads of a flag before we offer the CPU to others. */
#define SPINS		4096

struct opts {
	int		 posix;		/* --posix: shm_open, not shmget */
	int		 memfd;		/* --memfd: memfd_create (demo, bench) */
	key_t		 key;		/* -k; 0 when not given */
	const char	*path;		/* -f: the path ftok(3) uses */
	int		 proj;		/* -P: ftok(3)'s project id; 0: 'm' */
	const char	*name;		/* -N: a POSIX name */
	mode_t		 mode;		/* -m: the mode write creates with */
	size_t		 size;		/* -s; 0 for the default */
	long long	 count;		/* -n; 0 for the default */
	int		 no_sem;	/* demo --no-sem */
	int		 latency;	/* bench --latency */
	int		 spin;		/* bench --spin */
	int		 cpu[2];	/* bench --cpu A,B */
};

/* The segment write, read, info and rm work on. */
struct segment {
	int		 posix;
	int		 is_default;	/* no -k, -f, -P or -N: the user's own */
	key_t		 key;		/* System V */
	char		 name[NAME_MAX + 2];	/* POSIX: "/NAME" */
	char		 label[NAME_MAX + 16];	/* how messages name it */
};

/* The region of memory demo and bench make for themselves. */
enum kind { SYSV, POSIX, MEMFD };

struct region {
	enum kind	 kind;
	void		*addr;		/* where it is mapped in this process */
	size_t		 size;
	int		 shmid;		/* SYSV */
	int		 fd;		/* MEMFD: kept to show the seals */
	char		 name[NAME_MAX + 2];	/* POSIX */
};

/* The other process of a demo or bench, to notice when it is gone. */
struct peer {
	pid_t		 pid;
	int		 is_parent;	/* we are the child; PID is our parent */
	const char	*role;		/* what it does: "writer" */
};

/* Helpers ----------------------------------------------------------------- */

/* The project id as a student would type it: 'm', or 7. */
static const char *
proj_text(int proj, char *buf, size_t len)
{
	if (isprint(proj))
		snprintf(buf, len, "'%c'", proj);
	else
		snprintf(buf, len, "%d", proj);
	return buf;
}

/*
 * Which segment the user means.  Usage errors come here, before anything
 * is made.  System V names a segment by a number, the key: -k gives it,
 * or ftok(3) derives it from a file's inode and a project id.  POSIX
 * names it like a file.
 */
static void
pick_segment(const struct opts *o, struct segment *s)
{
	char p[16];
	const char *path;
	int proj;

	memset(s, 0, sizeof(*s));
	s->posix = o->posix;
	if (o->posix) {
		if (o->key != 0 || o->path != NULL || o->proj != 0)
			usage_error("-k, -f and -P name System V segments; "
			    "a --posix object is named with -N /NAME");
		s->is_default = o->name == NULL;
		if (o->name != NULL)
			snprintf(s->name, sizeof(s->name), "%s", o->name);
		else
			default_posix_name(s->name, sizeof(s->name), "shm");
		snprintf(s->label, sizeof(s->label), "%s", s->name);
		return;
	}
	if (o->name != NULL)
		usage_error("-N names a POSIX object; add --posix");
	if (o->key != 0 && (o->path != NULL || o->proj != 0))
		usage_error("-k gives the key itself; -f and -P are for "
		    "ftok(3), which makes one");
	s->is_default = o->key == 0 && o->path == NULL && o->proj == 0;
	if (o->key != 0) {
		s->key = o->key;
	} else {
		/*
		 * No -k: the key comes from a file and a project id.  By
		 * default the file is our private run directory, so the key
		 * is ours and nobody else's.
		 */
		path = o->path != NULL ? o->path : rundir();
		proj = o->proj != 0 ? o->proj : PROJ_SHM;
		if ((s->key = ftok(path, proj)) == -1)
			err(1, "ftok %s", path);
		say("ftok(\"%s\", %s) -> key 0x%08x: made from the path's "
		    "inode and device numbers and the project id", path,
		    proj_text(proj, p, sizeof(p)), (unsigned int)s->key);
	}
	snprintf(s->label, sizeof(s->label), "key 0x%08x",
	    (unsigned int)s->key);
}

/*
 * shmget failed: say why in words a student can act on, naming the key
 * and, where a kernel limit is the cause, the /proc file that sets it.
 */
static void __attribute__((noreturn))
shmget_failed(const struct segment *s, size_t size)
{
	int e = errno;

	switch (e) {
	case ENOENT:
		errx(1, "shmget %s: %s (no segment has this key; 'ipc-shm "
		    "write TEXT' makes one)", s->label, strerror(e));
	case EACCES:
		if (s->is_default)
			errx(1, "shmget %s: %s (a segment with your default "
			    "key exists but belongs to someone else; choose "
			    "another key with -k KEY)", s->label, strerror(e));
		errx(1, "shmget %s: %s (its mode does not let you in; "
		    "'ipcs -m' shows its owner and perms)", s->label,
		    strerror(e));
	case EINVAL:
		errx(1, "shmget %s, %zu bytes: %s (/proc/sys/kernel/shmmax "
		    "is %lld)", s->label, size, strerror(e),
		    proc_limit("/proc/sys/kernel/shmmax"));
	case ENOSPC:
		errx(1, "shmget %s: %s (/proc/sys/kernel/shmmni allows %lld "
		    "segments and /proc/sys/kernel/shmall %lld pages in "
		    "all; one of them is used up)", s->label, strerror(e),
		    proc_limit("/proc/sys/kernel/shmmni"),
		    proc_limit("/proc/sys/kernel/shmall"));
	default:
		errno = e;
		err(1, "shmget %s", s->label);
	}
}

/* shm_open failed: the same, for a POSIX name. */
static void __attribute__((noreturn))
shm_open_failed(const struct segment *s)
{
	int e = errno;

	switch (e) {
	case ENOENT:
		errx(1, "shm_open %s: %s (no such object; 'ipc-shm --posix "
		    "write TEXT' makes one)", s->label, strerror(e));
	case EACCES:
		if (s->is_default)
			errx(1, "shm_open %s: %s (/dev/shm%s belongs to "
			    "someone else; choose another name with -N)",
			    s->label, strerror(e), s->name);
		errx(1, "shm_open %s: %s (its mode does not let you in; "
		    "'ls -l /dev/shm%s' shows its owner)", s->label,
		    strerror(e), s->name);
	default:
		errno = e;
		err(1, "shm_open %s", s->label);
	}
}

/*
 * A segment with our default key or name that someone else made is not
 * ours, whatever its mode lets us do: its maker could read what we write
 * or put words in our mouth.  write and read refuse it (info shows it,
 * rm removes it if we may); one named with -k, -f or -N is the user's
 * own choice and may be shared on purpose.  UID is whose it is: its
 * owner, or for System V the creator if that is not us (an owner can
 * give a segment away with IPC_SET; its creator stays).
 */
static void
refuse_unless_ours(const struct segment *s, uid_t uid)
{
	if (s->is_default)
		require_own_default((long)uid, s->label, s->posix ? "name" :
		    "key", s->posix ? "ipc-shm --posix info" : "ipc-shm info",
		    s->posix ? "-N /NAME" : "-k KEY");
}

/* shmat failed: a segment can vanish between shmget and shmat. */
static void __attribute__((noreturn))
shmat_failed(const struct segment *s, int id)
{
	if (errno == EIDRM || errno == EINVAL)
		errx(1, "shmat shmid %d (%s): %s (it was removed meanwhile)",
		    id, s->label, strerror(errno));
	err(1, "shmat shmid %d (%s)", id, s->label);
}

/* "uid 1000 (ann), gid 1000 (ann)" */
static const char *
owner_text(uid_t uid, gid_t gid, char *buf, size_t len)
{
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char pwbuf[1024], grbuf[4096];

	/* A name we cannot find (or that is too long) shows as '?'. */
	(void)getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &pwp);
	(void)getgrgid_r(gid, &gr, grbuf, sizeof(grbuf), &grp);
	snprintf(buf, len, "uid %ld (%s), gid %ld (%s)", (long)uid,
	    pwp != NULL ? pwp->pw_name : "?", (long)gid,
	    grp != NULL ? grp->gr_name : "?");
	return buf;
}

/*
 * A process that dies never posts a semaphore or sets a flag, and its
 * peer would wait for ever.  So every wait stops now and then to ask
 * whether the other process is still there.
 */
static void
peer_alive(const struct peer *p)
{
	char how[96];
	int status;
	pid_t r;

	if (p->is_parent) {
		/* An orphan is adopted by another process. */
		if (getppid() != p->pid)
			errx(1, "the %s (pid %ld) is gone; stopping", p->role,
			    (long)p->pid);
		return;
	}
	r = waitpid(p->pid, &status, WNOHANG);
	if (r == -1 && errno != EINTR)
		err(1, "waitpid %ld", (long)p->pid);
	if (r == p->pid) {
		at_exit_forget_child(p->pid);
		errx(1, "the %s %s before it was done", p->role,
		    describe_status(status, how, sizeof(how)));
	}
}

/*
 * sem_wait, cut into one-second slices so that a dead peer is noticed.
 * sem_trywait first: when the semaphore is already up, that is all it
 * takes, and no clock is read.  EINTR (a signal, or Ctrl-Z and fg) only
 * means: look at the signal flag, then wait again.
 */
static void
wait_sem(sem_t *sem, const char *name, const struct peer *peer)
{
	struct timespec limit;

	for (;;) {
		stop_if_signalled();
		if (sem_trywait(sem) == 0)
			return;
		if (errno != EAGAIN && errno != EINTR)
			err(1, "sem_trywait(%s)", name);
		if (clock_gettime(CLOCK_REALTIME, &limit) == -1)
			err(1, "clock_gettime");
		limit.tv_sec += 1;
		if (sem_timedwait(sem, &limit) == 0)
			return;
		if (errno == ETIMEDOUT)
			peer_alive(peer);
		else if (errno != EINTR)
			err(1, "sem_timedwait(%s)", name);
	}
}

static void
post_sem(sem_t *sem, const char *name)
{
	if (sem_post(sem) == -1)
		err(1, "sem_post(%s)", name);
}

/* CPU seconds, user and system, that this process has burned so far. */
static double
cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		err(1, "getrusage");
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* write, read, info, rm: a segment that outlives us --------------------- */

/*
 * write TEXT: put TEXT and a NUL into the segment, making it if it is
 * missing.  The text stays there after we exit: the segment belongs to
 * the kernel, not to the process that made it.
 */
static void
write_sysv(const struct opts *o, const struct segment *s, const char *text)
{
	size_t len = strlen(text), size = o->size ? o->size : DEFAULT_SIZE;
	struct shmid_ds ds;
	char *p;
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
			shmget_failed(s, 0);
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
			shmget_failed(s, size);
	}
	/* The kernel's record of the segment: its size, among much else. */
	if (shmctl(id, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d (%s)", id, s->label);
	refuse_unless_ours(s, ds.shm_perm.uid != geteuid() ? ds.shm_perm.uid :
	    ds.shm_perm.cuid);
	if (o->size != 0 && o->size != ds.shm_segsz)
		say("the segment already has %zu bytes; -s applies only when "
		    "write makes it", (size_t)ds.shm_segsz);
	if (len + 1 > ds.shm_segsz)
		errx(1, "%s: TEXT needs %zu bytes with its NUL; the segment "
		    "holds %zu ('ipc-shm rm', then write with -s)", s->label,
		    len + 1, (size_t)ds.shm_segsz);
	/* Attach: the segment's pages appear in our address space. */
	if ((p = shmat(id, NULL, 0)) == (void *)-1)
		shmat_failed(s, id);
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

static void
write_posix(const struct opts *o, const struct segment *s, const char *text)
{
	size_t len = strlen(text), size = o->size ? o->size : DEFAULT_SIZE;
	struct stat st;
	char *p;
	int fd, tries;

	for (tries = 0;; tries++) {
		if ((fd = shm_open(s->name, O_RDWR, 0)) != -1) {
			say("shm_open(\"%s\", O_RDWR) -> fd %d: the object "
			    "exists", s->name, fd);
			break;
		}
		if (errno != ENOENT)
			shm_open_failed(s);
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
			shm_open_failed(s);
	}
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", s->label);
	refuse_unless_ours(s, st.st_uid);
	if (o->size != 0 && (off_t)o->size != st.st_size)
		say("the object already has %lld bytes; -s applies only when "
		    "write makes it", (long long)st.st_size);
	if ((off_t)len + 1 > st.st_size)
		errx(1, "%s: TEXT needs %zu bytes with its NUL; the object "
		    "holds %lld ('ipc-shm --posix rm', then write with -s)",
		    s->label, len + 1, (long long)st.st_size);
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

static int
cmd_write(struct opts *o, int argc, char **argv)
{
	struct segment s;

	if (argc != 1)
		usage_error("write takes one TEXT; quote it if it has spaces");
	if (o->size != 0 && strlen(argv[0]) + 1 > o->size)
		usage_error("-s %zu: TEXT needs %zu bytes with its NUL", o->size,
		    strlen(argv[0]) + 1);
	pick_segment(o, &s);
	if (s.posix)
		write_posix(o, &s, argv[0]);
	else
		write_sysv(o, &s, argv[0]);
	return 0;
}

/* Print the text at P: the bytes up to the first NUL, then a newline. */
static void
print_text(const char *p, size_t size)
{
	fwrite(p, 1, strnlen(p, size), stdout);
	putchar('\n');
}

/* read: attach read-only and print the text up to the first NUL. */
static int
cmd_read(struct opts *o, int argc, char **argv)
{
	struct segment s;
	struct shmid_ds ds;
	struct stat st;
	char *p;
	int id, fd;

	(void)argv;
	if (argc > 0)
		usage_error("read takes no arguments");
	pick_segment(o, &s);
	if (s.posix) {
		if ((fd = shm_open(s.name, O_RDONLY, 0)) == -1)
			shm_open_failed(&s);
		say("shm_open(\"%s\", O_RDONLY) -> fd %d", s.name, fd);
		if (fstat(fd, &st) == -1)
			err(1, "fstat %s", s.label);
		refuse_unless_ours(&s, st.st_uid);
		if (st.st_size == 0) {
			say("the object is 0 bytes long: nothing to map");
			putchar('\n');
			if (close(fd) == -1)
				err(1, "close %s", s.label);
			return 0;
		}
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd,
		    0);
		if (p == MAP_FAILED)
			err(1, "mmap %s", s.label);
		say("mmap(NULL, %lld, PROT_READ, MAP_SHARED, %d, 0) -> %p",
		    (long long)st.st_size, fd, (void *)p);
		if (close(fd) == -1)
			err(1, "close %s", s.label);
		print_text(p, (size_t)st.st_size);
		if (munmap(p, (size_t)st.st_size) == -1)
			err(1, "munmap %s", s.label);
		return 0;
	}
	/* 0400: we ask to read, and only to read. */
	if ((id = shmget(s.key, 0, 0400)) == -1)
		shmget_failed(&s, 0);
	say("shmget(0x%08x, 0, 0400) -> shmid %d", (unsigned int)s.key, id);
	if (shmctl(id, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d (%s)", id, s.label);
	refuse_unless_ours(&s, ds.shm_perm.uid != geteuid() ? ds.shm_perm.uid :
	    ds.shm_perm.cuid);
	if ((p = shmat(id, NULL, SHM_RDONLY)) == (void *)-1)
		shmat_failed(&s, id);
	say("shmat(%d, NULL, SHM_RDONLY) -> %p: a store there would be a "
	    "segmentation fault", id, (void *)p);
	print_text(p, ds.shm_segsz);
	if (shmdt(p) == -1)
		err(1, "shmdt %s", s.label);
	say("shmdt(%p): detached", (void *)p);
	return 0;
}

/* info: what the kernel records about the segment. */
static int
cmd_info(struct opts *o, int argc, char **argv)
{
	char buf[128], t[64];
	struct segment s;
	struct shmid_ds ds;
	struct stat st;
	int id, fd;

	(void)argv;
	if (argc > 0)
		usage_error("info takes no arguments");
	pick_segment(o, &s);
	if (s.posix) {
		if ((fd = shm_open(s.name, O_RDONLY, 0)) == -1)
			shm_open_failed(&s);
		/* A POSIX object is a file: fstat says all the kernel keeps. */
		if (fstat(fd, &st) == -1)
			err(1, "fstat %s", s.label);
		say("fstat(%d): the object is a file on the tmpfs at /dev/shm",
		    fd);
		if (close(fd) == -1)
			err(1, "close %s", s.label);
		printf("name     %s\n", s.name);
		printf("file     /dev/shm%s\n", s.name);
		printf("size     %lld bytes\n", (long long)st.st_size);
		printf("mode     %04o\n", (unsigned int)(st.st_mode & 07777));
		printf("owner    %s\n", owner_text(st.st_uid, st.st_gid,
		    buf, sizeof(buf)));
		say("no attach count is kept for a POSIX object: "
		    "/proc/PID/maps shows who has it mapped");
		return 0;
	}
	/* IPC_STAT needs read permission, so we ask for it (0400). */
	if ((id = shmget(s.key, 0, 0400)) == -1)
		shmget_failed(&s, 0);
	say("shmget(0x%08x, 0, 0400) -> shmid %d", (unsigned int)s.key, id);
	if (shmctl(id, IPC_STAT, &ds) == -1)
		err(1, "shmctl IPC_STAT shmid %d (%s)", id, s.label);
	say("shmctl(%d, IPC_STAT) -> the kernel's struct shmid_ds", id);
	printf("key      0x%08x\n", (unsigned int)s.key);
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
	return 0;
}

/* rm: remove the segment; memory still attached lives on until detached. */
static int
cmd_rm(struct opts *o, int argc, char **argv)
{
	struct segment s;
	struct shmid_ds ds;
	int id;

	(void)argv;
	if (argc > 0)
		usage_error("rm takes no arguments");
	pick_segment(o, &s);
	if (s.posix) {
		/* Like unlink(2): the name goes; mappings keep the memory. */
		if (shm_unlink(s.name) == -1) {
			if (errno == ENOENT)
				errx(1, "shm_unlink %s: %s (there is no such "
				    "object)", s.label, strerror(errno));
			err(1, "shm_unlink %s", s.label);
		}
		say("shm_unlink(\"%s\"): /dev/shm%s is gone", s.name, s.name);
		return 0;
	}
	/* Removal asks no mode bits: only the owner or creator may do it. */
	if ((id = shmget(s.key, 0, 0)) == -1)
		shmget_failed(&s, 0);
	say("shmget(0x%08x, 0, 0) -> shmid %d", (unsigned int)s.key, id);
	/* Only to narrate the attach count; a stranger may not read it. */
	if (shmctl(id, IPC_STAT, &ds) == -1)
		ds.shm_nattch = 0;
	if (shmctl(id, IPC_RMID, NULL) == -1) {
		if (errno == EPERM)
			errx(1, "shmctl IPC_RMID shmid %d (%s): %s (only its "
			    "owner or creator may remove it)", id, s.label,
			    strerror(errno));
		err(1, "shmctl IPC_RMID shmid %d (%s)", id, s.label);
	}
	if (ds.shm_nattch > 0)
		say("shmctl(%d, IPC_RMID): %lu processes still have it "
		    "attached; it lives on, its key 0 and marked 'dest' in "
		    "ipcs -m, until the last one detaches", id,
		    (unsigned long)ds.shm_nattch);
	else
		say("shmctl(%d, IPC_RMID): nobody had it attached, so it is "
		    "gone at once", id);
	return 0;
}

/* demo and bench: a region of their own ----------------------------------- */

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
		if (shmctl(r->shmid, IPC_RMID, NULL) == 0)
			say("shmctl(%d, IPC_RMID): the segment is removed",
			    r->shmid);
		else if (errno == EINVAL || errno == EIDRM)
			say("shmid %d was already removed", r->shmid);
		else
			warn("shmctl IPC_RMID shmid %d", r->shmid);
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

/*
 * Make SIZE bytes of shared memory that only this run knows about, map
 * it, and register its removal.  fork() then shares the mapping with the
 * child: both see the same pages.
 */
static void
new_region(const struct opts *o, struct region *r, size_t size)
{
	struct segment s;
	int fd;

	memset(r, 0, sizeof(*r));
	r->size = size;
	r->fd = -1;
	if (o->memfd) {
#ifdef HAVE_MEMFD_CREATE
		r->kind = MEMFD;
		/* A file in no directory: only descriptors reach it. */
		r->fd = memfd_create("ipclab-shm", MFD_CLOEXEC |
		    MFD_ALLOW_SEALING);
		if (r->fd == -1)
			err(1, "memfd_create");
		say("memfd_create(\"ipclab-shm\", MFD_CLOEXEC|"
		    "MFD_ALLOW_SEALING) -> fd %d: a file in memory, in no "
		    "directory", r->fd);
		if (ftruncate(r->fd, (off_t)size) == -1)
			err(1, "ftruncate memfd to %zu bytes", size);
		say("ftruncate(%d, %zu): %zu bytes, all zeros", r->fd, size,
		    size);
		r->addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    r->fd, 0);
		if (r->addr == MAP_FAILED)
			err(1, "mmap memfd");
		say("mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0) "
		    "-> %p", size, r->fd, r->addr);
		return;
#else
		errx(1, "--memfd: this system has no memfd_create");
#endif
	}
	if (o->posix) {
		r->kind = POSIX;
		/* A name with our pid in it: two runs never meet. */
		private_posix_name(r->name, sizeof(r->name), "shm");
		memset(&s, 0, sizeof(s));
		snprintf(s.name, sizeof(s.name), "%s", r->name);
		snprintf(s.label, sizeof(s.label), "%s", r->name);
		fd = shm_open(r->name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd == -1)
			shm_open_failed(&s);
		at_exit_call(remove_region, r);
		say("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0600) -> fd %d: "
		    "the file /dev/shm%s", r->name, fd, r->name);
		if (ftruncate(fd, (off_t)size) == -1)
			err(1, "ftruncate %s to %zu bytes", r->name, size);
		say("ftruncate(%d, %zu): %zu bytes, all zeros", fd, size, size);
		r->addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
		if (r->addr == MAP_FAILED)
			err(1, "mmap %s", r->name);
		say("mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0) "
		    "-> %p", size, fd, r->addr);
		if (close(fd) == -1)
			err(1, "close %s", r->name);
		say("close(%d): the mapping keeps the object in use", fd);
		return;
	}
	r->kind = SYSV;
	memset(&s, 0, sizeof(s));
	snprintf(s.label, sizeof(s.label), "IPC_PRIVATE");
	/* IPC_PRIVATE: a new segment no key leads to; only its id does. */
	if ((r->shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600)) == -1)
		shmget_failed(&s, size);
	at_exit_call(remove_region, r);
	say("shmget(IPC_PRIVATE, %zu, IPC_CREAT|0600) -> shmid %d: "
	    "'ipcs -m' lists it with key 0x00000000", size, r->shmid);
	if ((r->addr = shmat(r->shmid, NULL, 0)) == (void *)-1)
		err(1, "shmat shmid %d", r->shmid);
	say("shmat(%d, NULL, 0) -> %p", r->shmid, r->addr);
}

/* Unmap the region (or detach the segment); its removal comes after. */
static void
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

#ifdef HAVE_MEMFD_CREATE
/*
 * A memfd can be sealed: once F_SEAL_SHRINK and F_SEAL_GROW are on, its
 * size is fixed for good, so a process that receives the descriptor can
 * map it without fearing that the file shrinks under the mapping (a
 * store past the end of a file is SIGBUS).
 */
static void
seal_memfd(struct region *r)
{
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
}
#endif

/* demo: the seed's handoff ------------------------------------------------ */

/*
 * One message.  The writer stores the number, the text, then the number
 * again; the reader loads them in the opposite order, so a message that
 * changed while it was being read shows two different numbers: torn.
 */
struct message {
	long long	 seq;		/* 1, 2 ... COUNT; 0 while none came */
	char		 text[56];	/* "message 17 of 5000" */
	long long	 seq_again;
};

/*
 * The shared region of the demo: two semaphores and one slot.  They live
 * inside the shared memory itself (sem_init with pshared 1), so there is
 * nothing else to name, create or remove.
 */
struct handoff {
	sem_t		 empty;		/* 1 while the slot may be filled */
	sem_t		 full;		/* 1 while it holds an unread message */
	struct message	 slot;
};

/* What the reader made of its reads. */
struct tally {
	long long	 last;		/* the newest message read so far */
	long long	 received;	/* distinct messages, each once */
	long long	 again;		/* reads of a message read before */
	long long	 torn;		/* reads that caught a half-written one */
};

/*
 * volatile: the compiler must make each of these stores and loads, in
 * this order, even with no semaphore between two messages (--no-sem).
 * It does not make the handoff safe; the semaphores do that.
 */
static void
put_message(volatile struct message *m, long long seq, long long count)
{
	char text[sizeof(m->text)];
	size_t i;

	snprintf(text, sizeof(text), "message %lld of %lld", seq, count);
	m->seq = seq;
	for (i = 0; i < sizeof(text); i++)
		m->text[i] = text[i];
	m->seq_again = seq;
}

static void
get_message(const volatile struct message *m, struct message *copy)
{
	size_t i;

	copy->seq_again = m->seq_again;
	for (i = 0; i < sizeof(copy->text); i++)
		copy->text[i] = m->text[i];
	copy->seq = m->seq;
	copy->text[sizeof(copy->text) - 1] = '\0';
}

static void
count_message(struct tally *t, const struct message *m)
{
	if (m->seq != m->seq_again)
		t->torn++;
	else if (m->seq <= t->last)
		t->again++;
	else {
		t->received++;
		t->last = m->seq;
	}
}

/* The child: write COUNT messages into the slot, one after another. */
static void
demo_writer(const struct opts *o, struct handoff *h, long long count,
    pid_t parent)
{
	struct peer peer = { parent, 1, "reader" };
	long long i;

	narrate_role("writer");
	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		/* Wait until the reader has emptied the slot. */
		if (!o->no_sem)
			wait_sem(&h->empty, "empty", &peer);
		put_message(&h->slot, i, count);
		if (i <= DEMO_NARRATED && o->no_sem)
			say("wrote \"message %lld of %lld\" into the slot, "
			    "asking nobody", i, count);
		else if (i <= DEMO_NARRATED)
			say("sem_wait(empty) -> the slot is free; wrote "
			    "\"message %lld of %lld\"; sem_post(full)", i,
			    count);
		/* Tell the reader a message is there. */
		if (!o->no_sem)
			post_sem(&h->full, "full");
	}
	if (count > DEMO_NARRATED)
		say("... and %lld more the same way, not narrated",
		    count - DEMO_NARRATED);
}

/* The parent: read the slot COUNT times and check what came. */
static void
demo_reader(const struct opts *o, struct handoff *h, long long count,
    pid_t child, struct tally *t)
{
	struct peer peer = { child, 0, "writer" };
	volatile struct message *slot = &h->slot;
	struct message m;
	long long i, turns = 0;

	narrate_role("reader");
	if (o->no_sem) {
		say("no semaphores: polling the slot until the first message "
		    "is there, then reading it %lld times at our own pace",
		    count);
		while (slot->seq == 0) {
			stop_if_signalled();
			/* Give the writer the CPU if it shares ours. */
			sched_yield();
			if (++turns % 1024 == 0)
				peer_alive(&peer);
		}
	}
	for (i = 1; i <= count; i++) {
		stop_if_signalled();
		/* Wait until the writer has filled the slot. */
		if (!o->no_sem)
			wait_sem(&h->full, "full", &peer);
		get_message(slot, &m);
		if (i <= DEMO_NARRATED && o->no_sem)
			say("read \"%s\" from the slot, asking nobody", m.text);
		else if (i <= DEMO_NARRATED)
			say("sem_wait(full) -> a message is there; read "
			    "\"%s\"; sem_post(empty)", m.text);
		/* Tell the writer the slot is free again. */
		if (!o->no_sem)
			post_sem(&h->empty, "empty");
		count_message(t, &m);
	}
	if (count > DEMO_NARRATED)
		say("... and %lld more reads the same way, not narrated",
		    count - DEMO_NARRATED);
}

/*
 * demo: one process writes messages into one slot of shared memory, the
 * other reads them.  The semaphore "empty" lets the writer in only when
 * the slot has been read, "full" lets the reader in only when it has been
 * written: every message arrives once, in order.  --no-sem shows what
 * goes wrong without them.
 */
static int
cmd_demo(struct opts *o, int argc, char **argv)
{
	long long count = o->count ? o->count : DEMO_COUNT;
	struct tally t;
	struct region r;
	struct handoff *h;
	pid_t pid;
	int sem = !o->no_sem;

	(void)argv;
	if (argc > 0)
		usage_error("demo takes no arguments");
	if (o->posix && o->memfd)
		usage_error("--posix and --memfd: choose one");
	narrate_role("reader");
	new_region(o, &r, sizeof(*h));
#ifdef HAVE_MEMFD_CREATE
	if (r.kind == MEMFD)
		seal_memfd(&r);
#endif
	h = r.addr;
	if (sem) {
		/* pshared 1: processes, not threads, share them. */
		if (sem_init(&h->empty, 1, 1) == -1 ||
		    sem_init(&h->full, 1, 0) == -1)
			err(1, "sem_init");
		say("sem_init(empty, pshared 1, 1), sem_init(full, pshared 1, "
		    "0): inside the shared region, at %p and %p",
		    (void *)&h->empty, (void *)&h->full);
	}
	/* Nothing buffered may be copied into the child and printed twice. */
	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		demo_writer(o, h, count, getppid());
		_exit(0);
	}
	at_exit_stop_child(pid);
	if (r.kind == SYSV) {
		struct shmid_ds ds;

		if (shmctl(r.shmid, IPC_STAT, &ds) == -1)
			err(1, "shmctl IPC_STAT shmid %d", r.shmid);
		say("fork() -> writer %ld; shmctl(IPC_STAT): nattch %lu, the "
		    "child inherited the attachment", (long)pid,
		    (unsigned long)ds.shm_nattch);
	} else {
		say("fork() -> writer %ld; the child inherited the mapping",
		    (long)pid);
	}
	memset(&t, 0, sizeof(t));
	demo_reader(o, h, count, pid, &t);
	require_success(reap(pid, "writer"), "writer");
	if (sem && (sem_destroy(&h->empty) == -1 ||
	    sem_destroy(&h->full) == -1))
		err(1, "sem_destroy");
	drop_region(&r);
	/* Remove the object now (the registry would at exit, too). */
	cleanup_run();

	if (t.received == count) {
		printf("received %lld of %lld messages in order\n", t.received,
		    count);
		return 0;
	}
	printf("received %lld of %lld messages: %lld lost, %lld read again, "
	    "%lld torn\n", t.received, count, count - t.received, t.again,
	    t.torn);
	if (sem)
		errx(1, "messages went wrong although semaphores guard the "
		    "slot");
	return 0;
}

/* mmap: four kinds of mapping ---------------------------------------------- */

/*
 * mmap: shared or private, backed by a file or anonymous.  The parent
 * makes all four, a child writes into each, and the parent looks at what
 * it sees and at what reached the file.
 */
static int
cmd_mmap(struct opts *o, int argc, char **argv)
{
	static const struct {
		const char	*name;
		const char	*flags_text;
		int		 flags;
		int		 file;		/* backed by the file */
		int		 page;		/* which page of the file */
	} kinds[4] = {
		{ "shared, file-backed", "MAP_SHARED", MAP_SHARED, 1, 0 },
		{ "shared, anonymous", "MAP_SHARED|MAP_ANONYMOUS",
		  MAP_SHARED | MAP_ANONYMOUS, 0, 0 },
		{ "private, file-backed", "MAP_PRIVATE", MAP_PRIVATE, 1, 1 },
		{ "private, anonymous", "MAP_PRIVATE|MAP_ANONYMOUS",
		  MAP_PRIVATE | MAP_ANONYMOUS, 0, 0 },
	};
	static const char from_file[] = "from the file",
	    from_parent[] = "from the parent", from_child[] = "from the child";
	long page = sysconf(_SC_PAGESIZE);
	char path[PATH_MAX], leaf[64], before[4][32], file[2][32];
	char *map[4];
	pid_t pid;
	int fd, i;

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

	/* An anonymous mapping has no file: the descriptor is -1. */
	for (i = 0; i < 4; i++) {
		map[i] = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		    kinds[i].flags, kinds[i].file ? fd : -1,
		    (off_t)kinds[i].page * page);
		if (map[i] == MAP_FAILED)
			err(1, "mmap %s", kinds[i].name);
		say("mmap(NULL, %ld, PROT_READ|PROT_WRITE, %s, %d, %ld) -> "
		    "%p%s", page, kinds[i].flags_text, kinds[i].file ? fd : -1,
		    kinds[i].page * page, (void *)map[i],
		    kinds[i].file ? "" : ": zeros, no file");
	}
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
			    kinds[i].name, i < 2 ? "" : ": the kernel copied the "
			    "page first, for this process only");
		}
		_exit(0);
	}
	at_exit_stop_child(pid);
	say("fork() -> child %ld", (long)pid);
	require_success(reap(pid, "child"), "child");

	/*
	 * What reached the file?  No msync(2) needed: read(2) and a shared
	 * mapping use the same page-cache pages; msync only pushes them
	 * to the disk.
	 */
	for (i = 0; i < 2; i++) {
		memset(file[i], 0, sizeof(file[i]));
		if (pread(fd, file[i], sizeof(file[i]) - 1, i * page) == -1)
			err(1, "read %s", path);
	}
	say("pread(fd %d) of both pages: what the file holds now", fd);
	printf("%-22s %-17s %-17s %s\n", "mapping", "before the child",
	    "parent sees", "file holds");
	for (i = 0; i < 4; i++)
		printf("%-22s %-17s %-17s %s\n", kinds[i].name, before[i],
		    map[i],
		    i == 0 ? file[0] : i == 2 ? file[1] : "-");

	/* Linux promises exactly this; anything else is a failure. */
	if (strcmp(map[0], from_child) != 0 ||
	    strcmp(map[1], from_child) != 0 ||
	    strcmp(map[2], from_file) != 0 ||
	    strcmp(map[3], from_parent) != 0 ||
	    strcmp(file[0], from_child) != 0 ||
	    strcmp(file[1], from_file) != 0)
		errx(1, "the mappings did not behave as mmap(2) says");
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

/* bench ------------------------------------------------------------------ */

/* A flag alone on its cache line, so spinning on it disturbs no neighbour. */
struct flag {
	_Alignas(LINE) atomic_uint full;	/* 1: the slot holds a message */
};

enum { EMPTY, FULL };		/* the stream's semaphores */
enum { PING, PONG };		/* the round trip's */

/*
 * The bench's region: a pair of semaphores, what each side burned, then
 * (for --spin) one flag per slot, then the slots themselves.
 */
struct ring {
	sem_t		 sem[2];
	double		 cpu[2];	/* CPU seconds: sender, receiver */
	struct flag	 flag[];
};

/* --spin: wait until FLAG is WANT, yielding once we have spun a while. */
static void
spin_until(atomic_uint *flag, unsigned int want, const struct peer *peer)
{
	unsigned long spins = 0;

	while (atomic_load_explicit(flag, memory_order_acquire) != want) {
		stop_if_signalled();
		if (++spins < SPINS)
			continue;
		/*
		 * Spun long enough: the other process may need our CPU
		 * (both pinned to one, --cpu 0,0) to make progress.
		 */
		sched_yield();
		if (spins % 16384 == 0)
			peer_alive(peer);
	}
}

static void
raise_flag(atomic_uint *flag, unsigned int value)
{
	atomic_store_explicit(flag, value, memory_order_release);
}

/* Slot K: after the header and the flags, on cache lines of its own. */
static char *
slot(struct ring *r, size_t nslots, size_t stride, size_t k)
{
	return (char *)r + sizeof(*r) + nslots * sizeof(struct flag) +
	    k * stride;
}

/*
 * bench, throughput: the child (the sender) copies COUNT messages into
 * a ring of slots, the parent (the receiver) copies each out again, as
 * a pipe's write and read would.  Either a pair of counting semaphores
 * guards the slots (empty: slots free, full: slots filled), or --spin
 * flags on their own cache lines.
 */
static void
bench_stream(const struct opts *o, struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	size_t stride = (b->size + LINE - 1) / LINE * LINE, nslots, k;
	struct region reg;
	struct ring *r;
	struct peer peer;
	double t0, t1, c0;
	char extra[96];
	pid_t pid;

	/*
	 * About 4 MiB of slots, between 2 and 1024 of them: a deep ring
	 * lets either side run ahead, so they seldom wait on each other.
	 */
	nslots = ((size_t)4 << 20) / stride;
	nslots = nslots < 2 ? 2 : nslots > 1024 ? 1024 : nslots;
	new_region(o, &reg, sizeof(*r) + nslots * (sizeof(struct flag) +
	    stride));
	r = reg.addr;
	if (sem_init(&r->sem[EMPTY], 1, (unsigned int)nslots) == -1 ||
	    sem_init(&r->sem[FULL], 1, 0) == -1)
		err(1, "sem_init");
	say("a ring of %zu slots of %zu bytes; waiting by %s", nslots, b->size,
	    o->spin ? "spinning on flags" : "semaphores");
	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		peer.pid = getppid();
		peer.is_parent = 1;
		peer.role = "receiver";
		pin_to_cpu(b->cpu[0]);
		c0 = cpu_seconds();
		for (i = 0, k = 0; i < total; i++) {
			if (i == b->warmup)
				c0 = cpu_seconds();
			if (o->spin)
				spin_until(&r->flag[k].full, 0, &peer);
			else
				wait_sem(&r->sem[EMPTY], "empty", &peer);
			memcpy(slot(r, nslots, stride, k), buf, b->size);
			if (o->spin)
				raise_flag(&r->flag[k].full, 1);
			else
				post_sem(&r->sem[FULL], "full");
			if (++k == nslots)
				k = 0;
		}
		r->cpu[0] = cpu_seconds() - c0;
		_exit(0);
	}
	at_exit_stop_child(pid);
	peer.pid = pid;
	peer.is_parent = 0;
	peer.role = "sender";
	pin_to_cpu(b->cpu[1]);
	t0 = now();
	c0 = cpu_seconds();
	for (i = 0, k = 0; i < total; i++) {
		if (i == b->warmup) {
			t0 = now();
			c0 = cpu_seconds();
		}
		if (o->spin)
			spin_until(&r->flag[k].full, 1, &peer);
		else
			wait_sem(&r->sem[FULL], "full", &peer);
		memcpy(buf, slot(r, nslots, stride, k), b->size);
		if (o->spin)
			raise_flag(&r->flag[k].full, 0);
		else
			post_sem(&r->sem[EMPTY], "empty");
		if (++k == nslots)
			k = 0;
	}
	t1 = now();
	r->cpu[1] = cpu_seconds() - c0;
	require_success(reap(pid, "sender"), "sender");
	snprintf(extra, sizeof(extra), "slots=%zu wait=%s cpu_s=%.3f", nslots,
	    o->spin ? "spin" : "sem", r->cpu[0] + r->cpu[1]);
	if (sem_destroy(&r->sem[EMPTY]) == -1 ||
	    sem_destroy(&r->sem[FULL]) == -1)
		err(1, "sem_destroy");
	drop_region(&reg);
	cleanup_run();
	bench_report_throughput(b, t1 - t0, extra);
}

/*
 * bench --latency: ping-pong.  The parent copies SIZE bytes into the
 * ping slot and says so; the child copies them out, copies them into the
 * pong slot and says so; the parent copies them out.  One round trip is
 * timed each time.
 */
static void
bench_pingpong(const struct opts *o, struct bench *b, char *buf)
{
	long long i, total = b->warmup + b->count;
	size_t stride = (b->size + LINE - 1) / LINE * LINE;
	struct region reg;
	struct ring *r;
	struct peer peer;
	double *rtt, t0, c0;
	char extra[96], *ping, *pong;
	pid_t pid;

	new_region(o, &reg, sizeof(*r) + 2 * (sizeof(struct flag) + stride));
	r = reg.addr;
	ping = slot(r, 2, stride, 0);
	pong = slot(r, 2, stride, 1);
	if (sem_init(&r->sem[PING], 1, 0) == -1 ||
	    sem_init(&r->sem[PONG], 1, 0) == -1)
		err(1, "sem_init");
	say("round trips of %zu bytes each way; waiting by %s", b->size,
	    o->spin ? "spinning on flags" : "semaphores");
	if (fflush(stdout) == EOF)
		err(1, "write error on standard output");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		peer.pid = getppid();
		peer.is_parent = 1;
		peer.role = "pinger";
		pin_to_cpu(b->cpu[1]);
		c0 = cpu_seconds();
		for (i = 0; i < total; i++) {
			if (i == b->warmup)
				c0 = cpu_seconds();
			if (o->spin)
				spin_until(&r->flag[PING].full, 1, &peer);
			else
				wait_sem(&r->sem[PING], "ping", &peer);
			memcpy(buf, ping, b->size);
			if (o->spin)
				raise_flag(&r->flag[PING].full, 0);
			memcpy(pong, buf, b->size);
			if (o->spin)
				raise_flag(&r->flag[PONG].full, 1);
			else
				post_sem(&r->sem[PONG], "pong");
		}
		r->cpu[1] = cpu_seconds() - c0;
		free(buf);	/* our copy of the caller's buffer */
		_exit(0);
	}
	at_exit_stop_child(pid);
	/* The times are the parent's alone: made after fork(). */
	if ((rtt = malloc((size_t)b->count * sizeof(*rtt))) == NULL)
		err(1, "malloc");
	peer.pid = pid;
	peer.is_parent = 0;
	peer.role = "echo child";
	pin_to_cpu(b->cpu[0]);
	c0 = cpu_seconds();
	for (i = 0; i < total; i++) {
		if (i == b->warmup)
			c0 = cpu_seconds();
		t0 = now();
		memcpy(ping, buf, b->size);
		if (o->spin)
			raise_flag(&r->flag[PING].full, 1);
		else
			post_sem(&r->sem[PING], "ping");
		if (o->spin)
			spin_until(&r->flag[PONG].full, 1, &peer);
		else
			wait_sem(&r->sem[PONG], "pong", &peer);
		memcpy(buf, pong, b->size);
		if (o->spin)
			raise_flag(&r->flag[PONG].full, 0);
		if (i >= b->warmup)
			rtt[i - b->warmup] = now() - t0;
	}
	r->cpu[0] = cpu_seconds() - c0;
	require_success(reap(pid, "echo child"), "echo child");
	snprintf(extra, sizeof(extra), "wait=%s cpu_s=%.3f",
	    o->spin ? "spin" : "sem", r->cpu[0] + r->cpu[1]);
	if (sem_destroy(&r->sem[PING]) == -1 ||
	    sem_destroy(&r->sem[PONG]) == -1)
		err(1, "sem_destroy");
	drop_region(&reg);
	cleanup_run();
	bench_report_latency(b, rtt, (size_t)b->count, extra);
	free(rtt);
}

/* bench: measure shared memory; one key=value line on stdout. */
static int
cmd_bench(struct opts *o, int argc, char **argv)
{
	struct bench b;
	char *buf;

	(void)argv;
	if (argc > 0)
		usage_error("bench takes no arguments");
	if (o->posix && o->memfd)
		usage_error("--posix and --memfd: choose one");
	if (o->size > (size_t)64 << 20)
		usage_error("-s: %zu is out of range for bench (1 to %zu "
		    "bytes)", o->size, (size_t)64 << 20);
	bench_setup(&b, o->memfd ? "shm-memfd" : o->posix ? "shm-posix" :
	    "shm-sysv", o->size, o->count, o->latency, o->cpu);
	buf = bench_buffer(b.size);
	say("%s, %lld messages of %zu bytes after %lld to warm up",
	    b.latency ? "round trips" : "one-way stream", b.count, b.size,
	    b.warmup);
	if (b.latency)
		bench_pingpong(o, &b, buf);
	else
		bench_stream(o, &b, buf);
	free(buf);
	return 0;
}

/* The command line --------------------------------------------------------- */

static void
set_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'C':
		parse_cpu_pair("--cpu", arg, o->cpu);
		break;
	case 'L':
		o->latency = 1;
		break;
	case 'M':
		o->memfd = 1;
		break;
	case 'N':
		o->name = parse_posix_name("-N", arg);
		break;
	case 'P':
		o->proj = parse_proj(arg);
		break;
	case 'U':
		o->no_sem = 1;
		break;
	case 'W':
		o->spin = 1;
		break;
	case 'X':
		o->posix = 1;
		break;
	case 'f':
		if (arg[0] == '\0')
			usage_error("-f: the path is empty");
		o->path = arg;
		break;
	case 'k':
		o->key = parse_key("-k", arg);
		break;
	case 'm':
		o->mode = parse_mode("-m", arg);
		break;
	case 'n':
		o->count = parse_count("-n", arg, 1, 100000000);
		break;
	case 's':
		o->size = parse_size("-s", arg, 1, (size_t)1 << 30);
		break;
	}
}

static const struct command commands[] = {
	{ "write", cmd_write, "NPXfkms", "TEXT [-s SIZE]",
	  "put TEXT into the segment, making it if missing" },
	{ "read", cmd_read, "NPXfk", "",
	  "print the text in the segment" },
	{ "info", cmd_info, "NPXfk", "",
	  "what the kernel records about the segment" },
	{ "rm", cmd_rm, "NPXfk", "",
	  "remove the segment" },
	{ "demo", cmd_demo, "MUXn", "[-n N] [--no-sem]",
	  "a writer and a reader hand messages over, guarded" },
	{ "mmap", cmd_mmap, "", "",
	  "shared vs private, file vs anonymous, across fork" },
	{ "bench", cmd_bench, "CLMWXns", "[-s SIZE] [-n N]",
	  "measure a shared ring: throughput or round trips" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct option_help option_help[] = {
	{ 'C', "--cpu A,B", "bench: pin the sender to CPU A, receiver to B" },
	{ 'L', "--latency", "bench: round trips instead of a stream" },
	{ 'M', "--memfd", "demo, bench: memfd_create instead of System V" },
	{ 'N', "-N, --name /NAME", "the POSIX object (/ipclab-UID-shm)" },
	{ 'P', "-P, --proj PROJ", "ftok project id, 1-255 or a letter (m)" },
	{ 'U', "--no-sem", "demo: no semaphores; see what goes wrong" },
	{ 'W', "--spin", "bench: spin on flags instead of semaphores" },
	{ 'X', "--posix", "POSIX shm_open instead of System V" },
	{ 'f', "-f, --file PATH", "System V: the key is ftok(PATH, PROJ)" },
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'k', "-k, --key KEY", "System V: the key (default: ftok of the "
	  "run directory)" },
	{ 'm', "-m, --mode MODE", "write: the mode of a new segment (600)" },
	{ 'n', "-n, --count N", "demo: messages (5000); bench: messages" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 's', "-s, --size SIZE", "write: size of a new segment (4096); "
	  "bench: bytes per message" },
	{ 0, NULL, NULL }
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "file", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "key", required_argument, NULL, 'k' },
	{ "latency", no_argument, NULL, 'L' },
	{ "memfd", no_argument, NULL, 'M' },
	{ "mode", required_argument, NULL, 'm' },
	{ "name", required_argument, NULL, 'N' },
	{ "no-sem", no_argument, NULL, 'U' },
	{ "posix", no_argument, NULL, 'X' },
	{ "proj", required_argument, NULL, 'P' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "size", required_argument, NULL, 's' },
	{ "spin", no_argument, NULL, 'W' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct program program = {
	"Shared memory: System V segments, POSIX objects, memfd and mmap.",
	"N:P:f:hk:m:n:qs:", longopts, commands, option_help, set_option
};

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.mode = 0600;
	o.cpu[0] = o.cpu[1] = -1;
	/*
	 * A reader of our output that goes away ("ipc-shm demo | head")
	 * must not kill us before we remove what we made: write(2) fails
	 * with EPIPE instead, we say so, and the cleanup runs.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal SIGPIPE");
	return run_program(&program, &o, argc, argv);
}
