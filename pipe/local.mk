## pipe/: the pipes chapter.
bin_PROGRAMS += %D%/ipc-pipe
%C%_ipc_pipe_SOURCES = %D%/ipc-pipe.c \
	%D%/ipc-pipe.h \
	%D%/atomic.c \
	%D%/bench.c \
	%D%/capacity.c \
	%D%/demo.c \
	%D%/duplex.c \
	%D%/eof.c \
	%D%/sigpipe.c

bin_PROGRAMS += %D%/connect2
%C%_connect2_SOURCES = %D%/connect2.c
