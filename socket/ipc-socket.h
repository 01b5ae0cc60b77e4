/*
 * ipc-socket.h - what the files of ipc-socket share: the options, where a
 * socket lives (struct endpoint), the commands, and the plumbing that more
 * than one lesson calls.  Private to this directory.
 */
#ifndef IPC_SOCKET_H
#define IPC_SOCKET_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <stddef.h>

struct opts {
	int		 dgram;		/* serve, connect: SOCK_DGRAM */
	const char	*abstract;	/* an abstract name; NULL: not given */
	const char	*tcp;		/* HOST:PORT; NULL: not given */
	int		 once;		/* serve: one client, then exit */
	size_t		 size;		/* bench; 0: not given, the default */
	long long	 count;		/* bench; 0: not given, the default */
	int		 latency;	/* bench: ping-pong */
	int		 cpu[2];	/* bench: two CPUs; -1: not given */
};

/* Room in sun_path, with the NUL a path needs at its end. */
#define SUN_PATH_SIZE	sizeof(((struct sockaddr_un *)NULL)->sun_path)

/*
 * Where a socket lives: a path in the file system, an abstract name
 * (Linux: a name with no file, gone with the socket) or a TCP address.
 */
struct endpoint {
	int			 family;	/* AF_UNIX, AF_INET, AF_INET6 */
	int			 type;		/* SOCK_STREAM, SOCK_DGRAM... */
	struct sockaddr_storage	 addr;
	socklen_t		 len;
	char			 path[SUN_PATH_SIZE];	/* "" unless a file */
	char			 name[128];		/* for the narration */
};

/* The commands, each in the file that teaches it. */
int	cmd_bench(struct opts *, int argc, char **argv);
int	cmd_connect(struct opts *, int argc, char **argv);
int	cmd_cred(struct opts *, int argc, char **argv);
int	cmd_demo(struct opts *, int argc, char **argv);
int	cmd_pair(struct opts *, int argc, char **argv);
int	cmd_passfd(struct opts *, int argc, char **argv);
int	cmd_recvfd(struct opts *, int argc, char **argv);
int	cmd_sendfd(struct opts *, int argc, char **argv);
int	cmd_serve(struct opts *, int argc, char **argv);

/* server.c: socket(), bind(), listen(); who a peer is. */
int	server_socket(struct endpoint *ep);
void	describe_peer(int fd, int family, const struct sockaddr_storage *sa,
	    char *buf, size_t len);

/*
 * client.c: socket() and connect(); a forked client's first steps.
 * (send() until all is sent is lib's send_all.)
 */
int	client_socket(const struct endpoint *ep);
void	forked_client(int lfd);
const char *const *message_lines(int *argc, char **argv,
	    const char *const *fallback, int n, const char *what);

/* dgram.c: the datagram server and client. */
void	autobind(int fd);
int	serve_dgram(const struct opts *o, int fd);
void	connect_dgram(int fd, const struct endpoint *ep, int argc,
	    char **argv);

/* received.c: a received descriptor, taken out, named and read. */
int	keep_first_fd(const unsigned char *data, size_t nfds, int fd);
void	sender_number(char *data, size_t n, int *theirs);
void	warn_if_truncated(const struct msghdr *msg);
void	describe_received(int fd, int sender_fd);
long long copy_out(int fd);

/* address.c: endpoints, socket files, and failures explained. */
void	endpoint(struct endpoint *ep, const struct opts *o, const char *path,
	    const char *leaf, int passive);
void	unix_path(struct endpoint *ep, const char *path, int from_user);
void	inet_name(struct endpoint *ep);
const char *socket_args(const struct endpoint *ep);
void	clear_stale(const struct endpoint *ep);
void	bind_failed(const struct endpoint *ep) __attribute__((noreturn));
void	connect_failed(const struct endpoint *ep) __attribute__((noreturn));
void	socket_file_made(const char *path, struct stat *st);
const char *our_socket_file(void);
int	socket_file_gone(void);
void	wait_for_peer(int fd, const char *gone);
/* wait_for_peer's GONE for a listener, which no client can reach now. */
#define NO_CLIENT_NOW	" while we waited for a client (rm(1)?); nobody " \
			"can connect to it any more"
int	accept_retry(int lfd);

#endif /* IPC_SOCKET_H */
