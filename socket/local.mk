## socket/: the sockets chapter.
bin_PROGRAMS += %D%/ipc-socket
%C%_ipc_socket_SOURCES = \
	%D%/ipc-socket.c \
	%D%/ipc-socket.h \
	%D%/address.c \
	%D%/bench.c \
	%D%/client.c \
	%D%/cred.c \
	%D%/demo.c \
	%D%/dgram.c \
	%D%/pair.c \
	%D%/passfd.c \
	%D%/received.c \
	%D%/server.c
