/*
 * received.c - what a process can do with a descriptor it was sent.
 *
 * Plumbing for passfd and recvfd: take the descriptors out of an
 * SCM_RIGHTS message (one kept, extra ones closed), read the sender's
 * number from the data and warn of control data cut short; name the file
 * a received descriptor leads to (fstat(2), /proc/self/fd) and compare
 * its number with the sender's, then copy what it reads to standard
 * output.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

/*
 * The NFDS descriptors at DATA, an SCM_RIGHTS message's: keep the first
 * when FD is -1 (none kept yet), and close the others, each a new entry
 * in our table that nobody would close.  Returns the one kept, or FD.
 */
int
keep_first_fd(const unsigned char *data, size_t nfds, int fd)
{
	size_t i;
	int one;

	for (i = 0; i < nfds; i++) {
		/* CMSG_DATA() need not be aligned for an int: copy it out. */
		memcpy(&one, data + i * sizeof(int), sizeof(int));
		if (fd == -1) {
			fd = one;
			continue;
		}
		say("an extra descriptor, fd %d: closing it", one);
		if (close(one) == -1)
			err(1, "close");
	}
	return fd;
}

/*
 * The data that came with a descriptor, N bytes at DATA (with room for
 * one more): our sendfd sends the number the descriptor had there, other
 * senders anything.  Sets *THEIRS when it is such a number.
 */
void
sender_number(char *data, size_t n, int *theirs)
{
	data[n] = '\0';
	if (n < 8 && strspn(data, "0123456789") == n)
		*theirs = (int)strtol(data, NULL, 10);
}

/*
 * MSG_CTRUNC: more control data came than MSG had room for.  The kernel
 * closed the descriptors that did not fit, so none leaks, but they are
 * lost to us: say so.
 */
void
warn_if_truncated(const struct msghdr *msg)
{
	if (msg->msg_flags & MSG_CTRUNC)
		warnx("recvmsg: MSG_CTRUNC: more control data came than we "
		    "had room for; the descriptors that did not fit were "
		    "closed");
}

/*
 * What the receiver can tell about a descriptor it never opened: the
 * file it leads to (fstat, /proc/self/fd), and its number here.
 */
void
describe_received(int fd, int sender_fd)
{
	char link[64], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) == -1)
		err(1, "fstat received fd %d", fd);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, target, sizeof(target) - 1)) == -1)
		snprintf(target, sizeof(target), "(unknown)");
	else
		target[n] = '\0';
	if (sender_fd == fd)
		say("got fd %d, and the sender's was fd %d too, by chance: each "
		    "process has its own table, and the kernel put the open file "
		    "at our lowest free slot", fd, sender_fd);
	else if (sender_fd >= 0)
		say("got fd %d; the sender's was fd %d: a descriptor is an "
		    "index into each process's own table, and the kernel put "
		    "the same open file at our lowest free slot", fd, sender_fd);
	else
		say("got fd %d, the lowest free slot in our own descriptor "
		    "table; the sender's number means nothing here", fd);
	say("fd %d -> %s (inode %lu, %s): a file this process never opened",
	    fd, target, (unsigned long)st.st_ino, S_ISSOCK(st.st_mode) ?
	    "a socket or other" : file_kind(st.st_mode));
}

/* Copy everything readable through FD to standard output. */
long long
copy_out(int fd)
{
	static char buf[65536];
	long long total = 0;
	ssize_t n;

	for (;;) {
		stop_if_signalled();
		n = read(fd, buf, sizeof(buf));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "read the received descriptor");
		}
		if (n == 0)
			break;
		if (write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
			err(1, "write error on standard output");
		total += n;
	}
	return total;
}
