## msgq/: the message-queues chapter.
bin_PROGRAMS += %D%/ipc-msgq
%C%_ipc_msgq_SOURCES = %D%/ipc-msgq.c
