/*
 * received.c - what a process can do with a descriptor it was sent.
 *
 * Plumbing for passfd and recvfd: name the file a received descriptor
 * leads to (fstat(2), /proc/self/fd) and compare its number with the
 * sender's, then copy what it reads to standard output.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-socket.h"

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
