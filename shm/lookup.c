/*
 * lookup.c - which segment write, read, info and rm mean, and whether it
 * is ours.  System V names a segment by a number, the key: -k gives it,
 * or ftok(3) derives it from a file's inode and a project id.  POSIX
 * names it like a file.  And who owns it, by name, for info.  A lesson
 * need not show any of this.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/stat.h>

#include <ctype.h>
#include <grp.h>
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-shm.h"

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

/* The POSIX object: -N, or our default name. */
static void
pick_posix(const struct opts *o, struct segment *s)
{
	if (o->key != 0 || o->path != NULL || o->proj != 0)
		usage_error("-k, -f and -P name System V segments; "
		    "a --posix object is named with -N /NAME");
	s->is_default = o->name == NULL;
	if (o->name != NULL)
		snprintf(s->name, sizeof(s->name), "%s", o->name);
	else
		default_posix_name(s->name, sizeof(s->name), "shm");
	snprintf(s->label, sizeof(s->label), "%s", s->name);
}

/* Usage errors come here, before anything is made. */
void
pick_segment(const struct opts *o, struct segment *s)
{
	char p[16];
	const char *path;
	int proj;

	memset(s, 0, sizeof(*s));
	s->posix = o->posix;
	if (o->posix) {
		pick_posix(o, s);
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
		 * By default the file is our private run directory, so the
		 * key is ours and nobody else's.
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
 * A segment with our default key or name that someone else made is not
 * ours, whatever its mode lets us do: its maker could read what we write
 * or put words in our mouth.  write and read refuse it (info shows it,
 * rm removes it if we may); one named with -k, -f or -N is the user's
 * own choice and may be shared on purpose.  UID is whose it is: its
 * owner, or for System V the creator if that is not us (an owner can
 * give a segment away with IPC_SET; its creator stays).
 */
void
refuse_unless_ours(const struct segment *s, uid_t uid)
{
	if (s->is_default)
		require_own_default((long)uid, s->label, s->posix ? "name" :
		    "key", s->posix ? "ipc-shm --posix info" : "ipc-shm info",
		    s->posix ? "-N /NAME" : "-k KEY");
}

/*
 * /dev/shm is anyone's to write in: a FIFO, a socket or a directory put
 * there under our name is no shared memory object (and opening a FIFO
 * would block for ever, had we not asked for O_NONBLOCK).  Exit 1 unless
 * ST, the object S names, is a regular file; and if OURS, unless
 * refuse_unless_ours lets it pass.
 */
void
require_shm_file(const struct segment *s, const struct stat *st, int ours)
{
	char who[300];

	if (!S_ISREG(st->st_mode))
		errx(1, "/dev/shm%s is %s of %s, not a shared memory object; "
		    "refusing to use it", s->name, file_kind(st->st_mode),
		    uid_text((long)st->st_uid, who, sizeof(who)));
	if (ours)
		refuse_unless_ours(s, st->st_uid);
}

/* "uid 1000 (ann)", or "uid 1000" for a uid with no name, in BUF. */
const char *
uid_text(long uid, char *buf, size_t len)
{
	char name[256];

	if (user_name((uid_t)uid, name, sizeof(name)) != NULL)
		snprintf(buf, len, "uid %ld (%s)", uid, name);
	else
		snprintf(buf, len, "uid %ld", uid);
	return buf;
}

/* "uid 1000 (ann), gid 1000 (ann)" */
const char *
owner_text(uid_t uid, gid_t gid, char *buf, size_t len)
{
	struct group gr, *grp = NULL;
	char user[256], grbuf[4096];
	const char *un;

	/* A name we cannot find (or that is too long) shows as '?'. */
	un = user_name(uid, user, sizeof(user));
	(void)getgrgid_r(gid, &gr, grbuf, sizeof(grbuf), &grp);
	snprintf(buf, len, "uid %ld (%s), gid %ld (%s)", (long)uid,
	    un != NULL ? un : "?", (long)gid,
	    grp != NULL ? grp->gr_name : "?");
	return buf;
}
