/*
 * info.c - what the kernel knows about a queue, and removing it.
 * msgctl(2) IPC_STAT fills a struct msqid_ds (owner, mode, how many
 * messages and bytes, who sent and received last, and when), the record
 * 'ipcs -q' prints; IPC_RMID removes the queue at once.  The POSIX way
 * is mq_getattr(3), the file in /dev/mqueue, and mq_unlink(3), which
 * takes the name as unlink(2) takes a file's.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <stdio.h>

#include "ipclab.h"
#include "ipc-msgq.h"

static void	print_mqueue_file(const char *name);

/* info, System V: msgctl(IPC_STAT), the kernel's struct msqid_ds. */
static void
info_sysv(struct opts *o)
{
	struct msqid_ds ds;
	char t[3][32];
	int id;

	which_queue(o);
	id = open_sysv(o, 0, S_IRUSR);
	if (msgctl(id, IPC_STAT, &ds) == -1)
		msgctl_failed(o, "IPC_STAT");
	say("msgctl(id %d, IPC_STAT) -> the kernel's struct msqid_ds", id);
	printf("key:     0x%08x\n", (unsigned int)o->key);
	printf("id:      %d\n", id);
	printf("owner:   uid %ld, gid %ld\n", (long)ds.msg_perm.uid,
	    (long)ds.msg_perm.gid);
	printf("creator: uid %ld, gid %ld\n", (long)ds.msg_perm.cuid,
	    (long)ds.msg_perm.cgid);
	printf("mode:    %04o\n", (unsigned int)(ds.msg_perm.mode & 0777));
	printf("qnum:    %lu message%s\n", (unsigned long)ds.msg_qnum,
	    ds.msg_qnum == 1 ? "" : "s");
	printf("cbytes:  %lu bytes in them\n", (unsigned long)ds.msg_cbytes);
	printf("qbytes:  %lu bytes at most\n", (unsigned long)ds.msg_qbytes);
	printf("lspid:   %ld (the last to send)\n", (long)ds.msg_lspid);
	printf("lrpid:   %ld (the last to receive)\n", (long)ds.msg_lrpid);
	printf("stime:   %s (the last msgsnd)\n", format_time(ds.msg_stime,
	    t[0], sizeof(t[0])));
	printf("rtime:   %s (the last msgrcv)\n", format_time(ds.msg_rtime,
	    t[1], sizeof(t[1])));
	printf("ctime:   %s (created or last changed)\n",
	    format_time(ds.msg_ctime, t[2], sizeof(t[2])));
}

/* info, POSIX: mq_getattr(3), and the file in /dev/mqueue if mounted. */
static void
info_posix(struct opts *o)
{
	struct mq_attr a;
	struct stat st;
	mqd_t mqd;

	which_queue(o);
	mqd = open_posix(o, O_RDONLY, 0, 0);
	if (mq_getattr(mqd, &a) == -1)
		err(1, "mq_getattr %s", o->obj);
	say("mq_getattr -> the queue's struct mq_attr");
	if (fstat(mqd, &st) == -1)
		err(1, "fstat %s", o->obj);
	printf("name:    %s\n", o->name);
	printf("owner:   uid %ld, gid %ld\n", (long)st.st_uid, (long)st.st_gid);
	printf("mode:    %04o\n", (unsigned int)(st.st_mode & 0777));
	printf("maxmsg:  %ld messages at most\n", a.mq_maxmsg);
	printf("msgsize: %ld bytes at most in each\n", a.mq_msgsize);
	printf("curmsgs: %ld message%s\n", a.mq_curmsgs,
	    a.mq_curmsgs == 1 ? "" : "s");
	print_mqueue_file(o->name);
	if (mq_close(mqd) == -1)
		err(1, "mq_close %s", o->obj);
}

/*
 * With the mqueue file system mounted, each queue is a file there, and
 * reading it gives the kernel's own one-line summary.
 */
static void
print_mqueue_file(const char *name)
{
	char path[NAME_MAX + 16], line[256];
	size_t i, j;
	FILE *f;

	snprintf(path, sizeof(path), "/dev/mqueue%s", name);
	if ((f = fopen(path, "re")) == NULL) {
		say("no %s: the mqueue file system is not mounted there", path);
		return;
	}
	if (fgets(line, sizeof(line), f) != NULL) {
		/* The kernel pads its fields with spaces: squeeze them. */
		for (i = j = 0; line[i] != '\0' && line[i] != '\n'; i++)
			if (line[i] != ' ' || (j > 0 && line[j - 1] != ' '))
				line[j++] = line[i];
		while (j > 0 && line[j - 1] == ' ')
			j--;
		line[j] = '\0';
		printf("file:    %s: %s\n", path, line);
	}
	(void)fclose(f);
}

/* info: what the kernel knows about the queue. */
int
cmd_info(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("info takes no arguments");
	if (o->posix)
		info_posix(o);
	else
		info_sysv(o);
	return 0;
}

/* rm, System V: at once; its messages are lost, and waiters get EIDRM. */
static void
rm_sysv(struct opts *o)
{
	int id;

	id = open_sysv(o, 0, 0);
	if (msgctl(id, IPC_RMID, NULL) == -1)
		msgctl_failed(o, "IPC_RMID");
	say("msgctl(id %d, IPC_RMID): removed, with any messages in it", id);
}

/* rm, POSIX: the name goes now; the queue once nobody has it open. */
static void
rm_posix(struct opts *o)
{
	if (mq_unlink(o->name) == -1)
		mq_unlink_failed(o);
	say("mq_unlink(\"%s\"): the name is gone; the queue follows "
	    "when its last descriptor closes", o->name);
}

/* rm: remove the queue and whatever messages are still in it. */
int
cmd_rm(struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("rm takes no arguments");
	which_queue(o);
	if (o->posix)
		rm_posix(o);
	else
		rm_sysv(o);
	return 0;
}
