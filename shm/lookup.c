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
