## socket/: the sockets chapter.
bin_PROGRAMS += %D%/ipc-socket
%C%_ipc_socket_SOURCES = %D%/ipc-socket.c
