## pipe/: the pipes chapter.
bin_PROGRAMS += %D%/ipc-pipe
%C%_ipc_pipe_SOURCES = %D%/ipc-pipe.c

bin_PROGRAMS += %D%/connect2
%C%_connect2_SOURCES = %D%/connect2.c
