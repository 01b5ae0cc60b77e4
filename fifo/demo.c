/*
 * demo.c - a writer and a reader that share no descriptor, only a name,
 * meet at a FIFO: mkfifo(3), fork(2), each side open(2)s the path, the
 * writer writes and closes, the reader reads to end of file; while the
 * bytes wait in the kernel, stat(2) still says the FIFO's size is 0.
 * Mirrors the shell session
 *	$ mkfifo mypipe; ls -l mypipe; echo 12345 > mypipe & cat mypipe
 * The FIFO carries our pid in its name in our private run directory, so
 * no other FIFO is ever touched and no refusals stand in the way.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"
#include "ipc-fifo.h"

/* The longest MESSAGE demo takes: with its newline, one atomic write. */
#define DEMO_MAX	(PIPE_BUF - 1)

static void	demo_writer(const char *path, const char *msg)
		    __attribute__((noreturn));

/*
 * demo: the writer inherits no descriptor, only knows the name; it
 * writes, closes and exits, and the reader reads after it is gone.
 */
int
cmd_demo(struct opts *o, int argc, char **argv)
{
	const char *msg = argc > 0 ? argv[0] : "12345";
	char path[PATH_MAX], got[PIPE_BUF + 1];
	size_t len = strlen(msg), total = 0;
	struct stat st;
	int fd, status, waiting;
	ssize_t n;
	pid_t pid;

	(void)o;
	if (argc > 1)
		usage_error("demo takes one MESSAGE; quote it if it has spaces");
	if (len > DEMO_MAX)
		usage_error("demo: MESSAGE is %zu bytes; at most %d fit in one "
		    "atomic write with its newline", len, DEMO_MAX);
	narrate_role("parent");
	private_fifo_name(path, sizeof(path), "demo");
	if (make_fifo(path, 0600) == -1)
		err(1, "mkfifo %s", path);
	at_exit_unlink(path);
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	say("stat(\"%s\") -> %s, mode %04o, size %lld", path,
	    S_ISFIFO(st.st_mode) ? "a FIFO ('p' in ls -l)" : "not a FIFO",
	    (unsigned)(st.st_mode & 07777), (long long)st.st_size);

	say_fork("the writer");
	if ((pid = fork()) == -1)
		fork_failed();
	if (pid == 0)
		demo_writer(path, msg);
	at_exit_stop_child(pid);
	say("fork() -> writer %ld; it gets no descriptor, only the name",
	    (long)pid);
	say("open(\"%s\", O_RDONLY): waiting for a writer to open it...", path);
	while ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		retry_if_eintr("open %s", path);
	say("open -> fd %d: both ends are open, one pipe in the kernel joins "
	    "them", fd);
	/* Let the writer finish: its bytes are then in the kernel, unread. */
	while (waitpid(pid, &status, 0) == -1)
		retry_if_eintr("waitpid %ld", (long)pid);
	require_success(child_reaped(pid, "writer", status), "writer");
	if (ioctl(fd, FIONREAD, &waiting) == -1)
		err(1, "ioctl FIONREAD %s", path);
	if (stat(path, &st) == -1)
		err(1, "stat %s", path);
	say("ioctl(%d, FIONREAD) -> %d %s to be read; stat(\"%s\") "
	    "-> size %lld", fd, waiting, waiting == 1 ? "byte waits" :
	    "bytes wait", path, (long long)st.st_size);
	printf("size of the FIFO while %d %s in it: %lld\n", waiting,
	    waiting == 1 ? "byte waits" : "bytes wait", (long long)st.st_size);
	while ((n = read(fd, got + total, sizeof(got) - 1 - total)) != 0) {
		if (n == -1) {
			retry_if_eintr("read %s", path);
			continue;
		}
		say("read(%d) -> %zd byte%s", fd, n, n == 1 ? "" : "s");
		total += (size_t)n;
	}
	say("read(%d) -> 0: end of file, the writer has closed", fd);
	if (close(fd) == -1)
		err(1, "close %s", path);
	if (unlink(path) == -1)
		err(1, "unlink %s", path);
	at_exit_forget_unlink(path);
	say("unlink(\"%s\"): the name is gone; nothing was ever stored there",
	    path);
	if (total > 0 && got[total - 1] == '\n')
		total--;
	printf("received string: %.*s\n", (int)total, got);
	return 0;
}

/*
 * The writer child.  No descriptor came with fork(): it opens the FIFO
 * by its name, as an unrelated process would.
 */
static void
demo_writer(const char *path, const char *msg)
{
	char line[PIPE_BUF + 1];
	size_t len = strlen(msg);
	int fd;

	narrate_role("writer");
	say("open(\"%s\", O_WRONLY): waiting for a reader to open it...", path);
	while ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		retry_if_eintr("open %s", path);
	say("open -> fd %d: a reader is there, so the open returns", fd);
	memcpy(line, msg, len);
	line[len] = '\n';
	if (write_all(fd, line, len + 1) == -1)
		err(1, "write %s", path);
	say("write(%d, \"%.60s%s\\n\", %zu) -> %zu: the %s in the kernel, "
	    "not in the file", fd, msg, len > 60 ? "..." : "", len + 1,
	    len + 1, len == 0 ? "byte waits" : "bytes wait");
	if (close(fd) == -1)
		err(1, "close %s", path);
	say("close(%d): no writer is left; the reader will see end of file",
	    fd);
	_exit(0);
}
