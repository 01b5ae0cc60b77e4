## msgq/: the message-queues chapter.
bin_PROGRAMS += %D%/ipc-msgq
%C%_ipc_msgq_SOURCES = %D%/ipc-msgq.c \
	%D%/ipc-msgq.h \
	%D%/bench.c \
	%D%/demo.c \
	%D%/failed.c \
	%D%/info.c \
	%D%/queue.c \
	%D%/recv.c \
	%D%/send.c
